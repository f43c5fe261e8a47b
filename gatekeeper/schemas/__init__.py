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


def validation_errors(instance: Any, name: str, limit: int = 20) -> list[str]:
    """Every way ``instance`` breaks schema ``name``, as ``key: problem`` lines."""
    errors = []
    for error in _validator(name).iter_errors(instance):
        errors.append(f"{key_path(error.instance_path)}: {error.message}")
        if len(errors) >= limit:
            break
    return sorted(errors)
