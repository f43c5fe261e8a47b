"""garak report JSONL: real reports of garak 0.13 to 0.17, and the ways a report goes wrong."""

from __future__ import annotations

import orjson
import pytest
from conftest import EXAMPLES

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence.evals import garak


def report(*records: dict) -> bytes:
    return b"\n".join(orjson.dumps(record) for record in records) + b"\n"


START = {"entry_type": "start_run setup", "plugins.target_type": "test.Repeat"}
INIT = {"entry_type": "init", "garak_version": "0.14.1", "start_time": "2026-01-01T00:00:00",
        "run": "r-1"}
DONE = {"entry_type": "completion", "end_time": "2026-01-01T00:01:00", "run": "r-1"}


def evaluation(probe: str, passed: int, fails: int, nones: int = 0) -> dict:
    return {"entry_type": "eval", "probe": probe, "detector": "mitigation.MitigationBypass",
            "passed": passed, "fails": fails, "nones": nones,
            "total_evaluated": passed + fails, "total_processed": passed + fails + nones}


def test_reads_each_garak_version_of_the_corpus(corpus):
    versions = {}
    for path in sorted((corpus / "evals" / "garak").iterdir()):
        run, attacks = garak.read_report(path.read_bytes(), path.name)
        versions[run["version"]] = (run, attacks)
    assert sorted(versions) == ["0.13.3.pre1", "0.14.0.pre1", "0.15.2.pre1"]

    run, attacks = versions["0.13.3.pre1"]
    assert run["target"] == "openai.OpenAICompatible qwen2" and run["complete"]
    assert [(a["test"], a["variant"], a["evaluated"], a["succeeded"]) for a in attacks] == [
        ("test.Test", "always.Pass", 8, 0)
    ]
    assert attacks[0]["classes"] == []  # garak's test probes attack nothing

    _, attacks = versions["0.14.0.pre1"]
    assert (attacks[0]["evaluated"], attacks[0]["succeeded"]) == (50, 13)


def test_reads_a_digest_only_report(corpus):
    path = corpus / "evals" / "garak" / "extracted_digest.json"
    run, attacks = garak.read_report(path.read_bytes(), path.name)
    assert run["run_id"] == "cc5a3e6b-330f-41c9-95f6-e205cd9a845c"
    assert len(attacks) == 147
    adaptive = next(a for a in attacks if a["test"] == "adaptive_attacks.AdaptiveAttacks")
    assert (adaptive["evaluated"], adaptive["succeeded"]) == (500, 379)
    assert adaptive["classes"][0]["id"] == "jailbreak"
    assert adaptive["classes"][0]["owasp_llm"] == ["LLM01:2025"]


def test_reads_the_example_report_of_garak_0_17():
    path = EXAMPLES / "model-release" / "evidence" / "garak.report.jsonl"
    run, attacks = garak.read_report(path.read_bytes(), "garak.report.jsonl")
    assert run["version"] == "0.17.1"
    assert run["target"] == "function stand_in_target#garak_target"
    assert {a["test"].split(".")[0] for a in attacks} == {
        "dan", "encoding", "goodside", "promptinject", "web_injection"}


def test_counts_per_probe_and_detector():
    data = report(START, INIT, evaluation("dan.DanInTheWild", 113, 7, nones=2), DONE)
    run, attacks = garak.read_report(data, "r.jsonl")
    assert run["complete"] and run["version"] == "0.14.1" and run["result_count"] == 1
    assert attacks[0] | {"classes": None} == {
        "tool": "garak", "source": "r.jsonl", "line": 3, "test": "dan.DanInTheWild",
        "variant": "mitigation.MitigationBypass", "classes": None,
        "evaluated": 120, "succeeded": 7, "errors": 2,
    }


def test_reads_the_older_total_key():
    legacy = {"entry_type": "eval", "probe": "encoding.InjectHex",
              "detector": "encoding.DecodeMatch", "passed": 18, "total": 20}
    _, attacks = garak.read_report(report(START, INIT, legacy), "r.jsonl")
    assert (attacks[0]["evaluated"], attacks[0]["succeeded"], attacks[0]["errors"]) == (20, 2, 0)


