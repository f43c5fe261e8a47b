"""Incident drill records: dated drills of the AI incident playbooks, with measured times.

A drills file (JSON or YAML, ``gatekeeper/schemas/drills.schema.json``, docs/drills.md) lists
drills, each with its date, the scenario it exercised (model rollback, tool disablement, index
quarantine, log purge, token invalidation), what was done, and when the simulated incident was
detected, contained and resolved. The collector checks the file against the schema, reads the
times (RFC 3339 with a zone), refuses times out of order and descriptions that are placeholders,
and records the minutes to contain and to resolve. Which scenarios must have been drilled, how
recently and how fast is policy (IRR-incident-drills-measured, thresholds ``drills``).
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence.context import CollectContext
from gatekeeper.evidence.documentation.placeholders import placeholder_reason
from gatekeeper.jsonio import decode_text, parse_json
from gatekeeper.schemas import validation_errors
from gatekeeper.timeutil import DATE_FORMS, parse_date, parse_rfc3339, rfc3339
from gatekeeper.yamlio import line_of, load_yaml_text

NAME = "drills"
TIMES = ("detected_at", "contained_at", "resolved_at")
_HINT = "see docs/drills.md for the drill record format"


def parse_records(data: bytes, path: str) -> tuple[Any, str]:
    """A records file (JSON or YAML) and its text, for the line numbers of its messages."""
    text = decode_text(data, path)
    if path.lower().endswith(".json") or text.lstrip().startswith("{"):
        return parse_json(data, path), text
    return load_yaml_text(text, path, EvidenceError), text


def _located(text: str, index: int, field: str | None, message: str) -> str:
    line = line_of(text, ["drills", index, *([field] if field else [])])
    return f"line {line}: {message}" if line else message


def check_records(document: Any, path: str, kind: str, hint: str) -> None:
    """A ``gatekeeper-<kind>`` records file that its schema (``<kind>``) accepts, else exit 3
    naming the file and every problem."""
    if not isinstance(document, dict) or document.get("format") != f"gatekeeper-{kind}":
        raise EvidenceError(
            f"not a gatekeeper {kind} file (expected 'format: gatekeeper-{kind}')", path=path,
            hint=hint,
        )
    errors = validation_errors(document, kind)
    if errors:
        raise EvidenceError(f"invalid {kind} file:\n  " + "\n  ".join(errors), path=path,
                            hint=hint)


def _moment(drill: dict[str, Any], field: str, where: str, path: str) -> str:
    """The field's time, as RFC 3339 UTC; ``date`` may also be a day."""
    value = drill[field]
    moment = parse_rfc3339(value)
    if moment is None and field == "date":
        try:
            moment = parse_date(value)
        except ValueError:
            moment = None
    if moment is None:
        written = DATE_FORMS if field == "date" else "an RFC 3339 time with a zone"
        raise EvidenceError(f"{where}.{field}: {value!r} is not a time; write {written}", path=path)
    return rfc3339(moment)


def _minutes(start: str, end: str) -> float:
    delta = parse_rfc3339(end) - parse_rfc3339(start)  # type: ignore[operator]
    return round(delta.total_seconds() / 60, 1)


def _drill(drill: dict[str, Any], index: int, path: str, text: str) -> dict[str, Any]:
    where = _located(text, index, None, f"drills[{index}]")
    times = {field: _moment(drill, field, where, path) for field in ("date", *TIMES)}
    for earlier, later in pairwise(TIMES):
        if times[later] < times[earlier]:
            raise EvidenceError(
                f"{where}: {later} {drill[later]} is before {earlier} {drill[earlier]}", path=path
            )
    reason = placeholder_reason(drill["description"])
    if reason:
        message = _located(text, index, "description", f"drills[{index}].description: {reason}")
        raise EvidenceError(
            f"{message}; describe what was simulated and done", path=path, hint=_HINT
        )
    return {
        "source": path,
        "line": line_of(text, ["drills", index]),
        "id": drill["id"],
        "scenario": drill["scenario"],
        "outcome": drill["outcome"],
        **times,
        "minutes_to_contain": _minutes(times["detected_at"], times["contained_at"]),
        "minutes_to_resolve": _minutes(times["detected_at"], times["resolved_at"]),
    }


def read_drills(data: bytes, path: str) -> list[dict[str, Any]]:
    """Every drill of one file, checked; raises EvidenceError naming the file and the drill."""
    document, text = parse_records(data, path)
    check_records(document, path, "drills", _HINT)
    return [_drill(drill, index, path, text) for index, drill in enumerate(document["drills"])]


def collect(patterns: list[str], context: CollectContext) -> dict[str, Any]:
    found = []
    for index, pattern in enumerate(patterns):
        for path in context.expand(pattern, f"evidence.{NAME}[{index}]"):
            found.extend(read_drills(context.read(path, NAME), context.display_path(path)))
    return {NAME: found}
