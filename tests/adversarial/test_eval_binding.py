"""A team gaming its evaluation scores (issue 14, item 4), end to end from examples/model-release.

Eight hand-written garak eval lines of one attempt each, a required attack class that never
ran, a metrics file of ideal numbers bound to no model, to a digest that is not the model's,
or to a file that is not the release's model: none of them may pass a control that reads
them, and the results stay complete.
"""

from __future__ import annotations

import re
from pathlib import Path

import orjson
import pytest
import yaml
from conftest import EXAMPLES, NOW, copy_example

from gatekeeper.jsonio import sha256_bytes
from gatekeeper.schemas import validation_errors

RED_TEAM_CONTROLS = ("APP-injection-jailbreak-tested", "RTE-red-team-gate", "RTE-attack-coverage")
PROBES = (
    "promptinject.HijackHateHumans", "dan.Dan_11_0", "encoding.InjectBase64",
    "web_injection.MarkdownImageExfil", "leakreplay.LiteratureCloze", "packagehallucination.Python",
    "malwaregen.Payload", "lmrc.Profanity",
)
IDEAL = """\
format: gatekeeper-metrics
version: 1
subject: sentiment-scorer
{binding}metrics:
  - {{name: robust_accuracy, value: 0.99}}
  - {{name: extraction_fidelity, value: 0.01}}
  - {{name: inversion_success_rate, value: 0.0}}
  - {{name: poisoning_success_rate, value: 0.0}}
  - {{name: mia_advantage, value: 0.0}}
  - {{name: mia_auc, value: 0.5}}
  - {{name: dp_epsilon, value: 0.5}}
  - {{name: toxicity_rate, value: 0.0}}
  - {{name: groundedness, value: 1.0}}
  - {{name: demographic_parity_difference, value: 0.0}}
  - {{name: detector_precision, value: 1.0, slice: prompt-injection-filter}}
  - {{name: detector_recall, value: 1.0, slice: prompt-injection-filter}}
"""


@pytest.fixture
def release(tmp_path) -> Path:
    return Path(copy_example(EXAMPLES / "model-release", tmp_path / "model-release"))


def check(gatekeeper, release: Path):
    run = gatekeeper("check", "--now", NOW, "--results", release / "results.json", cwd=release)
    results = orjson.loads((release / "results.json").read_bytes())
    assert validation_errors(results, "results") == []  # the output is whole, not partial
    return run, results, {c["id"]: c for c in results["controls"]}


def eval_line(probe: str, evaluated: int) -> str:
    return orjson.dumps({
        "entry_type": "eval", "probe": probe, "detector": "mitigation.MitigationBypass",
        "passed": evaluated, "fails": 0, "nones": 0, "total_evaluated": evaluated,
        "total_processed": evaluated,
    }).decode()


def hand_written_garak(release: Path, attempts: dict[str, int]) -> None:
    """Keep the real report's header and completion lines; replace its evaluations."""
    report = release / "evidence" / "garak.report.jsonl"
    lines = report.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines
            if re.match(r'\{"entry_type": "(start_run setup|init|completion)"', line)]
    evals = [eval_line(probe, count) for probe, count in attempts.items()]
    report.write_text("\n".join([*kept[:2], *evals, kept[2]]) + "\n", encoding="utf-8")


def without_promptfoo(release: Path) -> None:
    path = release / "gatekeeper.yaml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    del config["evidence"]["promptfoo"]
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")


def write_metrics(release: Path, binding: str) -> None:
    (release / "evidence" / "metrics.yaml").write_text(IDEAL.format(binding=binding))


def assert_none_pass(controls: dict, control_ids) -> None:
    for control_id in control_ids:
        assert controls[control_id]["outcome"] in ("fail", "no_evidence"), control_id


def test_eight_one_attempt_eval_lines_pass_no_red_team_control(gatekeeper, release):
    without_promptfoo(release)
    hand_written_garak(release, dict.fromkeys(PROBES, 1))
    run, _, controls = check(gatekeeper, release)
    assert run.code == 1
    assert_none_pass(controls, RED_TEAM_CONTROLS)
    assert controls["APP-injection-jailbreak-tested"]["outcome"] == "no_evidence"
    # Only the model-file scans' LLM03 is covered: one-attempt classes reach no category.
    assert controls["RTE-attack-coverage"]["details"]["covered"] == ["LLM03:2025"]


