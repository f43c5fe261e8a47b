"""bandit JSON (``bandit -r SRC -f json``) -> scan run + ``sast`` findings.

Severity is bandit's ``issue_severity``. Files bandit could not scan (``errors``) make the run
inconclusive; the files it did scan are its ``metrics`` keys.
"""

from __future__ import annotations

from typing import Any

from gatekeeper.evidence.scan_results import (
    ReadOptions,
    finding,
    scan_run,
    scanned_path,
    severity,
)

TOOL = "bandit"


def detect(document: Any) -> bool:
    return (
        isinstance(document, dict)
        and isinstance(document.get("results"), list)
        and isinstance(document.get("metrics"), dict)
        and "generated_at" in document
    )


def read(document: dict[str, Any], source: str, options: ReadOptions) -> tuple[list, list]:
    findings = [
        finding(
            tool=TOOL, category="sast", rule_id=str(issue.get("test_id") or "unknown"),
            rule_name=issue.get("test_name"),
            severity_score=severity(None, issue.get("issue_severity"), options),
            message=str(issue.get("issue_text") or ""), source=source,
            file=issue.get("filename"), line=issue.get("line_number"),
        )
        for issue in document["results"]
        if isinstance(issue, dict)
    ]
    skipped = [
        {"name": str(error.get("filename")), "reason": str(error.get("reason"))}
        for error in document.get("errors") or ()
        if isinstance(error, dict)
    ]
    scanned = {scanned_path(name) for name in document["metrics"] if name != "_totals"}
    run = scan_run(
        tool=TOOL, version=None, source=source, format="bandit-json",
        categories={"sast", *options.categories}, findings=findings,
        scanned_files={name for name in scanned if name}, skipped=skipped,
    )
    return [run], findings
