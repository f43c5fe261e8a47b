"""Regression gating against a baseline: new, fixed, unchanged; --fail-on new lets only
failures the baseline already had through."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLES, NOW, copy_example

from gatekeeper.baseline import Baseline, compare, load_baseline
from gatekeeper.config import Enforcement
from gatekeeper.engine.policies import Control
from gatekeeper.errors import ConfigError
from gatekeeper.results import ControlResult, Message, Outcome
from gatekeeper.schemas import validation_errors
from gatekeeper.verdict import decide

UNSAFE = EXAMPLES / "unsafe-release"


# --- comparing --------------------------------------------------------------------------------


def result(control_id: str, outcome: Outcome, *keys: str, waivable: bool = True):
    control = Control(
        id=control_id,
        package="gatekeeper.controls.x",
        path=Path("x.rego"),
        title=control_id,
        description="",
        remediation="",
        severity="high",
        questions=(),
        waivable=waivable,
    )
    messages = tuple(Message(f"finding {key}", finding=key) for key in keys)
    return ControlResult(control, Enforcement.BLOCKING, outcome, messages)


def baseline(**failures: tuple[str, ...]) -> Baseline:
    """A baseline where each keyword control (underscores for dashes) failed with these keys."""
    ids = {name.replace("_", "-"): keys for name, keys in failures.items()}
    return Baseline(
        name="old.json",
        sha256="0" * 64,
        subject={"name": "demo"},
        evaluated_at="then",
        outcomes={control_id: "fail" for control_id in ids},
        failures={control_id: frozenset(keys) for control_id, keys in ids.items()},
    )


def test_new_fixed_and_unchanged_findings():
    old = baseline(SDL_a=("f1", "f2"), SDL_gone=("g1",))
    results = [result("SDL-a", Outcome.FAIL, "f2", "f3"), result("SDL-b", Outcome.FAIL, "b1")]
    comparison = compare(old, results, "any")
    assert [(e["control"], e["findings"]) for e in comparison.new] == [
        ("SDL-a", ["f3"]),
        ("SDL-b", ["b1"]),
    ]
    assert [(e["control"], e["findings"]) for e in comparison.unchanged] == [("SDL-a", ["f2"])]
    assert [(e["control"], e["findings"], e["outcome"]) for e in comparison.fixed] == [
        ("SDL-a", ["f1"], "fail"),
        ("SDL-gone", ["g1"], None),
    ]
    assert comparison.let_through == ()


def test_fail_on_new_lets_through_only_controls_with_nothing_new():
    old = baseline(SDL_a=("f1",), SDL_b=("b1",))
    results = [result("SDL-a", Outcome.FAIL, "f1"), result("SDL-b", Outcome.FAIL, "b1", "b2")]
    comparison = compare(old, results, "new")
    assert comparison.let_through_controls == {"SDL-a"}
    verdict = decide([r.standing for r in results], let_through=comparison.let_through_controls)
    assert verdict.outcome == "fail"
    assert verdict.reasons == ("SDL-b fail: finding b1",)
    let_through = comparison.let_through_controls
    assert decide([results[0].standing], let_through=let_through).outcome == "pass"


def test_a_non_waivable_control_is_never_let_through():
    old = baseline(SDL_a=("f1",))
    comparison = compare(old, [result("SDL-a", Outcome.FAIL, "f1", waivable=False)], "new")
    assert comparison.let_through == ()
    assert [e["control"] for e in comparison.not_waivable] == ["SDL-a"]


def test_an_error_is_never_let_through():
    errored = result("SDL-a", Outcome.ERROR, "f1")
    comparison = compare(baseline(SDL_a=("f1",)), [errored], "new")
    assert comparison.new == comparison.unchanged == comparison.let_through == ()
    assert decide([errored.standing], let_through=frozenset({"SDL-a"})).outcome == "error"


def test_an_error_does_not_stop_the_comparison_of_the_controls_after_it():
    old = baseline(SDL_a=("f1",), SDL_b=("b1",))
    results = [result("SDL-a", Outcome.ERROR, "f1"), result("SDL-b", Outcome.FAIL, "b1", "b2"),
               result("SDL-c", Outcome.PASS)]
    comparison = compare(old, results, "new")
    assert [(e["control"], e["findings"]) for e in comparison.new] == [("SDL-b", ["b2"])]
    assert [(e["control"], e["findings"]) for e in comparison.unchanged] == [("SDL-b", ["b1"])]


def test_every_entry_records_the_control_its_enforcement_and_outcome():
    comparison = compare(baseline(), [result("SDL-b", Outcome.FAIL, "b1")], "any")
    assert comparison.new[0]["control"] == "SDL-b"
    assert comparison.new[0]["enforcement"] == "blocking"
    assert comparison.new[0]["outcome"] == "fail"


def test_a_waived_message_is_neither_a_failure_nor_fixed():
    waived = Message("finding f1", finding="f1", waived_by="ex-1")
    still = result("SDL-a", Outcome.FAIL, "f2")
    still = ControlResult(still.control, still.enforcement, Outcome.FAIL, (waived, *still.messages))
    comparison = compare(baseline(SDL_a=("f1", "f2")), [still], "new")
    assert comparison.fixed == ()
    assert [e["findings"] for e in comparison.unchanged] == [["f2"]]


# --- reading a baseline -----------------------------------------------------------------------


@pytest.fixture
def unsafe_results(gatekeeper, tmp_path) -> Path:
    """The unsafe example's results at NOW: a baseline to compare with."""
    path = tmp_path / "baseline.json"
    assert gatekeeper("check", "--now", NOW, "--results", path, cwd=UNSAFE).code == 1
    return path


