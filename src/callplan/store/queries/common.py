"""Helpers every query module shares: id ranges, chunked IN lists, and each DM's own
cycle (``Cycles``)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from callplan.core.config import Settings
from callplan.core.outcomes import IMPORTED
from callplan.store.models import Call, DecisionMaker

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


def unindexed(column: Any) -> sa.ColumnElement[Any]:
    """``column`` in a form no index serves (``recruiter || ''``), for a condition that
    must only filter the rows another index found: SQLite's planner, with no statistics,
    would rather range over a recruiter's whole history (every call of a one-person
    store) than over one day's calls."""
    return sa.type_coerce(col(column).concat(""), sa.String)


def untyped_select(*columns: Any) -> Any:
    """SQLAlchemy's select, untyped: sqlmodel's overloads stop at four columns."""
    return sa.select(*columns)


@dataclass(frozen=True)
class Cycles:
    """The cycles in force on a store: cycle_days, the tiers set in the config that DMs
    are in, and the day counts DMs were given (`dm edit --cycle`). Read once per command
    (``cycles_in_use``): two seeks of partial indexes."""

    default: int
    tiers: Mapping[str, int]  # the tiers both set and in use, by name
    days: tuple[int, ...]  # the --cycle day counts in use

    @property
    def uniform(self) -> bool:
        """Everyone on cycle_days: the plain, one-range queries apply."""
        return not self.tiers and not self.days

    def past(
        self,
        last: Any,
        before: date,
        *,
        inclusive: bool = True,
        tier: Any = None,
        own: Any = None,
    ) -> Any:
        """SQL: ``last`` (a DM's date column) is a whole cycle or more before ``before``
        (``inclusive``: on the cycle's last day too), each DM by their own cycle. An OR of
        one range per cycle in use, so each part can seek the date index. ``tier`` and
        ``own``: the DM's tier and cycle_days columns, when not decision_maker's own (a
        subquery's)."""

        def cut(days: int) -> Any:
            limit = before - timedelta(days=days)
            return last <= limit if inclusive else last < limit

        if self.uniform:
            return cut(self.default)
        tier = col(DecisionMaker.tier) if tier is None else tier
        own = col(DecisionMaker.cycle_days) if own is None else own
        on_default = sa.and_(
            own.is_(None),
            sa.or_(tier.is_(None), tier.not_in(list(self.tiers))) if self.tiers else sa.true(),
            cut(self.default),
        )
        return sa.or_(
            on_default,
            *(sa.and_(own.is_(None), tier == name, cut(d)) for name, d in self.tiers.items()),
            *(sa.and_(own == d, cut(d)) for d in self.days),
        )

    def days_of(self, *, tier: Any = None, own: Any = None) -> Any:
        """SQL: each DM's own cycle in days (``tier``, ``own``: as for ``past``)."""
        if self.uniform:
            return sa.literal(self.default)
        tier = col(DecisionMaker.tier) if tier is None else tier
        own = col(DecisionMaker.cycle_days) if own is None else own
        return sa.case(
            (own.is_not(None), own),
            *((tier == name, d) for name, d in self.tiers.items()),
            else_=self.default,
        )

    @property
    def longest(self) -> int:
        return max([self.default, *self.tiers.values(), *self.days])

    @property
    def shortest(self) -> int:
        return min([self.default, *self.tiers.values(), *self.days])


def cycles_in_use(s: Session, settings: Settings) -> Cycles:
    """The store's cycles (``Cycles``): the tiers DMs are in that the config sets, and the
    day counts given to DMs."""
    dm = DecisionMaker
    conn = s.connection()
    tiers = settings.tiers
    used = conn.execute(sa.select(col(dm.tier)).where(col(dm.tier).is_not(None)).distinct())
    days = conn.execute(
        sa.select(col(dm.cycle_days)).where(col(dm.cycle_days).is_not(None)).distinct()
    )
    in_use = {t for (t,) in used if t in tiers}
    return Cycles(
        settings.cycle_days,
        {name: tiers[name] for name in sorted(in_use)},
        tuple(sorted(int(d) for (d,) in days if d is not None)),
    )
