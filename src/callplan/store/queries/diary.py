"""The diary: who is due, who is out of cycle, and placing calls on days."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from callplan.core.kinds import Status
from callplan.core.outcomes import EXTRA_REASONS, OUTCOMES, PRIORITY_CYCLE
from callplan.store.models import Call, DecisionMaker, SweepRun
from callplan.store.queries.common import Cycles
from callplan.store.queries.prospects import a_retry, claimed_by_another, not_a_retry

# --- the plan -------------------------------------------------------------------------


def priority_expr() -> sa.ColumnElement[int]:
    """The order of due calls, in SQL: agreed callbacks and advance follow-ups first."""
    whens = {o.type: o.priority for o in OUTCOMES.values()}
    whens.update({k: p for k, (_, p) in EXTRA_REASONS.items()})
    return sa.case(whens, value=col(DecisionMaker.due_reason), else_=PRIORITY_CYCLE)


def timed_order(*, on: date) -> tuple[sa.ColumnElement[Any], sa.ColumnElement[Any]]:
    """Calls agreed for a time on ``on`` first, by that time (core.planner.time_order);
    the others after them, in the order that follows."""
    dm = DecisionMaker
    timed = sa.and_(col(dm.next_call_on) == on, col(dm.next_call_at).is_not(None))
    return sa.case((timed, 0), else_=1), sa.case((timed, col(dm.next_call_at)), else_=sa.null())


def due_condition(*, on: date) -> sa.ColumnElement[bool]:
    """Diarised for ``on`` or earlier: one range on the (status, next_call_on) index.

    Everyone past the cycle is covered: every call caps the next one at the cycle, and a
    DM the sweep placed later in the month waits for that day.
    """
    return col(DecisionMaker.next_call_on) <= on


def _due_filters(*, on: date, exclude: Sequence[int], owner: str | None = None) -> list[Any]:
    """Active and due on ``on`` (diarised for it or earlier, or past the cycle), and
    ``owner``'s if given (the (status, owner, next_call_on) index).

    Prospects whose only reason is a retry after a failed dial are the new-DM quota's
    business and are left out, as are those in ``exclude`` (today's new DMs).
    """
    dm = DecisionMaker
    filters: list[Any] = [
        dm.status == Status.ACTIVE,
        *([dm.owner == owner] if owner is not None else []),
        due_condition(on=on),
        not_a_retry(),
    ]
    if exclude:
        filters.append(col(dm.id).not_in(exclude))
    return filters


def due(
    s: Session,
    *,
    on: date,
    exclude: Sequence[int] = (),
    limit: int | None = None,
    owner: str | None = None,
) -> list[DecisionMaker]:
    """Everyone due on ``on`` (``owner``'s only, if given): those agreed for a time that
    day first, by time; then agreed callbacks and advance follow-ups first."""
    dm = DecisionMaker
    q = (
        select(dm)
        .where(*_due_filters(on=on, exclude=exclude, owner=owner))
        .order_by(*timed_order(on=on), priority_expr(), col(dm.next_call_on), col(dm.id))
    )
    if limit is not None:
        q = q.limit(limit)
    return list(s.exec(q).all())


def prospect_retries_due(
    s: Session, *, on: date, exclude: Sequence[int] = (), recruiter: str | None = None
) -> list[DecisionMaker]:
    """Prospects whose retry after a failed dial is due on ``on`` or before and that are
    not among ``exclude`` (today's new DMs): once the new-DM slots are taken, they are
    still today's calls. For a ``recruiter``: their own, and the pool's they dialled last
    (never one a colleague claimed for the day). A handful at most: read whole, soonest
    first, on the (status, conversation_count, next_call_on) prospect index."""
    dm = DecisionMaker
    filters: list[Any] = [dm.status == Status.ACTIVE, a_retry(), due_condition(on=on)]
    if exclude:
        filters.append(col(dm.id).not_in(exclude))
    if recruiter is not None:
        dialled_last = (
            sa.select(col(Call.recruiter))
            .where(col(Call.dm_id) == col(dm.id))
            .order_by(col(Call.id).desc())
            .limit(1)
            .scalar_subquery()
        )
        filters += [
            sa.or_(
                col(dm.owner) == recruiter,
                sa.and_(col(dm.owner).is_(None), dialled_last == recruiter),
            ),
            sa.not_(claimed_by_another(on=on, recruiter=recruiter)),
        ]
    q = select(dm).where(*filters).order_by(col(dm.next_call_on), col(dm.id))
    return list(s.exec(q).all())


def count_due(
    s: Session, *, on: date, exclude: Sequence[int] = (), owner: str | None = None
) -> int:
    q = (
        select(func.count())
        .select_from(DecisionMaker)
        .where(*_due_filters(on=on, exclude=exclude, owner=owner))
    )
    return int(s.exec(q).one())


# --- the sweep ------------------------------------------------------------------------


class OutOfCycle(NamedTuple):
    """A contact the sweep places: who they are, and what the wording of their call needs."""

    id: int
    name: str
    company: str | None
    title: str | None
    phone: str | None
    email: str | None
    last_conversation_on: date
    attempts_in_row: int
    needs_number: bool
    tier: str | None  # their own cycle (Settings.for_dm)
    cycle_days: int | None


def owned_by(owner: str | None) -> list[Any]:
    """``owner``'s DMs only, if given (an equality the owner indexes can seek)."""
    return [] if owner is None else [col(DecisionMaker.owner) == owner]


def out_of_cycle(
    s: Session, *, on: date, until: date, cycles: Cycles, owner: str | None = None
) -> list[OutOfCycle]:
    """Active DMs in the contact base last spoken to their cycle or more before ``on``
    with nothing diarised, or only the cycle catch-up itself (a cycle call, an earlier
    sweep's placement) outside [on, until): the longest overdue first (``owner``'s only,
    if given). A call the recruiter promised or was given (a callback, an advance's
    chase, a follow-up, a date set by hand, a retry) is never the sweep's to move, even
    overdue: it stays due, at its priority.

    One range of the (status, last_conversation_on) index, in its order; only the columns
    the sweep shows are read, as plain rows (a month's sweep can place tens of thousands).
    """
    dm = DecisionMaker
    q = (
        sa.select(*(col(getattr(dm, name)) for name in OutOfCycle._fields))
        .where(
            col(dm.status) == Status.ACTIVE,
            col(dm.conversation_count) > 0,
            cycles.past(col(dm.last_conversation_on), on),
            sa.or_(
                col(dm.next_call_on).is_(None),
                sa.and_(
                    priority_expr() == PRIORITY_CYCLE,
                    sa.or_(col(dm.next_call_on) < on, col(dm.next_call_on) >= until),
                ),
            ),
            *owned_by(owner),
        )
        .order_by(col(dm.last_conversation_on), col(dm.id))
    )
    return [OutOfCycle._make(row) for row in s.connection().execute(q)]


def last_sweep(s: Session, *, recruiter: str | None) -> date | None:
    """The day the latest sweep was run for (``recruiter``'s, or the whole desk's when
    None): the (recruiter, swept_on) index, its last entry."""
    whose = col(SweepRun.recruiter)
    q = sa.select(sa.func.max(col(SweepRun.swept_on))).where(
        whose.is_(None) if recruiter is None else whose == recruiter
    )
    found = s.connection().execute(q).scalar_one()
    return found if found is None or isinstance(found, date) else date.fromisoformat(str(found))


def record_sweep(s: Session, *, on: date, recruiter: str | None, placed: int) -> None:
    """Remember a sweep that ran (not a dry run)."""
    s.add(SweepRun(swept_on=on, recruiter=recruiter, placed=placed))


def diary_load(
    s: Session, *, start: date, until: date, cycles: Cycles, owner: str | None = None
) -> dict[date, int]:
    """Calls to contacts already diarised per day in [start, until) (``owner``'s only, if
    given: the (status, owner, next_call_on) index).

    Calls overdue from before ``start`` count on ``start`` (they are due that day), except
    those the sweep itself re-places (contacts out of cycle). Prospects are left out: they
    are the new-DM quota's business, not the diary's.
    """
    dm = DecisionMaker
    day = sa.case((col(dm.next_call_on) < start, start), else_=col(dm.next_call_on))
    q = (
        select(day, func.count())
        .where(
            dm.status == Status.ACTIVE,
            col(dm.conversation_count) > 0,
            col(dm.next_call_on) < until,
            sa.not_(
                sa.and_(
                    col(dm.next_call_on) < start,
                    cycles.past(col(dm.last_conversation_on), start),
                )
            ),
            *owned_by(owner),
        )
        .group_by(day)
    )
    return {d: int(n) for d, n in s.exec(q) if d is not None}


# The (DM, day) pairs of a bulk diarise: a temporary table, private to the connection and
# created and dropped inside the caller's transaction (a rollback takes it away too).
_PLACEMENT = sa.Table(
    "callplan_placement",
    sa.MetaData(),
    sa.Column("dm_id", sa.Integer, primary_key=True),
    sa.Column("day", sa.Date, nullable=False),
    prefixes=["TEMPORARY"],
)


def diarise(
    s: Session,
    *,
    placements: Sequence[tuple[int, date]],
    reason: str,
    keep_reason: bool = False,
) -> None:
    """Set many DMs' next call at once, with ``reason``; with ``keep_reason``, each keeps
    its own and ``reason`` goes only to those that had none (a cycle catch-up diarised
    for the first time).

    Set-based: the pairs go into a temporary table in one bulk insert, then one UPDATE
    sets every DM in it, by primary key. A DM placed twice gets its last day, with no
    time of day (one agreed before goes: the planner never sets a time).
    """
    if not placements:
        return
    latest = dict(placements)
    conn = s.connection()
    _PLACEMENT.create(conn)
    conn.execute(sa.insert(_PLACEMENT), [{"dm_id": i, "day": d} for i, d in latest.items()])
    table = DecisionMaker.__table__  # type: ignore[attr-defined]
    due_reason = func.coalesce(table.c.due_reason, reason) if keep_reason else reason
    day = sa.select(_PLACEMENT.c.day).where(_PLACEMENT.c.dm_id == table.c.id).scalar_subquery()
    # 'id IN (...)' drives the update from the placements, a primary-key seek each; an
    # UPDATE ... FROM join may instead scan every DM (SQLite has no statistics of the
    # temporary table to order the join by).
    conn.execute(
        sa.update(table)
        .where(table.c.id.in_(sa.select(_PLACEMENT.c.dm_id)))
        .values(next_call_on=day, due_reason=due_reason, next_call_at=None)
    )
    _PLACEMENT.drop(conn)


# --- the forecast ---------------------------------------------------------------------


def _in_diary() -> list[Any]:
    """Active with a next call, not a prospect's retry (the quota's business): the calls
    today's plan lists when their day comes."""
    dm = DecisionMaker
    return [
        dm.status == Status.ACTIVE,
        col(dm.next_call_on).is_not(None),
        not_a_retry(),
    ]


def diary_by_day(
    s: Session, *, today: date, until: date, owner: str | None = None
) -> list[tuple[date, str | None, int]]:
    """Next calls before ``until`` counted per (day, reason); late ones count as today's
    (``owner``'s only, if given)."""
    dm = DecisionMaker
    day = sa.case((col(dm.next_call_on) < today, today), else_=col(dm.next_call_on))
    q = (
        select(day, col(dm.due_reason), func.count())
        .where(*_in_diary(), col(dm.next_call_on) < until, *owned_by(owner))
        .group_by(day, col(dm.due_reason))
    )
    return [(d, r, int(n)) for d, r, n in s.exec(q) if d is not None]


def undiarised_by_last(
    s: Session, *, today: date, until: date, cycle_days: int, owner: str | None = None
) -> dict[date, int]:
    """Contacts (spoken to at least once) with no next call, counted by their last
    conversation; those whose cycle ran out before today count under today - cycle
    (``owner``'s only, if given).

    Fetched up to a fortnight past ``until``: the last working day of a cycle that ends
    just after the window can fall inside it (a weekend, Christmas)."""
    dm = DecisionMaker
    floor = today - timedelta(days=cycle_days)
    last = sa.case(
        (col(dm.last_conversation_on) < floor, floor), else_=col(dm.last_conversation_on)
    )
    q = (
        select(last, func.count())
        .where(
            dm.status == Status.ACTIVE,
            col(dm.last_conversation_on) < until - timedelta(days=cycle_days - 14),
            col(dm.conversation_count) > 0,
            col(dm.next_call_on).is_(None),
            *owned_by(owner),
        )
        .group_by(last)
    )
    return {d: int(n) for d, n in s.exec(q) if d is not None}


def flexible_calls(
    s: Session,
    *,
    reasons: Sequence[str],
    next_on: Sequence[date],
    next_before: date | None,
    last_on: Sequence[date],
    last_before: date | None,
    owner: str | None = None,
) -> list[tuple[int, date | None, date, str | None, int | None]]:
    """(id, next call, last conversation, tier, cycle_days) of the contacts whose call may
    move: diarised
    for a flexible reason on one of ``next_on`` (or before ``next_before``), or with
    nothing diarised and last spoken to on one of ``last_on`` (or before ``last_before``);
    ``owner``'s only, if given."""
    dm = DecisionMaker
    diarised: list[Any] = [col(dm.next_call_on).in_(list(next_on))]
    if next_before is not None:
        diarised.append(col(dm.next_call_on) < next_before)
    undiarised: list[Any] = [col(dm.last_conversation_on).in_(list(last_on))]
    if last_before is not None:
        undiarised.append(col(dm.last_conversation_on) < last_before)
    q = (
        sa.select(
            col(dm.id),
            col(dm.next_call_on),
            col(dm.last_conversation_on),
            col(dm.tier),
            col(dm.cycle_days),
        )
        .where(
            col(dm.status) == Status.ACTIVE,
            col(dm.conversation_count) > 0,
            col(dm.last_conversation_on).is_not(None),
            sa.or_(
                sa.and_(col(dm.due_reason).in_(list(reasons)), sa.or_(*diarised)),
                sa.and_(col(dm.next_call_on).is_(None), sa.or_(*undiarised)),
            ),
            *owned_by(owner),
        )
        .order_by(col(dm.id))
    )
    return [
        (i, n, last, tier, own)
        for i, n, last, tier, own in s.connection().execute(q)
        if i is not None and last is not None
    ]
