"""The questionnaire form: its fields, and a submission read into answers and field errors.

Each attested question has five fields, ``<QUESTION>.score`` (empty: no answer), ``.evidence``,
``.attested_by``, ``.date`` and ``.expires``. An answer is checked by
``gatekeeper.attestations.attestation_errors``, the code `gatekeeper check` and
`gatekeeper assess` read the file with, and each of its messages is shown next to its field.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from gatekeeper.attestations import Attestation, attestation_errors, parse_date

FIELDS = ("score", "evidence", "attested_by", "date", "expires")
NOT_EDITABLE = (
    "a control answered this question in the latest results: it cannot be attested here"
)


def field_name(question: str, key: str) -> str:
    return f"{question}.{key}"


@dataclass
class Submission:
    """What a submitted form says: the answers as they would be, the answers that changed
    (None: removed), the values as typed, and the messages for each field."""

    answers: dict[str, Attestation]
    changes: dict[str, dict[str, Any] | None] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def _entry(values: Mapping[str, str]) -> dict[str, Any]:
    score = values["score"]
    return {
        "score": int(score) if score.isascii() and score.isdigit() else score,
        **{key: values[key] for key in FIELDS[1:]},
    }


def _field_errors(question: str, entry: dict[str, Any]) -> dict[str, str]:
    """The checker's messages by field (``attestations.<Q>.<key>: problem``)."""
    errors: dict[str, str] = {}
    prefix = f"attestations.{question}"
    for line in attestation_errors({"version": 1, "attestations": {question: entry}}):
        where, _, problem = line.partition(": ")
        key = where.removeprefix(prefix).lstrip(".") or "score"
        errors.setdefault(field_name(question, key if key in FIELDS else "score"), problem)
    return errors


def _answer(question: str, entry: dict[str, Any], current: Attestation | None) -> Attestation:
    return Attestation(
        question=question, score=entry["score"], evidence=entry["evidence"],
        attested_by=entry["attested_by"], date=parse_date(entry["date"]),
        expires=parse_date(entry["expires"]),
        note=current.note if current else None,
        evidence_files=current.evidence_files if current else (),
    )


def read_submission(
    form: Mapping[str, str],
    editable: Collection[str],
    answered: Collection[str],
    current: Mapping[str, Attestation],
) -> Submission:
    """The form's answers to the ``editable`` questions over the ``current`` ones; a field of
    a question a control ``answered`` is an error, never an answer."""
    submission = Submission(answers=dict(current))
    for question in answered:
        if any(field_name(question, key) in form for key in FIELDS):
            submission.errors[field_name(question, "score")] = NOT_EDITABLE
    for question in editable:
        if field_name(question, "score") not in form:
            continue  # not on the form: kept as it is
        values = {key: form.get(field_name(question, key), "").strip() for key in FIELDS}
        submission.values.update({field_name(question, k): v for k, v in values.items()})
        if not values["score"]:
            submission.answers.pop(question, None)
            if question in current:
                submission.changes[question] = None
            continue
        entry = _entry(values)
        errors = _field_errors(question, entry)
        if errors:
            submission.errors.update(errors)
            continue
        answer = _answer(question, entry, current.get(question))
        submission.answers[question] = answer
        if answer != current.get(question):
            submission.changes[question] = entry
    return submission
