"""Stage 3, waive: the exceptions file, read and validated whole, then applied to the results.

An exception lets a failing control, or some of its findings, through for a limited time,
with a justification, an owner, a different approver and a ticket. The file is read and
checked completely before any evidence is, and any problem is a ConfigError naming the file,
the entry and the rule it breaks: the gate never runs with a half-read exceptions file.

Semantics (docs/exceptions.md): an exception is in effect while ``created <= now < expires``;
it waives only ``fail`` results (and ``no_evidence``, when it names no findings); an ``error``
is never waived. A waived message keeps its text and names the exception (``waived_by``); a
control whose every message is waived becomes ``waived``. Expired exceptions have no effect
and are reported; those expiring soon are warnings; those that matched nothing are reported.
"""

from __future__ import annotations

import difflib
import fnmatch
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

from gatekeeper.config import ExceptionsPolicy
from gatekeeper.engine.policies import Control
from gatekeeper.errors import ConfigError
from gatekeeper.identity import identity_problem, same_identity
from gatekeeper.jsonio import decode_text, read_bytes, sha256_bytes
from gatekeeper.results import ControlResult, Message, Outcome
from gatekeeper.schemas import key_path, schema, schema_errors
from gatekeeper.yamlio import load_yaml_text

ACTIVE, EXPIRED, PENDING = "active", "expired", "pending"
WAIVABLE_OUTCOMES = (Outcome.FAIL, Outcome.NO_EVIDENCE)
DATE_FIELDS = ("created", "expires")
DATE_FORMS = "YYYY-MM-DD (00:00 UTC) or an RFC 3339 time with a zone (2026-12-01T09:30:00Z)"

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

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})$")


def parse_date(text: str) -> datetime:
    """``YYYY-MM-DD`` is 00:00 UTC that day; otherwise an RFC 3339 time with a zone.

    Raises ValueError for anything else (a time without a zone is ambiguous, so refused).
    """
    if _DAY.match(text):
        return datetime.combine(date.fromisoformat(text), time(), timezone.utc)
    if _TIME.match(text):
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        return moment.astimezone(timezone.utc)
    raise ValueError(text)


def format_time(moment: datetime) -> str:
    """RFC 3339 in UTC; a day at midnight is written as the day alone."""
    moment = moment.astimezone(timezone.utc)
    if moment.time() == time():
        return moment.date().isoformat()
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class PolicyException:
    """One entry of the exceptions file."""

    id: str
    controls: tuple[str, ...]
    justification: str
    owner: str
    approved_by: str
    ticket: str
    created: datetime
    expires: datetime
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
        name = subject["name"]
        versioned = f"{name}@{subject.get('version', '')}"
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
            "created": format_time(self.created),
            "expires": format_time(self.expires),
        }
        if self.subjects:
            data["subjects"] = list(self.subjects)
        if self.findings:
            data["findings"] = list(self.findings)
        return data


@dataclass(frozen=True)
class ExceptionSet:
    """A validated exceptions file: where it is, what it held, and the rules it was read with."""

    path: Path
    name: str  # as reports show it
    sha256: str
    entries: tuple[PolicyException, ...]
    policy: ExceptionsPolicy


@dataclass(frozen=True)
class Problem:
    where: str
    rule: str
    detail: str

    def __str__(self) -> str:
        return f"{self.where}: {self.rule}: {self.detail}"


# --- reading and validating ---------------------------------------------------------------


def load_exceptions(
    path: Path,
    controls: Iterable[Control],
    policy: ExceptionsPolicy | None = None,
    name: str | None = None,
) -> ExceptionSet:
    """Read, validate and parse the whole file; any problem raises one ConfigError listing all.

    ``policy``: the lifetime cap and warning window (default: ``ExceptionsPolicy()``).
    """
    policy = policy or ExceptionsPolicy()
    data = read_bytes(path, ConfigError)
    text = decode_text(data, path, ConfigError)
    raw = load_yaml_text(text, path)
    if raw is None:
        raise ConfigError("the file is empty (expected 'version: 1' and 'exceptions:')", path=path)
    problems = schema_problems(raw)
    entries: tuple[PolicyException, ...] = ()
    if not problems:
        entries, problems = parse_entries(raw["exceptions"], {c.id: c for c in controls}, policy)
    if problems:
        count = f"{len(problems)} problem{'s' if len(problems) > 1 else ''}"
        raise ConfigError(
            f"invalid exceptions file ({count}):\n  " + "\n  ".join(map(str, problems)),
            path=path,
            hint="the rules are explained in docs/exceptions.md",
        )
    return ExceptionSet(path, name or str(path), sha256_bytes(data), entries, policy)


