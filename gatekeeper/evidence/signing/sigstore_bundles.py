"""Sigstore bundles over release artifacts, verified offline with the sigstore library.

``evidence.signatures`` names pairs of an artifact and its bundle (v0.1-v0.3, a message
signature or a DSSE in-toto statement). Each bundle is checked against the trusted root (the
one the sigstore package ships, or ``trust.sigstore``), the identities in ``trust.identities``,
and the artifact's sha256; the result, with the signer, the log entry and the verified signing
times, is one entry of the ``signatures`` section.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence.context import CollectContext
from gatekeeper.evidence.signing import intoto
from gatekeeper.evidence.signing.sigstore_verify import verify_bundle
from gatekeeper.evidence.signing.trust import rejected
from gatekeeper.jsonio import parse_json, sha256_file

NAME = "signatures"


def collect(setting: list[dict[str, str]], context: CollectContext) -> dict[str, Any]:
    signatures = []
    for index, entry in enumerate(setting):
        where = f"evidence.signatures[{index}]"
        artifact = context.expand_one(entry["artifact"], f"{where}.artifact")
        bundle = context.expand_one(entry["bundle"], f"{where}.bundle")
        digest = sha256_file(artifact)
        context.record(artifact, digest, NAME)
        signatures.append(
            {
                "source": context.display_path(bundle),
                "artifact": context.display_path(artifact),
                "artifact_sha256": digest,
                **check_bundle(context, bundle, digest),
            }
        )
    return {"signatures": signatures}


def check_bundle(context: CollectContext, path: Path, digest: str) -> dict[str, Any]:
    raw = context.read(path, NAME)
    document = parse_json(raw, context.display_path(path))
    if not isinstance(document, dict):
        raise EvidenceError("not a Sigstore bundle (expected a JSON object)",
                            path=context.display_path(path))
    check = verify_bundle(context.trust, raw, document, digest)
    if not check.verified or check.payload is None:
        return check.facts
    # A DSSE bundle signs a statement; the statement must name this artifact.
    try:
        statement = intoto.parse_statement(check.payload_type, check.payload)
    except intoto.StatementError as error:
        return {**check.facts, **rejected(f"the signed payload is unusable: {error}")}
    subjects = intoto.subjects(statement)
    facts = {**check.facts, "subjects": subjects}
    if digest not in {subject["sha256"] for subject in subjects}:
        names = ", ".join(f"{subject['name']} sha256 {subject['sha256']}"
                          for subject in subjects) or "none"
        return {**facts, **rejected(
            f"the signed statement has no subject with the artifact's sha256 {digest} "
            f"(its subjects: {names})"
        )}
    return facts
