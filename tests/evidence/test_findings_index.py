"""The findings' index (input.scans.index): gatekeeper's, the Rego library's own, and the
decisions either gives."""

from datetime import datetime, timezone

import orjson
import pytest
from conftest import EXAMPLES

from gatekeeper.config import load_config
from gatekeeper.engine.interface import EngineInput
from gatekeeper.engine.policies import load_policies
from gatekeeper.engine.regorus_engine import RegorusEngine, new_engine, query
from gatekeeper.evidence.scans.findings_index import Findings, findings_index, index_of
from gatekeeper.jsonio import JsonArray
from gatekeeper.pipeline import RunOptions, collect, enforcements, engine_input, gate_section


def finding(category, severity, key, **more):
    return {"category": category, "severity": severity, "key": key, "rule_id": "R1",
            "message": "m", "tool": "t", "source": "s", "suppressed": False, **more}


TRUSTED = {"suppressed": True, "suppression_trusted": True}
# Every shape the index must place as the library's comparisons do, hand-made evidence included.
ODD = [
    finding("sast", "high", "a"),
    finding("secrets", "critical", "b"),
    finding("sast", "low", "c", rule_id="R2"),
    finding("sast", "critical", "d", **TRUSTED),
    finding("sast", "critical", "e", suppressed=True, suppression_trusted=False),
    finding("sast", "high", "f", suppressed=True),  # no suppression_trusted: it counts
    finding("sast", "high", "g", suppressed=1, suppression_trusted=True),  # 1 is not true
    finding("iac", 7, "h"),  # a severity that is not a string: never blocking
    {k: v for k, v in finding("iac", "low", "i").items() if k != "severity"},
    finding(None, "high", "j"),  # no category: in none
    {"severity": "high", "key": "k"},
    "not a finding",
    finding("container", "medium", "l", **TRUSTED),
    finding("sast", "high", "m", suppressed=True, suppression_trusted=1),
    finding("sast", "high", "n", rule_id=614),  # a rule id that is not a string: in no rule
    finding("sca", "low", "o", rule_id=None),  # nor is a category without one in "rules"
]


def rego_index(findings):
    """The index the Rego library builds when its input has none."""
    engine = new_engine(load_policies().modules)
    engine.set_input_json(orjson.dumps({"scans": {"findings": findings}}).decode())
    return query(engine, "data.gatekeeper.lib.findings.built_index")


def test_gatekeepers_index_is_the_one_the_library_builds():
    index = findings_index(ODD)
    assert index == rego_index(ODD)
    assert index == {
        "categories": {"sast": [0, 2, 3, 4, 5, 6, 13, 14], "secrets": [1], "iac": [7, 8],
                       "container": [12], "sca": [15]},
        "untrusted": {"sast": {"high": [0, 5, 6, 13, 14], "low": [2], "critical": [4]},
                      "secrets": {"critical": [1]}, "iac": {"": [7, 8]}, "sca": {"low": [15]}},
        "trusted": {"sast": [3], "container": [12]},
        "rules": {"sast": {"R1": [0, 3, 4, 5, 6, 13], "R2": [2]}, "secrets": {"R1": [1]},
                  "iac": {"R1": [7, 8]}, "container": {"R1": [12]}},
    }


def test_an_input_without_findings_has_an_empty_index():
    assert findings_index([]) == rego_index([]) == {
        "categories": {}, "untrusted": {}, "trusted": {}, "rules": {}}


@pytest.fixture(scope="module", params=["model-release", "unsafe-release"])
def collected(request):
    config = load_config(EXAMPLES / request.param / "gatekeeper.yaml")
    evidence = collect(config, RunOptions(now=datetime(2026, 11, 28, tzinfo=timezone.utc)))
    return config, evidence


def test_the_collected_findings_carry_the_index_of_their_values(collected):
    _, evidence = collected
    findings = evidence["scans"]["findings"]
    assert isinstance(findings, Findings) and len(findings) > 0
    assert findings.index == findings_index(findings.values()) == rego_index(findings.values())
    assert index_of(findings) == findings.index
    assert index_of(findings.values()) == findings.index


def test_findings_gathered_from_several_reports_are_indexed_where_they_land():
    first, second = Findings(), Findings()
    first.extend(ODD[:5])
    second.extend(ODD[5:])
    first.extend(second)
    assert first.values() == ODD
    assert first.index == findings_index(ODD)


def test_findings_are_never_extended_with_values_they_could_not_index():
    with pytest.raises(TypeError):
        Findings().extend(JsonArray(ODD))


def test_every_control_decides_the_same_with_the_index_and_without(collected):
    """The index changes how the library finds the findings, never what it decides: the
    unsafe example's blocking findings, waivers and counts included."""
    config, evidence = collected
    policies = load_policies()
    _, given = engine_input(evidence, gate_section(enforcements(policies, config)))
    document = orjson.loads(given.text())
    assert document["scans"]["index"]
    del document["scans"]["index"]
    with_index = RegorusEngine().evaluate(policies, given, config.thresholds)
    without = RegorusEngine().evaluate(policies, EngineInput(orjson.dumps(document).decode()),
                                       config.thresholds)
    assert with_index == without
    assert any(decision.deny for decision in with_index.values())


def test_collected_positions_are_machine_integers_not_objects_amid_the_findings():
    """500,000 int objects made while a report's findings were read kept the memory those had
    freed from going back to the system: 500 MB more at the peak of a 200 MB release."""
    from array import array

    collected = Findings()
    collected.extend(ODD)
    kept = collected._index
    positions = [*kept["categories"].values(), *kept["trusted"].values(),
                 *(p for by_severity in kept["untrusted"].values() for p in by_severity.values())]
    assert positions and all(isinstance(p, array) and p.typecode == "q" for p in positions)
