"""grype JSON (``grype <target> -o json``) -> scan run + findings.

The category follows what grype scanned (``source.type``): an image gives ``container``
findings, a directory, file or SBOM gives ``sca``. Severity comes from the CVSS v3/v4 base
score of the vulnerability (grype's own record first, then the related NVD record), else
grype's severity word. Matches grype was told to ignore (``ignoredMatches``) are kept as
suppressed findings, so reports still show them.
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

TOOL = "grype"


def detect(document: Any) -> bool:
    if not isinstance(document, dict) or not isinstance(document.get("matches"), list):
        return False
    descriptor = document.get("descriptor")
    return isinstance(descriptor, dict) and descriptor.get("name") == "grype"


def _category(document: dict[str, Any]) -> str:
    source = document.get("source")
    kind = source.get("type") if isinstance(source, dict) else None
    return "container" if kind == "image" else "sca"


def _base_score(records: list[Any]) -> float | None:
    scores = []
    for record in records:
        for cvss in (record.get("cvss") or ()) if isinstance(record, dict) else ():
            version = str(cvss.get("version", "")) if isinstance(cvss, dict) else ""
            if not version.startswith(("3", "4")):
                continue
            score = (cvss.get("metrics") or {}).get("baseScore")
            if isinstance(score, (int, float)):
                scores.append((str(cvss.get("version")), float(score)))
    return max(scores)[1] if scores else None


def _score(match: dict[str, Any]) -> float | None:
    vulnerability = match.get("vulnerability") or {}
    related = [
        record for record in match.get("relatedVulnerabilities") or ()
        if isinstance(record, dict) and record.get("id") == vulnerability.get("id")
    ]
    return _base_score([vulnerability]) or _base_score(related)


def _finding(
    match: Any, category: str, source: str, options: ReadOptions, suppressed: bool
) -> dict[str, Any] | None:
    if not isinstance(match, dict):
        return None
    vulnerability = match.get("vulnerability") or {}
    artifact = match.get("artifact") or {}
    vuln_id = str(vulnerability.get("id") or "unknown")
    package = f"{artifact.get('name')}@{artifact.get('version')}"
    fixes = (vulnerability.get("fix") or {}).get("versions") or []
    message = f"{package}: {vulnerability.get('description') or vuln_id}"
    if fixes:
        message += f" (fixed in {', '.join(map(str, fixes))})"
    locations = artifact.get("locations") or []
    path = locations[0].get("path") if locations and isinstance(locations[0], dict) else None
    return finding(
        tool=TOOL, category=category, rule_id=vuln_id,
        severity_score=severity(_score(match), vulnerability.get("severity"), options),
        message=message, source=source, file=path, key=f"{vuln_id}@{package}",
        suppressed=suppressed, options=options,
    )


def read(document: dict[str, Any], source: str, options: ReadOptions) -> ScanReport:
    category = _category(document)
    findings = [
        found
        for matches, suppressed in ((document.get("matches"), False),
                                    (document.get("ignoredMatches"), True))
        for match in matches or ()
        if (found := _finding(match, category, source, options, suppressed))
    ]
    descriptor = document.get("descriptor") or {}
    run = scan_run(
        tool=TOOL, version=descriptor.get("version"), source=source, format="grype-json",
        categories={category, *options.categories}, findings=findings,
    )
    return [run], findings
