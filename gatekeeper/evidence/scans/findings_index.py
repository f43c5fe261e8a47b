"""The index of the normalized findings that the engine's input carries beside them.

``input.scans.index`` gives each finding's position in ``input.scans.findings`` by category:

- ``categories``: every finding of the category;
- ``untrusted``: by severity, those that are not trusted suppressions (they block at or above
  the threshold and are reported below it);
- ``trusted``: the trusted suppressions (the tool suppressed them and the configuration trusts
  the tool's suppressions: waived, never failing);
- ``rules``: by rule id, every finding of the category (a control that bans some rules reads
  only theirs).

Rego has no grouping: without the index, the findings library walked every finding once per
category and again per helper, reading a field of each (at 50,000 findings, most of the query).
gatekeeper builds the index from the findings as they are collected (``Findings``) or, for an
evidence document read from a file, as it writes the engine's input, so it never comes from a
file. ``policies/lib/findings.rego`` builds the same index itself when an input has none (a
policy's own tests), and a test holds the two to the same result.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from gatekeeper.jsonio import JsonArray

NO_SEVERITY = ""  # where a finding whose severity is not a string is indexed: never blocking

# An index as built: positions in arrays of machine integers. As lists of ints, the 500,000
# positions of 500,000 findings were small objects made amid the findings' own as they were
# read, and kept the memory those had freed from going back to the system (500 MB more).
Index = dict[str, Any]


def findings_index(findings: Sequence[Any]) -> dict[str, Any]:
    index = _new_index()
    _add(index, findings, 0)
    return _plain(index)


def index_of(findings: Any) -> dict[str, Any]:
    """The index of the findings of an evidence document: kept since they were collected, or
    built from them (a document read from a file)."""
    if isinstance(findings, Findings):
        return findings.index
    return findings_index(findings)


def _positions() -> array[int]:
    return array("q")


def _by_key() -> defaultdict[str, array[int]]:
    return defaultdict(_positions)


def _new_index() -> Index:
    """category -> positions (categories, trusted); category -> key -> positions (untrusted
    by severity, rules by rule id)."""
    return {"categories": defaultdict(_positions), "trusted": defaultdict(_positions),
            "untrusted": defaultdict(_by_key), "rules": defaultdict(_by_key)}


def _add(index: Index, findings: Sequence[Any], start: int) -> None:
    """Index ``findings``, the first of which is at position ``start``."""
    categories, untrusted, trusted = index["categories"], index["untrusted"], index["trusted"]
    rules = index["rules"]
    for position, finding in enumerate(findings, start):
        category = finding.get("category") if isinstance(finding, dict) else None
        if not isinstance(category, str):
            continue  # the library's comparisons leave it out of every category too
        categories[category].append(position)
        if finding.get("suppressed") is True and finding.get("suppression_trusted") is True:
            trusted[category].append(position)
        else:
            severity = finding.get("severity")
            untrusted[category][severity if isinstance(severity, str) else NO_SEVERITY].append(
                position)
        rule_id = finding.get("rule_id")
        if isinstance(rule_id, str):  # a rule id of another type matches no banned rule
            rules[category][rule_id].append(position)


def _merge(into: Index, other: Index, offset: int) -> None:
    """Add ``other``, an index of findings that follow ``offset`` others, to ``into``."""
    for section in ("categories", "trusted"):
        for category, positions in other[section].items():
            into[section][category].extend(p + offset for p in positions)
    for section in ("untrusted", "rules"):
        for category, by_key in other[section].items():
            for key, positions in by_key.items():
                into[section][category][key].extend(p + offset for p in positions)


def _plain(index: Index) -> dict[str, Any]:
    """The index as JSON values: lists of positions."""
    return {
        "categories": {c: p.tolist() for c, p in index["categories"].items()},
        "untrusted": {c: {s: p.tolist() for s, p in by_severity.items()}
                      for c, by_severity in index["untrusted"].items()},
        "trusted": {c: p.tolist() for c, p in index["trusted"].items()},
        "rules": {c: {r: p.tolist() for r, p in by_rule.items()}
                  for c, by_rule in index["rules"].items()},
    }


class Findings(JsonArray):
    """The findings as collected (a ``JsonArray``), indexed as they are added: parsing them
    back to index them cost as much as the index saved."""

    __slots__ = ("_index",)

    def __init__(self) -> None:
        self._index = _new_index()
        super().__init__()

    @property
    def index(self) -> dict[str, Any]:
        return _plain(self._index)

    def extend(self, values: Sequence[Any] | JsonArray) -> None:
        if isinstance(values, Findings):
            _merge(self._index, values._index, len(self))
        elif isinstance(values, JsonArray):
            raise TypeError("findings can only be extended with findings or their values")
        else:
            _add(self._index, values, len(self))
        super().extend(values)
