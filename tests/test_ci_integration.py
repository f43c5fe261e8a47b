"""The GitHub Action, its example workflow and the GitLab template.

action.yml's scripts are checked for script injection (no expression inside `run:`) and are run
here, step by step, the way the runner would: expressions in `env:` resolved from the inputs,
the runner and earlier steps' outputs, each `run:` given to bash. Most runs leave the install
step out (they use the test environment's gatekeeper); one runs it for real, in a clean virtual
environment from the hash-pinned lock, as does the GitLab template's test (which installs the
checkout's files, committed to a repository of their own, as a job installs the pinned commit).
"""

from __future__ import annotations

import base64
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
LOCK = ROOT / "requirements" / "action.txt"
COMMIT = re.compile(r"[0-9a-f]{40}")


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_no_expression_reaches_a_script():
    steps = load(ACTION)["runs"]["steps"]
    scripts = [step["run"] for step in steps if "run" in step]
    assert len(scripts) == 5
    for script in scripts:
        assert "${{ inputs." not in script and not EXPRESSION.search(script)
    # the inputs do reach the scripts, through env
    env_values = " ".join(str(v) for step in steps for v in (step.get("env") or {}).values())
    for name in ("config", "results", "reports-dir", "vsa-key", "python", "sarif-category"):
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
    # the gate is pinned by commit, the same commit the publish job installs gatekeeper from
    assert len(ours) == 1 and all(PINNED.match(u) for u in workflow_uses)
    assert ours[0].endswith("@" + workflow["env"]["GATEKEEPER_COMMIT"])
    gate = next(s for s in workflow["jobs"]["gate"]["steps"] if s.get("id") == "gate")
    assert set(gate["with"]) <= set(action["inputs"])
    assert workflow["jobs"]["gate"]["permissions"]["security-events"] == "write"


def _resolve(text: str, context: dict[str, str]) -> str:
    return EXPRESSION.sub(lambda m: context.get(m.group(1), ""), str(text))


def _condition(expression: str, context: dict[str, str]) -> bool:
    """A step's `if:` of the form `inputs.NAME == 'VALUE'`, the only form the action uses
    on a script step."""
    match = re.fullmatch(r"(inputs\.[\w-]+) == '([^']*)'", expression.strip())
    assert match, f"unsupported if: {expression}"
    return context.get(match[1]) == match[2]


def run_action(workspace: Path, runner_temp: Path, inputs: dict[str, str],
               *, install: bool = False) -> tuple[dict, int]:
    """Run action.yml's script steps in ``workspace``; the outputs and the last exit code.

    Without ``install``, the install step is left out and the test environment stands in for
    the virtual environment it would make."""
    action = load(ACTION)
    context = {f"inputs.{k}": str(v.get("default", "")) for k, v in action["inputs"].items()}
    context.update({f"inputs.{k}": v for k, v in inputs.items()})
    context.update({"runner.temp": str(runner_temp), "github.action_path": str(ROOT)})
    if not install:
        (runner_temp / "gatekeeper-venv").symlink_to(Path(sys.prefix))
    summary = runner_temp / "step-summary.md"
    code = 0
    for step in action["runs"]["steps"]:
        if "run" not in step or (step["name"] == "Install gatekeeper" and not install):
            continue
        if "if" in step and not _condition(step["if"], context):
            continue
        outputs_file = runner_temp / f"output-{step.get('id', 'step')}"
        outputs_file.write_text("")
        env = {k: _resolve(v, context) for k, v in (step.get("env") or {}).items()}
        env.update(PATH=os.environ["PATH"], HOME=os.environ.get("HOME", str(runner_temp)),
                   GITHUB_OUTPUT=str(outputs_file),
                   GITHUB_STEP_SUMMARY=str(summary), NO_COLOR="1")
        folder = workspace / _resolve(step.get("working-directory", "."), context)
        done = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=folder, env=env,
                              capture_output=True, text=True, timeout=600, check=False)
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
    # the category input reaches the SARIF, where code scanning reads it
    sarif = json.loads(Path(outputs["sarif"]).read_text())
    assert sarif["runs"][0]["automationDetails"]["id"] == "gatekeeper/"
    results = json.loads(Path(outputs["results"]).read_text())
    assert outputs["lowest-level"] == str(results["maturity"]["overall"]["level"])
    assert outputs["mean-score"] == f"{results['maturity']['overall']['mean']:.2f}"


