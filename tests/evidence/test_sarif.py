import orjson
import pytest

from gatekeeper.errors import ConfigError, EvidenceError
from gatekeeper.evidence.context import CollectContext
from gatekeeper.evidence.scans.sarif import (
    REQUIRED,
    SCHEMA_HINT,
    SHAPE,
    collect,
    cvss_severity,
    read_log,
)
from gatekeeper.evidence.scans.scan_results import ReadOptions
from gatekeeper.schemas import schema


def log(tool, results, rules=()):
    return orjson.dumps(
        {
            "version": "2.1.0",
            "runs": [
                {"tool": {"driver": {"name": tool, "rules": list(rules)}}, "results": results}
            ],
        }
    )


def result(rule, **extra):
    return {"ruleId": rule, "message": {"text": f"{rule} found"}, **extra}


def test_every_corpus_sarif_loads_with_a_category(corpus):
    files = sorted((corpus / "sarif").rglob("*.sarif"))
    assert len(files) == 7
    for path in files:
        scans, findings = read_log(path.read_bytes(), path.name, None)
        assert scans and all(scan["categories"] for scan in scans)
        assert all(f["category"] and f["severity"] for f in findings)


def test_bandit_findings_keep_location_and_tool_severity(corpus):
    path = corpus / "sarif/bandit/bandit-1.9.4.ml-examples.sarif"
    scans, findings = read_log(path.read_bytes(), "bandit.sarif", None)
    assert scans[0]["tool"] == "Bandit" and scans[0]["version"] == "1.9.4"
    assert scans[0]["categories"] == ["sast"] and scans[0]["finding_count"] == 87
    first = findings[0]
    assert (first["rule_id"], first["file"], first["line"]) == (
        "B615",
        "ml_examples/huggingface_unsafe_download.py",
        10,
    )
    assert first["severity"] == "medium"
    assert first["key"] == "B615@ml_examples/huggingface_unsafe_download.py:10"


def test_trivy_rules_decide_the_category(corpus):
    path = corpus / "sarif/trivy/alpine-310.trivy.sarif"
    _, findings = read_log(path.read_bytes(), "trivy.sarif", None)
    assert {f["category"] for f in findings} == {"container"}
    assert findings[0]["security_severity"] == 5.3 and findings[0]["severity"] == "medium"


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (9.8, "critical"),
        (9.0, "critical"),
        (7.5, "high"),
        (4.0, "medium"),
        (0.1, "low"),
        (0.0, "info"),
    ],
)
def test_security_severity_uses_cvss_bands(score, band):
    assert cvss_severity(score) == band


def test_level_decides_severity_without_security_severity():
    _, findings = read_log(
        log("semgrep", [result("r1", level="error"), result("r2", level="note"), result("r3")]),
        "s.sarif",
        None,
    )
    assert [f["severity"] for f in findings] == ["high", "low", "medium"]


def test_rule_default_level_and_security_severity_apply():
    rules = [
        {
            "id": "r1",
            "defaultConfiguration": {"level": "note"},
            "properties": {"security-severity": "9.1"},
        }
    ]
    _, findings = read_log(log("semgrep", [result("r1")], rules), "s.sarif", None)
    assert findings[0]["level"] == "note" and findings[0]["severity"] == "critical"


def test_passes_absent_results_and_suppressions():
    results = [
        result("ok", kind="pass"),
        result("gone", baselineState="absent"),
        result("nosec", suppressions=[{"kind": "inSource"}]),
        result("rejected", suppressions=[{"kind": "external", "status": "rejected"}]),
    ]
    _, findings = read_log(log("bandit", results), "b.sarif", None)
    assert [(f["rule_id"], f["suppressed"]) for f in findings] == [
        ("nosec", True),
        ("rejected", False),
    ]


def test_category_override_for_unknown_tools():
    scans, findings = read_log(log("acme-scanner", [result("x")]), "a.sarif", "secrets")
    assert scans[0]["categories"] == ["secrets"] and findings[0]["category"] == "secrets"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (log("acme-scanner", []), "cannot tell which kind of scan"),
        (orjson.dumps({"version": "2.0.0", "runs": []}), "unsupported SARIF version '2.0.0'"),
        (orjson.dumps({"bomFormat": "CycloneDX"}),
         "scans/x.sarif: not a SARIF log: expected an object with a 'runs' array"),
        (b"{not json", "malformed JSON"),
    ],
)
def test_bad_sarif_fails_closed(content, problem):
    with pytest.raises(EvidenceError) as error:
        read_log(content, "scans/x.sarif", None)
    assert "scans/x.sarif" in str(error.value) and problem in str(error.value)


# --- every branch of the reader, in one log (each line of the expected output is a decision) ---

