import csv

from gatekeeper.evidence.documentation.atlas import cited_techniques, techniques


def test_the_shipped_table_equals_the_reference(reference):
    with (reference / "atlas-techniques.tsv").open(encoding="utf-8", newline="") as stream:
        rows = csv.DictReader(stream, delimiter="\t", quoting=csv.QUOTE_NONE)
        expected = {row["id"]: row["name"] for row in rows}
    assert len(expected) == 170
    assert techniques() == expected


def test_cited_ids_with_their_first_line_and_name():
    lines = [
        "# Threat model",
        "Prompt injection (AML.T0051.000) and extraction (AML.T0024.002).",
        "Again AML.T0051.000, then evasion: AML.T0015.",
    ]
    assert cited_techniques(lines) == [
        {"id": "AML.T0051.000", "name": "Direct", "known": True, "line": 2},
        {"id": "AML.T0024.002", "name": "Extract AI Model", "known": True, "line": 2},
        {"id": "AML.T0015", "name": "Evade AI Model", "known": True, "line": 3},
    ]


def test_ids_atlas_does_not_define_are_recorded_as_unknown():
    cited = cited_techniques(["AML.T0051.004 and AML.T9999", "mistyped: AML.T51, AML.T0051.01"])
    assert [(c["id"], c["known"], c["name"], c["line"]) for c in cited] == [
        ("AML.T0051.004", False, None, 1),
        ("AML.T9999", False, None, 1),
        ("AML.T51", False, None, 2),
        ("AML.T0051.01", False, None, 2),
    ]


def test_tactics_mitigations_and_lookalikes_are_not_techniques():
    assert cited_techniques(["AML.TA0002 AML.M0015 XAML.T0051 aml.t0051 MAML.T0040"]) == []
