"""Stage 3, waive: the waivers file, read and validated whole, then applied to the results.

A waiver lets a failing control, or some of its findings, through for a limited time, with a
justification, an owner, a different approver and a ticket. Users write waivers as the list
``exceptions:`` of their exceptions file (``gatekeeper exceptions lint``); that key, the file and
the results document's ``exceptions`` section keep their names. The file is read and checked
completely before any evidence is, and any problem is a ConfigError naming the file, the
entry and the rule it breaks: the gate never runs with a half-read waivers file.

Semantics (docs/exceptions.md): a waiver is in effect from ``created`` through ``expires``
(a day counts through its end in UTC: ``timeutil.expiry_end``); it waives only ``fail``
results (and ``no_evidence``, when it names no findings); an ``error`` is never waived. A
waived message keeps its text and names the waiver (``waived_by``); a control whose every
message is waived becomes ``waived``. Expired waivers have no effect and are reported; those
expiring soon are warnings; those that matched nothing are reported.
"""

from __future__ import annotations

import difflib
import fnmatch
import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from gatekeeper.config import WaiverPolicy
from gatekeeper.engine.policies import Control
from gatekeeper.errors import ConfigError
from gatekeeper.identity import identity_problem, same_identity
from gatekeeper.jsonio import decode_text, read_bytes, sha256_bytes
from gatekeeper.results import ControlResult, Message, Outcome
from gatekeeper.schemas import key_path, schema, schema_errors
from gatekeeper.timeutil import DATE_FORMS, expiry_end, expiry_text, parse_date, rfc3339
from gatekeeper.yamlio import load_yaml_text

ACTIVE, EXPIRED, PENDING = "active", "expired", "pending"
WAIVABLE_OUTCOMES = (Outcome.FAIL, Outcome.NO_EVIDENCE)
DATE_FIELDS = ("created", "expires")

# The rules, as error messages name them.
UNKNOWN_KEY = "unknown-key"
MISSING_KEY = "missing-key"
INVALID_VALUE = "invalid-value"
MALFORMED_DATE = "malformed-date"
DUPLICATE_ID = "duplicate-id"
UNKNOWN_CONTROL = "unknown-control"
NOT_WAIVABLE = "not-waivable"
SELF_APPROVAL = "self-approval"
INVALID_IDENTITY = "invalid-identity"
NOT_AN_APPROVER = "not-an-approver"
LIFETIME = "lifetime"

@dataclass(frozen=True)
class Waiver:
    """One entry of the waivers file (a list item under ``exceptions:``)."""

    id: str
    controls: tuple[str, ...]
    justification: str
    owner: str
    approved_by: str
    ticket: str
    created: datetime
    expires: datetime  # the first moment it no longer counts (timeutil.expiry_end)
    subjects: tuple[str, ...] = ()
    findings: tuple[str, ...] = ()

    def status(self, now: datetime) -> str:
        if now < self.created:
            return PENDING
        return ACTIVE if now < self.expires else EXPIRED

    def days_left(self, now: datetime) -> int:
        return math.floor((self.expires - now) / timedelta(days=1))

    def covers_subject(self, subject: dict[str, Any]) -> bool:
        """No ``subjects``: every subject. A glob with '@' matches name@version."""
        if not self.subjects:
            return True
        name, versioned = subject["name"], name_at_version(subject)
        return any(
            fnmatch.fnmatchcase(versioned if "@" in glob else name, glob) for glob in self.subjects
        )

    def covers_message(self, message: Message) -> bool:
        """No ``findings``: every message. Else a glob over the finding id or the file cited."""
        if not self.findings:
            return True
        return any(
            (message.finding is not None and fnmatch.fnmatchcase(message.finding, glob))
            or (message.file is not None and fnmatch.fnmatchcase(message.file, glob))
            for glob in self.findings
        )

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "controls": list(self.controls),
            "justification": self.justification,
            "owner": self.owner,
            "approved_by": self.approved_by,
            "ticket": self.ticket,
            "created": rfc3339(self.created),
            "expires": expiry_text(self.expires),
        }
        if self.subjects:
            data["subjects"] = list(self.subjects)
        if self.findings:
            data["findings"] = list(self.findings)
        return data


@dataclass(frozen=True)
class WaiverFile:
    """A validated waivers file: where it is, what it held, and the rules it was read with."""

    path: Path
    name: str  # as reports show it
    sha256: str
    entries: tuple[Waiver, ...]
    policy: WaiverPolicy


@dataclass(frozen=True)
class Problem:
    where: str
    rule: str
    detail: str

    def __str__(self) -> str:
        return f"{self.where}: {self.rule}: {self.detail}"


# --- reading and validating ---------------------------------------------------------------


