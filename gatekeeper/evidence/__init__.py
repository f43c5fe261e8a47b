"""Stage 1, collect: every configured evidence file -> one normalized evidence document.

Each evidence kind is read by one collector module, grouped by family in a sub-package
(``signing``, ``bom``, ``scans``, ``model_scans``, ``evals``, ``documentation``, ``operations``,
``infrastructure``, ``release``) and listed in ``FAMILIES``; ``COLLECTORS`` maps the key each has
in ``gatekeeper.yaml``'s ``evidence:`` mapping to its reader. A collector returns the sections it
contributes; sections shared by several collectors (``scans``) are merged.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from gatekeeper import __version__
from gatekeeper.config import Config
from gatekeeper.errors import EvidenceError, GatekeeperError
from gatekeeper.evidence.bom import sbom
from gatekeeper.evidence.context import CollectContext
from gatekeeper.evidence.documentation import codeowners, documents
from gatekeeper.evidence.evals import garak, metrics, promptfoo
from gatekeeper.evidence.infrastructure import dockerfiles, kubernetes
from gatekeeper.evidence.model_scans import modelaudit, modelscan, picklescan
from gatekeeper.evidence.operations import drills, incidents
from gatekeeper.evidence.release import artifacts, ci, manifest
from gatekeeper.evidence.scans import sarif, scanners
from gatekeeper.evidence.signing import model_signing, provenance, sigstore_bundles, trust
from gatekeeper.jsonio import JsonArray
from gatekeeper.schemas import load_document, validation_errors

EVIDENCE_SCHEMA_VERSION = "1"

class Collector(Protocol):
    """An evidence kind's reader: its ``evidence:`` setting -> the sections it contributes."""

    def __call__(self, setting: Any, context: CollectContext) -> dict[str, Any]: ...


class CollectorModule(Protocol):
    """A collector module: the key it has under ``evidence:`` and its reader."""

    NAME: str

    def collect(self, setting: Any, context: CollectContext) -> dict[str, Any]:
        """The sections this evidence kind contributes, from its ``evidence:`` setting."""
        ...


# The evidence kinds users configure, by family (the folders of this package).
FAMILIES: dict[str, tuple[CollectorModule, ...]] = {
    "signing": (sigstore_bundles, model_signing, provenance),
    "bom": (sbom,),
    "scans": (sarif, scanners),
    "model_scans": (modelscan, picklescan, modelaudit),
    "evals": (garak, promptfoo, metrics),
    "documentation": (documents, codeowners),
    "operations": (drills, incidents),
    "infrastructure": (kubernetes, dockerfiles),
    "release": (manifest,),
}

COLLECTORS: dict[str, Collector] = {
    module.NAME: module.collect for modules in FAMILIES.values() for module in modules
}


# Collectors whose evidence is judged against the trust: section.
TRUSTING_COLLECTORS = frozenset({sigstore_bundles.NAME, model_signing.NAME, provenance.NAME})


def merge_sections(document: dict[str, Any], contribution: dict[str, Any]) -> None:
    """Lists (and JsonArrays) extend, mappings merge key by key; two values for one scalar
    is a bug."""
    for key, value in contribution.items():
        if key not in document:
            document[key] = value
        elif isinstance(value, (list, JsonArray)) and type(document[key]) is type(value):
            document[key].extend(value)
        elif isinstance(document[key], dict) and isinstance(value, dict):
            merge_sections(document[key], value)
        else:
            raise AssertionError(f"two collectors set evidence field {key!r}")


def run_collector(name: str, setting: Any, context: CollectContext) -> dict[str, Any]:
    """One collector's sections. Fail closed: an exception a collector did not mean to raise
    (a bug, met on input of a shape it did not expect) is an evidence error naming the
    collector and the file it was reading, never an internal error and never a pass."""
    try:
        return COLLECTORS[name](setting, context)
    except GatekeeperError:
        raise
    except Exception as error:
        reading = context.reading
        raise EvidenceError(
            f"evidence.{name}: the {name} reader failed unexpectedly on this file "
            f"({type(error).__name__}: {error})",
            path=context.display_path(reading) if reading else None,
            hint="the file is not shaped as gatekeeper expects; this is a gatekeeper bug too, "
            "please report it with the file",
        ) from None


def collect(config: Config, now: datetime) -> dict[str, Any]:
    """The evidence document: the artifacts, the CI context and every configured evidence
    kind, read by its collector, with the sources (path and digest) of every file read."""
    context = CollectContext(
        config.base_dir,
        config.thresholds,
        root=config.repository_root,
        outside_repository=config.outside_repository,
        limits=config.limits,
    )
    context.trust = trust.Trust(config.trust, context)
    document: dict[str, Any] = {
        "schema_version": EVIDENCE_SCHEMA_VERSION,
        "tool": {"name": "gatekeeper", "version": __version__},
        "subject": config.subject,
        "collected_at": now.isoformat(),
    }
    merge_sections(document, artifacts.collect(config.artifacts, context))
    merge_sections(document, ci.collect(os.environ))
    for name, setting in config.evidence.items():
        merge_sections(document, run_collector(name, setting, context))
    # Model cards in the ML-BOM carry measures too: read them as metrics.
    merge_sections(document, metrics.from_model_cards(document.get("sbom")))
    if config.trust or TRUSTING_COLLECTORS.intersection(config.evidence):
        document["trust"] = context.trust.describe()
    document["sources"] = [source.to_dict() for source in context.sources]
    return document


def load_evidence(path: Path) -> dict[str, Any]:
    """A saved evidence document, checked against the shipped schema and version."""
    document, _ = load_document(
        path, "evidence", what="evidence", error_type=EvidenceError,
        hint="collect the evidence again with this gatekeeper version",
    )
    errors = []
    if "manifest" in document:
        declared = validation_errors(document["manifest"]["declared"], manifest.SCHEMA)
        errors = [f"manifest.declared.{error}" for error in declared]
    if errors:
        raise EvidenceError("invalid evidence document:\n  " + "\n  ".join(errors), path=path)
    return document
