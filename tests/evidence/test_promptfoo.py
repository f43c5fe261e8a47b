"""promptfoo results JSON: the real export of the corpus, the example's run, and bad files."""

from __future__ import annotations

import orjson
import pytest
from conftest import EXAMPLES

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence.evals import promptfoo


def results(*items: dict, version: int = 3) -> bytes:
    return orjson.dumps({"evalId": "eval-1", "results": {
        "version": version, "timestamp": "2026-01-01T00:00:00Z", "results": list(items),
        "stats": {"successes": 0, "failures": 0, "errors": 0}}})


def result(plugin: str | None, strategy: str | None, success: bool, reason: int) -> dict:
    metadata = {"pluginId": plugin, "strategyId": strategy} if plugin else {}
    return {"success": success, "failureReason": reason, "metadata": metadata,
            "gradingResult": {"pass": success} if reason != 2 else None,
            "error": "provider timed out" if reason == 2 else None}


def test_reads_the_corpus_export(corpus):
    path = corpus / "evals" / "promptfoo" / "sample-export.promptfoo-0.118.10.json"
    run, attacks = promptfoo.read_results(path.read_bytes(), path.name)
    assert run["version"] == "0.118.10"
    assert run["target"] == "openai:gpt-5, openai:gpt-5-mini"
    # Latency assertions failed: failures, not errors, and no red-team plugin in this eval.
    assert run["tests"] == {"passed": 0, "failed": 4, "error": 0}
    assert attacks == []


def test_reads_the_example_red_team_run():
    path = EXAMPLES / "model-release" / "evidence" / "promptfoo.json"
    run, attacks = promptfoo.read_results(path.read_bytes(), "promptfoo.json")
    assert run["version"] == "0.121.20" and run["tests"]["passed"] == 64
    pairs = {(a["test"], a["variant"]): a for a in attacks}
    agency = pairs[("excessive-agency", "basic")]
    assert (agency["evaluated"], agency["succeeded"], agency["errors"]) == (10, 0, 0)
    assert [c["id"] for c in pairs[("harmful:harassment-bullying", "jailbreak")]["classes"]] == [
        "harmful_content", "jailbreak"]
    assert [c["id"] for c in pairs[("hijacking", "base64")]["classes"]] == [
        "prompt_injection", "obfuscation"]


def test_counts_per_plugin_and_strategy_with_errors_apart():
    data = results(
        result("pii:direct", "basic", True, 0),
        result("pii:direct", "basic", False, 1),
        result("pii:direct", "basic", False, 2),
        result("pii:direct", "jailbreak", True, 0),
        result(None, None, True, 0),
    )
    run, attacks = promptfoo.read_results(data, "p.json")
    assert run["tests"] == {"passed": 3, "failed": 1, "error": 1}
    counts = {(a["test"], a["variant"]): (a["evaluated"], a["succeeded"], a["errors"])
              for a in attacks}
    assert counts == {("pii:direct", "basic"): (2, 1, 1), ("pii:direct", "jailbreak"): (1, 0, 0)}


def test_a_run_where_every_test_errored_evaluated_nothing():
    data = results(result("hijacking", "basic", False, 2), result("hijacking", "basic", False, 2))
    _, attacks = promptfoo.read_results(data, "p.json")
    assert (attacks[0]["evaluated"], attacks[0]["errors"]) == (0, 2)


def test_an_error_without_failure_reason_is_an_error():
    legacy = {"success": False, "error": "fetch failed", "metadata": {"pluginId": "rbac"}}
    assert promptfoo.outcome(legacy) == "error"


def test_another_results_version_is_an_error():
    unsupported = "promptfoo results version 2 is not supported"
    with pytest.raises(EvidenceError, match=unsupported) as error:
        promptfoo.read_results(results(version=2), "old.json")
    assert error.value.path == "old.json"


@pytest.mark.parametrize("document", [{"evalId": "x"}, [], {"results": []}])
def test_other_json_is_not_promptfoo(document):
    with pytest.raises(EvidenceError, match="not a promptfoo results file"):
        promptfoo.read_results(orjson.dumps(document), "x.json")


def test_malformed_json_names_the_file():
    with pytest.raises(EvidenceError, match="malformed JSON") as error:
        promptfoo.read_results(b'{"results": {"version": 3,', "cut.json")
    assert error.value.path == "cut.json"
