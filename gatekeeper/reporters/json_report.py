"""The results document itself, as deterministic JSON (sorted keys, two-space indent)."""

from __future__ import annotations

from typing import Any

from gatekeeper.jsonio import dumps


def render(results: dict[str, Any], *, color: bool = False) -> str:
    return dumps(results).decode("utf-8")
