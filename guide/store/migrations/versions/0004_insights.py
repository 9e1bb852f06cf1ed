"""NSO insights: anonymous counts per day (insight_counts) and, while a workshop runs, when each
participant's current part began (part_timers, deleted with the participant).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "insight_counts",
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("source", sa.String(16), primary_key=True),
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("key", sa.String(400), primary_key=True),
        sa.Column("count", sa.Integer(), nullable=False),
    )
    op.create_table(
        "part_timers",
        sa.Column("participant_id", sa.Integer(), sa.ForeignKey("participants.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("part", sa.String(64), primary_key=True),
        sa.Column("started_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("part_timers")
    op.drop_table("insight_counts")
