"""Gaming the maturity score: what a team wanting a good score without the work would try.

Each case runs the real gate on a copy of examples/model-release (or calls the scoring entry
point with real controls) and asserts the exit code, that no question scores above what its
evidence can show, and that a run stopped by an error writes no results at all.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from conftest import EXAMPLES, NOW, copy_example

from gatekeeper.attestations import Attestation, EvidenceFile
from gatekeeper.cli import main
from gatekeeper.engine.policies import load_policies
from gatekeeper.scoring import MET, score_maturity

MODEL_RELEASE = EXAMPLES / "model-release"
UNSAFE_RELEASE = EXAMPLES / "unsafe-release"
TODAY = datetime(2026, 11, 28, 12, tzinfo=timezone.utc)
RED_TEAM = (
    "  garak:\n    - evidence/garak.report.jsonl   # garak against the triage endpoint's stand-in\n"
    "  promptfoo:\n    - evidence/promptfoo.json       # promptfoo red-team regression cases"
    " (redteam/)\n"
)
METRICS = (
    "  metrics:\n    - evidence/metrics.yaml         # privacy, robustness, safety, detector"
    " quality\n"
)


def _check(gatekeeper, folder: Path, results: Path):
    run = gatekeeper("check", "--now", NOW, "--results", results, cwd=folder)
    document = json.loads(results.read_text(encoding="utf-8")) if results.exists() else None
    return run, document


def _questions(document) -> dict[str, dict]:
    return {q["id"]: q for q in document["maturity"]["questions"]}


def _levels(document) -> dict[str, int]:
    return {d["id"]: d["level"] for d in document["maturity"]["domains"]}


def _outcomes(document) -> dict[str, str]:
    return {c["id"]: c["outcome"] for c in document["controls"]}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _append_attestation(folder: Path, question: str, score: int, extra: str = "") -> None:
    with (folder / "attestations.yaml").open("a", encoding="utf-8") as stream:
        stream.write(
            f"  {question}:\n    score: {score}\n    evidence: trust me\n"
            '    attested_by: Sam Okafor (platform security)\n    date: "2026-09-15"\n'
            f'    expires: "2027-09-15"\n{extra}'
        )


@pytest.fixture(scope="module")
def honest(tmp_path_factory):
    """The unmodified example, run once: (exit code, results document, text output)."""
    folder = tmp_path_factory.mktemp("honest")
    results = folder / "results.json"
    with pytest.raises(SystemExit) as exited:
        main(["check", "-c", str(MODEL_RELEASE / "gatekeeper.yaml"), "--now", NOW,
              "--results", str(results), "--format", "text", "-o", str(folder / "out.txt")])
    return exited.value.code, json.loads(results.read_text(encoding="utf-8")), (
        folder / "out.txt").read_text(encoding="utf-8")


@pytest.fixture
def release(tmp_path) -> Path:
    return copy_example(MODEL_RELEASE, tmp_path / "model-release")


# 1 -------------------------------------------------------------------------------------------
def test_no_red_team_evidence_and_an_exception_accepting_that_scores_at_most_1(
    gatekeeper, tmp_path, release
):
    _edit(release / "gatekeeper.yaml", RED_TEAM, "")
    _edit(release / "gatekeeper.yaml", "attestations: attestations.yaml\n",
          "attestations: attestations.yaml\nexceptions: exceptions.yaml\n")
    (release / "exceptions.yaml").write_text(
        "version: 1\nexceptions:\n  - id: red-team-later\n"
        "    controls: [RTE-red-team-gate, APP-injection-jailbreak-tested, RTE-attack-coverage,\n"
        "               RTE-adversarial-ml-tested]\n"
        "    justification: The red team runs after the release, we accept having none.\n"
        "    owner: ml-team@example.com\n    approved_by: appsec@example.com\n"
        "    ticket: SEC-1\n    created: 2026-11-20\n    expires: 2027-01-31\n",
        encoding="utf-8",
    )
    run, document = _check(gatekeeper, release, tmp_path / "results.json")
    assert run.code == 0, run.err  # the exception lets the release through...
    outcomes = _outcomes(document)
    assert outcomes["RTE-red-team-gate"] == outcomes["APP-injection-jailbreak-tested"] == "waived"
    questions = _questions(document)
    for question in ("RTE-Q2", "RTE-Q3", "APP-Q6"):  # ...but the absence is not maturity
        assert questions[question]["score"] <= 1 < MET, question
        assert "waived_absence" in [lim["rule"] for lim in questions[question]["limits"]]
    assert _levels(document)["RTE"] == 1


# 2 -------------------------------------------------------------------------------------------
def test_a_disabled_control_cannot_be_replaced_by_a_trust_me_attestation(
    gatekeeper, tmp_path, release
):
    _edit(release / "gatekeeper.yaml", "  blocking: [\"*\"]\n",
          "  blocking: [\"*\"]\n  disabled: [APP-injection-jailbreak-tested]\n")
    _append_attestation(release, "APP-Q6", 4)
    run, document = _check(gatekeeper, release, tmp_path / "results.json")
    assert run.code == 0, run.err
    assert "APP-injection-jailbreak-tested" not in _outcomes(document)
    question = _questions(document)["APP-Q6"]
    assert (question["score"], question["source"]) == (0, "none")
    assert question["attestation"]["status"] == "refused"
    assert question["evidence"] == [{"control": "APP-injection-jailbreak-tested",
                                     "outcome": "disabled", "strength": "declared", "files": []}]


def test_only_the_org_policy_lets_an_attestation_answer_a_disabled_control(
    gatekeeper, tmp_path, release
):
    _edit(release / "gatekeeper.yaml", "  blocking: [\"*\"]\n",
          "  blocking: [\"*\"]\n  disabled: [APP-injection-jailbreak-tested]\n")
    _append_attestation(release, "APP-Q6", 4)
    org = tmp_path / "org-policy.yaml"
    org.write_text("version: 1\nmaturity:\n  attestations_answer_disabled_controls: true\n",
                   encoding="utf-8")
    results = tmp_path / "results.json"
    run = gatekeeper("check", "--now", NOW, "--results", results, "--org-policy", org,
                     cwd=release)
    assert run.code == 0, run.err
    question = _questions(json.loads(results.read_text(encoding="utf-8")))["APP-Q6"]
    assert question["attestation"]["status"] != "refused"
    assert (question["source"], question["strength"]) == ("attestation", "attested")
    assert 0 < question["score"] <= 2  # a bare attestation: allowed, still capped


# 3 -------------------------------------------------------------------------------------------
def test_even_when_the_organization_allows_it_a_bare_attestation_scores_2():
    policies = load_policies()
    # APP-Q1 has no prerequisite, so only the attestation rules limit it
    trust_me = Attestation("APP-Q1", 4, "trust me", "me", date(2026, 1, 1), date(2027, 1, 1))
    maturity = score_maturity(policies.controls, [], TODAY, {"APP-Q1": trust_me},
                              allow_attested_disabled=True)
    question = {q["id"]: q for q in maturity["questions"]}["APP-Q1"]
    assert (question["score"], question["strength"]) == (2, "attested")


# 4 -------------------------------------------------------------------------------------------
def test_an_attestation_backed_by_files_is_capped_at_3_never_4():
    pinned = Attestation("MON-Q3", 4, "threat intel", "me", date(2026, 1, 1), date(2027, 1, 1),
                         evidence_files=(EvidenceFile("intel.md", "c" * 64),))
    maturity = score_maturity(load_policies().controls, [], TODAY, {"MON-Q3": pinned})
    question = {q["id"]: q for q in maturity["questions"]}["MON-Q3"]
    assert (question["base_score"], question["score"]) == (4, 3)


# 5 -------------------------------------------------------------------------------------------
def test_a_level_5_question_scores_no_higher_than_its_level_3_prerequisite(honest):
    _, document, _ = honest
    questions = _questions(document)
    assert questions["GRC-Q6"]["base_score"] == 4  # its control passes...
    assert questions["GRC-Q6"]["score"] <= questions["GRC-Q4"]["score"] < MET
    assert "prerequisite" in [lim["rule"] for lim in questions["GRC-Q6"]["limits"]]


# 6 -------------------------------------------------------------------------------------------
def test_without_metrics_the_slo_questions_score_like_missing_evidence(
    gatekeeper, tmp_path, release
):
    _edit(release / "gatekeeper.yaml", METRICS, "")
    run, document = _check(gatekeeper, release, tmp_path / "results.json")
    assert run.code == 1  # the blocking metric controls have no evidence
    questions = _questions(document)
    for question in ("APP-Q7", "SAF-Q4"):
        assert questions[question]["score"] < MET, question
        assert all(
            e.get("counted_as") == "no_evidence" or e["outcome"] in ("no_evidence", "fail")
            for e in questions[question]["evidence"] if "metrics" in str(e)
            or e["control"].endswith("slos-met") or e["control"].endswith("slos-alerting")
        )


# 7 -------------------------------------------------------------------------------------------
def test_a_single_run_never_scores_4(honest):
    code, document, text = honest
    assert code == 0
    assert max(q["score"] for q in document["maturity"]["questions"]) <= 3
    assert " 4/4 " not in text and "Complete" not in text


# 8 -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("strength", ["documented", "declared", "attested"])
def test_documented_declared_or_attested_answers_stay_at_2_or_below(honest, strength):
    _, document, _ = honest
    answered = [q for q in document["maturity"]["questions"] if q["strength"] == strength]
    assert answered  # the example has such answers
    assert all(q["score"] <= 2 for q in answered), [q["id"] for q in answered if q["score"] > 2]


# 9 -------------------------------------------------------------------------------------------
def test_a_hand_set_ci_variable_does_not_make_the_gate_question_met(
    gatekeeper, tmp_path, monkeypatch
):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    run, document = _check(gatekeeper, MODEL_RELEASE, tmp_path / "results.json")
    assert run.code == 0, run.err
    question = _questions(document)["GRC-Q4"]
    assert question["strength"] in ("declared", None) and question["score"] <= 2


# 10 ------------------------------------------------------------------------------------------
USER_CONTROL = """# METADATA
# title: Governance metrics exist
# description: Always true.
# custom:
#   severity: low
#   questions: [GRC-Q5]
#   waivable: true
#   remediation: Nothing.
#   evidence: []
{strength}#   frameworks:
#     nist_ai_rmf: [GOVERN 1.1]
package gatekeeper.controls.grc.metrics_exist

