import pytest

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence.documents import normalize_heading, read_document, sections

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
    with pytest.raises(EvidenceError, match="docs/card.md: no Markdown headings"):
        read_document(b"just prose", "docs/card.md")


def test_binary_document_is_an_error():
    with pytest.raises(EvidenceError, match="not UTF-8"):
        read_document(b"\xff\xfe\x00", "docs/card.md")
