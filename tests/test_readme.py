"""The README's promises: its example control works as written."""

import re

import orjson
from conftest import ROOT

from gatekeeper.engine.interface import EngineInput
from gatekeeper.engine.policies import load_policies
from gatekeeper.engine.regorus_engine import RegorusEngine

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_example_control_loads_and_decides(tmp_path):
    (source,) = re.findall(r"```rego\n(.*?)```", README, re.S)
    policy = tmp_path / "sdl" / "acme_clean.rego"
    policy.parent.mkdir()
    policy.write_text(source)
    policies = load_policies((tmp_path,))
    assert policies.control("SDL-acme-clean").questions == ("SDL-Q2",)
    finding = {"tool": "acme", "key": "A1@x.py:3", "message": "bad", "severity": "critical",
               "file": "x.py", "line": 3}
    evidence = {"scans": {"runs": [{"tool": "acme"}], "findings": [finding]}}
    config = {"custom": {"acme": {"block_on": ["critical"]}}}
    engine = RegorusEngine()
    given = EngineInput(orjson.dumps(evidence).decode())
    decide = engine.evaluate(policies, given, config)["SDL-acme-clean"]
    assert decide.applicable and decide.deny == (
        {"msg": "bad", "finding": "A1@x.py:3", "file": "x.py", "line": 3},)
    nothing = engine.evaluate(policies, EngineInput("{}"), config)["SDL-acme-clean"]
    assert not nothing.applicable and nothing.deny == ()
