"""Helpers every query module shares: id ranges and chunked IN lists."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from sqlmodel import col

from callplan.core.outcomes import IMPORTED
from callplan.store.models import Call

# SQLite's integer range: an id outside it can't be in the store (and can't be queried).
ID_RANGE = range(-(2**63), 2**63)
IN_CHUNK = 500  # ids per IN (...) list: SQLite allows at most 32,766 parameters a query


def in_chunks(values: Sequence[Any]) -> Iterator[list[Any]]:
    """``values`` in lists of IN_CHUNK, one IN (...) each."""
    for start in range(0, len(values), IN_CHUNK):
        yield list(values[start : start + IN_CHUNK])


BATCH = 500  # rows read at a time by a streamed export


def logged() -> sa.ColumnElement[bool]:
    """A call a recruiter logged, not the conversation an import recorded from a file's
    last-contacted date (core.outcomes.IMPORTED): what counts as the day's work."""
    return col(Call.outcome) != IMPORTED


def untyped_select(*columns: Any) -> Any:
    """SQLAlchemy's select, untyped: sqlmodel's overloads stop at four columns."""
    return sa.select(*columns)
