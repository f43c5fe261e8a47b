"""Incident records: real AI incidents of the system, with the times that measure the response.

An incidents file (JSON or YAML, ``gatekeeper/schemas/incidents.schema.json``, docs/incidents.md)
lists incidents, each with its id, title, severity, the attack classes it belongs to (ids of
``evals/attack_classes.yaml``) and the MITRE ATLAS techniques it used (checked against the
shipped ATLAS table), when it occurred, was detected, contained and resolved, and a link to its
postmortem. The collector checks the file against the schema, refuses unknown classes and
techniques, times without a zone and times out of order (occurred <= detected <= contained <=
resolved), and records the minutes to detect (from occurrence) and to contain and resolve (from
detection). The incident's classes are the ones it names and the classes of its techniques
(``evals.attacks.classes_of_technique``). How fast is fast enough is policy
(IRR-mttd-mttr-measured, thresholds ``incidents``).
"""

from __future__ import annotations

from datetime import datetime
from itertools import pairwise
from typing import Any

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence.context import CollectContext
from gatekeeper.evidence.documentation.atlas import techniques
from gatekeeper.evidence.documentation.placeholders import placeholder_reason
from gatekeeper.evidence.evals import attacks
from gatekeeper.evidence.operations.drills import check_records, parse_records
from gatekeeper.timeutil import parse_rfc3339, rfc3339
from gatekeeper.yamlio import line_of

NAME = "incidents"
TIMES = ("occurred_at", "detected_at", "contained_at", "resolved_at")
_HINT = "see docs/incidents.md for the incident record format"


def _where(text: str, index: int, incident: dict[str, Any]) -> str:
    line = line_of(text, ["incidents", index])
    name = f"incidents[{index}] ({incident['id']})"
    return f"line {line}: {name}" if line else name


def _times(incident: dict[str, Any], where: str, path: str) -> dict[str, datetime]:
    times = {}
    for field in TIMES:
        moment = parse_rfc3339(incident[field])
        if moment is None:
            raise EvidenceError(
                f"{where}.{field}: {incident[field]!r} is not an RFC 3339 time with a zone",
                path=path, hint=_HINT,
            )
        times[field] = moment
    for earlier, later in pairwise(TIMES):
        if times[later] < times[earlier]:
            raise EvidenceError(
                f"{where}: {later} {incident[later]} is before {earlier} {incident[earlier]}",
                path=path, hint=_HINT,
            )
    return times


def _classes(incident: dict[str, Any], where: str, path: str) -> list[str]:
    """The classes it names, checked, and the classes its ATLAS techniques belong to."""
    table = attacks.table()["classes"]
    known = techniques()
    named = set(incident.get("attack_classes", []))
    unknown = sorted(named - set(table))
    if unknown:
        raise EvidenceError(
            f"{where}: attack class {unknown[0]!r} is not one of {', '.join(sorted(table))}",
            path=path,
            hint="attack classes are those of gatekeeper/evidence/evals/attack_classes.yaml",
        )
    for technique in incident.get("atlas", []):
        if technique not in known:
            raise EvidenceError(
                f"{where}: {technique!r} is not a MITRE ATLAS technique id",
                path=path,
                hint="use a technique id of atlas.mitre.org (AML.Txxxx or AML.Txxxx.yyy)",
            )
        named.update(attacks.classes_of_technique(technique))
    return sorted(named)


def _minutes(start: datetime, end: datetime) -> float:
    return round((end - start).total_seconds() / 60, 1)


def _incident(incident: dict[str, Any], index: int, path: str, text: str) -> dict[str, Any]:
    where = _where(text, index, incident)
    times = _times(incident, where, path)
    reason = placeholder_reason(incident["title"])
    if reason:
        raise EvidenceError(f"{where}.title: {reason}; say what happened", path=path, hint=_HINT)
    return {
        "source": path,
        "line": line_of(text, ["incidents", index]),
        "id": incident["id"],
        "title": incident["title"],
        "severity": incident["severity"],
        "attack_classes": _classes(incident, where, path),
        "atlas": list(incident.get("atlas", [])),
        **{field: rfc3339(moment) for field, moment in times.items()},
        "minutes_to_detect": _minutes(times["occurred_at"], times["detected_at"]),
        "minutes_to_contain": _minutes(times["detected_at"], times["contained_at"]),
        "minutes_to_resolve": _minutes(times["detected_at"], times["resolved_at"]),
        "postmortem": incident["postmortem"],
    }


def read_incidents(data: bytes, path: str) -> list[dict[str, Any]]:
    """Every incident of one file, checked; raises EvidenceError naming the file and incident."""
    document, text = parse_records(data, path)
    check_records(document, path, "incidents", _HINT)
    found = [_incident(item, index, path, text) for index, item in enumerate(document["incidents"])]
    seen: set[str] = set()
    for incident in found:
        if incident["id"] in seen:
            raise EvidenceError(f"incident {incident['id']} is recorded twice", path=path)
        seen.add(incident["id"])
    return found


def collect(patterns: list[str], context: CollectContext) -> dict[str, Any]:
    found = []
    for index, pattern in enumerate(patterns):
        for path in context.expand(pattern, f"evidence.{NAME}[{index}]"):
            found.extend(read_incidents(context.read(path, NAME), context.display_path(path)))
    return {NAME: found}