def located(uri, line=None, base=None, first_without=False):
    """``locations`` with one physical location (after a logical one with first_without)."""
    artifact = {"uri": uri, **({"uriBaseId": base} if base else {})}
    region = {"region": {"startLine": line}} if line is not None else {}
    physical = {"artifactLocation": artifact, **region}
    locations = [{"physicalLocation": physical}]
    if first_without:
        locations.insert(0, {"message": {"text": "a logical location only"}})
    return locations

BANDIT_RULES = [
    {"id": "B101", "name": "assert_used", "shortDescription": {"text": "Use of assert"},
     "properties": {"security-severity": "0.0"}},
    {"id": "B602", "name": "subprocess_shell", "defaultConfiguration": {"level": "error"}},
]
BANDIT = {
    "tool": {"driver": {"name": "Bandit", "semanticVersion": "1.9.4", "version": "1.9",
                        "rules": BANDIT_RULES}},
    "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": [
        {"level": "warning", "message": {"text": "slow"}}, {"level": "error", "message": {}},
        {"level": "error", "message": {"arguments": ["x"]}}]}],
    "results": [
        {"ruleIndex": 0, "locations": located("src/a.py", 3)},
        {"ruleId": "B602", "message": {"text": "", "markdown": "shell=True"},
         "properties": {"issue_severity": "MEDIUM"}, "locations": located("src/b.py", 7),
         "suppressions": [{"kind": "inSource", "justification": "reviewed"},
                          {"kind": "external", "status": "accepted"},
                          {"kind": "external", "status": "accepted", "justification": "twice"}]},
        {"rule": {"id": "B999"}, "message": {"id": "default"}, "level": "none"},
        {"ruleId": "B602", "kind": "pass", "message": {"text": "checked"}},
        {"ruleId": "B602", "baselineState": "absent", "message": {"text": "gone"}},
        {"ruleId": "B602", "message": {"text": "scored"},
         "properties": {"security-severity": 10, "issue_severity": "LOW"},
         "locations": located("src/a.py", 0, first_without=True)},
        {"ruleId": "B602", "ruleIndex": 0, "message": {"text": "indexed"}, "level": "note",
         "suppressions": [{"kind": "inSource", "status": "underReview", "justification": "?"}]},
    ],
}
TRIVY_RULES = [
    {"id": "CVE-1", "name": "OsPackageVulnerability"},
    {"id": "DS002", "name": "Misconfiguration"},
    {"id": "aws-key", "name": "Secret"},
    {"id": "X", "name": "SomethingNew"},
]
TRIVY = {
    "tool": {"driver": {"name": "Trivy", "version": "0.50.0", "rules": TRIVY_RULES}},
    "originalUriBaseIds": {"NOWHERE": {"description": {"text": "a base without a uri"}},
                           "ROOTPATH": {"uri": "file:///repo/deploy/"},
                           "WEB": {"uri": "https://example.com/repo/web/"}},
    "results": [
        {"ruleId": "CVE-1", "ruleIndex": 0, "level": "error",
         "message": {"text": "Package: openssl\nInstalled Version: 1.1.1c-r0\nFixed: 1.1.1d"},
         "locations": located("Dockerfile", 1, base="ROOTPATH")},
        {"ruleId": "CVE-1", "ruleIndex": 0, "message": {"text": "Package: zlib\nno version"},
         "locations": located("Dockerfile", 2, base="ROOTPATH")},
        {"ruleId": "DS002", "ruleIndex": 1,
         "message": {"text": "Package: x\nInstalled Version: 1"},
         "locations": located("app.py", 4, base="WEB")},
        {"ruleId": "aws-key", "ruleIndex": 2, "message": {"text": "key"},
         "locations": located("https://example.com/config.env", 5, base="ROOTPATH")},
        {"ruleId": "X", "ruleIndex": 3, "message": {"text": "new"},
         "locations": located("k8s/a.yaml", 9)},
    ],
}
EMPTY = {"tool": {"driver": {"name": "gitleaks"}}, "artifacts": [], "results": []}
FAILED = {"tool": {"driver": {"name": "semgrep"}},
          "invocations": [{"executionSuccessful": False}]}
EVERY_BRANCH = {"version": "2.1.0", "runs": [BANDIT, TRIVY, EMPTY, FAILED]}