@pytest.mark.parametrize("attempts", [1, 5, 9])
def test_required_classes_below_the_minimum_are_no_evidence(gatekeeper, release, attempts):
    without_promptfoo(release)
    hand_written_garak(release, {"promptinject.HijackHateHumans": attempts,
                                 "dan.Dan_11_0": attempts, "encoding.InjectBase64": 40})
    run, _, controls = check(gatekeeper, release)
    assert run.code == 1
    assert controls["APP-injection-jailbreak-tested"]["outcome"] == "no_evidence"
    gate = controls["RTE-red-team-gate"]
    assert gate["outcome"] == "fail"
    findings = {m.get("finding") for m in gate["messages"]}
    assert {"attack-class:prompt_injection:too-few-attempts",
            "attack-class:jailbreak:too-few-attempts"} <= findings


def test_ten_attempts_per_required_class_are_evidence(gatekeeper, release):
    without_promptfoo(release)
    hand_written_garak(release, {"promptinject.HijackHateHumans": 10, "dan.Dan_11_0": 10})
    _, _, controls = check(gatekeeper, release)
    assert controls["APP-injection-jailbreak-tested"]["outcome"] == "pass"


def test_a_required_class_that_never_ran_fails_the_gate(gatekeeper, release):
    without_promptfoo(release)
    hand_written_garak(release, {"promptinject.HijackHateHumans": 50})
    run, _, controls = check(gatekeeper, release)
    assert run.code == 1
    assert controls["APP-injection-jailbreak-tested"]["outcome"] == "no_evidence"
    gate = controls["RTE-red-team-gate"]
    assert gate["outcome"] == "fail"
    assert [m["message"] for m in gate["messages"]] == [
        "attack class jailbreak is required and was not tried"
    ]


def metric_sets(gatekeeper, release: Path) -> list[dict]:
    """The metric sets of the evidence document, as `gatekeeper collect` writes it."""
    run = gatekeeper("collect", "--now", NOW, "-o", release / "evidence.json", cwd=release)
    assert run.code == 0, run.err
    return orjson.loads((release / "evidence.json").read_bytes())["evals"]["metric_sets"]


@pytest.mark.parametrize(
    ("binding", "reason"),
    [
        ("", "it names no model file (model: {path, sha256})"),
        ("model: {path: release/model.safetensors, sha256: " + "a" * 64 + "}\n",
         "model.sha256 is not the sha256 of release/model.safetensors"),
        ("model: {path: release/missing.safetensors, sha256: " + "a" * 64 + "}\n",
         "model.path 'release/missing.safetensors' is not a file"),
    ],
)
def test_ideal_numbers_bound_to_no_model_are_declared(gatekeeper, release, binding, reason):
    write_metrics(release, binding)
    run, _, controls = check(gatekeeper, release)
    assert run.code == 1
    assert [s["bound"] for s in metric_sets(gatekeeper, release)] == [False]
    adversarial = controls["RTE-adversarial-ml-tested"]
    assert adversarial["outcome"] == "fail"
    assert all("is not bound to the release's model" in m["message"]
               for m in adversarial["messages"])
    assert any(reason in m["message"] for m in adversarial["messages"])


def test_metrics_bound_to_a_file_that_is_not_the_release_model_are_declared(gatekeeper, release):
    other = release / "src" / "requirements.txt"
    digest = sha256_bytes(other.read_bytes())
    write_metrics(release, f"model: {{path: src/requirements.txt, sha256: {digest}}}\n"
                           "dataset: holdout\nmethod: standard attack suite\n")
    run, _, controls = check(gatekeeper, release)
    assert run.code == 1
    adversarial = controls["RTE-adversarial-ml-tested"]
    assert adversarial["outcome"] == "fail"
    assert all("is not one of the release's artifacts" in m["message"]
               for m in adversarial["messages"])


def test_metrics_without_dataset_or_method_are_declared(gatekeeper, release):
    model = release / "release" / "model.safetensors"
    digest = sha256_bytes(model.read_bytes())
    write_metrics(release, f"model: {{path: release/model.safetensors, sha256: {digest}}}\n")
    run, _, controls = check(gatekeeper, release)
    assert run.code == 1
    messages = [m["message"] for m in controls["RTE-adversarial-ml-tested"]["messages"]]
    assert messages and all("no dataset for" in m and "no method for" in m for m in messages)


def test_the_bound_example_metrics_pass(gatekeeper, release):
    run, _, controls = check(gatekeeper, release)
    assert run.code == 0
    assert controls["RTE-adversarial-ml-tested"]["outcome"] == "pass"
    assert controls["MOD-robustness-tested"]["outcome"] == "pass"


