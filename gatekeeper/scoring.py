"""Stage 4, score: maturity questions, domain levels, the overall level, and the gap.

A question's controls are the loaded controls whose METADATA names it; it is ``automated``
when there is at least one, ``attested`` otherwise. Its score is the lowest of a base score
and every limit that applies (docs/maturity.md states the rules with a worked example).

Base score, from its controls' outcomes:

  4  every control passed (or warned), every one is blocking, nothing was waived
  3  every control passed, warned or was waived (advisory controls stop here)
  2  at least half of them passed, warned or were waived
  1  evidence was there, but mostly failing
  0  no evidence: every control was no_evidence, error, or disabled by the profile

A warning that a measurement is missing (a warn finding ending in ``:unmeasured``, such as an
SLO with no metric) counts as no evidence, not as a pass.

Limits, each recorded in the question's ``limits`` with its reason when it lowers the score:

  strength         the answer's strength is the weakest strength of the controls that saw
                   evidence; declared or documented evidence caps at 2
  history          verified or measured evidence caps at 3 unless it held over HELD_RUNS
                   consecutive prior runs (``history``: question id -> runs it held; none
                   without a results history), so a single release never scores 4
  waived_absence   a control with no evidence waived by an exception caps at 1
  waived_failure   a waived failure (the whole control or some findings) caps at 2
  attested         an attestation without evidence files caps at 2, one whose files are pinned
                   by sha256 (strength documented) at 3
  prerequisite     a question scores no higher than its prerequisites (catalog/prerequisites.yaml)

Verified beats attested: when any of its controls saw evidence, the controls' score stands and
an attestation for the question is ``superseded``. When none did a valid attestation answers;
an expired one scores 0 and is marked ``expired``; one for a question whose control the profile
disabled is ``refused`` (scores 0) unless the organization allows it (``allow_attested_disabled``).
A control that errored is not "no evidence": its question scores 0 and no attestation can paper
over the error.

A control that does not apply to the system's kinds (gatekeeper.kinds) is left out of its
questions; a question none of whose controls applies is ``not_applicable`` ("not applicable to a
classical-ml system"): it scores nothing and counts nowhere (means, gaps, prerequisites), and a
domain neither loses nor gains a level from it: its level stops below a target level all of whose
questions do not apply.

A domain reaches level L (CMMI staged) when every question with target level <= L scores at
least 3; level 1 is the floor. The overall level is the lowest domain level; the means are
shown beside it. The gap of a domain is the questions that hold it below its next level.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from gatekeeper.attestations import Attestation
from gatekeeper.catalog.loader import Catalog, Question, answering_controls, load_catalog
from gatekeeper.config import Enforcement
from gatekeeper.engine.policies import STRENGTHS, USER_DEFAULT_STRENGTH, Control
from gatekeeper.kinds import applies, describe
from gatekeeper.results import ControlResult, Outcome

MET = 3  # a question scoring at least this counts as met
TOP_LEVEL = 5
HELD_RUNS = 3  # consecutive prior runs bound evidence must have held before a 4
BOUND_STRENGTHS = ("verified", "measured")  # may reach 4 once they held over time
UNBOUND_CAP = 2  # declared or documented evidence
SINGLE_RUN_CAP = 3  # bound evidence without a history
WAIVED_ABSENCE_CAP = 1
WAIVED_FAILURE_CAP = 2
ATTESTED_CAP = {"attested": 2, "documented": 3}  # without / with pinned evidence files
UNMEASURED = ":unmeasured"
_PASSING = (Outcome.PASS, Outcome.WARN)
_Question = TypeVar("_Question", bound=Mapping[str, Any])
_ACCEPTED = (Outcome.PASS, Outcome.WARN, Outcome.WAIVED)


@dataclass(frozen=True)
class ControlOutcome:
    """What one control said in this run; ``outcome`` None: disabled by the profile."""

    id: str
    outcome: Outcome | None
    enforcement: Enforcement
    waived: bool = False
    strength: str = USER_DEFAULT_STRENGTH
    waived_absence: bool = False
    unmeasured: bool = False  # it warned that a measurement is missing
    evidence_files: tuple[str, ...] = ()

    @property
    def counted(self) -> Outcome | None:
        """The outcome scoring counts: a missing measurement is missing evidence."""
        return Outcome.NO_EVIDENCE if self.unmeasured else self.outcome

    @property
    def saw_evidence(self) -> bool:
        return self.counted not in (None, Outcome.NO_EVIDENCE)


def _waived(result: ControlResult) -> bool:
    """Waived as a whole or in part, per the results contract: the control's outcome or its
    ``waiver``, or ``waived_by`` on any of its messages."""
    return (
        result.outcome is Outcome.WAIVED
        or "waiver" in result.extra
        or any("waived_by" in m.to_dict() for m in (*result.messages, *result.warnings))
    )


def _unmeasured(result: ControlResult) -> bool:
    return any((m.finding or "").endswith(UNMEASURED) for m in result.warnings)


def _control_outcome(result: ControlResult) -> ControlOutcome:
    return ControlOutcome(
        result.id, result.outcome, result.enforcement, _waived(result), result.strength,
        result.waived_absence, _unmeasured(result), result.evidence_files,
    )


def control_outcomes(
    controls: Iterable[Control],
    results: Iterable[ControlResult],
    kinds: Sequence[str] | None = None,
) -> dict[str, ControlOutcome]:
    """Every loaded control's outcome; a control the profile disabled has none, unless it does
    not apply to the system's ``kinds`` (not_applicable, disabled or not)."""
    ran = {r.id: _control_outcome(r) for r in results}
    return {
        c.id: ran.get(c.id, ControlOutcome(
            c.id,
            None if applies(c, kinds) else Outcome.NOT_APPLICABLE,
            Enforcement.DISABLED,
            strength=c.strength,
        ))
        for c in controls
    }


