"""The method's rules as pure functions of (data, dates, settings): no I/O, no clock.

- ``next_call``: the date a logged call diarises, by outcome, never later than the cycle.
- ``move_due``: a due date the recruiter sets by hand, held to the same cycle limit.
- ``new_quota``: how many new decision makers are still to be spoken to today.
- ``due_reason`` / ``new_reason``: how the plan words why a call is on the list.
- ``continuations_in_row`` and ``aim_for``: conversations since the last advance, and
  the advance to push for when they go round in circles.
- ``sweep_window`` and ``spread``: the monthly sweep's working days and its even spread.
"""

from __future__ import annotations

import heapq
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import TypeVar

from callplan.core import loops, purposes
from callplan.core.config import Settings
from callplan.core.hooks import CANDIDATE, Hook
from callplan.core.outcomes import (
    EXTRA_REASONS,
    IMPORTED,
    OUTCOMES,
    PRIORITY_CYCLE,
    REASON_CYCLE,
    REASON_MANUAL,
    Kind,
    Outcome,
    priority_of,
)
from callplan.core.workdays import WorkCalendar
from callplan.errors import UsageError

T = TypeVar("T")


@dataclass(frozen=True)
class NextCall:
    """A diarised date, and whether the cycle pulled it in from what was asked for."""

    on: date | None
    capped: bool = False
    requested: date | None = None
    cycle_days: int | None = None  # the cycle that capped it (the DM's own)


def cycle_limit(last_conversation_on: date, cycle_days: int) -> date:
    """The latest date the next conversation may be diarised for."""
    return last_conversation_on + timedelta(days=cycle_days)


def _latest_working_by(limit: date, earliest: date, calendar: WorkCalendar) -> date:
    """The last working day on or before ``limit``, but never before ``earliest``."""
    day = calendar.previous_working(limit)
    return day if day >= earliest else limit


def default_next(
    outcome: Outcome, called_on: date, settings: Settings, calendar: WorkCalendar
) -> date | None:
    """The next call an outcome diarises by default, on a working day."""
    delay = settings.delay(outcome.type)
    if delay.unit == "none":
        return None
    if delay.unit == "cycle":
        limit = cycle_limit(called_on, settings.cycle_days)
        day = _latest_working_by(limit, called_on, calendar)
        # No working day before the limit: the next one after it (a conversation's
        # cycle pulls that back to the limit; a prospect's retry has no cycle yet).
        return day if calendar.is_working(day) else calendar.next_working(limit)
    if delay.unit == "wd":
        return calendar.add_working_days(called_on, delay.amount)
    return calendar.next_working(called_on + timedelta(days=delay.amount))


def next_call(
    outcome: Outcome,
    called_on: date,
    settings: Settings,
    calendar: WorkCalendar,
    *,
    last_conversation_on: date | None = None,
    requested: date | None = None,
) -> NextCall:
    """When to call next after a call with this outcome on ``called_on``.

    A conversation restarts the cycle, so the next call is at most ``cycle_days`` after
    it. An attempt (no connect) doesn't: it keeps the limit of the last conversation,
    except that a DM already past it can always be retried on the next working day.
    ``capped`` says the cycle pulled the date in, from the date asked for or, with
    ``requested`` None, from the outcome's default delay.
    """
    if requested is not None and requested < called_on:
        raise UsageError(
            f"The next call ({requested.isoformat()}) can't be before the call itself "
            f"({called_on.isoformat()})."
        )
    limit: date | None
    if outcome.kind.is_conversation:
        limit = cycle_limit(called_on, settings.cycle_days)
    elif last_conversation_on is not None:
        limit = max(
            cycle_limit(last_conversation_on, settings.cycle_days),
            calendar.next_working(called_on, inclusive=False),
        )
    else:
        limit = None  # a prospect has no cycle yet
    if requested is None:
        proposed = default_next(outcome, called_on, settings, calendar)
        if proposed is None:
            return NextCall(None)
        if limit is not None and proposed > limit:
            return NextCall(
                _latest_working_by(limit, called_on, calendar), True, None, settings.cycle_days
            )
        return NextCall(proposed)
    if limit is not None and requested > limit:
        return NextCall(
            _latest_working_by(limit, called_on, calendar), True, requested, settings.cycle_days
        )
    return NextCall(requested)


def move_due(
    requested: date,
    today: date,
    last_conversation_on: date | None,
    settings: Settings,
    calendar: WorkCalendar,
) -> NextCall:
    """A due date set by hand: pull forward freely, snooze only up to the cycle limit."""
    if requested < today:
        raise UsageError(
            f"{requested.isoformat()} is in the past: a due date must be today or later."
        )
    if last_conversation_on is None:
        return NextCall(requested)
    limit = cycle_limit(last_conversation_on, settings.cycle_days)
    if requested > limit:
        capped = max(_latest_working_by(limit, last_conversation_on, calendar), today)
        if capped == requested:  # already out of cycle: today is as soon as it gets
            return NextCall(requested)
        return NextCall(capped, True, requested, settings.cycle_days)
    return NextCall(requested)


