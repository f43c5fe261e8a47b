"""docs/maturity.md's question table and strength counts agree with the shipped policies."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from gatekeeper.catalog.loader import answering_controls, load_catalog
from gatekeeper.engine.policies import load_policies
from gatekeeper.scoring import weakest

DOC = (Path(__file__).resolve().parents[1] / "docs" / "maturity.md").read_text(encoding="utf-8")


def _strongest() -> dict[str, str]:
    catalog, policies = load_catalog(), load_policies()
    strength = {c.id: c.strength for c in policies.controls}
    return {
        question: weakest(strength[c] for c in ids) if ids else "attested only"
        for question, ids in answering_controls(catalog, policies.controls).items()
    }


def test_the_table_gives_each_questions_strongest_possible_evidence():
    rows = dict(re.findall(r"^\| ([A-Z]{3}-Q\d) \| \d \| .*? \| ([a-z ]+) \|", DOC, re.M))
    assert rows == _strongest()


def test_the_counts_in_the_text_match():
    counts = Counter(_strongest().values())
    text = " ".join(DOC.split())
    for strength in ("verified", "measured", "declared", "documented"):
        assert f"**{counts[strength]}** at `{strength}`" in text or (
            f"**{counts[strength]}** questions can be answered at `{strength}`" in text)
    assert f"**{counts['attested only']}** are attested only" in text
