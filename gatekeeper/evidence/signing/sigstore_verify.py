"""Verify one Sigstore bundle offline with the sigstore library, and say what was verified.

Shared by the signature collector (bundles over release artifacts) and the provenance
collector (bundles carrying a DSSE in-toto statement). The result is plain facts: whether the
bundle verified, and if not whether it was rejected (a failure) or could not be checked here
(an error: the library refuses the log entry type, say); who signed it and which trusted
identity matched; the transparency-log entry and the verified signing times.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from gatekeeper.evidence.signing.trust import (
    Trust,
    plain_error,
    rejected,
    signer_facts,
    unsupported,
    verified,
)
from gatekeeper.timeutil import rfc3339

# The sigstore library's words for what it cannot verify (as opposed to what is wrong).
_UNSUPPORTED_PHRASES = ("only supported for", "Unsupported", "unsupported", "not supported")
_BUNDLE_MEDIA_TYPES = (
    "application/vnd.dev.sigstore.bundle+json;version=0.1",
    "application/vnd.dev.sigstore.bundle+json;version=0.2",
    "application/vnd.dev.sigstore.bundle+json;version=0.3",
    "application/vnd.dev.sigstore.bundle.v0.3+json",
)
# Bundle shapes the library refuses to load although nothing in them is wrong, in plain words.
_OLDER_SHAPES = {
    "entry must contain inclusion proof, with checkpoint": (
        "its transparency-log entry has an inclusion proof without a checkpoint (an older "
        "bundle shape, which must first be completed online, e.g. sigstore plumbing fix-bundle)"
    ),
}
# Library messages that deserve plain words (the library's text is kept after them).
_DIGEST_MISMATCH = "Bundle message digest mismatch"
_PLAIN = {
    "Signature is invalid for input": "the signature does not match the artifact",
}
_CHANGED = " (it was modified after signing, or the bundle is for another artifact)"
_TIME_SOURCES = {"TIMESTAMP_AUTHORITY": "timestamp_authority",
                 "TRANSPARENCY_SERVICE": "transparency_log"}


@dataclass
class BundleCheck:
    facts: dict[str, Any]
    payload_type: str | None = None
    payload: bytes | None = None

    @property
    def verified(self) -> bool:
        return bool(self.facts["verified"])


def is_dsse(document: Any) -> bool:
    return isinstance(document, dict) and "dsseEnvelope" in document


def verify_bundle(trust: Trust, raw: bytes, document: Any, sha256: str | None) -> BundleCheck:
    """Verify ``raw`` (a parsed-as-JSON bundle); ``sha256`` is the signed artifact's digest.

    A message-signature bundle is checked against ``sha256``; a DSSE bundle returns its
    verified payload, whose subjects the caller matches.
    """
    from sigstore.errors import Error as SigstoreError
    from sigstore.models import Bundle, IncompatibleEntry

    media_type = document.get("mediaType") if isinstance(document, dict) else None
    base: dict[str, Any] = {
        "media_type": media_type, "content": "dsse" if is_dsse(document) else "message"
    }
    key_signed = _public_key_hint(document)
    if key_signed is not None:
        return BundleCheck({**base, **unsupported(
            f"the bundle is signed with a public key (hint {key_signed}), not a Sigstore "
            "certificate, and the sigstore library verifies certificate-signed bundles only"
        )})
    try:
        bundle = Bundle.from_json(raw)
    except IncompatibleEntry as error:
        return BundleCheck({**base, **unsupported(f"the sigstore library refuses its log entry "
                                                  f"({plain_error(error)})")})
    except SigstoreError as error:
        return BundleCheck({**base, **_unloadable(media_type, error)})
    base["signer"] = signer_facts(bundle.signing_certificate)
    base["log"] = _log_facts(document)
    verifier = trust.sigstore_verifier
    policy = trust.identity_policy()
    payload_type = payload = None
    try:
        if is_dsse(document):
            payload_type, payload = verifier.verify_dsse(bundle=bundle, policy=policy)
        elif sha256 is None:
            return BundleCheck({**base, **rejected("the bundle carries no DSSE statement")})
        else:
            verifier.verify_artifact(input_=_hashed(sha256), bundle=bundle, policy=policy)
        # The times the verifier itself relied on (a private API: see SIGSTORE_PRIVATE_APIS).
        times = verifier._establish_time(bundle)
    except SigstoreError as error:
        if str(error) == _DIGEST_MISMATCH and sha256 is not None:
            return BundleCheck({**base, **_digest_mismatch(document, sha256)})
        return BundleCheck({**base, **_classify(str(error), base["log"]["kind"])})
    except Exception as error:  # a library failure on odd input: unknown, never a pass
        return BundleCheck({**base, **unsupported(
            f"the sigstore library failed on it ({type(error).__name__}: {plain_error(error)})"
        )})
    base["signer"]["trusted_as"] = policy.matched
    base["timestamps"] = sorted(
        ({"source": _TIME_SOURCES.get(t.source.name, t.source.name.lower()),
          "time": rfc3339(t.time)} for t in times),
        key=lambda item: item["time"],
    )
    base["signed_at"] = base["timestamps"][0]["time"] if base["timestamps"] else None
    return BundleCheck({**base, **verified()}, payload_type, payload)


def _public_key_hint(document: Any) -> str | None:
    """The key hint of a bundle signed with a plain public key (npm's registry signatures)."""
    material = document.get("verificationMaterial") if isinstance(document, dict) else None
    if not isinstance(material, dict) or not isinstance(material.get("publicKey"), dict):
        return None
    if "certificate" in material or "x509CertificateChain" in material:
        return None
    return str(material["publicKey"].get("hint", "none"))


def _unloadable(media_type: Any, error: Exception) -> dict[str, Any]:
    """Why the library would not load a bundle: an older shape it cannot read (an error), or
    not a valid bundle at all (rejected), in plain words."""
    message = str(error)
    if message in _OLDER_SHAPES:
        return unsupported(_OLDER_SHAPES[message])
    if isinstance(error.__context__, ValueError) and hasattr(error.__context__, "errors"):
        if media_type not in _BUNDLE_MEDIA_TYPES:
            return rejected(f"not a Sigstore bundle: its mediaType {media_type!r} is none of "
                            f"the bundle media types")
        return unsupported(f"the sigstore library cannot read this bundle's shape "
                           f"({plain_error(error.__context__)})")
    if message.startswith("unsupported bundle format"):
        return unsupported(f"its mediaType {media_type!r} is not one the sigstore library reads")
    return rejected(f"not a valid Sigstore bundle: {message}")


def _classify(message: str, log_kind: str) -> dict[str, Any]:
    if any(phrase in message for phrase in _UNSUPPORTED_PHRASES):
        return unsupported(
            f"its transparency-log entry is of kind {log_kind}, which the sigstore library "
            f"does not verify offline [sigstore: {message}]"
        )
    if message in _PLAIN:
        return rejected(f"{_PLAIN[message]}{_CHANGED} [sigstore: {message}]")
    return rejected(message)


def _digest_mismatch(document: dict[str, Any], sha256: str) -> dict[str, Any]:
    """Both digests in hex: the one the bundle signed and the artifact's."""
    digest = ((document.get("messageSignature") or {}).get("messageDigest") or {}).get("digest")
    try:
        signed = base64.b64decode(digest, validate=True).hex() if digest else "none"
    except ValueError:
        signed = "unreadable"
    return rejected(
        f"the artifact's sha256 is {sha256} but the bundle signed {signed}{_CHANGED} "
        f"[sigstore: {_DIGEST_MISMATCH}]"
    )


def _hashed(sha256: str) -> Any:
    from sigstore.hashes import Hashed
    from sigstore_models.common.v1 import HashAlgorithm

    return Hashed(algorithm=HashAlgorithm.SHA2_256, digest=bytes.fromhex(sha256))


def _log_facts(document: dict[str, Any]) -> dict[str, Any]:
    """The transparency-log entry as the bundle states it (the library has verified it)."""
    entry = document["verificationMaterial"]["tlogEntries"][0]
    kind = entry.get("kindVersion") or {}
    integrated = int(entry.get("integratedTime") or 0)
    return {
        "index": int(entry["logIndex"]),
        "id": (entry.get("logId") or {}).get("keyId"),
        "kind": f"{kind.get('kind')}/{kind.get('version')}",
        "integrated_time": _epoch(integrated) if integrated else None,
    }


def _epoch(seconds: int) -> str:
    from datetime import datetime, timezone

    return rfc3339(datetime.fromtimestamp(int(seconds), tz=timezone.utc))
