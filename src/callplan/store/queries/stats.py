"""Your numbers: the method's figures over a period, from the calls in the store.

Counting happens in SQL (GROUP BY over indexed columns); Python only walks the working
days (streaks, pace) and the handful of aggregated rows. Every query takes the period's
dates; nothing here reads the clock. How each figure is computed is in docs/guide.md
("Your numbers"); ``explain`` lists the DMs or calls behind a figure.

Figures as of the period's end (the base, cycle health, the second-call rate) count
calls up to that day; DM status (active, archived, do-not-call) is as it is now.
"""

from __future__ import annotations

import calendar as _calendar
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlmodel import Session, col, func

from callplan.core import loops, purposes
from callplan.core.dates import EARLIEST
from callplan.core.goals import met as goal_met
from callplan.core.kinds import Status
from callplan.core.outcomes import EXTRA_REASONS, IMPORTED, OUTCOMES, REASON_NEW, Kind, types_of
from callplan.core.workdays import WorkCalendar
from callplan.errors import UsageError
from callplan.store.models import (
    Call,
    CallHook,
    Candidate,
    DecisionMaker,
    Erasure,
    Event,
    Job,
)
from callplan.store.queries import loops as loops_q
from callplan.store.queries.common import Cycles, in_chunks, logged
from callplan.store.queries.common import untyped_select as _select
from callplan.store.queries.delivery import Figures as DeliveryFigures
from callplan.store.queries.delivery import figures as delivery_figures
from callplan.store.queries.progress import (
    Streaks,
    first_conversations_by_day,
    goals_in,
    streaks,
)

DEFAULT_DAYS = 30
WEEKS_SHOWN = 12  # the weekly series covers at least this many weeks
FOUR_A_YEAR = 4
YEAR_DAYS = 365
NUMBER_BUCKETS = ("1", "2", "3", "4", "5+")

