"""The results document's ``trends`` section: the series the trend controls read from the
results history, one per measure, with the question it answers and its direction. Reporters
draw it (a table in text and Markdown, charts in HTML). Plain data."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def trends_section(controls: Sequence[Mapping[str, Any]], window: int) -> dict[str, Any]:
    """``{"window", "series": [{"question", "control", "metric", "points", "direction"}]}``
    from the controls' ``details.trend``."""
    series = []
    for control in controls:
        details = control.get("details")
        trend = details.get("trend") if isinstance(details, Mapping) else None
        for entry in trend or []:
            series.append({
                "question": (control.get("questions") or [None])[0],
                "control": control["id"],
                "metric": entry["metric"],
                "points": entry["points"],
                "direction": entry["direction"],
            })
    return {"window": window, "series": series}


def describe_points(points: Sequence[Mapping[str, Any]]) -> str:
    """``0.3 → 0.2 → 0.1``: the values, oldest first, as reports show them."""
    return " → ".join(f"{point['value']:g}" for point in points)
