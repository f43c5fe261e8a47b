"""ModelAudit JSON (``modelaudit scan --format json``) -> scanned model files, issues, errors.

ModelAudit records the sha256 of every file it scanned, so policies can match a scan to a
release artifact by digest, not only by path. Its severities are critical, warning, info and
debug (read as critical, medium, info, info). A report with ``has_errors`` or without
``success`` did not finish cleanly: that is an error, never a pass.
"""

from __future__ import annotations

import re
from typing import Any

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence.context import CollectContext
from gatekeeper.evidence.model_scans import model_files
from gatekeeper.jsonio import parse_json

NAME = "modelaudit"
SEVERITY = {"critical": "critical", "warning": "medium", "info": "info", "debug": "info"}
_POSITION = re.compile(r"\s+\(pos \d+\)$")


def _report(data: bytes, path: str) -> dict[str, Any]:
    document = parse_json(data, path)
    if not isinstance(document, dict) or not {"issues", "files_scanned", "has_errors"} <= set(
        document
    ):
        raise EvidenceError(
            "not a ModelAudit JSON report (needs issues, files_scanned, has_errors)",
            path=path,
            hint="write it with `modelaudit scan PATH --format json -o FILE`",
        )
    for key in ("issues", "assets"):
        items = document.get(key, [])
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            raise EvidenceError(f"ModelAudit report: {key!r} must be a list of objects", path=path)
    return document


def _sha256(metadata: Any, name: str) -> str | None:
    entry = metadata.get(name) if isinstance(metadata, dict) else None
    hashes = entry.get("file_hashes") if isinstance(entry, dict) else None
    digest = hashes.get("sha256") if isinstance(hashes, dict) else None
    return digest.lower() if isinstance(digest, str) else None


def read_report(
    data: bytes, path: str, root: str | None, context: CollectContext
) -> dict[str, Any]:
    document = _report(data, path)

    def located(reported: Any) -> str | None:
        return model_files.scanned_path(str(reported), root, context) if reported else None

    metadata = document.get("file_metadata")
    files = [
        {"tool": NAME, "source": path, "path": located(asset.get("path")), "status": "scanned",
         "reason": None, "sha256": _sha256(metadata, str(asset.get("path")))}
        for asset in document.get("assets", [])
    ]
    issues = []
    for index, issue in enumerate(document["issues"]):
        severity = SEVERITY.get(str(issue.get("severity", "")).lower())
        if severity is None:
            raise EvidenceError(
                f"ModelAudit report: issues[{index}] has unknown severity "
                f"{issue.get('severity')!r}",
                path=path,
            )
        details = issue.get("details") if isinstance(issue.get("details"), dict) else {}
        where = details.get("pickle_source") or _POSITION.sub("", str(issue.get("location") or ""))
        file = located(where)
        rule = issue.get("rule_code") or issue.get("type") or "issue"
        issues.append({
            "tool": NAME, "source": path, "path": file, "severity": severity,
            "operator": details.get("import_reference"),
            "message": f"{rule}: {issue.get('message', '')}",
            "key": f"{NAME}:{rule}@{file}:{issue.get('location')}",
        })
    errors = []
    if document["has_errors"]:
        errors.append({"tool": NAME, "source": path, "path": None,
                       "message": "ModelAudit reported operational errors (has_errors: true)"})
    if document.get("success") is False:
        errors.append({"tool": NAME, "source": path, "path": None,
                       "message": "ModelAudit did not complete the scan (success: false)"})
    run = {
        "tool": NAME, "version": None, "source": path, "scanned_at": None,
        "files_scanned": len(files), "files_skipped": 0, "issue_count": len(issues),
        "error_count": len(errors),
    }
    return {"run": run, "files": files, "issues": issues, "errors": errors}


def collect(entries: list[Any], context: CollectContext) -> dict[str, Any]:
    return model_files.collect(entries, context, NAME, read_report)
