"""The attestations file edited in place: what changes, what stays, when nothing is written."""

from __future__ import annotations

from datetime import date

import pytest

from gatekeeper.attestations import (
    Attestation,
    EvidenceFile,
    dump_attestations,
    load_attestations,
)
from gatekeeper.catalog.loader import load_catalog
from gatekeeper.errors import ConfigError
from gatekeeper.serve.attestations_file import ABSENT, Conflict, save, updated_text

ORDER = [q.id for q in load_catalog().questions]
ANSWER = {"score": 2, "evidence": "https://wiki.example.com/x", "attested_by": "Kim",
          "date": "2026-11-20", "expires": "2027-11-20"}


def _assessed() -> str:
    """A file as `gatekeeper assess` writes it (PyYAML: lists not indented under their key)."""
    answers = {
        "GRC-Q5": Attestation("GRC-Q5", 3, "e", "Dana", date(2026, 1, 1), date(2027, 1, 1),
                              evidence_files=(EvidenceFile("docs/a.md", "0" * 64),)),
        "SAF-Q6": Attestation("SAF-Q6", 1, "e", "Dana", date(2026, 1, 1), date(2027, 1, 1)),
    }
    return dump_attestations(answers, ORDER)


def test_a_file_written_by_assess_keeps_its_list_style():
    text = _assessed()
    assert "    evidence_files:\n    - path: docs/a.md" in text  # PyYAML's style
    updated = updated_text(text, {"SAF-Q6": {**ANSWER, "score": 0}}, ORDER)
    assert [line for line in updated.splitlines() if line not in text.splitlines()] == [
        "    score: 0", "    evidence: https://wiki.example.com/x", "    attested_by: Kim",
        '    date: "2026-11-20"', '    expires: "2027-11-20"']
    kept = text[: text.index("  SAF-Q6:")]
    assert updated.startswith(kept)  # header, GRC-Q5 and its list: byte for byte


def test_a_new_file_gets_the_header_and_the_answer(tmp_path):
    path = tmp_path / "attestations.yaml"
    saved = save(path, ABSENT, {"MON-Q6": ANSWER}, ORDER)
    assert not isinstance(saved, Conflict)
    assert path.read_text().startswith("# gatekeeper attestations")
    assert load_attestations(path).answers["MON-Q6"].score == 2
    assert isinstance(save(path, ABSENT, {"MON-Q6": None}, ORDER), Conflict)


def test_a_text_the_reader_refuses_is_never_written(tmp_path):
    path = tmp_path / "attestations.yaml"
    path.write_text(_assessed())
    before = path.read_bytes()
    from gatekeeper.jsonio import sha256_bytes

    with pytest.raises(ConfigError, match="is before its date"):
        save(path, sha256_bytes(before), {"SAF-Q6": {**ANSWER, "expires": "2020-01-01"}}, ORDER)
    assert path.read_bytes() == before
