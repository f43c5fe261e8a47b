"""Native scanner JSON: the real reports of the corpus and the examples, normalized to findings."""

from pathlib import Path

import orjson
import pytest

from gatekeeper.config import default_thresholds
from gatekeeper.errors import EvidenceError
from gatekeeper.evidence.context import CollectContext
from gatekeeper.evidence.scans.scan_results import ReadOptions
from gatekeeper.evidence.scans.scanners import READERS, ScannerEntry, collect, read_report

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def parse(data: bytes, name: str, tool=None, categories=(), unscored="high"):
    options = ReadOptions(unscored_severity=unscored, categories=tuple(categories))
    return read_report(data, name, ScannerEntry(name, tool), options)


def read(path: Path, tool=None, categories=(), unscored="high"):
    return parse(path.read_bytes(), path.name, tool, categories, unscored)


def report(document) -> bytes:
    return orjson.dumps(document)


@pytest.mark.parametrize(
    ("name", "tool"),
    [
        ("trivy/alpine-310.image.trivy.json", "trivy"),
        ("trivy/pip-repo.fs.trivy.json", "trivy"),
        ("trivy/dockerfile-misconfig.config.trivy.json", "trivy"),
        ("grype/chainguard-ruby-3.0.grype-0.61.1.json", "grype"),
        ("pip-audit/pip-audit-2.10.1.all-skipped-offline.json", "pip-audit"),
        ("pip-audit/readme-example-flask-0.5.legacy-list-format.pip-audit.json", "pip-audit"),
        ("osv-scanner/machinejson-mixed-issues.osv-scanner.json", "osv-scanner"),
        ("gitleaks/json_simple.gitleaks.json", "gitleaks"),
        ("bandit/bandit-1.9.4.ml-examples.json", "bandit"),
    ],
)
def test_each_corpus_report_is_recognized_by_content(corpus, name, tool):
    runs, findings = read(corpus / "scans" / name)
    assert [run["tool"] for run in runs] == [tool]
    assert all(f["tool"] == tool and f["source"] == Path(name).name for f in findings)
    assert runs[0]["finding_count"] == len(findings)


def test_trivy_image_vulnerabilities_are_container_findings_scored_by_cvss(corpus):
    runs, findings = read(corpus / "scans/trivy/alpine-310.image.trivy.json")
    assert runs[0]["categories"] == ["container"] and runs[0]["version"] == "dev"
    assert len(findings) == 4
    first = findings[0]
    assert (first["rule_id"], first["category"], first["security_severity"], first["severity"]) == (
        "CVE-2019-1549", "container", 5.3, "medium")
    assert first["key"] == "CVE-2019-1549@libcrypto1.1@1.1.1c-r0"
    assert "(fixed in 1.1.1d-r0)" in first["message"]


def test_trivy_filesystem_vulnerabilities_are_sca(corpus):
    _, findings = read(corpus / "scans/trivy/pip-repo.fs.trivy.json")
    assert [(f["rule_id"], f["category"], f["severity"]) for f in findings] == [
        ("CVE-2019-14806", "sca", "high"), ("CVE-2020-28724", "sca", "medium")]
    assert findings[0]["file"] == "requirements.txt"


def test_trivy_misconfigurations_are_iac_and_name_the_scanned_files(corpus):
    runs, findings = read(corpus / "scans/trivy/dockerfile-misconfig.config.trivy.json")
    assert runs[0]["categories"] == ["iac"] and runs[0]["scanned_files"] == ["Dockerfile"]
    assert (findings[0]["rule_id"], findings[0]["severity"], findings[0]["file"]) == (
        "DS-0002", "high", "Dockerfile")
    assert findings[0]["key"] == "DS-0002@Dockerfile:1"  # line 1, as trivy's SARIF says


def test_a_clean_trivy_secret_scan_claims_the_category_only_when_configured():
    clean = EXAMPLES / "model-release/evidence/trivy-secrets.json"
    runs, findings = read(clean)
    assert runs[0]["categories"] == [] and findings == []
    runs, _ = read(clean, categories=("secrets",))
    assert runs[0]["categories"] == ["secrets"]


def test_trivy_secrets_never_copy_the_match():
    document = {"SchemaVersion": 2, "ArtifactName": ".", "ArtifactType": "filesystem", "Results": [{
        "Target": "app.py", "Class": "secret", "Secrets": [{
            "RuleID": "aws-access-key-id", "Category": "AWS", "Severity": "CRITICAL",
            "Title": "AWS Access Key ID", "StartLine": 3, "Match": "key = AKIA****************"}]}]}
    runs, findings = parse(report(document), "t.json")
    assert runs[0]["categories"] == ["secrets"]
    assert findings[0]["severity"] == "critical"
    assert findings[0]["key"] == "aws-access-key-id@app.py:3"
    assert "AKIA" not in orjson.dumps(findings).decode()