def load_waivers(
    path: Path,
    controls: Iterable[Control],
    policy: WaiverPolicy | None = None,
    name: str | None = None,
) -> WaiverFile:
    """Read, validate and parse the whole file; any problem raises one ConfigError listing all.

    ``policy``: the lifetime cap and warning window (default: ``WaiverPolicy()``).
    """
    policy = policy or WaiverPolicy()
    data = read_bytes(path, ConfigError)
    text = decode_text(data, path, ConfigError)
    raw = load_yaml_text(text, path)
    if raw is None:
        raise ConfigError("the file is empty (expected 'version: 1' and 'exceptions:')", path=path)
    problems = schema_problems(raw)
    entries: tuple[Waiver, ...] = ()
    if not problems:
        entries, problems = parse_entries(raw["exceptions"], {c.id: c for c in controls}, policy)
    if problems:
        count = f"{len(problems)} problem{'s' if len(problems) > 1 else ''}"
        raise ConfigError(
            f"invalid waivers file ({count}):\n  " + "\n  ".join(map(str, problems)),
            path=path,
            hint="the rules are explained in docs/exceptions.md",
        )
    return WaiverFile(path, name or str(path), sha256_bytes(data), entries, policy)


def name_at_version(subject: dict[str, Any]) -> str:
    """``name@version`` of a subject, as ``subjects`` globs with an '@' see it."""
    return f"{subject['name']}@{subject.get('version', '')}"


def _entry_label(raw: dict[str, Any], index: int) -> str:
    """An error the schema found at ``exceptions[index]``: that entry exists, named by id."""
    entry = raw["exceptions"][index]
    if isinstance(entry, dict) and isinstance(entry.get("id"), str) and entry["id"]:
        return f"waiver {entry['id']!r} (exceptions[{index}])"
    return f"exceptions[{index}]"


def schema_problems(raw: Any) -> list[Problem]:
    """Every way the file breaks the shipped schema, each named by entry and rule."""
    definitions = schema("waivers")
    problems = []
    for error in schema_errors(raw, "waivers", limit=50):
        path = list(error.instance_path)
        in_entry = len(path) >= 2 and path[0] == "exceptions" and isinstance(path[1], int)
        where = _entry_label(raw, path[1]) if in_entry else "(top level)"
        inner = path[2:] if in_entry else path
        allowed = (
            definitions["definitions"]["waiver"]["properties"]
            if in_entry
            else definitions["properties"]
        )
        kind = error.kind.name
        if kind == "additionalProperties":
            unknown = ", ".join(repr(key) for key in error.kind.unexpected)
            detail = f"{unknown} (allowed: {', '.join(allowed)})"
            problems.append(Problem(where, UNKNOWN_KEY, detail))
        elif kind == "required":
            problems.append(Problem(where, MISSING_KEY, f"{error.kind.property!r} is required"))
        elif kind == "type" and inner and inner[0] in DATE_FIELDS:
            value = error.instance
            written = "a number" if isinstance(value, (int, float)) else type(value).__name__
            detail = f"{inner[0]}: {value!r} is {written}, not a date; write {DATE_FORMS}"
            problems.append(Problem(where, MALFORMED_DATE, detail))
        else:
            problems.append(Problem(where, INVALID_VALUE, f"{key_path(inner)}: {error.message}"))
    return problems


def parse_entries(
    raw_entries: list[dict[str, Any]],
    controls: dict[str, Control],
    policy: WaiverPolicy,
) -> tuple[tuple[Waiver, ...], list[Problem]]:
    """The rules the schema cannot say: real dates, lifetime, approver, controls, unique ids."""
    entries: list[Waiver] = []
    problems: list[Problem] = []
    first_index: dict[str, int] = {}
    for index, raw in enumerate(raw_entries):
        where = f"waiver {raw['id']!r} (exceptions[{index}])"
        if raw["id"] in first_index:
            detail = f"the id is already used by exceptions[{first_index[raw['id']]}]"
            problems.append(Problem(where, DUPLICATE_ID, detail))
        first_index.setdefault(raw["id"], index)
        found = _control_problems(raw["controls"], controls)
        found += _approval_problems(raw, policy)
        dates, date_problems = _dates(raw)
        found += date_problems
        if dates is not None:
            found += _lifetime_problems(*dates, policy)
        problems += [Problem(where, rule, detail) for rule, detail in found]
        if not found and dates is not None:
            entries.append(_entry(raw, *dates))
    return tuple(entries), problems


def _control_problems(ids: list[str], controls: dict[str, Control]) -> list[tuple[str, str]]:
    found = []
    for control_id in ids:
        control = controls.get(control_id)
        if control is None:
            close = difflib.get_close_matches(control_id, controls)
            hint = f" (did you mean {close[0]}?)" if close else ""
            detail = f"{control_id!r} is not a known control{hint}; see `gatekeeper controls`"
            found.append((UNKNOWN_CONTROL, detail))
        elif not control.waivable:
            found.append((NOT_WAIVABLE, _not_waivable(control)))
    return found