import rego.v1

applicable := true

details := {{"strength": "verified"}}
"""


def _user_policy(release: Path, strength: str) -> None:
    folder = release / "policies" / "grc"
    folder.mkdir(parents=True)
    (folder / "metrics_exist.rego").write_text(
        USER_CONTROL.format(strength=f"#   strength: {strength}\n" if strength else ""),
        encoding="utf-8")
    _edit(release / "gatekeeper.yaml", "attestations: attestations.yaml\n",
          "attestations: attestations.yaml\npolicies: [policies]\n")


@pytest.mark.parametrize("claimed", ["verified", "measured"])
def test_a_user_policy_claiming_bound_evidence_stops_the_run(gatekeeper, tmp_path, release,
                                                            claimed):
    _user_policy(release, claimed)
    run, document = _check(gatekeeper, release, tmp_path / "results.json")
    assert run.code == 3 and document is None  # no results, not even partial ones
    assert "metrics_exist.rego" in run.err and "only shipped controls may claim" in run.err
    assert "Traceback" not in run.err


# 11 ------------------------------------------------------------------------------------------
def test_an_always_passing_user_policy_is_declared_and_cannot_raise_itself(
    gatekeeper, tmp_path, release
):
    _user_policy(release, "")  # no strength: declared; its details claim verified
    run, document = _check(gatekeeper, release, tmp_path / "results.json")
    assert run.code == 0, run.err
    control = next(c for c in document["controls"] if c["id"] == "GRC-metrics-exist")
    assert (control["outcome"], control["strength"]) == ("pass", "declared")
    questions = _questions(document)
    question = questions["GRC-Q5"]
    # GRC-effectiveness-trend answers GRC-Q5 too and, without a results history, counts as
    # no evidence: one of the two controls answered
    assert (question["strength"], question["base_score"]) == ("declared", 2)
    assert question["score"] == min(2, questions["GRC-Q4"]["score"])  # declared, prerequisite
    # at its base of 2 the strength cap lowers nothing: the prerequisite is what limits it
    assert [lim["rule"] for lim in question["limits"]] == ["prerequisite"]


# 12 ------------------------------------------------------------------------------------------
def test_an_attestation_pinning_a_file_that_changed_stops_the_run(gatekeeper, tmp_path, release):
    _append_attestation(release, "INF-Q6", 3, "    evidence_files:\n"
                        "      - path: deploy/k8s/labeling.yaml\n        sha256: " + "f" * 64
                        + "\n")
    run, document = _check(gatekeeper, release, tmp_path / "results.json")
    assert run.code == 3 and document is None
    assert "attestations.INF-Q6.evidence_files: deploy/k8s/labeling.yaml: sha256 is" in run.err


# 13 ------------------------------------------------------------------------------------------
def test_attesting_every_unanswered_question_at_4_raises_no_domain(gatekeeper, tmp_path, release):
    _, before = _check(gatekeeper, MODEL_RELEASE, tmp_path / "before.json")
    unanswered = [q["id"] for q in before["maturity"]["questions"] if q["source"] == "none"]
    for question in unanswered:
        _append_attestation(release, question, 4)
    run, after = _check(gatekeeper, release, tmp_path / "after.json")
    assert run.code == 0, run.err
    scores = _questions(after)
    assert all(scores[q]["score"] <= 2 for q in unanswered)
    assert _levels(after) == _levels(before)


# 14 ------------------------------------------------------------------------------------------
def test_an_expired_attestation_with_pinned_files_scores_0():
    old = Attestation("MON-Q3", 4, "x", "me", date(2025, 1, 1), date(2025, 12, 31),
                      evidence_files=(EvidenceFile("a.md", "d" * 64),))
    maturity = score_maturity(load_policies().controls, [], TODAY, {"MON-Q3": old})
    question = {q["id"]: q for q in maturity["questions"]}["MON-Q3"]
    assert (question["score"], question["attestation"]["status"]) == (0, "expired")


# 15 ------------------------------------------------------------------------------------------
def test_a_waived_failure_does_not_count_as_met(gatekeeper, tmp_path):
    copy = copy_example(UNSAFE_RELEASE, tmp_path / "unsafe")
    run, document = _check(gatekeeper, copy, tmp_path / "results.json")
    assert run.code == 1
    assert _outcomes(document)["SDL-iac-scan-clean"] == "waived"
    question = _questions(document)["SDL-Q3"]
    assert question["score"] <= 2 < MET


# 16 ------------------------------------------------------------------------------------------
def test_an_attestation_cannot_lift_a_question_whose_controls_saw_failing_evidence(
    gatekeeper, tmp_path
):
    copy = copy_example(UNSAFE_RELEASE, tmp_path / "unsafe")
    (copy / "attestations.yaml").write_text("version: 1\nattestations:\n", encoding="utf-8")
    _append_attestation(copy, "SDL-Q6", 4)
    _edit(copy / "gatekeeper.yaml", "exceptions: gatekeeper-exceptions.yaml\n",
          "exceptions: gatekeeper-exceptions.yaml\nattestations: attestations.yaml\n")
    run, document = _check(gatekeeper, copy, tmp_path / "results.json")
    assert run.code == 1
    question = _questions(document)["SDL-Q6"]
    assert question["source"] == "controls" and question["score"] <= 1
    assert question["attestation"]["status"] == "superseded"


# 17 ------------------------------------------------------------------------------------------
def test_every_answer_names_its_controls_strength_and_file_digests(honest):
    _, document, _ = honest
    sources = {s["path"]: s["sha256"] for s in document["evidence"]["sources"]}
    for question in document["maturity"]["questions"]:
        assert question["score"] == min(
            [question["base_score"], *(lim["cap"] for lim in question["limits"])])
        for entry in question["evidence"]:
            for item in entry["files"]:
                assert item["sha256"] == sources.get(item["path"]), (question["id"], item)
