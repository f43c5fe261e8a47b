"""Incident records: the format, the measured minutes, and what is refused."""

from __future__ import annotations

import pytest
from conftest import EXAMPLES

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence.operations import incidents

ONE = """\
format: gatekeeper-incidents
version: 1
incidents:
  - id: INC-1
    title: {title}
    severity: high
    attack_classes: [{classes}]
    atlas: [{atlas}]
    occurred_at: {occurred}
    detected_at: 2026-10-01T09:30:00Z
    contained_at: {contained}
    resolved_at: {resolved}
    postmortem: https://wiki.example.com/pm/INC-1
"""


def text(title="A DAN prompt got refund advice out of the assistant", classes="jailbreak",
         atlas="AML.T0029", occurred="2026-10-01T11:00:00+02:00",
         contained="2026-10-01T10:00:00Z", resolved="2026-10-01T12:30:00Z") -> bytes:
    return ONE.format(title=title, classes=classes, atlas=atlas, occurred=occurred,
                      contained=contained, resolved=resolved).encode()


def test_reads_an_incident_with_its_classes_and_minutes():
    (incident,) = incidents.read_incidents(text(), "incidents.yaml")
    assert incident == {
        "source": "incidents.yaml", "line": 4, "id": "INC-1",
        "title": "A DAN prompt got refund advice out of the assistant", "severity": "high",
        # named, and the class of AML.T0029 (Denial of AI Service)
        "attack_classes": ["jailbreak", "unbounded_consumption"], "atlas": ["AML.T0029"],
        "occurred_at": "2026-10-01T09:00:00Z", "detected_at": "2026-10-01T09:30:00Z",
        "contained_at": "2026-10-01T10:00:00Z", "resolved_at": "2026-10-01T12:30:00Z",
        "minutes_to_detect": 30.0, "minutes_to_contain": 30.0, "minutes_to_resolve": 180.0,
        "postmortem": "https://wiki.example.com/pm/INC-1",
    }


def test_the_example_records_are_valid():
    path = EXAMPLES / "model-release" / "evidence" / "incidents.yaml"
    found = incidents.read_incidents(path.read_bytes(), "evidence/incidents.yaml")
    assert [i["id"] for i in found] == ["INC-2026-0412", "INC-2026-0533"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"occurred": "2026-10-01T09:30:01Z"},
         r"line 4: incidents\[0\] \(INC-1\): detected_at .* is before occurred_at"),
        ({"contained": "2026-10-01T09:29:59Z"}, r"contained_at .* is before detected_at"),
        ({"resolved": "2026-10-01T09:59:59Z"}, r"resolved_at .* is before contained_at"),
    ],
)
def test_times_out_of_order_are_an_error_naming_the_incident(fields, message):
    with pytest.raises(EvidenceError, match=message) as raised:
        incidents.read_incidents(text(**fields), "incidents.yaml")
    assert raised.value.path == "incidents.yaml"


def test_equal_times_are_in_order():
    (incident,) = incidents.read_incidents(
        text(occurred="2026-10-01T09:30:00Z", contained="2026-10-01T09:30:00Z",
             resolved="2026-10-01T09:30:00Z"), "incidents.yaml")
    assert (incident["minutes_to_detect"], incident["minutes_to_resolve"]) == (0.0, 0.0)


def test_a_time_without_a_zone_is_an_error():
    with pytest.raises(EvidenceError, match=r"occurred_at: .* is not an RFC 3339 time"):
        incidents.read_incidents(text(occurred="2026-10-01T09:00:00"), "incidents.yaml")


def test_an_unknown_atlas_technique_is_an_error():
    # well formed, but not a technique of the shipped ATLAS table
    with pytest.raises(EvidenceError, match=r"'AML\.T0999' is not a MITRE ATLAS technique"):
        incidents.read_incidents(text(atlas="AML.T0999"), "incidents.yaml")


def test_an_unknown_attack_class_is_an_error():
    with pytest.raises(EvidenceError, match=r"attack class 'jailbrake' is not one of"):
        incidents.read_incidents(text(classes="jailbrake"), "incidents.yaml")


def test_a_placeholder_title_is_an_error():
    with pytest.raises(EvidenceError, match=r"incidents\[0\] \(INC-1\)\.title: "):
        incidents.read_incidents(text(title="TBD"), "incidents.yaml")


def test_an_incident_recorded_twice_is_an_error():
    body = text().decode()
    twice = body + body[body.index("  - id"):]
    with pytest.raises(EvidenceError, match="incident INC-1 is recorded twice"):
        incidents.read_incidents(twice.encode(), "incidents.yaml")


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("format: gatekeeper-drills\nversion: 1\nincidents: []\n", "not a gatekeeper incidents"),
        ("format: gatekeeper-incidents\nversion: 1\nincidents: []\n", "invalid incidents file"),
        # neither an attack class nor an ATLAS technique: nothing to adapt the tests to
        (ONE.replace("    attack_classes: [{classes}]\n", "").replace(
            "    atlas: [{atlas}]\n", "").format(
            title="x", occurred="2026-10-01T09:00:00Z", contained="2026-10-01T10:00:00Z",
            resolved="2026-10-01T12:30:00Z"), "invalid incidents file"),
        (text().decode().replace("severity: high", "severity: meh"), "invalid incidents file"),
    ],
)
def test_malformed_files_are_errors(body, problem):
    with pytest.raises(EvidenceError, match=problem):
        incidents.read_incidents(body.encode(), "incidents.yaml")


def test_check_stops_with_exit_3_naming_the_file_and_the_incident(gatekeeper, tmp_path):
    (tmp_path / "gatekeeper.yaml").write_text(
        "version: 1\nsubject:\n  name: s\nevidence:\n  incidents:\n    - incidents.yaml\n")
    (tmp_path / "incidents.yaml").write_bytes(text(occurred="2026-10-01T10:00:00Z"))
    run = gatekeeper("check", "--now", "2026-11-28T12:00:00Z", cwd=tmp_path)
    assert run.code == 3
    assert ("incidents.yaml: line 4: incidents[0] (INC-1): detected_at 2026-10-01T09:30:00Z is "
            "before occurred_at 2026-10-01T10:00:00Z") in run.err
    assert "Traceback" not in run.err