def _not_waivable(control: Control) -> str:
    """A refusal that says what can be done instead of a waiver."""
    fix = control.remediation.split(". ")[0].rstrip(".")
    disable = (
        "it is mandatory, so only the organization policy can lift it (mandatory:)"
        if control.mandatory else
        "if it does not apply to this system, disable it under profile.disabled in "
        "gatekeeper.yaml"
    )
    return (
        f"{control.id} cannot be waived (waivable: false, by its METADATA or the "
        f"organization policy's non_waivable). Instead: fix it ({fix}); or {disable}; a "
        "baseline cannot accept it either (it lets through only waivable controls)"
    )


def _approval_problems(raw: dict[str, Any], policy: WaiverPolicy) -> list[tuple[str, str]]:
    """Owner and approver read as people see them (gatekeeper.identity): each must be a plain
    identity, they must differ, and the approver must be one the organization policy names."""
    owner, approver = raw["owner"], raw["approved_by"]
    invalid = [
        (INVALID_IDENTITY, f"{key}: {problem}")
        for key, value in (("owner", owner), ("approved_by", approver))
        if (problem := identity_problem(value)) is not None
    ]
    if invalid:
        return invalid
    if same_identity(owner, approver):
        detail = f"the owner ({owner}) cannot approve their own waiver (approved_by)"
        return [(SELF_APPROVAL, detail)]
    if policy.approvers and not any(same_identity(approver, a) for a in policy.approvers):
        detail = (
            f"approved_by {approver!r} is not among the approvers the organization policy names "
            f"({', '.join(policy.approvers)})"
        )
        return [(NOT_AN_APPROVER, detail)]
    return []


def _dates(raw: dict[str, Any]) -> tuple[tuple[datetime, datetime] | None, list[tuple[str, str]]]:
    parsed, found = {}, []
    for key, parse in (("created", parse_date), ("expires", expiry_end)):
        try:
            parsed[key] = parse(raw[key])
        except ValueError:
            found.append((MALFORMED_DATE, f"{key}: {raw[key]!r} is not {DATE_FORMS}"))
    if found:
        return None, found
    return (parsed["created"], parsed["expires"]), []


def _lifetime_problems(
    created: datetime, expires: datetime, policy: WaiverPolicy
) -> list[tuple[str, str]]:
    span = f"expires {expiry_text(expires)}, created {rfc3339(created)}"
    if expires <= created:
        return [(LIFETIME, f"{span}: it must expire after it is created")]
    lifetime = expires - created
    if lifetime > timedelta(days=policy.max_lifetime_days):
        days = lifetime / timedelta(days=1)
        detail = (
            f"{span}: lives {days:g} days, more than the cap of {policy.max_lifetime_days} "
            "(exceptions_policy.max_lifetime_days in gatekeeper.yaml)"
        )
        return [(LIFETIME, detail)]
    return []


def _entry(raw: dict[str, Any], created: datetime, expires: datetime) -> Waiver:
    return Waiver(
        id=raw["id"],
        controls=tuple(raw["controls"]),
        justification=" ".join(raw["justification"].split()),
        owner=raw["owner"].strip(),
        approved_by=raw["approved_by"].strip(),
        ticket=raw["ticket"].strip(),
        created=created,
        expires=expires,
        subjects=tuple(raw.get("subjects", ())),
        findings=tuple(raw.get("findings", ())),
    )


# --- applying -----------------------------------------------------------------------------


@dataclass
class _Use:
    """What one waiver did in this run."""

    waived: dict[str, list[str]] = field(default_factory=dict)  # control -> waived keys
    shadowed_by: set[str] = field(default_factory=set)  # matched, but already waived by these


def apply_waivers(
    results: list[ControlResult],
    waivers: WaiverFile,
    subject: dict[str, Any],
    now: datetime,
) -> tuple[list[ControlResult], dict[str, Any]]:
    """Waive what the waivers in effect cover; return the new results and the report section.

    Entries are tried in file order: a message waived by one is not waived again by a later one.
    """
    in_effect = [
        e for e in waivers.entries
        if e.status(now) == ACTIVE and e.covers_subject(subject)
    ]
    uses = {e.id: _Use() for e in in_effect}
    waived_results = [_waive(result, in_effect, uses) for result in results]
    section = _section(waivers, waived_results, uses, subject, now)
    return waived_results, section