def test_a_baseline_of_another_schema_version_is_refused(gatekeeper, unsafe_results):
    document = json.loads(unsafe_results.read_text())
    document["schema_version"] = "2"
    unsafe_results.write_text(json.dumps(document))
    run = gatekeeper(
        "check", "--now", NOW, "--baseline", unsafe_results, "--fail-on", "new", cwd=UNSAFE
    )
    assert run.code == 2
    assert str(unsafe_results) in run.err
    assert "baseline results schema version '2' is not supported" in run.err


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("{", "malformed JSON"),
        ('{"controls": []}', "not a gatekeeper baseline results document"),
        ('{"schema_version": "1"}', "invalid baseline results document"),
    ],
)
def test_a_file_that_is_not_a_results_document_is_refused(tmp_path, content, problem):
    path = tmp_path / "old.json"
    path.write_text(content)
    with pytest.raises(ConfigError, match=problem):
        load_baseline(path)


def test_a_baseline_of_another_subject_is_refused(gatekeeper, unsafe_results):
    document = json.loads(unsafe_results.read_text())
    document["subject"]["name"] = "someone-else"
    unsafe_results.write_text(json.dumps(document))
    run = gatekeeper("check", "--now", NOW, "--baseline", unsafe_results, cwd=UNSAFE)
    assert run.code == 2
    assert "the baseline gates 'someone-else', this run gates 'forum-summarizer'" in run.err


def test_fail_on_new_needs_a_baseline(gatekeeper):
    run = gatekeeper("check", "--now", NOW, "--fail-on", "new", cwd=UNSAFE)
    assert run.code == 2
    assert "--fail-on new needs --baseline" in run.err


# --- end to end -------------------------------------------------------------------------------


@pytest.fixture
def release(tmp_path, monkeypatch) -> Path:
    """The unsafe example with its non-waivable controls advisory, so that everything that
    fails in it may be let through by a baseline (an organization policy releases the shipped
    mandatory controls)."""
    org = tmp_path / "org-policy.yaml"
    org.write_text("version: 1\nshipped_mandatory: false\n")
    monkeypatch.setenv("GATEKEEPER_ORG_POLICY", str(org))
    folder = tmp_path / "release"
    copy_example(UNSAFE, folder)
    config = folder / "gatekeeper.yaml"
    config.write_text(
        config.read_text().replace(
            "  advisory:\n",
            "  advisory:\n    - SDL-no-unsafe-deserialization\n    - MOD-model-signed\n"
            "    - SDL-model-files-scanned\n"
            "    - GRC-risk-tier-consistent\n    - GRC-mandatory-gates-blocking\n"
            "    - MOD-registry-digest-matches\n",
        )
    )
    return folder


def blocking_failures(results: dict) -> set[str]:
    return {
        c["id"]
        for c in results["controls"]
        if c["enforcement"] == "blocking" and c["outcome"] in ("fail", "no_evidence")
    }


def control(results: dict, control_id: str) -> dict:
    return next(c for c in results["controls"] if c["id"] == control_id)


def check(gatekeeper, folder: Path, *args):
    results_path = folder.parent / "results.json"
    run = gatekeeper("check", "--now", NOW, "--results", results_path, *args, cwd=folder)
    return run, json.loads(results_path.read_text())


