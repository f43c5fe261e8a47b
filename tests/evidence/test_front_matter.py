import pytest

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence.documentation.front_matter import read_facts, split_front_matter


def facts_of(text: str, path: str = "docs/DPIA.md") -> dict:
    return read_facts(split_front_matter(text.splitlines())[0], path)


def test_split_front_matter():
    assert split_front_matter(["---", "a: 1", "---", "# Title"]) == (["a: 1"], ["# Title"])
    assert split_front_matter(["---", "a: 1", "...", "body"]) == (["a: 1"], ["body"])
    assert split_front_matter(["# Title", "---"]) == ([], ["# Title", "---"])


def test_known_facts_are_read_and_dates_normalized():
    text = """---
title: DPIA
owner: ML Platform team
approved_by: Data Protection Officer (dpo@example.com)
approved_on: 2026-10-21
date: 2026-10-07T09:30:00+02:00
assessor: "Example Assurance LLP"
outcome: passed
license: apache-2.0
---
# DPIA
"""
    assert facts_of(text) == {
        "owner": "ML Platform team",
        "approved_by": "Data Protection Officer (dpo@example.com)",
        "approved_on": "2026-10-21T00:00:00Z",
        "date": "2026-10-07T07:30:00Z",
        "assessor": "Example Assurance LLP",
        "outcome": "passed",
    }


def test_no_front_matter_and_empty_values_state_no_facts():
    assert facts_of("# DPIA\n") == {}
    assert facts_of("---\n---\n# DPIA\n") == {}
    assert facts_of("---\napproved_by:\napproved_on: ''\n---\n# DPIA\n") == {}


@pytest.mark.parametrize(
    ("front_matter", "message"),
    [
        (
            "owner: me\napproved_on: 2026-13-45\n",
            "docs/DPIA.md: line 3: approved_on: '2026-13-45' is not a date; write YYYY-MM-DD",
        ),
        (
            "date: 14 October 2026\n",
            "docs/DPIA.md: line 2: date: '14 October 2026' is not a date",
        ),
        (
            "date: 2026-10-14T09:30:00\n",  # a time without a zone is ambiguous
            "docs/DPIA.md: line 2: date: '2026-10-14T09:30:00' is not a date",
        ),
        ("title: x\ndate: 20261014\n", "docs/DPIA.md: line 3: date: expected a date, got int"),
        ("approved_by: [a, b]\n", "docs/DPIA.md: line 2: approved_by: expected text, got list"),
        ("- a\n- b\n", "docs/DPIA.md: line 2: the front matter must be a YAML mapping"),
        ("owner: a\nowner: b\n", "docs/DPIA.md: line 3, column 1: duplicate key 'owner'"),
        ("title: x\napproved_by: a: b\n", "docs/DPIA.md: line 3, column 15: mapping values"),
    ],
)
def test_malformed_facts_name_the_file_and_line(front_matter, message):
    with pytest.raises(EvidenceError) as raised:
        facts_of(f"---\n{front_matter}---\n# DPIA\n")
    assert str(raised.value).startswith(message)
