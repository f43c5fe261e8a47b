"""An in-toto layout and its link files, verified with the in-toto library.

The layout must be signed by a key in ``trust.keys`` (a Metablock or a DSSE envelope); then
in-toto checks, step by step, that enough links signed by the step's functionaries exist and
agree, and that every artifact rule holds. gatekeeper never runs commands from evidence, so a
layout with inspections (which run commands) cannot be verified here: that is an error, with
the inspections named. The expiry date is a fact the provenance control checks against the
evaluation time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gatekeeper.evidence.context import CollectContext
from gatekeeper.evidence.signing.intoto import rfc3339_or_none
from gatekeeper.evidence.signing.trust import (
    TrustedKey,
    beyond_purpose,
    rejected,
    unverifiable,
    verified,
)

NAME = "provenance"


def verify_layout(context: CollectContext, entry: dict[str, str], where: str) -> dict[str, Any]:
    from in_toto.models.metadata import Metadata

    path = context.expand_one(entry["layout"], f"{where}.layout")
    links = context.base_dir / entry["links"]
    facts: dict[str, Any] = {"source": context.display_path(path),
                             "links": context.display_path(links)}
    context.read(path, NAME)
    try:
        metadata = Metadata.load(str(path))
        layout = metadata.get_payload()
    except Exception as error:  # in-toto raises format errors of several kinds
        return {**facts, **rejected(f"not an in-toto layout: {type(error).__name__}: {error}")}
    facts["expires"] = rfc3339_or_none(getattr(layout, "expires", None))
    facts["steps"] = [step.name for step in layout.steps]
    signer = _layout_signer(metadata, context.trust.keys)
    if signer is None:
        names = ", ".join(key.name for key in context.trust.keys) or "none configured"
        return {**facts, **rejected(f"the layout is not signed by a trusted key ({names})")}
    facts["signer"] = {"method": "key", "key": signer.name, "fingerprint": signer.fingerprint,
                       "trusted_as": signer.name}
    refusal = beyond_purpose(signer, "provenance")
    if refusal is not None:
        return {**facts, **refusal}
    if not links.is_dir():
        return {**facts, **rejected(f"the link folder {facts['links']} does not exist")}
    try:
        products = _verify_steps(layout, links, context)
    except Exception as error:  # in-toto's verification errors carry the reason
        return {**facts, **rejected(f"in-toto: {type(error).__name__}: {error}")}
    facts["products"] = products
    if layout.inspect:
        names = ", ".join(inspection.name for inspection in layout.inspect)
        return {**facts, **unverifiable(
            f"the layout's inspections ({names}) run commands, which gatekeeper never does; "
            "run in-toto-verify in the pipeline, or use a layout without inspections"
        )}
    return {**facts, **verified()}


def _layout_signer(metadata: Any, keys: tuple[TrustedKey, ...]) -> TrustedKey | None:
    """The trusted key that signed the layout (matched by key, whatever keyid it was given)."""
    from securesystemslib.signer import SSlibKey

    keyids = _signature_keyids(metadata)
    for key in keys:
        for keyid in keyids:
            try:
                candidate = SSlibKey.from_crypto(key.public_key, keyid=keyid).to_dict()
            except ValueError:
                continue
            candidate["keyid"] = keyid
            try:
                metadata.verify_signature(candidate)
            except Exception:  # this key did not sign it; try the next
                continue
            return key
    return None


def _signature_keyids(metadata: Any) -> set[str]:
    """A Metablock lists signatures as mappings; a DSSE envelope maps keyids to them."""
    signatures = metadata.signatures
    if isinstance(signatures, dict):
        return set(signatures)
    return {str(signature.get("keyid", "")) for signature in signatures}


def _verify_steps(layout: Any, links: Path, context: CollectContext) -> list[dict[str, str]]:
    """in-toto's step verification (signatures, thresholds, rules), without inspections."""
    from in_toto import verifylib

    for link in sorted(links.glob("*.link")):
        context.read(link, NAME)
    steps = verifylib.load_links_for_layout(layout, str(links))
    steps = verifylib.verify_link_signature_thresholds(layout, steps)
    chain = verifylib.verify_sublayouts(layout, steps, str(links), None)
    verifylib.verify_threshold_constraints(layout, chain)
    reduced = verifylib.reduce_chain_links(chain)
    verifylib.verify_all_item_rules(layout.steps, reduced)
    last = layout.steps[-1].name if layout.steps else None
    if last is None:
        return []
    products = reduced[last].products
    return [
        {"name": name, "sha256": digest.get("sha256")}
        for name, digest in sorted(products.items())
    ]
