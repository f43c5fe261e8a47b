"""What blocks the release, and the verdict: the one place that decides both.

A control blocks when it is enforced as blocking and its outcome is one of
``BLOCKING_OUTCOMES`` (it failed, has no evidence, or errored), unless a baseline let it
through (``--fail-on new``: every failure pre-exists). An error is never let through: nobody
knows what its answer was. The verdict is ``error`` (exit 3) when a blocking control errors,
``fail`` (exit 1) when anything else blocks or a maturity domain is below the profile's
``minimum_level``, else ``pass`` (exit 0). An advisory control never changes the verdict.

Everything here reads plain data: the pipeline hands in a ``Standing`` per control result, and
reporters the results document (``blocks``, ``verdict_of``), so a saved results file is judged
exactly as the run that wrote it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from gatekeeper.errors import EXIT_EVIDENCE_ERROR, EXIT_GATE_FAILED, EXIT_PASS

BLOCKING_OUTCOMES = ("fail", "no_evidence", "error")
# What blocks, or would but for a waiver: the outcomes a report lists as findings.
NOT_MET_OUTCOMES = (*BLOCKING_OUTCOMES, "waived")


@dataclass(frozen=True)
class Standing:
    """What the verdict reads of one control result: its id, enforcement, outcome, and the
    first message no waiver covered (its reason in the verdict; empty when there is none)."""

    control: str
    enforcement: str
    outcome: str
    reason: str = ""

    @classmethod
    def of(cls, control: Mapping[str, Any]) -> Standing:
        """A control of a results document."""
        still_open = [m["message"] for m in control["messages"] if m.get("waived_by") is None]
        return cls(
            control["id"], control["enforcement"], control["outcome"],
            still_open[0] if still_open else "",
        )


def counts_against(enforcement: str, outcome: str) -> bool:
    """Whether a control blocks before any baseline is asked: blocking, and did not pass."""
    return enforcement == "blocking" and outcome in BLOCKING_OUTCOMES


def let_through_by_baseline(standing: Standing, let_through: frozenset[str]) -> bool:
    """Whether the baseline lets this control through: it names it, and it did not error."""
    return standing.outcome != "error" and standing.control in let_through


def blocks_release(standing: Standing, let_through: frozenset[str] = frozenset()) -> bool:
    """Whether this control blocks the release, given the controls a baseline let through."""
    return counts_against(standing.enforcement, standing.outcome) and not let_through_by_baseline(
        standing, let_through
    )


def let_through(results: Mapping[str, Any]) -> frozenset[str]:
    """The controls a results document's baseline let through (empty without a baseline)."""
    section = results.get("baseline") or {}
    return frozenset(entry["control"] for entry in section.get("let_through", []))


def blocks(control: Mapping[str, Any], results: Mapping[str, Any]) -> bool:
    """Whether a control of a results document blocks the release."""
    return blocks_release(Standing.of(control), let_through(results))


@dataclass(frozen=True)
class Verdict:
    """The gate's answer: ``pass``, ``fail`` or ``error``, its exit code, and why."""

    outcome: str  # pass | fail | error
    exit_code: int
    reasons: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The verdict as the results document holds it."""
        return {"outcome": self.outcome, "exit_code": self.exit_code, "reasons": list(self.reasons)}


def decide(
    standings: Iterable[Standing],
    extra_reasons: tuple[str, ...] = (),
    let_through: frozenset[str] = frozenset(),
) -> Verdict:
    """The gate: blocked by every control that blocks the release, and by each extra reason
    (a maturity domain below its minimum); an error among the blockers makes it an error."""
    blockers = [s for s in standings if blocks_release(s, let_through)]
    reasons = tuple(
        f"{s.control} {s.outcome}: {s.reason}".rstrip(": ") for s in blockers
    ) + extra_reasons
    if any(s.outcome == "error" for s in blockers):
        return Verdict("error", EXIT_EVIDENCE_ERROR, reasons)
    if reasons:
        return Verdict("fail", EXIT_GATE_FAILED, reasons)
    return Verdict("pass", EXIT_PASS)


def below_its_minimum(domain: Mapping[str, Any]) -> bool:
    """Whether a maturity domain is below the profile's ``minimum_level`` for it (if any)."""
    minimum = domain.get("minimum_level")
    return minimum is not None and bool(domain["level"] < minimum)


def below_minimum(maturity: Mapping[str, Any]) -> tuple[str, ...]:
    """Verdict reasons: each domain of a maturity section below the profile's minimum_level."""
    return tuple(
        f"maturity {domain['id']} is at level {domain['level']}, below the profile's "
        f"minimum_level {domain['minimum_level']} (first blocking question: "
        f"{domain['blockers'][0]['question']})"  # below a minimum, something blocks
        for domain in maturity["domains"] if below_its_minimum(domain)
    )


def verdict_of(results: Mapping[str, Any]) -> Verdict:
    """The verdict a results document's controls, maturity and baseline give (to check the one
    it states, or to judge a saved document again)."""
    maturity = results.get("maturity")
    return decide(
        (Standing.of(control) for control in results["controls"]),
        below_minimum(maturity) if maturity else (),
        let_through(results),
    )
