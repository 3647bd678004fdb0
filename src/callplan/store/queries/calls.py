"""Calls and notes: recording a call, a DM's history, its numbering."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from callplan.core import effects
from callplan.core.hooks import CANDIDATE, EVENT, JOB
from callplan.core.kinds import Status
from callplan.core.notes import FIELD_NAMES, current_picture
from callplan.core.outcomes import IMPORTED, Kind, Outcome, types_of
from callplan.errors import CallNotFound
from callplan.store.models import (
    Call,
    CallBefore,
    CallHook,
    CallReferral,
    DecisionMaker,
    Note,
)
from callplan.store.queries import loops
from callplan.store.queries.common import ID_RANGE, IN_CHUNK, logged
from callplan.store.queries.diary import owned_by
from callplan.store.queries.hooks import get_candidate, get_event, get_job


def last_spoke(s: Session, *, dm_id: int) -> tuple[date, str | None] | None:
    """The DM's last conversation with anyone in the team: (day, who)."""
    q = (
        select(col(Call.called_on), col(Call.recruiter))
        .where(Call.dm_id == dm_id, col(Call.conversation_number).is_not(None))
        .order_by(col(Call.called_on).desc(), col(Call.id).desc())
        .limit(1)
    )
    row = s.exec(q).first()
    return (row[0], row[1]) if row is not None else None


def add_note(
    s: Session,
    *,
    dm_id: int,
    on: date,
    text: str | None = None,
    fields: Mapping[str, str | None] | None = None,
    call_id: int | None = None,
    recruiter: str | None = None,
) -> Note | None:
    """A note of free text and/or named fields; nothing is written when all are empty."""
    values = {k: v for k, v in (fields or {}).items() if v}
    if not text and not values:
        return None
    note = Note(dm_id=dm_id, call_id=call_id, noted_on=on, text=text, recruiter=recruiter)
    for name, value in values.items():
        setattr(note, name, value)
    s.add(note)
    s.flush()
    return note


# --- calls ----------------------------------------------------------------------------


def calls_of(s: Session, *, dm_id: int, limit: int | None = None) -> list[Call]:
    q = (
        select(Call)
        .where(Call.dm_id == dm_id)
        .order_by(col(Call.called_on).desc(), col(Call.id).desc())
    )
    if limit is not None:
        q = q.limit(limit)
    return list(s.exec(q).all())


def notes_of(s: Session, *, dm_id: int) -> list[Note]:
    """A DM's notes, newest first (by the date they record, then as written)."""
    q = (
        select(Note)
        .where(Note.dm_id == dm_id)
        .order_by(col(Note.noted_on).desc(), col(Note.id).desc())
    )
    return list(s.exec(q).all())


def hook_notes(s: Session, *, dm_ids: Sequence[int], fields: Sequence[str]) -> dict[int, list[Any]]:
    """The notes of each DM that fill any of ``fields`` (only those columns), newest
    first: what hook matching reads, for a screenful of DMs in one query."""
    found: dict[int, list[Any]] = {i: [] for i in dm_ids}
    if dm_ids and fields:
        columns = [col(getattr(Note, f)) for f in fields]
        q = (
            sa.select(col(Note.dm_id), col(Note.noted_on), *columns)
            .where(col(Note.dm_id).in_(dm_ids), sa.or_(*(c.is_not(None) for c in columns)))
            .order_by(col(Note.noted_on).desc(), col(Note.id).desc())
        )
        for row in s.connection().execute(q):
            found[row.dm_id].append(row)
    return found


def last_summaries(s: Session, *, dm_ids: Sequence[int]) -> dict[int, str]:
    """The summary of each DM's latest call that has one."""
    if not dm_ids:
        return {}
    latest = (
        select(Call.summary)
        .where(Call.dm_id == DecisionMaker.id, col(Call.summary).is_not(None))
        .order_by(col(Call.called_on).desc(), col(Call.id).desc())
        .limit(1)
        .correlate(DecisionMaker)
        .scalar_subquery()
    )
    found: dict[int, str] = {}
    for start in range(0, len(dm_ids), IN_CHUNK):  # SQLite caps the parameters of a query
        chunk = dm_ids[start : start + IN_CHUNK]
        rows = s.exec(select(DecisionMaker.id, latest).where(col(DecisionMaker.id).in_(chunk)))
        found.update((i, summary) for i, summary in rows if i is not None and summary)
    return found


