"""Required documents (model card, datasheet, DPIA, threat model, playbooks...): what they hold.

The collector records every heading with the number of words under it (down to the next heading
of the same or a higher level), the facts of the YAML front matter (approver, dates, assessor:
``front_matter``) and the MITRE ATLAS technique ids the text cites (``atlas``). Which sections
and facts a document must hold, and how old it may be, is policy, decided in Rego from the
thresholds (docs/documents.md).

Each section also says whether it is a placeholder or filler (``placeholder``, with the reason
in ``placeholder_reason``; evidence/documentation/placeholders.py): its body is ``TBD``, lorem
ipsum, one word repeated... or its own text (above its first subheading) is the same as another
section's, in this document or another required one. A document whose approver is its owner is
marked ``self_approved`` (identity.same_identity: confusables and invisible characters count).
"""

from __future__ import annotations

import re
from typing import Any

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence.context import CollectContext
from gatekeeper.evidence.documentation.atlas import cited_techniques
from gatekeeper.evidence.documentation.front_matter import (
    read_facts,
    self_approved,
    split_front_matter,
)
from gatekeeper.evidence.documentation.placeholders import normalized, placeholder_reason
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
    result: list[dict[str, Any]] = []
    for position, (start, level, title) in enumerate(headings):
        end = next(
            (line for line, other, _ in headings[position + 1 :] if other <= level), len(lines)
        )
        body = "\n".join(lines[i] for i in range(start + 1, end) if i not in heading_lines)
        own_end = headings[position + 1][0] if position + 1 < len(headings) else len(lines)
        reason = placeholder_reason(body)
        result.append(
            {
                "heading": title,
                "normalized": normalize_heading(title),
                "level": level,
                "words": len(_WORD.findall(body)),
                "placeholder": reason is not None,
                "placeholder_reason": reason,
                "own_text": normalized("\n".join(lines[start + 1 : own_end])),
            }
        )
    if len(headings) > 1 and all(level > headings[0][1] for _, level, _ in headings[1:]):
        return result[0]["heading"], result[1:]
    return None, result


def read_document(data: bytes, path: str) -> dict[str, Any]:
    """One document; its sections marked when filler or the same as another of its sections."""
    document, own_texts = _read(data, path)
    mark_duplicates({"": (document, own_texts)})
    return document


def _read(data: bytes, path: str) -> tuple[dict[str, Any], list[str]]:
    """The document, and the own text of each of its sections (for mark_duplicates)."""
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
    own_texts = [section.pop("own_text") for section in found]
    return {
        "path": path,
        "format": "markdown",
        "words": len(_WORD.findall(text)),
        "title": title,
        "sections": found,
        "facts": (facts := read_facts(front_matter, path)),
        "self_approved": self_approved(facts),
        "atlas_techniques": cited_techniques(lines),
    }, own_texts


# Own texts shorter than this many words ("See below.") may repeat without being filler.
MIN_DUPLICATE_WORDS = 3


def mark_duplicates(read: dict[str, tuple[dict[str, Any], list[str]]]) -> None:
    """Mark every section whose own text is the same as another section's, in any document.

    The own text is what a section says above its first subheading (kept out of the evidence:
    it is the document's content, not a fact about it).
    """
    seen: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for kind, (document, own_texts) in sorted(read.items()):
        for section, text in zip(document["sections"], own_texts, strict=True):
            if len(text.split()) >= MIN_DUPLICATE_WORDS:
                seen.setdefault(text, []).append((kind, section))
    for copies in seen.values():
        for _, section in copies:
            others = [_where(k, s) for k, s in copies if s is not section]
            if others and not section["placeholder"]:
                section["placeholder"] = True
                section["placeholder_reason"] = f"its text is the same as in {', '.join(others)}"


def _where(kind: str, section: dict[str, Any]) -> str:
    return f"{kind} section {section['heading']!r}" if kind else f"section {section['heading']!r}"


def collect(documents: dict[str, str], context: CollectContext) -> dict[str, Any]:
    read = {}
    for kind, pattern in sorted(documents.items()):
        path = context.expand_one(pattern, f"evidence.documents.{kind}")
        read[kind] = _read(context.read(path, NAME), context.display_path(path))
    mark_duplicates(read)
    return {NAME: {kind: document for kind, (document, _) in read.items()}}
