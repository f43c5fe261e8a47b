"""What a team gaming its scan controls would try (issue 13 items 2, 3, 7, 8; issue 20 item 4).

Each case is a lenient reading that once let a failing scan control pass: a SARIF log bent out
of shape, a suppression nobody trusted, a path that names another file, a scan of nothing, a
key given twice, a fingerprint that moves every day. Reader-level cases assert the error and
its exit code (3) and pointer; gate-level cases run `gatekeeper check` and assert the exit
code, the scan control's outcome, and that the results document is whole.
"""

from pathlib import Path

import orjson
import pytest
from conftest import EXAMPLES, copy_example

from gatekeeper.config import Enforcement
from gatekeeper.engine.interface import decision_from_values
from gatekeeper.engine.policies import Control
from gatekeeper.errors import (
    EXIT_CONFIG_ERROR,
    EXIT_EVIDENCE_ERROR,
    EXIT_GATE_FAILED,
    ConfigError,
    EvidenceError,
)
from gatekeeper.evidence.context import CollectContext
from gatekeeper.evidence.scans.checkov import read as read_checkov
from gatekeeper.evidence.scans.sarif import read_log
from gatekeeper.evidence.scans.scan_results import ReadOptions, entry_options, repository_path
from gatekeeper.results import Outcome, control_result


def result(**extra):
    return {"ruleId": "B602", "level": "error", "message": {"text": "shell=True"},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": "src/app.py"},
                                                "region": {"startLine": 5}}}], **extra}


def run(**extra):
    return {"tool": {"driver": {"name": "bandit"}}, "results": [result()], **extra}


def sarif(*runs) -> bytes:
    return orjson.dumps({"version": "2.1.0", "runs": list(runs)})


def refused(data: bytes, pointer: str, problem: str) -> None:
    with pytest.raises(EvidenceError) as error:
        read_log(data, "evidence/x.sarif", None)
    assert error.value.exit_code == EXIT_EVIDENCE_ERROR
    text = str(error.value)
    assert text.startswith("evidence/x.sarif: ") and pointer in text and problem in text


def inconclusive(data: bytes, reason: str) -> None:
    scans, _ = read_log(data, "evidence/x.sarif", None)
    assert scans[0]["inconclusive"] is True
    assert any(reason in skipped["reason"] for skipped in scans[0]["skipped"])


# --- SARIF read by the spec -------------------------------------------------------------------


@pytest.mark.parametrize("score", ["NaN", "-1", "11", "high", "", True, [], {}, -0.5, 10.01])
def test_a_security_severity_outside_0_to_10_is_refused_with_its_pointer(score):
    data = sarif(run(results=[result(properties={"security-severity": score})]))
    refused(data, "/runs/0/results/0/properties/security-severity", "number in [0, 10]")


def test_a_rule_security_severity_is_checked_too():
    rules = [{"id": "B602", "properties": {"security-severity": "Infinity"}}]
    data = sarif(run(tool={"driver": {"name": "bandit", "rules": rules}}))
    refused(data, "/runs/0/tool/driver/rules/0/properties/security-severity", "[0, 10]")


@pytest.mark.parametrize(("results", "pointer", "problem"), [
    ("[]", "/runs/0/results", "expected an array or null, got a string"),
    ({"0": result()}, "/runs/0/results", "expected an array or null, got an object"),
    (["B602"], "/runs/0/results/0", "expected an object, got a string"),
    ([result(), None], "/runs/0/results/1", "expected an object, got null"),
])
def test_results_of_the_wrong_shape_are_refused_not_skipped(results, pointer, problem):
    refused(sarif(run(results=results)), pointer, problem)


def test_an_artifact_location_that_is_a_string_is_refused():
    bad = result(locations=[{"physicalLocation": {"artifactLocation": "x"}}])
    refused(sarif(run(results=[bad])), "/runs/0/results/0/locations/0/physicalLocation/"
            "artifactLocation", "expected an object, got a string")


