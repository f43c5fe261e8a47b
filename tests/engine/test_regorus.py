"""The embedded engine: decisions, per-control errors, compile errors, the built-ins we add."""

import os
import subprocess
import sys

import orjson
import pytest

from gatekeeper.engine.interface import EngineInput
from gatekeeper.engine.policies import load_policies
from gatekeeper.engine.regorus_engine import (
    RegorusEngine,
    new_engine,
    prepared_engine,
    query,
    thresholds_data,
)
from gatekeeper.errors import PolicyError


def as_input(document) -> EngineInput:
    return EngineInput(orjson.dumps(document).decode())

HEADER = """# METADATA
# title: Demo
# description: Demo.
# custom:
#   severity: low
#   questions: [GRC-Q4]
#   waivable: true
#   remediation: none
#   frameworks: {}
package gatekeeper.controls.grc.demo

import rego.v1

"""


def decide(tmp_path, body, evidence=None):
    (tmp_path / "grc").mkdir()
    (tmp_path / "grc" / "demo.rego").write_text(HEADER + body)
    policies = load_policies((tmp_path,))
    decisions = RegorusEngine().evaluate(policies, as_input(evidence or {"x": 1}), {})
    return decisions["GRC-demo"]


def test_a_decision_carries_the_rules(tmp_path):
    decision = decide(tmp_path, 'applicable := true\ndeny contains {"msg": "m", "finding": "f"}\n'
                      'warn contains "w"\ndetails := {"rows": 2}\n')
    assert decision.applicable and decision.error is None
    assert decision.deny == ({"msg": "m", "finding": "f"},)
    assert decision.warn == ("w",) and decision.details == {"rows": 2}


def test_undefined_rules_mean_not_applicable_and_nothing_denied(tmp_path):
    decision = decide(tmp_path, "x := 1\n")
    assert not decision.applicable and decision.deny == () and decision.warn == ()


def test_a_runtime_error_is_an_error_for_that_control_only(tmp_path):
    decision = decide(tmp_path, "applicable := true\ndeny contains msg if { msg := 1 / 0 }\n")
    assert decision.error.startswith("policy evaluation failed:")
    assert "demo.rego:" in decision.error and "divide by zero" in decision.error
    assert "Stack backtrace" not in decision.error
    others = RegorusEngine().evaluate(load_policies(), as_input({}), {})
    assert all(d.error is None for d in others.values())


def test_a_deny_of_the_wrong_shape_is_an_error(tmp_path):
    decision = decide(tmp_path, "applicable := true\ndeny := true\n")
    assert decision.error == "'deny' must be a set, got bool"


def test_a_syntax_error_names_file_and_line(tmp_path):
    with pytest.raises(PolicyError) as error:
        decide(tmp_path, "deny contains msg if {\n")
    assert "demo.rego: does not compile: line" in str(error.value)


def test_crypto_sha256_is_available():
    engine = new_engine(())
    assert query(engine, 'crypto.sha256("abc")') == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")


class FakePanic(BaseException):
    """pyo3 turns a Rust panic into PanicException, which derives from BaseException."""


def test_an_engine_panic_is_an_error_not_a_crash(tmp_path, monkeypatch):
    from gatekeeper.engine import regorus_engine

    def panic(engine, path):
        raise FakePanic("thread '<unnamed>' panicked at src/interpreter.rs")

    monkeypatch.setattr(regorus_engine, "query", panic)
    decision = decide(tmp_path, "applicable := true\n")
    assert decision.error.startswith("policy evaluation failed: thread '<unnamed>' panicked")


def test_keyboard_interrupt_is_not_swallowed(tmp_path, monkeypatch):
    from gatekeeper.engine import regorus_engine

    def interrupt(engine, path):
        raise KeyboardInterrupt

    monkeypatch.setattr(regorus_engine, "query", interrupt)
    with pytest.raises(KeyboardInterrupt):
        decide(tmp_path, "applicable := true\n")


