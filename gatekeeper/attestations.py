"""The attestations file: human answers to maturity questions, each signed off and time-bound.

::

    version: 1
    attestations:
      GRC-Q1:
        score: 3                       # the response scale, 0-4
        evidence: https://wiki.example.com/ai-governance-charter
        attested_by: Dana Reyes (CISO office)
        date: 2026-09-01               # YYYY-MM-DD
        expires: 2027-09-01            # the last day the answer counts
        evidence_files:                # optional: files that back the answer, pinned by digest
          - path: docs/governance-charter.md   # relative to the attestations file's folder
            sha256: 3f5a...

Read strictly (``yamlio``: no anchors, no duplicate question, dates kept as written) and
validated against ``schemas/attestations.schema.json``; an unknown question, a score outside
0-4, a missing attester or date, a date that is not a date, or an expiry before the date is a
ConfigError (exit 2) naming the file and the entry.

An answer that names evidence files is ``documented``, one that does not is ``attested``
(gatekeeper.scoring caps them differently). At run time ``verify_evidence_files`` re-hashes
each named file: a missing file or a different digest is an EvidenceError (exit 3) naming the
attestations file, the question and the evidence file, never a silent pass.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from gatekeeper.catalog import is_question_id
from gatekeeper.errors import ConfigError, EvidenceError
from gatekeeper.jsonio import decode_text, read_bytes, sha256_bytes, sha256_file
from gatekeeper.schemas import validation_errors
from gatekeeper.timeutil import end_of_day, parse_day
from gatekeeper.yamlio import YAML_READ_LIMIT, load_yaml_text

FORMAT_VERSION = 1


@dataclass(frozen=True)
class EvidenceFile:
    """A file behind an attestation, pinned by its sha256 when the answer was given."""

    path: str
    sha256: str

    def to_dict(self) -> dict[str, str]:
        return {"path": self.path, "sha256": self.sha256}


@dataclass(frozen=True)
class Attestation:
    question: str
    score: int
    evidence: str
    attested_by: str
    date: dt.date
    expires: dt.date
    note: str | None = None
    evidence_files: tuple[EvidenceFile, ...] = ()

    @property
    def strength(self) -> str:
        """``documented`` when files back the answer, else ``attested`` (a person's word)."""
        return "documented" if self.evidence_files else "attested"

    def expired(self, now: datetime) -> bool:
        """Expired once the expiry day is over in UTC (the day itself counts: timeutil)."""
        return now >= end_of_day(self.expires)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "score": self.score,
            "evidence": self.evidence,
            "attested_by": self.attested_by,
            "date": self.date.isoformat(),
            "expires": self.expires.isoformat(),
        }
        if self.note:
            data["note"] = self.note
        if self.evidence_files:
            data["evidence_files"] = [f.to_dict() for f in self.evidence_files]
        return data


@dataclass(frozen=True)
class Attestations:
    path: Path
    sha256: str
    answers: dict[str, Attestation]


def _entries(raw: dict[str, Any]) -> dict[Any, Any]:
    entries = raw.get("attestations")
    return entries if isinstance(entries, dict) else {}


def _date_errors(question: str, entry: dict[str, Any]) -> list[str]:
    where = f"attestations.{question}"
    errors, days = [], {}
    for key in ("date", "expires"):
        if not isinstance(entry.get(key), str):
            continue  # missing or not a string: the schema says so
        try:
            days[key] = parse_day(entry[key])
        except ValueError:
            errors.append(f"{where}.{key}: {entry[key]!r} is not a date (YYYY-MM-DD)")
    if len(days) == 2 and days["expires"] < days["date"]:
        errors.append(
            f"{where}.expires: {entry['expires']} is before its date {entry['date']}"
        )
    return errors


def attestation_errors(raw: dict[str, Any]) -> list[str]:
    """Every problem of an attestations document, as ``attestations.<question>[.<key>]:
    problem`` lines: an unknown question, the schema, dates and their order."""
    entries = _entries(raw)
    errors = [
        f"attestations.{question}: unknown question (see `gatekeeper model questions`)"
        for question in entries
        if not is_question_id(str(question))
    ]
    errors += validation_errors(raw, "attestations")
    for question, entry in entries.items():
        if isinstance(entry, dict):
            errors += _date_errors(str(question), entry)
    return errors


def parse_attestations(raw: Any, path: Path, digest: str) -> Attestations:
    if not isinstance(raw, dict):
        raise ConfigError("expected a mapping with 'version' and 'attestations'", path=path)
    errors = attestation_errors(raw)
    if errors:
        raise ConfigError(
            "invalid attestations:\n  " + "\n  ".join(errors),
            path=path,
            hint="see docs/maturity.md (attestations file)",
        )
    answers = {
        question: Attestation(
            question=question,
            score=entry["score"],
            evidence=entry["evidence"],
            attested_by=entry["attested_by"],
            date=parse_day(entry["date"]),
            expires=parse_day(entry["expires"]),
            note=entry.get("note"),
            evidence_files=tuple(
                EvidenceFile(item["path"], item["sha256"])
                for item in entry.get("evidence_files", [])
            ),
        )
        for question, entry in raw["attestations"].items()
    }
    return Attestations(path=path, sha256=digest, answers=answers)


def verify_evidence_files(attestations: Attestations) -> None:
    """Every file an answer names still has the digest it was attested with."""
    folder = attestations.path.parent
    for question, answer in attestations.answers.items():
        for pinned in answer.evidence_files:
            where = f"attestations.{question}.evidence_files: {pinned.path}"
            try:
                actual = sha256_file(folder / pinned.path)
            except EvidenceError as error:
                raise EvidenceError(
                    f"{where}: {error.message}", path=attestations.path,
                    hint="restore the file, or attest again with its current sha256",
                ) from None
            if actual != pinned.sha256:
                raise EvidenceError(
                    f"{where}: sha256 is {actual}, the attestation pinned {pinned.sha256}",
                    path=attestations.path,
                    hint="the evidence changed since it was attested: review it and attest again",
                )


def load_attestations(path: Path) -> Attestations:
    if not path.exists():
        raise ConfigError(
            "attestations file not found", path=path,
            hint="create it with `gatekeeper assess`, or fix `attestations:` in gatekeeper.yaml",
        )
    data = read_bytes(path, ConfigError, limit=YAML_READ_LIMIT)
    text = decode_text(data, path, ConfigError)
    return parse_attestations(load_yaml_text(text, path), path, sha256_bytes(data))


def dump_attestations(answers: dict[str, Attestation], order: list[str]) -> str:
    """The file's text, answers in catalog order (comments of an edited file are not kept)."""
    import yaml

    body = {
        "version": FORMAT_VERSION,
        "attestations": {q: answers[q].to_dict() for q in order if q in answers},
    }
    header = (
        "# gatekeeper attestations: answers to the maturity questions that no control's\n"
        "# evidence answers. Written by `gatekeeper assess`; see docs/maturity.md.\n"
    )
    return header + yaml.safe_dump(body, sort_keys=False, allow_unicode=True, width=96)
