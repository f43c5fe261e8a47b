"""Documentation family: the required documents, what their sections and front matter state,
CODEOWNERS, and the ATLAS ids they cite.
"""
