"""Results documents for the history tests: one real run of the passing example, and variants
of it (another system, another time, other attack success rates)."""

from __future__ import annotations

import copy
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from conftest import EXAMPLES, NOW, copy_example


@cache
def _example_results() -> dict[str, Any]:
    from gatekeeper.cli import parse_time
    from gatekeeper.config import load_config
    from gatekeeper.pipeline import RunOptions, check

    folder = copy_example(EXAMPLES / "model-release", Path(tempfile.mkdtemp()) / "example")
    return check(load_config(folder / "gatekeeper.yaml"), RunOptions(now=parse_time(NOW)))


def example_results() -> dict[str, Any]:
    """The results of `gatekeeper check` on the passing example (run once per process)."""
    return copy.deepcopy(_example_results())


def variant(results: dict[str, Any], *, system: str | None = None, at: str | None = None,
            rates: dict[str, float] | None = None) -> dict[str, Any]:
    """Another run: another system, another evaluation time, other attack success rates."""
    other = copy.deepcopy(results)
    if system is not None:
        other["subject"]["name"] = system
    if at is not None:
        other["evaluated_at"] = at
    for control in other["controls"]:
        if control["id"] == "RTE-red-team-gate" and rates:
            for entry in control["details"]["attack_classes"]:
                entry["rate"] = rates.get(entry["class"], entry["rate"])
    return other
