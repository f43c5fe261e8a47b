"""The organization policy and the shipped mandatory controls: gatekeeper.yaml may only tighten.

Each case edits the unsafe example (which must exit 1) the way a team gaming its gate would,
and checks the exit code, the message (naming both files where two decide), and that no results
file was written when the run was refused, so no control passed.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from conftest import EXAMPLES, NOW, copy_example

from gatekeeper.engine.policies import load_policies

MANDATORY = sorted(c.id for c in load_policies().controls if c.mandatory)
EXPECTED_MANDATORY = [
    "GRC-mandatory-gates-blocking", "MOD-model-signed", "RTE-red-team-gate",
    "SDL-artifacts-signed", "SDL-model-files-scanned", "SDL-no-unsafe-deserialization",
    "SDL-provenance-verified", "SDL-secrets-clean",
]  # fmt: skip


@pytest.fixture
def unsafe(tmp_path) -> Path:
    return copy_example(EXAMPLES / "unsafe-release", tmp_path / "unsafe")


def set_profile(unsafe: Path, profile: str) -> None:
    """Replace the example's profile block with ``profile`` (YAML lines under ``profile:``)."""
    config = unsafe / "gatekeeper.yaml"
    text = config.read_text()
    start = text.index("profile:\n")
    end = text.index("\nthresholds:", start) if "\nthresholds:" in text[start:] else len(text)
    config.write_text(text[:start] + "profile:\n" + profile + "\n" + text[end:])


def append_config(unsafe: Path, text: str) -> None:
    config = unsafe / "gatekeeper.yaml"
    config.write_text(config.read_text() + "\n" + text + "\n")


