"""One self-contained HTML page, rendered from templates/report.html.j2 with autoescaping.

The page leads with the verdict and what blocks the release (critical first), then what only
warns, then the maturity views (heat map, radar, trends, questions with why each scores what it
does), then every control. Nothing is fetched: the styles are inline, the charts are inline SVG,
there is no script, and a Content-Security-Policy forbids every network load, so the file can be
mailed, archived as a CI artifact and opened offline.

This module turns the results document into plain values for the template (geometry, order,
labels); the template writes every one of them through Jinja2's autoescape, so no value of the
results document can become markup.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from gatekeeper.jsonio import dumps
from gatekeeper.reporters.interface import DEFAULT_OPTIONS, ReportOptions
from gatekeeper.reporters.view import (
    LEVEL_NAMES,
    SEVERITY_ORDER,
    VERDICT_WORDS,
    baseline_item,
    effect,
    entries,
    evidence_files_of,
    exceptions,
    location,
    partial_run,
    phase_name,
    score_reasons,
    subject_title,
)
from gatekeeper.verdict import blocks

if TYPE_CHECKING:
    import jinja2

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
TEMPLATE = "report.html.j2"
MAX_MESSAGES = 50
MAX_DEPTH = 3
RADAR_SIZE = 380
TREND_WIDTH, TREND_HEIGHT, TREND_PAD = 320, 120, 24
EXCEPTION_TITLES = {"applied": "Applied", "expiring": "Expiring soon",
                    "expired": "Expired (no effect)",
                    "unused": "Unused (waived nothing in this run)"}
BASELINE_TITLES = {"new": "New", "fixed": "Fixed", "unchanged": "Unchanged",
                   "let_through": "Let through by the baseline",
                   "not_waivable": "Unchanged but not waivable, still blocking"}


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The template environment: autoescape on for every template, undefined names fail."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("gatekeeper.reporters", "templates"),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "j2"), default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["compact_json"] = lambda value: dumps(value, pretty=False).decode("utf-8")
    env.filters["words"] = lambda value: str(value).replace("_", " ")
    env.filters["column_keys"] = lambda rows: list(dict.fromkeys(k for row in rows for k in row))
    return env


def render(results: dict[str, Any], options: ReportOptions = DEFAULT_OPTIONS) -> str:
    return environment().get_template(TEMPLATE).render(page(results))


def page(results: dict[str, Any]) -> dict[str, Any]:
    """Everything the template shows, in the order and shape it shows it."""
    controls = results["controls"]
    blocking = by_severity([c for c in controls if blocks(c, results)])
    warnings = by_severity([c for c in controls if c["outcome"] not in ("pass", "not_applicable")
                            and not blocks(c, results)])
    maturity = results.get("maturity")
    return {
        "csp": CSP,
        "title": f"gatekeeper: {VERDICT_WORDS[results['verdict']['outcome']]} — "
                 f"{subject_title(results)}",
        "verdict": verdict(results),
        "partial": partial_run(results),
        "blocking": [article(c, results) for c in blocking],
        "warnings": [article(c, results) for c in warnings],
        "maturity": maturity_view(results, maturity) if maturity else None,
        "trends": trends_view(results["trends"]) if results.get("trends") else None,
        "controls": [control_row(c, results) for c in controls],
        "passing": [article(c, results) for c in controls
                    if c["outcome"] == "pass" and c.get("details")],
        "waivers": waivers_view(results),
        "baseline": baseline_view(results.get("baseline")),
        "sources": results["evidence"]["sources"],
        "footer": {
            "version": results["tool"]["version"], "engine": results["engine"],
            "policy_digest": results["policy"]["digest"],
            "org_policy": results["policy"].get("org_policy"),
            "evidence_digest": results["evidence"]["sha256"],
        },
        "max_depth": MAX_DEPTH,
    }


def by_severity(controls: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Critical first, then high, medium, low, info; by id within a severity."""
    rank = {severity: index for index, severity in enumerate(SEVERITY_ORDER)}
    return sorted(controls, key=lambda c: (rank.get(c["severity"], len(rank)), c["id"]))


