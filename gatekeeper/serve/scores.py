"""Live maturity: the latest results' control answers, the attestations as they stand now.

What a control answered comes from the results document and cannot change here; what an
attestation answers is scored again by ``gatekeeper.scoring.score_question`` with the answers
being edited, and the prerequisites, domain levels, blockers and overall level follow from
gatekeeper.scoring as in a run. Scoring the results' own attestations at the results' time
gives back the results' maturity section (tests/serve/test_scores.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from gatekeeper.attestations import Attestation
from gatekeeper.catalog.loader import Catalog
from gatekeeper.config import Enforcement
from gatekeeper.results import Outcome
from gatekeeper.scoring import (
    ControlOutcome,
    apply_prerequisites,
    overall,
    score_domains,
    score_question,
)

DISABLED = "disabled"  # a control the profile disabled, in a question's ``evidence``


def answered_by_controls(entry: Mapping[str, Any]) -> bool:
    """A question one of its controls answered in the results: read-only in the app."""
    return bool(entry["source"] == "controls")


def _outcome(evidence: Mapping[str, Any]) -> ControlOutcome:
    """A control's outcome as a question's ``evidence`` entry records it. Only questions no
    control saw evidence for are scored again, so enforcement and waivers do not matter."""
    outcome = None if evidence["outcome"] == DISABLED else Outcome(evidence["outcome"])
    return ControlOutcome(
        evidence["control"], outcome, Enforcement.BLOCKING, strength=evidence["strength"],
        unmeasured=evidence.get("counted_as") == Outcome.NO_EVIDENCE.value,
        evidence_files=tuple(f["path"] for f in evidence["files"]),
    )


def _before_prerequisites(entry: Mapping[str, Any]) -> dict[str, Any]:
    """A control-answered question as ``score_question`` gave it, before
    ``apply_prerequisites`` capped it (the prerequisites are applied again)."""
    limits = [limit for limit in entry["limits"] if limit["rule"] != "prerequisite"]
    score = min([entry["base_score"], *(limit["cap"] for limit in limits)])
    return {**entry, "limits": limits, "score": score}


def attested_disabled_allowed(results: Mapping[str, Any]) -> bool:
    """Whether the run let an attestation answer for a disabled control: only when it did
    (the results do not record the organization policy's setting, so unknown is refused)."""
    return any(
        (question.get("attestation") or {}).get("status") == "valid"
        and any(e["outcome"] == DISABLED for e in question["evidence"])
        for question in results["maturity"]["questions"]
    )


def live_maturity(
    results: Mapping[str, Any],
    answers: Mapping[str, Attestation],
    now: datetime,
    catalog: Catalog,
) -> dict[str, Any]:
    """The maturity section with ``answers`` as the attestations, scored at ``now``."""
    stored = {q["id"]: q for q in results["maturity"]["questions"]}
    digests = {s["path"]: s["sha256"] for s in results["evidence"]["sources"]}
    allowed = attested_disabled_allowed(results)
    questions = []
    for question in catalog.questions:
        entry = stored[question.id]
        if answered_by_controls(entry):
            questions.append(_before_prerequisites(entry))
            continue
        outcomes = [_outcome(evidence) for evidence in entry["evidence"]]
        questions.append(score_question(
            question, outcomes, answers.get(question.id), now,
            allow_attested_disabled=allowed, digests=digests,
        ))
    apply_prerequisites(questions, catalog.prerequisites)
    minimum = {
        d["id"]: d["minimum_level"] for d in results["maturity"]["domains"]
        if d.get("minimum_level") is not None
    }
    domains = score_domains(questions, catalog, minimum)
    return {"overall": overall(domains, questions), "domains": domains, "questions": questions}
