"""Sigstore bundles from the corpus, verified offline, agreeing with VERIFICATION-LOG.txt."""

from __future__ import annotations

import hashlib
import shutil

import pytest
from trust_helpers import GITHUB_ISSUER, SIGSTORE, SLSA, collect

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence.signing import sigstore_bundles

WHEEL_IDENTITY = (
    "https://github.com/trailofbits/rfc8785.py/.github/workflows/release.yml@refs/tags/v0.1.2"
)
STAGING = {"sigstore": {"instance": "staging"}}


def verify(corpus, artifact, bundle, trust):
    setting = [{"artifact": artifact, "bundle": bundle}]
    (entry,) = collect(sigstore_bundles, setting, corpus, trust)
    return entry


def exact(identity, issuer):
    return {"identities": [{"identity": identity, "issuer": issuer}]}


def test_production_wheel_verifies_offline_with_the_manifest_identity(corpus):
    entry = verify(
        corpus, f"{SIGSTORE}/bundle_v3_github.whl", f"{SIGSTORE}/bundle_v3_github.whl.sigstore",
        exact(WHEEL_IDENTITY, GITHUB_ISSUER),
    )
    assert entry["verified"] is True and entry["error"] is None
    assert entry["signer"]["identity"] == WHEEL_IDENTITY
    assert entry["signer"]["trusted_as"] == WHEEL_IDENTITY
    assert entry["signer"]["github"]["sha"] == "d8b4a6445f38c48b9137a8099706d9b8073146e4"
    assert entry["log"]["id"] == "wNI9atQGlz+VWfO6LRygH4QUfY/8W4RFwiT5i5WRgB0="
    assert entry["log"]["kind"] == "hashedrekord/0.0.1"
    assert entry["log"]["index"] == 79605083
    assert entry["signed_at"] == entry["log"]["integrated_time"] == "2024-03-19T22:41:16Z"


def test_production_wheel_verifies_with_a_github_workflow_identity(corpus):
    github = {"repository": "trailofbits/rfc8785.py", "workflow": ".github/workflows/release.yml",
              "ref": "refs/tags/v0.1.2", "trigger": "release"}
    entry = verify(
        corpus, f"{SIGSTORE}/bundle_v3_github.whl", f"{SIGSTORE}/bundle_v3_github.whl.sigstore",
        {"identities": [{"name": "rfc8785-release", "github": github}]},
    )
    assert entry["verified"] is True
    assert entry["signer"]["trusted_as"] == "rfc8785-release"


@pytest.mark.parametrize(
    ("field", "value"),
    [("repository", "trailofbits/other"), ("ref", "refs/tags/v9"), ("trigger", "push"),
     ("workflow", ".github/workflows/ci.yml")],
)
def test_a_different_github_workflow_claim_is_rejected(corpus, field, value):
    github = {"repository": "trailofbits/rfc8785.py", field: value}
    entry = verify(
        corpus, f"{SIGSTORE}/bundle_v3_github.whl", f"{SIGSTORE}/bundle_v3_github.whl.sigstore",
        {"identities": [{"github": github}]},
    )
    assert entry["verified"] is False and entry["unverifiable"] is False
    assert "not a trusted identity" in entry["error"]


@pytest.mark.parametrize(
    ("identity", "issuer"),
    [("https://github.com/someone/else/.github/workflows/release.yml@refs/tags/v0.1.2",
      GITHUB_ISSUER),
     (WHEEL_IDENTITY, "https://accounts.google.com")],
    ids=["wrong identity", "wrong issuer"],
)
def test_wrong_identity_or_issuer_is_rejected_naming_the_signer(corpus, identity, issuer):
    entry = verify(
        corpus, f"{SIGSTORE}/bundle_v3_github.whl", f"{SIGSTORE}/bundle_v3_github.whl.sigstore",
        exact(identity, issuer),
    )
    assert entry["verified"] is False and entry["unverifiable"] is False
    assert entry["error"] == (
        f"signed by {WHEEL_IDENTITY} (issuer {GITHUB_ISSUER}), which is not a trusted identity "
        "(1 configured in trust.identities)"
    )


