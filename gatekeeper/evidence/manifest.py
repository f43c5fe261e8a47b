"""The system manifest ``ai-system.yaml``: the declared facts about one AI system.

Read with the strict YAML loader and checked against ``gatekeeper/schemas/ai-system.schema.json``
(documented field by field in docs/ai-system.md): an unknown key, a wrong type or a risk tier
that is not an EU AI Act category is an error naming the file, the key and its line. What the
manifest declares is evidence of intent only; controls compare it with measured evidence
(artifact digests, the ML-BOM, evaluation metrics) wherever the evidence document has them.

The prompt templates it names are read too: each must exist, and its digest is recorded, so
the report shows which template files the release carried.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence.context import CollectContext
from gatekeeper.jsonio import decode_text, sha256_bytes
from gatekeeper.schemas import schema, validation_errors
from gatekeeper.yamlio import line_of, load_yaml_text

NAME = "manifest"
SCHEMA = "ai-system"


def _located(error: str, text: str) -> str:
    """``models[0].digest: ...`` -> ``line 12: models[0].digest: ...``."""
    key = error.split(": ", 1)[0]
    if key == "(top level)":
        return error
    parts: list[str | int] = []
    for token in key.replace("]", "").replace("[", ".").split("."):
        parts.append(int(token) if token.isdigit() else token)
    line = line_of(text, parts)
    return f"line {line}: {error}" if line else error


def read_manifest(data: bytes, path: str) -> dict[str, Any]:
    """One manifest, validated; raises EvidenceError naming the file, key and line."""
    text = decode_text(data, path)
    manifest = load_yaml_text(text, path, EvidenceError)
    if not isinstance(manifest, dict):
        raise EvidenceError(
            "expected a mapping at the top level (version, system, owners, ...)",
            path=path,
            hint="see docs/ai-system.md for the manifest format",
        )
    errors = validation_errors(manifest, SCHEMA)
    if errors:
        hint = "see docs/ai-system.md for every field, its type and allowed values"
        if any(error.startswith("system.risk_tier:") for error in errors):
            hint = f"the EU AI Act risk tiers are {', '.join(risk_tiers())}; {hint}"
        raise EvidenceError(
            "invalid system manifest:\n  " + "\n  ".join(_located(e, text) for e in errors),
            path=path,
            hint=hint,
        )
    return manifest


def risk_tiers() -> list[str]:
    """The EU AI Act risk categories a manifest may declare (the schema's list)."""
    return schema(SCHEMA)["properties"]["system"]["properties"]["risk_tier"]["enum"]


def _read_templates(
    manifest: dict[str, Any], manifest_path: Path, source: str, context: CollectContext
) -> list[dict[str, Any]]:
    """Each declared prompt template file, read (it must exist) and recorded with its digest."""
    found = []
    templates = (manifest.get("guardrails") or {}).get("prompt_templates") or ()
    for index, template in enumerate(templates):
        path = manifest_path.parent / template["path"]
        if not path.is_file():
            raise EvidenceError(
                f"guardrails.prompt_templates[{index}].path: {template['path']!r} is not a file",
                path=source,
                hint="paths in the manifest are relative to the manifest's folder",
            )
        data = context.read(path, NAME)
        found.append(
            {"id": template["id"], "path": context.display_path(path), "sha256": sha256_bytes(data)}
        )
    return found


def collect(pattern: str, context: CollectContext) -> dict[str, Any]:
    path = context.expand_one(
        pattern, f"evidence.{NAME}", " ai-system.yaml (one manifest describes one system)"
    )
    source = context.display_path(path)
    manifest = read_manifest(context.read(path, NAME), source)
    templates = _read_templates(manifest, path, source, context)
    return {NAME: {"source": source, "declared": manifest, "prompt_templates": templates}}
