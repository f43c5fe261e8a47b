"""A terminal report that teaches (issue 20): every failing or no-evidence control says how to
fix it, with the gatekeeper.yaml key it reads and what produces the missing evidence; `gatekeeper
controls` names the keys; a refused exception for a non-waivable control lists the alternatives;
a severity gatekeeper assumed says so."""

from __future__ import annotations

import re
from pathlib import Path

import orjson
from conftest import NOW

from gatekeeper.evidence.scans import checkov
from gatekeeper.evidence.scans.scan_results import ReadOptions


def _blocks(report: str) -> dict[str, str]:
    """The terminal report's detail blocks, by control id."""
    found = {}
    for block in report.split("\n\n"):
        match = re.match(r"(FAIL|NO_EVIDENCE|ERROR)\s+(\S+):", block.strip())
        if match:
            found[match[2]] = " ".join(block.split())
    return found


def _empty_project(tmp_path: Path) -> Path:
    (tmp_path / "gatekeeper.yaml").write_text("version: 1\nsubject: {name: empty}\n")
    return tmp_path


def test_every_failing_or_missing_control_prints_a_fix_with_its_key(gatekeeper, tmp_path):
    folder = _empty_project(tmp_path)
    run = gatekeeper("check", "--now", NOW, "--results", folder / "r.json", cwd=folder)
    results = orjson.loads((folder / "r.json").read_bytes())
    blocks = _blocks(run.out)
    shown = [c for c in results["controls"] if c["outcome"] in ("fail", "no_evidence")]
    assert shown
    for control in shown:
        block = blocks[control["id"]]
        assert "fix: " in block, control["id"]
        for key in control["config_keys"]:
            assert key in block.split("fix: ", 1)[1], (control["id"], key)
    datasheet = blocks["GRC-datasheet-complete"]
    assert "fix: configure evidence.documents.datasheet in gatekeeper.yaml: Answer the" in (
        datasheet)
    sast = blocks["SDL-sast-clean"]
    assert ("fix: configure evidence.scanners in gatekeeper.yaml; produce it with: gatekeeper "
            "evidence run (runs bandit)") in sast
    assert "checkov" not in sast  # only the tools that feed this control
    assert "gatekeeper evidence run (runs checkov)" in blocks["SDL-iac-scan-clean"]


def test_controls_lists_the_config_keys_each_control_reads(gatekeeper):
    run = gatekeeper("controls")
    line = next(row for row in run.out.splitlines() if row.startswith("GRC-datasheet-complete"))
    assert line.endswith("reads: evidence.documents.datasheet")
    listed = orjson.loads(gatekeeper("controls", "--format", "json").out)
    model_card = next(c for c in listed if c["id"] == "GRC-model-card-complete")
    assert model_card["config_keys"] == ["evidence.documents.model_card"]
    signed = next(c for c in listed if c["id"] == "SDL-artifacts-signed")
    assert "artifacts" in signed["config_keys"]  # artifacts is a top-level key


def test_a_non_waivable_refusal_lists_the_alternatives(gatekeeper, tmp_path):
    folder = _empty_project(tmp_path)
    (folder / "gatekeeper.yaml").write_text(
        "version: 1\nsubject: {name: empty}\nexceptions: exceptions.yaml\n")
    (folder / "exceptions.yaml").write_text(
        "version: 1\nexceptions:\n  - id: skip-scan\n    controls: [SDL-model-files-scanned]\n"
        "    justification: the scanner is slow and we trust our models anyway\n"
        "    owner: dev@example.com\n    approved_by: lead@example.com\n"
        "    ticket: SEC-1\n    created: 2026-11-20\n    expires: 2026-12-20\n")
    run = gatekeeper("check", "--now", NOW, cwd=folder)
    assert run.code == 2
    text = " ".join(run.err.split())
    assert "SDL-model-files-scanned cannot be waived" in text
    assert "Instead: fix it (Scan every released model file" in text
    assert "only the organization policy can lift it" in text  # mandatory: true
    assert "a baseline cannot accept it either" in text


def test_a_severity_gatekeeper_assumed_says_so():
    report = {"check_type": "terraform", "results": {
        "failed_checks": [
            {"check_id": "CKV_AWS_20", "check_name": "S3 bucket is public", "severity": None,
             "resource": "aws_s3_bucket.data", "file_path": "/main.tf",
             "file_line_range": [1, 4], "check_result": {"result": "FAILED"}},
            {"check_id": "CKV_AWS_21", "check_name": "S3 versioning", "severity": "LOW",
             "resource": "aws_s3_bucket.data", "file_path": "/main.tf",
             "file_line_range": [1, 4], "check_result": {"result": "FAILED"}},
        ], "passed_checks": [], "skipped_checks": [], "parsing_errors": []},
        "summary": {"checkov_version": "3.3.30"}}
    _, findings = checkov.read(report, "checkov.json", ReadOptions(unscored_severity="high"))
    by_rule = {f["rule_id"]: f for f in findings}
    assert by_rule["CKV_AWS_20"]["severity"] == "high"
    assert by_rule["CKV_AWS_20"]["message"].endswith(
        "(severity assumed high: checkov gives none)")
    assert by_rule["CKV_AWS_21"]["severity"] == "low"
    assert "assumed" not in by_rule["CKV_AWS_21"]["message"]
