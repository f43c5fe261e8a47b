"""The results store: SQLAlchemy Core over SQLite or PostgreSQL, schema by Alembic.

One small interface: ``open_store(url)`` migrates to the head revision and returns a
``HistoryStore`` that pushes results and answers the questions the commands ask (runs, one run,
a metric over time, each system's latest runs, every run for export). Runs are keyed by the
sha256 of the canonical results document, so the same results pushed twice are one run; each
push is one transaction, so concurrent pushes lose nothing. Every database failure becomes a
``HistoryError`` whose message shows the URL without its password.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import create_engine, event, func, insert, select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from gatekeeper.errors import ConfigError, GatekeeperError
from gatekeeper.history import records
from gatekeeper.history.tables import (
    control_outcomes,
    evidence_digests,
    exceptions_applied,
    question_scores,
    runs,
    series,
)
from gatekeeper.history.url import scrub, sqlalchemy_url
from gatekeeper.jsonio import dumps, sha256_bytes
from gatekeeper.timeutil import rfc3339

MIGRATIONS = Path(__file__).parent / "migrations"
MIGRATION_LOCK = 0x6A7E  # PostgreSQL advisory lock: one migrating process at a time
RUN_COLUMNS = [c for c in runs.c if c.name not in ("document", "maturity")]
CHILD_ROWS = (
    (control_outcomes, records.control_rows),
    (question_scores, records.question_rows),
    (exceptions_applied, records.exception_rows),
    (evidence_digests, records.evidence_rows),
    (series, records.series_rows),
)
METRICS = {"level": runs.c.overall_level, "mean_score": runs.c.mean_score}


class HistoryError(GatekeeperError):
    """The results store could not be read or written (exit 3)."""


@dataclass(frozen=True)
class Pushed:
    """A run stored by ``push``: its number, digest and system, and whether it was new."""

    run_id: int
    digest: str
    system: str
    new: bool


def open_store(url: str) -> HistoryStore:
    """The history store at ``url`` (a SQLAlchemy URL or a path), its schema migrated."""
    store = HistoryStore(url)
    store.migrate()
    return store


class HistoryStore:
    """Runs kept in a database: push results documents, read runs, trends and scores back.

    Every database error becomes a ``HistoryError`` naming the store (its password scrubbed).
    """

    def __init__(self, url: str):
        self.url = url
        try:
            self.engine = _engine(sqlalchemy_url(url))
        except (ArgumentError, ImportError, ValueError) as error:
            raise ConfigError(
                f"history: cannot use {scrub(url, url)}: {scrub(str(error), url)}"
            ) from None

    # --- schema -------------------------------------------------------------------------

    def migrate(self, revision: str = "head") -> None:
        """Bring the schema to ``revision`` (Alembic), once even when many pushes start at once."""
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with self._begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})"))
            if _current_revision(connection) == _target(config, revision):
                return
            config.attributes["connection"] = connection
            command.upgrade(config, revision)

    # --- writing ------------------------------------------------------------------------

    def push(self, results: dict[str, Any]) -> Pushed:
        """Store one run; the same results again return the stored run (``new`` false)."""
        return self.push_many([results])[0]

    def push_many(self, documents: list[dict[str, Any]]) -> list[Pushed]:
        """Store runs in one transaction: all of them, or none. Each table's rows of the new
        runs go in one statement."""
        for results in documents:
            records.refuse_partial(results, f"results of {results['subject']['name']}")
        pushed_at = rfc3339(datetime.now(timezone.utc).replace(microsecond=0))
        with self._begin() as connection:
            pushed = [_insert_run(connection, results, pushed_at) for results in documents]
            for table, extract in CHILD_ROWS:
                rows = [{**row, "run_id": p.run_id}
                        for p, results in zip(pushed, documents, strict=True) if p.new
                        for row in extract(results)]
                if rows:
                    connection.execute(insert(table), rows)
        return pushed

    # --- reading ------------------------------------------------------------------------

    def runs(self, system: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        """Runs, newest first."""
        query = select(*RUN_COLUMNS).order_by(runs.c.evaluated_at.desc(), runs.c.id.desc())
        if system is not None:
            query = query.where(runs.c.system == system)
        return self._rows(query.limit(limit))

    def document(self, reference: str) -> dict[str, Any]:
        """The results document of run ``reference``: its number, or a digest prefix."""
        query = select(runs.c.id, runs.c.document)
        if reference.isdigit():
            query = query.where(runs.c.id == int(reference))
        else:
            query = query.where(runs.c.digest.startswith(reference.lower(), autoescape=True))
        found = self._rows(query.limit(2))
        if len(found) != 1:
            what = "no run" if not found else "more than one run"
            raise ConfigError(f"history: {what} matches {reference!r}",
                              hint="give a run number from `gatekeeper history list`")
        document: dict[str, Any] = orjson.loads(found[0]["document"])
        return document

    def trend(
        self, system: str, metric: str, label: str | None = None, last: int | None = None
    ) -> list[dict[str, Any]]:
        """``metric`` over ``system``'s runs, oldest first: ``level``, ``mean_score``,
        ``score:<QUESTION>``, or a measured series (``attack_success``, ``safety``,
        ``privacy``, ``detector_precision``, ``detector_recall``, ``mttd_minutes``,
        ``mttr_minutes``), one row per label."""
        base = [runs.c.id.label("run_id"), runs.c.evaluated_at, runs.c.version]
        if metric in METRICS:
            query = select(*base, text("'' AS label"), METRICS[metric].label("value"))
        elif metric.startswith("score:"):
            query = (select(*base, question_scores.c.question_id.label("label"),
                            question_scores.c.score.label("value"))
                     .join(question_scores, question_scores.c.run_id == runs.c.id)
                     .where(question_scores.c.question_id == metric.removeprefix("score:")))
        else:
            query = (select(*base, series.c.label, series.c.value)
                     .join(series, series.c.run_id == runs.c.id)
                     .where(series.c.metric == metric))
            if label is not None:
                query = query.where(series.c.label == label)
        query = query.where(runs.c.system == system)
        if last is not None:
            recent = (select(runs.c.id).where(runs.c.system == system)
                      .order_by(runs.c.evaluated_at.desc(), runs.c.id.desc()).limit(last))
            query = query.where(runs.c.id.in_(recent.scalar_subquery()))
        return self._rows(query.order_by(runs.c.evaluated_at, runs.c.id, text("label")))

    def questions(self, system: str, last: int) -> list[dict[str, dict[str, Any]]]:
        """The question rows of ``system``'s ``last`` runs, newest first, by question id."""
        recent = (select(runs.c.id).where(runs.c.system == system)
                  .order_by(runs.c.evaluated_at.desc(), runs.c.id.desc()).limit(last))
        ids = [row["id"] for row in self._rows(recent)]
        by_run: dict[int, dict[str, dict[str, Any]]] = {run_id: {} for run_id in ids}
        query = select(question_scores).where(question_scores.c.run_id.in_(ids))
        for row in self._rows(query):
            by_run[row["run_id"]][row["question_id"]] = row
        return [by_run[run_id] for run_id in ids]

    def recent_documents(
        self, system: str, last: int, before: str
    ) -> list[tuple[str, dict[str, Any]]]:
        """The results documents of ``system``'s ``last`` runs evaluated before ``before`` (RFC
        3339 in UTC), newest first, with their run numbers."""
        query = (select(runs.c.id, runs.c.document)
                 .where(runs.c.system == system, runs.c.evaluated_at < before)
                 .order_by(runs.c.evaluated_at.desc(), runs.c.id.desc()).limit(last))
        return [(str(row["id"]), orjson.loads(row["document"])) for row in self._rows(query)]

    def systems(self) -> list[str]:
        """Every system with a stored run, sorted."""
        return [row["system"] for row in self._rows(
            select(runs.c.system).distinct().order_by(runs.c.system))]

    def last_passed(self, system: str, controls: list[str]) -> tuple[dict[str, str], str]:
        """Per control, the latest run of ``system`` it passed (or warned) in; and the time
        of the system's latest run."""
        query = (select(control_outcomes.c.control_id, func.max(runs.c.evaluated_at).label("at"))
                 .join(runs, runs.c.id == control_outcomes.c.run_id)
                 .where(runs.c.system == system, control_outcomes.c.control_id.in_(controls),
                        control_outcomes.c.outcome.in_(("pass", "warn")))
                 .group_by(control_outcomes.c.control_id))
        latest = self._rows(select(func.max(runs.c.evaluated_at).label("at"))
                            .where(runs.c.system == system))[0]["at"]
        if latest is None:
            raise ConfigError(f"history: no runs of system {system!r}",
                              hint="see `gatekeeper history list`")
        return {row["control_id"]: row["at"] for row in self._rows(query)}, latest

    def latest(self, depth: int = 2) -> list[dict[str, Any]]:
        """Each system's ``depth`` latest runs (rank 1 = latest), with their question scores
        and maturity summary: what ``aggregate --history`` reads."""
        rank = func.row_number().over(
            partition_by=runs.c.system, order_by=(runs.c.evaluated_at.desc(), runs.c.id.desc())
        ).label("rank")
        ranked = select(*RUN_COLUMNS, runs.c.maturity, rank).subquery()
        chosen = self._rows(select(ranked).where(ranked.c.rank <= depth)
                            .order_by(ranked.c.system, ranked.c.rank))
        scores: dict[int, dict[str, int]] = {row["id"]: {} for row in chosen}
        query = select(question_scores.c.run_id, question_scores.c.question_id,
                       question_scores.c.score).where(question_scores.c.run_id.in_(list(scores)))
        with self._guard(), self.engine.connect() as connection:
            for run_id, question_id, score in connection.execute(query):  # plain tuples: fast
                scores[run_id][question_id] = score
        return [{**row, "scores": scores[row["id"]]} for row in chosen]

    def export(self) -> Iterator[dict[str, Any]]:
        """Every run, oldest first, as ``{"run": number, "digest": ..., "results": document}``."""
        query = select(runs.c.id, runs.c.digest, runs.c.document).order_by(runs.c.id)
        with self._guard(), self.engine.connect() as connection:
            for row in connection.execute(query):
                yield {"run": row.id, "digest": row.digest,
                       "results": orjson.loads(row.document)}

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    # --- plumbing -----------------------------------------------------------------------

    def _rows(self, query: Any) -> list[dict[str, Any]]:
        with self._guard(), self.engine.connect() as connection:
            rows = connection.execute(query)
            # Column names are str subclasses (quoted_name): plain str keys for orjson.
            return [{str(k): v for k, v in row._mapping.items()} for row in rows]

    @contextmanager
    def _begin(self) -> Iterator[Connection]:
        with self._guard(), self.engine.begin() as connection:
            yield connection

    @contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except SQLAlchemyError as error:
            reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
            raise HistoryError(
                f"history {scrub(_shown(self.url), self.url)}: {scrub(reason, self.url)}",
                hint="check that the database is reachable and the credentials in the "
                "environment (PGPASSWORD, GATEKEEPER_HISTORY_URL) are right",
            ) from None


