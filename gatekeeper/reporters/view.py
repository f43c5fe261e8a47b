"""Read-only views of the results document that several reporters share.

Every optional section (``maturity``, ``exceptions``, ``baseline``, per-control ``waiver`` and
``details``) may be absent: these helpers return empty values then, so each reporter renders
what is there and says what is not.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from gatekeeper.timeutil import require_rfc3339, rfc3339
from gatekeeper.verdict import (
    BLOCKING_OUTCOMES,
    Standing,
    blocks,
    let_through,
    let_through_by_baseline,
)

# the control METADATA schema's severities, most severe first (tests/reporters/test_registry.py)
SEVERITY_ORDER = ("critical", "high", "medium", "low", "info")
LEVEL_NAMES = {1: "Initial", 2: "Developing", 3: "Defined", 4: "Managed", 5: "Optimizing"}
EXCEPTION_LISTS = ("applied", "expiring", "expired", "unused")
VERDICT_WORDS = {"pass": "PASSED", "fail": "BLOCKED", "error": "ERROR"}


def subject_title(results: dict[str, Any]) -> str:
    subject = results["subject"]
    return " ".join(filter(None, [subject["name"], subject.get("version")]))


def location(message: dict[str, Any]) -> str:
    """``path:line``, ``path`` or ``""``."""
    if not message.get("file"):
        return ""
    return f"{message['file']}:{message['line']}" if message.get("line") else message["file"]


def entries(control: dict[str, Any]) -> list[dict[str, Any]]:
    """What a control said: its deny messages, or its warnings when it only warned."""
    said: list[dict[str, Any]] = control["messages"] or control["warnings"]
    return said


def anchor_file(control: dict[str, Any], message: dict[str, Any], config_file: str) -> str:
    """Where a finding is shown: its own file, else the control's first evidence file; missing
    evidence (fixed in the configuration, not in a file the control read) at ``config_file``."""
    if message.get("file"):
        return str(message["file"])
    if control["outcome"] == "no_evidence":
        return config_file
    return str((control["evidence_files"] or [config_file])[0])


def effect(control: dict[str, Any], results: dict[str, Any]) -> str:
    """What the outcome does to the release, in a few words."""
    if blocks(control, results):
        return "blocks"
    if control["outcome"] == "waived":
        return "waived"
    if control["outcome"] in BLOCKING_OUTCOMES and let_through_by_baseline(
        Standing.of(control), let_through(results)
    ):
        return "let through by the baseline"
    return "advisory" if control["enforcement"] == "advisory" else "does not block"


def exceptions(results: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The exceptions section's lists; every list empty when no exceptions file was used."""
    section = results.get("exceptions") or {}
    return {name: list(section.get(name, [])) for name in EXCEPTION_LISTS}


def domain_names(results: dict[str, Any]) -> dict[str, str]:
    maturity = results.get("maturity") or {}
    return {domain["id"]: domain["name"] for domain in maturity.get("domains", [])}


def evidence_files_of(results: dict[str, Any], control_ids: list[str]) -> list[str]:
    """The evidence files behind a set of controls, in order, without repeats."""
    by_id = {control["id"]: control for control in results["controls"]}
    files: dict[str, None] = {}
    for control_id in control_ids:
        for path in by_id.get(control_id, {}).get("evidence_files", []):
            files[path] = None
    return list(files)


def score_reasons(question: dict[str, Any]) -> list[str]:
    """Why a question scores what it does, as sentences: the base score, each limit that
    lowered it, and every answering control with its outcome and strength."""
    base = question.get("base_score", question["score"])
    source = {"controls": "its controls' outcomes", "attestation": "the attested score"}.get(
        question["source"], "no answer")
    reasons = [f"{base}/4 from {source}"]
    reasons += [
        f"capped at {limit['cap']} ({limit['rule']}): {limit['why']}"
        for limit in question.get("limits", [])
    ]
    for item in question.get("evidence", []):
        counted = f", counted as {item['counted_as']}" if item.get("counted_as") else ""
        files = ", ".join(
            f"{f['path']} ({(f['sha256'] or 'no digest')[:12]})" for f in item["files"]
        )
        reasons.append(
            f"{item['control']}: {item['outcome']}{counted}, {item['strength']}"
            + (f"; {files}" if files else "")
        )
    return reasons


def baseline_item(entry: dict[str, Any]) -> str:
    """A baseline entry as text: the control and its failures (the one, or how many)."""
    findings = entry["findings"]
    if len(findings) == 1:
        return f"{entry['control']} ({findings[0]})"
    return f"{entry['control']} ({len(findings)} failures)" if findings else entry["control"]


def phase_name(phase: str) -> str:
    """``phase-2`` -> ``phase 2`` (the roadmap's phases, as `gatekeeper model roadmap` lists)."""
    return phase.replace("-", " ")


def utc(timestamp: str) -> str:
    """An RFC 3339 time of the results document in UTC with a ``Z``, as SARIF and in-toto want."""
    return rfc3339(require_rfc3339(timestamp))


def describe_points(points: Sequence[Mapping[str, Any]]) -> str:
    """``0.3 → 0.2 → 0.1``: a trend's values, oldest first, as reports show them."""
    return " → ".join(f"{point['value']:g}" for point in points)


def partial_run(results: dict[str, Any]) -> str:
    """On a partial run (``--only`` / ``--skip``), the sentence every report shows; else ""."""
    selection = results.get("selection")
    if not selection:
        return ""
    flags = "; ".join(f"--{name} {', '.join(selection[name])}" for name in ("only", "skip")
                      if selection[name])
    total = len(selection["controls"]) + len(selection["left_out"])
    return (f"partial run ({flags}): {len(selection['controls'])} of {total} enabled controls "
            "evaluated; not a release decision (no verification summary, not stored in the "
            "history)")
