"""OpenSSF model signatures: the corpus's three methods, and signatures made here at test time."""

from __future__ import annotations

import datetime
import hashlib
import shutil

import model_signing
import pytest
from trust_helpers import (
    MODEL_SIGNING,
    certificate,
    collect,
    ec_key,
    write_certificate,
    write_pem,
    write_public,
)

from gatekeeper.evidence.signing import model_signing as collector

SIGSTORE_IDENTITY = {"identity": "stefanb@us.ibm.com",
                     "issuer": "https://sigstore.verify.ibm.com/oauth2"}
CORPUS_KEY = {"name": "model-transparency-tests",
              "path": f"{MODEL_SIGNING}/v1.1.0-elliptic-key/signing-key-pub.pem"}
CORPUS_CHAIN = {"name": "model-transparency-ca",
                "chain": [f"{MODEL_SIGNING}/v1.1.0-certificate/ca-cert.pem",
                          f"{MODEL_SIGNING}/v1.1.0-certificate/int-ca-cert.pem"]}


def verify(base, model, signature, trust, ignore_paths=()):
    setting = [{"model": model, "signature": signature, "ignore_paths": list(ignore_paths)}]
    (entry,) = collect(collector, setting, base, trust)
    return entry


def covered(entry):
    return [item["path"].rsplit("/", 1)[-1] for item in entry["files"]]


def test_sigstore_model_signature_verifies_offline_with_the_manifest_identity(corpus):
    entry = verify(corpus, f"{MODEL_SIGNING}/v1.1.0-sigstore",
                   f"{MODEL_SIGNING}/v1.1.0-sigstore/model.sig",
                   {"identities": [SIGSTORE_IDENTITY]}, ["ignore-me"])
    assert entry["verified"] is True, entry["error"]
    assert entry["method"] == "sigstore"
    assert entry["signer"]["identity"] == "stefanb@us.ibm.com"
    assert entry["log"]["kind"] == "dsse/0.0.1"
    assert entry["signed_at"] == "2025-10-10T02:12:20Z"
    assert covered(entry) == ["signme-1", "signme-2"]


def test_sigstore_model_signature_by_another_identity_is_rejected(corpus):
    entry = verify(corpus, f"{MODEL_SIGNING}/v1.1.0-sigstore",
                   f"{MODEL_SIGNING}/v1.1.0-sigstore/model.sig",
                   {"identities": [{**SIGSTORE_IDENTITY, "identity": "someone@us.ibm.com"}]})
    assert entry["verified"] is False
    assert entry["error"].startswith("signed by stefanb@us.ibm.com")


def test_elliptic_key_model_signature_verifies(corpus):
    entry = verify(corpus, f"{MODEL_SIGNING}/v1.1.0-elliptic-key",
                   f"{MODEL_SIGNING}/v1.1.0-elliptic-key/model.sig", {"keys": [CORPUS_KEY]},
                   ["ignore-me", "signing-key-pub.pem"])
    assert entry["verified"] is True, entry["error"]
    assert entry["signer"]["trusted_as"] == "model-transparency-tests"
    assert covered(entry) == ["signme-1", "signme-2"]


def test_certificate_model_signature_verifies(corpus):
    entry = verify(corpus, f"{MODEL_SIGNING}/v1.1.0-certificate",
                   f"{MODEL_SIGNING}/v1.1.0-certificate/model.sig",
                   {"certificates": [CORPUS_CHAIN]}, ["ca-cert.pem", "int-ca-cert.pem"])
    assert entry["verified"] is True, entry["error"]
    assert entry["signer"]["trusted_as"] == "model-transparency-ca"
    assert entry["signer"]["certificate"]["not_after"] == "2035-04-30T23:36:28Z"


@pytest.fixture
def corpus_model(corpus, tmp_path):
    """A copy of the sigstore-signed corpus model, to modify."""
    model = tmp_path / "model"
    shutil.copytree(corpus / MODEL_SIGNING / "v1.1.0-sigstore", model)
    return model


def test_modified_file_is_named_with_both_digests_in_hex(tmp_path, corpus_model):
    signed = hashlib.sha256((corpus_model / "signme-1").read_bytes()).hexdigest()
    (corpus_model / "signme-1").write_bytes(b"tampered")
    entry = verify(tmp_path, "model", "model/model.sig", {"identities": [SIGSTORE_IDENTITY]})
    assert entry["verified"] is False and entry["unverifiable"] is False
    assert entry["error"] == (
        "the model does not match its signature: modified after signing: signme-1 "
        f"(sha256 signed {signed}, now {hashlib.sha256(b'tampered').hexdigest()})"
    )
    assert "\\x" not in entry["error"] and "b'" not in entry["error"]


def test_extra_and_missing_files_are_named(tmp_path, corpus_model):
    (corpus_model / "signme-2").unlink()
    (corpus_model / "smuggled.bin").write_bytes(b"extra")
    entry = verify(tmp_path, "model", "model/model.sig", {"identities": [SIGSTORE_IDENTITY]})
    assert entry["verified"] is False
    assert "not covered by the signature: smuggled.bin" in entry["error"]
    assert "signed but missing: signme-2" in entry["error"]


