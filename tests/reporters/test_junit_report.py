"""JUnit XML: a suite per domain, a case per control, outcomes GitLab and Jenkins can tell apart."""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET

from gatekeeper.catalog import DOMAINS
from gatekeeper.reporters import junit
from gatekeeper.reporters.interface import ReportOptions

pytest_plugins = ("reporter_fixtures",)  # full_results, minimal_results, snapshot


def cases(results) -> dict[str, ET.Element]:
    root = ET.fromstring(junit.render(results))
    return {case.get("name"): case for case in root.iter("testcase")}


def test_snapshot(full_results, snapshot):
    snapshot("full.junit.xml", junit.render(full_results))


def test_a_suite_per_domain_and_totals(full_results):
    root = ET.fromstring(junit.render(full_results))
    suites = root.findall("testsuite")
    names = {d["id"]: d["name"] for d in full_results["maturity"]["domains"]}
    used = [d for d in DOMAINS if any(c["domain"] == d for c in full_results["controls"])]
    assert [s.get("name") for s in suites] == [f"{d} {names[d]}" for d in used]
    assert suites[0].get("name") == "GRC AI Governance, Risk, and Compliance"
    summary = full_results["summary"]
    # a failure is exactly what the verdict blocks on (4 reasons); the blocking missing
    # evidence MOD-model-signed is one of them, not a skip
    blocking = len(full_results["verdict"]["reasons"])
    assert (root.get("tests"), root.get("failures"), root.get("errors"), root.get("skipped")) == (
        str(len(full_results["controls"])), str(blocking), str(summary["error"]),
        str(summary["waived"] + summary["no_evidence"] - 1))
    failed = {c.get("name") for c in root.iter("testcase") if c.find("failure") is not None}
    assert failed == {reason.split(" ")[0] for reason in full_results["verdict"]["reasons"]}
    assert [s.get("tests") for s in suites] == [
        str(sum(c["domain"] == d for c in full_results["controls"])) for d in used]


def test_outcomes_map_to_failure_skipped_and_error(full_results):
    found = cases(full_results)
    failure = found["SDL-model-files-scanned"].find("failure")
    assert failure.get("type") == "fail"
    assert "Use of unsafe operator" in failure.get("message")
    assert "Remediation:" in failure.text
    missing = found["MOD-model-signed"].find("failure")
    assert missing.get("type") == "no evidence"
    assert missing.get("message").startswith("no evidence (needs evidence.model_signatures")
    # a failure the baseline let through does not block: a passing case with a note
    let_through = found["SDL-secrets-clean"]
    assert let_through.find("failure") is None and let_through.find("skipped") is None
    note = let_through.find("system-out").text
    assert note.startswith("fail: let through by the baseline\n- ")
    assert "Possible hardcoded password" in note and "Remediation: Revoke and rotate" in note
    advisory = found["SDL-dependencies-clean"]
    assert advisory.find("failure") is None
    assert advisory.find("system-out").text.startswith("fail: advisory, does not block\n- ")
    assert found["SDL-sbom-present"].find("*") is None
    waiver = next(c["waiver"] for c in full_results["controls"] if c["id"] == "SDL-iac-scan-clean")
    waived = found["SDL-iac-scan-clean"].find("skipped").get("message")
    assert waived == f"waived by iac-scan-pending until 2026-12-12: {waiver['justification']}"
    partly = found["SDL-sast-clean"].find("system-out").text
    assert "(src/train.py:35) [waived by sast-md5-cache-key]" in partly
    let_through_note = found["GRC-model-card-complete"].find("skipped").get("message")
    assert let_through_note == "no evidence (needs evidence.documents); let through by the baseline"
    advisory = found["SDL-container-scan-clean"].find("skipped").get("message")
    assert advisory.endswith("; advisory, does not block")


def test_missing_evidence_on_a_blocking_control_says_it_blocks(minimal_results):
    missing = cases(minimal_results)["GRC-model-card-complete"].find("failure")
    assert missing.get("type") == "no evidence"
    assert missing.get("message") == "no evidence (needs evidence.documents)"


def test_file_paths_are_put_under_the_base(full_results):
    plain = cases(full_results)["SDL-model-files-scanned"].get("file")
    based = {case.get("name"): case for case in ET.fromstring(junit.render(
        full_results, ReportOptions(base="ml"))).iter("testcase")}["SDL-model-files-scanned"]
    assert plain == "release/model.pkl" and based.get("file") == "ml/release/model.pkl"


def test_xml_safe_drops_ansi_and_escapes_forbidden_characters():
    assert junit.xml_safe("\x1b[31mred\x1b[0m") == "red"
    assert junit.xml_safe("a\x00b\x07c\x1fd\ufffee") == "a\\x00b\\x07c\\x1fd\\xfffee"
    assert junit.xml_safe("tab\tline\ncr\r é 😀") == "tab\tline\ncr\r é 😀"


def test_error_and_warning_outcomes(full_results):
    results = copy.deepcopy(full_results)
    by_id = {c["id"]: c for c in results["controls"]}
    by_id["SDL-secrets-clean"].update(outcome="error", messages=[{"message": "engine panic"}])
    by_id["SDL-sbom-present"].update(outcome="warn", warnings=[{"message": "SBOM is 40 days old"}])
    found = cases(results)
    assert found["SDL-secrets-clean"].find("error").get("message") == "engine panic"
    assert found["SDL-sbom-present"].find("system-out").text == "- SBOM is 40 days old"


def test_without_optional_sections(minimal_results):
    found = cases(minimal_results)
    assert found["SDL-sast-clean"].find("failure") is not None
    root = ET.fromstring(junit.render(minimal_results))
    assert root.find("testsuite").get("name") == "GRC"
