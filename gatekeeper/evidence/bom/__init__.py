"""Bill-of-materials family: CycloneDX (SBOM and ML-BOM) and SPDX files, read into one list of
components and models.
"""
