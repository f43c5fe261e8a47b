"""Policy namespaces cannot be entered: a user policy folder never changes a shipped control.

Each case runs the gate on the unsafe example (which must exit 1) with a hostile policy folder,
and checks the exit code (2, before any evidence is read), that the message names the file and
the package, and that no results file was written (so no control passed).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import EXAMPLES, NOW, copy_example

from gatekeeper.engine.policies import load_policies, shipped_policy_dir

SHIPPED = load_policies()
ONE_CONTROL_PER_DOMAIN = {c.domain: c for c in reversed(SHIPPED.controls)}
LIBRARIES = sorted(
    f.package for f in SHIPPED.files if f.package.startswith("gatekeeper.lib") and not f.is_test
)
# The controls the issue reproduced the attack on.
REPRODUCED = (
    "GRC-model-card-complete",
    "RTE-red-team-gate",
    "SDL-builder-trusted",
    "SDL-source-matches",
    "MOD-robustness-tested",
)

HELPERS_TRICK = """package {package} # helpers

import rego.v1

decoy := `
package gatekeeper.user.lib.decoy
`

applicable if true

deny := set()
"""

USER_CONTROL = """# METADATA
# title: Charter linked
# description: A user control.
# custom:
#   severity: low
#   questions: [GRC-Q1]
#   waivable: true
#   remediation: Link it.
#   frameworks:
#     nist_ai_rmf: [GOVERN 2.1]
package {package}

import rego.v1

