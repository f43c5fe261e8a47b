"""Item 5 of issue 12: evidence is a regular file of bounded size from inside the repository.

Each case is what a repository author would try to hang the gate, exhaust its memory, or make
it read (and record as evidence) a file from outside the repository."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import NOW

from adversarial.io_harness import assert_refused, check, edit_config, release
from gatekeeper.config import DEFAULT_LIMITS, parse_size, repository_root
from gatekeeper.errors import ConfigError, EvidenceError
from gatekeeper.jsonio import read_bytes
from gatekeeper.yamlio import YAML_READ_LIMIT

GARAK = "evidence/garak.report.jsonl"


def _replace_with(folder: Path, relative: str, make) -> Path:
    path = folder / relative
    path.unlink()
    make(path)
    return path


def test_a_fifo_as_evidence_is_refused_without_opening_it(gatekeeper, tmp_path):
    folder = release(tmp_path)
    _replace_with(folder, GARAK, os.mkfifo)  # opening it for reading would block forever
    assert_refused(check(gatekeeper, folder), 3, folder, GARAK, "FIFO")


def test_dev_zero_as_evidence_is_refused_not_read(gatekeeper, tmp_path):
    folder = release(tmp_path)
    edit_config(folder, lambda c: c.update(outside_repository=["/dev"]))
    _replace_with(folder, "evidence/bandit.sarif", lambda p: p.symlink_to("/dev/zero"))
    assert_refused(check(gatekeeper, folder), 3, folder, "bandit.sarif", "character device")


def test_dev_zero_named_directly_is_outside_the_repository(gatekeeper, tmp_path):
    folder = release(tmp_path)
    edit_config(folder, lambda c: c["evidence"].update(garak=["/dev/zero"]))
    assert_refused(check(gatekeeper, folder), 3, folder, "outside the repository")


def test_a_unix_socket_as_evidence_is_refused(gatekeeper, tmp_path):
    import socket

    folder = release(tmp_path)
    path = folder / "evidence" / "s.jsonl"
    edit_config(folder, lambda c: c["evidence"].update(garak=["evidence/s.jsonl"]))
    with socket.socket(socket.AF_UNIX) as server:
        try:
            server.bind(str(path))
        except OSError:
            pytest.skip("the temporary folder's path is too long for a socket")
        assert_refused(check(gatekeeper, folder), 3, folder, "s.jsonl", "socket")


def test_a_directory_as_evidence_is_refused(gatekeeper, tmp_path):
    folder = release(tmp_path)
    _replace_with(folder, GARAK, lambda p: p.mkdir())
    assert_refused(check(gatekeeper, folder), 3, folder, GARAK, "directory")


def test_an_artifact_that_is_a_fifo_is_refused(gatekeeper, tmp_path):
    folder = release(tmp_path)
    _replace_with(folder, "release/model.safetensors", os.mkfifo)
    assert_refused(check(gatekeeper, folder), 3, folder, "model.safetensors", "FIFO")


def test_evidence_over_its_kind_limit_is_refused_naming_the_limit(gatekeeper, tmp_path):
    folder = release(tmp_path)
    edit_config(folder, lambda c: c.update(limits={"garak": "1 KiB"}))
    assert_refused(check(gatekeeper, folder), 3, folder, "garak.report.jsonl", "1 KiB",
                   "limits.garak")


def test_the_limit_is_inclusive_one_byte_more_is_refused(gatekeeper, tmp_path):
    folder = release(tmp_path)
    size = (folder / GARAK).stat().st_size
    edit_config(folder, lambda c: c.update(limits={"garak": size}))
    assert check(gatekeeper, folder).code == 0
    (folder / "gatekeeper-results.json").unlink()
    edit_config(folder, lambda c: c.update(limits={"garak": size - 1}))
    assert_refused(check(gatekeeper, folder), 3, folder, GARAK)


def test_a_limit_of_another_unit_is_a_configuration_error(gatekeeper, tmp_path):
    folder = release(tmp_path)
    edit_config(folder, lambda c: c.update(limits={"garak": "2 GB"}))
    assert_refused(check(gatekeeper, folder), 2, folder, "limits")


def test_an_unknown_evidence_kind_in_limits_is_a_configuration_error(gatekeeper, tmp_path):
    folder = release(tmp_path)
    edit_config(folder, lambda c: c.update(limits={"everything": 1}))
    assert_refused(check(gatekeeper, folder), 2, folder, "limits")


def test_a_parent_path_outside_the_repository_is_refused(gatekeeper, tmp_path):
    folder = release(tmp_path)
    (tmp_path / "outside.jsonl").write_bytes((folder / GARAK).read_bytes())
    edit_config(folder, lambda c: c["evidence"].update(garak=["../outside.jsonl"]))
    assert_refused(check(gatekeeper, folder), 3, folder, "outside the repository")


def test_an_absolute_path_outside_the_repository_is_refused(gatekeeper, tmp_path):
    folder = release(tmp_path)
    outside = tmp_path / "outside.jsonl"
    outside.write_bytes((folder / GARAK).read_bytes())
    edit_config(folder, lambda c: c["evidence"].update(garak=[str(outside)]))
    assert_refused(check(gatekeeper, folder), 3, folder, "outside the repository")


def test_a_symlink_resolving_outside_the_repository_is_refused(gatekeeper, tmp_path):
    folder = release(tmp_path)
    outside = tmp_path / "outside.jsonl"
    outside.write_bytes((folder / GARAK).read_bytes())
    _replace_with(folder, GARAK, lambda p: p.symlink_to(outside))
    assert_refused(check(gatekeeper, folder), 3, folder, "outside the repository", GARAK)


def test_a_glob_matching_a_symlink_outside_is_refused(gatekeeper, tmp_path):
    folder = release(tmp_path)
    outside = tmp_path / "evil.yaml"
    outside.write_text("apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n")
    (folder / "deploy" / "k8s" / "zz.yaml").symlink_to(outside)
    assert_refused(check(gatekeeper, folder), 3, folder, "outside the repository", "zz.yaml")


def test_a_symlink_inside_the_repository_is_read(gatekeeper, tmp_path):
    folder = release(tmp_path)
    moved = folder / "evidence" / "moved.jsonl"
    (folder / GARAK).rename(moved)
    (folder / GARAK).symlink_to(moved)
    assert check(gatekeeper, folder).code == 0


def test_a_folder_listed_in_outside_repository_may_be_read(gatekeeper, tmp_path):
    folder = release(tmp_path)
    outside = tmp_path / "shared" / "garak.jsonl"
    outside.parent.mkdir()
    outside.write_bytes((folder / GARAK).read_bytes())
    edit_config(folder, lambda c: c.update(outside_repository=["../shared"]))
    edit_config(folder, lambda c: c["evidence"].update(garak=[str(outside)]))
    assert check(gatekeeper, folder).code == 0


def test_the_allowance_is_exact_a_sibling_folder_is_not_allowed(gatekeeper, tmp_path):
    folder = release(tmp_path)
    outside = tmp_path / "shared-evil" / "garak.jsonl"
    outside.parent.mkdir()
    outside.write_bytes((folder / GARAK).read_bytes())
    (tmp_path / "shared").mkdir()
    edit_config(folder, lambda c: c.update(outside_repository=["../shared"]))
    edit_config(folder, lambda c: c["evidence"].update(garak=[str(outside)]))
    assert_refused(check(gatekeeper, folder), 3, folder, "outside the repository")


def test_the_repository_is_the_git_top_level_above_the_configuration(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "ml" / "service").mkdir(parents=True)
    assert repository_root(tmp_path / "ml" / "service") == tmp_path.resolve()
    assert repository_root(tmp_path / "ml") == tmp_path.resolve()


def test_without_git_the_repository_is_the_configuration_folder(tmp_path):
    if any((folder / ".git").exists() for folder in tmp_path.resolve().parents):
        pytest.skip("the temporary folder lies inside a git repository")
    (tmp_path / "ml").mkdir()
    assert repository_root(tmp_path / "ml") == (tmp_path / "ml").resolve()


def test_exceptions_outside_the_repository_are_a_configuration_error(gatekeeper, tmp_path):
    folder = release(tmp_path)
    (tmp_path / "waivers.yaml").write_text("version: 1\nexceptions: []\n")
    edit_config(folder, lambda c: c.update(exceptions="../waivers.yaml"))
    assert_refused(check(gatekeeper, folder), 2, folder, "exceptions", "outside the repository")


def test_attestations_symlinked_outside_are_a_configuration_error(gatekeeper, tmp_path):
    folder = release(tmp_path)
    outside = tmp_path / "answers.yaml"
    outside.write_bytes((folder / "attestations.yaml").read_bytes())
    _replace_with(folder, "attestations.yaml", lambda p: p.symlink_to(outside))
    assert_refused(check(gatekeeper, folder), 2, folder, "attestations", "outside")


def test_a_fifo_as_the_configuration_is_a_configuration_error(gatekeeper, tmp_path):
    os.mkfifo(tmp_path / "gatekeeper.yaml")
    run = gatekeeper("check", "-c", tmp_path / "gatekeeper.yaml", "--now", NOW)
    assert run.code == 2 and "FIFO" in run.err, run.err


def test_an_oversized_configuration_is_refused_before_parsing(gatekeeper, tmp_path):
    path = tmp_path / "gatekeeper.yaml"
    with path.open("wb") as stream:
        stream.truncate(YAML_READ_LIMIT + 1)  # sparse: nothing is written
    run = gatekeeper("check", "-c", path, "--now", NOW)
    assert run.code == 2 and "16 MiB" in run.err, run.err


def test_a_fifo_as_the_evidence_document_to_evaluate_is_refused(gatekeeper, tmp_path):
    folder = release(tmp_path)
    os.mkfifo(tmp_path / "evidence.json")
    run = gatekeeper("evaluate", tmp_path / "evidence.json", "-c", folder / "gatekeeper.yaml",
                     "--results", folder / "gatekeeper-results.json", "--now", NOW)
    assert_refused(run, 3, folder, "evidence.json", "FIFO")


def test_a_device_as_the_baseline_is_refused(gatekeeper, tmp_path):
    folder = release(tmp_path)
    run = check(gatekeeper, folder, "--baseline", "/dev/zero")
    assert run.code in (2, 3) and "character device" in run.err, run.err
    assert not (folder / "gatekeeper-results.json").exists()


def test_read_bytes_accepts_exactly_the_limit_and_refuses_one_more(tmp_path):
    path = tmp_path / "f"
    path.write_bytes(b"x" * 10)
    assert read_bytes(path, limit=10) == b"x" * 10
    with pytest.raises(EvidenceError, match="limit of 9 bytes"):
        read_bytes(path, limit=9)
    with pytest.raises(ConfigError):
        read_bytes(tmp_path / "missing", ConfigError)


def test_default_limits_fit_real_scan_reports_and_bound_small_files():
    for kind in ("garak", "sarif", "scanners", "promptfoo", "modelscan"):
        assert DEFAULT_LIMITS[kind] >= parse_size("500 MiB")
    for kind in ("manifest", "codeowners", "signatures", "documents"):
        assert DEFAULT_LIMITS[kind] <= parse_size("64 MiB")
    assert parse_size("2 GiB") == 2 << 30 and parse_size(512) == 512


def test_a_fifo_given_as_exceptions_on_the_command_line_is_refused(gatekeeper, tmp_path):
    folder = release(tmp_path)
    os.mkfifo(tmp_path / "waivers.yaml")
    run = check(gatekeeper, folder, "--exceptions", tmp_path / "waivers.yaml")
    assert_refused(run, 2, folder, "waivers.yaml", "FIFO")


@pytest.mark.parametrize("command", ["report", "aggregate"])
def test_a_fifo_as_a_results_document_is_refused(gatekeeper, tmp_path, command):
    os.mkfifo(tmp_path / "results.json")
    run = gatekeeper(command, tmp_path / "results.json")
    assert run.code in (2, 3) and "FIFO" in run.err and "results.json" in run.err, run.err


def test_a_trusted_key_symlinked_outside_the_repository_is_refused(gatekeeper, tmp_path):
    folder = release(tmp_path)
    outside = tmp_path / "attacker.pub"
    outside.write_bytes((folder / "keys/model-signing.pub").read_bytes())
    _replace_with(folder, "keys/model-signing.pub", lambda p: p.symlink_to(outside))
    run = check(gatekeeper, folder)
    assert run.code == 3 and "outside the repository" in run.err, run.err
    assert not (folder / "gatekeeper-results.json").exists()


def test_a_prompt_template_symlinked_outside_the_repository_is_refused(gatekeeper, tmp_path):
    folder = release(tmp_path)
    template = next((folder / "prompts").iterdir())
    outside = tmp_path / "template.txt"
    outside.write_bytes(template.read_bytes())
    _replace_with(folder, str(template.relative_to(folder)), lambda p: p.symlink_to(outside))
    assert_refused(check(gatekeeper, folder), 3, folder, "outside the repository")
