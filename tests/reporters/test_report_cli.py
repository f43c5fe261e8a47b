"""End to end through the CLI: report, check --format, verify-summary.

`gatekeeper report` renders every format from the examples' results files, `check --format`
renders during the gate, and `verify-summary` checks a signed VSA.
"""

from __future__ import annotations

import base64
import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema_rs
import pytest
import trestle.core.validator_factory  # noqa: F401 - imported first: all_validator needs it
from conftest import EXAMPLES, NOW, copy_example
from trestle.core.all_validator import AllValidator
from trestle.oscal.assessment_results import AssessmentResults

from gatekeeper.cli import FORMATS
from gatekeeper.jsonio import dumps

pytest_plugins = ("reporter_fixtures",)  # key_pair

SARIF_SCHEMA = EXAMPLES.parents[1] / "shared" / "schemas" / "sarif-schema-2.1.0.json"
EXAMPLE_CODES = {"model-release": 0, "unsafe-release": 1}


@pytest.fixture(scope="module")
def example_results(tmp_path_factory) -> dict[str, Path]:
    """Each example's results file, written by a real `gatekeeper check`."""
    from gatekeeper.cli import main

    folder = tmp_path_factory.mktemp("results")
    found = {}
    for name, code in EXAMPLE_CODES.items():
        path = folder / f"{name}.json"
        with pytest.raises(SystemExit) as exited:
            main(["check", "-c", str(EXAMPLES / name / "gatekeeper.yaml"), "--now", NOW,
                  "--results", str(path), "-f", "json", "-o", str(folder / f"{name}.copy")])
        assert exited.value.code == code
        found[name] = path
    return found


@pytest.mark.parametrize("example", sorted(EXAMPLE_CODES))
def test_report_renders_every_format(gatekeeper, example_results, example, tmp_path,
                                     key_pair):
    key, _ = key_pair()
    args = ["report", example_results[example], "--vsa-key", key,
            "-c", EXAMPLES / example / "gatekeeper.yaml"]
    for name in FORMATS:
        args += ["--output", f"{name}={tmp_path / f'report.{name}'}"]
    done = gatekeeper(*args)
    assert done.code == 0, done.err
    for name in FORMATS:
        assert (tmp_path / f"report.{name}").stat().st_size > 200
    html = (tmp_path / "report.html").read_text()
    word = "PASSED" if EXAMPLE_CODES[example] == 0 else "BLOCKED"
    assert f"<h1>{word}</h1>" in html
    if SARIF_SCHEMA.is_file():
        validator = jsonschema_rs.validator_for(json.loads(SARIF_SCHEMA.read_text()))
        assert validator.is_valid(json.loads((tmp_path / "report.sarif").read_text()))
    oscal = json.loads((tmp_path / "report.oscal").read_text())["assessment-results"]
    assert AllValidator().model_is_valid(AssessmentResults.model_validate(oscal), quiet=True)
    ET.fromstring((tmp_path / "report.junit").read_text())


def test_report_to_stdout(gatekeeper, example_results):
    done = gatekeeper("report", example_results["unsafe-release"], "-f", "markdown")
    assert done.code == 0 and done.out.startswith("## ❌ gatekeeper: BLOCKED")


def test_check_writes_reports_during_the_gate(gatekeeper, tmp_path):
    copy_example(EXAMPLES / "unsafe-release", tmp_path / "repo" / "ml")
    done = gatekeeper("check", "-c", "ml/gatekeeper.yaml", "--now", NOW,
                      "--output", "sarif=out/gate.sarif", "--output", "junit=out/gate.xml",
                      "-f", "markdown", "--sarif-category", "ml-gate", cwd=tmp_path / "repo")
    assert done.code == 1 and "BLOCKED" in done.out
    log = json.loads((tmp_path / "repo" / "out" / "gate.sarif").read_text())
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in log["runs"][0]["results"]}
    # paths relative to the repository root (the current directory), not to the config
    assert "ml/src/train.py" in uris and "ml/gatekeeper.yaml" in uris
    assert log["runs"][0]["automationDetails"]["id"] == "ml-gate/"
    junit = ET.parse(tmp_path / "repo" / "out" / "gate.xml").getroot()
    files = {case.get("file") for case in junit.iter("testcase") if case.get("file")}
    assert "ml/src/train.py" in files
    # every path in both reports points at a file of the repository
    assert sorted(p for p in uris | files if not (tmp_path / "repo" / p).is_file()) == []


def test_vsa_without_a_key_fails_before_the_gate_runs(gatekeeper, tmp_path):
    done = gatekeeper("check", "-c", EXAMPLES / "model-release" / "gatekeeper.yaml",
                      "--results", tmp_path / "r.json", "-f", "vsa", "-o", tmp_path / "v")
    assert done.code == 2 and "--format vsa needs --vsa-key" in done.err
    assert not (tmp_path / "r.json").exists()


