"""in-toto statements and key-signed DSSE envelopes: verify with trusted keys, read the facts.

Statements v0.1 and v1 are read the same way (their fields agree); SLSA provenance v0.2 and v1
are normalized to one set of facts: builder id, build type, source repository / ref / commit,
invocation, materials, and the build's start and finish times. DSSE signatures are verified
with securesystemslib against the keys in ``trust.keys``.
"""

from __future__ import annotations

from typing import Any

import orjson

from gatekeeper.evidence.signing.trust import (
    TrustedKey,
    beyond_purpose,
    normalize_repository,
    rejected,
    unverifiable,
    verified,
)
from gatekeeper.jsonio import list_or_empty, mapping_or_empty
from gatekeeper.timeutil import parse_rfc3339, rfc3339

PAYLOAD_TYPE = "application/vnd.in-toto+json"
STATEMENT_TYPES = {
    "https://in-toto.io/Statement/v0.1": "0.1",
    "https://in-toto.io/Statement/v1": "1",
}
SLSA_PROVENANCE = {
    "https://slsa.dev/provenance/v0.2": "0.2",
    "https://slsa.dev/provenance/v1": "1",
}


class StatementError(ValueError):
    """The payload is not an in-toto statement gatekeeper can read."""


def parse_statement(payload_type: str | None, payload: bytes) -> dict[str, Any]:
    if payload_type != PAYLOAD_TYPE:
        raise StatementError(f"the payload type is {payload_type!r}, not {PAYLOAD_TYPE}")
    try:
        statement = orjson.loads(payload)
    except orjson.JSONDecodeError as error:
        raise StatementError(f"the payload is not JSON: {error}") from None
    if not isinstance(statement, dict) or statement.get("_type") not in STATEMENT_TYPES:
        found = statement.get("_type") if isinstance(statement, dict) else type(statement).__name__
        raise StatementError(f"not an in-toto statement (_type {found!r})")
    if not isinstance(statement.get("subject"), list):
        raise StatementError("the statement has no subject list")
    return statement


def subjects(statement: dict[str, Any]) -> list[dict[str, Any]]:
    """Each subject's name and sha256 (null when it names no sha256 digest)."""
    found = []
    for subject in statement["subject"]:
        if not isinstance(subject, dict):
            continue
        digest = mapping_or_empty(subject.get("digest"))
        sha256 = digest.get("sha256")
        found.append({
            "name": str(subject.get("name", "")),
            "sha256": sha256.lower() if isinstance(sha256, str) else None,
        })
    return found


def statement_facts(statement: dict[str, Any]) -> dict[str, Any]:
    """What policies read from a statement: its types, subjects, and SLSA provenance facts."""
    predicate_type = statement.get("predicateType")
    facts: dict[str, Any] = {
        "statement_type": STATEMENT_TYPES[statement["_type"]],
        "predicate_type": predicate_type if isinstance(predicate_type, str) else None,
        "subjects": subjects(statement),
        "slsa_version": (
            SLSA_PROVENANCE.get(predicate_type) if isinstance(predicate_type, str) else None
        ),
    }
    predicate = statement.get("predicate")
    if not isinstance(predicate, dict) or facts["slsa_version"] is None:
        return facts
    reader = _slsa_v02 if facts["slsa_version"] == "0.2" else _slsa_v1
    return {**facts, **reader(predicate)}


def _slsa_v02(predicate: dict[str, Any]) -> dict[str, Any]:
    invocation = mapping_or_empty(predicate.get("invocation"))
    config_source = mapping_or_empty(invocation.get("configSource"))
    metadata = mapping_or_empty(predicate.get("metadata"))
    materials = [_material(item) for item in list_or_empty(predicate.get("materials"))]
    source_uri = config_source.get("uri") or next(
        (item["uri"] for item in materials if item["uri"].startswith("git+")), None
    )
    commit = mapping_or_empty(config_source.get("digest")).get("sha1")
    return {
        "builder_id": mapping_or_empty(predicate.get("builder")).get("id"),
        "build_type": predicate.get("buildType"),
        **_source(source_uri, None, commit, materials),
        "invocation": {
            "id": metadata.get("buildInvocationId"),
            "config_source": config_source or None,
            "parameters": invocation.get("parameters"),
        },
        "materials": materials,
        "started_on": rfc3339_or_none(metadata.get("buildStartedOn")),
        "finished_on": rfc3339_or_none(metadata.get("buildFinishedOn")),
    }


