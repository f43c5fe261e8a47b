"""The history commands end to end: check pushes after the verdict, history push|list|show|
trend|export, aggregate --history (SQLite; the store tests cover both backends)."""

from __future__ import annotations

import json
import socket

import pytest
from conftest import EXAMPLES, NOW, copy_example

from history.runs import example_results, variant


def _with_history(folder, history):
    config = folder / "gatekeeper.yaml"
    config.write_text(config.read_text() + history)
    return config


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize(("example", "exit_code"), [("model-release", 0), ("unsafe-release", 1)])
def test_both_examples_push_to_sqlite_when_a_history_is_configured(
    gatekeeper, tmp_path, example, exit_code
):
    folder = copy_example(EXAMPLES / example, tmp_path / example)
    _with_history(folder, "history: .gatekeeper/history.db\n")
    run = gatekeeper("check", "--now", NOW, cwd=folder)
    assert run.code == exit_code
    assert "run 1 stored in the history" in run.err
    listed = gatekeeper("history", "list", "-f", "json", cwd=folder)
    assert listed.code == 0
    (row,) = json.loads(listed.out)
    assert row["exit_code"] == exit_code
    assert (folder / ".gatekeeper" / "history.db").is_file()


def test_no_history_configured_pushes_nothing(gatekeeper, tmp_path, monkeypatch):
    monkeypatch.delenv("GATEKEEPER_HISTORY_URL", raising=False)
    folder = copy_example(EXAMPLES / "model-release", tmp_path / "ex")
    run = gatekeeper("check", "--now", NOW, cwd=folder)
    assert run.code == 0
    assert "history" not in run.err
    assert not (folder / ".gatekeeper").exists()


def test_the_environment_names_the_history(gatekeeper, tmp_path, monkeypatch):
    folder = copy_example(EXAMPLES / "model-release", tmp_path / "ex")
    monkeypatch.setenv("GATEKEEPER_HISTORY_URL", f"sqlite:///{tmp_path / 'env.db'}")
    assert gatekeeper("check", "--now", NOW, cwd=folder).code == 0
    assert (tmp_path / "env.db").is_file()


def test_a_failed_push_keeps_the_verdict_unless_the_history_is_required(gatekeeper, tmp_path):
    folder = copy_example(EXAMPLES / "model-release", tmp_path / "ex")
    unreachable = f"postgresql://gk@127.0.0.1:{_closed_port()}/history"
    run = gatekeeper("check", "--now", NOW, "--history", unreachable, cwd=folder)
    assert run.code == 0
    assert "warning: history not used" in run.err
    _with_history(folder, f"history:\n  url: {unreachable}\n  required: true\n")
    required = gatekeeper("check", "--now", NOW, cwd=folder)
    assert required.code == 3
    assert "history" in required.err and "127.0.0.1" in required.err


def test_history_required_must_be_a_boolean(gatekeeper, tmp_path):
    folder = copy_example(EXAMPLES / "model-release", tmp_path / "ex")
    _with_history(folder, "history:\n  url: h.db\n  required: 'yes'\n")
    run = gatekeeper("check", "--now", NOW, cwd=folder)
    assert run.code == 2
    assert "history" in run.err


def _results_files(folder, documents):
    paths = []
    for index, document in enumerate(documents):
        path = folder / f"results-{index}.json"
        path.write_text(json.dumps(document))
        paths.append(path)
    return paths


def test_push_list_show_trend_export(gatekeeper, tmp_path):
    db = str(tmp_path / "h.db")
    weeks = ["2026-10-01T00:00:00Z", "2026-10-08T00:00:00Z", "2026-10-15T00:00:00Z"]
    documents = [variant(example_results(), at=at, rates={"jailbreak": rate})
                 for at, rate in zip(weeks, (0.3, 0.2, 0.1), strict=True)]
    paths = _results_files(tmp_path, documents)
    pushed = gatekeeper("history", "push", *paths, "--history", db)
    assert pushed.code == 0
    assert pushed.err.count("stored in the history") == 3

    listed = gatekeeper("history", "list", "--history", db)
    assert listed.code == 0
    assert listed.out.splitlines()[1].split()[1] == weeks[-1]

    shown = gatekeeper("history", "show", "1", "-f", "json", "--history", db)
    assert json.loads(shown.out)["evaluated_at"] == weeks[0]
    assert "VERDICT" in gatekeeper("history", "show", "1", "--history", db).out

    trend = gatekeeper("history", "trend", "--system", "sentiment-scorer", "--metric",
                       "attack_success", "--label", "jailbreak", "--history", db)
    assert trend.code == 0
    assert [line.split()[-1] for line in trend.out.splitlines()[1:]] == ["0.3", "0.2", "0.1"]

    missing = gatekeeper("history", "trend", "--system", "nobody", "--metric", "level",
                         "--history", db)
    assert missing.code == 2

    out = tmp_path / "export.jsonl"
    assert gatekeeper("history", "export", "-o", out, "--history", db).code == 0
    lines = out.read_text().splitlines()
    assert [json.loads(line)["results"]["evaluated_at"] for line in lines] == weeks


def test_aggregate_from_the_history(gatekeeper, tmp_path):
    db = str(tmp_path / "h.db")
    documents = [variant(example_results(), system=name) for name in ("alpha", "beta")]
    paths = _results_files(tmp_path, documents)
    assert gatekeeper("history", "push", *paths, "--history", db).code == 0
    run = gatekeeper("aggregate", "--history", db, "-f", "json")
    assert run.code == 0
    assert [s["name"] for s in json.loads(run.out)["systems"]] == ["alpha", "beta"]
    both = gatekeeper("aggregate", paths[0], "--history", db)
    assert both.code == 2


def test_history_commands_without_a_history_are_a_usage_error(gatekeeper, tmp_path, monkeypatch):
    monkeypatch.delenv("GATEKEEPER_HISTORY_URL", raising=False)
    run = gatekeeper("history", "list", cwd=tmp_path)
    assert run.code == 2
    assert "no results history given" in run.err


def test_the_flag_beats_the_environment_and_a_file_path_is_relative_to_the_config(
    gatekeeper, tmp_path, monkeypatch
):
    folder = copy_example(EXAMPLES / "model-release", tmp_path / "ex")
    _with_history(folder, "history: kept/history.db\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert gatekeeper("check", "--now", NOW, "-c", folder / "gatekeeper.yaml",
                      "--results", elsewhere / "r.json", cwd=elsewhere).code == 0
    assert (folder / "kept" / "history.db").is_file()
    assert not (elsewhere / "kept").exists()
    monkeypatch.setenv("GATEKEEPER_HISTORY_URL", str(tmp_path / "env.db"))
    run = gatekeeper("check", "--now", NOW, "--history", tmp_path / "flag.db", cwd=folder)
    assert run.code == 0
    assert (tmp_path / "flag.db").is_file() and not (tmp_path / "env.db").exists()


def test_gatekeeper_starts_without_importing_the_database_libraries(tmp_path):
    """Only history code imports SQLAlchemy, Alembic and psycopg: a run without a history
    does not pay for them."""
    import subprocess
    import sys

    folder = copy_example(EXAMPLES / "model-release", tmp_path / "ex")
    script = (
        "import sys\n"
        "from gatekeeper.cli import cli\n"
        "from gatekeeper.config import load_config\n"
        "import gatekeeper.aggregate\n"
        f"load_config(__import__('pathlib').Path({str(folder / 'gatekeeper.yaml')!r}))\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('sqlalchemy', 'alembic', 'psycopg')))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"
