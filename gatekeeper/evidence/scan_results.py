"""The shapes every scanner reader produces: scan runs and normalized findings.

A finding has the same fields whatever the input format (SARIF or a tool's native JSON), so the
SDL-*-clean controls read them all alike. Readers of native formats also fill what SARIF cannot
carry: the rules that passed, the files a scan looked at, and whether the run was inconclusive
(something it should have checked was skipped).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gatekeeper.evidence.sarif import cvss_severity

SEVERITIES = ("info", "low", "medium", "high", "critical")
# Tool severity words (lower case) -> our severity. "unknown" and friends are absent on purpose:
# a finding without a usable severity gets the configured unscored severity.
NATIVE_SEVERITIES = {
    "critical": "critical", "high": "high", "medium": "medium", "moderate": "medium",
    "low": "low", "negligible": "info", "info": "info", "informational": "info", "none": "info",
}


@dataclass(frozen=True)
class ReadOptions:
    """What the configuration tells a reader: the severity of unscored findings, and the
    categories a run covered when its report cannot say (a clean trivy secret scan)."""

    unscored_severity: str = "high"
    categories: tuple[str, ...] = ()


def as_float(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def severity(score: Any, native: Any, options: ReadOptions) -> tuple[str, float | None]:
    """CVSS base score when the report has one, else the tool's own word, else unscored."""
    number = as_float(score)
    if number is not None and 0.0 <= number <= 10.0:
        return cvss_severity(number), number
    word = NATIVE_SEVERITIES.get(str(native or "").strip().lower())
    if word:
        return word, None
    return options.unscored_severity, None


def finding(
    *,
    tool: str,
    category: str,
    rule_id: str,
    severity_score: tuple[str, float | None],
    message: str,
    source: str,
    file: str | None = None,
    line: int | None = None,
    key: str | None = None,
    suppressed: bool = False,
    rule_name: str | None = None,
) -> dict[str, Any]:
    level, score = severity_score
    line = line_of(line)
    return {
        "tool": tool,
        "category": category,
        "rule_id": rule_id,
        "rule_name": rule_name,
        "severity": level,
        "security_severity": score,
        "message": message,
        "file": file,
        "line": line,
        "suppressed": suppressed,
        "key": key or _key(rule_id, file, line),
        "source": source,
    }


def _key(rule_id: str, file: str | None, line: int | None) -> str:
    """What exceptions target: rule@file:line, as for SARIF findings."""
    if not file:
        return rule_id
    return f"{rule_id}@{file}:{line}" if line else f"{rule_id}@{file}"


def scan_run(
    *,
    tool: str,
    version: Any,
    source: str,
    format: str,
    categories: set[str],
    findings: list[dict[str, Any]],
    passed_rules: set[str] | None = None,
    scanned_files: set[str] | None = None,
    skipped: list[dict[str, str]] | None = None,
    inconclusive: bool = False,
) -> dict[str, Any]:
    run: dict[str, Any] = {
        "tool": tool,
        "version": str(version) if version not in (None, "") else None,
        "source": source,
        "format": format,
        "categories": sorted(categories),
        "finding_count": len(findings),
        "inconclusive": inconclusive or bool(skipped),
        "skipped": skipped or [],
    }
    if passed_rules is not None:
        run["passed_rules"] = sorted(passed_rules)
    if scanned_files is not None:
        run["scanned_files"] = sorted(scanned_files)
    return run


def scanned_path(path: Any) -> str | None:
    """A path as a scanner printed it, without './' or a leading '/' (paths are matched by
    suffix against the files gatekeeper collected, see policies/lib/infrastructure.rego)."""
    if not isinstance(path, str) or not path.strip():
        return None
    text = path.strip().replace("\\", "/")
    while text.startswith("./"):
        text = text[2:]
    return text.lstrip("/") or None


def line_of(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None