@pytest.mark.parametrize(("extra", "pointer"), [
    ({"level": ["x"]}, "/runs/0/results/0/level"),
    ({"level": "fatal"}, "/runs/0/results/0/level"),
    ({"kind": "pass!"}, "/runs/0/results/0/kind"),
    ({"ruleIndex": "0"}, "/runs/0/results/0/ruleIndex"),
    ({"message": "shell=True"}, "/runs/0/results/0/message"),
    ({"suppressions": [{"kind": "inSource", "status": "maybe"}]},
     "/runs/0/results/0/suppressions/0/status"),
    ({"suppressions": {"kind": "inSource"}}, "/runs/0/results/0/suppressions"),
    ({"baselineState": "gone"}, "/runs/0/results/0/baselineState"),
])
def test_a_wrong_type_or_value_anywhere_is_refused(extra, pointer):
    refused(sarif(run(results=[result(**extra)])), pointer, "")


@pytest.mark.parametrize(("run_extra", "pointer", "problem"), [
    ({"tool": {"driver": {"name": "bandit", "version": ["1"]}}}, "/runs/0/tool/driver/version",
     "expected a string, got an array"),
    ({"tool": {"driver": {"name": "bandit", "rules": [{"id": "B602", "shortDescription": "x"}]}}},
     "/runs/0/tool/driver/rules/0/shortDescription", "expected an object, got a string"),
    ({"tool": {"driver": {"name": "bandit", "rules": [
        {"id": "B602", "defaultConfiguration": {"level": "fatal"}}]}}},
     "/runs/0/tool/driver/rules/0/defaultConfiguration/level", "'fatal' is not one of error, "
     "none, note, warning"),
    ({"properties": "x"}, "/runs/0/properties", "expected an object, got a string"),
    ({"artifacts": [None]}, "/runs/0/artifacts/0", "expected an object, got null"),
    ({"tool": {}}, "/runs/0/tool", "a tool must have a 'driver'"),
    ({"tool": None}, "/runs/0/tool", "expected an object, got null"),
    ({"invocations": [{"executionSuccessful": "yes"}]},
     "/runs/0/invocations/0/executionSuccessful", "expected a boolean, got a string"),
    ({"invocations": [{"executionSuccessful": True, "toolExecutionNotifications": [
        {"level": "fatal"}]}]},
     "/runs/0/invocations/0/toolExecutionNotifications/0/level", "is not one of"),
])
def test_every_field_read_is_typed_even_where_it_is_read_only_sometimes(run_extra, pointer,
                                                                        problem):
    # a rule's shortDescription is read only when a result has no message, a driver's version
    # only without a semanticVersion: typed all the same, so a log cannot read one way or
    # another depending on which results it holds
    refused(sarif(run(**run_extra)), pointer, problem)


def test_a_run_without_a_tool_is_refused_in_the_words_of_the_spec():
    refused(sarif({"results": []}), "/runs/0", "a run must name its tool ('tool.driver')")


@pytest.mark.parametrize("value", [5.5, True, "5", None])
def test_a_start_line_that_is_not_an_integer_is_refused(value):
    bad = result(locations=[{"physicalLocation": {"artifactLocation": {"uri": "a.py"},
                                                  "region": {"startLine": value}}}])
    refused(sarif(run(results=[bad])), "region/startLine", "expected an integer")


def test_an_integral_number_is_an_integer_as_json_schema_says_with_the_same_key():
    # JSON Schema (and so the SARIF schema) counts 5.0 as the integer 5: the finding must be
    # the one 5 gives, not a second finding whose key says "5.0"
    def read(line, index):
        located = result(ruleIndex=index, locations=[{"physicalLocation": {
            "artifactLocation": {"uri": "src/app.py"}, "region": {"startLine": line}}}])
        rules = [{"id": "B602", "name": "subprocess_popen_with_shell_equals_true"}]
        log = run(tool={"driver": {"name": "bandit", "rules": rules}}, results=[located])
        return read_log(sarif(log), "x.sarif", None)[1]
    assert read(5.0, 0.0) == read(5, 0)
    assert read(5.0, 0.0)[0]["key"] == "B602@src/app.py:5"
    assert read(5.0, 0.0)[0]["rule_name"] == "subprocess_popen_with_shell_equals_true"