applicable := true
"""


@pytest.fixture
def unsafe(tmp_path) -> Path:
    return copy_example(EXAMPLES / "unsafe-release", tmp_path / "unsafe")


def hostile_folder(tmp_path: Path, package: str, text: str = HELPERS_TRICK,
                   rel: str = "grc/helpers.rego") -> Path:
    folder = tmp_path / "hostile"
    path = folder / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.format(package=package))
    return folder


def assert_refused(run, unsafe: Path, file: str, package: str) -> None:
    assert run.code == 2, run.err
    assert file in run.err and f"package {package} " in run.err
    assert "shipped namespace" in run.err
    assert not (unsafe / "results.json").exists()  # nothing evaluated, nothing passed


def check(gatekeeper, unsafe: Path, *args):
    return gatekeeper(
        "check", "-c", unsafe / "gatekeeper.yaml", "--now", NOW,
        "--results", unsafe / "results.json", *args,
    )  # fmt: skip


def test_the_unsafe_example_is_blocked_without_a_hostile_folder(gatekeeper, unsafe):
    run = check(gatekeeper, unsafe)
    assert run.code == 1
    assert (unsafe / "results.json").exists()


@pytest.mark.parametrize("control_id", REPRODUCED)
def test_the_helpers_comment_trick_is_refused(gatekeeper, unsafe, tmp_path, control_id):
    package = SHIPPED.control(control_id).package
    folder = hostile_folder(tmp_path, package)
    run = check(gatekeeper, unsafe, "--policy", folder)
    assert_refused(run, unsafe, "helpers.rego", package)


@pytest.mark.parametrize("domain", sorted(ONE_CONTROL_PER_DOMAIN))
def test_no_shipped_control_of_any_domain_can_be_extended(gatekeeper, unsafe, tmp_path, domain):
    package = ONE_CONTROL_PER_DOMAIN[domain].package
    folder = hostile_folder(tmp_path, package, rel=f"{domain.lower()}/x.rego")
    run = check(gatekeeper, unsafe, "--policy", folder)
    assert_refused(run, unsafe, "x.rego", package)


@pytest.mark.parametrize("package", LIBRARIES)
def test_no_shipped_library_can_be_extended(gatekeeper, unsafe, tmp_path, package):
    folder = hostile_folder(tmp_path, package, rel="lib/extra.rego")
    run = check(gatekeeper, unsafe, "--policy", folder)
    assert_refused(run, unsafe, "extra.rego", package)


@pytest.mark.parametrize(
    "package",
    [
        "gatekeeper",  # a rule `controls := ...` would overlay every control
        "gatekeeper.controls",
        "gatekeeper.controls.grc",  # a rule `model_card_complete := ...`
        "gatekeeper.controls.grc.model_card_complete.extra",  # beneath a shipped control
        "gatekeeper.lib",
        "gatekeeper.lib.brand_new",  # a new package in the shipped library namespace
    ],
)
def test_parents_and_children_of_shipped_packages_are_refused(gatekeeper, unsafe, tmp_path,
                                                              package):
    folder = hostile_folder(tmp_path, package)
    run = check(gatekeeper, unsafe, "--policy", folder)
    assert_refused(run, unsafe, "helpers.rego", package)


def test_a_test_file_cannot_enter_a_shipped_package(gatekeeper, unsafe, tmp_path):
    package = SHIPPED.control("MOD-model-signed").package
    folder = hostile_folder(tmp_path, package, rel="sdl/sneaky_test.rego")
    run = check(gatekeeper, unsafe, "--policy", folder)
    assert_refused(run, unsafe, "sneaky_test.rego", package)


def test_a_policy_folder_named_in_gatekeeper_yaml_is_held_to_the_same_rule(
    gatekeeper, unsafe, tmp_path
):
    package = SHIPPED.control("GRC-model-card-complete").package
    hostile_folder(unsafe, package)  # unsafe/hostile/grc/helpers.rego
    config = unsafe / "gatekeeper.yaml"
    config.write_text(config.read_text() + "\npolicies: [hostile]\n")
    run = check(gatekeeper, unsafe)
    assert_refused(run, unsafe, "helpers.rego", package)


def test_the_package_is_read_by_the_parser_not_from_a_decoy_line(gatekeeper, unsafe, tmp_path):
    """A decoy ``package`` line in a comment and in a raw string does not hide the real one."""
    package = SHIPPED.control("RTE-red-team-gate").package
    text = "# package gatekeeper.user.lib.harmless\n" + HELPERS_TRICK
    folder = hostile_folder(tmp_path, package, text)
    run = check(gatekeeper, unsafe, "--policy", folder)
    assert_refused(run, unsafe, "helpers.rego", package)


def test_a_new_user_control_and_user_library_are_accepted(gatekeeper, tmp_path):
    """The namespaces users own: a new control slug and gatekeeper.user.lib."""
    folder = hostile_folder(tmp_path, "gatekeeper.controls.grc.acme_charter", USER_CONTROL,
                            rel="grc/acme_charter.rego")
    library = folder / "lib" / "acme.rego"
    library.parent.mkdir()
    library.write_text("package gatekeeper.user.lib.acme\n\nimport rego.v1\n\nok := true\n")
    run = gatekeeper("controls", "--policy", folder)
    assert run.code == 0, run.err
    assert "GRC-acme-charter" in run.out


def test_metadata_is_found_before_the_parsed_package_line(tmp_path):
    """A raw string holding a ``package`` line after the real one does not move METADATA."""
    text = USER_CONTROL.format(package="gatekeeper.controls.grc.acme_charter") + (
        "\nnote := `\npackage gatekeeper.controls.grc.other\n`\n"
    )
    folder = hostile_folder(tmp_path, "", text, rel="grc/acme_charter.rego")
    control = load_policies((folder,)).control("GRC-acme-charter")
    assert control.title == "Charter linked"


def test_the_shipped_folder_itself_is_not_a_user_folder():
    """Loading the shipped folder again as a user folder is refused, not a silent merge."""
    from gatekeeper.errors import ConfigError

    with pytest.raises(ConfigError, match="shipped namespace"):
        load_policies((shipped_policy_dir(),))


def test_a_rule_head_in_data_cannot_reach_a_shipped_package(gatekeeper, unsafe, tmp_path):
    text = (
        "package gatekeeper.user.lib.reach\n\nimport rego.v1\n\n"
        "data.gatekeeper.controls.grc.model_card_complete.applicable := true\n"
    )
    folder = hostile_folder(tmp_path, "", text, rel="lib/reach.rego")
    run = check(gatekeeper, unsafe, "--policy", folder)
    assert run.code == 3 and "reach.rego: does not compile" in run.err
    assert not (unsafe / "results.json").exists()


def test_an_import_alias_as_a_rule_head_stays_in_its_own_package(gatekeeper, unsafe, tmp_path):
    """``import data.<shipped> as y`` then ``y.applicable := true`` defines a rule of the user's
    own package: the shipped control still fails."""
    package = SHIPPED.control("GRC-model-card-complete").package
    text = (
        "package gatekeeper.user.lib.alias\n\nimport rego.v1\n\n"
        f"import data.{package} as shipped\n\nshipped.applicable := true\n"
        "shipped.deny := set()\n"
    )
    folder = hostile_folder(tmp_path, "", text, rel="lib/alias.rego")
    run = check(gatekeeper, unsafe, "--policy", folder)
    assert run.code == 1
    document = json.loads((unsafe / "results.json").read_text())
    outcome = {c["id"]: c["outcome"] for c in document["controls"]}["GRC-model-card-complete"]
    assert outcome in ("fail", "no_evidence")
