"""The `sbom` evidence kind: CycloneDX (JSON, XML) and SPDX (JSON) files, told apart by content."""

from __future__ import annotations

from typing import Any

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence.bom import cyclonedx, spdx
from gatekeeper.evidence.context import CollectContext
from gatekeeper.jsonio import JsonArray, parse_json

NAME = "sbom"
LISTS = ("components", "models", "datasets")


def read_sbom(data: bytes, path: str) -> dict[str, Any]:
    """One SBOM file, normalized. Raises EvidenceError for anything that is not an SBOM."""
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        if cyclonedx.is_cyclonedx_xml(data):
            return cyclonedx.read_xml(data, path)
        raise EvidenceError("XML file is not a CycloneDX BOM", path=path)
    document = parse_json(data, path)
    if isinstance(document, dict) and document.get("bomFormat") == "CycloneDX":
        return cyclonedx.read_json(document, path)
    if spdx.is_spdx(document):
        return spdx.read(document, path)
    raise EvidenceError(
        "not an SBOM: expected CycloneDX (bomFormat: CycloneDX) or SPDX (spdxVersion) JSON",
        path=path,
        hint="check that this path in evidence.sbom names the SBOM and not another file",
    )


def with_source(entries: list[dict[str, Any]], source: str) -> list[dict[str, Any]]:
    """``entries``, fresh from the reader, each naming the file it came from (set in place:
    an entry in two lists, as an SPDX dataset is among the components, is of one file)."""
    for entry in entries:
        entry["source"] = source
    return entries


def collect(patterns: list[str], context: CollectContext) -> dict[str, Any]:
    documents, components, models, datasets = [], JsonArray(), [], []
    for index, pattern in enumerate(patterns):
        for path in context.expand(pattern, f"evidence.sbom[{index}]"):
            source = context.display_path(path)
            sbom = read_sbom(context.read(path, NAME), source)
            found = {key: with_source(sbom.pop(key), source) for key in LISTS}
            components.extend(found["components"])
            models += found["models"]
            datasets += found["datasets"]
            documents.append({**sbom, "source": source, "model_count": len(found["models"])})
    return {
        NAME: {
            "documents": documents,
            "components": components,
            "models": models,
            "datasets": datasets,
        }
    }