def test_no_trusted_identity_never_passes(corpus):
    entry = verify(
        corpus, f"{SIGSTORE}/bundle_v3_github.whl", f"{SIGSTORE}/bundle_v3_github.whl.sigstore", {}
    )
    assert entry["verified"] is False
    assert "configure trust.identities" in entry["error"]


@pytest.mark.parametrize(
    ("artifact", "bundle", "identity", "issuer"),
    [
        ("bundle.txt", "bundle.txt.sigstore", "a@tny.town", "https://github.com/login/oauth"),
        ("bundle_v3.txt", "bundle_v3.txt.sigstore", "william@yossarian.net",
         "https://github.com/login/oauth"),
        ("bundle_v3_alt.txt", "bundle_v3_alt.txt.sigstore", "william@yossarian.net",
         "https://github.com/login/oauth"),
        ("tsa/bundle.txt", "tsa/bundle.txt.sigstore", "alexis.challande@trailofbits.com",
         "https://accounts.google.com"),
        ("staging-rekor-v2.txt", "staging-rekor-v2.txt.sigstore.json", "jku@goto.fi",
         "https://github.com/login/oauth"),
    ],
)
def test_staging_bundles_verify_with_the_staging_root(corpus, artifact, bundle, identity, issuer):
    trust = {**STAGING, **exact(identity, issuer)}
    entry = verify(corpus, f"{SIGSTORE}/{artifact}", f"{SIGSTORE}/{bundle}", trust)
    assert entry["verified"] is True, entry["error"]
    assert entry["signed_at"] is not None


def test_rekor_v2_bundle_takes_its_time_from_the_timestamp_authority(corpus):
    trust = {**STAGING, **exact("jku@goto.fi", "https://github.com/login/oauth")}
    entry = verify(corpus, f"{SIGSTORE}/staging-rekor-v2.txt",
                   f"{SIGSTORE}/staging-rekor-v2.txt.sigstore.json", trust)
    assert entry["log"]["kind"] == "hashedrekord/0.0.2"
    assert entry["log"]["integrated_time"] is None
    assert [stamp["source"] for stamp in entry["timestamps"]] == ["timestamp_authority"]


def test_staging_bundle_against_the_production_root_does_not_chain(corpus):
    """The log: FAIL (expected): failed to build timestamp certificate chain."""
    entry = verify(corpus, f"{SIGSTORE}/bundle_v3.txt", f"{SIGSTORE}/bundle_v3.txt.sigstore",
                   exact("william@yossarian.net", "https://github.com/login/oauth"))
    assert entry["verified"] is False and entry["unverifiable"] is False
    assert entry["error"].startswith("failed to build timestamp certificate chain")


def test_bundle_without_log_entry_is_rejected(corpus):
    """The log: FAIL (expected): expected exactly one log entry in bundle."""
    trust = {**STAGING, **exact("alex.cameron@trailofbits.com", "https://accounts.google.com")}
    entry = verify(corpus, f"{SIGSTORE}/bundle_no_log_entry.txt",
                   f"{SIGSTORE}/bundle_no_log_entry.txt.sigstore", trust)
    assert entry["verified"] is False and entry["unverifiable"] is False
    assert entry["error"] == "not a valid Sigstore bundle: expected exactly one log entry in bundle"


def test_a_user_trusted_root_replaces_the_shipped_one(corpus):
    """trustedroot.v1.json is a production-instance root (public-good Fulcio and Rekor, plus
    GitHub's timestamp authority), not staging: it verifies production bundles only."""
    root = {"sigstore": {"trusted_root": f"{SIGSTORE}/trusted_root/trustedroot.v1.json"}}
    wheel = verify(
        corpus, f"{SIGSTORE}/bundle_v3_github.whl", f"{SIGSTORE}/bundle_v3_github.whl.sigstore",
        {**root, **exact(WHEEL_IDENTITY, GITHUB_ISSUER)},
    )
    assert wheel["verified"] is True
    staging = verify(corpus, f"{SIGSTORE}/bundle.txt", f"{SIGSTORE}/bundle.txt.sigstore",
                     {**root, **exact("a@tny.town", "https://github.com/login/oauth")})
    assert staging["verified"] is False


