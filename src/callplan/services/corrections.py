"""Correcting what was logged: `undo`, `call edit` and `call delete`.

Each call keeps its DM as the call found it. A correction replays the calls logged from
that one on (core.effects.replay), once as they were and once corrected (or without the
call), and moves the DM from the first result to the second field by field: what
something else changed since (a date moved by hand, a DM marked do-not-call) stays. The
conversations are numbered again from the calls left, as `log` numbers them. A call
logged before schema 0007 has no such record: the DM's next call is then taken from
their latest call left.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from callplan.core import effects, planner
from callplan.core.desk import Desk
from callplan.core.kinds import Status
from callplan.core.outcomes import OUTCOMES, Outcome
from callplan.errors import UsageError
from callplan.services.delivery import calls_changed
from callplan.services.jobs import TakenJobs
from callplan.services.jobs import take_back as take_back_jobs
from callplan.store import queries
from callplan.store.models import Call, CandidateCall, DecisionMaker, Note, StageMove

if TYPE_CHECKING:
    from sqlmodel import Session


def outcome_of(call: Call) -> Outcome:
    return OUTCOMES[call.outcome]


@dataclass
class Taken:
    """A call taken back: the DM as it is now, the people the call added (those removed
    and those kept) and what the DM keeps because it changed since the call."""

    call: Call
    dm: DecisionMaker
    notes: int = 0
    removed: list[DecisionMaker] = field(default_factory=list)
    kept_referrals: list[DecisionMaker] = field(default_factory=list)
    kept: tuple[str, ...] = ()
    jobs: TakenJobs = field(default_factory=TakenJobs)  # the jobs it added (log --job)


@dataclass(frozen=True)
class Last:
    """What `undo` takes back: a call, a note written on its own, or a call to a
    candidate."""

    call: Call | None = None
    note: Note | None = None
    candidate_call: CandidateCall | None = None
    move: StageMove | None = None  # a submission's stage move (services.delivery)

    @property
    def key(self) -> tuple[str, int | None]:
        if self.move is not None:
            return ("move", self.move.id)
        if self.call is not None:
            return ("call", self.call.id)
        if self.candidate_call is not None:
            return ("candidate_call", self.candidate_call.id)
        return ("note", self.note.id if self.note is not None else None)

    @property
    def dm_id(self) -> int:
        entry = self.call or self.note
        assert entry is not None
        return entry.dm_id


def last_entry(s: Session, desk: Desk) -> Last | None:
    """The newest of the recruiter's last call, last note written on its own, last call
    to a candidate and last stage move of a submission."""
    call, note = queries.calls.last_logged(s, recruiter=desk.recruiter)
    talk = queries.candidates.last_logged(s, recruiter=desk.recruiter)
    move = queries.delivery.last_move(s, recruiter=desk.recruiter)
    entries: list[tuple[datetime, int, Last]] = []
    if move is not None:
        entries.append((move.logged_at, 3, Last(move=move)))
    if call is not None:
        entries.append((call.logged_at, 2, Last(call=call)))
    if talk is not None:
        entries.append((talk.logged_at, 1, Last(candidate_call=talk)))
    if note is not None:
        entries.append((note.created_at, 0, Last(note=note)))
    return max(entries, key=lambda e: e[:2])[2] if entries else None


def _locked_dm(s: Session, dm_id: int) -> DecisionMaker:
    """The call's DM, its row locked on PostgreSQL as `log` locks it: a colleague's call
    with the same DM waits."""
    dm = s.get(DecisionMaker, dm_id)
    assert dm is not None  # a call's DM: the foreign key cascades
    if s.get_bind().dialect.name == "postgresql":
        s.refresh(dm, with_for_update=True)
    return dm


def _diary_from(dm: DecisionMaker, history: list[Call]) -> None:
    """The DM's next call as its latest call (by date) diarised it, for calls with no
    record of the DM before them; with no call left, nothing is diarised."""
    last = history[-1] if history else None
    dm.next_call_on = last.next_call_on if last else None
    dm.due_reason = last.outcome if last and last.next_call_on else None
    dm.due_purpose = last.next_purpose if last and last.next_call_on else None
    dm.next_call_at = last.next_call_at if last and last.next_call_on else None
    if dm.status == Status.DNC:
        dm.next_call_on = dm.due_reason = dm.due_purpose = dm.next_call_at = None


def _logged_order(history: list[Call]) -> list[Call]:
    return sorted(history, key=lambda c: (c.logged_at, c.id or 0))


def _as_logged(call: Call) -> effects.Logged:
    assert call.id is not None
    return effects.Logged(
        outcome_of(call),
        call.called_on,
        call.id,
        call.next_call_on,
        call.recruiter,
        call.next_purpose,
        call.next_call_at,
    )


def _correct(
    s: Session,
    dm: DecisionMaker,
    history: list[Call],
    call: Call,
    before: effects.DMState | None,
    replacement: effects.Logged | None,
) -> tuple[str, ...] | None:
    """Put right what ``call`` did to ``dm`` (not its row): the DM's fields as the calls
    logged since it would have left them had it been ``replacement`` (None: never
    logged), field by field, keeping what something else changed since. None for a call
    with no record of the DM before it (``before`` None: logged before schema 0007)."""
    if before is None:
        return None
    logged = _logged_order(history)
    at = logged.index(call)
    earlier = [(c.called_on, c.id or 0) for c in logged[:at]]
    later = [_as_logged(c) for c in logged[at + 1 :]]
    start = max(earlier, default=None)
    was = effects.replay(before, [_as_logged(call), *later], latest=start)
    should = effects.replay(before, [replacement, *later] if replacement else later, latest=start)
    taken = effects.take_back(queries.calls.state_of(dm), should, was)
    queries.calls.set_state(dm, taken.state)
    return taken.kept


def delete_call(s: Session, desk: Desk, *, call: Call, with_referrals: bool = False) -> Taken:
    """Remove a call and everything it did, in the caller's transaction."""
    assert call.id is not None
    dm = _locked_dm(s, call.dm_id)
    assert dm.id is not None
    history = queries.calls.history_of(s, dm_id=dm.id)
    before = queries.calls.before_of(s, call_id=call.id)
    kept = _correct(s, dm, history, call, before, None)
    logged = _logged_order(history)
    following = logged.index(call) + 1
    if before is not None and following < len(logged):
        # the next call logged found the DM as this one left it; now it finds it as
        # this one found it (what undoing that call will put back)
        next_id = logged[following].id
        assert next_id is not None
        queries.calls.set_before(s, call_id=next_id, state=before)
    referrals = queries.calls.referrals_of(s, call_id=call.id)
    jobs = take_back_jobs(s, call=call)
    notes = queries.calls.remove_call(s, call=call)
    left = [c for c in history if c.id != call.id]
    queries.calls.recount(s, dm, left)
    if kept is None and history[-1].id == call.id:
        _diary_from(dm, left)
    s.add(dm)
    taken = Taken(call, dm, notes=notes, kept=kept or (), jobs=jobs)
    for person in referrals:
        assert person.id is not None
        if with_referrals and not queries.calls.has_history(s, dm_id=person.id):
            s.delete(person)
            taken.removed.append(person)
        else:
            taken.kept_referrals.append(person)
    queries.loops.rederive(s, dm_ids=[dm.id])
    calls_changed(s, desk, dm_ids=[dm.id])
    return taken


