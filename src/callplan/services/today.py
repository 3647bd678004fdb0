"""The diary: today's plan, logging a call, moving a due date and the monthly sweep.

Each function applies the planner's rules to the store through repo's queries, inside
the session it is given (the caller owns the transaction).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from callplan import planner, repo
from callplan.brief import Brief
from callplan.brief import compose as compose_brief
from callplan.config import Settings
from callplan.errors import UsageError
from callplan.hooks import Hook, Match, match, match_json
from callplan.models import Call, DecisionMaker, Note, Status
from callplan.notes import FIELD_NAMES, NOTE_FIELDS, current_picture
from callplan.outcomes import (
    OUTCOMES,
    REASON_CYCLE,
    REASON_MANUAL,
    REASON_NEW,
    REASON_SWEEP,
    Kind,
    Outcome,
    types_of,
)
from callplan.workdays import WorkCalendar

if TYPE_CHECKING:
    from callplan import forecast as ahead

# The note fields that say what a DM needs, read for hook matches.
HOOK_NOTE_FIELDS = ("toughest_role", "plans")

# --- today ----------------------------------------------------------------------------


@dataclass
class DayPlan:
    on: date
    quota: int
    first_conversations: int
    new: list[dict[str, Any]]
    due: list[dict[str, Any]]
    due_total: int
    store_empty: bool

    @property
    def new_remaining(self) -> int:
        return planner.new_quota(self.quota, self.first_conversations)


def contact_fields(dm: DecisionMaker | repo.OutOfCycle) -> dict[str, Any]:
    """Who a DM is and how to reach them: the fields every JSON shape of a DM starts with."""
    return {
        "id": dm.id,
        "name": dm.name,
        "company": dm.company,
        "title": dm.title,
        "phone": dm.phone,
        "email": dm.email,
    }


def dm_json(dm: DecisionMaker) -> dict[str, Any]:
    """Everything a DM's own row holds, as the JSON shapes of one DM show it."""
    return {
        **contact_fields(dm),
        "linkedin": dm.linkedin,
        "status": dm.status,
        "needs_number": dm.needs_number,
        "lawful_basis": dm.lawful_basis,
        "ctps": dm.ctps,
        "referred_by_id": dm.referred_by_id,
        "added_at": dm.created_at,
        "conversations": dm.conversation_count,
        "last_spoke_on": dm.last_conversation_on,
        "last_outcome": dm.last_outcome,
        "attempts_in_row": dm.attempts_in_row,
        "due_on": dm.next_call_on,
        "due_reason": dm.due_reason,
        "owner": dm.owner,
    }


def call_json(call: Call, hooks: Any) -> dict[str, Any]:
    """A call as every JSON shape shows it (``dm show``, ``dm export``): all it holds."""
    return {
        "id": call.id,
        "called_on": call.called_on,
        "kind": call.kind,
        "outcome": call.outcome,
        "summary": call.summary,
        "next_call_on": call.next_call_on,
        "conversation_number": call.conversation_number,
        "reason": call.reason,
        "recruiter": call.recruiter,
        "hooks": hooks,
        "logged_at": call.logged_at,
    }


def note_json(note: Note) -> dict[str, Any]:
    """A note as every JSON shape shows it: its text and every named field."""
    return {
        "id": note.id,
        "noted_on": note.noted_on,
        "call_id": note.call_id,
        "recruiter": note.recruiter,
        "text": note.text,
        **{name: getattr(note, name) for name in FIELD_NAMES},
        "created_at": note.created_at,
    }


def why_now(
    dm: DecisionMaker,
    *,
    on: date,
    settings: Settings,
    referrer: str | None = None,
    as_new: bool = False,
) -> str:
    """How the plan words why a DM is called on ``on``: as a new DM, or as due."""
    if as_new:
        return planner.new_reason(
            referred_by=referrer,
            last_attempt=dm.due_reason,
            attempts=dm.attempts_in_row,
            settings=settings,
            needs_number=dm.needs_number,
        )
    return planner.due_reason(
        reason=dm.due_reason,
        due_on=dm.next_call_on,
        on=on,
        last_conversation_on=dm.last_conversation_on,
        settings=settings,
        attempts_in_row=dm.attempts_in_row,
        needs_number=dm.needs_number,
    )


def _row(
    dm: DecisionMaker, *, reason: str, code: str | None, summary: str | None
) -> dict[str, Any]:
    return {
        **contact_fields(dm),
        "ctps": dm.ctps,
        "reason": reason,
        "reason_code": code,
        "due_on": dm.next_call_on,
        "conversation_number": dm.conversation_count + 1,
        "last_spoke_on": dm.last_conversation_on,
        "last_outcome": dm.last_outcome,
        "last_summary": summary,
        "attempts_in_row": dm.attempts_in_row,
        "owner": dm.owner,
    }


