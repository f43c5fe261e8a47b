"""trivy JSON (``trivy image|fs|repo|config -f json``, SchemaVersion 2) -> scan run + findings.

Categories: vulnerabilities in a container (or VM) image are ``container``, in a filesystem or
repository ``sca``; misconfigurations are ``iac``; secrets are ``secrets``. License results are
not security findings and are left out.

What the report proves was scanned: a ``config`` result (it carries a pass/fail summary) proves
a misconfiguration scan of that file; any finding proves its scanner ran. A clean vulnerability
or secret scan leaves no trace in the report (trivy lists package inventories whatever scanners
ran), so such a run claims those categories only when the configuration names them
(``categories:``). Checks reported as passed (``--include-non-failures``) are not recorded:
trivy passes a check when no resource of its kind exists, so a pass proves nothing.
"""

from __future__ import annotations

from typing import Any

from gatekeeper.evidence.scans.scan_results import (
    ReadOptions,
    ScanReport,
    as_float,
    finding,
    package_key,
    repository_path,
    scan_run,
    severity,
)

TOOL = "trivy"
IMAGE_ARTIFACTS = {"container_image", "vm"}


def detect(document: Any) -> bool:
    return (
        isinstance(document, dict)
        and "SchemaVersion" in document
        and ("ArtifactName" in document or "Results" in document)
    )


def _cvss_score(vulnerability: dict[str, Any]) -> float | None:
    """The v4/v3 base score of the source trivy took the severity from, else NVD's."""
    cvss = vulnerability.get("CVSS")
    if not isinstance(cvss, dict):
        return None
    for source in (vulnerability.get("SeveritySource"), "nvd", *sorted(cvss)):
        scores = cvss.get(source) if isinstance(source, str) else None
        if isinstance(scores, dict):
            for field in ("V40Score", "V3Score"):
                if scores.get(field) is not None:
                    return as_float(scores[field])
    return None


def _vulnerabilities(
    result: dict[str, Any], artifact_type: Any, source: str, options: ReadOptions
) -> list[dict[str, Any]]:
    category = "container" if artifact_type in IMAGE_ARTIFACTS else "sca"
    found = []
    for vuln in result.get("Vulnerabilities") or ():
        if not isinstance(vuln, dict):
            continue
        vuln_id = str(vuln.get("VulnerabilityID") or "unknown")
        package = f"{vuln.get('PkgName')}@{vuln.get('InstalledVersion')}"
        fixed = vuln.get("FixedVersion")
        title = vuln.get("Title") or vuln.get("Description") or ""
        message = f"{package}: {title}".rstrip(": ")
        if fixed:
            message += f" (fixed in {fixed})"
        found.append(finding(
            tool=TOOL, category=category, rule_id=vuln_id, rule_name=vuln.get("Title"),
            severity_score=severity(_cvss_score(vuln), vuln.get("Severity"), options),
            message=message, source=source,
            file=vuln.get("PkgPath") or result.get("Target"),
            key=package_key(vuln_id, vuln.get("PkgName"), vuln.get("InstalledVersion")),
        ))
    return found


def _misconfigurations(
    result: dict[str, Any], source: str, options: ReadOptions
) -> list[dict[str, Any]]:
    found = []
    target = repository_path(result.get("Target"), options, source)
    for misconf in result.get("Misconfigurations") or ():
        if not isinstance(misconf, dict):
            continue
        rule_id = str(misconf.get("ID") or misconf.get("AVDID") or "unknown")
        status = str(misconf.get("Status") or "FAIL").upper()
        if status == "PASS":
            continue
        cause = misconf.get("CauseMetadata") or {}
        # trivy's SARIF writes line 1 for a check without a line: the same key either way.
        line = (cause.get("StartLine") if isinstance(cause, dict) else None) or 1
        found.append(finding(
            tool=TOOL, category="iac", rule_id=rule_id, rule_name=misconf.get("Title"),
            severity_score=severity(None, misconf.get("Severity"), options),
            message=str(misconf.get("Message") or misconf.get("Title") or ""),
            source=source, file=target, line=line,
            suppressed=status == "EXCEPTION", options=options,
        ))
    return found


def _secrets(result: dict[str, Any], source: str, options: ReadOptions) -> list[dict[str, Any]]:
    # Only the rule and place: trivy's "Match" holds (a redacted copy of) the secret itself.
    return [
        finding(
            tool=TOOL, category="secrets", rule_id=str(secret.get("RuleID") or "unknown"),
            rule_name=secret.get("Title"),
            severity_score=severity(None, secret.get("Severity"), options),
            message=f"{secret.get('Title') or secret.get('Category') or 'secret'} "
                    f"in {result.get('Target')}",
            source=source, file=repository_path(result.get("Target"), options, source),
            line=secret.get("StartLine"),
        )
        for secret in result.get("Secrets") or ()
        if isinstance(secret, dict)
    ]


def read(document: dict[str, Any], source: str, options: ReadOptions) -> ScanReport:
    artifact_type = document.get("ArtifactType")
    findings: list[dict[str, Any]] = []
    config_files: set[str] = set()
    categories = set(options.categories)
    for result in document.get("Results") or ():
        if not isinstance(result, dict):
            continue
        findings += _vulnerabilities(result, artifact_type, source, options)
        findings += _misconfigurations(result, source, options)
        findings += _secrets(result, source, options)
        if result.get("Class") == "config":
            categories.add("iac")
            target = repository_path(result.get("Target"), options, source)
            if target:
                config_files.add(target)
    categories |= {f["category"] for f in findings}
    version = (document.get("Trivy") or {}).get("Version") if isinstance(
        document.get("Trivy"), dict) else None
    run = scan_run(
        tool=TOOL, version=version, source=source, format="trivy-json",
        categories=categories, findings=findings,
        scanned_files=config_files,
    )
    return [run], findings
