"""SARIF 2.1.0 from any tool -> scan runs and normalized findings.

Each finding gets a category (sast, secrets, iac, container, sca) and a severity (info, low,
medium, high, critical). The category comes from the configuration when given, else from the
tool (and, for multi-purpose scanners such as trivy, from the rule). The severity comes from
the rule's or result's ``security-severity`` (CVSS bands), else the tool's own severity
property, else the SARIF level.

The log is read by the spec, the same way for every tool (docs/scanners.md): every field
gatekeeper reads must have the type the SARIF 2.1.0 schema gives it, and a ``security-severity``
must be a number in [0, 10]; anything else is an EvidenceError naming the file and the JSON
pointer. A run whose execution failed (``executionSuccessful: false``, an error-level tool
execution notification), whose ``results`` is null or absent, or that lists no artifact and no
result although it lists what it scanned, is inconclusive: never a clean scan.
"""

from __future__ import annotations

import math
import posixpath
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence.context import CollectContext
from gatekeeper.evidence.scans import bandit
from gatekeeper.evidence.scans.findings_index import Findings
from gatekeeper.evidence.scans.scan_results import (
    ReadOptions,
    ScanReport,
    cvss_severity,
    entry_options,
    finding_key,
    package_key,
    parse_report,
    repository_path,
)
from gatekeeper.schemas import json_pointer, schema_errors

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
VULNERABILITY_CATEGORIES = {"container", "sca"}
LEVEL_SEVERITY = {"error": "high", "warning": "medium", "note": "low", "none": "info"}
TOOL_SEVERITIES = {"critical", "high", "medium", "low", "info"}
NOT_FINDINGS = {"pass", "notApplicable", "informational"}
# trivy's vulnerability message: "Package: openssl\nInstalled Version: 1.1.1c-r0\n..."
TRIVY_PACKAGE = re.compile(r"^Package: (?P<name>.+)$", re.MULTILINE)
TRIVY_VERSION = re.compile(r"^Installed Version: (?P<version>.+)$", re.MULTILINE)
SHAPE = "shape-sarif"  # gatekeeper/schemas/shape-sarif.schema.json: the fields read, typed
SCHEMA_HINT = "the SARIF 2.1.0 schema (docs.oasis-open.org/sarif) gives each field's type"
# The JSON types as messages name them, and the type of each value orjson reads.
TYPE_NAMES = {
    "object": "an object", "array": "an array", "string": "a string", "integer": "an integer",
    "number": "a number", "boolean": "a boolean", "null": "null",
}
JSON_TYPES = {
    dict: "object", list: "array", str: "string", int: "integer", float: "number",
    bool: "boolean", type(None): "null",
}
# What a missing required property means, in the words of the spec.
REQUIRED = {
    "tool": "a run must name its tool ('tool.driver')",
    "driver": "a tool must have a 'driver'",
    "executionSuccessful": "an invocation must say executionSuccessful (true or false)",
}


def check_types(document: dict[str, Any], source: str) -> None:
    """Every field gatekeeper reads has the type (and value, for enumerations) the SARIF
    schema gives it; else an EvidenceError naming the first that does not, by JSON pointer.
    One pass of jsonschema-rs over the log: the readers below then trust the shape."""
    errors = schema_errors(document, SHAPE, limit=1)
    if errors:
        error = errors[0]
        raise refusal(source, json_pointer(error.instance_path), _problem(error))


def refusal(source: str, pointer: str, problem: str) -> EvidenceError:
    return EvidenceError(f"{pointer}: {problem}", path=source, hint=SCHEMA_HINT)


def _problem(error: Any) -> str:
    """A schema error in the reader's words; the shape schema uses only these three kinds."""
    kind = error.kind
    if kind.name == "type":  # "expected an array or null, got a string"
        expected = " or ".join(TYPE_NAMES[name] for name in sorted(kind.types))
        return f"expected {expected}, got {TYPE_NAMES[JSON_TYPES[type(error.instance)]]}"
    if kind.name == "enum":
        allowed = ", ".join(sorted(map(str, kind.options)))
        return f"{error.instance!r} is not one of {allowed}"
    return REQUIRED[kind.property]


