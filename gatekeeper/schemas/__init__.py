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
    loaded: dict[str, Any] = orjson.loads(text)
    return loaded


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


def json_pointer(parts: Any) -> str:
    """``['results', 0, 'a/b']`` -> ``/results/0/a~1b`` (RFC 6901); the root is ``/``."""
    escaped = (str(part).replace("~", "~0").replace("/", "~1") for part in parts)
    return "/" + "/".join(escaped)


def check_shape(document: Any, name: str, path: Any, what: str, error_type: type[Any]) -> None:
    """``document`` has the shape the reader of ``what`` relies on (the shipped schema
    ``<name>.schema.json`` of the parts it reads); else an ``error_type`` naming the file and,
    as a JSON pointer, the first place that differs."""
    errors = schema_errors(document, name, limit=1)
    if errors:
        error = errors[0]
        raise error_type(
            f"not shaped like a {what}: at {json_pointer(error.instance_path)}: {error.message}",
            path=path,
        )


def load_document(
    path: Any, name: str, *, what: str, hint: str, error_type: type[Any]
) -> tuple[dict[str, Any], bytes]:
    """A saved gatekeeper document (``evidence``, ``results``): read, of the one schema version
    this gatekeeper reads, and valid against the shipped schema. Returns it and its bytes.

    ``what`` names it in messages ("results", "baseline results"); every problem is an
    ``error_type`` naming the file, and a version mismatch is never read as a near miss.
    """
    from gatekeeper.jsonio import parse_json, read_bytes

    data = read_bytes(path, error_type)
    document = parse_json(data, path, error_type)
    if not isinstance(document, dict) or "schema_version" not in document:
        raise error_type(f"not a gatekeeper {what} document (no schema_version)", path=path)
    version = schema(name)["properties"]["schema_version"]["const"]
    if document["schema_version"] != version:
        raise error_type(
            f"{what} schema version {document['schema_version']!r} is not supported "
            f"(this gatekeeper reads version {version!r})",
            path=path,
            hint=hint,
        )
    errors = validation_errors(document, name)
    if errors:
        raise error_type(f"invalid {what} document:\n  " + "\n  ".join(errors), path=path)
    return document, data