def test_rule_index_wins_over_a_rule_id_that_two_rules_share():
    rules = [{"id": "B602", "name": "first"}, {"id": "B602", "name": "second"}]
    log = run(tool={"driver": {"name": "bandit", "rules": rules}}, results=[result(ruleIndex=1)])
    assert read_log(sarif(log), "x.sarif", None)[1][0]["rule_name"] == "second"
    log["results"] = [result(ruleIndex=2)]  # out of range: the rule id decides
    assert read_log(sarif(log), "x.sarif", None)[1][0]["rule_name"] == "first"
    log["tool"]["driver"]["rules"] = [{"id": "B101", "name": "zero"}, *rules]
    log["results"] = [result(ruleIndex=0)]  # index 0 is a rule too, whatever the rule id says
    assert read_log(sarif(log), "x.sarif", None)[1][0]["rule_name"] == "zero"


def test_a_rule_reference_names_the_rule_when_there_is_no_rule_id():
    rules = [{"id": "B101", "name": "assert_used"}, {"id": "B602", "name": "shell"}]
    bare = {key: value for key, value in result().items() if key != "ruleId"}
    log = run(tool={"driver": {"name": "bandit", "rules": rules}},
              results=[{**bare, "rule": {"id": "B602"}}])
    found = read_log(sarif(log), "x.sarif", None)[1][0]
    assert (found["rule_id"], found["rule_name"]) == ("B602", "shell")


@pytest.mark.parametrize("line", [0, -1])
def test_a_start_line_below_1_is_no_line(line):
    located = result(locations=[{"physicalLocation": {"artifactLocation": {"uri": "src/app.py"},
                                                      "region": {"startLine": line}}}])
    found = read_log(sarif(run(results=[located])), "x.sarif", None)[1][0]
    assert found["line"] is None and found["key"] == "B602@src/app.py"


def test_a_pass_result_is_checked_as_strictly_as_a_failure():
    # a "pass" result is dropped, but not before its fields are checked
    bad = result(kind="pass", properties={"security-severity": "NaN"})
    refused(sarif(run(results=[bad])), "/runs/0/results/0/properties", "[0, 10]")


@pytest.mark.parametrize(("shape", "reason"), [
    ({"results": None}, "'results' is null"),
    ({}, "'results' is absent"),
    ({"invocations": [{"executionSuccessful": False}]}, "executionSuccessful: false"),
    ({"invocations": [{"executionSuccessful": True, "toolExecutionNotifications": [
        {"level": "error", "message": {"text": "parser crashed"}}]}]}, "parser crashed"),
    ({"artifacts": [], "results": []}, "scanned nothing"),
])
def test_a_failed_or_empty_run_is_inconclusive_not_clean(shape, reason):
    base = {"tool": {"driver": {"name": "bandit"}}, "results": []}
    if "results" not in shape and shape == {}:
        del base["results"]
    inconclusive(sarif({**base, **shape}), reason)


def test_a_warning_notification_or_listed_artifacts_keep_a_clean_run_clean():
    note = {"level": "warning", "message": {"text": "slow"}}
    clean = {"tool": {"driver": {"name": "bandit"}}, "results": [],
             "artifacts": [{"location": {"uri": "src/app.py"}}],
             "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": [note]}]}
    scans, findings = read_log(sarif(clean), "x.sarif", None)
    assert scans[0]["inconclusive"] is False and findings == []


def test_an_invocation_without_execution_successful_is_refused():
    refused(sarif(run(invocations=[{}])), "/runs/0/invocations/0", "executionSuccessful")