def _score(properties: dict[str, Any], source: str, pointer: str) -> float | None:
    """``security-severity``: a number (or a numeric string, as GitHub reads it) in [0, 10]."""
    if "security-severity" not in properties:
        return None
    value = properties["security-severity"]
    number = _number(value)
    if number is None or not math.isfinite(number) or not 0.0 <= number <= 10.0:
        raise refusal(source, f"{pointer}/properties/security-severity",
                      f"security-severity must be a number in [0, 10], got {value!r}")
    return number


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def _text(message: dict[str, Any] | None) -> str:
    """A message object's text, else its markdown, else its id ("" when none is given)."""
    if not message:
        return ""
    return message.get("text") or message.get("markdown") or message.get("id") or ""


def _integer(value: Any) -> int | None:
    """A schema integer as Python's int: JSON Schema counts 5.0 as the integer 5."""
    return None if value is None else int(value)


def _location(result: dict[str, Any]) -> tuple[Any, int | None, int, str | None]:
    """The first physical location: its uri, start line, index in ``locations``, and the
    uri's base id (``uriBaseId``); no uri when the result has none."""
    for index, location in enumerate(result.get("locations") or ()):
        physical = location.get("physicalLocation")
        if physical is None:
            continue
        artifact = physical.get("artifactLocation") or {}
        line = _integer((physical.get("region") or {}).get("startLine"))
        return (artifact.get("uri"), line if line is not None and line > 0 else None, index,
                artifact.get("uriBaseId"))
    return None, None, -1, None


def _uri_bases(run: dict[str, Any]) -> dict[str, str]:
    """``originalUriBaseIds`` that are absolute ``file:`` URIs: base id -> folder path."""
    folders = {}
    for base_id, location in (run.get("originalUriBaseIds") or {}).items():
        if "uri" not in location:
            continue
        parts = urlsplit(location["uri"])
        if parts.scheme == "file" and parts.path.startswith("/"):
            folders[base_id] = unquote(parts.path)
    return folders


def _resolved(uri: str | None, base_id: str | None, bases: dict[str, str],
              options: ReadOptions) -> str | None:
    """The repository path of a uri whose base id names a folder inside the repository (a scan
    made in this checkout, e.g. trivy's ROOTPATH); None otherwise (then ``root:`` applies)."""
    folder = None if base_id is None else bases.get(base_id)  # none given: not even ""
    if not uri or not folder or not options.base or urlsplit(uri).scheme:
        return None
    absolute = posixpath.normpath(posixpath.join(folder, unquote(uri)))
    relative = posixpath.relpath(absolute, options.base)
    return None if relative == ".." or relative.startswith("../") else relative


class RepositoryPaths:
    """The repository path of each (uri, uriBaseId) of one run, worked out once: a run of
    50,000 results names a few hundred files. A uri that points outside the repository is an
    EvidenceError the first time it is met, so only paths are remembered."""

    def __init__(self, source: str, bases: dict[str, str], options: ReadOptions):
        self.source, self.bases, self.options = source, bases, options
        self.known: dict[tuple[Any, str | None], str | None] = {}

    def resolve(self, uri: Any, base_id: str | None, pointer: str) -> str | None:
        key = (uri, base_id)
        if key not in self.known:
            self.known[key] = _resolved(uri, base_id, self.bases, self.options) or (
                repository_path(uri, self.options, self.source, pointer, uri=True))
        return self.known[key]


def _category(tool: str, rule: dict[str, Any], override: str | None) -> str:
    """The scan category; ``read_run`` has refused a tool with no known category."""
    if override:
        return override
    name = tool.lower()
    if name == "trivy":
        return TRIVY_RULE_CATEGORIES.get(str(rule.get("name", "")).lower(), "container")
    return TOOL_CATEGORIES[name]


@dataclass(frozen=True)
class Rule:
    """A ``tool.driver.rules`` entry as results use it: the object and its
    ``security-severity`` (checked once for the run, used by every result of the rule)."""

    value: dict[str, Any]
    score: float | None


NO_RULE = Rule({}, None)


