"""in-toto / SLSA provenance: verify each attestation, expose the build facts to policies.

``evidence.provenance.attestations`` names files in any of the shapes builders publish: an
``.intoto.jsonl`` (one envelope or bundle per line), a bare DSSE envelope, a Sigstore bundle
carrying DSSE, or npm's ``{"attestations": [{"bundle": …}]}``. Sigstore bundles are verified
offline with the sigstore library against ``trust.identities``; bare DSSE envelopes with
securesystemslib against ``trust.keys``. Each statement becomes one entry of
``provenance.statements``: verified or not (and why), who signed it, its subjects, and for SLSA
provenance v0.2 / v1 the builder id, build type, source repository / ref / commit, invocation,
materials and build times. ``evidence.provenance.layouts`` adds in-toto layouts verified with
their link files by the in-toto library (see ``gatekeeper.evidence.signing.layouts``).

What a statement claims is only as good as who vouches for it. A Sigstore (Fulcio) certificate
carries the build that signed: its builder (Build Signer URI), source repository, ref and
commit. Those are the values controls check, and the predicate must agree with each of them;
``claims`` records, per fact, the certificate's value, the predicate's and which one counts.
A key vouches only for the builder ids its ``trust.keys`` entry lists under ``builders``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence.context import CollectContext
from gatekeeper.evidence.signing import intoto, layouts
from gatekeeper.evidence.signing.sigstore_verify import is_dsse, verify_bundle
from gatekeeper.evidence.signing.trust import normalize_repository, rejected
from gatekeeper.jsonio import parse_json

NAME = "provenance"
_BUNDLE_MEDIA_PREFIX = "application/vnd.dev.sigstore.bundle"
# Each build fact a statement claims, and the certificate extension that must agree with it.
CERTIFIED_FACTS = {
    "builder_id": "build_signer_uri",
    "source_repository": "source_repository_uri",
    "source_ref": "source_repository_ref",
    "source_commit": "source_repository_digest",
}


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
        verdict, payload_type, payload = intoto.verify_envelope(
            document, context.trust.keys, "provenance"
        )
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
    claimed = intoto.statement_facts(statement)
    if not facts["verified"] or claimed["slsa_version"] is None:
        return claimed
    return bind_to_signer(claimed, facts["signer"])


def bind_to_signer(claimed: dict[str, Any], signer: dict[str, Any]) -> dict[str, Any]:
    """The statement's build facts as its signer vouches for them.

    Keyless: every fact comes from the certificate when the certificate states it, and
    ``claims`` says whether the predicate agrees. Key-signed: the facts are the predicate's,
    and the builder id counts only if the key is bound to it.
    """
    if signer.get("method") == "key":
        claims = {field: _claim(claimed[field], None, "predicate") for field in CERTIFIED_FACTS}
        claims["builder_id"] = {
            **claims["builder_id"], "from": "key", "key": signer["key"],
            "agrees": claimed["builder_id"] in signer.get("builders", []),
        }
    else:
        build = signer.get("build", {})
        claims = {field: _certified(field, claimed[field], build.get(extension))
                  for field, extension in CERTIFIED_FACTS.items()}
    effective = {field: claim["value"] for field, claim in claims.items()}
    return {**claimed, **effective, "claims": claims}


def _certified(field: str, predicate: Any, certificate: str | None) -> dict[str, Any]:
    """One fact under a certificate: the certificate's value counts; the predicate must agree
    with it, and a claim the certificate does not make is vouched for by nobody."""
    if certificate is None:
        return {**_claim(predicate, None, "predicate"), "agrees": predicate is None}
    if field == "source_repository":
        certificate = normalize_repository(certificate)
    return {
        **_claim(predicate, certificate, "certificate"),
        "agrees": predicate is None or _same(field, predicate, certificate),
    }


def _same(field: str, predicate: Any, certificate: str) -> bool:
    if field == "source_commit" and isinstance(predicate, str):
        return predicate.lower() == certificate.lower()
    return bool(predicate == certificate)


def _claim(predicate: Any, certificate: str | None, source: str) -> dict[str, Any]:
    value = certificate if source == "certificate" else predicate
    return {"value": value, "from": source, "predicate": predicate,
            "certificate": certificate, "agrees": True}


def _decoded(payload: Any) -> bytes | None:
    import base64
    import binascii

    if not isinstance(payload, str):
        return None
    try:
        return base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        return None
