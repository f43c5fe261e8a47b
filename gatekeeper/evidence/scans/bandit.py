"""bandit JSON (``bandit -r SRC -f json``) -> scan run + ``sast`` findings.

Severity is bandit's ``issue_severity``. Files bandit could not scan (``errors``) make the run
inconclusive; the files it did scan are its ``metrics`` keys, as repository paths (relative to
the entry's ``root:``). A report that scanned no file is inconclusive too.

bandit drops the findings a ``# nosec`` comment suppresses from its output (JSON and SARIF
alike) and only counts them (``metrics._totals``: ``nosec``, ``skipped_tests``). A hidden
finding cannot be judged, so unless the entry trusts the tool's suppressions
(``trust_suppressions: true``) such a run is inconclusive (docs/scanners.md).
"""

from __future__ import annotations

from typing import Any

from gatekeeper.evidence.scans.scan_results import (
    ReadOptions,
    ScanReport,
    finding,
    repository_path,
    scan_run,
    severity,
)

TOOL = "bandit"
SCANNED_NOTHING = {"name": "*", "reason": "bandit scanned no file"}


def detect(document: Any) -> bool:
    return (
        isinstance(document, dict)
        and isinstance(document.get("results"), list)
        and isinstance(document.get("metrics"), dict)
        and "generated_at" in document
    )


def hidden_by_nosec(metrics: Any, options: ReadOptions) -> list[dict[str, str]]:
    """The inconclusive reason for findings bandit hid by ``# nosec`` (none when trusted)."""
    totals = metrics.get("_totals") if isinstance(metrics, dict) else None
    if not isinstance(totals, dict) or options.trust_suppressions:
        return []
    hidden = sum(
        value for key in ("nosec", "skipped_tests")
        if isinstance(value := totals.get(key), int) and not isinstance(value, bool)
    )
    if hidden <= 0:
        return []
    reason = (
        f"bandit hid {hidden} finding(s) marked '# nosec' from its report; rerun with "
        "--ignore-nosec, or set trust_suppressions: true on this entry to accept them"
    )
    return [{"name": "# nosec", "reason": reason}]


def read(document: dict[str, Any], source: str, options: ReadOptions) -> ScanReport:
    findings = [
        finding(
            tool=TOOL, category="sast", rule_id=str(issue.get("test_id") or "unknown"),
            rule_name=issue.get("test_name"),
            severity_score=severity(None, issue.get("issue_severity"), options),
            message=str(issue.get("issue_text") or ""), source=source,
            file=repository_path(issue.get("filename"), options, source),
            line=issue.get("line_number"),
        )
        for issue in document["results"]
        if isinstance(issue, dict)
    ]
    skipped = [
        {"name": str(error.get("filename")), "reason": str(error.get("reason"))}
        for error in document.get("errors") or ()
        if isinstance(error, dict)
    ]
    metrics = document["metrics"]
    scanned = {repository_path(name, options, source) for name in metrics if name != "_totals"}
    skipped += hidden_by_nosec(metrics, options)
    if not scanned:
        skipped.append(dict(SCANNED_NOTHING))
    run = scan_run(
        tool=TOOL, version=None, source=source, format="bandit-json",
        categories={"sast", *options.categories}, findings=findings,
        scanned_files={name for name in scanned if name}, skipped=skipped,
    )
    return [run], findings
