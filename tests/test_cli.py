"""End to end: the `gatekeeper` command on the shipped examples and on broken inputs."""

import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from conftest import EXAMPLES, NOW, copy_example

from gatekeeper.schemas import validation_errors


@pytest.fixture
def model_release(tmp_path) -> Path:
    return Path(copy_example(EXAMPLES / "model-release", tmp_path / "model-release"))


@pytest.fixture
def unsafe_release(tmp_path) -> Path:
    return Path(copy_example(EXAMPLES / "unsafe-release", tmp_path / "unsafe-release"))


def results(folder: Path) -> dict:
    return orjson.loads((folder / "gatekeeper-results.json").read_bytes())


def outcomes(document: dict) -> dict[str, str]:
    return {c["id"]: c["outcome"] for c in document["controls"]}


def test_model_release_passes(gatekeeper, model_release):
    run = gatekeeper("check", "--now", NOW, cwd=model_release)
    assert run.code == 0, run.out + run.err
    assert "VERDICT: PASSED (exit 0)" in run.out
    assert "SDL-mlbom-covers-models" in run.out
    document = results(model_release)
    assert validation_errors(document, "results") == []
    assert document["verdict"] == {"outcome": "pass", "exit_code": 0, "reasons": []}
    assert outcomes(document)["SDL-sbom-present"] == "pass"
    assert {s["collector"] for s in document["evidence"]["sources"]} >= {
        "artifacts",
        "sbom",
        "sarif",
        "documents",
    }


def test_unsafe_release_is_blocked_naming_each_failing_control(gatekeeper, unsafe_release):
    run = gatekeeper("check", "--now", NOW, cwd=unsafe_release)
    assert run.code == 1
    assert "VERDICT: BLOCKED (exit 1)" in run.out
    document = results(unsafe_release)
    found = outcomes(document)
    for control in (
        "SDL-no-unsafe-deserialization",
        "SDL-secrets-clean",
        "SDL-sast-clean",
        "SDL-mlbom-covers-models",
        "GRC-datasheet-complete",
    ):
        assert found[control] == "fail", control
        assert f"FAIL  {control}" in run.out
    assert found["GRC-model-card-complete"] == "no_evidence"
    assert "model artifact release/model.pkl is serialized as pickle" in run.out
    assert "B602 [high] subprocess call with shell=True" in run.out
    unsafe = next(c for c in document["controls"] if c["id"] == "SDL-no-unsafe-deserialization")
    assert {"file": "src/train.py", "line": 20}.items() <= next(
        m for m in unsafe["messages"] if m.get("finding", "").startswith("B301")
    ).items()
    assert "release/model.pkl" in unsafe["evidence_files"]


def test_collect_then_evaluate_gives_the_same_results_as_check(gatekeeper, unsafe_release):
    assert (
        gatekeeper("check", "--now", NOW, "--results", "check.json", cwd=unsafe_release).code == 1
    )
    assert gatekeeper("collect", "--now", NOW, "-o", "evidence.json", cwd=unsafe_release).code == 0
    evidence = orjson.loads((unsafe_release / "evidence.json").read_bytes())
    assert validation_errors(evidence, "evidence") == []
    written = (unsafe_release / "evidence.json").read_bytes()
    assert b'"findings": [\n      {\n' in written  # held serialised, written indented
    run = gatekeeper(
        "evaluate", "evidence.json", "--now", NOW, "--results", "eval.json", cwd=unsafe_release
    )
    assert run.code == 1
    assert (unsafe_release / "check.json").read_bytes() == (
        unsafe_release / "eval.json"
    ).read_bytes()


def test_formats_go_to_their_outputs(gatekeeper, model_release):
    run = gatekeeper(
        "check", "--now", NOW, "--output", "json=out.json", "-f", "text", cwd=model_release
    )
    assert run.code == 0
    assert run.out.startswith("gatekeeper ")
    assert orjson.loads((model_release / "out.json").read_bytes()) == results(model_release)


