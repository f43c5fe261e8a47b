"""Item 6 of issue 12: evaluation is bounded in time, on the embedded engine and on OPA.

A user control that would run for hours (a 10^10-step comprehension) is stopped at the
timeout: exit 3 naming the control, no results file, no control passed. The limits are set
small here so the suite stays fast; nothing asserts how long a run took."""

from __future__ import annotations

import os
from pathlib import Path

import orjson
import pytest
from conftest import NOW
from engine.opa_rest_server import OpaRestServer

from gatekeeper.config import default_thresholds
from gatekeeper.engine.interface import EngineInput
from gatekeeper.engine.policies import load_policies
from gatekeeper.engine.regorus_engine import RegorusEngine
from gatekeeper.errors import EngineError

HEADER = """# METADATA
# title: Slow
# description: A control that never finishes.
# custom:
#   severity: low
#   questions: [GRC-Q4]
#   waivable: true
#   remediation: none
#   frameworks: {}
package gatekeeper.controls.grc.slow

import rego.v1

"""
# 10^10 steps, and nothing kept: the child spends CPU, not memory, until it is stopped.
ENDLESS = HEADER + (
    "steps := [1 | some i in numbers.range(1, 100000); some j in numbers.range(1, 100000);"
    " i + j < 0]\n\napplicable := count(steps) == 0\n"
)
QUICK = HEADER.replace("slow", "quick").replace("Slow", "Quick") + "applicable := true\n"


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


def _project(tmp_path: Path, engine: dict, policies: dict[str, str]) -> Path:
    """A release whose repository holds its own policy folder and an engine section."""
    folder = tmp_path / "repo"
    (folder / "policies" / "grc").mkdir(parents=True)
    for name, text in policies.items():
        (folder / "policies" / "grc" / name).write_text(text)
    (folder / "gatekeeper.yaml").write_text(
        "version: 1\nsubject: {name: demo}\npolicies: [policies]\n"
        f"engine: {orjson.dumps(engine).decode()}\n"
    )
    return folder


def _stopped(run, folder: Path, *named: str) -> None:
    assert run.code == 3, run.err
    for text in named:
        assert text in run.err, (text, run.err)
    assert "internal error" not in run.err
    assert not (folder / "gatekeeper-results.json").exists()


def test_an_endless_control_stops_at_the_control_timeout(gatekeeper, tmp_path):
    folder = _project(tmp_path, {"control_timeout": 0.5}, {"slow.rego": ENDLESS})
    run = gatekeeper("check", "--now", NOW, cwd=folder)
    _stopped(run, folder, "GRC-slow", "control timeout of 0.5 s", "engine.control_timeout")


def test_an_endless_control_stops_at_the_evaluation_timeout(gatekeeper, tmp_path):
    folder = _project(tmp_path, {"evaluation_timeout": 0.5}, {"slow.rego": ENDLESS})
    run = gatekeeper("check", "--now", NOW, cwd=folder)
    _stopped(run, folder, "GRC-slow", "evaluation timeout of 0.5 s",
             "engine.evaluation_timeout")


def test_the_shorter_of_the_two_timeouts_is_the_one_named(gatekeeper, tmp_path):
    folder = _project(tmp_path, {"evaluation_timeout": 0.4, "control_timeout": 600},
                      {"slow.rego": ENDLESS})
    run = gatekeeper("check", "--now", NOW, cwd=folder)
    _stopped(run, folder, "evaluation timeout of 0.4 s")


def test_collect_then_evaluate_is_bounded_too(gatekeeper, tmp_path):
    folder = _project(tmp_path, {"control_timeout": 0.5}, {"slow.rego": ENDLESS})
    assert gatekeeper("collect", "--now", NOW, "-o", "e.json", cwd=folder).code == 0
    run = gatekeeper("evaluate", "e.json", "--now", NOW, cwd=folder)
    _stopped(run, folder, "GRC-slow")