def first_conversations_on(s: Session, *, on: date, recruiter: str | None = None) -> int:
    """Conversations held on ``on`` that were the first ever with that DM (by
    ``recruiter``, if given)."""
    q = select(func.count()).where(Call.called_on == on, Call.conversation_number == 1)
    if recruiter is not None:
        q = q.where(Call.recruiter == recruiter)
    return int(s.exec(q).one())


@dataclass(frozen=True)
class Logged:
    call: Call
    dm: DecisionMaker
    latest: bool  # False when the call was back-dated before a later one


def record_call(
    s: Session,
    *,
    dm: DecisionMaker,
    outcome: Outcome,
    called_on: date,
    summary: str | None,
    next_call_on: date | None,
    reason: str | None = None,
    recruiter: str | None = None,
    say: str | None = None,
    next_purpose: str | None = None,
    next_call_at: time | None = None,
) -> Logged:
    """Insert a call and bring the DM's scheduling state into step with its calls.

    A conversation with a DM nobody owns (a prospect from the pool) makes the caller
    the owner.

    On PostgreSQL the DM's row is locked (and read again) first, so two recruiters
    logging calls with one DM at once take turns: each counts the other's call. (SQLite's
    writer already holds the whole store.)"""
    assert dm.id is not None
    if s.get_bind().dialect.name == "postgresql":
        s.refresh(dm, with_for_update=True)
    call = Call(
        recruiter=recruiter,
        reason=reason,
        dm_id=dm.id,
        called_on=called_on,
        kind=outcome.kind.value,
        outcome=outcome.type,
        summary=summary,
        say=say,
        next_call_on=next_call_on,
        purpose=dm.due_purpose,
        next_call_at=next_call_at if next_call_on else None,
    )
    s.add(call)
    s.flush()
    assert call.id is not None
    before = state_of(dm)
    s.add(CallBefore(call_id=call.id, **vars_of(before)))
    history = history_of(s, dm_id=dm.id)
    recount(s, dm, history)
    latest = history[-1].id == call.id
    if not latest:  # back-dated: it was made for what the call before it chose
        at = [c.id for c in history].index(call.id)
        call.purpose = history[at - 1].next_purpose if at > 0 else None
    call.next_purpose = effects.purpose_after(
        call.purpose, outcome, next_purpose=next_purpose, next_call_on=next_call_on
    )
    s.add(call)
    set_state(
        dm,
        effects.after_call(
            before,
            outcome,
            next_call_on=next_call_on,
            recruiter=recruiter,
            latest=latest,
            next_purpose=next_purpose,
            next_call_at=next_call_at,
        ),
    )
    s.add(dm)
    loops.rederive(s, dm_ids=[dm.id])
    return Logged(call, dm, latest)


def history_of(s: Session, *, dm_id: int) -> list[Call]:
    """A DM's calls in the order they were made: by date, then as logged."""
    q = select(Call).where(Call.dm_id == dm_id).order_by(col(Call.called_on), col(Call.id))
    return list(s.exec(q).all())


def state_of(dm: DecisionMaker) -> effects.DMState:
    return effects.DMState(**{f: getattr(dm, f) for f in effects.FIELDS})


def vars_of(state: effects.DMState) -> dict[str, Any]:
    return {f: getattr(state, f) for f in effects.FIELDS}


def set_state(dm: DecisionMaker, state: effects.DMState) -> None:
    for f in effects.FIELDS:
        setattr(dm, f, getattr(state, f))


def logged_since(
    s: Session,
    *,
    dm_id: int,
    outcome: str,
    called_on: date,
    since: datetime,
    recruiter: str | None = None,
) -> Call | None:
    """The latest call with this outcome on ``called_on`` logged with the DM at ``since``
    or later (by ``recruiter``, if given): a second log of the same call, most likely."""
    q = select(Call).where(
        Call.dm_id == dm_id,
        Call.outcome == outcome,
        Call.called_on == called_on,
        col(Call.logged_at) >= since,
    )
    if recruiter is not None:
        q = q.where(Call.recruiter == recruiter)
    return s.exec(q.order_by(col(Call.logged_at).desc(), col(Call.id).desc())).first()


