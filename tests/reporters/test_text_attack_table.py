"""The text report's attack-class table: exact output, within 80 columns."""

from __future__ import annotations

from gatekeeper.reporters import text

ROWS = [
    {"class": "jailbreak", "title": "Jailbreak", "tests": ["garak dan.DanInTheWild",
     "garak dan.Dan_11_0", "promptfoo harmful:hate"], "evaluated": 120, "succeeded": 7,
     "errors": 0, "rate": 7 / 120, "threshold": 0.05, "status": "fail",
     "owasp_llm": ["LLM01:2025"], "atlas": ["AML.T0054"]},
    {"class": "unbounded_consumption", "title": "Unbounded consumption",
     "tests": ["promptfoo reasoning-dos"], "evaluated": 0, "succeeded": 0, "errors": 3,
     "rate": None, "threshold": 0.05, "status": "not run", "owasp_llm": ["LLM10:2025"],
     "atlas": ["AML.T0029", "AML.T0034"]},
]


def results(details: dict | None) -> dict:
    control = {
        "id": "RTE-red-team-gate", "title": "Red-team attack success rates are within limits",
        "outcome": "fail", "enforcement": "blocking", "remediation": "Fix it.",
        "messages": [{"message": "attack class jailbreak: attack success rate 5.8% (7 of 120 "
                      "attempts) is above the threshold 5.0%"}],
        "warnings": [],
    }
    if details is not None:
        control["details"] = details
    return {
        "tool": {"name": "gatekeeper", "version": "0.1.0"},
        "engine": {"kind": "regorus", "version": "0.13.0"},
        "subject": {"name": "demo", "version": "1"},
        "controls": [control],
        "summary": {"pass": 0, "fail": 1},
        "verdict": {"outcome": "fail", "exit_code": 1, "reasons": []},
    }


def test_prints_the_attack_class_table():
    output = text.render(results({"attack_classes": ROWS}))
    table = output.split("\n\n")[2]
    assert table == (
        "Attack classes (RTE-red-team-gate):\n"
        "CLASS                     RATE      ATTEMPTS     MAX  STATUS   OWASP\n"
        "jailbreak                 5.8%      7 of 120    5.0%  fail     LLM01:2025\n"
        "  ran: garak dan; promptfoo harmful:hate (3 tests); ATLAS AML.T0054\n"
        "unbounded_consumption        -        0 of 0    5.0%  not run  LLM10:2025\n"
        "  ran: promptfoo reasoning-dos; ATLAS AML.T0029, AML.T0034"
    )
    assert max(len(line) for line in table.splitlines()) <= 80


def test_no_table_without_details():
    assert "Attack classes" not in text.render(results(None))
    assert "Attack classes" not in text.render(results({"model_files": []}))
