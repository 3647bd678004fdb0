"""taking a call back: each call's DM as the call found it (next call and its reason,
status, owner, needs a number), and the DMs a call added (referrals, a successor), so
`undo`, `call delete` and `call edit` put the DM back exactly

New tables only: nothing is recreated. Calls logged before have no record; taking one
of them back recomputes the diary from the calls left.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "call_before",
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("next_call_on", sa.Date(), nullable=True),
        sa.Column("due_reason", sa.String(length=40), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("owner", sa.String(length=60), nullable=True),
        sa.Column("needs_number", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["call_id"], ["call.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("call_id"),
    )
    op.create_table(
        "call_referral",
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("dm_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["call_id"], ["call.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["dm_id"], ["decision_maker.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("call_id", "dm_id"),
    )
    op.create_index("ix_call_referral_dm_id", "call_referral", ["dm_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_call_referral_dm_id", table_name="call_referral")
    op.drop_table("call_referral")
    op.drop_table("call_before")
