"""the monthly sweep remembered: each sweep run (the day it was for, whose, how many DMs it
placed), so `today` can say on sweep day that this month's sweep is still to run

A new table only: nothing is recreated.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sweep_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("swept_on", sa.Date(), nullable=False),
        sa.Column("recruiter", sa.String(length=60), nullable=True),
        sa.Column("placed", sa.Integer(), nullable=False),
        sa.Column("ran_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_sweep_run_recruiter_swept_on", "sweep_run", ["recruiter", "swept_on"])


def downgrade() -> None:
    op.drop_index("ix_sweep_run_recruiter_swept_on", table_name="sweep_run")
    op.drop_table("sweep_run")
