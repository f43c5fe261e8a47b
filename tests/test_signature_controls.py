"""End to end: `gatekeeper check` over real signatures and provenance, and the errors rule."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLES, NOW, copy_example

from gatekeeper.config import Enforcement
from gatekeeper.engine.interface import Decision, decision_from_values
from gatekeeper.engine.policies import Control
from gatekeeper.results import Outcome, control_result
from gatekeeper.schemas import validation_errors
from gatekeeper.verdict import decide

SIGNATURE_CONTROLS = [
    "SDL-artifacts-signed", "SDL-provenance-verified", "SDL-builder-trusted",
    "SDL-source-matches", "SDL-attestations-fresh",
]
BCR = "slsa/slsa-verifier/bcr"
WHEEL = "sigstore/sigstore-python/bundle_v3_github.whl"
BCR_BUILDER = ("https://github.com/bazel-contrib/.github/.github/workflows/"
               "release_ruleset.yaml@refs/tags/v7.1.0")
GITHUB_ISSUER = "https://token.actions.githubusercontent.com"


def release_config(corpus: Path, **changes) -> dict:
    """The corpus's production artifacts as one release, trusted as the MANIFEST says."""
    config = {
        "version": 1,
        "subject": {"name": "corpus-release"},
        "outside_repository": [str(corpus)],  # the corpus lies outside tmp_path
        "artifacts": [
            {"path": str(corpus / BCR / "rules_lint-v1.3.1.tar.gz"), "kind": "package"},
            {"path": str(corpus / BCR / "MODULE.bazel"), "kind": "other"},
        ],
        "evidence": {
            "signatures": [
                {"artifact": str(corpus / BCR / "rules_lint-v1.3.1.tar.gz"),
                 "bundle": str(corpus / BCR / "rules_lint-v1.3.1.tar.gz.intoto.jsonl")},
                {"artifact": str(corpus / BCR / "MODULE.bazel"),
                 "bundle": str(corpus / BCR / "MODULE.bazel.intoto.jsonl")},
            ],
            "provenance": {"attestations": [str(corpus / BCR / "*.intoto.jsonl")]},
        },
        "trust": {
            "identities": [
                {"name": "bcr-release", "identity": BCR_BUILDER, "issuer": GITHUB_ISSUER},
                {"name": "bcr-publish", "github": {"repository": "aspect-build/rules_lint"}},
            ],
            "builders": [
                BCR_BUILDER,
                "https://github.com/bazel-contrib/publish-to-bcr/.github/workflows/"
                "publish.yaml@refs/tags/v0.0.1",
            ],
            "source": {"repository": "github.com/aspect-build/rules_lint",
                       "refs": ["refs/heads/publish-to-bcr"]},
            "max_age_days": {"signatures": 1000, "provenance": 1000},
        },
        "profile": {"blocking": SIGNATURE_CONTROLS, "disabled": ["GRC-*", "MOD-*"]},
    }
    for key, value in changes.items():
        config[key] = value
    return config


@pytest.fixture(autouse=True)
def _signature_controls_alone(tmp_path, monkeypatch):
    """These profiles isolate the signature controls: an organization policy (the only place
    that may) releases the other mandatory controls."""
    org = tmp_path / "org-policy.yaml"
    org.write_text("version: 1\nshipped_mandatory: false\n")
    monkeypatch.setenv("GATEKEEPER_ORG_POLICY", str(org))