def test_duplicate_keys_are_refused():
    data = (b'{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "bandit"}}, '
            b'"results": [{"ruleId": "B602", "level": "error", "level": "note", '
            b'"message": {"text": "x"}}]}]}')
    with pytest.raises(EvidenceError) as error:
        read_log(data, "evidence/x.sarif", None)
    assert error.value.exit_code == EXIT_EVIDENCE_ERROR and "'level' appears twice" in str(
        error.value)


def test_nan_literals_are_not_json():
    data = (b'{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "bandit"}}, '
            b'"results": [{"ruleId": "B602", "message": {"text": "x"}, '
            b'"properties": {"security-severity": NaN}}]}]}')
    with pytest.raises(EvidenceError, match="malformed JSON"):
        read_log(data, "evidence/x.sarif", None)


# --- paths and keys ---------------------------------------------------------------------------


def located(uri: str):
    return result(locations=[{"physicalLocation": {"artifactLocation": {"uri": uri},
                                                   "region": {"startLine": 1}}}])


@pytest.mark.parametrize("uri", ["../outside.py", "src/../../outside.py", "..", "%2E%2E/x.py"])
def test_a_uri_that_climbs_out_of_the_repository_is_refused(uri):
    refused(sarif(run(results=[located(uri)])), "artifactLocation/uri", "outside the repository")


def test_dot_dot_inside_the_repository_is_normalised_to_the_real_file():
    _, findings = read_log(sarif(run(results=[located("src/../deploy/./Dockerfile")])), "x", None)
    assert findings[0]["file"] == "deploy/Dockerfile"
    assert findings[0]["key"] == "B602@deploy/Dockerfile:1"


def test_absolute_uris_inside_the_repository_become_repository_paths(tmp_path):
    opts = ReadOptions(base=tmp_path.as_posix())
    for uri in (f"file://{tmp_path.as_posix()}/src/app.py", f"{tmp_path.as_posix()}/src/app.py"):
        _, findings = read_log(sarif(run(results=[located(uri)])), "x", None, opts)
        assert findings[0]["file"] == "src/app.py"


def test_an_absolute_uri_outside_the_repository_still_counts_but_names_no_repository_file(
        tmp_path):
    opts = ReadOptions(base=(tmp_path / "repo").as_posix())
    _, findings = read_log(sarif(run(results=[located("file:///etc/src/app.py")])), "x", None,
                           opts)
    assert findings[0]["file"] == "/etc/src/app.py"
    assert findings[0]["severity"] == "high" and findings[0]["suppressed"] is False


def test_root_moves_relative_paths_and_cannot_leave_the_repository(tmp_path):
    (tmp_path / "deploy").mkdir()
    context = CollectContext(base_dir=tmp_path)
    opts = entry_options({"path": "x", "root": "deploy"}, context, "evidence.sarif[0]")
    assert repository_path("Dockerfile", opts, "x") == "deploy/Dockerfile"
    for root in ("..", "/etc", "deploy/../..", "missing"):
        with pytest.raises(ConfigError) as error:
            entry_options({"path": "x", "root": root}, context, "evidence.sarif[0]")
        assert error.value.exit_code == EXIT_CONFIG_ERROR and "evidence.sarif[0].root" in str(
            error.value)


def checkov_report(path: str, repo_path: str):
    check = {"check_id": "CKV_DOCKER_2", "check_name": "HEALTHCHECK", "resource": "x",
             "file_path": path, "repo_file_path": repo_path, "file_line_range": [1, 2]}
    return {"check_type": "dockerfile", "results": {
        "passed_checks": [check], "failed_checks": [], "skipped_checks": [],
        "parsing_errors": []}, "summary": {"checkov_version": "3.2.0"}}


def test_a_dockerfile_scanned_elsewhere_is_not_the_one_in_the_repository(tmp_path):
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor/Dockerfile").write_text("FROM scratch\n")
    context = CollectContext(base_dir=tmp_path)
    runs, _ = read_checkov(checkov_report("/Dockerfile", "/vendor/Dockerfile"), "c.json",
                           entry_options({}, context, "s"))
    assert runs[0]["scanned_files"] == ["vendor/Dockerfile"]