def test_more_outputs_than_formats_is_a_usage_error(gatekeeper, model_release):
    run = gatekeeper("check", "-f", "json", "-o", "a.json", "-o", "b.txt", cwd=model_release)
    assert run.code == 2 and "write --output json=PATH" in run.err


def test_controls_lists_shipped_and_user_controls(gatekeeper):
    run = gatekeeper("controls", "--format", "json")
    assert run.code == 0
    listed = orjson.loads(run.out)
    assert {"SDL-sbom-present", "GRC-model-card-complete"} <= {c["id"] for c in listed}


def test_policy_test_runs_the_shipped_rego_tests(gatekeeper):
    run = gatekeeper("policy", "test")
    assert run.code == 0, run.out
    assert " 0 failed" in run.out


def test_policy_test_reports_a_failing_user_test(gatekeeper, tmp_path):
    (tmp_path / "grc").mkdir()
    (tmp_path / "grc" / "mine_test.rego").write_text(
        "package gatekeeper.controls.grc.mine_test\nimport rego.v1\n"
        "test_ok if true\ntest_broken if 1 == 2\n"
    )
    run = gatekeeper("policy", "test", tmp_path)
    assert run.code == 1
    assert "FAIL  data.gatekeeper.controls.grc.mine_test.test_broken  (undefined)" in run.out
    assert "test_ok" not in run.out


# --- bad input: one clear message naming the file, exit 2 or 3, never a traceback ----------


def test_missing_config(gatekeeper, tmp_path):
    run = gatekeeper("check", cwd=tmp_path)
    assert run.code == 2 and "gatekeeper.yaml: file not found" in run.err


def test_unknown_config_key(gatekeeper, model_release):
    config = model_release / "gatekeeper.yaml"
    config.write_text(config.read_text() + "sboms: []\n")
    run = gatekeeper("check", cwd=model_release)
    assert run.code == 2
    assert "gatekeeper.yaml: invalid configuration" in run.err and "sboms" in run.err


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (".inf", ".inf is not a finite number"),  # would reach the policy as null, and pass
        ("100000000000000000000000000", "beyond the 64-bit integers"),  # orjson cannot write it
    ],
)
def test_a_threshold_json_cannot_carry_is_refused(gatekeeper, model_release, value, problem):
    config = model_release / "gatekeeper.yaml"
    text = config.read_text()
    assert "\nthresholds:\n" in text
    config.write_text(text.replace("\nthresholds:\n",
                                   f"\nthresholds:\n  sbom: {{min_components: {value}}}\n", 1))
    run = gatekeeper("check", "--now", NOW, "--results", "/dev/null", cwd=model_release)
    assert run.code == 2 and "gatekeeper.yaml: line" in run.err and problem in run.err
    assert "Traceback" not in run.err and "internal error" not in run.err


@pytest.mark.parametrize(
    ("file", "content", "problem"),
    [
        ("evidence/sbom.cdx.json", b'{"bomFormat": "CycloneDX", ', "malformed JSON"),
        ("evidence/sbom.cdx.json", b'{"hello": "world"}', "not an SBOM"),
        ("evidence/bandit.sarif", b"<xml/>", "malformed JSON"),
        (
            "evidence/mlbom.cdx.json",
            b"<?xml version='1.0'?><bom xmlns='http://cyclonedx.org/schema/bom/1.6'><",
            "malformed XML",
        ),
    ],
)
def test_broken_evidence_files(gatekeeper, model_release, file, content, problem):
    (model_release / file).write_bytes(content)
    run = gatekeeper("check", cwd=model_release)
    assert run.code == 3
    assert f"{file}: {problem}" in run.err
    assert "Traceback" not in run.err
    assert not (model_release / "gatekeeper-results.json").exists()


def test_missing_evidence_file(gatekeeper, model_release):
    (model_release / "evidence" / "bandit.sarif").unlink()
    run = gatekeeper("check", cwd=model_release)
    assert (
        run.code == 3
        and "evidence/bandit.sarif: configured in evidence.sarif[0] but not found" in run.err
    )


