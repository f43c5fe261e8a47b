"""docs/adopt.md runs: its `sh` blocks, in order, on a scikit-learn project made here, with the
`gatekeeper` of this checkout; and the docs stand alone (no path outside the repository)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import orjson
import pytest
from adoption_project import make_project
from conftest import ROOT

ADOPT = ROOT / "docs" / "adopt.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.M | re.S)


def blocks(language: str) -> list[str]:
    return [body for lang, body in FENCE.findall(ADOPT.read_text()) if lang == language]


def test_readme_and_docs_name_no_path_outside_the_repository():
    files = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    offending = [f"{path.relative_to(ROOT)}:{number}"
                 for path in files
                 for number, line in enumerate(path.read_text().splitlines(), start=1)
                 if "../shared" in line]
    assert offending == []


def test_the_readme_points_at_the_tutorial():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Adopting gatekeeper", 1)[1].split("\n## ", 1)[0]
    assert "docs/adopt.md" in section


def test_the_tutorial_installs_the_scanners_extra():
    [install] = blocks("console")
    assert "pip install '.[scanners]'" in install


def test_the_tutorial_runs_from_init_to_a_gate(tmp_path):
    pytest.importorskip("sklearn")
    pytest.importorskip("skops")
    project = make_project(tmp_path / "churn")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    # `gatekeeper` is this checkout's, whatever the PATH holds.
    launcher = bin_dir / "gatekeeper"
    launcher.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m gatekeeper "$@"\n')
    launcher.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "NO_COLOR": "1"}
    commands = blocks("sh")
    assert commands[0].strip() == "gatekeeper init --kind classical-ml"
    outputs = []
    for number, script in enumerate(commands, start=1):
        done = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", script], cwd=project,
                              env=env, capture_output=True, text=True, timeout=600, check=False)
        assert done.returncode == 0, f"block {number} failed:\n{script}\n{done.stdout}{done.stderr}"
        outputs.append(done.stdout)
    first_check, last_check = outputs[2], outputs[4]
    # What the page says the first verdict shows: fix lines with the keys.
    assert "BLOCKED" in first_check
    assert "fix: configure evidence.documents.model_card in gatekeeper.yaml" in first_check
    assert "NO_EVIDENCE  GRC-model-card-complete" in first_check
    # After step 5: the model card passes; the gate still blocks on what is missing.
    assert "FAIL  GRC-model-card-complete" not in last_check
    assert "NO_EVIDENCE  GRC-model-card-complete" not in last_check
    assert "BLOCKED" in last_check
    results = project / "results.json"
    subprocess.run(["gatekeeper", "check", "--results", str(results)], cwd=project, env=env,
                   capture_output=True, check=False)
    controls = {c["id"]: c for c in orjson.loads(results.read_bytes())["controls"]}
    assert controls["GRC-model-card-complete"]["outcome"] == "pass"
    assert controls["SDL-mlbom-covers-models"]["outcome"] == "pass"
    if shutil.which("bandit", path=env["PATH"]):
        assert controls["SDL-sast-clean"]["outcome"] == "pass"
