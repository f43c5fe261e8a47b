"""The organization view: every system of the results history, its levels, its trend.

Each system's latest run against the one before it (``HistoryStore.latest``): the level per
domain (the heat map), the domains that went down (regressing), and the overall level over
all its runs (``HistoryStore.trend``). The organization's own levels are the roll-up of
`gatekeeper aggregate --history` (gatekeeper.aggregate). The trend is the mean question score
(0-4): levels move in whole steps, the mean shows the work between them.
"""

from __future__ import annotations

from typing import Any

import orjson

from gatekeeper.aggregate import aggregate_history
from gatekeeper.catalog.loader import Catalog
from gatekeeper.history.store import HistoryStore

SPARK_WIDTH, SPARK_HEIGHT, TOP_SCORE = 120, 28, 4


def _levels(row: dict[str, Any]) -> dict[str, int]:
    maturity = orjson.loads(row["maturity"]) if row["maturity"] else {"domains": {}}
    return {domain: int(level) for domain, level in maturity["domains"].items()}


def sparkline(values: list[float]) -> str:
    """The SVG polyline points of mean scores (0-4) over runs, oldest left, 0 at the bottom."""
    if len(values) == 1:
        values = values * 2
    step = SPARK_WIDTH / (len(values) - 1)
    return " ".join(
        f"{i * step:.1f},{SPARK_HEIGHT - 2 - v / TOP_SCORE * (SPARK_HEIGHT - 4):.1f}"
        for i, v in enumerate(values)
    )


def _system(latest: dict[str, Any], before: dict[str, Any] | None, store: HistoryStore,
            catalog: Catalog) -> dict[str, Any]:
    levels = _levels(latest)
    previous = _levels(before) if before else {}
    trend = [row["value"] for row in store.trend(latest["system"], "mean_score")
             if row["value"] is not None]
    dropped = [d.id for d in catalog.domains
               if d.id in previous and d.id in levels and levels[d.id] < previous[d.id]]
    overall_before = before["overall_level"] if before else None
    return {
        "name": latest["system"],
        "version": latest["version"],
        "evaluated_at": latest["evaluated_at"],
        "verdict": latest["verdict"],
        "level": latest["overall_level"],
        "previous_level": overall_before,
        "domains": levels,
        "previous": previous,
        "dropped": dropped,
        "regressing": bool(dropped) or (
            overall_before is not None and latest["overall_level"] is not None
            and latest["overall_level"] < overall_before
        ),
        "trend": trend,
        "sparkline": sparkline(trend) if trend else "",
    }


def organization(store: HistoryStore, catalog: Catalog) -> dict[str, Any]:
    rows = store.latest(depth=2)
    before = {row["system"]: row for row in rows if row["rank"] == 2}
    systems = [_system(row, before.get(row["system"]), store, catalog)
               for row in rows if row["rank"] == 1]
    return {
        "systems": systems,
        "regressing": [s["name"] for s in systems if s["regressing"]],
        "roll_up": aggregate_history(store, catalog)["organization"] if systems else None,
    }
