"""People: editing a DM (`dm edit`), their status (archive, do not call, active), everything
held about them (a subject access request), and the contact file as CSV rows."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, time
from typing import TYPE_CHECKING, Any

from callplan.core import planner, purposes
from callplan.core.desk import Desk
from callplan.core.kinds import Status
from callplan.core.names import name_key
from callplan.core.outcomes import (
    REASON_CYCLE,
)
from callplan.core.phones import region_of
from callplan.core.wording import day, day_at
from callplan.errors import UsageError
from callplan.services import shapes
from callplan.services.calls import move_due
from callplan.services.shapes import call_json, dm_json, loop_json, mention_json, note_json
from callplan.store import privacy, queries, team
from callplan.store.models import Candidate, DecisionMaker
from callplan.store.queries.common import BATCH

if TYPE_CHECKING:
    from sqlmodel import Session


# --- a new prospect -------------------------------------------------------------------


def add_prospect(
    s: Session,
    desk: Desk,
    *,
    name: str,
    fields: Mapping[str, str | None],
    force: bool = False,
    tags: Sequence[str] = (),
    referred_by: DecisionMaker | None = None,
    lawful_basis: str | None = None,
    ctps: bool = False,
    owner: str | None = None,
) -> DecisionMaker:
    """Add a DM as a prospect (`dm add`, `candidate prospect`): refused when the same name
    is at the same company, or when they match someone erased at their request, unless
    ``force`` (which also lifts that erasure's suppression: they asked to be back).
    ``fields``: company, title, phone, email, linkedin."""
    company, phone, email = fields.get("company"), fields.get("phone"), fields.get("email")
    twin = queries.dms.same_person(s, name=name, company=company)
    if twin is not None and not force:
        raise UsageError(
            f"{queries.dms.describe(twin)} is already in your contacts; use --force to add "
            "another with the same name."
        )
    erased = privacy.suppressed_person(
        s, region=region_of(desk.settings.country), name=name, company=company, email=email,
        phone=phone,
    )  # fmt: skip
    if erased and not force:
        raise UsageError(
            f"{name} matches someone erased at their request (callplan dm forget); "
            "use --force only if they have asked to be back in your contacts."
        )
    if erased:
        team.check_lead(
            s,
            action=f"Adding back {name}, erased at their request,",
            command="callplan dm add --force",
        )
    privacy.lift(s, digests=erased)
    return queries.dms.add_dm(
        s,
        name=name,
        company=company,
        title=fields.get("title"),
        phone=phone,
        email=email,
        linkedin=fields.get("linkedin"),
        tags=tags,
        referred_by=referred_by,
        lawful_basis=lawful_basis,
        ctps=ctps,
        owner=owner,
    )


# --- archive, do not call, restore ---------------------------------------------------


def set_status(
    s: Session,
    desk: Desk,
    *,
    dm: DecisionMaker,
    status: str,
) -> None:
    """Archive, mark do-not-call or restore. The diarised date is kept for a restore; a
    contact coming back with none is due when the cycle says (today if already past)."""
    dm.status = status
    if status == Status.ACTIVE and dm.next_call_on is None and dm.last_conversation_on:
        dm.next_call_on = planner.restored_due(
            dm.last_conversation_on,
            desk.today,
            desk.settings.for_dm(dm.tier, dm.cycle_days),
            desk.calendar,
        )
        dm.due_reason = REASON_CYCLE
        dm.next_call_at = None  # the cycle's date: no time of day
    s.add(dm)


# --- `dm edit` -----------------------------------------------------------------------------


@dataclass
class Changes:
    """What `dm edit` was asked to change (None: leave as it is)."""

    name: str | None = None
    fields: dict[str, str | None] = field(default_factory=dict)  # company, title, phone...
    lawful_basis: str | None = None
    ctps: bool | None = None
    referred_by: str | None = None  # a reference to the DM who referred them
    tags: Sequence[str] = ()
    untags: Sequence[str] = ()
    due: date | None = None  # the next call moved to this day (within the cycle)
    purpose: str | None = None  # the next call's purpose ('' clears it)
    cadence: tuple[str | None, int | None] | None = None  # (tier, cycle_days)
    due_at: time | None = None  # the time of day agreed for the next call (with ``due``)
    note: str | None = None


@dataclass
class Edited:
    changed: list[str]  # what changed, in words: "name", "tags", "next call Thu 26 Nov"...
    moved: planner.NextCall | None  # where the next call went, when it was moved
    job_move: str | None = None  # the note recording a DM's move to another company


def job_move(dm: DecisionMaker, fields: dict[str, str | None]) -> str | None:
    """The note a change of company makes for a DM in the base (spoken to at least once):
    'Moved from Acme (Head of Sales) to Bolt Ltd (CTO).', each title when known (the new
    one only when given with the company). None for a prospect, for a company that
    stays the same but for case, accents or spacing, and when either company is empty
    (a company filled in or cleared is not a move)."""
    new = fields.get("company")
    if not new or not dm.company or not dm.conversation_count:
        return None
    if name_key(new) == name_key(dm.company):
        return None
    title = fields.get("title")
    before = dm.company + (f" ({dm.title})" if dm.title else "")
    after = new + (f" ({title})" if title else "")
    return f"Moved from {before} to {after}."


def _not_erased(s: Session, desk: Desk, *, dm: DecisionMaker, changes: Changes) -> None:
    """Refuse an edit that makes a DM someone erased at their request (a name, company,
    email or number of theirs): `dm add --force` is the way back, when they ask."""
    who = ("company", "email", "phone")
    if changes.name is None and not any(f in changes.fields for f in who):
        return
    name = changes.name or dm.name
    now = {f: changes.fields[f] if f in changes.fields else getattr(dm, f) for f in who}
    region = region_of(desk.settings.country)
    if privacy.suppressed_person(s, region=region, name=name, **now):
        raise UsageError(
            f"That would make #{dm.id} {dm.name} someone erased at their request (callplan "
            "dm forget): if they have asked to be back, add them with callplan dm add "
            "--force. Nothing was written."
        )


def edit(s: Session, desk: Desk, *, dm: DecisionMaker, changes: Changes) -> Edited:
    """Apply `dm edit`'s changes to a DM, in the caller's transaction. A note is the
    desk's recruiter's; a new phone number clears 'needs a new number'; a DM in the base
    given another company gets a note of the move (``job_move``), dated today."""
    assert dm.id is not None
    # On a team store, what the server would let through or skip on a colleague's DM: a
    # next call moved by hand (their diary moves by calls), tags taken off.
    by_hand = (changes.due, changes.purpose, changes.cadence)
    if changes.tags or changes.untags or any(x is not None for x in by_hand):
        team.check_details(s, owner=dm.owner, name=dm.name)
    _not_erased(s, desk, dm=dm, changes=changes)
    changed: list[str] = []
    move = job_move(dm, changes.fields)
    if move:
        queries.calls.add_note(s, dm_id=dm.id, on=desk.today, text=move, recruiter=desk.recruiter)
    if changes.name:
        dm.name, dm.name_key = changes.name, name_key(changes.name)
        changed.append("name")
    for name, value in changes.fields.items():
        setattr(dm, name, value)
        changed.append(name)
    if "phone" in changes.fields:
        dm.needs_number = False
    if changes.lawful_basis is not None:
        dm.lawful_basis = changes.lawful_basis
        changed.append(f"lawful basis {changes.lawful_basis}")
    if changes.ctps is not None:
        dm.ctps = changes.ctps
        changed.append("CTPS registered" if changes.ctps else "not CTPS registered")
    if changes.referred_by is not None:
        referrer = queries.dms.find_dm(s, ref=changes.referred_by)
        if referrer.id == dm.id:
            raise UsageError("A decision maker can't refer themselves.")
        dm.referred_by_id = referrer.id
        changed.append("referred by")
    if changes.tags or changes.untags:
        queries.dms.set_tags(s, dm_id=dm.id, add=changes.tags, remove=changes.untags)
        changed.append("tags")
    moved = None
    if changes.cadence is not None:
        changed.append(_recadence(dm, desk, changes.cadence))
        moved = _within_own_cycle(dm, desk)
        if moved is not None and moved.on is not None:
            changed.append(f"next call {day(moved.on, desk.today)}, within their cycle")
    if changes.due is not None or changes.purpose is not None:
        moved = move_due(
            s, desk, dm=dm, requested=changes.due, purpose=changes.purpose, at=changes.due_at
        )
        if changes.due is not None:
            changed.append(f"next call {day_at(moved.on, dm.next_call_at, desk.today)}")
        if changes.purpose is not None:
            changed.append(
                f"purpose {purposes.label(changes.purpose)}" if changes.purpose else "no purpose"
            )
    if changes.note:
        queries.calls.add_note(
            s, dm_id=dm.id, on=desk.today, text=changes.note, recruiter=desk.recruiter
        )
        changed.append("note added")
    if not changed:
        raise UsageError("Nothing to change: give at least one option (see --help).")
    s.add(dm)
    return Edited(changed, moved, move)


def _recadence(dm: DecisionMaker, desk: Desk, cadence: tuple[str | None, int | None]) -> str:
    """Give the DM their own cycle (a tier, or days; neither: cycle_days), in words."""
    dm.tier, dm.cycle_days = cadence
    days = desk.settings.cycle_of(dm.tier, dm.cycle_days)
    if dm.tier is not None:
        return f"tier {dm.tier} ({days}-day cycle)"
    if dm.cycle_days is not None:
        return f"{days}-day cycle"
    return f"the default {days}-day cycle"


def _within_own_cycle(dm: DecisionMaker, desk: Desk) -> planner.NextCall | None:
    """A next call past the end of the DM's new cycle, brought in to its last working day
    (today, if that has passed): the cap every diarised call keeps. None: nothing moved."""
    if dm.next_call_on is None or dm.last_conversation_on is None or dm.status != Status.ACTIVE:
        return None
    own = desk.settings.for_dm(dm.tier, dm.cycle_days)
    latest = planner.restored_due(dm.last_conversation_on, desk.today, own, desk.calendar)
    if dm.next_call_on <= latest:
        return None
    requested = dm.next_call_on
    dm.next_call_on, dm.next_call_at, dm.due_reason = latest, None, REASON_CYCLE
    return planner.NextCall(latest, True, requested, own.cycle_days)


ACCESS_FORMAT = "callplan-subject-access"
ACCESS_VERSION = 1


# --- a subject access request ----------------------------------------------------------


def subject_access(s: Session, desk: Desk, *, dm: DecisionMaker) -> dict[str, Any]:
    """Everything held about one DM (shape in docs/json.md)."""
    assert dm.id is not None
    calls = queries.calls.calls_of(s, dm_id=dm.id)
    call_ids = [c.id for c in calls if c.id is not None]
    hooks = privacy.hooks_on(s, call_ids=call_ids)
    referrer = s.get(DecisionMaker, dm.referred_by_id) if dm.referred_by_id else None
    return {
        "format": ACCESS_FORMAT,
        "version": ACCESS_VERSION,
        "exported_on": desk.today,
        "person": dm_json(dm),
        "tags": queries.dms.tags_of(s, dm_ids=[dm.id])[dm.id],
        "referred_by": {"id": referrer.id, "name": referrer.name} if referrer else None,
        "referred": [{"id": r.id, "name": r.name} for r in queries.dms.referred_by(s, dm_id=dm.id)],
        "calls": [call_json(c, hooks.get(c.id or 0, [])) for c in calls],
        "notes": [note_json(n) for n in queries.calls.notes_of(s, dm_id=dm.id)],
        "loops": [
            {
                **loop_json(x, desk.today),
                "closed_on": x.closed_on,
                "closed_by_call_id": x.closed_by_call_id,
                "closed_by_hand": x.closed_by_hand,
            }
            for x in queries.loops.loops_of(s, dm_id=dm.id)
        ],
        "mentions": [mention_json(m) for m in privacy.mentions(s, dm=dm, region=desk.region)],
        # Delivery (0016): the jobs they gave, the candidates they referred, and the
        # candidate they were before they were made a DM.
        "jobs": [shapes.job_given_json(j) for j in queries.people.jobs_given(s, dm_id=dm.id)],
        "candidates_referred": [
            {"id": c.id, "name": c.name}
            for c in queries.people.candidates_linked(s, column="referred_by_dm_id", dm_id=dm.id)
        ],
        "as_candidate": [
            {"id": c.id, "name": c.name}
            for c in queries.people.candidates_linked(s, column="prospect_dm_id", dm_id=dm.id)
        ],
    }


def candidate_access(s: Session, desk: Desk, *, candidate: Candidate) -> dict[str, Any]:
    """Everything held about one candidate (shape in docs/json.md, ``candidate
    export``): their row, their calls, their submissions with the calls each planned,
    the calls to DMs they were put to as a hook, and where other records name them."""
    assert candidate.id is not None
    referrer = (
        s.get(DecisionMaker, candidate.referred_by_dm_id) if candidate.referred_by_dm_id else None
    )
    prospect = s.get(DecisionMaker, candidate.prospect_dm_id) if candidate.prospect_dm_id else None
    planned = queries.people.planned_calls_of(s, candidate_id=candidate.id)
    return {
        "format": ACCESS_FORMAT,
        "version": ACCESS_VERSION,
        "exported_on": desk.today,
        "candidate": shapes.candidate_person_json(candidate),
        "referred_by": {"id": referrer.id, "name": referrer.name} if referrer else None,
        "as_dm": {"id": prospect.id, "name": prospect.name} if prospect else None,
        "calls": [
            shapes.candidate_call_json(c)
            for c in queries.candidates.calls_of(s, candidate_id=candidate.id)
        ],
        "submissions": [
            shapes.submission_json(sub, job, planned.get(sub.id or 0, []))
            for sub, job in queries.candidates.submissions_of(s, candidate_id=candidate.id)
        ],
        "marketed_on": [
            {"call_id": call_id, "called_on": called_on, "company": company}
            for call_id, called_on, company in queries.people.marketed_on(
                s, candidate_id=candidate.id
            )
        ],
        "mentions": [
            mention_json(m)
            for m in privacy.candidate_mentions(s, candidate=candidate, region=desk.region)
        ],
    }


# --- CSV: one row per DM (`export --format csv`) ---------------------------------------


def csv_rows(s: Session, desk: Desk, *, status: str = "all") -> Iterator[dict[str, Any]]:
    """One row per DM (filtered like ``dm list --status``), in name order, batch by batch.

    A bad status is refused here, before any row is written.
    """
    return _csv_rows(s, queries.dms.dms_query(status=status, on=desk.today))


def _csv_rows(s: Session, query: Any) -> Iterator[dict[str, Any]]:
    for batch in s.exec(query.execution_options(yield_per=BATCH)).partitions():
        ids = [dm.id for dm in batch if dm.id is not None]
        tags = queries.dms.tags_of(s, dm_ids=ids)
        pictures = queries.calls.current_pictures(s, dm_ids=ids)
        for dm in batch:
            assert dm.id is not None
            yield shapes.csv_row(dm, tags[dm.id], pictures.get(dm.id, {}))
