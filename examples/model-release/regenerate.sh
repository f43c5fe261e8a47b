#!/usr/bin/env bash
# Regenerate this example's evidence with the real tools. Needs, on PATH or in the active
# virtual environment: bandit, cyclonedx-py (cyclonedx-bom), checkov, and Python with
# numpy, safetensors and cyclonedx-python-lib:
#   pip install "bandit[sarif]" cyclonedx-bom checkov numpy safetensors cyclonedx-python-lib
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

# IaC: the Dockerfile and Kubernetes manifests. --skip-download keeps checkov offline.
checkov -d deploy --framework kubernetes dockerfile -o sarif --output-file-path evidence \
  --quiet --compact --skip-download --soft-fail >/dev/null
mv evidence/results_sarif.sarif evidence/checkov.sarif
