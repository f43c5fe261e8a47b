"""--quiet / --verbose and $GATEKEEPER_VERBOSITY on the commands that print reports."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EXAMPLES, NOW, copy_example, enabled_controls


@pytest.fixture
def unsafe(tmp_path) -> Path:
    return copy_example(EXAMPLES / "unsafe-release", tmp_path / "unsafe")


@pytest.fixture(autouse=True)
def _no_verbosity_from_the_environment(monkeypatch):
    for name in ("GATEKEEPER_VERBOSITY", "GATEKEEPER_ONLY", "GATEKEEPER_SKIP"):
        monkeypatch.delenv(name, raising=False)


def check(gatekeeper, unsafe: Path, *args):
    return gatekeeper("check", "-c", unsafe / "gatekeeper.yaml", "--now", NOW,
                      "--results", unsafe / "results.json", *args)


def test_quiet_prints_only_the_verdict_line(gatekeeper, unsafe):
    run = check(gatekeeper, unsafe, "--quiet")
    assert run.code == 1 and run.out == "VERDICT: BLOCKED (exit 1)\n" and run.err == ""
    assert (unsafe / "results.json").is_file()  # files are written as always


def test_quiet_keeps_the_partial_run_notice_on_the_verdict(gatekeeper, unsafe):
    run = check(gatekeeper, unsafe, "-q", "--skip", "SAF-*")
    lines = run.out.splitlines()
    assert lines[0] == "VERDICT: BLOCKED (exit 1)"
    total = enabled_controls(unsafe / "gatekeeper.yaml")
    ran = total - enabled_controls(unsafe / "gatekeeper.yaml", "SAF-")
    assert " ".join(line.strip() for line in lines[1:]).startswith(
        f"partial run (--skip SAF-*): {ran} of {total} enabled controls evaluated; "
        "not a release decision")


def test_verbose_adds_passing_controls_and_timings(gatekeeper, unsafe):
    normal, verbose = check(gatekeeper, unsafe), check(gatekeeper, unsafe, "--verbose")
    assert normal.code == verbose.code == 1
    assert "pass  SDL-sbom-present" not in normal.out and "timings:" not in normal.err
    assert "pass  SDL-sbom-present: " in verbose.out
    assert "pass  SDL-sbom-present: A valid SBOM ships with the release\n  evidence (declared): " \
        "evidence/sbom.cdx.json\n" in verbose.out
    assert "details: {" in verbose.out  # GRC-mandatory-gates-blocking passes with details
    timings = next(line for line in verbose.err.splitlines() if line.startswith("timings:"))
    assert [part.split(" ")[0] for part in timings[len("timings: "):].split(" · ")] == [
        "inputs", "collect", "evaluate", "report"]
    assert normal.out.splitlines()[-3:] == verbose.out.splitlines()[-3:]  # same verdict


def test_the_flag_wins_over_the_environment(gatekeeper, unsafe, monkeypatch):
    monkeypatch.setenv("GATEKEEPER_VERBOSITY", "quiet")
    assert check(gatekeeper, unsafe).out == "VERDICT: BLOCKED (exit 1)\n"
    assert "pass  SDL-sbom-present" in check(gatekeeper, unsafe, "-v").out
    monkeypatch.setenv("GATEKEEPER_VERBOSITY", "Verbose ")
    assert "timings:" in check(gatekeeper, unsafe).err
    monkeypatch.setenv("GATEKEEPER_VERBOSITY", "")
    assert "controls:" in check(gatekeeper, unsafe).out  # empty: unset


def test_bad_verbosity_is_a_usage_error(gatekeeper, unsafe, monkeypatch):
    both = check(gatekeeper, unsafe, "-q", "-v")
    assert both.code == 2 and "--quiet and --verbose" in both.err
    monkeypatch.setenv("GATEKEEPER_VERBOSITY", "loud")
    bad = check(gatekeeper, unsafe)
    assert bad.code == 2
    assert "$GATEKEEPER_VERBOSITY='loud': one of quiet, normal, verbose" in bad.err
    assert not (unsafe / "results.json").exists()


def test_quiet_leaves_machine_formats_whole(gatekeeper, unsafe):
    quiet, normal = check(gatekeeper, unsafe, "-q", "-f", "json"), check(gatekeeper, unsafe,
                                                                         "-f", "json")
    assert quiet.out.startswith("{") and len(quiet.out) == len(normal.out)


def test_report_and_history_show_take_it(gatekeeper, unsafe):
    db = unsafe / "history.db"
    stored = check(gatekeeper, unsafe, "--history", db)
    assert "stored in the history" in stored.err
    assert "stored in the history" not in check(gatekeeper, unsafe, "-q", "--history", db).err
    report = gatekeeper("report", unsafe / "results.json", "--quiet")
    assert report.code == 0 and report.out == "VERDICT: BLOCKED (exit 1)\n"
    verbose = gatekeeper("report", unsafe / "results.json", "--verbose")
    assert "pass  SDL-sbom-present" in verbose.out
    shown = gatekeeper("history", "show", "1", "--history", db, "-q")
    assert shown.code == 0 and shown.out == "VERDICT: BLOCKED (exit 1)\n"
