"""The GitHub Action, its example workflow and the GitLab template.

action.yml's scripts are checked for script injection (no expression inside `run:`) and are run
here, step by step, the way the runner would: expressions in `env:` resolved from the inputs,
the runner and earlier steps' outputs, each `run:` given to bash. Only the install step is left
out (it installs this repository, which the test environment already has installed).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLES, ROOT, copy_example

ACTION = ROOT / "action.yml"
WORKFLOW = ROOT / "examples" / "github" / "release-gate.yml"
GITLAB = ROOT / "examples" / "gitlab" / "gatekeeper.gitlab-ci.yml"
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_no_expression_reaches_a_script():
    steps = load(ACTION)["runs"]["steps"]
    scripts = [step["run"] for step in steps if "run" in step]
    assert len(scripts) == 4
    for script in scripts:
        assert "${{ inputs." not in script and not EXPRESSION.search(script)
    # the inputs do reach the scripts, through env
    env_values = " ".join(str(v) for step in steps for v in (step.get("env") or {}).values())
    for name in ("config", "results", "reports-dir", "vsa-key", "python"):
        assert f"${{{{ inputs.{name} }}}}" in env_values


def test_outputs_and_pinned_actions():
    action = load(ACTION)
    assert action["runs"]["using"] == "composite"
    assert {"verdict", "lowest-level", "mean-score", "results", "sarif", "junit", "markdown",
            "html", "vsa", "exit-code"} <= set(action["outputs"])
    uses = [step["uses"] for step in action["runs"]["steps"] if "uses" in step]
    assert uses and all(PINNED.match(u) for u in uses)
    assert uses[0].startswith("github/codeql-action/upload-sarif@")
    workflow = load(WORKFLOW)
    workflow_uses = [s["uses"] for job in workflow["jobs"].values() for s in job["steps"]
                     if "uses" in s]
    ours = [u for u in workflow_uses if u.startswith("OWNER/gatekeeper@")]
    assert len(ours) == 1 and all(PINNED.match(u) for u in workflow_uses if u not in ours)
    gate = next(s for s in workflow["jobs"]["gate"]["steps"] if s.get("id") == "gate")
    assert set(gate["with"]) <= set(action["inputs"])
    assert workflow["jobs"]["gate"]["permissions"]["security-events"] == "write"


def _resolve(text: str, context: dict[str, str]) -> str:
    return EXPRESSION.sub(lambda m: context.get(m.group(1), ""), str(text))


def run_action(workspace: Path, runner_temp: Path, inputs: dict[str, str]) -> tuple[dict, int]:
    """Run action.yml's script steps in ``workspace``; the outputs and the last exit code."""
    action = load(ACTION)
    context = {f"inputs.{k}": str(v.get("default", "")) for k, v in action["inputs"].items()}
    context.update({f"inputs.{k}": v for k, v in inputs.items()})
    context.update({"runner.temp": str(runner_temp), "github.action_path": str(ROOT)})
    (runner_temp / "gatekeeper-venv").symlink_to(Path(sys.prefix))
    summary = runner_temp / "step-summary.md"
    code = 0
    for step in action["runs"]["steps"]:
        if "run" not in step or step["name"] == "Install gatekeeper":
            continue
        outputs_file = runner_temp / f"output-{step.get('id', 'step')}"
        outputs_file.write_text("")
        env = {k: _resolve(v, context) for k, v in (step.get("env") or {}).items()}
        env.update(PATH=os.environ["PATH"], GITHUB_OUTPUT=str(outputs_file),
                   GITHUB_STEP_SUMMARY=str(summary), NO_COLOR="1")
        folder = workspace / _resolve(step.get("working-directory", "."), context)
        done = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=folder, env=env,
                              capture_output=True, text=True, timeout=120, check=False)
        code = done.returncode
        for line in outputs_file.read_text().splitlines():
            key, _, value = line.partition("=")
            context[f"steps.{step.get('id')}.outputs.{key}"] = value
        if code != 0:
            assert step is action["runs"]["steps"][-1], done.stderr
    outputs = {name: _resolve(spec["value"], context) for name, spec in action["outputs"].items()}
    outputs["summary"] = summary.read_text() if summary.exists() else ""
    return outputs, code


@pytest.mark.parametrize(("example", "verdict", "code"), [
    ("model-release", "pass", 0), ("unsafe-release", "fail", 1)])
def test_the_action_gates_summarizes_and_sets_outputs(tmp_path, example, verdict, code):
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    workspace = tmp_path / "repo"
    copy_example(EXAMPLES / example, workspace / "ml")
    (tmp_path / "runner").mkdir()
    outputs, exit_code = run_action(workspace, tmp_path / "runner",
                                    {"config": "ml/gatekeeper.yaml"})
    assert (outputs["verdict"], outputs["exit-code"], exit_code) == (verdict, str(code), code)
    assert outputs["summary"].startswith("## " + ("✅" if code == 0 else "❌"))
    for name in ("results", "sarif", "junit", "markdown", "html"):
        assert Path(outputs[name]).is_file(), name
    assert outputs["vsa"] == ""
    results = json.loads(Path(outputs["results"]).read_text())
    assert outputs["lowest-level"] == str(results["maturity"]["overall"]["level"])
    assert outputs["mean-score"] == f"{results['maturity']['overall']['mean']:.2f}"


def test_the_gitlab_template():
    template = load(GITLAB)
    job = template[".gatekeeper"]
    reports_dir = template["variables"]["GATEKEEPER_REPORTS"]
    script = " ".join(job["script"])
    junit = job["artifacts"]["reports"]["junit"]
    assert junit == "$GATEKEEPER_REPORTS/gatekeeper-junit.xml"
    assert f"-f junit -o \"{junit}\"" in script
    assert "-f html -o \"$GATEKEEPER_REPORTS/gatekeeper-report.html\"" in script
    assert "$GATEKEEPER_REPORTS/" in job["artifacts"]["paths"] and reports_dir
    assert job["artifacts"]["when"] == "always"
    assert template["gatekeeper"] == {"extends": ".gatekeeper"}


def test_the_action_signs_a_summary_when_given_a_key(tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = tmp_path / "vsa.key"
    key.write_bytes(Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    workspace = tmp_path / "repo"
    copy_example(EXAMPLES / "model-release", workspace)
    (tmp_path / "runner").mkdir()
    outputs, code = run_action(workspace, tmp_path / "runner", {"vsa-key": str(key)})
    assert code == 0 and Path(outputs["vsa"]).is_file()
