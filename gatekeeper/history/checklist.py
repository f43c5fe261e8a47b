"""The seed's periodic duties (``checklist.yaml``) against the history: for each system, when
each duty was last shown done (every one of its controls passed in a run) and whether it is
done, due within ``warn_days``, or overdue."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import resources
from typing import Any

from gatekeeper.errors import ConfigError
from gatekeeper.timeutil import parse_rfc3339
from gatekeeper.yamlio import load_yaml_text

WARN_DAYS = 14


@dataclass(frozen=True)
class Duty:
    id: str
    cadence: str
    days: int
    text: str
    controls: tuple[str, ...]


def load_duties() -> tuple[Duty, ...]:
    text = resources.files(__package__).joinpath("checklist.yaml").read_text(encoding="utf-8")
    data = load_yaml_text(text, "gatekeeper/history/checklist.yaml")
    return tuple(
        Duty(d["id"], d["cadence"], data["cadences"][d["cadence"]], d["text"],
             tuple(d["controls"]))
        for d in data["duties"]
    )


def duty_status(
    duty: Duty, passed: Mapping[str, str], latest: str, now: datetime, warn_days: int = WARN_DAYS
) -> dict[str, Any]:
    """``passed``: per control, the latest run time it passed; ``latest``: the system's latest
    run time. A duty was done when the last of its controls passed."""
    times = [passed.get(control) for control in duty.controls]
    known = [time for time in times if time is not None]
    done = min(known) if known and len(known) == len(times) else None
    row: dict[str, Any] = {"duty": duty.id, "cadence": duty.cadence, "text": duty.text,
                           "controls": list(duty.controls), "last_done": done}
    if done is None:
        return {**row, "status": "overdue", "due": None}
    if duty.days == 0:  # per release: shown in the latest run, or missed by it
        return {**row, "status": "done" if done == latest else "overdue", "due": latest}
    last = parse_rfc3339(done)
    if last is None:
        raise ConfigError(
            f"history: duty {duty.id} was last done at {done!r}, not an RFC 3339 time"
        )
    due = last + timedelta(days=duty.days)
    status = ("overdue" if due < now else
              "due" if due - now <= timedelta(days=warn_days) else "done")
    return {**row, "status": status, "due": due.isoformat().replace("+00:00", "Z")}


def checklist(store: Any, systems: Sequence[str], now: datetime) -> list[dict[str, Any]]:
    duties = load_duties()
    controls = sorted({c for duty in duties for c in duty.controls})
    rows = []
    for system in systems:
        passed, latest = store.last_passed(system, controls)
        for duty in duties:
            rows.append({"system": system, **duty_status(duty, passed, latest, now)})
    return rows
