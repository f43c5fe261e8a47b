"""Required documents (model card, datasheet, DPIA, threat model, playbooks...): what they hold.

The collector records every heading with the number of words under it (down to the next heading
of the same or a higher level), the facts of the YAML front matter (approver, dates, assessor:
``front_matter``) and the MITRE ATLAS technique ids the text cites (``atlas``). Which sections
and facts a document must hold, and how old it may be, is policy, decided in Rego from the
thresholds (docs/documents.md).
"""

from __future__ import annotations

import re
from typing import Any

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence.atlas import cited_techniques
from gatekeeper.evidence.context import CollectContext
from gatekeeper.evidence.front_matter import read_facts, split_front_matter
from gatekeeper.jsonio import decode_text

NAME = "documents"
_ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_WORD = re.compile(r"[^\W_]+(?:['\u2019-][^\W_]+)*")  # it's, it\u2019s, well-known


def normalize_heading(text: str) -> str:
    """``## 3. Intended Use & Users`` -> ``3 intended use users``."""
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())


def _headings(lines: list[str]) -> list[tuple[int, int, str]]:
    """(line index, level, text) for each ATX or Setext heading outside fenced code."""
    found, fenced = [], False
    for index, line in enumerate(lines):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced:
            continue
        atx = _ATX.match(line)
        if atx:
            found.append((index, len(atx.group(1)), atx.group(2)))
        elif _SETEXT.match(line) and index > 0 and lines[index - 1].strip():
            previous = lines[index - 1]
            if not _ATX.match(previous) and not (found and found[-1][0] == index - 1):
                found.append((index - 1, 1 if line.strip()[0] == "=" else 2, previous.strip()))
    return found


def sections(text: str) -> list[dict[str, Any]]:
    return outline(split_front_matter(text.splitlines())[1])[1]


def outline(lines: list[str]) -> tuple[str | None, list[dict[str, Any]]]:
    """The document's title and its sections, each with the words under it.

    The title -- the first heading, when it is the only one at the top level and others follow
    -- is not a section: its body is the whole document, so it would match any section name.
    """
    headings = _headings(lines)
    heading_lines = {line for line, _, _ in headings}
    result = []
    for position, (start, level, title) in enumerate(headings):
        end = next(
            (line for line, other, _ in headings[position + 1 :] if other <= level), len(lines)
        )
        body = " ".join(lines[i] for i in range(start + 1, end) if i not in heading_lines)
        result.append(
            {
                "heading": title,
                "normalized": normalize_heading(title),
                "level": level,
                "words": len(_WORD.findall(body)),
            }
        )
    if len(headings) > 1 and all(level > headings[0][1] for _, level, _ in headings[1:]):
        return result[0]["heading"], result[1:]
    return None, result


def read_document(data: bytes, path: str) -> dict[str, Any]:
    text = decode_text(data, path)
    if "\x00" in text:
        raise EvidenceError("a binary file (it holds NUL bytes), not Markdown text", path=path)
    lines = text.splitlines()
    front_matter, body = split_front_matter(lines)
    title, found = outline(body)
    if not found:
        raise EvidenceError(
            "no Markdown headings found; a required document is checked section by section",
            path=path,
            hint="use '# Heading' lines for the document's sections",
        )
    return {
        "path": path,
        "format": "markdown",
        "words": len(_WORD.findall(text)),
        "title": title,
        "sections": found,
        "facts": read_facts(front_matter, path),
        "atlas_techniques": cited_techniques(lines),
    }


def collect(documents: dict[str, str], context: CollectContext) -> dict[str, Any]:
    collected = {}
    for kind, pattern in sorted(documents.items()):
        path = context.expand_one(pattern, f"evidence.documents.{kind}")
        collected[kind] = read_document(context.read(path, NAME), context.display_path(path))
    return {NAME: collected}
