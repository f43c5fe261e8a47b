"""MITRE ATLAS technique ids cited in a document, each checked against the shipped ATLAS table.

``atlas-techniques.tsv`` beside this module holds the id and name of every ATLAS technique and
sub-technique of ATLAS data 5.6.0 (the ``id`` and ``name`` columns of the project's reference
table; the test suite checks the two are equal). A cited id that is not in it is recorded as
unknown: policies fail on it, naming the id and its line.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any

ATLAS_VERSION = "5.6.0"
TABLE = "atlas-techniques.tsv"
# Anything written like a technique id (AML.T0051, AML.T0051.000, and mistyped ones such as
# AML.T51 or AML.T0051.01, which are then unknown); not tactics (AML.TA0002) or mitigations.
_TECHNIQUE_ID = re.compile(r"(?<![\w.])AML\.T\d[\d.]*")


@cache
def techniques() -> dict[str, str]:
    """Every known technique id with its name, from the shipped table."""
    text = resources.files(__package__).joinpath(TABLE).read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines()[1:] if line]
    return {technique_id: name for technique_id, name in rows}


def cited_techniques(lines: list[str]) -> list[dict[str, Any]]:
    """Each distinct technique id in ``lines``, at its first (1-based) line, known or not."""
    known = techniques()
    found: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        for token in _TECHNIQUE_ID.findall(line):
            found.setdefault(token.rstrip("."), number)
    return [
        {
            "id": technique_id,
            "name": known.get(technique_id),
            "known": technique_id in known,
            "line": line,
        }
        for technique_id, line in found.items()
    ]
