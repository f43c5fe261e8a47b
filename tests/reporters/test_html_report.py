"""HTML: one self-contained page; rendered in headless Chromium with no console error."""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import escape

from gatekeeper.reporters import html, view

pytest_plugins = ("reporter_fixtures",)  # full_results, minimal_results, snapshot

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--enable-logging=stderr", "--v=0",
)


def render_in_chromium(page: Path, profile: Path) -> tuple[str, list[str]]:
    """The DOM Chromium built from ``page``, and every console message it logged."""
    done = subprocess.run(
        [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=90, check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout, [line for line in done.stderr.splitlines() if ":CONSOLE" in line]


needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium installed (Debian package 'chromium')"
)


def test_snapshot(full_results, snapshot):
    snapshot("full.html", html.render(full_results))


def test_self_contained_and_escaped(full_results):
    results = copy.deepcopy(full_results)
    control = next(c for c in results["controls"] if c["id"] == "SDL-secrets-clean")
    control["messages"][0]["message"] = '<script>alert("x")</script>'
    page = html.render(results)
    assert "<script" not in page and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert f'content="{escape(html.CSP)}"' in page and "default-src &#39;none&#39;" in page
    assert not re.search(r"\ssrc=", page)
    assert re.findall(r"<link [^>]*>", page) == ['<link rel="icon" href="data:,">']


def test_heat_map_radar_questions_and_waivers(full_results):
    page = html.render(full_results)
    heat = page[page.index('<table class="heat">'):]
    heat = heat[:heat.index("</table>")]
    assert heat.count("<tr>") == 12 and heat.count("<td") == 11 * 6
    assert heat.count(" ●</td>") == 11
    assert page.count('<svg class="radar"') == 1
    assert ">SDL 0.6</text>" in page
    questions = page[page.index('<section id="questions">'):]
    assert questions.count('<tr><td><code class="id">GRC-Q') == 7
    assert "<h3>Gaps to the next level</h3>" in page and "Would answer it" in page
    assert "Expiring soon (1)" in page and "2026-12-12 (in 13 days)" in page
    let_through = len(full_results["baseline"]["let_through"])
    assert f"Let through by the baseline</strong> ({let_through})" in page
    with_details = sum(1 for c in full_results["controls"] if c.get("details"))
    assert with_details and page.count("<h4>Details</h4>") == with_details
    assert "<td>uncovered</td><td><ul><li>LLM02:2025</li>" in page


def test_attested_questions_show_the_attestation(full_results):
    results = copy.deepcopy(full_results)
    question = results["maturity"]["questions"][0]
    question.update(mode="attested", source="attestation", score=3, attestation={
        "score": 3, "evidence": "https://wiki.example.org/charter", "attested_by": "dana",
        "date": "2026-10-01", "expires": "2027-04-01", "status": "expired"})
    page = html.render(results)
    assert '<a href="https://wiki.example.org/charter">' in page
    assert "attested by dana on 2026-10-01 (expired)" in page


def test_without_optional_sections(minimal_results):
    page = html.render(minimal_results)
    assert "Maturity was not scored in this run." in page
    assert "No exceptions file was used in this run." in page
    assert 'id="questions"' not in page and 'id="baseline"' not in page


@needs_chromium
def test_the_console_check_catches_errors(tmp_path):
    page = tmp_path / "broken.html"
    page.write_text(
        f'<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" '
        f'content="{html.CSP}"></head><body><img src="https://example.org/x.png"></body></html>'
    )
    _, console = render_in_chromium(page, tmp_path / "profile")
    assert console and "violates the following Content Security Policy" in console[0]


@needs_chromium
def test_renders_in_headless_chromium_without_console_errors(full_results, tmp_path):
    page = tmp_path / "report.html"
    page.write_text(html.render(full_results), encoding="utf-8")
    dom, console = render_in_chromium(page, tmp_path / "profile")
    assert console == []
    assert "<h1>BLOCKED</h1>" in dom and "forum-summarizer 0.3.0" in dom
    assert dom.count("<polygon") == 5 and "SDL-secrets-clean" in dom


# --- every string of the results, filled with markup and script, comes out as inert text ----

PWN = "document.documentElement.dataset.pwned"
PAYLOAD = (
    f"<script>{PWN}='script'</script>\"><img src=x onerror=\"{PWN}='img'\">"
    f"'><svg onload=\"{PWN}='svg'\"></svg><a href=\"javascript:{PWN}='href'\">x</a>"
    " {{7*7}} {% raw %} ${7*7}"
)
# values the reporter compares or looks up (outcomes, enumerations): they keep their meaning
ENUMERATED = {"outcome", "enforcement", "severity", "mode", "source", "strength", "status",
              "counted_as", "fail_on", "direction", "schema_version"}


def _poison(value, key=""):
    """Append the payload to every string, and to the keys of ``details`` (shown as headers)."""
    if isinstance(value, dict):
        return {(k + PAYLOAD if key == "details" else k): _poison(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_poison(item, key) for item in value]
    if isinstance(value, str) and key not in ENUMERATED:
        return value + PAYLOAD
    return value


def _with_every_section(results):
    """The full results with a link-like attestation, trends and a selection, all poisonable."""
    results = copy.deepcopy(results)
    results["maturity"]["questions"][0].update(mode="attested", source="attestation", attestation={
        "score": 3, "evidence": "javascript:alert(1)", "attested_by": "dana",
        "date": "2026-10-01", "expires": "2027-04-01", "status": "valid"})
    results["maturity"]["questions"][1].update(mode="attested", source="attestation", attestation={
        "score": 3, "evidence": "https://wiki.example.org/x", "attested_by": "eve",
        "date": "2026-10-01", "expires": "2027-04-01", "status": "valid"})
    results["trends"] = TRENDS
    results["selection"] = {"only": ["SDL-*"], "skip": ["SDL-sast-clean"],
                            "controls": ["SDL-secrets-clean"], "left_out": ["SDL-sast-clean"],
                            "kept_mandatory": []}
    return results


class Elements(HTMLParser):
    """Every start tag of a page with its attributes (decoded as a browser decodes them)."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


def test_payloads_in_every_string_field_stay_text(full_results):
    clean = _with_every_section(full_results)
    poisoned = _poison(clean)
    page, before = html.render(poisoned), Elements(html.render(clean)).tags
    after = Elements(page).tags
    # the same elements, no more: nothing in the evidence became markup
    assert Counter(tag for tag, _ in after) == Counter(tag for tag, _ in before)
    assert {tag for tag, _ in after}.isdisjoint({"script", "img", "iframe", "object", "embed"})
    assert page.count("<svg") == html.render(clean).count("<svg")  # the radar and the trends
    attributes = [(name, value or "") for _, attrs in after for name, value in attrs]
    assert not [name for name, _ in attributes if name.startswith("on")]
    hrefs = [value for name, value in attributes if name == "href"]
    assert not [h for h in hrefs if not h.startswith(("#", "https://", "data:"))]
    assert "javascript:alert(1)" in page  # shown as text, not a link
    # shown, not evaluated: the template engine never reads the results as a template
    assert "{{7*7}}" in page and "{% raw %}" in page
    assert page.count("49") == html.render(clean).count("49")
    assert page.count("&lt;script&gt;") > 200


@needs_chromium
def test_payloads_do_not_run_in_chromium_even_without_the_csp(full_results, tmp_path):
    page = html.render(_poison(_with_every_section(full_results)))
    without_csp = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page)
    assert without_csp != page
    for name, text in (("report.html", page), ("no-csp.html", without_csp)):
        (tmp_path / name).write_text(text, encoding="utf-8")
        dom, _ = render_in_chromium(tmp_path / name, tmp_path / f"profile-{name}")
        assert "<h1>BLOCKED</h1>" in dom and "data-pwned" not in dom, name
    # the check sees a payload that does run: the same page with one value left unescaped
    (tmp_path / "raw.html").write_text(without_csp.replace("</footer>", PAYLOAD + "</footer>"))
    dom, _ = render_in_chromium(tmp_path / "raw.html", tmp_path / "profile-raw")
    assert "data-pwned=" in dom


# --- trends: one inline SVG line chart per series of results["trends"] ----------------------

TRENDS = {"window": 5, "series": [
    {"question": "SAF-Q5", "control": "SAF-harmful-output-rate", "metric": "attack_success",
     "direction": "improving", "points": [
         {"run": "run-1", "time": "2026-09-01T00:00:00Z", "value": 0.3},
         {"run": "run-2", "time": "2026-10-01T00:00:00Z", "value": 0.2},
         {"run": "run-3", "time": "2026-11-01T00:00:00Z", "value": 0.12}]},
    {"question": "MON-Q5", "control": "MON-drift-monitored", "metric": "drift",
     "direction": "flat", "points": [
         {"run": "run-3", "time": "2026-11-01T00:00:00Z", "value": 0.5}]},
]}


def _charts(page: str) -> list[str]:
    section = page[page.index('<section id="trends">'):]
    section = section[:section.index("</section>")]
    return re.findall(r"<svg role=\"img\".*?</svg>", section, re.DOTALL)


def test_one_accessible_line_chart_per_trend_series(full_results):
    results = copy.deepcopy(full_results)
    results["trends"] = TRENDS
    page = html.render(results)
    assert "<h2>Trends (last 5 runs)</h2>" in page and 'href="#trends"' in page
    first, second = _charts(page)
    assert 'aria-labelledby="trend-0-title trend-0-desc"' in first
    assert ('<title id="trend-0-title">SAF-Q5 SAF-harmful-output-rate attack_success: '
            "improving</title>") in first
    assert ('<desc id="trend-0-desc">3 runs from 2026-09-01T00:00:00Z to 2026-11-01T00:00:00Z: '
            "0.3 to 0.12</desc>") in first
    # oldest left, and the higher value higher up (smaller y): 0.3 at the top, 0.12 at the bottom
    points = [(float(x), float(y)) for x, y in
              re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)"', first)]
    assert [x for x, _ in points] == sorted(x for x, _ in points) and len(points) == 3
    assert points[0][1] < points[1][1] < points[2][1]
    assert points[0][1] == html.TREND_PAD and points[2][1] == html.TREND_HEIGHT - html.TREND_PAD
    assert first.count("<polyline") == 1
    assert "<title>run-2 2026-10-01T00:00:00Z: 0.2</title>" in first
    # one point: a dot in the middle, no line
    assert second.count("<polyline") == 0 and second.count("<circle") == 1
    assert f'cx="{html.TREND_WIDTH / 2:.1f}"' in second and "1 run from" in second


def test_no_trends_no_section(full_results):
    page = html.render(full_results)
    assert 'id="trends"' not in page and 'href="#trends"' not in page
    results = copy.deepcopy(full_results)
    results["trends"] = {"window": 5, "series": [{"question": "SAF-Q5", "points": [
        {"run": "r", "time": "t", "value": None}]}]}
    assert "<desc id=\"trend-0-desc\">no values</desc>" in html.render(results)


def test_the_page_leads_with_the_verdict_and_what_blocks_critical_first(full_results):
    page = html.render(full_results)
    order = ['<header class="verdict fail">', '<section id="blocking">', '<section id="warnings">',
             '<section id="maturity">', '<section id="questions">', '<section id="controls">',
             '<section id="details">', '<section id="waivers">']
    assert [page.index(marker) for marker in order] == sorted(page.index(m) for m in order)
    blocking = page[page.index('<section id="blocking">'):page.index('<section id="warnings">')]
    rows = re.findall(r'<tr><td>(\w+)</td><td><span class="badge o-(\w+)">.*?href="#control-'
                      r'([\w-]+)"', blocking)
    expected = [c for c in full_results["controls"] if view.blocks(c, full_results)]
    rank = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}
    assert [r[2] for r in rows] == [c["id"] for c in sorted(
        expected, key=lambda c: (rank[c["severity"]], c["id"]))]
    assert rows[0][0] == "critical" and rows[-1][0] != "critical"
    warnings = page[page.index('<section id="warnings">'):page.index('<section id="maturity">')]
    assert 'href="#control-SDL-iac-scan-clean"' in warnings  # waived: shown, not blocking
    assert 'href="#control-SDL-iac-scan-clean"' not in blocking
