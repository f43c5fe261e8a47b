"""Native scanner JSON -> the same scan runs and findings as SARIF (the ``scans`` section).

``evidence.scanners`` lists report files, each a path (or glob) or ``{path, tool, categories,
root, trust_suppressions}``.
The tool is recognized from the content when exactly one reader claims the file; naming it is
required when the content cannot say (an empty list: a clean gitleaks run, or an empty
pip-audit 1.x report) and always accepted. A named tool must match the content. ``categories``
adds what a run covered when the report cannot show it (a clean ``trivy fs --scanners secret``
leaves no trace of the secret scanner in its JSON). ``root`` is the folder the scanner ran in
(relative to gatekeeper.yaml), so its paths become repository paths; ``trust_suppressions``
lets the tool's own suppressions waive findings (docs/scanners.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence.context import CollectContext
from gatekeeper.evidence.scans import (
    bandit,
    checkov,
    gitleaks,
    grype,
    osv_scanner,
    pip_audit,
    trivy,
)
from gatekeeper.evidence.scans.findings_index import Findings
from gatekeeper.evidence.scans.scan_results import (
    ReadOptions,
    ScanReport,
    entry_options,
    parse_report,
)


class ScannerReader(Protocol):
    """A reader of one scanner's native JSON report (a module of this package): the tool's
    name, whether a parsed report is that tool's, and the report as scan runs and findings.
    ``read`` is only given a document its ``detect`` claimed (or the user named the tool and
    the document matched), so it may assume the report's outer shape."""

    TOOL: str

    def detect(self, document: Any) -> bool: ...

    def read(self, document: Any, source: str, options: ReadOptions) -> ScanReport: ...


NAME = "scanners"
# Annotated, so mypy checks each module against ScannerReader (inferred, they would be ModuleType).
SCANNER_READERS: tuple[ScannerReader, ...] = (
    trivy, grype, pip_audit, osv_scanner, gitleaks, checkov, bandit,
)
READERS: dict[str, ScannerReader] = {reader.TOOL: reader for reader in SCANNER_READERS}
# Tools whose clean report is an empty list, which no reader can claim by content.
EMPTY_LIST_REPORTS = {gitleaks.TOOL, pip_audit.TOOL}


@dataclass(frozen=True)
class ScannerEntry:
    pattern: str
    tool: str | None

    @classmethod
    def parse(cls, entry: Any) -> ScannerEntry:
        if isinstance(entry, str):
            return cls(entry, None)
        return cls(entry["path"], entry.get("tool"))


def detect_tool(document: Any, source: str) -> str:
    claimed = [tool for tool, reader in READERS.items() if reader.detect(document)]
    hint = f"name the tool: {{path: {source}, tool: <{'|'.join(READERS)}>}}"
    if not claimed:
        raise EvidenceError("cannot tell which scanner wrote this report", path=source, hint=hint)
    if len(claimed) > 1:
        raise EvidenceError(
            f"the report fits more than one scanner ({', '.join(claimed)})", path=source,
            hint=hint,
        )
    return claimed[0]


def check_named_tool(tool: str, document: Any, source: str) -> None:
    if READERS[tool].detect(document) or (document == [] and tool in EMPTY_LIST_REPORTS):
        return
    try:
        actual = f" (it looks like a {detect_tool(document, source)} report)"
    except EvidenceError:
        actual = ""
    raise EvidenceError(f"not a {tool} JSON report{actual}", path=source)


def read_report(
    data: bytes, source: str, entry: ScannerEntry, options: ReadOptions
) -> ScanReport:
    document = parse_report(data, source)
    if entry.tool:
        check_named_tool(entry.tool, document, source)
        tool = entry.tool
    else:
        tool = detect_tool(document, source)
    return READERS[tool].read(document, source, options)


def collect(entries: list[Any], context: CollectContext) -> dict[str, Any]:
    unscored = context.thresholds["scanners"]["unscored_severity"]
    runs, findings = [], Findings()
    for index, raw in enumerate(entries):
        entry, setting = ScannerEntry.parse(raw), f"evidence.scanners[{index}]"
        options = entry_options(raw, context, setting, unscored)
        for path in context.expand(entry.pattern, setting):
            source = context.display_path(path)
            report_runs, report_findings = read_report(
                context.read(path, NAME), source, entry, options
            )
            runs += report_runs
            findings.extend(report_findings)
    return {"scans": {"runs": runs, "findings": findings}}
