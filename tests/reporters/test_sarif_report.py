"""SARIF: valid against the official 2.1.0 schema; a rule per control, a result per finding."""

from __future__ import annotations

import json

import jsonschema_rs
import pytest
from conftest import SCHEMAS, require_shared

from gatekeeper.reporters import sarif
from gatekeeper.reporters.interface import ReportOptions

pytest_plugins = ("reporter_fixtures",)  # full_results, minimal_results, snapshot

SARIF_SCHEMA = SCHEMAS / "sarif-schema-2.1.0.json"


@pytest.fixture(scope="module")
def sarif_validator():
    return jsonschema_rs.validator_for(json.loads(require_shared(SARIF_SCHEMA).read_text()))


def assert_valid(validator, log) -> None:
    errors = [f"{list(e.instance_path)}: {e.message}" for e in validator.iter_errors(log)]
    assert errors == []


def test_snapshot(full_results, snapshot):
    snapshot("full.sarif", sarif.render(full_results))


def test_valid_against_the_official_schema(full_results, minimal_results, sarif_validator):
    for results in (full_results, minimal_results):
        assert_valid(sarif_validator, json.loads(sarif.render(results)))


def test_one_rule_per_control_with_help_severity_and_framework_tags(full_results):
    log = json.loads(sarif.render(full_results))
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [c["id"] for c in full_results["controls"]]
    secrets = next(r for r in rules if r["id"] == "SDL-secrets-clean")
    assert secrets["name"] == "SecretsClean"
    assert secrets["shortDescription"]["text"] == "No secret committed to the release's sources"
    assert secrets["help"]["text"].startswith("Remediation: Revoke and rotate")
    assert secrets["properties"]["security-severity"] == "8.0"
    datasheet = next(r for r in rules if r["id"] == "GRC-datasheet-complete")
    assert {"AML.M0025", "MAP 2.3", "controlTrainingDataManagement"} <= set(
        datasheet["properties"]["tags"])


def test_a_result_per_finding_located_at_its_file_and_line(full_results):
    results = json.loads(sarif.render(full_results))["runs"][0]["results"]
    secret = next(r for r in results if r["ruleId"] == "SDL-secrets-clean")
    location = secret["locations"][0]["physicalLocation"]
    assert location == {"artifactLocation": {"uri": "src/train.py"}, "region": {"startLine": 10}}
    assert secret["level"] == "error"
    # passing controls produce no result; every other message does
    expected = sum(len(c["messages"] or c["warnings"]) for c in full_results["controls"]
                   if c["outcome"] != "pass")
    assert len(results) == expected
    assert all(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results)


def test_missing_evidence_is_located_at_the_configuration(minimal_results):
    options = ReportOptions(base="ml", config_file="gate.yaml")
    results = json.loads(sarif.render(minimal_results, options))
    missing = {c["id"] for c in minimal_results["controls"] if c["outcome"] == "no_evidence"}
    located = {r["ruleId"]: r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
               for r in results["runs"][0]["results"] if r["ruleId"] in missing}
    assert missing and set(located.values()) == {"ml/gate.yaml"}
    advisory = next(r for r in results["runs"][0]["results"]
                    if r["ruleId"] == "SDL-dependencies-clean")
    assert advisory["level"] == "warning"


def test_waived_results_carry_a_suppression_with_the_justification(full_results):
    results = json.loads(sarif.render(full_results))["runs"][0]["results"]
    waived = next(r for r in results if r["ruleId"] == "SDL-iac-scan-clean")
    (suppression,) = waived["suppressions"]
    assert suppression["kind"] == "external" and suppression["status"] == "accepted"
    assert suppression["justification"].startswith("iac-scan-pending: Release 0.3 trains on")
    assert suppression["properties"] == {"exception": "iac-scan-pending", "expires": "2026-12-12"}
    # a finding-scoped waiver suppresses that finding only
    sast = [r for r in results if r["ruleId"] == "SDL-sast-clean"]
    suppressed = [r for r in sast if r.get("suppressions")]
    assert len(sast) == 2 and len(suppressed) == 1
    assert suppressed[0]["message"]["text"].endswith("B324 [high] Use of weak MD5 hash for "
                                                     "security. Consider usedforsecurity=False")
    assert suppressed[0]["suppressions"][0]["justification"].startswith("sast-md5-cache-key: MD5")


def test_the_category_is_the_automation_id_and_the_tool_has_an_information_uri(full_results):
    run = json.loads(sarif.render(full_results, ReportOptions(category="ml/gate")))["runs"][0]
    # code scanning takes the category from automationDetails.id (everything before the last /)
    assert run["automationDetails"]["id"] == "ml/gate/"
    default = json.loads(sarif.render(full_results))["runs"][0]
    assert default["automationDetails"]["id"] == f"gatekeeper/{full_results['subject']['name']}/"
    assert run["tool"]["driver"]["informationUri"] == sarif.INFORMATION_URI


def test_a_result_has_a_region_only_where_a_line_is_known(full_results):
    log = json.loads(sarif.render(full_results))
    by_control = {c["id"]: c for c in full_results["controls"]}
    for result in log["runs"][0]["results"]:
        physical = result["locations"][0]["physicalLocation"]
        lines = {m.get("line") for m in by_control[result["ruleId"]]["messages"]
                 + by_control[result["ruleId"]]["warnings"]}
        if "region" in physical:
            assert physical["region"]["startLine"] in lines
    assert any("region" in r["locations"][0]["physicalLocation"] for r in log["runs"][0]["results"])
