"""Item 8 of issue 12: outputs are written all or none, never half a file.

A full disk, a folder that cannot be written, a failing later output, SIGTERM and SIGKILL each
leave every output as it was before the run (or absent), and no results file says ``pass``
for a run that exited non-zero."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from conftest import NOW

from adversarial.io_harness import check, release, results
from gatekeeper import outputs
from gatekeeper.errors import ConfigError

OLD = b'{"old": "results of an earlier run"}\n'


def _leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".gatekeeper-tmp")]


def _unsafe(tmp_path: Path) -> Path:
    from conftest import EXAMPLES, copy_example

    return copy_example(EXAMPLES / "unsafe-release", tmp_path / "unsafe")


def test_a_full_disk_leaves_the_previous_results_intact(gatekeeper, tmp_path, monkeypatch):
    folder = release(tmp_path)
    (folder / "gatekeeper-results.json").write_bytes(OLD)

    def no_space(descriptor):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(outputs.os, "fsync", no_space)
    run = check(gatekeeper, folder)
    assert run.code == 2 and "No space left on device" in run.err, run.err
    assert (folder / "gatekeeper-results.json").read_bytes() == OLD
    assert _leftovers(folder) == []


def test_a_file_size_limit_hit_mid_write_leaves_the_previous_results_intact(tmp_path):
    """A real short write: the kernel refuses bytes past RLIMIT_FSIZE (EFBIG), as a full disk
    refuses them (ENOSPC), in the middle of the results document."""
    folder = release(tmp_path)
    (folder / "gatekeeper-results.json").write_bytes(OLD)
    script = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))\n"
        "from gatekeeper.cli import main\n"
        "main(sys.argv[1:])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, "check", "-c", str(folder / "gatekeeper.yaml"),
         "--now", NOW, "--results", str(folder / "gatekeeper-results.json")],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "File too large" in done.stderr and "gatekeeper-results.json" in done.stderr
    assert (folder / "gatekeeper-results.json").read_bytes() == OLD
    assert _leftovers(folder) == []


def test_a_later_output_that_fails_leaves_no_results_saying_pass(gatekeeper, tmp_path):
    folder = release(tmp_path)
    (folder / "blocker").write_text("a file where a folder should be")
    run = check(gatekeeper, folder, "-f", "json", "-o", folder / "blocker" / "out.json")
    assert run.code == 2 and "blocker" in run.err, run.err
    assert not (folder / "gatekeeper-results.json").exists()
    assert _leftovers(folder) == []


def test_a_later_output_that_fails_leaves_the_old_results_untouched(gatekeeper, tmp_path):
    folder = release(tmp_path)
    (folder / "gatekeeper-results.json").write_bytes(OLD)
    (folder / "blocker").write_text("")
    run = check(gatekeeper, folder, "-f", "sarif", "-o", folder / "blocker" / "x.sarif")
    assert run.code == 2
    assert (folder / "gatekeeper-results.json").read_bytes() == OLD


def test_an_output_folder_that_is_a_file_is_a_clear_error_for_results(gatekeeper, tmp_path):
    folder = release(tmp_path)
    (folder / "out").write_text("")
    run = gatekeeper("check", "-c", folder / "gatekeeper.yaml", "--now", NOW,
                     "--results", folder / "out" / "results.json")
    assert run.code == 2 and "out/results.json" in run.err and "cannot write" in run.err


def test_an_output_that_is_a_directory_is_refused_and_kept(gatekeeper, tmp_path):
    folder = release(tmp_path)
    (folder / "report.md").mkdir()
    run = check(gatekeeper, folder, "-f", "markdown", "-o", folder / "report.md")
    assert run.code == 2, run.err
    assert (folder / "report.md").is_dir()
    assert not (folder / "gatekeeper-results.json").exists()


def test_every_output_is_complete_when_the_run_succeeds(gatekeeper, tmp_path):
    folder = release(tmp_path)
    run = check(gatekeeper, folder, "-f", "json", "-o", folder / "a.json", "-f", "sarif",
                "-o", folder / "a.sarif")
    assert run.code == 0, run.err
    assert orjson.loads((folder / "a.json").read_bytes())["verdict"]["outcome"] == "pass"
    assert orjson.loads((folder / "a.sarif").read_bytes())["version"] == "2.1.0"
    assert results(folder)["verdict"]["outcome"] == "pass"
    assert _leftovers(folder) == []


def test_a_failing_gate_writes_a_results_file_that_says_failed(gatekeeper, tmp_path):
    folder = _unsafe(tmp_path)
    run = gatekeeper("check", "-c", folder / "gatekeeper.yaml", "--now", NOW,
                     "--results", folder / "r.json")
    assert run.code == 1
    assert orjson.loads((folder / "r.json").read_bytes())["verdict"]["outcome"] == "fail"


def test_collect_output_is_atomic_on_a_full_disk(gatekeeper, tmp_path, monkeypatch):
    folder = release(tmp_path)
    (folder / "evidence.json").write_bytes(OLD)

    def no_space(descriptor):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(outputs.os, "fsync", no_space)
    run = gatekeeper("collect", "-c", folder / "gatekeeper.yaml", "--now", NOW,
                     "-o", folder / "evidence.json")
    assert run.code == 2 and "evidence.json" in run.err
    assert (folder / "evidence.json").read_bytes() == OLD


def test_write_files_writes_all_or_none(tmp_path, monkeypatch):
    first, second = tmp_path / "a", tmp_path / "b"
    first.write_bytes(b"old a")
    calls = []
    real = outputs._stage

    def stage(path, data):
        calls.append(path)
        if path == second:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS))
        return real(path, data)

    monkeypatch.setattr(outputs, "_stage", stage)
    with pytest.raises(ConfigError, match="Read-only file system"):
        outputs.write_files([(first, b"new a"), (second, b"new b")])
    assert first.read_bytes() == b"old a" and not second.exists()
    assert _leftovers(tmp_path) == []


def test_the_first_output_is_renamed_last(tmp_path, monkeypatch):
    order = []
    real = os.replace
    monkeypatch.setattr(outputs.os, "replace", lambda a, b: (order.append(Path(b)), real(a, b)))
    outputs.write_files([(tmp_path / "results.json", b"{}"), (tmp_path / "x.md", b"x")])
    assert order == [tmp_path / "x.md", tmp_path / "results.json"]


def test_a_written_file_is_readable_like_any_other_file(tmp_path):
    outputs.write_file(tmp_path / "r.json", b"{}")
    mode = (tmp_path / "r.json").stat().st_mode & 0o777
    assert mode & 0o644 == 0o644 & ~_current_umask()


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_BLOCK_AFTER_STAGING = (
    "import os, sys\n"
    "real = os.fsync\n"
    "def fsync(descriptor):\n"
    "    real(descriptor)\n"
    "    print('staged', flush=True)\n"
    "    sys.stdin.readline()\n"  # wait here, one output staged, none renamed
    "os.fsync = fsync\n"
    "from gatekeeper.cli import main\n"
    "main(sys.argv[1:])\n"
)


def _run_until_staged(folder: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-c", _BLOCK_AFTER_STAGING, "check", "-c",
         str(folder / "gatekeeper.yaml"), "--now", NOW, "-f", "json",
         "-o", str(folder / "report.json"), "--results", str(folder / "gatekeeper-results.json")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stdout is not None
    line = process.stdout.readline()
    assert line == "staged\n", (line, process.stderr.read() if process.stderr else "")
    return process


@pytest.mark.parametrize("signal_number", [signal.SIGKILL, signal.SIGTERM])
def test_a_signal_mid_write_leaves_the_previous_outputs_intact(tmp_path, signal_number):
    folder = release(tmp_path)
    (folder / "gatekeeper-results.json").write_bytes(OLD)
    process = _run_until_staged(folder)
    process.send_signal(signal_number)
    code = process.wait(timeout=600)
    assert code != 0
    assert (folder / "gatekeeper-results.json").read_bytes() == OLD
    assert not (folder / "report.json").exists()
    if signal_number == signal.SIGTERM:  # unwound: the staged file is removed too
        assert code == 128 + signal.SIGTERM and _leftovers(folder) == []


def test_sigkill_while_the_first_run_writes_leaves_no_results_file(tmp_path):
    folder = release(tmp_path)
    process = _run_until_staged(folder)
    process.kill()
    process.wait(timeout=600)
    assert not (folder / "gatekeeper-results.json").exists()
