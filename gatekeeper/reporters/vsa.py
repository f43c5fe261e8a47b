"""SLSA verification summary (VSA): an in-toto Statement v1, signed as a DSSE envelope.

It says: this verifier checked these artifacts (the subject, by digest) against this policy (by
the digest of every policy module, the thresholds and the profile) at this time, using these
evidence files (each by digest), and the result was PASSED or FAILED. A deployment stage checks
the signature, the subject digest and the policy digest with ``gatekeeper verify-summary``
instead of running the gate again. Per-control outcomes and maturity levels travel as extension
fields under URI names, as the in-toto parsing rules require.

Signing is with a key through securesystemslib (a PEM private key: Ed25519, ECDSA or RSA). An
unsigned VSA proves nothing, so without a key this format is an error, never an unsigned file.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from gatekeeper.errors import ConfigError, EvidenceError
from gatekeeper.jsonio import dumps, parse_json, read_bytes, sha256_file
from gatekeeper.reporters.view import utc

STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
PREDICATE_TYPE = "https://slsa.dev/verification_summary/v1"
PAYLOAD_TYPE = "application/vnd.in-toto+json"
VERIFIER_ID = "https://gatekeeper.dev/verifier/v1"
CONTROLS_FIELD = "https://gatekeeper.dev/vsa/controls/v1"
MATURITY_FIELD = "https://gatekeeper.dev/vsa/maturity/v1"
PASSWORD_ENV = "GATEKEEPER_VSA_KEY_PASSWORD"
_SHA256 = re.compile(r"^(?:sha256:)?([0-9a-f]{64})$")


@dataclass(frozen=True)
class Signing:
    """How to sign and what to name: the signer, and optional subject and resource URI."""

    signer: Any  # a securesystemslib Signer
    subjects: tuple[dict[str, Any], ...] = ()
    resource_uri: str | None = None


def load_signer(path: Path) -> Any:
    """A securesystemslib signer from a PEM private key.

    An encrypted key's password comes from $GATEKEEPER_VSA_KEY_PASSWORD.
    """
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives.serialization import load_pem_private_key
    from securesystemslib.signer import CryptoSigner

    data = read_bytes(path, ConfigError)
    password = os.environ.get(PASSWORD_ENV)
    try:
        key = load_pem_private_key(data, password.encode() if password else None)
        return CryptoSigner(key)
    except (ValueError, TypeError, UnsupportedAlgorithm) as error:
        raise ConfigError(
            f"not a usable PEM private key: {error}", path=path,
            hint=f"an Ed25519, ECDSA or RSA key in PEM; an encrypted key's password goes in "
                 f"${PASSWORD_ENV}",
        ) from None


def load_public_key(path: Path) -> Any:
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives.serialization import load_pem_public_key
    from securesystemslib.signer import SSlibKey

    data = read_bytes(path, ConfigError)
    try:
        return SSlibKey.from_crypto(load_pem_public_key(data))
    except (ValueError, TypeError, UnsupportedAlgorithm) as error:
        raise ConfigError(f"not a usable PEM public key: {error}", path=path) from None


def subject(value: str) -> dict[str, Any]:
    """``--vsa-subject``: a file (named and hashed here) or a digest ``sha256:<hex>``."""
    match = _SHA256.match(value)
    if match:
        return {"digest": {"sha256": match.group(1)}}
    path = Path(value)
    return {"name": path.as_posix(), "digest": {"sha256": sha256_file(path, ConfigError)}}


def _subjects(results: dict[str, Any], given: tuple[dict[str, Any], ...]) -> list[dict[str, Any]]:
    name = results["subject"]["name"]
    if given:
        return [{"name": item.get("name", name), "digest": item["digest"]} for item in given]
    artifacts = [
        {"name": source["path"], "digest": {"sha256": source["sha256"]}}
        for source in results["evidence"]["sources"] if source["collector"] == "artifacts"
    ]
    if not artifacts:
        raise ConfigError(
            "a verification summary needs a subject, and this run has no artifacts",
            hint="list the released files under artifacts: in gatekeeper.yaml, "
                 "or give --vsa-subject FILE (or sha256:<digest>)",
        )
    return artifacts


def _default_resource_uri(results: dict[str, Any]) -> str:
    subject_ = results["subject"]
    uri = f"pkg:generic/{quote(subject_['name'], safe='')}"
    return uri + (f"@{quote(subject_['version'], safe='')}" if subject_.get("version") else "")


def _controls(results: dict[str, Any]) -> dict[str, Any]:
    found = {}
    for control in results["controls"]:
        entry = {"outcome": control["outcome"], "enforcement": control["enforcement"]}
        if control.get("waiver"):
            entry["exception"] = control["waiver"]["exception"]
        found[control["id"]] = entry
    return found


def _maturity(maturity: dict[str, Any]) -> dict[str, Any]:
    return {
        "overall": maturity["overall"],
        "domains": {d["id"]: {"level": d["level"], "mean": d["mean"]}
                    for d in maturity["domains"]},
    }


def statement(results: dict[str, Any], signing: Signing) -> dict[str, Any]:
    passed = results["verdict"]["outcome"] == "pass"
    maturity = results.get("maturity")
    levels = ["GATEKEEPER_GATE_PASSED"] if passed else ["FAILED"]
    if passed and maturity:
        levels.append(f"GATEKEEPER_MATURITY_LEVEL_{maturity['overall']['level']}")
    predicate: dict[str, Any] = {
        "verifier": {
            "id": VERIFIER_ID,
            "version": {"gatekeeper": results["tool"]["version"],
                        results["engine"]["kind"]: results["engine"].get("version", "")},
        },
        "timeVerified": utc(results["evaluated_at"]),
        "resourceUri": signing.resource_uri or _default_resource_uri(results),
        "policy": {
            "uri": f"pkg:pypi/ai-gatekeeper@{results['tool']['version']}#policies",
            "digest": {"sha256": results["policy"]["digest"]},
        },
        "inputAttestations": [
            {"uri": source["path"], "digest": {"sha256": source["sha256"]}}
            for source in results["evidence"]["sources"] if source["collector"] != "artifacts"
        ],
        "verificationResult": "PASSED" if passed else "FAILED",
        "verifiedLevels": levels,
        "slsaVersion": "1.0",
        CONTROLS_FIELD: _controls(results),
    }
    if maturity:
        predicate[MATURITY_FIELD] = _maturity(maturity)
    return {
        "_type": STATEMENT_TYPE,
        "subject": _subjects(results, signing.subjects),
        "predicateType": PREDICATE_TYPE,
        "predicate": predicate,
    }


def render(results: dict[str, Any], *, color: bool = False, signing: Signing | None = None) -> str:
    from securesystemslib.dsse import Envelope

    if signing is None:
        raise ConfigError(
            "the vsa format needs a signing key: give --vsa-key PATH (a PEM private key)",
            hint="an unsigned verification summary proves nothing, so gatekeeper writes none",
        )
    payload = dumps(statement(results, signing), pretty=False)
    envelope = Envelope(payload=payload, payload_type=PAYLOAD_TYPE, signatures={})
    envelope.sign(signing.signer)
    return dumps(envelope.to_dict()).decode("utf-8")


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def _envelope(path: Path) -> Any:
    from securesystemslib.dsse import Envelope

    document = parse_json(read_bytes(path), path)
    try:
        return Envelope.from_dict(document)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise EvidenceError(f"not a DSSE envelope: {error!r}", path=path) from None


def _statement(envelope: Any, path: Path) -> tuple[dict[str, Any] | None, str]:
    if envelope.payload_type != PAYLOAD_TYPE:
        return None, f"payload type is {envelope.payload_type!r}, not {PAYLOAD_TYPE}"
    try:
        document = parse_json(envelope.payload, path)
    except EvidenceError:
        return None, "the signed payload is not JSON"
    if not isinstance(document, dict) or document.get("_type") != STATEMENT_TYPE:
        return None, f"the payload is not an in-toto Statement v1 ({STATEMENT_TYPE})"
    if document.get("predicateType") != PREDICATE_TYPE:
        return None, f"predicate type is {document.get('predicateType')!r}, not {PREDICATE_TYPE}"
    if not isinstance(document.get("predicate"), dict):
        return None, "the statement has no predicate"
    return document, f"{STATEMENT_TYPE} with {PREDICATE_TYPE}"


def verify(
    path: Path,
    key: Any,
    subject_file: Path | None = None,
    policy_digest: str | None = None,
) -> list[Check]:
    """Check a VSA: signature, statement, result, and optionally subject and policy digest.

    Stops at the first check that fails to establish trust (signature, statement): nothing in an
    unverified payload is read.
    """
    from securesystemslib.exceptions import VerificationError

    envelope = _envelope(path)
    try:
        envelope.verify([key], 1)
    except (VerificationError, ValueError) as error:
        return [Check("signature", False, f"not signed by key {key.keyid[:16]}…: {error}")]
    checks = [Check("signature", True, f"signed by key {key.keyid[:16]}…")]
    document, detail = _statement(envelope, path)
    checks.append(Check("statement", document is not None, detail))
    if document is None:
        return checks
    predicate = document["predicate"]
    result = predicate.get("verificationResult")
    checks.append(Check("result", result == "PASSED", f"verificationResult {result}"))
    if subject_file is not None:
        digest = sha256_file(subject_file, ConfigError)
        names = [s.get("name", "?") for s in document.get("subject", [])
                 if isinstance(s, dict) and s.get("digest", {}).get("sha256") == digest]
        checks.append(Check(
            "subject", bool(names),
            f"{subject_file} (sha256 {digest[:12]}…) is subject {names[0]}" if names
            else f"{subject_file} (sha256 {digest[:12]}…) is not a subject of this summary",
        ))
    if policy_digest is not None:
        wanted = _SHA256.match(policy_digest.strip().lower())
        if not wanted:
            raise ConfigError(f"--policy-digest {policy_digest!r}: not a sha256 digest")
        actual = (predicate.get("policy") or {}).get("digest", {}).get("sha256")
        checks.append(Check(
            "policy", actual == wanted.group(1),
            f"policy digest {actual}" + ("" if actual == wanted.group(1)
                                         else f", expected {wanted.group(1)}"),
        ))
    return checks

