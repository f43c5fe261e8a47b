"""Identities compared as people see them: an owner cannot approve their own exception by
writing their name in another script, with invisible characters or in another width.

Each case puts a trick into the unsafe example's exceptions file; the run must exit 2 naming
the file and the entry before any evidence is read (no results file: nothing passed).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EXAMPLES, NOW, copy_example

from gatekeeper.identity import identity_problem, normalize_identity, same_identity

OWNER = "ml-platform@example.com"
ENTRY = "sast-md5-cache-key"


@pytest.fixture
def unsafe(tmp_path) -> Path:
    return copy_example(EXAMPLES / "unsafe-release", tmp_path / "unsafe")


def set_first_entry(unsafe: Path, owner: str, approved_by: str) -> None:
    path = unsafe / "gatekeeper-exceptions.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        f"    owner: {OWNER}\n    approved_by: appsec@example.com\n",
        f'    owner: "{owner}"\n    approved_by: "{approved_by}"\n',
        1,
    )
    path.write_text(text, encoding="utf-8")


def check(gatekeeper, unsafe: Path, *args):
    return gatekeeper(
        "check", "-c", unsafe / "gatekeeper.yaml", "--now", NOW,
        "--results", unsafe / "results.json", *args,
    )  # fmt: skip


def assert_refused(run, unsafe: Path, rule: str) -> None:
    assert run.code == 2, run.err
    assert "gatekeeper-exceptions.yaml" in run.err and ENTRY in run.err and rule in run.err
    assert not (unsafe / "results.json").exists()


# Written as escapes so the test reads as what it is.
SELF_APPROVALS = {
    "fullwidth letters": "\uff4d\uff4c-\uff50\uff4c\uff41\uff54\uff46\uff4f\uff52\uff4d"
    "@example.com",
    "upper case": "ML-PLATFORM@EXAMPLE.COM",
    "surrounding spaces": "  ml-platform@example.com ",
    "mathematical bold": "\U0001d426\U0001d425-platform@example.com",
    "circled letter": "\u24dcl-platform@example.com",
}
INVISIBLE = {
    "zero-width space at the end": OWNER + "\u200b",
    "zero-width space inside": "ml-plat\u200bform@example.com",
    "zero-width joiner": "ml-\u200dplatform@example.com",
    "zero-width non-joiner": "ml-platform\u200c@example.com",
    "right-to-left override": "\u202eml-platform@example.com",
    "byte order mark": "\ufeffml-platform@example.com",
    "soft hyphen": "ml-plat\u00adform@example.com",
    "word joiner": "ml-platform@\u2060example.com",
    "hangul filler": "ml-platform\u3164@example.com",
    "tag character": "ml-platform@example.com\U000e0041",
}
MIXED = {
    "Cyrillic a": "ml-pl\u0430tform@example.com",
    "Cyrillic o": "ml-platf\u043erm@example.com",
    "Greek omicron": "ml-platf\u03bfrm@example.com",
    "Cyrillic in the domain": "ml-platform@\u0435xample.com",
}


@pytest.mark.parametrize("approver", SELF_APPROVALS.values(), ids=SELF_APPROVALS.keys())
def test_the_owner_in_another_form_is_still_the_owner(gatekeeper, unsafe, approver):
    set_first_entry(unsafe, OWNER, approver)
    assert_refused(check(gatekeeper, unsafe), unsafe, "self-approval")


@pytest.mark.parametrize("approver", INVISIBLE.values(), ids=INVISIBLE.keys())
def test_an_approver_with_invisible_characters_is_refused(gatekeeper, unsafe, approver):
    set_first_entry(unsafe, OWNER, approver)
    run = check(gatekeeper, unsafe)
    assert_refused(run, unsafe, "invalid-identity")
    assert "invisible or formatting characters" in run.err


@pytest.mark.parametrize("approver", MIXED.values(), ids=MIXED.keys())
def test_an_approver_mixing_scripts_is_refused(gatekeeper, unsafe, approver):
    set_first_entry(unsafe, OWNER, approver)
    assert_refused(check(gatekeeper, unsafe), unsafe, "mixes scripts")


def test_an_owner_with_invisible_characters_is_refused(gatekeeper, unsafe):
    set_first_entry(unsafe, OWNER + "\u200b", "appsec@example.com")
    assert_refused(check(gatekeeper, unsafe), unsafe, "owner: ")


def test_a_whole_identity_in_lookalike_letters_is_the_latin_one(gatekeeper, unsafe):
    """Single-script Cyrillic that reads as the owner's Latin name: the skeletons match."""
    set_first_entry(unsafe, "ape", "\u0430\u0440\u0435")  # Cyrillic a, er, ie
    assert_refused(check(gatekeeper, unsafe), unsafe, "self-approval")


def test_a_real_second_person_still_approves(gatekeeper, unsafe):
    set_first_entry(unsafe, OWNER, "Zo\u00eb.M\u00fcller@example.com")
    run = check(gatekeeper, unsafe)
    assert run.code == 1  # the example's failures still block; the exception was accepted


def test_org_approvers_match_in_any_case_but_not_in_another_script(gatekeeper, unsafe, tmp_path):
    org = tmp_path / "org.yaml"
    org.write_text(
        "version: 1\nexceptions:\n  approvers: [AppSec@example.com, ai-governance@example.com,"
        " platform-security@example.com]\n"
    )
    assert check(gatekeeper, unsafe, "--org-policy", org).code == 1
    (unsafe / "results.json").unlink()
    set_first_entry(unsafe, OWNER, "\u0430ppsec@example.com")
    assert_refused(check(gatekeeper, unsafe, "--org-policy", org), unsafe, "mixes scripts")


def test_the_library_functions_other_modules_call():
    assert same_identity("alice@example.com", "\uff21lice@example.com")
    assert same_identity("alice@example.com", "alice@example.com\u200b")
    assert not same_identity("alice@example.com", "alicia@example.com")
    assert normalize_identity(" Alice@Example.com ") == "alice@example.com"
    assert identity_problem("alice@example.com") is None
    assert "U+200B" in identity_problem("alice\u200b@example.com")
    assert "CYRILLIC" in identity_problem("\u0430lice@example.com")


def test_a_refused_identity_names_every_hidden_character_and_every_script_but_common():
    hidden = identity_problem("ali\u200bce\u200d@example.com")
    assert hidden == ("'ali\\u200bce\\u200d@example.com' holds invisible or formatting characters "
                      "(U+200B, U+200D)")
    mixed = identity_problem("p\u0430yp\u0430l 2")  # Cyrillic a, a space and a digit (COMMON)
    assert mixed == "'p\u0430yp\u0430l 2' mixes scripts (CYRILLIC, LATIN)"