def plan_day(
    s: Session,
    *,
    on: date,
    settings: Settings,
    calendar: WorkCalendar,
    limit: int | None = None,
    recruiter: str | None = None,
    claim: bool = False,
) -> DayPlan:
    """The day's calls: the new DMs still owed to the quota, and everyone due.

    The quota is per working day: on a weekend or a public holiday no new DMs are planned.
    For a ``recruiter``: their own DMs due, and new DMs from their own prospects and the
    unowned pool, never one a colleague claimed for the day; with ``claim`` (in a write
    session) the new DMs picked are claimed for the day.
    """
    quota = settings.new_per_day if calendar.is_working(on) else 0
    done = repo.first_conversations_on(s, on=on, recruiter=recruiter)
    hooks = repo.open_hooks(s)
    wanted = planner.new_quota(quota, done)
    tags = repo.hook_tags(hooks)
    if claim and recruiter is not None:
        new_dms = repo.claim_new(s, on=on, limit=wanted, hook_tags=tags, recruiter=recruiter)
    else:
        new_dms = repo.pick_new(s, on=on, limit=wanted, hook_tags=tags, recruiter=recruiter)
    new_ids = [dm.id for dm in new_dms if dm.id is not None]
    due_dms = repo.due(s, on=on, exclude=new_ids, limit=limit, owner=recruiter)
    total = len(due_dms)
    if limit is not None and total >= limit:
        total = repo.count_due(s, on=on, exclude=new_ids, owner=recruiter)
    ids = new_ids + [dm.id for dm in due_dms if dm.id is not None]
    summaries = repo.last_summaries(s, dm_ids=ids)
    referrers = repo.names_of(s, dm_ids=[dm.referred_by_id for dm in new_dms])
    new_rows = [
        _row(
            dm,
            reason=why_now(
                dm,
                on=on,
                settings=settings,
                referrer=referrers.get(dm.referred_by_id or 0),
                as_new=True,
            ),
            code="new",
            summary=summaries.get(dm.id or 0),
        )
        for dm in new_dms
    ]
    due_rows = [
        _row(
            dm,
            reason=why_now(dm, on=on, settings=settings),
            code=dm.due_reason,
            summary=summaries.get(dm.id or 0),
        )
        for dm in due_dms
    ]
    best = hooks_for_each(s, dms=[*new_dms, *due_dms], open_hooks=hooks, limit=1)
    for dm, row in zip([*new_dms, *due_dms], [*new_rows, *due_rows], strict=True):
        hook = best.get(dm.id or 0)
        row["hook"] = match_json(hook[0]) if hook else None
    empty = not new_rows and not due_rows and repo.count_dms(s) == 0
    return DayPlan(
        on=on,
        quota=quota,
        first_conversations=done,
        new=new_rows,
        due=due_rows,
        due_total=total,
        store_empty=empty,
    )


# --- logging a call -------------------------------------------------------------------


