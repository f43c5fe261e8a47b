"""What the app serves: the configuration, the latest results, the attestations file.

All three are read again on every request, so a new `gatekeeper check` or an edit of the file
by hand shows on the next page; each is read with the code the commands use, and any problem
is a GatekeeperError naming the file (the page shows it, the command exits with its code).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from gatekeeper.attestations import verify_evidence_files
from gatekeeper.catalog.loader import Catalog, load_catalog
from gatekeeper.config import Config, load_config
from gatekeeper.errors import ConfigError, EvidenceError
from gatekeeper.pipeline import load_results
from gatekeeper.serve.attestations_file import Snapshot, read_snapshot
from gatekeeper.serve.scores import answered_by_controls, live_maturity

# What a browser sends as Host for a loopback server: another name pointing at 127.0.0.1
# (DNS rebinding) is refused.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


@dataclass(frozen=True)
class Settings:
    config_path: Path
    results_path: Path
    history_url: str | None = None
    token: str | None = None
    allowed_hosts: tuple[str, ...] = LOOPBACK_HOSTS  # the Host headers answered
    now: Callable[[], datetime] = field(default=_now)


@dataclass(frozen=True)
class Project:
    config: Config
    results: dict[str, Any]
    results_path: Path
    attestations: Snapshot | None  # None: no `attestations:` in the configuration
    catalog: Catalog

    @property
    def attestations_name(self) -> str | None:
        return self.config.attestations

    def editable(self) -> list[str]:
        """The questions no control answered in the results: attested here (catalog order)."""
        if self.attestations is None:
            return []
        return [q["id"] for q in self.results["maturity"]["questions"]
                if not answered_by_controls(q)]

    def answered(self) -> list[str]:
        return [q["id"] for q in self.results["maturity"]["questions"] if answered_by_controls(q)]

    def answers(self) -> dict[str, Any]:
        snapshot = self.attestations
        return dict(snapshot.attestations.answers) if snapshot and snapshot.attestations else {}


def evidence_problem(project: Project) -> str | None:
    """Why `gatekeeper check` would refuse the file's pinned evidence files now, if it would
    (a file missing or changed since it was attested), else None."""
    snapshot = project.attestations
    if snapshot is None or snapshot.attestations is None:
        return None
    try:
        verify_evidence_files(snapshot.attestations)
    except EvidenceError as error:
        return str(error)
    return None


_CONFIGS: dict[Path, tuple[tuple[int, int], Config]] = {}


def cached_config(path: Path) -> Config:
    """gatekeeper.yaml, read again only when it changed: reading it parses the shipped
    defaults with the strict YAML loader, most of a page's time otherwise."""
    try:
        stat = path.stat()
    except OSError:
        return load_config(path)  # its message names the file
    key = (stat.st_mtime_ns, stat.st_size)
    cached = _CONFIGS.get(path)
    if cached is None or cached[0] != key:
        _CONFIGS[path] = cached = (key, load_config(path))
    return cached[1]


def load_project(settings: Settings) -> Project:
    config = cached_config(settings.config_path)
    if not settings.results_path.exists():
        raise ConfigError(
            "results file not found", path=settings.results_path,
            hint="run `gatekeeper check` first, or give --results FILE",
        )
    results = load_results(settings.results_path)
    snapshot = (
        read_snapshot(config.base_dir / config.attestations) if config.attestations else None
    )
    return Project(config, results, settings.results_path, snapshot, load_catalog())


def shown(path: Path, base: Path) -> str:
    """A path relative to gatekeeper.yaml's folder when it is inside it."""
    try:
        return path.resolve().relative_to(base).as_posix()
    except ValueError:
        return str(path)


def page_state(project: Project, answers: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The questionnaire's state as data: what the JSON export and the live scores carry."""
    snapshot = project.attestations
    return {
        "subject": project.results["subject"],
        "results": {
            "file": shown(project.results_path, project.config.base_dir),
            "evaluated_at": project.results["evaluated_at"],
            "verdict": project.results["verdict"]["outcome"],
        },
        "attestations": None if snapshot is None else {
            "file": project.attestations_name,
            "sha256": snapshot.sha256,
            "answers": {q: a.to_dict() for q, a in answers.items()},
        },
        "scored_at": now.isoformat(),
        "editable": project.editable(),
        "maturity": live_maturity(project.results, answers, now, project.catalog),
    }