def _rules(driver: dict[str, Any], source: str, pointer: str) -> list[Rule]:
    rules = []
    for index, rule in enumerate(driver.get("rules") or ()):
        where = f"{pointer}/rules/{index}"
        rules.append(Rule(rule, _score(rule.get("properties") or {}, source, where)))
    return rules


def _rule_id(result: dict[str, Any]) -> str | None:
    """The rule a result names: ``ruleId``, else its rule reference's ``id``."""
    return result.get("ruleId") or (result.get("rule") or {}).get("id")


def _rule_for(result: dict[str, Any], rules: list[Rule]) -> Rule:
    """The rule at ``ruleIndex``, else the first whose id the result names."""
    index = _integer(result.get("ruleIndex"))
    if index is not None and 0 <= index < len(rules):
        return rules[index]
    rule_id = _rule_id(result)
    return next((found for found in rules if rule_id and found.value.get("id") == rule_id),
                NO_RULE)


def _severity(score: float | None, rule: Rule, result: dict[str, Any], level: str) -> tuple[
    str, float | None
]:
    if score is None:
        score = rule.score
    if score is not None:
        return cvss_severity(score), score
    native = (result.get("properties") or {}).get("issue_severity")  # bandit
    if isinstance(native, str) and native.lower() in TOOL_SEVERITIES:
        return native.lower(), None
    return LEVEL_SEVERITY[level], None


def _suppression(result: dict[str, Any]) -> str | None:
    """The justification of an accepted suppression ("" when none is given); None when the
    result is not suppressed (no suppression, or all under review or rejected)."""
    reasons = [
        suppression.get("justification") or ""
        for suppression in result.get("suppressions") or ()
        if suppression.get("status", "accepted") == "accepted"
    ]
    return "; ".join(reason for reason in reasons if reason) if reasons else None


def _key(tool: str, category: str | None, rule_id: str, message: str, path: str | None,
         line: int | None) -> str:
    """The key the tool's native JSON reader gives the same finding (docs/scanners.md)."""
    if tool.lower() == "trivy" and category in VULNERABILITY_CATEGORIES:
        name, version = TRIVY_PACKAGE.search(message), TRIVY_VERSION.search(message)
        if name and version:
            return package_key(rule_id, name["name"].strip(), version["version"].strip())
    return finding_key(rule_id, path, line)


@dataclass(frozen=True)
class RunReader:
    """What every result of one run is read with."""

    source: str
    pointer: str
    tool: str
    override: str | None
    rules: list[Rule]
    paths: RepositoryPaths
    options: ReadOptions

    def finding(self, index: int, result: dict[str, Any]) -> dict[str, Any] | None:
        """The normalized finding of ``results[index]``; None for a result that is not one
        (``pass``, ``absent``...), checked as strictly first: one rule for every result."""
        pointer = f"{self.pointer}/results/{index}"
        rule = _rule_for(result, self.rules)
        rule_id = _rule_id(result) or rule.value.get("id") or "unknown"
        level = (result.get("level") or (rule.value.get("defaultConfiguration") or {}).get("level")
                 or "warning")
        score = _score(result.get("properties") or {}, self.source, pointer)
        severity, score = _severity(score, rule, result, level)
        uri, line, at, base_id = _location(result)
        path = None if uri is None else self.paths.resolve(
            uri, base_id, f"{pointer}/locations/{at}/physicalLocation/artifactLocation/uri")
        suppression = _suppression(result)
        if result.get("kind") in NOT_FINDINGS or result.get("baselineState") == "absent":
            return None
        category = _category(self.tool, rule.value, self.override)
        message = _text(result.get("message"))
        return {
            "tool": self.tool,
            "category": category,
            "rule_id": rule_id,
            "rule_name": rule.value.get("name"),
            "level": level,
            "severity": severity,
            "security_severity": score,
            "message": message or _text(rule.value.get("shortDescription")),
            "file": path,
            "line": line,
            "suppressed": suppression is not None,
            "suppression_trusted": suppression is not None and self.options.trust_suppressions,
            "suppression": suppression,
            "key": _key(self.tool, category, rule_id, message, path, line),
            "source": self.source,
        }


