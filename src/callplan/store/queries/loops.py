"""Open loops (core.loops): derived again from a DM's calls whenever they change, kept in
the open_loop table so the brief, `today` and `dm show` read them in one indexed query."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, col, select

from callplan.core import loops
from callplan.core.kinds import Status
from callplan.store.models import Call, DecisionMaker, OpenLoop
from callplan.store.queries.common import in_chunks


def day_of(value: date | str) -> date:
    """A date from a raw row: SQLite gives text, PostgreSQL a date."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def rederive(
    s: Session, *, dm_ids: Sequence[int], closed_by_hand: Mapping[int, date] | None = None
) -> None:
    """Bring the loops of these DMs into step with their calls, in the caller's
    transaction: the loops core.loops derives from the calls, keeping each loop's id and
    its close by hand (and those in ``closed_by_hand``, by the call that opened the loop).
    A loop whose opening call is gone goes with it."""
    s.flush()
    extra = dict(closed_by_hand or {})
    for chunk in in_chunks(sorted(set(dm_ids))):
        steps: dict[int, list[loops.Step]] = {i: [] for i in chunk}
        who: dict[int, str | None] = {}
        call = Call.__table__  # type: ignore[attr-defined]
        q = (
            sa.select(call.c.id, call.c.dm_id, call.c.called_on, call.c.outcome, call.c.recruiter)
            .where(call.c.dm_id.in_(chunk))
            .order_by(call.c.dm_id, call.c.called_on, call.c.id)
        )
        for call_id, dm_id, called_on, outcome, recruiter in s.connection().execute(q):
            steps[dm_id].append(loops.Step(call_id, day_of(called_on), outcome))
            who[call_id] = recruiter
        stored: dict[int, dict[int, OpenLoop]] = {i: {} for i in chunk}
        for row in s.exec(select(OpenLoop).where(col(OpenLoop.dm_id).in_(chunk))):
            if row.opened_by_call_id is None:
                s.delete(row)  # its call was taken back
                continue
            stored[row.dm_id][row.opened_by_call_id] = row
        for dm_id in chunk:
            have = stored[dm_id]
            by_hand = {
                opener: day_of(row.closed_on)
                for opener, row in have.items()
                if row.closed_by_hand and row.closed_on is not None
            }
            by_hand.update({k: v for k, v in extra.items() if k in who})
            for loop in loops.derive(steps[dm_id], closed_by_hand=by_hand, recruiters=who):
                found = have.pop(loop.opened_by, None)
                row = found or OpenLoop(dm_id=dm_id, kind=loop.kind, opened_on=loop.opened_on)
                row.kind = loop.kind
                row.opened_on = loop.opened_on
                row.opened_by_call_id = loop.opened_by
                row.chases = loop.chases
                row.closed_on = loop.closed_on
                row.closed_by_call_id = loop.closed_by
                row.closed_by_hand = loop.by_hand
                row.recruiter = loop.recruiter
                s.add(row)
            for gone in have.values():
                s.delete(gone)
    s.flush()


def open_of(s: Session, *, dm_ids: Sequence[int]) -> dict[int, list[OpenLoop]]:
    """The open loops of each DM, oldest first (ix_open_loop_dm_closed_on)."""
    found: dict[int, list[OpenLoop]] = {i: [] for i in dm_ids}
    for chunk in in_chunks(list(dm_ids)):
        q = (
            select(OpenLoop)
            .where(col(OpenLoop.dm_id).in_(chunk), col(OpenLoop.closed_on).is_(None))
            .order_by(col(OpenLoop.dm_id), col(OpenLoop.opened_on), col(OpenLoop.id))
        )
        for row in s.exec(q):
            found[row.dm_id].append(row)
    return found


def close_by_hand(s: Session, *, loop: OpenLoop, on: date) -> None:
    """Close a loop by hand on ``on``, then derive the DM's loops again: calls after that
    day no longer chase it."""
    loop.closed_on = on
    loop.closed_by_hand = True
    loop.closed_by_call_id = None
    s.add(loop)
    rederive(s, dm_ids=[loop.dm_id])


def loops_of(s: Session, *, dm_id: int) -> list[OpenLoop]:
    """All of a DM's loops, open and closed, oldest first."""
    q = (
        select(OpenLoop)
        .where(OpenLoop.dm_id == dm_id)
        .order_by(col(OpenLoop.opened_on), col(OpenLoop.id))
    )
    return list(s.exec(q).all())


def open_loops(
    s: Session, *, owner: str | None = None, limit: int | None = None
) -> list[tuple[OpenLoop, DecisionMaker]]:
    """Every open loop of an active DM (``owner``'s only, if given), oldest first."""
    q = (
        select(OpenLoop, DecisionMaker)
        .join(DecisionMaker, col(DecisionMaker.id) == col(OpenLoop.dm_id))
        .where(col(OpenLoop.closed_on).is_(None), DecisionMaker.status == Status.ACTIVE)
        .order_by(col(OpenLoop.opened_on), col(OpenLoop.id))
    )
    if owner is not None:
        q = q.where(DecisionMaker.owner == owner)
    if limit is not None:
        q = q.limit(limit)
    return [(loop, dm) for loop, dm in s.exec(q)]


def reopen(s: Session, *, loop: OpenLoop) -> None:
    """Take back a close by hand, then derive the DM's loops again."""
    loop.closed_on = None
    loop.closed_by_hand = False
    s.add(loop)
    rederive(s, dm_ids=[loop.dm_id])
