"""The SARIF reader under fuzzing: whatever the log holds, it either reads it into well-formed
scans and findings or refuses it with an EvidenceError (exit 3) naming the file -- never
another exception (a traceback), and never a finding with a severity out of the closed set."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gatekeeper.errors import EXIT_EVIDENCE_ERROR, EvidenceError
from gatekeeper.evidence.scans.sarif import read_log
from gatekeeper.evidence.scans.scan_results import SEVERITIES

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 12), st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["", "NaN", "-1", "11", "7.5", "high", "error", "note", "pass", "accepted",
                     "inSource", "rejected", "../x.py", "/abs/x.py", "file:///x.py", "src/a.py",
                     "https://example.com/a.py", "%2E%2E/x"]),
)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=4), inner, max_size=3)),
    max_leaves=8)


def maybe(key: str, strategy) -> st.SearchStrategy:
    return st.one_of(st.just({}), strategy.map(lambda value: {key: value}))


def merged(*parts) -> st.SearchStrategy:
    return st.tuples(*parts).map(lambda items: {k: v for item in items for k, v in item.items()})


location = merged(
    maybe("physicalLocation", st.one_of(values, merged(
        maybe("artifactLocation", st.one_of(values, merged(maybe("uri", scalars)))),
        maybe("region", st.one_of(values, merged(maybe("startLine", scalars))))))),
)
result = st.one_of(values, merged(
    maybe("ruleId", scalars), maybe("ruleIndex", scalars), maybe("level", scalars),
    maybe("kind", scalars), maybe("baselineState", scalars),
    maybe("message", st.one_of(values, merged(maybe("text", scalars)))),
    maybe("locations", st.one_of(values, st.lists(location, max_size=2))),
    maybe("suppressions", st.one_of(values, st.lists(merged(
        maybe("kind", scalars), maybe("status", scalars), maybe("justification", scalars)),
        max_size=2))),
    maybe("properties", st.one_of(values, merged(maybe("security-severity", scalars)))),
))
run = merged(
    st.just({"tool": {"driver": {"name": "bandit"}}}),
    maybe("results", st.one_of(values, st.lists(result, max_size=4))),
    maybe("invocations", st.one_of(values, st.lists(merged(
        maybe("executionSuccessful", scalars),
        maybe("toolExecutionNotifications", st.one_of(values, st.lists(merged(
            maybe("level", scalars)), max_size=2)))), max_size=2))),
    maybe("artifacts", st.one_of(values, st.lists(values, max_size=2))),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(runs=st.lists(run, min_size=1, max_size=2))
def test_the_reader_reads_or_refuses_never_crashes(runs):
    data = json.dumps({"version": "2.1.0", "runs": runs}).encode()
    try:
        scans, findings = read_log(data, "evidence/fuzz.sarif", None)
    except EvidenceError as error:
        assert error.exit_code == EXIT_EVIDENCE_ERROR
        assert str(error).startswith("evidence/fuzz.sarif: ")
        return
    assert len(scans) == len(runs)
    for scan in scans:
        assert isinstance(scan["inconclusive"], bool)
        assert scan["inconclusive"] == bool(scan["skipped"])
    for found in findings:
        assert found["severity"] in SEVERITIES and isinstance(found["key"], str)
        score = found["security_severity"]
        assert score is None or 0.0 <= score <= 10.0
        assert found["file"] is None or not found["file"].startswith("../")


@pytest.mark.parametrize("runs", [[{"tool": {"driver": {"name": "bandit"}}, "results": None}]])
def test_a_null_results_run_is_read_as_inconclusive(runs):
    scans, _ = read_log(json.dumps({"version": "2.1.0", "runs": runs}).encode(), "x", None)
    assert scans[0]["inconclusive"] is True
