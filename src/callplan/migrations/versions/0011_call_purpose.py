"""call purpose: what a call is for, as the recruiter chose it (core.purposes)

decision_maker.due_purpose is the purpose of the next call; call.purpose what a call was
for and call.next_purpose the purpose it gave the next one; call_before.due_purpose puts
it back on undo. Nullable columns added in place: rows from before have none.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

COLUMNS = {
    "decision_maker": ("due_purpose",),
    "call": ("purpose", "next_purpose"),
    "call_before": ("due_purpose",),
}


def upgrade() -> None:
    # ALTER TABLE ADD COLUMN in place, as 0004 and 0010: recreating a table with foreign
    # keys on would cascade the drop to the rows that refer to it. Text, not a bounded
    # string: an erasure's "[erased]" may make a purpose longer than it was typed.
    for table, names in COLUMNS.items():
        with op.batch_alter_table(table, schema=None, recreate="never") as batch_op:
            for name in names:
                batch_op.add_column(sa.Column(name, sa.Text(), nullable=True))
    # The calls made for a chosen purpose, by date: stats counts advances by purpose.
    op.create_index(
        "ix_call_called_on_purpose",
        "call",
        ["called_on", "purpose", "kind"],
        sqlite_where=sa.text("purpose IS NOT NULL"),
        postgresql_where=sa.text("purpose IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_call_called_on_purpose", table_name="call")
    for table, names in COLUMNS.items():
        with op.batch_alter_table(table, schema=None, recreate="never") as batch_op:
            for name in names:
                batch_op.drop_column(name)