def imported_next(
    last_spoke_on: date | None,
    requested: date | None,
    settings: Settings,
    calendar: WorkCalendar,
) -> tuple[date | None, str | None]:
    """The next call (and its reason) of someone an import brings in with a history: a
    date the file gives, held to the cycle of the last conversation; else the cycle's own
    date, even past (the sweep spreads those out of cycle). A prospect (no conversation)
    is called on the file's date, if any."""
    if last_spoke_on is None:
        return (requested, REASON_MANUAL) if requested is not None else (None, None)
    nxt = next_call(OUTCOMES[IMPORTED], last_spoke_on, settings, calendar, requested=requested)
    return nxt.on, REASON_MANUAL if requested is not None and not nxt.capped else IMPORTED


def restored_due(
    last_conversation_on: date, today: date, settings: Settings, calendar: WorkCalendar
) -> date:
    """A restored contact's next call: the last working day of their cycle, or today if
    the cycle has already run out."""
    limit = cycle_limit(last_conversation_on, settings.cycle_days)
    if limit <= today:
        return today
    return _latest_working_by(limit, today, calendar)


def new_quota(per_day: int, first_conversations_today: int) -> int:
    """New DMs still to speak to today: the quota minus first conversations already held."""
    return max(0, per_day - first_conversations_today)


def continuations_in_row(conversation_count: int, last_numbers: Mapping[str, int]) -> int:
    """Conversations since the last advance: each a continuation, so a run of them.

    ``last_numbers`` gives, by outcome type, the number of the latest conversation with
    that outcome among the DM's advances (and imported conversations, whose outcome is
    unknown: the run starts after them). Conversations are numbered 1, 2, ... in date
    order, and dials that didn't connect have no number, so they neither break the run
    nor extend it.
    """
    since = max(
        (n for outcome, n in last_numbers.items() if _breaks_run(outcome)),
        default=0,
    )
    return max(0, conversation_count - since)


def _breaks_run(outcome: str) -> bool:
    return outcome == IMPORTED or (outcome in OUTCOMES and OUTCOMES[outcome].kind is Kind.ADVANCE)


# The advances to aim for, in the words the plan gives them.
AIM_CANDIDATE = "candidate"  # offer a matching candidate: CVs to review
AIM_MEETING = "meeting"  # ask for a meeting
AIM_JOB_ORDER = "job_order"  # ask for the job order: a live requirement
# Advances that show the DM already works with you: what's left to ask is the job.
_PAST_A_MEETING = frozenset(
    {"meeting", "cv-review", "live-requirement", "future-requirement", "next-position", "terms"}
)


@dataclass(frozen=True)
class Aim:
    """The advance to push for after too many continuations: ``kind`` is one of the
    AIM_ constants; ``hook`` the candidate to offer."""

    kind: str
    hook: Hook | None = None

    @property
    def action(self) -> str:
        if self.hook is not None:
            return f"offer {self.hook.title} [{self.hook.ref}]"
        return "ask for a meeting" if self.kind == AIM_MEETING else "ask for the job order"


def aim_for(*, advances: Collection[str], best_hook: Hook | None) -> Aim:
    """The advance to aim for, by what the DM's record shows.

    A matching candidate (the best hook, when it is one) is the first thing to offer:
    an agreement to look at a CV is an advance. Otherwise a DM who has never met you
    or taken CVs (whatever their notes say they need) is asked for a meeting; one who
    has (a meeting, CVs, a requirement, terms) is asked for the job order.
    """
    if best_hook is not None and best_hook.kind == CANDIDATE:
        return Aim(AIM_CANDIDATE, best_hook)
    if _PAST_A_MEETING & set(advances):
        return Aim(AIM_JOB_ORDER)
    return Aim(AIM_MEETING)


def push_text(continuations: int, aim: Aim) -> str:
    """The plan's line when the continuations run reaches the warning."""
    return f"{continuations} continuations in a row: aim for an advance, {aim.action}"


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def time_order(due_on: date | None, at: time | None, on: date) -> tuple[int, time]:
    """Where a due call sits in the day's list: one agreed for a time on ``on`` first, by
    that time (the recruiter wants the 9:30 callback at 9:30); then the rest, in the
    order that follows (priority). A time agreed for a day already past orders nothing."""
    return (0, at) if at is not None and due_on == on else (1, time.min)


