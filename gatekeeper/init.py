"""``gatekeeper init``: a first gatekeeper.yaml and ai-system.yaml for a repository.

It writes what it can see (model files with their sha256, Dockerfiles, Kubernetes manifests,
evidence already produced, governance documents) and the system kinds it is told, and leaves
every fact only people know as ``TBD``: gatekeeper reads ``TBD`` as a placeholder, so the
controls that read such a fact fail until someone fills it in, never pass on it.

The ``evidence:`` mapping of gatekeeper.yaml sits between two marker lines; ``gatekeeper
evidence run`` adds the files it produced there (the rest of the file is never rewritten).
Running init again writes the same files: an existing file with other content is refused unless
``--force``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from gatekeeper.errors import ConfigError
from gatekeeper.jsonio import sha256_file
from gatekeeper.kinds import KINDS
from gatekeeper.recipes import Step
from gatekeeper.survey import Survey

CONFIG_FILE = "gatekeeper.yaml"
MANIFEST_FILE = "ai-system.yaml"
BLOCK_START = "# >>> evidence: gatekeeper init and gatekeeper evidence run add files here"
BLOCK_END = "# <<< evidence"
# The documents every kind of system needs first: (kind, usual file, the control reading it).
FIRST_DOCUMENTS = (
    ("model_card", "docs/MODEL_CARD.md", "GRC-model-card-complete"),
    ("datasheet", "docs/DATASHEET.md", "GRC-datasheet-complete"),
    ("threat_model", "docs/THREAT_MODEL.md", "RTE-threat-model-atlas-stride"),
)
EVIDENCE_ORDER = ("manifest", "sbom", "sarif", "scanners", "modelaudit", "modelscan",
                  "picklescan", "dockerfiles", "kubernetes", "codeowners", "documents",
                  "garak", "promptfoo")


def check_kinds(kinds: tuple[str, ...]) -> tuple[str, ...]:
    unknown = [kind for kind in kinds if kind not in KINDS]
    if unknown:
        raise ConfigError(f"--kind {unknown[0]!r}: one of {', '.join(KINDS)}")
    if not kinds:
        raise ConfigError(
            f"--kind is required (one of {', '.join(KINDS)}; repeat it for a system of several "
            "kinds): gatekeeper cannot tell what is being gated from the files alone")
    return tuple(dict.fromkeys(kinds))


def suggested_kind(survey: Survey) -> str:
    """The kind an interactive prompt offers first: an LLM library among the dependencies
    suggests an LLM application, anything else a classical model."""
    return "llm-app" if survey.llm_dependencies else "classical-ml"


@dataclass(frozen=True)
class Model:
    path: str
    name: str
    sha256: str


def models(survey: Survey) -> list[Model]:
    """The model files, named after their file (the folder too when two share a name)."""
    stems = [Path(path).stem for path in survey.model_files]
    found = []
    for path, stem in zip(survey.model_files, stems, strict=True):
        name = stem if stems.count(stem) == 1 else path.rsplit(".", 1)[0].replace("/", "-")
        found.append(Model(path, _slug(name), sha256_file(survey.root / path)))
    return found


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "model"


def evidence_entries(survey: Survey) -> dict[str, Any]:
    """The ``evidence:`` mapping for what the repository already holds."""
    entries: dict[str, Any] = {"manifest": MANIFEST_FILE}
    for key, path in survey.evidence:
        entries.setdefault(key.split(".", 1)[1], []).append(path)
    if survey.dockerfiles:
        entries["dockerfiles"] = list(survey.dockerfiles)
    if survey.kubernetes:
        entries["kubernetes"] = list(survey.kubernetes)
    if survey.has("CODEOWNERS") or survey.has(".github/CODEOWNERS"):
        entries["codeowners"] = "CODEOWNERS" if survey.has("CODEOWNERS") else ".github/CODEOWNERS"
    documents = dict(survey.documents)
    if documents:
        entries["documents"] = documents
    return entries


def evidence_block(entries: dict[str, Any]) -> str:
    """The marked ``evidence:`` block of gatekeeper.yaml, keys in a fixed order."""
    ordered = {key: entries[key] for key in EVIDENCE_ORDER if key in entries}
    ordered.update({key: value for key, value in entries.items() if key not in ordered})
    body = yaml.safe_dump({"evidence": ordered}, sort_keys=False, default_flow_style=False,
                          width=100)
    return f"{BLOCK_START}\n{body}{BLOCK_END}\n"


def config_text(survey: Survey, name: str, kinds: tuple[str, ...]) -> str:
    artifacts = "".join(f"  - {{path: {m.path}, kind: model}}\n" for m in models(survey))
    artifacts = f"artifacts:\n{artifacts}" if artifacts else "artifacts: []\n"
    return f"""\
