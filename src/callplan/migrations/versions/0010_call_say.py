"""call say: words the recruiter marked to be said on the next call ("you asked me to
ring about the Leeds role"), apart from the summary, which is their private note

A nullable column added in place: calls logged before have none.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # ALTER TABLE ADD COLUMN in place, as 0004: recreating call with foreign keys on would
    # cascade the drop to its notes' links and hooks.
    with op.batch_alter_table("call", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("say", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("call", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("say")
