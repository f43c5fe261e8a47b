"""What the model-file scanners (modelscan, picklescan, ModelAudit) share: their config entries,
the paths they report, and the ``model_scans`` section they fill.

A scanner names files relative to the folder it scanned (modelscan) or by absolute path
(picklescan, ModelAudit). An entry may say which folder that was (``root``, relative to
gatekeeper.yaml); paths are then made relative to gatekeeper.yaml so they equal the
artifacts' paths. Without a root, a relative path is kept as reported and policies match it
as a path suffix.

Each file entry carries ``report_mtime_us``, when its report was written: a scanner that
records no sha256 (modelscan, picklescan) covers a model by path only when its report is newer
than the model file (SDL-model-files-scanned).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any

from gatekeeper.evidence.context import CollectContext

SEVERITIES = ("info", "low", "medium", "high", "critical")


def entry_settings(entry: Any) -> tuple[str, str | None]:
    """(path pattern, root) of one configured scan: a string, or ``{path, root}``."""
    if isinstance(entry, str):
        return entry, None
    return entry["path"], entry.get("root")


def scanned_path(reported: str, root: str | None, context: CollectContext) -> str:
    """The artifact path a scanner's file name stands for (an archive member names its file)."""
    name = reported.split(":", 1)[0]  # "model.pt:archive/data.pkl" is a member of model.pt
    path = Path(name)
    if root is not None and not path.is_absolute():
        path = context.base_dir / root / path
    if path.is_absolute():
        resolved = Path(os.path.normpath(path))
        if resolved.is_relative_to(context.base_dir):
            return context.display_path(resolved)
        return resolved.as_posix()
    return PurePosixPath(os.path.normpath(name)).as_posix()


Reader = Callable[[bytes, str, "str | None", CollectContext], dict[str, Any]]


def collect(entries: list[Any], context: CollectContext, name: str, read: Reader) -> dict[str, Any]:
    """Read every configured report of one scanner into the ``model_scans`` section."""
    found: dict[str, list[Any]] = {"runs": [], "files": [], "issues": [], "errors": []}
    for index, entry in enumerate(entries):
        pattern, root = entry_settings(entry)
        for path in context.expand(pattern, f"evidence.{name}[{index}]"):
            report = read(context.read(path, name), context.display_path(path), root, context)
            written_us = path.stat().st_mtime_ns // 1000
            for file in report["files"]:
                file["report_mtime_us"] = written_us
            found["runs"].append(report["run"])
            for key in ("files", "issues", "errors"):
                found[key] += report[key]
    return {"model_scans": found}