def score_from_controls(outcomes: Sequence[ControlOutcome]) -> int:
    """The base score from the outcomes alone, before any limit."""
    if all(o.counted in (None, Outcome.NO_EVIDENCE, Outcome.ERROR) for o in outcomes):
        return 0
    if all(
        o.counted in _PASSING and o.enforcement is Enforcement.BLOCKING and not o.waived
        for o in outcomes
    ):
        return 4
    accepted = sum(o.counted in _ACCEPTED for o in outcomes)
    if accepted == len(outcomes):
        return 3
    if 2 * accepted >= len(outcomes):
        return 2
    return 1


def weakest(strengths: Iterable[str]) -> str:
    return max(strengths, key=STRENGTHS.index)


def _limit(rule: str, cap: int, why: str) -> dict[str, Any]:
    return {"rule": rule, "cap": cap, "why": why}


def control_limits(outcomes: Sequence[ControlOutcome], held_runs: int) -> list[dict[str, Any]]:
    """Every limit the controls' evidence puts on a question's score."""
    strength = weakest(o.strength for o in outcomes if o.saw_evidence)
    limits = []
    if strength not in BOUND_STRENGTHS:
        limits.append(_limit(
            "strength", UNBOUND_CAP,
            f"{strength} evidence shows the practice is there for this release, not that it "
            "is measured or adopted organization-wide",
        ))
    elif held_runs < HELD_RUNS:
        limits.append(_limit(
            "history", SINGLE_RUN_CAP,
            f"4 (complete, continuous improvement) needs {strength} evidence that held over "
            f"{HELD_RUNS} consecutive prior runs; the results history shows {held_runs}",
        ))
    absent = [o.id for o in outcomes if o.waived_absence]
    waived = [o.id for o in outcomes if o.waived and not o.waived_absence]
    if absent:
        limits.append(_limit(
            "waived_absence", WAIVED_ABSENCE_CAP,
            f"{', '.join(absent)} had no evidence; an exception accepting that is not an "
            "implementation",
        ))
    if waived:
        limits.append(_limit(
            "waived_failure", WAIVED_FAILURE_CAP,
            f"{', '.join(waived)} failed and an exception waived it",
        ))
    return limits


