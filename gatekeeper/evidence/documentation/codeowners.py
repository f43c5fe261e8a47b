"""A CODEOWNERS file (GitHub, GitLab): which paths need a review by which owners.

Each rule is a path pattern followed by its owners: ``@user``, ``@org/team`` (GitLab:
``@group/subgroup``) or an e-mail address. Blank lines and lines starting with ``#`` are
skipped; GitLab section headers (``[Section]``, ``^[Optional]``, with optional default owners)
give their owners to the rules under them that name none. GitHub ignores a line with an
invalid owner (and reports it as an error in its UI); here it is an EvidenceError naming the
file and line, so a broken file never reads as owned. Whether the required paths are owned is
policy (SDL-secure-sdlc-codeowners, thresholds.codeowners).
"""

from __future__ import annotations

import re
from typing import Any

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence.context import CollectContext
from gatekeeper.jsonio import decode_text

NAME = "codeowners"
_OWNER = re.compile(
    r"^(@[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9])?(?:/[A-Za-z0-9_.-]+)*"
    r"|[^@\s]+@[^@\s]+\.[^@\s]+)$"
)
_SECTION = re.compile(r"^\^?\[[^\]]+\](?:\[\d+\])?(?P<owners>(?:\s+\S+)*)\s*$")
_HINT = "owners are @user, @org/team or an e-mail address; comments go on their own '#' line"


def _fields(line: str) -> list[str]:
    """Whitespace-separated fields; ``\\ `` keeps a space inside a pattern."""
    return [field.replace("\0", " ") for field in line.replace("\\ ", "\0").split()]


def _owners(fields: list[str], number: int, path: str) -> list[str]:
    for owner in fields:
        if not _OWNER.match(owner):
            raise EvidenceError(f"line {number}: {owner!r} is not an owner", path=path, hint=_HINT)
    return fields


def parse_codeowners(text: str, path: str) -> list[dict[str, Any]]:
    rules: list[dict[str, Any]] = []
    section_owners: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        section = _SECTION.match(line)
        if section:
            section_owners = _owners(section.group("owners").split(), number, path)
            continue
        pattern, *owners = _fields(line)
        rules.append(
            {
                "pattern": pattern,
                "owners": _owners(owners, number, path) or list(section_owners),
                "line": number,
            }
        )
    return rules


def collect(pattern: str, context: CollectContext) -> dict[str, Any]:
    path = context.expand_one(pattern, f"evidence.{NAME}")
    shown = context.display_path(path)
    data = context.read(path, NAME)
    text = decode_text(data, shown)
    rules = parse_codeowners(text, shown)
    if not rules:
        raise EvidenceError(
            "no rules: a CODEOWNERS file names owners for path patterns", path=shown, hint=_HINT
        )
    return {NAME: {"path": shown, "rules": rules}}
