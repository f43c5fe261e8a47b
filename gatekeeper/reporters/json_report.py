"""The results document itself, as deterministic JSON (sorted keys, two-space indent)."""

from __future__ import annotations

from typing import Any

from gatekeeper.jsonio import dumps
from gatekeeper.reporters.interface import DEFAULT_OPTIONS, ReportOptions


def render(results: dict[str, Any], options: ReportOptions = DEFAULT_OPTIONS) -> str:
    return dumps(results).decode("utf-8")
