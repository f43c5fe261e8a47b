"""Times as gatekeeper reads and writes them: RFC 3339 with a zone, compared in UTC."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timezone

DATE_FORMS = "YYYY-MM-DD (00:00 UTC) or an RFC 3339 time with a zone (2026-12-01T09:30:00Z)"
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})$")


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


def rfc3339(moment: datetime) -> str:
    """An aware datetime in UTC, written with ``Z``."""
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def utc_text(text: str) -> str:
    """An RFC 3339 time normalized to UTC with ``Z``, so that stored times sort as text (a
    text that is not one is returned as it is)."""
    moment = parse_rfc3339(text)
    return rfc3339(moment) if moment is not None else text
