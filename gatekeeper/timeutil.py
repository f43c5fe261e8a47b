"""Times and dates as gatekeeper reads and writes them: RFC 3339 with a zone, compared in UTC.

One meaning of ``expires`` for every file a person writes (waivers, attestations): a day,
``expires: 2026-06-30``, counts THROUGH the end of that day in UTC. It is in effect until
2026-06-30T23:59:59.999Z and has expired from 2026-07-01T00:00:00Z. An ``expires`` written as
an RFC 3339 time stops at that moment. ``expiry_end`` turns either into the first moment the
value no longer counts; code compares ``now < end``.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone

DAY_FORMAT = "YYYY-MM-DD"
DATE_FORMS = "YYYY-MM-DD or an RFC 3339 time with a zone (2026-12-01T09:30:00Z)"

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})$")
_ONE_DAY = timedelta(days=1)


def parse_rfc3339(text: str) -> datetime | None:
    """``2026-01-31T12:00:00Z`` (or ``+hh:mm``) -> an aware datetime; anything else -> None.

    A time without a zone is ambiguous and so refused, like any other non-RFC 3339 text.
    """
    text = text.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None and "T" in text.upper() else None


def require_rfc3339(text: str) -> datetime:
    """An RFC 3339 time a schema already checked (the results document's); ValueError if not,
    as that is a bug upstream, never user input."""
    moment = parse_rfc3339(text)
    if moment is None:
        raise ValueError(f"not an RFC 3339 time: {text!r}")
    return moment


def rfc3339(moment: datetime) -> str:
    """An aware datetime in UTC, written with ``Z``."""
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def utc_text(text: str) -> str:
    """An RFC 3339 time normalized to UTC with ``Z``, so that stored times sort as text (a
    text that is not one is returned as it is)."""
    moment = parse_rfc3339(text)
    return rfc3339(moment) if moment is not None else text


def is_day(text: str) -> bool:
    """Written as a day alone, ``YYYY-MM-DD`` (not necessarily a real one)."""
    return bool(_DAY.match(text))


def parse_day(text: str) -> date:
    """A calendar day written ``YYYY-MM-DD``; ValueError for anything else."""
    if not is_day(text):
        raise ValueError(f"{text!r} is not {DAY_FORMAT}")
    return date.fromisoformat(text)


def parse_date(text: str) -> datetime:
    """A day, ``YYYY-MM-DD`` (00:00 UTC that day), or an RFC 3339 time with a zone, in UTC.

    ValueError for anything else: a time without a zone is ambiguous, so refused.
    """
    if is_day(text):
        return start_of_day(parse_day(text))
    moment = parse_rfc3339(text) if _TIME.match(text) else None
    if moment is None:
        raise ValueError(f"{text!r} is not {DATE_FORMS}")
    return moment.astimezone(timezone.utc)


def start_of_day(day: date) -> datetime:
    """00:00 UTC of ``day``."""
    return datetime.combine(day, time(), timezone.utc)


def end_of_day(day: date) -> datetime:
    """The first moment after ``day`` in UTC: 00:00 UTC of the next day."""
    return start_of_day(day) + _ONE_DAY


def expiry_end(text: str) -> datetime:
    """The first moment an ``expires`` value no longer counts: the end of a day (it counts
    through that day), or the RFC 3339 time itself. ValueError as ``parse_date``."""
    moment = parse_date(text)
    return end_of_day(moment.date()) if is_day(text) else moment


def expiry_text(end: datetime) -> str:
    """How an expiry is shown: the last day it counts when it ends at 00:00 UTC (what
    ``expires: YYYY-MM-DD`` means), else the RFC 3339 moment. ``expiry_end`` inverts it."""
    end = end.astimezone(timezone.utc)
    if end.time() == time():
        return (end - _ONE_DAY).date().isoformat()
    return rfc3339(end)
