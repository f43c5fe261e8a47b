"""Runs, and per run: control outcomes, question scores, exceptions applied, evidence digests."""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _run_id() -> sa.Column[int]:
    return sa.Column(
        "run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"), nullable=False,
        index=True,
    )


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("digest", sa.String(64), nullable=False, unique=True),
        sa.Column("system", sa.Text, nullable=False),
        sa.Column("version", sa.Text),
        sa.Column("commit_sha", sa.Text),
        sa.Column("ci_run", sa.Text),
        sa.Column("policy_digest", sa.String(64), nullable=False),
        sa.Column("org_policy_digest", sa.String(64)),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("exit_code", sa.Integer, nullable=False),
        sa.Column("evaluated_at", sa.String(32), nullable=False),
        sa.Column("pushed_at", sa.String(32), nullable=False),
        sa.Column("overall_level", sa.Integer),
        sa.Column("mean_score", sa.Float),
        sa.Column("maturity", sa.Text),
        sa.Column("document", sa.Text, nullable=False),
    )
    op.create_table(
        "control_outcomes",
        _run_id(),
        sa.Column("control_id", sa.Text, nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("enforcement", sa.String(16), nullable=False),
        sa.Column("strength", sa.String(16)),
    )
    op.create_table(
        "question_scores",
        _run_id(),
        sa.Column("question_id", sa.String(16), nullable=False),
        sa.Column("score", sa.Integer, nullable=False),
        sa.Column("source", sa.Text),
        sa.Column("strength", sa.String(16)),
    )
    op.create_table(
        "exceptions_applied",
        _run_id(),
        sa.Column("exception_id", sa.Text, nullable=False),
        sa.Column("control_id", sa.Text, nullable=False),
    )
    op.create_table(
        "evidence_digests",
        _run_id(),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("collector", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    for table in ("evidence_digests", "exceptions_applied", "question_scores",
                  "control_outcomes", "runs"):
        op.drop_table(table)
