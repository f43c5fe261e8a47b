"""End to end: scanner reports, Kubernetes manifests and Dockerfiles through `gatekeeper check`."""

from pathlib import Path

import orjson
import pytest
from conftest import EXAMPLES, NOW, copy_example

from gatekeeper.schemas import validation_errors

INFRASTRUCTURE_CONTROLS = (
    "INF-network-segmented", "INF-no-privileged-pods", "INF-gpu-pools-isolated",
    "INF-images-pinned", "INF-iac-scanned", "INF-confidential-computing",
    "DAT-encryption-configured", "HIL-annotation-segmented",
)


@pytest.fixture
def example(tmp_path):
    def copy(name: str) -> Path:
        return Path(copy_example(EXAMPLES / name, tmp_path / name))

    return copy


def controls(folder: Path) -> dict[str, dict]:
    document = orjson.loads((folder / "gatekeeper-results.json").read_bytes())
    assert validation_errors(document, "results") == []
    return {control["id"]: control for control in document["controls"]}


def test_model_release_passes_every_infrastructure_control(gatekeeper, example):
    folder = example("model-release")
    run = gatekeeper("check", "--now", NOW, cwd=folder)
    assert run.code == 0, run.out + run.err
    found = controls(folder)
    for control in INFRASTRUCTURE_CONTROLS:
        assert found[control]["outcome"] == "pass", (control, found[control]["messages"])
    assert found["DAT-encryption-configured"]["details"]["evaluated_checks"] == [
        "CKV_AWS_145", "CKV_AWS_19"]
    assert {"deploy/k8s/eval-cronjob.yaml", "deploy/Dockerfile.eval"} <= set(
        found["INF-iac-scanned"]["evidence_files"])
    # The offline pip-audit report is inconclusive: the advisory control fails and says why.
    dependencies = found["SDL-dependencies-clean"]
    assert dependencies["outcome"] == "fail" and dependencies["enforcement"] == "advisory"
    assert "pip-audit (evidence/pip-audit.json) is inconclusive: 2 not checked" in run.out


def test_unsafe_release_fails_the_infrastructure_controls(gatekeeper, example):
    folder = example("unsafe-release")
    run = gatekeeper("check", "--now", NOW, cwd=folder)
    assert run.code == 1
    found = controls(folder)
    for control in ("INF-network-segmented", "INF-no-privileged-pods", "INF-gpu-pools-isolated",
                    "INF-images-pinned", "INF-confidential-computing"):
        assert found[control]["outcome"] == "fail", control
    # The IaC findings fail the scan control too, under the example's expiring exception.
    iac = found["SDL-iac-scan-clean"]
    assert iac["outcome"] == "waived" and iac["waiver"]["exception"] == "iac-scan-pending"
    assert any(m["finding"].startswith("KSV-") for m in iac["messages"])
    assert "Pod ml-train/forum-trainer: container trainer is privileged" in run.out
    pinned = [m["message"] for m in found["INF-images-pinned"]["messages"]]
    assert ('FROM pytorch/pytorch:latest: the image "pytorch/pytorch:latest" is not pinned by '
            "digest") in pinned
    privileged = found["INF-no-privileged-pods"]["messages"]
    assert {"finding": "ml-train/forum-trainer:trainer:privileged",
            "file": "deploy/k8s/trainer.yaml", "line": 4}.items() <= next(
        m for m in privileged if "privileged" in m["message"]).items()


def test_a_helm_template_is_refused_with_its_line(gatekeeper, example):
    folder = example("model-release")
    (folder / "deploy/k8s/chart.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n")
    run = gatekeeper("check", cwd=folder)
    assert run.code == 3
    assert "deploy/k8s/chart.yaml: line 4, column 10: a mapping or list used as a key" in run.err
    assert "Traceback" not in run.err


def test_a_report_no_reader_recognizes_names_the_file_and_the_fix(gatekeeper, example):
    folder = example("model-release")
    (folder / "evidence/pip-audit.json").write_bytes(b'{"issues": []}')
    run = gatekeeper("check", cwd=folder)
    assert run.code == 3
    assert "evidence/pip-audit.json: cannot tell which scanner wrote this report" in run.err
    assert "hint: name the tool: {path: evidence/pip-audit.json, tool: <trivy|" in run.err


def test_an_unknown_scanner_name_is_a_configuration_error(gatekeeper, example):
    folder = example("model-release")
    config = folder / "gatekeeper.yaml"
    config.write_text(config.read_text().replace(
        "    - evidence/pip-audit.json ", "    - {path: evidence/pip-audit.json, tool: safety} "))
    run = gatekeeper("check", cwd=folder)
    assert run.code == 2 and "gatekeeper.yaml: invalid configuration" in run.err


def test_an_unknown_threshold_under_the_new_sections_is_an_error(gatekeeper, example):
    folder = example("model-release")
    config = folder / "gatekeeper.yaml"
    config.write_text(config.read_text() + "  gpu:\n    taints: [nvidia.com/gpu]\n")
    run = gatekeeper("check", cwd=folder)
    assert run.code == 2 and "thresholds.gpu.taints: unknown threshold" in run.err
