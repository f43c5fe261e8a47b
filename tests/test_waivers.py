"""The waivers file (`exceptions:`): every validation rule on a file that breaks it, and how
waivers apply."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from gatekeeper.config import Enforcement, WaiverPolicy
from gatekeeper.engine.policies import Control, load_policies
from gatekeeper.errors import ConfigError
from gatekeeper.results import ControlResult, Message, Outcome
from gatekeeper.timeutil import expiry_end
from gatekeeper.verdict import decide
from gatekeeper.waivers import (
    Waiver,
    WaiverFile,
    apply_waivers,
    listing,
    load_waivers,
)

ASSETS = Path(__file__).parent / "assets" / "waivers"
NOW = datetime(2026, 11, 28, 12, tzinfo=timezone.utc)
SUBJECT = {"name": "forum-summarizer", "version": "0.3.0"}


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=timezone.utc)


# --- validation: each rule, one broken file ---------------------------------------------------

RULE_CASES = [
    ("unknown-key.yaml", "sast-md5", "unknown-key", "approver_note"),
    ("missing-key.yaml", "sast-md5", "missing-key", "approved_by"),
    ("malformed-date.yaml", "sast-md5", "malformed-date", "2027-02-30"),
    ("date-as-number.yaml", "sast-md5", "malformed-date", "20270120 is a number"),
    ("date-without-zone.yaml", "sast-md5", "malformed-date", "2027-01-20T10:00:00"),
    ("duplicate-id.yaml", "sast-md5", "duplicate-id", "already used by exceptions[0]"),
    ("unknown-control.yaml", "sast-md5", "unknown-control", "did you mean SDL-sast-clean?"),
    ("not-waivable.yaml", "pickle-ok", "not-waivable", "SDL-no-unsafe-deserialization"),
    ("self-approval.yaml", "sast-md5", "self-approval", "cannot approve their own"),
    ("lifetime.yaml", "sast-md5", "lifetime",
     "120 days, more than the cap of 90 (exceptions_policy.max_lifetime_days in gatekeeper.yaml)"),
    ("expires-before-created.yaml", "sast-md5", "lifetime", "must expire after"),
]


@pytest.mark.parametrize(("name", "entry", "rule", "detail"), RULE_CASES)
def test_lint_refuses_each_broken_rule(gatekeeper, name, entry, rule, detail):
    run = gatekeeper("exceptions", "lint", ASSETS / name, "--now", "2026-11-28T12:00:00Z")
    assert run.code == 2
    assert name in run.err
    assert f"waiver {entry!r}" in run.err
    assert f": {rule}: " in run.err
    assert detail in run.err
    assert "Traceback" not in run.err


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("anchors.yaml", "line 6, column 12: anchors (&name) are not allowed"),
        ("duplicate-key.yaml", "line 11, column 5: duplicate key 'expires'"),
    ],
)
def test_yaml_tricks_are_refused_with_the_line(gatekeeper, name, problem):
    run = gatekeeper("exceptions", "lint", ASSETS / name)
    assert run.code == 2
    assert f"{name}: {problem}" in run.err


def test_lint_accepts_a_valid_file_and_warns_of_what_expires(gatekeeper):
    run = gatekeeper("exceptions", "lint", ASSETS / "valid.yaml", "--now", "2026-11-28T12:00:00Z")
    assert run.code == 0, run.err
    assert "valid.yaml: 2 exceptions, valid" in run.out
    assert "warning: model-card expires in 13 days (2026-12-11)" in run.out


def test_every_problem_of_a_file_is_listed_at_once(tmp_path):
    text = (ASSETS / "duplicate-id.yaml").read_text().replace("SDL-secrets-clean", "SDL-nope")
    path = tmp_path / "exceptions.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as raised:
        load_waivers(path, load_policies().controls)
    message = str(raised.value)
    assert "(2 problems)" in message
    assert "duplicate-id" in message and "unknown-control" in message


def test_the_lifetime_cap_comes_from_the_policy(tmp_path):
    controls = load_policies().controls
    path = ASSETS / "valid.yaml"
    assert len(load_waivers(path, controls, WaiverPolicy(max_lifetime_days=90)).entries) == 2
    with pytest.raises(ConfigError, match=r"lives 89\.4583 days, more than the cap of 30"):
        load_waivers(path, controls, WaiverPolicy(max_lifetime_days=30))


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "the file is empty"),
        ("version: 2\nexceptions: []\n", "(top level): invalid-value: version"),
        ("version: 1\n", "(top level): missing-key: 'exceptions' is required"),
        ("version: 1\nexceptions: [{id: x}]\n", "waiver 'x' (exceptions[0]): missing-key"),
        ("version: 1\nexceptions: [{}]\n", "exceptions[0]: missing-key: 'id' is required"),
    ],
)
def test_malformed_files_are_config_errors(tmp_path, text, problem):
    path = tmp_path / "exceptions.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as raised:
        load_waivers(path, load_policies().controls)
    assert problem in str(raised.value)
    assert str(path) in str(raised.value)


def test_a_missing_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="file not found"):
        load_waivers(tmp_path / "nope.yaml", ())


def test_a_valid_file_is_parsed_whole():
    waivers = load_waivers(ASSETS / "valid.yaml", load_policies().controls)
    first, second = waivers.entries
    assert first.subjects == ("forum-*", "chat-bot@2.*")
    assert first.findings == ("B324@src/*", "src/legacy/*")
    assert first.expires == utc(2027, 2, 17, 11)
    assert second.created == utc(2026, 9, 14)
    assert len(waivers.sha256) == 64


# --- applying ---------------------------------------------------------------------------------


def control(control_id: str, waivable: bool = True) -> Control:
    return Control(
        id=control_id, package="gatekeeper.controls.x", path=Path("x.rego"), title=control_id,
        description="", remediation="", severity="high", questions=(), waivable=waivable,
    )


def result(control_id: str, outcome: Outcome, *messages: Message) -> ControlResult:
    return ControlResult(control(control_id), Enforcement.BLOCKING, outcome, messages)


def waiver(waiver_id: str = "ex-1", **changes) -> Waiver:
    fields = {
        "id": waiver_id,
        "controls": ("SDL-sast-clean",),
        "justification": "reviewed",
        "owner": "a@x",
        "approved_by": "b@x",
        "ticket": "SEC-1",
        "created": utc(2026, 11, 1),
        "expires": utc(2027, 1, 16),  # expires: 2027-01-15, counted through its end
        **changes,
    }
    return Waiver(**fields)


def apply(results, *entries, now=NOW, subject=SUBJECT, policy=None):
    waivers = WaiverFile(
        Path("ex.yaml"), "ex.yaml", "0" * 64, tuple(entries), policy or WaiverPolicy()
    )
    return apply_waivers(list(results), waivers, subject, now)


B324 = Message("B324 weak hash", finding="B324@src/train.py:35", file="src/train.py", line=35)
B602 = Message("B602 shell", finding="B602@src/train.py:29", file="src/train.py", line=29)


def test_a_whole_control_waiver_waives_a_failure():
    (waived,), section = apply([result("SDL-sast-clean", Outcome.FAIL, B324, B602)], waiver())
    assert waived.outcome is Outcome.WAIVED
    assert [m.waived_by for m in waived.messages] == ["ex-1", "ex-1"]
    assert waived.extra["waiver"] == {
        "exception": "ex-1",
        "exceptions": ["ex-1"],
        "justification": "reviewed",
        "owner": "a@x",
        "approved_by": "b@x",
        "ticket": "SEC-1",
        "expires": "2027-01-15",
    }
    assert [e["id"] for e in section["applied"]] == ["ex-1"]
    assert decide([waived.standing]).outcome == "pass"


def test_a_finding_scoped_waiver_waives_only_its_finding():
    entry = waiver(findings=("B324@*",))
    (partly,), section = apply([result("SDL-sast-clean", Outcome.FAIL, B324, B602)], entry)
    assert partly.outcome is Outcome.FAIL
    assert [m.waived_by for m in partly.messages] == ["ex-1", None]
    assert "waiver" not in partly.extra
    assert section["applied"][0]["waived"] == [
        {"control": "SDL-sast-clean", "outcome": "fail", "findings": ["B324@src/train.py:35"]}
    ]
    verdict = decide([partly.standing])
    assert verdict.outcome == "fail"
    assert verdict.reasons == ("SDL-sast-clean fail: B602 shell",)


def test_findings_match_the_file_cited():
    entry = waiver(findings=("src/*.py",))
    (waived,), _ = apply([result("SDL-sast-clean", Outcome.FAIL, B324, B602)], entry)
    assert waived.outcome is Outcome.WAIVED


def test_in_effect_from_created_until_just_before_expires():
    failing = [result("SDL-sast-clean", Outcome.FAIL, B602)]
    entry = waiver(created=NOW, expires=utc(2027, 1, 1))
    assert apply(failing, entry)[0][0].outcome is Outcome.WAIVED
    (still,), section = apply(failing, waiver(expires=NOW))
    assert still.outcome is Outcome.FAIL
    assert [e["id"] for e in section["expired"]] == ["ex-1"]
    assert section["applied"] == [] and section["unused"] == []


def test_an_waiver_not_yet_created_has_no_effect():
    (still,), section = apply(
        [result("SDL-sast-clean", Outcome.FAIL, B602)],
        waiver(created=utc(2026, 12, 1), expires=utc(2027, 1, 1)),
    )
    assert still.outcome is Outcome.FAIL
    assert section["unused"][0]["reason"] == "not in effect before 2026-12-01T00:00:00Z"


def test_expiring_within_the_window_is_a_warning():
    failing = [result("SDL-sast-clean", Outcome.FAIL, B602)]
    soon = waiver(expires=utc(2026, 12, 12))
    _, section = apply(failing, soon)
    assert [(e["id"], e["days_left"]) for e in section["expiring"]] == [("ex-1", 13)]
    _, section = apply(failing, soon, policy=WaiverPolicy(warn_within_days=7))
    assert section["expiring"] == []


def test_missing_evidence_is_waived_only_by_an_waiver_without_findings():
    missing = [result("SDL-sast-clean", Outcome.NO_EVIDENCE, Message("no evidence"))]
    (waived,), _ = apply(missing, waiver())
    assert waived.outcome is Outcome.WAIVED
    (still,), section = apply(missing, waiver(findings=("*",)))
    assert still.outcome is Outcome.NO_EVIDENCE
    assert "only a waiver without findings covers that" in section["unused"][0]["reason"]


def test_an_error_is_never_waived():
    errored = result("SDL-sast-clean", Outcome.ERROR, Message("boom"))
    (still,), section = apply([errored], waiver())
    assert still.outcome is Outcome.ERROR
    assert "an error is never waived" in section["unused"][0]["reason"]


def test_a_passing_control_leaves_the_waiver_unused():
    (passed,), section = apply([result("SDL-sast-clean", Outcome.PASS)], waiver())
    assert passed.outcome is Outcome.PASS
    assert section["unused"][0]["reason"] == "nothing to waive: SDL-sast-clean is pass"


@pytest.mark.parametrize(
    ("subjects", "applies"),
    [
        (("forum-*",), True),
        (("forum-summarizer@0.3.*",), True),
        (("forum-summarizer@0.4.*",), False),
        (("chat-*",), False),
        (("forum-summarizer",), True),  # no '@': the name alone, never name@version
        (("forum-summarizer@*",), True),
        (("forum-summarizer@0.3.0",), True),
        (("forum-summarizer@0.3.1",), False),
    ],
)
def test_subject_globs(subjects, applies):
    (outcome,), section = apply(
        [result("SDL-sast-clean", Outcome.FAIL, B602)], waiver(subjects=subjects)
    )
    assert (outcome.outcome is Outcome.WAIVED) is applies
    if not applies:
        assert section["unused"][0]["reason"].startswith("subject forum-summarizer@0.3.0")


def test_a_message_is_waived_once_by_the_first_entry_in_file_order():
    first = waiver("first", expires=utc(2027, 2, 1))
    second = waiver("second", expires=utc(2027, 1, 1))
    (waived,), section = apply([result("SDL-sast-clean", Outcome.FAIL, B602)], first, second)
    assert waived.messages[0].waived_by == "first"
    assert section["unused"][0]["reason"] == "what it matches is already waived by first"


def test_two_finding_scoped_entries_can_waive_a_control_together():
    b324 = waiver("md5", findings=("B324@*",), expires=utc(2027, 2, 1))
    b602 = waiver("shell", findings=("B602@*",), expires=utc(2027, 1, 1))
    (waived,), _ = apply([result("SDL-sast-clean", Outcome.FAIL, B324, B602)], b324, b602)
    assert waived.outcome is Outcome.WAIVED
    assert waived.extra["waiver"]["exception"] == "shell"  # it lapses first
    assert waived.extra["waiver"]["exceptions"] == ["md5", "shell"]


def test_listing_filters_what_expires_soon():
    waivers = load_waivers(ASSETS / "valid.yaml", load_policies().controls)
    assert [r["id"] for r in listing(waivers, NOW)] == ["sast-md5", "model-card"]
    assert [r["id"] for r in listing(waivers, NOW, expiring_within=30)] == ["model-card"]
    later = utc(2026, 12, 20)
    assert [r["status"] for r in listing(waivers, later)] == ["active", "expired"]


# --- boundaries: each comparison, on both sides -----------------------------------------------

TICK = timedelta(microseconds=1)
LIST_POLICY = WaiverPolicy(warn_within_days=14)


def _file(tmp_path: Path, created: str, expires: str) -> Path:
    path = tmp_path / "exceptions.yaml"
    path.write_text(
        "version: 1\nexceptions:\n  - id: ex-1\n    controls: [SDL-sast-clean]\n"
        "    justification: reviewed\n    owner: a@x\n    approved_by: b@x\n"
        f"    ticket: SEC-1\n    created: {created}\n    expires: {expires}\n",
        encoding="utf-8",
    )
    return path


def _outcome_at(now: datetime, path: Path) -> Outcome:
    waivers = load_waivers(path, load_policies().controls)
    (waived,), _ = apply_waivers(
        [result("SDL-sast-clean", Outcome.FAIL, B602)], waivers, SUBJECT, now
    )
    return waived.outcome


def test_an_expiry_day_waives_through_its_last_second_and_not_a_tick_later(tmp_path):
    path = _file(tmp_path, "2026-06-01", "2026-06-30")
    assert _outcome_at(utc(2026, 6, 30, 23, 59, 59), path) is Outcome.WAIVED
    assert _outcome_at(utc(2026, 6, 30, 23, 59, 59, 999999), path) is Outcome.WAIVED
    assert _outcome_at(utc(2026, 7, 1, 0, 0, 0), path) is Outcome.FAIL


def test_an_expiry_time_waives_until_that_moment(tmp_path):
    path = _file(tmp_path, "2026-06-01", "2026-06-30T12:00:00Z")
    assert _outcome_at(utc(2026, 6, 30, 11, 59, 59, 999999), path) is Outcome.WAIVED
    assert _outcome_at(utc(2026, 6, 30, 12), path) is Outcome.FAIL


def test_created_is_in_effect_from_its_first_moment(tmp_path):
    path = _file(tmp_path, "2026-06-01", "2026-06-30")
    assert _outcome_at(utc(2026, 6, 1), path) is Outcome.WAIVED
    assert _outcome_at(utc(2026, 6, 1) - TICK, path) is Outcome.FAIL


def test_an_expiry_is_reported_as_the_day_written(tmp_path):
    path = _file(tmp_path, "2026-06-01", "2026-06-30")
    waivers = load_waivers(path, [control("SDL-sast-clean")])
    (row,) = listing(waivers, utc(2026, 6, 2))
    assert (row["created"], row["expires"]) == ("2026-06-01T00:00:00Z", "2026-06-30")


@pytest.mark.parametrize(
    ("expires", "problem"),
    [
        ("2026-05-31", True),  # ends 2026-06-01T00:00Z, when it is created: never in effect
        ("2026-06-01", False),  # the day it is created: in effect that whole day
        ("2026-08-29", False),  # 2026-06-01 to the end of 2026-08-29: exactly 90 days
        ("2026-08-30", True),  # 91 days
    ],
)
def test_lifetime_runs_from_created_to_the_end_of_the_expiry_day(tmp_path, expires, problem):
    path = _file(tmp_path, "2026-06-01", expires)
    policy = WaiverPolicy(max_lifetime_days=90)
    if problem:
        with pytest.raises(ConfigError, match=f"lifetime: expires {expires}, created "
                           "2026-06-01T00:00:00Z: "):
            load_waivers(path, load_policies().controls, policy)
    else:
        assert load_waivers(path, load_policies().controls, policy).entries


def _expiring_ids(end: datetime, now: datetime, **policy) -> list[str]:
    failing = [result("SDL-sast-clean", Outcome.FAIL, B602)]
    _, section = apply(failing, waiver(expires=end), now=now, policy=WaiverPolicy(**policy))
    return [e["id"] for e in section["expiring"]]


def test_expiring_soon_includes_exactly_the_window_and_not_a_tick_more():
    end = expiry_end("2026-12-11")
    assert _expiring_ids(end, end - timedelta(days=14), warn_within_days=14) == ["ex-1"]
    assert _expiring_ids(end, end - timedelta(days=14) - TICK, warn_within_days=14) == []
    assert _expiring_ids(end, end - TICK, warn_within_days=0) == []
    assert _expiring_ids(end, end, warn_within_days=14) == []  # expired, not expiring


def _listed(entry: Waiver, now: datetime, within: int | None) -> list[dict]:
    waivers = WaiverFile(Path("ex.yaml"), "ex.yaml", "0" * 64, (entry,), LIST_POLICY)
    return listing(waivers, now, expiring_within=within)


def test_list_expiring_keeps_exactly_those_within_the_days_given():
    entry = waiver(created=utc(2026, 11, 1), expires=expiry_end("2026-12-11"))
    at_edge = entry.expires - timedelta(days=5)
    assert [r["id"] for r in _listed(entry, at_edge, 5)] == ["ex-1"]
    assert _listed(entry, at_edge - TICK, 5) == []
    assert _listed(entry, entry.expires, 5) == []  # expired: nothing to remind of
    assert _listed(entry, utc(2026, 10, 31), 60) == []  # pending: not in effect yet
    assert [r["id"] for r in _listed(entry, utc(2026, 11, 1), 60)] == ["ex-1"]


def test_list_marks_expiring_on_the_warning_window():
    entry = waiver(created=utc(2026, 11, 1), expires=expiry_end("2026-12-11"))
    edge = entry.expires - timedelta(days=14)
    (row,) = _listed(entry, edge, None)
    assert row["expiring"] is True and row["status"] == "active"
    (row,) = _listed(entry, edge - TICK, None)
    assert row["expiring"] is False
    (row,) = _listed(entry, utc(2026, 10, 1), None)
    assert row["status"] == "pending" and row["expiring"] is False
    (row,) = _listed(entry, entry.expires, None)
    assert row["status"] == "expired" and "days_left" not in row


def test_days_left_counts_whole_days():
    entry = waiver(expires=expiry_end("2026-12-11"))
    assert entry.days_left(entry.expires - timedelta(days=13)) == 13
    assert entry.days_left(entry.expires - timedelta(days=13) + TICK) == 12
    assert entry.days_left(entry.expires - timedelta(days=13, hours=12)) == 13


# --- why a waiver waived nothing: each reason, word for word -----------------------------------


def test_an_unmatched_subject_is_named_with_its_version_and_every_glob():
    entry = waiver(subjects=("chat-*", "bot@1.*"))
    _, section = apply([result("SDL-sast-clean", Outcome.FAIL, B602)], entry)
    assert section["unused"][0]["reason"] == (
        "subject forum-summarizer@0.3.0 matches none of its subjects (chat-*, bot@1.*)"
    )
    _, section = apply(
        [result("SDL-sast-clean", Outcome.FAIL, B602)], entry, subject={"name": "forum"}
    )
    assert section["unused"][0]["reason"] == (
        "subject forum@ matches none of its subjects (chat-*, bot@1.*)"
    )


def test_a_subject_without_a_version_is_name_at_nothing():
    failing = [result("SDL-sast-clean", Outcome.FAIL, B602)]
    (waived,), _ = apply(failing, waiver(subjects=("forum@",)), subject={"name": "forum"})
    assert waived.outcome is Outcome.WAIVED


def test_a_shadowed_waiver_names_every_earlier_waiver_sorted():
    first = waiver("b-first", findings=("B324@*",))
    second = waiver("a-second", findings=("B602@*",))
    both = waiver("late", controls=("SDL-sast-clean",))
    _, section = apply([result("SDL-sast-clean", Outcome.FAIL, B324, B602)], first, second, both)
    (unused,) = section["unused"]
    assert unused["reason"] == "what it matches is already waived by a-second, b-first"


def test_nothing_to_waive_says_what_each_control_did():
    entry = waiver(controls=("SDL-sast-clean", "SDL-secrets-clean"), findings=("B999@*",))
    results = [
        result("SDL-sast-clean", Outcome.FAIL, B602),
        result("SDL-secrets-clean", Outcome.PASS),
    ]
    _, section = apply(results, entry)
    assert section["unused"][0]["reason"] == (
        "nothing to waive: SDL-sast-clean is fail, but none of its findings match; "
        "SDL-secrets-clean is pass"
    )


def test_a_schema_error_inside_an_entry_names_the_entry_by_id_or_by_index(tmp_path):
    path = tmp_path / "exceptions.yaml"
    path.write_text(
        "version: 1\nexceptions:\n  - {id: named, controls: [SDL-sast-clean]}\n"
        "  - {controls: [SDL-sast-clean]}\n  - {id: '', controls: [SDL-sast-clean]}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as raised:
        load_waivers(path, load_policies().controls)
    message = str(raised.value)
    assert "waiver 'named' (exceptions[0]): missing-key" in message
    assert "\n  exceptions[1]: missing-key" in message
    assert "\n  exceptions[2]: " in message


# --- every waiver and every message is tried, whatever comes first ---------------------------


def test_a_later_waiver_applies_when_an_earlier_one_names_another_control():
    other = waiver("other", controls=("SDL-secrets-clean",))
    mine = waiver("mine")
    (waived,), _ = apply([result("SDL-sast-clean", Outcome.FAIL, B602)], other, mine)
    assert waived.outcome is Outcome.WAIVED
    assert waived.extra["waiver"]["exception"] == "mine"


def test_missing_evidence_is_waived_by_a_later_waiver_after_a_finding_scoped_one():
    missing = [result("SDL-sast-clean", Outcome.NO_EVIDENCE, Message("no evidence"))]
    scoped, whole = waiver("scoped", findings=("*",)), waiver("whole")
    (waived,), _ = apply(missing, scoped, whole)
    assert waived.outcome is Outcome.WAIVED
    assert waived.extra["waiver"]["exception"] == "whole"


def test_a_finding_is_waived_wherever_it_stands_among_the_messages():
    entry = waiver(findings=("B324@*",))
    (partly,), _ = apply([result("SDL-sast-clean", Outcome.FAIL, B602, B324)], entry)
    assert [m.waived_by for m in partly.messages] == [None, "ex-1"]


def test_the_section_names_the_file_its_digest_and_the_window():
    _, section = apply([result("SDL-sast-clean", Outcome.FAIL, B602)], waiver())
    assert (section["file"], section["sha256"], section["warn_within_days"]) == (
        "ex.yaml", "0" * 64, 14
    )


def test_an_entry_is_reported_with_every_field():
    entry = waiver(subjects=("forum-*",), findings=("B602@*",))
    _, section = apply([result("SDL-sast-clean", Outcome.FAIL, B602)], entry)
    (applied,) = section["applied"]
    assert applied == {
        "id": "ex-1",
        "controls": ["SDL-sast-clean"],
        "justification": "reviewed",
        "owner": "a@x",
        "approved_by": "b@x",
        "ticket": "SEC-1",
        "created": "2026-11-01T00:00:00Z",
        "expires": "2027-01-15",
        "subjects": ["forum-*"],
        "findings": ["B602@*"],
        "days_left": 48,
        "waived": [
            {"control": "SDL-sast-clean", "outcome": "waived", "findings": [B602.key]},
        ],
    }


def test_an_expired_entry_does_not_hide_the_entries_after_it():
    lapsed = waiver("lapsed", expires=utc(2026, 11, 2))
    _, section = apply([result("SDL-sast-clean", Outcome.FAIL, B602)], lapsed, waiver("live"))
    assert [e["id"] for e in section["expired"]] == ["lapsed"]
    assert [e["id"] for e in section["applied"]] == ["live"]


def test_a_file_entry_is_read_with_its_text_tidied(tmp_path):
    path = tmp_path / "exceptions.yaml"
    path.write_text(
        "version: 1\nexceptions:\n  - id: ex-1\n    controls: [SDL-sast-clean]\n"
        "    justification: |\n      two   lines\n      of text\n"
        "    owner: '  a@x '\n    approved_by: ' b@x '\n    ticket: ' SEC-1 '\n"
        "    created: 2026-06-01\n    expires: 2026-06-30\n",
        encoding="utf-8",
    )
    (entry,) = load_waivers(path, load_policies().controls).entries
    assert (entry.justification, entry.owner, entry.approved_by, entry.ticket) == (
        "two lines of text", "a@x", "b@x", "SEC-1"
    )


def _problems_of(tmp_path: Path, **fields: str) -> str:
    entry = {"controls": "[SDL-sast-clean]", "owner": "a@x", "approved_by": "b@x", **fields}
    path = tmp_path / "exceptions.yaml"
    path.write_text(
        "version: 1\nexceptions:\n  - id: ex-1\n    justification: reviewed\n"
        "    ticket: SEC-1\n    created: 2026-06-01\n    expires: 2026-06-30\n"
        + "".join(f"    {key}: {value}\n" for key, value in entry.items()),
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as raised:
        load_waivers(path, load_policies().controls)
    return str(raised.value)


def test_each_invalid_identity_is_named_by_its_key(tmp_path):
    message = _problems_of(tmp_path, owner='"a\\u200b@x"', approved_by='"b\\u200b@x"')
    assert "invalid-identity: owner: " in message
    assert "invalid-identity: approved_by: " in message
    assert "self-approval" not in message


def test_an_unknown_control_without_a_close_name_gets_no_suggestion(tmp_path):
    message = _problems_of(tmp_path, controls="[ZZZ-nothing-like-it]")
    assert (
        "unknown-control: 'ZZZ-nothing-like-it' is not a known control; "
        "see `gatekeeper controls`" in message
    )
