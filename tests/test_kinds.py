"""System kinds: which controls apply, the not_applicable outcome, and kinds the evidence denies."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from conftest import EXAMPLES, NOW

from gatekeeper.engine.policies import load_policies
from gatekeeper.errors import ConfigError
from gatekeeper.kinds import (
    KINDS,
    LLM_KINDS,
    applies,
    declared_kinds,
    llm_signals,
    not_applicable,
    refuse_contradicting_evidence,
)

MODEL_RELEASE = EXAMPLES / "model-release"
GARAK = MODEL_RELEASE / "evidence" / "garak.report.jsonl"
LLM = ("llm-app", "rag", "agent")
GARAK_EVIDENCE = "  garak: [garak.report.jsonl]\n"


def _control(applies_to: tuple[str, ...]):
    from dataclasses import replace

    return replace(load_policies().control("SDL-sbom-present"), applies_to=applies_to)


# --- declared kinds -----------------------------------------------------------------------------


def test_no_kinds_declared_is_every_kind():
    assert declared_kinds({"version": 1}, "ai-system.yaml") is None


def test_declared_kinds_are_kept_in_order():
    assert declared_kinds({"kinds": ["rag", "classical-ml"]}, "x") == ("rag", "classical-ml")


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (["classical-ml", "llm"], "unknown system kind 'llm' (allowed: classical-ml, llm-app, rag, "
                                  "agent, training-pipeline)"),
        ([], "expected a non-empty list"),
        ("classical-ml", "expected a non-empty list"),
        (["rag", "rag"], "listed twice"),
    ],
)
def test_a_wrong_kinds_value_is_a_usage_error_naming_the_file(value, problem):
    with pytest.raises(ConfigError) as error:
        declared_kinds({"kinds": value}, "deploy/ai-system.yaml")
    assert str(error.value).startswith("deploy/ai-system.yaml: kinds:")
    assert problem in str(error.value)
    assert error.value.exit_code == 2


def test_the_manifest_schema_lists_the_kinds_gatekeeper_knows():
    from gatekeeper.schemas import schema

    assert tuple(schema("ai-system")["properties"]["kinds"]["items"]["enum"]) == KINDS


# --- applicability ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("applies_to", "kinds", "expected"),
    [
        ((), ("classical-ml",), True),              # a control for every kind
        (LLM, None, True),                          # a system that declares none is every kind
        (LLM, ("classical-ml",), False),
        (LLM, ("classical-ml", "agent"), True),     # one kind in common is enough
        (("rag",), ("llm-app",), False),
        (("training-pipeline",), ("training-pipeline",), True),
    ],
)
def test_a_control_applies_when_it_shares_a_kind_with_the_system(applies_to, kinds, expected):
    assert applies(_control(applies_to), kinds) is expected


def test_the_reason_names_both_sides():
    reasons = not_applicable([_control(("llm-app", "agent"))], ("classical-ml",))
    assert reasons == {"SDL-sbom-present": "applies to llm-app, agent; this system is classical-ml"}
    assert not_applicable([_control(("llm-app",))], None) == {}


def test_classical_ml_leaves_out_every_llm_control_and_keeps_the_rest():
    controls = load_policies().controls
    left_out = not_applicable(controls, ("classical-ml",))
    assert {"APP-injection-jailbreak-tested", "RTE-red-team-gate", "SAF-safety-evaluations",
            "MON-ai-threat-detectors", "DAT-ai-data-classified-dlp", "DAT-dp-budget",
            "APP-tools-least-privilege", "APP-rag-moderated-grounded"} <= set(left_out)
    assert 20 <= len(left_out) <= 25
    for kept in ("SDL-sbom-present", "SDL-model-files-scanned", "MOD-robustness-tested",
                 "MON-telemetry-full-stack", "RTE-threat-model-atlas-stride"):
        assert kept not in left_out
    # every LLM-only control is left out, and nothing that applies to classical-ml is
    for control in controls:
        assert (control.id in left_out) == bool(
            control.applies_to and "classical-ml" not in control.applies_to
        )


def test_an_llm_app_keeps_the_llm_controls_but_not_the_training_ones():
    left_out = not_applicable(load_policies().controls, ("llm-app",))
    assert "RTE-red-team-gate" not in left_out and "APP-prompt-guardrails-defined" not in left_out
    assert {"DAT-dp-budget", "HIL-canary-data-in-labeling", "APP-tools-least-privilege",
            "APP-rag-moderated-grounded"} <= set(left_out)


# --- evidence that contradicts the kinds --------------------------------------------------------


def _model(**card) -> dict:
    return {"name": "m", "source": "evidence/mlbom.cdx.json", "model_card": card or None,
            "properties": {}}


@pytest.mark.parametrize(
    ("evidence", "path", "why"),
    [
        ({"sbom": {"models": [_model(task="text-generation")]}},
         "evidence/mlbom.cdx.json", "has task 'text-generation'"),
        ({"sbom": {"models": [{**_model(), "properties": {"model:family": "LLM"}}]}},
         "evidence/mlbom.cdx.json", "has property model:family='LLM'"),
        ({"sbom": {"models": [{**_model(), "properties": {"kind": "large language model"}}]}},
         "evidence/mlbom.cdx.json", "has property kind='large language model'"),
        ({"evals": {"runs": [{"tool": "garak", "source": "ev/garak.jsonl"}]}},
         "ev/garak.jsonl", "a garak run"),
        ({"evals": {"runs": [{"tool": "promptfoo", "source": "ev/pf.json"}]}},
         "ev/pf.json", "a promptfoo run"),
        ({"manifest": {"source": "ai-system.yaml",
                       "declared": {"guardrails": {"prompt_templates": [{"id": "a"}]}}}},
         "ai-system.yaml", "guardrails.prompt_templates"),
        ({"manifest": {"source": "ai-system.yaml", "declared": {"tools": {"allowed": [{}]}}}},
         "ai-system.yaml", "tools.allowed"),
        ({"manifest": {"source": "ai-system.yaml",
                       "declared": {"retrieval": {"vector_stores": [{}]}}}},
         "ai-system.yaml", "retrieval.vector_stores"),
        ({"manifest": {"source": "ai-system.yaml",
                       "declared": {"retrieval": {"ingestion": [{}]}}}},
         "ai-system.yaml", "retrieval.ingestion"),
    ],
)
def test_each_llm_signal_names_its_file(evidence, path, why):
    found = list(llm_signals(evidence))
    assert len(found) == 1 and found[0][0] == path and why in found[0][1]
    with pytest.raises(ConfigError) as error:
        refuse_contradicting_evidence(evidence, ("classical-ml",), allowed=False)
    assert f"{path}: " in str(error.value) and error.value.exit_code == 2
    assert "declares classical-ml but the evidence shows an LLM" in str(error.value)


@pytest.mark.parametrize(
    "evidence",
    [
        {"sbom": {"models": [_model(task="tabular-classification")]}},
        {"sbom": {"models": [{**_model(), "properties": {"framework": "scikit-learn"}}]}},
        {"sbom": {"models": [{**_model(), "properties": {"owner": "allm-team"}}]}},  # a word
        {"evals": {"runs": [{"tool": "lm-eval", "source": "x"}]}},
        {"manifest": {"source": "a", "declared": {"tools": {"allowed": []}, "retrieval": {}}}},
    ],
)
def test_classical_evidence_is_no_llm_signal(evidence):
    assert list(llm_signals(evidence)) == []
    refuse_contradicting_evidence(evidence, ("classical-ml",), allowed=False)


GARAK_RUN = {"evals": {"runs": [{"tool": "garak", "source": "garak.jsonl"}]}}


@pytest.mark.parametrize("kind", sorted(LLM_KINDS))
def test_any_llm_kind_accepts_llm_evidence(kind):
    refuse_contradicting_evidence(GARAK_RUN, ("classical-ml", kind), allowed=False)


@pytest.mark.parametrize("kinds", [("classical-ml",), ("training-pipeline",),
                                   ("classical-ml", "training-pipeline")])
def test_kinds_without_an_llm_kind_are_refused(kinds):
    with pytest.raises(ConfigError):
        refuse_contradicting_evidence(GARAK_RUN, kinds, allowed=False)


def test_undeclared_kinds_or_the_org_policy_accept_the_evidence():
    refuse_contradicting_evidence(GARAK_RUN, None, allowed=False)
    refuse_contradicting_evidence(GARAK_RUN, ("classical-ml",), allowed=True)


def test_an_ml_bom_model_task_and_properties_reach_the_evidence():
    from gatekeeper.evidence.bom.cyclonedx import normalize

    bom = {"specVersion": "1.6", "components": [{
        "type": "machine-learning-model", "name": "chat", "version": "1",
        "properties": [{"name": "gatekeeper:kind", "value": "llm"}],
        "modelCard": {"modelParameters": {"task": "text-generation"}},
    }]}
    model = normalize(bom, serialization="json", validation_errors=[])["models"][0]
    assert model["model_card"]["task"] == "text-generation"
    assert model["properties"] == {"gatekeeper:kind": "llm"}


# --- end to end ---------------------------------------------------------------------------------

MODEL_BYTES = b"a scikit-learn model, skops format\n"


def _mlbom(task: str) -> dict:
    return {
        "bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
        "metadata": {"tools": {"components": [{"type": "application", "name": "hand"}]}},
        "components": [{
            "type": "machine-learning-model", "bom-ref": "model:churn@1.0.0",
            "name": "churn", "version": "1.0.0",
            "hashes": [{"alg": "SHA-256", "content": hashlib.sha256(MODEL_BYTES).hexdigest()}],
            "modelCard": {"modelParameters": {"task": task}},
        }],
    }


def classical_project(
    root: Path,
    *,
    kinds: str = "[classical-ml]",
    task: str = "tabular-classification",
    extra_evidence: str = "",
) -> Path:
    """A tabular model's repository: the model, its ML-BOM, a manifest and gatekeeper.yaml."""
    (root / "release").mkdir(parents=True)
    (root / "release" / "model.skops").write_bytes(MODEL_BYTES)
    (root / "mlbom.cdx.json").write_text(json.dumps(_mlbom(task)))
    (root / "ai-system.yaml").write_text(
        "version: 1\n"
        f"kinds: {kinds}\n"
        "system:\n"
        "  name: churn\n"
        "  description: Predicts customer churn from account features.\n"
        "  intended_purpose: Ranking accounts for retention offers.\n"
        "  risk_tier: EUAIA-RC-MINIMAL\n"
        "owners:\n"
        "  - {id: ml, name: ML team, email: ml@example.com}\n"
    )
    (root / "gatekeeper.yaml").write_text(
        "version: 1\n"
        "subject: {name: churn, version: 1.0.0}\n"
        "artifacts:\n  - {path: release/model.skops, kind: model}\n"
        "evidence:\n"
        "  manifest: ai-system.yaml\n"
        "  sbom: [mlbom.cdx.json]\n"
        + extra_evidence
    )
    return root