def org_policy(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "platform" / "org-policy.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text("version: 1\n" + text)
    return path


def check(gatekeeper, unsafe: Path, *args):
    return gatekeeper(
        "check", "-c", unsafe / "gatekeeper.yaml", "--now", NOW,
        "--results", unsafe / "results.json", *args,
    )  # fmt: skip


def results(unsafe: Path) -> dict:
    return json.loads((unsafe / "results.json").read_text())


def assert_refused(run, unsafe: Path, *named: str) -> None:
    assert run.code == 2, run.err
    for text in named:
        assert text in run.err, (text, run.err)
    assert not (unsafe / "results.json").exists()


def test_the_mandatory_controls_are_the_documented_ones():
    assert MANDATORY == EXPECTED_MANDATORY


# --- the reproductions ------------------------------------------------------------


@pytest.mark.parametrize(
    "profile",
    [
        '  advisory: ["*"]',
        '  disabled: ["*"]',
        '  blocking: []',  # nothing matches blocking: every control falls to advisory
        '  blocking: ["*"]\n  disabled: ["*-*"]',
        '  blocking: ["*"]\n  advisory: ["[A-Z]*"]',
    ],
)
def test_a_profile_that_weakens_everything_is_refused(gatekeeper, unsafe, profile):
    set_profile(unsafe, profile)
    run = check(gatekeeper, unsafe)
    assert_refused(run, unsafe, "gatekeeper.yaml", "weakens mandatory controls", "METADATA")


@pytest.mark.parametrize("control_id", EXPECTED_MANDATORY)
@pytest.mark.parametrize("where", ["advisory", "disabled"])
def test_no_mandatory_control_can_be_weakened(gatekeeper, unsafe, control_id, where):
    set_profile(unsafe, f'  blocking: ["*"]\n  {where}: [{control_id}]')
    run = check(gatekeeper, unsafe)
    assert_refused(run, unsafe, "gatekeeper.yaml", f"{control_id} is {where} in the profile")


def test_a_mandatory_control_left_out_of_blocking_is_refused(gatekeeper, unsafe):
    set_profile(unsafe, '  blocking: ["SDL-*", "GRC-*", "RTE-*"]')  # MOD-model-signed: advisory
    run = check(gatekeeper, unsafe)
    assert_refused(run, unsafe, "MOD-model-signed is advisory in the profile")


def test_a_glob_in_another_case_does_not_weaken_a_mandatory_control(gatekeeper, unsafe):
    """Globs are case-sensitive: ``sdl-secrets-clean`` matches nothing, so nothing weakens."""
    set_profile(unsafe, '  blocking: ["*"]\n  disabled: [sdl-secrets-clean]')
    run = check(gatekeeper, unsafe)
    assert run.code == 1
    control = next(c for c in results(unsafe)["controls"] if c["id"] == "SDL-secrets-clean")
    assert control["enforcement"] == "blocking" and control["outcome"] == "fail"


def test_non_mandatory_controls_may_still_be_advisory(gatekeeper, unsafe):
    set_profile(unsafe, '  blocking: ["*"]\n  advisory: ["INF-*", "APP-*"]')
    run = check(gatekeeper, unsafe)
    assert run.code == 1
    assert results(unsafe)["policy"]["org_policy"] is None


# --- the organization policy -------------------------------------------------------------


def test_an_org_policy_adds_mandatory_controls(gatekeeper, unsafe, tmp_path):
    org = org_policy(tmp_path, "mandatory:\n  - {controls: [INF-*], minimum: blocking}\n")
    set_profile(unsafe, '  blocking: ["*"]\n  advisory: [INF-images-pinned]')
    run = check(gatekeeper, unsafe, "--org-policy", org)
    assert_refused(run, unsafe, str(org), "gatekeeper.yaml", "INF-images-pinned is advisory")


def test_an_advisory_minimum_still_refuses_disabling(gatekeeper, unsafe, tmp_path):
    org = org_policy(tmp_path, "mandatory:\n  - {controls: [APP-*], minimum: advisory}\n")
    set_profile(unsafe, '  blocking: ["*"]\n  disabled: [APP-rate-limits-per-endpoint]')
    run = check(gatekeeper, unsafe, "--org-policy", org)
    assert_refused(run, unsafe, str(org), "APP-rate-limits-per-endpoint is disabled")


def test_an_advisory_minimum_allows_advisory(gatekeeper, unsafe, tmp_path):
    org = org_policy(tmp_path, "mandatory:\n  - {controls: [APP-*], minimum: advisory}\n")
    set_profile(unsafe, '  blocking: ["*"]\n  advisory: [APP-rate-limits-per-endpoint]')
    run = check(gatekeeper, unsafe, "--org-policy", org)
    assert run.code == 1


def test_the_environment_variable_names_the_org_policy(gatekeeper, unsafe, tmp_path,
                                                       monkeypatch):
    org = org_policy(tmp_path, "mandatory:\n  - {controls: [INF-*], minimum: blocking}\n")
    monkeypatch.setenv("GATEKEEPER_ORG_POLICY", str(org))
    set_profile(unsafe, '  blocking: ["*"]\n  disabled: [INF-images-pinned]')
    run = check(gatekeeper, unsafe)
    assert_refused(run, unsafe, str(org), "INF-images-pinned is disabled")


def test_releasing_the_shipped_mandatory_set_still_needs_a_blocking_control(
    gatekeeper, unsafe, tmp_path
):
    org = org_policy(tmp_path, "shipped_mandatory: false\n")
    set_profile(unsafe, '  disabled: ["*"]')
    run = check(gatekeeper, unsafe, "--org-policy", org)
    assert_refused(run, unsafe, "gatekeeper.yaml", "no control is blocking")


def test_only_the_org_policy_releases_the_shipped_mandatory_set(gatekeeper, unsafe, tmp_path):
    org = org_policy(tmp_path, "shipped_mandatory: false\n")
    set_profile(unsafe, '  blocking: ["*"]\n  advisory: [SDL-secrets-clean]')
    run = check(gatekeeper, unsafe, "--org-policy", org)
    assert run.code == 1  # other controls still block
    control = next(c for c in results(unsafe)["controls"] if c["id"] == "SDL-secrets-clean")
    assert control["enforcement"] == "advisory"


def test_a_longer_exception_lifetime_than_the_cap_is_refused(gatekeeper, unsafe, tmp_path):
    org = org_policy(tmp_path, "exceptions: {max_lifetime_days: 30}\n")
    append_config(unsafe, "exceptions_policy: {max_lifetime_days: 120}")
    run = check(gatekeeper, unsafe, "--org-policy", org)
    assert_refused(run, unsafe, str(org), "gatekeeper.yaml", "max_lifetime_days 120")


def test_the_org_cap_applies_to_the_exceptions_file(gatekeeper, unsafe, tmp_path):
    """The example's exceptions live up to 89 days; a 30-day organization cap refuses them."""
    org = org_policy(tmp_path, "exceptions: {max_lifetime_days: 30}\n")
    run = check(gatekeeper, unsafe, "--org-policy", org)
    assert_refused(run, unsafe, "gatekeeper-exceptions.yaml", "more than the cap of 30")


def test_a_lower_minimum_level_than_the_org_policy_is_refused(gatekeeper, unsafe, tmp_path):
    org = org_policy(tmp_path, "maturity: {minimum_level: {GRC: 2}}\n")
    set_profile(unsafe, '  blocking: ["*"]\n  minimum_level: {GRC: 1}')
    run = check(gatekeeper, unsafe, "--org-policy", org)
    assert_refused(run, unsafe, str(org), "gatekeeper.yaml", "GRC 1 < 2")


def test_the_org_minimum_level_applies_without_a_profile_level(gatekeeper, unsafe, tmp_path):
    org = org_policy(tmp_path, "maturity: {minimum_level: {GRC: 5}}\n")
    run = check(gatekeeper, unsafe, "--org-policy", org)
    assert run.code == 1
    assert any("GRC" in reason and "minimum" in reason
               for reason in results(unsafe)["verdict"]["reasons"])


def test_an_exception_for_an_org_non_waivable_control_is_refused(gatekeeper, unsafe, tmp_path):
    org = org_policy(tmp_path, "non_waivable: [SDL-sast-*]\n")
    run = check(gatekeeper, unsafe, "--org-policy", org)
    assert_refused(run, unsafe, "gatekeeper-exceptions.yaml", "sast-md5-cache-key",
                   "SDL-sast-clean cannot be waived")


def test_an_approver_the_org_policy_does_not_name_is_refused(gatekeeper, unsafe, tmp_path):
    org = org_policy(tmp_path, "exceptions: {approvers: [appsec@example.com]}\n")
    run = check(gatekeeper, unsafe, "--org-policy", org)
    # iac-scan-pending is approved by platform-security@example.com
    assert_refused(run, unsafe, "gatekeeper-exceptions.yaml", "iac-scan-pending",
                   "not-an-approver")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("mandatory: [{controls: [SDL-*], minimum: disabled}]\n", "minimum"),
        ("mandatory: [{controls: [SDL-*]}]\n", "minimum"),
        ("non_waivable: SDL-*\n", "non_waivable"),
        ("exceptions: {max_lifetime_days: 0}\n", "max_lifetime_days"),
        ("maturity: {minimum_level: {XYZ: 2}}\n", "minimum_level"),
        ("relax: true\n", "relax"),
        ("exceptions: {approvers: [\"appsec@example.com\\u200b\"]}\n", "U+200B"),
    ],
)
def test_an_invalid_org_policy_is_refused_naming_it(gatekeeper, unsafe, tmp_path, text, problem):
    org = org_policy(tmp_path, text)
    run = check(gatekeeper, unsafe, "--org-policy", org)
    assert_refused(run, unsafe, str(org), problem)


