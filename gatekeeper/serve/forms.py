"""The questionnaire form: its fields, and a submission read into answers and field errors.

Each attested question has six fields, ``<QUESTION>.score`` (empty: no answer), ``.evidence``,
``.attested_by``, ``.date``, ``.expires`` and ``.evidence_files``: paths of files in the
attestations file's folder, comma-separated, that back the answer. A path not pinned yet is
pinned by the file's sha256 now; a path already pinned keeps the digest it was attested with
(`gatekeeper check` re-hashes it; to pin a changed file again, remove it and give it anew).
An answer is checked by ``gatekeeper.attestations.attestation_errors``, the code
`gatekeeper check` and `gatekeeper assess` read the file with, and each of its messages is shown
next to its field.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gatekeeper.attestations import Attestation, EvidenceFile, attestation_errors
from gatekeeper.errors import EvidenceError
from gatekeeper.jsonio import sha256_file
from gatekeeper.timeutil import parse_day

FIELDS = ("score", "evidence", "attested_by", "date", "expires", "evidence_files")
NOT_EDITABLE = (
    "a control answered this question in the latest results: it cannot be attested here"
)


def field_name(question: str, key: str) -> str:
    return f"{question}.{key}"


def shown_files(answer: Attestation | None) -> str:
    """The evidence_files field of an answer: its pinned paths."""
    return ", ".join(f.path for f in answer.evidence_files) if answer else ""


@dataclass
class Submission:
    """What a submitted form says: the answers as they would be, the answers that changed
    (None: removed), the values as typed, and the messages for each field."""

    answers: dict[str, Attestation]
    changes: dict[str, dict[str, Any] | None] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


UNPINNED = "0" * 64  # a placeholder digest: the paths are checked before any file is read


def _paths(text: str) -> list[str]:
    return list(dict.fromkeys(p.strip() for p in text.split(",") if p.strip()))


def _pins(
    paths: list[str], current: Attestation | None, folder: Path
) -> tuple[list[dict[str, str]], str | None]:
    """The evidence files of the field: kept pins, new pins of the files as they are now."""
    pinned = {f.path: f.sha256 for f in current.evidence_files} if current else {}
    files = []
    for path in paths:
        digest = pinned.get(path)
        if digest is None:
            try:
                digest = sha256_file(folder / path)
            except EvidenceError as error:
                return [], f"{path}: {error.message}"
        files.append({"path": path, "sha256": digest})
    return files, None


def _entry(values: Mapping[str, str], files: list[dict[str, str]]) -> dict[str, Any]:
    score = values["score"]
    entry: dict[str, Any] = {
        "score": int(score) if score.isascii() and score.isdigit() else score,
        **{key: values[key] for key in FIELDS[1:5]},
    }
    if files:
        entry["evidence_files"] = files
    return entry


def _field_errors(question: str, entry: dict[str, Any]) -> dict[str, str]:
    """The checker's messages by field (``attestations.<Q>.<key>[...]: problem``)."""
    errors: dict[str, str] = {}
    prefix = f"attestations.{question}"
    for line in attestation_errors({"version": 1, "attestations": {question: entry}}):
        where, _, problem = line.partition(": ")
        key = where.removeprefix(prefix).lstrip(".").split("[")[0] or "score"
        errors.setdefault(field_name(question, key if key in FIELDS else "score"), problem)
    return errors


def _answer(question: str, entry: dict[str, Any], current: Attestation | None) -> Attestation:
    return Attestation(
        question=question, score=entry["score"], evidence=entry["evidence"],
        attested_by=entry["attested_by"], date=parse_day(entry["date"]),
        expires=parse_day(entry["expires"]),
        note=current.note if current else None,
        evidence_files=tuple(
            EvidenceFile(f["path"], f["sha256"]) for f in entry.get("evidence_files", [])
        ),
    )


def read_submission(
    form: Mapping[str, str],
    editable: Collection[str],
    answered: Collection[str],
    current: Mapping[str, Attestation],
    folder: Path,
) -> Submission:
    """The form's answers to the ``editable`` questions over the ``current`` ones; a field of
    a question a control ``answered`` is an error, never an answer. ``folder``: where the
    attestations file is, which evidence file paths are relative to."""
    submission = Submission(answers=dict(current))
    for question in answered:
        if any(field_name(question, key) in form for key in FIELDS):
            submission.errors[field_name(question, "score")] = NOT_EDITABLE
    for question in editable:
        if field_name(question, "score") not in form:
            continue  # not on the form: kept as it is
        values = {key: form.get(field_name(question, key), "").strip() for key in FIELDS}
        if field_name(question, "evidence_files") not in form:  # a form without the field
            values["evidence_files"] = shown_files(current.get(question))  # keeps the pins
        submission.values.update({field_name(question, k): v for k, v in values.items()})
        if not values["score"]:
            submission.answers.pop(question, None)
            if question in current:
                submission.changes[question] = None
            continue
        paths = _paths(values["evidence_files"])
        unpinned = [{"path": path, "sha256": UNPINNED} for path in paths]
        errors = _field_errors(question, _entry(values, unpinned))
        files: list[dict[str, str]] = []
        if field_name(question, "evidence_files") not in errors:
            files, missing = _pins(paths, current.get(question), folder)
            if missing:
                errors[field_name(question, "evidence_files")] = missing
        if errors:
            submission.errors.update(errors)
            continue
        entry = _entry(values, files)
        answer = _answer(question, entry, current.get(question))
        submission.answers[question] = answer
        if answer != current.get(question):
            submission.changes[question] = {**entry, "evidence_files": files or None}
    return submission
