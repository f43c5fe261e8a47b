"""Evidence strength and "why this score" in the text, HTML and SARIF reports."""

from __future__ import annotations

import copy
import json

from gatekeeper.reporters import html, sarif, text

pytest_plugins = ("reporter_fixtures",)  # full_results, minimal_results, snapshot


def _first_blocker(results: dict, domain: str) -> dict:
    maturity = results["maturity"]
    blocker = next(d for d in maturity["domains"] if d["id"] == domain)["blockers"][0]
    return next(q for q in maturity["questions"] if q["id"] == blocker["question"])


def test_the_text_report_lists_controls_by_strength(full_results):
    out = text.render(full_results)
    block = out[out.index("EVIDENCE STRENGTH"):out.index("MATURITY")]
    assert "  verified: SDL-artifacts-signed," in block
    assert "  documented: GRC-datasheet-complete," in block
    assert all(len(line) <= 80 for line in block.splitlines())


def test_the_text_maturity_table_says_how_each_blocker_was_answered(full_results):
    results = copy.deepcopy(full_results)
    question = _first_blocker(results, "APP")
    question.update(source="none", strength=None, attestation={
        "score": 4, "evidence": "trust me", "attested_by": "me", "date": "2026-01-01",
        "expires": "2027-01-01", "status": "refused", "strength": "attested"})
    assert f"APP     1      0/8    {question['id']} 0/4 refused:" in text.render(results)
    question.update(source="controls", strength="measured", attestation=None)
    assert f"{question['id']} 0/4 measured:" in text.render(results)


def test_the_html_report_explains_each_score(full_results):
    page = html.render(full_results)
    assert "<th>Strength</th>" in page and "<th>Why this score</th>" in page
    assert "<summary>why 2</summary>" in page
    assert "capped at" in page or "from its controls" in page


def test_sarif_rules_and_results_carry_the_strength(full_results):
    log = json.loads(sarif.render(full_results))
    rules = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["SDL-sast-clean"]["properties"]["strength"] == "measured"
    assert rules["MOD-model-signed"]["properties"]["strength"] == "verified"
    assert {r["properties"]["strength"] for r in log["runs"][0]["results"]} <= {
        "verified", "measured", "declared", "documented"}
