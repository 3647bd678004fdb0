"""the day's goal: what a recruiter means to achieve on a day, in their words, and the
advances it counts (a number and an outcome type, when the words name them)

A new table only: nothing is recreated.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "day_goal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("recruiter", sa.String(length=60), nullable=True),
        sa.Column("text", sa.String(length=200), nullable=False),
        sa.Column("target", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=40), nullable=True),
        sa.Column("set_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("recruiter", "day", name="uq_day_goal_recruiter_day"),
    )


def downgrade() -> None:
    op.drop_table("day_goal")
