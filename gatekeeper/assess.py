"""`gatekeeper assess`: ask the attested questions, one prompt each, and keep the answers.

The questions asked are those no loaded control answers (or the ones named with
``--question``). Each answer is saved as soon as it is given, so an interrupted session keeps
what was answered; answers to questions not asked this time are kept as they were.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import click

from gatekeeper.attestations import Attestation, dump_attestations
from gatekeeper.catalog import is_question_id
from gatekeeper.catalog.loader import Catalog, Question
from gatekeeper.errors import ConfigError
from gatekeeper.outputs import write_file
from gatekeeper.timeutil import parse_day

SKIP = "skip"
DEFAULT_LIFETIME = timedelta(days=365)


class _Day(click.ParamType):  # type: ignore[type-arg]
    name = "date"

    def convert(self, value: Any, param: Any, ctx: Any) -> date:
        if isinstance(value, date):
            return value
        try:
            return parse_day(str(value).strip())
        except ValueError:
            self.fail(f"{value!r} is not a date: write YYYY-MM-DD", param, ctx)


def questions_to_ask(
    catalog: Catalog,
    links: Mapping[str, tuple[str, ...]],
    domain: str | None = None,
    question_ids: Sequence[str] = (),
) -> list[Question]:
    """The named questions, or else every question no loaded control answers; in one domain
    when one is given. Catalog order."""
    for question_id in question_ids:
        if not is_question_id(question_id):
            raise ConfigError(f"--question {question_id}: unknown question")
    return [
        q for q in catalog.questions
        if domain in (None, q.domain)
        and (q.id in question_ids if question_ids else not links[q.id])
    ]


def explain_scale(catalog: Catalog, path: Path) -> None:
    click.echo("Answer each question on the maturity model's response scale:")
    for point in catalog.scale:
        click.echo(f"  {point.score}  {point.name}: {point.description}")
    click.echo(
        f"Enter '{SKIP}' to leave a question as it is. Each answer is saved at once to {path}.\n"
    )


def _describe(question: Question, catalog: Catalog, number: int, total: int) -> None:
    phase = catalog.phase(question.phase)
    click.echo(
        f"[{number}/{total}] {question.id} · target level {question.target_level} · "
        f"{phase.id} {phase.name}"
    )
    for line in textwrap.wrap(question.text, 78, initial_indent="  ", subsequent_indent="  "):
        click.echo(line)
    for line in textwrap.wrap(
        f"Evidence that answers it: {question.evidence_hint}", 78,
        initial_indent="  ", subsequent_indent="    ",
    ):
        click.echo(line)


def _current(answer: Attestation, today: date) -> str:
    state = "expired" if today > answer.expires else "valid"
    return (
        f"  Current answer: {answer.score} by {answer.attested_by} on {answer.date}, "
        f"expires {answer.expires} ({state})"
    )


def ask(
    question: Question, current: Attestation | None, today: date, attester: str | None
) -> Attestation | None:
    """One question's answer from the prompts, or None when it is skipped."""
    if current is not None:
        click.echo(_current(current, today))
    score = click.prompt(
        "Score",
        type=click.Choice(["0", "1", "2", "3", "4", SKIP]),
        default=str(current.score) if current else SKIP,
    )
    if score == SKIP:
        return None
    evidence = click.prompt("Evidence link", default=current.evidence if current else None)
    attested_by = click.prompt(
        "Attested by", default=current.attested_by if current else attester
    )
    day = click.prompt("Date (YYYY-MM-DD)", type=_Day(), default=today.isoformat())
    keep = current is not None and current.expires >= day
    expires = click.prompt(
        "Expires (YYYY-MM-DD)", type=_Day(),
        default=(current.expires if current and keep else day + DEFAULT_LIFETIME).isoformat(),
    )
    while expires < day:
        click.echo(f"Error: the expiry must not be before the date {day}")
        expires = click.prompt("Expires (YYYY-MM-DD)", type=_Day())
    return Attestation(
        question=question.id, score=int(score), evidence=evidence.strip(),
        attested_by=attested_by.strip(), date=day, expires=expires,
        note=current.note if current else None,
        evidence_files=current.evidence_files if current else (),
    )


def save(path: Path, answers: dict[str, Attestation], catalog: Catalog) -> None:
    """Write the whole file atomically: a crash never leaves half a file."""
    text = dump_attestations(answers, [q.id for q in catalog.questions])
    write_file(path, text.encode("utf-8"))


def assess(
    path: Path,
    questions: Sequence[Question],
    answers: dict[str, Attestation],
    catalog: Catalog,
    today: date,
) -> int:
    """Ask ``questions`` in order; returns how many were answered."""
    if not questions:
        click.echo("No question to ask: every selected question is answered by a control.")
        return 0
    explain_scale(catalog, path)
    answered = 0
    for number, question in enumerate(questions, 1):
        _describe(question, catalog, number, len(questions))
        attester = next((a.attested_by for a in reversed(answers.values())), None)
        answer = ask(question, answers.get(question.id), today, attester)
        click.echo("")
        if answer is not None:
            answers[question.id] = answer
            save(path, answers, catalog)
            answered += 1
    click.echo(f"{answered} of {len(questions)} questions answered; {len(answers)} in {path}")
    return answered
