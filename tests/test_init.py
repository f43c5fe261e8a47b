"""`gatekeeper init` and the evidence recipes (issue 20) on a small scikit-learn project."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import orjson
import pytest
import yaml
from adoption_project import make_project
from conftest import NOW

pytest.importorskip("sklearn")
pytest.importorskip("skops")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "churn")


def _results(gatekeeper, folder: Path) -> tuple[int, dict[str, dict]]:
    results = folder / "results.json"
    run = gatekeeper("check", "--now", NOW, "--results", results, cwd=folder)
    controls = {c["id"]: c for c in orjson.loads(results.read_bytes())["controls"]}
    return run.code, controls


def test_init_writes_the_config_and_manifest_with_measured_facts(gatekeeper, project):
    run = gatekeeper("init", "--kind", "classical-ml", cwd=project)
    assert run.code == 0, run.err
    assert "written: gatekeeper.yaml" in run.out and "written: ai-system.yaml" in run.out
    config = yaml.safe_load((project / "gatekeeper.yaml").read_text())
    assert config["artifacts"] == [{"path": "models/churn.skops", "kind": "model"}]
    assert config["evidence"] == {"manifest": "ai-system.yaml", "dockerfiles": ["Dockerfile"]}
    manifest = yaml.safe_load((project / "ai-system.yaml").read_text())
    assert manifest["kinds"] == ["classical-ml"]
    digest = hashlib.sha256((project / "models" / "churn.skops").read_bytes()).hexdigest()
    assert manifest["models"] == [{"name": "churn", "version": "0.1.0", "hosting": "self-hosted",
                                   "purpose": "TBD (models/churn.skops)",
                                   "digest": f"sha256:{digest}"}]
    # What is still missing, each with the command that produces it.
    assert "evidence.scanners (evidence/bandit.json)" in run.out
    assert "bandit -r . -f json -o evidence/bandit.json" in run.out
    assert "modelaudit scan models/churn.skops --format json -o evidence/modelaudit.json" in (
        run.out)
    assert "picklescan" not in run.out  # a .skops file holds no pickle
    assert "evidence.documents.model_card" in run.out


def test_init_is_idempotent_and_never_overwrites_without_force(gatekeeper, project):
    assert gatekeeper("init", "--kind", "classical-ml", cwd=project).code == 0
    again = gatekeeper("init", "--kind", "classical-ml", cwd=project)
    assert again.code == 0
    assert "unchanged: gatekeeper.yaml" in again.out and "unchanged: ai-system.yaml" in again.out
    edited = (project / "ai-system.yaml").read_text().replace("description: TBD",
                                                              "description: churn scoring")
    (project / "ai-system.yaml").write_text(edited)
    refused = gatekeeper("init", "--kind", "classical-ml", cwd=project)
    assert refused.code == 2
    assert "ai-system.yaml" in refused.err and "--force" in refused.err
    assert (project / "ai-system.yaml").read_text() == edited  # untouched
    forced = gatekeeper("init", "--kind", "classical-ml", "--force", cwd=project)
    assert forced.code == 0
    assert "description: TBD" in (project / "ai-system.yaml").read_text()


def test_init_needs_a_kind_when_nobody_can_be_asked(gatekeeper, project):
    run = gatekeeper("init", cwd=project)
    assert run.code == 2
    assert "--kind is required" in run.err
    assert not (project / "gatekeeper.yaml").exists()
    unknown = gatekeeper("init", "--kind", "chatbot", cwd=project)
    assert unknown.code == 2 and "'chatbot'" in unknown.err


def test_init_records_several_kinds_and_llm_recipes(gatekeeper, project):
    assert gatekeeper("init", "--kind", "classical-ml", "--kind", "rag", cwd=project).code == 0
    assert yaml.safe_load((project / "ai-system.yaml").read_text())["kinds"] == [
        "classical-ml", "rag"]
    plan = gatekeeper("evidence", "plan", cwd=project)
    assert "garak" in plan.out and "needs your model endpoint" in plan.out


def test_evidence_plan_reports_tools_that_are_not_installed(gatekeeper, project, monkeypatch,
                                                           tmp_path):
    assert gatekeeper("init", "--kind", "classical-ml", cwd=project).code == 0
    empty = tmp_path / "no-tools"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    plan = gatekeeper("evidence", "plan", cwd=project)
    assert plan.code == 0
    lines = {line.split()[1]: line for line in plan.out.splitlines()}
    assert lines["bandit"].startswith("skip") and "bandit is not installed" in lines["bandit"]
    assert "pip install modelaudit" in lines["modelaudit"]
    assert lines["ml-bom"].startswith("run")  # in-process: always available
    run = gatekeeper("evidence", "run", "--offline", cwd=project)
    assert run.code == 0
    assert "ok    ml-bom" in run.out
    assert "skip  bandit        bandit is not installed (pip install bandit)" in run.out
    assert "skip  cyclonedx-py  cyclonedx-py is not installed" in run.out
    listed = yaml.safe_load((project / "gatekeeper.yaml").read_text())["evidence"]
    assert listed["sbom"] == ["evidence/mlbom.cdx.json"]
    assert "scanners" not in listed  # nothing listed that was not produced


def test_offline_skips_recipes_that_need_the_network(gatekeeper, project):
    assert gatekeeper("init", "--kind", "classical-ml", cwd=project).code == 0
    plan = gatekeeper("evidence", "plan", "--offline", cwd=project)
    pip_audit = next(line for line in plan.out.splitlines() if line.split()[1] == "pip-audit")
    assert pip_audit.startswith("skip") and (
        "needs the network" in pip_audit or "not installed" in pip_audit)
    online = gatekeeper("evidence", "plan", cwd=project)
    assert "needs the network" not in online.out


def test_evidence_run_feeds_the_gate(gatekeeper, project):
    assert gatekeeper("init", "--kind", "classical-ml", cwd=project).code == 0
    run = gatekeeper("evidence", "run", "--offline", cwd=project)
    assert run.code == 0, run.out
    code, controls = _results(gatekeeper, project)
    assert code == 1  # TBD facts and missing documents still block
    assert controls["SDL-mlbom-covers-models"]["outcome"] == "pass"
    assert controls["SDL-sbom-present"]["outcome"] in ("pass", "fail")
    if shutil.which("bandit"):
        assert controls["SDL-sast-clean"]["outcome"] == "pass"
        assert "evidence/bandit.json" in controls["SDL-sast-clean"]["evidence_files"]
    registry = controls["MOD-registry-digest-matches"]
    assert [m["message"] for m in registry["messages"]] == [
        "model churn names no registry: add registry: <name> to it, and that registry under "
        "registries"]


def test_the_ml_bom_measures_the_model_and_catches_a_changed_file(gatekeeper, project):
    assert gatekeeper("init", "--kind", "classical-ml", cwd=project).code == 0
    assert gatekeeper("evidence", "mlbom", cwd=project).code == 0
    bom = orjson.loads((project / "evidence" / "mlbom.cdx.json").read_bytes())
    [component] = bom["components"]
    model = project / "models" / "churn.skops"
    assert component["type"] == "machine-learning-model"
    assert (component["name"], component["version"]) == ("churn", "0.1.0")
    assert component["hashes"] == [{"alg": "SHA-256",
                                    "content": hashlib.sha256(model.read_bytes()).hexdigest()}]
    model.write_bytes(model.read_bytes() + b"\0")  # changed after ai-system.yaml declared it
    assert gatekeeper("evidence", "mlbom", cwd=project).code == 0
    gatekeeper_yaml = project / "gatekeeper.yaml"
    gatekeeper_yaml.write_text(gatekeeper_yaml.read_text().replace(
        "  manifest: ai-system.yaml\n", "  manifest: ai-system.yaml\n  sbom:\n"
        "  - evidence/mlbom.cdx.json\n"))
    _, controls = _results(gatekeeper, project)
    messages = [m["message"] for m in controls["MOD-registry-digest-matches"]["messages"]]
    assert any("declared digest" in m and "differs from the ML-BOM's sha256" in m
               for m in messages)


def test_evidence_run_lists_outputs_once(gatekeeper, project, monkeypatch, tmp_path):
    assert gatekeeper("init", "--kind", "classical-ml", cwd=project).code == 0
    empty = tmp_path / "no-tools"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    # gatekeeper's own reports from an earlier check are not evidence; a tool's SARIF is.
    (project / "gatekeeper-reports").mkdir()
    sarif = '{"version": "2.1.0", "runs": []}'
    (project / "gatekeeper-reports" / "gatekeeper.sarif").write_text(sarif)
    (project / "gatekeeper.sarif").write_text(sarif)
    (project / "semgrep.sarif").write_text(sarif)
    for _ in range(2):
        assert gatekeeper("evidence", "run", "--offline", cwd=project).code == 0
    listed = yaml.safe_load((project / "gatekeeper.yaml").read_text())["evidence"]
    assert listed["sbom"] == ["evidence/mlbom.cdx.json"]
    assert listed["sarif"] == ["semgrep.sarif"]
    text = (project / "gatekeeper.yaml").read_text()
    assert text.startswith("# gatekeeper.yaml: the release gate of churn")
    assert "profile:\n  blocking: [\"*\"]\n" in text  # outside the block: untouched
