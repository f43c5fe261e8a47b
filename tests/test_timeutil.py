"""Dates and times in one home: what a day means, what an expiry means, how both are shown."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta, timezone

import pytest

from gatekeeper.timeutil import (
    end_of_day,
    expiry_end,
    expiry_text,
    parse_date,
    parse_day,
    parse_rfc3339,
    require_rfc3339,
    rfc3339,
)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=timezone.utc)


@pytest.fixture
def new_york(monkeypatch):
    """The machine's zone is not UTC (as on a laptop): nothing may depend on it."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_a_day_means_midnight_utc():
    assert parse_date("2026-12-01") == utc(2026, 12, 1)


def test_an_rfc3339_time_is_converted_to_utc():
    assert parse_date("2026-12-01T09:30:00+01:00") == utc(2026, 12, 1, 8, 30)
    assert parse_date("2026-12-01T09:30Z") == utc(2026, 12, 1, 9, 30)


def test_a_time_is_returned_in_utc_whatever_the_machine_zone(new_york):
    moment = parse_date("2026-12-01T09:30:00-05:00")
    assert moment.utcoffset() == timedelta(0)
    assert moment.hour == 14


@pytest.mark.parametrize(
    "text",
    ["2026-12-01T09:30:00", "2026-12-01T09:30:00.5Z", "2026-12-01 09:30:00Z", "01/12/2026",
     "2026-12-1", "tomorrow", ""],
)
def test_anything_else_is_not_a_date(text):
    with pytest.raises(ValueError, match="is not YYYY-MM-DD or an RFC 3339 time with a zone"):
        parse_date(text)


@pytest.mark.parametrize("text", ["2026-02-30", "2026-02-30T09:30:00Z", "2026-13-01T09:30:00Z"])
def test_a_day_that_does_not_exist_is_not_a_date(text):
    with pytest.raises(ValueError):
        parse_date(text)


def test_a_day_is_only_yyyy_mm_dd():
    assert parse_day("2026-02-28") == date(2026, 2, 28)
    for bad in ("2026-2-28", "2026-02-28T00:00", "2026-02-28Z"):
        with pytest.raises(ValueError, match=f"'{bad}' is not YYYY-MM-DD"):
            parse_day(bad)
    with pytest.raises(ValueError):
        parse_day("2026-02-30")


def test_an_expiry_day_counts_through_its_end():
    end = expiry_end("2026-06-30")
    assert end == utc(2026, 7, 1) == end_of_day(date(2026, 6, 30))
    assert utc(2026, 6, 30, 23, 59, 59, 999999) < end  # still counts
    assert not utc(2026, 7, 1, 0, 0, 0) < end  # expired


def test_an_expiry_time_stops_at_that_moment():
    assert expiry_end("2026-06-30T09:30:00+02:00") == utc(2026, 6, 30, 7, 30)
    with pytest.raises(ValueError):
        expiry_end("2026-06-30T09:30:00")


def test_an_expiry_is_shown_as_written_and_reads_back_to_the_same_end():
    assert expiry_text(expiry_end("2026-06-30")) == "2026-06-30"
    assert expiry_text(expiry_end("2026-06-30T09:30:00+02:00")) == "2026-06-30T07:30:00Z"
    for text in ("2026-06-30", "2026-06-30T07:30:00Z", "2026-12-31"):
        assert expiry_end(expiry_text(expiry_end(text))) == expiry_end(text)


def test_an_expiry_is_shown_in_utc_whatever_the_machine_zone(new_york):
    assert expiry_text(expiry_end("2026-06-30")) == "2026-06-30"
    assert rfc3339(utc(2026, 6, 30, 12)) == "2026-06-30T12:00:00Z"


def test_rfc3339_is_written_in_utc_with_z():
    assert rfc3339(datetime(2026, 1, 31, 13, tzinfo=timezone(timedelta(hours=1)))) == (
        "2026-01-31T12:00:00Z"
    )


def test_a_time_without_a_zone_is_no_rfc3339_time():
    assert parse_rfc3339("2026-01-31T12:00:00") is None
    assert parse_rfc3339("2026-01-31") is None
    assert parse_rfc3339("2026-01-31T12:00:00z") == utc(2026, 1, 31, 12)


def test_require_rfc3339_raises_on_what_a_schema_should_have_refused():
    assert require_rfc3339("2026-01-31T12:00:00Z") == utc(2026, 1, 31, 12)
    with pytest.raises(ValueError, match="not an RFC 3339 time: '2026-01-31'"):
        require_rfc3339("2026-01-31")
