"""Scan coverage, not scan presence (issue 20): a report that scanned nothing never passes, and a
model scan covers a model only when it names the model's current sha256, or, for a scanner that
records none, when its report is newer than the file."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import orjson
from conftest import CORPUS, NOW, require_shared

CONFIG = """version: 1
subject: {name: coverage, version: 1.0.0}
artifacts:
  - {path: release/model.skops, kind: model}
evidence:
%s
"""


def _project(tmp_path: Path, evidence: str) -> Path:
    (tmp_path / "release").mkdir()
    (tmp_path / "evidence").mkdir()
    (tmp_path / "release" / "model.skops").write_bytes(b"PK\x03\x04 a skops archive stand-in")
    (tmp_path / "gatekeeper.yaml").write_text(CONFIG % evidence)
    return tmp_path


def _control(gatekeeper, folder: Path, control: str) -> tuple[int, dict]:
    results = folder / "results.json"
    run = gatekeeper("check", "--now", NOW, "--results", results, cwd=folder)
    found = {c["id"]: c for c in orjson.loads(results.read_bytes())["controls"]}
    return run.code, found[control]


def _modelaudit_report(model: Path) -> bytes:
    """The corpus's real ModelAudit report, naming this model and its sha256."""
    report = orjson.loads(
        require_shared(CORPUS / "scans" / "modelaudit"
                       / "modelaudit-scan-result.example.json").read_bytes())
    name = str(model)
    [metadata] = report["file_metadata"].values()
    metadata["file_hashes"]["sha256"] = hashlib.sha256(model.read_bytes()).hexdigest()
    report.update(issues=[], has_errors=False, success=True,
                  assets=[{"path": name, "type": "zip", "size": model.stat().st_size}],
                  file_metadata={name: metadata})
    return orjson.dumps(report)


def test_a_model_changed_after_its_modelaudit_scan_fails(gatekeeper, tmp_path):
    folder = _project(tmp_path, "  modelaudit: [evidence/modelaudit.json]")
    model = folder / "release" / "model.skops"
    (folder / "evidence" / "modelaudit.json").write_bytes(_modelaudit_report(model))
    _, scanned = _control(gatekeeper, folder, "SDL-model-files-scanned")
    assert scanned["outcome"] == "pass"
    assert scanned["details"]["model_files"][0]["scanned_by"] == ["modelaudit (sha256)"]
    assert scanned["strength"] == "measured"

    model.write_bytes(model.read_bytes() + b"\x00")  # one byte appended after the scan
    code, tampered = _control(gatekeeper, folder, "SDL-model-files-scanned")
    assert tampered["outcome"] == "fail" and code == 1
    [message] = tampered["messages"]
    assert message["message"].startswith(
        "modelaudit scanned release/model.skops with sha256 ")
    assert "it changed after the scan" in message["message"]


def _picklescan_output(model: Path) -> str:
    return (f"scan_bytes({model})\n----------- SCAN SUMMARY -----------\nScanned files: 1\n"
            "Infected files: 0\nSuspicious globals: 0\nDangerous globals: 0\n")


def test_a_path_only_scan_covers_a_model_only_when_newer_than_it(gatekeeper, tmp_path):
    folder = _project(tmp_path, "  picklescan: [evidence/picklescan.txt]")
    model = folder / "release" / "model.skops"
    output = folder / "evidence" / "picklescan.txt"
    output.write_text(_picklescan_output(model))
    written = output.stat().st_mtime_ns
    os.utime(model, ns=(written - 10**9, written - 10**9))
    _, scanned = _control(gatekeeper, folder, "SDL-model-files-scanned")
    assert scanned["outcome"] == "pass"
    assert scanned["details"]["model_files"][0]["scanned_by"] == ["picklescan (by path)"]
    assert scanned["strength"] == "declared"  # weaker than a digest match

    os.utime(model, ns=(written + 10**9, written + 10**9))  # the model changed after the scan
    _, stale = _control(gatekeeper, folder, "SDL-model-files-scanned")
    assert stale["outcome"] == "fail"
    assert stale["messages"][0]["message"].startswith(
        "picklescan's report evidence/picklescan.txt is older than release/model.skops")


def test_an_empty_checkov_report_fails_the_iac_scan(gatekeeper, tmp_path):
    """checkov -d over a folder with nothing it knows prints only a summary: scanned nothing."""
    folder = _project(tmp_path, "  scanners: [evidence/checkov.json]")
    (folder / "evidence" / "checkov.json").write_text(
        '{\n    "passed": 0,\n    "failed": 0,\n    "skipped": 0,\n    "parsing_errors": 0,\n'
        '    "resource_count": 0,\n    "checkov_version": "3.3.30"\n}\n')
    code, iac = _control(gatekeeper, folder, "SDL-iac-scan-clean")
    assert code == 1
    assert iac["outcome"] == "fail"
    assert "checkov evaluated no check: it scanned nothing" in iac["messages"][0]["message"]
    _, inventory = _control(gatekeeper, folder, "INF-iac-scanned")
    assert inventory["outcome"] != "pass"


def test_an_empty_bandit_report_fails_sast(gatekeeper, tmp_path):
    """bandit over a folder without Python files (real bandit output when bandit is
    installed): no file scanned, so inconclusive; and it is read as bandit's, not osv-scanner's
    (an empty report has results: [] like osv-scanner's)."""
    folder = _project(tmp_path, "  scanners: [evidence/bandit.json]")
    report = folder / "evidence" / "bandit.json"
    bandit = shutil.which("bandit")
    if bandit:
        (folder / "empty").mkdir()
        subprocess.run([bandit, "-q", "-r", str(folder / "empty"), "-f", "json", "-o",
                        str(report)], check=True)
    else:
        report.write_text('{"errors": [], "generated_at": "2026-11-28T00:00:00Z", '
                          '"metrics": {"_totals": {"loc": 0, "nosec": 0}}, "results": []}')
    _, sast = _control(gatekeeper, folder, "SDL-sast-clean")
    assert sast["outcome"] == "fail"
    assert "bandit scanned no file" in sast["messages"][0]["message"]
