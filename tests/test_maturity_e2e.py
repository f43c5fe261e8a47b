"""Maturity end to end through the CLI: check on the examples, attestations, minimum level,
aggregate over the examples' results, and `gatekeeper model`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import EXAMPLES, NOW, ROOT, copy_example

from gatekeeper.catalog import DOMAINS
from gatekeeper.cli import parse_time
from gatekeeper.config import load_config
from gatekeeper.jsonio import dumps, sha256_file
from gatekeeper.pipeline import RunOptions, check
from gatekeeper.schemas import validation_errors

MODEL_RELEASE = EXAMPLES / "model-release"
UNSAFE_RELEASE = EXAMPLES / "unsafe-release"
USER_POLICY = ROOT / "tests" / "assets" / "user-policy-charter"


def _check(gatekeeper, folder: Path, results: Path):
    run = gatekeeper("check", "--now", NOW, "--results", results, cwd=folder)
    document = json.loads(results.read_text(encoding="utf-8")) if results.exists() else None
    return run, document


def _levels(document) -> dict[str, int]:
    return {d["id"]: d["level"] for d in document["maturity"]["domains"]}


def _questions(document) -> dict[str, dict]:
    return {q["id"]: q for q in document["maturity"]["questions"]}


@pytest.fixture
def release_copy(tmp_path):
    """A copy of examples/model-release to edit: its gatekeeper.yaml and attestations."""
    copy = tmp_path / "model-release"
    copy_example(MODEL_RELEASE, copy)
    return copy


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_check_shows_domain_levels_and_the_superseded_attestation(gatekeeper, tmp_path):
    run, document = _check(gatekeeper, MODEL_RELEASE, tmp_path / "results.json")
    assert run.code == 0, run.err
    assert validation_errors(document, "results") == []
    lines = run.out.splitlines()
    table = lines.index(next(line for line in lines if line.startswith("DOMAIN  LEVEL")))
    assert [line.split()[0] for line in lines[table + 1: table + 12]] == list(DOMAINS)
    assert all(len(line) <= 80 for line in lines[table - 1: table + 14])
    assert "MATURITY  level 1 (lowest domain)" in run.out
    # documents and manifest facts cap at 2: every IRR question is documented
    assert "IRR     1      0/7    IRR-Q1 2/4 documented:" in run.out
    # INF-Q4 and INF-Q5 (target 3) are attested only until measured evidence exists
    assert "INF     2      3/7    INF-Q4 0/4 unanswered:" in run.out
    questions = _questions(document)
    # the incident records answer IRR-Q6: declared evidence caps at 2, the expired
    # attestation is superseded
    assert (questions["IRR-Q6"]["score"], questions["IRR-Q6"]["source"]) == (2, "controls")
    assert questions["IRR-Q6"]["attestation"]["status"] == "superseded"
    assert questions["SAF-Q5"]["score"] == 2 and questions["SAF-Q5"]["source"] == "attestation"
    # An attested question that controls answer too scores from the controls.
    assert questions["IRR-Q1"]["source"] == "controls"
    assert questions["GRC-Q3"]["source"] == "controls" and questions["GRC-Q3"]["score"] == 2
    assert (questions["GRC-Q3"]["base_score"], questions["GRC-Q3"]["strength"]) == (
        4, "documented")
    assert [lim["rule"] for lim in questions["GRC-Q3"]["limits"]] == ["strength"]
    # verified evidence without a results history stops at 3
    assert (questions["SDL-Q7"]["score"], questions["SDL-Q7"]["strength"]) == (3, "verified")
    assert [lim["rule"] for lim in questions["SDL-Q7"]["limits"]] == ["history"]
    files = {f["path"]: f["sha256"] for e in questions["SDL-Q7"]["evidence"] for f in e["files"]}
    sources = {s["path"]: s["sha256"] for s in document["evidence"]["sources"]}
    assert files and all(sources[path] == digest for path, digest in files.items())
    assert document["maturity"]["attestations"]["file"] == "attestations.yaml"
    assert run.out.rstrip().endswith("VERDICT: PASSED (exit 0)")


def test_the_attestations_raise_the_levels_they_should(gatekeeper, tmp_path, release_copy):
    _, attested = _check(gatekeeper, MODEL_RELEASE, tmp_path / "with.json")
    _edit(release_copy / "gatekeeper.yaml", "attestations: attestations.yaml\n", "")
    run, bare = _check(gatekeeper, release_copy, tmp_path / "without.json")
    assert run.code == 0
    # MON-Q3 is attested 3 without evidence files: a person's word alone scores 2.
    assert _questions(attested)["MON-Q3"]["score"] == 2
    assert _questions(bare)["MON-Q3"]["source"] == "none"
    # GRC-Q1 is answered by controls (the system manifest): they beat the attestation.
    assert _questions(bare)["GRC-Q1"]["source"] == _questions(attested)["GRC-Q1"]["source"]
    assert _levels(bare) == _levels(attested)  # nothing attested here meets a question
    assert bare["maturity"]["attestations"] is None
    assert bare["maturity"]["overall"]["mean"] < attested["maturity"]["overall"]["mean"]


def _attest(folder: Path, question: str, pinned: str | None) -> None:
    """``question`` attested 4 (capped at 3 by the rules), backed by deploy/k8s/labeling.yaml
    pinned at ``pinned``, or by no file."""
    files = ""
    if pinned is not None:
        files = (
            "    evidence_files:\n      - path: deploy/k8s/labeling.yaml\n"
            f"        sha256: {pinned}\n"
        )
    with (folder / "attestations.yaml").open("a", encoding="utf-8") as stream:
        stream.write(
            f"  {question}:\n    score: 4\n    evidence: GPU telemetry dashboards\n"
            '    attested_by: Sam Okafor (platform security)\n    date: "2026-09-15"\n'
            f'    expires: "2027-09-15"\n{files}'
        )


def _attest_inf_q6(folder: Path, pinned: str | None) -> None:
    """INF-Q6 (target 4, no control) attested with ``pinned``; INF-Q4 and INF-Q5 (target 3,
    attested only) attested with pinned files, so that INF-Q6 alone decides level 4."""
    digest = sha256_file(folder / "deploy" / "k8s" / "labeling.yaml")
    _attest(folder, "INF-Q4", digest)
    _attest(folder, "INF-Q5", digest)
    _attest(folder, "INF-Q6", pinned)


def test_an_attestation_with_pinned_files_meets_a_question_and_raises_the_level(
    gatekeeper, tmp_path, release_copy
):
    digest = sha256_file(release_copy / "deploy" / "k8s" / "labeling.yaml")
    _attest_inf_q6(release_copy, digest)
    run, document = _check(gatekeeper, release_copy, tmp_path / "results.json")
    assert run.code == 0, run.err
    question = _questions(document)["INF-Q6"]
    assert (question["score"], question["strength"]) == (3, "documented")  # attested cap 3
    assert question["attestation"]["evidence_files"][0]["sha256"] == digest
    assert _levels(document)["INF"] == 4


def test_an_attestation_without_files_does_not_meet_a_question(gatekeeper, tmp_path, release_copy):
    _attest_inf_q6(release_copy, None)
    run, document = _check(gatekeeper, release_copy, tmp_path / "results.json")
    assert run.code == 0, run.err
    question = _questions(document)["INF-Q6"]
    assert (question["score"], question["strength"]) == (2, "attested")
    assert [lim["rule"] for lim in question["limits"]] == ["attested"]
    assert _levels(document)["INF"] == 3


@pytest.mark.parametrize("change", ["edit", "delete"])
def test_a_changed_or_missing_pinned_file_stops_the_run(gatekeeper, tmp_path, release_copy, change):
    target = release_copy / "deploy" / "k8s" / "labeling.yaml"
    _attest(release_copy, "INF-Q6", sha256_file(target))
    if change == "edit":
        target.write_text(target.read_text(encoding="utf-8") + "# changed\n", encoding="utf-8")
    else:
        target.unlink()
    run, document = _check(gatekeeper, release_copy, tmp_path / "results.json")
    assert run.code == 3 and document is None
    assert str(release_copy / "attestations.yaml") in run.err
    assert "attestations.INF-Q6.evidence_files: deploy/k8s/labeling.yaml" in run.err
    assert ("sha256 is" if change == "edit" else "file not found") in run.err
    assert "Traceback" not in run.err


@pytest.mark.parametrize(("minimum", "code"), [("{INF: 2, GRC: 1}", 0), ("{SDL: 2}", 1)])
def test_minimum_level_gates_the_release(gatekeeper, tmp_path, release_copy, minimum, code):
    _edit(release_copy / "gatekeeper.yaml", "# minimum_level: {SDL: 2}",
          f"minimum_level: {minimum}")
    run, document = _check(gatekeeper, release_copy, tmp_path / "results.json")
    assert run.code == code, run.out
    reasons = document["verdict"]["reasons"]
    if code:
        assert reasons == [
            "maturity SDL is at level 1, below the profile's minimum_level 2 "
            "(first blocking question: SDL-Q1)"
        ]
        assert "below minimum: SDL is at level 1, the profile requires 2" in run.out
        assert "VERDICT: BLOCKED (exit 1)" in run.out
    else:
        assert reasons == []


def test_an_unknown_minimum_level_domain_is_a_config_error(gatekeeper, tmp_path, release_copy):
    _edit(release_copy / "gatekeeper.yaml", "# minimum_level: {SDL: 2}", "minimum_level: {XYZ: 2}")
    run, _ = _check(gatekeeper, release_copy, tmp_path / "results.json")
    assert run.code == 2 and "profile.minimum_level" in run.err


@pytest.mark.parametrize(("old", "new", "named"), [
    ("  GRC-Q1:\n", "  GRC-Q9:\n", "attestations.GRC-Q9: unknown question"),
    ("    score: 2\n", "    score: 7\n", "attestations.RTE-Q1.score: 7 is greater than"),
    ("    attested_by: Dana Reyes (AI governance lead)\n", "",
     'attestations.GRC-Q1: "attested_by" is a required property'),
    ('    date: "2026-09-15"\n    expires: "2027-03-15"\n', '    expires: "2027-03-15"\n',
     'attestations.INF-Q1: "date" is a required property'),
    ('    expires: "2027-03-15"\n', '    expires: "2026-03-15"\n',
     "attestations.INF-Q1.expires: 2026-03-15 is before its date 2026-09-15"),
])
def test_bad_attestations_stop_the_run_naming_file_and_entry(
    gatekeeper, tmp_path, release_copy, old, new, named
):
    _edit(release_copy / "attestations.yaml", old, new)
    run, document = _check(gatekeeper, release_copy, tmp_path / "results.json")
    assert run.code == 2
    assert document is None
    assert str(release_copy / "attestations.yaml") in run.err
    assert named in run.err
    assert "Traceback" not in run.err


def test_evaluate_scores_the_same_maturity_as_check(gatekeeper, tmp_path):
    _, checked = _check(gatekeeper, MODEL_RELEASE, tmp_path / "check.json")
    evidence = tmp_path / "evidence.json"
    assert gatekeeper("collect", "--now", NOW, "-o", evidence, cwd=MODEL_RELEASE).code == 0
    run = gatekeeper("evaluate", evidence, "--now", NOW, "--results", tmp_path / "eval.json",
                     cwd=MODEL_RELEASE)
    assert run.code == 0
    evaluated = json.loads((tmp_path / "eval.json").read_text(encoding="utf-8"))
    assert evaluated["maturity"] == checked["maturity"]


@pytest.fixture(scope="module")
def example_results(tmp_path_factory):
    """Both examples' results files, made once through the library (the CLI path of `check`
    is tested above)."""
    folder = tmp_path_factory.mktemp("results")
    paths = []
    for example in (MODEL_RELEASE, UNSAFE_RELEASE):
        results = check(load_config(example / "gatekeeper.yaml"), RunOptions(now=parse_time(NOW)))
        path = folder / f"{example.name}.json"
        path.write_bytes(dumps(results))
        paths.append(path)
    return tuple(paths)


def test_aggregate_gives_per_domain_organization_scores(gatekeeper, tmp_path, example_results):
    output = tmp_path / "org.json"
    run = gatekeeper("aggregate", *example_results, "--format", "json", "-o", output)
    assert run.code == 0, run.err
    document = json.loads(output.read_text(encoding="utf-8"))
    assert validation_errors(document, "aggregate") == []
    organization = document["organization"]
    assert [d["id"] for d in organization["domains"]] == list(DOMAINS)
    questions = {q["id"]: q for q in organization["questions"]}
    # SDL-Q7: verified in model-release (3), failing in unsafe-release: some systems
    assert (questions["SDL-Q7"]["score"], questions["SDL-Q7"]["systems_met"]) == (2, 1)
    # GRC-Q3: documented, so 2 in model-release: partial somewhere, met nowhere
    assert (questions["GRC-Q3"]["score"], questions["GRC-Q3"]["systems_met"]) == (1, 0)
    assert questions["RTE-Q6"]["score"] == 0  # nobody
    assert questions["SAF-Q5"]["score"] == 1  # partial somewhere, met nowhere
    grc = organization["domains"][0]
    assert (grc["level"], grc["blockers"][0]["question"]) == (1, "GRC-Q1")
    systems = {s["name"]: s["domains"] for s in document["systems"]}
    assert systems["sentiment-scorer"]["INF"] == 2
    assert systems["forum-summarizer"]["INF"] == 1

    text = gatekeeper("aggregate", *example_results)
    assert text.code == 0
    assert "gatekeeper aggregate · 2 systems" in text.out
    assert "GRC     1      0/7    GRC-Q1 1/4 (0 of 2):" in text.out
    assert any(line.startswith("sentiment-scorer 1.4.0") for line in text.out.splitlines())
    assert all(len(line) <= 80 for line in text.out.splitlines())


def test_aggregate_scores_4_only_when_improving_over_previous(gatekeeper, example_results):
    good, bad = example_results
    plain = gatekeeper("aggregate", good, "--format", "json")
    compared = gatekeeper("aggregate", good, "--previous", bad, "--format", "json")
    assert plain.code == compared.code == 0
    before = {q["id"]: q for q in json.loads(plain.out)["organization"]["questions"]}
    after = json.loads(compared.out)["organization"]
    questions = {q["id"]: q for q in after["questions"]}
    assert before["SDL-Q5"]["score"] == 3  # organization-wide, trend unknown
    assert questions["SDL-Q5"]["score"] == 4  # and improving: 3 now, 0 before
    assert questions["SDL-Q5"]["previous_mean"] == 0
    assert after["domains"][1]["previous_level"] == 1


def _rewrite(path: Path, target: Path, change) -> Path:
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document)
    target.write_text(json.dumps(document), encoding="utf-8")
    return target


def test_aggregate_refuses_another_schema_version(gatekeeper, tmp_path, example_results):
    other = _rewrite(example_results[1], tmp_path / "v2.json",
                     lambda d: d.update(schema_version="2"))
    run = gatekeeper("aggregate", example_results[0], other)
    assert run.code == 2
    assert f"{other}: results schema version '2' is not supported" in run.err
    assert run.out == ""


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d.pop("maturity"), "no maturity section"),
    (lambda d: d["maturity"]["questions"].pop(), "expected the catalog's 78 questions"),
    (lambda d: d.pop("verdict"), '"verdict" is a required property'),
])
def test_aggregate_refuses_a_results_file_it_cannot_trust(
    gatekeeper, tmp_path, example_results, change, message
):
    broken = _rewrite(example_results[1], tmp_path / "broken.json", change)
    run = gatekeeper("aggregate", example_results[0], broken)
    assert run.code == 2 and str(broken) in run.err and message in run.err


def test_aggregate_refuses_one_system_twice_and_no_results(gatekeeper, tmp_path, example_results):
    twice = gatekeeper("aggregate", example_results[0], example_results[0])
    assert twice.code == 2 and "system 'sentiment-scorer' is also in" in twice.err
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{not json", encoding="utf-8")
    assert gatekeeper("aggregate", garbage).code == 2
    assert gatekeeper("aggregate").code == 2


def test_model_questions_json_lists_78_with_mode_and_controls(gatekeeper):
    run = gatekeeper("model", "questions", "--format", "json")
    assert run.code == 0
    questions = json.loads(run.out)
    assert len(questions) == 78
    counts = [sum(q["domain"] == d for q in questions) for d in DOMAINS]
    assert counts == [7, 9, 7, 7, 8, 8, 7, 7, 6, 6, 6]
    for question in questions:
        assert question["mode"] == ("automated" if question["controls"] else "attested")
    by_id = {q["id"]: q for q in questions}
    assert "GRC-model-card-complete" in by_id["GRC-Q3"]["controls"]
    assert "SDL-no-unsafe-deserialization" in by_id["SDL-Q6"]["controls"]


def test_model_questions_follow_the_loaded_policies(gatekeeper):
    shipped = json.loads(gatekeeper("model", "questions", "-f", "json", "-d", "grc").out)
    with_user = json.loads(
        gatekeeper("model", "questions", "-f", "json", "-d", "GRC", "--policy", USER_POLICY).out)
    assert [q["id"] for q in shipped] == [f"GRC-Q{n}" for n in range(1, 8)]
    assert "GRC-charter-present" not in shipped[0]["controls"]
    assert with_user[0]["mode"] == "automated"
    assert "GRC-charter-present" in with_user[0]["controls"]


@pytest.mark.parametrize(("args", "expected"), [
    (("model",), "GRC  AI Governance, Risk, and Compliance  (7 questions"),
    (("model", "domains", "-d", "SAF"), "  L5 Optimizing: Governed adaptive safety"),
    (("model", "levels"), "  4  Complete: Fully implemented with optimization"),
    (("model", "levels", "--domain", "mod"), "  L3 Defined: Model signing and verification"),
    (("model", "questions", "-d", "HIL"), "  HIL-Q6  L5  Do you apply governed automated"),
    (("model", "roadmap"), "phase-4  Governed Autonomy (levels 4-5)"),
    (("model", "roadmap", "-d", "IRR"), "  questions: IRR-Q1\n"),
    (("model", "checklist"), "Per Release\n  - Enforce CI gates: signing, SBOM/MLBOM"),
    (("model", "glossary"), "MLBOM: Machine learning bill of materials"),
])
def test_model_views_in_text(gatekeeper, args, expected):
    run = gatekeeper(*args)
    assert run.code == 0, run.err
    assert expected in run.out
    assert all(len(line) <= 80 for line in run.out.splitlines())


def test_model_refuses_what_it_cannot_show(gatekeeper):
    assert gatekeeper("model", "checklist", "--domain", "GRC").code == 2
    assert gatekeeper("model", "phases").code == 2
    assert gatekeeper("model", "questions", "--domain", "XYZ").code == 2