def _gitlab_script(template: dict) -> str:
    """The job's `script:` lines as one bash script, run as the GitLab runner runs them."""
    return "\n".join(template[".gatekeeper"]["script"])


def _run_gitlab(workspace: Path, variables: dict[str, str]) -> subprocess.CompletedProcess:
    template = load(GITLAB)
    env = {**template["variables"], **variables, "PATH": os.environ["PATH"],
           "HOME": os.environ.get("HOME", str(workspace))}
    return subprocess.run(["bash", "-e", "-o", "pipefail", "-c", _gitlab_script(template)],
                          cwd=workspace, env=env, capture_output=True, text=True, timeout=600,
                          check=False)


def test_the_gitlab_template_reports():
    template = load(GITLAB)
    job = template[".gatekeeper"]
    reports_dir = template["variables"]["GATEKEEPER_REPORTS"]
    script = _gitlab_script(template)
    junit = job["artifacts"]["reports"]["junit"]
    assert junit == "$GATEKEEPER_REPORTS/gatekeeper-junit.xml"
    assert f"--output \"junit={junit}\"" in script
    assert "--output \"html=$GATEKEEPER_REPORTS/gatekeeper-report.html\"" in script
    assert "$GATEKEEPER_REPORTS/" in job["artifacts"]["paths"] and reports_dir
    assert job["artifacts"]["when"] == "always"
    assert template["gatekeeper"] == {"extends": ".gatekeeper"}
    # no default source: whoever registers a package name cannot run code in every pipeline
    assert "GATEKEEPER_SOURCE" not in template["variables"]
    assert "GATEKEEPER_COMMIT" not in template["variables"]
    assert "--require-hashes" in script


@pytest.mark.parametrize("variables", [
    {},
    {"GATEKEEPER_SOURCE": str(ROOT)},
    {"GATEKEEPER_SOURCE": str(ROOT), "GATEKEEPER_COMMIT": "main"},
    {"GATEKEEPER_SOURCE": str(ROOT), "GATEKEEPER_COMMIT": "0123456789abcdef" * 2},
    {"GATEKEEPER_COMMIT": "0123456789abcdef0123456789abcdef01234567"},
])
def test_the_gitlab_template_refuses_an_unpinned_or_missing_source(tmp_path, variables):
    done = _run_gitlab(tmp_path, {"GATEKEEPER_HOME": str(tmp_path / "home"), **variables})
    assert done.returncode == 2, done.stderr
    assert "set GATEKEEPER_SOURCE" in done.stderr and "GATEKEEPER_COMMIT" in done.stderr
    assert not (tmp_path / "home").exists()  # stopped before cloning or installing anything


def _git(*args: str, cwd: Path) -> str:
    env = {"PATH": os.environ["PATH"], "HOME": str(cwd), "GIT_AUTHOR_NAME": "test",
           "GIT_AUTHOR_EMAIL": "test@example.com", "GIT_COMMITTER_NAME": "test",
           "GIT_COMMITTER_EMAIL": "test@example.com"}
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          check=True).stdout


def _repository_of_this_checkout(folder: Path) -> str:
    """This checkout's files as they are now (committed or not), committed to a repository of
    their own: the source a job fetches; its commit id."""
    if shutil.which("git") is None or shutil.which("bash") is None:
        pytest.skip("git and bash are needed to run the templates")
    listed = _git("ls-files", "--cached", "--others", "--exclude-standard", "-z", cwd=ROOT)
    for name in filter(None, listed.split("\0")):
        if (ROOT / name).is_file():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, folder / name)
    _git("init", "--quiet", cwd=folder)
    _git("add", "-A", cwd=folder)
    _git("commit", "--quiet", "-m", "snapshot", cwd=folder)
    return _git("rev-parse", "HEAD", cwd=folder).strip()


