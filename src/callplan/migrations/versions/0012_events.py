"""events: invitations as hooks (a breakfast briefing, a market report launch)

A new event table, and call_hook.event_id: a hook used on a call is now exactly one of a
job, a candidate or an event, so the check constraint is replaced. Every call hook keeps
its job or candidate.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

ONE_HOOK = (
    "(CASE WHEN job_id IS NULL THEN 0 ELSE 1 END"
    " + CASE WHEN candidate_id IS NULL THEN 0 ELSE 1 END"
    " + CASE WHEN event_id IS NULL THEN 0 ELSE 1 END) = 1"
)
TWO_HOOKS = "(job_id IS NULL) <> (candidate_id IS NULL)"  # before 0012


def upgrade() -> None:
    op.create_table(
        "event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("venue", sa.String(length=200), nullable=True),
        sa.Column("tags", sa.String(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_event_status", "event", ["status"], unique=False)
    # call_hook is referred to by nothing, so SQLite may copy it into a new table (the
    # only way to change a check constraint there); PostgreSQL alters it in place.
    with op.batch_alter_table("call_hook", schema=None) as batch_op:
        batch_op.add_column(sa.Column("event_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_call_hook_event_id_event", "event", ["event_id"], ["id"], ondelete="CASCADE"
        )
        batch_op.drop_constraint("ck_call_hook_one_hook", type_="check")
        batch_op.create_check_constraint("ck_call_hook_one_hook", sa.text(ONE_HOOK))
        batch_op.create_index("ix_call_hook_event_id", ["event_id"], unique=False)


def downgrade() -> None:
    op.execute("DELETE FROM call_hook WHERE event_id IS NOT NULL")
    with op.batch_alter_table("call_hook", schema=None) as batch_op:
        batch_op.drop_index("ix_call_hook_event_id")
        batch_op.drop_constraint("ck_call_hook_one_hook", type_="check")
        batch_op.create_check_constraint("ck_call_hook_one_hook", sa.text(TWO_HOOKS))
        batch_op.drop_constraint("fk_call_hook_event_id_event", type_="foreignkey")
        batch_op.drop_column("event_id")
    op.drop_index("ix_event_status", table_name="event")
    op.drop_table("event")
