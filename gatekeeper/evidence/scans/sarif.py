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
from typing import Any
from urllib.parse import unquote, urlsplit

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence.context import CollectContext
from gatekeeper.evidence.scans import bandit
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
# The enumerations of the SARIF 2.1.0 schema for the fields gatekeeper reads.
RESULT_KINDS = {"notApplicable", "pass", "fail", "review", "open", "informational"}
BASELINE_STATES = {"new", "unchanged", "updated", "absent"}
SUPPRESSION_KINDS = {"inSource", "external"}
SUPPRESSION_STATUSES = {"accepted", "underReview", "rejected"}
JSON_TYPES = {
    "object": dict, "array": list, "string": str, "integer": int, "boolean": bool,
}
# trivy's vulnerability message: "Package: openssl\nInstalled Version: 1.1.1c-r0\n..."
TRIVY_PACKAGE = re.compile(r"^Package: (?P<name>.+)$", re.MULTILINE)
TRIVY_VERSION = re.compile(r"^Installed Version: (?P<version>.+)$", re.MULTILINE)


class Log:
    """One SARIF file being read: its name for messages, and strict typed access by pointer."""

    def __init__(self, source: str):
        self.source = source

    def fail(self, pointer: str, problem: str) -> EvidenceError:
        return EvidenceError(
            f"{pointer or '/'}: {problem}", path=self.source,
            hint="the SARIF 2.1.0 schema (docs.oasis-open.org/sarif) gives each field's type",
        )

    def get(self, parent: dict[str, Any], key: str, kind: str, pointer: str) -> Any:
        """``parent[key]`` if present, checked to be of JSON type ``kind``; None if absent."""
        if key not in parent:
            return None
        value = parent[key]
        if not _is_type(value, kind):  # the pointer is built only for the message
            raise self.fail(f"{pointer}/{_escape(key)}",
                            f"expected {_article(kind)}, got {_describe(value)}")
        return value

    def items(
        self, parent: dict[str, Any], key: str, pointer: str
    ) -> list[tuple[str, dict[str, Any]]]:
        """The objects of the array ``parent[key]`` (absent: none), each with its pointer."""
        values = self.get(parent, key, "array", pointer) or []
        where = f"{pointer}/{_escape(key)}"
        for index, value in enumerate(values):
            if not isinstance(value, dict):
                raise self.fail(f"{where}/{index}", f"expected an object, got {_describe(value)}")
        return [(f"{where}/{index}", value) for index, value in enumerate(values)]

    def enum(self, parent: dict[str, Any], key: str, allowed: set[str], pointer: str) -> Any:
        value = self.get(parent, key, "string", pointer)
        if value is not None and value not in allowed:
            raise self.fail(
                f"{pointer}/{_escape(key)}",
                f"{value!r} is not one of {', '.join(sorted(allowed))}",
            )
        return value

    def score(self, properties: dict[str, Any], pointer: str) -> float | None:
        """``security-severity``: a number (or a numeric string, as GitHub reads it) in [0, 10]."""
        if "security-severity" not in properties:
            return None
        value = properties["security-severity"]
        where = f"{pointer}/security-severity"
        number = _number(value)
        if number is None or not math.isfinite(number) or not 0.0 <= number <= 10.0:
            raise self.fail(where, f"security-severity must be a number in [0, 10], got {value!r}")
        return number