def due_reason(
    *,
    reason: str | None,
    due_on: date | None,
    on: date,
    last_conversation_on: date | None,
    settings: Settings,
    attempts_in_row: int = 0,
    needs_number: bool = False,
    continuations: int = 0,
    aim: Aim | None = None,
    purpose: str | None = None,
    at: time | None = None,
    loop: tuple[str, date, int] | None = None,
    today: date | None = None,
) -> str:
    """Why a DM is on the day's list, in the words the recruiter reads: the time of day
    agreed for the call when it is for ``on`` ("at 15:00: "), the purpose chosen for it
    when there is one, then why it is due. ``loop``: their oldest open loop (kind, opened
    on, chases), told with its age as of ``today`` (default ``on``; a brief read before
    the day of the call tells it as of the day read): "chase CV feedback — CVs sent 12
    days ago, 2 chases". From ``continuations_warning`` continuations in a row on (see
    ``continuations_in_row``), ``aim`` is added: the advance to push for."""
    if reason in OUTCOMES:
        base = OUTCOMES[reason].reason
    elif reason in EXTRA_REASONS:
        base = EXTRA_REASONS[reason][0]
    else:
        base = EXTRA_REASONS[REASON_CYCLE][0]
    parts = [base]
    if due_on is not None and due_on < on and priority_of(reason) < PRIORITY_CYCLE:
        parts[0] += f", {_days((on - due_on).days)} late"
    if purpose:
        parts[0] = f"{purposes.label(purpose)} ({parts[0]})"
    if last_conversation_on is not None:
        gap = (on - last_conversation_on).days
        if gap >= settings.cycle_days:
            over = gap - settings.cycle_days
            cycle = f"{settings.cycle_days}-day cycle: " + (
                "due today" if over == 0 else f"{_days(over)} overdue"
            )
            if priority_of(reason) >= PRIORITY_CYCLE:
                parts = [cycle]
            else:
                parts.append(cycle)
    if loop is not None and loop[0] in loops.KINDS:
        kind, opened_on, chases = loop
        told = loops.describe(kind, opened_on=opened_on, chases=chases, today=today or on)
        if kind == reason and base in parts[0]:
            parts[0] += f" — {told}"
        else:
            parts.insert(1, f"{loops.chase(kind)} — {told}")
    if at is not None and due_on == on:
        parts[0] = f"at {at:%H:%M}: {parts[0]}"
    if needs_number:
        parts.append("needs a new number")
    if attempts_in_row >= settings.attempts_warning:
        parts.append(f"{attempts_in_row} tries without a conversation: try another route")
    if aim is not None and continuations >= settings.continuations_warning:
        parts.append(push_text(continuations, aim))
    return "; ".join(parts)


def new_reason(
    *,
    referred_by: str | None,
    last_attempt: str | None,
    attempts: int,
    settings: Settings,
    needs_number: bool = False,
) -> str:
    """Why a prospect is among today's new DMs."""
    parts = ["new DM"]
    if referred_by:
        parts[0] += f", referred by {referred_by}"
    if last_attempt in OUTCOMES and attempts:
        parts.append(OUTCOMES[last_attempt].reason)
    if needs_number:
        parts.append("needs a new number")
    if attempts >= settings.attempts_warning:
        parts.append(f"{attempts} tries without a conversation: try another route")
    return "; ".join(parts)


def sweep_day(on: date, day: int | None, calendar: WorkCalendar) -> date:
    """The sweep day of ``on``'s month: its first working day (``day`` None), or day
    ``day`` of it, moved on to the next working day when that isn't one."""
    return calendar.next_working(on.replace(day=day or 1), inclusive=True)


def sweep_pending(
    on: date, day: int | None, calendar: WorkCalendar, last_swept_on: date | None
) -> bool:
    """Whether ``on`` is on or after its month's sweep day with no sweep run that month
    (a sweep run earlier in the month counts: the month is swept)."""
    month = on.replace(day=1)
    due = sweep_day(on, day, calendar)
    return due.month == on.month and on >= due and (last_swept_on is None or last_swept_on < month)


def sweep_window(on: date) -> tuple[date, date]:
    """From the sweep date up to (not including) the same day next month."""
    from dateutil.relativedelta import relativedelta

    return on, on + relativedelta(months=1)


def spread(
    items: Sequence[T], days: Sequence[date], load: Mapping[date, int] | None = None
) -> list[tuple[T, date]]:
    """Give each item, in order, the least-loaded day (ties to the earlier day).

    ``load`` counts calls already diarised on each day. On an empty diary the busiest
    and quietest days end up at most one call apart.
    """
    if not days:
        if items:
            raise UsageError("There are no working days in the sweep window.")
        return []
    load = load or {}
    heap = [(load.get(d, 0), d) for d in sorted(set(days))]
    heapq.heapify(heap)
    placed: list[tuple[T, date]] = []
    for item in items:
        count, day = heapq.heappop(heap)
        placed.append((item, day))
        heapq.heappush(heap, (count + 1, day))
    return placed
