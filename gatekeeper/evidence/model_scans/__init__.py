"""Model-scan family: what modelscan, picklescan and ModelAudit say about the release's model
files.
"""
