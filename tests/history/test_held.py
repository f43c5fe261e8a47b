"""A score of 4 needs evidence that held over a window of runs: the history feeds the scoring
hook (``history``) with, per question, the consecutive prior runs its evidence held."""

from __future__ import annotations

import json

import pytest
from conftest import EXAMPLES, NOW, copy_example

from gatekeeper.history.held import held_runs
from gatekeeper.history.store import open_store
from gatekeeper.scoring import HELD_RUNS
from history.runs import example_results, variant

QUESTION = "SDL-Q5"  # verified evidence in the example, capped at 3 by the history rule
PRIOR = ["2026-10-01T00:00:00Z", "2026-10-08T00:00:00Z", "2026-10-15T00:00:00Z",
         "2026-10-22T00:00:00Z"]


def _prior_run(at: str, base_score: int = 4) -> dict:
    run = variant(example_results(), at=at)
    question = next(q for q in run["maturity"]["questions"] if q["id"] == QUESTION)
    question["base_score"] = base_score
    return run


def _score_with_history(gatekeeper, tmp_path, db) -> dict:
    folder = copy_example(EXAMPLES / "model-release", tmp_path / "release")
    run = gatekeeper("check", "--now", NOW, "--history", db, cwd=folder)
    assert run.code == 0
    results = json.loads((folder / "gatekeeper-results.json").read_text())
    return next(q for q in results["maturity"]["questions"] if q["id"] == QUESTION)


@pytest.mark.parametrize(
    ("series", "expected"),
    [
        ("flat", 4),  # held in each of the last HELD_RUNS runs
        ("improving", 4),  # failed once, long ago, then held in the whole window
        ("regressing", 3),  # did not hold in the latest prior run: the window restarts
        ("short", 3),  # held, but in fewer runs than the window
        ("none", 3),  # no history at all
    ],
)
def test_four_needs_evidence_held_over_the_window(gatekeeper, tmp_path, series, expected):
    db = str(tmp_path / "h.db")
    bases = {
        "flat": [4, 4, 4, 4],
        "improving": [1, 4, 4, 4],
        "regressing": [4, 4, 4, 2],
        "short": [4, 4],
        "none": [],
    }[series]
    store = open_store(db)
    for at, base in zip(PRIOR[-len(bases):] if bases else [], bases, strict=True):
        store.push(_prior_run(at, base))
    question = _score_with_history(gatekeeper, tmp_path, db)
    assert question["score"] == expected
    assert any(limit["rule"] == "history" for limit in question["limits"]) == (expected == 3)


def test_the_same_run_pushed_many_times_is_one_run_of_history(gatekeeper, tmp_path):
    """Gaming the window by pushing one good run again and again earns nothing."""
    db = str(tmp_path / "h.db")
    store = open_store(db)
    good = _prior_run(PRIOR[0])
    for _ in range(HELD_RUNS + 2):
        store.push(json.loads(json.dumps(good)))
    assert _score_with_history(gatekeeper, tmp_path, db)["score"] == 3


def test_held_runs_counts_consecutive_runs_newest_first():
    good = {"source": "controls", "base_score": 4, "strength": "verified"}
    attested = {**good, "source": "attestation"}
    documented = {**good, "strength": "documented"}
    partial = {**good, "base_score": 3}
    prior = [{"A": good, "B": good, "C": attested, "D": documented, "E": partial},
             {"A": good, "B": partial},
             {"A": good, "B": good}]
    assert held_runs(prior) == {"A": 3, "B": 1, "C": 0, "D": 0, "E": 0}
    assert held_runs([]) == {}
