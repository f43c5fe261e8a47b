"""Evidence strength in control METADATA: required on shipped controls, bounded on user ones."""

from dataclasses import replace
from pathlib import Path

import pytest

from gatekeeper.engine.policies import (
    STRENGTHS,
    load_policies,
    parse_control,
    read_policy_file,
    shipped_policy_dir,
)
from gatekeeper.errors import PolicyError

USER = """# METADATA
# title: Demo control
# description: A user control.
# custom:
#   severity: low
#   questions: [GRC-Q4]
#   waivable: true
#   remediation: Do the thing.
#   evidence: [manifest]
#   frameworks:
#     nist_ai_rmf: [GOVERN 1.1]
package gatekeeper.controls.grc.demo

import rego.v1

applicable := true
"""


def _with_strength(strength: str) -> str:
    line = "#   evidence: [manifest]\n"
    return USER.replace(line, f"{line}#   strength: {strength}\n")


def _user(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "grc" / "demo.rego"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return tmp_path


def test_every_shipped_control_states_a_known_strength_after_its_evidence_line():
    for control in load_policies().controls:
        assert control.strength in STRENGTHS, control.id
        lines = control.path.read_text().splitlines()
        at = lines.index(f"#   strength: {control.strength}")
        assert lines[at - 1].startswith("#   evidence:"), control.id


@pytest.mark.parametrize(("control_id", "strength"), [
    ("SDL-artifacts-signed", "verified"),      # signatures verified offline
    ("SDL-provenance-verified", "verified"),
    ("SDL-sast-clean", "measured"),            # tool output over scanned paths
    ("SDL-mlbom-covers-models", "measured"),   # bound by artifact digest
    ("SDL-sbom-present", "declared"),          # presence only, bound to nothing
    ("GRC-gate-enforced-in-ci", "declared"),   # CI context from environment variables
    ("APP-rate-limits-per-endpoint", "declared"),
    ("GRC-model-card-complete", "documented"),
])
def test_strength_is_chosen_by_what_binds_the_evidence_to_the_release(control_id, strength):
    assert load_policies().control(control_id).strength == strength


def test_a_shipped_control_without_strength_is_refused():
    policy = read_policy_file(shipped_policy_dir() / "sdl" / "sbom_present.rego")
    stripped = replace(policy, text=policy.text.replace("#   strength: declared\n", ""),
                       package_line=policy.package_line - 1)
    required = r"custom\.strength: required on a shipped control"
    with pytest.raises(PolicyError, match=required) as error:
        parse_control(stripped)
    assert "sbom_present.rego" in str(error.value)


def test_a_shipped_control_with_an_unknown_strength_is_refused():
    policy = read_policy_file(shipped_policy_dir() / "sdl" / "sbom_present.rego")
    bad = replace(policy, text=policy.text.replace("strength: declared", "strength: strong"))
    not_one_of = r"custom\.strength: 'strong' is not one of verified, measured"
    with pytest.raises(PolicyError, match=not_one_of):
        parse_control(bad)


def test_a_user_control_defaults_to_declared(tmp_path):
    policies = load_policies((_user(tmp_path, USER),))
    assert policies.control("GRC-demo").strength == "declared"
    assert policies.control("GRC-demo").to_dict()["strength"] == "declared"


def test_a_user_control_may_say_documented(tmp_path):
    text = _with_strength("documented")
    assert load_policies((_user(tmp_path, text),)).control("GRC-demo").strength == "documented"


@pytest.mark.parametrize("claimed", ["verified", "measured"])
def test_a_user_control_cannot_claim_bound_evidence(tmp_path, claimed):
    text = _with_strength(claimed)
    with pytest.raises(PolicyError, match="only shipped controls may claim") as error:
        load_policies((_user(tmp_path, text),))
    assert "demo.rego" in str(error.value)


def _result(control_id: str, outcome=None, **extra):
    from gatekeeper.config import Enforcement
    from gatekeeper.results import ControlResult, Outcome, absence_message

    control = load_policies().control(control_id)
    messages = (absence_message(control),) if outcome == "absent" else ()
    return ControlResult(
        control, Enforcement.BLOCKING, Outcome.WAIVED if outcome else Outcome.PASS,
        messages, extra=extra,
    )


@pytest.mark.parametrize(("control_id", "reported", "strength"), [
    ("SDL-sast-clean", "declared", "declared"),      # a policy may weaken its strength
    ("SDL-sast-clean", "measured", "measured"),
    ("SDL-sbom-present", "verified", "declared"),    # but never raise it
    ("SDL-sbom-present", "documented", "documented"),
    ("SDL-sbom-present", "strong", "declared"),      # an unknown word changes nothing
])
def test_a_policy_can_only_weaken_its_strength_for_a_run(control_id, reported, strength):
    result = _result(control_id, details={"strength": reported})
    assert result.strength == strength
    assert result.to_dict()["strength"] == strength


def test_waived_absence_is_a_waived_control_whose_only_message_is_its_absence():
    from gatekeeper.results import Message

    assert _result("SDL-sast-clean", "absent").waived_absence
    assert not _result("SDL-sast-clean").waived_absence
    failed = replace(_result("SDL-sast-clean", "absent"), messages=(Message("B105 found"),))
    assert not failed.waived_absence