def outcome_from(
    *, advance: str | None, continuation: str | None, no_connect: str | None
) -> Outcome:
    """Exactly one of the three options, with a type valid for its kind."""
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
    key = typed.strip().lower().replace("_", "-").replace(" ", "-")
    outcome = OUTCOMES.get(key)
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
    logged: repo.Logged
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
    *,
    dm: DecisionMaker,
    outcome: Outcome,
    called_on: date,
    summary: str | None,
    requested_next: date | None,
    settings: Settings,
    calendar: WorkCalendar,
    successor: str | None = None,
    referrals: Sequence[Referral] = (),
    note_fields: Mapping[str, str | None] | None = None,
    hooks: Sequence[tuple[str, int]] = (),
    recruiter: str | None = None,
    today: date | None = None,
) -> LogResult:
    """Record a call, its note fields, the hooks used and anyone it referred you to.

    The call and note are ``recruiter``'s; a first conversation with a prospect from the
    pool makes them its owner, and the people it referred are theirs too. A call on a
    colleague's DM, or on a prospect in a colleague's plan ``today``, is recorded with a
    warning (the DM stays theirs; the prospect becomes yours if you spoke)."""
    warnings = []
    if recruiter is not None and dm.owner is not None and dm.owner != recruiter:
        warnings.append(f"{dm.name} is {dm.owner}'s DM: the call is recorded as yours.")
    elif recruiter is not None and dm.owner is None and today is not None and dm.id is not None:
        planned_by = repo.claimed_by(s, dm_id=dm.id, on=today)
        if planned_by is not None and planned_by != recruiter and outcome.kind.is_conversation:
            warnings.append(
                f"{dm.name} was in {planned_by}'s plan today; you spoke first, so they are "
                f"yours now: tell {planned_by}."
            )
        elif planned_by is not None and planned_by != recruiter:
            warnings.append(
                f"{dm.name} is in {planned_by}'s plan today: leave them to {planned_by}."
            )
    if dm.status == Status.DNC:
        warnings.append(f"{dm.name} is marked do-not-call; the call is recorded anyway.")
    if outcome.type == "left-company" and requested_next is not None:
        raise UsageError("--next doesn't apply to left-company: the DM is archived.")
    if successor and outcome.type != "left-company":
        raise UsageError("--successor goes with --no-connect left-company.")
    if not outcome.kind.is_conversation and note_fields and any(note_fields.values()):
        raise UsageError("Note fields go with a conversation; use 'callplan note' for others.")
    if not outcome.kind.is_conversation and hooks:
        raise UsageError("A hook is used in a conversation: --hook doesn't go with --no-connect.")
    next_call = planner.next_call(
        outcome,
        called_on,
        settings,
        calendar,
        last_conversation_on=dm.last_conversation_on,
        requested=requested_next,
    )
    logged = repo.record_call(
        s,
        dm=dm,
        outcome=outcome,
        called_on=called_on,
        summary=summary,
        next_call_on=next_call.on,
        reason=call_reason(dm),
        recruiter=recruiter,
    )
    assert dm.id is not None and logged.call.id is not None
    note = repo.add_note(
        s,
        dm_id=dm.id,
        on=called_on,
        fields=note_fields,
        call_id=logged.call.id,
        recruiter=recruiter,
    )
    repo.add_call_hooks(s, call_id=logged.call.id, hooks=hooks)
    people = list(referrals)
    if successor:  # the successor takes the same seat at the same company
        people.insert(0, Referral(successor, title=dm.title, company=dm.company))
    referred = []
    if people:  # only then: erasures to honour, and the modules that know them
        from callplan import privacy
        from callplan.contacts import region_of

        region = region_of(settings.country)
    for r in people:
        company = r.company or dm.company
        if privacy.suppressed_person(
            s, region=region, name=r.name, company=company, email=None, phone=r.phone
        ):
            warnings.append(f"{r.name} was erased at their request: not added.")
            continue
        twin = repo.same_person(s, name=r.name, company=company)
        if twin is not None:
            warnings.append(f"{repo.describe(twin)} is already in your contacts: not added again.")
            continue
        referred.append(
            repo.add_dm(
                s,
                name=r.name,
                title=r.title,
                company=company,
                phone=r.phone,
                referred_by=dm,
                owner=recruiter,
            )
        )
    if not logged.latest:
        warnings.append(
            "A later call is already logged, so this one doesn't change the next call date."
        )
    return LogResult(logged, next_call, referred, note, warnings)


# --- hooks ----------------------------------------------------------------------------


def hooks_for(
    s: Session,
    *,
    dm: DecisionMaker,
    open_hooks: Sequence[Hook] | None = None,
    limit: int | None = None,
) -> list[Match]:
    """The open jobs and candidates that fit a DM, best first; none for a do-not-call DM."""
    assert dm.id is not None
    return hooks_for_each(s, dms=[dm], open_hooks=open_hooks, limit=limit)[dm.id]


def hooks_for_each(
    s: Session,
    *,
    dms: Sequence[DecisionMaker],
    open_hooks: Sequence[Hook] | None = None,
    limit: int | None = None,
) -> dict[int, list[Match]]:
    """``hooks_for`` for several DMs at once (a day's plan), in three queries in all."""
    found: dict[int, list[Match]] = {dm.id: [] for dm in dms if dm.id is not None}
    hooks = repo.open_hooks(s) if open_hooks is None else open_hooks
    ids = [dm.id for dm in dms if dm.id is not None and dm.status != Status.DNC]
    if not hooks or not ids:
        return found
    notes = repo.hook_notes(s, dm_ids=ids, fields=HOOK_NOTE_FIELDS)
    tags = repo.tags_of(s, dm_ids=ids)
    presented = repo.presented_candidates(s, dm_ids=ids)
    labels = {f.name: f.label.lower() for f in NOTE_FIELDS if f.name in HOOK_NOTE_FIELDS}
    for dm in dms:
        if dm.id not in presented:
            continue
        picture = current_picture(notes[dm.id])
        matches = match(
            hooks,
            dm_tags=tags[dm.id],
            notes={labels[name]: picture[name].value for name in labels if name in picture},
            dm_company=dm.company,
            presented=presented[dm.id],
        )
        found[dm.id] = matches[:limit] if limit else matches
    return found


