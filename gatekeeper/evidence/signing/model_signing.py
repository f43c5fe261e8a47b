"""OpenSSF model signatures (``model.sig``), verified with the model-signing library.

``evidence.model_signatures`` names a model (a file or a folder) and its signature. The
verification method follows the signature's own verification material: a Sigstore
certificate (keyless; checked offline against the trusted root and ``trust.identities``), a
public-key hint (``trust.keys``), or a certificate chain (``trust.certificates``). The library
then hashes the model and compares it with the signed manifest: a modified, missing or extra
file fails. Each entry of the ``model_signatures`` section says which files the signature
covers, who signed, and why it did not verify when it did not.
"""

from __future__ import annotations

import base64
import contextlib
import io
import re
import tempfile
from pathlib import Path
from typing import Any

from gatekeeper.evidence.context import CollectContext
from gatekeeper.evidence.signing.sigstore_verify import verify_bundle
from gatekeeper.evidence.signing.trust import (
    TrustedChain,
    TrustedKey,
    beyond_purpose,
    certificate_facts,
    rejected,
    unsupported,
    unverifiable,
    verified,
)
from gatekeeper.jsonio import parse_json

NAME = "model_signatures"

# model-signing's mismatch text is a list repr: a quote inside an item (a digest byte that is
# a quote) makes Python escape that item's quotes, so each quote may carry a backslash.
_MODIFIED = re.compile(r"Hash mismatch for \\?'([^'\\]*)\\?'")
_LISTED = {
    "extra": re.compile(r"Extra files found in model \\?'[^'\\]*\\?': ([^'\"\\\]]*)"),
    "missing": re.compile(r"Missing files in model \\?'[^'\\]*\\?': ([^'\"\\\]]*)"),
}


def collect(setting: list[dict[str, Any]], context: CollectContext) -> dict[str, Any]:
    signatures = []
    for index, entry in enumerate(setting):
        where = f"evidence.model_signatures[{index}]"
        model = context.expand_one(entry["model"], f"{where}.model")
        signature = context.expand_one(entry["signature"], f"{where}.signature")
        raw = context.read(signature, NAME)
        document = parse_json(raw, context.display_path(signature))
        signatures.append(
            {
                "source": context.display_path(signature),
                "model": context.display_path(model),
                **verify_model(context, model, signature, raw, document, entry),
            }
        )
    return {"model_signatures": signatures}


def verify_model(
    context: CollectContext,
    model: Path,
    signature: Path,
    raw: bytes,
    document: Any,
    entry: dict[str, Any],
) -> dict[str, Any]:
    material = document.get("verificationMaterial") if isinstance(document, dict) else None
    material = material if isinstance(material, dict) else {}
    with tempfile.TemporaryDirectory(prefix="gatekeeper-") as scratch:
        if "certificate" in material:
            facts, config = _sigstore(context, raw, document, Path(scratch))
        elif "publicKey" in material:
            facts, config = _key(context, material["publicKey"])
        elif "x509CertificateChain" in material:
            facts, config = _certificate(context, material["x509CertificateChain"])
        else:
            return {"method": None, **rejected(
                "not an OpenSSF model signature: no certificate, public key or certificate chain"
            )}
        if config is None:
            return facts
        ignored = [*entry.get("ignore_paths", []), _relative(signature, model)]
        outcome = _run(config, model, signature, [path for path in ignored if path], document)
    if not outcome["verified"]:
        return {**facts, **outcome}
    return {**facts, **outcome, "files": _covered_files(context, model, document)}


def _sigstore(
    context: CollectContext, raw: bytes, document: dict[str, Any], scratch: Path
) -> tuple[dict[str, Any], Any]:
    """Keyless: sigstore verifies certificate, log entry and identity; then the files.

    model-signing reads its trust configuration (for offline use) from a file in ``scratch``.
    """
    check = verify_bundle(context.trust, raw, document, None)
    facts = {"method": "sigstore", **check.facts}
    if not check.verified:
        return facts, None
    import model_signing

    trust_config = scratch / "trust-config.json"
    trust_config.write_bytes(context.trust.sigstore_trust_config())
    config = model_signing.verifying.Config().use_sigstore_verifier(
        identity=facts["signer"]["identity"],
        oidc_issuer=facts["signer"]["issuer"],
        trust_config=trust_config,
    )
    return facts, config


def _key(context: CollectContext, public_key: Any) -> tuple[dict[str, Any], Any]:
    """A key signature: the trusted key whose hash the signature names as its hint."""
    import model_signing

    hint = public_key.get("hint") if isinstance(public_key, dict) else None
    keys = [key for key in context.trust.keys if key.key_type.startswith("ecdsa-")]
    matching: list[TrustedKey] = [key for key in keys if key.pem_sha256 == hint] if hint else keys
    facts: dict[str, Any] = {"method": "key"}
    if not matching:
        names = ", ".join(key.name for key in keys) or "none configured in trust.keys"
        return {**facts, **rejected(
            f"signed with key {str(hint)[:16]}…, which is not a trusted elliptic-curve key "
            f"(trusted: {names})"
        )}, None
    key = matching[0]
    facts["signer"] = {"method": "key", "key": key.name, "fingerprint": key.fingerprint,
                       "trusted_as": key.name}
    refusal = beyond_purpose(key, "model-signing")
    if refusal is not None:
        return {**facts, **refusal}, None
    path = context.trust.key_paths()[key.name]
    return facts, model_signing.verifying.Config().use_elliptic_key_verifier(public_key=path)


