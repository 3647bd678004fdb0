"""Logging a call: its outcome, the next call it diarises, referrals; moving a due date."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, time
from typing import TYPE_CHECKING

from callplan.core import planner, wording
from callplan.core.dates import clock
from callplan.core.desk import Desk
from callplan.core.kinds import Status
from callplan.core.outcomes import (
    OUTCOMES,
    REASON_CYCLE,
    REASON_MANUAL,
    REASON_NEW,
    Kind,
    Outcome,
    types_of,
)
from callplan.core.phones import region_of
from callplan.errors import UsageError
from callplan.services.delivery import calls_changed
from callplan.store import privacy, queries
from callplan.store.models import CallReferral, DecisionMaker, Note

if TYPE_CHECKING:
    from sqlmodel import Session


# --- logging a call -------------------------------------------------------------------


def typed_outcome(
    advance: str | None, continuation: str | None, no_connect: str | None
) -> tuple[Kind, str, str]:
    """The one outcome option given (a DM's or a candidate's): its kind, its type as a
    key, and as typed."""
    given = [
        (k, v)
        for k, v in (
            (Kind.ADVANCE, advance),
            (Kind.CONTINUATION, continuation),
            (Kind.NO_CONNECT, no_connect),
        )
        if v is not None
    ]
    if len(given) != 1:
        raise UsageError(
            "Give exactly one of --advance TYPE, --continuation TYPE or --no-connect TYPE."
        )
    kind, typed = given[0]
    return kind, typed.strip().lower().replace("_", "-").replace(" ", "-"), typed


def outcome_from(
    *, advance: str | None, continuation: str | None, no_connect: str | None
) -> Outcome:
    """Exactly one of the three options, with a type valid for its kind."""
    kind, key, typed = typed_outcome(advance, continuation, no_connect)
    outcome = OUTCOMES.get(key)
    if outcome is not None and not outcome.loggable:
        outcome = None
    if outcome is not None and outcome.kind is not kind:
        raise UsageError(
            f"{key} is not a type of {kind.value} but of {outcome.kind.value}: use "
            f"--{outcome.kind.value} {key}."
        )
    if outcome is None:
        raise UsageError(
            f"Unknown {kind.value} type {typed!r}: use one of {', '.join(types_of(kind))}."
        )
    return outcome


_PHONE = re.compile(r"^\+?[\d\s().-]{6,}$")


@dataclass(frozen=True)
class Referral:
    """A new DM named on a call: 'NAME[, TITLE][, COMPANY][, PHONE]'."""

    name: str
    title: str | None = None
    company: str | None = None
    phone: str | None = None

    @classmethod
    def parse(cls, text: str) -> Referral:
        parts = [" ".join(p.split()) for p in text.split(",")]
        if not parts or not parts[0]:
            raise UsageError(
                f"A referral needs a name first: {text!r} (NAME, TITLE, COMPANY, PHONE)."
            )
        phones = [p for p in parts[1:] if _PHONE.match(p) and sum(c.isdigit() for c in p) >= 6]
        words = [p for p in parts[1:] if p and p not in phones]
        if len(words) > 2 or len(phones) > 1:
            raise UsageError(
                f"Can't read the referral {text!r}: use 'NAME, TITLE, COMPANY, PHONE' "
                "(everything after the name is optional)."
            )
        return cls(
            parts[0],
            title=words[0] if words else None,
            company=words[1] if len(words) > 1 else None,
            phone=phones[0] if phones else None,
        )


@dataclass
class LogResult:
    logged: queries.calls.Logged
    next_call: planner.NextCall
    referred: list[DecisionMaker] = field(default_factory=list)
    note: Note | None = None
    warnings: list[str] = field(default_factory=list)


def call_reason(dm: DecisionMaker) -> str:
    """Why a call is being made, as recorded on it: "new" for a prospect, else the DM's
    due reason at the time (an outcome type, manual, sweep), or the cycle if none."""
    if not dm.conversation_count:
        return REASON_NEW
    return dm.due_reason or REASON_CYCLE


def log_call(
    s: Session,
    desk: Desk,
    *,
    dm: DecisionMaker,
    outcome: Outcome,
    called_on: date,
    summary: str | None,
    requested_next: date | None,
    successor: str | None = None,
    referrals: Sequence[Referral] = (),
    note_fields: Mapping[str, str | None] | None = None,
    hooks: Sequence[tuple[str, int]] = (),
    say: str | None = None,
    next_purpose: str | None = None,
    next_call_at: time | None = None,
) -> LogResult:
    """Record a call, its note fields, the hooks used and anyone it referred you to.

    The call and note are the desk's recruiter's; a first conversation with a prospect from the
    pool makes them its owner, and the people it referred are theirs too. A call on a
    colleague's DM, or on a prospect in a colleague's plan that day, is recorded with a
    warning (the DM stays theirs; the prospect becomes yours if you spoke)."""
    warnings = []
    if desk.recruiter is not None and dm.owner is not None and dm.owner != desk.recruiter:
        warnings.append(f"{dm.name} is {dm.owner}'s DM: the call is recorded as yours.")
    elif desk.recruiter is not None and dm.owner is None and dm.id is not None:
        planned_by = queries.prospects.claimed_by(s, dm_id=dm.id, on=desk.today)
        if planned_by is not None and planned_by != desk.recruiter and outcome.kind.is_conversation:
            warnings.append(
                f"{dm.name} was in {planned_by}'s plan today; you spoke first, so they are "
                f"yours now: tell {planned_by}."
            )
        elif planned_by is not None and planned_by != desk.recruiter:
            warnings.append(
                f"{dm.name} is in {planned_by}'s plan today: leave them to {planned_by}."
            )
    if dm.status == Status.DNC:
        if requested_next is not None:
            raise UsageError(
                f"{dm.name} is marked do-not-call: no next call is diarised for them "
                f"(callplan dm restore {dm.id} first, if they asked to be called)."
            )
        warnings.append(
            f"{dm.name} is marked do-not-call: the call is recorded; no next call is diarised."
        )
    elif dm.status == Status.ARCHIVED and outcome.type != "left-company":
        if not outcome.kind.is_conversation:
            raise UsageError(
                f"{dm.name} is archived: callplan dm restore {dm.id}, then log the call."
            )
        warnings.append(f"{dm.name} was archived: spoken to again, they are active again.")
    if outcome.type == "left-company" and requested_next is not None:
        raise UsageError("--next doesn't apply to left-company: the DM is archived.")
    if next_purpose is not None and (dm.status == Status.DNC or outcome.type == "left-company"):
        raise UsageError(f"--purpose is for the next call, and {dm.name} has none diarised.")
    if successor and outcome.type != "left-company":
        raise UsageError("--successor goes with --no-connect left-company.")
    if not outcome.kind.is_conversation and note_fields and any(note_fields.values()):
        raise UsageError("Note fields go with a conversation; use 'callplan note' for others.")
    if not outcome.kind.is_conversation and hooks:
        raise UsageError("A hook is used in a conversation: --hook doesn't go with --no-connect.")
    next_call = (
        planner.NextCall(None)  # do not call: never diarised
        if dm.status == Status.DNC
        else planner.next_call(
            outcome,
            called_on,
            desk.settings.for_dm(dm.tier, dm.cycle_days),
            desk.calendar,
            last_conversation_on=dm.last_conversation_on,
            requested=requested_next,
        )
    )
    # A time agreed goes with the day asked for; held to the cycle, the call is on
    # another day, and the planner never invents a time for it.
    at = next_call_at if requested_next is not None and next_call.on == requested_next else None
    if next_call_at is not None and at is None and next_call.on is not None:
        warnings.append(
            f"The next call is {wording.day(next_call.on, desk.today)}, not the day asked "
            f"for: it has no time set ({clock(next_call_at)} was for "
            f"{wording.day(requested_next, desk.today)})."
        )
    logged = queries.calls.record_call(
        s,
        dm=dm,
        outcome=outcome,
        called_on=called_on,
        summary=summary,
        say=say,
        next_call_on=next_call.on,
        reason=call_reason(dm),
        recruiter=desk.recruiter,
        next_purpose=next_purpose,
        next_call_at=at,
    )
    assert dm.id is not None and logged.call.id is not None
    note = queries.calls.add_note(
        s,
        dm_id=dm.id,
        on=called_on,
        fields=note_fields,
        call_id=logged.call.id,
        recruiter=desk.recruiter,
    )
    queries.calls.add_call_hooks(s, call_id=logged.call.id, hooks=hooks)
    people = list(referrals)
    if successor:  # the successor takes the same seat at the same company
        people.insert(0, Referral(successor, title=dm.title, company=dm.company))
    referred = []
    if people:  # only then: erasures to honour, and the modules that know them
        region = region_of(desk.settings.country)
    for r in people:
        company = r.company or dm.company
        if privacy.suppressed_person(
            s, region=region, name=r.name, company=company, email=None, phone=r.phone
        ):
            warnings.append(f"{r.name} was erased at their request: not added.")
            continue
        twin = queries.dms.same_person(s, name=r.name, company=company)
        if twin is not None:
            warnings.append(
                f"{queries.dms.describe(twin)} is already in your contacts: not added again."
            )
            continue
        added = queries.dms.add_dm(
            s,
            name=r.name,
            title=r.title,
            company=company,
            phone=r.phone,
            referred_by=dm,
            owner=desk.recruiter,
        )
        assert added.id is not None
        s.add(CallReferral(call_id=logged.call.id, dm_id=added.id))
        referred.append(added)
    if referred:  # the names close a promised introduction (core.loops)
        queries.loops.rederive(s, dm_ids=[dm.id])
    calls_changed(s, desk, dm_ids=[dm.id])  # a chase of a job's client (core.delivery)
    if not logged.latest:
        warnings.append(
            "A later call is already logged, so this one doesn't change the next call date."
        )
    return LogResult(logged, next_call, referred, note, warnings)


# --- moving a due date ----------------------------------------------------------------


def move_due(
    s: Session,
    desk: Desk,
    *,
    dm: DecisionMaker,
    requested: date | None,
    purpose: str | None = None,
    at: time | None = None,
) -> planner.NextCall:
    """Move the DM's next call to ``requested`` (held to the cycle), at the time of day
    ``at`` (none: no set time, so a date alone clears a time set before), with
    ``purpose`` for it; with no date, give the call already diarised ``purpose`` ('' clears
    it). A time is kept only on the day asked for: a date the cycle pulls in has none."""
    if dm.status != Status.ACTIVE:
        raise UsageError(f"{dm.name} is {dm.status}; restore them first (callplan dm restore).")
    if requested is None:
        if dm.next_call_on is None:
            raise UsageError(
                f"{dm.name} has no next call diarised: give it a date with --due DATE."
            )
        dm.due_purpose = purpose or None
        s.add(dm)
        return planner.NextCall(dm.next_call_on)
    result = planner.move_due(
        requested,
        desk.today,
        dm.last_conversation_on,
        desk.settings.for_dm(dm.tier, dm.cycle_days),
        desk.calendar,
    )
    dm.next_call_on = result.on
    dm.next_call_at = at if result.on == requested else None
    dm.due_reason = REASON_MANUAL
    if purpose is not None:
        dm.due_purpose = purpose or None
    s.add(dm)
    return result
