"""Times as gatekeeper reads and writes them: RFC 3339 with a zone, compared in UTC."""

from __future__ import annotations

from datetime import datetime, timezone


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


def rfc3339(moment: datetime) -> str:
    """An aware datetime in UTC, written with ``Z``."""
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
