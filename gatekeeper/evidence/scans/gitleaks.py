"""gitleaks JSON (``gitleaks detect|dir|git --report-format json``) -> scan run + findings.

The report is a list of leaks; an empty list is a clean scan (name ``tool: gitleaks`` in the
configuration then: ``[]`` alone says nothing about which tool wrote it). gitleaks has no
severity, so each leak gets ``thresholds.scanners.unscored_severity``. The secret itself
(``Secret``, ``Match``) never enters the evidence: only the rule, file, line and commit.
"""

from __future__ import annotations

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

TOOL = "gitleaks"


def _is_leak(item: Any) -> bool:
    return isinstance(item, dict) and "RuleID" in item and "File" in item


def detect(document: Any) -> bool:
    return isinstance(document, list) and bool(document) and all(map(_is_leak, document))


def _message(leak: dict[str, Any]) -> str:
    text = f"{leak.get('Description') or leak['RuleID']} in {leak['File']}"
    commit = leak.get("Commit")
    if commit and set(str(commit)) != {"0"}:
        text += f" (commit {str(commit)[:12]})"
    return text


def read(document: Any, source: str, options: ReadOptions) -> ScanReport:
    if not isinstance(document, list) or not all(map(_is_leak, document)):
        raise EvidenceError(
            "not a gitleaks JSON report: expected a list of leaks with 'RuleID' and 'File'",
            path=source,
        )
    findings = [
        finding(
            tool=TOOL, category="secrets", rule_id=str(leak["RuleID"]),
            severity_score=severity(None, None, options), message=_message(leak),
            source=source, file=repository_path(str(leak["File"]), options, source),
            line=leak.get("StartLine"),
        )
        for leak in document
    ]
    run = scan_run(
        tool=TOOL, version=None, source=source, format="gitleaks-json",
        categories={"secrets", *options.categories}, findings=findings,
    )
    return [run], findings