def test_signed_summary_verifies_and_fails_after_a_one_byte_change(
    gatekeeper, example_results, tmp_path, key_pair
):
    key, public = key_pair()
    model = tmp_path / "model.safetensors"
    shutil.copy(EXAMPLES / "model-release" / "release" / "model.safetensors", model)
    results = json.loads(example_results["model-release"].read_text())
    summary = tmp_path / "vsa.json"
    assert gatekeeper("report", example_results["model-release"], "-f", "vsa", "-o", summary,
                      "--vsa-key", key, "--vsa-subject", model,
                      "-c", EXAMPLES / "model-release" / "gatekeeper.yaml").code == 0
    digest = results["policy"]["digest"]
    done = gatekeeper("verify-summary", summary, "--key", public, "--subject", model,
                      "--policy-digest", f"sha256:{digest}")
    assert done.code == 0, done.out
    assert "ok    signature" in done.out and done.out.rstrip().endswith("verified")

    data = bytearray(model.read_bytes())
    data[-1] ^= 0x01
    model.write_bytes(bytes(data))
    done = gatekeeper("verify-summary", summary, "--key", public, "--subject", model)
    assert done.code == 1 and "FAIL  subject" in done.out and "NOT verified" in done.out

    done = gatekeeper("verify-summary", summary, "--key", public, "--policy-digest", "0" * 64,
                      "--any-subject")
    assert done.code == 1 and "FAIL  policy" in done.out


def test_a_tampered_or_foreign_summary_does_not_verify(
    gatekeeper, example_results, tmp_path, key_pair
):
    key, public = key_pair(1)
    _, other_public = key_pair(2)
    summary = tmp_path / "vsa.json"
    gatekeeper("report", example_results["model-release"], "-f", "vsa", "-o", summary,
               "--vsa-key", key, "-c", EXAMPLES / "model-release" / "gatekeeper.yaml")
    done = gatekeeper("verify-summary", summary, "--key", other_public, "--any-subject")
    assert done.code == 1 and "FAIL  signature" in done.out

    envelope = json.loads(summary.read_text())
    statement = json.loads(base64.b64decode(envelope["payload"]))
    statement["predicate"]["policy"]["digest"]["sha256"] = "f" * 64
    envelope["payload"] = base64.b64encode(dumps(statement, pretty=False)).decode()
    summary.write_text(json.dumps(envelope))
    done = gatekeeper("verify-summary", summary, "--key", public, "--any-subject")
    assert done.code == 1 and "FAIL  signature" in done.out


def test_a_failed_gate_summary_does_not_verify(gatekeeper, example_results, tmp_path, key_pair):
    key, public = key_pair()
    summary = tmp_path / "vsa.json"
    gatekeeper("report", example_results["unsafe-release"], "-f", "vsa", "-o", summary,
               "--vsa-key", key, "-c", EXAMPLES / "unsafe-release" / "gatekeeper.yaml")
    done = gatekeeper("verify-summary", summary, "--key", public, "--any-subject")
    assert done.code == 1 and "FAIL  result: verificationResult FAILED" in done.out


def test_unreadable_inputs(gatekeeper, tmp_path, key_pair):
    _, public = key_pair()
    not_json = tmp_path / "x.json"
    not_json.write_text("{")
    done = gatekeeper("verify-summary", not_json, "--key", public, "--any-subject")
    assert done.code == 3 and "malformed JSON" in done.err
    not_envelope = tmp_path / "y.json"
    not_envelope.write_text("{}")
    assert gatekeeper("verify-summary", not_envelope, "--key", public, "--any-subject").code == 3
    done = gatekeeper("verify-summary", tmp_path / "missing.json", "--key", not_json,
                      "--any-subject")
    assert (done.code in (2, 3) and "missing.json" in done.err) or "x.json" in done.err


def test_report_refuses_a_results_file_it_cannot_trust(gatekeeper, example_results, tmp_path):
    results = json.loads(example_results["unsafe-release"].read_text())
    cases = {
        "other-version.json": dict(results, schema_version="9"),
        "invalid.json": dict(results, verdict={"outcome": "maybe"}),
        "not-results.json": {"hello": "world"},
    }
    for name, document in cases.items():
        (tmp_path / name).write_text(json.dumps(document))
    expected = {
        "other-version.json": "results schema version '9' is not supported",
        "invalid.json": "invalid results document",
        "not-results.json": "not a gatekeeper results document",
    }
    for name, message in expected.items():
        done = gatekeeper("report", tmp_path / name, "-f", "html")
        assert done.code == 3 and message in done.err and name in done.err
    (tmp_path / "broken.json").write_text("{")
    done = gatekeeper("report", tmp_path / "broken.json")
    assert done.code == 3 and "malformed JSON" in done.err
    done = gatekeeper("report", tmp_path / "nowhere.json")
    assert done.code == 3 and "file not found" in done.err