def test_quick_controls_are_unaffected_by_the_timeouts(gatekeeper, tmp_path):
    folder = _project(tmp_path, {"control_timeout": 30}, {"quick.rego": QUICK})
    run = gatekeeper("check", "--now", NOW, cwd=folder)
    assert run.code in (0, 1), run.err  # an empty release: the shipped controls decide
    controls = orjson.loads((folder / "gatekeeper-results.json").read_bytes())["controls"]
    assert next(c for c in controls if c["id"] == "GRC-quick")["outcome"] == "pass"


@pytest.mark.parametrize("setting", ["evaluation_timeout", "control_timeout"])
@pytest.mark.parametrize("value", [0, -1, "soon"])
def test_a_timeout_that_is_not_a_positive_number_is_a_configuration_error(
    gatekeeper, tmp_path, setting, value
):
    folder = _project(tmp_path, {setting: value}, {"quick.rego": QUICK})
    run = gatekeeper("check", "--now", NOW, cwd=folder)
    assert run.code == 2 and f"engine.{setting}" in run.err, run.err


def test_an_engine_process_that_dies_is_an_error_naming_the_control(tmp_path, monkeypatch):
    from gatekeeper.engine import regorus_engine

    monkeypatch.setattr(regorus_engine, "query", lambda engine, path: os._exit(7))
    policies = load_policies(())
    with pytest.raises(EngineError, match=r"stopped while evaluating .* \(exit code 7\)"):
        RegorusEngine().evaluate(policies, EngineInput("{}"), default_thresholds())


def test_a_policy_error_in_the_child_reaches_the_caller_as_itself(tmp_path):
    from gatekeeper.engine.policies import PolicySet
    from gatekeeper.errors import PolicyError

    good = load_policies(())
    broken = tmp_path / "broken.rego"
    broken.write_text("package x\n\nthis is not rego\n")
    files = (*good.files, type(good.files[0])(broken, broken.read_text(), ""))
    with pytest.raises(PolicyError, match=r"broken\.rego"):
        RegorusEngine().evaluate(PolicySet(files, good.controls), EngineInput("{}"),
                                 default_thresholds())


def test_the_opa_server_evaluation_is_bounded_as_a_whole(gatekeeper, tmp_path):
    """The server cannot evaluate the whole tree (a conflict in one control), so gatekeeper asks
    control by control; each answer is slow, and the whole evaluation passes its deadline."""
    import time

    conflict = QUICK.replace("applicable := true\n", 'x := 1 if input\nx := 2 if input\n'
                             "applicable := x == 1\n")
    folder = _project(tmp_path, {"evaluation_timeout": 0.3, "retries": 0},
                      {"quick.rego": conflict})
    with OpaRestServer() as server:
        server.hold(load_policies((folder / "policies",)).modules, default_thresholds())
        server.fault = lambda method, path: time.sleep(0.4) if (
            method == "POST" and path != "/v1/data/gatekeeper/controls") else None
        run = gatekeeper("check", "--now", NOW, "--opa-url", server.url, cwd=folder)
    _stopped(run, folder, server.url, "evaluation timeout of 0.3 s", "control ")


def test_a_looping_control_the_run_leaves_out_costs_time_never_the_verdict(tmp_path):
    """The one query reads every control package, a disabled one too: when that one loops, the
    query is stopped at its share of the time and the fallback child asks this run's controls
    alone, which decide as they would without it."""
    from gatekeeper.engine.policies import PolicySet

    (tmp_path / "grc").mkdir()
    (tmp_path / "grc" / "slow.rego").write_text(ENDLESS)
    (tmp_path / "grc" / "quick.rego").write_text(QUICK)
    policies = load_policies((tmp_path,))
    run = PolicySet(policies.files, tuple(c for c in policies.controls if c.id != "GRC-slow"))
    engine = RegorusEngine(evaluation_timeout=16, control_timeout=10)
    decisions = engine.evaluate(run, EngineInput("{}"), default_thresholds())
    assert set(decisions) == {c.id for c in run.controls}
    assert decisions["GRC-quick"].applicable and decisions["GRC-quick"].error is None
    assert all(d.error is None for d in decisions.values())