def verdict(results: dict[str, Any]) -> dict[str, Any]:
    maturity = results.get("maturity")
    overall = maturity["overall"] if maturity else None
    level = None
    if overall:
        level = {"level": overall["level"], "level_name": LEVEL_NAMES[overall["level"]],
                 "mean_level": overall.get("mean_level"), "mean": overall["mean"]}
    return {
        "outcome": results["verdict"]["outcome"],
        "word": VERDICT_WORDS[results["verdict"]["outcome"]],
        "exit_code": results["verdict"]["exit_code"],
        "subject": subject_title(results),
        "evaluated_at": results["evaluated_at"],
        "chips": [(n, outcome) for outcome, n in results["summary"].items() if n],
        "overall": level,
    }


def article(control: dict[str, Any], results: dict[str, Any]) -> dict[str, Any]:
    """One control in full: what it said, its waiver, the fix, frameworks, evidence, details."""
    said = entries(control)
    waiver = control.get("waiver") if control["outcome"] == "waived" else None
    return {
        "control": control,
        "effect": effect(control, results),
        "messages": [{"text": m["message"], "where": location(m), "waived_by": m.get("waived_by")}
                     for m in said[:MAX_MESSAGES]],
        "more": max(len(said) - MAX_MESSAGES, 0),
        "waiver": waiver,
        "frameworks": sorted(control["frameworks"].items()),
    }


def control_row(control: dict[str, Any], results: dict[str, Any]) -> dict[str, Any]:
    said = entries(control)
    return {
        "control": control,
        "effect": effect(control, results),
        "why": said[0]["message"] if said else control.get("not_applicable", ""),
        "more": len(said) - 1 if len(said) > 1 else 0,
    }


# --- maturity: heat map, radar, gaps, questions ---------------------------------------------


def maturity_view(results: dict[str, Any], maturity: dict[str, Any]) -> dict[str, Any]:
    return {
        "levels": [(level, LEVEL_NAMES[level]) for level in range(1, 6)],
        "heat": [heat_row(d, maturity["questions"]) for d in maturity["domains"]],
        "radar": radar(maturity["domains"]),
        "gaps": [{"domain": d, "blocker": b, "phase": phase_name(b["phase"])}
                 for d in maturity["domains"] for b in d["blockers"]],
        "questions": [question_row(results, q) for q in maturity["questions"]],
    }


def heat_row(domain: dict[str, Any], questions: list[dict[str, Any]]) -> dict[str, Any]:
    own = [q for q in questions if q["domain"] == domain["id"] and "not_applicable" not in q]
    return {"domain": domain, "cells": [heat_cell(domain, own, level) for level in range(1, 6)]}


def heat_cell(domain: dict[str, Any], questions: list[dict[str, Any]], level: int
              ) -> dict[str, Any]:
    """Questions met (score >= 3) of those targeting ``level``; the floor level has none."""
    reached = level == domain["level"]
    cell: dict[str, Any] = {"reached": reached, "floor": level == 1, "hue": None,
                            "title": f"{domain['id']} level {level} ({LEVEL_NAMES[level]})"}
    due = [q for q in questions if q["target_level"] == level]
    if level == 1:
        cell["label"] = "floor"
    elif due:
        met = sum(q["score"] >= 3 for q in due)
        cell["label"] = f"{met}/{len(due)}"
        # from red (nothing met) to green (all met), light enough to read the text on
        cell["hue"] = round(met / len(due) * 120)
    else:
        cell["label"] = "—"
    return cell


def _point(index: int, count: int, radius: float, center: float) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    return center + radius * math.cos(angle), center + radius * math.sin(angle)


def _polygon(values: list[float], radius: float, center: float) -> str:
    points = (_point(i, len(values), radius * v, center) for i, v in enumerate(values))
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def radar(domains: list[dict[str, Any]], size: int = RADAR_SIZE) -> dict[str, Any]:
    """The geometry of an SVG radar of the domains' mean question scores (0 centre, 4 rim)."""
    center, radius = size / 2, size / 2 - 50
    count = len(domains)
    axes = []
    for index, domain in enumerate(domains):
        x, y = _point(index, count, radius, center)
        lx, ly = _point(index, count, radius + 22, center)
        axes.append({"x": f"{x:.1f}", "y": f"{y:.1f}", "lx": f"{lx:.1f}", "ly": f"{ly + 4:.1f}",
                     "label": f"{domain['id']} {domain['mean']:.1f}"})
    means = [min(max(d["mean"], 0), 4) / 4 for d in domains]
    return {
        "size": size, "center": f"{center:.1f}", "axes": axes,
        "rings": [_polygon([ring / 4] * count, radius, center) for ring in range(1, 5)],
        "means": _polygon(means, radius, center),
    }