# gatekeeper.yaml: the release gate of {name} ({', '.join(kinds)}), written by `gatekeeper init`.
# Next: `gatekeeper evidence run` produces the missing evidence into evidence/ and lists it
# below; `gatekeeper check` runs the gate (exit 0 pass, 1 blocked). The walk-through, up to a
# blocking gate in CI: docs/adopt.md. Every key: `gatekeeper controls` shows what each reads.
version: 1

subject:
  name: {name}
  version: 0.1.0  # the version being released; CI may pass its own (see docs/ci.md)

# The release's own files: their sha256 and format (read from the bytes) are measured.
{artifacts}
{evidence_block(evidence_entries(survey))}
# Which controls block the release: every control blocks unless listed as advisory or
# disabled here (mandatory controls always block; docs/security.md).
profile:
  blocking: ["*"]
"""


def manifest_text(survey: Survey, name: str, kinds: tuple[str, ...]) -> str:
    declared = "".join(
        f"  - name: {m.name}\n"
        f"    version: 0.1.0  # the version this release ships\n"
        f"    hosting: self-hosted\n"
        f"    purpose: TBD ({m.path})\n"
        f"    # registry: the registry it is published to (declare it under registries:)\n"
        f"    digest: sha256:{m.sha256}  # measured by gatekeeper init from {m.path}\n"
        for m in models(survey)
    )
    models_block = f"models:\n{declared}" if declared else "models: []\n"
    return f"""\
# The system manifest (format: docs/ai-system.md): what the team declares about {name}.
# gatekeeper checks these declarations against the measured evidence. Written by
# `gatekeeper init`: every TBD is a placeholder, and the controls that read it fail until it is
# replaced by the real fact.
version: 1

# What is being gated: {', '.join(KINDS)} (a system may be several).
kinds: [{', '.join(kinds)}]

system:
  name: {name}
  description: TBD
  intended_purpose: TBD
  # The EU AI Act risk category; GRC-risk-tier-consistent fails until risk_assessment says
  # who assessed it, when and why.
  risk_tier: EUAIA-RC-MINIMAL

owners:
  - {{id: owner, name: TBD, email: TBD, role: system owner}}

{models_block}"""


def write_new(path: Path, text: str, force: bool) -> str:
    """Write ``text`` to ``path``: "written", "unchanged" when it already holds it, and a
    ConfigError naming the file when it holds something else and ``force`` is not set."""
    if path.exists() and not force:
        if path.is_file() and path.read_text(encoding="utf-8", errors="replace") == text:
            return "unchanged"
        raise ConfigError(f"{path.name} exists and differs from what init would write; "
                          "init never overwrites it without --force", path=path)
    path.write_text(text, encoding="utf-8")
    return "written"


def missing_evidence(survey: Survey, steps: list[Step]) -> list[tuple[str, str]]:
    """What is still missing and what produces each: the recipes, then the documents."""
    found = {key for key, _ in survey.evidence}
    lines = [(f"{step.recipe.config_key} ({step.output})", step.shown)
             for step in steps if step.recipe.config_key not in found]
    documents = dict(survey.documents)
    lines += [(f"evidence.documents.{kind}", f"write {file} and list it under that key "
               f"(`gatekeeper controls` shows the sections {control} asks for)")
              for kind, file, control in FIRST_DOCUMENTS if kind not in documents]
    return lines


def update_block(config_path: Path, additions: dict[str, Any]) -> bool:
    """Add entries to the marked ``evidence:`` block of gatekeeper.yaml; False when the file
    has no such block (a hand-written file: nothing is changed)."""
    text = config_path.read_text(encoding="utf-8")
    start, end = text.find(BLOCK_START), text.find(BLOCK_END)
    if start < 0 or end < start:
        return False
    block = yaml.safe_load(text[start:end]) or {}
    entries = block.get("evidence") or {}
    for key, value in additions.items():
        current = entries.get(key)
        if isinstance(value, list):
            merged = list(current or [])
            merged += [item for item in value if item not in merged]
            entries[key] = merged
        elif isinstance(value, dict) and isinstance(current, dict):
            entries[key] = {**value, **current}  # what is listed stays as it is
        elif current is None:
            entries[key] = value
    new = text[:start] + evidence_block(entries) + text[end + len(BLOCK_END) + 1:]
    if new != text:
        config_path.write_text(new, encoding="utf-8")
    return True
