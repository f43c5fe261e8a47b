"""Signing family: Sigstore bundles, OpenSSF model signatures, in-toto / SLSA provenance and
layouts, all judged against the ``trust:`` section.
"""