def test_a_missing_org_policy_is_refused(gatekeeper, unsafe, tmp_path):
    run = check(gatekeeper, unsafe, "--org-policy", tmp_path / "nowhere.yaml")
    assert_refused(run, unsafe, "nowhere.yaml")


def test_results_carry_the_org_policy_digest_and_it_changes_the_policy_digest(
    gatekeeper, unsafe, tmp_path
):
    check(gatekeeper, unsafe)
    without = results(unsafe)["policy"]
    org = org_policy(tmp_path, "non_waivable: [MON-*]\n")
    check(gatekeeper, unsafe, "--org-policy", org)
    policy = results(unsafe)["policy"]
    assert policy["org_policy"]["file"] == str(org.resolve())
    assert len(policy["org_policy"]["sha256"]) == 64
    assert policy["digest"] != without["digest"]


def test_every_report_shows_the_org_policy_digest(gatekeeper, unsafe, tmp_path):
    org = org_policy(tmp_path, "non_waivable: [MON-*]\n")
    formats = ("json", "markdown", "html", "sarif", "oscal")
    outputs = []
    for name in formats:
        outputs += ["--output", f"{name}={unsafe / f'report.{name}'}"]
    run = check(gatekeeper, unsafe, "--org-policy", org, *outputs, "-f", "text")
    assert run.code == 1
    digest = results(unsafe)["policy"]["org_policy"]["sha256"]
    assert f"org policy {org.resolve()} · sha256 {digest}" in run.out
    for name in formats:
        shown = digest[:16] if name == "markdown" else digest
        assert shown in (unsafe / f"report.{name}").read_text(), name
    sarif = json.loads((unsafe / "report.sarif").read_text())
    assert sarif["runs"][0]["properties"]["orgPolicyDigest"] == digest