def test_every_branch_of_the_reader_gives_the_finding_it_should():
    options = ReadOptions(base="/repo", trust_suppressions=True)
    scans, findings = read_log(orjson.dumps(EVERY_BRANCH), "evidence/all.sarif", None, options)
    assert [(s["tool"], s["version"], s["categories"], s["finding_count"], s["skipped"])
            for s in scans] == [
        ("Bandit", "1.9.4", ["sast"], 5, [{
            "name": "/runs/0/invocations/0/toolExecutionNotifications/1",
            "reason": "tool execution error: no message"}, {
            "name": "/runs/0/invocations/0/toolExecutionNotifications/2",
            "reason": "tool execution error: no message"}]),
        ("Trivy", "0.50.0", ["container", "iac", "secrets"], 5, []),
        ("gitleaks", None, ["secrets"], 0, [{
            "name": "/runs/2/artifacts",
            "reason": "the run lists no artifact and no result: it scanned nothing"}]),
        ("semgrep", None, ["sast"], 0, [
            {"name": "/runs/3/invocations/0",
             "reason": "the tool reports executionSuccessful: false"},
            {"name": "/runs/3/results",
             "reason": "'results' is absent: the tool did not record a scan result"}]),
    ]
    assert [(s["inconclusive"], s["format"], s["source"]) for s in scans] == [
        (True, "sarif", "evidence/all.sarif"), (False, "sarif", "evidence/all.sarif"),
        (True, "sarif", "evidence/all.sarif"), (True, "sarif", "evidence/all.sarif")]
    assert findings[0] == {
        "tool": "Bandit", "category": "sast", "rule_id": "B101", "rule_name": "assert_used",
        "level": "warning", "severity": "info", "security_severity": 0.0,
        "message": "Use of assert", "file": "src/a.py", "line": 3, "suppressed": False,
        "suppression_trusted": False, "suppression": None, "key": "B101@src/a.py:3",
        "source": "evidence/all.sarif",
    }
    assert [(f["category"], f["rule_id"], f["rule_name"], f["level"], f["severity"],
             f["security_severity"], f["message"], f["file"], f["line"], f["suppression"],
             f["key"]) for f in findings] == [
        ("sast", "B101", "assert_used", "warning", "info", 0.0, "Use of assert", "src/a.py", 3,
         None, "B101@src/a.py:3"),
        # the rule's default level; bandit's own severity; markdown when the text is empty;
        # every accepted justification, a suppression without status being accepted
        ("sast", "B602", "subprocess_shell", "error", "medium", None, "shell=True", "src/b.py",
         7, "reviewed; twice", "B602@src/b.py:7"),
        # a rule reference's id when there is no ruleId; the message's id as its text
        ("sast", "B999", None, "none", "info", None, "default", None, None, None, "B999"),
        # (pass and absent results are dropped) the result's own score wins over bandit's;
        # the first location that is physical; line 0 is no line
        ("sast", "B602", "subprocess_shell", "error", "critical", 10.0, "scored", "src/a.py",
         None, None, "B602@src/a.py"),
        # ruleIndex names the rule (and its score), ruleId the id
        ("sast", "B602", "assert_used", "note", "info", 0.0, "indexed", None, None, None,
         "B602"),
        # trivy: the rule's name gives the category; a vulnerability's key is its package
        ("container", "CVE-1", "OsPackageVulnerability", "error", "high", None,
         "Package: openssl\nInstalled Version: 1.1.1c-r0\nFixed: 1.1.1d", "deploy/Dockerfile",
         1, None, "CVE-1@openssl@1.1.1c-r0"),
        ("container", "CVE-1", "OsPackageVulnerability", "warning", "medium", None,
         "Package: zlib\nno version", "deploy/Dockerfile", 2, None, "CVE-1@deploy/Dockerfile:2"),
        # a misconfiguration is keyed by place even when its text names a package; a base
        # that is not a file: folder is no base
        ("iac", "DS002", "Misconfiguration", "warning", "medium", None,
         "Package: x\nInstalled Version: 1", "app.py", 4, None, "DS002@app.py:4"),
        # a uri of another scheme is kept as written, whatever its base
        ("secrets", "aws-key", "Secret", "warning", "medium", None, "key",
         "https://example.com/config.env", 5, None, "aws-key@https://example.com/config.env:5"),
        ("container", "X", "SomethingNew", "warning", "medium", None, "new", "k8s/a.yaml", 9,
         None, "X@k8s/a.yaml:9"),
    ]
    assert [(f["suppressed"], f["suppression_trusted"]) for f in findings[:5]] == [
        (False, False), (True, True), (False, False), (False, False), (False, False)]
    assert {f["source"] for f in findings} == {"evidence/all.sarif"}
    assert [f["tool"] for f in findings] == ["Bandit"] * 5 + ["Trivy"] * 5


def test_a_result_without_a_base_id_is_not_read_against_a_base_named_empty():
    run = {"tool": {"driver": {"name": "bandit"}},
           "originalUriBaseIds": {"": {"uri": "file:///repo/deploy/"}},
           "results": [{"ruleId": "B1", "message": {"text": "m"},
                        "locations": located("app.py", 1)}]}
    log = orjson.dumps({"version": "2.1.0", "runs": [run]})
    _, findings = read_log(log, "x.sarif", None, ReadOptions(base="/repo"))
    assert findings[0]["file"] == "app.py"


