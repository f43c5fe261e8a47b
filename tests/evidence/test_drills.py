"""Incident drill records: the format, the times, and what is refused."""

from __future__ import annotations

import pytest
from conftest import EXAMPLES

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence.context import CollectContext
from gatekeeper.evidence.operations import drills

ONE = """\
format: gatekeeper-drills
version: 1
drills:
  - id: D-1
    date: {date}
    scenario: model_rollback
    description: {description}
    detected_at: {detected}
    contained_at: 2026-09-16T10:13:00Z
    resolved_at: 2026-09-16T10:41:00+00:00
    outcome: passed
"""


def text(date="2026-09-16", description="Pinned the model to 1.3.2 with the rollout abort.",
         detected="2026-09-16T12:04:00+02:00") -> bytes:
    return ONE.format(date=date, description=description, detected=detected).encode()


def test_reads_a_drill_with_its_measured_minutes():
    (drill,) = drills.read_drills(text(), "drills.yaml")
    assert drill == {
        "source": "drills.yaml", "line": 4, "id": "D-1", "scenario": "model_rollback",
        "outcome": "passed", "date": "2026-09-16T00:00:00Z",
        "detected_at": "2026-09-16T10:04:00Z", "contained_at": "2026-09-16T10:13:00Z",
        "resolved_at": "2026-09-16T10:41:00Z", "minutes_to_contain": 9.0,
        "minutes_to_resolve": 37.0,
    }


def test_the_example_records_every_scenario():
    path = EXAMPLES / "model-release" / "evidence" / "drills.yaml"
    found = drills.read_drills(path.read_bytes(), "evidence/drills.yaml")
    assert {d["scenario"] for d in found} == {
        "model_rollback", "tool_disablement", "index_quarantine", "log_purge",
        "token_invalidation"}


def test_times_out_of_order_are_an_error():
    with pytest.raises(EvidenceError, match=r"contained_at .* is before detected_at"):
        drills.read_drills(text(detected="2026-09-16T10:30:00Z"), "drills.yaml")


def test_a_time_without_a_zone_is_an_error_naming_the_line():
    with pytest.raises(EvidenceError, match=r"line 4: drills\[0\]\.detected_at: .* is not a time"):
        drills.read_drills(text(detected="2026-09-16T10:04:00"), "drills.yaml")


@pytest.mark.parametrize("description", ["TBD", "N/A", "lorem ipsum dolor sit amet", "'-'"])
def test_a_placeholder_description_is_an_error(description):
    with pytest.raises(EvidenceError, match=r"line 7: drills\[0\]\.description: "):
        drills.read_drills(text(description=description), "drills.yaml")


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("format: other\nversion: 1\ndrills: []\n", "not a gatekeeper drills file"),
        ("format: gatekeeper-drills\nversion: 1\ndrills: []\n", "invalid drills file"),
        (ONE.replace("model_rollback", "coffee_break").format(
            date="2026-09-16", description="x y z", detected="2026-09-16T10:04:00Z"),
         "invalid drills file"),
    ],
)
def test_malformed_files_are_errors(body, problem):
    with pytest.raises(EvidenceError, match=problem):
        drills.read_drills(body.encode(), "drills.yaml")


def test_collect_names_a_missing_file(tmp_path):
    with pytest.raises(EvidenceError, match=r"configured in evidence\.drills"):
        drills.collect(["missing.yaml"], CollectContext(tmp_path))
