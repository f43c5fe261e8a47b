"""The results store, the same tests on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import json
import threading

import pytest

from gatekeeper.aggregate import aggregate_history
from gatekeeper.errors import ConfigError
from gatekeeper.history.store import HistoryStore, open_store
from history.runs import example_results, variant

WEEKS = [f"2026-10-{day:02d}T09:00:00Z" for day in (1, 8, 15, 22, 29)]


def test_the_same_results_pushed_twice_are_one_run(history_url):
    store = open_store(history_url)
    results = example_results()
    first, again = store.push(results), store.push(json.loads(json.dumps(results, indent=7)))
    assert first.new and not again.new
    assert again.run_id == first.run_id
    assert len(store.runs()) == 1


def test_other_results_are_another_run_and_runs_list_newest_first(history_url):
    store = open_store(history_url)
    for at in WEEKS:
        store.push(variant(example_results(), at=at))
    listed = store.runs()
    assert [r["evaluated_at"] for r in listed] == sorted(WEEKS, reverse=True)
    assert [r["evaluated_at"] for r in store.runs(limit=2)] == sorted(WEEKS, reverse=True)[:2]
    assert store.runs(system="no-such-system") == []


def test_a_run_keeps_what_the_issue_lists(history_url):
    store = open_store(history_url)
    results = example_results()
    pushed = store.push(results)
    (row,) = store.runs()
    assert row["system"] == results["subject"]["name"]
    assert row["policy_digest"] == results["policy"]["digest"]
    assert row["verdict"] == results["verdict"]["outcome"]
    assert store.document(str(pushed.run_id)) == json.loads(json.dumps(results))
    assert store.document(pushed.digest[:12])["subject"] == results["subject"]
    scores = store.trend(row["system"], "score:GRC-Q1")
    assert [s["value"] for s in scores] == [results["maturity"]["questions"][0]["score"]]


def test_an_unknown_or_ambiguous_run_is_refused(history_url):
    store = open_store(history_url)
    store.push(example_results())
    with pytest.raises(ConfigError, match="no run matches"):
        store.document("999")
    with pytest.raises(ConfigError, match="no run matches"):
        store.document("zz")


def test_trend_follows_one_class_over_the_runs_oldest_first(history_url):
    store = open_store(history_url)
    rates = [0.4, 0.3, 0.2, 0.1, 0.05]
    for at, rate in zip(WEEKS, rates, strict=True):
        store.push(variant(example_results(), at=at, rates={"jailbreak": rate}))
    store.push(variant(example_results(), system="other", at=WEEKS[0], rates={"jailbreak": 0.9}))
    trend = store.trend("sentiment-scorer", "attack_success", label="jailbreak")
    assert [t["value"] for t in trend] == rates
    assert [t["evaluated_at"] for t in trend] == WEEKS
    last = store.trend("sentiment-scorer", "attack_success", label="jailbreak", last=2)
    assert [t["value"] for t in last] == rates[-2:]


def test_concurrent_pushes_lose_nothing(history_url):
    """Eight writers, each with its own connection pool, push twelve runs and every third one
    twice: every distinct run is stored exactly once."""
    base = example_results()
    documents = [variant(base, system=f"system-{i % 4}", at=f"2026-11-{i + 1:02d}T00:00:00Z")
                 for i in range(12)]
    work = documents + documents[::3]
    open_store(history_url).close()
    failures: list[BaseException] = []

    def writer(part):
        store = HistoryStore(history_url)
        try:
            for document in part:
                store.push(document)
        except BaseException as error:  # recorded, asserted below
            failures.append(error)
        finally:
            store.close()

    threads = [threading.Thread(target=writer, args=(work[i::8],)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(open_store(history_url).runs(limit=100)) == 12


def _push_all(url: str, documents: list[dict]) -> int:
    store = HistoryStore(url)
    try:
        return sum(store.push(document).new for document in documents)
    finally:
        store.close()


def test_concurrent_pushes_from_processes_lose_nothing(history_url):
    """Four processes (as four pipelines would) push overlapping sets of runs."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    base = example_results()
    documents = [variant(base, system=f"system-{i % 3}", at=f"2026-11-{i + 1:02d}T00:00:00Z")
                 for i in range(8)]
    open_store(history_url).close()
    parts = [documents[i::4] + documents[(i + 1) % 4::4] for i in range(4)]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=4, mp_context=context) as pool:
        new = sum(pool.map(_push_all, [history_url] * 4, parts))
    assert new == 8  # each run stored once, whoever pushed it first
    assert len(open_store(history_url).runs(limit=100)) == 8


def test_concurrent_first_opens_migrate_once(history_url):
    failures: list[BaseException] = []

    def opener():
        try:
            open_store(history_url).close()
        except BaseException as error:  # recorded, asserted below
            failures.append(error)

    threads = [threading.Thread(target=opener) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert open_store(history_url).runs() == []


def test_migrations_from_empty_and_from_the_previous_schema(history_url):
    from sqlalchemy import insert, inspect

    from gatekeeper.history import records
    from gatekeeper.history.tables import runs

    old = HistoryStore(history_url)
    old.migrate("0001")
    assert "series" not in inspect(old.engine).get_table_names()
    results = example_results()
    row = records.run_row(results, "a" * 64, json.dumps(results), "2026-10-01T00:00:00Z")
    with old.engine.begin() as connection:
        connection.execute(insert(runs).values(**row))
    old.close()

    store = open_store(history_url)
    assert "series" in inspect(store.engine).get_table_names()
    assert [r["digest"] for r in store.runs()] == ["a" * 64]
    store.push(variant(results, at=WEEKS[0]))
    assert len(store.runs()) == 2
    assert store.trend(results["subject"]["name"], "attack_success")


def test_aggregate_reads_each_systems_latest_run_and_the_one_before(history_url):
    store = open_store(history_url)
    for system in ("alpha", "beta"):
        for at in WEEKS[:3]:
            store.push(variant(example_results(), system=system, at=at))
    document = aggregate_history(store)
    assert [s["name"] for s in document["systems"]] == ["alpha", "beta"]
    assert {s["evaluated_at"] for s in document["systems"]} == {WEEKS[2]}
    assert len(document["previous"]) == 2
    assert all(s["file"].startswith("history:run/") for s in document["systems"])


def test_aggregate_over_an_empty_history_is_refused(history_url):
    with pytest.raises(ConfigError, match="no runs"):
        aggregate_history(open_store(history_url))


def test_export_gives_every_run_oldest_first(history_url):
    store = open_store(history_url)
    for at in WEEKS[:3]:
        store.push(variant(example_results(), at=at))
    exported = list(store.export())
    assert [e["run"] for e in exported] == sorted(e["run"] for e in exported)
    assert [e["results"]["evaluated_at"] for e in exported] == WEEKS[:3]


def test_runs_sort_by_the_instant_whatever_the_zone_offset(history_url):
    store = open_store(history_url)
    store.push(variant(example_results(), at="2026-10-01T09:00:00Z", rates={"jailbreak": 0.2}))
    store.push(variant(example_results(), at="2026-10-01T10:00:00+02:00",
                       rates={"jailbreak": 0.1}))  # 08:00 UTC: the earlier run
    trend = store.trend("sentiment-scorer", "attack_success", label="jailbreak")
    assert [t["value"] for t in trend] == [0.1, 0.2]
    assert trend[0]["evaluated_at"] == "2026-10-01T08:00:00Z"
