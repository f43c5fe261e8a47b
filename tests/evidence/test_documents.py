import pytest

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence.documentation.documents import normalize_heading, read_document, sections

CARD = """---
license: apache-2.0
---
# Model card

## 1. Model Details
A classifier that scores sentiment of short messages.

Setext heading
--------------
two words

```
# not a heading inside code
```

## Evaluation
### Metrics
accuracy is ninety one percent
"""


def test_sections_with_their_word_counts():
    found = {s["normalized"]: (s["level"], s["words"]) for s in sections(CARD)}
    assert found["1 model details"] == (2, 8)
    assert found["setext heading"] == (2, 7)  # fenced code counts as content
    assert found["evaluation"] == (2, 5)
    assert found["metrics"] == (3, 5)
    assert "not a heading inside code" not in found


def test_normalize_heading():
    assert normalize_heading("3. Intended Use & Users!") == "3 intended use users"


def test_document_without_headings_is_an_error():
    with pytest.raises(EvidenceError, match=r"docs/card\.md: no Markdown headings"):
        read_document(b"just prose", "docs/card.md")


def test_binary_document_is_an_error():
    with pytest.raises(EvidenceError, match="not UTF-8"):
        read_document(b"\xff\xfe\x00", "docs/card.md")


def test_the_title_heading_is_not_a_section():
    # The title's body is the whole document: it would match any section name.
    document = read_document(b"# DR drill: restore\nintro\n## Scenario\nlost the cluster\n", "d.md")
    assert document["title"] == "DR drill: restore"
    assert [s["normalized"] for s in document["sections"]] == ["scenario"]
    two_top_level = read_document(b"# Scope\nall of it\n# Findings\nnone at all\n", "d.md")
    assert two_top_level["title"] is None
    assert [s["normalized"] for s in two_top_level["sections"]] == ["scope", "findings"]


def test_document_records_its_facts_and_cited_atlas_techniques():
    text = (
        b"---\nowner: Platform Security\ndate: 2026-10-28\n---\n# Threat model\n\n"
        b"## Spoofing\nA caller poses as the gateway (AML.T0040).\n"
    )
    document = read_document(text, "docs/THREAT_MODEL.md")
    assert document["facts"] == {"owner": "Platform Security", "date": "2026-10-28T00:00:00Z"}
    assert document["atlas_techniques"] == [
        {"id": "AML.T0040", "name": "AI Model Inference API Access", "known": True, "line": 8}
    ]


def test_text_with_nul_bytes_is_a_binary_file():
    with pytest.raises(EvidenceError, match=r"docs/card\.md: a binary file"):
        read_document(b"# Card\n\x00\x01\x02", "docs/card.md")


def _sections(text: str) -> dict[str, dict]:
    return {s["normalized"]: s for s in read_document(text.encode(), "d.md")["sections"]}


def test_sections_holding_placeholders_are_marked_with_the_reason():
    found = _sections(
        "# Card\n## Model details\nlorem ipsum dolor sit amet\n"
        "## Evaluation\nTBD\n## Limitations\nIt misreads sarcasm and code-switched messages.\n"
    )
    assert found["model details"]["placeholder_reason"] == "it holds the placeholder 'lorem ipsum'"
    assert found["evaluation"]["placeholder"] is True
    limitations = found["limitations"]
    assert (limitations["placeholder"], limitations["placeholder_reason"]) == (False, None)


def test_sections_with_the_same_text_are_marked_both():
    text = "It was reviewed by the team and approved for release."
    found = _sections(f"# Card\n## Evaluation\n{text}\n## Limitations\n{text}\n## Uses\nScoring.\n")
    assert found["evaluation"]["placeholder_reason"] == (
        "its text is the same as in section 'Limitations'"
    )
    assert found["limitations"]["placeholder"] is True
    assert found["uses"]["placeholder"] is False


def test_short_repeated_lines_and_parent_sections_are_not_duplicates():
    found = _sections(
        "# Card\n## Evaluation\n### Metrics\nAccuracy 0.91 on the held-out set.\n"
        "## Training data\nSee below.\n## Uses\nSee below.\n"
    )
    assert not any(s["placeholder"] for s in found.values())


def test_self_approval_is_marked_casefolded():
    def marked(approver: str) -> bool:
        text = f"---\nowner: ML Platform\napproved_by: {approver}\n---\n## Scope\nall\n"
        return read_document(text.encode(), "d.md")["self_approved"]

    assert marked(" ml platform ") is True
    assert marked("Data Protection Officer") is False


def test_duplicates_count_from_three_words():
    three = _sections("# C\n## Evaluation\nSee the appendix.\n## Limitations\nSee the appendix.\n")
    assert three["evaluation"]["placeholder"] is True
    two = _sections("# Card\n## Evaluation\nSee appendix.\n## Limitations\nSee appendix.\n")
    assert two["evaluation"]["placeholder"] is False
