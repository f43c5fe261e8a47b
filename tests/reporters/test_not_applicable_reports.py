"""Every format renders a control that does not apply to the system's kinds as such: never as
a failure or missing evidence, with the reason where the format has room for one."""

from __future__ import annotations

import base64
import json
import xml.etree.ElementTree as ET

import jsonschema_rs
import pytest
import trestle.core.validator_factory  # noqa: F401 - imported first: all_validator needs it
from conftest import NOW
from test_kinds import LLM_ONLY, classical_project
from test_report_cli import SARIF_SCHEMA
from trestle.core.all_validator import AllValidator
from trestle.oscal.assessment_results import AssessmentResults

from gatekeeper.cli import FORMATS

pytest_plugins = ("reporter_fixtures",)  # key_pair

REASON = "applies to llm-app, rag, agent; this system is classical-ml"


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, str]:
    """Every format of one classical-ml system's results."""
    from reporter_fixtures import write_key_pair

    from gatekeeper.cli import main

    folder = tmp_path_factory.mktemp("na")
    project = classical_project(folder / "churn")
    key, _ = write_key_pair(folder, 7)
    args = ["check", "-c", str(project / "gatekeeper.yaml"), "--now", NOW,
            "--vsa-key", str(key)]
    for name in FORMATS:
        args += ["--output", f"{name}={folder / f'report.{name}'}"]
    with pytest.raises(SystemExit) as exited:
        main(args)
    assert exited.value.code == 1
    return {name: (folder / f"report.{name}").read_text() for name in FORMATS}


def test_the_json_results_carry_outcome_and_reason(reports):
    results = json.loads(reports["json"])
    red_team = next(c for c in results["controls"] if c["id"] == "RTE-red-team-gate")
    assert (red_team["outcome"], red_team["not_applicable"]) == ("not_applicable", REASON)
    assert red_team["messages"] == [] and red_team["applies_to"] == ["llm-app", "rag", "agent"]


def test_the_text_report_says_not_applicable_with_the_reason(reports):
    text = reports["text"]
    row = next(line for line in text.splitlines() if "RTE-red-team-gate" in line)
    assert row.startswith("n/a ") and row.endswith("only for llm-app, rag, agent")
    assert ("n/a: not applicable to this classical-ml system (ai-system.yaml kinds:): not "
            "evaluated, never blocks") in " ".join(text.split())
    assert "NOT_APPLICABLE" not in text  # no detail block: nothing to fix
    assert "not applicable to a classical-ml system, left out of the levels:" in " ".join(
        text.split())
    blocked_by = text[text.index("blocked by:"):]
    assert not any(control in blocked_by for control in LLM_ONLY)


def test_junit_skips_with_the_reason(reports):
    suite = ET.fromstring(reports["junit"])
    case = next(c for c in suite.iter("testcase") if c.get("name") == "RTE-red-team-gate")
    skipped = case.find("skipped")
    assert skipped is not None and skipped.get("message") == f"not applicable: {REASON}"
    assert case.find("failure") is None and case.find("error") is None


def test_sarif_has_no_result_for_them_and_stays_valid(reports):
    sarif = json.loads(reports["sarif"])
    assert not [r for r in sarif["runs"][0]["results"] if r["ruleId"] in LLM_ONLY]
    if SARIF_SCHEMA.is_file():
        validator = jsonschema_rs.validator_for(json.loads(SARIF_SCHEMA.read_text()))
        assert validator.is_valid(sarif)


def test_github_annotates_none_of_them(reports):
    assert not any(control in reports["github"] for control in LLM_ONLY)


def test_markdown_lists_them_apart_with_the_reason(reports):
    markdown = reports["markdown"]
    section = markdown[markdown.index("### Not applicable"):]
    assert f"- {REASON}: " in section and "`RTE-red-team-gate`" in section
    assert "RTE-red-team-gate" not in markdown[:markdown.index("### Not applicable")]


def test_html_shows_the_reason_and_no_score(reports):
    html = reports["html"]
    assert '<span class="badge o-not_applicable">not applicable</span>' in html
    assert REASON in html and "not applicable to a classical-ml system" in html
    assert 'id="control-RTE-red-team-gate"' not in html  # no detail article: nothing to fix


def test_oscal_records_them_as_observations_not_findings(reports):
    oscal = json.loads(reports["oscal"])["assessment-results"]
    assert AllValidator().model_is_valid(AssessmentResults.model_validate(oscal), quiet=True)
    result = oscal["results"][0]
    assert not [f for f in result.get("findings", []) if "RTE-red-team-gate" in f["title"]]
    assert any(p["value"] == "not_applicable" for o in result["observations"]
               for p in o.get("props", []) if p["name"] == "outcome")


def test_the_signed_summary_carries_the_outcome(reports):
    from gatekeeper.reporters.vsa import CONTROLS_FIELD

    envelope = json.loads(reports["vsa"])
    statement = json.loads(base64.b64decode(envelope["payload"]))
    controls = statement["predicate"][CONTROLS_FIELD]
    assert controls["RTE-red-team-gate"]["outcome"] == "not_applicable"
    assert statement["predicate"]["verificationResult"] == "FAILED"  # blocked by the rest
