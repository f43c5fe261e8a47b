"""Shared test helpers: the CLI run in-process, and the shared evidence corpus."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from gatekeeper.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
CORPUS = ROOT.parent / "shared" / "corpus"
REFERENCE = ROOT.parent / "shared" / "reference"
SCHEMAS = ROOT.parent / "shared" / "schemas"
NOW = "2026-11-28T12:00:00Z"


def enabled_controls(config_path: Path, prefix: str = "") -> int:
    """How many shipped controls (whose id starts with ``prefix``) a configuration enables."""
    from gatekeeper.config import Enforcement, load_config
    from gatekeeper.engine.policies import load_policies

    profile = load_config(config_path).profile
    return sum(profile.enforcement(c.id) is not Enforcement.DISABLED
               for c in load_policies(()).controls if c.id.startswith(prefix))


def copy_example(source: Path, destination: Path) -> Path:
    """A private copy of an example to edit, without what a user's run left in it (the
    README's first command writes gatekeeper-results.json into examples/model-release)."""
    ignore = shutil.ignore_patterns("gatekeeper-results.json", "__pycache__")
    return Path(shutil.copytree(source, destination, ignore=ignore))


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def gatekeeper(capsys, monkeypatch):
    """Run the `gatekeeper` command in-process: gatekeeper("check", "-c", path, cwd=dir)."""

    def run(*args: str, cwd: Path | None = None) -> Run:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        capsys.readouterr()
        with pytest.raises(SystemExit) as exited:
            main([str(arg) for arg in args])
        captured = capsys.readouterr()
        return Run(exited.value.code, captured.out, captured.err)

    return run


def require_shared(path: Path) -> Path:
    """A file or folder of ``../shared`` (corpus, reference, schemas, seed), or a skip when a
    checkout has none beside it; CI sets GATEKEEPER_REQUIRE_SHARED=1 so that a missing
    ``../shared`` fails the run instead of silently skipping every real-evidence test."""
    if not path.exists():
        message = f"{path} is not here (../shared lives beside the project)"
        if os.environ.get("GATEKEEPER_REQUIRE_SHARED"):
            pytest.fail(message + "; GATEKEEPER_REQUIRE_SHARED is set", pytrace=False)
        pytest.skip(message)
    return path


@pytest.fixture
def corpus() -> Path:
    return require_shared(CORPUS)


@pytest.fixture
def reference() -> Path:
    return require_shared(REFERENCE)


@pytest.fixture(autouse=True)
def _no_color(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("GATEKEEPER_DEBUG", raising=False)
    os.environ.pop("RUST_BACKTRACE", None)


@pytest.fixture(autouse=True)
def _outside_ci(monkeypatch):
    """Evidence records the CI run from the environment: tests start outside any CI, so the
    results do not depend on where the suite runs; a test sets the variables it needs."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("GITLAB_CI", raising=False)
