"""Regression gating: this run's failures against a previous results document (``--baseline``).

A failure is one open (not waived) message of a ``fail`` or ``no_evidence`` control, known by
its key: the finding id, else its file and text (``Message.key``). Against the baseline each
is new, unchanged, or (when gone) fixed. With ``--fail-on new`` a blocking control whose every
open failure is unchanged is let through by the baseline; a control with any new failure still
blocks, and so do an ``error`` and a control whose METADATA says ``waivable: false`` (a
baseline is a blanket waiver, so it obeys the same rule). A failure the baseline had waived
counts as new once the waiver no longer covers it: a baseline never extends a waiver.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gatekeeper.errors import ConfigError
from gatekeeper.jsonio import sha256_bytes
from gatekeeper.results import ControlResult, Message, Outcome
from gatekeeper.schemas import load_document

FAIL_ON = ("any", "new")
FAILING = (Outcome.FAIL, Outcome.NO_EVIDENCE)


@dataclass(frozen=True)
class Baseline:
    """What a previous run found: per control, its outcome and the keys of its open failures."""

    name: str  # as reports show it
    sha256: str
    subject: dict[str, Any]
    evaluated_at: str
    outcomes: dict[str, str]
    failures: dict[str, frozenset[str]]


@dataclass(frozen=True)
class Comparison:
    new: tuple[dict[str, Any], ...]
    fixed: tuple[dict[str, Any], ...]
    unchanged: tuple[dict[str, Any], ...]
    let_through: tuple[dict[str, Any], ...]
    not_waivable: tuple[dict[str, Any], ...]  # unchanged, but blocking all the same

    @property
    def let_through_controls(self) -> frozenset[str]:
        """The controls the baseline lets through: every failure of theirs was in it."""
        return frozenset(entry["control"] for entry in self.let_through)


def load_baseline(path: Path, name: str | None = None) -> Baseline:
    """A saved results document of this schema version; anything else is a ConfigError."""
    document, data = load_document(
        path, "results", what="baseline results", error_type=ConfigError,
        hint="produce the baseline again with this gatekeeper version (gatekeeper check "
        "--results FILE on the reference release)",
    )
    outcomes, failures = {}, {}
    for control in document["controls"]:
        outcomes[control["id"]] = control["outcome"]
        if control["outcome"] in (o.value for o in FAILING):
            messages = (Message.from_dict(m) for m in control["messages"])
            failures[control["id"]] = frozenset(m.key for m in messages if m.waived_by is None)
    return Baseline(
        name=name or str(path),
        sha256=sha256_bytes(data),
        subject=document["subject"],
        evaluated_at=document["evaluated_at"],
        outcomes=outcomes,
        failures=failures,
    )


def compare(baseline: Baseline, results: list[ControlResult], fail_on: str) -> Comparison:
    """New, fixed and unchanged failures; with ``fail_on == "new"`` also what is let through."""
    new: list[dict[str, Any]] = []
    fixed: list[dict[str, Any]] = []
    unchanged: list[dict[str, Any]] = []
    let_through: list[dict[str, Any]] = []
    not_waivable: list[dict[str, Any]] = []
    for result in results:
        if result.outcome is Outcome.ERROR:
            continue  # an error is no answer: neither new, nor fixed, nor let through
        before = baseline.failures.get(result.id, frozenset())
        now = {m.key for m in result.open_messages} if result.outcome in FAILING else set()
        waived = {m.key for m in result.messages if m.waived_by is not None}
        entry = _entry(result.id, result.enforcement.value, result.outcome.value, baseline)
        if now - before:
            new.append({**entry, "findings": sorted(now - before)})
        if now & before:
            unchanged.append({**entry, "findings": sorted(now & before)})
            if fail_on == "new" and result.blocks and not now - before:
                held = let_through if result.control.waivable else not_waivable
                held.append(unchanged[-1])
        if before - now - waived:
            fixed.append({**entry, "findings": sorted(before - now - waived)})
    evaluated = {r.id for r in results}
    for control_id, keys in baseline.failures.items():
        if control_id not in evaluated and keys:
            fixed.append({**_entry(control_id, None, None, baseline), "findings": sorted(keys)})
    return Comparison(
        tuple(new), tuple(fixed), tuple(unchanged), tuple(let_through), tuple(not_waivable)
    )


def _entry(
    control_id: str, enforcement: str | None, outcome: str | None, baseline: Baseline
) -> dict[str, Any]:
    return {
        "control": control_id,
        "enforcement": enforcement,
        "outcome": outcome,
        "baseline_outcome": baseline.outcomes.get(control_id),
    }


def check_subject(baseline: Baseline, subject: dict[str, Any]) -> None:
    """A baseline of another system would let its failures through here: refuse it."""
    if baseline.subject["name"] != subject["name"]:
        raise ConfigError(
            f"the baseline gates {baseline.subject['name']!r}, this run gates "
            f"{subject['name']!r}",
            path=baseline.name,
            hint="give the results of an earlier run of the same subject",
        )


def section(baseline: Baseline, comparison: Comparison, fail_on: str) -> dict[str, Any]:
    """The results document's ``baseline`` section."""
    return {
        "file": baseline.name,
        "sha256": baseline.sha256,
        "evaluated_at": baseline.evaluated_at,
        "fail_on": fail_on,
        "new": list(comparison.new),
        "fixed": list(comparison.fixed),
        "unchanged": list(comparison.unchanged),
        "let_through": list(comparison.let_through),
        "not_waivable": list(comparison.not_waivable),
    }
