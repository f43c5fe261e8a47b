from pathlib import Path

import pytest

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence.context import CollectContext
from gatekeeper.evidence.documentation.codeowners import collect, parse_codeowners

GITHUB = """# Default owners
*                 @example-org/ml-platform
/deploy/          @example-org/ml-platform ops@example.com

path\\ with\\ spaces/ @alice
/docs/generated/
"""


def test_rules_with_owners_and_lines():
    assert parse_codeowners(GITHUB, "CODEOWNERS") == [
        {"pattern": "*", "owners": ["@example-org/ml-platform"], "line": 2},
        {
            "pattern": "/deploy/",
            "owners": ["@example-org/ml-platform", "ops@example.com"],
            "line": 3,
        },
        {"pattern": "path with spaces/", "owners": ["@alice"], "line": 5},
        {"pattern": "/docs/generated/", "owners": [], "line": 6},
    ]


def test_gitlab_sections_give_their_default_owners():
    text = "[Documentation] @docs-team\ndocs/\nREADME.md @alice\n^[Optional][2]\n*.md\n"
    assert parse_codeowners(text, "CODEOWNERS") == [
        {"pattern": "docs/", "owners": ["@docs-team"], "line": 2},
        {"pattern": "README.md", "owners": ["@alice"], "line": 3},
        {"pattern": "*.md", "owners": [], "line": 5},
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("* alice\n", "line 1: 'alice' is not an owner"),
        ("# ok\n/src/ @alice # the API\n", "line 2: '#' is not an owner"),
        ("[Docs] docs-team\n", "line 1: 'docs-team' is not an owner"),
    ],
)
def test_an_invalid_owner_names_the_line(text, message):
    with pytest.raises(EvidenceError, match=f"^.github/CODEOWNERS: {message}"):
        parse_codeowners(text, ".github/CODEOWNERS")


def test_collect_records_the_file(tmp_path: Path):
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "CODEOWNERS").write_text(GITHUB)
    context = CollectContext(tmp_path)
    section = collect(".github/CODEOWNERS", context)
    assert section["codeowners"]["path"] == ".github/CODEOWNERS"
    assert len(section["codeowners"]["rules"]) == 4
    assert [s.collector for s in context.sources] == ["codeowners"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"# only comments\n\n", "no rules"),
        (b"\xff\xfe* @a", "not UTF-8 text"),
    ],
)
def test_an_empty_or_binary_file_is_an_error(tmp_path: Path, data, message):
    (tmp_path / "CODEOWNERS").write_bytes(data)
    with pytest.raises(EvidenceError, match=f"^CODEOWNERS: {message}"):
        collect("CODEOWNERS", CollectContext(tmp_path))