# --- the call brief -------------------------------------------------------------------


def brief_for(
    s: Session, *, dm: DecisionMaker, today: date, settings: Settings, words: Mapping[str, str]
) -> Brief:
    """Gather what the brief needs for one DM and compose it."""
    assert dm.id is not None
    referrer = repo.names_of(s, dm_ids=[dm.referred_by_id]).get(dm.referred_by_id or 0)
    reason = why_now(
        dm,
        on=max(today, dm.next_call_on or today),
        settings=settings,
        referrer=referrer,
        as_new=not dm.conversation_count,
    )
    last = repo.calls_of(s, dm_id=dm.id, limit=20)
    last_conversation = next((c for c in last if c.conversation_number), None)
    return compose_brief(
        contact={**contact_fields(dm), "ctps": dm.ctps, "status": dm.status},
        conversation_count=dm.conversation_count,
        last_spoke_on=dm.last_conversation_on,
        last_outcome=dm.last_outcome,
        last_summary=last_conversation.summary if last_conversation else None,
        next_call_on=dm.next_call_on,
        referrer=referrer,
        reason=reason,
        picture=current_picture(repo.notes_of(s, dm_id=dm.id)),
        hooks=hooks_for(s, dm=dm, limit=3),
        today=today,
        words=words,
    )


# --- moving a due date ----------------------------------------------------------------


def move_due(
    s: Session,
    *,
    dm: DecisionMaker,
    requested: date,
    today: date,
    settings: Settings,
    calendar: WorkCalendar,
) -> planner.NextCall:
    if dm.status != Status.ACTIVE:
        raise UsageError(f"{dm.name} is {dm.status}; restore them first (callplan dm restore).")
    result = planner.move_due(requested, today, dm.last_conversation_on, settings, calendar)
    dm.next_call_on = result.on
    dm.due_reason = REASON_MANUAL
    s.add(dm)
    return result


# --- archive, do not call, restore ---------------------------------------------------


def set_status(
    s: Session,
    *,
    dm: DecisionMaker,
    status: str,
    today: date,
    settings: Settings,
    calendar: WorkCalendar,
) -> None:
    """Archive, mark do-not-call or restore. The diarised date is kept for a restore; a
    contact coming back with none is due when the cycle says (today if already past)."""
    dm.status = status
    if status == Status.ACTIVE and dm.next_call_on is None and dm.last_conversation_on:
        dm.next_call_on = planner.restored_due(dm.last_conversation_on, today, settings, calendar)
        dm.due_reason = REASON_CYCLE
    s.add(dm)


# --- the monthly sweep ----------------------------------------------------------------


@dataclass
class Sweep:
    on: date
    until: date
    days: list[date]
    load_before: dict[date, int]
    placed: list[tuple[repo.OutOfCycle, date]]
    review: list[DecisionMaker]
    summaries: dict[int, str]  # the last summary of each DM up for review
    hook_review: list[tuple[DecisionMaker, Match]] = field(default_factory=list)
    recruiter: str | None = None  # whose sweep it is (None: the whole desk's)
    unowned: int = 0  # active DMs spoken to with no owner: in nobody's sweep

    def load_after(self) -> dict[date, int]:
        load = {d: self.load_before.get(d, 0) for d in self.days}
        for _, d in self.placed:
            load[d] += 1
        return load


def why_swept(dm: repo.OutOfCycle, *, on: date, settings: Settings) -> str:
    """How the plan will word a swept DM's call on the day the sweep placed it."""
    return planner.due_reason(
        reason=REASON_SWEEP,
        due_on=on,
        on=on,
        last_conversation_on=dm.last_conversation_on,
        settings=settings,
        attempts_in_row=dm.attempts_in_row,
        needs_number=dm.needs_number,
    )


