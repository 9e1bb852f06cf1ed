"""Staged trouble and the trainer's timeline: staged_faults (a fault a trainer put into a participant's
sandbox, and how it ended), workshop_events (every trainer action), participants.scenario (a scenario
the trainer staged for one participant) and participants.parts (when each part of the journey became
theirs and was done, for the workshop report's time per part).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("participants") as batch:
        batch.add_column(sa.Column("scenario", sa.String(64), nullable=True))
        batch.add_column(sa.Column("parts", sa.JSON(), nullable=True))
    op.create_table(
        "staged_faults",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("workshop_id", sa.String(24), sa.ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False),
        sa.Column("participant_id", sa.Integer(), sa.ForeignKey("participants.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("kind", sa.String(80), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("undo", sa.JSON(), nullable=False),
        sa.Column("staged_at", sa.DateTime(), nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=True),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("outcome", sa.String(12), nullable=True),
    )
    op.create_index("ix_staged_faults_workshop_id", "staged_faults", ["workshop_id"])
    op.create_index("ix_staged_faults_participant_id", "staged_faults", ["participant_id"])
    op.create_table(
        "workshop_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("workshop_id", sa.String(24), sa.ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
    )
    op.create_index("ix_workshop_events_workshop_id", "workshop_events", ["workshop_id"])


def downgrade() -> None:
    op.drop_index("ix_workshop_events_workshop_id", "workshop_events")
    op.drop_table("workshop_events")
    op.drop_index("ix_staged_faults_participant_id", "staged_faults")
    op.drop_index("ix_staged_faults_workshop_id", "staged_faults")
    op.drop_table("staged_faults")
    with op.batch_alter_table("participants") as batch:
        batch.drop_column("parts")
        batch.drop_column("scenario")
