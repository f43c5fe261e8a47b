"""gatekeeper.verdict, the one place that decides what blocks and the verdict: every comparison
pinned by a case that fails when it is flipped (an advisory error must not exit 3, an error is
never let through by a baseline, a domain exactly at its minimum passes)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gatekeeper.config import Enforcement
from gatekeeper.engine.policies import Control
from gatekeeper.errors import EXIT_EVIDENCE_ERROR, EXIT_GATE_FAILED, EXIT_PASS
from gatekeeper.jsonio import read_json
from gatekeeper.results import ControlResult, Message, Outcome
from gatekeeper.verdict import (
    BLOCKING_OUTCOMES,
    NOT_MET_OUTCOMES,
    Standing,
    below_minimum,
    blocks,
    blocks_release,
    counts_against,
    decide,
    let_through,
    let_through_by_baseline,
    verdict_of,
)

FULL_RESULTS = Path(__file__).parent / "reporters" / "fixtures" / "results-full.json"
OUTCOMES = [outcome.value for outcome in Outcome]
ENFORCEMENTS = [enforcement.value for enforcement in Enforcement]


def standing(outcome: str, enforcement: str = "blocking", control: str = "SDL-a") -> Standing:
    return Standing(control, enforcement, outcome, f"{control} said so")


def document_control(control: str, outcome: str, enforcement: str = "blocking",
                     messages: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"id": control, "enforcement": enforcement, "outcome": outcome,
            "messages": messages if messages is not None else [{"message": f"{control} said"}]}


def results_document(*controls: dict[str, Any], let_through_ids: tuple[str, ...] = (),
                     maturity: dict[str, Any] | None = None) -> dict[str, Any]:
    document: dict[str, Any] = {"controls": list(controls)}
    if let_through_ids:
        document["baseline"] = {"let_through": [{"control": c, "findings": []}
                                                for c in let_through_ids]}
    if maturity is not None:
        document["maturity"] = maturity
    return document


# --- what blocks -------------------------------------------------------------------------------


def test_the_blocking_outcomes_are_fail_no_evidence_and_error_and_a_waiver_only_hides_them():
    assert set(BLOCKING_OUTCOMES) == {"fail", "no_evidence", "error"}
    assert set(NOT_MET_OUTCOMES) == {"fail", "no_evidence", "error", "waived"}


@pytest.mark.parametrize("enforcement", ENFORCEMENTS)
@pytest.mark.parametrize("outcome", OUTCOMES)
def test_only_a_blocking_control_that_did_not_pass_counts_against_the_release(outcome, enforcement):
    expected = enforcement == "blocking" and outcome in ("fail", "no_evidence", "error")
    assert counts_against(enforcement, outcome) is expected
    assert blocks_release(standing(outcome, enforcement)) is expected


@pytest.mark.parametrize(
    ("outcome", "named", "let"),
    [("fail", True, True), ("no_evidence", True, True), ("error", True, False),
     ("fail", False, False)],
)
def test_a_baseline_lets_through_only_what_it_names_and_never_an_error(outcome, named, let):
    ids = frozenset({"SDL-a"} if named else {"SDL-other"})
    assert let_through_by_baseline(standing(outcome), ids) is let
    assert blocks_release(standing(outcome), ids) is not let


def test_let_through_reads_the_baseline_section_or_nothing():
    assert let_through({"controls": []}) == frozenset()
    assert let_through({"controls": [], "baseline": None}) == frozenset()
    document = results_document(let_through_ids=("SDL-a", "SDL-b"))
    assert let_through(document) == {"SDL-a", "SDL-b"}


def test_blocks_judges_a_control_of_a_results_document_with_its_baseline():
    failing, errored = document_control("SDL-a", "fail"), document_control("SDL-b", "error")
    advisory = document_control("SDL-c", "fail", "advisory")
    document = results_document(failing, errored, advisory)
    assert [blocks(c, document) for c in (failing, errored, advisory)] == [True, True, False]
    excused = results_document(failing, errored, let_through_ids=("SDL-a", "SDL-b"))
    assert [blocks(c, excused) for c in (failing, errored)] == [False, True]


def test_standing_of_a_document_control_reasons_with_its_first_unwaived_message():
    control = document_control("SDL-a", "fail", messages=[
        {"message": "waived one", "waived_by": "ex-1"}, {"message": "still open"},
        {"message": "also open"},
    ])
    assert Standing.of(control) == Standing("SDL-a", "blocking", "fail", "still open")
    assert Standing.of(document_control("SDL-a", "fail", messages=[])).reason == ""


def test_a_control_results_standing_is_its_plain_values_and_first_unwaived_message():
    control = Control(id="SDL-a", package="gatekeeper.controls.a", path=Path("a.rego"),
                      title="A", description="", remediation="", severity="high", questions=(),
                      waivable=True)
    result = ControlResult(control, Enforcement.ADVISORY, Outcome.FAIL, (
        Message("waived", waived_by="ex-1"), Message("open"),
    ))
    assert result.standing == Standing("SDL-a", "advisory", "fail", "open")
    assert not result.blocks
    assert ControlResult(control, Enforcement.BLOCKING, Outcome.NO_EVIDENCE).blocks


# --- the verdict -------------------------------------------------------------------------------


def test_nothing_blocking_passes_with_exit_0_and_no_reasons():
    verdict = decide([standing("pass"), standing("warn"), standing("waived"),
                      standing("fail", "advisory"), standing("error", "advisory")])
    assert (verdict.outcome, verdict.exit_code, verdict.reasons) == ("pass", EXIT_PASS, ())


def test_a_blocking_failure_fails_with_exit_1_and_its_reason():
    verdict = decide([standing("pass", control="SDL-a"), standing("fail", control="SDL-b")])
    assert (verdict.outcome, verdict.exit_code) == ("fail", EXIT_GATE_FAILED)
    assert verdict.reasons == ("SDL-b fail: SDL-b said so",)


def test_missing_evidence_on_a_blocking_control_fails_not_errors():
    verdict = decide([Standing("SDL-a", "blocking", "no_evidence", "")])
    assert (verdict.outcome, verdict.exit_code, verdict.reasons) == (
        "fail", EXIT_GATE_FAILED, ("SDL-a no_evidence",))


def test_a_blocking_error_errors_with_exit_3_even_beside_failures_and_extra_reasons():
    verdict = decide([standing("fail", control="SDL-a"), standing("error", control="SDL-b")],
                     ("maturity GRC is low",))
    assert (verdict.outcome, verdict.exit_code) == ("error", EXIT_EVIDENCE_ERROR)
    assert verdict.reasons == ("SDL-a fail: SDL-a said so", "SDL-b error: SDL-b said so",
                               "maturity GRC is low")


def test_an_advisory_error_never_exits_3():
    alone = decide([standing("error", "advisory")])
    beside = decide([standing("error", "advisory", "SDL-a"), standing("fail", control="SDL-b")])
    assert (alone.outcome, alone.exit_code) == ("pass", EXIT_PASS)
    assert (beside.outcome, beside.exit_code) == ("fail", EXIT_GATE_FAILED)


def test_an_extra_reason_alone_fails():
    verdict = decide([standing("pass")], ("maturity GRC is at level 1",))
    assert (verdict.outcome, verdict.exit_code, verdict.reasons) == (
        "fail", EXIT_GATE_FAILED, ("maturity GRC is at level 1",))


def test_a_baseline_lets_failures_through_but_not_errors():
    let = frozenset({"SDL-a"})
    assert decide([standing("fail")], let_through=let).outcome == "pass"
    assert decide([standing("error")], let_through=let).exit_code == EXIT_EVIDENCE_ERROR


def domain(level: int, minimum: int | None) -> dict[str, Any]:
    return {"id": "GRC", "level": level, "minimum_level": minimum,
            "blockers": [{"question": "GRC-Q1"}]}


@pytest.mark.parametrize(("level", "minimum", "below"),
                         [(1, 2, True), (2, 2, False), (3, 2, False), (0, None, False)])
def test_below_minimum_names_each_domain_under_its_minimum_level(level, minimum, below):
    reasons = below_minimum({"domains": [domain(level, minimum)]})
    assert reasons == ((
        f"maturity GRC is at level {level}, below the profile's minimum_level {minimum} "
        "(first blocking question: GRC-Q1)",) if below else ())


def test_verdict_of_a_document_uses_its_maturity_and_baseline():
    failing = document_control("SDL-a", "fail")
    assert verdict_of(results_document(failing)).exit_code == EXIT_GATE_FAILED
    assert verdict_of(results_document(failing, let_through_ids=("SDL-a",))).outcome == "pass"
    low = {"domains": [domain(1, 2)]}
    assert verdict_of(results_document(maturity=low)).outcome == "fail"
    assert verdict_of(results_document(maturity={"domains": [domain(2, 2)]})).outcome == "pass"


def test_verdict_of_a_real_results_document_is_the_verdict_it_states():
    results = read_json(FULL_RESULTS)
    assert verdict_of(results).to_dict() == results["verdict"]


def test_a_reason_is_the_control_its_outcome_and_its_first_open_message_as_written():
    """Only the ``": "`` separator is dropped when there is no message, never the message's own
    last characters."""
    verdict = decide([
        Standing("SDL-a", "blocking", "fail", "finding in XX"),
        Standing("SDL-b", "blocking", "no_evidence"),
    ])
    assert verdict.reasons == ("SDL-a fail: finding in XX", "SDL-b no_evidence")
    assert decide([Standing("SDL-c", "blocking", "pass")]).reasons == ()
