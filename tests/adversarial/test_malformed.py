"""Item 9 of issue 12: a malformed shape in any evidence kind is exit 3 naming the file and
where in it, never an internal error and never a pass.

Each case edits one value of the passing example's evidence into a shape its tool never
writes; the gate must stop with exit 3, name the file, and write no results."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from adversarial.io_harness import assert_refused, check, edit_config, release
from gatekeeper.evidence import COLLECTORS, run_collector
from gatekeeper.evidence.context import CollectContext


def _edit_json(folder: Path, relative: str, change) -> None:
    path = folder / relative
    document = orjson.loads(path.read_bytes())
    change(document)
    path.write_bytes(orjson.dumps(document))


def _finding(**changes):
    """A bandit-like SARIF result, with ``changes`` applied."""
    result = {"ruleId": "B105", "level": "error", "message": {"text": "hard-coded password"},
              "locations": [{"physicalLocation": {"artifactLocation": {"uri": "src/app.py"},
                                                  "region": {"startLine": 3}}}]}
    result.update(changes)
    return result


CASES = [
    pytest.param(
        "evidence/bandit.sarif",
        lambda d: d["runs"][0].update(results=[_finding(
            locations=[{"physicalLocation": {"artifactLocation": "x"}}])]),
        id="sarif-artifactLocation-a-string",
    ),
    pytest.param(
        "evidence/bandit.sarif",
        lambda d: d["runs"][0].update(results=[_finding(level=["x"])]),
        id="sarif-level-a-list",
    ),
    pytest.param(
        "evidence/checkov.json",
        lambda d: d[0].update(summary=["passed"]),
        id="checkov-summary-a-list",
    ),
    pytest.param(
        "evidence/checkov.json",
        lambda d: d[0]["results"].update(failed_checks=7),
        id="checkov-failed_checks-a-number",
    ),
    pytest.param(
        "evidence/checkov.json",
        lambda d: d[0]["results"].update(parsing_errors=True),
        id="checkov-parsing_errors-a-boolean",
    ),
    pytest.param(
        "evidence/promptfoo.json",
        lambda d: d["results"]["results"][0].update(testCase="x"),
        id="promptfoo-testCase-a-string",
    ),
    pytest.param(
        "evidence/promptfoo.json",
        lambda d: d["results"].update(results={"0": {}}),
        id="promptfoo-results-an-object",
    ),
    pytest.param(
        "evidence/modelscan.json",
        lambda d: d["summary"].update(scanned=1.5),
        id="modelscan-scanned-a-number",
    ),
    pytest.param(
        "evidence/modelscan.json",
        lambda d: d.update(issues={}),
        id="modelscan-issues-an-object",
    ),
    pytest.param(
        "evidence/modelaudit.json",
        lambda d: d.update(file_metadata={"model.safetensors": []}) or d.update(assets=[1]),
        id="modelaudit-assets-numbers",
    ),
]


@pytest.mark.parametrize("relative, change", CASES)
def test_a_malformed_json_shape_is_exit_3_naming_the_file(gatekeeper, tmp_path, relative, change):
    folder = release(tmp_path)
    _edit_json(folder, relative, change)
    assert_refused(check(gatekeeper, folder), 3, folder, Path(relative).name)


def test_the_promptfoo_error_says_where_as_a_json_pointer(gatekeeper, tmp_path):
    folder = release(tmp_path)
    _edit_json(folder, "evidence/promptfoo.json",
               lambda d: d["results"]["results"][1].update(testCase=["x"]))
    assert_refused(check(gatekeeper, folder), 3, folder, "at /results/results/1/testCase")


def test_the_modelscan_error_says_where_as_a_json_pointer(gatekeeper, tmp_path):
    folder = release(tmp_path)
    _edit_json(folder, "evidence/modelscan.json",
               lambda d: d["summary"]["scanned"].update(scanned_files=[1]))
    assert_refused(check(gatekeeper, folder), 3, folder, "at /summary/scanned/scanned_files/0")


@pytest.mark.parametrize("text, where", [
    (b'{"entry_type": "start_run setup"}\n{not json\n', "line 2"),
    (b"[1, 2]\n", "line 1"),
])  # fmt: skip
def test_a_malformed_garak_report_names_the_line(gatekeeper, tmp_path, text, where):
    folder = release(tmp_path)
    (folder / "evidence/garak.report.jsonl").write_bytes(text)
    assert_refused(check(gatekeeper, folder), 3, folder, "garak.report.jsonl", where)


@pytest.mark.parametrize("text", [
    "apiVersion: v1\nkind: [Pod]\nmetadata: {name: x}\n",
    "apiVersion: 1\nkind: Pod\n",
    "- just\n- a list\n",
    "kind: Deployment\napiVersion: apps/v1\nspec: {template: 5}\nmetadata: {name: x}\n",
])  # fmt: skip
def test_a_malformed_kubernetes_object_is_exit_3(gatekeeper, tmp_path, text):
    folder = release(tmp_path)
    (folder / "deploy/k8s/zz-bad.yaml").write_text(text)
    assert_refused(check(gatekeeper, folder), 3, folder, "zz-bad.yaml")


@pytest.mark.parametrize("text, where", [
    ("format: gatekeeper-metrics\nversion: 1\nmetrics: 5\n", "metrics"),
    ("format: gatekeeper-metrics\nversion: 1\n1: x\nmetrics: []\n", "not a string"),
])  # fmt: skip
def test_a_malformed_metrics_file_is_exit_3(gatekeeper, tmp_path, text, where):
    folder = release(tmp_path)
    (folder / "evidence/metrics.yaml").write_text(text)
    assert_refused(check(gatekeeper, folder), 3, folder, "metrics.yaml", where)


@pytest.mark.parametrize("text", ["?\n", "1: x\n", "version: 1\nsubject: {yes: 2}\n"])
def test_a_configuration_with_keys_that_are_not_strings_is_exit_2(gatekeeper, tmp_path, text):
    folder = release(tmp_path)
    (folder / "gatekeeper.yaml").write_text(text)
    assert_refused(check(gatekeeper, folder), 2, folder, "gatekeeper.yaml", "not a string")


def test_an_exceptions_file_with_a_key_that_is_not_a_string_is_exit_2(gatekeeper, tmp_path):
    folder = release(tmp_path)
    (folder / "waivers.yaml").write_text("version: 1\nexceptions:\n  - 1: x\n")
    edit_config(folder, lambda c: c.update(exceptions="waivers.yaml"))
    assert_refused(check(gatekeeper, folder), 2, folder, "waivers.yaml", "not a string")


def test_a_manifest_that_is_a_list_is_exit_3(gatekeeper, tmp_path):
    folder = release(tmp_path)
    (folder / "ai-system.yaml").write_text("- a\n- b\n")
    assert_refused(check(gatekeeper, folder), 3, folder, "ai-system.yaml")


def test_a_binary_model_card_is_exit_3(gatekeeper, tmp_path):
    folder = release(tmp_path)
    (folder / "docs/MODEL_CARD.md").write_bytes(b"\xff\xfe\x00binary")
    assert_refused(check(gatekeeper, folder), 3, folder, "MODEL_CARD.md")


def test_an_unexpected_collector_failure_is_exit_3_naming_collector_and_file(tmp_path,
                                                                             monkeypatch):
    """The fail-closed net: a reader's bug on odd input is an evidence error, not a pass."""
    from gatekeeper.errors import EvidenceError

    (tmp_path / "report.json").write_text("{}")

    def buggy(setting, context):
        context.read(tmp_path / "report.json", "promptfoo")
        raise TypeError("'int' object is not iterable")

    monkeypatch.setitem(COLLECTORS, "promptfoo", buggy)
    context = CollectContext(tmp_path, root=tmp_path.resolve())
    with pytest.raises(EvidenceError) as raised:
        run_collector("promptfoo", ["report.json"], context)
    assert raised.value.exit_code == 3
    assert raised.value.path == "report.json" and "evidence.promptfoo" in raised.value.message


