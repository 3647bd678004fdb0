"""Today's progress line: new DMs today and this week, the streak, how many are overdue.

Kept apart from the statistics report so that `callplan today` loads only this: two
small indexed queries and a walk over working days. ``stats`` builds on the same pieces.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from callplan.core.goals import Goal
from callplan.core.kinds import Status
from callplan.core.outcomes import Kind
from callplan.core.workdays import WorkCalendar
from callplan.store.models import Call, DayGoal, DecisionMaker
from callplan.store.queries.common import Cycles, logged, unindexed, untyped_select


@dataclass(frozen=True)
class Streaks:
    current: tuple[date, ...]  # the working days of the current streak, oldest first
    best: tuple[date, ...]  # the longest run (the latest of equal ones)


def streaks(
    counts: Mapping[date, int], *, today: date, quota: int, calendar: WorkCalendar
) -> Streaks:
    """Runs of consecutive working days with at least ``quota`` first conversations.

    The current streak counts back from ``today``: today counts if already on quota,
    otherwise the count starts from the previous working day (the day isn't over).
    Non-working days (weekends, public holidays) neither count nor break a run.
    """
    if quota <= 0 or not counts:
        return Streaks((), ())
    first = min(counts)
    if first > today:
        return Streaks((), ())
    best: list[date] = []
    run: list[date] = []
    for day in calendar.working_days(first, today + timedelta(days=1)):
        if counts.get(day, 0) >= quota:
            run.append(day)
            if len(run) >= len(best):
                best = list(run)
        elif day != today:
            run = []
    return Streaks(tuple(run), tuple(best))


def first_conversations_by_day(
    s: Session, *, end: date, start: date | None = None, recruiter: str | None = None
) -> dict[date, int]:
    """First-ever conversations logged per day (an import's record of one held before
    callplan is no day's work), up to ``end`` (and from ``start``, if given):
    a range of the partial index ix_call_number_called_on; ``recruiter``'s only, if
    given: a range of ix_call_recruiter_conversations."""
    q = untyped_select(Call.called_on, func.count()).where(
        Call.called_on <= end, Call.conversation_number == 1, logged()
    )
    if start is not None:
        q = q.where(Call.called_on >= start)
    if recruiter is not None:
        q = q.where(Call.recruiter == recruiter)
    return {day: int(n) for day, n in s.exec(q.group_by(Call.called_on)).all()}


_STREAK_SPAN_LIMIT = 366 * 50  # days: no streak is longer than a working life


@dataclass(frozen=True)
class Progress:
    today: int
    quota: int
    week: int
    week_target: int
    streak: int
    overdue: int
    # The day's results: conversations held, and advances by outcome type.
    conversations: int = 0
    advances: dict[str, int] = field(default_factory=dict)
    goal: Goal | None = None  # the day's goal, if the recruiter set one

    @property
    def advanced(self) -> int:
        return sum(self.advances.values())


def results(s: Session, *, on: date, recruiter: str | None = None) -> tuple[int, dict[str, int]]:
    """The conversations logged on ``on`` (``recruiter``'s, if given) and the advances
    among them by outcome type: one range of ix_call_called_on_number, grouped."""
    q = untyped_select(Call.kind, Call.outcome, func.count()).where(
        Call.called_on == on, col(Call.conversation_number).is_not(None), logged()
    )
    if recruiter is not None:
        q = q.where(unindexed(Call.recruiter) == recruiter)
    conversations, advances = 0, {}
    for kind, outcome, n in s.exec(q.group_by(Call.kind, Call.outcome)).all():
        conversations += int(n)
        if kind == Kind.ADVANCE.value:
            advances[outcome] = int(n)
    return conversations, dict(sorted(advances.items(), key=lambda kv: (-kv[1], kv[0])))


def progress(
    s: Session,
    *,
    on: date,
    quota: int,
    cycles: Cycles,
    calendar: WorkCalendar,
    recruiter: str | None = None,
) -> Progress:
    """New DMs today and this week, the streak, and how many are out of cycle: two
    indexed aggregate queries (first conversations by day; active DMs by last talk).
    With a ``recruiter``: the conversations they held, the DMs they own.

    The days read are bounded, however long the history: eight weeks back, and twice as
    far again only while the current streak reaches back to the first day read."""
    monday = on - timedelta(days=on.weekday())
    span = 56
    while True:
        start = min(monday, on - timedelta(days=span))
        counts = first_conversations_by_day(s, start=start, end=on, recruiter=recruiter)
        current = streaks(counts, today=on, quota=quota, calendar=calendar).current
        first_day = next(iter(calendar.working_days(start, on + timedelta(days=1))), None)
        if not current or current[0] != first_day or span > _STREAK_SPAN_LIMIT:
            break
        span *= 2
    week_days = sum(1 for _ in calendar.working_days(monday, monday + timedelta(days=7)))
    late = untyped_select(func.count()).where(
        col(DecisionMaker.status) == Status.ACTIVE,
        cycles.past(col(DecisionMaker.last_conversation_on), on, inclusive=False),
    )
    if recruiter is not None:  # their own: a range of ix_dm_status_owner_last_conversation
        late = late.where(col(DecisionMaker.owner) == recruiter)
    overdue = s.exec(late).scalar_one()
    conversations, advances = results(s, on=on, recruiter=recruiter)
    goal = goal_of(s, day=on, recruiter=recruiter)
    return Progress(
        today=counts.get(on, 0),
        quota=quota if calendar.is_working(on) else 0,
        week=sum(n for d, n in counts.items() if monday <= d <= on),
        week_target=quota * week_days,
        streak=len(current),
        overdue=int(overdue),
        conversations=conversations,
        advances=advances,
        goal=goal,
    )


# --- the day's goal -------------------------------------------------------------------


def _whose(recruiter: str | None) -> sa.ColumnElement[bool]:
    who = col(DayGoal.recruiter)
    return who.is_(None) if recruiter is None else who == recruiter


def goal_of(s: Session, *, day: date, recruiter: str | None) -> Goal | None:
    """``recruiter``'s goal for ``day``, if they set one."""
    row = s.exec(select(DayGoal).where(DayGoal.day == day, _whose(recruiter))).first()
    return Goal(row.text, row.target, row.outcome) if row is not None else None


def set_goal(s: Session, *, day: date, recruiter: str | None, goal: Goal | None) -> None:
    """Set (or with ``goal`` None, clear) ``recruiter``'s goal for ``day``."""
    s.connection().execute(sa.delete(DayGoal).where(col(DayGoal.day) == day, _whose(recruiter)))
    if goal is not None:
        s.add(
            DayGoal(
                day=day,
                recruiter=recruiter,
                text=goal.text,
                target=goal.target,
                outcome=goal.outcome,
            )
        )
    s.flush()


def goals_in(
    s: Session, *, start: date, end: date, recruiter: str | None
) -> list[tuple[date, Goal, dict[str, int]]]:
    """The goals set for the days from ``start`` to ``end``, each with the day's advances
    by outcome type (``recruiter``'s: theirs; None: everyone's goals and calls)."""
    q = select(DayGoal).where(col(DayGoal.day).between(start, end))
    if recruiter is not None:
        q = q.where(DayGoal.recruiter == recruiter)
    goals = list(s.exec(q.order_by(col(DayGoal.day))).all())
    if not goals:
        return []
    calls = untyped_select(Call.called_on, Call.outcome, func.count()).where(
        col(Call.called_on).between(start, end), Call.kind == Kind.ADVANCE.value, logged()
    )
    if recruiter is not None:
        calls = calls.where(Call.recruiter == recruiter)
    by_day: dict[date, dict[str, int]] = {}
    for day, outcome, n in s.exec(calls.group_by(Call.called_on, Call.outcome)).all():
        by_day.setdefault(day, {})[outcome] = int(n)
    return [(g.day, Goal(g.text, g.target, g.outcome), by_day.get(g.day, {})) for g in goals]
