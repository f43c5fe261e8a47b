"""The system manifest collector: ai-system.yaml read strictly and validated; templates recorded."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLES

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence import load_evidence
from gatekeeper.evidence.context import CollectContext
from gatekeeper.evidence.release.manifest import (
    collect,
    find_placeholders,
    read_manifest,
    risk_tiers,
)
from gatekeeper.jsonio import dumps, sha256_bytes
from gatekeeper.schemas import schema

EXAMPLE = EXAMPLES / "model-release" / "ai-system.yaml"
TEXT = EXAMPLE.read_text(encoding="utf-8")


def _read(text: str) -> dict:
    return read_manifest(text.encode("utf-8"), "ai-system.yaml")


def _error(text: str) -> str:
    with pytest.raises(EvidenceError) as error:
        _read(text)
    return str(error.value)


def _edited(old: str, new: str) -> str:
    assert old in TEXT
    return TEXT.replace(old, new, 1)


def test_the_example_manifest_is_valid_and_uses_every_section():
    manifest = _read(TEXT)
    # kinds: the example is every kind, so it declares none (tests/test_kinds.py declares them)
    assert set(manifest) == set(schema("ai-system")["properties"]) - {"kinds"}
    assert manifest["system"]["risk_tier"] == "EUAIA-RC-LIMITED"
    assert manifest["models"][1]["version"] == "2024-11-20"  # dates stay strings


def test_an_unknown_key_names_the_file_the_key_and_its_line():
    text = _edited(
        "      encryption: {at_rest: aws-kms",
        "      encrypted: true\n      encryption: {at_rest: aws-kms",
    )
    message = _error(text)
    line = text.splitlines().index("      encrypted: true")  # the storage mapping starts above
    assert message.startswith("ai-system.yaml: invalid system manifest:")
    assert f"line {line}: models[0].storage:" in message
    assert "'encrypted'" in message


def test_a_wrong_type_names_the_key():
    message = _error(_edited("    requests_per_minute: 120\n", '    requests_per_minute: "120"\n'))
    assert "rate_limits[0].requests_per_minute:" in message
    assert "not of type" in message and '"integer"' in message


def test_an_unknown_risk_tier_is_an_error():
    message = _error(_edited("risk_tier: EUAIA-RC-LIMITED", "risk_tier: EUAIA-RC-MEDIUM"))
    assert "system.risk_tier:" in message and "EUAIA-RC-MEDIUM" in message
    assert f"line {TEXT.splitlines().index('  risk_tier: EUAIA-RC-LIMITED') + 1}:" in message
    assert "hint: the EU AI Act risk tiers are EUAIA-RC-UNACCEPTABLE, EUAIA-RC-HIGH," in message


def test_the_risk_tiers_are_the_eu_ai_act_categories_of_the_reference(reference):
    with (reference / "eu-ai-act.tsv").open(encoding="utf-8") as stream:
        categories = [
            row["id"]
            for row in csv.DictReader(stream, delimiter="\t")
            if row["type"] == "risk_category"
        ]
    assert risk_tiers() == categories


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("version: 1\nversion: 1\n", "duplicate key 'version'"),
        ("- version: 1\n", "expected a mapping at the top level"),
        ("version: 1\nsystem: [\n", "line 3"),
        ("version: 2\nsystem: {}\nowners: []\n", "version: 1 was expected"),
    ],
)
def test_malformed_manifests_name_the_file(text, problem):
    message = _error(text)
    assert message.startswith("ai-system.yaml: ")
    assert problem in message


def test_a_provider_model_cannot_claim_a_digest():
    text = _edited(
        "    provider: azure.ai.openai\n",
        "    provider: azure.ai.openai\n    digest: sha256:" + "0" * 64 + "\n",
    )
    assert "models[1]:" in _error(text)


def test_not_utf8_is_an_error():
    with pytest.raises(EvidenceError, match=r"ai-system\.yaml: not UTF-8"):
        read_manifest(b"\xff\xfe\x00version", "ai-system.yaml")


@pytest.fixture
def folder(tmp_path) -> Path:
    shutil.copy(EXAMPLE, tmp_path / "ai-system.yaml")
    shutil.copytree(EXAMPLE.parent / "prompts", tmp_path / "prompts")
    return tmp_path


def test_collect_records_the_manifest_and_its_prompt_templates(folder):
    context = CollectContext(folder)
    section = collect("ai-system.yaml", context)["manifest"]
    template = (folder / "prompts" / "reply-draft.txt").read_bytes()
    assert section["source"] == "ai-system.yaml"
    assert section["declared"]["system"]["name"] == "support-triage"
    assert section["prompt_templates"] == [
        {"id": "reply-draft", "path": "prompts/reply-draft.txt", "sha256": sha256_bytes(template)}
    ]
    assert [(s.path, s.collector) for s in context.sources] == [
        ("ai-system.yaml", "manifest"),
        ("prompts/reply-draft.txt", "manifest"),
    ]


def test_a_missing_prompt_template_is_an_error_naming_the_key(folder):
    (folder / "prompts" / "reply-draft.txt").unlink()
    with pytest.raises(EvidenceError) as error:
        collect("ai-system.yaml", CollectContext(folder))
    assert str(error.value).startswith("ai-system.yaml: guardrails.prompt_templates[0].path:")


def test_one_manifest_per_system(folder):
    shutil.copy(folder / "ai-system.yaml", folder / "other-system.yaml")
    with pytest.raises(EvidenceError, match="names 2 files; name exactly one"):
        collect("*.yaml", CollectContext(folder))


def test_a_saved_evidence_document_is_checked_against_the_manifest_schema(tmp_path, gatekeeper):
    evidence = tmp_path / "evidence.json"
    run = gatekeeper(
        "collect", "--now", "2026-11-28T12:00:00Z", "-o", evidence, cwd=EXAMPLES / "model-release"
    )
    assert run.code == 0, run.err
    assert load_evidence(evidence)["manifest"]["declared"]["system"]["name"] == "support-triage"
    document = load_evidence(evidence)
    document["manifest"]["declared"]["system"]["risk_tier"] = "EUAIA-RC-NONE"
    evidence.write_bytes(dumps(document))
    with pytest.raises(EvidenceError, match=r"manifest\.declared\.system\.risk_tier"):
        load_evidence(evidence)


def test_placeholders_in_free_text_facts_are_listed_with_field_and_line():
    assert find_placeholders(_read(TEXT), TEXT) == []
    manifest = _read(TEXT)
    manifest["rollback"]["automation"] = "TBD"
    manifest["models"][0]["storage"]["encryption"]["key"] = "changeme"
    found = {p["field"]: p for p in find_placeholders(manifest, TEXT)}
    assert set(found) == {"rollback.automation", "models[0].storage.encryption.key"}
    assert found["models[0].storage.encryption.key"]["key"] == "models.storage.encryption.key"
    assert found["rollback.automation"]["reason"] == "'TBD' is a placeholder"
    lines = TEXT.splitlines()
    automation_line = next(n for n, line in enumerate(lines, 1) if line.startswith("  automation:"))
    assert found["rollback.automation"]["line"] == automation_line


def test_every_free_text_fact_is_checked_in_lists_and_mappings():
    manifest = _read(TEXT)
    manifest["labeling"]["workforce"][0]["vetting"]["checks"][-1] = "N/A"
    manifest["telemetry"]["captures"]["outputs"]["redaction"] = "-"
    found = {p["field"] for p in find_placeholders(manifest, TEXT)}
    checks = len(manifest["labeling"]["workforce"][0]["vetting"]["checks"]) - 1
    assert found == {
        f"labeling.workforce[0].vetting.checks[{checks}]",
        "telemetry.captures.outputs.redaction",
    }