def test_tampered_artifact_is_rejected(corpus, tmp_path):
    shutil.copy(corpus / SIGSTORE / "bundle_v3_github.whl.sigstore", tmp_path / "app.sigstore")
    data = bytearray((corpus / SIGSTORE / "bundle_v3_github.whl").read_bytes())
    data[100] ^= 0x01
    (tmp_path / "app.whl").write_bytes(bytes(data))
    (entry,) = collect(sigstore_bundles, [{"artifact": "app.whl", "bundle": "app.sigstore"}],
                       tmp_path, exact(WHEEL_IDENTITY, GITHUB_ISSUER))
    assert entry["verified"] is False and entry["unverifiable"] is False
    signed = hashlib.sha256((corpus / SIGSTORE / "bundle_v3_github.whl").read_bytes()).hexdigest()
    assert entry["error"].startswith(
        f"the artifact's sha256 is {hashlib.sha256(bytes(data)).hexdigest()} "
        f"but the bundle signed {signed}"
    )
    assert "modified after signing" in entry["error"]


def test_bundle_for_another_artifact_is_rejected(corpus):
    trust = {**STAGING, **exact("a@tny.town", "https://github.com/login/oauth")}
    entry = verify(corpus, f"{SIGSTORE}/bundle_v3.txt", f"{SIGSTORE}/bundle.txt.sigstore", trust)
    assert entry["verified"] is False and entry["unverifiable"] is False
    assert "or the bundle is for another artifact" in entry["error"]


def test_dsse_bundle_must_name_the_artifact_as_a_subject(corpus):
    identity = ("https://github.com/bazel-contrib/.github/.github/workflows/"
                "release_ruleset.yaml@refs/tags/v7.1.0")
    bundle = f"{SLSA}/bcr/rules_lint-v1.3.1.tar.gz.intoto.jsonl"
    matching = verify(corpus, f"{SLSA}/bcr/rules_lint-v1.3.1.tar.gz", bundle,
                      exact(identity, GITHUB_ISSUER))
    assert matching["verified"] is True and matching["content"] == "dsse"
    assert matching["subjects"][0]["sha256"] == matching["artifact_sha256"]
    other = verify(corpus, f"{SLSA}/bcr/MODULE.bazel", bundle, exact(identity, GITHUB_ISSUER))
    assert other["verified"] is False
    assert "no subject with the artifact's sha256" in other["error"]


def test_log_entry_types_the_library_refuses_are_unverifiable(corpus):
    """The log: Integrated time only supported for dsse/hashedrekord 0.0.1 types."""
    identity = ("https://github.com/slsa-framework/slsa-github-generator/.github/workflows/"
                "delegator_generic_slsa3.yml@refs/tags/v2.1.0")
    entry = verify(corpus, f"{SLSA}/gha_delegator-v2.1.0/binary-linux-amd64-push-v14",
                   f"{SLSA}/gha_delegator-v2.1.0/binary-linux-amd64-push-v14.build.slsa",
                   exact(identity, GITHUB_ISSUER))
    assert entry["verified"] is False and entry["unverifiable"] is True
    assert "Integrated time only supported for dsse/hashedrekord 0.0.1 types" in entry["error"]


def test_json_that_is_no_bundle_is_rejected(tmp_path):
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / "a.sigstore.json").write_text('{"mediaType": "application/json"}')
    (entry,) = collect(sigstore_bundles, [{"artifact": "a.txt", "bundle": "a.sigstore.json"}],
                       tmp_path, {})
    assert entry["verified"] is False and entry["unverifiable"] is False
    assert entry["error"] == ("not a Sigstore bundle: its mediaType 'application/json' is none "
                              "of the bundle media types")


@pytest.mark.parametrize("text", ["not json at all", None], ids=["not JSON", "truncated"])
def test_unreadable_bundle_is_an_evidence_error_naming_the_file(corpus, tmp_path, text):
    source = (corpus / SIGSTORE / "bundle_v3_github.whl.sigstore").read_text()
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / "a.sigstore").write_text(text if text is not None else source[: len(source) // 2])
    with pytest.raises(EvidenceError) as raised:
        collect(sigstore_bundles, [{"artifact": "a.txt", "bundle": "a.sigstore"}], tmp_path, {})
    assert str(raised.value).startswith("a.sigstore: malformed JSON")