def test_user_policy_with_a_syntax_error(gatekeeper, model_release, tmp_path):
    policy = tmp_path / "mine" / "grc" / "demo.rego"
    policy.parent.mkdir(parents=True)
    policy.write_text(
        "package gatekeeper.controls.grc.demo\nimport rego.v1\ndeny contains x if {\n"
    )
    run = gatekeeper("check", "--policy", tmp_path / "mine", cwd=model_release)
    assert run.code == 3
    assert "demo.rego" in run.err and "Traceback" not in run.err


def test_user_policy_runtime_error_fails_closed(gatekeeper, model_release, tmp_path):
    policy = tmp_path / "mine" / "grc" / "demo.rego"
    policy.parent.mkdir(parents=True)
    policy.write_text(
        "# METADATA\n# title: Demo\n# description: Demo.\n# custom:\n#   severity: low\n"
        "#   questions: [GRC-Q4]\n#   waivable: true\n#   remediation: none\n#   frameworks: {}\n"
        "package gatekeeper.controls.grc.demo\nimport rego.v1\napplicable := true\n"
        'deny contains x if { x := sprintf("%d", [1 / 0]) }\n'
    )
    run = gatekeeper("check", "--now", NOW, "--policy", tmp_path / "mine", cwd=model_release)
    assert run.code == 3
    assert "ERROR  GRC-demo" in run.out and "divide by zero" in run.out
    assert results(model_release)["verdict"]["outcome"] == "error"


def test_now_must_be_rfc3339_with_a_zone(gatekeeper, model_release):
    run = gatekeeper("check", "--now", "2026-01-01T00:00:00", cwd=model_release)
    assert run.code == 2 and "not an RFC 3339 time with a zone" in run.err


def test_blocking_control_without_evidence_fails_the_gate(gatekeeper, model_release):
    config = model_release / "gatekeeper.yaml"
    config.write_text(config.read_text().replace("    model_card: docs/MODEL_CARD.md\n", ""))
    run = gatekeeper("check", "--now", NOW, cwd=model_release)
    assert run.code == 1
    assert outcomes(results(model_release))["GRC-model-card-complete"] == "no_evidence"


def test_the_installed_command_and_module_entry_point():
    for command in (["gatekeeper", "--version"], [sys.executable, "-m", "gatekeeper", "--version"]):
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        assert done.returncode == 0 and "gatekeeper, version" in done.stdout


def test_a_missing_policy_folder_is_a_usage_error(gatekeeper, model_release, tmp_path):
    run = gatekeeper("check", "--policy", tmp_path / "nowhere", cwd=model_release)
    assert run.code == 2 and "nowhere: policy folder not found" in run.err


@pytest.mark.parametrize("example", ["model-release", "unsafe-release"])
def test_the_text_report_is_readable_at_80_columns(gatekeeper, example):
    run = gatekeeper("check", "--now", NOW, "--results", "/dev/null", cwd=EXAMPLES / example)
    assert run.code in (0, 1)
    too_wide = [line for line in run.out.splitlines() if len(line) > 80]
    assert not too_wide


def test_only_the_process_entry_point_freezes_the_collector():
    """main() run as the program freezes every object before exit (a faster shutdown); called
    with arguments (tests, embedders) it must not, or their objects would never be freed."""
    import gc

    from gatekeeper.cli import main

    before = gc.get_freeze_count()
    with pytest.raises(SystemExit):
        main(["--version"])
    assert gc.get_freeze_count() == before
    frozen = subprocess.run(
        [sys.executable, "-c", "import atexit, gc, sys\n"
         "atexit.register(lambda: print(gc.get_freeze_count() > 0))\n"
         "sys.argv = ['gatekeeper', '--version']\n"
         "from gatekeeper.cli import main\nmain()"],
        capture_output=True, text=True, check=False,
    )
    assert frozen.returncode == 0 and frozen.stdout.splitlines()[-1] == "True"