# --- periods ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    month: str | None = None  # "2026-11" for a month's report

    @property
    def year_start(self) -> date:
        return date(self.end.year, 1, 1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def period(*, today: date, start: date | None, end: date | None) -> Period:
    """``--from``/``--to``: by default the last 30 days up to today."""
    end = end or today
    start = start or end - timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise UsageError(f"--from ({start.isoformat()}) is after --to ({end.isoformat()}).")
    if end > today:
        raise UsageError(f"--to ({end.isoformat()}) is in the future: statistics need calls.")
    return Period(start, end)


def month_period(text: str, *, today: date) -> Period:
    """``--month YYYY-MM``: the whole month, or up to today for the current one."""
    try:
        year, month = (int(x) for x in text.strip().split("-"))
        first = date(year, month, 1)
    except ValueError:
        raise UsageError(f"--month {text!r} is not a month: use YYYY-MM, e.g. 2026-11.") from None
    if first <= EARLIEST:  # and the month before it, for the comparison
        raise UsageError(f"--month {text}: use a month from 1900-02 on.")
    if first > today:
        raise UsageError(f"--month {text}: that month hasn't started yet.")
    last = date(year, month, _calendar.monthrange(year, month)[1])
    return Period(first, min(last, today), month=f"{year:04d}-{month:02d}")


# --- pure: streaks, weeks, pace ----------------------------------------------------------


def weekly(counts: Mapping[date, int], *, start: date, end: date) -> list[tuple[date, int]]:
    """(Monday, total) for each week from the week of ``start`` to the week of ``end``."""
    monday = start - timedelta(days=start.weekday())
    weeks: list[tuple[date, int]] = []
    while monday <= end:
        total = sum(counts.get(monday + timedelta(days=i), 0) for i in range(7))
        weeks.append((monday, total))
        monday += timedelta(days=7)
    return weeks


@dataclass(frozen=True)
class Pace:
    year_to_date: int  # first conversations from 1 January to the day
    expected: int  # quota x working days so far this year
    year_target: int  # quota x working days in the year ("about 500" for 2 a day)
    projected: int | None  # the year at this rate

    @property
    def share(self) -> float | None:
        return ratio(self.year_to_date, self.expected)


def pace(year_to_date: int, *, on: date, quota: int, calendar: WorkCalendar) -> Pace:
    start = date(on.year, 1, 1)
    so_far = sum(1 for _ in calendar.working_days(start, on + timedelta(days=1)))
    in_year = sum(1 for _ in calendar.working_days(start, date(on.year + 1, 1, 1)))
    projected = round(year_to_date * in_year / so_far) if so_far else None
    return Pace(year_to_date, quota * so_far, quota * in_year, projected)


def ratio(part: int | float, whole: int | float) -> float | None:
    """part / whole to 4 places, or None when there is nothing to divide by."""
    return round(part / whole, 4) if whole else None


# --- the report ------------------------------------------------------------------------


@dataclass
class Habit:
    quota: int
    working_days: int
    new_dms: int
    per_working_day: float | None
    days_on_quota: int
    streak: int
    best_streak: int
    best_streak_ended: date | None
    daily: list[dict[str, Any]]  # {"date", "new"} for each working day of the period


@dataclass
class Goals:
    """The day's goals set in the period (`callplan goal`): how many, how many could be
    counted (a number and an advance), and how many of those the day's advances met."""

    set: int
    counted: int
    met: int


def goals_met(s: Session, *, period: Period) -> Goals:
    found = goals_in(s, start=period.start, end=period.end, recruiter=None)
    results = [goal_met(goal, advances) for _, goal, advances in found]
    return Goals(len(found), sum(r is not None for r in results), sum(bool(r) for r in results))


@dataclass
class Base:
    size: int
    added: int
    per_week: float
    weekly: list[dict[str, Any]]  # {"week", "new"}: Monday and first conversations
    year_to_date: int
    expected_to_date: int
    year_target: int
    projected: int | None
    pace: float | None
    erased_on_request: int
    pruned: int


@dataclass
class Cycle:
    cycle_days: int
    active: int
    within: int
    within_share: float | None
    overdue: int
    overdue_days_mean: float | None
    overdue_days_max: int | None
    overdue_by: dict[str, int]
    full_year: int
    four_a_year: int
    four_a_year_share: float | None


@dataclass
class Persistence:
    first_before: date
    first_conversations: int
    second: int
    second_call_rate: float | None
    advances: int
    advances_by_number: dict[str, int]
    fifth_plus_share: float | None
    # Of the "5+" advances, those still on the 5th conversation or later when the chases
    # of an open loop before them aren't counted (core.loops).
    fifth_plus_without_chases: int = 0


@dataclass
class Outcomes:
    calls: int
    conversations: int
    attempts: int
    advances: int
    continuations: int
    advance_rate: float | None
    connect_rate: float | None
    attempts_per_conversation: float | None
    by_type: dict[str, dict[str, int]]  # kind -> outcome type -> calls
    hooks: list[dict[str, Any]]
    advances_with_hook: int
    reasons: list[dict[str, Any]]
    purposes: list[dict[str, Any]]


@dataclass
class Report:
    start: date
    end: date
    year_start: date
    month: str | None
    habit: Habit
    base: Base
    cycle: Cycle
    persistence: Persistence
    outcomes: Outcomes
    goals: Goals = field(default_factory=lambda: Goals(0, 0, 0))
    delivery: DeliveryFigures = field(default_factory=DeliveryFigures)
    previous: dict[str, Any] | None = field(default=None)  # a month's report: last month

    def headline(self) -> dict[str, Any]:
        """The figures a month's report compares with the month before's."""
        return {
            "month": self.month,
            "new_dms": self.habit.new_dms,
            "target": self.habit.quota * self.habit.working_days,
            "advances": self.outcomes.advances,
            "conversations": self.outcomes.conversations,
            "advance_rate": self.outcomes.advance_rate,
            "second_call_rate": self.persistence.second_call_rate,
            "overdue": self.cycle.overdue,
        }


# --- queries -----------------------------------------------------------------------------


_is_conversation = col(Call.conversation_number).is_not(None)


def erasures(s: Session, *, end: date) -> dict[str, int]:
    q = _select(Erasure.reason, func.count()).where(Erasure.erased_on <= end)
    return {reason: int(n) for reason, n in s.exec(q.group_by(Erasure.reason)).all()}


def _last_conversations(end: date) -> Any:
    """Each active DM's last conversation up to ``end``, with their own cadence: (dm_id,
    last_on, tier, cycle_days).

    The DM's row holds their last conversation (kept in step with their calls), so the
    calls are read only for a DM spoken to after ``end``: one seek each on
    ix_call_dm_conversations. Nothing reads every call."""
    dm = DecisionMaker
    up_to_end = (
        _select(func.max(Call.called_on))
        .where(Call.dm_id == dm.id, _is_conversation, Call.called_on <= end)
        .correlate(dm)
        .scalar_subquery()
    )
    last_on = sa.case(
        (col(dm.last_conversation_on) <= end, col(dm.last_conversation_on)), else_=up_to_end
    )
    active = (
        _select(
            col(dm.id).label("dm_id"),
            last_on.label("last_on"),
            col(dm.tier).label("tier"),
            col(dm.cycle_days).label("cycle_days"),
        )
        .where(dm.status == Status.ACTIVE, col(dm.last_conversation_on).is_not(None))
        .subquery("active")
    )
    return _select(active).where(active.c.last_on.is_not(None)).subquery()


class days_between(sa.sql.functions.FunctionElement[int]):
    """Whole days from the date ``earlier`` to the date ``later``, in SQL: julianday()
    on SQLite, date subtraction on PostgreSQL."""

    type = sa.Integer()
    inherit_cache = True
    # (a FunctionElement subclass: SQLAlchemy's documented way to compile per dialect)
    name = "days_between"


@compiles(days_between)
def _days_between(element: days_between, compiler: Any, **kw: Any) -> str:
    later, earlier = list(element.clauses)
    return str(
        compiler.process((func.julianday(later) - func.julianday(earlier)).self_group(), **kw)
    )


@compiles(days_between, "postgresql")
def _days_between_pg(element: days_between, compiler: Any, **kw: Any) -> str:
    later, earlier = list(element.clauses)
    days = sa.cast(later, sa.Date) - sa.cast(earlier, sa.Date)  # an integer on PostgreSQL
    return str(compiler.process(days.self_group(), **kw))


def cycle_health(s: Session, *, end: date, cycles: Cycles) -> Cycle:
    last = _last_conversations(end)
    # Counted per day of last conversation (and cycle) first, so each DM's date is worked
    # out once; each DM is overdue by their own cycle.
    cycle = cycles.days_of(tier=last.c.tier, own=last.c.cycle_days).label("cycle")
    by_day = (
        _select(last.c.last_on, cycle, func.count().label("n"))
        .group_by(last.c.last_on, cycle)
        .subquery()
    )
    n = by_day.c.n
    over = days_between(sa.literal(end, sa.Date), by_day.c.last_on) - by_day.c.cycle
    overdue = over > 0

    def total(value: Any, cond: Any = sa.true()) -> Any:
        return func.coalesce(func.sum(sa.case((cond, value), else_=0)), 0)

    def bucket(lo: int, hi: int | None) -> Any:
        cond = sa.and_(overdue, over >= lo)
        return total(n, cond if hi is None else sa.and_(cond, over <= hi))

    q = _select(
        total(n),
        total(n, ~overdue),
        total(n, overdue),
        total(over * n, overdue),
        func.max(sa.case((overdue, over), else_=None)),
        bucket(1, 7),
        bucket(8, 30),
        bucket(31, None),
    ).select_from(by_day)
    active, within, late, days_over, worst, b1, b2, b3 = s.exec(q).one()
    mean = days_over / late if late else None
    full_year, four = four_a_year(s, end=end, cycles=cycles)
    return Cycle(
        cycle_days=cycles.default,
        active=int(active),
        within=int(within),
        within_share=ratio(int(within), int(active)),
        overdue=int(late),
        overdue_days_mean=round(float(mean), 1) if mean is not None else None,
        overdue_days_max=int(worst) if worst is not None else None,
        overdue_by={"1-7": int(b1), "8-30": int(b2), "31+": int(b3)},
        full_year=full_year,
        four_a_year=four,
        four_a_year_share=ratio(four, full_year),
    )


def _year_counts(end: date, cycles: Cycles) -> Any:
    """Active DMs in the base a full year by ``end`` (their first conversation a year or
    more before it), with their conversations in the last 365 days and their own cycle:
    (dm_id, n, cycle).

    The first conversations come from ix_call_number_called_on; each DM's count in the
    year is a range of ix_call_dm_conversations."""
    year_ago = end - timedelta(days=YEAR_DAYS)
    first = sa.orm.aliased(Call, name="first")
    recent = (
        _select(func.count())
        .where(
            Call.dm_id == first.dm_id,
            _is_conversation,
            Call.called_on > year_ago,
            Call.called_on <= end,
        )
        .correlate(first)
        .scalar_subquery()
    )
    return (
        _select(first.dm_id, recent.label("n"), cycles.days_of().label("cycle"))
        .join(DecisionMaker, col(DecisionMaker.id) == first.dm_id)
        .where(
            first.conversation_number == 1,
            first.called_on <= year_ago,
            DecisionMaker.status == Status.ACTIVE,
        )
        .subquery()
    )


def on_pace(year: Any, cycles: Cycles) -> Any:
    """SQL: a DM of ``_year_counts`` spoken to as often as their cycle asks in the year:
    four times on cycle_days (the method's four a year), and as many times more as their
    own cycle is shorter (a 14-day tier on a 90-day desk: 26)."""
    return year.c.n * year.c.cycle >= FOUR_A_YEAR * cycles.default


def four_a_year(s: Session, *, end: date, cycles: Cycles) -> tuple[int, int]:
    year = _year_counts(end, cycles)
    q = _select(
        func.count(), func.coalesce(func.sum(sa.case((on_pace(year, cycles), 1), else_=0)), 0)
    ).select_from(year)
    total, four = s.exec(q).one()
    return int(total), int(four)


def _second_calls(end: date, cycle_days: int) -> Any:
    """First conversations more than a cycle before ``end``, each with any second."""
    first = sa.orm.aliased(Call, name="first")
    second = sa.orm.aliased(Call, name="second")
    cutoff = end - timedelta(days=cycle_days)
    return (
        _select(first.dm_id, first.called_on, second.called_on.label("second_on"))  # type: ignore[attr-defined]
        .outerjoin(
            second,
            sa.and_(
                col(second.dm_id) == first.dm_id,
                col(second.conversation_number) == 2,
                col(second.called_on) <= end,
            ),
        )
        .where(
            first.conversation_number == 1,
            first.called_on < cutoff,
            col(first.outcome) != IMPORTED,  # a DM known before callplan isn't a new one
        )
    )


@dataclass(frozen=True)
class PeriodCalls:
    """The period's calls counted by kind, outcome, reason, conversation number (5 for
    the 5th and later; None for an attempt) and whether a hook was used on them."""

    kind: str
    outcome: str
    reason: str | None
    number: int | None
    hooked: bool
    calls: int


def period_calls(s: Session, *, period: Period) -> list[PeriodCalls]:
    """One pass over the period's range of ix_call_called_on_number, grouped in SQL: the
    figures of ``persistence`` and ``outcomes`` add up these few rows."""
    number = sa.case((col(Call.conversation_number) >= 5, 5), else_=Call.conversation_number)
    hooked = sa.exists().where(col(CallHook.call_id) == Call.id)
    each = (  # the hook looked up once a call (grouping by the expression would twice)
        _select(Call.kind, Call.outcome, Call.reason, number.label("n"), hooked.label("hooked"))
        .where(_in(period))
        .subquery()
    )
    keys = (each.c.kind, each.c.outcome, each.c.reason, each.c.n, each.c.hooked)
    q = _select(*keys, func.count()).group_by(*keys)
    return [
        PeriodCalls(kind, outcome, reason, n, bool(h), int(c))
        for kind, outcome, reason, n, h, c in s.exec(q).all()
    ]


def persistence(
    s: Session, *, period: Period, cycle_days: int, calls: Sequence[PeriodCalls] | None = None
) -> Persistence:
    pairs = _second_calls(period.end, cycle_days).subquery()
    total, second = s.exec(_select(func.count(), func.count(pairs.c.second_on))).one()
    by_number = dict.fromkeys(NUMBER_BUCKETS, 0)
    for row in period_calls(s, period=period) if calls is None else calls:
        if row.kind == Kind.ADVANCE.value and row.number is not None:
            by_number[NUMBER_BUCKETS[min(row.number, 5) - 1]] += row.calls
    advances = sum(by_number.values())
    return Persistence(
        first_before=period.end - timedelta(days=cycle_days),
        first_conversations=int(total),
        second=int(second),
        second_call_rate=ratio(int(second), int(total)),
        advances=advances,
        advances_by_number=by_number,
        fifth_plus_share=ratio(by_number["5+"], advances),
        fifth_plus_without_chases=_fifth_plus_without_chases(s, period=period)
        if by_number["5+"]
        else 0,
    )


def _fifth_plus_without_chases(s: Session, *, period: Period) -> int:
    """The period's advances on the 5th conversation or later with their DM when the
    conversations that chased an open loop before them aren't counted: those advances
    (ix_call_called_on_number), then their DMs' calls and loops closed by hand."""
    late = s.exec(
        _select(Call.id, Call.dm_id, Call.conversation_number).where(
            _in(period), Call.kind == Kind.ADVANCE.value, col(Call.conversation_number) >= 5
        )
    ).all()
    numbers = {int(call_id): int(number) for call_id, _, number in late}
    count = 0
    for chunk in in_chunks(sorted({int(dm_id) for _, dm_id, _ in late})):
        for history in loops_q.histories(s, dm_ids=chunk).values():
            chases = loops.chases_among(
                history.steps, closed_by_hand=history.closed_by_hand, promised=history.promised
            )
            before = 0
            for step in history.steps:
                if step.call_id in numbers and numbers[step.call_id] - before >= 5:
                    count += 1
                before += step.call_id in chases
    return count


def _in(period: Period) -> Any:
    """The calls logged in the period (an imported conversation was nobody's work then)."""
    return sa.and_(Call.called_on.between(period.start, period.end), logged())  # type: ignore[attr-defined]


def reason_label(code: str | None) -> str:
    if code is None:
        return "not recorded"
    if code == REASON_NEW:
        return "new DM"
    if code in OUTCOMES:
        return OUTCOMES[code].reason
    if code in EXTRA_REASONS:
        return EXTRA_REASONS[code][0]
    return code


def outcomes(s: Session, *, period: Period, calls: Sequence[PeriodCalls] | None = None) -> Outcomes:
    rows = period_calls(s, period=period) if calls is None else calls
    by_type: dict[str, dict[str, int]] = {k.value: dict.fromkeys(types_of(k), 0) for k in Kind}
    with_hook = 0
    by_reason: dict[str | None, list[int]] = {}  # reason -> [conversations, advances]
    for row in rows:
        kinds = by_type.setdefault(row.kind, {})
        kinds[row.outcome] = kinds.get(row.outcome, 0) + row.calls
        advance = row.kind == Kind.ADVANCE.value
        if advance and row.hooked:
            with_hook += row.calls
        if row.number is not None:  # a conversation
            counts = by_reason.setdefault(row.reason, [0, 0])
            counts[0] += row.calls
            counts[1] += row.calls if advance else 0
    advances = sum(by_type[Kind.ADVANCE.value].values())
    continuations = sum(by_type[Kind.CONTINUATION.value].values())
    attempts = sum(by_type[Kind.NO_CONNECT.value].values())
    conversations = advances + continuations
    is_advance = sa.case((col(Call.kind) == Kind.ADVANCE.value, 1), else_=0)
    hook_q = (
        _select(
            CallHook.job_id,
            CallHook.candidate_id,
            CallHook.event_id,
            func.coalesce(Job.title, Candidate.name, Event.title),
            func.count(sa.distinct(col(Call.id))),
            func.sum(is_advance),
        )
        .join(Call, col(Call.id) == CallHook.call_id)
        .outerjoin(Job, col(Job.id) == CallHook.job_id)
        .outerjoin(Candidate, col(Candidate.id) == CallHook.candidate_id)
        .outerjoin(Event, col(Event.id) == CallHook.event_id)
        .where(_in(period), _is_conversation)
        .group_by(
            CallHook.job_id,
            CallHook.candidate_id,
            CallHook.event_id,
            Job.title,
            Candidate.name,
            Event.title,
        )
    )
    hooks = [
        {
            "hook": (
                f"job:{job}"
                if job is not None
                else f"candidate:{cand}"
                if cand is not None
                else f"event:{event}"
            ),
            "title": title,
            "conversations": int(convs),
            "advances": int(adv or 0),
        }
        for job, cand, event, title, convs, adv in s.exec(hook_q).all()
    ]
    hooks.sort(key=lambda h: (-int(h["advances"]), -int(h["conversations"]), str(h["hook"])))
    reasons: list[dict[str, Any]] = [
        {
            "reason": code,
            "label": reason_label(code),
            "conversations": by_reason[code][0],
            "advances": by_reason[code][1],
        }
        for code in sorted(by_reason, key=lambda c: (c is not None, c or ""))  # as SQL sorts
    ]
    reasons.sort(key=lambda r: (-r["advances"], -r["conversations"], r["label"]))
    purpose_q = (
        _select(Call.purpose, func.count(), func.sum(is_advance))
        .where(_in(period), _is_conversation, col(Call.purpose).is_not(None))
        .group_by(Call.purpose)
    )
    by_purpose = [
        {
            "purpose": purpose,
            "label": purposes.label(purpose),
            "conversations": int(convs),
            "advances": int(adv or 0),
        }
        for purpose, convs, adv in s.exec(purpose_q).all()
    ]
    by_purpose.sort(key=lambda r: (-r["advances"], -r["conversations"], r["label"]))
    return Outcomes(
        calls=conversations + attempts,
        conversations=conversations,
        attempts=attempts,
        advances=advances,
        continuations=continuations,
        advance_rate=ratio(advances, conversations),
        connect_rate=ratio(conversations, conversations + attempts),
        attempts_per_conversation=ratio(attempts, conversations),
        by_type=by_type,
        hooks=hooks,
        advances_with_hook=int(with_hook),
        reasons=reasons,
        purposes=by_purpose,
    )


def habit_and_base(
    s: Session, *, period: Period, quota: int, calendar: WorkCalendar, today: date
) -> tuple[Habit, Base, Streaks]:
    counts = first_conversations_by_day(s, end=period.end)
    days = list(calendar.working_days(period.start, period.end + timedelta(days=1)))
    added = sum(n for d, n in counts.items() if period.start <= d <= period.end)
    found = streaks(counts, today=min(today, period.end), quota=quota, calendar=calendar)
    weeks_from = min(period.start, period.end - timedelta(weeks=WEEKS_SHOWN - 1))
    ytd = sum(n for d, n in counts.items() if d >= period.year_start)
    p = pace(ytd, on=period.end, quota=quota, calendar=calendar)
    gone = erasures(s, end=period.end)
    habit = Habit(
        quota=quota,
        working_days=len(days),
        new_dms=added,
        per_working_day=round(added / len(days), 2) if days else None,
        days_on_quota=sum(1 for d in days if quota and counts.get(d, 0) >= quota),
        streak=len(found.current),
        best_streak=len(found.best),
        best_streak_ended=found.best[-1] if found.best else None,
        daily=[{"date": d, "new": counts.get(d, 0)} for d in days],
    )
    base = Base(
        size=sum(counts.values()) + imported_firsts(s, end=period.end),
        added=added,
        per_week=round(added * 7 / period.days, 1),
        weekly=[{"week": w, "new": n} for w, n in weekly(counts, start=weeks_from, end=period.end)],
        year_to_date=ytd,
        expected_to_date=p.expected,
        year_target=p.year_target,
        projected=p.projected,
        pace=p.share,
        erased_on_request=gone.get("request", 0),
        pruned=gone.get("retention", 0),
    )
    return habit, base, found


def imported_firsts(s: Session, *, end: date) -> int:
    """DMs whose first conversation is one an import recorded, held by ``end``: in the
    contact base, though no day's new DMs."""
    q = _select(func.count()).where(
        Call.conversation_number == 1, Call.called_on <= end, Call.outcome == IMPORTED
    )
    return int(s.exec(q).scalar_one())


def report(
    s: Session,
    *,
    period: Period,
    quota: int,
    cycles: Cycles,
    calendar: WorkCalendar,
    today: date,
) -> Report:
    habit, base, _ = habit_and_base(s, period=period, quota=quota, calendar=calendar, today=today)
    calls = period_calls(s, period=period)
    return Report(
        start=period.start,
        end=period.end,
        year_start=period.year_start,
        month=period.month,
        habit=habit,
        base=base,
        cycle=cycle_health(s, end=period.end, cycles=cycles),
        persistence=persistence(s, period=period, cycle_days=cycles.default, calls=calls),
        outcomes=outcomes(s, period=period, calls=calls),
        goals=goals_met(s, period=period),
        delivery=delivery_figures(s, start=period.start, end=period.end),
    )


def overdue_at(s: Session, *, end: date, cycles: Cycles) -> int:
    """Active DMs out of cycle at ``end``: cycle health's overdue count alone."""
    last = _last_conversations(end)
    late = cycles.past(
        last.c.last_on, end, inclusive=False, tier=last.c.tier, own=last.c.cycle_days
    )
    q = _select(func.count()).select_from(last).where(late)
    return int(s.exec(q).scalar_one())


def headline(
    s: Session, *, period: Period, quota: int, cycles: Cycles, calendar: WorkCalendar
) -> dict[str, Any]:
    """A month's headline figures, as ``report(...).headline()`` gives them, without the
    rest of the report: the month before, shown beside a month's report."""
    counts = first_conversations_by_day(s, start=period.start, end=period.end)
    days = sum(1 for _ in calendar.working_days(period.start, period.end + timedelta(days=1)))
    calls = period_calls(s, period=period)
    done = outcomes(s, period=period, calls=calls)
    return {
        "month": period.month,
        "new_dms": sum(counts.values()),
        "target": quota * days,
        "advances": done.advances,
        "conversations": done.conversations,
        "advance_rate": done.advance_rate,
        "second_call_rate": persistence(
            s, period=period, cycle_days=cycles.default, calls=calls
        ).second_call_rate,
        "overdue": overdue_at(s, end=period.end, cycles=cycles),
    }


# --- explain: the DMs and calls behind a figure ------------------------------------------
#
# FIGURES is the table of every figure --explain knows: for each name, what its rows are,
# the query that finds them and the detail text of a row. Each query gives the columns of
# the documented row by name (id, name, company, date) and whatever its detail reads.


@dataclass(frozen=True)
class Explained:
    figure: str
    description: str
    rows: list[dict[str, Any]]


@dataclass(frozen=True)
class Scope:
    """What a figure is counted over: the period and the desk's settings."""

    period: Period
    quota: int
    cycles: Cycles
    calendar: WorkCalendar
    today: date

    @property
    def cycle_days(self) -> int:
        return self.cycles.default


@dataclass(frozen=True)
class Figure:
    """One figure of ``stats --explain``: what its rows are (``description``), the query
    that lists them, and the detail text of each row."""

    description: str
    query: Callable[[Session, Scope], Any]
    detail: Callable[[sa.Row[Any], Scope], str]


_dm_cols: tuple[Any, ...] = (
    col(DecisionMaker.id).label("id"),
    col(DecisionMaker.name).label("name"),
    col(DecisionMaker.company).label("company"),
)
_is_first = Call.conversation_number == 1
_is_advance = Call.kind == Kind.ADVANCE.value


def _calls(*where: Any) -> Any:
    """The calls that match, oldest first, each with its DM."""
    return (
        _select(
            *_dm_cols,
            col(Call.called_on).label("date"),
            col(Call.outcome).label("outcome"),
            col(Call.conversation_number).label("number"),
            col(Call.reason).label("reason"),
            col(Call.purpose).label("purpose"),
        )
        .join(DecisionMaker, col(DecisionMaker.id) == Call.dm_id)
        .where(*where)
        .order_by(col(Call.called_on), col(Call.id))
    )


def _call_detail(r: sa.Row[Any], at: Scope) -> str:
    number = f"conversation {r.number}" if r.number else "attempt"
    purpose = f"; purpose: {purposes.label(r.purpose)}" if r.purpose else ""
    return f"{r.outcome} ({number}; reason: {reason_label(r.reason)}{purpose})"


def _streaks(s: Session, at: Scope) -> Streaks:
    counts = first_conversations_by_day(s, end=at.period.end)
    return streaks(counts, today=min(at.today, at.period.end), quota=at.quota, calendar=at.calendar)


def _firsts_on_streak(*, best: bool) -> Callable[[Session, Scope], Any]:
    """First conversations on the days of the current (or the best) streak."""

    def query(s: Session, at: Scope) -> Any:
        found = _streaks(s, at)
        days = found.best if best else found.current
        return _calls(_is_first, logged(), col(Call.called_on).in_(days))

    return query


def _by_last_conversation(*, overdue: bool) -> Callable[[Session, Scope], Any]:
    """Active DMs in (or out of) the cycle at the period's end, with their last
    conversation as the date."""

    def query(s: Session, at: Scope) -> Any:
        last = _last_conversations(at.period.end)
        late = at.cycles.past(
            last.c.last_on, at.period.end, inclusive=False, tier=last.c.tier, own=last.c.cycle_days
        )
        return (
            _select(*_dm_cols, last.c.last_on.label("date"), last.c.tier, last.c.cycle_days)
            .join(last, last.c.dm_id == DecisionMaker.id)
            .where(DecisionMaker.status == Status.ACTIVE, late if overdue else ~late)
            .order_by(last.c.last_on, col(DecisionMaker.id))
        )

    return query


def _gap_detail(r: sa.Row[Any], at: Scope) -> str:
    days = (at.period.end - r.date).days
    cycle = at.cycles.tiers.get(r.tier, at.cycles.default) if r.cycle_days is None else r.cycle_days
    over = days - cycle
    if over > 0:
        return f"last spoke {days} days before; {over} days overdue"
    return f"last spoke {days} days before"


def _year_in_base(s: Session, at: Scope) -> Any:
    year = _year_counts(at.period.end, at.cycles)
    return (
        _select(
            *_dm_cols,
            sa.literal(at.period.end, sa.Date).label("date"),
            year.c.n.label("conversations"),
            on_pace(year, at.cycles).label("on_pace"),
        )
        .join(year, year.c.dm_id == DecisionMaker.id)
        .order_by(year.c.n, col(DecisionMaker.id))
    )


def _year_detail(r: sa.Row[Any], at: Scope) -> str:
    four = " (on pace with their cycle)" if r.on_pace else ""
    return f"{r.conversations} conversations in the last {YEAR_DAYS} days{four}"


def _first_and_second(s: Session, at: Scope) -> Any:
    pairs = _second_calls(at.period.end, at.cycle_days).subquery()
    return (
        _select(*_dm_cols, pairs.c.called_on.label("date"), pairs.c.second_on)
        .join(pairs, pairs.c.dm_id == DecisionMaker.id)
        .order_by(pairs.c.called_on, col(DecisionMaker.id))
    )


def _second_detail(r: sa.Row[Any], at: Scope) -> str:
    if r.second_on:
        return f"second conversation {r.second_on.isoformat()}"
    return "no second conversation"


def _hooked_conversations(s: Session, at: Scope) -> Any:
    """Each hook used on a conversation in the period ("job:ID", "candidate:ID" or
    "event:ID")."""
    hook = sa.case(
        (col(CallHook.job_id).is_not(None), "job:" + sa.cast(CallHook.job_id, sa.String)),
        (
            col(CallHook.candidate_id).is_not(None),
            "candidate:" + sa.cast(CallHook.candidate_id, sa.String),
        ),
        else_="event:" + sa.cast(CallHook.event_id, sa.String),
    )
    return (
        _select(
            *_dm_cols,
            col(Call.called_on).label("date"),
            col(Call.outcome).label("outcome"),
            col(Call.conversation_number).label("number"),
            hook.label("hook"),
        )
        .join(Call, col(Call.dm_id) == DecisionMaker.id)
        .join(CallHook, col(CallHook.call_id) == Call.id)
        .where(_in(at.period), _is_conversation)
        .order_by(col(Call.called_on), col(Call.id))
    )


def _hook_detail(r: sa.Row[Any], at: Scope) -> str:
    return f"{r.outcome} (conversation {r.number}) with {r.hook}"


FIGURES: dict[str, Figure] = {
    "new-dms": Figure(
        "first conversations in the period",
        lambda s, at: _calls(_is_first, _in(at.period)),
        _call_detail,
    ),
    "streak": Figure(
        "first conversations on the days of the current streak",
        _firsts_on_streak(best=False),
        _call_detail,
    ),
    "best-streak": Figure(
        "first conversations on the days of the best streak",
        _firsts_on_streak(best=True),
        _call_detail,
    ),
    "base": Figure(
        "DMs with at least one conversation by the end of the period",
        lambda s, at: _calls(_is_first, Call.called_on <= at.period.end),
        lambda r, at: "first conversation",
    ),
    "within-cycle": Figure(
        "active DMs spoken to within the cycle",
        _by_last_conversation(overdue=False),
        _gap_detail,
    ),
    "overdue": Figure(
        "active DMs not spoken to within the cycle",
        _by_last_conversation(overdue=True),
        _gap_detail,
    ),
    "four-a-year": Figure(
        "active DMs in the base a full year, with conversations in the last 365 days",
        _year_in_base,
        _year_detail,
    ),
    "second-call-rate": Figure(
        "DMs first spoken to more than a cycle ago, and their second call",
        _first_and_second,
        _second_detail,
    ),
    "advances": Figure(
        "advances in the period",
        lambda s, at: _calls(_in(at.period), _is_advance),
        _call_detail,
    ),
    "advances-5th-plus": Figure(
        "advances in the period on the 5th conversation or later with the DM (by "
        "conversation number: every conversation counts, chases of an open loop included; "
        "the report also counts them without the chases)",
        lambda s, at: _calls(_in(at.period), _is_advance, col(Call.conversation_number) >= 5),
        _call_detail,
    ),
    "advance-rate": Figure(
        "conversations in the period",
        lambda s, at: _calls(_in(at.period), _is_conversation),
        _call_detail,
    ),
    "connect-rate": Figure(
        "calls in the period (conversations and attempts)",
        lambda s, at: _calls(_in(at.period)),
        _call_detail,
    ),
    "hooks": Figure(
        "conversations in the period that used a hook",
        _hooked_conversations,
        _hook_detail,
    ),
    "reasons": Figure(
        "conversations in the period, by why they were made",
        lambda s, at: _calls(_in(at.period), _is_conversation),
        _call_detail,
    ),
    "purposes": Figure(
        "conversations in the period made for a purpose you chose",
        lambda s, at: _calls(_in(at.period), _is_conversation, col(Call.purpose).is_not(None)),
        _call_detail,
    ),
}


def explain(
    s: Session,
    figure: str,
    *,
    period: Period,
    quota: int,
    cycles: Cycles,
    calendar: WorkCalendar,
    today: date,
) -> Explained:
    key = figure.strip().lower()
    if key not in FIGURES:
        raise UsageError(f"Unknown figure {figure!r}: use one of {', '.join(FIGURES)}.")
    chosen = FIGURES[key]
    at = Scope(period, quota, cycles, calendar, today)
    rows = [
        {
            "id": r.id,
            "name": r.name,
            "company": r.company,
            "date": r.date,
            "detail": chosen.detail(r, at),
        }
        for r in s.exec(chosen.query(s, at)).all()
    ]
    return Explained(key, chosen.description, rows)


# --- the team, side by side ---------------------------------------------------------------


@dataclass
class RecruiterFigures:
    """One recruiter's headline figures over a period (``stats --team``)."""

    recruiter: str | None  # None: calls and DMs from before anyone was named
    new_dms: int = 0  # first conversations they held in the period
    days_on_quota: int = 0
    base: int = 0  # active DMs they own who have been spoken to by the period's end
    within: int = 0
    within_share: float | None = None
    overdue: int = 0
    conversations: int = 0
    advances: int = 0
    advance_rate: float | None = None
    attempts: int = 0
    connect_rate: float | None = None


def team(
    s: Session, *, period: Period, quota: int, cycles: Cycles, calendar: WorkCalendar
) -> list[RecruiterFigures]:
    """The figures of every recruiter, from four grouped queries: first conversations
    per recruiter and day (ix_call_called_on_number), the period's calls per recruiter
    and kind, and the owners' DMs in and out of cycle at the period's end."""
    figures: dict[str | None, RecruiterFigures] = {}

    def of(name: str | None) -> RecruiterFigures:
        return figures.setdefault(name, RecruiterFigures(name))

    days = set(calendar.working_days(period.start, period.end + timedelta(days=1)))
    firsts = _select(Call.recruiter, Call.called_on, func.count()).where(
        _in(period), Call.conversation_number == 1
    )
    for who, day, n in s.exec(firsts.group_by(Call.recruiter, Call.called_on)).all():
        row = of(who)
        row.new_dms += int(n)
        row.days_on_quota += int(bool(quota) and day in days and n >= quota)
    calls = _select(Call.recruiter, Call.kind, func.count()).where(_in(period))
    for who, kind, n in s.exec(calls.group_by(Call.recruiter, Call.kind)).all():
        row = of(who)
        if kind == Kind.NO_CONNECT.value:
            row.attempts += int(n)
        else:
            row.conversations += int(n)
            row.advances += int(n) if kind == Kind.ADVANCE.value else 0
    last = _last_conversations(period.end)
    late = cycles.past(
        last.c.last_on, period.end, inclusive=False, tier=last.c.tier, own=last.c.cycle_days
    )
    owned = (
        _select(
            DecisionMaker.owner,
            func.count(),
            func.coalesce(func.sum(sa.case((late, 1), else_=0)), 0),
        )
        .join(last, last.c.dm_id == DecisionMaker.id)
        .group_by(DecisionMaker.owner)
    )
    for who, base, overdue in s.exec(owned).all():
        row = of(who)
        row.base, row.overdue = int(base), int(overdue)
        row.within = row.base - row.overdue
    for row in figures.values():
        row.within_share = ratio(row.within, row.base)
        row.advance_rate = ratio(row.advances, row.conversations)
        row.connect_rate = ratio(row.conversations, row.conversations + row.attempts)
    return sorted(
        figures.values(), key=lambda r: (r.recruiter is None, (r.recruiter or "").lower())
    )
