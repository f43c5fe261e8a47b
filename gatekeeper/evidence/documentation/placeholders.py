"""Placeholder and filler text: what a free-text fact or a section says when it says nothing.

One detector for the manifest's free-text facts and for document sections (docs/documents.md,
"Placeholders and filler"). A text is a placeholder when, casefolded and stripped of punctuation,
it is one of the placeholder values (``TBD``, ``N/A``, ``-``, ``changeme``...) or nothing but
punctuation; when it carries a placeholder marker anywhere (``TBD``, ``TODO``, ``FIXME``, ``TBA``,
``XXX`` in capitals, or Latin filler such as "lorem ipsum" in any case); or when it is filler:
one word making up much of a longer text, or the same sentence repeated. Collectors record the
reason in the evidence; the controls deny on it (policies/lib/manifest.rego, documents.rego).
"""

from __future__ import annotations

import re
from collections import Counter

# Whole values that stand for "not written yet" (compared casefolded, punctuation removed).
PLACEHOLDER_VALUES = frozenset(
    {
        "tbd",
        "tba",
        "tbc",
        "todo",
        "fixme",
        "n a",
        "na",
        "xxx",
        "changeme",
        "change me",
        "placeholder",
        "to be determined",
        "to be decided",
        "to be defined",
        "to be confirmed",
        "coming soon",
        "fill in",
        "fill me in",
    }
)
# Markers of unfinished text anywhere in it: capitals only, so "todo" in prose is not flagged.
_MARKER = re.compile(r"(?<![\w])(TBD|TBA|TODO|FIXME|X{3,})(?![\w])")
# Latin filler, in any case: the lorem ipsum family.
_LATIN = re.compile(r"\b(lorem ipsum|dolor sit amet|consectetur adipiscing)\b", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+(?:['\u2019-][^\W_]+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")

# A text of at least this many words in which one word makes up this share or more is filler
# (in real prose the most frequent word, usually "the", stays under a tenth).
FILLER_MIN_WORDS = 8
FILLER_WORD_SHARE = 0.4
# At least this many sentences, at most half of them distinct: a repeated sentence is filler.
FILLER_MIN_SENTENCES = 3


def normalized(text: str) -> str:
    """Casefolded words separated by one space: ``"N/A."`` -> ``"n a"``."""
    return " ".join(_WORD.findall(text.casefold()))


def placeholder_reason(text: str) -> str | None:
    """Why ``text`` is a placeholder or filler, or None when it is real text."""
    words = normalized(text)
    if not words:
        return f"{text.strip()!r} has no words" if text.strip() else "it is empty"
    if words in PLACEHOLDER_VALUES:
        return f"{text.strip()!r} is a placeholder"
    marker = _MARKER.search(text) or _LATIN.search(text)
    if marker:
        return f"it holds the placeholder {marker.group(0)!r}"
    return _filler_reason(text, words.split())


def _filler_reason(text: str, words: list[str]) -> str | None:
    if len(words) >= FILLER_MIN_WORDS:
        word, times = Counter(words).most_common(1)[0]
        if times >= FILLER_WORD_SHARE * len(words):
            return f"filler: {word!r} is {times} of its {len(words)} words"
    sentences = [normalized(s) for s in _SENTENCE_END.split(text)]
    sentences = [s for s in sentences if s]
    if len(sentences) >= FILLER_MIN_SENTENCES and 2 * len(set(sentences)) <= len(sentences):
        return f"filler: {len(sentences)} sentences, only {len(set(sentences))} different"
    return None
