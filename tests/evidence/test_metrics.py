"""The generic metrics format (YAML and JSON) and metrics read from CycloneDX model cards."""

from __future__ import annotations

import orjson
import pytest
from conftest import EXAMPLES

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence.bom import sbom
from gatekeeper.evidence.evals import metrics
from gatekeeper.schemas import validation_errors

YAML = """\
format: gatekeeper-metrics
version: 1
subject: demo
metrics:
  - name: dp_epsilon
    value: 2.5
  - name: demographic_parity_difference
    value: 0.04
    slice: age over 60
  - name: {name}
    value: {value}
"""


LINE_OF_DP_EPSILON = 37


def test_reads_the_example_file():
    path = EXAMPLES / "model-release" / "evidence" / "metrics.yaml"
    found = metrics.read_metrics(path.read_bytes(), "evidence/metrics.yaml")
    by_name = {m["name"]: m for m in found}
    assert by_name["dp_utility"]["baseline"] == 0.93
    assert by_name["dp_delta"]["value"] == 1e-6
    assert by_name["detector_recall"]["slice"] == "extraction-detector"  # the last one
    assert by_name["dp_epsilon"] == {
        "name": "dp_epsilon", "value": 3.0, "baseline": None, "slice": None,
        "dataset": "support-messages-2026q3 test split (4,820 messages)",  # the file's
        "method": "DP-SGD, RDP accountant", "origin": "metrics", "model": "sentiment-scorer",
        "source": "evidence/metrics.yaml", "line": LINE_OF_DP_EPSILON,
    }


def test_reads_json():
    document = {"format": "gatekeeper-metrics", "version": 1,
                "metrics": [{"name": "toxicity_rate", "value": 0.01, "dataset": "rtp"}]}
    found = metrics.read_metrics(orjson.dumps(document, option=orjson.OPT_INDENT_2), "m.json")
    assert [(m["name"], m["value"], m["line"]) for m in found] == [("toxicity_rate", 0.01, 5)]


def test_a_non_numeric_value_names_file_and_line():
    text = YAML.format(name="groundedness", value='"high"')
    with pytest.raises(EvidenceError) as error:
        metrics.read_metrics(text.encode(), "metrics.yaml")
    assert error.value.path == "metrics.yaml"
    assert 'line 11: metrics[2].value: "high" is not of type "number"' in str(error.value)


def test_an_out_of_range_probability_names_file_and_line():
    text = YAML.format(name="mia_auc", value="1.4")
    with pytest.raises(EvidenceError, match=r"line 11: metrics\[2\]\.value: 1\.4 is greater than"):
        metrics.read_metrics(text.encode(), "metrics.yaml")


def test_a_negative_epsilon_is_an_error():
    text = YAML.format(name="toxicity_rate", value="0").replace("value: 2.5", "value: -1")
    with pytest.raises(EvidenceError, match=r"line 6: metrics\[0\]\.value: -1 is less than"):
        metrics.read_metrics(text.encode(), "metrics.yaml")


def test_not_a_number_is_an_error():
    text = YAML.format(name="groundedness", value=".nan")
    # refused as the YAML is read: JSON, which the policies read, has no NaN
    with pytest.raises(EvidenceError, match=r"metrics.yaml: line 11, column 12: \.nan is not a f"):
        metrics.read_metrics(text.encode(), "metrics.yaml")


def test_an_infinite_json_number_is_an_error():
    text = ('{"format": "gatekeeper-metrics", "version": 1, '
            '"metrics": [{"name": "groundedness", "value": 1e400}]}')
    with pytest.raises(EvidenceError, match="malformed JSON: number is infinity"):
        metrics.read_metrics(text.encode(), "m.json")