def test_an_unknown_probe_family_is_class_other():
    _, attacks = garak.read_report(report(evaluation("brandnew.Probe", 9, 1)), "r.jsonl")
    assert [c["id"] for c in attacks[0]["classes"]] == ["other"]


def test_an_interrupted_run_is_incomplete():
    run, attacks = garak.read_report(report(START, INIT, evaluation("dan.Dan_11_0", 1, 0)), "r")
    assert not run["complete"] and len(attacks) == 1


def test_truncated_line_names_file_and_line():
    data = report(START, INIT, evaluation("dan.Dan_11_0", 1, 0)) + b'{"entry_type": "eval", "pro'
    with pytest.raises(EvidenceError, match=r"line 4: malformed JSON .*truncated") as error:
        garak.read_report(data, "evidence/garak.report.jsonl")
    assert error.value.path == "evidence/garak.report.jsonl"


def test_unknown_entry_type_names_file_and_line():
    data = report(START, {"entry_type": "telemetry", "x": 1})
    unknown = r"line 2: unknown garak entry_type 'telemetry'"
    with pytest.raises(EvidenceError, match=unknown) as error:
        garak.read_report(data, "g.jsonl")
    assert error.value.path == "g.jsonl"


@pytest.mark.parametrize(
    ("record", "problem"),
    [
        ({"entry_type": "eval", "probe": "dan.X", "detector": "d", "passed": "all",
          "total_evaluated": 3}, r"line 1: 'passed' must be a count"),
        ({"entry_type": "eval", "probe": "dan.X", "detector": "d", "passed": 2, "fails": 2,
          "total_evaluated": 3}, r"line 1: passed \(2\) \+ fails \(2\) != total_evaluated \(3\)"),
        ({"entry_type": "eval", "detector": "d", "passed": 1, "total_evaluated": 1},
         r"line 1: eval record without a 'probe' name"),
        ({"no_entry_type": True}, r"line 1: not a garak report record"),
    ],
)
def test_malformed_records_are_errors(record, problem):
    with pytest.raises(EvidenceError, match=problem):
        garak.read_report(report(record), "g.jsonl")


def test_empty_report_is_an_error():
    with pytest.raises(EvidenceError, match="empty garak report"):
        garak.read_report(b"\n\n", "g.jsonl")


def test_crlf_line_ends_read_alike_and_keep_their_line_numbers():
    records = (START, INIT, evaluation("dan.Dan_11_0", 3, 1), DONE)
    lf = report(*records)
    assert garak.read_report(lf.replace(b"\n", b"\r\n"), "r") == garak.read_report(lf, "r")
    unknown = report(START, {"entry_type": "telemetry"}).replace(b"\n", b"\r\n")
    with pytest.raises(EvidenceError, match=r"line 2: unknown garak entry_type"):
        garak.read_report(unknown, "g.jsonl")


def test_records_separated_by_a_lone_carriage_return_are_refused():
    # JSONL ends lines with \n: two records on one line are no report, not two records
    with pytest.raises(EvidenceError, match=r"line 1: malformed JSON"):
        garak.read_report(report(START, INIT).replace(b"\n", b"\r"), "g.jsonl")


def test_a_large_report_is_read_a_line_at_a_time():
    """The attempts (most of a report) are parsed and let go one by one: reading never holds
    a second copy of the report (its lines split at once), only the records it keeps."""
    import tracemalloc

    attempt = orjson.dumps({"entry_type": "attempt", "status": 2, "probe_classname": "dan.X",
                            "prompt": "p" * 400, "outputs": ["o" * 400]}) + b"\n"
    data = report(START, INIT) + attempt * 10_000 + report(evaluation("dan.X", 1, 0), DONE)
    tracemalloc.start()
    try:
        _, attacks = garak.read_report(data, "g.jsonl")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(attacks) == 1 and len(data) > 8_000_000
    assert peak < len(data) / 10
