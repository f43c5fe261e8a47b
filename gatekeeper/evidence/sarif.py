"""SARIF 2.1.0 from any tool -> scan runs and normalized findings.

Each finding gets a category (sast, secrets, iac, container, sca) and a severity (info, low,
medium, high, critical). The category comes from the configuration when given, else from the
tool (and, for multi-purpose scanners such as trivy, from the rule). The severity comes from
the rule's or result's ``security-severity`` (CVSS bands), else the tool's own severity
property, else the SARIF level.
"""

from __future__ import annotations

from typing import Any

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence.context import CollectContext
from gatekeeper.jsonio import parse_json

NAME = "sarif"
CATEGORIES = ("sast", "secrets", "iac", "container", "sca")

# Tool name (lower case) -> category. Multi-purpose tools are resolved per rule below.
TOOL_CATEGORIES = {
    "bandit": "sast", "semgrep": "sast", "semgrep oss": "sast", "codeql": "sast",
    "codeql command-line toolchain": "sast", "lgtm.com": "sast", "sonarqube": "sast",
    "eslint": "sast", "gosec": "sast", "brakeman": "sast", "spotbugs": "sast",
    "pylint": "sast", "ruff": "sast", "flawfinder": "sast", "devskim": "sast",
    "gitleaks": "secrets", "trufflehog": "secrets", "detect-secrets": "secrets",
    "ggshield": "secrets", "kingfisher": "secrets",
    "checkov": "iac", "tfsec": "iac", "kics": "iac", "terrascan": "iac", "kube-linter": "iac",
    "hadolint": "iac", "tflint": "iac", "kubesec": "iac",
    "grype": "container", "clair": "container", "docker scout": "container",
    "osv-scanner": "sca", "pip-audit": "sca", "dependency-check": "sca", "npm audit": "sca",
    "snyk open source": "sca",
}
# trivy's SARIF names each rule by the kind of check that produced it.
TRIVY_RULE_CATEGORIES = {
    "ospackagevulnerability": "container",
    "languagespecificpackagevulnerability": "sca",
    "misconfiguration": "iac",
    "secret": "secrets",
}
LEVEL_SEVERITY = {"error": "high", "warning": "medium", "note": "low", "none": "info"}
TOOL_SEVERITIES = {"critical", "high", "medium", "low", "info"}
NOT_FINDINGS = {"pass", "notApplicable", "informational"}


def cvss_severity(score: float) -> str:
    """The CVSS v3 qualitative band, as GitHub code scanning applies to security-severity."""
    if score >= 9.0:
        return "critical"
    if score >= 7.0:
        return "high"
    if score >= 4.0:
        return "medium"
    if score > 0.0:
        return "low"
    return "info"


