"""Policy loading: the control contract is enforced when policies load, with file and reason."""

import csv
import re
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
        (
            GOOD.replace("[GRC-Q4]", "[GRC-Q8]"),
            "grc/demo.rego",
            "custom.questions: unknown question 'GRC-Q8'",
        ),
        (
            GOOD.replace("GOVERN 1.1", "GOVERN-1.1"),
            "grc/demo.rego",
            'custom.frameworks.nist_ai_rmf[0]: "GOVERN-1.1" does not match',
        ),
        (
            GOOD.replace("severity: low", "severity: dire"),
            "grc/demo.rego",
            "custom.severity: 'dire' is not one of info, low, medium, high, critical",
        ),
        (
            GOOD.replace("#   waivable: true\n", ""),
            "grc/demo.rego",
            'custom: "waivable" is a required property',
        ),
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


# A package-level rule with no arguments and no body: evaluated once per query.
ONCE_PER_QUERY = re.compile(r"^[a-z_][a-z0-9_]* := ")


def test_shipped_policies_read_the_thresholds_once_per_query():
    """regorus searches every loaded module each time a query reads a path under
    data.gatekeeper.config (data that no module defines; a rule, once evaluated, is kept): read
    in a function or inside a walk, every call or step pays a search (60 us at 400 modules).
    So each shipped policy binds the settings it reads to a package-level rule."""
    policies = load_policies()
    offending = [
        f"{policy.path.name}:{number}: {line.strip()}"
        for policy in policies.files if not policy.is_test
        for number, line in enumerate(policy.text.splitlines(), 1)
        if "data.gatekeeper.config" in line and not line.lstrip().startswith("#")
        and not (ONCE_PER_QUERY.match(line) and " if " not in line)
    ]
    assert not offending
    assert sum("data.gatekeeper.config" in p.text for p in policies.files) > 30


def test_every_metadata_problem_is_listed_at_once(tmp_path):
    """One run names every broken field, each with its key, not just the first."""
    text = (
        GOOD.replace("severity: low", "severity: dire")
        .replace("[GRC-Q4]", "[GRC-Q8]")
        .replace("GOVERN 1.1", "GOVERN-1.1")
        .replace("#   waivable: true\n", "#   applies_to: [llm]\n")
    )
    with pytest.raises(PolicyError) as error:
        load_policies((user_policy(tmp_path, text),))
    message = str(error.value)
    assert message.startswith(f"{tmp_path / 'grc' / 'demo.rego'}: invalid METADATA:")
    for problem in (
        "custom.severity: 'dire' is not one of info, low, medium, high, critical",
        "custom.questions: unknown question 'GRC-Q8'",
        'custom.frameworks.nist_ai_rmf[0]: "GOVERN-1.1" does not match',
        'custom: "waivable" is a required property',
        "custom.applies_to[0]: 'llm' is not one of classical-ml, llm-app, rag, agent, "
        "training-pipeline",
    ):
        assert problem in message


def test_problems_of_several_policy_files_are_listed_together(tmp_path):
    user_policy(tmp_path, GOOD.replace("severity: low", "severity: dire"))
    other = GOOD.replace("grc.demo", "grc.other").replace("title: Demo control", "title: ' '")
    user_policy(tmp_path, other, "grc/other.rego")
    with pytest.raises(PolicyError) as error:
        load_policies((tmp_path,))
    message = str(error.value)
    assert "2 policy files are invalid" in message
    assert f"{tmp_path / 'grc' / 'demo.rego'}: invalid METADATA:" in message
    assert "custom.severity: 'dire'" in message
    assert f"{tmp_path / 'grc' / 'other.rego'}: invalid METADATA:" in message
    assert "title: must not be blank" in message


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("#   applies_to: []\n", "custom.applies_to: [] has less than 1 item"),
        ("#   applies_to: [rag, rag]\n", "has non-unique elements"),
        ("#   applies_to: rag\n", 'custom.applies_to: "rag" is not of type "array"'),
        ("#   mandatory: yes-please\n", "custom.mandatory"),
        ("#   surprise: 1\n", "('surprise' was unexpected)"),
    ],
)
def test_applies_to_and_unknown_keys_are_checked(tmp_path, line, problem):
    text = GOOD.replace("#   waivable: true\n", f"#   waivable: true\n{line}")
    with pytest.raises(PolicyError) as error:
        load_policies((user_policy(tmp_path, text),))
    assert problem in str(error.value)


def test_applies_to_names_the_kinds_a_control_applies_to(tmp_path):
    text = GOOD.replace(
        "#   waivable: true\n",
        "#   waivable: true\n#   applies_to: [rag, agent]\n",
    )
    control = load_policies((user_policy(tmp_path, text),)).control("GRC-demo")
    assert control.applies_to == ("rag", "agent")
    assert control.to_dict()["applies_to"] == ["rag", "agent"]
    assert load_policies().control("SDL-sbom-present").applies_to == ()


def test_the_metadata_schema_lists_the_kinds_gatekeeper_knows():
    from gatekeeper.kinds import KINDS
    from gatekeeper.schemas import schema

    custom = schema("control-metadata")["properties"]["custom"]["properties"]
    assert tuple(custom["applies_to"]["items"]["enum"]) == KINDS
    assert tuple(custom["severity"]["enum"]) == ("info", "low", "medium", "high", "critical")
