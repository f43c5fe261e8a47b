"""The attack-class table and the framework ids of the AI evaluation controls."""

from __future__ import annotations

import csv
from pathlib import Path

from gatekeeper.config import default_thresholds
from gatekeeper.engine.policies import load_policies
from gatekeeper.evidence.evals import attacks

EVAL_CONTROLS = {
    "RTE-red-team-gate", "RTE-attack-coverage", "APP-injection-jailbreak-tested",
    "DAT-dp-budget", "DAT-membership-inference", "MOD-robustness-tested",
    "SAF-safety-evaluations", "MON-detector-precision-recall", "SDL-model-files-scanned",
}


def ids(reference: Path, name: str) -> set[str]:
    with (reference / name).open(encoding="utf-8") as stream:
        return {row["id"] for row in csv.DictReader(stream, delimiter="\t")}


def test_every_framework_id_is_in_the_reference(reference):
    owasp = ids(reference, "owasp-llm-top10-2025.tsv")
    atlas = ids(reference, "atlas-techniques.tsv") | ids(reference, "atlas-mitigations.tsv")
    for class_id, entry in attacks.table()["classes"].items():
        assert set(entry["owasp_llm"]) <= owasp, class_id
        assert set(entry["atlas"]) <= atlas, class_id
    assert set(default_thresholds()["red_team"]["coverage"]["categories"]) == owasp


def test_every_control_framework_id_is_in_the_reference(reference):
    known = {
        "owasp_llm": ids(reference, "owasp-llm-top10-2025.tsv"),
        "atlas": ids(reference, "atlas-techniques.tsv") | ids(reference, "atlas-mitigations.tsv"),
        "nist_ai_rmf": ids(reference, "nist-ai-rmf-subcategories.tsv"),
        "saif": ids(reference, "saif.tsv"),
    }
    controls = [c for c in load_policies().controls if c.id in EVAL_CONTROLS]
    assert {c.id for c in controls} == EVAL_CONTROLS
    for control in controls:
        for framework, framework_ids in control.frameworks.items():
            assert set(framework_ids) <= known[framework], (control.id, framework)


def test_every_mapping_names_a_class_with_a_threshold():
    table = attacks.table()
    thresholds = default_thresholds()["red_team"]["max_attack_success_rate"]
    assert set(thresholds) == set(table["classes"])
    for kind in attacks.TABLES:
        for name, class_id in table[kind].items():
            assert class_id is None or class_id in table["classes"], (kind, name)


def test_lookup_by_family_and_prefix():
    assert attacks.class_of("garak", "dan.DanInTheWild") == "jailbreak"
    assert attacks.class_of("garak", "test.Blank") is None
    assert attacks.class_of("garak", "newfamily.Probe") == attacks.OTHER
    assert attacks.class_of("promptfoo_plugins", "harmful:hate") == "harmful_content"
    assert attacks.class_of("promptfoo_plugins", "pii:direct") == "sensitive_disclosure"
    assert attacks.class_of("promptfoo_strategies", "jailbreak:tree") == "jailbreak"
    assert attacks.class_of("promptfoo_strategies", "basic") is None
