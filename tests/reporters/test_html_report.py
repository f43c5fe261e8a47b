"""HTML: one self-contained page; rendered in headless Chromium with no console error."""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from gatekeeper.reporters import html

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
    assert "<script" not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "default-src 'none'" in page
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