def question_row(results: dict[str, Any], question: dict[str, Any]) -> dict[str, Any]:
    attestation = question.get("attestation") or {}
    link = attestation.get("evidence")
    web = isinstance(link, str) and link.startswith(("https://", "http://"))  # never javascript:
    return {
        "question": question,
        "files": evidence_files_of(results, question.get("controls", [])),
        "link": link if web else None,
        "link_text": None if web else link,
        "attested_by": attestation.get("attested_by"),
        "attested_on": attestation.get("date"),
        "attestation_status": attestation.get("status", "valid"),
        "reasons": score_reasons(question),
    }


# --- trends: one small line chart per series ------------------------------------------------


def trends_view(trends: dict[str, Any]) -> dict[str, Any]:
    return {"window": trends.get("window"),
            "charts": [trend_chart(index, s) for index, s in enumerate(trends["series"])]}


def _numbers(points: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [p for p in points
            if isinstance(p.get("value"), (int, float)) and not isinstance(p["value"], bool)
            and math.isfinite(p["value"])]


def trend_chart(index: int, series: dict[str, Any]) -> dict[str, Any]:
    """A line over the runs, oldest left; the y axis spans the series' own values."""
    points = _numbers(series.get("points", []))
    values = [p["value"] for p in points]
    low, high = (min(values), max(values)) if values else (0.0, 0.0)
    span = (high - low) or 1.0
    inner_w, inner_h = TREND_WIDTH - 2 * TREND_PAD, TREND_HEIGHT - 2 * TREND_PAD
    step = inner_w / (len(points) - 1) if len(points) > 1 else 0.0
    plotted = []
    for number, point in enumerate(points):
        x = TREND_PAD + (step * number if len(points) > 1 else inner_w / 2)
        y = TREND_PAD + inner_h * (1 - (point["value"] - low) / span if high > low else 0.5)
        plotted.append({"x": f"{x:.1f}", "y": f"{y:.1f}", "point": point})
    name = " ".join(str(series.get(key)) for key in ("question", "control", "metric")
                    if series.get(key))
    direction = series.get("direction", "")
    first, last = (points[0], points[-1]) if points else ({}, {})
    return {
        "id": f"trend-{index}",
        "title": f"{name}: {direction}" if direction else name,
        "desc": (f"{len(points)} run{'s' if len(points) != 1 else ''} from "
                 f"{first.get('time', '?')} to {last.get('time', '?')}: {first['value']:g} to "
                 f"{last['value']:g}" if points else "no values"),
        "direction": direction,
        "width": TREND_WIDTH, "height": TREND_HEIGHT,
        "line": " ".join(f"{p['x']},{p['y']}" for p in plotted),
        "points": plotted,
        "low": f"{low:g}", "high": f"{high:g}",
        "low_y": TREND_HEIGHT - TREND_PAD + 14, "high_y": TREND_PAD - 8,
    }


# --- waivers and baseline ---------------------------------------------------------------------


def waivers_view(results: dict[str, Any]) -> dict[str, Any] | None:
    if "exceptions" not in results:
        return None
    lists = exceptions(results)
    return {
        "file": (results.get("exceptions") or {}).get("file"),
        "lists": [(title, lists[name]) for name, title in EXCEPTION_TITLES.items()],
    }


def baseline_view(baseline: dict[str, Any] | None) -> dict[str, Any] | None:
    if not baseline:
        return None
    return {
        "file": baseline["file"],
        "evaluated_at": baseline.get("evaluated_at"),
        "new_only": baseline.get("fail_on") == "new",
        "lists": [(title, len(baseline[name]), ", ".join(baseline_item(i) for i in baseline[name]))
                  for name, title in BASELINE_TITLES.items() if name in baseline],
    }