def test_a_checkov_report_of_nothing_is_inconclusive():
    summary = {"passed": 0, "failed": 0, "skipped": 0, "parsing_errors": 0,
               "resource_count": 0, "checkov_version": "3.2.0"}
    runs, findings = read_checkov(summary, "c.json", ReadOptions())
    assert runs[0]["inconclusive"] is True and findings == []
    assert runs[0]["skipped"][0]["reason"] == "checkov evaluated no check: it scanned nothing"


# --- the gate: suppressions, empty scans, inconclusive runs ----------------------------------


def project(tmp_path: Path, log: dict, **entry) -> Path:
    (tmp_path / "src").mkdir(parents=True, exist_ok=True)
    (tmp_path / "bandit.sarif").write_bytes(orjson.dumps(log))
    settings = "".join(f"\n      {key}: {str(value).lower()}" for key, value in entry.items())
    (tmp_path / "gatekeeper.yaml").write_text(
        "version: 1\nsubject: {name: demo, version: 1.0.0}\n"
        f"evidence:\n  sarif:\n    - path: bandit.sarif{settings}\n")
    return tmp_path


def sast_outcome(gatekeeper, folder: Path):
    ran = gatekeeper("check", "-c", folder / "gatekeeper.yaml", "-f", "json", "-o",
                     folder / "results.json", cwd=folder)
    document = orjson.loads((folder / "results.json").read_bytes())
    assert document["verdict"]["exit_code"] == ran.code  # the whole document was written
    assert len(document["controls"]) == sum(document["summary"].values())
    control = next(c for c in document["controls"] if c["id"] == "SDL-sast-clean")
    return ran.code, control


def suppressed_log(status="accepted", justification="reviewed: constant command"):
    suppression = {"kind": "inSource", "status": status, "justification": justification}
    return {"version": "2.1.0", "runs": [run(results=[result(suppressions=[suppression])])]}


def test_an_untrusted_in_source_suppression_still_fails_the_control(tmp_path, gatekeeper):
    code, control = sast_outcome(gatekeeper, project(tmp_path, suppressed_log()))
    assert code == EXIT_GATE_FAILED and control["outcome"] == "fail"
    assert "not trusted" in control["messages"][0]["message"]


def test_a_trusted_suppression_is_waived_and_listed_not_passed(tmp_path, gatekeeper):
    folder = project(tmp_path, suppressed_log(), trust_suppressions=True)
    code, control = sast_outcome(gatekeeper, folder)
    assert code == EXIT_GATE_FAILED  # other controls lack evidence; this one is not a pass
    assert control["outcome"] == "waived"
    assert control["waiver"]["exception"] == "in-source suppression (bandit)"
    assert control["waiver"]["justification"] == "reviewed: constant command"
    assert control["messages"][0]["waived_by"] == "in-source suppression (bandit)"
    text = gatekeeper("report", folder / "results.json", "-f", "markdown").out
    assert "in-source suppression (bandit)" in text


def test_trust_does_not_cover_a_rejected_or_pending_suppression(tmp_path, gatekeeper):
    for status in ("rejected", "underReview"):
        folder = project(tmp_path / status, suppressed_log(status), trust_suppressions=True)
        code, control = sast_outcome(gatekeeper, folder)
        assert code == EXIT_GATE_FAILED and control["outcome"] == "fail"


def test_a_trusted_suppression_does_not_hide_another_finding(tmp_path, gatekeeper):
    log = suppressed_log()
    log["runs"][0]["results"].append(result(ruleId="B603"))
    code, control = sast_outcome(gatekeeper, project(tmp_path, log, trust_suppressions=True))
    assert code == EXIT_GATE_FAILED and control["outcome"] == "fail"
    open_messages = [m for m in control["messages"] if "waived_by" not in m]
    assert [m["finding"] for m in open_messages] == ["B603@src/app.py:5"]


