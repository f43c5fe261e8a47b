"""The attestations file: strict reading, every bad entry named, expiry, round trip."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from gatekeeper.attestations import (
    Attestation,
    dump_attestations,
    load_attestations,
)
from gatekeeper.catalog.loader import load_catalog
from gatekeeper.errors import ConfigError

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "model-release" / "attestations.yaml"
GOOD = """\
version: 1
attestations:
  GRC-Q1:
    score: 3
    evidence: https://wiki.example.com/charter
    attested_by: Dana Reyes
    date: 2026-09-15
    expires: 2027-09-15
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "attestations.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _error(tmp_path: Path, text: str) -> str:
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as raised:
        load_attestations(path)
    assert raised.value.exit_code == 2
    message = str(raised.value)
    assert str(path) in message
    return message


def test_the_shipped_example_loads_with_its_expired_answers():
    answers = load_attestations(EXAMPLE).answers
    assert set(answers) == {
        "GRC-Q1", "SDL-Q1", "INF-Q1", "IRR-Q1", "RTE-Q1", "MON-Q3", "IRR-Q6", "SAF-Q5",
    }
    now = datetime(2026, 11, 28, 12, tzinfo=timezone.utc)
    assert [q for q, a in answers.items() if a.expired(now)] == ["IRR-Q1", "IRR-Q6"]
    assert answers["RTE-Q1"].score == 2
    assert answers["GRC-Q1"].date == date(2026, 9, 15)


def test_a_good_file_reads_into_attestations_with_its_digest(tmp_path):
    attestations = load_attestations(_write(tmp_path, GOOD))
    answer = attestations.answers["GRC-Q1"]
    assert (answer.score, answer.attested_by) == (3, "Dana Reyes")
    assert answer.expires == date(2027, 9, 15)
    assert len(attestations.sha256) == 64


def test_the_expiry_day_counts_through_its_end_in_utc():
    answer = Attestation("GRC-Q1", 3, "x", "me", date(2026, 1, 1), date(2026, 6, 30))
    assert not answer.expired(datetime(2026, 6, 30, 23, 59, 59, 999999, tzinfo=timezone.utc))
    assert answer.expired(datetime(2026, 7, 1, 0, 0, 0, tzinfo=timezone.utc))
    # 01:00 on July 1st at +02:00 is still June 30th in UTC: the day is read in UTC
    assert not answer.expired(datetime(2026, 7, 1, 1, 0, tzinfo=timezone(timedelta(hours=2))))


def test_an_unknown_question_is_named(tmp_path):
    assert "attestations.GRC-Q8: unknown question" in _error(
        tmp_path, GOOD.replace("GRC-Q1", "GRC-Q8"))
    assert "attestations.XYZ-Q1: unknown question" in _error(
        tmp_path, GOOD.replace("GRC-Q1", "XYZ-Q1"))


@pytest.mark.parametrize("score", ["5", "-1", "2.5", "'3'"])
def test_a_score_outside_0_to_4_is_named(tmp_path, score):
    message = _error(tmp_path, GOOD.replace("score: 3", f"score: {score}"))
    assert "attestations.GRC-Q1.score" in message


@pytest.mark.parametrize("key", ["attested_by", "date", "evidence", "expires", "score"])
def test_a_missing_field_is_named(tmp_path, key):
    text = "".join(line for line in GOOD.splitlines(True) if not line.strip().startswith(key))
    message = _error(tmp_path, text)
    assert f'attestations.GRC-Q1: "{key}" is a required property' in message


def test_an_empty_attester_is_refused(tmp_path):
    message = _error(tmp_path, GOOD.replace("Dana Reyes", "''"))
    assert "attestations.GRC-Q1.attested_by" in message


def test_an_expiry_before_the_date_is_named(tmp_path):
    message = _error(tmp_path, GOOD.replace("expires: 2027-09-15", "expires: 2026-09-14"))
    assert "attestations.GRC-Q1.expires: 2026-09-14 is before its date 2026-09-15" in message


@pytest.mark.parametrize("value", ["2026-13-01", "15/09/2026", "20260915", "soon"])
def test_a_date_that_is_not_a_date_is_named(tmp_path, value):
    message = _error(tmp_path, GOOD.replace("date: 2026-09-15", f"date: '{value}'"))
    assert "attestations.GRC-Q1.date" in message and "YYYY-MM-DD" in message


def test_a_question_answered_twice_is_refused(tmp_path):
    twice = GOOD + GOOD.split("attestations:\n", 1)[1]
    assert "duplicate key 'GRC-Q1'" in _error(tmp_path, twice)


def test_unknown_keys_and_a_missing_version_are_refused(tmp_path):
    assert "remarks" in _error(tmp_path, GOOD + "    remarks: no\n")
    assert '"version" is a required property' in _error(tmp_path, GOOD.replace("version: 1\n", ""))


def test_a_missing_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="attestations file not found"):
        load_attestations(tmp_path / "nope.yaml")


def test_dump_then_load_gives_the_same_answers_in_catalog_order(tmp_path):
    answers = load_attestations(EXAMPLE).answers
    order = [q.id for q in load_catalog().questions]
    path = _write(tmp_path, dump_attestations(dict(reversed(list(answers.items()))), order))
    again = load_attestations(path).answers
    assert again == answers
    assert list(again) == [q for q in order if q in answers]