@pytest.fixture(scope="module")
def example_input():
    """The model-release example's evidence as the engine sees it, and its thresholds."""
    from datetime import datetime, timezone

    from conftest import EXAMPLES

    from gatekeeper.config import load_config
    from gatekeeper.pipeline import RunOptions, collect, enforcements, engine_input, gate_section

    config = load_config(EXAMPLES / "model-release" / "gatekeeper.yaml")
    evidence = collect(config, RunOptions(now=datetime(2026, 11, 28, tzinfo=timezone.utc)))
    _, data = engine_input(evidence, gate_section(enforcements(load_policies(), config)))
    return data, config.thresholds


def loaded_example(example_input):
    """A copy of the prepared engine of the shipped controls, with the example's input loaded
    as the child loads it; and the controls' packages."""
    data, thresholds = example_input
    policies = load_policies()
    packages = tuple(control.package for control in policies.controls)
    engine = prepared_engine(policies.modules, packages, thresholds_data(thresholds)).clone()
    engine.set_input_json(data.text())
    return engine, packages


def test_one_query_over_every_control_decides_as_control_by_control_does(example_input):
    engine, packages = loaded_example(example_input)
    together = RegorusEngine._decide_all(engine, packages)
    assert together == [RegorusEngine._decide(engine, package) for package in packages]
    assert sum(d.applicable for d in together) > 40 and any(d.deny for d in together)
    assert any(d.details for d in together) and any(d.suppressed for d in together)


def test_a_runtime_error_leaves_every_other_control_of_the_run_decided(tmp_path, example_input):
    data, thresholds = example_input
    (tmp_path / "grc").mkdir()
    (tmp_path / "grc" / "demo.rego").write_text(
        HEADER + "applicable := true\ndeny contains msg if { msg := 1 / 0 }\n")
    with_error = RegorusEngine().evaluate(load_policies((tmp_path,)), data, thresholds)
    assert with_error.pop("GRC-demo").error.startswith("policy evaluation failed:")
    assert with_error == RegorusEngine().evaluate(load_policies(), data, thresholds)


def test_a_helper_rule_that_fails_does_not_fail_the_control_that_never_reads_it(tmp_path):
    # The one query reads whole packages; an unread rule's error sends it control by control,
    # where (as under OPA) only the decision rules are evaluated.
    decision = decide(tmp_path, 'applicable := true\nunused := 1 / 0\n'
                      'deny contains "d" if input.x == 1\n')
    assert decision.error is None and decision.deny == ("d",)


def test_a_failing_control_the_run_does_not_evaluate_leaves_the_one_query_standing(tmp_path):
    """The tree holds every control; when one this run leaves out fails, the decisions module
    (only this run's controls) still answers in the same query, so no control-by-control."""
    (tmp_path / "grc").mkdir()
    (tmp_path / "grc" / "demo.rego").write_text(HEADER + "applicable := true\nx := 1 / 0\n")
    policies = load_policies((tmp_path,))
    shipped = tuple(c.package for c in policies.controls if c.id != "GRC-demo")
    engine = prepared_engine(policies.modules, shipped)
    assert RegorusEngine._decide_all(engine, shipped) == RegorusEngine._decide_all(
        prepared_engine(load_policies().modules, shipped), shipped)
    demo = ("gatekeeper.controls.grc.demo",)
    assert RegorusEngine._decide_all(prepared_engine(policies.modules, demo), demo) is None


def test_a_control_whose_rules_are_all_undefined_is_decided_as_on_its_own(tmp_path):
    """Such a package is absent from the tree: read as an empty object, as asked alone."""
    (tmp_path / "grc").mkdir()
    (tmp_path / "grc" / "demo.rego").write_text(HEADER + 'deny contains "d" if input.none\n')
    policies = load_policies((tmp_path,))
    packages = ("gatekeeper.controls.sdl.sbom_present", "gatekeeper.controls.grc.demo")
    engine = prepared_engine(policies.modules, packages)
    assert RegorusEngine._decide_all(engine, packages) == [
        RegorusEngine._decide(engine, package) for package in packages]