def test_a_base_that_resolves_to_the_repositorys_parent_names_no_repository_file():
    run = {"tool": {"driver": {"name": "bandit"}},
           "originalUriBaseIds": {"TOP": {"uri": "file:///srv/"}},
           "results": [{"ruleId": "B1", "message": {"text": "m"},
                        "locations": located(".", 1, base="TOP")}]}
    log = orjson.dumps({"version": "2.1.0", "runs": [run]})
    _, findings = read_log(log, "x.sarif", None, ReadOptions(base="/srv/repo"))
    assert findings[0]["file"] is None and findings[0]["key"] == "B1"


@pytest.mark.parametrize(("field", "value", "problem"), [
    ("id", True, "expected a string, got a boolean"),
    ("id", 5, "expected a string, got an integer"),
    ("id", 1.5, "expected a string, got a number"),
    ("id", [], "expected a string, got an array"),
    ("id", {}, "expected a string, got an object"),
    ("id", None, "expected a string, got null"),
    ("defaultConfiguration", "x", "expected an object, got a string"),
])
def test_a_wrong_type_is_named_in_words(field, value, problem):
    bad = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "bandit", "rules": [
        {field: value}]}}, "results": []}]}
    with pytest.raises(EvidenceError) as error:
        read_log(orjson.dumps(bad), "x.sarif", None)
    assert error.value.message == f"/runs/0/tool/driver/rules/0/{field}: {problem}"
    assert error.value.hint == SCHEMA_HINT and error.value.path == "x.sarif"


def test_every_required_field_of_the_shape_has_its_own_words():
    def required(node):
        if isinstance(node, dict):
            yield from node.get("required", ())
            for value in node.values():
                yield from required(value)
        elif isinstance(node, list):
            for value in node:
                yield from required(value)
    assert set(required(schema(SHAPE))) == set(REQUIRED)


def test_an_unknown_tool_is_refused_with_the_setting_that_names_it():
    with pytest.raises(EvidenceError) as error:
        read_log(log("acme-scanner", []), "scans/x.sarif", None)
    assert error.value.path == "scans/x.sarif"
    assert error.value.hint == (
        "name it in the config: {path: scans/x.sarif, category: "
        "<sast|secrets|iac|container|sca>}")


def test_collect_reads_each_entry_with_its_category_and_names_files_as_the_repository_does(
        tmp_path):
    (tmp_path / "scans").mkdir()
    (tmp_path / "scans/acme.sarif").write_bytes(log("acme-scanner", [result("A1")]))
    (tmp_path / "scans/bandit.sarif").write_bytes(log("bandit", [result("B1")]))
    context = CollectContext(base_dir=tmp_path, root=tmp_path.resolve())
    entries = [{"path": "scans/acme.sarif", "category": "secrets"}, "scans/bandit.sarif"]
    scans = collect(entries, context)["scans"]
    assert [(s["tool"], s["categories"], s["source"]) for s in scans["runs"]] == [
        ("acme-scanner", ["secrets"], "scans/acme.sarif"), ("bandit", ["sast"],
                                                            "scans/bandit.sarif")]
    assert [(f["category"], f["source"]) for f in scans["findings"].values()] == [
        ("secrets", "scans/acme.sarif"), ("sast", "scans/bandit.sarif")]
    with pytest.raises(EvidenceError) as error:
        collect([entries[0], "scans/missing.sarif"], context)
    assert error.value.message == "configured in evidence.sarif[1] but not found"


def test_a_result_that_names_no_rule_is_of_rule_unknown_and_a_nameless_tool_is_unknown():
    nameless = {"version": "2.1.0", "runs": [{"tool": {"driver": {"rules": [{"id": "R1"}]}},
                                             "results": [{"message": {"text": "m"}}]}]}
    scans, findings = read_log(orjson.dumps(nameless), "x.sarif", "sast")
    assert scans[0]["tool"] == findings[0]["tool"] == "unknown"
    assert findings[0]["rule_id"] == findings[0]["key"] == "unknown"


def test_an_entrys_settings_are_checked_under_its_own_name(tmp_path):
    (tmp_path / "scans").mkdir()
    (tmp_path / "scans/bandit.sarif").write_bytes(log("bandit", [result("B1")]))
    context = CollectContext(base_dir=tmp_path, root=tmp_path.resolve())
    with pytest.raises(ConfigError) as error:
        collect(["scans/bandit.sarif", {"path": "scans/bandit.sarif", "root": ".."}], context)
    assert "evidence.sarif[1].root" in str(error.value)
