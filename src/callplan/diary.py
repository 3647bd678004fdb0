"""The diary: today's plan, logging a call, moving a due date and the monthly sweep.

Each function applies the planner's rules to the store through repo's queries, inside
the session it is given (the caller owns the transaction).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session

from callplan import planner, repo
from callplan.config import Settings
from callplan.errors import UsageError
from callplan.models import DecisionMaker, Status
from callplan.outcomes import (
    OUTCOMES,
    REASON_CYCLE,
    REASON_MANUAL,
    REASON_SWEEP,
    Kind,
    Outcome,
    types_of,
)
from callplan.workdays import WorkCalendar

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


def contact_fields(dm: DecisionMaker) -> dict[str, Any]:
    """Who a DM is and how to reach them: the fields every JSON shape of a DM starts with."""
    return {
        "id": dm.id,
        "name": dm.name,
        "company": dm.company,
        "title": dm.title,
        "phone": dm.phone,
        "email": dm.email,
    }


def _row(
    dm: DecisionMaker, *, reason: str, code: str | None, summary: str | None
) -> dict[str, Any]:
    return {
        **contact_fields(dm),
        "reason": reason,
        "reason_code": code,
        "due_on": dm.next_call_on,
        "conversation_number": dm.conversation_count + 1,
        "last_spoke_on": dm.last_conversation_on,
        "last_outcome": dm.last_outcome,
        "last_summary": summary,
        "attempts_in_row": dm.attempts_in_row,
    }


def plan_day(
    s: Session, *, on: date, settings: Settings, calendar: WorkCalendar, limit: int | None = None
) -> DayPlan:
    """The day's calls: the new DMs still owed to the quota, and everyone due.

    The quota is per working day: on a weekend or a public holiday no new DMs are planned.
    """
    quota = settings.new_per_day if calendar.is_working(on) else 0
    done = repo.first_conversations_on(s, on=on)
    new_dms = repo.pick_new(s, on=on, limit=planner.new_quota(quota, done))
    new_ids = [dm.id for dm in new_dms if dm.id is not None]
    due_dms = repo.due(s, on=on, exclude=new_ids, limit=limit)
    total = len(due_dms)
    if limit is not None and total >= limit:
        total = repo.count_due(s, on=on, exclude=new_ids)
    ids = new_ids + [dm.id for dm in due_dms if dm.id is not None]
    summaries = repo.last_summaries(s, dm_ids=ids)
    referrers = repo.names_of(s, dm_ids=[dm.referred_by_id for dm in new_dms])
    new_rows = [
        _row(
            dm,
            reason=planner.new_reason(
                referred_by=referrers.get(dm.referred_by_id or 0),
                last_attempt=dm.due_reason,
                attempts=dm.attempts_in_row,
                settings=settings,
                needs_number=dm.needs_number,
            ),
            code="new",
            summary=summaries.get(dm.id or 0),
        )
        for dm in new_dms
    ]
    due_rows = [
        _row(
            dm,
            reason=planner.due_reason(
                reason=dm.due_reason,
                due_on=dm.next_call_on,
                on=on,
                last_conversation_on=dm.last_conversation_on,
                settings=settings,
                attempts_in_row=dm.attempts_in_row,
                needs_number=dm.needs_number,
            ),
            code=dm.due_reason,
            summary=summaries.get(dm.id or 0),
        )
        for dm in due_dms
    ]
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


@dataclass
class LogResult:
    logged: repo.Logged
    next_call: planner.NextCall
    successor: DecisionMaker | None = None
    warnings: list[str] = field(default_factory=list)


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
) -> LogResult:
    warnings = []
    if dm.status == Status.DNC:
        warnings.append(f"{dm.name} is marked do-not-call; the call is recorded anyway.")
    if outcome.type == "left-company" and requested_next is not None:
        raise UsageError("--next doesn't apply to left-company: the DM is archived.")
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
    )
    new_dm = None
    if successor:
        if outcome.type != "left-company":
            raise UsageError("--successor goes with --no-connect left-company.")
        new_dm = repo.add_dm(s, name=successor, company=dm.company, title=dm.title, referred_by=dm)
    if not logged.latest:
        warnings.append(
            "A later call is already logged, so this one doesn't change the next call date."
        )
    return LogResult(logged, next_call, new_dm, warnings)


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
    placed: list[tuple[DecisionMaker, date]]
    review: list[DecisionMaker]
    summaries: dict[int, str]

    def load_after(self) -> dict[date, int]:
        load = {d: self.load_before.get(d, 0) for d in self.days}
        for _, d in self.placed:
            load[d] += 1
        return load


def sweep(
    s: Session, *, on: date, settings: Settings, calendar: WorkCalendar, write: bool
) -> Sweep:
    """Spread every DM out of cycle over the working days to the same day next month."""
    start, until = planner.sweep_window(on)
    days = list(calendar.working_days(start, until))
    candidates = repo.out_of_cycle(s, on=on, until=until, cycle_days=settings.cycle_days)
    load = repo.diary_load(s, start=start, until=until, cycle_days=settings.cycle_days)
    if days and days[0] != start and start in load:  # swept on a weekend: late calls wait
        load[days[0]] = load.get(days[0], 0) + load.pop(start)
    placed = planner.spread(candidates, days, load)
    if write:
        repo.diarise(
            s,
            placements=[(dm.id, d) for dm, d in placed if dm.id is not None],
            reason=REASON_SWEEP,
        )
    review = repo.advances_to_review(s, until=until)
    summaries = repo.last_summaries(s, dm_ids=[dm.id for dm in review if dm.id is not None])
    return Sweep(on, until, days, load, placed, review, summaries)
