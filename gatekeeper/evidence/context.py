"""What every collector shares: where the files are, and the record of what was read."""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gatekeeper.errors import EvidenceError
from gatekeeper.jsonio import DEFAULT_READ_LIMIT, read_bytes, sha256_bytes

_GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True)
class SourceRecord:
    """One evidence file as it was read: its path, its digest, and who read it."""

    path: str
    sha256: str
    collector: str

    def to_dict(self) -> dict[str, str]:
        return {"path": self.path, "sha256": self.sha256, "collector": self.collector}


@dataclass
class CollectContext:
    base_dir: Path
    thresholds: dict[str, Any] = field(default_factory=dict)
    sources: list[SourceRecord] = field(default_factory=list)
    # The loaded ``trust:`` section (gatekeeper.evidence.signing.trust.Trust), for collectors that
    # verify signatures.
    trust: Any = None
    # The repository's top folder (gatekeeper.config.repository_root): evidence is read from
    # inside it, or from a folder listed in ``outside_repository``, and nowhere else.
    root: Path | None = None
    outside_repository: tuple[Path, ...] = ()
    # Evidence kind -> the most bytes one of its files may weigh (``limits:``).
    limits: dict[str, int] = field(default_factory=dict)
    # The file last read, for errors that happen while a collector works on it.
    reading: Path | None = None

    def display_path(self, path: Path) -> str:
        """The path as reports show it: relative to the config file's folder, POSIX style."""
        return Path(os.path.relpath(path, self.base_dir)).as_posix()

    def expand(self, pattern: str, setting: str) -> list[Path]:
        """Files named by ``pattern`` (a path or a glob, relative to the config's folder).

        A configured source that names nothing is an error, never an empty pass.
        """
        if not _GLOB_CHARS.intersection(pattern):
            path = self.base_dir / pattern
            if not path.exists():
                raise EvidenceError(
                    f"configured in {setting} but not found", path=self.display_path(path)
                )
            self.check_inside(path, setting)
            return [path]
        matches = sorted(glob.glob(pattern, root_dir=self.base_dir, recursive=True))
        files = [self.base_dir / match for match in matches if (self.base_dir / match).is_file()]
        for path in files:
            self.check_inside(path, setting)
        if not files:
            raise EvidenceError(f"{setting}: the pattern {pattern!r} matches no file")
        return files

    def expand_one(self, pattern: str, setting: str, why: str = "") -> Path:
        """The one file a setting names (a bundle signs one artifact, a manifest describes one
        system); a glob that matches several is an error, ``why`` says why one."""
        paths = self.expand(pattern, setting)
        if len(paths) != 1:
            raise EvidenceError(
                f"{setting}: {pattern!r} names {len(paths)} files; name exactly one{why}"
            )
        return paths[0]

    def check_inside(self, path: Path, setting: str) -> None:
        """``path``, symbolic links resolved, lies in the repository or an allowed folder."""
        if self.root is None:
            return
        real = path.resolve()
        if any(real.is_relative_to(folder) for folder in (self.root, *self.outside_repository)):
            return
        raise EvidenceError(
            f"{setting}: resolves to {real}, outside the repository ({self.root})",
            path=self.display_path(path),
            hint="gatekeeper reads evidence from the repository only; list a folder under "
            "`outside_repository:` in gatekeeper.yaml to allow it",
        )

    def read(self, path: Path, collector: str) -> bytes:
        """Read an evidence file and record it (path, sha256, collector).

        The file must lie inside the repository, be a regular file, and weigh no more than
        the limit of its kind."""
        self.check_inside(path, f"evidence.{collector}")
        self.reading = path
        limit = self.limits.get(collector, DEFAULT_READ_LIMIT)
        data = read_bytes(path, limit=limit, setting=f"limits.{collector}")
        self.record(path, sha256_bytes(data), collector)
        return data

    def record(self, path: Path, sha256: str, collector: str) -> None:
        self.sources.append(SourceRecord(self.display_path(path), sha256, collector))