def _execution_problems(run: dict[str, Any], pointer: str) -> list[dict[str, str]]:
    """Why the tool's own record says this run cannot be trusted as a scan."""
    problems = []
    for index, invocation in enumerate(run.get("invocations") or ()):
        where = f"{pointer}/invocations/{index}"
        if not invocation["executionSuccessful"]:
            reason = "the tool reports executionSuccessful: false"
            problems.append({"name": where, "reason": reason})
        for number, note in enumerate(invocation.get("toolExecutionNotifications") or ()):
            if note.get("level") == "error":
                text = _text(note.get("message")) or "no message"
                problems.append({"name": f"{where}/toolExecutionNotifications/{number}",
                                 "reason": f"tool execution error: {text}"})
    return problems


def _coverage_problems(run: dict[str, Any], pointer: str) -> list[dict[str, str]]:
    results = run.get("results")
    if results is None:
        state = "null" if "results" in run else "absent"
        reason = f"'results' is {state}: the tool did not record a scan result"
        return [{"name": f"{pointer}/results", "reason": reason}]
    if "artifacts" in run and not run["artifacts"] and not results:
        reason = "the run lists no artifact and no result: it scanned nothing"
        return [{"name": f"{pointer}/artifacts", "reason": reason}]
    return []


def read_run(
    run: dict[str, Any], source: str, pointer: str, override: str | None, options: ReadOptions
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    driver = run["tool"]["driver"]
    tool = driver.get("name") or "unknown"
    version = driver.get("semanticVersion") or driver.get("version")
    if not override and tool.lower() != "trivy" and tool.lower() not in TOOL_CATEGORIES:
        raise EvidenceError(
            f"cannot tell which kind of scan the SARIF tool {tool!r} performs",
            path=source,
            hint=f"name it in the config: {{path: {source}, category: "
                 f"<{'|'.join(CATEGORIES)}>}}",
        )
    rules = _rules(driver, source, f"{pointer}/tool/driver")
    skipped = _execution_problems(run, pointer) + _coverage_problems(run, pointer)
    if tool.lower() == "bandit":
        skipped += bandit.hidden_by_nosec((run.get("properties") or {}).get("metrics"), options)
    paths = RepositoryPaths(source, _uri_bases(run), options)
    reader = RunReader(source, pointer, tool, override, rules, paths, options)
    findings = []
    results = run.get("results") or []
    for index, result in enumerate(results):
        results[index] = None  # let each result go once read: its finding reuses the memory
        found = reader.finding(index, result)
        if found is not None:
            findings.append(found)
    categories = {f["category"] for f in findings} | {_category(tool, {}, override)}
    scan = {
        "tool": tool,
        "version": version,
        "source": source,
        "format": "sarif",
        "categories": sorted(categories),
        "finding_count": len(findings),
        "inconclusive": bool(skipped),
        "skipped": skipped,
    }
    return scan, findings


def read_log(
    data: bytes, source: str, override: str | None, options: ReadOptions | None = None
) -> ScanReport:
    options = options or ReadOptions()
    document = parse_report(data, source)
    if not isinstance(document, dict) or not isinstance(document.get("runs"), list):
        raise EvidenceError("not a SARIF log: expected an object with a 'runs' array", path=source)
    if document.get("version") != "2.1.0":
        raise EvidenceError(
            f"unsupported SARIF version {document.get('version')!r} (supported: 2.1.0)",
            path=source,
        )
    check_types(document, source)
    scans, findings = [], []
    for index, run in enumerate(document["runs"]):
        scan, run_findings = read_run(run, source, f"/runs/{index}", override, options)
        scans.append(scan)
        findings.extend(run_findings)
    return scans, findings


def collect(entries: list[Any], context: CollectContext) -> dict[str, Any]:
    scans, findings = [], Findings()
    for index, entry in enumerate(entries):
        setting = f"evidence.sarif[{index}]"
        pattern, override = (entry, None) if isinstance(entry, str) else (
            entry["path"], entry.get("category"))
        options = entry_options(entry, context, setting)
        for path in context.expand(pattern, setting):
            source = context.display_path(path)
            run_scans, run_findings = read_log(context.read(path, NAME), source, override, options)
            scans.extend(run_scans)
            findings.extend(run_findings)
    return {"scans": {"runs": scans, "findings": findings}}