def _entry_label(raw: Any, index: int) -> str:
    entries = raw.get("exceptions") if isinstance(raw, dict) else None
    entry = entries[index] if isinstance(entries, list) and index < len(entries) else None
    if isinstance(entry, dict) and isinstance(entry.get("id"), str) and entry["id"]:
        return f"exception {entry['id']!r} (exceptions[{index}])"
    return f"exceptions[{index}]"


def schema_problems(raw: Any) -> list[Problem]:
    """Every way the file breaks the shipped schema, each named by entry and rule."""
    definitions = schema("exceptions")
    problems = []
    for error in schema_errors(raw, "exceptions", limit=50):
        path = list(error.instance_path)
        in_entry = len(path) >= 2 and path[0] == "exceptions" and isinstance(path[1], int)
        where = _entry_label(raw, path[1]) if in_entry else "(top level)"
        inner = path[2:] if in_entry else path
        allowed = (
            definitions["definitions"]["exception"]["properties"]
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
    policy: ExceptionsPolicy,
) -> tuple[tuple[PolicyException, ...], list[Problem]]:
    """The rules the schema cannot say: real dates, lifetime, approver, controls, unique ids."""
    entries: list[PolicyException] = []
    problems: list[Problem] = []
    first_index: dict[str, int] = {}
    for index, raw in enumerate(raw_entries):
        where = f"exception {raw['id']!r} (exceptions[{index}])"
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
            close = difflib.get_close_matches(control_id, controls, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            detail = f"{control_id!r} is not a known control{hint}; see `gatekeeper controls`"
            found.append((UNKNOWN_CONTROL, detail))
        elif not control.waivable:
            found.append((NOT_WAIVABLE, _not_waivable(control)))
    return found


def _not_waivable(control: Control) -> str:
    """A refusal that says what can be done instead of an exception."""
    fix = control.remediation.split(". ")[0].rstrip(".")
    disable = (
        "it is mandatory, so only the organization policy can lift it (mandatory:)"
        if control.mandatory else
        "if it does not apply to this system, disable it under profile.disabled in "
        "gatekeeper.yaml"
    )
    return (
        f"{control.id} cannot be excepted (waivable: false, by its METADATA or the "
        f"organization policy's non_waivable). Instead: fix it ({fix}); or {disable}; a "
        "baseline cannot accept it either (it lets through only waivable controls)"
    )


def _approval_problems(raw: dict[str, Any], policy: ExceptionsPolicy) -> list[tuple[str, str]]:
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
        detail = f"the owner ({owner}) cannot approve their own exception (approved_by)"
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
    for key in DATE_FIELDS:
        try:
            parsed[key] = parse_date(raw[key])
        except ValueError:
            found.append((MALFORMED_DATE, f"{key}: {raw[key]!r} is not {DATE_FORMS}"))
    if found:
        return None, found
    return (parsed["created"], parsed["expires"]), []


def _lifetime_problems(
    created: datetime, expires: datetime, policy: ExceptionsPolicy
) -> list[tuple[str, str]]:
    span = f"expires {format_time(expires)}, created {format_time(created)}"
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


def _entry(raw: dict[str, Any], created: datetime, expires: datetime) -> PolicyException:
    return PolicyException(
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
    """What one exception did in this run."""

    waived: dict[str, list[str]] = field(default_factory=dict)  # control -> waived keys
    shadowed_by: set[str] = field(default_factory=set)  # matched, but already waived by these


def apply_exceptions(
    results: list[ControlResult],
    exceptions: ExceptionSet,
    subject: dict[str, Any],
    now: datetime,
) -> tuple[list[ControlResult], dict[str, Any]]:
    """Waive what the exceptions in effect cover; return the new results and the report section.

    Entries are tried in file order: a message waived by one is not waived again by a later one.
    """
    in_effect = [
        e for e in exceptions.entries
        if e.status(now) == ACTIVE and e.covers_subject(subject)
    ]
    uses = {e.id: _Use() for e in in_effect}
    waived_results = [_waive(result, in_effect, uses) for result in results]
    section = _section(exceptions, waived_results, uses, subject, now)
    return waived_results, section


def _waive(
    result: ControlResult, in_effect: list[PolicyException], uses: dict[str, _Use]
) -> ControlResult:
    if result.outcome not in WAIVABLE_OUTCOMES:
        return result
    messages = list(result.messages)
    for exception in in_effect:
        if result.id not in exception.controls:
            continue
        if result.outcome is Outcome.NO_EVIDENCE and exception.findings:
            continue  # missing evidence has no findings to scope to
        for index, message in enumerate(messages):
            if not exception.covers_message(message):
                continue
            if message.waived_by is not None:
                uses[exception.id].shadowed_by.add(message.waived_by)
                continue
            messages[index] = replace(message, waived_by=exception.id)
            uses[exception.id].waived.setdefault(result.id, []).append(message.key)
    if all(m.waived_by is None for m in messages):
        return result
    waived = replace(result, messages=tuple(messages))
    if waived.open_messages:
        return waived
    by = [e for e in in_effect if any(m.waived_by == e.id for m in messages)]
    return waived.with_outcome(Outcome.WAIVED, waiver=_waiver(by))


def _waiver(exceptions: list[PolicyException]) -> dict[str, Any]:
    """The ``waiver`` of a waived control: the exception that lapses first decides when the
    control fails again, so it is the one named; ``exceptions`` lists every one involved."""
    first = min(exceptions, key=lambda e: e.expires)
    return {
        "exception": first.id,
        "exceptions": [e.id for e in exceptions],
        "justification": first.justification,
        "owner": first.owner,
        "approved_by": first.approved_by,
        "ticket": first.ticket,
        "expires": format_time(first.expires),
    }


def _section(
    exceptions: ExceptionSet,
    results: list[ControlResult],
    uses: dict[str, _Use],
    subject: dict[str, Any],
    now: datetime,
) -> dict[str, Any]:
    by_id = {r.id: r for r in results}
    window = timedelta(days=exceptions.policy.warn_within_days)
    section: dict[str, Any] = {
        "file": exceptions.name,
        "sha256": exceptions.sha256,
        "warn_within_days": exceptions.policy.warn_within_days,
        "applied": [],
        "expired": [],
        "expiring": [],
        "unused": [],
    }
    for exception in exceptions.entries:
        status = exception.status(now)
        entry = exception.to_dict()
        if status == EXPIRED:
            section["expired"].append(entry)
            continue
        if status == ACTIVE:
            entry["days_left"] = exception.days_left(now)
            if exception.expires - now <= window:
                section["expiring"].append(entry)
        use = uses.get(exception.id)
        if use is not None and use.waived:
            section["applied"].append({**entry, "waived": _waived_list(use, by_id)})
        else:
            reason = _unused_reason(exception, status, use, by_id, subject)
            section["unused"].append({**entry, "reason": reason})
    return section


def _waived_list(use: _Use, results: dict[str, ControlResult]) -> list[dict[str, Any]]:
    return [
        {"control": control_id, "outcome": results[control_id].outcome.value, "findings": keys}
        for control_id, keys in use.waived.items()
    ]


def _unused_reason(
    exception: PolicyException,
    status: str,
    use: _Use | None,
    results: dict[str, ControlResult],
    subject: dict[str, Any],
) -> str:
    if status == PENDING:
        return f"not in effect before {format_time(exception.created)}"
    if use is None:
        name = f"{subject['name']}@{subject.get('version', '')}"
        return f"subject {name} matches none of its subjects ({', '.join(exception.subjects)})"
    if use.shadowed_by:
        return f"what it matches is already waived by {', '.join(sorted(use.shadowed_by))}"
    return "nothing to waive: " + "; ".join(
        _why_not(exception, results.get(control_id), control_id)
        for control_id in exception.controls
    )


def _why_not(exception: PolicyException, result: ControlResult | None, control_id: str) -> str:
    if result is None:
        return f"{control_id} was not evaluated (disabled or absent)"
    outcome = result.outcome
    if outcome is Outcome.ERROR:
        return f"{control_id} is error (an error is never waived)"
    if outcome is Outcome.NO_EVIDENCE and exception.findings:
        return f"{control_id} is no_evidence (only an exception without findings covers that)"
    if outcome in WAIVABLE_OUTCOMES:
        return f"{control_id} is {outcome.value}, but none of its findings match"
    return f"{control_id} is {outcome.value}"


# --- listing ------------------------------------------------------------------------------


def listing(
    exceptions: ExceptionSet, now: datetime, expiring_within: int | None = None
) -> list[dict[str, Any]]:
    """Every entry with its status at ``now`` (active, expired, pending) and days left; with
    ``expiring_within``, only those in effect that expire within that many days."""
    window = timedelta(days=exceptions.policy.warn_within_days)
    rows = []
    for exception in exceptions.entries:
        status = exception.status(now)
        if expiring_within is not None and not (
            status == ACTIVE and exception.expires - now <= timedelta(days=expiring_within)
        ):
            continue
        row = {**exception.to_dict(), "status": status}
        if status != EXPIRED:
            row["days_left"] = exception.days_left(now)
            row["expiring"] = status == ACTIVE and exception.expires - now <= window
        rows.append(row)
    return rows
