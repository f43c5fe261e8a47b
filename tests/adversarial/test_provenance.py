"""What an attacker, or a team gaming its score, tries against signatures and provenance.

Each case runs the gate (or the command a pipeline runs) and checks the exit code, that no
control passed that should not, and that nothing partial was written.

The keyless cases use the corpus's real Fulcio certificates. A statement that contradicts its
certificate cannot be made here without Sigstore's keys, so those cases take the real evidence
document of the corpus release and give one statement what collection makes of such a bundle:
``provenance.bind_to_signer`` over the real certificate's facts and the attacker's predicate
(the real wrong-signer bundle of slsa-verifier, outside the corpus, is measured in the notes).
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
import yaml
from conftest import NOW
from cryptography import x509
from securesystemslib.dsse import Envelope
from securesystemslib.signer import CryptoSigner

from gatekeeper.evidence.provenance import bind_to_signer
from gatekeeper.evidence.trust import signer_facts

BCR = "slsa/slsa-verifier/bcr"
GENERIC = "slsa/slsa-verifier/gha_generic-v2.1.0/binary-linux-amd64-push-v14.intoto.jsonl"
EMAIL_SIGNED = "sigstore/sigstore-python/bundle.txt.sigstore"
GITHUB_ISSUER = "https://token.actions.githubusercontent.com"
RELEASE_RULESET = ("https://github.com/bazel-contrib/.github/.github/workflows/"
                   "release_ruleset.yaml@refs/tags/v7.1.0")
PUBLISH_TO_BCR = ("https://github.com/bazel-contrib/publish-to-bcr/.github/workflows/"
                  "publish.yaml@refs/tags/v0.0.1")
PROVENANCE_CONTROLS = ["SDL-builder-trusted", "SDL-source-matches", "SDL-provenance-verified"]


def corpus_release(corpus: Path) -> dict:
    """The corpus's two BCR bundles as one release, every builder and identity trusted."""
    return {
        "version": 1,
        "subject": {"name": "corpus-release"},
        "artifacts": [
            {"path": str(corpus / BCR / "rules_lint-v1.3.1.tar.gz"), "kind": "package"},
            {"path": str(corpus / BCR / "MODULE.bazel"), "kind": "other"},
        ],
        "evidence": {"provenance": {"attestations": [str(corpus / BCR / "*.intoto.jsonl")]}},
        "trust": {
            "identities": [{"name": "rules-lint",
                            "github": {"repository": "aspect-build/rules_lint"}}],
            "builders": [RELEASE_RULESET, PUBLISH_TO_BCR],
            "source": {"repository": "github.com/aspect-build/rules_lint"},
            "max_age_days": {"signatures": 1000, "provenance": 1000},
        },
        "profile": {"blocking": PROVENANCE_CONTROLS, "disabled": ["GRC-*", "MOD-*"]},
    }


def write_config(folder: Path, config: dict) -> Path:
    path = folder / "gatekeeper.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def outcomes(folder: Path) -> dict[str, dict]:
    results = json.loads((folder / "results.json").read_text())
    return {control["id"]: control for control in results["controls"]}


def certificate_of(corpus: Path, bundle: str) -> x509.Certificate:
    material = json.loads((corpus / bundle).read_text())["verificationMaterial"]
    raw = (material.get("certificate") or material["x509CertificateChain"]["certificates"][0])
    return x509.load_der_x509_certificate(base64.b64decode(raw["rawBytes"]))


def predicate_facts(statement: dict) -> dict:
    """What a statement's predicate claims (before its signer was asked)."""
    return {**statement, **{field: claim["predicate"]
                            for field, claim in statement["claims"].items()}}


def evaluate_forged(gatekeeper, folder: Path, corpus: Path, forge) -> dict[str, dict]:
    """Collect the real corpus release, let ``forge`` rewrite its first statement, evaluate."""
    write_config(folder, corpus_release(corpus))
    collected = gatekeeper("collect", "--now", NOW, "-o", "evidence.json", cwd=folder)
    assert collected.code == 0, collected.err
    evidence = json.loads((folder / "evidence.json").read_text())
    statements = evidence["provenance"]["statements"]
    statements[0] = forge(statements)
    (folder / "evidence.json").write_text(json.dumps(evidence))
    result = gatekeeper("evaluate", "evidence.json", "--now", NOW, "--results", "results.json",
                        cwd=folder)
    assert result.code == 1, result.out
    return outcomes(folder)


