"""Shared by the signature and provenance tests: run a collector, make keys and certificates.

Keys and certificates are made at test time; nothing private is stored in the repository.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from gatekeeper.evidence.context import CollectContext
from gatekeeper.evidence.signing.trust import Trust

SIGSTORE = "sigstore/sigstore-python"
MODEL_SIGNING = "sigstore/model-signing"
SLSA = "slsa/slsa-verifier"
GITHUB_ISSUER = "https://token.actions.githubusercontent.com"


def collect(collector: Any, setting: Any, base: Path, trust: dict[str, Any]) -> list[dict]:
    """Run one collector over ``setting`` (paths relative to ``base``); return its entries."""
    context = CollectContext(base)
    context.trust = Trust(trust, context)
    section = collector.collect(setting, context)
    (value,) = section.values()
    return value["statements"] if isinstance(value, dict) and "statements" in value else value


def write_pem(path: Path, key: Any) -> Path:
    path.write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ))
    return path


def write_public(path: Path, key: Any) -> Path:
    path.write_bytes(key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo,
    ))
    return path


def ec_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def ed25519_key() -> ed25519.Ed25519PrivateKey:
    return ed25519.Ed25519PrivateKey.generate()


def certificate(
    subject: str,
    key: Any,
    issuer: tuple[str, Any] | None = None,
    *,
    ca: bool = False,
    not_before: datetime.datetime | None = None,
    days: int = 3650,
) -> x509.Certificate:
    """A certificate for ``key``: self-signed, or signed by ``issuer`` (name, private key)."""
    start = not_before or datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
    issuer_name, issuer_key = issuer or (subject, key)
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer_name)]))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not ca, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
                encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
    )
    if not ca:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CODE_SIGNING]), critical=False
        )
    return builder.sign(issuer_key, hashes.SHA256())


def write_certificate(path: Path, cert: x509.Certificate) -> Path:
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return path
