"""call reason: why a call was made, for the statistics of what leads to advances

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # ALTER TABLE ADD COLUMN in place: recreating call (copy, drop, rename) with foreign
    # keys on would cascade the drop to its notes' links and hooks. Calls logged before
    # this revision keep reason NULL ("not recorded" in `callplan stats`).
    with op.batch_alter_table("call", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("reason", sa.String(length=40), nullable=True))


def downgrade() -> None:
    # SQLite 3.35+ drops a column in place; no recreate (see upgrade).
    with op.batch_alter_table("call", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("reason")
