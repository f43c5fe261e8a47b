"""modelscan JSON (``modelscan scan -r json``) -> scanned and skipped model files, issues, errors.

Run it with ``--show-skipped``: a model file the report does not name was not looked at, and a
file modelscan skipped was not scanned. Scanner ``errors`` are kept: they are never a pass.
"""

from __future__ import annotations

from typing import Any

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence.context import CollectContext
from gatekeeper.evidence.model_scans import model_files
from gatekeeper.jsonio import parse_json
from gatekeeper.schemas import check_shape

NAME = "modelscan"


def _list(document: dict[str, Any], key: str, path: str) -> list[dict[str, Any]]:
    value = document.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise EvidenceError(f"modelscan report: {key!r} must be a list of objects", path=path)
    return value


def _report(data: bytes, path: str) -> dict[str, Any]:
    document = parse_json(data, path)
    summary = document.get("summary") if isinstance(document, dict) else None
    if not isinstance(summary, dict) or "modelscan_version" not in summary:
        raise EvidenceError(
            "not a modelscan JSON report (no summary.modelscan_version)",
            path=path,
            hint="write it with `modelscan scan -p PATH -r json -o FILE --show-skipped`",
        )
    check_shape(document, "shape-modelscan", path, "modelscan JSON report", EvidenceError)
    report: dict[str, Any] = document
    return report


def read_report(
    data: bytes, path: str, root: str | None, context: CollectContext
) -> dict[str, Any]:
    document = _report(data, path)
    summary = document["summary"]

    def located(reported: Any) -> str | None:
        return model_files.scanned_path(str(reported), root, context) if reported else None

    scanned = (summary.get("scanned") or {}).get("scanned_files") or []
    skipped = (summary.get("skipped") or {}).get("skipped_files") or []
    files = [{"tool": NAME, "source": path, "path": located(name), "status": "scanned",
              "reason": None} for name in scanned]
    files += [
        {"tool": NAME, "source": path, "path": located(item.get("source")), "status": "skipped",
         "reason": f"{item.get('category')}: {item.get('description')}"}
        for item in skipped if isinstance(item, dict)
    ]
    issues = []
    for index, issue in enumerate(_list(document, "issues", path)):
        severity = str(issue.get("severity", "")).lower()
        if severity not in model_files.SEVERITIES:
            raise EvidenceError(
                f"modelscan report: issues[{index}] has unknown severity {issue.get('severity')!r}",
                path=path,
            )
        parts = (issue.get("module"), issue.get("operator"))
        operator = ".".join(str(part) for part in parts if part)
        file = located(issue.get("source"))
        issues.append({
            "tool": NAME, "source": path, "path": file, "severity": severity,
            "operator": operator or None, "message": str(issue.get("description") or operator),
            "key": f"{NAME}:{operator}@{file}",
        })
    errors = [
        {"tool": NAME, "source": path, "path": located(error.get("source")),
         "message": f"{error.get('category', 'error')}: {error.get('description', '')}".strip()}
        for error in _list(document, "errors", path)
    ]
    run = {
        "tool": NAME, "version": summary.get("modelscan_version"), "source": path,
        "scanned_at": summary.get("timestamp"), "files_scanned": len(scanned),
        "files_skipped": len(skipped), "issue_count": len(issues), "error_count": len(errors),
    }
    return {"run": run, "files": files, "issues": issues, "errors": errors}


def collect(entries: list[Any], context: CollectContext) -> dict[str, Any]:
    return model_files.collect(entries, context, NAME, read_report)