@pytest.mark.parametrize("relative, change", [
    ("evidence/sbom.cdx.json", lambda d: d.update(components="numpy")),
    ("evidence/mlbom.cdx.json",
     lambda d: d["components"][0].update(hashes=[{"alg": ["SHA-256"], "content": 1}])),
])  # fmt: skip
def test_a_schema_invalid_sbom_fails_the_gate_naming_the_file(gatekeeper, tmp_path, relative,
                                                             change):
    """An SBOM is validated against the CycloneDX schema and its errors kept as evidence: the
    SBOM control fails (exit 1), naming the file; nothing reads it as a valid SBOM."""
    folder = release(tmp_path)
    _edit_json(folder, relative, change)
    run = check(gatekeeper, folder)
    assert run.code == 1, run.err
    document = orjson.loads((folder / "gatekeeper-results.json").read_bytes())
    failed = [c for c in document["controls"] if c["outcome"] != "pass"]
    assert any(Path(relative).name in orjson.dumps(c["messages"]).decode() for c in failed)


@pytest.mark.parametrize("head", [b"\x93NUMPY", b"\x93NUMPY\x01\x00\x05", b"\x93NUMPY\x02\x00"])
def test_a_numpy_artifact_cut_short_is_read_as_unknown_not_a_crash(gatekeeper, tmp_path, head):
    folder = release(tmp_path)
    (folder / "release/model.safetensors").write_bytes(head)
    run = check(gatekeeper, folder)
    assert "internal error" not in run.err
    document = orjson.loads((folder / "gatekeeper-results.json").read_bytes())
    assert run.code == 1  # the signed model no longer matches: blocked
    assert "MOD-model-signed" not in {c["id"] for c in document["controls"]
                                      if c["outcome"] == "pass"}


@pytest.mark.parametrize("change", [
    lambda e: e.update(payloadType=None),
    lambda e: e.update(payloadType=["application/vnd.in-toto+json"]),
    lambda e: e.update(payload=7),
    lambda e: e["signatures"][0].update(keyid=7),
    lambda e: e["signatures"][0].update(sig={"x": 1}),
    lambda e: e.update(signatures={"0": {}}),
], ids=["payloadType-null", "payloadType-a-list", "payload-a-number", "keyid-a-number",
        "sig-an-object", "signatures-an-object"])
def test_a_dsse_envelope_of_the_wrong_types_is_rejected(gatekeeper, tmp_path, change):
    """A signed statement whose DSSE fields have the wrong types: rejected (the provenance
    controls fail), never an internal error inside securesystemslib."""
    folder = release(tmp_path)
    path = folder / "evidence/provenance.intoto.jsonl"
    envelope = orjson.loads(path.read_bytes().splitlines()[0])
    change(envelope)
    path.write_bytes(orjson.dumps(envelope) + b"\n")
    run = check(gatekeeper, folder)
    assert run.code == 1, run.err
    assert "internal error" not in run.err
    document = orjson.loads((folder / "gatekeeper-results.json").read_bytes())
    outcome = {c["id"]: c["outcome"] for c in document["controls"]}["SDL-provenance-verified"]
    assert outcome == "fail"
