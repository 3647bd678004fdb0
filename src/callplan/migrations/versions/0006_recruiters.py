"""recruiters and ownership: who owns each DM, who made each call and wrote each note,
the recruiters working the store, and the day's claims on prospects

History from before teams belongs to the recruiter whose command upgrades the store (a
personal store's own user): contacts (spoken to) become theirs, and so do the calls and
notes; prospects stay unowned, in the shared pool.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import context, op

from callplan.core.names import login_name, name_key

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _user() -> str:
    given = context.config.attributes.get("user")
    name = given() if callable(given) else given
    return str(name or login_name())


def upgrade() -> None:
    op.create_table(
        "recruiter",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "claim",
        sa.Column("dm_id", sa.Integer(), nullable=False),
        sa.Column("recruiter", sa.String(length=60), nullable=False),
        sa.Column("claimed_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["dm_id"], ["decision_maker.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("dm_id"),
    )
    op.create_index("ix_claim_recruiter_day", "claim", ["recruiter", "claimed_on"], unique=False)
    # ALTER TABLE ADD COLUMN in place (no recreate: see 0003 and 0004).
    with op.batch_alter_table("decision_maker", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("owner", sa.String(length=60), nullable=True))
    with op.batch_alter_table("call", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("recruiter", sa.String(length=60), nullable=True))
    with op.batch_alter_table("note", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("recruiter", sa.String(length=60), nullable=True))
    op.create_index(
        "ix_dm_status_owner_next_call",
        "decision_maker",
        ["status", "owner", "next_call_on"],
        unique=False,
    )
    op.create_index(
        "ix_dm_status_owner_last_conversation",
        "decision_maker",
        ["status", "owner", "last_conversation_on"],
        unique=False,
    )
    op.create_index(
        "ix_dm_owner_status",
        "decision_maker",
        ["owner", "status", "conversation_count"],
        unique=False,
    )
    op.create_index(
        "ix_call_recruiter_conversations",
        "call",
        ["recruiter", "conversation_number", "called_on"],
        unique=False,
        sqlite_where=sa.text("conversation_number IS NOT NULL"),
        postgresql_where=sa.text("conversation_number IS NOT NULL"),
    )

    bind = op.get_bind()
    dm = sa.table(
        "decision_maker", sa.column("owner", sa.String), sa.column("conversation_count", sa.Integer)
    )
    call = sa.table("call", sa.column("id", sa.Integer), sa.column("recruiter", sa.String))
    note = sa.table("note", sa.column("id", sa.Integer), sa.column("recruiter", sa.String))
    history = (
        bind.execute(sa.select(call.c.id).limit(1)).first()
        or bind.execute(sa.select(note.c.id).limit(1)).first()
    )
    if history is None:
        return  # a new or untouched store: nobody to give anything to
    user = _user()
    recruiter = sa.table(
        "recruiter",
        sa.column("key", sa.String),
        sa.column("name", sa.String),
        sa.column("added_at", sa.DateTime),
    )
    bind.execute(
        sa.insert(recruiter).values(
            key=name_key(user), name=user, added_at=datetime.now(UTC).replace(tzinfo=None)
        )
    )
    bind.execute(sa.update(dm).where(dm.c.conversation_count > 0).values(owner=user))
    bind.execute(sa.update(call).values(recruiter=user))
    bind.execute(sa.update(note).values(recruiter=user))


def downgrade() -> None:
    op.drop_index("ix_call_recruiter_conversations", table_name="call")
    op.drop_index("ix_dm_status_owner_last_conversation", table_name="decision_maker")
    op.drop_index("ix_dm_owner_status", table_name="decision_maker")
    op.drop_index("ix_dm_status_owner_next_call", table_name="decision_maker")
    with op.batch_alter_table("note", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("recruiter")
    with op.batch_alter_table("call", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("recruiter")
    with op.batch_alter_table("decision_maker", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("owner")
    op.drop_index("ix_claim_recruiter_day", table_name="claim")
    op.drop_table("claim")
    op.drop_table("recruiter")
