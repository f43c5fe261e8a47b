"""Live scores: the results' control answers, the attestations as edited, gatekeeper.scoring."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from pathlib import Path

from gatekeeper.attestations import load_attestations
from gatekeeper.catalog.loader import load_catalog
from gatekeeper.serve.scores import attested_disabled_allowed, live_maturity
from gatekeeper.timeutil import parse_rfc3339
from serve.conftest import FIXED_NOW


def _results(path: Path) -> dict:
    return json.loads(path.read_text())


def _levels(maturity: dict) -> dict[str, int]:
    return {d["id"]: d["level"] for d in maturity["domains"]}


def test_the_results_own_answers_give_back_the_results_maturity(example_results):
    """Scoring the run's attestations at the run's time reproduces the run exactly: nothing
    of gatekeeper.scoring is re-implemented, nothing is lost from the control answers."""
    results = _results(example_results)
    answers = load_attestations(
        Path(__file__).resolve().parents[2] / "examples/model-release/attestations.yaml"
    ).answers
    live = live_maturity(results, answers, parse_rfc3339(results["evaluated_at"]), load_catalog())
    expected = {k: v for k, v in results["maturity"].items() if k != "attestations"}
    assert json.loads(json.dumps(live)) == expected


def test_a_documented_answer_moves_its_domain(project):
    results = _results(project / "gatekeeper-results.json")
    answers = load_attestations(project / "attestations.yaml").answers
    catalog = load_catalog()
    assert _levels(live_maturity(results, answers, FIXED_NOW, catalog))["INF"] == 2
    raised = {**answers, "INF-Q5": replace(answers["INF-Q5"], score=3)}
    live = live_maturity(results, raised, FIXED_NOW, catalog)
    assert _levels(live)["INF"] == 3
    assert live["overall"]["mean"] > results["maturity"]["overall"]["mean"]
    # the same answer without its pinned files is a person's word: at most 2, INF stays
    bare = {**raised, "INF-Q5": replace(raised["INF-Q5"], evidence_files=())}
    assert _levels(live_maturity(results, bare, FIXED_NOW, catalog))["INF"] == 2


def test_an_expired_answer_scores_zero_now(project):
    results = _results(project / "gatekeeper-results.json")
    answers = load_attestations(project / "attestations.yaml").answers
    later = FIXED_NOW.replace(year=2027, month=11, day=2)  # the day after INF-Q4 expires
    question = next(q for q in live_maturity(results, answers, later, load_catalog())["questions"]
                    if q["id"] == "INF-Q4")
    assert (question["score"], question["attestation"]["status"]) == (0, "expired")


def test_control_answers_are_not_rescored_and_keep_their_limits(example_results):
    """A question a control answered keeps the results' score even when an attestation for it
    is given (verified beats attested), and its prerequisite caps are applied again."""
    results = _results(example_results)
    answers = load_attestations(
        Path(__file__).resolve().parents[2] / "examples/model-release/attestations.yaml"
    ).answers
    raised = {**answers, "GRC-Q1": replace(answers["GRC-Q1"], score=4)}
    live = live_maturity(results, raised, FIXED_NOW, load_catalog())
    stored = {q["id"]: q for q in results["maturity"]["questions"]}
    for question in live["questions"]:
        if stored[question["id"]]["source"] == "controls":
            assert question["score"] == stored[question["id"]]["score"], question["id"]
            assert question["limits"] == stored[question["id"]]["limits"], question["id"]


def test_attestations_for_disabled_controls_count_only_when_the_run_allowed_it(example_results):
    results = _results(example_results)
    assert not attested_disabled_allowed(results)
    allowed = copy.deepcopy(results)
    question = allowed["maturity"]["questions"][0]
    question["evidence"] = [{"control": "X", "outcome": "disabled", "strength": "declared",
                             "files": []}]
    question["attestation"] = {"status": "valid"}
    assert attested_disabled_allowed(allowed)
    question["attestation"] = {"status": "refused"}
    assert not attested_disabled_allowed(allowed)