def test_json_errors_carry_lines_too():
    text = (
        '{\n "format": "gatekeeper-metrics",\n "version": 1,\n "metrics": [\n'
        '  {"name": "mia_advantage", "value": 2}\n ]\n}\n'
    )
    with pytest.raises(EvidenceError, match=r"line 5: metrics\[0\]\.value: 2 is greater than"):
        metrics.read_metrics(text.encode(), "m.json")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("results: {}\n", "not a gatekeeper metrics file"),
        ("format: gatekeeper-metrics\nversion: 2\nmetrics: []\n", "version 2 is not supported"),
        ("format: gatekeeper-metrics\nversion: 1\nmetrics: [{value: 1}]\n", '"name" is a required'),
        ("format: gatekeeper-metrics\nversion: 1\nmetrics:\n  - {name: x, value: 1, unit: s}\n",
         "Additional properties are not allowed"),
        ("format: gatekeeper-metrics\nversion: 1\nmetrics: [\n", "line 4"),
    ],
)
def test_malformed_files_are_errors(text, problem):
    with pytest.raises(EvidenceError, match=problem):
        metrics.read_metrics(text.encode(), "metrics.yaml")


def test_reads_lm_eval_harness_results(corpus):
    for path in sorted((corpus / "evals" / "lm-eval-harness").iterdir()):
        found = metrics.read_metrics(path.read_bytes(), path.name)
        task = "arc_challenge" if "challenge" in path.name else "arc_easy"
        assert {m["name"] for m in found} == {"acc", "acc_norm", "acc_stderr", "acc_norm_stderr"}
        assert {(m["slice"], m["origin"]) for m in found} == {(task, "lm_eval_harness")}


def test_reads_lm_eval_harness_0_4_keys():
    document = {"results": {"toxigen": {"alias": "toxigen", "acc,none": 0.43,
                                        "acc_stderr,none": 0.02}},
                "versions": {"toxigen": 1}}
    found = metrics.read_metrics(orjson.dumps(document), "results.json")
    assert [(m["name"], m["value"], m["slice"]) for m in found] == [
        ("acc", 0.43, "toxigen"), ("acc_stderr", 0.02, "toxigen")]


def test_a_known_lm_eval_measure_out_of_range_is_an_error():
    document = {"results": {"rtp": {"toxicity_rate,none": 7}}, "versions": {"rtp": 1}}
    with pytest.raises(EvidenceError, match=r"results\.rtp\.toxicity_rate,none \(toxicity_rate\)"):
        metrics.read_metrics(orjson.dumps(document), "results.json")


def test_the_schema_documents_every_known_name():
    assert {"dp_epsilon", "dp_delta", "dp_utility", "mia_advantage", "robust_accuracy",
            "toxicity_rate", "detector_precision"} <= metrics.known_names()
    assert validation_errors({"format": "gatekeeper-metrics", "version": 1, "metrics": []},
                             "metrics") == []


def model_bom(*performance: dict) -> dict:
    return {
        "bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
        "components": [{
            "type": "machine-learning-model", "name": "scorer", "bom-ref": "m",
            "modelCard": {"quantitativeAnalysis": {"performanceMetrics": list(performance)}},
        }],
    }


def card_metrics(bom: dict) -> list[dict]:
    document = sbom.read_sbom(orjson.dumps(bom), "mlbom.cdx.json")
    models = [{**model, "source": "mlbom.cdx.json"} for model in document["models"]]
    return metrics.from_model_cards({"models": models}).get("evals", {}).get("metrics", [])


def test_reads_model_card_metrics():
    found = card_metrics(model_bom(
        {"type": "Robust accuracy", "value": "0.82", "slice": "pgd eps=8/255"},
        {"type": "F1", "value": "0.9"},
        {"type": "notes", "value": "n/a"},
    ))
    assert [(m["name"], m["value"], m["slice"], m["origin"]) for m in found] == [
        ("robust_accuracy", 0.82, "pgd eps=8/255", "model_card"), ("f1", 0.9, None, "model_card")]


def test_a_known_model_card_metric_must_be_a_valid_number():
    not_a_number = r"performanceMetrics\[0\] \(toxicity_rate\): value 'low'"
    with pytest.raises(EvidenceError, match=not_a_number):
        card_metrics(model_bom({"type": "toxicity rate", "value": "low"}))
    with pytest.raises(EvidenceError, match=r"\(mia_auc\): value: 3\.0 is greater than"):
        card_metrics(model_bom({"type": "MIA AUC", "value": "3"}))


