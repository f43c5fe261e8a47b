"""End to end: the governance and operations documents of both examples through the CLI, and
broken documents (an ATLAS id that does not exist, a binary file, a malformed date)."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from conftest import EXAMPLES, NOW, copy_example

from gatekeeper.schemas import validation_errors

DOCUMENT_CONTROLS = (
    "GRC-governance-charter-complete", "GRC-dpia-approved", "GRC-external-audit-current",
    "SDL-secure-sdlc-codeowners", "DAT-dpia-privacy-by-design", "IRR-incident-playbooks-defined",
    "IRR-model-rollback-playbook", "IRR-tools-indices-playbook", "IRR-purge-invalidate-playbook",
    "IRR-dr-drill-current", "RTE-threat-model-atlas-stride", "RTE-third-party-red-team-current",
    "HIL-privacy-qa-labeling-drill", "SAF-safety-policy-defined",
)


@pytest.fixture
def model_release(tmp_path) -> Path:
    return Path(copy_example(EXAMPLES / "model-release", tmp_path / "model-release"))


def check(gatekeeper, folder: Path, now: str = NOW):
    run = gatekeeper("check", "--now", now, "--results", folder / "results.json", cwd=folder)
    return run, orjson.loads((folder / "results.json").read_bytes())


def control(results: dict, control_id: str) -> dict:
    return next(c for c in results["controls"] if c["id"] == control_id)


def test_model_release_passes_every_document_control(gatekeeper, model_release):
    run, results = check(gatekeeper, model_release)
    assert run.code == 0, run.out + run.err
    assert validation_errors(results, "results") == []
    for control_id in DOCUMENT_CONTROLS:
        found = control(results, control_id)
        assert (found["outcome"], found["enforcement"]) == ("pass", "blocking"), control_id
    threat_model = control(results, "RTE-threat-model-atlas-stride")
    assert "AML.T0024.002" in threat_model["details"]["atlas_techniques"]
    assert {"documents", "codeowners"} <= {s["collector"] for s in results["evidence"]["sources"]}


def test_unsafe_release_fails_the_threat_model_and_the_dr_drill(gatekeeper, tmp_path):
    folder = Path(copy_example(EXAMPLES / "unsafe-release", tmp_path / "unsafe-release"))
    run, results = check(gatekeeper, folder)
    assert run.code == 1
    threat_model = control(results, "RTE-threat-model-atlas-stride")
    assert threat_model["outcome"] == "fail"
    unknown = next(m for m in threat_model["messages"] if "AML.T0051.004" in m["message"])
    assert unknown == {
        "message": "cites AML.T0051.004, which is not a MITRE ATLAS technique id",
        "finding": "threat_model:unknown-atlas:AML.T0051.004",
        "file": "docs/THREAT_MODEL.md",
        "line": 14,
    }
    assert "(docs/THREAT_MODEL.md:14)" in run.out
    drill = control(results, "IRR-dr-drill-current")
    assert drill["outcome"] == "fail"
    assert "date 2025-03-10 is 628 days old; the limit is 365 days" in [
        m["message"] for m in drill["messages"]
    ]
    assert "FAIL  IRR-dr-drill-current" in run.out
    assert control(results, "IRR-incident-playbooks-defined")["outcome"] == "no_evidence"


def test_documents_go_stale_as_the_run_time_moves(gatekeeper, model_release):
    run, results = check(gatekeeper, model_release, now="2027-11-01T00:00:00Z")
    assert run.code == 1
    stale = {
        c["id"] for c in results["controls"]
        if any(m.get("finding", "").endswith(":stale") for m in c["messages"])
    }
    # Drill 2026-10-07, audit 2026-06-18, red team 2026-08-24, labeling audit 2026-09-29,
    # DPIA approved 2026-10-21: each older than 365 days on 2027-11-01.
    assert stale == {
        "GRC-dpia-approved", "GRC-external-audit-current", "IRR-dr-drill-current",
        "RTE-third-party-red-team-current", "HIL-privacy-qa-labeling-drill",
    }


def test_ages_count_to_the_collection_time(gatekeeper, model_release):
    """A saved evidence document gives the same verdict whenever it is evaluated."""
    assert gatekeeper("collect", "--now", NOW, "-o", "evidence.json", cwd=model_release).code == 0
    run = gatekeeper("evaluate", "evidence.json", "--now", "2028-01-01T00:00:00Z",
                     "--results", "later.json", cwd=model_release)
    assert run.code == 0, run.out
    later = orjson.loads((model_release / "later.json").read_bytes())
    assert control(later, "IRR-dr-drill-current")["outcome"] == "pass"


def test_a_threat_model_citing_a_nonexistent_technique_fails_naming_it(gatekeeper, model_release):
    path = model_release / "docs" / "THREAT_MODEL.md"
    path.write_text(path.read_text().replace("(AML.T0029,", "(AML.T0299,"))
    run, results = check(gatekeeper, model_release)
    assert run.code == 1
    assert "cites AML.T0299, which is not a MITRE ATLAS technique id" in run.out
    assert "blocked by: RTE-threat-model-atlas-stride (fail)" in run.out
    assert control(results, "RTE-threat-model-atlas-stride")["messages"][0]["line"] == 43


@pytest.mark.parametrize(
    ("file", "content", "problem"),
    [
        ("docs/SAFETY_POLICY.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not UTF-8 text"),
        ("docs/SAFETY_POLICY.md", b"# Policy\x00\x00\x00\x00", "a binary file"),
        ("docs/DPIA.md", None, "line 5: approved_on: '2026-10-32' is not a date"),
        ("docs/DR_DRILL_2026-10.md", None, "line 4: date: expected a date, got int"),
        (".github/CODEOWNERS", b"* ml-platform\n", "line 1: 'ml-platform' is not an owner"),
    ],
)
def test_broken_documents_are_errors_naming_the_file(
    gatekeeper, model_release, file, content, problem
):
    path = model_release / file
    if content is None:  # break one date of the real document
        text = path.read_text()
        text = text.replace("approved_on: 2026-10-21", "approved_on: 2026-10-32")
        text = text.replace("date: 2026-10-07", "date: 20261007")
        content = text.encode()
    path.write_bytes(content)
    run = gatekeeper("check", "--now", NOW, cwd=model_release)
    assert run.code == 3, run.out
    assert f"gatekeeper: error: {file}: {problem}" in run.err
    assert "Traceback" not in run.err
    assert not (model_release / "gatekeeper-results.json").exists()


def test_a_document_kind_gatekeeper_does_not_know_is_a_configuration_error(
    gatekeeper, model_release
):
    config = model_release / "gatekeeper.yaml"
    text = config.read_text()
    config.write_text(text.replace("    dpia: docs/DPIA.md", "    dpai: docs/DPIA.md"))
    run = gatekeeper("check", "--now", NOW, cwd=model_release)
    assert run.code == 2
    assert "gatekeeper.yaml: invalid configuration" in run.err and "dpai" in run.err