def test_the_real_release_agrees_with_its_certificates(gatekeeper, corpus, tmp_path):
    """The baseline the forged cases depart from: every fact comes from the certificate."""
    write_config(tmp_path, corpus_release(corpus))
    result = gatekeeper("check", "--now", NOW, "--results", "results.json", cwd=tmp_path)
    assert result.code == 0, result.out
    controls = outcomes(tmp_path)
    for build in controls["SDL-builder-trusted"]["details"]["builds"]:
        assert build["claims"]["builder_id"]["from"] == "certificate"
        assert build["claims"]["builder_id"]["agrees"] is True


def test_trusted_signer_naming_another_trusted_builder_fails(gatekeeper, corpus, tmp_path):
    """release_ruleset's certificate over a predicate that claims publish-to-bcr (both trusted)."""
    def forge(statements):
        release = next(s for s in statements if s["builder_id"] == RELEASE_RULESET)
        module = next(s for s in statements if s["builder_id"] == PUBLISH_TO_BCR)
        return {**release, **bind_to_signer(predicate_facts(module), release["signer"])}

    controls = evaluate_forged(gatekeeper, tmp_path, corpus, forge)
    builder = controls["SDL-builder-trusted"]
    assert builder["outcome"] == "fail"
    (message,) = [f["message"] for f in builder["messages"] if "predicate says" in f["message"]]
    assert PUBLISH_TO_BCR in message and RELEASE_RULESET in message


@pytest.mark.parametrize(("field", "claimed"), [
    ("source_repository", "https://github.com/aspect-build/rules_lint-fork"),
    ("source_ref", "refs/tags/v1.3.1"),
    ("source_commit", "0" * 40),
])
def test_predicate_contradicting_the_certificate_source_fails(
    gatekeeper, corpus, tmp_path, field, claimed
):
    def forge(statements):
        facts = {**predicate_facts(statements[0]), field: claimed}
        return {**statements[0], **bind_to_signer(facts, statements[0]["signer"])}

    controls = evaluate_forged(gatekeeper, tmp_path, corpus, forge)
    source = controls["SDL-source-matches"]
    assert source["outcome"] == "fail"
    messages = [f["message"] for f in source["messages"]]
    assert any(f"the predicate says {field} {claimed}" in m for m in messages), messages
    claims = source["details"]["builds"][0]["claims"][field]
    assert claims["from"] == "certificate" and claims["agrees"] is False


def test_another_repository_certificate_cannot_lend_its_source(gatekeeper, corpus, tmp_path):
    """example-package's real certificate over rules_lint's predicate: three facts disagree."""
    signer = signer_facts(certificate_of(corpus, GENERIC))

    def forge(statements):
        return {**statements[0], **bind_to_signer(predicate_facts(statements[0]), signer)}

    controls = evaluate_forged(gatekeeper, tmp_path, corpus, forge)
    assert controls["SDL-source-matches"]["outcome"] == "fail"
    assert controls["SDL-builder-trusted"]["outcome"] == "fail"
    disputed = [f["message"] for f in controls["SDL-source-matches"]["messages"]
                if "predicate says" in f["message"]]
    assert len(disputed) == 3
    assert any("https://github.com/slsa-framework/example-package" in m for m in disputed)


def test_a_person_certificate_cannot_vouch_for_a_builder(gatekeeper, corpus, tmp_path):
    """An email identity's certificate states no build: the predicate's builder is unvouched."""
    signer = signer_facts(certificate_of(corpus, EMAIL_SIGNED))
    assert "build" not in signer

    def forge(statements):
        return {**statements[0], "signer": signer,
                **bind_to_signer(predicate_facts(statements[0]), signer)}

    controls = evaluate_forged(gatekeeper, tmp_path, corpus, forge)
    assert controls["SDL-builder-trusted"]["outcome"] == "fail"
    assert controls["SDL-source-matches"]["outcome"] == "fail"
    assert any("nobody vouches for it" in f["message"]
               for f in controls["SDL-builder-trusted"]["messages"])