def test_exceptions_lint_applies_the_org_policy_as_the_gate_does(gatekeeper, unsafe, tmp_path):
    """A file the gate would refuse is not reported valid by the linter in its pull request."""
    org = org_policy(tmp_path, "exceptions: {approvers: [appsec@example.com]}\n")
    exceptions = unsafe / "gatekeeper-exceptions.yaml"
    assert gatekeeper("exceptions", "lint", exceptions).code == 0
    run = gatekeeper("exceptions", "lint", exceptions, "--org-policy", org)
    assert run.code == 2 and "iac-scan-pending" in run.err and "not-an-approver" in run.err
    capped = org_policy(tmp_path, "exceptions: {max_lifetime_days: 30}\n")
    run = gatekeeper("exceptions", "list", exceptions, "-c", unsafe / "gatekeeper.yaml",
                     "--org-policy", capped)
    assert run.code == 2 and "more than the cap of 30" in run.err


def test_evaluate_applies_the_org_policy_as_check_does(gatekeeper, unsafe, tmp_path):
    """A saved evidence document is no way around the floor: evaluate refuses the same
    weakened profile, and gives the same org policy digest as check."""
    org = org_policy(tmp_path, "mandatory:\n  - {controls: [INF-*], minimum: blocking}\n")
    evidence = tmp_path / "evidence.json"
    assert gatekeeper("collect", "-c", unsafe / "gatekeeper.yaml", "--now", NOW,
                      "-o", evidence).code == 0
    evaluated = gatekeeper("evaluate", evidence, "-c", unsafe / "gatekeeper.yaml", "--now", NOW,
                           "--results", unsafe / "results.json", "--org-policy", org)
    assert evaluated.code == 1
    digest = results(unsafe)["policy"]["org_policy"]["sha256"]
    (unsafe / "results.json").unlink()
    set_profile(unsafe, '  blocking: ["*"]\n  disabled: [INF-images-pinned]')
    run = gatekeeper("evaluate", evidence, "-c", unsafe / "gatekeeper.yaml", "--now", NOW,
                     "--results", unsafe / "results.json", "--org-policy", org)
    assert_refused(run, unsafe, str(org), "INF-images-pinned is disabled")
    assert digest == hashlib.sha256(org.read_bytes()).hexdigest()
