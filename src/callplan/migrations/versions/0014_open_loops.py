"""open loops: what the recruiter is waiting on or promised (CVs to review, a meeting to
follow up...), open until a later outcome closes it or the recruiter closes it by hand

A new table, filled from the calls already held by the rules of core.loops (the same
rules that derive a DM's loops again whenever their calls change): a DM whose
conversations left CVs waiting for feedback still has that loop open after the upgrade.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from alembic import op

from callplan.core import loops

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "open_loop",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dm_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("opened_by_call_id", sa.Integer(), nullable=True),
        sa.Column("chases", sa.Integer(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("closed_by_call_id", sa.Integer(), nullable=True),
        sa.Column("closed_by_hand", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("recruiter", sa.String(length=60), nullable=True),
        sa.ForeignKeyConstraint(["dm_id"], ["decision_maker.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["opened_by_call_id"], ["call.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["closed_by_call_id"], ["call.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_open_loop_dm_closed_on", "open_loop", ["dm_id", "closed_on"])
    assert table is not None
    conn = op.get_bind()
    # Only the DMs whose calls ever opened a loop, their calls in the order made.
    q = sa.text(
        "SELECT id, dm_id, called_on, outcome, recruiter FROM call "
        "WHERE dm_id IN (SELECT dm_id FROM call WHERE outcome IN :openers) "
        "ORDER BY dm_id, called_on, id"
    ).bindparams(sa.bindparam("openers", expanding=True))
    rows: list[dict[str, Any]] = []
    dm_id: int | None = None
    steps: list[loops.Step] = []
    who: dict[int, str | None] = {}

    def flush() -> None:
        for loop in loops.derive(steps, recruiters=who):
            rows.append(
                {
                    "dm_id": dm_id,
                    "kind": loop.kind,
                    "opened_on": loop.opened_on,
                    "opened_by_call_id": loop.opened_by,
                    "chases": loop.chases,
                    "closed_on": loop.closed_on,
                    "closed_by_call_id": loop.closed_by,
                    "closed_by_hand": False,
                    "recruiter": loop.recruiter,
                }
            )

    for call_id, dm, called_on, outcome, recruiter in conn.execute(
        q, {"openers": list(loops.OPENERS)}
    ):
        if dm != dm_id:
            flush()
            dm_id, steps, who = dm, [], {}
        day = called_on if not isinstance(called_on, str) else _date(called_on)
        steps.append(loops.Step(call_id, day, outcome))
        who[call_id] = recruiter
    flush()
    if rows:
        op.bulk_insert(table, rows)


def _date(text: str) -> date:
    return date.fromisoformat(text[:10])


def downgrade() -> None:
    op.drop_index("ix_open_loop_dm_closed_on", table_name="open_loop")
    op.drop_table("open_loop")
