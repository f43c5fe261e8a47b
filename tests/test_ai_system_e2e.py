"""The system manifest end to end: both examples through the CLI, the CI context, the gate
section, bad manifests, and the manifest's documentation."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import EXAMPLES, NOW, ROOT, copy_example

from gatekeeper.schemas import schema

MODEL_RELEASE = EXAMPLES / "model-release"
UNSAFE_RELEASE = EXAMPLES / "unsafe-release"
GITHUB_RUN = {
    "GITHUB_ACTIONS": "true",
    "GITHUB_RUN_ID": "1401",  # the run the example's signed provenance names
    "GITHUB_REPOSITORY": "example-org/sentiment-scorer",
    "GITHUB_SERVER_URL": "https://github.com",
    "GITHUB_WORKFLOW": "release",
}


def _check(gatekeeper, folder: Path, results: Path, *args: str):
    run = gatekeeper("check", "--now", NOW, "--results", results, *args, cwd=folder)
    return run, json.loads(results.read_text(encoding="utf-8"))


def _controls(document) -> dict[str, dict]:
    return {c["id"]: c for c in document["controls"]}


def _manifest_controls(document) -> dict[str, dict]:
    return {c["id"]: c for c in document["controls"] if "manifest" in c["evidence"]}


@pytest.fixture
def release_copy(tmp_path) -> Path:
    copy = tmp_path / "model-release"
    copy_example(MODEL_RELEASE, copy)
    return copy


def test_model_release_passes_every_manifest_control_but_the_ci_one(gatekeeper, tmp_path):
    run, results = _check(gatekeeper, MODEL_RELEASE, tmp_path / "results.json")
    assert run.code == 0, run.out
    controls = _manifest_controls(results)
    assert len(controls) >= 20
    outcomes = {cid: c["outcome"] for cid, c in controls.items()}
    local = outcomes.pop("GRC-gate-enforced-in-ci")
    assert local == "fail" and controls["GRC-gate-enforced-in-ci"]["enforcement"] == "advisory"
    assert set(outcomes.values()) <= {"pass", "warn"}, outcomes
    digest = _controls(results)["MOD-registry-digest-matches"]
    assert digest["details"]["sentiment-scorer"] == {
        "declared": "sha256:658600ca9608f9ed7274268de711820ec5bbcc762cd66289af6e6cbe9ac4af1f",
        "released": True,
        "in_ml_bom": True,
    }
    assert "ai-system.yaml" in digest["evidence_files"]
    assert "prompts/reply-draft.txt" in digest["evidence_files"]


def test_in_a_ci_run_the_gate_control_passes_with_the_run_address(
    gatekeeper, tmp_path, monkeypatch
):
    for name, value in GITHUB_RUN.items():
        monkeypatch.setenv(name, value)
    run, results = _check(gatekeeper, MODEL_RELEASE, tmp_path / "results.json")
    assert run.code == 0
    gate = _controls(results)["GRC-gate-enforced-in-ci"]
    assert gate["outcome"] == "pass"
    assert (
        gate["details"]["run_url"]
        == "https://github.com/example-org/sentiment-scorer/actions/runs/1401"
    )
    assert gate["details"]["evidence_strength"] == "verified"
    assert gate["details"]["blocking_controls"] > 30


def test_collected_in_ci_and_evaluated_later_gives_the_same_results(
    gatekeeper, tmp_path, monkeypatch
):
    for name, value in GITHUB_RUN.items():
        monkeypatch.setenv(name, value)
    _, checked = _check(gatekeeper, MODEL_RELEASE, tmp_path / "check.json")
    evidence = tmp_path / "evidence.json"
    assert gatekeeper("collect", "--now", NOW, "-o", evidence, cwd=MODEL_RELEASE).code == 0
    assert "gate" not in json.loads(evidence.read_text(encoding="utf-8"))
    monkeypatch.delenv("GITHUB_ACTIONS")  # evaluated on a laptop: the evidence says where it ran
    run = gatekeeper(
        "evaluate", evidence, "--now", NOW, "--results", tmp_path / "eval.json", cwd=MODEL_RELEASE
    )
    assert run.code == 0
    evaluated = json.loads((tmp_path / "eval.json").read_text(encoding="utf-8"))
    assert evaluated["controls"] == checked["controls"]


def test_the_gate_section_follows_the_profile(gatekeeper, tmp_path, release_copy, monkeypatch):
    # Only an organization policy may release the shipped mandatory controls.
    org = tmp_path / "org-policy.yaml"
    org.write_text("version: 1\nshipped_mandatory: false\n")
    monkeypatch.setenv("GATEKEEPER_ORG_POLICY", str(org))
    config = release_copy / "gatekeeper.yaml"
    config.write_text(
        config.read_text()
        .replace(
            "    - GRC-gate-enforced-in-ci\n",
            "    - GRC-gate-enforced-in-ci\n    - SDL-artifacts-signed\n",
        )
        .replace(
            '  blocking: ["*"]\n', '  blocking: ["*"]\n  disabled: [SDL-provenance-verified]\n'
        )
    )
    _, results = _check(gatekeeper, release_copy, tmp_path / "results.json")
    messages = [
        m["message"] for m in _controls(results)["GRC-mandatory-gates-blocking"]["messages"]
    ]
    assert (
        "signing control SDL-artifacts-signed is advisory in the profile, not blocking" in messages
    )
    assert (
        "provenance control SDL-provenance-verified is disabled in the profile, not blocking"
        in messages
    )
    assert "SDL-provenance-verified" not in _controls(results)


def test_unsafe_release_fails_the_manifest_controls_with_their_reasons(gatekeeper, tmp_path):
    run, results = _check(gatekeeper, UNSAFE_RELEASE, tmp_path / "results.json")
    assert run.code == 1
    controls = _controls(results)

    def messages(control_id: str) -> list[str]:
        assert controls[control_id]["outcome"] == "fail", control_id
        return [m["message"] for m in controls[control_id]["messages"]]

    assert (
        "tool buy_promoted_placement can spend without a human approval (requires_approval)"
        in messages("APP-tools-least-privilege")
    )
    assert (
        "tool buy_promoted_placement spends money without a max_amount_per_day limit"
        in messages("APP-tools-least-privilege")
    )
    assert messages("APP-rate-limits-per-endpoint") == [
        "no endpoint declares a rate limit (rate_limits)"
    ]
    assert (
        "released model file release/model.pkl (sha256 5ed40f7a7021) is not declared in "
        "ai-system.yaml with that digest" in messages("MOD-registry-digest-matches")
    )
    assert (
        "risk tier EUAIA-RC-HIGH requires 'human_review', which the manifest does not declare"
        in messages("GRC-risk-tier-consistent")
    )
    assert any(
        "gen_ai.request.modle is not an OpenTelemetry GenAI attribute" in m
        for m in messages("MON-telemetry-full-stack")
    )
    assert (
        "vector store forum-index does not separate tenants (tenant_isolation: none)"
        in messages("APP-vector-stores-isolated")
    )
    assert all(
        m["file"] == "ai-system.yaml" for m in controls["APP-tools-least-privilege"]["messages"]
    )
    assert "blocked by:" in run.out and "APP-tools-least-privilege (fail)" in run.out


@pytest.mark.parametrize(
    ("old", "new", "named"),
    [
        (
            "    hosting: self-hosted\n",
            "    hosting: self-hosted\n    owner: ml\n",
            "models[0]: Additional properties",
        ),
        ("  risk_tier: EUAIA-RC-LIMITED\n", "  risk_tier: high\n", "system.risk_tier:"),
        ("  max_minutes: 15\n", "  max_minutes: soon\n", "rollback.max_minutes:"),
    ],
)
def test_a_bad_manifest_stops_the_gate_naming_file_and_key(
    gatekeeper, tmp_path, release_copy, old, new, named
):
    manifest = release_copy / "ai-system.yaml"
    text = manifest.read_text(encoding="utf-8")
    assert old in text
    manifest.write_text(text.replace(old, new, 1), encoding="utf-8")
    run = gatekeeper(
        "check", "--now", NOW, "--results", tmp_path / "results.json", cwd=release_copy
    )
    assert run.code == 3
    assert "ai-system.yaml: invalid system manifest:" in run.err
    assert named in run.err and re.search(r"line \d+: ", run.err)
    assert not (tmp_path / "results.json").exists()
    assert "Traceback" not in run.err


def _field_paths(node: dict, prefix: str = "") -> list[str]:
    """Every property of the schema as a dotted path (list items as their parent's path)."""
    paths = []
    if node.get("type") == "array":
        node = node["items"]
    for name, child in node.get("properties", {}).items():
        path = f"{prefix}.{name}" if prefix else name
        paths.append(path)
        paths.extend(_field_paths(child, path))
    return paths


# Fields shared by several sections are documented once, with the variable part named.
_SHARED = [
    (re.compile(r"^telemetry\.captures\.\w+\.(\w+)$"), r"telemetry.captures.<kind>.\1"),
    (
        re.compile(r"^guardrails\.(input|output)_filters\.(\w+)$"),
        r"guardrails.<input\\|output>_filters.\2",
    ),
]


def _documented_as(path: str) -> str:
    for pattern, replacement in _SHARED:
        if pattern.match(path):
            return pattern.sub(replacement, path)
    return path


def test_every_manifest_field_is_documented():
    docs = (ROOT / "docs" / "ai-system.md").read_text(encoding="utf-8")
    undocumented = [
        path
        for path in _field_paths(schema("ai-system"))
        if f"`{_documented_as(path)}`" not in docs
    ]
    assert not undocumented, f"docs/ai-system.md does not describe: {undocumented}"