def _is_type(value: Any, kind: str) -> bool:
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, JSON_TYPES[kind])


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


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _article(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def _describe(value: Any) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean",
             int: "an integer", float: "a number", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def _text(log: Log, parent: dict[str, Any], key: str, pointer: str) -> str:
    message = log.get(parent, key, "object", pointer)
    if message is None:
        return ""
    where = f"{pointer}/{key}"
    for field in ("text", "markdown", "id"):
        value = log.get(message, field, "string", where)
        if value:
            return str(value)
    return ""


def _location(log: Log, result: dict[str, Any], pointer: str) -> tuple[Any, ...]:
    """The first physical location: its uri, start line, the pointer to the uri, and the
    uri's base id (``uriBaseId``)."""
    for where, location in log.items(result, "locations", pointer):
        physical = log.get(location, "physicalLocation", "object", where)
        if physical is None:
            continue
        where = f"{where}/physicalLocation"
        artifact = log.get(physical, "artifactLocation", "object", where) or {}
        uri = log.get(artifact, "uri", "string", f"{where}/artifactLocation")
        base_id = log.get(artifact, "uriBaseId", "string", f"{where}/artifactLocation")
        region = log.get(physical, "region", "object", where) or {}
        line = log.get(region, "startLine", "integer", f"{where}/region")
        return uri, line if line and line > 0 else None, f"{where}/artifactLocation/uri", base_id
    return None, None, "", None


def _uri_bases(log: Log, run: dict[str, Any], pointer: str) -> dict[str, str]:
    """``originalUriBaseIds`` that are absolute ``file:`` URIs: base id -> folder path."""
    bases = log.get(run, "originalUriBaseIds", "object", pointer) or {}
    folders = {}
    for base_id in bases:
        where = f"{pointer}/originalUriBaseIds"
        location = log.get(bases, base_id, "object", where) or {}
        uri = log.get(location, "uri", "string", f"{where}/{_escape(base_id)}") or ""
        parts = urlsplit(uri)
        if parts.scheme == "file" and parts.path.startswith("/"):
            folders[base_id] = unquote(parts.path)
    return folders


def _resolved(uri: str | None, base_id: str | None, bases: dict[str, str],
              options: ReadOptions) -> str | None:
    """The repository path of a uri whose base id names a folder inside the repository (a scan
    made in this checkout, e.g. trivy's ROOTPATH); None otherwise (then ``root:`` applies)."""
    folder = bases.get(base_id or "")
    if not uri or not folder or not options.base or urlsplit(uri).scheme:
        return None
    absolute = posixpath.normpath(posixpath.join(folder, unquote(uri)))
    relative = posixpath.relpath(absolute, options.base)
    return None if relative == ".." or relative.startswith("../") else relative


class RepositoryPaths:
    """The repository path of each (uri, uriBaseId) of one run, worked out once: a run of
    50,000 results names a few hundred files. A uri that points outside the repository is an
    EvidenceError the first time it is met, so only paths are remembered."""

    def __init__(self, log: Log, bases: dict[str, str], options: ReadOptions):
        self.log, self.bases, self.options = log, bases, options
        self.known: dict[tuple[Any, str | None], str | None] = {}

    def resolve(self, uri: Any, base_id: str | None, pointer: str) -> str | None:
        key = (uri, base_id)
        if key not in self.known:
            self.known[key] = _resolved(uri, base_id, self.bases, self.options) or (
                repository_path(uri, self.options, self.log.source, pointer, uri=True))
        return self.known[key]


def _category(tool: str, rule: dict[str, Any], override: str | None) -> str:
    """The scan category; ``read_run`` has refused a tool with no known category."""
    if override:
        return override
    name = tool.lower()
    if name == "trivy":
        return TRIVY_RULE_CATEGORIES.get(str(rule.get("name", "")).lower(), "container")
    return TOOL_CATEGORIES[name]


def _severity(
    log: Log, rule: tuple[str, dict[str, Any]], result: dict[str, Any], pointer: str, level: str
) -> tuple[str, float | None]:
    rule_pointer, rule_object = rule
    properties = log.get(result, "properties", "object", pointer) or {}
    score = log.score(properties, f"{pointer}/properties")
    if score is None:
        rule_properties = log.get(rule_object, "properties", "object", rule_pointer) or {}
        score = log.score(rule_properties, f"{rule_pointer}/properties")
    if score is not None:
        return cvss_severity(score), score
    native = str(properties.get("issue_severity", "")).lower()  # bandit
    if native in TOOL_SEVERITIES:
        return native, None
    return LEVEL_SEVERITY.get(level, "medium"), None


def _rules(log: Log, driver: dict[str, Any], pointer: str) -> list[tuple[str, dict[str, Any]]]:
    rules = log.items(driver, "rules", pointer)
    for where, rule in rules:
        log.get(rule, "id", "string", where)
        log.get(rule, "name", "string", where)
        config = log.get(rule, "defaultConfiguration", "object", where) or {}
        log.enum(config, "level", set(LEVEL_SEVERITY), f"{where}/defaultConfiguration")
        log.get(rule, "properties", "object", where)
    return rules


def _rule_for(
    log: Log, result: dict[str, Any], pointer: str, rules: list[tuple[str, dict[str, Any]]]
) -> tuple[str, dict[str, Any]]:
    index: int | None = log.get(result, "ruleIndex", "integer", pointer)
    if index is not None and 0 <= index < len(rules):
        return rules[index]
    reference = log.get(result, "rule", "object", pointer) or {}
    rule_id = log.get(result, "ruleId", "string", pointer) or log.get(
        reference, "id", "string", f"{pointer}/rule")
    for found in rules:
        if rule_id is not None and found[1].get("id") == rule_id:
            return found
    return "", {}


def _suppression(log: Log, result: dict[str, Any], pointer: str) -> str | None:
    """The justification of an accepted suppression ("" when none is given); None when the
    result is not suppressed (no suppression, or all under review or rejected)."""
    reasons = []
    for where, suppression in log.items(result, "suppressions", pointer):
        log.enum(suppression, "kind", SUPPRESSION_KINDS, where)
        status = log.enum(suppression, "status", SUPPRESSION_STATUSES, where) or "accepted"
        justification = log.get(suppression, "justification", "string", where)
        if status == "accepted":
            reasons.append(justification or "")
    return "; ".join(reason for reason in reasons if reason) if reasons else None


def _key(tool: str, category: str | None, rule_id: str, message: str, path: str | None,
         line: int | None) -> str:
    """The key the tool's native JSON reader gives the same finding (docs/scanners.md)."""
    if tool.lower() == "trivy" and category in VULNERABILITY_CATEGORIES:
        name, version = TRIVY_PACKAGE.search(message), TRIVY_VERSION.search(message)
        if name and version:
            return package_key(rule_id, name["name"].strip(), version["version"].strip())
    return finding_key(rule_id, path, line)


def _finding(
    log: Log,
    run_info: tuple[str, str | None, RepositoryPaths],
    rules: list[tuple[str, dict[str, Any]]],
    pointer: str,
    result: dict[str, Any],
    options: ReadOptions,
) -> dict[str, Any] | None:
    tool, override, paths = run_info
    kind = log.enum(result, "kind", RESULT_KINDS, pointer) or "fail"
    baseline = log.enum(result, "baselineState", BASELINE_STATES, pointer)
    level = log.enum(result, "level", set(LEVEL_SEVERITY), pointer)
    suppression = _suppression(log, result, pointer)
    rule_pointer, rule = _rule_for(log, result, pointer, rules)
    rule_id = log.get(result, "ruleId", "string", pointer) or rule.get("id") or "unknown"
    level = level or (rule.get("defaultConfiguration") or {}).get("level") or "warning"
    severity, score = _severity(log, (rule_pointer, rule), result, pointer, level)
    uri, line, uri_pointer, base_id = _location(log, result, pointer)
    path = paths.resolve(uri, base_id, uri_pointer)
    if kind in NOT_FINDINGS or baseline == "absent":
        return None  # checked as strictly as a failure first: one rule for every result
    category = _category(tool, rule, override)
    message = _text(log, result, "message", pointer)
    return {
        "tool": tool,
        "category": category,
        "rule_id": rule_id,
        "rule_name": rule.get("name"),
        "level": level,
        "severity": severity,
        "security_severity": score,
        "message": message or _text(log, rule, "shortDescription", rule_pointer),
        "file": path,
        "line": line,
        "suppressed": suppression is not None,
        "suppression_trusted": suppression is not None and options.trust_suppressions,
        "suppression": suppression,
        "key": _key(tool, category, rule_id, message, path, line),
        "source": log.source,
    }


def _execution_problems(log: Log, run: dict[str, Any], pointer: str) -> list[dict[str, str]]:
    """Why the tool's own record says this run cannot be trusted as a scan."""
    problems = []
    for where, invocation in log.items(run, "invocations", pointer):
        success = log.get(invocation, "executionSuccessful", "boolean", where)
        if success is None:
            raise log.fail(where, "an invocation must say executionSuccessful (true or false)")
        if not success:
            reason = "the tool reports executionSuccessful: false"
            problems.append({"name": where, "reason": reason})
        for note_where, note in log.items(invocation, "toolExecutionNotifications", where):
            level = log.enum(note, "level", set(LEVEL_SEVERITY), note_where) or "warning"
            if level == "error":
                text = _text(log, note, "message", note_where) or "no message"
                problems.append({"name": note_where, "reason": f"tool execution error: {text}"})
    return problems


def _coverage_problems(log: Log, run: dict[str, Any], pointer: str) -> list[dict[str, str]]:
    results = run.get("results")
    if results is None:
        state = "null" if "results" in run else "absent"
        reason = f"'results' is {state}: the tool did not record a scan result"
        return [{"name": f"{pointer}/results", "reason": reason}]
    artifacts = log.items(run, "artifacts", pointer)
    if "artifacts" in run and not artifacts and not results:
        reason = "the run lists no artifact and no result: it scanned nothing"
        return [{"name": f"{pointer}/artifacts", "reason": reason}]
    return []


def read_run(
    log: Log, run: dict[str, Any], pointer: str, override: str | None, options: ReadOptions
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    tool_object = log.get(run, "tool", "object", pointer)
    if tool_object is None:
        raise log.fail(pointer, "a run must name its tool ('tool.driver')")
    driver = log.get(tool_object, "driver", "object", f"{pointer}/tool")
    if driver is None:
        raise log.fail(f"{pointer}/tool", "a tool must have a 'driver'")
    driver_pointer = f"{pointer}/tool/driver"
    tool = log.get(driver, "name", "string", driver_pointer) or "unknown"
    version = log.get(driver, "semanticVersion", "string", driver_pointer) or log.get(
        driver, "version", "string", driver_pointer)
    if not override and tool.lower() != "trivy" and tool.lower() not in TOOL_CATEGORIES:
        raise EvidenceError(
            f"cannot tell which kind of scan the SARIF tool {tool!r} performs",
            path=log.source,
            hint=f"name it in the config: {{path: {log.source}, category: "
                 f"<{'|'.join(CATEGORIES)}>}}",
        )
    rules = _rules(log, driver, driver_pointer)
    bases = _uri_bases(log, run, pointer)
    skipped = _execution_problems(log, run, pointer) + _coverage_problems(log, run, pointer)
    if tool.lower() == "bandit":
        properties = log.get(run, "properties", "object", pointer) or {}
        skipped += bandit.hidden_by_nosec(properties.get("metrics"), options)
    findings = []
    run_info = (tool, override, RepositoryPaths(log, bases, options))
    results = [] if run.get("results") is None else log.items(run, "results", pointer)
    for where, result in results:
        found = _finding(log, run_info, rules, where, result, options)
        if found is not None:
            findings.append(found)
    categories = {f["category"] for f in findings} | {_category(tool, {}, override)}
    scan = {
        "tool": tool,
        "version": version,
        "source": log.source,
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
    log = Log(source)
    scans, findings = [], []
    for pointer, run in log.items(document, "runs", ""):
        scan, run_findings = read_run(log, run, pointer, override, options)
        scans.append(scan)
        findings.extend(run_findings)
    return scans, findings


def collect(entries: list[Any], context: CollectContext) -> dict[str, Any]:
    scans, findings = [], []
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