def run(gatekeeper, tmp_path: Path, config: dict, *extra: str):
    (tmp_path / "gatekeeper.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    result = gatekeeper("check", "--now", NOW, "--results", "results.json", *extra, cwd=tmp_path)
    results = json.loads((tmp_path / "results.json").read_text())
    return result, {control["id"]: control for control in results["controls"]}


def test_production_bundles_and_provenance_verify_offline(gatekeeper, corpus, tmp_path):
    result, controls = run(gatekeeper, tmp_path, release_config(corpus))
    assert result.code == 0, result.out
    for control_id in SIGNATURE_CONTROLS:
        assert controls[control_id]["outcome"] == "pass", control_id
    signatures = controls["SDL-artifacts-signed"]["details"]["signatures"]
    assert {entry["signer"]["trusted_as"] for entry in signatures} == {"bcr-release", "bcr-publish"}
    assert all(entry["log"]["index"] > 0 and entry["signed_at"] for entry in signatures)
    builds = controls["SDL-builder-trusted"]["details"]["builds"]
    assert all(build["trusted"] for build in builds)
    assert "VERDICT: PASSED" in result.out


def test_an_untrusted_builder_and_another_source_fail(gatekeeper, corpus, tmp_path):
    config = release_config(corpus)
    config["trust"] = {**config["trust"], "builders": [BCR_BUILDER],
                       "source": {"repository": "https://github.com/evil/fork"}}
    result, controls = run(gatekeeper, tmp_path, config)
    assert result.code == 1
    assert controls["SDL-builder-trusted"]["outcome"] == "fail"
    assert "publish-to-bcr" in controls["SDL-builder-trusted"]["messages"][0]["message"]
    assert controls["SDL-source-matches"]["outcome"] == "fail"
    source = controls["SDL-source-matches"]["messages"][0]["message"]
    assert "not from https://github.com/evil/fork" in source


def test_old_signatures_fail_and_future_ones_are_not_yet_valid(gatekeeper, corpus, tmp_path):
    config = release_config(corpus)
    config["trust"] = {**config["trust"], "max_age_days": {"signatures": 30, "provenance": 30}}
    result, controls = run(gatekeeper, tmp_path, config)
    assert result.code == 1
    messages = [m["message"] for m in controls["SDL-attestations-fresh"]["messages"]]
    assert any("days old" in message and "allows 30" in message for message in messages)
    (tmp_path / "results.json").unlink()
    early = gatekeeper("check", "--now", "2024-01-01T00:00:00Z", "--format", "json", cwd=tmp_path)
    controls = {c["id"]: c for c in json.loads(early.out)["controls"]}
    fresh = controls["SDL-attestations-fresh"]
    assert fresh["outcome"] == "fail"
    assert all("not yet valid" in m["message"] for m in fresh["messages"])


def test_unverifiable_provenance_is_an_error_with_the_library_reason(gatekeeper, corpus, tmp_path):
    delegator = "slsa/slsa-verifier/gha_delegator-v2.1.0/binary-linux-amd64-push-v14.build.slsa"
    config = release_config(corpus)
    config["evidence"]["provenance"]["attestations"].append(str(corpus / delegator))
    result, controls = run(gatekeeper, tmp_path, config)
    assert result.code == 3
    provenance = controls["SDL-provenance-verified"]
    assert provenance["outcome"] == "error"
    assert "Integrated time only supported for dsse/hashedrekord 0.0.1 types" in (
        provenance["messages"][0]["message"]
    )
    assert "VERDICT: ERROR (exit 3)" in result.out


def test_a_signature_over_another_artifact_fails_the_gate(gatekeeper, corpus, tmp_path):
    config = release_config(corpus)
    config["evidence"]["signatures"][1]["bundle"] = config["evidence"]["signatures"][0]["bundle"]
    result, controls = run(gatekeeper, tmp_path, config)
    assert result.code == 1
    messages = [m["message"] for m in controls["SDL-artifacts-signed"]["messages"]]
    assert any("no subject with the artifact's sha256" in message for message in messages)


def test_a_wheel_signed_by_github_actions_verifies(gatekeeper, corpus, tmp_path):
    config = release_config(
        corpus,
        artifacts=[{"path": str(corpus / WHEEL), "kind": "package"}],
        evidence={"signatures": [{"artifact": str(corpus / WHEEL),
                                  "bundle": str(corpus / f"{WHEEL}.sigstore")}]},
        profile={"blocking": ["SDL-artifacts-signed"], "disabled": ["GRC-*", "MOD-*"]},
    )
    config["trust"] = {"identities": [{"github": {
        "repository": "trailofbits/rfc8785.py", "ref": "refs/tags/v0.1.2", "trigger": "release",
    }}]}
    result, controls = run(gatekeeper, tmp_path, config)
    assert controls["SDL-artifacts-signed"]["outcome"] == "pass", result.out
    assert result.code == 0


def test_collect_then_evaluate_gives_the_same_verdict(gatekeeper, corpus, tmp_path):
    result, _ = run(gatekeeper, tmp_path, release_config(corpus))
    collected = gatekeeper("collect", "--now", NOW, "-o", "evidence.json", cwd=tmp_path)
    assert collected.code == 0
    evidence = json.loads((tmp_path / "evidence.json").read_text())
    assert evidence["trust"]["sigstore"]["instance"] == "production"
    assert evidence["trust"]["source"]["repository"] == "https://github.com/aspect-build/rules_lint"
    again = gatekeeper("evaluate", "evidence.json", "--now", NOW, cwd=tmp_path)
    assert again.code == result.code == 0


def test_a_missing_trusted_key_is_a_configuration_error(gatekeeper, tmp_path):
    (tmp_path / "model.bin").write_bytes(b"weights")
    (tmp_path / "model.sig").write_text("{}")
    config = {"version": 1, "subject": {"name": "x"},
              "artifacts": [{"path": "model.bin", "kind": "model"}],
              "evidence": {"model_signatures": [{"model": "model.bin", "signature": "model.sig"}]},
              "trust": {"keys": [{"name": "release", "path": "keys/missing.pub"}]}}
    (tmp_path / "gatekeeper.yaml").write_text(yaml.safe_dump(config))
    result = gatekeeper("check", "--now", NOW, cwd=tmp_path)
    assert result.code == 2
    assert "keys/missing.pub: trust.keys[0].path: file not found" in result.err


def test_an_identity_needs_an_issuer_or_a_github_repository(gatekeeper, tmp_path):
    config = {"version": 1, "subject": {"name": "x"},
              "trust": {"identities": [{"identity": "someone@example.com"}]}}
    (tmp_path / "gatekeeper.yaml").write_text(yaml.safe_dump(config))
    result = gatekeeper("check", "--now", NOW, cwd=tmp_path)
    assert result.code == 2
    assert "trust.identities[0]" in result.err


CONTROL = Control(
    id="SDL-example", package="gatekeeper.controls.sdl.example", path=Path("example.rego"),
    title="t", description="d", remediation="r", severity="high", questions=(), waivable=True,
)


def test_the_errors_rule_makes_the_outcome_error():
    decision = decision_from_values(True, ["a denial"], [], None, ["could not verify x"])
    result = control_result(CONTROL, Enforcement.BLOCKING, decision, [])
    assert result.outcome is Outcome.ERROR
    assert [m.text for m in result.messages] == ["could not verify x", "a denial"]
    assert decide([result.standing]).exit_code == 3


def test_no_errors_leaves_the_outcome_to_deny_and_applicable():
    decision = decision_from_values(True, [], [], None, [])
    assert control_result(CONTROL, Enforcement.BLOCKING, decision, []).outcome is Outcome.PASS
    assert decision_from_values(True, [], [], None, None).errors == ()


def test_errors_must_be_a_set():
    assert decision_from_values(True, [], [], None, "oops") == Decision(
        error="'errors' must be a set, got str"
    )


@pytest.fixture
def model_release(tmp_path):
    copy = tmp_path / "model-release"
    copy_example(EXAMPLES / "model-release", copy)
    return copy


def test_the_example_release_verifies_its_model_signature_and_provenance(gatekeeper, model_release):
    result = gatekeeper("check", "--now", NOW, "--format", "json", cwd=model_release)
    assert result.code == 0, result.out
    results = json.loads(result.out)
    assert validation_errors(results, "results") == []
    controls = {c["id"]: c for c in results["controls"]}
    for control_id in [*SIGNATURE_CONTROLS, "MOD-model-signed"]:
        assert controls[control_id]["outcome"] in ("pass", "warn"), control_id
    (signature,) = controls["MOD-model-signed"]["details"]["model_signatures"]
    assert signature["signer"]["trusted_as"] == "release-manager"
    assert [file["path"] for file in signature["files"]] == ["release/model.safetensors"]
    (statement,) = controls["SDL-provenance-verified"]["details"]["statements"]
    assert statement["signer"]["trusted_as"] == "training-pipeline"
    assert statement["slsa_version"] == "1"
    # A key signature carries no trusted time: reported, not hidden.
    assert controls["SDL-attestations-fresh"]["outcome"] == "warn"


def test_one_flipped_byte_in_the_example_model_blocks_the_release(gatekeeper, model_release):
    model = model_release / "release" / "model.safetensors"
    data = bytearray(model.read_bytes())
    data[len(data) // 2] ^= 0x01
    model.write_bytes(bytes(data))
    result = gatekeeper("check", "--now", NOW, cwd=model_release)
    assert result.code == 1
    text = " ".join(result.out.split())  # the report wraps long lines
    assert "FAIL MOD-model-signed" in text
    assert "modified after signing: model.safetensors" in text
    assert "VERDICT: BLOCKED (exit 1)" in result.out


def test_the_unsafe_example_has_no_signatures_and_is_blocked(gatekeeper):
    result = gatekeeper("check", "--now", NOW, "--format", "json", "--results",
                        "/dev/null", cwd=EXAMPLES / "unsafe-release")
    assert result.code == 1
    controls = {c["id"]: c for c in json.loads(result.out)["controls"]}
    for control_id in [*SIGNATURE_CONTROLS, "MOD-model-signed"]:
        assert controls[control_id]["outcome"] == "no_evidence", control_id
