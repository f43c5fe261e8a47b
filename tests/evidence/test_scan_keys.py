"""One finding key per finding: the same scan read from SARIF and from the tool's native JSON
gives the same keys and repository paths (issue 13 item 3). The pairs are real outputs of
checkov, trivy and bandit (tests/assets/scan-pairs/README.md) and gitleaks' own fixtures in the
shared corpus."""

from pathlib import Path

import pytest

from gatekeeper.evidence.context import CollectContext
from gatekeeper.evidence.scans.sarif import read_log
from gatekeeper.evidence.scans.scan_results import ReadOptions, entry_options, parse_report
from gatekeeper.evidence.scans.scanners import READERS, detect_tool

REPO = Path(__file__).resolve().parents[1] / "assets/scan-pairs/repo"


def options(root: str = "", **extra) -> ReadOptions:
    context = CollectContext(base_dir=REPO)
    return entry_options({"path": "x", "root": root, **extra} if root else {}, context, "test")


def native(path: Path, opts: ReadOptions):
    document = parse_report(path.read_bytes(), path.name)
    return READERS[detect_tool(document, path.name)].read(document, path.name, opts)


def keys(findings) -> list[tuple[str, str | None]]:
    return sorted((f["key"], f["file"]) for f in findings)


@pytest.mark.parametrize(
    ("json_name", "sarif_name", "root", "expected"),
    [
        ("checkov.json", "checkov.sarif", "", {("CKV_DOCKER_2@src/Dockerfile:1", "src/Dockerfile"),
                                              ("CKV_DOCKER_3@src/Dockerfile:1", "src/Dockerfile")}),
        ("trivy-config.json", "trivy-config.sarif", "deploy",
         {("DS-0002@deploy/Dockerfile:1", "deploy/Dockerfile"),
          ("DS-0026@deploy/Dockerfile:1", "deploy/Dockerfile")}),
        ("bandit.json", "bandit.sarif", "", {("B404@src/app.py:1", "src/app.py"),
                                            ("B602@src/app.py:5", "src/app.py")}),
    ],
)
def test_sarif_and_native_json_of_one_scan_give_the_same_keys(json_name, sarif_name, root,
                                                               expected):
    opts = options(root)
    _, from_json = native(REPO / "evidence" / json_name, opts)
    _, from_sarif = read_log((REPO / "evidence" / sarif_name).read_bytes(), sarif_name, None, opts)
    assert keys(from_json) == keys(from_sarif)
    assert set(keys(from_json)) == expected
    assert all((REPO / f["file"]).is_file() for f in from_json + from_sarif)


def test_without_root_trivy_paths_name_files_that_do_not_exist():
    _, findings = native(REPO / "evidence/trivy-config.json", options())
    assert {f["file"] for f in findings} == {"Dockerfile"}
    assert not (REPO / "Dockerfile").exists()


def test_gitleaks_sarif_and_json_give_the_same_key(corpus):
    sarif = corpus / "sarif/gitleaks/sarif_simple.gitleaks.sarif"
    report = corpus / "scans/gitleaks/json_simple.gitleaks.json"
    _, from_sarif = read_log(sarif.read_bytes(), sarif.name, None)
    _, from_json = native(report, ReadOptions())
    assert keys(from_sarif) == keys(from_json) == [("test-rule@auth.py:1", "auth.py")]


def test_trivy_image_vulnerabilities_get_the_package_key_from_both_formats(corpus):
    _, from_sarif = read_log(
        (corpus / "sarif/trivy/alpine-310.trivy.sarif").read_bytes(), "t.sarif", None)
    _, from_json = native(corpus / "scans/trivy/alpine-310.image.trivy.json", ReadOptions())
    assert {f["key"] for f in from_sarif} == {f["key"] for f in from_json}
    assert "CVE-2019-1549@libcrypto1.1@1.1.1c-r0" in {f["key"] for f in from_json}


def test_checkov_scanned_files_are_repository_paths():
    runs, _ = native(REPO / "evidence/checkov.json", options())
    assert runs[0]["scanned_files"] == ["src/Dockerfile"]


def test_bandit_hides_nosec_findings_so_the_run_is_inconclusive_unless_trusted():
    for path in (REPO / "evidence/bandit.json", REPO / "evidence/bandit.sarif"):
        data = path.read_bytes()
        untrusted = (native(path, options()) if path.suffix == ".json"
                     else read_log(data, path.name, None, options()))[0][0]
        assert untrusted["inconclusive"] is True
        assert "1 finding(s) marked '# nosec'" in untrusted["skipped"][-1]["reason"]
        trusted_options = options(".", trust_suppressions=True)
        trusted = (native(path, trusted_options) if path.suffix == ".json"
                   else read_log(data, path.name, None, trusted_options))[0][0]
        assert trusted["inconclusive"] is False and trusted["skipped"] == []
