"""Stage 4, score: maturity questions, domain levels, the overall level, and the gap.

A question's controls are the loaded controls whose METADATA names it; it is ``automated``
when there is at least one, ``attested`` otherwise. From its controls' outcomes it scores:

  4  every control passed (or warned), every one is blocking, nothing was waived (not even
     one finding)
  3  every control passed, warned or was validly waived (advisory controls stop here)
  2  at least half of them passed, warned or were waived
  1  evidence was there, but mostly failing
  0  no evidence: every control was no_evidence, error, or disabled by the profile

Verified beats attested: when any of its controls saw evidence, the controls' score stands and
an attestation for the question is ``superseded``. When none did (every control no_evidence or
disabled, or the question has no control at all) a valid attestation answers with its score;
an expired one scores 0 and is marked ``expired``. A control that errored is not "no
evidence": its question scores 0 and no attestation can paper over the error.

A domain reaches level L (CMMI staged) when every question with target level <= L scores at
least 3; level 1 is the floor. The overall level is the lowest domain level; the means are
shown beside it. The gap of a domain is the questions that hold it below its next level.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from gatekeeper.attestations import Attestation
from gatekeeper.catalog.loader import Catalog, Question, answering_controls, load_catalog
from gatekeeper.config import Enforcement
from gatekeeper.engine.policies import Control
from gatekeeper.results import ControlResult, Outcome

MET = 3  # a question scoring at least this counts as met
TOP_LEVEL = 5
_PASSING = (Outcome.PASS, Outcome.WARN)
_ACCEPTED = (Outcome.PASS, Outcome.WARN, Outcome.WAIVED)


@dataclass(frozen=True)
class ControlOutcome:
    """What one control said in this run; ``outcome`` None: disabled by the profile."""

    id: str
    outcome: Outcome | None
    enforcement: Enforcement
    waived: bool = False

    @property
    def saw_evidence(self) -> bool:
        return self.outcome not in (None, Outcome.NO_EVIDENCE)


def _waived(result: ControlResult) -> bool:
    """Waived as a whole or in part, per the results contract: the control's outcome or its
    ``waiver``, or ``waived_by`` on any of its messages."""
    return (
        result.outcome is Outcome.WAIVED
        or "waiver" in result.extra
        or any("waived_by" in m.to_dict() for m in (*result.messages, *result.warnings))
    )


def control_outcomes(
    controls: Iterable[Control], results: Iterable[ControlResult]
) -> dict[str, ControlOutcome]:
    """Every loaded control's outcome; a control the profile disabled has none."""
    ran = {r.id: ControlOutcome(r.id, r.outcome, r.enforcement, _waived(r)) for r in results}
    return {
        c.id: ran.get(c.id, ControlOutcome(c.id, None, Enforcement.DISABLED)) for c in controls
    }


def score_from_controls(outcomes: Sequence[ControlOutcome]) -> int:
    if all(o.outcome in (None, Outcome.NO_EVIDENCE, Outcome.ERROR) for o in outcomes):
        return 0
    if all(
        o.outcome in _PASSING and o.enforcement is Enforcement.BLOCKING and not o.waived
        for o in outcomes
    ):
        return 4
    accepted = sum(o.outcome in _ACCEPTED for o in outcomes)
    if accepted == len(outcomes):
        return 3
    if 2 * accepted >= len(outcomes):
        return 2
    return 1


def _attestation_entry(attestation: Attestation, status: str) -> dict[str, Any]:
    return {**attestation.to_dict(), "status": status}


def score_question(
    question: Question,
    outcomes: Sequence[ControlOutcome],
    attestation: Attestation | None,
    now: datetime,
) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": question.id,
        "domain": question.domain,
        "text": question.text,
        "target_level": question.target_level,
        "phase": question.phase,
        "mode": "automated" if outcomes else "attested",
        "controls": [o.id for o in outcomes],
        "attestation": None,
    }
    if any(o.saw_evidence for o in outcomes):
        entry.update(score=score_from_controls(outcomes), source="controls")
        if attestation is not None:
            entry["attestation"] = _attestation_entry(attestation, "superseded")
    elif attestation is not None:
        expired = attestation.expired(now)
        entry.update(score=0 if expired else attestation.score, source="attestation")
        entry["attestation"] = _attestation_entry(attestation, "expired" if expired else "valid")
    else:
        entry.update(score=0, source="none")
    return entry


