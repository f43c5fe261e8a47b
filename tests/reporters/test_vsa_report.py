"""SLSA verification summaries: signed with a key, verified by `gatekeeper verify-summary`."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from gatekeeper.errors import ConfigError
from gatekeeper.reporters import vsa
from gatekeeper.reporters.interface import ReportOptions

pytest_plugins = ("reporter_fixtures",)  # full_results, minimal_results, snapshot, key_pair


@pytest.fixture
def keys(key_pair) -> tuple[Path, Path]:
    return key_pair()


def payload(envelope_text: str) -> dict:
    return json.loads(base64.b64decode(json.loads(envelope_text)["payload"]))


def test_snapshot(full_results, keys, snapshot):
    signing = vsa.Signing(vsa.load_signer(keys[0]))
    snapshot("full.vsa.json", vsa.render(full_results, ReportOptions(signing=signing)))


def test_statement_fields(full_results, keys):
    signing = vsa.Signing(vsa.load_signer(keys[0]))
    statement = payload(vsa.render(full_results, ReportOptions(signing=signing)))
    assert statement["_type"] == "https://in-toto.io/Statement/v1"
    assert statement["predicateType"] == "https://slsa.dev/verification_summary/v1"
    assert statement["subject"] == [{"name": "release/model.pkl", "digest": {
        "sha256": next(s["sha256"] for s in full_results["evidence"]["sources"]
                       if s["collector"] == "artifacts")}}]
    predicate = statement["predicate"]
    assert predicate["verifier"]["id"] == vsa.VERIFIER_ID
    assert predicate["verifier"]["version"]["gatekeeper"] == full_results["tool"]["version"]
    assert predicate["timeVerified"] == "2026-11-28T12:00:00Z"
    assert predicate["resourceUri"] == "pkg:generic/forum-summarizer@0.3.0"
    assert predicate["policy"]["digest"] == {"sha256": full_results["policy"]["digest"]}
    assert len(predicate["inputAttestations"]) == len(full_results["evidence"]["sources"]) - 1
    assert predicate["verificationResult"] == "FAILED"
    assert predicate["verifiedLevels"] == ["FAILED"]
    assert predicate[vsa.CONTROLS_FIELD]["SDL-iac-scan-clean"] == {
        "outcome": "waived", "enforcement": "blocking", "exception": "iac-scan-pending"}
    assert predicate[vsa.MATURITY_FIELD]["domains"]["SDL"] == {"level": 1, "mean": 0.56}


def test_passing_run_with_given_subject_and_resource(minimal_results, keys, tmp_path):
    results = dict(minimal_results, verdict={"outcome": "pass", "exit_code": 0, "reasons": []})
    artifact = tmp_path / "model.onnx"
    artifact.write_bytes(b"weights")
    signing = vsa.Signing(vsa.load_signer(keys[0]), (vsa.subject(str(artifact)),), "oci://r/m")
    statement = payload(vsa.render(results, ReportOptions(signing=signing)))
    assert statement["subject"][0]["name"] == artifact.as_posix()
    assert statement["predicate"]["resourceUri"] == "oci://r/m"
    assert statement["predicate"]["verifiedLevels"] == ["GATEKEEPER_GATE_PASSED"]
    assert vsa.MATURITY_FIELD not in statement["predicate"]
    digest = "a" * 64
    assert vsa.subject(f"sha256:{digest}") == {"digest": {"sha256": digest}}


def test_no_key_no_summary(full_results):
    with pytest.raises(ConfigError, match="needs a signing key"):
        vsa.render(full_results)


def test_no_subject_is_an_error(minimal_results, keys):
    results = dict(minimal_results)
    results["evidence"] = dict(results["evidence"], sources=[
        s for s in results["evidence"]["sources"] if s["collector"] != "artifacts"])
    with pytest.raises(ConfigError, match="needs a subject"):
        vsa.render(results, ReportOptions(signing=vsa.Signing(vsa.load_signer(keys[0]))))


def test_bad_keys_are_configuration_errors(tmp_path):
    bad = tmp_path / "bad.pem"
    bad.write_text("not a key")
    with pytest.raises(ConfigError, match="not a usable PEM private key"):
        vsa.load_signer(bad)
    with pytest.raises(ConfigError, match="not a usable PEM public key"):
        vsa.load_public_key(bad)
    with pytest.raises(ConfigError, match="file not found"):
        vsa.load_signer(tmp_path / "missing.pem")
