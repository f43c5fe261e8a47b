"""in-toto / SLSA provenance: verify each attestation, expose the build facts to policies.

``evidence.provenance.attestations`` names files in any of the shapes builders publish: an
``.intoto.jsonl`` (one envelope or bundle per line), a bare DSSE envelope, a Sigstore bundle
carrying DSSE, or npm's ``{"attestations": [{"bundle": …}]}``. Sigstore bundles are verified
offline with the sigstore library against ``trust.identities``; bare DSSE envelopes with
securesystemslib against ``trust.keys``. Each statement becomes one entry of
``provenance.statements``: verified or not (and why), who signed it, its subjects, and for SLSA
provenance v0.2 / v1 the builder id, build type, source repository / ref / commit, invocation,
materials and build times. ``evidence.provenance.layouts`` adds in-toto layouts verified with
their link files by the in-toto library (see ``gatekeeper.evidence.layouts``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence import intoto, layouts
from gatekeeper.evidence.context import CollectContext
from gatekeeper.evidence.sigstore_verify import is_dsse, verify_bundle
from gatekeeper.evidence.trust import rejected
from gatekeeper.jsonio import parse_json

NAME = "provenance"
_BUNDLE_MEDIA_PREFIX = "application/vnd.dev.sigstore.bundle"


def collect(setting: dict[str, Any], context: CollectContext) -> dict[str, Any]:
    statements = []
    for index, pattern in enumerate(setting.get("attestations", [])):
        for path in context.expand(pattern, f"evidence.provenance.attestations[{index}]"):
            statements += read_attestations(context, path)
    section: dict[str, Any] = {"statements": statements}
    if "layouts" in setting:
        section["layouts"] = [
            layouts.verify_layout(context, entry, f"evidence.provenance.layouts[{index}]")
            for index, entry in enumerate(setting["layouts"])
        ]
    return {"provenance": section}


def read_attestations(context: CollectContext, path: Path) -> list[dict[str, Any]]:
    raw = context.read(path, NAME)
    display = context.display_path(path)
    return [
        {"source": display, "index": index, **check_attestation(context, document, text, display)}
        for index, document, text in _documents(raw, display)
    ]


def _documents(raw: bytes, display: str) -> list[tuple[int, Any, bytes]]:
    """(index, parsed JSON, its bytes) for each attestation in the file.

    A whole-file JSON document is one attestation (or npm's list of them: index is the
    position in the list); otherwise the file is JSON Lines, one attestation per non-empty
    line (index is the line number).
    """
    try:
        document = parse_json(raw, display)
    except EvidenceError:
        lines = [(n, text) for n, text in enumerate(raw.splitlines(), 1) if text.strip()]
        if len(lines) < 2:
            raise
        return [(n, parse_json(text, f"{display}, line {n}"), text) for n, text in lines]
    if isinstance(document, dict) and isinstance(document.get("attestations"), list):
        import orjson

        return [
            (number, item["bundle"], orjson.dumps(item["bundle"]))
            for number, item in enumerate(document["attestations"], 1)
            if isinstance(item, dict) and isinstance(item.get("bundle"), dict)
        ]
    return [(1, document, raw)]


def check_attestation(
    context: CollectContext, document: Any, raw: bytes, display: str
) -> dict[str, Any]:
    if not isinstance(document, dict):
        raise EvidenceError("not an attestation: expected a JSON object", path=display)
    if str(document.get("mediaType", "")).startswith(_BUNDLE_MEDIA_PREFIX):
        if not is_dsse(document):
            return {"envelope": "sigstore-bundle", **rejected(
                "the Sigstore bundle signs a message, not an in-toto statement"
            )}
        check = verify_bundle(context.trust, raw, document, None)
        facts = {"envelope": "sigstore-bundle", **check.facts}
        payload_type, payload = check.payload_type, check.payload
        if payload is None:  # not verified: still show what it claims, marked unverified
            envelope = document["dsseEnvelope"]
            payload_type, payload = envelope.get("payloadType"), _decoded(envelope.get("payload"))
    elif "payloadType" in document and "signatures" in document:
        verdict, payload_type, payload = intoto.verify_envelope(document, context.trust.keys)
        facts = {"envelope": "dsse", **verdict}
        if payload is None:
            payload_type, payload = document.get("payloadType"), _decoded(document.get("payload"))
    elif "_type" in document:
        unsigned = rejected("an unsigned in-toto statement: nobody vouches for it")
        facts = {"envelope": "none", **unsigned}
        payload_type, payload = intoto.PAYLOAD_TYPE, raw
    else:
        raise EvidenceError(
            "not an attestation: expected a DSSE envelope, a Sigstore bundle or an in-toto "
            "statement",
            path=display,
        )
    return {**facts, **_statement(facts, payload_type, payload)}


def _statement(
    facts: dict[str, Any], payload_type: str | None, payload: bytes | None
) -> dict[str, Any]:
    if payload is None:
        return {}
    try:
        statement = intoto.parse_statement(payload_type, payload)
    except intoto.StatementError as error:
        return rejected(f"the signed payload is unusable: {error}") if facts["verified"] else {}
    return intoto.statement_facts(statement)


def _decoded(payload: Any) -> bytes | None:
    import base64
    import binascii

    if not isinstance(payload, str):
        return None
    try:
        return base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        return None