# --- keys bound to purposes and builders ---------------------------------------------------

BUILDER = "https://ci.example/builders/release@v1"


def key_release(folder: Path, key_entry: dict, builder: str = BUILDER) -> Path:
    """A release whose provenance is a DSSE statement signed here with a fresh key."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    key = ed25519.Ed25519PrivateKey.generate()
    (folder / "builder.pub").write_bytes(key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    (folder / "model.bin").write_bytes(b"weights")
    import hashlib

    statement = {
        "_type": "https://in-toto.io/Statement/v1",
        "subject": [{"name": "model.bin",
                     "digest": {"sha256": hashlib.sha256(b"weights").hexdigest()}}],
        "predicateType": "https://slsa.dev/provenance/v1",
        "predicate": {
            "buildDefinition": {"buildType": "https://ci.example/build@v1",
                                "externalParameters": {
                                    "source": "git+https://github.com/o/r@refs/tags/v1"}},
            "runDetails": {"builder": {"id": builder}},
        },
    }
    envelope = Envelope(json.dumps(statement).encode(), "application/vnd.in-toto+json", {})
    envelope.sign(CryptoSigner(key))
    (folder / "build.intoto.jsonl").write_text(json.dumps(envelope.to_dict()) + "\n")
    return write_config(folder, {
        "version": 1,
        "subject": {"name": "keyed"},
        "artifacts": [{"path": "model.bin", "kind": "model"}],
        "evidence": {"provenance": {"attestations": ["build.intoto.jsonl"]}},
        "trust": {"keys": [{"name": "signer", "path": "builder.pub", **key_entry}],
                  "builders": [BUILDER], "source": {"repository": "github.com/o/r"}},
        "profile": {"blocking": PROVENANCE_CONTROLS, "disabled": ["GRC-*", "MOD-*"]},
    })


def check(gatekeeper, folder: Path):
    result = gatekeeper("check", "--now", NOW, "--results", "results.json", cwd=folder)
    return result, outcomes(folder)


def test_model_signing_key_cannot_sign_provenance(gatekeeper, tmp_path):
    key_release(tmp_path, {"purposes": ["model-signing"], "builders": [BUILDER]})
    result, controls = check(gatekeeper, tmp_path)
    assert result.code == 1
    verified = controls["SDL-provenance-verified"]
    assert verified["outcome"] == "fail"
    assert any("allows for model-signing only, not for provenance" in f["message"]
               for f in verified["messages"])
    assert controls["SDL-builder-trusted"]["outcome"] != "pass"


def test_provenance_key_bound_to_no_builder_cannot_vouch_for_one(gatekeeper, tmp_path):
    key_release(tmp_path, {"purposes": ["provenance"]})
    result, controls = check(gatekeeper, tmp_path)
    assert result.code == 1
    builder = controls["SDL-builder-trusted"]
    assert builder["outcome"] == "fail"
    assert any("key signer is bound to builders []" in f["message"] for f in builder["messages"])


def test_key_bound_to_one_builder_cannot_claim_another_trusted_one(gatekeeper, tmp_path):
    key_release(tmp_path, {"purposes": ["provenance"], "builders": ["https://ci.example/other@v1"]})
    result, controls = check(gatekeeper, tmp_path)
    assert result.code == 1
    assert controls["SDL-builder-trusted"]["outcome"] == "fail"
    claim = controls["SDL-builder-trusted"]["details"]["builds"][0]["claims"]["builder_id"]
    assert (claim["from"], claim["agrees"]) == ("key", False)


def test_key_bound_to_the_builder_passes(gatekeeper, tmp_path):
    """The control case: the same release with the key bound to its builder passes."""
    key_release(tmp_path, {"purposes": ["provenance"], "builders": [BUILDER]})
    result, controls = check(gatekeeper, tmp_path)
    assert result.code == 0, result.out
    for control_id in PROVENANCE_CONTROLS:
        assert controls[control_id]["outcome"] == "pass", control_id