def domain_level(questions: Sequence[Mapping[str, Any]]) -> int:
    """CMMI staged: the highest L such that every question with target <= L is met; floor 1."""
    level = 1
    for candidate in range(2, TOP_LEVEL + 1):
        if any(q["score"] < MET for q in questions if q["target_level"] <= candidate):
            break
        level = candidate
    return level


BLOCKER_KEYS = ("text", "score", "target_level", "phase", "mode", "source", "controls")


def blockers(
    questions: Sequence[Mapping[str, Any]],
    level: int,
    catalog: Catalog,
    keys: Sequence[str] = BLOCKER_KEYS,
) -> list[dict[str, Any]]:
    """The questions that hold a domain at ``level``: unmet, with target <= the next level."""
    if level >= TOP_LEVEL:
        return []
    unmet = [q for q in questions if q["target_level"] <= level + 1 and q["score"] < MET]
    return [
        {
            "question": q["id"],
            **{key: q[key] for key in keys},
            "hint": catalog.question(q["id"]).evidence_hint,
        }
        for q in sorted(unmet, key=lambda q: q["target_level"])
    ]


def rounded_mean(values: Sequence[float]) -> float:
    return round(sum(values) / len(values), 2) if values else 0.0


def score_domains(
    questions: Sequence[Mapping[str, Any]],
    catalog: Catalog,
    minimum_level: Mapping[str, int] | None = None,
    blocker_keys: Sequence[str] = BLOCKER_KEYS,
) -> list[dict[str, Any]]:
    """Per domain: level, next level, mean score, questions met, and the blocking questions."""
    domains = []
    for domain in catalog.domains:
        mine = [q for q in questions if q["domain"] == domain.id]
        level = domain_level(mine)
        domains.append({
            "id": domain.id,
            "name": domain.name,
            "level": level,
            "next_level": level + 1 if level < TOP_LEVEL else None,
            "mean": rounded_mean([q["score"] for q in mine]),
            "questions_met": sum(q["score"] >= MET for q in mine),
            "questions_total": len(mine),
            "minimum_level": (minimum_level or {}).get(domain.id),
            "blockers": blockers(mine, level, catalog, blocker_keys),
        })
    return domains


def overall(
    domains: Sequence[Mapping[str, Any]], questions: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    return {
        "level": min(d["level"] for d in domains),
        "mean": rounded_mean([q["score"] for q in questions]),
        "mean_level": rounded_mean([d["level"] for d in domains]),
    }


def score_maturity(
    controls: Iterable[Control],
    results: Iterable[ControlResult],
    now: datetime,
    attestations: Mapping[str, Attestation] | None = None,
    minimum_level: Mapping[str, int] | None = None,
    catalog: Catalog | None = None,
) -> dict[str, Any]:
    """The results document's ``maturity`` section for one run."""
    catalog = catalog or load_catalog()
    controls = tuple(controls)
    outcomes = control_outcomes(controls, results)
    links = answering_controls(catalog, controls)
    answers = attestations or {}
    questions = [
        score_question(q, [outcomes[c] for c in links[q.id]], answers.get(q.id), now)
        for q in catalog.questions
    ]
    domains = score_domains(questions, catalog, minimum_level)
    return {"overall": overall(domains, questions), "domains": domains, "questions": questions}


def below_minimum(maturity: Mapping[str, Any]) -> tuple[str, ...]:
    """Verdict reasons: each domain below the profile's minimum_level."""
    reasons = []
    for domain in maturity["domains"]:
        minimum = domain.get("minimum_level")
        if minimum is not None and domain["level"] < minimum:
            first = domain["blockers"][0]["question"]  # below a minimum, something blocks
            reasons.append(
                f"maturity {domain['id']} is at level {domain['level']}, below the profile's "
                f"minimum_level {minimum} (first blocking question: {first})"
            )
    return tuple(reasons)
