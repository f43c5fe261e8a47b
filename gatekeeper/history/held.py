"""How long each question's evidence has held: the scoring hook's ``history`` input.

A question's evidence held in a run when its controls answered it (not an attestation), on
verified or measured evidence, with the full base score (every control passed, blocking,
nothing waived): the caps of that run (the history cap itself, prerequisites) do not matter.
The count is of consecutive runs, newest first: one run where it did not hold ends the window.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from gatekeeper.scoring import BOUND_STRENGTHS, HELD_RUNS


def held(question: Mapping[str, Any] | None) -> bool:
    return (
        question is not None
        and question.get("source") == "controls"
        and question.get("base_score") == 4
        and question.get("strength") in BOUND_STRENGTHS
    )


def held_runs(prior: Sequence[Mapping[str, Mapping[str, Any]]]) -> dict[str, int]:
    """``prior``: each earlier run's questions by id, newest first -> per question, the
    consecutive runs its evidence held."""
    counts: dict[str, int] = {}
    for question_id in {q for run in prior for q in run}:
        count = 0
        for run in prior:
            if not held(run.get(question_id)):
                break
            count += 1
        counts[question_id] = count
    return counts


def held_for(store: Any, system: str, window: int = HELD_RUNS) -> dict[str, int]:
    """The held runs of ``system``'s questions over its ``window`` latest stored runs."""
    return held_runs(store.questions(system, window))