def delete_note(s: Session, *, note: Note) -> None:
    s.delete(note)
    s.flush()


@dataclass
class Edited:
    call: Call
    dm: DecisionMaker
    next_call: planner.NextCall | None  # None: the diary wasn't recomputed
    latest: bool
    kept: tuple[str, ...] = ()


def _agreed(call: Call, others: list[Call], desk: Desk, dm: DecisionMaker) -> bool:
    """The call's next date was asked for (--next, or typed in go), not the outcome's
    default: the rule, applied again, gives another date."""
    if call.next_call_on is None:
        return False
    again = _next_by_rule(outcome_of(call), call.called_on, others, desk, dm)
    return again.on != call.next_call_on


def _next_by_rule(
    outcome: Outcome,
    on: date,
    others: list[Call],
    desk: Desk,
    dm: DecisionMaker,
    requested: date | None = None,
) -> planner.NextCall:
    """The next call `log` would diarise for a call on ``on`` among the DM's ``others``
    (the cycle, the DM's own, runs from the last conversation on or before it)."""
    spoken = [c.called_on for c in others if c.called_on <= on and c.conversation_number]
    return planner.next_call(
        outcome,
        on,
        desk.settings.for_dm(dm.tier, dm.cycle_days),
        desk.calendar,
        last_conversation_on=max(spoken, default=None),
        requested=requested,
    )