@pytest.fixture
def signed_file(tmp_path):
    """A one-file model signed here with a fresh elliptic-curve key."""
    key = ec_key()
    model = tmp_path / "model.safetensors"
    model.write_bytes(b"weights" * 100)
    model_signing.signing.Config().use_elliptic_key_signer(
        private_key=write_pem(tmp_path / "signing.pem", key)
    ).sign(model, tmp_path / "model.sig")
    write_public(tmp_path / "signing.pub", key)
    return model


def test_a_model_signed_at_test_time_covers_the_file(tmp_path, signed_file):
    entry = verify(tmp_path, "model.safetensors", "model.sig",
                   {"keys": [{"name": "release", "path": "signing.pub"}]})
    assert entry["verified"] is True
    digest = hashlib.sha256(signed_file.read_bytes()).hexdigest()
    assert entry["files"] == [
        {"path": "model.safetensors", "algorithm": "sha256", "digest": digest}
    ]


def test_one_flipped_byte_is_named(tmp_path, signed_file):
    data = bytearray(signed_file.read_bytes())
    signed = hashlib.sha256(data).hexdigest()
    data[0] ^= 0x01
    signed_file.write_bytes(bytes(data))
    entry = verify(tmp_path, "model.safetensors", "model.sig",
                   {"keys": [{"name": "release", "path": "signing.pub"}]})
    assert entry["error"] == (
        "the model does not match its signature: modified after signing: model.safetensors "
        f"(sha256 signed {signed}, now {hashlib.sha256(data).hexdigest()})"
    )


def test_a_key_that_is_not_trusted_is_rejected(tmp_path, signed_file):
    write_public(tmp_path / "other.pub", ec_key())
    entry = verify(tmp_path, "model.safetensors", "model.sig",
                   {"keys": [{"name": "other", "path": "other.pub"}]})
    assert entry["verified"] is False
    assert "not a trusted elliptic-curve key (trusted: other)" in entry["error"]


CA_START = datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc)


def certificate_signed_model(tmp_path, not_before=None, days=3650):
    """A model signed with a leaf certificate from a CA made here."""
    ca_key, leaf_key = ec_key(), ec_key()
    ca = certificate("gatekeeper-test-ca", ca_key, ca=True, not_before=CA_START)
    leaf = certificate("release-signer", leaf_key, ("gatekeeper-test-ca", ca_key),
                       not_before=not_before, days=days)
    model = tmp_path / "model.bin"
    model.write_bytes(b"weights")
    model_signing.signing.Config().use_certificate_signer(
        private_key=write_pem(tmp_path / "leaf.pem", leaf_key),
        signing_certificate=write_certificate(tmp_path / "leaf.crt", leaf),
        certificate_chain=[write_certificate(tmp_path / "ca.crt", ca)],
    ).sign(model, tmp_path / "model.sig")
    return model


def test_certificate_chain_made_at_test_time_verifies(tmp_path):
    certificate_signed_model(tmp_path)
    entry = verify(tmp_path, "model.bin", "model.sig",
                   {"certificates": [{"name": "test-ca", "chain": ["ca.crt"]}]})
    assert entry["verified"] is True, entry["error"]
    assert entry["signer"]["certificate"]["subject"] == "CN=release-signer"


def test_chain_that_does_not_reach_the_trusted_root_is_rejected(tmp_path):
    certificate_signed_model(tmp_path)
    # Another CA with the same name but its own key: the chain cannot reach it.
    impostor = certificate("gatekeeper-test-ca", ec_key(), ca=True)
    write_certificate(tmp_path / "impostor.crt", impostor)
    entry = verify(tmp_path, "model.bin", "model.sig",
                   {"certificates": [{"name": "impostor", "chain": ["impostor.crt"]}]})
    assert entry["verified"] is False and entry["unverifiable"] is False
    assert entry["error"].startswith("the certificate chain does not reach the trusted root")


def test_chain_from_an_unrelated_root_is_rejected(tmp_path):
    certificate_signed_model(tmp_path)
    write_certificate(tmp_path / "other.crt", certificate("other-ca", ec_key(), ca=True))
    entry = verify(tmp_path, "model.bin", "model.sig",
                   {"certificates": [{"name": "other", "chain": ["other.crt"]}]})
    assert "does not chain to a trusted certificate chain" in entry["error"]


def test_expired_signing_certificate_is_reported_with_its_validity(tmp_path):
    """model-signing checks the chain at the certificate's start; the age is a policy fact."""
    start = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
    certificate_signed_model(tmp_path, not_before=start, days=30)
    entry = verify(tmp_path, "model.bin", "model.sig",
                   {"certificates": [{"name": "test-ca", "chain": ["ca.crt"]}]})
    assert entry["verified"] is True, entry["error"]
    assert entry["signer"]["certificate"]["not_after"] == "2024-01-31T00:00:00Z"


def test_signature_without_verification_material_is_rejected(tmp_path):
    (tmp_path / "model.bin").write_bytes(b"weights")
    (tmp_path / "model.sig").write_text('{"mediaType": "x"}')
    entry = verify(tmp_path, "model.bin", "model.sig", {})
    assert entry["verified"] is False
    assert entry["error"].startswith("not an OpenSSF model signature")