@dataclass(frozen=True)
class Tally:
    """What a DM's calls (by date) say: each call's conversation number (None for a dial
    that didn't connect), how many conversations, the dials since the last one, and
    which call was the last conversation."""

    numbers: list[int | None]
    conversations: int
    attempts: int
    last: int | None  # index of the last conversation


def tally(kinds: Sequence[str]) -> Tally:
    """Number the conversations among calls of these kinds, in the order given."""
    numbers: list[int | None] = []
    count = attempts = 0
    last = None
    for i, kind in enumerate(kinds):
        if Kind(kind).is_conversation:
            count += 1
            attempts = 0
            last = i
            numbers.append(count)
        else:
            attempts += 1
            numbers.append(None)
    return Tally(numbers, count, attempts, last)


def recount(s: Session, dm: DecisionMaker, history: Sequence[Call]) -> None:
    """Number the DM's conversations in the order of ``history`` (its calls by date) and
    set what follows from them: how many, the last one's date and outcome, and the dials
    since."""
    counted = tally([c.kind for c in history])
    for c, number in zip(history, counted.numbers, strict=True):
        if number is not None and c.conversation_number != number:
            c.conversation_number = number
            s.add(c)
    last = history[counted.last] if counted.last is not None else None
    dm.conversation_count = counted.conversations
    dm.last_conversation_on = last.called_on if last else None
    dm.attempts_in_row = counted.attempts
    dm.last_outcome = last.outcome if last else None


def advances_to_review(
    s: Session, *, until: date, limit: int = 50, owner: str | None = None
) -> list[DecisionMaker]:
    """Active DMs whose last conversation was an advance and who aren't due before
    ``until`` (``owner``'s only, if given)."""
    dm = DecisionMaker
    q = (
        select(dm)
        .where(
            dm.status == Status.ACTIVE,
            col(dm.last_outcome).in_(types_of(Kind.ADVANCE)),
            col(dm.next_call_on) >= until,
            *owned_by(owner),
        )
        .order_by(col(dm.next_call_on), col(dm.id))
        .limit(limit)
    )
    return list(s.exec(q).all())


def run_breaks(s: Session, *, dm_ids: Sequence[int]) -> dict[int, dict[str, int]]:
    """For each DM, by advance outcome (and ``imported``), the number of the latest
    conversation with it: what ``planner.continuations_in_row`` and ``planner.aim_for``
    read. One grouped query over the DMs' calls (ix_call_dm_called_on)."""
    found: dict[int, dict[str, int]] = {i: {} for i in dm_ids}
    breaks = [*types_of(Kind.ADVANCE), IMPORTED]
    for start in range(0, len(dm_ids), IN_CHUNK):  # SQLite caps the parameters of a query
        chunk = dm_ids[start : start + IN_CHUNK]
        q = (
            select(Call.dm_id, Call.outcome, func.max(Call.conversation_number))
            .where(
                col(Call.dm_id).in_(chunk),
                col(Call.outcome).in_(breaks),
                col(Call.conversation_number).is_not(None),
            )
            .group_by(col(Call.dm_id), col(Call.outcome))
        )
        for dm_id, outcome, number in s.exec(q):
            found[dm_id][outcome] = int(number or 0)
    return found


def add_call_hooks(s: Session, *, call_id: int, hooks: Sequence[tuple[str, int]]) -> None:
    for kind, hook_id in hooks:
        if kind == JOB:
            get_job(s, job_id=hook_id)
            s.add(CallHook(call_id=call_id, job_id=hook_id))
        elif kind == CANDIDATE:
            get_candidate(s, candidate_id=hook_id)
            s.add(CallHook(call_id=call_id, candidate_id=hook_id))
        else:
            get_event(s, event_id=hook_id)
            s.add(CallHook(call_id=call_id, event_id=hook_id))
    s.flush()