def _check(gatekeeper, folder: Path, *args: str):
    results = folder / "results.json"
    run = gatekeeper("check", "--now", NOW, "--results", results, *args, cwd=folder)
    document = json.loads(results.read_text()) if results.exists() else None
    return run, document


LLM_ONLY = {c.id for c in load_policies().controls
            if c.applies_to and "classical-ml" not in c.applies_to}


def test_a_classical_ml_system_shows_no_llm_control_failing_or_missing(gatekeeper, tmp_path):
    run, results = _check(gatekeeper, classical_project(tmp_path / "churn"))
    assert run.code == 1  # it lacks signatures, scans... but not LLM evidence
    controls = {c["id"]: c for c in results["controls"]}
    assert results["kinds"] == ["classical-ml"]
    for control_id in LLM_ONLY:
        control = controls[control_id]
        assert control["outcome"] == "not_applicable", control_id
        assert control["not_applicable"].endswith("; this system is classical-ml")
        assert not any(control_id in reason for reason in results["verdict"]["reasons"])
    assert controls["RTE-red-team-gate"]["not_applicable"] == (
        "applies to llm-app, rag, agent; this system is classical-ml"
    )
    assert results["summary"]["not_applicable"] == len(LLM_ONLY)
    # the rest is evaluated as before: its missing evidence still blocks
    assert controls["SDL-model-files-scanned"]["outcome"] == "no_evidence"
    assert controls["SDL-mlbom-covers-models"]["outcome"] == "pass"
    # a classical-ml system need not capture prompts, tool calls or retrievals
    telemetry = [m["message"] for m in controls["MON-telemetry-full-stack"]["messages"]]
    assert not any("prompts" in m or "tool calls" in m or "retrievals" in m for m in telemetry)
    assert any("inputs" in m for m in telemetry)
    # nothing the gate says about mandatory families is about a control that does not apply
    gates = controls["GRC-mandatory-gates-blocking"]
    assert gates["outcome"] == "pass", gates["messages"]