def test_the_prepared_engine_is_kept_per_thread_and_per_policies(tmp_path):
    import threading

    policies = load_policies()
    packages = tuple(c.package for c in policies.controls)
    kept = prepared_engine(policies.modules, packages)
    assert prepared_engine(policies.modules, packages) is kept
    assert prepared_engine(policies.modules, packages[1:]) is not kept
    (tmp_path / "grc").mkdir()
    (tmp_path / "grc" / "demo.rego").write_text(HEADER + "applicable := true\n")
    other = load_policies((tmp_path,))
    assert prepared_engine(other.modules, packages) is not prepared_engine(policies.modules,
                                                                           packages)
    same = []  # compared on that thread: its engine may not leave it, even to be dropped
    thread = threading.Thread(target=lambda: same.append(
        prepared_engine(policies.modules, packages) is kept))
    thread.start()
    thread.join()
    assert same == [False]


def test_each_evaluation_decides_on_its_own_thresholds(tmp_path):
    """The thresholds are part of the prepared engine, which a process keeps: evaluating
    again with other thresholds must not decide on the kept ones."""
    (tmp_path / "grc").mkdir()
    (tmp_path / "grc" / "demo.rego").write_text(
        HEADER + "limit := data.gatekeeper.config.limit\n\napplicable := true\n\n"
        'deny contains "over" if input.x > limit\n')
    policies, engine, evidence = load_policies((tmp_path,)), RegorusEngine(), as_input({"x": 5})
    assert engine.evaluate(policies, evidence, {"limit": 9})["GRC-demo"].deny == ()
    assert engine.evaluate(policies, evidence, {"limit": 1})["GRC-demo"].deny == ("over",)
    assert engine.evaluate(policies, evidence, {"limit": 9})["GRC-demo"].deny == ()
    packages = tuple(c.package for c in policies.controls)
    kept = prepared_engine(policies.modules, packages, thresholds_data({"limit": 9}))
    assert prepared_engine(policies.modules, packages, thresholds_data({"limit": 9})) is kept
    assert prepared_engine(policies.modules, packages, thresholds_data({"limit": 1})) is not kept


def test_evaluations_on_another_thread_use_that_threads_engine(tmp_path):
    # a thread's ident is reused once it ends; an engine kept by ident would be handed to a
    # thread regorus refuses it on
    import threading

    decided = []
    for _ in range(3):
        thread = threading.Thread(target=lambda: decided.append(decide_again(tmp_path)))
        thread.start()
        thread.join()
    assert decided == [True, True, True]


def decide_again(tmp_path) -> bool:
    policies = load_policies()
    decisions = RegorusEngine().evaluate(policies, as_input({}), {})
    return all(d.error is None for d in decisions.values())


