#!/usr/bin/env bash
# Regenerate this example's evidence with the real tools. Needs, on PATH or in the active
# virtual environment: bandit, cyclonedx-py (cyclonedx-bom), checkov, model_signing
# (model-signing), and Python with numpy, safetensors, cyclonedx-python-lib and
# securesystemslib:
#   pip install "bandit[sarif]" cyclonedx-bom checkov numpy safetensors cyclonedx-python-lib \
#     model-signing pyopenssl securesystemslib
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p release evidence keys

python ../make_evidence.py safetensors release/model.safetensors
python ../make_evidence.py mlbom release/model.safetensors sentiment-scorer 1.4.0 evidence/mlbom.cdx.json

# Signatures. Two keys are made for this run in a temporary folder that is deleted on exit;
# only their public halves are kept (keys/), and gatekeeper.yaml trusts them:
#   model-signing.pub  the release manager's elliptic-curve key: OpenSSF model signature
#   builder.pub        the training pipeline's key: SLSA v1 provenance in a DSSE envelope
private=$(mktemp -d)
trap 'rm -rf "$private"' EXIT
python ../make_evidence.py keypair ecdsa "$private/model-signing.pem" keys/model-signing.pub
python ../make_evidence.py keypair ed25519 "$private/builder.pem" keys/builder.pub
model_signing sign key --private_key "$private/model-signing.pem" \
  --signature release/model.sig release/model.safetensors
python ../make_evidence.py provenance release/model.safetensors src "$private/builder.pem" \
  evidence/provenance.intoto.jsonl

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
