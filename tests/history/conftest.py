"""Fixtures of the history tests: a store URL for each backend (a SQLite file, a database on a
real PostgreSQL server), so that the same tests run against both."""

from __future__ import annotations

import itertools

import pytest

from history import postgres

BACKENDS = ("sqlite", "postgresql")
_databases = itertools.count()


@pytest.fixture(scope="session")
def postgres_server():
    server = postgres.start()
    yield server
    postgres.stop(server)


@pytest.fixture(params=BACKENDS)
def history_url(request, tmp_path, monkeypatch) -> str:
    """A fresh, empty store on each backend."""
    if request.param == "sqlite":
        return str(tmp_path / "history.db")
    server = request.getfixturevalue("postgres_server")
    monkeypatch.setenv("PGPASSWORD", postgres.PASSWORD)
    return server.create_database(f"history_{next(_databases)}")
