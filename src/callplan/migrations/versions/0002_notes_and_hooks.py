"""notes and hooks

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "candidate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("headline", sa.String(length=300), nullable=True),
        sa.Column("tags", sa.String(), nullable=False),
        sa.Column("available_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("candidate", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_candidate_status"), ["status"], unique=False)

    op.create_table(
        "job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("company", sa.String(length=200), nullable=True),
        sa.Column("fee", sa.String(length=60), nullable=True),
        sa.Column("tags", sa.String(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_job_status"), ["status"], unique=False)

    op.create_table(
        "call_hook",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.Column("candidate_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "(job_id IS NULL) <> (candidate_id IS NULL)", name="ck_call_hook_one_hook"
        ),
        sa.ForeignKeyConstraint(["call_id"], ["call.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["candidate_id"], ["candidate.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["job_id"], ["job.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("call_hook", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_call_hook_call_id"), ["call_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_call_hook_candidate_id"), ["candidate_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_call_hook_job_id"), ["job_id"], unique=False)

    # Existing notes get the date they were written on (in UTC) as their date.
    with op.batch_alter_table("note", schema=None) as batch_op:
        batch_op.add_column(sa.Column("noted_on", sa.Date(), nullable=True))
    op.execute("UPDATE note SET noted_on = date(created_at)")
    with op.batch_alter_table("note", schema=None) as batch_op:
        batch_op.alter_column("noted_on", existing_type=sa.Date(), nullable=False)
        batch_op.add_column(sa.Column("competitor", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("competitor_likes", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("sold", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("liked", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("not_fussed", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("process", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("toughest_role", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("plans", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("interest", sa.String(length=10), nullable=True))
        batch_op.alter_column("text", existing_type=sa.VARCHAR(), nullable=True)
        batch_op.create_index("ix_note_dm_noted_on", ["dm_id", "noted_on"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("note", schema=None) as batch_op:
        batch_op.drop_index("ix_note_dm_noted_on")
        batch_op.alter_column("text", existing_type=sa.VARCHAR(), nullable=False)
        batch_op.drop_column("interest")
        batch_op.drop_column("plans")
        batch_op.drop_column("toughest_role")
        batch_op.drop_column("process")
        batch_op.drop_column("not_fussed")
        batch_op.drop_column("liked")
        batch_op.drop_column("sold")
        batch_op.drop_column("competitor_likes")
        batch_op.drop_column("competitor")
        batch_op.drop_column("noted_on")

    with op.batch_alter_table("call_hook", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_call_hook_job_id"))
        batch_op.drop_index(batch_op.f("ix_call_hook_candidate_id"))
        batch_op.drop_index(batch_op.f("ix_call_hook_call_id"))

    op.drop_table("call_hook")
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_job_status"))

    op.drop_table("job")
    with op.batch_alter_table("candidate", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_candidate_status"))

    op.drop_table("candidate")