def test_not_applicable_questions_count_nowhere_in_maturity(gatekeeper, tmp_path):
    _, results = _check(gatekeeper, classical_project(tmp_path / "churn"))
    questions = {q["id"]: q for q in results["maturity"]["questions"]}
    for question_id in ("APP-Q1", "APP-Q6", "RTE-Q2", "HIL-Q1", "SAF-Q2", "MON-Q4"):
        assert questions[question_id]["not_applicable"] == (
            "not applicable to a classical-ml system"
        ), question_id
    assert "not_applicable" not in questions["APP-Q2"]  # rate limits apply to every endpoint
    assert "not_applicable" not in questions["APP-Q8"]  # attested: no control says otherwise
    app = next(d for d in results["maturity"]["domains"] if d["id"] == "APP")
    app_questions = [q for q in questions.values() if q["domain"] == "APP"]
    assert app["questions_not_applicable"] == 6
    assert app["questions_total"] == len(app_questions) - 6
    assert not {b["question"] for b in app["blockers"]} & {"APP-Q1", "APP-Q6"}


def test_a_classical_ml_system_shipping_garak_evidence_is_refused(gatekeeper, tmp_path):
    project = classical_project(tmp_path / "churn", extra_evidence=GARAK_EVIDENCE)
    (project / "garak.report.jsonl").write_bytes(GARAK.read_bytes())
    run, results = _check(gatekeeper, project)
    assert run.code == 2 and results is None
    assert (
        "ai-system.yaml: kinds: the system declares classical-ml but the evidence shows an LLM"
        in run.err
    )
    assert "garak.report.jsonl: a garak run" in run.err
    assert "Traceback" not in run.err