def hooks_used(s: Session, *, call_ids: Sequence[int]) -> dict[int, list[str]]:
    """The hooks recorded on each call, as 'job:3' / 'candidate:5' / 'event:2'."""
    used: dict[int, list[str]] = {i: [] for i in call_ids}
    if call_ids:
        q = select(CallHook).where(col(CallHook.call_id).in_(call_ids)).order_by(col(CallHook.id))
        for h in s.exec(q):
            used[h.call_id].append(hook_ref(h))
    return used


def hook_ref(h: CallHook) -> str:
    """A call hook as its reference: 'job:3', 'candidate:5' or 'event:2'."""
    if h.job_id is not None:
        return f"{JOB}:{h.job_id}"
    if h.candidate_id is not None:
        return f"{CANDIDATE}:{h.candidate_id}"
    return f"{EVENT}:{h.event_id}"


def current_pictures(s: Session, *, dm_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """The current picture (notes.current_picture) of each DM in a batch."""
    if not dm_ids:
        return {}
    has_field = sa.or_(*(col(getattr(Note, name)).is_not(None) for name in FIELD_NAMES))
    q = (
        select(Note)
        .where(col(Note.dm_id).in_(dm_ids), has_field)
        .order_by(col(Note.dm_id), col(Note.noted_on).desc(), col(Note.id).desc())
    )
    by_dm: dict[int, list[Note]] = {}
    for note in s.exec(q):
        by_dm.setdefault(note.dm_id, []).append(note)
    return {dm_id: current_picture(notes) for dm_id, notes in by_dm.items()}


# --- taking calls and notes back ------------------------------------------------------


def get_call(s: Session, *, call_id: int) -> Call:
    call = s.get(Call, call_id) if call_id in ID_RANGE else None
    if call is None:
        raise CallNotFound(f"No call has id {call_id}. See 'callplan call list DM'.")
    return call


def last_logged(s: Session, *, recruiter: str | None) -> tuple[Call | None, Note | None]:
    """The last call ``recruiter`` logged, and the last note they wrote on its own (not
    with a call): the candidates for `undo`."""
    calls = (  # never a conversation an import recorded: `undo` is for what was logged
        select(Call)
        .where(logged())
        .order_by(col(Call.logged_at).desc(), col(Call.id).desc())
        .limit(1)
    )
    notes = (
        select(Note)
        .where(col(Note.call_id).is_(None))
        .order_by(col(Note.created_at).desc(), col(Note.id).desc())
        .limit(1)
    )
    if recruiter is not None:
        calls = calls.where(Call.recruiter == recruiter)
        notes = notes.where(Note.recruiter == recruiter)
    return s.exec(calls).first(), s.exec(notes).first()


def before_of(s: Session, *, call_id: int) -> effects.DMState | None:
    """The DM as the call found it; None for a call logged before schema 0007."""
    row = s.get(CallBefore, call_id)
    return effects.DMState(**{f: getattr(row, f) for f in effects.FIELDS}) if row else None


def set_before(s: Session, *, call_id: int, state: effects.DMState) -> None:
    row = s.get(CallBefore, call_id)
    if row is not None:
        for f in effects.FIELDS:
            setattr(row, f, getattr(state, f))
        s.add(row)


def referrals_of(s: Session, *, call_id: int) -> list[DecisionMaker]:
    """The DMs a call added (the people named on it, a successor)."""
    q = (
        select(DecisionMaker)
        .join(CallReferral, col(CallReferral.dm_id) == col(DecisionMaker.id))
        .where(CallReferral.call_id == call_id)
        .order_by(col(DecisionMaker.id))
    )
    return list(s.exec(q).all())


def has_history(s: Session, *, dm_id: int) -> bool:
    """Any call with the DM or note about them."""
    call = s.exec(select(Call.id).where(Call.dm_id == dm_id).limit(1)).first()
    if call is not None:
        return True
    return s.exec(select(Note.id).where(Note.dm_id == dm_id).limit(1)).first() is not None


def remove_call(s: Session, *, call: Call) -> int:
    """Delete a call with the notes written with it (its hooks, its record of the DM and
    its referral links go with it); how many notes."""
    notes = list(s.exec(select(Note).where(Note.call_id == call.id)).all())
    for note in notes:
        s.delete(note)
    s.delete(call)
    s.flush()
    return len(notes)