def test_grype_image_matches_are_container_findings_with_nvd_cvss(corpus):
    runs, findings = read(corpus / "scans/grype/chainguard-ruby-3.0.grype-0.61.1.json")
    assert runs[0]["version"] == "0.61.1" and runs[0]["categories"] == ["container"]
    assert findings[0]["rule_id"] == "CVE-2023-28755" and findings[0]["security_severity"] == 7.5
    assert findings[0]["key"] == "CVE-2023-28755@ruby-3.0@3.0.4-r1"


def test_grype_directory_scans_are_sca_and_ignored_matches_are_suppressed(corpus):
    path = corpus / "scans/grype/chainguard-ruby-3.0.grype-0.61.1.json"
    document = orjson.loads(path.read_bytes())
    document["source"] = {"type": "directory", "target": "."}
    document["ignoredMatches"] = [document["matches"][0]]
    runs, findings = parse(report(document), "g.json")
    assert runs[0]["categories"] == ["sca"]
    assert [f["suppressed"] for f in findings] == [False, False, False, True]


def test_pip_audit_skipped_dependencies_make_the_run_inconclusive(corpus):
    runs, findings = read(corpus / "scans/pip-audit/pip-audit-2.10.1.all-skipped-offline.json")
    assert findings == [] and runs[0]["inconclusive"] is True
    assert [s["name"] for s in runs[0]["skipped"]] == [
        "requests", "pyyaml", "jinja2", "transformers", "numpy"]
    assert "could not be audited" in runs[0]["skipped"][0]["reason"]


def test_pip_audit_vulnerabilities_get_the_unscored_severity(corpus):
    path = corpus / "scans/pip-audit/readme-example-flask-0.5.legacy-list-format.pip-audit.json"
    runs, findings = read(path, unscored="critical")
    assert runs[0]["inconclusive"] is False
    assert [(f["rule_id"], f["severity"], f["key"]) for f in findings] == [
        ("PYSEC-2019-179", "critical", "PYSEC-2019-179@flask@0.5"),
        ("PYSEC-2018-66", "critical", "PYSEC-2018-66@flask@0.5")]
    assert "CVE-2019-1010083" in findings[0]["message"]
    assert "(fixed in 1.0)" in findings[0]["message"]


def test_an_empty_pip_audit_report_audited_nothing():
    runs, _ = parse(b'{"dependencies": [], "fixes": []}', "p.json")
    assert runs[0]["inconclusive"] is True and runs[0]["skipped"][0]["name"] == "*"


def test_osv_scanner_groups_use_max_severity_else_unscored(corpus):
    runs, findings = read(corpus / "scans/osv-scanner/machinejson-mixed-issues.osv-scanner.json")
    assert runs[0]["categories"] == ["sca"]
    assert [(f["rule_id"], f["severity"], f["security_severity"]) for f in findings] == [
        ("OSV-1", "high", 7.8), ("OSV-2", "high", None), ("OSV-1", "high", None)]
    assert findings[0]["file"] == "<rootdir>/path/to/my/first/lockfile"
    assert "not called" in findings[0]["message"] and "not called" not in findings[1]["message"]


def test_osv_scanner_advisory_severity_word_applies():
    document = {"results": [{"source": {"path": "poetry.lock", "type": "lockfile"}, "packages": [{
        "package": {"name": "jinja2", "version": "2.11.2", "ecosystem": "PyPI"},
        "vulnerabilities": [{"id": "GHSA-h5c8-rqwp-cp95", "summary": "sandbox escape",
                             "database_specific": {"severity": "MODERATE"}}],
        "groups": [{"ids": ["GHSA-h5c8-rqwp-cp95", "PYSEC-2024-1"], "max_severity": ""}]}]}]}
    _, findings = parse(report(document), "o.json")
    assert findings[0]["severity"] == "medium"
    assert "aliases: PYSEC-2024-1" in findings[0]["message"]


def test_gitleaks_leaks_are_secrets_without_the_secret(corpus):
    runs, findings = read(corpus / "scans/gitleaks/json_simple.gitleaks.json")
    assert runs[0]["categories"] == ["secrets"]
    leak = findings[0]
    assert (leak["rule_id"], leak["file"], leak["line"]) == ("test-rule", "auth.py", 1)
    assert "a secret" not in orjson.dumps(findings).decode()


def test_an_empty_list_needs_the_tool_named():
    with pytest.raises(EvidenceError, match="cannot tell which scanner") as error:
        parse(b"[]", "leaks.json")
    assert "tool: <trivy|grype" in str(error.value)
    runs, findings = parse(b"[]", "leaks.json", "gitleaks")
    assert runs[0]["categories"] == ["secrets"] and findings == []