def _shown(url: str) -> str:
    from sqlalchemy.engine import make_url

    if "://" not in url:
        return url
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _engine(url: str) -> Engine:
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 60})

    # SQLite: writers take the database lock when their transaction begins (BEGIN IMMEDIATE),
    # so concurrent pushes queue instead of failing half-way; foreign keys are enforced.
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA foreign_keys = ON")

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _insert_run(connection: Connection, results: dict[str, Any], pushed_at: str) -> Pushed:
    """The run's row, unless a run of the same digest is stored (then that run, not new)."""
    document = dumps(results).decode("utf-8")
    digest = sha256_bytes(document.encode("utf-8"))
    row = records.run_row(results, digest, document, pushed_at)
    run_id = connection.execute(_insert_new_run(connection, row)).scalar()
    if run_id is None:
        existing = connection.execute(select(runs.c.id).where(runs.c.digest == digest))
        return Pushed(existing.scalar_one(), digest, row["system"], new=False)
    return Pushed(run_id, digest, row["system"], new=True)


def _insert_new_run(connection: Connection, row: dict[str, Any]) -> Any:
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    return (dialect.insert(runs).values(**row)
            .on_conflict_do_nothing(index_elements=["digest"]).returning(runs.c.id))


def _current_revision(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def _target(config: Any, revision: str) -> str | None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(config)
    return script.get_current_head() if revision == "head" else revision
