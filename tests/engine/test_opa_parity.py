"""Real OPA (Go, in-process) against the embedded regorus engine, on every shipped policy.

Both engines must give every Rego test the same outcome, and give both examples the same
decision per control (applicable, deny, warn, details). A policy that needs a built-in only one
engine has fails here. Skipped only when opa-golib-python-bindings is not installed:
    pip install --ignore-requires-python opa-golib-python-bindings
"""

from datetime import datetime, timezone

import orjson
import pytest
from conftest import EXAMPLES

from gatekeeper.config import default_thresholds, load_config
from gatekeeper.engine.interface import Decision, EngineInput
from gatekeeper.engine.policies import load_policies
from gatekeeper.engine.regorus_engine import RegorusEngine
from gatekeeper.engine.testing import run_tests
from gatekeeper.evidence import collect
from gatekeeper.jsonio import dumps

pytest.importorskip(
    "opa_bindings",
    reason="opa-golib-python-bindings is not installed "
    "(pip install --ignore-requires-python opa-golib-python-bindings)",
)

import opa_golib  # tests/engine/opa_golib.py, which needs opa_bindings

NOW = datetime(2026, 11, 28, 12, tzinfo=timezone.utc)


def comparable(decision: Decision) -> dict:
    """Sets come back as arrays: compare them as sorted lists of canonical JSON."""
    def canonical(items):
        return sorted(orjson.dumps(item, option=orjson.OPT_SORT_KEYS) for item in items)

    return {
        "applicable": decision.applicable,
        "deny": canonical(decision.deny),
        "warn": canonical(decision.warn),
        "details": decision.details,
        "error": decision.error,
    }


def test_every_rego_test_has_the_same_outcome_under_opa():
    policies, config = load_policies(), default_thresholds()
    embedded = [(r.package, r.name, r.outcome) for r in run_tests(policies, config)]
    opa = [(r.package, r.name, r.outcome) for r in opa_golib.run_tests(policies, config)]
    assert opa == embedded
    failing = [(package, name) for package, name, outcome in opa if outcome != "pass"]
    assert not failing, f"Rego tests failing under OPA: {failing}"
    assert len(opa) >= 100


@pytest.mark.parametrize("example", ["model-release", "unsafe-release"])
def test_both_engines_decide_each_example_alike(example):
    config = load_config(EXAMPLES / example / "gatekeeper.yaml")
    policies = load_policies(config.policy_dirs)
    evidence_json = dumps(collect(config, NOW), pretty=False).decode()
    embedded = RegorusEngine().evaluate(policies, EngineInput(evidence_json), config.thresholds)
    opa = opa_golib.evaluate(policies, evidence_json, config.thresholds)
    assert set(opa) == set(embedded) == {control.id for control in policies.controls}
    differences = {
        control: (comparable(embedded[control]), comparable(opa[control]))
        for control in embedded
        if comparable(embedded[control]) != comparable(opa[control])
    }
    assert not differences
    assert all(decision.error is None for decision in opa.values())
    assert any(decision.deny for decision in opa.values())  # the comparison saw real denials


def test_a_builtin_only_one_engine_has_shows_up_as_a_difference(tmp_path):
    """The comparison is not vacuous: regorus lacks rego.metadata.chain(), OPA has it."""
    (tmp_path / "grc").mkdir()
    (tmp_path / "grc" / "probe.rego").write_text(
        "# METADATA\n# title: Probe\n# description: Probe.\n# custom:\n#   severity: low\n"
        "#   questions: [GRC-Q4]\n#   waivable: true\n#   remediation: none\n#   frameworks: {}\n"
        "package gatekeeper.controls.grc.probe\n\nimport rego.v1\n\n"
        "applicable := count(rego.metadata.chain()) > 0\n"
    )
    policies = load_policies((tmp_path,))
    evidence = orjson.dumps({"x": 1}).decode()
    embedded = RegorusEngine().evaluate(policies, EngineInput(evidence),
                                        default_thresholds())["GRC-probe"]
    opa = opa_golib.evaluate(policies, evidence, default_thresholds())["GRC-probe"]
    assert opa.applicable is True and opa.error is None
    assert comparable(embedded) != comparable(opa)