def test_a_named_tool_must_match_the_content(corpus):
    problem = r"not a trivy JSON report \(it looks like a grype report\)"
    with pytest.raises(EvidenceError, match=problem):
        read(corpus / "scans/grype/chainguard-ruby-3.0.grype-0.61.1.json", tool="trivy")


def test_an_unknown_report_is_an_error_naming_the_file(corpus):
    problem = r"modelscan-benign_model\.json: cannot tell which scanner"
    with pytest.raises(EvidenceError, match=problem):
        read(corpus / "scans/modelscan/modelscan-benign_model.json")


def test_malformed_json_names_the_file():
    with pytest.raises(EvidenceError, match=r"r\.json: malformed JSON"):
        parse(b'{"SchemaVersion": ', "r.json")


def test_checkov_reports_record_passed_checks_scanned_files_and_skips():
    runs, findings = read(EXAMPLES / "model-release/evidence/checkov.json")
    assert [run["format"] for run in runs] == [
        "checkov-json:dockerfile", "checkov-json:kubernetes", "checkov-json:terraform"]
    terraform = runs[2]
    assert {"CKV_AWS_19", "CKV_AWS_145"} <= set(terraform["passed_rules"])
    assert "deploy/terraform/model-store.tf" in terraform["scanned_files"]
    assert "deploy/Dockerfile.eval" in runs[0]["scanned_files"]
    skipped = [f for f in findings if f["suppressed"]]
    assert {f["rule_id"] for f in skipped} == {"CKV_AWS_144", "CKV2_AWS_62"}
    assert all("-- skipped: " in f["message"] for f in skipped)
    assert all(f["severity"] == "high" for f in findings)  # checkov OSS gives no severity


def test_checkov_parse_errors_make_the_run_inconclusive():
    document = {"check_type": "kubernetes", "results": {
        "passed_checks": [], "failed_checks": [], "skipped_checks": [],
        "parsing_errors": ["/deploy/k8s/broken.yaml"]},
        "summary": {"passed": 0, "failed": 0, "skipped": 0, "parsing_errors": 1,
                    "resource_count": 0, "checkov_version": "3.3.30"}}
    runs, _ = parse(report(document), "c.json")
    assert runs[0]["inconclusive"] is True
    assert runs[0]["skipped"] == [
        {"name": "/deploy/k8s/broken.yaml", "reason": "checkov could not parse this file"},
        {"name": "*", "reason": "checkov evaluated no check: it scanned nothing"}]


def test_checkov_with_nothing_to_scan_is_an_empty_iac_run():
    summary = {"passed": 0, "failed": 0, "skipped": 0, "parsing_errors": 0,
               "resource_count": 0, "checkov_version": "3.3.30"}
    runs, findings = parse(report(summary), "c.json")
    assert runs[0]["categories"] == ["iac"] and runs[0]["scanned_files"] == [] and findings == []


def test_bandit_native_json_matches_its_sarif(corpus):
    runs, findings = read(corpus / "scans/bandit/bandit-1.9.4.ml-examples.json")
    assert runs[0]["finding_count"] == 87 and runs[0]["categories"] == ["sast"]
    assert findings[0]["key"] == "B615@ml_examples/huggingface_unsafe_download.py:10"
    assert "ml_examples/pickle_deserialize.py" in runs[0]["scanned_files"]


def test_every_reader_is_registered_once():
    assert sorted(READERS) == [
        "bandit", "checkov", "gitleaks", "grype", "osv-scanner", "pip-audit", "trivy"]


def test_the_collector_reads_globs_and_records_sources(corpus):
    context = CollectContext(corpus / "scans", default_thresholds())
    section = collect(["trivy/*.json", {"path": "gitleaks/json_simple.gitleaks.json",
                                        "tool": "gitleaks"}], context)
    assert len(section["scans"]["runs"]) == 4
    assert {s.collector for s in context.sources} == {"scanners"}
    assert section["scans"]["findings"].values()[0]["source"] == "trivy/alpine-310.image.trivy.json"


def test_every_scanner_reader_of_the_package_is_registered_under_its_tool():
    import importlib

    folder = Path(__file__).resolve().parents[2] / "gatekeeper" / "evidence" / "scans"
    readers = {}
    for path in sorted(folder.glob("*.py")):
        module = importlib.import_module(f"gatekeeper.evidence.scans.{path.stem}")
        if hasattr(module, "TOOL"):
            readers[module.TOOL] = module
    assert readers == READERS  # mypy checks each against the ScannerReader Protocol