def test_an_ml_bom_naming_an_llm_contradicts_classical_ml(gatekeeper, tmp_path):
    run, _ = _check(gatekeeper, classical_project(tmp_path / "chat", task="text-generation"))
    assert run.code == 2
    assert "mlbom.cdx.json: ML-BOM model 'churn' has task 'text-generation'" in run.err


def test_the_org_policy_may_accept_contradicting_evidence(gatekeeper, tmp_path, monkeypatch):
    project = classical_project(tmp_path / "churn", extra_evidence=GARAK_EVIDENCE)
    (project / "garak.report.jsonl").write_bytes(GARAK.read_bytes())
    org = tmp_path / "org.yaml"
    org.write_text("version: 1\nkinds: {allow_contradicting_evidence: true}\n")
    run, results = _check(gatekeeper, project, "--org-policy", org)
    assert run.code == 1 and results is not None
    assert {c["id"]: c for c in results["controls"]}["RTE-red-team-gate"]["outcome"] == (
        "not_applicable"
    )
    org.write_text("version: 1\nkinds: {allow_contradicting_evidence: false}\n")
    assert _check(gatekeeper, project, "--org-policy", org)[0].code == 2


def test_the_same_system_declared_as_an_llm_app_is_gated_as_one(gatekeeper, tmp_path):
    project = classical_project(tmp_path / "chat", kinds="[llm-app]", task="text-generation",
                                extra_evidence=GARAK_EVIDENCE)
    (project / "garak.report.jsonl").write_bytes(GARAK.read_bytes())
    _, results = _check(gatekeeper, project)
    controls = {c["id"]: c for c in results["controls"]}
    assert controls["RTE-red-team-gate"]["outcome"] != "not_applicable"
    assert controls["APP-prompt-guardrails-defined"]["outcome"] == "no_evidence" or (
        controls["APP-prompt-guardrails-defined"]["outcome"] == "fail"
    )
    assert controls["DAT-dp-budget"]["outcome"] == "not_applicable"


def test_an_unknown_kind_stops_the_gate_with_exit_2(gatekeeper, tmp_path):
    run, results = _check(gatekeeper, classical_project(tmp_path / "x", kinds="[tabular]"))
    assert run.code == 2 and results is None
    assert "ai-system.yaml: kinds: unknown system kind 'tabular' (allowed: classical-ml" in run.err


