"""a time of day for the next call: `log --next "thu 15:00"`

decision_maker.next_call_at is the time agreed for the next call; call.next_call_at the
time a call gave the next one (so the diary can be rebuilt from the calls);
call_before.next_call_at puts it back on undo. Nullable columns added in place: rows
from before have none (a call on its day at no set time).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

TABLES = ("decision_maker", "call", "call_before")


def upgrade() -> None:
    # ALTER TABLE ADD COLUMN in place, as 0004, 0010 and 0011: recreating a table with
    # foreign keys on would cascade the drop to the rows that refer to it.
    for table in TABLES:
        with op.batch_alter_table(table, schema=None, recreate="never") as batch_op:
            batch_op.add_column(sa.Column("next_call_at", sa.Time(), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None, recreate="never") as batch_op:
            batch_op.drop_column("next_call_at")
