"""The JSON Schemas of gatekeeper's own documents, and validation that names the key at fault."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import jsonschema_rs
import orjson


def _refuse_remote(uri: str) -> Any:
    raise ValueError(f"gatekeeper never fetches schemas over the network ({uri})")


@cache
def schema(name: str) -> dict[str, Any]:
    """The shipped schema ``<name>.schema.json``."""
    text = resources.files(__package__).joinpath(f"{name}.schema.json").read_bytes()
    return orjson.loads(text)


@cache
def _validator(name: str) -> Any:
    return jsonschema_rs.validator_for(schema(name), retriever=_refuse_remote)


def key_path(parts: Any) -> str:
    """``['evidence', 'sbom', 0]`` -> ``evidence.sbom[0]``; the root is ``(top level)``."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def schema_errors(instance: Any, name: str, limit: int = 20) -> list[Any]:
    """The first ``limit`` errors as jsonschema-rs gives them (``kind``, ``instance_path``),
    for callers that explain each kind in their own words."""
    errors = []
    for error in _validator(name).iter_errors(instance):
        errors.append(error)
        if len(errors) >= limit:
            break
    return errors


def validation_errors(instance: Any, name: str, limit: int = 20) -> list[str]:
    """Every way ``instance`` breaks schema ``name``, as ``key: problem`` lines."""
    return sorted(
        f"{key_path(error.instance_path)}: {error.message}"
        for error in schema_errors(instance, name, limit)
    )
