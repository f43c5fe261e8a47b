"""Stage 6, report: one module per output format, each a ``render(results) -> str``.

Reporters read only the results document, so any format can be rendered later from a saved
results file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gatekeeper.reporters import json_report, text

Reporter = Callable[..., str]

REPORTERS: dict[str, Reporter] = {
    "text": text.render,
    "json": json_report.render,
}


def render(name: str, results: dict[str, Any], *, color: bool = False) -> str:
    return REPORTERS[name](results, color=color)
