"""`gatekeeper assess`: click prompts per attested question, driven by click's input simulation."""

from __future__ import annotations

import click
from click.testing import CliRunner
from conftest import EXAMPLES, NOW, copy_example

from gatekeeper.attestations import load_attestations
from gatekeeper.catalog.loader import answering_controls, load_catalog
from gatekeeper.cli import cli
from gatekeeper.engine.policies import load_policies


def _assess(*args: str, input: str):
    result = CliRunner().invoke(
        cli, ["assess", "--now", NOW, *map(str, args)], input=input, standalone_mode=False
    )
    if result.exception is not None and not isinstance(result.exception, click.Abort):
        raise result.exception
    return result


def test_an_answer_is_written_with_the_scale_explained(tmp_path):
    path = tmp_path / "attestations.yaml"
    result = _assess("-a", path, "-q", "GRC-Q1", "-q", "GRC-Q2",
                     input="3\nhttps://wiki.example.com/charter\nDana Reyes\n\n\nskip\n")
    assert result.return_value == 0
    assert "  0  Not Implemented: Capability does not exist" in result.output
    assert "  4  Complete: Fully implemented with optimization" in result.output
    assert "[1/2] GRC-Q1 · target level 2 · phase-1 Foundation" in result.output
    assert "Do you have an AI governance charter with roles/RACI" in result.output
    assert "1 of 2 questions answered; 1 in" in result.output
    answers = load_attestations(path).answers
    assert list(answers) == ["GRC-Q1"]
    answer = answers["GRC-Q1"]
    assert (answer.score, answer.evidence, answer.attested_by) == (
        3, "https://wiki.example.com/charter", "Dana Reyes")
    assert (answer.date.isoformat(), answer.expires.isoformat()) == ("2026-11-28", "2027-11-28")


def test_a_rerun_keeps_the_other_answers_and_offers_the_current_one(tmp_path):
    path = tmp_path / "attestations.yaml"
    _assess("-a", path, "-q", "GRC-Q1", input="3\nhttps://charter\nDana Reyes\n\n\n")
    first = load_attestations(path).answers["GRC-Q1"]
    # GRC-Q2: the attester defaults to the last one used; explicit dates
    _assess("-a", path, "-q", "GRC-Q2", input="2\nhttps://dpia\n\n2026-11-01\n2027-05-01\n")
    answers = load_attestations(path).answers
    assert answers["GRC-Q1"] == first
    assert (answers["GRC-Q2"].score, answers["GRC-Q2"].attested_by) == (2, "Dana Reyes")
    assert answers["GRC-Q2"].expires.isoformat() == "2027-05-01"
    # Enter everywhere keeps an existing answer as it was
    result = _assess("-a", path, "-q", "GRC-Q1", input="\n\n\n\n\n")
    assert "Current answer: 3 by Dana Reyes on 2026-11-28, expires 2027-11-28 (valid)" in (
        result.output)
    assert load_attestations(path).answers == answers


def test_by_default_only_questions_no_control_answers_are_asked(tmp_path):
    catalog = load_catalog()
    links = answering_controls(catalog, load_policies().controls)
    attested = [q.id for q in catalog.domain_questions("MON") if not links[q.id]]
    automated = [q.id for q in catalog.domain_questions("MON") if links[q.id]]
    assert attested and automated
    result = _assess("-a", tmp_path / "a.yaml", "--domain", "MON", input="\n" * len(attested))
    assert result.return_value == 0
    assert f"[1/{len(attested)}] {attested[0]} ·" in result.output
    for question in automated:
        assert f"] {question} ·" not in result.output
    assert f"0 of {len(attested)} questions answered" in result.output
    assert not (tmp_path / "a.yaml").exists()


def test_bad_input_is_asked_again(tmp_path):
    path = tmp_path / "attestations.yaml"
    result = _assess(
        "-a", path, "-q", "HIL-Q1",
        input="7\n4\nhttps://vetting\nKim\ntomorrow\n2026-11-20\n2026-11-01\n2026-11-19\n2027-01-31\n",
    )
    assert "Error: '7' is not one of" in result.output
    assert "'tomorrow' is not a date: write YYYY-MM-DD" in result.output
    assert "the expiry must not be before the date 2026-11-20" in result.output
    answer = load_attestations(path).answers["HIL-Q1"]
    assert (answer.score, answer.date.isoformat(), answer.expires.isoformat()) == (
        4, "2026-11-20", "2027-01-31")


def test_renewing_the_examples_expired_answer_through_its_config(tmp_path):
    copy = tmp_path / "model-release"
    copy_example(EXAMPLES / "model-release", copy)
    before = load_attestations(copy / "attestations.yaml").answers
    result = _assess("-c", copy / "gatekeeper.yaml", "-q", "IRR-Q1", input="3\n\n\n\n\n")
    assert "Current answer: 3 by Lee Chen (incident response) on 2025-06-30, expires " \
           "2026-06-30 (expired)" in result.output
    after = load_attestations(copy / "attestations.yaml").answers
    assert after["IRR-Q1"].expires.isoformat() == "2027-11-28"  # a fresh year from today
    assert after["IRR-Q1"].note == before["IRR-Q1"].note
    assert {q: a for q, a in after.items() if q != "IRR-Q1"} == {
        q: a for q, a in before.items() if q != "IRR-Q1"}


def test_an_interrupted_session_keeps_what_was_answered(tmp_path):
    path = tmp_path / "attestations.yaml"
    result = _assess("-a", path, "-q", "GRC-Q1", "-q", "GRC-Q2",
                     input="3\nhttps://charter\nDana\n\n\n1\nhttps://dp")
    assert isinstance(result.exception, click.Abort)
    assert list(load_attestations(path).answers) == ["GRC-Q1"]


def test_assess_needs_an_attestations_file_to_write(gatekeeper, tmp_path):
    config = tmp_path / "gatekeeper.yaml"
    config.write_text("version: 1\nsubject: {name: demo}\n", encoding="utf-8")
    run = gatekeeper("assess", "-c", config)
    assert run.code == 2 and "no `attestations:` file configured" in run.err


def test_assess_refuses_a_broken_file_and_an_unknown_question(gatekeeper, tmp_path):
    broken = tmp_path / "attestations.yaml"
    broken.write_text("version: 1\nattestations:\n  GRC-Q1: {score: 9}\n", encoding="utf-8")
    run = gatekeeper("assess", "-a", broken, "-q", "GRC-Q1")
    assert run.code == 2 and "attestations.GRC-Q1.score" in run.err
    assert broken.read_text(encoding="utf-8").endswith("{score: 9}\n")
    assert gatekeeper("assess", "-a", tmp_path / "new.yaml", "-q", "GRC-Q8").code == 2

