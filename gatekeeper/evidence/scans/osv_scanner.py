"""osv-scanner JSON (``osv-scanner scan --format json``) -> scan run + findings.

One finding per vulnerability group (osv-scanner groups the aliases of one vulnerability, e.g. a
GHSA and its PYSEC twin) per package. Severity: the group's ``max_severity`` (the CVSS base
score osv-scanner computed), else the advisory's ``database_specific.severity`` word, else the
configured unscored severity. Findings from a container image scan (``osv-scanner scan image``,
or the 1.x ``docker`` source type) are ``container``, the rest ``sca``. License violations are
not vulnerabilities and are left out. osv-scanner's call analysis (``called: false``) is kept in
the message, never used to drop a finding.
"""

from __future__ import annotations

from typing import Any

from gatekeeper.evidence.scans.scan_results import (
    ReadOptions,
    ScanReport,
    finding,
    scan_run,
    severity,
)

TOOL = "osv-scanner"
IMAGE_SOURCES = {"docker", "image"}


def detect(document: Any) -> bool:
    if not isinstance(document, dict) or not isinstance(document.get("results"), list):
        return False
    if "metrics" in document:  # bandit's report (an empty one has results: [] too)
        return False
    return all(
        isinstance(result, dict) and ("source" in result or "packageSource" in result)
        for result in document["results"]
    )


def _advisory_severity(group_ids: list[str], vulnerabilities: list[Any]) -> str | None:
    for vuln in vulnerabilities:
        if isinstance(vuln, dict) and vuln.get("id") in group_ids:
            word = (vuln.get("database_specific") or {}).get("severity")
            if word:
                return str(word)
    return None


def _summary(group_ids: list[str], vulnerabilities: list[Any]) -> str:
    for vuln in vulnerabilities:
        if isinstance(vuln, dict) and vuln.get("id") in group_ids and vuln.get("summary"):
            return str(vuln["summary"])
    return ""


def _uncalled(group: dict[str, Any]) -> bool:
    analysis = group.get("experimental_analysis") or {}
    return bool(analysis) and all(
        isinstance(entry, dict) and entry.get("called") is False for entry in analysis.values()
    )


def _package_findings(
    entry: dict[str, Any], path: str | None, category: str, source: str, options: ReadOptions
) -> list[dict[str, Any]]:
    package = entry.get("package") or {}
    name = f"{package.get('ecosystem')}/{package.get('name')}@{package.get('version')}"
    vulnerabilities = entry.get("vulnerabilities") or []
    found = []
    for group in entry.get("groups") or ():
        ids = [str(i) for i in (group.get("ids") or ()) if i] if isinstance(group, dict) else []
        if not ids:
            continue
        message = f"{name}: {_summary(ids, vulnerabilities) or ids[0]}"
        aliases = ids[1:] + [str(a) for a in group.get("aliases") or () if a not in ids]
        if aliases:
            message += f" (aliases: {', '.join(aliases)})"
        if _uncalled(group):
            message += " (osv-scanner call analysis: not called)"
        found.append(finding(
            tool=TOOL, category=category, rule_id=ids[0],
            severity_score=severity(
                group.get("max_severity"), _advisory_severity(ids, vulnerabilities), options),
            message=message, source=source, file=path, key=f"{ids[0]}@{name}",
        ))
    return found


def read(document: dict[str, Any], source: str, options: ReadOptions) -> ScanReport:
    findings: list[dict[str, Any]] = []
    categories = set(options.categories)
    image_scan = "image_metadata" in document
    for result in document["results"]:
        origin = result.get("source") or result.get("packageSource") or {}
        kind = origin.get("type") if isinstance(origin, dict) else None
        category = "container" if image_scan or kind in IMAGE_SOURCES else "sca"
        categories.add(category)
        path = origin.get("path") if isinstance(origin, dict) else None
        for entry in result.get("packages") or ():
            if isinstance(entry, dict):
                findings += _package_findings(entry, path, category, source, options)
    if not document["results"]:
        categories.add("container" if image_scan else "sca")
    run = scan_run(
        tool=TOOL, version=None, source=source, format="osv-scanner-json",
        categories=categories, findings=findings,
    )
    return [run], findings