def edit_call(
    s: Session,
    desk: Desk,
    *,
    call: Call,
    outcome: Outcome | None = None,
    summary: str | None = None,
    called_on: date | None = None,
    requested_next: date | None = None,
    say: str | None = None,
    next_call_at: time | None = None,
) -> Edited:
    """Correct a call's outcome, date, next call (at ``next_call_at``, the time of day
    agreed, if any), summary or words to say ('' clears a text). The DM becomes what `log`
    would have made of it had the call been logged right: numbered among the DM's calls,
    its next call diarised by the same rules (the date asked for; else a date agreed on
    the call stays, and one that was the old outcome's default becomes the new one's)."""
    assert call.id is not None
    dm = _locked_dm(s, call.dm_id)
    assert dm.id is not None
    if summary is not None:
        call.summary = summary or None
    if say is not None:
        call.say = say or None
    new_outcome = outcome or outcome_of(call)
    new_on = called_on or call.called_on
    if outcome is None and called_on is None and requested_next is None:
        s.add(call)
        s.flush()
        return Edited(call, dm, None, False)
    if new_on > desk.today:
        raise UsageError(f"The call date {new_on.isoformat()} is in the future.")
    if new_outcome.type == "left-company" and requested_next is not None:
        raise UsageError("--next doesn't apply to left-company: the DM is archived.")
    if requested_next is not None and dm.status == Status.DNC:
        raise UsageError(f"{dm.name} is marked do-not-call: no next call is diarised for them.")
    history = queries.calls.history_of(s, dm_id=dm.id)
    was_latest = history[-1].id == call.id
    others = [c for c in history if c.id != call.id]
    if requested_next is None and _agreed(call, others, desk, dm):
        # a date agreed on the call (--next) stays, with its time; one by the old
        # outcome's rule doesn't
        assert call.next_call_on is not None
        requested_next = call.next_call_on if call.next_call_on >= new_on else None
        next_call_at = call.next_call_at
    next_call = planner.NextCall(None)
    if dm.status != Status.DNC and new_outcome.type != "left-company":
        next_call = _next_by_rule(new_outcome, new_on, others, desk, dm, requested_next)
    # A time goes with the day it was agreed for; a day the rules pick has none.
    at = next_call_at if next_call.on is not None and next_call.on == requested_next else None
    corrected = effects.Logged(
        new_outcome, new_on, call.id, next_call.on, call.recruiter, call.next_purpose, at
    )
    before = queries.calls.before_of(s, call_id=call.id)
    kept = _correct(s, dm, history, call, before, corrected)
    call.kind = new_outcome.kind.value
    call.outcome = new_outcome.type
    call.called_on = new_on
    call.next_call_on = next_call.on
    call.next_call_at = at
    if not new_outcome.kind.is_conversation:
        call.conversation_number = None
    s.add(call)
    s.flush()
    history = queries.calls.history_of(s, dm_id=dm.id)
    queries.calls.recount(s, dm, history)
    latest = history[-1].id == call.id
    if kept is None and (latest or was_latest):
        _diary_from(dm, history)
    s.add(dm)
    queries.loops.rederive(s, dm_ids=[dm.id])
    calls_changed(s, desk, dm_ids=[dm.id])
    return Edited(call, dm, next_call, latest, kept or ())
