"""A results document as history rows: the run, and per run its control outcomes, question
scores, exceptions applied, evidence digests and measured series. Plain data, no database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson

from gatekeeper.errors import ConfigError, EvidenceError
from gatekeeper.timeutil import utc_text

Row = dict[str, Any]
Point = tuple[str, str, float]  # metric, label, value


def run_row(results: dict[str, Any], digest: str, document: str, pushed_at: str) -> Row:
    ci = _details(results, "GRC-gate-enforced-in-ci")
    maturity = results.get("maturity") or {}
    overall = maturity.get("overall") or {}
    org_policy = results["policy"].get("org_policy") or {}
    return {
        "digest": digest,
        "system": results["subject"]["name"],
        "version": results["subject"].get("version"),
        "commit_sha": ci.get("commit"),
        "ci_run": ci.get("run_url") or ci.get("run_id"),
        "policy_digest": results["policy"]["digest"],
        "org_policy_digest": org_policy.get("sha256"),
        "verdict": results["verdict"]["outcome"],
        "exit_code": results["verdict"]["exit_code"],
        "evaluated_at": utc_text(results["evaluated_at"]),
        "pushed_at": pushed_at,
        "overall_level": overall.get("level"),
        "mean_score": overall.get("mean"),
        "maturity": orjson.dumps({
            "overall": overall,
            "domains": {d["id"]: d["level"] for d in maturity.get("domains", [])},
        }).decode() if maturity else None,
        "document": document,
    }


def _details(results: dict[str, Any], control_id: str) -> dict[str, Any]:
    control = next((c for c in results["controls"] if c["id"] == control_id), None)
    details = (control or {}).get("details")
    return details if isinstance(details, dict) else {}


def control_rows(results: dict[str, Any]) -> list[Row]:
    return [
        {"control_id": c["id"], "outcome": c["outcome"], "enforcement": c["enforcement"],
         "strength": c.get("strength")}
        for c in results["controls"]
    ]


def question_rows(results: dict[str, Any]) -> list[Row]:
    questions = (results.get("maturity") or {}).get("questions", [])
    return [
        {"question_id": q["id"], "score": q["score"], "base_score": q.get("base_score"),
         "source": q.get("source"), "strength": q.get("strength")}
        for q in questions
    ]


def exception_rows(results: dict[str, Any]) -> list[Row]:
    rows = []
    for control in results["controls"]:
        waiver = control.get("waiver") or {}
        for exception_id in waiver.get("exceptions") or [waiver.get("exception")]:
            if exception_id:
                rows.append({"exception_id": exception_id, "control_id": control["id"]})
    return rows


def evidence_rows(results: dict[str, Any]) -> list[Row]:
    return [
        {"path": s["path"], "collector": s["collector"], "sha256": s["sha256"]}
        for s in results["evidence"]["sources"]
    ]


# --- measured series: which control's details hold which measurements ----------------------


def _red_team(details: dict[str, Any]) -> Iterator[Point]:
    for entry in details.get("attack_classes") or []:
        if isinstance(entry, dict) and _number(entry.get("rate")):
            yield "attack_success", str(entry["class"]), float(entry["rate"])


def _behaviour(details: dict[str, Any]) -> Iterator[Point]:
    for name, entry in details.items():
        measured = entry.get("measured") if isinstance(entry, dict) else None
        for value in measured or []:
            if _number(value):
                yield "safety", name, float(value)


def _privacy(details: dict[str, Any]) -> Iterator[Point]:
    for entry in details.get("dp") or []:
        if isinstance(entry, dict) and _number(entry.get("value")):
            yield "privacy", str(entry["name"]), float(entry["value"])


def _detectors(details: dict[str, Any]) -> Iterator[Point]:
    for entry in details.get("detectors") or []:
        if isinstance(entry, dict) and _number(entry.get("value")):
            yield str(entry["metric"]), str(entry["detector"]), float(entry["value"])


def _incident_times(details: dict[str, Any]) -> Iterator[Point]:
    for name in ("mttd_minutes", "mttr_minutes"):
        if _number(details.get(name)):
            yield name, "", float(details[name])


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


SERIES: dict[str, Callable[[dict[str, Any]], Iterator[Point]]] = {
    "RTE-red-team-gate": _red_team,
    "APP-behaviour-slos-met": _behaviour,
    "DAT-dp-budget": _privacy,
    "MON-detector-precision-recall": _detectors,
    "IRR-mttd-mttr-measured": _incident_times,
}


def series_rows(results: dict[str, Any]) -> list[Row]:
    """Every measurement the controls' details report, as (metric, label, value) rows."""
    rows = []
    for control_id, extract in SERIES.items():
        for metric, label, value in extract(_details(results, control_id)):
            rows.append({"metric": metric, "label": label, "value": value})
    return rows


def refuse_partial(results: dict[str, Any], where: Path | str) -> None:
    """A partial run (``--only`` / ``--skip``) is no release decision: it is not history."""
    if results.get("selection"):
        raise ConfigError(
            "refusing to store a partial run (--only / --skip) in the history",
            path=where,
            hint="store the results of a full run",
        )


def refuse_altered(results: dict[str, Any], where: Path | str) -> None:
    """A results document whose verdict or summary its own control outcomes contradict was
    edited after the run: it is not history (exit 3), whatever it claims."""
    from gatekeeper.reporters.vsa import altered

    problems = altered(results)
    if problems:
        raise EvidenceError(
            "refusing to store an altered results document: " + "; ".join(problems),
            path=where,
            hint="push the results file exactly as `gatekeeper check` wrote it",
        )
