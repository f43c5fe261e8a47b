"""Required documents (model card, datasheet, ...): their Markdown sections and how much each says.

The collector records every heading with the number of words under it (down to the next heading
of the same or a higher level); which sections a document must hold is policy, decided in Rego
from the thresholds.
"""

from __future__ import annotations

import re
from typing import Any

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence.context import CollectContext

NAME = "documents"
_ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def normalize_heading(text: str) -> str:
    """``## 3. Intended Use & Users`` -> ``3 intended use users``."""
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())


def _strip_front_matter(lines: list[str]) -> list[str]:
    if lines and lines[0].strip() == "---":
        for index in range(1, len(lines)):
            if lines[index].strip() in ("---", "..."):
                return lines[index + 1 :]
    return lines


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
    lines = _strip_front_matter(text.splitlines())
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
    return result


def read_document(data: bytes, path: str) -> dict[str, Any]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise EvidenceError(f"not UTF-8 text: {error}", path=path) from None
    found = sections(text)
    if not found:
        raise EvidenceError(
            "no Markdown headings found; a required document is checked section by section",
            path=path,
            hint="use '# Heading' lines for the document's sections",
        )
    return {"path": path, "format": "markdown", "words": len(_WORD.findall(text)), "sections": found}


def collect(documents: dict[str, str], context: CollectContext) -> dict[str, Any]:
    collected = {}
    for kind, pattern in sorted(documents.items()):
        paths = context.expand(pattern, f"evidence.documents.{kind}")
        if len(paths) != 1:
            raise EvidenceError(
                f"evidence.documents.{kind}: {pattern!r} names {len(paths)} files; name exactly one"
            )
        path = paths[0]
        collected[kind] = read_document(context.read(path, NAME), context.display_path(path))
    return {NAME: collected}
