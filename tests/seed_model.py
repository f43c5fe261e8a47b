"""A reader of the seed document (../shared/seed/ai-security-maturity-model.md) for tests.

It reads the seed's markdown independently of gatekeeper's catalog loader, so the tests can
compare the shipped catalog data with the seed text by text.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

_BOLD_ITEM = re.compile(r"^- \*\*(.+?)\*\*: ?(.*)$")
_EMOJI_PREFIX = re.compile(r"^[^\w$]+\s*")


def _sections(lines: list[str], prefix: str) -> dict[str, list[str]]:
    """Lines under each heading that starts with ``prefix`` (``## `` or ``### ``), up to the
    next heading of the same or a higher rank."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    higher = "#" * (len(prefix) - 2) + " "
    for line in lines:
        if line.startswith(prefix):
            current = sections.setdefault(line[len(prefix):].strip(), [])
        elif line.startswith(higher):
            current = None
        elif current is not None:
            current.append(line)
    return sections


def _section(sections: dict[str, list[str]], words: str) -> list[str]:
    (name,) = [name for name in sections if words in name]
    return sections[name]


def _bullets(lines: list[str]) -> list[str]:
    return [line[1:].strip() for line in lines if line.startswith("- ")]


def _cells(row: str) -> list[str]:
    return [cell.strip() for cell in row.strip().strip("|").split("|")]


def _table_rows(lines: list[str]) -> list[list[str]]:
    rows = [_cells(line) for line in lines if line.startswith("|")]
    return rows[2:]  # after the header and the separator


def _plain(cell: str) -> str:
    """A table cell's label without markdown bold and the leading emoji."""
    return _EMOJI_PREFIX.sub("", cell.replace("**", "")).strip()


def parse_seed(path: Path) -> dict[str, Any]:
    lines = path.read_text(encoding="utf-8").splitlines()
    h2 = _sections(lines, "## ")
    h3 = _sections(lines, "### ")

    domains = []
    for heading, body in h3.items():
        match = re.match(r"^.*Domain (\d+): (.+?)(?: \(([A-Z]{3})\))?$", heading)
        if match:
            scope = next(line for line in body if line.strip())
            domains.append({"number": int(match.group(1)), "name": match.group(2),
                            "scope": scope.strip()})

    levels = []
    for item in _bullets(_section(h2, "Level Definitions")):
        match = re.match(r"^\*\*Level (\d) \((\w+)\)\*\*: \S+ (.+)$", item)
        levels.append({"level": int(match.group(1)), "name": match.group(2),
                       "description": match.group(3)})

    model_rows = _table_rows(_section(h2, "Security Maturity Model"))
    model = [{"table_name": _plain(row[0]), "levels": row[1:6], "standards_alignment": row[6]}
             for row in model_rows]

    scale = []
    for line in _section(h3, "Response Scale"):
        match = _BOLD_ITEM.match(line)
        if match:
            score, name = match.group(1).split(" - ", 1)
            scale.append({"score": int(score), "name": name, "description": match.group(2)})

    questions: list[dict[str, Any]] = []
    domain_label = None
    for row in _table_rows(_section(h2, "Assessment Questions")):
        if row[0]:
            domain_label = _plain(row[0])
        questions.append({"table_name": domain_label, "text": row[1],
                          "target_level": int(row[2])})

    phases = []
    for heading, body in h3.items():
        match = re.match(r"^\S+ Phase (\w+): (.+) \(Levels (\d)\u2013(\d)\)$", heading)
        if match:
            objectives, guardrails, in_guardrails = [], [], False
            for line in body:
                if line.startswith("**Guardrails:**"):
                    in_guardrails = True
                elif line.startswith("- "):
                    text = _EMOJI_PREFIX.sub("", line[2:].strip()) if in_guardrails else (
                        line[2:].strip())
                    (guardrails if in_guardrails else objectives).append(text)
            phases.append({"word": match.group(1), "name": match.group(2),
                           "levels": [int(match.group(3)), int(match.group(4))],
                           "objectives": objectives, "guardrails": guardrails})

    checklists = {}
    for name in ("Quarterly", "Monthly", "Per Release", "Ongoing"):
        checklists[name] = _bullets(_section(h3, name))

    glossary = []
    for line in _section(h2, "Glossary"):
        match = _BOLD_ITEM.match(line)
        if match:
            glossary.append({"term": match.group(1), "definition": match.group(2)})

    return {"domains": sorted(domains, key=lambda d: d["number"]), "levels": levels,
            "model": model, "scale": scale, "questions": questions, "phases": phases,
            "checklists": checklists, "glossary": glossary}