def test_the_gitlab_template_installs_the_pinned_commit_and_gates(tmp_path):
    source = tmp_path / "gatekeeper"
    head = _repository_of_this_checkout(source)
    workspace = tmp_path / "repo"
    copy_example(EXAMPLES / "model-release", workspace / "ml")
    done = _run_gitlab(workspace, {
        "GATEKEEPER_SOURCE": str(source), "GATEKEEPER_COMMIT": head,
        "GATEKEEPER_HOME": str(tmp_path / "home"), "GATEKEEPER_CONFIG": "ml/gatekeeper.yaml",
        "NO_COLOR": "1"})
    assert done.returncode == 0, done.stderr
    venv = tmp_path / "home" / "venv"
    assert (venv / "bin" / "gatekeeper").is_file()
    installed = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "freeze"],
                               capture_output=True, text=True, check=True).stdout
    assert "ai-gatekeeper" in installed
    reports = workspace / "gatekeeper-reports"
    for name in ("gatekeeper-junit.xml", "gatekeeper-report.html", "gatekeeper-summary.md",
                 "gatekeeper.sarif", "gatekeeper-results.json"):
        assert (reports / name).is_file(), name


def test_the_lock_pins_every_requirement_by_hash():
    requirements = [block for block in LOCK.read_text().split("\n") if "==" in block]
    assert len(requirements) > 50
    text = LOCK.read_text()
    for name in ("click", "hatchling", "sigstore", "regorus"):
        assert re.search(rf"^[\w-]*{name}[\w-]*==", text, re.MULTILINE), name
    # each pinned requirement is followed by at least one sha256
    blocks = re.split(r"\n(?=[A-Za-z])", text)
    pinned = [b for b in blocks if re.match(r"^[\w.-]+==", b)]
    assert pinned and all("--hash=sha256:" in b for b in pinned)
    assert "--index-url" not in text and "--find-links" not in text


def test_the_lock_holds_every_dependency_of_pyproject():
    """A dependency added to pyproject.toml without regenerating the lock fails here (the
    command is in the lock's header and docs/ci.md)."""
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    locked = {canonicalize_name(line.split("==")[0])
              for line in LOCK.read_text().splitlines() if re.match(r"^[\w.-]+==", line)}
    missing = [r for r in declared if canonicalize_name(Requirement(r).name) not in locked]
    assert missing == []


def test_the_action_installs_its_checkout_from_the_lock(tmp_path):
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    workspace = tmp_path / "repo"
    copy_example(EXAMPLES / "model-release", workspace)
    (tmp_path / "runner").mkdir()
    outputs, code = run_action(workspace, tmp_path / "runner", {}, install=True)
    assert (outputs["verdict"], code) == ("pass", 0)
    venv = tmp_path / "runner" / "gatekeeper-venv"
    assert not venv.is_symlink() and (venv / "bin" / "gatekeeper").is_file()


def test_the_examples_install_only_into_a_virtual_environment():
    workflow = load(WORKFLOW)
    runs = [s["run"] for job in workflow["jobs"].values() for s in job["steps"] if "run" in s]
    lines = [line.strip() for run in runs for line in run.splitlines()]
    pips = [line for line in lines if line.startswith("pip=(")]
    assert pips and all("gatekeeper-venv/bin/python" in line for line in pips)
    installs = [line for line in lines if " install " in line]
    assert installs and all(line.startswith('"${pip[@]}" install') for line in installs)
    assert any("--require-hashes" in line for line in installs)
    assert not any("git+https" in run or "python3 -m pip install" in run for run in runs)
    checkout = next(s for s in workflow["jobs"]["publish"]["steps"]
                    if (s.get("with") or {}).get("repository") == "OWNER/gatekeeper")
    assert checkout["with"]["ref"] == "${{ env.GATEKEEPER_COMMIT }}"
    assert COMMIT.fullmatch(workflow["env"]["GATEKEEPER_COMMIT"])


