"""The tables: decision makers, their tags, calls and notes.

The scheduling state of a DM (next call, last conversation, counts) is kept on the DM
row and updated in the same transaction as the call that changes it, so the daily plan
and the sweep are single indexed queries however many calls the store holds.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """Timezone-aware UTC timestamps, stored as naive UTC (SQLite has no time zones)."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: callplan stores timezone-aware UTC only")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return value.replace(tzinfo=UTC) if value is not None else None


def utcnow() -> datetime:
    return datetime.now(UTC)


class Status:
    ACTIVE = "active"
    ARCHIVED = "archived"
    DNC = "dnc"  # do not call: never planned again


class DecisionMaker(SQLModel, table=True):
    __tablename__ = "decision_maker"
    __table_args__ = (
        sa.Index("ix_dm_status_next_call", "status", "next_call_on"),
        sa.Index("ix_dm_status_last_conversation", "status", "last_conversation_on"),
        sa.Index("ix_dm_status_prospect", "status", "conversation_count", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    name_key: str = Field(index=True, max_length=200)
    company: str | None = Field(default=None, max_length=200)
    title: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=60)
    email: str | None = Field(default=None, max_length=254)
    linkedin: str | None = Field(default=None, max_length=500)
    status: str = Field(default=Status.ACTIVE, max_length=20)
    needs_number: bool = Field(default=False)
    referred_by_id: int | None = Field(
        default=None, sa_column_args=[sa.ForeignKey("decision_maker.id", ondelete="SET NULL")]
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # Scheduling state, kept in step with the calls:
    next_call_on: date | None = Field(default=None)
    due_reason: str | None = Field(default=None, max_length=40)
    last_conversation_on: date | None = Field(default=None)
    conversation_count: int = Field(default=0)
    attempts_in_row: int = Field(default=0)
    last_outcome: str | None = Field(default=None, max_length=40)  # of the last conversation


class DMTag(SQLModel, table=True):
    __tablename__ = "dm_tag"

    dm_id: int = Field(
        sa_column_args=[sa.ForeignKey("decision_maker.id", ondelete="CASCADE")], primary_key=True
    )
    tag: str = Field(primary_key=True, index=True, max_length=60)


class Call(SQLModel, table=True):
    __tablename__ = "call"
    __table_args__ = (
        sa.Index("ix_call_dm_called_on", "dm_id", "called_on"),
        sa.Index("ix_call_called_on_number", "called_on", "conversation_number"),
    )

    id: int | None = Field(default=None, primary_key=True)
    dm_id: int = Field(sa_column_args=[sa.ForeignKey("decision_maker.id", ondelete="CASCADE")])
    called_on: date
    logged_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    kind: str = Field(max_length=20)  # advance, continuation, no-connect
    outcome: str = Field(max_length=40)
    summary: str | None = Field(default=None)
    next_call_on: date | None = Field(default=None)
    # 1 for the first conversation with this DM, 2 for the second...; None for attempts.
    conversation_number: int | None = Field(default=None)


class Note(SQLModel, table=True):
    __tablename__ = "note"

    id: int | None = Field(default=None, primary_key=True)
    dm_id: int = Field(
        index=True, sa_column_args=[sa.ForeignKey("decision_maker.id", ondelete="CASCADE")]
    )
    call_id: int | None = Field(
        default=None, sa_column_args=[sa.ForeignKey("call.id", ondelete="SET NULL")]
    )
    text: str
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
