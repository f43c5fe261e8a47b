"""Measured series per run (attack success per class, safety and privacy metrics), each
question's base score (what its evidence showed before any cap: whether it held), and an index
for each system's runs in time order."""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "series",
        sa.Column(
            "run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"), nullable=False,
            index=True,
        ),
        sa.Column("metric", sa.Text, nullable=False),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("value", sa.Float, nullable=False),
    )
    op.add_column("question_scores", sa.Column("base_score", sa.Integer))
    op.create_index("ix_runs_system_evaluated", "runs", ["system", "evaluated_at"])


def downgrade() -> None:
    op.drop_column("question_scores", "base_score")
    op.drop_index("ix_runs_system_evaluated", "runs")
    op.drop_table("series")