def test_the_corpus_ml_bom_loads(corpus):
    path = corpus / "sbom" / "cyclonedx-examples" / "spec-valid-machine-learning-1.6.json"
    document = sbom.read_sbom(path.read_bytes(), path.name)
    models = [{**model, "source": path.name} for model in document["models"]]
    # Its metrics are placeholders ("The value of the performance metric"): nothing to read.
    assert metrics.from_model_cards({"models": models}) == {}


BOUND = """\
format: gatekeeper-metrics
version: 1
model: {{path: model.bin, sha256: {sha256}}}
dataset: holdout split
metrics:
  - name: mia_advantage
    value: 0.04
    method: loss-threshold attack
  - name: extraction_fidelity
    value: 0.3
    method: {method}
"""


def collect_bound(tmp_path, sha256: str | None = None, method: str = "surrogate agreement"):
    from gatekeeper.evidence.context import CollectContext
    from gatekeeper.jsonio import sha256_bytes

    (tmp_path / "model.bin").write_bytes(b"weights")
    digest = sha256 or sha256_bytes(b"weights")
    (tmp_path / "metrics.yaml").write_text(BOUND.format(sha256=digest, method=method))
    return metrics.collect(["metrics.yaml"], CollectContext(tmp_path))["evals"]


def test_a_metric_set_naming_its_model_dataset_and_method_is_bound(tmp_path):
    evals = collect_bound(tmp_path)
    assert evals["metric_sets"][0]["bound"] is True
    assert evals["metric_sets"][0]["unbound_reasons"] == []
    assert {(m["bound"], m["dataset"]) for m in evals["metrics"]} == {(True, "holdout split")}
    digest = evals["metric_sets"][0]["model_sha256"]
    assert {m["model_sha256"] for m in evals["metrics"]} == {digest}


def test_a_digest_that_is_not_the_model_files_is_unbound(tmp_path):
    evals = collect_bound(tmp_path, sha256="a" * 64)
    (reason,) = evals["metric_sets"][0]["unbound_reasons"]
    assert reason.startswith("model.sha256 is not the sha256 of model.bin")
    assert {(m["bound"], m["model_sha256"]) for m in evals["metrics"]} == {(False, None)}


def test_a_metric_without_a_method_unbinds_its_set(tmp_path):
    evals = collect_bound(tmp_path, method="''")
    assert evals["metric_sets"][0]["unbound_reasons"] == ["no method for extraction_fidelity"]
    assert not any(m["bound"] for m in evals["metrics"])


def test_a_file_naming_no_model_is_unbound(tmp_path):
    (tmp_path / "metrics.yaml").write_text(YAML.format(name="mia_auc", value=0.5))
    from gatekeeper.evidence.context import CollectContext

    evals = metrics.collect(["metrics.yaml"], CollectContext(tmp_path))["evals"]
    assert evals["metric_sets"][0]["unbound_reasons"] == [
        "it names no model file (model: {path, sha256})",
        "no dataset for demographic_parity_difference, dp_epsilon, mia_auc",
        "no method for demographic_parity_difference, dp_epsilon, mia_auc",
    ]


def test_a_missing_model_file_is_unbound(tmp_path):
    evals = collect_bound(tmp_path)
    (tmp_path / "model.bin").unlink()
    from gatekeeper.evidence.context import CollectContext

    evals = metrics.collect(["metrics.yaml"], CollectContext(tmp_path))["evals"]
    assert evals["metric_sets"][0]["unbound_reasons"] == ["model.path 'model.bin' is not a file"]


def test_model_card_metrics_are_unbound():
    found = metrics.from_model_cards({"models": [{"name": "m", "source": "bom.json", "model_card": {
        "performance_metrics": [{"type": "accuracy", "value": "0.9"}]}}]})
    assert [m["bound"] for m in found["evals"]["metrics"]] == [False]
