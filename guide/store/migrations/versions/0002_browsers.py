"""Browser keys: which learner, workshop seat and trainer board a browser's HttpOnly cookie finds again;
participants' time of their last own action (the trainer board's 'last action').

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "browsers",
        sa.Column("key_hash", sa.String(64), primary_key=True),
        sa.Column("learner_id", sa.Integer(), sa.ForeignKey("learners.id", ondelete="SET NULL"), nullable=True),
        sa.Column("participant_id", sa.Integer(), sa.ForeignKey("participants.id", ondelete="SET NULL"),
                  nullable=True),
        sa.Column("workshop_id", sa.String(24), sa.ForeignKey("workshops.id", ondelete="SET NULL"), nullable=True),
        sa.Column("seen_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_browsers_learner_id", "browsers", ["learner_id"])
    op.create_index("ix_browsers_participant_id", "browsers", ["participant_id"])
    op.create_index("ix_browsers_workshop_id", "browsers", ["workshop_id"])
    with op.batch_alter_table("participants") as batch:
        batch.add_column(sa.Column("acted_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("participants") as batch:
        batch.drop_column("acted_at")
    op.drop_index("ix_browsers_workshop_id", "browsers")
    op.drop_index("ix_browsers_participant_id", "browsers")
    op.drop_index("ix_browsers_learner_id", "browsers")
    op.drop_table("browsers")
