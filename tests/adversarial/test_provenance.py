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
import hashlib
import json
from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLES, NOW, copy_example
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from securesystemslib.dsse import Envelope
from securesystemslib.signer import CryptoSigner

from gatekeeper.cli import main
from gatekeeper.evidence.signing.provenance import bind_to_signer
from gatekeeper.evidence.signing.trust import signer_facts

BCR = "slsa/slsa-verifier/bcr"
GENERIC = "slsa/slsa-verifier/gha_generic-v2.1.0/binary-linux-amd64-push-v14.intoto.jsonl"
EMAIL_SIGNED = "sigstore/sigstore-python/bundle.txt.sigstore"
GITHUB_ISSUER = "https://token.actions.githubusercontent.com"
RELEASE_RULESET = ("https://github.com/bazel-contrib/.github/.github/workflows/"
                   "release_ruleset.yaml@refs/tags/v7.1.0")
PUBLISH_TO_BCR = ("https://github.com/bazel-contrib/publish-to-bcr/.github/workflows/"
                  "publish.yaml@refs/tags/v0.0.1")
PROVENANCE_CONTROLS = ["SDL-builder-trusted", "SDL-source-matches", "SDL-provenance-verified"]


@pytest.fixture(autouse=True)
def _provenance_controls_alone(tmp_path, monkeypatch):
    """These profiles isolate the signing and provenance controls: an organization policy (the
    only place that may) releases the other mandatory controls."""
    org = tmp_path / "org-policy.yaml"
    org.write_text("version: 1\nshipped_mandatory: false\n")
    monkeypatch.setenv("GATEKEEPER_ORG_POLICY", str(org))


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
        "outside_repository": [str(corpus)],  # the corpus lies outside tmp_path
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
    controls = outcomes(folder)
    # A statement its signer does not vouch for covers no artifact.
    verified = controls["SDL-provenance-verified"]
    assert verified["outcome"] == "fail"
    assert any("contradicts its signer" in m["message"] for m in verified["messages"])
    return controls


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
    key = ed25519.Ed25519PrivateKey.generate()
    (folder / "builder.pub").write_bytes(key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    (folder / "model.bin").write_bytes(b"weights")
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


# --- verification summaries that cannot be re-labelled -------------------------------------

@pytest.fixture(scope="module")
def gate_runs(tmp_path_factory):
    """The two examples' results, each from a real `gatekeeper check`, and a signing key."""
    folder = tmp_path_factory.mktemp("gate-runs")
    runs = {}
    for name, code in (("model-release", 0), ("unsafe-release", 1)):
        example = copy_example(EXAMPLES / name, folder / name)
        with pytest.raises(SystemExit) as exited:
            main(["check", "-c", str(example / "gatekeeper.yaml"), "--now", NOW,
                  "--results", str(folder / f"{name}.json"), "-f", "json",
                  "-o", str(folder / f"{name}.copy")])
        assert exited.value.code == code
        runs[name] = example
    key = ed25519.Ed25519PrivateKey.generate()
    (folder / "vsa.key").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    (folder / "vsa.pub").write_bytes(key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    return folder, runs


def sign_results(gatekeeper, gate_runs, name: str, edit, tmp_path: Path):
    """`report -f vsa` over the example's results after ``edit`` changed them."""
    folder, runs = gate_runs
    results = json.loads((folder / f"{name}.json").read_text())
    edit(results)
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(results))
    summary = tmp_path / "vsa.json"
    done = gatekeeper("report", edited, "-f", "vsa", "-o", summary, "--vsa-key",
                      folder / "vsa.key", "-c", runs[name] / "gatekeeper.yaml")
    return done, summary


def relabel_pass(results):
    results["verdict"] = {"outcome": "pass", "exit_code": 0, "reasons": []}


def relabel_summary(results):
    relabel_pass(results)
    for control in results["controls"]:
        if control["outcome"] == "fail" and control["enforcement"] == "blocking":
            control["outcome"] = "pass"
            control["messages"] = []


@pytest.mark.parametrize(("edit", "words"), [
    (relabel_pass, "its verdict says pass (exit 0) but its control outcomes give fail (exit 1)"),
    (relabel_summary, "its summary says"),
    (lambda results: results["policy"].update(digest="0" * 64), "its policy digest is 0000"),
    (lambda results: results["summary"].update({"pass": results["summary"]["pass"] + 5}),
     "its summary says"),
], ids=["verdict", "outcomes-and-verdict", "policy-digest", "summary-count"])
def test_relabelled_results_are_refused_and_nothing_is_written(
    gatekeeper, gate_runs, tmp_path, edit, words
):
    name = "unsafe-release" if edit in (relabel_pass, relabel_summary) else "model-release"
    done, summary = sign_results(gatekeeper, gate_runs, name, edit, tmp_path)
    assert done.code == 3, done.err
    assert words in done.err and "edited.json" in done.err
    assert not summary.exists()


def test_unedited_results_are_signed(gatekeeper, gate_runs, tmp_path):
    done, summary = sign_results(gatekeeper, gate_runs, "model-release", lambda r: None, tmp_path)
    assert done.code == 0, done.err
    assert summary.is_file()


@pytest.fixture
def signed_summary(gatekeeper, gate_runs, tmp_path):
    done, summary = sign_results(gatekeeper, gate_runs, "model-release", lambda r: None, tmp_path)
    assert done.code == 0, done.err
    folder, runs = gate_runs
    return summary, folder / "vsa.pub", runs["model-release"] / "release" / "model.safetensors"


def verify_summary(gatekeeper, signed, *extra):
    summary, public, _ = signed
    return gatekeeper("verify-summary", summary, "--key", public, *extra)


def test_summary_without_subject_is_refused_unless_any_subject_is_explicit(
    gatekeeper, signed_summary
):
    done = verify_summary(gatekeeper, signed_summary)
    assert done.code == 2 and "needs --subject" in done.err and "verified" not in done.out
    assert verify_summary(gatekeeper, signed_summary, "--any-subject", "--now", NOW).code == 0


def test_stale_summary_is_refused(gatekeeper, signed_summary):
    model = signed_summary[2]
    fresh = verify_summary(gatekeeper, signed_summary, "--subject", model, "--now",
                           "2026-12-04T12:00:00Z", "--max-age", "7d")
    assert fresh.code == 0, fresh.out
    stale = verify_summary(gatekeeper, signed_summary, "--subject", model, "--now",
                           "2026-12-06T12:00:01Z", "--max-age", "7d")
    assert stale.code == 1 and "FAIL  age" in stale.out and "NOT verified" in stale.out


def test_summary_from_the_future_is_refused(gatekeeper, signed_summary):
    done = verify_summary(gatekeeper, signed_summary, "--subject", signed_summary[2],
                          "--now", "2026-11-27T12:00:00Z", "--max-age", "7d")
    assert done.code == 1 and "in the future" in done.out


def test_summary_of_another_verifier_is_refused(gatekeeper, signed_summary):
    done = verify_summary(gatekeeper, signed_summary, "--subject", signed_summary[2],
                          "--verifier-id", "https://bcid.corp.google.com/verifier/v0.1")
    assert done.code == 1 and "FAIL  verifier" in done.out


def test_summary_for_another_resource_is_refused(gatekeeper, signed_summary):
    right = verify_summary(gatekeeper, signed_summary, "--subject", signed_summary[2],
                           "--resource-uri", "pkg:generic/sentiment-scorer@1.4.0")
    wrong = verify_summary(gatekeeper, signed_summary, "--subject", signed_summary[2],
                           "--resource-uri", "pkg:generic/sentiment-scorer@9.9.9")
    assert wrong.code == 1 and "FAIL  resource" in wrong.out
    assert right.code == 0, right.out


@pytest.mark.parametrize("age", ["7", "0d", "-1d", "1w", ""])
def test_max_age_must_be_a_positive_duration(gatekeeper, signed_summary, age):
    done = verify_summary(gatekeeper, signed_summary, "--any-subject", "--max-age", age)
    assert done.code == 2 and "--max-age" in done.err


# --- trust files checked with the configuration; bundles this version cannot verify ---------

SIGSTORE = "sigstore/sigstore-python"
NPM = "slsa/slsa-verifier/npm/provenance-npm-test-cli-v1-prega.tgz.json"


def trust_only(folder: Path, trust: dict) -> Path:
    (folder / "model.bin").write_bytes(b"weights")
    return write_config(folder, {
        "version": 1, "subject": {"name": "trust-files"},
        "artifacts": [{"path": "model.bin", "kind": "model"}], "trust": trust,
    })


@pytest.mark.parametrize(("trust", "words"), [
    ({"sigstore": {"trusted_root": "root.json"}}, "not a usable Sigstore trusted root"),
    ({"sigstore": {"trusted_root": "absent.json"}}, "trust.sigstore.trusted_root: file not found"),
    ({"keys": [{"name": "k", "path": "root.json"}]}, "trust.keys[0].path: not a PEM public key"),
    ({"certificates": [{"name": "c", "chain": ["root.json"]}]},
     "trust.certificates[0].chain[0]: not a PEM certificate"),
], ids=["junk-trusted-root", "missing-trusted-root", "junk-key", "junk-chain"])
def test_junk_trust_file_stops_the_run_at_configuration(gatekeeper, tmp_path, trust, words):
    """Nothing in the evidence needs these files: they are checked all the same."""
    (tmp_path / "root.json").write_text('{"mediaType": "application/json", "tlogs": "x"}')
    trust_only(tmp_path, trust)
    done = gatekeeper("check", "--now", NOW, "--results", "results.json", cwd=tmp_path)
    assert done.code == 2, done.err
    assert words in done.err
    assert ("root.json" in done.err) or ("absent.json" in done.err)
    assert "gatekeeper.yaml: " in done.err  # and the configuration that names the file
    assert "errors.pydantic.dev" not in done.err and "Traceback" not in done.err
    assert not (tmp_path / "results.json").exists()


def provenance_of(gatekeeper, folder: Path, corpus: Path, attestation: str):
    write_config(folder, {
        "version": 1, "subject": {"name": "shapes"},
        "artifacts": [{"path": str(corpus / BCR / "MODULE.bazel"), "kind": "other"}],
        "evidence": {"provenance": {"attestations": [str(corpus / attestation)]}},
        "trust": {"identities": [{"github": {"repository": "sigstore/sigstore-js"}}],
                  "builders": ["https://github.com/actions/runner/github-hosted"],
                  "source": {"repository": "github.com/sigstore/sigstore-js"}},
        "profile": {"blocking": PROVENANCE_CONTROLS, "disabled": ["GRC-*", "MOD-*"]},
        "outside_repository": [str(corpus)],  # the corpus lies outside tmp_path
    })
    done = gatekeeper("check", "--now", NOW, "--results", "results.json", cwd=folder)
    return done, outcomes(folder)


def test_npm_provenance_is_an_error_not_a_forgery(gatekeeper, corpus, tmp_path):
    """npm's publish attestation (a registry public key) and its SLSA bundle (Rekor intoto
    0.0.2): what slsa-verifier verifies online, gatekeeper cannot verify offline: exit 3."""
    done, controls = provenance_of(gatekeeper, tmp_path, corpus, NPM)
    assert done.code == 3, done.out
    verified = controls["SDL-provenance-verified"]
    assert verified["outcome"] == "error"
    errors = [m["message"] for m in verified["messages"]]
    assert sum("cannot be verified offline by this version" in m for m in errors) == 2
    assert not any("rejected" in m or "not a valid Sigstore bundle" in m for m in errors)
    assert any("signed with a public key" in m for m in errors)
    assert all(controls[c]["outcome"] != "pass" for c in PROVENANCE_CONTROLS)


def test_bundle_with_fields_the_library_does_not_know_is_an_error(gatekeeper, corpus, tmp_path):
    """A newer shape (an extra field), as sigstore-go may write: an error, never a pass."""
    bundle = json.loads((corpus / BCR / "MODULE.bazel.intoto.jsonl").read_text())
    bundle["verificationMaterial"]["futureField"] = {"kind": "new"}
    (tmp_path / "future.intoto.jsonl").write_text(json.dumps(bundle))
    write_config(tmp_path, {**corpus_release(corpus), "evidence": {
        "provenance": {"attestations": ["future.intoto.jsonl"]}}})
    done = gatekeeper("check", "--now", NOW, "--results", "results.json", cwd=tmp_path)
    assert done.code == 3, done.out
    (message,) = [m["message"] for m in outcomes(tmp_path)["SDL-provenance-verified"]["messages"]
                  if "future.intoto.jsonl" in m["message"]]
    assert "cannot be verified offline by this version" in message
    assert "verificationMaterial.futureField" in message and "pydantic" not in message


def signature_check(gatekeeper, folder: Path, corpus: Path, artifact: str, bundle: str, trust):
    write_config(folder, {
        "version": 1, "subject": {"name": "bundle"},
        "artifacts": [{"path": str(corpus / artifact), "kind": "other"}],
        "evidence": {"signatures": [{"artifact": str(corpus / artifact),
                                     "bundle": str(corpus / bundle)}]},
        "trust": trust,
        "profile": {"blocking": ["SDL-artifacts-signed"], "disabled": ["GRC-*", "MOD-*"]},
        "outside_repository": [str(corpus)],  # the corpus lies outside tmp_path
    })
    done = gatekeeper("check", "--now", NOW, "--results", "results.json", cwd=folder)
    return done, outcomes(folder)["SDL-artifacts-signed"]


def test_bundle_without_checkpoint_is_an_error_not_a_forgery(gatekeeper, corpus, tmp_path):
    """CPython 3.12.5's real bundle: upstream needs `sigstore plumbing fix-bundle` (online)."""
    done, control = signature_check(
        gatekeeper, tmp_path, corpus, f"{SIGSTORE}/bundle.txt",
        f"{SIGSTORE}/integration/Python-3.12.5.tgz.sigstore",
        {"identities": [{"identity": "thomas@python.org",
                         "issuer": "https://accounts.google.com"}]},
    )
    assert done.code == 3 and control["outcome"] == "error"
    assert "inclusion proof without a checkpoint" in control["messages"][0]["message"]


def test_bundle_without_log_entry_stays_rejected(gatekeeper, corpus, tmp_path):
    """The corpus's NEGATIVE case: malformed, so a failure (not an 'unsupported' error)."""
    done, control = signature_check(
        gatekeeper, tmp_path, corpus, f"{SIGSTORE}/bundle_no_log_entry.txt",
        f"{SIGSTORE}/bundle_no_log_entry.txt.sigstore",
        {"sigstore": {"instance": "staging"},
         "identities": [{"identity": "alex.cameron@trailofbits.com",
                         "issuer": "https://accounts.google.com"}]},
    )
    assert done.code == 1 and control["outcome"] == "fail"
    assert any("expected exactly one log entry in bundle" in m["message"]
               for m in control["messages"])


def test_tampered_model_is_named_with_both_digests_in_plain_hex(gatekeeper, tmp_path):
    release = copy_example(EXAMPLES / "model-release", tmp_path / "release")
    model = release / "release" / "model.safetensors"
    data = bytearray(model.read_bytes())
    signed = hashlib.sha256(data).hexdigest()
    data[-1] ^= 0x01
    model.write_bytes(bytes(data))
    done = gatekeeper("check", "--now", NOW, "--results", "results.json", cwd=release)
    assert done.code == 1, done.out
    control = outcomes(release)["MOD-model-signed"]
    assert control["outcome"] == "fail"
    (message,) = [m["message"] for m in control["messages"] if "modified" in m["message"]]
    assert f"sha256 signed {signed}, now {hashlib.sha256(data).hexdigest()}" in message
    assert "\\x" not in message and "Digest(" not in message


def test_provenance_key_cannot_vouch_for_a_model(gatekeeper, tmp_path):
    """The example's model-signing key, re-scoped to provenance only: its signature no longer
    counts, so MOD-model-signed fails (exit 1)."""
    release = copy_example(EXAMPLES / "model-release", tmp_path / "release")
    config = yaml.safe_load((release / "gatekeeper.yaml").read_text())
    (manager,) = [key for key in config["trust"]["keys"] if key["name"] == "release-manager"]
    manager["purposes"] = ["provenance"]
    (release / "gatekeeper.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    done = gatekeeper("check", "--now", NOW, "--results", "results.json", cwd=release)
    assert done.code == 1, done.out
    control = outcomes(release)["MOD-model-signed"]
    assert control["outcome"] == "fail"
    assert any("allows for provenance only, not for model-signing" in m["message"]
               for m in control["messages"])
