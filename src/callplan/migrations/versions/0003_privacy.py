"""privacy: lawful basis, CTPS, suppression, erasure counts, store settings

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing DMs get the defaults: legitimate interest, not registered with the CTPS.
    # Plain-text server defaults let batch mode use ALTER TABLE ADD COLUMN: recreating
    # decision_maker (copy, drop, rename) with foreign keys on would cascade the drop to
    # every call, note and tag.
    with op.batch_alter_table("decision_maker", schema=None, recreate="never") as batch_op:
        batch_op.add_column(
            sa.Column(
                "lawful_basis",
                sa.String(length=30),
                nullable=False,
                server_default="legitimate-interest",
            )
        )
        batch_op.add_column(sa.Column("ctps", sa.Boolean(), nullable=False, server_default="0"))

    op.create_table(
        "suppression",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("suppression", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_suppression_digest"), ["digest"], unique=True)

    op.create_table(
        "erasure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("erased_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("calls", sa.Integer(), nullable=False),
        sa.Column("conversations", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )

    op.create_table(
        "store_meta",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )


def downgrade() -> None:
    op.drop_table("store_meta")
    op.drop_table("erasure")
    with op.batch_alter_table("suppression", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_suppression_digest"))
    op.drop_table("suppression")
    # SQLite 3.35+ drops a column in place; no recreate (see upgrade).
    with op.batch_alter_table("decision_maker", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("ctps")
        batch_op.drop_column("lawful_basis")
