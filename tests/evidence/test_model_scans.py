"""modelscan and ModelAudit JSON, picklescan text: real outputs, paths and digests mapped to
artifacts, bad files."""

from __future__ import annotations

import hashlib
from pathlib import Path

import orjson
import pytest
from conftest import EXAMPLES

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence.context import CollectContext
from gatekeeper.evidence.model_scans import modelaudit, modelscan, picklescan


@pytest.fixture
def context(tmp_path: Path) -> CollectContext:
    return CollectContext(tmp_path)


def test_reads_the_corpus_modelscan_reports(corpus, context):
    folder = corpus / "scans" / "modelscan"
    unsafe = modelscan.read_report(
        (folder / "modelscan-unsafe_zip_pytorch.json").read_bytes(), "u.json", None, context)
    assert unsafe["run"]["version"] == "0.8.8"
    # An archive member ("file.pt:archive/data.pkl") stands for the file that holds it.
    assert unsafe["files"] == [{"tool": "modelscan", "source": "u.json",
                                "path": "unsafe_zip_pytorch.pt", "status": "scanned",
                                "reason": None}]
    assert [(i["severity"], i["operator"], i["path"]) for i in unsafe["issues"]] == [
        ("critical", "posix.system", "unsafe_zip_pytorch.pt")]
    benign = modelscan.read_report(
        (folder / "modelscan-benign_model.json").read_bytes(), "b.json", None, context)
    assert benign["issues"] == [] and benign["errors"] == []
    assert benign["files"][0]["path"] == "benign_model.pkl"


def test_reads_the_corpus_picklescan_outputs(corpus, context):
    folder = corpus / "scans" / "picklescan"
    unsafe = picklescan.read_output(
        (folder / "picklescan-unsafe_zip_pytorch.txt").read_bytes(), "u.txt", None, context)
    assert [(i["severity"], i["operator"], i["path"]) for i in unsafe["issues"]] == [
        ("critical", "posix.system", "/scan/unsafe_zip_pytorch.pt")]
    benign = picklescan.read_output(
        (folder / "picklescan-benign_model.txt").read_bytes(), "b.txt", None, context)
    # Without -l DEBUG picklescan names no clean file: nothing is on record as scanned.
    assert benign["run"]["files_scanned"] == 1 and benign["files"] == []


def test_example_scans_map_to_the_release_artifacts():
    release = EXAMPLES / "unsafe-release"
    context = CollectContext(release)
    report = modelscan.read_report(
        (release / "evidence" / "modelscan.json").read_bytes(), "m.json", "release", context)
    assert [f["path"] for f in report["files"]] == ["release/model.pkl"]
    output = picklescan.read_output(
        (release / "evidence" / "picklescan.txt").read_bytes(), "p.txt", None, context)
    # Absolute paths of another checkout keep their suffix, which policies match.
    assert all(f["path"].endswith("release/model.pkl") for f in output["files"])
    assert output["issues"][0]["operator"] == "posix.system"

    safe = EXAMPLES / "model-release"
    skipped = modelscan.read_report((safe / "evidence" / "modelscan.json").read_bytes(),
                                    "m.json", "release", CollectContext(safe))
    assert [(f["path"], f["status"]) for f in skipped["files"]] == [
        ("release/model.safetensors", "skipped")]


def test_scanner_errors_are_kept(context):
    report = {
        "summary": {"modelscan_version": "0.8.8", "scanned": {"total_scanned": 0},
                    "total_issues_by_severity": {}},
        "issues": [],
        "errors": [{"category": "PICKLE_GENOPS", "description": "Parsing error: opcode",
                    "source": "weights.bin"}],
    }
    found = modelscan.read_report(orjson.dumps(report), "m.json", "release", context)
    assert found["errors"] == [{"tool": "modelscan", "source": "m.json",
                                "path": "release/weights.bin",
                                "message": "PICKLE_GENOPS: Parsing error: opcode"}]
    assert found["run"]["error_count"] == 1


def test_picklescan_errors_and_skips(tmp_path, context):
    text = (
        f"scan_bytes({tmp_path}/release/a.pkl)\n"
        f"ERROR: parsing pickle in {tmp_path}/release/a.pkl: truncated stream\n"
        f"WARNING: could not parse {tmp_path}/release/w.safetensors as pickle: bad opcode\n"
        "----------- SCAN SUMMARY -----------\nScanned files: 2\nInfected files: 0\n"
        "Suspicious globals: 1\nDangerous globals: 0\n"
    )
    found = picklescan.read_output(text.encode(), "p.txt", None, context)
    assert [(f["path"], f["status"]) for f in found["files"]] == [
        ("release/a.pkl", "error"), ("release/w.safetensors", "skipped")]
    assert found["errors"][0]["message"].startswith("line 2: ERROR: parsing pickle")
    assert [(i["severity"], i["path"]) for i in found["issues"]] == [("medium", None)]


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b'{"issues": []}', "not a modelscan JSON report"),
        (b'{"summary": {"modelscan_version": "0.8.8"}, "issues": {}}', "'issues' must be a list"),
        (b'{"summary": {"modelscan_version": "0.8.8"}, "issues": [{"severity": "SEVERE"}]}',
         r"issues\[0\] has unknown severity 'SEVERE'"),
        (b'{"summary": ', "malformed JSON"),
    ],
)
def test_bad_modelscan_reports(data, problem, context):
    with pytest.raises(EvidenceError, match=problem):
        modelscan.read_report(data, "m.json", None, context)


