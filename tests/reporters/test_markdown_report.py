"""Markdown summary: verdict first, failing controls with fixes, waivers, maturity; size-bounded."""

from __future__ import annotations

import copy
import re

from gatekeeper.reporters import markdown
from gatekeeper.reporters.interface import STEP_SUMMARY_LIMIT, ReportOptions

pytest_plugins = ("reporter_fixtures",)  # full_results, minimal_results, snapshot


def test_snapshots(full_results, minimal_results, snapshot):
    snapshot("full.md", markdown.render(full_results))
    snapshot("minimal.md", markdown.render(minimal_results))


def test_verdict_first_then_failures_with_remediation(full_results):
    text = markdown.render(full_results)
    assert text.startswith("## ❌ gatekeeper: BLOCKED — forum-summarizer 0.3.0\n")
    assert "**Fix:** Revoke and rotate every reported credential" in text
    assert text.index("### Controls that did not pass") < text.index("### Waivers") < text.index(
        "### Maturity per domain") < text.index("### Compared with the baseline")
    assert ("⚠️ **Expiring soon:** iac-scan-pending expires 2026-12-12 (in 13 days), then "
            "`SDL-iac-scan-clean` no longer waived") in text
    assert "| `SDL-secrets-clean` | high | measured | let through by the baseline |" in text
    first = full_results["baseline"]["not_waivable"][0]["control"]
    assert f"- unchanged but not waivable, still blocking: {first} (" in text
    assert "| SDL Secure AI Development, MLOps, and Supply Chain | 1 Initial |" in text


def test_a_domain_below_its_minimum_level_is_marked(full_results):
    results = copy.deepcopy(full_results)
    results["maturity"]["domains"][1]["minimum_level"] = 2
    assert "| 1 Initial ❌ (minimum 2) |" in markdown.render(results)


def test_unused_exceptions_are_listed_with_their_reason(full_results):
    results = copy.deepcopy(full_results)
    unused = dict(results["exceptions"]["expired"][0], id="old-waiver", reason="nothing failed")
    results["exceptions"]["unused"] = [unused]
    assert "Unused (waived nothing in this run): old-waiver (nothing failed)" in markdown.render(
        results)


def test_sections_absent_from_the_results_are_left_out(minimal_results):
    text = markdown.render(minimal_results)
    for heading in ("### Maturity", "### Waivers", "### Compared with the baseline"):
        assert heading not in text


def test_untrusted_text_cannot_break_the_table_or_inject_markup(full_results):
    results = copy.deepcopy(full_results)
    control = next(c for c in results["controls"] if c["id"] == "SDL-secrets-clean")
    control["messages"][0]["message"] = "a | b <img src=x onerror=alert(1)> [link](http://x)"
    text = markdown.render(results)
    assert r"a \| b \<img src=x onerror=alert(1)\> \[link\](http\://x)" in text
    assert not re.search(r"(?<!\\)<img", text)


def _tables_are_whole(text: str) -> bool:
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("|"):
            if not line.endswith("|"):
                return False
            first = index == 0 or not lines[index - 1].startswith("|")
            if first and not (index + 1 < len(lines) and lines[index + 1].startswith("|---")):
                return False
    return True


def test_truncated_between_blocks_with_a_note_never_mid_table(full_results):
    whole = markdown.render(full_results)
    assert 8000 < len(whole.encode("utf-8")) < STEP_SUMMARY_LIMIT
    for limit in (600, 1500, 2500, 4000, 6000, 7000, 8000):
        text = markdown.render(full_results, ReportOptions(limit=limit))
        assert len(text.encode("utf-8")) <= limit
        assert text.startswith("## ❌ gatekeeper: BLOCKED")
        assert "✂️ Report truncated to stay within" in text
        assert _tables_are_whole(text)
    assert "truncated" not in whole


def test_a_long_table_keeps_its_header_and_first_rows(full_results):
    results = copy.deepcopy(full_results)
    template = next(c for c in results["controls"] if c["id"] == "SDL-secrets-clean")
    results["controls"] = [dict(template, id=f"SDL-secret-{n:04d}") for n in range(2000)]
    text = markdown.render(results, ReportOptions(limit=20_000))
    assert len(text.encode("utf-8")) <= 20_000
    assert "| Outcome | Control | Severity | Strength | Effect | Why |" in text
    assert "`SDL-secret-0000`" in text and "`SDL-secret-1999`" not in text
    assert _tables_are_whole(text) and text.rstrip().endswith("and the HTML report.")
