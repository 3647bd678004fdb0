"""What logging a call does to its DM, and taking it back: pure rules, shared by `log`,
`undo`, `call edit` and `call delete`.

A call changes five things on its DM that its own row doesn't hold: the diary (the next
call, its reason and its purpose), the status (left-company archives; a conversation
with an archived DM makes them active again), the owner (a first conversation with a
prospect from the pool makes the caller the owner) and whether they need a new number.
The counts (conversations, the last one, dials since) are not here: they are recounted
from the calls themselves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, time

from callplan.core.kinds import Status
from callplan.core.outcomes import Outcome


@dataclass(frozen=True)
class DMState:
    """The part of a DM that a call changes and only the calls' order explains."""

    next_call_on: date | None
    due_reason: str | None
    status: str
    owner: str | None
    needs_number: bool
    due_purpose: str | None = None  # the purpose chosen for the next call (core.purposes)
    next_call_at: time | None = None  # the time of day agreed for it, if one was


FIELDS = tuple(f.name for f in fields(DMState))
LABELS = {
    "next_call_on": "next call",
    "due_reason": "reason for the next call",
    "status": "status",
    "owner": "owner",
    "needs_number": "needs a number",
    "due_purpose": "purpose of the next call",
    "next_call_at": "time of the next call",
}
# The diary: the next call (its day and any time), why and what for, kept or put back as one.
DIARY = ("next_call_on", "due_reason", "due_purpose", "next_call_at")


def purpose_after(
    before: str | None, outcome: Outcome, *, next_purpose: str | None, next_call_on: date | None
) -> str | None:
    """The purpose of the next call after a call with ``outcome``: the one chosen for it;
    a dial that didn't connect, with none chosen, keeps the purpose it was made for (the
    retry is the same call); none when nothing is diarised."""
    if next_call_on is None:
        return None
    if next_purpose is None and not outcome.kind.is_conversation:
        return before
    return next_purpose


def after_call(
    before: DMState,
    outcome: Outcome,
    *,
    next_call_on: date | None,
    recruiter: str | None,
    latest: bool,
    next_purpose: str | None = None,
    next_call_at: time | None = None,
) -> DMState:
    """The DM after a call with ``outcome`` is logged, diarising ``next_call_on`` (at
    ``next_call_at``, if a time was agreed) for ``next_purpose``. ``latest`` is False
    for a call back-dated before a later one: the later call keeps the diary."""
    state = before
    if latest:
        state = replace(
            state,
            next_call_on=next_call_on,
            due_reason=outcome.type if next_call_on else None,
            due_purpose=purpose_after(
                before.due_purpose,
                outcome,
                next_purpose=next_purpose,
                next_call_on=next_call_on,
            ),
            next_call_at=next_call_at if next_call_on else None,
        )
    if outcome.kind.is_conversation:
        state = replace(state, needs_number=False)
        if state.owner is None and recruiter is not None:
            state = replace(state, owner=recruiter)
        if state.status == Status.ARCHIVED:
            state = replace(state, status=Status.ACTIVE)  # spoken to again
    elif outcome.type == "wrong-number":
        state = replace(state, needs_number=True)
    if outcome.type == "left-company":
        if state.status == Status.ACTIVE:  # do-not-call stays do-not-call
            state = replace(state, status=Status.ARCHIVED)
        state = _undiarised(state)
    if state.status == Status.DNC:  # never diarised
        state = _undiarised(state)
    return state


def _undiarised(state: DMState) -> DMState:
    return replace(state, next_call_on=None, due_reason=None, due_purpose=None, next_call_at=None)


@dataclass(frozen=True)
class TakenBack:
    state: DMState
    kept: tuple[str, ...]  # fields changed since the call, so left as they are now


def take_back(now: DMState, before: DMState, after: DMState) -> TakenBack:
    """The DM once a call is taken back: each field the call set is put back as it was
    before the call; a field changed since (a date moved by hand, a DM marked do-not-call
    after the call) is kept as it is now. The diary (date, reason and purpose) goes as one."""
    state = now
    kept: list[str] = []
    if all(getattr(now, f) == getattr(after, f) for f in DIARY):
        state = replace(state, **{f: getattr(before, f) for f in DIARY})
    elif any(getattr(before, f) != getattr(after, f) for f in DIARY):
        kept.append("next_call_on")
    for f in ("status", "owner", "needs_number"):
        if getattr(now, f) == getattr(after, f):
            state = replace(state, **{f: getattr(before, f)})
        elif getattr(before, f) != getattr(after, f):
            kept.append(f)
    if state.status == Status.DNC:
        state = _undiarised(state)
    return TakenBack(state, tuple(kept))


@dataclass(frozen=True)
class Logged:
    """A call as its effects on the DM need it."""

    outcome: Outcome
    called_on: date
    order: int  # calls on the same day are in the order logged (their ids)
    next_call_on: date | None
    recruiter: str | None
    next_purpose: str | None = None
    next_call_at: time | None = None

    @property
    def key(self) -> tuple[date, int]:
        return (self.called_on, self.order)


def replay(
    before: DMState, calls: Sequence[Logged], *, latest: tuple[date, int] | None = None
) -> DMState:
    """The DM after ``calls`` are logged one after another, from ``before``. ``latest``
    is the latest (date, order) of the calls logged before these: a call before it by
    date was back-dated, and leaves the diary alone."""
    state = before
    for call in calls:
        is_latest = latest is None or call.key > latest
        latest = call.key if is_latest else latest
        state = after_call(
            state,
            call.outcome,
            next_call_on=call.next_call_on,
            recruiter=call.recruiter,
            latest=is_latest,
            next_purpose=call.next_purpose,
            next_call_at=call.next_call_at,
        )
    return state