def test_fail_on_new_lets_pre_existing_failures_through(gatekeeper, release):
    run, first = check(gatekeeper, release)
    assert run.code == 1
    blocked = [
        c["id"]
        for c in first["controls"]
        if c["enforcement"] == "blocking" and c["outcome"] in ("fail", "no_evidence")
    ]
    assert {
        "GRC-datasheet-complete",
        "GRC-model-card-complete",
        "SDL-mlbom-covers-models",
        "SDL-sast-clean",
        "SDL-secrets-clean",
    } <= set(blocked)
    baseline_path = release.parent / "baseline.json"
    shutil.copy(release.parent / "results.json", baseline_path)

    run, results = check(gatekeeper, release, "--baseline", baseline_path, "--fail-on", "new")
    assert run.code == 0, run.out
    assert results["verdict"] == {"outcome": "pass", "exit_code": 0, "reasons": []}
    section = results["baseline"]
    assert section["new"] == [] and section["fixed"] == []
    baseline = json.loads(baseline_path.read_text())
    assert {e["control"] for e in section["let_through"]} == blocking_failures(baseline)
    assert validation_errors(results, "results") == []
    assert "let through by the baseline (they failed the same way in it):" in run.out
    assert "    SDL-secrets-clean (fail, 1 failure)" in run.out
    assert "VERDICT: PASSED (exit 0)" in run.out
    listed = run.out[run.out.index("let through by the baseline (--fail-on new): ") :]
    assert "GRC-datasheet-complete," in listed

    run, results = check(gatekeeper, release, "--baseline", baseline_path)  # --fail-on any
    assert run.code == 1
    assert results["baseline"]["fail_on"] == "any" and results["baseline"]["let_through"] == []


def test_fail_on_new_blocks_a_new_failure(gatekeeper, release):
    config = release / "gatekeeper.yaml"
    full = config.read_text()
    config.write_text(
        full.replace("    - path: evidence/secrets.sarif\n      category: secrets\n", "")
    )
    run, _ = check(gatekeeper, release)  # the baseline had no secrets scan
    baseline_path = release.parent / "baseline.json"
    shutil.copy(release.parent / "results.json", baseline_path)
    config.write_text(full)

    run, results = check(gatekeeper, release, "--baseline", baseline_path, "--fail-on", "new")
    assert run.code == 1
    assert results["verdict"]["reasons"] == [
        "SDL-secrets-clean fail: B105 [low] Possible hardcoded password: 'hunter2-registry-admin'"
    ]
    new = results["baseline"]["new"]
    assert [(e["control"], e["baseline_outcome"], e["findings"]) for e in new] == [
        ("SDL-secrets-clean", "no_evidence", ["B105@src/train.py:10"])
    ]
    assert re.search(r"^  1 new, 1 fixed, \d+ unchanged failures$", run.out, re.M)
    assert "  new       SDL-secrets-clean: B105@src/train.py:10" in run.out
    assert "blocked by: SDL-secrets-clean (fail)" in run.out


def test_a_baseline_never_extends_an_expired_exception(gatekeeper, release):
    run, _ = check(gatekeeper, release)
    baseline_path = release.parent / "baseline.json"
    shutil.copy(release.parent / "results.json", baseline_path)
    later = "2027-02-18T00:00:00Z"  # every exception of the example has expired
    results_path = release.parent / "later.json"
    run = gatekeeper(
        "check",
        "--now",
        later,
        "--baseline",
        baseline_path,
        "--fail-on",
        "new",
        "--results",
        results_path,
        cwd=release,
    )
    results = json.loads(results_path.read_text())
    assert run.code == 1
    new = {e["control"]: e["findings"] for e in results["baseline"]["new"]}
    assert set(new) == {"SDL-iac-scan-clean", "SDL-sast-clean"}  # both waived in the baseline
    assert new["SDL-sast-clean"] == ["B324@src/train.py:35"]
    assert results["verdict"]["outcome"] == "fail"


def test_a_non_waivable_pre_existing_failure_still_blocks(gatekeeper, unsafe_results, tmp_path):
    results_path = tmp_path / "again.json"
    run = gatekeeper(
        "check",
        "--now",
        NOW,
        "--baseline",
        unsafe_results,
        "--fail-on",
        "new",
        "--results",
        results_path,
        cwd=UNSAFE,
    )
    assert run.code == 1
    results = json.loads(results_path.read_text())
    not_waivable = {c for c in blocking_failures(results) if not control(results, c)["waivable"]}
    assert {e["control"] for e in results["baseline"]["not_waivable"]} == not_waivable
    assert {"SDL-no-unsafe-deserialization", "MOD-model-signed"} <= not_waivable
    said = " ".join(run.out.split())
    assert ("unchanged but not waivable, so still blocking (fix them, or disable the control "
            "under profile.disabled where the organization policy allows; no baseline or "
            "waiver accepts them):") in said
    blocked_by = run.out[run.out.index("blocked by: ") :]
    assert all(c in blocked_by for c in not_waivable)
