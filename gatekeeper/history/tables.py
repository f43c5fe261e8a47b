"""The history's tables (SQLAlchemy Core). Alembic migrations in ``migrations/`` create them;
this module describes the head revision for the queries."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Float, ForeignKey, Index, Integer, MetaData, String, Table, Text

metadata = MetaData()

runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("digest", String(64), nullable=False, unique=True),  # sha256 of the canonical results
    Column("system", Text, nullable=False),
    Column("version", Text),
    Column("commit_sha", Text),
    Column("ci_run", Text),
    Column("policy_digest", String(64), nullable=False),
    Column("org_policy_digest", String(64)),
    Column("verdict", String(16), nullable=False),
    Column("exit_code", Integer, nullable=False),
    Column("evaluated_at", String(32), nullable=False),  # RFC 3339 in UTC: sorts as text
    Column("pushed_at", String(32), nullable=False),
    Column("overall_level", Integer),
    Column("mean_score", Float),
    Column("maturity", Text),  # overall and domain levels, JSON: what aggregate reads
    Column("document", Text, nullable=False),  # the results document as pushed
)
Index("ix_runs_system_evaluated", runs.c.system, runs.c.evaluated_at)


def _per_run(name: str, *columns: Column[Any]) -> Table:
    return Table(
        name,
        metadata,
        Column("run_id", Integer, ForeignKey("runs.id", ondelete="CASCADE"), nullable=False,
               index=True),
        *columns,
    )


control_outcomes = _per_run(
    "control_outcomes",
    Column("control_id", Text, nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("enforcement", String(16), nullable=False),
    Column("strength", String(16)),
)
question_scores = _per_run(
    "question_scores",
    Column("question_id", String(16), nullable=False),
    Column("score", Integer, nullable=False),
    Column("base_score", Integer),  # revision 0002
    Column("source", Text),
    Column("strength", String(16)),
)
exceptions_applied = _per_run(
    "exceptions_applied",
    Column("exception_id", Text, nullable=False),
    Column("control_id", Text, nullable=False),
)
evidence_digests = _per_run(
    "evidence_digests",
    Column("path", Text, nullable=False),
    Column("collector", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
)
series = _per_run(  # revision 0002
    "series",
    Column("metric", Text, nullable=False),
    Column("label", Text, nullable=False),
    Column("value", Float, nullable=False),
)