@pytest.mark.parametrize("shape", [
    {"results": None},
    {"invocations": [{"executionSuccessful": False}], "results": []},
    {"artifacts": [], "results": []},
])
def test_a_failed_or_empty_scan_fails_the_control_as_inconclusive(tmp_path, gatekeeper, shape):
    log = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "bandit"}}, **shape}]}
    code, control = sast_outcome(gatekeeper, project(tmp_path, log))
    assert code == EXIT_GATE_FAILED and control["outcome"] == "fail"
    assert "is inconclusive" in control["messages"][0]["message"]


def test_a_lenient_shape_stops_the_gate_with_exit_3(tmp_path, gatekeeper):
    log = {"version": "2.1.0", "runs": [run(results="[]")]}
    folder = project(tmp_path, log)
    ran = gatekeeper("check", "-c", folder / "gatekeeper.yaml", "-f", "json", "-o",
                     folder / "results.json", cwd=folder)
    assert ran.code == EXIT_EVIDENCE_ERROR and "/runs/0/results" in ran.err
    assert not (folder / "results.json").exists()  # no partial results document


# --- fingerprints -----------------------------------------------------------------------------


def fingerprints(gatekeeper, folder: Path, now: str) -> dict[str, str]:
    out = folder / f"{now[:10]}.sarif"
    gatekeeper("check", "--now", now, "-f", "sarif", "-o", out, cwd=folder)
    log = orjson.loads(out.read_bytes())
    return {r["partialFingerprints"]["gatekeeperFinding/v2"]: r["message"]["text"]
            for r in log["runs"][0]["results"]}


@pytest.mark.parametrize("example", ["unsafe-release", "model-release"])
def test_fingerprints_do_not_move_when_the_evidence_ages_a_day(tmp_path, gatekeeper, example):
    folder = copy_example(EXAMPLES / example, tmp_path / example)
    today = fingerprints(gatekeeper, folder, "2026-12-02T12:00:00Z")
    tomorrow = fingerprints(gatekeeper, folder, "2026-12-03T12:00:00Z")
    assert set(today) == set(tomorrow) and today
    if example == "unsafe-release":  # its stale drill says "N days old": the text moved
        assert any("days old" in text for text in today.values())
        assert set(today.values()) != set(tomorrow.values())


def test_a_message_without_a_finding_key_keeps_its_fingerprint_when_a_number_changes():
    from gatekeeper.reporters.sarif import _fingerprint

    old = {"message": "the last drill is 1035 days old", "file": "docs/DR.md"}
    older = {"message": "the last drill is 1036 days old", "file": "docs/DR.md"}
    other = {"message": "the last drill is 1035 days old", "file": "docs/OTHER.md"}
    assert _fingerprint("IRR-x", old) == _fingerprint("IRR-x", older)
    assert _fingerprint("IRR-x", old) != _fingerprint("IRR-x", other)
    keyed = {"message": "a is 3 days old", "finding": "bundle-a", "file": "a.json"}
    assert _fingerprint("SDL-x", keyed) == _fingerprint("SDL-x", {**keyed, "message": "other"})


def test_checkov_repo_path_wins_over_a_same_named_file_at_the_scan_root(tmp_path):
    for folder in (tmp_path, tmp_path / "vendor"):
        folder.mkdir(exist_ok=True)
        (folder / "Dockerfile").write_text("FROM scratch\n")
    context = CollectContext(base_dir=tmp_path)
    runs, _ = read_checkov(checkov_report("/Dockerfile", "/vendor/Dockerfile"), "c.json",
                           entry_options({}, context, "s"))
    assert runs[0]["scanned_files"] == ["vendor/Dockerfile"]


# --- the engine's "suppressed" rule -----------------------------------------------------------

SAST = Control(id="SDL-sast-clean", package="gatekeeper.controls.sdl.sast_clean",
               path=Path("policies/sdl/sast_clean.rego"), title="t", description="d",
               remediation="r", severity="high", questions=(), waivable=True,
               evidence=("sarif",))