def _slsa_v1(predicate: dict[str, Any]) -> dict[str, Any]:
    definition = mapping_or_empty(predicate.get("buildDefinition"))
    run = mapping_or_empty(predicate.get("runDetails"))
    metadata = mapping_or_empty(run.get("metadata"))
    external = mapping_or_empty(definition.get("externalParameters"))
    materials = [_material(item) for item in list_or_empty(definition.get("resolvedDependencies"))]
    workflow = mapping_or_empty(external.get("workflow"))
    source = external.get("source")
    if workflow.get("repository"):  # GitHub Actions build types
        uri, ref = workflow["repository"], workflow.get("ref")
    elif isinstance(source, (str, dict)):
        uri, ref = (source if isinstance(source, str) else source.get("uri")), None
    else:
        uri = next((item["uri"] for item in materials if item["uri"].startswith("git+")), None)
        ref = None
    return {
        "builder_id": mapping_or_empty(run.get("builder")).get("id"),
        "build_type": definition.get("buildType"),
        **_source(uri, ref, None, materials),
        "invocation": {
            "id": metadata.get("invocationId"),
            "parameters": external or None,
            "internal_parameters": definition.get("internalParameters"),
        },
        "materials": materials,
        "started_on": rfc3339_or_none(metadata.get("startedOn")),
        "finished_on": rfc3339_or_none(metadata.get("finishedOn")),
    }


def _source(
    uri: Any, ref: str | None, commit: str | None, materials: list[dict[str, Any]]
) -> dict[str, Any]:
    """Repository, ref and commit: from the source URI, else the material that names it."""
    if not isinstance(uri, str) or not uri:
        return {"source_repository": None, "source_ref": ref, "source_commit": commit}
    repository = normalize_repository(uri)
    if ref is None and "@" in uri.split("://", 1)[-1]:
        ref = uri.rsplit("@", 1)[1]
    if commit is None:
        for item in materials:
            if normalize_repository(item["uri"]) == repository:
                commit = item["digest"].get("gitCommit") or item["digest"].get("sha1")
                if commit:
                    break
    return {"source_repository": repository, "source_ref": ref, "source_commit": commit}


def _material(item: Any) -> dict[str, Any]:
    item = mapping_or_empty(item)
    digest = mapping_or_empty(item.get("digest"))
    return {"uri": str(item.get("uri") or item.get("name") or ""), "digest": dict(digest)}




def rfc3339_or_none(value: Any) -> str | None:
    """An RFC 3339 time as policies can parse it; anything else is no time at all."""
    moment = parse_rfc3339(value) if isinstance(value, str) else None
    return rfc3339(moment) if moment is not None else None


def _dsse_shape(envelope: dict[str, Any]) -> bool:
    """The DSSE fields have the types the envelope spec gives them (keyid is optional)."""
    signatures = envelope.get("signatures")
    return (
        all(isinstance(envelope.get(key), str) for key in ("payload", "payloadType"))
        and isinstance(signatures, list)
        and all(
            isinstance(item, dict)
            and isinstance(item.get("sig"), str)
            and isinstance(item.get("keyid", ""), str)
            for item in signatures
        )
    )


def verify_envelope(
    envelope: dict[str, Any], keys: tuple[TrustedKey, ...], purpose: str
) -> tuple[dict[str, Any], str | None, bytes | None]:
    """Verify a bare DSSE envelope with the trusted keys: (facts, payload type, payload).

    A key that verifies the signature but is not trusted for ``purpose`` rejects it.
    """
    from securesystemslib.dsse import Envelope
    from securesystemslib.exceptions import VerificationError
    from securesystemslib.signer import SSlibKey

    if not _dsse_shape(envelope):
        return rejected(
            "not a DSSE envelope: payload and payloadType must be strings, and signatures a "
            "list of objects whose sig and keyid are strings"
        ), None, None
    try:
        parsed = Envelope.from_dict(envelope)
    except Exception as error:  # KeyError, binascii.Error, TypeError: not an envelope
        return rejected(f"not a DSSE envelope: {type(error).__name__}: {error}"), None, None
    if not parsed.signatures:
        return rejected("the DSSE envelope carries no signature"), None, None
    candidates = []
    for signature in parsed.signatures.values():
        for key in keys:
            try:
                candidate = SSlibKey.from_crypto(key.public_key, keyid=signature.keyid)
                candidates.append((candidate, key))
            except ValueError:
                continue  # a key type securesystemslib does not verify with
    try:
        accepted = parsed.verify([candidate for candidate, _ in candidates], threshold=1)
    except (VerificationError, ValueError):
        accepted = {}
    matched = [key for candidate, key in candidates if candidate in accepted.values()]
    if matched:
        key = matched[0]
        signer = {"method": "key", "key": key.name, "fingerprint": key.fingerprint,
                  "trusted_as": key.name, "builders": list(key.builders)}
        refusal = beyond_purpose(key, purpose)
        if refusal is not None:
            return {**refusal, "signer": signer}, None, None
        return {**verified(), "signer": signer}, parsed.payload_type, parsed.payload
    if any("cert" in item for item in envelope.get("signatures", []) if isinstance(item, dict)):
        return unverifiable(
            "the DSSE envelope is signed with a Sigstore certificate but carries no Rekor "
            "entry: it can only be verified online (use a Sigstore bundle instead)"
        ), None, None
    if not keys:
        return rejected("no public key is trusted (configure trust.keys)"), None, None
    names = ", ".join(key.name for key in keys)
    return rejected(f"no trusted key ({names}) verifies the DSSE signature"), None, None