def sweep(
    s: Session,
    *,
    on: date,
    settings: Settings,
    calendar: WorkCalendar,
    write: bool,
    recruiter: str | None = None,
) -> Sweep:
    """Spread every DM out of cycle over the working days to the same day next month.

    For a ``recruiter``: their own DMs, balanced against their own diary; the DMs spoken
    to that nobody owns are counted (no one's sweep places them)."""
    start, until = planner.sweep_window(on)
    days = list(calendar.working_days(start, until))
    cycle = settings.cycle_days
    candidates = repo.out_of_cycle(s, on=on, until=until, cycle_days=cycle, owner=recruiter)
    load = repo.diary_load(s, start=start, until=until, cycle_days=cycle, owner=recruiter)
    if days and days[0] != start and start in load:  # swept on a weekend: late calls wait
        load[days[0]] = load.get(days[0], 0) + load.pop(start)
    placed = planner.spread(candidates, days, load)
    if write:
        repo.diarise(s, placements=[(dm.id, d) for dm, d in placed], reason=REASON_SWEEP)
    review = repo.advances_to_review(s, until=until, owner=recruiter)
    hooks = repo.open_hooks(s)
    fits = repo.hook_matches_to_review(
        s,
        until=until,
        hook_tags=repo.hook_tags(hooks),
        exclude=[dm.id for dm in review if dm.id is not None],
        owner=recruiter,
    )
    best = hooks_for_each(s, dms=fits, open_hooks=hooks, limit=1)
    hook_review = [(dm, best[dm.id][0]) for dm in fits if dm.id is not None and best[dm.id]]
    shown = [dm.id for dm in review] + [dm.id for dm, _ in hook_review]
    summaries = repo.last_summaries(s, dm_ids=[i for i in shown if i is not None])
    unowned = repo.count_unowned_contacts(s) if recruiter is not None else 0
    return Sweep(on, until, days, load, placed, review, summaries, hook_review, recruiter, unowned)


# --- the forecast ---------------------------------------------------------------------


def forecast(
    s: Session,
    *,
    today: date,
    days: int,
    settings: Settings,
    calendar: WorkCalendar,
    recruiter: str | None = None,
) -> ahead.Forecast:
    """The calls on each working day ahead, counted in SQL per day and reason: a
    ``recruiter``'s own DMs and first conversations, if given."""
    from callplan import forecast as ahead

    until = ahead.window_end(today, days)
    diarised: dict[date, int] = {}
    flexible: dict[date, int] = {}
    for on, reason, n in repo.diary_by_day(s, today=today, until=until, owner=recruiter):
        diarised[on] = diarised.get(on, 0) + n
        if reason in ahead.FLEXIBLE_REASONS:
            flexible[on] = flexible.get(on, 0) + n
    undiarised = repo.undiarised_by_last(
        s, today=today, until=until, cycle_days=settings.cycle_days, owner=recruiter
    )
    new_today = None
    if calendar.is_working(today):
        done = repo.first_conversations_on(s, on=today, recruiter=recruiter)
        new_today = planner.new_quota(settings.new_per_day, done)
    return ahead.forecast(
        today=today,
        days=days,
        diarised=diarised,
        undiarised=undiarised,
        settings=settings,
        calendar=calendar,
        new_today=new_today,
        flexible=flexible,
    )


def rebalance(
    s: Session,
    *,
    today: date,
    days: int,
    settings: Settings,
    calendar: WorkCalendar,
    write: bool,
    recruiter: str | None = None,
) -> ahead.Rebalance:
    """Move flexible calls off the days over capacity (written only with ``write``): a
    ``recruiter``'s own, against their own forecast, if given.

    Only the contacts whose call counts on a day over capacity are read."""
    from callplan import forecast as ahead

    before = forecast(
        s, today=today, days=days, settings=settings, calendar=calendar, recruiter=recruiter
    )
    over = before.over_days
    if not over:
        return ahead.Rebalance(before, before)
    first = before.days[0].on
    next_on: list[date] = []
    next_before = None
    for d in over:
        dates, earlier = ahead.source_dates(d.on, first, calendar)
        next_on += dates
        if earlier:
            next_before = first
    over_on = {d.on for d in over}
    floor = today - timedelta(days=settings.cycle_days)
    undiarised = repo.undiarised_by_last(
        s, today=today, until=before.until, cycle_days=settings.cycle_days, owner=recruiter
    )
    last_on = [
        last
        for last in undiarised
        if ahead.counted_on(ahead.catch_up_on(last, today, settings, calendar), first, calendar)
        in over_on
    ]
    rows = repo.flexible_calls(
        s,
        reasons=sorted(ahead.FLEXIBLE_REASONS),
        next_on=next_on,
        next_before=next_before,
        last_on=last_on,
        last_before=floor if floor in last_on else None,
        owner=recruiter,
    )
    calls = [
        ahead.Flexible(
            dm_id,
            ahead.counted_on(
                on if on is not None else ahead.catch_up_on(last, today, settings, calendar),
                first,
                calendar,
            ),
            ahead.cycle_latest(last, settings, calendar),
            diarised=on is not None,
        )
        for dm_id, on, last in rows
    ]
    result = ahead.rebalance(before, calls)
    if write:
        repo.diarise(
            s,
            placements=[(m.dm_id, m.to_on) for m in result.moves],
            reason=REASON_CYCLE,
            keep_reason=True,
        )
    return result