WAIVED_ENTRY = {"msg": "B602 [high] shell", "finding": "B602@src/app.py:5", "file": "src/app.py",
                "line": 5, "waived_by": "in-source suppression (bandit)",
                "justification": "reviewed"}


def test_only_trusted_suppressions_make_the_control_waived_never_pass():
    decision = decision_from_values(True, [], [], None, None, [WAIVED_ENTRY])
    outcome = control_result(SAST, Enforcement.BLOCKING, decision, [])
    assert outcome.outcome is Outcome.WAIVED and not outcome.blocks
    assert outcome.extra["waiver"]["exception"] == "in-source suppression (bandit)"
    assert outcome.extra["waiver"]["justification"] == "reviewed"


def test_a_denied_finding_beside_a_suppressed_one_still_fails():
    denied = {**WAIVED_ENTRY, "finding": "B603@src/app.py:9"}
    del denied["waived_by"]
    decision = decision_from_values(True, [denied], [], None, None, [WAIVED_ENTRY])
    outcome = control_result(SAST, Enforcement.BLOCKING, decision, [])
    assert outcome.outcome is Outcome.FAIL and outcome.blocks
    assert [m.finding for m in outcome.open_messages] == ["B603@src/app.py:9"]
    listed = [(m.finding, m.waived_by) for m in outcome.messages if m.waived_by]
    assert listed == [("B602@src/app.py:5", "in-source suppression (bandit)")]


def test_a_suppressed_entry_that_names_no_waiver_is_an_error_not_a_waiver():
    anonymous = {key: value for key, value in WAIVED_ENTRY.items() if key != "waived_by"}
    decision = decision_from_values(True, [], [], None, None, [anonymous])
    outcome = control_result(SAST, Enforcement.BLOCKING, decision, [])
    assert outcome.outcome is Outcome.ERROR and outcome.blocks
    assert decision_from_values(True, [], [], None, None, "x").error == (
        "'suppressed' must be a set, got str")


def test_a_uri_base_inside_this_checkout_resolves_paths_without_root(tmp_path):
    log = orjson.loads((EXAMPLES.parent / "tests/assets/scan-pairs/repo/evidence/"
                        "trivy-config.sarif").read_bytes())
    here = {"ROOTPATH": {"uri": f"file://{tmp_path.as_posix()}/deploy/"}}
    elsewhere = {"ROOTPATH": {"uri": "file:///home/runner/work/app/deploy/"}}
    files = {}
    for name, bases in (("here", here), ("elsewhere", elsewhere)):
        log["runs"][0]["originalUriBaseIds"] = bases
        _, findings = read_log(orjson.dumps(log), "t.sarif", None,
                               ReadOptions(base=tmp_path.as_posix()))
        files[name] = {f["file"] for f in findings}
    assert files == {"here": {"deploy/Dockerfile"}, "elsewhere": {"Dockerfile"}}
    log["runs"][0]["originalUriBaseIds"] = {"ROOTPATH": "file:///x/"}
    refused(orjson.dumps(log), "/runs/0/originalUriBaseIds/ROOTPATH", "expected an object")


def test_without_root_trivy_paths_name_no_repository_file_and_cover_nothing(tmp_path, gatekeeper):
    folder = copy_example(EXAMPLES / "unsafe-release", tmp_path / "unsafe-release")
    config = folder / "gatekeeper.yaml"
    config.write_text(config.read_text().replace("      root: deploy", ""))
    ran = gatekeeper("check", "-f", "json", "-o", folder / "results.json", cwd=folder)
    document = orjson.loads((folder / "results.json").read_bytes())
    assert ran.code == EXIT_GATE_FAILED == document["verdict"]["exit_code"]
    control = next(c for c in document["controls"] if c["id"] == "INF-iac-scanned")
    assert control["outcome"] == "fail"
    assert {m["finding"] for m in control["messages"]} == {
        "deploy/Dockerfile:unscanned", "deploy/k8s/trainer.yaml:unscanned"}
