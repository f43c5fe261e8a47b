"""Decision points of the verdict and of waivers, each pinned by a test that fails when the
decision is flipped (issue 19's surviving mutants): only a blocking error makes exit 3; the
"expiring soon" and ``--expiring`` windows include their last instant; a subject glob without
'@' matches the name alone."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from gatekeeper.config import Enforcement, WaiverPolicy
from gatekeeper.engine.policies import Control
from gatekeeper.errors import EXIT_EVIDENCE_ERROR, EXIT_GATE_FAILED, EXIT_PASS
from gatekeeper.results import ControlResult, Message, Outcome
from gatekeeper.verdict import decide
from gatekeeper.waivers import Waiver, WaiverFile, apply_waivers, listing

NOW = datetime(2026, 11, 28, 12, tzinfo=timezone.utc)
SUBJECT = {"name": "forum-summarizer", "version": "0.3.0"}
SECOND = timedelta(seconds=1)


def result(control_id: str, outcome: Outcome, enforcement: Enforcement) -> ControlResult:
    control = Control(
        id=control_id, package="gatekeeper.controls.x", path=Path("x.rego"), title=control_id,
        description="", remediation="", severity="high", questions=(), waivable=True,
    )
    return ControlResult(control, enforcement, outcome, (Message(f"{control_id} said so"),))


# --- the verdict: only blocking errors make exit 3 --------------------------------------------


def test_an_advisory_error_alone_does_not_make_the_run_an_error():
    verdict = decide([
        result("SDL-a", Outcome.ERROR, Enforcement.ADVISORY).standing,
        result("SDL-b", Outcome.PASS, Enforcement.BLOCKING).standing,
    ])  # fmt: skip
    assert (verdict.outcome, verdict.exit_code) == ("pass", EXIT_PASS)


def test_an_advisory_error_beside_a_blocking_failure_is_a_failure_not_an_error():
    verdict = decide([
        result("SDL-a", Outcome.ERROR, Enforcement.ADVISORY).standing,
        result("SDL-b", Outcome.FAIL, Enforcement.BLOCKING).standing,
    ])  # fmt: skip
    assert (verdict.outcome, verdict.exit_code) == ("fail", EXIT_GATE_FAILED)
    assert verdict.reasons == ("SDL-b fail: SDL-b said so",)


def test_a_blocking_error_is_an_error_even_when_let_through_by_a_baseline():
    verdict = decide(
        [result("SDL-a", Outcome.ERROR, Enforcement.BLOCKING).standing],
        let_through=frozenset({"SDL-a"}),
    )
    assert (verdict.outcome, verdict.exit_code) == ("error", EXIT_EVIDENCE_ERROR)


# --- waivers: the expiry windows include their last instant -----------------------------------


def waivers_expiring(expires: datetime, **changes) -> WaiverFile:
    entry = Waiver(
        id="ex-1", controls=("SDL-sast-clean",), justification="reviewed", owner="a@x",
        approved_by="b@x", ticket="SEC-1", created=NOW - timedelta(days=10), expires=expires,
        **changes,
    )
    return WaiverFile(Path("ex.yaml"), "ex.yaml", "0" * 64, (entry,), WaiverPolicy())


@pytest.mark.parametrize(("offset", "expiring"), [(timedelta(0), True), (SECOND, False)])
def test_expiring_soon_includes_exactly_warn_within_days(offset, expiring):
    window = timedelta(days=WaiverPolicy().warn_within_days)
    waivers = waivers_expiring(NOW + window + offset)
    failing = [result("SDL-sast-clean", Outcome.FAIL, Enforcement.BLOCKING)]
    _, section = apply_waivers(failing, waivers, SUBJECT, NOW)
    assert bool(section["expiring"]) is expiring
    (row,) = listing(waivers, NOW)
    assert row["expiring"] is expiring


@pytest.mark.parametrize(("offset", "listed"), [(timedelta(0), True), (SECOND, False)])
def test_listing_expiring_within_includes_its_last_instant(offset, listed):
    waivers = waivers_expiring(NOW + timedelta(days=30) + offset)
    assert bool(listing(waivers, NOW, expiring_within=30)) is listed


def test_listing_expiring_within_leaves_out_what_has_expired():
    assert listing(waivers_expiring(NOW), NOW, expiring_within=30) == []


# --- waivers: a subject glob without '@' is about the name ------------------------------------


@pytest.mark.parametrize(
    ("glob", "applies"),
    [
        ("forum-summarizer", True),  # the name alone, without its version
        ("*0.3.0", False),  # no '@': matched against the name, which has no version
        ("forum-summarizer@0.3.0", True),
        ("forum-summarizer@0.3.1", False),
    ],
)
def test_a_subject_glob_without_at_matches_the_name_only(glob, applies):
    waivers = waivers_expiring(NOW + timedelta(days=30), subjects=(glob,))
    failing = [result("SDL-sast-clean", Outcome.FAIL, Enforcement.BLOCKING)]
    (after,), _ = apply_waivers(failing, waivers, SUBJECT, NOW)
    assert (after.outcome is Outcome.WAIVED) is applies