def test_a_mandatory_control_that_does_not_apply_may_be_disabled(gatekeeper, tmp_path):
    project = classical_project(tmp_path / "churn")
    config = project / "gatekeeper.yaml"
    config.write_text(config.read_text() + "profile:\n  disabled: [RTE-red-team-gate]\n")
    run, results = _check(gatekeeper, project)
    assert run.code == 1, run.err  # the gate runs: not a refused profile
    gates = {c["id"]: c for c in results["controls"]}["GRC-mandatory-gates-blocking"]
    assert gates["outcome"] == "pass", gates["messages"]
    # the same profile for an LLM app is refused: there the red-team gate is required
    (project / "ai-system.yaml").write_text(
        (project / "ai-system.yaml").read_text().replace("[classical-ml]", "[llm-app]")
    )
    (project / "mlbom.cdx.json").write_text(json.dumps(_mlbom("text-generation")))
    run, _ = _check(gatekeeper, project)
    assert run.code == 2
    assert "RTE-red-team-gate is disabled in the profile" in run.err


@pytest.mark.parametrize(("example", "code"), [("model-release", 0), ("unsafe-release", 1)])
def test_the_examples_declare_no_kinds_and_keep_their_verdicts(gatekeeper, tmp_path, example, code):
    results = tmp_path / "results.json"
    run = gatekeeper("check", "--now", NOW, "--results", results, cwd=EXAMPLES / example)
    assert run.code == code
    document = json.loads(results.read_text())
    assert document["kinds"] is None and document["summary"]["not_applicable"] == 0


# --- maturity -----------------------------------------------------------------------------------


def _q(qid: str, target: int, score: int, na: bool = False) -> dict:
    question = {"id": qid, "target_level": target, "score": score, "limits": []}
    if na:
        question["not_applicable"] = "not applicable to a classical-ml system"
    return question


def test_a_question_that_does_not_apply_neither_holds_a_domain_back_nor_lifts_it():
    from gatekeeper.scoring import domain_level

    met_2 = _q("A-Q1", 2, 3)
    assert domain_level([met_2, _q("A-Q2", 2, 0, na=True), _q("A-Q3", 3, 0)]) == 2
    # a level whose only questions do not apply is not earned
    assert domain_level([met_2, _q("A-Q2", 3, 0, na=True), _q("A-Q3", 4, 4)]) == 2
    assert domain_level([_q("A-Q1", 2, 4, na=True)]) == 1
    # the same questions, all applicable, as before kinds existed
    assert domain_level([met_2, _q("A-Q2", 3, 3), _q("A-Q3", 4, 3)]) == 5


def test_a_prerequisite_that_does_not_apply_caps_nothing():
    from gatekeeper.scoring import apply_prerequisites

    questions = [_q("A-Q1", 2, 0, na=True), _q("A-Q2", 3, 3), _q("A-Q3", 3, 0), _q("A-Q4", 4, 4)]
    apply_prerequisites(questions, {"A-Q2": ("A-Q1",), "A-Q4": ("A-Q3",)})
    assert [q["score"] for q in questions] == [0, 3, 0, 0]


def test_a_question_whose_controls_do_not_all_apply_scores_from_the_rest():
    from datetime import datetime, timezone

    from gatekeeper.catalog.loader import load_catalog
    from gatekeeper.config import Enforcement
    from gatekeeper.results import Outcome
    from gatekeeper.scoring import ControlOutcome, score_question

    question = load_catalog().question("RTE-Q2")
    now = datetime(2026, 11, 28, tzinfo=timezone.utc)
    na = ControlOutcome("RTE-red-team-gate", Outcome.NOT_APPLICABLE, Enforcement.BLOCKING,
                        strength="measured")
    passed = ControlOutcome("X-other", Outcome.PASS, Enforcement.BLOCKING, strength="measured")
    entry = score_question(question, [na, passed], None, now)
    assert "not_applicable" not in entry and entry["base_score"] == 4
    alone = score_question(question, [na], None, now, not_applicable_to="not for this one")
    assert (alone["not_applicable"], alone["score"], alone["source"]) == (
        "not for this one", 0, "none")
    assert score_question(question, [], None, now).get("not_applicable") is None
