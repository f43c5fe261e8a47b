"""The seed's checklist as data, against the history: done, due, overdue per duty."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from gatekeeper.history.checklist import Duty, duty_status, load_duties
from history.runs import example_results, variant

NOW = datetime(2026, 11, 28, 12, tzinfo=timezone.utc)
QUARTERLY = Duty("q", "quarterly", 92, "a quarterly duty", ("A-one", "A-two"))
RELEASE = Duty("r", "per_release", 0, "a per-release duty", ("A-one",))
LATEST = "2026-11-20T00:00:00Z"


def test_every_duty_names_known_controls_and_a_cadence():
    from gatekeeper.engine.policies import load_policies

    known = {control.id for control in load_policies(()).controls}
    duties = load_duties()
    assert {d.cadence for d in duties} == {"quarterly", "monthly", "per_release"}
    for duty in duties:
        assert set(duty.controls) <= known, duty.id


@pytest.mark.parametrize(
    ("passed", "status"),
    [
        ({"A-one": "2026-11-01T00:00:00Z", "A-two": "2026-10-01T00:00:00Z"}, "done"),
        # done on 2026-08-30 (the older of the two): due 2026-11-30, within 14 days
        ({"A-one": "2026-11-01T00:00:00Z", "A-two": "2026-08-30T00:00:00Z"}, "due"),
        ({"A-one": "2026-11-01T00:00:00Z", "A-two": "2026-08-27T00:00:00Z"}, "overdue"),
        ({"A-one": "2026-11-01T00:00:00Z"}, "overdue"),  # A-two never passed
    ],
)
def test_a_periodic_duty_is_done_when_its_last_control_passed(passed, status):
    assert duty_status(QUARTERLY, passed, LATEST, NOW)["status"] == status


def test_a_per_release_duty_must_hold_in_the_latest_run():
    assert duty_status(RELEASE, {"A-one": LATEST}, LATEST, NOW)["status"] == "done"
    earlier = {"A-one": "2026-11-13T00:00:00Z"}
    assert duty_status(RELEASE, earlier, LATEST, NOW)["status"] == "overdue"


def test_checklist_command_lists_each_systems_duties(gatekeeper, tmp_path):
    db = str(tmp_path / "h.db")
    path = tmp_path / "r.json"
    path.write_text(json.dumps(variant(example_results(), at="2026-11-20T00:00:00Z")))
    assert gatekeeper("history", "push", path, "--history", db).code == 0
    run = gatekeeper("checklist", "--history", db, "--now", "2026-11-28T12:00:00Z", "-f", "json")
    rows = json.loads(run.out)
    assert {r["duty"] for r in rows} == {d.id for d in load_duties()}
    by_duty = {r["duty"]: r for r in rows}
    assert by_duty["signing-audit"]["status"] == "done"
    assert run.code == (1 if any(r["status"] == "overdue" for r in rows) else 0)
    later = gatekeeper("checklist", "--history", db, "--now", "2027-06-01T00:00:00Z", "-f", "json")
    assert later.code == 1
    assert {r["duty"]: r["status"] for r in json.loads(later.out)}["signing-audit"] == "overdue"
    unknown = gatekeeper("checklist", "--history", db, "--system", "nobody")
    assert unknown.code == 2