def _waive(
    result: ControlResult, in_effect: list[Waiver], uses: dict[str, _Use]
) -> ControlResult:
    if result.outcome not in WAIVABLE_OUTCOMES:
        return result
    messages = list(result.messages)
    for waiver in in_effect:
        if result.id not in waiver.controls:
            continue
        if result.outcome is Outcome.NO_EVIDENCE and waiver.findings:
            continue  # missing evidence has no findings to scope to
        for index, message in enumerate(messages):
            if not waiver.covers_message(message):
                continue
            if message.waived_by is not None:
                uses[waiver.id].shadowed_by.add(message.waived_by)
                continue
            messages[index] = replace(message, waived_by=waiver.id)
            uses[waiver.id].waived.setdefault(result.id, []).append(message.key)
    if all(m.waived_by is None for m in messages):
        return result
    waived = replace(result, messages=tuple(messages))
    if waived.open_messages:
        return waived
    by = [e for e in in_effect if any(m.waived_by == e.id for m in messages)]
    return waived.with_outcome(Outcome.WAIVED, waiver=_waiver_of(by))


def _waiver_of(waivers: list[Waiver]) -> dict[str, Any]:
    """The ``waiver`` of a waived control: the waiver that lapses first decides when the
    control fails again, so it is the one named (key ``exception``, kept for readers of the
    results document); ``exceptions`` lists every one involved."""
    first = min(waivers, key=lambda e: e.expires)
    return {
        "exception": first.id,
        "exceptions": [e.id for e in waivers],
        "justification": first.justification,
        "owner": first.owner,
        "approved_by": first.approved_by,
        "ticket": first.ticket,
        "expires": expiry_text(first.expires),
    }


def _section(
    waivers: WaiverFile,
    results: list[ControlResult],
    uses: dict[str, _Use],
    subject: dict[str, Any],
    now: datetime,
) -> dict[str, Any]:
    by_id = {r.id: r for r in results}
    window = timedelta(days=waivers.policy.warn_within_days)
    section: dict[str, Any] = {
        "file": waivers.name,
        "sha256": waivers.sha256,
        "warn_within_days": waivers.policy.warn_within_days,
        "applied": [],
        "expired": [],
        "expiring": [],
        "unused": [],
    }
    for waiver in waivers.entries:
        status = waiver.status(now)
        entry = waiver.to_dict()
        if status == EXPIRED:
            section["expired"].append(entry)
            continue
        if status == ACTIVE:
            entry["days_left"] = waiver.days_left(now)
            if waiver.expires - now <= window:
                section["expiring"].append(entry)
        use = uses.get(waiver.id)
        if use is not None and use.waived:
            section["applied"].append({**entry, "waived": _waived_list(use, by_id)})
        else:
            reason = _unused_reason(waiver, status, use, by_id, subject)
            section["unused"].append({**entry, "reason": reason})
    return section


def _waived_list(use: _Use, results: dict[str, ControlResult]) -> list[dict[str, Any]]:
    return [
        {"control": control_id, "outcome": results[control_id].outcome.value, "findings": keys}
        for control_id, keys in use.waived.items()
    ]


def _unused_reason(
    waiver: Waiver,
    status: str,
    use: _Use | None,
    results: dict[str, ControlResult],
    subject: dict[str, Any],
) -> str:
    if status == PENDING:
        return f"not in effect before {rfc3339(waiver.created)}"
    if use is None:
        name = name_at_version(subject)
        return f"subject {name} matches none of its subjects ({', '.join(waiver.subjects)})"
    if use.shadowed_by:
        return f"what it matches is already waived by {', '.join(sorted(use.shadowed_by))}"
    return "nothing to waive: " + "; ".join(
        _why_not(waiver, results.get(control_id), control_id)
        for control_id in waiver.controls
    )


def _why_not(waiver: Waiver, result: ControlResult | None, control_id: str) -> str:
    if result is None:
        return f"{control_id} was not evaluated (disabled or absent)"
    outcome = result.outcome
    if outcome is Outcome.ERROR:
        return f"{control_id} is error (an error is never waived)"
    if outcome is Outcome.NO_EVIDENCE and waiver.findings:
        return f"{control_id} is no_evidence (only a waiver without findings covers that)"
    if outcome in WAIVABLE_OUTCOMES:
        return f"{control_id} is {outcome.value}, but none of its findings match"
    return f"{control_id} is {outcome.value}"


# --- listing ------------------------------------------------------------------------------


def listing(
    waivers: WaiverFile, now: datetime, expiring_within: int | None = None
) -> list[dict[str, Any]]:
    """Every entry with its status at ``now`` (active, expired, pending) and days left; with
    ``expiring_within``, only those in effect that expire within that many days."""
    window = timedelta(days=waivers.policy.warn_within_days)
    rows = []
    for waiver in waivers.entries:
        status = waiver.status(now)
        if expiring_within is not None and not (
            status == ACTIVE and waiver.expires - now <= timedelta(days=expiring_within)
        ):
            continue
        row = {**waiver.to_dict(), "status": status}
        if status != EXPIRED:
            row["days_left"] = waiver.days_left(now)
            row["expiring"] = status == ACTIVE and waiver.expires - now <= window
        rows.append(row)
    return rows