def _float(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _properties(item: dict[str, Any]) -> dict[str, Any]:
    props = item.get("properties")
    return props if isinstance(props, dict) else {}


def _text(message: Any) -> str:
    if isinstance(message, dict):
        return str(message.get("text") or message.get("markdown") or message.get("id") or "")
    return ""


def _location(result: dict[str, Any]) -> tuple[str | None, int | None]:
    for location in result.get("locations") or ():
        physical = location.get("physicalLocation") if isinstance(location, dict) else None
        if not isinstance(physical, dict):
            continue
        uri = (physical.get("artifactLocation") or {}).get("uri")
        line = (physical.get("region") or {}).get("startLine")
        return uri, line if isinstance(line, int) else None
    return None, None


def _category(tool: str, rule: dict[str, Any], override: str | None) -> str | None:
    if override:
        return override
    name = tool.lower()
    if name == "trivy":
        return TRIVY_RULE_CATEGORIES.get(str(rule.get("name", "")).lower(), "container")
    return TOOL_CATEGORIES.get(name)


def _severity(rule: dict[str, Any], result: dict[str, Any], level: str) -> tuple[str, float | None]:
    score = _float(_properties(result).get("security-severity"))
    if score is None:
        score = _float(_properties(rule).get("security-severity"))
    if score is not None:
        return cvss_severity(score), score
    native = str(_properties(result).get("issue_severity", "")).lower()  # bandit
    if native in TOOL_SEVERITIES:
        return native, None
    return LEVEL_SEVERITY.get(level, "medium"), None


def _rules(driver: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    rules = [rule for rule in driver.get("rules") or () if isinstance(rule, dict)]
    return rules, {str(rule.get("id")): rule for rule in rules if rule.get("id")}


def _rule_for(result: dict[str, Any], rules: list[dict[str, Any]], by_id: dict[str, Any]) -> Any:
    index = result.get("ruleIndex")
    if isinstance(index, int) and 0 <= index < len(rules):
        return rules[index]
    rule_id = result.get("ruleId") or (result.get("rule") or {}).get("id")
    return by_id.get(str(rule_id), {})


def _suppressed(result: dict[str, Any]) -> bool:
    return any(
        isinstance(s, dict) and s.get("status", "accepted") == "accepted"
        for s in result.get("suppressions") or ()
    )


def read_run(run: dict[str, Any], source: str, override: str | None) -> tuple[dict, list[dict]]:
    driver = (run.get("tool") or {}).get("driver") or {}
    tool = str(driver.get("name") or "unknown")
    version = driver.get("semanticVersion") or driver.get("version")
    if not override and tool.lower() != "trivy" and tool.lower() not in TOOL_CATEGORIES:
        raise EvidenceError(
            f"cannot tell which kind of scan the SARIF tool {tool!r} performs",
            path=source,
            hint=f"name it in the config: {{path: {source}, category: <{'|'.join(CATEGORIES)}>}}",
        )
    rules, by_id = _rules(driver)
    findings = []
    for result in run.get("results") or ():
        if not isinstance(result, dict) or result.get("kind", "fail") in NOT_FINDINGS:
            continue
        if result.get("baselineState") == "absent":
            continue
        rule = _rule_for(result, rules, by_id)
        rule_id = str(result.get("ruleId") or rule.get("id") or "unknown")
        level = result.get("level") or (rule.get("defaultConfiguration") or {}).get("level")
        level = level if level in LEVEL_SEVERITY else "warning"
        severity, score = _severity(rule, result, level)
        uri, line = _location(result)
        findings.append(
            {
                "tool": tool,
                "category": _category(tool, rule, override),
                "rule_id": rule_id,
                "rule_name": rule.get("name"),
                "level": level,
                "severity": severity,
                "security_severity": score,
                "message": _text(result.get("message")) or _text(rule.get("shortDescription")),
                "file": uri,
                "line": line,
                "suppressed": _suppressed(result),
                "key": f"{rule_id}@{uri}:{line}" if uri else rule_id,
                "source": source,
            }
        )
    categories = {f["category"] for f in findings} | {_category(tool, {}, override)}
    scan = {
        "tool": tool,
        "version": version,
        "source": source,
        "format": "sarif",
        "categories": sorted(categories),
        "finding_count": len(findings),
    }
    return scan, findings


def read_log(data: bytes, source: str, override: str | None) -> tuple[list, list]:
    log = parse_json(data, source)
    if not isinstance(log, dict) or not isinstance(log.get("runs"), list):
        raise EvidenceError("not a SARIF log: expected an object with a 'runs' array", path=source)
    if log.get("version") != "2.1.0":
        raise EvidenceError(
            f"unsupported SARIF version {log.get('version')!r} (supported: 2.1.0)", path=source
        )
    scans, findings = [], []
    for run in log["runs"]:
        if not isinstance(run, dict):
            raise EvidenceError("a SARIF run is not an object", path=source)
        scan, run_findings = read_run(run, source, override)
        scans.append(scan)
        findings.extend(run_findings)
    return scans, findings


def collect(entries: list[Any], context: CollectContext) -> dict[str, Any]:
    scans, findings = [], []
    for index, entry in enumerate(entries):
        pattern, override = (entry, None) if isinstance(entry, str) else (
            entry["path"], entry.get("category"))
        for path in context.expand(pattern, f"evidence.sarif[{index}]"):
            source = context.display_path(path)
            run_scans, run_findings = read_log(context.read(path, NAME), source, override)
            scans.extend(run_scans)
            findings.extend(run_findings)
    return {"scans": {"runs": scans, "findings": findings}}