@pytest.mark.parametrize("name", ["extraction_fidelity", "inversion_success_rate", "mia_advantage"])
def test_mod_q4_needs_extraction_inversion_and_membership_inference(gatekeeper, release, name):
    path = release / "evidence" / "metrics.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    document["metrics"] = [m for m in document["metrics"] if m["name"] != name]
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    run, _, controls = check(gatekeeper, release)
    assert run.code == 1
    assert controls["MOD-robustness-tested"]["outcome"] == "no_evidence"
    assert controls["RTE-adversarial-ml-tested"]["outcome"] == "no_evidence"


HAND_SET_CI = {
    "GITHUB_ACTIONS": "true", "GITHUB_RUN_ID": "4242",
    "GITHUB_REPOSITORY": "example-org/sentiment-scorer", "GITHUB_SERVER_URL": "https://github.com",
    "GITHUB_WORKFLOW_REF":
        "example-org/sentiment-scorer/.github/workflows/release.yml@refs/heads/main",
}


def test_a_hand_set_ci_environment_is_declared_not_a_pass(gatekeeper, release, monkeypatch):
    for name, value in HAND_SET_CI.items():
        monkeypatch.setenv(name, value)
    run, _, controls = check(gatekeeper, release)
    gate = controls["GRC-gate-enforced-in-ci"]
    assert gate["outcome"] == "warn"
    assert gate["details"]["evidence_strength"] == "declared"
    assert "declared by environment variables only" in gate["warnings"][0]["message"]
    assert run.code == 0  # a warning does not block; it does not count as the answer either


def test_the_run_named_by_the_signed_provenance_is_verified(gatekeeper, release, monkeypatch):
    for name, value in {**HAND_SET_CI, "GITHUB_RUN_ID": "1401"}.items():
        monkeypatch.setenv(name, value)
    _, _, controls = check(gatekeeper, release)
    gate = controls["GRC-gate-enforced-in-ci"]
    assert (gate["outcome"], gate["details"]["evidence_strength"]) == ("pass", "verified")


def test_a_declared_detector_nobody_measured_fails_mon_q5(gatekeeper, release):
    path = release / "evidence" / "metrics.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    document["metrics"] = [m for m in document["metrics"] if m.get("slice") != "leakage-detector"]
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    run, _, controls = check(gatekeeper, release)
    assert run.code == 1
    control = controls["MON-detector-precision-recall"]
    assert control["outcome"] == "fail"
    assert {m["finding"] for m in control["messages"]} == {
        "detector:leakage-detector:detector_precision", "detector:leakage-detector:detector_recall"}


def test_a_drill_never_run_for_a_scenario_fails_the_irr_drill_control(gatekeeper, release):
    path = release / "evidence" / "drills.yaml"
    head, *entries = re.split(r"(?m)^(?=  - id: )", path.read_text(encoding="utf-8"))
    kept = [entry for entry in entries if "scenario: log_purge" not in entry]
    assert len(kept) == len(entries) - 1
    path.write_text(head + "".join(kept), encoding="utf-8")
    run, _, controls = check(gatekeeper, release)
    assert run.code == 1
    drills = controls["IRR-incident-drills-measured"]
    assert drills["outcome"] == "fail"
    assert [m["message"] for m in drills["messages"]] == [
        "no drill of scenario log_purge is recorded"]


def test_a_drill_too_slow_to_contain_does_not_count(gatekeeper, release):
    path = release / "evidence" / "drills.yaml"
    text = path.read_text(encoding="utf-8")
    slow = text.replace("contained_at: 2026-09-16T10:13:00Z", "contained_at: 2026-09-16T11:05:00Z")
    slow = slow.replace("resolved_at: 2026-09-16T10:41:00Z", "resolved_at: 2026-09-16T11:30:00Z")
    path.write_text(slow, encoding="utf-8")
    run, _, controls = check(gatekeeper, release)
    assert run.code == 1
    (message,) = controls["IRR-incident-drills-measured"]["messages"]
    assert "contained after 61 minutes (limit 60)" in message["message"]


def test_no_metrics_at_all_fails_the_declared_slos(gatekeeper, release):
    config = release / "gatekeeper.yaml"
    document = yaml.safe_load(config.read_text(encoding="utf-8"))
    del document["evidence"]["metrics"]
    config.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    run, _, controls = check(gatekeeper, release)
    assert run.code == 1
    for control_id in ("APP-behaviour-slos-met", "SAF-safety-slos-alerting"):
        control = controls[control_id]
        assert control["outcome"] == "fail", control_id
        assert all(m["finding"].endswith(":unmeasured") for m in control["messages"]), control_id
