"""The index of the normalized findings that the engine's input carries beside them.

``input.scans.index`` gives each finding's position in ``input.scans.findings`` by category:

- ``categories``: every finding of the category;
- ``untrusted``: by severity, those that are not trusted suppressions (they block at or above
  the threshold and are reported below it);
- ``trusted``: the trusted suppressions (the tool suppressed them and the configuration trusts
  the tool's suppressions: waived, never failing).

Rego has no grouping: without the index, the findings library walked every finding once per
category and again per helper, reading a field of each (at 50,000 findings, most of the query).
gatekeeper builds the index from the findings as they are collected (``Findings``) or, for an
evidence document read from a file, as it writes the engine's input, so it never comes from a
file. ``policies/lib/findings.rego`` builds the same index itself when an input has none (a
policy's own tests), and a test holds the two to the same result.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gatekeeper.jsonio import JsonArray

NO_SEVERITY = ""  # where a finding whose severity is not a string is indexed: never blocking


def new_index() -> dict[str, Any]:
    return {"categories": {}, "untrusted": {}, "trusted": {}}


def findings_index(findings: Sequence[Any]) -> dict[str, Any]:
    index = new_index()
    add_to_index(index, findings, 0)
    return index


def add_to_index(index: dict[str, Any], findings: Sequence[Any], start: int) -> None:
    """Index ``findings``, the first of which is at position ``start``."""
    for position, finding in enumerate(findings, start):
        category = finding.get("category") if isinstance(finding, dict) else None
        if not isinstance(category, str):
            continue  # the library's comparisons leave it out of every category too
        index["categories"].setdefault(category, []).append(position)
        if finding.get("suppressed") is True and finding.get("suppression_trusted") is True:
            index["trusted"].setdefault(category, []).append(position)
        else:
            severity = finding.get("severity")
            key = severity if isinstance(severity, str) else NO_SEVERITY
            index["untrusted"].setdefault(category, {}).setdefault(key, []).append(position)


def _merge(into: dict[str, Any], other: dict[str, Any], offset: int) -> None:
    """Add ``other``, an index of findings that follow ``offset`` others, to ``into``."""
    for section in ("categories", "trusted"):
        for category, positions in other[section].items():
            into[section].setdefault(category, []).extend(p + offset for p in positions)
    for category, by_severity in other["untrusted"].items():
        for severity, positions in by_severity.items():
            into["untrusted"].setdefault(category, {}).setdefault(severity, []).extend(
                p + offset for p in positions)


class Findings(JsonArray):
    """The findings as collected (a ``JsonArray``), indexed as they are added: parsing them
    back to index them cost as much as the index saved."""

    __slots__ = ("index",)

    def __init__(self) -> None:
        self.index = new_index()
        super().__init__()

    def extend(self, values: Sequence[Any] | JsonArray) -> None:
        if isinstance(values, Findings):
            _merge(self.index, values.index, len(self))
        elif isinstance(values, JsonArray):
            raise TypeError("findings can only be extended with findings or their values")
        else:
            add_to_index(self.index, values, len(self))
        super().extend(values)


def index_of(findings: Any) -> dict[str, Any]:
    """The index of the findings of an evidence document: kept since they were collected, or
    built from them (a document read from a file)."""
    if isinstance(findings, Findings):
        return findings.index
    return findings_index(findings)