def _evidence(outcome: ControlOutcome, digests: Mapping[str, str]) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "control": outcome.id,
        "outcome": outcome.outcome.value if outcome.outcome else "disabled",
        "strength": outcome.strength,
        "files": [{"path": f, "sha256": digests.get(f)} for f in outcome.evidence_files],
    }
    if outcome.unmeasured:
        entry["counted_as"] = Outcome.NO_EVIDENCE.value
    return entry


def _attestation_entry(attestation: Attestation, status: str) -> dict[str, Any]:
    return {**attestation.to_dict(), "status": status, "strength": attestation.strength}


def _answer_by_attestation(
    entry: dict[str, Any],
    outcomes: Sequence[ControlOutcome],
    attestation: Attestation,
    now: datetime,
    allow_attested_disabled: bool,
) -> None:
    disabled = [o.id for o in outcomes if o.outcome is None]
    if attestation.expired(now):
        entry.update(base_score=0, source="attestation")
        entry["attestation"] = _attestation_entry(attestation, "expired")
    elif disabled and not allow_attested_disabled:
        entry.update(base_score=0, source="none")
        entry["attestation"] = _attestation_entry(attestation, "refused")
        entry["limits"].append(_limit(
            "attestation_refused", 0,
            f"{', '.join(disabled)} is disabled by the profile; an attestation cannot answer in "
            "its place unless the organization policy allows it",
        ))
    else:
        cap = ATTESTED_CAP[attestation.strength]
        entry.update(base_score=attestation.score, source="attestation")
        entry.update(strength=attestation.strength)
        entry["attestation"] = _attestation_entry(attestation, "valid")
        entry["limits"].append(_limit(
            "attested", cap,
            "an attestation is a person's word"
            + (": pinned evidence files let it reach 3, never 4" if cap == 3 else
               " without evidence files (path + sha256): it scores at most 2"),
        ))


def score_question(
    question: Question,
    outcomes: Sequence[ControlOutcome],
    attestation: Attestation | None,
    now: datetime,
    held_runs: int = 0,
    allow_attested_disabled: bool = False,
    digests: Mapping[str, str] | None = None,
    not_applicable_to: str = "not applicable to this system",
) -> dict[str, Any]:
    """One question's entry. Its controls that do not apply to the system are left out of the
    score; when none applies the question is ``not_applicable`` (``not_applicable_to`` says
    why) and domain levels ignore it."""
    entry: dict[str, Any] = {
        "id": question.id,
        "domain": question.domain,
        "text": question.text,
        "target_level": question.target_level,
        "phase": question.phase,
        "mode": "automated" if outcomes else "attested",
        "controls": [o.id for o in outcomes],
        "attestation": None,
        "strength": None,
        "limits": [],
        "evidence": [_evidence(o, digests or {}) for o in outcomes],
    }
    if outcomes and all(o.outcome is Outcome.NOT_APPLICABLE for o in outcomes):
        entry.update(base_score=0, score=0, source="none", not_applicable=not_applicable_to)
        return entry
    outcomes = [o for o in outcomes if o.outcome is not Outcome.NOT_APPLICABLE]
    if any(o.saw_evidence for o in outcomes):
        entry.update(
            base_score=score_from_controls(outcomes), source="controls",
            strength=weakest(o.strength for o in outcomes if o.saw_evidence),
        )
        entry["limits"] += control_limits(outcomes, held_runs)
        if attestation is not None:
            entry["attestation"] = _attestation_entry(attestation, "superseded")
    elif attestation is not None:
        _answer_by_attestation(entry, outcomes, attestation, now, allow_attested_disabled)
    else:
        entry.update(base_score=0, source="none")
    entry["limits"] = [lim for lim in entry["limits"] if lim["cap"] < entry["base_score"]]
    entry["score"] = min([entry["base_score"], *(lim["cap"] for lim in entry["limits"])])
    return entry


