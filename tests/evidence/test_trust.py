"""The trust: section, loaded: names, normalized source, and trust material that is wrong."""

from __future__ import annotations

import datetime

import pytest
from trust_helpers import SIGSTORE, collect

from gatekeeper.errors import ConfigError
from gatekeeper.evidence.context import CollectContext
from gatekeeper.evidence.signing import sigstore_bundles
from gatekeeper.evidence.signing.trust import Trust, normalize_repository


@pytest.mark.parametrize(
    "uri",
    ["https://github.com/o/r", "git+https://github.com/o/r@refs/tags/v1", "github.com/o/r",
     "https://github.com/o/r.git", "https://github.com/o/r/"],
)
def test_repositories_are_compared_in_one_form(uri):
    assert normalize_repository(uri) == "https://github.com/o/r"


def test_describe_names_every_identity_and_fills_the_defaults(tmp_path):
    context = CollectContext(tmp_path)
    described = Trust({
        "identities": [
            {"identity": "alice@example.org", "issuer": "https://accounts.google.com"},
            {"github": {"repository": "o/r", "ref": "refs/tags/v1"}},
        ],
        "max_age_days": {"signatures": 7},
        "source": {"repository": "git+https://github.com/o/r.git"},
    }, context).describe()
    assert [identity["name"] for identity in described["identities"]] == [
        "alice@example.org", "github:o/r:refs/tags/v1",
    ]
    assert described["identities"][1]["issuer"] == "https://token.actions.githubusercontent.com"
    assert described["max_age_days"] == {"signatures": 7, "provenance": 365}
    assert described["source"] == {"repository": "https://github.com/o/r", "refs": []}
    assert "sigstore" not in described  # nothing was verified with Sigstore


def test_a_key_file_that_is_no_key_is_a_configuration_error(tmp_path):
    (tmp_path / "release.pub").write_text("not a key")
    context = CollectContext(tmp_path)
    with pytest.raises(ConfigError) as raised:
        Trust({"keys": [{"name": "release", "path": "release.pub"}]}, context).describe()
    assert str(raised.value).startswith("release.pub: trust.keys[0].path: not a PEM public key")


def test_a_trusted_root_that_is_no_root_is_a_configuration_error(corpus, tmp_path):
    (tmp_path / "root.json").write_text('{"mediaType": "nonsense"}')
    trust = {"sigstore": {"trusted_root": str(tmp_path / "root.json")}}
    setting = [{"artifact": f"{SIGSTORE}/bundle_v3_github.whl",
                "bundle": f"{SIGSTORE}/bundle_v3_github.whl.sigstore"}]
    with pytest.raises(ConfigError) as raised:
        collect(sigstore_bundles, setting, corpus, trust)
    assert "not a usable Sigstore trusted root" in str(raised.value)


def github_certificate(identity: str, repository: str):
    """A certificate shaped like Fulcio's for a GitHub workflow (made here, self-signed)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import NameOID
    from trust_helpers import GITHUB_ISSUER, ec_key

    def utf8(text: str) -> bytes:
        data = text.encode()
        return bytes([0x0C, len(data)]) + data

    key = ec_key()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "sigstore")])
    extensions = {
        "1.3.6.1.4.1.57264.1.1": GITHUB_ISSUER.encode(),
        "1.3.6.1.4.1.57264.1.5": repository.encode(),
        "1.3.6.1.4.1.57264.1.8": utf8(GITHUB_ISSUER),
    }
    builder = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(1)
        .not_valid_before(datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc))
        .not_valid_after(datetime.datetime(2027, 1, 1, tzinfo=datetime.timezone.utc))
        .add_extension(x509.SubjectAlternativeName(
            [x509.UniformResourceIdentifier(identity)]), critical=True)
    )
    for dotted, value in extensions.items():
        builder = builder.add_extension(
            x509.UnrecognizedExtension(x509.ObjectIdentifier(dotted), value), critical=False
        )
    return builder.sign(key, hashes.SHA256())


@pytest.mark.parametrize(("identity", "trusted"), [
    ("https://github.com/o/r/.github/workflows/release.yml@refs/tags/v1", True),
    ("https://github.com/o/r/.github/workflows/release.yml.bak@refs/heads/attacker", False),
    ("https://github.com/o/r/.github/workflows/release.yml-evil.yml@refs/heads/main", False),
    ("https://github.com/o/r/.github/workflows/other.yml@refs/tags/v1", False),
], ids=["the-workflow", "suffixed-bak", "suffixed-name", "another-workflow"])
def test_workflow_identity_matches_the_whole_file_name(tmp_path, identity, trusted):
    """issue 19: without the trailing @ of the prefix, release.yml.bak passed for release.yml."""
    from sigstore.errors import VerificationError

    context = CollectContext(tmp_path)
    trust = Trust({"identities": [{"github": {
        "repository": "o/r", "workflow": ".github/workflows/release.yml"}}]}, context)
    policy = trust.identity_policy()
    cert = github_certificate(identity, "o/r")
    if trusted:
        policy.verify(cert)
        assert policy.matched == "github:o/r:.github/workflows/release.yml"
    else:
        with pytest.raises(VerificationError, match="not a trusted identity"):
            policy.verify(cert)
