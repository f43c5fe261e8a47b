"""OSCAL assessment results, validated with compliance-trestle's models and validators."""

from __future__ import annotations

import json

import trestle.core.validator_factory  # noqa: F401 - imported first: all_validator needs it
from trestle.core.all_validator import AllValidator
from trestle.oscal.assessment_results import AssessmentResults

from gatekeeper.reporters import oscal

pytest_plugins = ("reporter_fixtures",)  # full_results, minimal_results, snapshot


def parsed(results) -> AssessmentResults:
    document = json.loads(oscal.render(results))
    model = AssessmentResults.model_validate(document["assessment-results"])
    assert AllValidator().model_is_valid(model, quiet=True)
    return model


def test_snapshot(full_results, snapshot):
    snapshot("full.oscal.json", oscal.render(full_results))


def test_valid_for_trestle_with_and_without_optional_sections(full_results, minimal_results):
    parsed(full_results)
    parsed(minimal_results)


def test_an_observation_per_control_with_its_evidence(full_results):
    (result,) = parsed(full_results).results
    assert len(result.observations) == len(full_results["controls"])
    datasheet = next(o for o in result.observations if o.title.startswith("GRC-datasheet"))
    evidence = next(r for r in datasheet.relevant_evidence if r.href == "docs/DATASHEET.md")
    digest = next(s["sha256"] for s in full_results["evidence"]["sources"]
                  if s["path"] == "docs/DATASHEET.md")
    assert evidence.description == f"sha256 {digest}"


def test_findings_for_controls_that_did_not_pass(full_results):
    (result,) = parsed(full_results).results
    targets = sorted(f.target.target_id for f in result.findings)
    assert targets == sorted(c["id"] for c in full_results["controls"]
                             if c["outcome"] in ("fail", "waived", "no_evidence", "error"))
    assert {f.target.status.state.value for f in result.findings} == {"not-satisfied"}
    waived = next(f for f in result.findings if f.target.target_id == "SDL-iac-scan-clean")
    assert waived.remarks.startswith("Waived by exception iac-scan-pending until 2026-12-12")


def test_maturity_scores_are_properties(full_results, minimal_results):
    (result,) = parsed(full_results).results
    props = {(p.name, p.class_): p.value for p in result.props}
    assert props[("maturity-level", "overall")] == "1"
    assert props[("maturity-level", "GRC")] == "1"
    assert props[("maturity-mean", "SDL")] == "0.56"
    assert props[("question-score", "SDL-Q4")] == "2"
    assert props[("verdict", None)] == "fail"
    (plain,) = parsed(minimal_results).results
    assert not [p for p in plain.props if p.name.startswith("maturity")]


def test_the_same_results_give_the_same_document(full_results):
    assert oscal.render(full_results) == oscal.render(json.loads(json.dumps(full_results)))
