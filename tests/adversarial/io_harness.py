"""What the adversarial modules of bounded inputs, outputs, timeouts and malformed evidence share:
a private copy of the passing example, a run of the gate on it, and the checks every case makes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import yaml
from conftest import EXAMPLES, NOW, copy_example


def release(tmp_path: Path) -> Path:
    """A private copy of examples/model-release (exit 0 as shipped); returns its folder."""
    return copy_example(EXAMPLES / "model-release", tmp_path / "repo")


def edit_config(folder: Path, change: Any) -> None:
    """Rewrite the copy's gatekeeper.yaml with ``change(config)`` applied."""
    path = folder / "gatekeeper.yaml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(config)
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")


def check(gatekeeper: Any, folder: Path, *extra: str) -> Any:
    """``gatekeeper check`` on the copy, results written beside its configuration."""
    return gatekeeper(
        "check", "-c", folder / "gatekeeper.yaml", "--now", NOW,
        "--results", folder / "gatekeeper-results.json", *extra,
    )  # fmt: skip


def assert_refused(run: Any, code: int, folder: Path, *named: str) -> None:
    """The run stopped with ``code``, said why (naming each of ``named``), printed no
    traceback, and left no results file that could be read as a verdict."""
    assert run.code == code, (run.code, run.err)
    assert "internal error" not in run.err and "Traceback" not in run.err, run.err
    for text in named:
        assert text in run.err, (text, run.err)
    assert not (folder / "gatekeeper-results.json").exists()


def results(folder: Path) -> dict[str, Any]:
    return orjson.loads((folder / "gatekeeper-results.json").read_bytes())


def passed_controls(document: dict[str, Any]) -> set[str]:
    return {c["id"] for c in document["controls"] if c["outcome"] == "pass"}
