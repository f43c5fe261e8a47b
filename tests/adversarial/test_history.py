"""Attacks on the results history: credentials planted in the configuration, passwords leaked
in messages, duplicate pushes to inflate a trend, edited results, SQL in a subject name."""

from __future__ import annotations

import json
import socket

import pytest
from conftest import EXAMPLES, NOW, copy_example
from history.runs import example_results, variant

PASSWORD = "Hunter2-s3cr3t-Pw"


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _write(path, document):
    path.write_text(json.dumps(document))
    return path


def _runs(gatekeeper, db):
    listed = gatekeeper("history", "list", "-f", "json", "--history", db)
    assert listed.code == 0
    return json.loads(listed.out)


@pytest.mark.parametrize(
    "history",
    [
        f"history: postgresql://gk:{PASSWORD}@127.0.0.1/history\n",
        f"history:\n  url: postgresql://gk:{PASSWORD}@db.example/h\n  required: false\n",
    ],
)
def test_a_password_in_gatekeeper_yaml_is_refused_and_never_echoed(gatekeeper, tmp_path, history):
    folder = copy_example(EXAMPLES / "model-release", tmp_path / "ex")
    config = folder / "gatekeeper.yaml"
    config.write_text(config.read_text() + history)
    run = gatekeeper("check", "--now", NOW, cwd=folder)
    assert run.code == 2
    assert "credentials never go in this file" in run.err
    assert PASSWORD not in run.err + run.out
    assert not (folder / "gatekeeper-results.json").exists()  # refused before any run


def test_a_password_from_the_environment_never_appears_in_any_message(
    gatekeeper, tmp_path, monkeypatch
):
    folder = copy_example(EXAMPLES / "model-release", tmp_path / "ex")
    monkeypatch.setenv(
        "GATEKEEPER_HISTORY_URL", f"postgresql://gk:{PASSWORD}@127.0.0.1:{_closed_port()}/h"
    )
    run = gatekeeper("check", "--now", NOW, cwd=folder)
    assert run.code == 0  # history not required: the verdict stands
    assert "history not used" in run.err and "***" in run.err
    assert PASSWORD not in run.err + run.out
    assert PASSWORD not in (folder / "gatekeeper-results.json").read_text()
    listed = gatekeeper("history", "list", cwd=folder)
    assert listed.code == 3
    assert PASSWORD not in listed.err + listed.out


def test_a_bad_scheme_names_the_url_without_its_password(gatekeeper, tmp_path):
    run = gatekeeper("history", "list", "--history", f"mysql://gk:{PASSWORD}@h/db",
                     cwd=tmp_path)
    assert run.code == 2
    assert "unsupported URL scheme" in run.err
    assert PASSWORD not in run.err + run.out


def test_pushing_the_same_results_again_does_not_add_a_run(gatekeeper, tmp_path):
    db = str(tmp_path / "h.db")
    results = example_results()
    first = _write(tmp_path / "a.json", results)
    reformatted = tmp_path / "b.json"
    reformatted.write_text(json.dumps(results, indent=3, sort_keys=True))
    run = gatekeeper("history", "push", first, reformatted, first, "--history", db)
    assert run.code == 0
    assert run.err.count("already stored") == 2
    assert len(_runs(gatekeeper, db)) == 1


def test_an_edited_results_document_is_refused_and_nothing_is_stored(gatekeeper, tmp_path):
    """A failed run edited to say pass, pushed beside an honest one: exit 3, and not even the
    honest file is stored (all are checked before any is written)."""
    db = str(tmp_path / "h.db")
    edited = example_results()
    failing = next(c for c in edited["controls"] if c["outcome"] == "pass"
                   and c["enforcement"] == "blocking")
    failing["outcome"] = "fail"
    failing["messages"] = [{"message": "the model is unsigned"}]
    honest = _write(tmp_path / "honest.json", variant(example_results(), system="honest"))
    run = gatekeeper("history", "push", honest, _write(tmp_path / "edited.json", edited),
                     "--history", db)
    assert run.code == 3
    assert "refusing to store an altered results document" in run.err
    assert "stored in the history" not in run.err
    assert _runs(gatekeeper, db) == []


def test_a_summary_edited_to_hide_failures_is_refused(gatekeeper, tmp_path):
    db = str(tmp_path / "h.db")
    edited = example_results()
    edited["summary"] = {**edited["summary"], "fail": 0, "pass": edited["summary"]["pass"] + 2}
    run = gatekeeper("history", "push", _write(tmp_path / "e.json", edited), "--history", db)
    assert run.code == 3
    assert "its summary says" in run.err
    assert _runs(gatekeeper, db) == []


def test_a_results_document_of_another_schema_is_refused(gatekeeper, tmp_path):
    db = str(tmp_path / "h.db")
    document = {**example_results(), "schema_version": "0"}
    run = gatekeeper("history", "push", _write(tmp_path / "old.json", document), "--history", db)
    assert run.code == 3
    assert "schema version" in run.err
    assert _runs(gatekeeper, db) == []


@pytest.mark.parametrize(
    "name",
    ["x'); DROP TABLE runs; --", "a\" OR 1=1 --", "%", "robert_%_'", "名前; DELETE FROM runs"],
)
def test_sql_in_a_subject_name_is_stored_verbatim(gatekeeper, tmp_path, name):
    db = str(tmp_path / "h.db")
    other = _write(tmp_path / "other.json", variant(example_results(), system="other"))
    odd = _write(tmp_path / "odd.json", variant(example_results(), system=name))
    assert gatekeeper("history", "push", other, odd, "--history", db).code == 0
    assert sorted(r["system"] for r in _runs(gatekeeper, db)) == sorted(["other", name])
    only = gatekeeper("history", "list", "--system", name, "-f", "json", "--history", db)
    assert [r["system"] for r in json.loads(only.out)] == [name]
    trend = gatekeeper("history", "trend", "--system", name, "--metric", "level", "-f", "json",
                       "--history", db)
    assert trend.code == 0 and len(json.loads(trend.out)) == 1


def test_a_digest_prefix_with_wildcards_matches_nothing(gatekeeper, tmp_path):
    db = str(tmp_path / "h.db")
    assert gatekeeper("history", "push", _write(tmp_path / "a.json", example_results()),
                      "--history", db).code == 0
    for pattern in ("%", "_", "%%"):
        run = gatekeeper("history", "show", pattern, "--history", db)
        assert run.code == 2
        assert run.out == ""
