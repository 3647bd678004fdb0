"""undo indexes: a recruiter's calls and notes by the time they were logged, and what
refers to a call

`undo` (and the cockpit's `u`) take back the newest call or note the recruiter logged:
without these, finding it read every call in the store (a third of a second at a million
calls); with them, one step down an index. Deleting a call (undo, `call delete`, an
erasure) found the notes and loops that refer to it by reading all of them.

And the conversations by number carry the outcome: the day's work leaves out an import's
record of a conversation (outcome "imported"), and without it in the index the streak
read every first conversation's row, years of them (half a second at 100,000 DMs).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

TALKS = sa.text("conversation_number IS NOT NULL")
# The two indexes of conversations by number: (name, columns before 0017).
BY_NUMBER = (
    ("ix_call_number_called_on", ["conversation_number", "called_on", "dm_id"]),
    ("ix_call_recruiter_conversations", ["recruiter", "conversation_number", "called_on"]),
)

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_call_recruiter_logged", "call", ["recruiter", "logged_at", "id"])
    op.create_index("ix_note_recruiter_created", "note", ["recruiter", "created_at", "id"])
    op.create_index("ix_note_call_id", "note", ["call_id"])
    op.create_index("ix_open_loop_opened_by", "open_loop", ["opened_by_call_id"])
    op.create_index("ix_open_loop_closed_by", "open_loop", ["closed_by_call_id"])
    for name, columns in BY_NUMBER:
        _replace(name, [*columns, "outcome"])


def downgrade() -> None:
    for name, columns in BY_NUMBER:
        _replace(name, columns)
    op.drop_index("ix_open_loop_closed_by", table_name="open_loop")
    op.drop_index("ix_open_loop_opened_by", table_name="open_loop")
    op.drop_index("ix_note_call_id", table_name="note")
    op.drop_index("ix_note_recruiter_created", table_name="note")
    op.drop_index("ix_call_recruiter_logged", table_name="call")


def _replace(name: str, columns: list[str]) -> None:
    op.drop_index(name, table_name="call")
    op.create_index(name, "call", columns, sqlite_where=TALKS, postgresql_where=TALKS)