def test_the_action_signs_a_summary_when_given_a_key(tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = tmp_path / "vsa.key"
    private = Ed25519PrivateKey.generate()
    key.write_bytes(private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    workspace = tmp_path / "repo"
    copy_example(EXAMPLES / "model-release", workspace)
    (tmp_path / "runner").mkdir()
    outputs, code = run_action(workspace, tmp_path / "runner", {"vsa-key": str(key)})
    assert code == 0 and Path(outputs["vsa"]).is_file()
    envelope = json.loads(Path(outputs["vsa"]).read_text())
    statement = json.loads(base64.b64decode(envelope["payload"]))
    # a generic purl: no package index holds a package someone could register under its name
    assert statement["predicate"]["policy"]["uri"].startswith("pkg:generic/gatekeeper@")
    # the release workflow's publish job verifies it with the key's public half
    (workspace / ".github").mkdir(exist_ok=True)
    (workspace / ".github" / "gatekeeper-vsa.pub").write_bytes(private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    verify = next(s for s in load(WORKFLOW)["jobs"]["publish"]["steps"]
                  if s.get("name", "").startswith("Verify the signed"))
    env = {"PATH": os.environ["PATH"], "RUNNER_TEMP": str(tmp_path / "runner")}
    done = subprocess.run(["bash", "-e", "-c", verify["run"]], cwd=workspace, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(("no_color", "force_color", "coloured"), [
    ("1", "1", False),   # a non-empty NO_COLOR wins
    ("", "1", True),     # an empty NO_COLOR is unset (no-color.org); FORCE_COLOR forces
    (None, "1", True),
    (None, "", False),   # an empty FORCE_COLOR is unset: not a terminal, no colour
    ("", None, False),
])
def test_no_color_and_force_color(gatekeeper, monkeypatch, no_color, force_color, coloured):
    for name, value in (("NO_COLOR", no_color), ("FORCE_COLOR", force_color)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    done = gatekeeper("check", "-c", EXAMPLES / "unsafe-release" / "gatekeeper.yaml",
                      "--results", os.devnull)
    assert done.code == 1 and "BLOCKED" in done.out
    assert ("\x1b[" in done.out) is coloured


def test_check_prints_github_annotations(gatekeeper, tmp_path):
    copy_example(EXAMPLES / "unsafe-release", tmp_path / "repo" / "ml")
    done = gatekeeper("check", "-c", "ml/gatekeeper.yaml", "-f", "github",
                      "--results", tmp_path / "r.json", cwd=tmp_path / "repo")
    assert done.code == 1
    lines = done.out.splitlines()
    results = json.loads((tmp_path / "r.json").read_text())
    errors = {re.search(r"title=([\w-]+)", x).group(1) for x in lines if x.startswith("::error ")}
    assert errors == {r.split(" ")[0] for r in results["verdict"]["reasons"]}
    files = {re.search(r"file=([^,:]+)", x).group(1) for x in lines if x.startswith("::")}
    # paths from the repository root, each a file of the repository
    assert files and all(f.startswith("ml/") and (tmp_path / "repo" / f).is_file() for f in files)


UNSAFE = EXAMPLES / "unsafe-release" / "gatekeeper.yaml"


def test_output_format_equals_path_and_dash_for_stdout(gatekeeper, tmp_path):
    done = gatekeeper("check", "-c", UNSAFE, "--results", tmp_path / "r.json",
                      "--output", f"sarif={tmp_path / 'gate.sarif'}",
                      "--output", f"junit={tmp_path / 'out' / 'gate.xml'}", "-o", "json=-")
    assert done.code == 1
    assert json.loads(done.out)["verdict"]["outcome"] == "fail"  # json to stdout, nothing else
    assert json.loads((tmp_path / "gate.sarif").read_text())["version"] == "2.1.0"
    assert (tmp_path / "out" / "gate.xml").read_text().startswith("<?xml")
    assert not (Path.cwd() / "-").exists()


def test_a_single_bare_pair_still_works_and_dash_is_stdout(gatekeeper, tmp_path):
    done = gatekeeper("check", "-c", UNSAFE, "--results", tmp_path / "r.json",
                      "-f", "sarif", "-o", tmp_path / "gate.sarif")
    assert done.code == 1 and done.out == ""
    assert json.loads((tmp_path / "gate.sarif").read_text())["version"] == "2.1.0"
    done = gatekeeper("check", "-c", UNSAFE, "--results", tmp_path / "r.json",
                      "-f", "sarif", "-o", "-", cwd=tmp_path)
    assert done.code == 1 and json.loads(done.out)["version"] == "2.1.0"
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize(("arguments", "says"), [
    (["-o", "json"], "to print json write -f json, to write it to a file --output json=PATH"),
    (["-f", "text", "-f", "sarif", "-o", "gate.sarif"],
     "ambiguous; write --output text=PATH --output sarif=PATH"),
    (["-f", "sarif", "-o", "a", "-f", "junit", "-o", "b"],
     "ambiguous; write --output sarif=PATH --output junit=PATH"),
    (["-o", "gate.sarif"], "ambiguous; write --output FORMAT=PATH"),
    (["--output", "sarf=gate.sarif"], "unknown format 'sarf'"),
    (["--output", "sarif="], "no path after '='"),
    (["--output", "sarif=x", "-o", "y"], "write every output as --output FORMAT=PATH"),
    (["-f", "sarif", "--output", "sarif=x"], "give sarif once"),
    (["--output", "sarif=x", "--output", "junit=x"], "x is given to more than one format"),
    (["-f", "text", "--output", "json=-"], "only one format can go to stdout (text, json)"),
    (["-f", "text", "-f", "json"], "only one format can go to stdout (text, json)"),
])
def test_an_ambiguous_output_is_a_usage_error_that_says_what_to_write(
        gatekeeper, tmp_path, arguments, says):
    done = gatekeeper("check", "-c", UNSAFE, "--results", tmp_path / "r.json", *arguments,
                      cwd=tmp_path)
    assert done.code == 2 and says in done.err, done.err
    assert not (tmp_path / "r.json").exists()  # refused before any work
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_environment_variables_set_the_main_options_and_flags_win(gatekeeper, monkeypatch,
                                                                   tmp_path):
    monkeypatch.setenv("GATEKEEPER_CONFIG", str(UNSAFE))
    monkeypatch.setenv("GATEKEEPER_RESULTS", str(tmp_path / "env.json"))
    monkeypatch.setenv("GATEKEEPER_SARIF_CATEGORY", "from-env")
    done = gatekeeper("check", "-f", "sarif", cwd=tmp_path)
    assert done.code == 1  # the unsafe example, named by the environment only
    assert json.loads(done.out)["runs"][0]["automationDetails"]["id"] == "from-env/"
    assert json.loads((tmp_path / "env.json").read_text())["verdict"]["outcome"] == "fail"
    # flag > environment
    done = gatekeeper("check", "-c", EXAMPLES / "model-release" / "gatekeeper.yaml",
                      "--results", tmp_path / "flag.json", cwd=tmp_path)
    assert done.code == 0 and (tmp_path / "flag.json").is_file()
    monkeypatch.setenv("GATEKEEPER_FAIL_ON", "sometimes")
    done = gatekeeper("check", cwd=tmp_path)
    assert done.code == 2 and "sometimes" in done.err


def test_the_action_runs_the_recipes_before_the_gate_when_asked(tmp_path, monkeypatch):
    """run-recipes: `gatekeeper evidence run` writes the ML-BOM into evidence/ and lists it in
    gatekeeper.yaml before the gate reads it; off by default. The runner's PATH is the
    system's, without the test environment's scanners (test_init.py runs those): the
    in-process ML-BOM runs all the same."""
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("bash is not installed")
    pytest.importorskip("skops")
    from adoption_project import make_project

    workspace = make_project(tmp_path / "repo")
    done = subprocess.run([sys.executable, "-m", "gatekeeper", "init", "--kind", "classical-ml"],
                          cwd=workspace, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    monkeypatch.setenv("PATH", os.pathsep.join(("/usr/bin", "/bin", str(Path(bash).parent))))
    for runner in ("off", "on"):
        (tmp_path / runner).mkdir()
    run_action(workspace, tmp_path / "off", {"upload-sarif": "false"})
    assert not (workspace / "evidence" / "mlbom.cdx.json").exists()  # default: off
    outputs, code = run_action(workspace, tmp_path / "on",
                               {"run-recipes": "true", "upload-sarif": "false"})
    assert (workspace / "evidence" / "mlbom.cdx.json").is_file()
    assert code == 1 and outputs["verdict"] == "fail"  # the TBD facts still block
    results = json.loads(Path(outputs["results"]).read_text())
    mlbom = next(c for c in results["controls"] if c["id"] == "SDL-mlbom-covers-models")
    assert mlbom["outcome"] == "pass"
