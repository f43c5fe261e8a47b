"""The organization view over a real SQLite results history."""

from __future__ import annotations

import copy
import json
import re
from dataclasses import replace
from pathlib import Path

from starlette.testclient import TestClient

from gatekeeper.attestations import load_attestations
from gatekeeper.catalog.loader import load_catalog
from gatekeeper.history.store import open_store
from gatekeeper.serve.app import create_app
from gatekeeper.serve.org import sparkline
from gatekeeper.serve.scores import live_maturity
from serve.conftest import BASE_URL, FIXED_NOW, settings_for


def _run(results: dict, answers: dict, system: str, at: str) -> dict:
    """A run of ``system`` at ``at``: the example's control answers, ``answers`` attested."""
    document = copy.deepcopy(results)
    document["subject"]["name"] = system
    document["evaluated_at"] = at
    maturity = live_maturity(results, answers, FIXED_NOW, load_catalog())
    document["maturity"] = {**maturity, "attestations": results["maturity"]["attestations"]}
    return document


def _pushed(project: Path) -> list[dict]:
    """Two systems, two runs each: INF goes 3 -> 2 for one (regressing), 2 -> 3 for the other."""
    results = json.loads((project / "gatekeeper-results.json").read_text())
    answers = load_attestations(project / "attestations.yaml").answers
    raised = {**answers, "INF-Q5": replace(answers["INF-Q5"], score=3)}
    return [
        _run(results, raised, "sentiment-scorer", "2026-11-01T10:00:00+00:00"),
        _run(results, answers, "sentiment-scorer", "2026-11-20T10:00:00+00:00"),
        _run(results, answers, "fraud-scorer", "2026-11-02T10:00:00+00:00"),
        _run(results, raised, "fraud-scorer", "2026-11-21T10:00:00+00:00"),
    ]


def _history(project: Path) -> str:
    url = str(project / "history.db")
    store = open_store(url)
    for run in _pushed(project):
        store.push(run)
    store.close()
    return url


def _row(page: str, system: str) -> str:
    found = re.search(rf'<tr id="system-\d+"[^>]*>\s*<th scope="row">{system}.*?</tr>', page,
                      re.S)
    assert found, system
    return found.group(0)


def _cells(row: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>",
                                                                         row, re.S)]


def test_systems_heat_map_trend_and_regressions(project):
    url = _history(project)
    client = TestClient(create_app(settings_for(project, history_url=url)), base_url=BASE_URL)
    page = client.get("/organization").text
    ids = [d.id for d in load_catalog().domains]
    regressing = _row(page, "sentiment-scorer")
    improving = _row(page, "fraud-scorer")
    assert 'class="regressing"' in regressing and 'class="regressing"' not in improving
    assert re.search(r'id="regressing">Regressing: sentiment-scorer<', page)
    down = _cells(regressing)
    assert down[1 + ids.index("INF")] == "2 ↓3"
    assert _cells(improving)[1 + ids.index("INF")] == "3"
    assert down[1 + ids.index("GRC")] == "1"
    means = [run["maturity"]["overall"]["mean"] for run in _pushed(project)]
    assert means[0] > means[1]
    assert f"Mean score over 2 run(s): {means[0]:.2f}, {means[1]:.2f}" in regressing
    assert 'class="org"' in page  # the organization's roll-up row


def test_without_a_history_the_page_says_how_to_configure_one(client, monkeypatch):
    monkeypatch.delenv("GATEKEEPER_HISTORY_URL", raising=False)
    page = client.get("/organization")
    assert page.status_code == 200
    assert "No results history is configured" in page.text


def test_sparkline_runs_left_to_right_and_scores_bottom_to_top():
    points = [tuple(map(float, p.split(","))) for p in sparkline([0, 4, 2]).split()]
    assert [x for x, _ in points] == [0.0, 60.0, 120.0]
    assert points == [(0.0, 26.0), (60.0, 2.0), (120.0, 14.0)]
