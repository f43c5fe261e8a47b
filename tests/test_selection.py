"""--only / --skip: a partial run, never below the mandatory floor, never a release decision.

On the unsafe example (exit 1). The attacks: skipping a mandatory control, and selecting one
harmless control to turn a blocked release into a pass with a signed summary.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from conftest import EXAMPLES, NOW, copy_example, enabled_controls

from gatekeeper.engine.policies import load_policies
from gatekeeper.errors import ConfigError
from gatekeeper.history.store import open_store
from gatekeeper.reporters import vsa
from gatekeeper.reporters.interface import ReportOptions
from gatekeeper.selection import Selection, selection_from

pytest_plugins = ("reporters.reporter_fixtures",)  # key_pair

MANDATORY = [c.id for c in load_policies().controls if c.mandatory]
HARMLESS = "SDL-sbom-present"  # passes on the unsafe example
FORMATS = ("json", "markdown", "html", "sarif", "junit", "github", "oscal")


@pytest.fixture
def unsafe(tmp_path) -> Path:
    return copy_example(EXAMPLES / "unsafe-release", tmp_path / "unsafe")


@pytest.fixture(autouse=True)
def _no_selection_from_the_environment(monkeypatch):
    for name in ("GATEKEEPER_ONLY", "GATEKEEPER_SKIP", "GATEKEEPER_VERBOSITY"):
        monkeypatch.delenv(name, raising=False)


def check(gatekeeper, unsafe: Path, *args):
    return gatekeeper("check", "-c", unsafe / "gatekeeper.yaml", "--now", NOW,
                      "--results", unsafe / "results.json", *args)


def results(unsafe: Path) -> dict:
    return json.loads((unsafe / "results.json").read_text())


def released_floor(tmp_path: Path) -> Path:
    """An organization policy that releases the shipped mandatory controls."""
    path = tmp_path / "org-policy.yaml"
    path.write_text("version: 1\nshipped_mandatory: false\n")
    return path


def test_flags_win_over_the_environment_and_the_environment_splits_on_commas():
    environ = {"GATEKEEPER_ONLY": " SDL-*, ,MOD-model-signed ", "GATEKEEPER_SKIP": "X"}
    assert selection_from((), (), environ) == Selection(("SDL-*", "MOD-model-signed"), ("X",))
    assert selection_from(("APP-*",), (), environ) == Selection(("APP-*",), ("X",))
    assert selection_from((), ("Y",), environ).skip == ("Y",)
    assert not selection_from((), (), {"GATEKEEPER_ONLY": " , "})


def test_only_keeps_the_mandatory_controls_and_marks_the_run_partial(gatekeeper, unsafe):
    run = check(gatekeeper, unsafe, "--only", HARMLESS)
    assert run.code == 1  # the mandatory controls still run, and they fail
    document = results(unsafe)
    ran = [c["id"] for c in document["controls"]]
    assert sorted(ran) == sorted([HARMLESS, *MANDATORY])
    selection = document["selection"]
    assert selection["only"] == [HARMLESS] and selection["skip"] == []
    assert sorted(selection["kept_mandatory"]) == sorted(MANDATORY)
    total = enabled_controls(unsafe / "gatekeeper.yaml")
    assert selection["controls"] == ran and len(ran) + len(selection["left_out"]) == total
    assert f"partial run (--only SDL-sbom-present): 9 of {total} enabled controls" in run.out
    assert document["policy"]["digest"] == _full_run_digest(gatekeeper, unsafe)


def _full_run_digest(gatekeeper, unsafe: Path) -> str:
    assert check(gatekeeper, unsafe).code == 1
    document = results(unsafe)
    assert "selection" not in document
    assert len(document["controls"]) == enabled_controls(unsafe / "gatekeeper.yaml")
    return str(document["policy"]["digest"])


def test_skip_leaves_out_what_it_names(gatekeeper, unsafe):
    run = check(gatekeeper, unsafe, "--skip", "SAF-*", "--skip", "INF-iac-scanned")
    assert run.code == 1
    document = results(unsafe)
    ran = {c["id"] for c in document["controls"]}
    assert "INF-iac-scanned" not in ran and not any(c.startswith("SAF-") for c in ran)
    assert "INF-iac-scanned" in document["selection"]["left_out"]
    assert document["selection"]["kept_mandatory"] == []
    assert "--skip SAF-*, INF-iac-scanned" in run.out


@pytest.mark.parametrize("skip", ["SDL-*", "SDL-secrets-clean", "*"])
def test_a_mandatory_control_cannot_be_skipped(gatekeeper, unsafe, skip):
    run = check(gatekeeper, unsafe, "--skip", skip)
    assert run.code == 2, run.err
    assert "--skip may not leave out mandatory controls" in run.err
    assert "SDL-secrets-clean (mandatory:" in run.err and "METADATA mandatory: true" in run.err
    assert not (unsafe / "results.json").exists()


def test_the_org_policy_floor_cannot_be_skipped_from_the_environment(
        gatekeeper, unsafe, tmp_path, monkeypatch):
    org = tmp_path / "org.yaml"
    org.write_text("version: 1\nmandatory:\n  - controls: [MON-*]\n    minimum: advisory\n")
    monkeypatch.setenv("GATEKEEPER_SKIP", "APP-*,MON-ai-threat-detectors")
    run = check(gatekeeper, unsafe, "--org-policy", org)
    assert run.code == 2 and f"MON-ai-threat-detectors (mandatory: {org.resolve()})" in run.err
    assert "APP-" not in run.err  # only the refused ones are named
    # the flag replaces the variable
    assert check(gatekeeper, unsafe, "--org-policy", org, "--skip", "APP-*").code == 1
    assert results(unsafe)["selection"]["skip"] == ["APP-*"]


@pytest.mark.parametrize("args, named", [
    (["--only", "NOPE-*"], "--only NOPE-*"),
    (["--skip", "APP-nothing-like-this"], "--skip APP-nothing-like-this"),
    (["--only", "SDL-sbom-present", "--only", "sdl-*"], "--only sdl-*"),  # case matters
])
def test_a_glob_that_matches_no_control_is_a_usage_error(gatekeeper, unsafe, args, named):
    run = check(gatekeeper, unsafe, *args)
    assert run.code == 2 and f"{named}: matches no enabled control" in run.err
    assert not (unsafe / "results.json").exists()


def test_a_disabled_control_cannot_be_selected(gatekeeper, unsafe):
    config = unsafe / "gatekeeper.yaml"
    config.write_text(config.read_text().replace("profile:\n", "profile:\n  disabled: [SAF-*]\n",
                                                 1))
    assert check(gatekeeper, unsafe).code == 1
    run = check(gatekeeper, unsafe, "--only", "SAF-*")
    assert run.code == 2 and "--only SAF-*: matches no enabled control" in run.err


def test_a_selection_that_leaves_nothing_is_a_usage_error(gatekeeper, unsafe, tmp_path):
    run = check(gatekeeper, unsafe, "--org-policy", released_floor(tmp_path),
                "--only", HARMLESS, "--skip", "SDL-*")
    assert run.code == 2 and "leaves no control to evaluate" in run.err


def test_selecting_a_harmless_control_gives_no_signed_pass(gatekeeper, unsafe, tmp_path,
                                                           key_pair):
    """The attack: the floor released, --only a control that passes, and ask for a VSA."""
    key, _ = key_pair()
    org = released_floor(tmp_path)
    refused = check(gatekeeper, unsafe, "--org-policy", org, "--only", HARMLESS,
                    "--output", f"vsa={unsafe / 'gate.vsa.json'}", "--vsa-key", key)
    assert refused.code == 2 and "partial run, which gets no verification summary" in refused.err
    assert not (unsafe / "gate.vsa.json").exists() and not (unsafe / "results.json").exists()
    run = check(gatekeeper, unsafe, "--org-policy", org, "--only", HARMLESS)
    assert run.code == 0 and "VERDICT: PASSED" in run.out and "partial run" in run.out
    config = unsafe / "gatekeeper.yaml"
    sign = ("report", unsafe / "results.json", "-c", config, "--vsa-key", key,
            "--output", f"vsa={unsafe / 'gate.vsa.json'}")
    later = gatekeeper(*sign)
    assert later.code == 2 and "a partial run (--only / --skip) gets no verification" in later.err
    # its mark removed, the results still lack the controls the configuration enables
    document = results(unsafe)
    del document["selection"]
    (unsafe / "results.json").write_text(json.dumps(document))
    stripped = gatekeeper(*sign)
    lacking = enabled_controls(unsafe / "gatekeeper.yaml") - 1
    assert stripped.code == 3
    assert f"lacks {lacking} of the configuration's enabled controls" in stripped.err
    assert not (unsafe / "gate.vsa.json").exists()


def test_the_vsa_reporter_itself_refuses_a_partial_run(gatekeeper, unsafe, key_pair):
    key, _ = key_pair()
    assert check(gatekeeper, unsafe, "--only", HARMLESS).code == 1
    with pytest.raises(ConfigError, match="gets no verification summary"):
        signing = vsa.Signing(vsa.load_signer(Path(key)), (), None)
        vsa.render(results(unsafe), ReportOptions(signing=signing))


def test_a_full_run_still_signs(gatekeeper, tmp_path, key_pair):
    """The completeness check does not refuse what it should sign (the passing example)."""
    key, _ = key_pair()
    release = copy_example(EXAMPLES / "model-release", tmp_path / "release")
    run = gatekeeper("check", "-c", release / "gatekeeper.yaml", "--now", NOW,
                     "--results", release / "results.json")
    assert run.code == 0, run.out
    signed = gatekeeper("report", release / "results.json", "-c", release / "gatekeeper.yaml",
                        "--vsa-key", key, "--output",
                        f"vsa={release / 'gate.vsa.json'}")
    assert signed.code == 0, signed.err
    assert (release / "gate.vsa.json").is_file()


def test_every_report_says_the_run_is_partial(gatekeeper, unsafe):
    outputs = []
    for name in FORMATS:
        outputs += ["--output", f"{name}={unsafe / f'report.{name}'}"]
    run = check(gatekeeper, unsafe, "--only", HARMLESS, *outputs, "-f", "text")
    assert run.code == 1 and "partial run (--only SDL-sbom-present)" in run.out
    assert json.loads((unsafe / "report.json").read_text())["selection"]["only"] == [HARMLESS]
    for name in FORMATS[1:]:
        text = (unsafe / f"report.{name}").read_text()
        assert "partial run" in text.lower(), name
    sarif = json.loads((unsafe / "report.sarif").read_text())
    total = enabled_controls(unsafe / "gatekeeper.yaml")
    assert f"9 of {total} enabled controls" in sarif["runs"][0]["properties"]["partialRun"]
    assert "::warning title=gatekeeper partial run::" in (unsafe / "report.github").read_text()
    assert "SDL-sbom-present" in (unsafe / "report.markdown").read_text()
    assert check(gatekeeper, unsafe, "--output", f"html={unsafe / 'full.html'}").code == 1
    assert "partial run" not in (unsafe / "full.html").read_text().lower()


def test_a_partial_run_is_not_stored_in_the_history(gatekeeper, unsafe):
    db = unsafe / "history.db"
    run = check(gatekeeper, unsafe, "--only", HARMLESS, "--history", db)
    assert run.code == 1 and "a partial run (--only / --skip) is not stored" in run.err
    assert _stored(db) == 0
    pushed = gatekeeper("history", "push", unsafe / "results.json", "--history", db)
    assert pushed.code == 2 and "refusing to store a partial run" in pushed.err
    assert str(unsafe / "results.json") in pushed.err and _stored(db) == 0
    with pytest.raises(ConfigError, match="refusing to store a partial run"):
        open_store(str(db)).push(results(unsafe))  # the store itself refuses it too
    assert check(gatekeeper, unsafe, "--history", db).code == 1
    assert _stored(db) == 1


def _stored(db: Path) -> int:
    with sqlite3.connect(db) as connection:
        return int(connection.execute("select count(*) from runs").fetchone()[0])


def test_evaluate_takes_the_same_selection(gatekeeper, unsafe):
    evidence = unsafe / "evidence.json"
    assert gatekeeper("collect", "-c", unsafe / "gatekeeper.yaml", "--now", NOW,
                      "-o", evidence).code == 0
    run = gatekeeper("evaluate", evidence, "-c", unsafe / "gatekeeper.yaml", "--now", NOW,
                     "--results", unsafe / "results.json", "--skip", "SAF-*")
    assert run.code == 1 and results(unsafe)["selection"]["skip"] == ["SAF-*"]
    refused = gatekeeper("evaluate", evidence, "-c", unsafe / "gatekeeper.yaml", "--now", NOW,
                         "--skip", "MOD-model-signed")
    assert refused.code == 2 and "MOD-model-signed (mandatory:" in refused.err
