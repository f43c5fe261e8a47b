"""checkov JSON (``checkov -o json``) -> scan runs + findings, one run per framework report.

checkov writes one report object per framework (``check_type``: terraform, kubernetes,
dockerfile, secrets, ...), a list of them when several ran, or a bare summary when it found
nothing to scan. Failed checks are findings (``iac``; ``secrets`` for the secrets framework),
checks skipped by a ``checkov:skip`` comment are kept as suppressed findings, passed check ids
are recorded per run (DAT-encryption-configured needs to know a check was evaluated), and so
are the files checks ran on (INF-iac-scanned), as repository paths: checkov's
``repo_file_path`` is relative to the folder it ran in (the entry's ``root:``). Files checkov
could not parse make the run inconclusive, and so does a report that evaluated no check at all
(the bare summary checkov prints when it found nothing to scan). checkov's open-source
output has no severity (``severity: null``), so a failed check gets
``thresholds.scanners.unscored_severity`` unless the report carries one. Run checkov
without ``--quiet`` to keep the passed checks in the report.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence.scans.scan_results import (
    ReadOptions,
    ScanReport,
    finding,
    repository_path,
    scan_run,
    severity,
)

TOOL = "checkov"
FRAMEWORK_CATEGORIES = {"secrets": "secrets", "sca_package": "sca", "sca_image": "container"}
SUMMARY_KEYS = {"passed", "failed", "skipped", "parsing_errors", "resource_count"}
SCANNED_NOTHING = {"name": "*", "reason": "checkov evaluated no check: it scanned nothing"}


def _is_report(item: Any) -> bool:
    return isinstance(item, dict) and "check_type" in item and isinstance(item.get("results"), dict)


def _is_empty_summary(item: Any) -> bool:
    return isinstance(item, dict) and "checkov_version" in item and set(item) >= SUMMARY_KEYS


def detect(document: Any) -> bool:
    if isinstance(document, list):
        return bool(document) and all(map(_is_report, document))
    return _is_report(document) or _is_empty_summary(document)


def _array(results: dict[str, Any], key: str, source: str) -> list[Any]:
    value = results.get(key) or []
    if not isinstance(value, list):
        raise EvidenceError(
            f"results.{key}: expected an array, got {type(value).__name__}", path=source
        )
    return value


def _checks(results: dict[str, Any], key: str, source: str) -> list[dict[str, Any]]:
    return [check for check in _array(results, key, source) if isinstance(check, dict)]


def _path(check: dict[str, Any], options: ReadOptions, source: str) -> str | None:
    """The repository path of a check's file. ``repo_file_path`` is relative to where checkov
    ran (as its SARIF uris are) and ``file_path`` to the folder it scanned (-d), but checkov's
    kubernetes framework gets both wrong in its own way (``file_path`` relative to where it
    ran, ``repo_file_path`` with the scanned folder doubled): the first of the two that names
    an existing repository file wins, else ``repo_file_path``. A leading '/' means "relative
    to", not the filesystem root."""
    candidates = [
        repository_path(value.strip().lstrip("/"), options, source)
        for key in ("repo_file_path", "file_path")
        if isinstance(value := check.get(key), str) and value.strip().lstrip("/")
    ]
    existing = [path for path in candidates if path and options.base
                and (Path(options.base) / path).is_file()]
    return (existing or candidates or [None])[0]


def _finding(
    check: dict[str, Any], category: str, source: str, options: ReadOptions, suppressed: bool
) -> dict[str, Any]:
    rule_id = str(check.get("check_id") or "unknown")
    lines = check.get("file_line_range")
    line = lines[0] if isinstance(lines, list) and lines else None
    message = f"{check.get('check_name') or rule_id} ({check.get('resource')})"
    reason = (check.get("check_result") or {}).get("suppress_comment")
    if suppressed and reason:
        message += f" -- skipped: {reason}"
    return finding(
        tool=TOOL, category=category, rule_id=rule_id, rule_name=check.get("check_name"),
        severity_score=severity(None, check.get("severity"), options),
        message=message, source=source, file=_path(check, options, source), line=line,
        suppressed=suppressed, options=options,
    )


def _read_report(
    report: dict[str, Any], source: str, options: ReadOptions
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    framework = str(report["check_type"])
    category = FRAMEWORK_CATEGORIES.get(framework, "iac")
    results = report["results"]
    failed = _checks(results, "failed_checks", source)
    skipped_checks = _checks(results, "skipped_checks", source)
    passed = _checks(results, "passed_checks", source)
    findings = [_finding(c, category, source, options, False) for c in failed]
    findings += [_finding(c, category, source, options, True) for c in skipped_checks]
    checks = passed + failed + skipped_checks
    scanned = {path for c in checks if (path := _path(c, options, source))}
    unparsed = [
        {"name": str(path), "reason": "checkov could not parse this file"}
        for path in _array(results, "parsing_errors", source)
    ] + ([] if checks else [dict(SCANNED_NOTHING)])
    summary = report.get("summary") or {}
    if not isinstance(summary, dict):
        raise EvidenceError(f"summary: expected an object, got {type(summary).__name__}",
                            path=source)
    run = scan_run(
        tool=TOOL, version=summary.get("checkov_version"), source=source,
        format=f"checkov-json:{framework}", categories={category, *options.categories},
        findings=findings, passed_rules={str(c.get("check_id")) for c in passed},
        scanned_files=scanned, skipped=unparsed,
    )
    return run, findings


def read(document: Any, source: str, options: ReadOptions) -> ScanReport:
    if _is_empty_summary(document):
        run = scan_run(
            tool=TOOL, version=document.get("checkov_version"), source=source,
            format="checkov-json", categories={"iac", *options.categories}, findings=[],
            passed_rules=set(), scanned_files=set(), skipped=[dict(SCANNED_NOTHING)],
        )
        return [run], []
    reports = document if isinstance(document, list) else [document]
    if not all(map(_is_report, reports)):
        raise EvidenceError(
            "not a checkov JSON report: expected objects with 'check_type' and 'results'",
            path=source,
        )
    runs, findings = [], []
    for report in reports:
        run, run_findings = _read_report(report, source, options)
        runs.append(run)
        findings += run_findings
    return runs, findings
