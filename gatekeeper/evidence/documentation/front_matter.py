"""The facts a document states in its YAML front matter: who approved it, when, who assessed.

The convention (docs/documents.md): a document may open with a YAML block between two ``---``
lines. Of its keys, gatekeeper reads the facts below and leaves every other key alone (a model
card's ``license`` or ``tags``):

  owner        who keeps the document (text)
  approved_by  who approved it (text)
  approved_on  when it was approved (date)
  date         when the activity it records took place: a drill, an audit, an engagement (date)
  assessor     who performed that activity: the audit firm, the red team (text)
  outcome      how it ended, e.g. passed, passed_with_findings, failed (text)

A date is ``YYYY-MM-DD`` (00:00 UTC) or an RFC 3339 time with a zone; it is recorded as an RFC
3339 UTC time, which policies read with ``time.parse_rfc3339_ns``. An empty value is no fact;
a value of the wrong type or a malformed date is an EvidenceError naming the file and line.
"""

from __future__ import annotations

import re
from typing import Any

from gatekeeper.errors import EvidenceError
from gatekeeper.identity import identity_problem, same_identity
from gatekeeper.timeutil import DATE_FORMS, parse_date, rfc3339
from gatekeeper.yamlio import load_yaml_text

TEXT, DATE = "text", "date"
FACTS = {
    "owner": TEXT,
    "approved_by": TEXT,
    "approved_on": DATE,
    "date": DATE,
    "assessor": TEXT,
    "outcome": TEXT,
}
_HINT = "see docs/documents.md for the front matter facts and their formats"


def split_front_matter(lines: list[str]) -> tuple[list[str], list[str]]:
    """(the front matter's lines, the body's lines); no front matter gives ([], lines)."""
    if lines and lines[0].strip() == "---":
        for index in range(1, len(lines)):
            if lines[index].strip() in ("---", "..."):
                return lines[1:index], lines[index + 1 :]
    return [], lines


def read_facts(front_matter: list[str], path: str) -> dict[str, str]:
    """The known facts of a front matter block, validated and normalized."""
    if not front_matter:
        return {}
    # A blank first line stands in for the opening '---': YAML errors then name file lines.
    data = load_yaml_text("\n".join(["", *front_matter]), path, EvidenceError)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise EvidenceError(
            "line 2: the front matter must be a YAML mapping (key: value lines)",
            path=path,
            hint=_HINT,
        )
    facts = {}
    for key, kind in FACTS.items():
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        facts[key] = _fact(kind, value, f"line {_line_of(key, front_matter)}: {key}", path)
    return facts


def self_approved(facts: dict[str, str]) -> bool:
    """Whether the document's approver is its owner (False when either is not stated)."""
    if "owner" not in facts or "approved_by" not in facts:
        return False
    # An approver that reads as something it is not (invisible characters, mixed scripts)
    # cannot be told apart from the owner: it counts as the owner approving.
    if identity_problem(facts["approved_by"]) is not None:
        return True
    return same_identity(facts["owner"], facts["approved_by"])


def _fact(kind: str, value: Any, where: str, path: str) -> str:
    if not isinstance(value, str):
        expected = "a date" if kind == DATE else "text"
        raise EvidenceError(
            f"{where}: expected {expected}, got {type(value).__name__} {value!r}",
            path=path,
            hint=_HINT,
        )
    if kind == TEXT:
        return value.strip()
    try:
        moment = parse_date(value.strip())
    except ValueError:
        raise EvidenceError(
            f"{where}: {value!r} is not a date; write {DATE_FORMS}", path=path, hint=_HINT
        ) from None
    return rfc3339(moment)


def _line_of(key: str, front_matter: list[str]) -> int:
    """The file line (1-based, after the opening '---') where ``key:`` starts."""
    pattern = re.compile(rf"^{re.escape(key)}\s*:")
    for index, line in enumerate(front_matter):
        if pattern.match(line):
            return index + 2
    return 2
