"""The evidence section ``history``: what the prior runs of this system measured, for the trend
controls (policies/lib/trends.rego). Plain data, no database: the runs come from the results
store (``HistoryStore.recent_documents``) or, in tests, from generated results documents.

Each prior run gives its time and, read from its stored results document (never from rows a
team could write beside it), the attack success per class (RTE-red-team-gate), the precision
and recall per detector (MON-detector-precision-recall), the pass rate per domain, and the MTTD
and MTTR (IRR-mttd-mttr-measured). A measure is ``bound`` when the control that reported it
had verified or measured evidence in that run (a detector measure: when its metrics file was
bound to the release). Only runs of the same system, evaluated before this run, count; the
latest ``window`` of them, oldest first.

``named_classes``: the attack classes the red-team suite should try, named by this run's
incident records (from the incident's detection on) and by the threat model's ATLAS techniques
(in every run).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from gatekeeper.evidence.evals.attacks import classes_of_technique
from gatekeeper.scoring import BOUND_STRENGTHS
from gatekeeper.timeutil import utc_text

PriorRun = tuple[str, Mapping[str, Any]]  # (run id, its results document)
PASSED = ("pass", "warn")
JUDGED = ("pass", "warn", "fail", "waived")


def _controls(results: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    return {control["id"]: control for control in results["controls"]}


def _details(control: Mapping[str, Any] | None) -> Mapping[str, Any]:
    details = (control or {}).get("details")
    return details if isinstance(details, Mapping) else {}


def _bound(control: Mapping[str, Any] | None) -> bool:
    return control is not None and control.get("strength") in BOUND_STRENGTHS


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def attack_success(control: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    return [
        {"class": row["class"], "rate": row["rate"], "bound": _bound(control)}
        for row in _details(control).get("attack_classes") or []
        if isinstance(row, Mapping) and _number(row.get("rate"))
    ]


def detectors(control: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    return [
        {"detector": row["detector"], "metric": row["metric"], "value": row["value"],
         "bound": row.get("bound") is True}
        for row in _details(control).get("detectors") or []
        if isinstance(row, Mapping) and _number(row.get("value"))
    ]


def domain_pass_rates(controls: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Per domain, the share of the controls that saw evidence which passed (or warned)."""
    judged: dict[str, list[bool]] = {}
    for control in controls:
        if control["outcome"] in JUDGED:
            domain = control["id"].split("-", 1)[0]
            judged.setdefault(domain, []).append(control["outcome"] in PASSED)
    return [
        {"domain": domain, "pass_rate": round(sum(passed) / len(passed), 4),
         "controls": len(passed)}
        for domain, passed in sorted(judged.items())
    ]


def incident_times(control: Mapping[str, Any] | None) -> dict[str, Any] | None:
    details = _details(control)
    if not (_number(details.get("mttd_minutes")) and _number(details.get("mttr_minutes"))):
        return None
    return {"mttd_minutes": details["mttd_minutes"], "mttr_minutes": details["mttr_minutes"],
            "bound": _bound(control)}


def measured(run_id: str, results: Mapping[str, Any]) -> dict[str, Any]:
    """What one prior run measured, from its results document."""
    controls = _controls(results)
    return {
        "run": run_id,
        "time": utc_text(results["evaluated_at"]),
        "attack_success": attack_success(controls.get("RTE-red-team-gate")),
        "detectors": detectors(controls.get("MON-detector-precision-recall")),
        "domains": domain_pass_rates(results["controls"]),
        "incidents": incident_times(controls.get("IRR-mttd-mttr-measured")),
    }


def named_classes(evidence: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The attack classes this run's incidents and threat model name, and since when."""
    named = [
        {"class": class_id, "named_by": f"incident {incident['id']}",
         "since": incident["detected_at"]}
        for incident in evidence.get("incidents") or []
        for class_id in incident["attack_classes"]
    ]
    model = (evidence.get("documents") or {}).get("threat_model") or {}
    for technique in model.get("atlas_techniques") or []:
        if technique.get("known"):
            named.extend(
                {"class": class_id, "named_by": f"threat model {technique['id']}", "since": None}
                for class_id in classes_of_technique(technique["id"])
            )
    return named


def history_section(
    prior: Sequence[PriorRun], evidence: Mapping[str, Any], window: int
) -> dict[str, Any]:
    """The ``history`` evidence section from the prior runs' results documents."""
    system = evidence["subject"]["name"]
    now = utc_text(evidence["collected_at"])
    runs = sorted(
        (measured(run_id, results) for run_id, results in prior
         if results["subject"]["name"] == system and utc_text(results["evaluated_at"]) < now),
        key=lambda run: (run["time"], run["run"]),
    )
    return {
        "system": system,
        "window": window,
        "runs": runs[-window:],
        "named_classes": named_classes(evidence),
    }


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