def test_picklescan_output_without_summary_did_not_finish(context):
    with pytest.raises(EvidenceError, match="no SCAN SUMMARY block"):
        picklescan.read_output(b"/x/model.pkl: dangerous import 'posix system' FOUND\n",
                               "p.txt", None, context)


def test_reads_the_corpus_modelaudit_report(corpus, context):
    path = corpus / "scans" / "modelaudit" / "modelaudit-scan-result.example.json"
    report = modelaudit.read_report(path.read_bytes(), path.name, None, context)
    pickle = "tests/assets/samples/pickles/malicious_system_call.pkl"
    assert report["files"] == [{
        "tool": "modelaudit", "source": path.name, "path": pickle, "status": "scanned",
        "reason": None,
        "sha256": "f98e96e2a0e16ca139b0a7250f7bdae4d2340fa1386ee6bfd667ab2784b2e51e",
    }]
    assert [(i["severity"], i["operator"], i["path"]) for i in report["issues"]] == [
        ("critical", "posix.system", pickle)]
    assert report["issues"][0]["message"].startswith("S201: Found REDUCE opcode")
    assert report["errors"] == []


def test_example_modelaudit_report_carries_the_artifact_digest():
    folder = EXAMPLES / "model-release"
    report = modelaudit.read_report((folder / "evidence" / "modelaudit.json").read_bytes(),
                                    "m.json", None, CollectContext(folder))
    released = hashlib.sha256((folder / "release" / "model.safetensors").read_bytes()).hexdigest()
    assert [(f["status"], f["sha256"]) for f in report["files"]] == [("scanned", released)]
    assert report["issues"] == [] and report["errors"] == []


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"has_errors": True}, "ModelAudit reported operational errors (has_errors: true)"),
        ({"success": False}, "ModelAudit did not complete the scan (success: false)"),
    ],
)
def test_modelaudit_that_did_not_finish_is_an_error(changes, error, context):
    document = {"issues": [], "files_scanned": 0, "assets": [], "has_errors": False,
                "success": True} | changes
    report = modelaudit.read_report(orjson.dumps(document), "m.json", None, context)
    assert [e["message"] for e in report["errors"]] == [error]


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b'{"issues": []}', "not a ModelAudit JSON report"),
        (b'{"issues": [{"severity": "fatal"}], "files_scanned": 1, "has_errors": false}',
         r"issues\[0\] has unknown severity 'fatal'"),
        (b'{"issues": [], "files_scanned": 1, "has_errors": false, "assets": {}}',
         "'assets' must be a list"),
    ],
)
def test_bad_modelaudit_reports(data, problem, context):
    with pytest.raises(EvidenceError, match=problem):
        modelaudit.read_report(data, "m.json", None, context)


PICKLESCAN_DEBUG = """scan_directory_path(/ci/models)
Scanning file /ci/models/ok.pkl
scan_bytes(/ci/models/ok.pkl)
scan_pickle_bytes(/ci/models/ok.pkl)
Global imports in /ci/models/ok.pkl: {('collections', 'OrderedDict')}
Scanning file /ci/models/plain.pkl
scan_bytes(/ci/models/plain.pkl)
----------- SCAN SUMMARY -----------
Scanned files: 2
Infected files: 0
Suspicious globals: 1
Dangerous globals: 0
"""


def test_picklescan_suspicious_globals_name_the_file_that_imports_globals(context):
    """picklescan 1.0.5 -l DEBUG lists each file's globals but counts suspicious ones without
    a file: the one file with globals is named; several are listed as candidates."""
    one = picklescan.read_output(PICKLESCAN_DEBUG.encode(), "p.txt", None, context)
    assert [(i["path"], i["message"]) for i in one["issues"]] == [
        ("/ci/models/ok.pkl", "1 suspicious global(s) (picklescan does not say which file)")]
    two = PICKLESCAN_DEBUG.replace(
        "scan_bytes(/ci/models/plain.pkl)\n",
        "scan_bytes(/ci/models/plain.pkl)\nGlobal imports in /ci/models/plain.pkl: {('a', 'b')}\n")
    several = picklescan.read_output(two.encode(), "p.txt", None, context)
    [issue] = several["issues"]
    assert issue["path"] is None
    assert issue["message"] == ("1 suspicious global(s) in one of /ci/models/ok.pkl, "
                                "/ci/models/plain.pkl (picklescan does not say which file)")
