"""Attestations backed by evidence files: pinned by sha256, re-hashed at every run."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from test_attestations import GOOD

from gatekeeper.attestations import dump_attestations, load_attestations, verify_evidence_files
from gatekeeper.errors import ConfigError, EvidenceError

HEAD = GOOD  # one attested question, answered without evidence files


def _pinned(tmp_path: Path, path: str, digest: str) -> Path:
    target = tmp_path / "attestations.yaml"
    target.write_text(
        HEAD + f"    evidence_files:\n      - path: {path}\n        sha256: {digest}\n",
        encoding="utf-8",
    )
    return target


def _charter(tmp_path: Path) -> str:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "charter.md").write_text("# Charter\n", encoding="utf-8")
    return hashlib.sha256(b"# Charter\n").hexdigest()


def test_a_pinned_file_makes_the_answer_documented_and_verifies(tmp_path):
    answers = load_attestations(_pinned(tmp_path, "docs/charter.md", _charter(tmp_path)))
    verify_evidence_files(answers)  # the same digest: no error
    answer = answers.answers["GRC-Q1"]
    assert answer.strength == "documented"
    assert answer.to_dict()["evidence_files"] == [
        {"path": "docs/charter.md", "sha256": answer.evidence_files[0].sha256}]


def test_an_answer_without_files_is_attested():
    answers = load_attestations(
        Path(__file__).resolve().parents[1] / "examples" / "model-release" / "attestations.yaml")
    assert {a.strength for a in answers.answers.values()} == {"attested"}


def test_a_changed_file_is_an_evidence_error_naming_both_files(tmp_path):
    digest = _charter(tmp_path)
    answers = load_attestations(_pinned(tmp_path, "docs/charter.md", digest))
    (tmp_path / "docs" / "charter.md").write_text("# Charter, edited\n", encoding="utf-8")
    with pytest.raises(EvidenceError) as raised:
        verify_evidence_files(answers)
    assert raised.value.exit_code == 3
    message = str(raised.value)
    assert str(tmp_path / "attestations.yaml") in message
    assert "attestations.GRC-Q1.evidence_files: docs/charter.md: sha256 is" in message
    assert digest in message


def test_a_missing_file_is_an_evidence_error(tmp_path):
    answers = load_attestations(_pinned(tmp_path, "docs/gone.md", "a" * 64))
    with pytest.raises(EvidenceError, match=r"docs/gone\.md: file not found"):
        verify_evidence_files(answers)


@pytest.mark.parametrize("path", ["/etc/passwd", "../outside.md", "docs/../../outside.md"])
def test_a_path_outside_the_folder_is_refused(tmp_path, path):
    with pytest.raises(ConfigError, match="evidence_files") as raised:
        load_attestations(_pinned(tmp_path, path, "a" * 64))
    assert str(tmp_path / "attestations.yaml") in str(raised.value)


def test_a_digest_that_is_not_sha256_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="sha256"):
        load_attestations(_pinned(tmp_path, "docs/charter.md", "abc"))


def test_pinned_files_survive_a_rewrite(tmp_path):
    answers = load_attestations(_pinned(tmp_path, "docs/charter.md", _charter(tmp_path)))
    again = tmp_path / "again" / "attestations.yaml"
    again.parent.mkdir()
    again.write_text(dump_attestations(answers.answers, ["GRC-Q1"]), encoding="utf-8")
    assert load_attestations(again).answers == answers.answers
