"""delivery: candidates to call, jobs of clients, submissions and the calls they plan

A job gets the client DM who gave it, and the call it came on; a candidate gets a
phone, an email, a job search status and a diary of their own (their cycle, their next
call). New tables: the calls to candidates, the submissions of candidates to jobs (CVs
sent, interview, offer, placed, withdrawn), the delivery calls each stage plans, and
each stage move as `undo` takes it back.
Every existing row keeps its values: a candidate is 'looking' and undiarised until
first called.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

UTC_TIMESTAMP = sa.DateTime()


def _dm_link(name: str) -> sa.Column[int]:
    return sa.Column(
        name,
        sa.Integer(),
        sa.ForeignKey("decision_maker.id", name=f"fk_{name}_dm", ondelete="SET NULL"),
        nullable=True,
    )


def upgrade() -> None:
    # SQLite adds a column with a foreign key only by copying the table (foreign keys are
    # off while a migration runs, so the call hooks naming a job or candidate stay:
    # store.db.migrating); PostgreSQL alters it in place.
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.add_column(_dm_link("client_dm_id"))
        batch_op.add_column(
            sa.Column(
                "from_call_id",
                sa.Integer(),
                sa.ForeignKey("call.id", name="fk_job_from_call_id", ondelete="SET NULL"),
                nullable=True,
            )
        )
    op.create_index("ix_job_client_dm_id", "job", ["client_dm_id"], unique=False)
    with op.batch_alter_table("candidate", schema=None) as batch_op:
        batch_op.add_column(sa.Column("phone", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("email", sa.String(length=254), nullable=True))
        batch_op.add_column(
            sa.Column("job_search", sa.String(length=12), nullable=False, server_default="looking")
        )
        batch_op.add_column(sa.Column("cycle_days", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("next_call_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("next_call_at", sa.Time(), nullable=True))
        batch_op.add_column(sa.Column("due_reason", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("last_conversation_on", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("conversation_count", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("owner", sa.String(length=60), nullable=True))
        batch_op.add_column(_dm_link("referred_by_dm_id"))
        batch_op.add_column(_dm_link("prospect_dm_id"))
    diarised = sa.text("next_call_on IS NOT NULL")
    op.create_index(
        "ix_candidate_next_call_on",
        "candidate",
        ["next_call_on"],
        sqlite_where=diarised,
        postgresql_where=diarised,
    )
    op.create_table(
        "candidate_call",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("called_on", sa.Date(), nullable=False),
        sa.Column("logged_at", UTC_TIMESTAMP, nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("outcome", sa.String(length=30), nullable=False),
        sa.Column("summary", sa.String(), nullable=True),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.Column("next_call_on", sa.Date(), nullable=True),
        sa.Column("recruiter", sa.String(length=60), nullable=True),
        sa.ForeignKeyConstraint(["candidate_id"], ["candidate.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["job_id"], ["job.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_candidate_call_candidate_called_on", "candidate_call", ["candidate_id", "called_on"]
    )
    op.create_index("ix_candidate_call_called_on", "candidate_call", ["called_on"])
    op.create_table(
        "submission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=12), nullable=False),
        sa.Column("stage_on", sa.Date(), nullable=False),
        sa.Column("submitted_on", sa.Date(), nullable=False),
        sa.Column("interview_on", sa.Date(), nullable=True),
        sa.Column("interview_at", sa.Time(), nullable=True),
        sa.Column("interviews", sa.Integer(), nullable=False),
        sa.Column("no_show", sa.Boolean(), nullable=False),
        sa.Column("offered_on", sa.Date(), nullable=True),
        sa.Column("placed_on", sa.Date(), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("fee", sa.String(length=60), nullable=True),
        sa.Column("withdrawn_on", sa.Date(), nullable=True),
        sa.Column("recruiter", sa.String(length=60), nullable=True),
        sa.Column("created_at", UTC_TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(["candidate_id"], ["candidate.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["job_id"], ["job.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("candidate_id", "job_id", name="uq_submission_candidate_job"),
    )
    op.create_index("ix_submission_job_id", "submission", ["job_id"])
    op.create_index("ix_submission_stage_on", "submission", ["stage_on"])
    op.create_table(
        "delivery_call",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("party", sa.String(length=10), nullable=False),
        sa.Column("purpose", sa.String(length=30), nullable=False),
        sa.Column("planned_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("due_at", sa.Time(), nullable=True),
        sa.Column("chases", sa.Integer(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("closed_by", sa.String(length=10), nullable=True),
        sa.ForeignKeyConstraint(["submission_id"], ["submission.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_delivery_call_submission_id", "delivery_call", ["submission_id"])
    op.create_table(
        "stage_move",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("move", sa.String(length=12), nullable=False),
        sa.Column("recruiter", sa.String(length=60), nullable=True),
        sa.Column("logged_at", UTC_TIMESTAMP, nullable=False),
        sa.Column("before", sa.String(), nullable=True),
        sa.Column("candidate_before", sa.String(), nullable=False),
        sa.Column("closed_ids", sa.String(), nullable=False),
        sa.Column("made_ids", sa.String(), nullable=False),
        sa.Column("planned_ids", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["submission_id"], ["submission.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_stage_move_submission_id", "stage_move", ["submission_id"])
    still_open = sa.text("closed_on IS NULL")
    op.create_index(
        "ix_delivery_call_open_due",
        "delivery_call",
        ["due_on"],
        sqlite_where=still_open,
        postgresql_where=still_open,
    )


def downgrade() -> None:
    op.drop_table("stage_move")
    op.drop_table("delivery_call")
    op.drop_table("submission")
    op.drop_table("candidate_call")
    op.drop_index("ix_candidate_next_call_on", table_name="candidate")
    # SQLite drops a column named in a foreign key only by copying the table (foreign
    # keys are off while a migration runs: store.db.migrating); PostgreSQL alters it.
    with op.batch_alter_table("candidate", schema=None) as batch_op:
        for name in (
            "prospect_dm_id", "referred_by_dm_id", "owner", "conversation_count",
            "last_conversation_on", "due_reason", "next_call_at", "next_call_on",
            "cycle_days", "job_search", "email", "phone",
        ):  # fmt: skip
            batch_op.drop_column(name)
    op.drop_index("ix_job_client_dm_id", table_name="job")
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.drop_column("from_call_id")
        batch_op.drop_column("client_dm_id")
