"""Release family: the release itself: its artifacts, the CI run that gates it, and the
``ai-system.yaml`` manifest.
"""
