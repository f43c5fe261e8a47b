"""Trend questions from the results history: the evidence section ``history`` (which prior runs
count and what they measured), the trend controls on generated series (improving,
regressing, flat), the ``trends`` section and its reports, and a team gaming its score (one
good run, another system's runs, rows written into the store by hand). The end-to-end tests
run `gatekeeper check --history` against a real store on each backend."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from conftest import EXAMPLES, NOW, copy_example
from sqlalchemy import insert

from gatekeeper.history.store import open_store
from gatekeeper.history.tables import series
from gatekeeper.prior_runs import history_section, measured
from gatekeeper.schemas import validation_errors
from history.runs import example_results, variant

TIMES = ("2026-11-25T12:00:00Z", "2026-11-26T12:00:00Z", "2026-11-27T12:00:00Z")
SERIES = {
    "improving": [0.3, 0.2, 0.1],
    "regressing": [0.01, 0.03, 0.2],
    "flat": [0.2, 0.2, 0.2],
}


def generated(jailbreak: list[float], system: str | None = None) -> list[dict]:
    """Runs of the passing example, one per time, with these jailbreak success rates."""
    base = example_results()
    return [variant(base, at=at, rates={"jailbreak": rate}, system=system)
            for at, rate in zip(TIMES, jailbreak, strict=True)]


def evidence(**extra) -> dict:
    return {"subject": {"name": "sentiment-scorer"}, "collected_at": NOW, **extra}


# --- the evidence section, without a database ---------------------------------------------


def test_only_earlier_runs_of_the_same_system_count_and_only_the_window():
    runs = generated([0.3, 0.2, 0.1])
    other = variant(runs[2], system="someone-else")
    later = variant(runs[2], at="2026-11-28T12:00:01Z")
    at_the_same_time = variant(runs[2], at=NOW)
    prior = [(str(i), r) for i, r in enumerate([*runs, other, later, at_the_same_time], 1)]
    section = history_section(prior, evidence(), window=2)
    assert [run["run"] for run in section["runs"]] == ["2", "3"]  # oldest first, the last two
    assert section["window"] == 2 and section["system"] == "sentiment-scorer"


def test_a_prior_run_gives_its_measures_read_from_its_results():
    run = measured("7", generated([0.3, 0.2, 0.1])[0])
    assert run["time"] == TIMES[0]
    rates = {row["class"]: (row["rate"], row["bound"]) for row in run["attack_success"]}
    assert rates["jailbreak"] == (0.3, False)  # RTE-red-team-gate's evidence is declared
    assert {"detector": "injection-detector", "metric": "detector_recall", "value": 0.88,
            "bound": True} in run["detectors"]  # its metrics file names the release's model
    domains = {row["domain"]: row["pass_rate"] for row in run["domains"]}
    assert domains["APP"] == 1.0 and domains["SDL"] == round(13 / 15, 4)
    assert run["incidents"] == {"mttd_minutes": 26.5, "mttr_minutes": 240, "bound": False}


def test_named_classes_come_from_incidents_and_the_threat_models_techniques():
    incident = {"id": "INC-7", "attack_classes": ["jailbreak"], "detected_at": TIMES[1]}
    model = {"atlas_techniques": [
        {"id": "AML.T0029", "known": True}, {"id": "AML.T0999", "known": False},
        {"id": "AML.T0040", "known": True},  # a technique no attack class stands for
    ]}
    section = history_section([], evidence(incidents=[incident],
                                           documents={"threat_model": model}), window=3)
    assert section["named_classes"] == [
        {"class": "jailbreak", "named_by": "incident INC-7", "since": TIMES[1]},
        {"class": "unbounded_consumption", "named_by": "threat model AML.T0029", "since": None},
    ]


# --- the pipeline with an injected series -------------------------------------------------


def _check(folder: Path, prior: list[dict] | None) -> dict:
    from gatekeeper.cli import parse_time
    from gatekeeper.config import load_config
    from gatekeeper.pipeline import RunOptions, check

    runs = None if prior is None else [(str(i), r) for i, r in enumerate(prior, 1)]
    return check(load_config(folder / "gatekeeper.yaml"),
                 RunOptions(now=parse_time(NOW), prior_runs=runs))


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    return copy_example(EXAMPLES / "model-release", tmp_path_factory.mktemp("ex") / "example")


def _control(results: dict, control_id: str) -> dict:
    return next(c for c in results["controls"] if c["id"] == control_id)


def _question(results: dict, question_id: str) -> dict:
    return next(q for q in results["maturity"]["questions"] if q["id"] == question_id)


@pytest.mark.parametrize(("shape", "outcome", "direction"), [
    ("improving", "pass", "improving"), ("regressing", "fail", "regressing"),
    ("flat", "fail", "flat"),
])
def test_the_evasion_trend_scores_from_an_injected_series(example, shape, outcome, direction):
    results = _check(example, generated(SERIES[shape]))
    assert validation_errors(results, "results") == []
    assert _control(results, "SAF-evasion-trend")["outcome"] == outcome
    (jailbreak,) = [s for s in results["trends"]["series"]
                    if s["metric"] == "attack success (jailbreak)"]
    assert jailbreak["question"] == "SAF-Q5" and jailbreak["direction"] == direction
    assert [p["value"] for p in jailbreak["points"]] == SERIES[shape]
    assert [p["time"] for p in jailbreak["points"]] == list(TIMES)
    question = _question(results, "SAF-Q5")
    assert question["source"] == "controls"  # the history answers, not the attestation
    assert question["base_score"] == (4 if outcome == "pass" else 1)
    # the red-team files are bound to no artifact: the trend is declared, capped at 2
    assert question["strength"] == "declared"
    # the other trends of the example's (constant) runs held
    for control_id in ("MON-detector-trend", "GRC-effectiveness-trend", "IRR-mttd-mttr-trend"):
        assert _control(results, control_id)["outcome"] == "pass", control_id
    assert results["trends"]["window"] == 3
    # the detectors' measures are bound to the release's model: MON's trend is measured
    assert _control(results, "MON-detector-trend")["strength"] == "measured"


def test_without_a_history_the_trend_questions_stay_as_they_are(example):
    results = _check(example, None)
    assert "trends" not in results
    assert results["verdict"]["exit_code"] == 0
    for control_id in ("SAF-evasion-trend", "MON-detector-trend", "GRC-effectiveness-trend",
                       "IRR-mttd-mttr-trend", "RTE-suite-adapted"):
        control = _control(results, control_id)
        assert control["outcome"] == "warn"
        assert [w["finding"] for w in control["warnings"]] == ["trend:unmeasured"]
    assert _question(results, "SAF-Q5")["source"] == "attestation"


def test_the_reports_show_the_trends(example):
    from gatekeeper.reporters import markdown, text
    from gatekeeper.reporters.interface import ReportOptions

    results = _check(example, generated(SERIES["regressing"]))
    shown = text.render(results, ReportOptions(width=120))
    assert "TRENDS over the last 3 runs of the results history" in shown
    assert "SAF-Q5 attack success (jailbreak): 0.01 → 0.03 → 0.2 (regressing)" in shown
    report = markdown.render(results)
    assert "### Trends over the last 3 runs" in report
    assert ("| SAF-Q5 | `SAF-evasion-trend` | attack success (jailbreak) | 0.01 → 0.03 → 0.2 "
            "| regressing |") in report


# --- end to end: a real store on each backend ----------------------------------------------


def _gate(gatekeeper, folder: Path, url: str, tmp_path: Path):
    out = tmp_path / "results.json"
    run = gatekeeper("check", "--now", NOW, "--history", url, "-o", f"json={out}", cwd=folder)
    return run, json.loads(out.read_text())


@pytest.fixture
def fresh_example(tmp_path) -> Path:
    return copy_example(EXAMPLES / "model-release", tmp_path / "example")


@pytest.mark.parametrize(("shape", "exit_code"), [("improving", 0), ("regressing", 1)])
def test_check_scores_the_trends_from_the_history(
    gatekeeper, history_url, fresh_example, tmp_path, shape, exit_code
):
    store = open_store(history_url)
    store.push_many(generated(SERIES[shape]))
    store.close()
    run, results = _gate(gatekeeper, fresh_example, history_url, tmp_path)
    assert run.code == exit_code, run.err
    saf = _control(results, "SAF-evasion-trend")
    assert saf["outcome"] == ("pass" if exit_code == 0 else "fail")
    assert [p["run"] for p in saf["details"]["trend"][0]["points"]] == ["1", "2", "3"]
    assert _question(results, "SAF-Q5")["source"] == "controls"
    assert "run 4 stored in the history" in run.err


def test_one_good_run_and_another_systems_runs_do_not_make_a_trend(
    gatekeeper, history_url, fresh_example, tmp_path
):
    store = open_store(history_url)
    store.push(generated(SERIES["improving"])[2])  # one good run of this system
    store.push_many(generated(SERIES["improving"], system="another-system"))
    store.close()
    run, results = _gate(gatekeeper, fresh_example, history_url, tmp_path)
    assert run.code == 0, run.err
    saf = _control(results, "SAF-evasion-trend")
    assert saf["outcome"] == "warn"
    assert saf["warnings"][0]["message"] == (
        "the results history holds 1 of the 3 prior runs of this system the trend of jailbreak "
        "and evasion success needs")
    question = _question(results, "SAF-Q5")
    assert question["source"] == "attestation"  # as without a history
    assert results["trends"]["series"] == []


def test_rows_written_into_the_store_by_hand_do_not_change_the_trend(
    gatekeeper, history_url, fresh_example, tmp_path
):
    store = open_store(history_url)
    pushed = store.push_many(generated(SERIES["regressing"]))
    with store.engine.begin() as connection:  # "measured" series rows, typed in
        connection.execute(insert(series), [
            {"run_id": p.run_id, "metric": "attack_success", "label": "jailbreak", "value": 0.0}
            for p in pushed])
    store.close()
    run, results = _gate(gatekeeper, fresh_example, history_url, tmp_path)
    assert run.code == 1
    assert _control(results, "SAF-evasion-trend")["outcome"] == "fail"


def test_an_edited_run_with_unbound_detector_metrics_gives_a_declared_trend(example):
    runs = generated(SERIES["improving"])
    edited = copy.deepcopy(runs)
    for results in edited:
        rows = _control(results, "MON-detector-precision-recall")["details"]["detectors"]
        for row in rows:
            row["bound"] = False
    trend = _control(_check(example, edited), "MON-detector-trend")
    assert (trend["outcome"], trend["strength"]) == ("pass", "declared")


def test_the_store_keeps_detector_and_incident_series(history_url):
    store = open_store(history_url)
    store.push_many(generated(SERIES["improving"]))
    recall = store.trend("sentiment-scorer", "detector_recall", label="injection-detector")
    assert [row["value"] for row in recall] == [0.88, 0.88, 0.88]
    assert [row["value"] for row in store.trend("sentiment-scorer", "mttd_minutes")] == [26.5] * 3
    store.close()
