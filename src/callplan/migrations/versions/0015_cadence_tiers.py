"""cadence tiers: a DM's own cycle, by a tier named in the config (`tier.key = 14`) or a
number of days (`dm edit --tier key`, `--cycle 30`)

Nullable columns added in place (every DM keeps cycle_days), and partial indexes on the
few DMs that have one, so the plan finds the tiers and day counts in use at once.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # ALTER TABLE ADD COLUMN in place: recreating decision_maker with foreign keys on
    # would cascade the drop to its calls and notes.
    with op.batch_alter_table("decision_maker", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("tier", sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column("cycle_days", sa.Integer(), nullable=True))
    has_tier = sa.text("tier IS NOT NULL")
    op.create_index(
        "ix_dm_tier", "decision_maker", ["tier"], sqlite_where=has_tier, postgresql_where=has_tier
    )
    has_days = sa.text("cycle_days IS NOT NULL")
    op.create_index(
        "ix_dm_cycle_days",
        "decision_maker",
        ["cycle_days"],
        sqlite_where=has_days,
        postgresql_where=has_days,
    )


def downgrade() -> None:
    op.drop_index("ix_dm_cycle_days", table_name="decision_maker")
    op.drop_index("ix_dm_tier", table_name="decision_maker")
    with op.batch_alter_table("decision_maker", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("cycle_days")
        batch_op.drop_column("tier")
