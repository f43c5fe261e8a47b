"""The system manifest ``ai-system.yaml``: the declared facts about one AI system.

Read with the strict YAML loader and checked against ``gatekeeper/schemas/ai-system.schema.json``
(documented field by field in docs/ai-system.md): an unknown key, a wrong type or a risk tier
that is not an EU AI Act category is an error naming the file, the key and its line. What the
manifest declares is evidence of intent only; controls compare it with measured evidence
(artifact digests, the ML-BOM, evaluation metrics) wherever the evidence document has them.

Its free-text facts (FREE_TEXT: rollback automation, encryption key, detector engines...) are
checked for placeholders and filler (``TBD``, ``N/A``, lorem ipsum: evidence/placeholders.py);
each one found is listed under ``placeholders`` with the field, its line and the reason, and the
controls that read the field deny on it (policies/lib/manifest.rego, placeholder_problems).

The prompt templates it names are read too: each must exist, and its digest is recorded, so
the report shows which template files the release carried.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence.context import CollectContext
from gatekeeper.evidence.documentation.placeholders import placeholder_reason
from gatekeeper.jsonio import decode_text, sha256_bytes
from gatekeeper.kinds import declared_kinds
from gatekeeper.schemas import schema, validation_errors
from gatekeeper.yamlio import line_of, load_yaml_text

NAME = "manifest"
SCHEMA = "ai-system"

# The manifest's free-text facts: "[]" walks every item of a list, "*" every value of a mapping.
FREE_TEXT = (
    "system.description",
    "system.intended_purpose",
    "system.risk_assessment.rationale",
    "system.risk_assessment.assessed_by",
    "system.risk_assessment.reference",
    "owners[].name",
    "owners[].role",
    "incident_contacts[].name",
    "incident_contacts[].role",
    "models[].last_known_good.version",
    "models[].storage.uri",
    "models[].storage.encryption.at_rest",
    "models[].storage.encryption.key",
    "rollback.automation",
    "datasets[].purpose",
    "datasets[].consent_record",
    "datasets[].retention.deletion",
    "datasets[].access.policy",
    "tools.enforced_by",
    "tools.allowed[].description",
    "tools.allowed[].approver_role",
    "guardrails.input_filters[].engine",
    "guardrails.output_filters[].engine",
    "guardrails.dlp[].filter",
    "retrieval.vector_stores[].engine",
    "retrieval.ingestion[].signature.signer",
    "telemetry.exporter",
    "telemetry.captures.*.redaction",
    "telemetry.monitors[].baseline",
    "telemetry.monitors[].threshold",
    "telemetry.detectors[].engine",
    "human_review.sensitive_tasks[].reviewer_role",
    "human_review.escalation[].trigger",
    "labeling.platform",
    "labeling.workforce[].vetting.checks[]",
    "disclosures.ai_interaction.text",
    "disclosures.ai_interaction.shown",
    "disclosures.generated_content.text",
    "disclosures.safety.text",
    "disclosures.safety.link",
    "disclosures.feedback_channel",
    "ci.workflow",
)


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
    declared_kinds(manifest, path)  # a wrong kind is a usage error (exit 2), named first
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


def _values(
    node: Any, steps: list[str], parts: list[str | int]
) -> Iterator[tuple[list[str | int], Any]]:
    """(path parts, value) for every value the steps of a FREE_TEXT spec reach."""
    if not steps:
        yield parts, node
        return
    step, rest = steps[0], steps[1:]
    if step.endswith("[]"):
        key = step[:-2]
        items = node.get(key) if isinstance(node, dict) and key else node
        for index, item in enumerate(items if isinstance(items, list) else ()):
            yield from _values(item, rest, [*parts, *([key] if key else []), index])
    elif step == "*":
        for key, value in (node.items() if isinstance(node, dict) else ()):
            yield from _values(value, rest, [*parts, key])
    elif isinstance(node, dict) and step in node:
        yield from _values(node[step], rest, [*parts, step])


def _field_name(parts: list[str | int]) -> str:
    """``["models", 0, "storage"]`` -> ``models[0].storage``."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else part
    return text


def find_placeholders(manifest: dict[str, Any], text: str) -> list[dict[str, Any]]:
    """Every free-text fact (FREE_TEXT) that holds a placeholder or filler, with its line."""
    found = []
    for spec in FREE_TEXT:
        for parts, value in _values(manifest, spec.split("."), []):
            reason = placeholder_reason(value) if isinstance(value, str) else None
            if reason:
                key = ".".join(p for p in parts if isinstance(p, str))
                found.append(
                    {
                        "field": _field_name(parts),
                        "key": key,
                        "value": value,
                        "reason": reason,
                        "line": line_of(text, parts),
                    }
                )
    return found


def risk_tiers() -> list[str]:
    """The EU AI Act risk categories a manifest may declare (the schema's list)."""
    tiers: list[str] = schema(SCHEMA)["properties"]["system"]["properties"]["risk_tier"]["enum"]
    return tiers


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
    data = context.read(path, NAME)
    manifest = read_manifest(data, source)
    templates = _read_templates(manifest, path, source, context)
    return {
        NAME: {
            "source": source,
            "declared": manifest,
            "prompt_templates": templates,
            "placeholders": find_placeholders(manifest, decode_text(data, source)),
        }
    }
