"""Scoring: question scores from control outcomes and attestations, domain levels, the gap."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timezone

import pytest

from gatekeeper.attestations import Attestation, EvidenceFile
from gatekeeper.catalog.loader import load_catalog
from gatekeeper.config import Enforcement
from gatekeeper.engine.policies import load_policies
from gatekeeper.results import ControlResult, Message, Outcome
from gatekeeper.scoring import (
    HELD_RUNS,
    ControlOutcome,
    apply_prerequisites,
    domain_level,
    score_from_controls,
    score_maturity,
    score_question,
)
from gatekeeper.verdict import below_minimum

NOW = datetime(2026, 11, 28, 12, tzinfo=timezone.utc)
B, A = Enforcement.BLOCKING, Enforcement.ADVISORY
P, W, F, X = Outcome.PASS, Outcome.WARN, Outcome.FAIL, Outcome.WAIVED
N, E = Outcome.NO_EVIDENCE, Outcome.ERROR


def _outcomes(*pairs) -> list[ControlOutcome]:
    return [
        ControlOutcome(f"SDL-c{i}", outcome, Enforcement.DISABLED if outcome is None else how)
        for i, (outcome, how) in enumerate(pairs)
    ]


def _attestation(score=3, expires=date(2027, 1, 1), files=False) -> Attestation:
    pinned = (EvidenceFile("docs/registry.md", "a" * 64),) if files else ()
    return Attestation(
        "SDL-Q7", score, "https://x", "Dana", date(2026, 1, 1), expires, evidence_files=pinned
    )


@pytest.mark.parametrize(("pairs", "score"), [
    ([(P, B)], 4),
    ([(P, B), (W, B)], 4),
    ([(P, B), (P, A)], 3),             # advisory controls cannot reach 4
    ([(P, B), (X, B)], 3),             # a validly waived control: 3, never 4
    ([(P, B), (F, B)], 2),             # at least half pass
    ([(P, B), (N, A)], 2),             # part of the evidence is missing
    ([(P, B), (None, B)], 2),          # a disabled control is no evidence
    ([(P, B), (F, B), (F, A)], 1),     # evidence, but mostly failing
    ([(F, B)], 1),
    ([(E, B), (F, B)], 1),
    ([(N, B)], 0),
    ([(N, B), (E, B), (None, B)], 0),  # no evidence at all
])
def test_a_question_scores_from_its_controls_outcomes(pairs, score):
    assert score_from_controls(_outcomes(*pairs)) == score


def test_a_pass_with_a_waived_finding_scores_2_not_more():
    passing = ControlOutcome("SDL-c0", P, B, waived=True)
    assert score_from_controls([passing]) == 3
    controls, results = _results({})
    waived = [replace(r, extra={"waiver": {"exception": "EX-1"}}) if r.id == "SDL-sast-clean"
              else r for r in results]
    questions = {q["id"]: q for q in _maturity(controls, waived)["questions"]}
    assert questions["SDL-Q2"]["score"] == 2
    assert [lim["rule"] for lim in questions["SDL-Q2"]["limits"]] == ["waived_failure"]


def test_verified_beats_attested():
    question = load_catalog().question("SDL-Q7")
    entry = score_question(question, _outcomes((F, B)), _attestation(4), NOW)
    assert (entry["score"], entry["source"], entry["mode"]) == (1, "controls", "automated")
    assert entry["attestation"]["status"] == "superseded"


def test_an_attestation_answers_when_no_control_saw_evidence():
    question = load_catalog().question("SDL-Q7")
    entry = score_question(question, _outcomes((N, B)), _attestation(3, files=True), NOW)
    assert (entry["score"], entry["source"]) == (3, "attestation")
    assert entry["attestation"]["status"] == "valid"
    assert entry["controls"] == ["SDL-c0"]
    assert entry["strength"] == "documented"


def test_an_expired_attestation_scores_0_and_says_so():
    question = load_catalog().question("SDL-Q7")
    entry = score_question(question, [], _attestation(4, expires=date(2026, 11, 27)), NOW)
    assert (entry["score"], entry["source"], entry["mode"]) == (0, "attestation", "attested")
    assert entry["attestation"]["status"] == "expired"
    assert entry["attestation"]["score"] == 4  # what was attested stays visible


def test_an_error_is_not_papered_over_by_an_attestation():
    question = load_catalog().question("SDL-Q7")
    entry = score_question(question, _outcomes((E, B)), _attestation(4), NOW)
    assert (entry["score"], entry["source"]) == (0, "controls")
    assert entry["attestation"]["status"] == "superseded"


def test_an_unanswered_question_scores_0_from_nothing():
    question = load_catalog().question("GRC-Q1")
    entry = score_question(question, [], None, NOW)
    assert (entry["score"], entry["source"], entry["attestation"]) == (0, "none", None)
    assert entry["phase"] == "phase-1"


def _q(target: int, score: int) -> dict:
    return {"target_level": target, "score": score}


@pytest.mark.parametrize(("questions", "level"), [
    ([_q(2, 0), _q(3, 4)], 1),                    # floor 1
    ([_q(2, 3), _q(3, 2)], 2),
    ([_q(2, 3), _q(3, 3), _q(4, 2)], 3),
    ([_q(2, 4), _q(3, 4), _q(4, 3), _q(5, 2)], 4),
    ([_q(2, 3), _q(3, 3), _q(4, 3), _q(5, 3)], 5),
    ([_q(2, 3), _q(3, 1), _q(4, 4), _q(5, 4)], 2),  # staged: a gap stops the climb
])
def test_a_domain_reaches_level_l_when_every_question_up_to_l_is_met(questions, level):
    assert domain_level(questions) == level


# Real controls with a fixed question mapping, so these tests do not move when controls are added.
MAPPING = {
    "GRC-model-card-complete": ("GRC-Q3",),
    "SDL-sast-clean": ("SDL-Q2",),
    "SDL-secrets-clean": ("SDL-Q2",),
}


# These tests are about outcomes and levels, not prerequisites (tested on their own below).
NO_PREREQUISITES = replace(load_catalog(), prerequisites={})


def _maturity(controls, results, *args, **kwargs) -> dict:
    return score_maturity(controls, results, NOW, *args, catalog=NO_PREREQUISITES, **kwargs)


def _results(outcomes: dict[str, Outcome]) -> tuple:
    shipped = load_policies()
    controls = [replace(shipped.control(cid), questions=qs) for cid, qs in MAPPING.items()]
    results = [
        ControlResult(control=c, enforcement=B, outcome=outcomes.get(c.id, P)) for c in controls
    ]
    return controls, results


def test_score_maturity_covers_78_questions_and_11_domains():
    controls, results = _results({})
    maturity = _maturity(controls, results, history={"GRC-Q3": 3})
    assert len(maturity["questions"]) == 78 and len(maturity["domains"]) == 11
    grc = maturity["domains"][0]
    assert (grc["id"], grc["level"], grc["next_level"], grc["questions_total"]) == (
        "GRC", 1, 2, 7)
    assert grc["blockers"][0]["question"] == "GRC-Q1"
    assert grc["blockers"][0]["hint"] == load_catalog().question("GRC-Q1").evidence_hint
    assert maturity["overall"]["level"] == 1
    automated = {q["id"]: q for q in maturity["questions"] if q["mode"] == "automated"}
    assert set(automated) == {"GRC-Q3", "SDL-Q2"}
    assert automated["SDL-Q2"]["controls"] == ["SDL-sast-clean", "SDL-secrets-clean"]
    assert automated["GRC-Q3"]["score"] == 2  # documented: a history does not lift it
    assert automated["SDL-Q2"]["score"] == 3  # measured, no history
    assert [b["question"] for b in grc["blockers"]] == ["GRC-Q1"]
    assert maturity["overall"]["mean"] == round((2 + 3) / 78, 2)


def test_attestations_raise_a_domain_to_the_level_its_questions_reach():
    controls, results = _results({})
    attested = {
        "GRC-Q1": Attestation(
            "GRC-Q1", 3, "x", "me", date(2026, 1, 1), date(2027, 1, 1),
            evidence_files=(EvidenceFile("charter.md", "b" * 64),),
        ),
    }
    before = _maturity(controls, results)["domains"][0]
    after = _maturity(controls, results, attested)["domains"][0]
    assert (before["level"], after["level"]) == (1, 2)
    assert after["questions_met"] == before["questions_met"] + 1
    # level 3 is now blocked by the target-3 questions still unmet (GRC-Q3 is documented: 2)
    assert [(b["question"], b["phase"]) for b in after["blockers"]] == [
        ("GRC-Q2", "phase-2"), ("GRC-Q3", "phase-2"), ("GRC-Q4", "phase-2")]


def test_a_domain_below_its_minimum_level_gives_a_verdict_reason():
    controls, results = _results({})
    maturity = _maturity(controls, results, None, {"GRC": 2, "SDL": 1})
    assert [d["minimum_level"] for d in maturity["domains"][:3]] == [2, 1, None]
    assert below_minimum(maturity) == (
        "maturity GRC is at level 1, below the profile's minimum_level 2 "
        "(first blocking question: GRC-Q1)",
    )


def test_a_disabled_control_counts_as_no_evidence():
    controls, results = _results({})
    kept = [r for r in results if r.id != "SDL-sast-clean"]
    questions = {q["id"]: q for q in _maturity(controls, kept)["questions"]}
    assert questions["SDL-Q2"]["controls"] == ["SDL-sast-clean", "SDL-secrets-clean"]
    assert questions["SDL-Q2"]["score"] == 2


def test_one_failing_control_of_two_scores_2():
    controls, results = _results({"SDL-secrets-clean": F})
    questions = {q["id"]: q for q in _maturity(controls, results)["questions"]}
    assert questions["SDL-Q2"]["score"] == 2


# --- Honest scoring: strength, history, waivers, missing measurements, attestations ---------

def _one(outcome=P, strength="measured", how=B, **flags) -> list[ControlOutcome]:
    return [ControlOutcome("SDL-c0", outcome, how, strength=strength, **flags)]


def _score(outcomes, attestation=None, held=0, allow=False) -> dict:
    question = load_catalog().question("SDL-Q7")
    return score_question(question, outcomes, attestation, NOW, held, allow)


def _rules(entry: dict) -> list[str]:
    return [lim["rule"] for lim in entry["limits"]]


@pytest.mark.parametrize(("strength", "held", "score", "rules"), [
    ("verified", 0, 3, ["history"]),
    ("measured", 0, 3, ["history"]),
    ("verified", HELD_RUNS - 1, 3, ["history"]),
    ("verified", HELD_RUNS, 4, []),
    ("measured", HELD_RUNS, 4, []),
    ("declared", HELD_RUNS, 2, ["strength"]),   # a history does not bind a manifest fact
    ("documented", HELD_RUNS, 2, ["strength"]),
    ("declared", 0, 2, ["strength"]),
])
def test_strength_and_history_cap_a_passing_question(strength, held, score, rules):
    entry = _score(_one(strength=strength), held=held)
    assert (entry["base_score"], entry["score"], _rules(entry)) == (4, score, rules)
    assert entry["strength"] == strength


def test_the_weakest_strength_that_saw_evidence_is_the_answers():
    mixed = [ControlOutcome("SDL-c0", P, B, strength="verified"),
             ControlOutcome("SDL-c1", P, B, strength="declared")]
    entry = _score(mixed, held=HELD_RUNS)
    assert (entry["strength"], entry["score"]) == ("declared", 2)
    # a control without evidence does not weaken what the others showed
    partial = [ControlOutcome("SDL-c0", P, B, strength="verified"),
               ControlOutcome("SDL-c1", N, B, strength="declared")]
    assert _score(partial)["strength"] == "verified"


def test_a_cap_above_the_base_score_is_not_listed():
    entry = _score(_one(F, strength="declared"))
    assert (entry["base_score"], entry["score"], entry["limits"]) == (1, 1, [])


def test_waived_absence_caps_at_1_and_a_waived_failure_at_2():
    absent = _score(_one(X, waived=True, waived_absence=True), held=HELD_RUNS)
    assert (absent["score"], _rules(absent)) == (1, ["waived_absence"])
    failed = _score(_one(X, waived=True), held=HELD_RUNS)
    assert (failed["score"], _rules(failed)) == (2, ["waived_failure"])


def test_a_warning_about_a_missing_measurement_counts_as_no_evidence():
    entry = _score(_one(W, unmeasured=True))
    assert (entry["score"], entry["source"]) == (0, "none")
    assert entry["evidence"][0]["counted_as"] == "no_evidence"
    plain = _score(_one(W))  # another warning still passes
    assert plain["score"] == 3


def test_unmeasured_is_read_from_the_warnings_finding():
    controls, results = _results({})
    warned = [
        replace(r, outcome=W, warnings=(Message("SLO not measured", finding="slo:tox:unmeasured"),))
        if r.id == "SDL-sast-clean" else r for r in results
    ]
    other = [
        replace(r, outcome=W, warnings=(Message("below threshold", finding="sast:low"),))
        if r.id == "SDL-sast-clean" else r for r in results
    ]
    scored = {q["id"]: q for q in _maturity(controls, warned)["questions"]}
    assert scored["SDL-Q2"]["base_score"] == 2  # one of two controls has no evidence
    assert {q["id"]: q for q in _maturity(controls, other)["questions"]}["SDL-Q2"][
        "base_score"] == 4


@pytest.mark.parametrize(("files", "strength", "score"), [
    (False, "attested", 2), (True, "documented", 3)])
def test_an_attestation_caps_at_2_without_files_and_3_with_them(files, strength, score):
    entry = _score([], _attestation(4, files=files))
    assert (entry["score"], entry["strength"], _rules(entry)) == (score, strength, ["attested"])
    assert entry["attestation"]["strength"] == strength


def test_an_attestation_for_a_disabled_control_is_refused_unless_allowed():
    disabled = [ControlOutcome("SDL-c0", None, Enforcement.DISABLED, strength="verified")]
    refused = _score(disabled, _attestation(4, files=True))
    assert (refused["score"], refused["source"], refused["attestation"]["status"]) == (
        0, "none", "refused")
    allowed = _score(disabled, _attestation(4, files=True), allow=True)
    assert (allowed["score"], allowed["attestation"]["status"]) == (3, "valid")
    enabled_without_evidence = _score(_one(N), _attestation(4, files=True))
    assert enabled_without_evidence["attestation"]["status"] == "valid"


def _q(qid: str, target: int, score: int) -> dict:
    return {"id": qid, "target_level": target, "score": score, "limits": []}


def test_a_question_scores_no_higher_than_its_prerequisites_in_target_order():
    questions = [_q("GRC-Q6", 5, 4), _q("GRC-Q4", 3, 3), _q("GRC-Q1", 2, 1)]
    apply_prerequisites(questions, {"GRC-Q6": ("GRC-Q4",), "GRC-Q4": ("GRC-Q1",)})
    assert [q["score"] for q in questions] == [1, 1, 1]  # Q4 capped first, then Q6 by Q4
    assert questions[0]["limits"] == [{
        "rule": "prerequisite", "cap": 1,
        "why": "scores no higher than its prerequisite GRC-Q4 (1)"}]


def test_an_equal_prerequisite_is_no_limit():
    questions = [_q("GRC-Q6", 5, 3), _q("GRC-Q4", 3, 3)]
    apply_prerequisites(questions, {"GRC-Q6": ("GRC-Q4",)})
    assert questions[0]["score"] == 3 and questions[0]["limits"] == []


def test_the_shipped_catalog_caps_grc_q6_by_grc_q4():
    assert load_catalog().prerequisites["GRC-Q6"] == ("GRC-Q4",)