def _certificate(context: CollectContext, chain: Any) -> tuple[dict[str, Any], Any]:
    """A private-PKI signature: the trusted chain that issued the signing certificate."""
    import model_signing
    from cryptography import x509

    try:
        certificates = [
            x509.load_der_x509_certificate(base64.b64decode(item["rawBytes"]))
            for item in chain["certificates"]
        ]
    except (KeyError, TypeError, ValueError) as error:
        return {"method": "certificate", **rejected(f"unreadable certificate chain: {error}")}, None
    leaf = certificates[0]
    facts: dict[str, Any] = {"method": "certificate",
                             "signer": {"method": "certificate",
                                        "certificate": certificate_facts(leaf)}}
    issuers = {cert.issuer.rfc4514_string() for cert in certificates}
    candidates: list[TrustedChain] = [
        trusted for trusted in context.trust.chains
        if issuers.intersection(cert["subject"] for cert in trusted.certificates)
    ]
    if not candidates:
        return {**facts, **rejected(
            f"the signing certificate ({leaf.subject.rfc4514_string()}, issued by "
            f"{leaf.issuer.rfc4514_string()}) does not chain to a trusted certificate chain "
            "(trust.certificates)"
        )}, None
    trusted = candidates[0]
    facts["signer"]["trusted_as"] = trusted.name
    return facts, model_signing.verifying.Config().use_certificate_verifier(
        certificate_chain=list(trusted.paths)
    )


def _run(
    config: Any, model: Path, signature: Path, ignored: list[str], document: dict[str, Any]
) -> dict[str, Any]:
    """Hash the model and compare it with the signed manifest (model-signing does both)."""
    import model_signing
    from cryptography.exceptions import InvalidSignature
    from OpenSSL.crypto import X509StoreContextError
    from sigstore.errors import Error as SigstoreError

    config.set_hashing_config(
        model_signing.hashing.Config().set_ignored_paths(paths=ignored, ignore_git_paths=True)
    )
    try:
        # model-signing prints format warnings to stdout, where reports go.
        with contextlib.redirect_stdout(io.StringIO()):
            config.verify(model, signature)
    except InvalidSignature:
        return rejected("the signature does not verify with the trusted key")
    except X509StoreContextError as error:
        return rejected(f"the certificate chain does not reach the trusted root: {error}")
    except SigstoreError as error:
        message = str(error)
        if "only supported for" in message or "nsupported" in message:
            return unsupported(f"the sigstore library refuses it [sigstore: {message}]")
        return rejected(message)
    except ValueError as error:
        return rejected(_plain_mismatch(str(error), model, document))
    except Exception as error:  # a library failure: unknown, never a pass
        return unverifiable(f"model-signing: {type(error).__name__}: {error}")
    return verified()


def _plain_mismatch(message: str, model: Path, document: dict[str, Any]) -> str:
    """model-signing's manifest diff (a Python list repr of byte digests, escaped twice), in
    plain words: each modified file with the digest it was signed with and the one it has now,
    in hex (read from the signed manifest and the file, not from the library's text)."""
    if not message.startswith("Signature mismatch"):
        return message
    def name(identifier: str) -> str:
        return model.name if identifier in (".", "") else identifier

    parts = []
    signed = _signed_digests(document)
    modified = sorted(set(_MODIFIED.findall(message)))
    if modified:
        parts.append("modified after signing: " + ", ".join(
            _digest_change(name(found), model if found in (".", "") else model / found,
                           *signed.get(found, (None, None)))
            for found in modified
        ))
    for kind, pattern in _LISTED.items():
        files = sorted({name(item.strip()) for found in pattern.findall(message)
                        for item in found.split(",") if item.strip()})
        if files:
            label = "not covered by the signature" if kind == "extra" else "signed but missing"
            parts.append(f"{label}: " + ", ".join(files))
    if not parts:  # a report shape not recognised: say so, never print the raw repr
        return "the model does not match its signature: its files differ from the signed manifest"
    return "the model does not match its signature: " + "; ".join(parts)


def _digest_change(label: str, path: Path, algorithm: str | None, expected: str | None) -> str:
    """``file (sha256 signed <hex>, now <hex>)``: what the signature says and what is there."""
    import hashlib

    if algorithm is None or expected is None or algorithm not in hashlib.algorithms_available:
        return label
    actual = hashlib.new(algorithm, path.read_bytes()).hexdigest() if path.is_file() else None
    return f"{label} ({algorithm} signed {expected}, now {actual or 'not a file'})"


def _signed_digests(document: dict[str, Any]) -> dict[str, tuple[str | None, str | None]]:
    """Each resource of the signed manifest: its name, hash algorithm and hex digest."""
    import orjson

    payload = orjson.loads(base64.b64decode(document["dsseEnvelope"]["payload"]))
    return {
        str(resource.get("name", "")): (resource.get("algorithm"), resource.get("digest"))
        for resource in payload.get("predicate", {}).get("resources", [])
    }


def _covered_files(
    context: CollectContext, model: Path, document: dict[str, Any]
) -> list[dict[str, str | None]]:
    """The files the (verified) signature covers, with their signed digests."""
    files: list[dict[str, str | None]] = []
    for identifier, (algorithm, digest) in _signed_digests(document).items():
        path = model if identifier in (".", "") else model / identifier
        files.append({
            "path": context.display_path(path), "algorithm": algorithm, "digest": digest,
        })
    return sorted(files, key=lambda item: str(item["path"]))


def _relative(path: Path, model: Path) -> str | None:
    try:
        return path.resolve().relative_to(model.resolve()).as_posix()
    except ValueError:
        return None
