"""The steps of ``pipeline.evaluate`` that the other tests reach only through a whole run."""

import json

import orjson
import pytest

from gatekeeper.config import Enforcement
from gatekeeper.engine.interface import EngineInput
from gatekeeper.errors import EngineError
from gatekeeper.evidence.scans.findings_index import Findings
from gatekeeper.jsonio import dumps, sha256_bytes
from gatekeeper.kinds import KINDS
from gatekeeper.pipeline import engine_input, gate_section

GATE = gate_section({"GRC-demo": Enforcement.BLOCKING, "SDL-x": Enforcement.DISABLED})
SEEN = {"controls": {"GRC-demo": "blocking", "SDL-x": "disabled"}, "not_applicable": [],
        "kinds": list(KINDS)}


def _refuse_duplicates(pairs):
    keys = [key for key, _ in pairs]
    assert len(keys) == len(set(keys)), f"duplicate key in {keys}"
    return dict(pairs)


FINDING = {"category": "sast", "severity": "high", "rule_id": "B1", "key": "B1@a.py:1"}
INDEX = {"categories": {"sast": [0]}, "untrusted": {"sast": {"high": [0]}}, "trusted": {},
         "rules": {"sast": {"B1": [0]}}}


def test_the_engine_input_is_the_evidence_plus_the_gate_and_the_findings_index():
    evidence = {"subject": {"name": "demo"}, "sources": [], "scans": {"findings": [FINDING]}}
    digest, given = engine_input(evidence, GATE)
    assert json.loads(given.text(), object_pairs_hook=_refuse_duplicates) == {
        **evidence, "scans": {"findings": [FINDING], "index": INDEX}, "gate": SEEN}
    assert digest == sha256_bytes(dumps(evidence, pretty=False))


@pytest.mark.parametrize("claimed", [
    {"categories": {}, "untrusted": {}, "trusted": {}, "rules": {}}, None])
def test_an_index_written_into_the_evidence_is_replaced(claimed):
    """A hand-made evidence document whose index hides a finding: the engine sees the index
    of the findings themselves, once."""
    evidence = {"subject": {"name": "demo"}, "scans": {"findings": [FINDING], "index": claimed}}
    digest, given = engine_input(evidence, GATE)
    assert json.loads(given.text(), object_pairs_hook=_refuse_duplicates)["scans"]["index"] == INDEX
    assert digest == sha256_bytes(dumps(evidence, pretty=False))


@pytest.mark.parametrize("claimed", [{"controls": {"GRC-demo": "disabled"}}, None, "x"])
def test_a_gate_written_into_the_evidence_is_replaced_not_doubled(claimed):
    """A hand-made evidence document (``gatekeeper evaluate``) that declares its own gate: the
    engine sees the profile's gate, once, never a second ``gate`` key that a parser may prefer."""
    evidence = {"subject": {"name": "demo"}, "gate": claimed}
    digest, given = engine_input(evidence, GATE)
    seen = json.loads(given.text(), object_pairs_hook=_refuse_duplicates)
    assert seen["gate"] == SEEN
    assert digest == sha256_bytes(dumps(evidence, pretty=False))


def test_findings_held_serialised_give_the_engine_and_the_digest_the_same_bytes():
    """The findings and components are held as JsonArrays: the engine's input (the findings'
    index included) and the evidence's sha256 are exactly those of the same evidence held as
    plain lists."""
    findings = [{"key": "B1@a.py:1", "message": "x: \"y\"", "line": 1}, {"key": "k", "z": None}]
    plain = {"subject": {"name": "demo"}, "scans": {"findings": findings, "runs": []}}
    collected = Findings()
    collected.extend(findings)
    held = {"subject": {"name": "demo"}, "scans": {"findings": collected, "runs": []}}
    (held_digest, held_input), (digest, given) = engine_input(held, GATE), engine_input(plain, GATE)
    assert (held_digest, held_input.text()) == (digest, given.text())


def test_an_empty_evidence_document_still_gets_its_gate():
    _, given = engine_input({}, GATE)
    assert orjson.loads(given.text()) == {"gate": SEEN}


def test_a_gate_run_leaves_out_the_shipped_tests_but_reads_the_users(tmp_path):
    """The shipped ``_test.rego`` files are never evaluated in a gate run, so it does not
    compile them; a user's test module is still read (and held to the namespace rules)."""
    from datetime import datetime, timezone

    from conftest import EXAMPLES

    from gatekeeper.config import load_config
    from gatekeeper.engine.policies import load_policies
    from gatekeeper.pipeline import RunOptions, policy_set

    (tmp_path / "grc").mkdir()
    (tmp_path / "grc" / "mine_test.rego").write_text(
        "package gatekeeper.user.mine_test\n\nimport rego.v1\n\ntest_x if true\n")
    config = load_config(EXAMPLES / "model-release" / "gatekeeper.yaml")
    now = datetime(2026, 11, 28, tzinfo=timezone.utc)
    gated = policy_set(config, RunOptions(now=now, extra_policy_dirs=(tmp_path,)))
    assert [f.path.name for f in gated.files if f.is_test] == ["mine_test.rego"]
    every = load_policies((tmp_path,))
    assert sum(f.is_test for f in every.files) > 50
    assert gated.modules == every.modules and gated.controls == every.controls


def test_a_handed_over_evidence_keeps_what_is_recorded_and_decides_the_same():
    """``hand_over`` frees the sections only the engine reads, after it has its copy; the
    results are the same, and evidence not handed over is left whole."""
    from datetime import datetime, timezone

    from conftest import EXAMPLES

    from gatekeeper.config import load_config
    from gatekeeper.pipeline import RECORDED_SECTIONS, RunOptions, collect, evaluate

    config = load_config(EXAMPLES / "unsafe-release" / "gatekeeper.yaml")
    options = RunOptions(now=datetime(2026, 11, 28, tzinfo=timezone.utc))
    kept = collect(config, options)
    whole = dict(kept)
    handed = dict(kept)
    assert evaluate(config, kept, options) == evaluate(config, handed, options, hand_over=True)
    assert kept == whole and "scans" in whole
    assert set(handed) == set(RECORDED_SECTIONS) & set(whole)
    assert {"subject", "collected_at", "sources"} <= set(handed)


def test_the_policy_files_are_recorded_by_path_whatever_order_they_load_in():
    # the policy digest is over this list: loading the same files in another order (another
    # --policy order, another file system) must give the same record and digest
    from gatekeeper.engine.policies import load_policies
    from gatekeeper.pipeline import module_digests

    modules = load_policies().modules
    recorded = module_digests(modules)
    assert recorded == module_digests(tuple(reversed(modules)))
    assert [name for name, _ in recorded] == sorted(name for name, _ in recorded)
    assert len(recorded) == len(modules) and all(len(digest) == 64 for _, digest in recorded)


def test_a_packed_engine_input_gives_back_the_same_text_and_a_released_one_none():
    text = '{"a": "' + "é:x" * 400_000 + '"}'  # past one packed slice, not ASCII
    given = EngineInput(text)
    given.pack()
    given.pack()  # packing twice keeps it
    assert given.text() == text
    given.release()
    with pytest.raises(EngineError, match="released"):
        given.text()
