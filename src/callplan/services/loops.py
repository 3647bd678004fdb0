"""Open loops by hand: a promised introduction (`callplan loop open`), closing a loop no
outcome closed (`loop close`), and taking that back (`loop reopen`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from callplan.core import loops
from callplan.core.desk import Desk
from callplan.errors import UsageError
from callplan.store import queries
from callplan.store.models import DecisionMaker, OpenLoop

if TYPE_CHECKING:
    from sqlmodel import Session


def _listed(found: list[OpenLoop], desk: Desk) -> str:
    return ", ".join(
        f"#{x.id} {x.kind} ({loops.ago(loops.age(x.opened_on, desk.today))})" for x in found
    )


def _pick(
    found: list[OpenLoop], which: str | None, desk: Desk, *, what: str, dm: DecisionMaker
) -> OpenLoop:
    """The loop ``which`` names (an id, or a kind) among ``found``; the only one if none
    is named."""
    if which is None:
        if len(found) == 1:
            return found[0]
        raise UsageError(
            f"{dm.name} has {len(found)} {what} loops: name one of {_listed(found, desk)}."
        )
    text = which.strip().lstrip("#").lower().replace("_", "-").replace(" ", "-")
    if text.isdigit():
        chosen = [x for x in found if x.id == int(text)]
    else:
        chosen = [x for x in found if x.kind == text]
    if len(chosen) == 1:
        return chosen[0]
    if not chosen:
        raise UsageError(
            f"{dm.name} has no {what} loop {which!r}: the {what} ones are {_listed(found, desk)}."
        )
    raise UsageError(f"{len(chosen)} {what} {text} loops: name one by id: {_listed(chosen, desk)}.")


def _lock(s: Session, dm: DecisionMaker) -> None:
    """The DM's row locked on PostgreSQL, as `log` locks it: a colleague's call with the
    same DM, which works its loops out again, waits."""
    if s.get_bind().dialect.name == "postgresql":
        s.refresh(dm, with_for_update=True)


def promise(
    s: Session, desk: Desk, *, dm: DecisionMaker, kind: str, call_id: int | None
) -> OpenLoop:
    """Open a loop no outcome opens (a promised introduction) on a conversation with the
    DM: ``call_id``, or their latest conversation."""
    assert dm.id is not None
    text = kind.strip().lower().replace("_", "-").replace(" ", "-")
    if text not in loops.BY_HAND:
        opened_by = (
            f"it opens when you log the {text} outcome: callplan log {dm.id} -a {text}"
            if text in loops.OPENERS
            else f"the loops opened by hand are: {', '.join(loops.BY_HAND)}"
        )
        raise UsageError(f"Can't open a {kind!r} loop by hand: {opened_by}.")
    _lock(s, dm)
    history = queries.calls.history_of(s, dm_id=dm.id)
    if call_id is None:
        spoken = [c for c in history if c.conversation_number is not None]
        if not spoken:
            raise UsageError(
                f"{dm.name} hasn't been spoken to yet: an introduction is promised in a "
                "conversation. Log it first: callplan log DM ..."
            )
        call = spoken[-1]
    else:
        call = queries.calls.get_call(s, call_id=call_id)
        if call.dm_id != dm.id:
            raise UsageError(f"Call {call_id} is not a call with {dm.name}.")
        if call.conversation_number is None:
            raise UsageError(
                f"Call {call_id} was a {call.outcome}, not a conversation: nothing was "
                "promised in it."
            )
    assert call.id is not None
    if any(
        x.kind == text and x.opened_by_call_id == call.id
        for x in queries.loops.loops_of(s, dm_id=dm.id)
    ):
        raise UsageError(
            f"The {text} promised in call {call.id} of {call.called_on.isoformat()} is already "
            f"recorded: callplan loop list."
        )
    return queries.loops.open_by_hand(s, dm_id=dm.id, call_id=call.id, kind=text)


def close(s: Session, desk: Desk, *, dm: DecisionMaker, which: str | None) -> OpenLoop:
    """Close one of the DM's open loops by hand, today."""
    assert dm.id is not None
    _lock(s, dm)
    found = queries.loops.open_of(s, dm_ids=[dm.id])[dm.id]
    if not found:
        raise UsageError(f"{dm.name} has no open loop.")
    loop = _pick(found, which, desk, what="open", dm=dm)
    queries.loops.close_by_hand(s, loop=loop, on=desk.today)
    return loop


def reopen(s: Session, desk: Desk, *, dm: DecisionMaker, which: str | None) -> OpenLoop:
    """Open again a loop of the DM's that was closed by hand (a close by mistake)."""
    assert dm.id is not None
    _lock(s, dm)
    found = [x for x in queries.loops.loops_of(s, dm_id=dm.id) if x.closed_by_hand]
    if not found:
        raise UsageError(f"{dm.name} has no loop closed by hand.")
    loop = _pick(found, which, desk, what="closed", dm=dm)
    queries.loops.reopen(s, loop=loop)
    return loop
