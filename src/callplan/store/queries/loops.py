"""Open loops (core.loops): derived again from a DM's calls whenever they change, kept in
the open_loop table so the brief, `today` and `dm show` read them in one indexed query."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, col, select

from callplan.core import loops
from callplan.core.kinds import Status
from callplan.store.models import Call, CallReferral, DecisionMaker, OpenLoop
from callplan.store.queries.common import in_chunks


def day_of(value: date | str) -> date:
    """A date from a raw row: SQLite gives text, PostgreSQL a date."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


@dataclass
class History:
    """What core.loops reads of one DM: their calls in the order made, who made each, and
    the loops recorded by hand (closes; introductions promised, with their close)."""

    steps: list[loops.Step] = field(default_factory=list)
    who: dict[int, str | None] = field(default_factory=dict)
    closed_by_hand: dict[int, date] = field(default_factory=dict)
    promised: dict[int, date | None] = field(default_factory=dict)

    def derive(self) -> list[loops.Loop]:
        return loops.derive(
            self.steps,
            closed_by_hand=self.closed_by_hand,
            recruiters=self.who,
            promised=self.promised,
        )


def histories(s: Session, *, dm_ids: Sequence[int]) -> dict[int, History]:
    """The History of each of these DMs (ix_call_dm_id, ix_open_loop_dm_closed_on)."""
    found: dict[int, History] = {i: History() for i in dm_ids}
    call, referral = Call.__table__, CallReferral.__table__  # type: ignore[attr-defined]
    loop = OpenLoop.__table__  # type: ignore[attr-defined]
    for chunk in in_chunks(sorted(set(dm_ids))):
        # The calls that fulfilled a promised introduction: a call that added people
        # (call_referral), or one a stored introduction says closed it (a file's history
        # carries no call_referral rows).
        fulfilled: set[int] = set()
        q = sa.select(
            loop.c.dm_id, loop.c.kind, loop.c.opened_by_call_id, loop.c.closed_on,
            loop.c.closed_by_hand, loop.c.closed_by_call_id,
        ).where(loop.c.dm_id.in_(chunk), loop.c.opened_by_call_id.is_not(None))  # fmt: skip
        for row in s.connection().execute(q):
            history = found[row.dm_id]
            closed = day_of(row.closed_on) if row.closed_by_hand and row.closed_on else None
            if row.kind in loops.BY_HAND:
                history.promised[row.opened_by_call_id] = closed
                if row.closed_by_call_id is not None:
                    fulfilled.add(row.closed_by_call_id)
            elif closed is not None:
                history.closed_by_hand[row.opened_by_call_id] = closed
        referred = sa.exists().where(referral.c.call_id == call.c.id)
        q = (
            sa.select(call.c.id, call.c.dm_id, call.c.called_on, call.c.outcome,
                      call.c.recruiter, referred.label("referred"))
            .where(call.c.dm_id.in_(chunk))
            .order_by(call.c.dm_id, call.c.called_on, call.c.id)
        )  # fmt: skip
        for row in s.connection().execute(q):
            history = found[row.dm_id]
            named = bool(row.referred) or row.id in fulfilled
            history.steps.append(loops.Step(row.id, day_of(row.called_on), row.outcome, named))
            history.who[row.id] = row.recruiter
    return found


def rederive(
    s: Session, *, dm_ids: Sequence[int], closed_by_hand: Mapping[int, date] | None = None
) -> None:
    """Bring the loops of these DMs into step with their calls, in the caller's
    transaction: the loops core.loops derives from the calls, keeping each loop's id, its
    close by hand (and those in ``closed_by_hand``, by the call that opened the loop) and
    the introductions promised by hand. A loop whose opening call is gone goes with it."""
    s.flush()
    extra = dict(closed_by_hand or {})
    for chunk in in_chunks(sorted(set(dm_ids))):
        found = histories(s, dm_ids=chunk)
        # A row by the call that opened it, and whether it was opened by hand: a promised
        # introduction can share its conversation with a loop that conversation opened.
        stored: dict[int, dict[tuple[int, bool], OpenLoop]] = {i: {} for i in chunk}
        for row in s.exec(select(OpenLoop).where(col(OpenLoop.dm_id).in_(chunk))):
            if row.opened_by_call_id is None:
                s.delete(row)  # its call was taken back
                continue
            stored[row.dm_id][(row.opened_by_call_id, row.kind in loops.BY_HAND)] = row
        for dm_id in chunk:
            history, have = found[dm_id], stored[dm_id]
            history.closed_by_hand.update({k: v for k, v in extra.items() if k in history.who})
            for loop in history.derive():
                key = (loop.opened_by, loop.kind in loops.BY_HAND)
                kept = have.pop(key, None)
                row = kept or OpenLoop(dm_id=dm_id, kind=loop.kind, opened_on=loop.opened_on)
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


def open_by_hand(s: Session, *, dm_id: int, call_id: int, kind: str) -> OpenLoop:
    """Open a loop of a kind no outcome opens (loops.BY_HAND: a promised introduction) on
    the conversation ``call_id``, then derive the DM's loops again: its day is that
    conversation's, its chases the conversations since."""
    row = OpenLoop(dm_id=dm_id, kind=kind, opened_on=date.min, opened_by_call_id=call_id)
    s.add(row)
    rederive(s, dm_ids=[dm_id])
    s.refresh(row)
    return row


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
