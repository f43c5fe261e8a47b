import orjson
import pytest

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence.scans.sarif import cvss_severity, read_log


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
        (orjson.dumps({"bomFormat": "CycloneDX"}), "not a SARIF log"),
        (b"{not json", "malformed JSON"),
    ],
)
def test_bad_sarif_fails_closed(content, problem):
    with pytest.raises(EvidenceError) as error:
        read_log(content, "scans/x.sarif", None)
    assert "scans/x.sarif" in str(error.value) and problem in str(error.value)
