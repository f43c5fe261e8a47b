"""The app over a private copy of examples/model-release: its real results (one `gatekeeper
check` per test session) and its attestations file with two documented answers added, so that
an answer given in the app can move a domain's level (INF is held at 2 by INF-Q4 and INF-Q5;
an attestation without evidence files scores at most 2, one with pinned files at most 3)."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest
from conftest import EXAMPLES, NOW, copy_example
from starlette.testclient import TestClient

from gatekeeper.cli import main
from gatekeeper.jsonio import sha256_file
from gatekeeper.serve.app import create_app
from gatekeeper.serve.project import Settings

FIXED_NOW = datetime(2026, 11, 28, 12, 0, tzinfo=timezone.utc)
PINNED = "docs/DR_DRILL_2026-10.md"
BASE_URL = "http://127.0.0.1"

DOCUMENTED = """\
  # Documented answers, added by the serve tests: pinned files let them reach 3.
  INF-Q4:
    score: 3
    evidence: docs/DR_DRILL_2026-10.md
    attested_by: Sam Okafor (platform security)
    date: "2026-11-01"
    expires: "2027-11-01"
    evidence_files:
      - path: {pinned}
        sha256: {sha256}
  INF-Q5:
    score: 1  # keep this comment
    evidence: docs/DR_DRILL_2026-10.md
    attested_by: Sam Okafor (platform security)
    date: "2026-11-01"
    expires: "2027-11-01"
    evidence_files:
      - path: {pinned}
        sha256: {sha256}
"""


@pytest.fixture(scope="session")
def example_results(tmp_path_factory) -> Path:
    """The example's results document, written by the real gate once per session."""
    folder = tmp_path_factory.mktemp("results")
    results = folder / "gatekeeper-results.json"
    config = EXAMPLES / "model-release" / "gatekeeper.yaml"
    with pytest.raises(SystemExit) as exited:
        main(["check", "-c", str(config), "--now", NOW, "--results", str(results),
              "--format", "json", "--output", str(folder / "stdout.json")])
    assert exited.value.code == 0
    return results


@pytest.fixture(scope="session")
def attested(example_results) -> list[str]:
    """The example's questions no control answered: the ones the app lets a person attest."""
    questions = json.loads(example_results.read_text())["maturity"]["questions"]
    return [q["id"] for q in questions if q["source"] != "controls"]


@pytest.fixture
def project(tmp_path, example_results) -> Path:
    """A copy of the example with its results and the two documented answers."""
    folder = copy_example(EXAMPLES / "model-release", tmp_path / "model-release")
    shutil.copy(example_results, folder / "gatekeeper-results.json")
    attestations = folder / "attestations.yaml"
    text = attestations.read_text()
    marker = "  IRR-Q1:\n"
    documented = DOCUMENTED.format(pinned=PINNED, sha256=sha256_file(folder / PINNED))
    attestations.write_text(text.replace(marker, documented + marker, 1))
    return folder


def settings_for(folder: Path, **extra) -> Settings:
    return Settings(
        folder / "gatekeeper.yaml", folder / "gatekeeper-results.json", now=lambda: FIXED_NOW,
        **extra,
    )


@pytest.fixture
def client(project) -> TestClient:
    return TestClient(create_app(settings_for(project)), base_url=BASE_URL)