REAPED = """
import ctypes, os
from gatekeeper.engine.interface import EngineInput
from gatekeeper.engine.policies import load_policies
from gatekeeper.engine.regorus_engine import RegorusEngine
PR_SET_CHILD_SUBREAPER = 36  # orphans of this process's descendants are handed to it
assert ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
decisions = RegorusEngine().evaluate(load_policies(), EngineInput("{}"), {})
assert all(d.error is None for d in decisions.values())
try:
    orphan = os.waitpid(-1, os.WNOHANG)
except ChildProcessError:
    orphan = None
print(orphan)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_CHILD_SUBREAPER")
def test_an_evaluation_leaves_no_orphan_behind():
    # every process the engine starts is its own child, stopped and reaped: an orphan would
    # go to init (or, as PID 1 of a container, to a server that never reaps it) and its CPU
    # time would go unaccounted
    ran = subprocess.run([sys.executable, "-c", REAPED], capture_output=True, text=True,
                         timeout=120)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() == "None"


def test_a_crash_in_the_one_query_is_followed_by_a_fresh_child_asking_each_control(
        tmp_path, monkeypatch):
    # the child that crashed holds nothing the next needs: it forks from the prepared engine
    monkeypatch.setattr(RegorusEngine, "_decide_all", staticmethod(lambda engine: os._exit(9)))
    decision = decide(tmp_path, 'applicable := true\ndeny contains "d"\n')
    assert decision.applicable and decision.deny == ("d",) and decision.error is None


def test_free_memory_is_handed_back_where_the_c_library_can_and_skipped_where_not(monkeypatch):
    import ctypes

    from gatekeeper.engine import regorus_engine

    calls = []

    class Glibc:
        def malloc_trim(self, pad):
            calls.append(pad)

    monkeypatch.setattr(ctypes, "CDLL", lambda name: Glibc())
    regorus_engine.release_free_memory()
    assert calls == [0]
    monkeypatch.setattr(ctypes, "CDLL", lambda name: object())  # musl, macOS: no malloc_trim
    regorus_engine.release_free_memory()
    assert calls == [0]


def test_the_tree_answers_alone_when_no_control_fails(monkeypatch, example_input):
    from gatekeeper.engine import regorus_engine

    engine, packages = loaded_example(example_input)
    asked = []
    monkeypatch.setattr(regorus_engine, "query",
                        lambda engine, path: asked.append(path) or query(engine, path))
    assert RegorusEngine._decide_all(engine, packages) is not None
    assert asked == ["data.gatekeeper.controls"]


def test_each_package_is_found_in_the_tree_by_domain_and_slug():
    from gatekeeper.engine.regorus_engine import _packages_in

    tree = {"grc": {"a": {"deny": ["x"]}, "b": {"applicable": True}}, "sdl": {"a": {"warn": []}}}
    packages = ("gatekeeper.controls.sdl.a", "gatekeeper.controls.grc.b",
                "gatekeeper.controls.grc.c", "gatekeeper.controls.inf.a")
    assert _packages_in(tree, packages) == [{"warn": []}, {"applicable": True}, {}, {}]


class Recording:
    """A regorus engine that records how its input was set."""

    def __init__(self):
        self.engine, self.calls = new_engine(()), []

    def set_input_from_json_file(self, path):
        self.calls.append("file")
        self.engine.set_input_from_json_file(path)

    def set_input_json(self, text):
        self.calls.append("text")
        self.engine.set_input_json(text)


@pytest.mark.parametrize(("dev_fd", "way"), [(True, "file"), (False, "text")])
def test_the_child_reads_its_input_from_the_pipe_with_or_without_dev_fd(monkeypatch, dev_fd, way):
    """Where /dev/fd is missing the child reads the pipe itself; either way it decides on
    exactly the text the parent wrote (packed first: what a fallback child is given)."""
    from gatekeeper.engine import regorus_engine

    if not dev_fd:
        monkeypatch.setattr(regorus_engine.os.path, "exists", lambda path: False)
    evidence = EngineInput(orjson.dumps({"x": "é" * 300_000, "y": 1}).decode())
    evidence.pack()
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: load, check, and say so by its exit code, whatever happens
        right = False
        try:
            engine = Recording()
            regorus_engine.load_input(engine, evidence, reader, writer)
            loaded = query(engine.engine, "input.y") == 1 and len(query(engine.engine, "input.x"))
            right = loaded == 300_000 and engine.calls == [way]
        finally:
            os._exit(0 if right else 1)
    os.close(reader)
    evidence.write_to(writer)
    os.close(writer)
    assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0


def test_evaluations_on_several_threads_at_once_each_get_their_own_input(example_input):
    """Each child reads its input to the end: none may hold another's pipe open."""
    from concurrent.futures import ThreadPoolExecutor

    data, thresholds = example_input
    alone = RegorusEngine().evaluate(load_policies(), data, thresholds)
    with ThreadPoolExecutor(4) as pool:
        runs = list(pool.map(lambda _: RegorusEngine(evaluation_timeout=60).evaluate(
            load_policies(), data, thresholds), range(4)))
    assert runs == [alone] * 4


LOADED = """
import os, sys
from gatekeeper.engine.regorus_engine import regorus_module
regorus_module().Engine()
print(os.environ.get("MIMALLOC_ALLOW_THP"))
"""


@pytest.mark.parametrize(("setting", "option"), [(None, "0"), ("1", "1")])
def test_the_engines_allocator_asks_for_no_huge_pages_unless_told_to(setting, option):
    """regorus's allocator (mimalloc) says which options it read when MIMALLOC_VERBOSE is set;
    the variable is set only while the binding loads, and a value the user chose is kept."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("MIMALLOC_")}
    env["MIMALLOC_VERBOSE"] = "1"
    if setting is not None:
        env["MIMALLOC_ALLOW_THP"] = setting
    ran = subprocess.run([sys.executable, "-c", LOADED], capture_output=True, text=True,
                         env=env, timeout=60)
    assert ran.returncode == 0, ran.stderr
    assert f"option 'allow_thp': {option}" in ran.stderr
    assert ran.stdout.strip() == str(setting)
