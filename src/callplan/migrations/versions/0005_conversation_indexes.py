"""conversation indexes: partial indexes of the calls that were conversations, for the
statistics (first conversations by day, each DM's conversations by date); of the DMs
who were referred by another, for the DMs one referred; and wider indexes of calls by date
(covering what stats counts) and of prospects (in the order today picks them)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

CONVERSATIONS = sa.text("conversation_number IS NOT NULL")
REFERRED = sa.text("referred_by_id IS NOT NULL")


def upgrade() -> None:
    # Indexes only: CREATE INDEX in place, no table is recreated.
    op.create_index(
        "ix_call_number_called_on",
        "call",
        ["conversation_number", "called_on", "dm_id"],
        unique=False,
        sqlite_where=CONVERSATIONS,
        postgresql_where=CONVERSATIONS,
    )
    op.create_index(
        "ix_call_dm_conversations",
        "call",
        ["dm_id", "called_on", "conversation_number"],
        unique=False,
        sqlite_where=CONVERSATIONS,
        postgresql_where=CONVERSATIONS,
    )
    op.create_index(
        "ix_dm_referred_by",
        "decision_maker",
        ["referred_by_id"],
        unique=False,
        sqlite_where=REFERRED,
        postgresql_where=REFERRED,
    )

    # Wider indexes: a period's calls with what stats counts of each (read without the
    # table), and prospects in the order today picks them (due retries, then the oldest).
    op.drop_index("ix_call_called_on_number", table_name="call")
    op.create_index(
        "ix_call_called_on_number",
        "call",
        ["called_on", "conversation_number", "kind", "outcome", "reason"],
        unique=False,
    )
    op.drop_index("ix_dm_status_prospect", table_name="decision_maker")
    op.create_index(
        "ix_dm_status_prospect",
        "decision_maker",
        ["status", "conversation_count", "next_call_on", "created_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_dm_status_prospect", table_name="decision_maker")
    op.create_index(
        "ix_dm_status_prospect",
        "decision_maker",
        ["status", "conversation_count", "created_at"],
        unique=False,
    )
    op.drop_index("ix_call_called_on_number", table_name="call")
    op.create_index(
        "ix_call_called_on_number", "call", ["called_on", "conversation_number"], unique=False
    )
    op.drop_index("ix_dm_referred_by", table_name="decision_maker")
    op.drop_index("ix_call_dm_conversations", table_name="call")
    op.drop_index("ix_call_number_called_on", table_name="call")
