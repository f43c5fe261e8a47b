"""An ML-BOM (CycloneDX 1.6, JSON) of the release's model files, written in-process with
cyclonedx-python-lib: one ``machine-learning-model`` component per model artifact of
gatekeeper.yaml, with the sha256 measured from the file.

A component takes the name and version of the ai-system.yaml model that declares that digest,
else of the declared model of the same name (the file changed since it was declared: the
registry control then reports the mismatch), else the file's name and version ``unversioned``.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

from gatekeeper.config import Config
from gatekeeper.errors import ConfigError
from gatekeeper.jsonio import list_or_empty, mapping_or_empty, sha256_file
from gatekeeper.yamlio import load_yaml_file


def _declared(config: Config) -> list[dict[str, Any]]:
    manifest = config.evidence.get("manifest")
    if not isinstance(manifest, str):
        return []
    path = config.path.parent / manifest
    if not path.is_file():
        raise ConfigError(f"evidence.manifest: {manifest} not found", path=config.path)
    return [mapping_or_empty(m) for m in list_or_empty(
        mapping_or_empty(load_yaml_file(path)).get("models"))]


def _identity(file: Path, digest: str, declared: list[dict[str, Any]]) -> tuple[str, str]:
    by_digest = [m for m in declared if str(m.get("digest", "")).lower() == f"sha256:{digest}"]
    by_name = [m for m in declared if m.get("name") == file.stem]
    for model in by_digest or by_name:
        return str(model.get("name")), str(model.get("version") or "unversioned")
    return file.stem, "unversioned"


def model_files(config: Config) -> list[Path]:
    base = config.path.parent
    files: list[Path] = []
    for spec in config.artifacts:
        if spec.kind == "model":
            files += sorted(path for path in base.glob(spec.path) if path.is_file())
    return files


def write(config: Config, output: Path) -> int:
    """Write the ML-BOM; the number of model components."""
    from cyclonedx.model import HashAlgorithm, HashType
    from cyclonedx.model.bom import Bom
    from cyclonedx.model.component import Component, ComponentType
    from cyclonedx.output.json import JsonV1Dot6

    declared = _declared(config)
    bom = Bom()
    bom.metadata.component = Component(
        type=ComponentType.APPLICATION, name=str(config.subject.get("name", "release")),
        version=str(config.subject.get("version", "unversioned")))
    files = model_files(config)
    for file in files:
        digest = sha256_file(file)
        name, version = _identity(file, digest, declared)
        bom.components.add(Component(
            type=ComponentType.MACHINE_LEARNING_MODEL, name=name, version=version,
            bom_ref=f"model:{file.relative_to(config.path.parent).as_posix()}",
            hashes=[HashType(alg=HashAlgorithm.SHA_256, content=digest)]))
    output.parent.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():  # "no defined dependencies": a BOM of files has none
        warnings.simplefilter("ignore", UserWarning)
        text = JsonV1Dot6(bom).output_as_string(indent=2)
    output.write_text(text, encoding="utf-8")
    return len(files)
