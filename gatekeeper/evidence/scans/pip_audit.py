"""pip-audit JSON (``pip-audit -f json``) -> scan run + ``sca`` findings.

Two shapes exist: the current ``{"dependencies": [...], "fixes": [...]}`` and the 1.x top-level
list. A dependency pip-audit could not audit carries a ``skip_reason`` instead of ``vulns``
(offline, not on the index, a local path...). pip-audit still prints "No known vulnerabilities
found" and exits 0 then, but nothing was checked for those packages: such a run is recorded as
``inconclusive`` with each skipped package and its reason, and never counts as clean. A report
that lists no dependency at all audited nothing, and is inconclusive too.

pip-audit reports no severity, so every vulnerability gets ``thresholds.scanners
.unscored_severity``.
"""

from __future__ import annotations

from typing import Any

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence.scans.scan_results import (
    ReadOptions,
    ScanReport,
    finding,
    scan_run,
    severity,
)

TOOL = "pip-audit"
NOTHING_AUDITED = {"name": "*", "reason": "the report lists no dependency: nothing was audited"}


def _is_dependency(item: Any) -> bool:
    return isinstance(item, dict) and "name" in item and ("vulns" in item or "skip_reason" in item)


def detect(document: Any) -> bool:
    if isinstance(document, dict):
        return isinstance(document.get("dependencies"), list) and "fixes" in document
    return isinstance(document, list) and bool(document) and all(map(_is_dependency, document))


def _dependencies(document: Any, source: str) -> list[dict[str, Any]]:
    dependencies = document.get("dependencies") if isinstance(document, dict) else document
    if not isinstance(dependencies, list) or not all(map(_is_dependency, dependencies)):
        raise EvidenceError(
            "not a pip-audit JSON report: expected dependencies with 'vulns' or 'skip_reason'",
            path=source,
        )
    return dependencies


def _message(name: str, version: str, vuln: dict[str, Any]) -> str:
    aliases = [str(alias) for alias in vuln.get("aliases") or ()]
    fixes = [str(fix) for fix in vuln.get("fix_versions") or ()]
    text = f"{name}@{version}: {vuln.get('description') or vuln.get('id')}"
    if aliases:
        text += f" (aliases: {', '.join(aliases)})"
    if fixes:
        text += f" (fixed in {', '.join(fixes)})"
    return text


def read(document: Any, source: str, options: ReadOptions) -> ScanReport:
    findings, skipped = [], []
    dependencies = _dependencies(document, source)
    for dependency in dependencies:
        name = str(dependency["name"])
        if "skip_reason" in dependency:
            skipped.append({"name": name, "reason": str(dependency["skip_reason"])})
            continue
        version = str(dependency.get("version"))
        for vuln in dependency.get("vulns") or ():
            if not isinstance(vuln, dict):
                continue
            vuln_id = str(vuln.get("id") or "unknown")
            findings.append(finding(
                tool=TOOL, category="sca", rule_id=vuln_id,
                severity_score=severity(None, None, options),
                message=_message(name, version, vuln), source=source,
                key=f"{vuln_id}@{name}@{version}",
            ))
    if not dependencies:
        skipped.append(dict(NOTHING_AUDITED))
    run = scan_run(
        tool=TOOL, version=None, source=source, format="pip-audit-json",
        categories={"sca", *options.categories}, findings=findings, skipped=skipped,
    )
    return [run], findings
