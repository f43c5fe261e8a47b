"""A real PostgreSQL server for the history tests: Debian's ``postgresql`` binaries, a cluster
made by ``initdb`` in a temporary folder as a non-root user, listening on 127.0.0.1 only, with
password authentication (the tests give the password through ``PGPASSWORD``), stopped at the
end. Outside CI a machine without the binaries skips these tests; in CI (``CI=true``) a server
that cannot start fails them."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

USER = "gatekeeper"
PASSWORD = "pg-test-Secret-7f3a"  # the tests assert it never appears in any output


@dataclass(frozen=True)
class Server:
    port: int
    folder: Path

    def url(self, database: str) -> str:
        """A URL without the password: it comes from PGPASSWORD, as in a pipeline."""
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        import psycopg

        admin = f"host=127.0.0.1 port={self.port} user={USER} password={PASSWORD} dbname=postgres"
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"PostgreSQL: {reason} (CI=true: the PostgreSQL tests must run)", pytrace=False)
    pytest.skip(f"PostgreSQL: {reason}")


def _bin_dir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_owner(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: CI runs as root, so run it as ``nobody``."""
    return ["runuser", "-u", "nobody", "--", *command] if os.geteuid() == 0 else command


def start() -> Server:
    bin_dir = _bin_dir()
    if bin_dir is None:
        _unavailable("no initdb under /usr/lib/postgresql (apt-get install postgresql)")
    folder = Path(tempfile.mkdtemp(prefix="gk-pg-"))
    (folder / "pw").write_text(PASSWORD + "\n")
    if os.geteuid() == 0:
        shutil.chown(folder, "nobody")
        shutil.chown(folder / "pw", "nobody")
    data, port = folder / "data", _free_port()
    steps = [
        [str(bin_dir / "initdb"), "-D", str(data), "-U", USER, "--pwfile", str(folder / "pw"),
         "-A", "scram-sha-256", "-E", "UTF8", "--no-sync"],
        [str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-w", "-t", "60",
         "-o", f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c fsync=off", "start"],
    ]
    for step in steps:
        done = subprocess.run(_as_owner(step), capture_output=True, text=True, cwd=folder)
        if done.returncode != 0:
            log = (folder / "log").read_text() if (folder / "log").exists() else ""
            shutil.rmtree(folder, ignore_errors=True)
            _unavailable(f"{Path(step[0]).name} failed: {done.stderr.strip()} {log.strip()}")
    return Server(port, folder)


def stop(server: Server) -> None:
    pg_ctl = _bin_dir() / "pg_ctl"
    subprocess.run(_as_owner([str(pg_ctl), "-D", str(server.folder / "data"), "-m", "fast",
                              "-w", "stop"]), capture_output=True, check=False)
    shutil.rmtree(server.folder, ignore_errors=True)
