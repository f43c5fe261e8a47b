"""Policy loading: the control contract is enforced when policies load, with file and reason."""

import csv
from pathlib import Path

import pytest

from gatekeeper.engine.policies import load_policies
from gatekeeper.errors import PolicyError

GOOD = """# METADATA
# title: Demo control
# description: A user control.
# custom:
#   severity: low
#   questions: [GRC-Q4]
#   waivable: true
#   remediation: Do the thing.
#   frameworks:
#     nist_ai_rmf: [GOVERN 1.1]
package gatekeeper.controls.grc.demo

import rego.v1

applicable := true
"""


def user_policy(tmp_path: Path, text: str, rel: str = "grc/demo.rego") -> Path:
    path = tmp_path / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return tmp_path


def test_shipped_controls_load_with_their_metadata():
    policies = load_policies()
    ids = [c.id for c in policies.controls]
    assert len(ids) == len(set(ids)) >= 10
    sbom = policies.control("SDL-sbom-present")
    assert sbom.severity == "high" and "SDL-Q4" in sbom.questions and sbom.waivable
    assert sbom.frameworks["owasp_llm"] == ("LLM03:2025",)


def test_user_policy_adds_a_control(tmp_path):
    policies = load_policies((user_policy(tmp_path, GOOD),))
    assert policies.control("GRC-demo").title == "Demo control"


@pytest.mark.parametrize(
    ("text", "rel", "problem"),
    [
        (GOOD.replace("# METADATA\n", ""), "grc/demo.rego", "no '# METADATA' block"),
        (GOOD.replace("[GRC-Q4]", "[GRC-Q8]"), "grc/demo.rego", "unknown question 'GRC-Q8'"),
        (
            GOOD.replace("GOVERN 1.1", "GOVERN-1.1"),
            "grc/demo.rego",
            "'GOVERN-1.1' is not a valid id",
        ),
        (
            GOOD.replace("severity: low", "severity: dire"),
            "grc/demo.rego",
            "custom.severity 'dire'",
        ),
        (GOOD.replace("#   waivable: true\n", ""), "grc/demo.rego", "lacks 'custom.waivable'"),
        (GOOD, "sdl/demo.rego", "must live in grc/demo.rego"),
        (GOOD.replace("grc.demo", "xyz.demo"), "xyz/demo.rego", "domain one of"),
        (
            GOOD.replace("gatekeeper.controls.grc.demo", "acme.demo"),
            "grc/demo.rego",
            "neither a control",
        ),
    ],
)
def test_contract_violations_name_the_file(tmp_path, text, rel, problem):
    with pytest.raises(PolicyError) as error:
        load_policies((user_policy(tmp_path, text, rel),))
    assert rel.split("/")[-1] in str(error.value)
    assert problem in str(error.value)


def test_a_control_two_user_folders_define_is_refused(tmp_path):
    first, second = user_policy(tmp_path / "a", GOOD), user_policy(tmp_path / "b", GOOD)
    with pytest.raises(PolicyError, match="control GRC-demo is already defined in"):
        load_policies((first, second))


def _reference_ids(reference: Path, name: str, column: str = "id") -> set[str]:
    with (reference / name).open(encoding="utf-8") as stream:
        return {row[column] for row in csv.DictReader(stream, delimiter="\t")}


def test_every_framework_id_exists_in_the_reference(reference):
    known = {
        "nist_ai_rmf": _reference_ids(reference, "nist-ai-rmf-subcategories.tsv"),
        "owasp_llm": _reference_ids(reference, "owasp-llm-top10-2025.tsv"),
        "atlas": _reference_ids(reference, "atlas-techniques.tsv")
        | _reference_ids(reference, "atlas-mitigations.tsv"),
        "saif": _reference_ids(reference, "saif.tsv"),
    }
    for control in load_policies().controls:
        for framework, ids in control.frameworks.items():
            unknown = set(ids) - known[framework]
            assert not unknown, f"{control.id} cites unknown {framework} ids {unknown}"


def test_every_control_has_rego_tests():
    policies = load_policies()
    tested = {f.package.removesuffix("_test") for f in policies.files if f.is_test}
    untested = [c.id for c in policies.controls if c.package not in tested]
    assert not untested
