"""System kinds: what is being gated, and which controls apply to it (docs/kinds.md).

``ai-system.yaml`` may declare ``kinds:``, one or more of KINDS; without it a system is every
kind, so every control applies (as before kinds existed). A control's METADATA
``custom.applies_to`` names the kinds it applies to (absent: all). A control that applies to
none of the system's kinds is not evaluated: its outcome is ``not_applicable``, with the reason.

A declared kind is a claim that turns controls off, so it is checked against the evidence: a
system that declares no LLM kind (llm-app, rag, agent) while its evidence shows an LLM (an
ML-BOM model whose card or properties say text generation / LLM, a garak or promptfoo run,
prompt templates, tools or retrieval in the manifest) is refused (exit 2) naming the file,
unless the organization policy sets ``kinds: {allow_contradicting_evidence: true}``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Protocol

from gatekeeper.errors import ConfigError


class Control(Protocol):
    """What applicability reads of a control (gatekeeper.engine.policies.Control): the manifest
    collector, a stage before the engine, reads the kinds too."""

    @property
    def id(self) -> str: ...

    @property
    def applies_to(self) -> tuple[str, ...]: ...

KINDS = ("classical-ml", "llm-app", "rag", "agent", "training-pipeline")
LLM_KINDS = frozenset({"llm-app", "rag", "agent"})
# ML-BOM modelCard.modelParameters.task values (Hugging Face pipeline tags) that are an LLM's.
LLM_TASKS = frozenset(
    {"text-generation", "text2text-generation", "conversational", "chat", "chat-completion"}
)
_LLM_WORDS = re.compile(r"\b(llm|large[ -]language[ -]model|text-generation)\b", re.IGNORECASE)
LLM_EVAL_TOOLS = ("garak", "promptfoo")
# Manifest keys that only an LLM application has, and the kind each points to.
LLM_MANIFEST_KEYS = (
    ("guardrails", "prompt_templates", "llm-app"),
    ("tools", "allowed", "agent"),
    ("retrieval", "vector_stores", "rag"),
    ("retrieval", "ingestion", "rag"),
)


def declared_kinds(manifest: Mapping[str, Any], path: str) -> tuple[str, ...] | None:
    """The manifest's ``kinds:``, checked; None when it declares none (every kind).

    An unknown kind, an empty list or a repeated kind is a ConfigError (exit 2) naming the file
    and the allowed values: a misspelt kind must never silently turn controls off.
    """
    if "kinds" not in manifest:
        return None
    value = manifest["kinds"]
    allowed = ", ".join(KINDS)
    if not isinstance(value, list) or not value:
        raise ConfigError(
            f"kinds: expected a non-empty list of system kinds, got {value!r}",
            path=path,
            hint=f"the kinds are {allowed}; remove the key to gate as every kind",
        )
    unknown = [kind for kind in value if kind not in KINDS]
    if unknown:
        raise ConfigError(
            f"kinds: unknown system kind {', '.join(map(repr, unknown))} (allowed: {allowed})",
            path=path,
            hint="see docs/kinds.md",
        )
    if len(set(value)) != len(value):
        raise ConfigError(f"kinds: a kind is listed twice in {value!r}", path=path)
    return tuple(value)


def system_kinds(evidence: Mapping[str, Any]) -> tuple[str, ...] | None:
    """The kinds the evidence document's manifest declares; None: none declared (all kinds)."""
    manifest = evidence.get("manifest")
    if not isinstance(manifest, Mapping):
        return None
    return declared_kinds(manifest.get("declared") or {}, str(manifest.get("source")))


def applies(control: Control, kinds: Sequence[str] | None) -> bool:
    """A control applies unless both it and the system are restricted and they do not meet."""
    if kinds is None or not control.applies_to:
        return True
    return bool(set(control.applies_to) & set(kinds))


def describe(kinds: Sequence[str]) -> str:
    """``("classical-ml",)`` -> ``classical-ml``; two or more joined by "and"."""
    return " and ".join(kinds)


def not_applicable_reason(control: Control, kinds: Sequence[str]) -> str:
    return f"applies to {', '.join(control.applies_to)}; this system is {describe(kinds)}"


def not_applicable(
    controls: Sequence[Control], kinds: Sequence[str] | None
) -> dict[str, str]:
    """The controls that do not apply to a system of ``kinds``, each with the reason."""
    if kinds is None:
        return {}
    return {c.id: not_applicable_reason(c, kinds) for c in controls if not applies(c, kinds)}


def llm_signals(evidence: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(file, what in it names an LLM) for every piece of evidence that does."""
    for model in (evidence.get("sbom") or {}).get("models") or ():
        why = _llm_model(model)
        if why:
            yield str(model.get("source")), f"ML-BOM model {model.get('name')!r} {why}"
    for run in (evidence.get("evals") or {}).get("runs") or ():
        if run.get("tool") in LLM_EVAL_TOOLS:
            yield str(run.get("source")), f"a {run['tool']} run (LLM red-team evidence)"
    manifest = evidence.get("manifest")
    if isinstance(manifest, Mapping):
        declared = manifest.get("declared") or {}
        for section, key, kind in LLM_MANIFEST_KEYS:
            if (declared.get(section) or {}).get(key):
                yield str(manifest.get("source")), f"{section}.{key} (a {kind} system's)"


def _llm_model(model: Mapping[str, Any]) -> str | None:
    """Why an ML-BOM model is an LLM (its task, or a property naming one), or None."""
    card = model.get("model_card") or {}
    task = card.get("task")
    if isinstance(task, str) and task.strip().lower() in LLM_TASKS:
        return f"has task {task!r}"
    for name, value in (model.get("properties") or {}).items():
        if _LLM_WORDS.search(f"{name} {value}"):
            return f"has property {name}={value!r}"
    return None


def refuse_contradicting_evidence(
    evidence: Mapping[str, Any], kinds: Sequence[str] | None, allowed: bool
) -> None:
    """A ConfigError (exit 2) when the declared kinds include no LLM kind while the evidence
    shows an LLM; ``allowed``: the organization policy accepts the contradiction."""
    if kinds is None or allowed or LLM_KINDS & set(kinds):
        return
    found = sorted(set(llm_signals(evidence)))
    if not found:
        return
    manifest = str((evidence.get("manifest") or {}).get("source"))
    listed = "\n  ".join(f"{path}: {why}" for path, why in found)
    raise ConfigError(
        f"kinds: the system declares {describe(kinds)} but the evidence shows an LLM:\n  {listed}",
        path=manifest,
        hint="declare the kinds it is (llm-app, rag, agent) so the LLM controls apply; only the "
        "organization policy may accept this (kinds: {allow_contradicting_evidence: true})",
    )
