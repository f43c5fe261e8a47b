"""Reports that never break their consumer, whatever the evidence says (issue 16 item 2).

A scanner message can hold ANSI colour sequences, NUL and other C0 controls; one such
character used to make junit.xml unreadable, and GitLab then drops the whole test report.
"""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, ROOT, copy_example

from gatekeeper.jsonio import read_json
from gatekeeper.reporters import junit

FULL = ROOT / "tests" / "reporters" / "fixtures" / "results-full.json"

PAYLOAD = "\x1b[31;1mred\x1b[0m \x00nul \x07bel \x08bs \x0bvt \x0cff \x1bX \x1f \ufffe"
# fields whose values the reporters look up or compare: changing them changes the decision
STRUCTURAL = {"outcome", "enforcement", "severity", "domain", "id", "control", "collector",
              "evaluated_at", "expires", "kind", "exit_code", "question", "questions",
              "phase", "mode", "source", "strength"}


def _poison(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _poison(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_poison(v, key) for v in value]
    if isinstance(value, str) and key not in STRUCTURAL:
        return value + PAYLOAD
    return value


@pytest.fixture
def full_results() -> dict[str, Any]:
    """The reporters' full results document (every optional section, every outcome)."""
    return read_json(FULL)


def _failures(root: ET.Element) -> set[str]:
    return {case.get("name") for case in root.iter("testcase") if case.find("failure") is not None}


def test_control_characters_in_every_string_field_leave_junit_readable(full_results):
    poisoned = _poison(copy.deepcopy(full_results))
    text = junit.render(poisoned)
    root = ET.fromstring(text)  # parses: nothing XML forbids is left
    assert "\x1b" not in text and "\x00" not in text and "\x07" not in text
    assert "\\x00nul" in text and "\\x07bel" in text  # visible, not silently lost
    # the decisions are untouched: the same controls fail, all of them, and nothing more
    assert _failures(root) == _failures(ET.fromstring(junit.render(full_results)))
    assert _failures(root) == {r.split(" ")[0] for r in full_results["verdict"]["reasons"]}
    assert len(list(root.iter("testcase"))) == len(full_results["controls"])


def test_an_ansi_coloured_bandit_finding_still_gives_a_whole_junit_report(tmp_path):
    workspace = copy_example(EXAMPLES / "unsafe-release", tmp_path / "unsafe")
    bandit = workspace / "evidence" / "bandit.sarif"
    log = json.loads(bandit.read_text())
    for result in log["runs"][0]["results"]:
        result["message"]["text"] = "\x1b[1;31m" + result["message"]["text"] + "\x1b[0m\x00\x0b"
    bandit.write_text(json.dumps(log))
    env = {**os.environ, "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "gatekeeper", "check", "-f", "junit", "-o", "gate.xml"],
        cwd=workspace, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 1, done.stderr
    text = (workspace / "gate.xml").read_text(encoding="utf-8")
    root = ET.fromstring(text)  # whole and readable
    assert text.rstrip().endswith("</testsuites>")
    results = json.loads((workspace / "gatekeeper-results.json").read_text())
    blocked = {r.split(" ")[0] for r in results["verdict"]["reasons"]}
    assert "SDL-sast-clean" in blocked and _failures(root) == blocked
    sast = next(c for c in root.iter("testcase") if c.get("name") == "SDL-sast-clean")
    assert "\\x00" in sast.find("failure").text and "\x1b" not in text
    assert Path(workspace / "gate.xml").stat().st_size > 1000


LINKS = ("see https://evil.example/pay and http://x.test/a?b=1 www.evil.example WWW.Evil.Test "
         "ftp://f.test mailto:a@b.test xmpp:c@d.test e_f+g@h-i.test [j](https://k.test) "
         "<https://l.test> ![m](https://n.test/p.png) <a href='https://o.test'>q</a>")


def _poison_with(value: Any, payload: str, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _poison_with(v, payload, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_poison_with(v, payload, key) for v in value]
    if isinstance(value, str) and key not in STRUCTURAL:
        return value + " " + payload
    return value


def test_no_link_in_the_markdown_summary_comes_from_evidence_text(full_results):
    import cmarkgfm
    from cmarkgfm.cmark import Options

    from gatekeeper.reporters import markdown

    poisoned = _poison_with(copy.deepcopy(full_results), LINKS)
    text = markdown.render(poisoned)
    assert not text.startswith("> ✂️") and "evil.example" in text  # whole, payload present
    # rendered as GitHub renders it (cmark-gfm with the autolink extension, raw HTML allowed)
    html = cmarkgfm.github_flavored_markdown_to_html(text, options=Options.CMARK_OPT_UNSAFE)
    assert re.search(r"<(a|img)\b", html) is None  # no element: the payload's are &lt;a ...
    assert "https://evil.example/pay" in html  # shown as text, not dropped
    clean = cmarkgfm.github_flavored_markdown_to_html(markdown.render(full_results))
    # the verdict and blocking controls are the same with and without the payload
    for reason in full_results["verdict"]["reasons"]:
        assert reason.split(" ")[0] in html and reason.split(" ")[0] in clean
