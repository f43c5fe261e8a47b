"""picklescan's text output (it has no JSON mode) -> scanned model files, issues, errors.

picklescan names a file only when it flags it, cannot parse it, or (with ``-l DEBUG``) scans
it: run it with ``-l DEBUG`` so a clean file is on record as scanned. Its summary block must be
there; without it the scan did not finish. Suspicious globals are only counted by picklescan,
so they become one issue, on the one file with imported globals when ``-l DEBUG`` lists a single
one, else naming the candidate files.
"""

from __future__ import annotations

import re
from typing import Any

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence.context import CollectContext
from gatekeeper.evidence.model_scans import model_files
from gatekeeper.jsonio import decode_text

NAME = "picklescan"
SUMMARY = "----------- SCAN SUMMARY -----------"
_FOUND = re.compile(
    r"^(?P<file>.+): (?P<safety>dangerous|suspicious) import '(?P<module>\S+) (?P<name>.+?)' FOUND"
)
_SCANNED = re.compile(r"^scan_bytes\((?P<file>.+)\)$")
_GLOBALS = re.compile(r"^Global imports in (?P<file>.+?): \{.+\}$")
_NOT_PICKLE = re.compile(r"^WARNING: could not parse (?P<file>.+?) as pickle: (?P<why>.*)$")
_PARSE_ERROR = re.compile(r"^ERROR: parsing pickle in (?P<file>.+?): (?P<why>.*)$")
_ZIP_ERROR = re.compile(r"^Invalid file (?P<member>.+) in zip archive (?P<file>.+?): (?P<why>.*)$")
_COUNT = re.compile(
    r"^(?P<key>Scanned files|Infected files|Suspicious globals|Dangerous globals): (?P<n>\d+)$"
)
SEVERITY = {"dangerous": "critical", "suspicious": "medium"}


def _summary(lines: list[str], path: str) -> dict[str, int]:
    if SUMMARY not in lines:
        raise EvidenceError(
            "not picklescan output, or the scan did not finish (no SCAN SUMMARY block)",
            path=path,
            hint="save the whole output: picklescan -l DEBUG -p PATH > picklescan.txt",
        )
    counts = {}
    for line in lines[lines.index(SUMMARY) + 1:]:
        match = _COUNT.match(line)
        if match:
            counts[match["key"]] = int(match["n"])
    if "Scanned files" not in counts:
        raise EvidenceError("picklescan summary without 'Scanned files'", path=path)
    return counts


def read_output(
    data: bytes, path: str, root: str | None, context: CollectContext
) -> dict[str, Any]:
    lines = [line.rstrip() for line in decode_text(data, path).splitlines()]
    counts = _summary(lines, path)
    statuses: dict[str, tuple[str, str | None]] = {}
    issues: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    with_globals: list[str] = []

    def located(reported: str) -> str:
        return model_files.scanned_path(reported, root, context)

    for number, line in enumerate(lines, start=1):
        if match := _FOUND.match(line):
            file = located(match["file"])
            statuses.setdefault(file, ("scanned", None))
            operator = f"{match['module']}.{match['name']}"
            issues.append({
                "tool": NAME, "source": path, "path": file, "severity": SEVERITY[match["safety"]],
                "operator": operator,
                "message": f"{match['safety']} import {operator} (line {number})",
                "key": f"{NAME}:{operator}@{file}",
            })
        elif match := _GLOBALS.match(line):
            with_globals.append(located(match["file"]))
        elif match := _SCANNED.match(line):
            statuses.setdefault(located(match["file"]), ("scanned", None))
        elif match := _NOT_PICKLE.match(line):
            statuses[located(match["file"])] = ("skipped", f"not a pickle: {match['why']}")
        elif (match := _PARSE_ERROR.match(line)) or (match := _ZIP_ERROR.match(line)):
            file = located(match["file"])
            statuses[file] = ("error", match["why"])
            errors.append({"tool": NAME, "source": path, "path": file,
                           "message": f"line {number}: {line}"})
        elif line.startswith("Unhandled exception"):
            errors.append({"tool": NAME, "source": path, "path": None,
                           "message": f"line {number}: picklescan crashed ({line})"})
    unattributed = counts.get("Suspicious globals", 0)
    if unattributed:
        issues.append(_suspicious(unattributed, with_globals, path))
    files = [
        {"tool": NAME, "source": path, "path": file, "status": status, "reason": reason}
        for file, (status, reason) in sorted(statuses.items())
    ]
    run = {
        "tool": NAME, "version": None, "source": path, "scanned_at": None,
        "files_scanned": counts["Scanned files"],
        "files_skipped": sum(1 for f in files if f["status"] == "skipped"),
        "issue_count": len(issues), "error_count": len(errors),
    }
    return {"run": run, "files": files, "issues": issues, "errors": errors}


def _suspicious(count: int, with_globals: list[str], source: str) -> dict[str, Any]:
    """picklescan counts suspicious globals without naming their file: the issue names the one
    file that imports globals, or the candidates (``-l DEBUG`` lists each file's globals)."""
    candidates = sorted(set(with_globals))
    file = candidates[0] if len(candidates) == 1 else None
    where = "" if file or not candidates else (
        " in one of " + ", ".join(candidates[:5]) + (", ..." if len(candidates) > 5 else ""))
    return {
        "tool": NAME, "source": source, "path": file, "severity": "medium", "operator": None,
        "message": f"{count} suspicious global(s){where} (picklescan does not say which file)",
        "key": f"{NAME}:suspicious@{file or source}",
    }


def collect(entries: list[Any], context: CollectContext) -> dict[str, Any]:
    return model_files.collect(entries, context, NAME, read_output)