def apply_prerequisites(
    questions: Sequence[dict[str, Any]], prerequisites: Mapping[str, tuple[str, ...]]
) -> None:
    """Cap each question at its prerequisites' scores, lower target levels first (the catalog
    guarantees a prerequisite has a lower target, so it is final when it is read)."""
    by_id = {q["id"]: q for q in questions}
    for question in sorted(applicable(questions), key=lambda q: q["target_level"]):
        for required in prerequisites.get(question["id"], ()):
            if "not_applicable" in by_id[required]:
                continue  # a prerequisite that does not apply to this system holds nothing back
            cap = by_id[required]["score"]
            if cap < question["score"]:
                question["limits"].append(_limit(
                    "prerequisite", cap,
                    f"scores no higher than its prerequisite {required} ({cap})",
                ))
                question["score"] = cap


def applicable(questions: Sequence[_Question]) -> list[_Question]:
    """The questions that apply to this system: the only ones levels, means and gaps count."""
    return [q for q in questions if "not_applicable" not in q]


def domain_level(questions: Sequence[Mapping[str, Any]]) -> int:
    """CMMI staged: the highest L such that every question with target <= L is met; floor 1.

    A question that does not apply is not required, and it earns nothing either: the level
    stops below a target level all of whose questions do not apply.
    """
    level = 1
    for candidate in range(2, TOP_LEVEL + 1):
        if any(q["score"] < MET for q in applicable(questions) if q["target_level"] <= candidate):
            break
        at_candidate = [q for q in questions if q["target_level"] == candidate]
        if at_candidate and not applicable(at_candidate):
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
        every = [q for q in questions if q["domain"] == domain.id]
        mine = applicable(every)
        level = domain_level(every)
        domains.append({
            "id": domain.id,
            "name": domain.name,
            "level": level,
            "next_level": level + 1 if level < TOP_LEVEL else None,
            "mean": rounded_mean([q["score"] for q in mine]),
            "questions_met": sum(q["score"] >= MET for q in mine),
            "questions_total": len(mine),
            "questions_not_applicable": len(every) - len(mine),
            "minimum_level": (minimum_level or {}).get(domain.id),
            "blockers": blockers(mine, level, catalog, blocker_keys),
        })
    return domains


def overall(
    domains: Sequence[Mapping[str, Any]], questions: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    return {
        "level": min(d["level"] for d in domains),
        "mean": rounded_mean([q["score"] for q in applicable(questions)]),
        "mean_level": rounded_mean([d["level"] for d in domains]),
    }


def score_maturity(
    controls: Iterable[Control],
    results: Iterable[ControlResult],
    now: datetime,
    attestations: Mapping[str, Attestation] | None = None,
    minimum_level: Mapping[str, int] | None = None,
    catalog: Catalog | None = None,
    *,
    sources: Iterable[Mapping[str, Any]] = (),
    history: Mapping[str, int] | None = None,
    allow_attested_disabled: bool = False,
    kinds: Sequence[str] | None = None,
) -> dict[str, Any]:
    """The results document's ``maturity`` section for one run.

    ``kinds``: the system's declared kinds (None: every kind); a question none of whose
    controls applies to them is not applicable and counts nowhere.

    ``sources``: the evidence sources (path, sha256) so each answer names its files' digests.
    ``history``: per question, how many consecutive prior runs its evidence held (from a
    results history; none: no question can score 4). ``allow_attested_disabled``: the
    organization policy lets attestations answer questions whose control is disabled.
    """
    catalog = catalog or load_catalog()
    controls = tuple(controls)
    outcomes = control_outcomes(controls, results, kinds)
    label = (
        f"not applicable to a{_an(kinds)} {describe(kinds)} system"
        if kinds else "not applicable to this system"
    )
    links = answering_controls(catalog, controls)
    answers = attestations or {}
    held = history or {}
    digests = {source["path"]: source["sha256"] for source in sources}
    questions = [
        score_question(
            q, [outcomes[c] for c in links[q.id]], answers.get(q.id), now,
            held.get(q.id, 0), allow_attested_disabled, digests, label,
        )
        for q in catalog.questions
    ]
    apply_prerequisites(questions, catalog.prerequisites)
    domains = score_domains(questions, catalog, minimum_level)
    return {"overall": overall(domains, questions), "domains": domains, "questions": questions}


def _an(kinds: Sequence[str]) -> str:
    """The article before the kinds: "an llm-app system", "a classical-ml system"."""
    return "n" if kinds[0][0] in "aeiou" else ""

