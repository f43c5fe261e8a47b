"""Waivers end to end: the unsafe example's exceptions file through `check`, `evaluate`,
`exceptions lint` and `exceptions list`."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLES, NOW, copy_example

from gatekeeper.schemas import validation_errors

UNSAFE = EXAMPLES / "unsafe-release"
ASSETS = Path(__file__).parent / "assets" / "waivers"


def control(results: dict, control_id: str) -> dict:
    return next(c for c in results["controls"] if c["id"] == control_id)


@pytest.fixture
def checked(gatekeeper, tmp_path):
    """The unsafe example checked at NOW: (run, results document)."""
    results_path = tmp_path / "results.json"
    run = gatekeeper("check", "--now", NOW, "--results", results_path, cwd=UNSAFE)
    return run, json.loads(results_path.read_text())


def test_the_example_waives_one_finding_and_still_blocks(checked):
    run, results = checked
    assert run.code == 1, run.err
    assert results["verdict"]["outcome"] == "fail"
    sast = control(results, "SDL-sast-clean")
    assert sast["outcome"] == "fail"
    assert [(m["finding"], m.get("waived_by")) for m in sast["messages"]] == [
        ("B324@src/train.py:35", "sast-md5-cache-key"),
        ("B602@src/train.py:29", None),
    ]
    assert any(r.startswith("SDL-sast-clean fail: B602") for r in results["verdict"]["reasons"])
    assert validation_errors(results, "results") == []


def test_the_example_reports_applied_expired_and_expiring(checked):
    _, results = checked
    section = results["exceptions"]
    assert section["file"] == "gatekeeper-exceptions.yaml"
    assert [e["id"] for e in section["applied"]] == ["sast-md5-cache-key", "iac-scan-pending"]
    assert [e["id"] for e in section["expired"]] == ["datasheet-backfill"]
    assert [(e["id"], e["days_left"]) for e in section["expiring"]] == [("iac-scan-pending", 13)]
    assert section["unused"] == []
    assert control(results, "GRC-datasheet-complete")["outcome"] == "fail"  # expired: no effect
    iac = control(results, "SDL-iac-scan-clean")
    assert iac["outcome"] == "waived"  # missing evidence, excepted by an entry without findings
    assert iac["waiver"]["exception"] == "iac-scan-pending"
    assert results["summary"]["waived"] == 1


def test_the_text_report_shows_every_waiver_in_80_columns(checked):
    run, _ = checked
    out = run.out
    assert "(src/train.py:35) [waived by sast-md5-cache-key]" in out
    # The column widths follow the longest control id, which grows as controls are added.
    assert re.search(r"^waived +SDL-iac-scan-clean +waived by iac-scan-pending until", out, re.M)
    summary = re.search(r"^\d+ controls: ", out, re.M)
    block = out[out.index("EXCEPTIONS  gatekeeper-exceptions.yaml"):summary.start()]
    assert "applied   sast-md5-cache-key: waives SDL-sast-clean (B324@src/train.py:35;" in block
    assert "control still fails" in block
    assert "WARNING   iac-scan-pending expires in 13 days (2026-12-11)" in block
    assert "expired   datasheet-backfill expired 2026-10-29: no effect on" in block
    assert all(len(line) <= 80 for line in block.splitlines())


def test_waivers_expire_without_anyone_editing_the_file(gatekeeper, tmp_path):
    results_path = tmp_path / "results.json"
    run = gatekeeper(
        "check", "--now", "2027-02-17T00:00:00Z", "--results", results_path, cwd=UNSAFE
    )
    results = json.loads(results_path.read_text())
    assert run.code == 1
    assert [e["id"] for e in results["exceptions"]["expired"]] == [
        "sast-md5-cache-key", "datasheet-backfill", "iac-scan-pending",
    ]
    assert results["summary"]["waived"] == 0
    assert control(results, "SDL-iac-scan-clean")["outcome"] == "fail"


def test_evaluate_applies_the_same_waivers(gatekeeper, tmp_path, checked):
    _, checked_results = checked
    evidence = tmp_path / "evidence.json"
    assert gatekeeper("collect", "--now", NOW, "-o", evidence, cwd=UNSAFE).code == 0
    results_path = tmp_path / "evaluated.json"
    run = gatekeeper("evaluate", evidence, "--now", NOW, "--results", results_path, cwd=UNSAFE)
    evaluated = json.loads(results_path.read_text())
    assert run.code == 1
    assert evaluated["exceptions"] == checked_results["exceptions"]
    assert evaluated["controls"] == checked_results["controls"]


def test_waivers_option_overrides_the_configured_file(gatekeeper, tmp_path):
    results_path = tmp_path / "results.json"
    run = gatekeeper(
        "check", "--now", NOW, "--exceptions", ASSETS / "valid.yaml", "--results", results_path,
        cwd=UNSAFE,
    )
    results = json.loads(results_path.read_text())
    assert run.code == 1
    assert results["exceptions"]["file"] == str(ASSETS / "valid.yaml")
    assert [e["id"] for e in results["exceptions"]["applied"]] == ["sast-md5", "model-card"]


def test_a_broken_waivers_file_stops_the_gate_before_anything_runs(gatekeeper, tmp_path):
    results_path = tmp_path / "results.json"
    run = gatekeeper(
        "check", "--now", NOW, "--exceptions", ASSETS / "self-approval.yaml",
        "--results", results_path, cwd=UNSAFE,
    )
    assert run.code == 2
    assert "self-approval.yaml" in run.err and "self-approval" in run.err
    assert not results_path.exists()


def test_the_waivers_file_is_read_before_the_evidence(gatekeeper, tmp_path):
    (tmp_path / "gatekeeper.yaml").write_text(
        "version: 1\nsubject: {name: demo}\nevidence: {sbom: [missing.cdx.json]}\n"
    )
    assert gatekeeper("check", "--now", NOW, cwd=tmp_path).code == 3
    run = gatekeeper("check", "--now", NOW, "--exceptions", ASSETS / "lifetime.yaml", cwd=tmp_path)
    assert run.code == 2
    assert "lifetime.yaml" in run.err


def test_waivers_policy_sets_the_cap_and_the_window(gatekeeper, tmp_path):
    copy_example(UNSAFE, tmp_path / "release")
    config = tmp_path / "release" / "gatekeeper.yaml"
    config.write_text(
        config.read_text() + "\nexceptions_policy:\n  max_lifetime_days: 60\n"
    )
    run = gatekeeper("check", "--now", NOW, cwd=tmp_path / "release")
    assert run.code == 2
    assert "waiver 'sast-md5-cache-key' (exceptions[0]): lifetime:" in run.err
    assert "more than the cap of 60" in run.err
    lint = gatekeeper(
        "exceptions", "lint", "gatekeeper-exceptions.yaml", "-c", config, cwd=tmp_path / "release"
    )
    assert lint.code == 2 and "cap of 60" in lint.err


def test_an_unknown_waivers_policy_key_is_a_config_error(gatekeeper, tmp_path):
    (tmp_path / "gatekeeper.yaml").write_text(
        "version: 1\nsubject: {name: demo}\nexceptions_policy: {max_days: 30}\n"
    )
    run = gatekeeper("check", "--now", NOW, cwd=tmp_path)
    assert run.code == 2
    assert "exceptions_policy" in run.err


def test_list_shows_status_and_filters_what_expires(gatekeeper):
    run = gatekeeper(
        "exceptions", "list", "gatekeeper-exceptions.yaml", "--now", NOW, cwd=UNSAFE
    )
    assert run.code == 0, run.err
    assert run.out.splitlines() == [
        "ID                        STATUS    EXPIRES      LEFT  CONTROLS",
        "sast-md5-cache-key        active    2027-02-16    80d  SDL-sast-clean",
        "datasheet-backfill        expired   2026-10-29      -  GRC-datasheet-complete",
        "iac-scan-pending          expiring  2026-12-11    13d  SDL-iac-scan-clean",
    ]
    run = gatekeeper(
        "exceptions", "list", "gatekeeper-exceptions.yaml", "--expiring", "14", "--format",
        "json", "--now", NOW, cwd=UNSAFE,
    )
    listed = json.loads(run.out)
    assert [(e["id"], e["status"], e["expiring"]) for e in listed["exceptions"]] == [
        ("iac-scan-pending", "active", True)
    ]


@pytest.mark.parametrize("group", ["exceptions", "waivers"])
def test_lint_accepts_the_example_file(gatekeeper, group):
    run = gatekeeper(
        group, "lint", "gatekeeper-exceptions.yaml", "-c", "gatekeeper.yaml",
        "--now", NOW, cwd=UNSAFE,
    )
    assert run.code == 0, run.err
    assert "gatekeeper-exceptions.yaml: 3 exceptions, valid" in run.out
    assert "note: datasheet-backfill expired on 2026-10-29: no effect, remove it" in run.out
    assert "warning: iac-scan-pending expires in 13 days (2026-12-11)" in run.out


def test_lint_knows_the_controls_of_extra_policy_folders(gatekeeper, tmp_path):
    text = (ASSETS / "unknown-control.yaml").read_text().replace("SDL-sast-cleen", "SDL-custom")
    (tmp_path / "exceptions.yaml").write_text(text)
    assert gatekeeper("exceptions", "lint", tmp_path / "exceptions.yaml").code == 2
    policy = tmp_path / "policies" / "sdl"
    policy.mkdir(parents=True)
    shutil.copy(
        EXAMPLES.parent / "policies" / "sdl" / "sbom_present.rego", policy / "custom.rego"
    )
    rego = (policy / "custom.rego").read_text()
    (policy / "custom.rego").write_text(rego.replace("sdl.sbom_present", "sdl.custom"))
    run = gatekeeper(
        "exceptions", "lint", tmp_path / "exceptions.yaml", "--policy", tmp_path / "policies"
    )
    assert run.code == 0, run.err
