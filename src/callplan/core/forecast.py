"""Looking ahead: the calls each working day will hold, and moving flexible ones off the
days over capacity. Pure functions of (counts, dates, settings): no I/O, no clock.

- ``forecast``: per working day in the window, the calls already diarised, the cycle
  catch-ups that fall due if nothing changes, and the new-DM quota.
- ``rebalance``: moves of flexible calls (cycle catch-ups, sweep placements, cycle calls
  after a rejection) from days over capacity to the nearest working day with room,
  never later than the DM's cycle allows.

Where a call counts: a call diarised for a day before the first working day of the
window (it is late) counts on that first day; one diarised for a non-working day (a
weekend or a public holiday, which callplan itself never diarises but a date set by hand
or an import can) counts on the next working day.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from callplan.core import planner
from callplan.core.config import Settings
from callplan.core.outcomes import EXTRA_REASONS, OUTCOMES, PRIORITY_CYCLE, priority_of
from callplan.core.workdays import WorkCalendar

# Reasons whose date can move: the cycle decided it, nobody agreed it with the DM. Cycle
# catch-ups, sweep placements and the cycle call after a rejection; never an agreed
# callback, a chase, a follow-up or a date you set yourself.
FLEXIBLE_REASONS: frozenset[str] = frozenset(
    r for r in [*OUTCOMES, *EXTRA_REASONS] if priority_of(r) == PRIORITY_CYCLE
)

MAX_DAYS = 366


@dataclass(frozen=True)
class Day:
    """One working day ahead and the calls it holds."""

    on: date
    diarised: int  # next calls already in the diary
    catch_ups: int  # contacts with nothing diarised whose cycle runs out
    new: int  # the new-DM quota
    capacity: int
    flexible: int = 0  # of ``diarised`` + ``catch_ups``: calls rebalance may move
    delivery: int = 0  # candidates & delivery: planned calls and candidates due

    @property
    def total(self) -> int:
        return self.diarised + self.catch_ups + self.new + self.delivery

    @property
    def over(self) -> int:
        """Calls above capacity (0 when within it)."""
        return max(0, self.total - self.capacity)


@dataclass(frozen=True)
class Forecast:
    today: date
    until: date  # the window is [today, until)
    capacity: int
    days: list[Day]

    @property
    def over_days(self) -> list[Day]:
        return [d for d in self.days if d.over]

    @property
    def busiest(self) -> Day | None:
        """The day with the most calls, the earlier on a tie; None with no days."""
        return max(self.days, key=lambda d: (d.total, -d.on.toordinal()), default=None)


def window_end(today: date, days: int) -> date:
    """The end (exclusive) of a forecast of ``days`` calendar days from today."""
    return today + timedelta(days=days)


def counted_on(day: date, first: date, calendar: WorkCalendar) -> date:
    """The working day a call diarised for ``day`` counts on: the next working day, and
    never before ``first`` (the window's first working day)."""
    return max(first, calendar.next_working(day))


def catch_up_on(
    last_conversation_on: date, today: date, settings: Settings, cal: WorkCalendar
) -> date:
    """When a contact with nothing diarised falls due: the last working day of their
    cycle, or today if it has already run out (the date a restore diarises, too)."""
    return planner.restored_due(last_conversation_on, today, settings, cal)


def cycle_latest(last_conversation_on: date, settings: Settings, calendar: WorkCalendar) -> date:
    """The latest working day a contact's next call may be on: the last working day of
    their cycle."""
    return calendar.previous_working(planner.cycle_limit(last_conversation_on, settings.cycle_days))


def forecast(
    *,
    today: date,
    days: int,
    diarised: Mapping[date, int],
    undiarised: Mapping[date, int],
    settings: Settings,
    calendar: WorkCalendar,
    new_today: int | None = None,
    flexible: Mapping[date, int] | None = None,
    delivery: Mapping[date, int] | None = None,
) -> Forecast:
    """The calls on each working day from ``today`` for ``days`` calendar days.

    ``diarised`` counts next calls by the date they are diarised for (``flexible`` the
    same, for flexible reasons only); ``undiarised`` counts contacts with no next call
    by the date of their last conversation. ``new_today`` is what is left of today's
    quota (None: the whole quota). ``delivery`` counts the candidates & delivery calls
    by the day they are due (never moved by a rebalance).
    """
    until = window_end(today, days)
    working = list(calendar.working_days(today, until))
    by_day = {d: [0, 0, 0, 0] for d in working}  # diarised, catch-ups, flexible, delivery
    if working:
        first = working[0]
        for on, n in diarised.items():
            slot = counted_on(on, first, calendar)
            if slot in by_day:
                by_day[slot][0] += n
        for on, n in (flexible or {}).items():
            slot = counted_on(on, first, calendar)
            if slot in by_day:
                by_day[slot][2] += n
        for on, n in (delivery or {}).items():
            slot = counted_on(on, first, calendar)
            if slot in by_day:
                by_day[slot][3] += n
        for last, n in undiarised.items():
            slot = counted_on(catch_up_on(last, today, settings, calendar), first, calendar)
            if slot in by_day:
                by_day[slot][1] += n
                by_day[slot][2] += n
    result = []
    for d in working:
        quota = settings.new_per_day
        if d == today and new_today is not None:
            quota = new_today
        dia, catch, flex, chases = by_day[d]
        result.append(Day(d, dia, catch, quota, settings.capacity, flex, chases))
    return Forecast(today, until, settings.capacity, result)


# --- rebalance ------------------------------------------------------------------------


@dataclass(frozen=True)
class Flexible:
    """A call that may move: whose, the working day it counts on, the latest it may go."""

    dm_id: int
    on: date
    latest: date
    diarised: bool = True  # False: a cycle catch-up with nothing in the diary yet


@dataclass(frozen=True)
class Move:
    dm_id: int
    from_on: date
    to_on: date
    diarised: bool = True


@dataclass
class Rebalance:
    before: Forecast
    after: Forecast
    moves: list[Move] = field(default_factory=list)


def rebalance(before: Forecast, calls: Sequence[Flexible]) -> Rebalance:
    """Move flexible calls off the days over capacity.

    Days are taken in order. From a day over capacity, its flexible calls (those with
    the least room to move first, then by id) go one at a time to the nearest working
    day of the window that is under capacity and no later than the call's ``latest``
    day, the earlier day on a tie (later risks the cycle), until the day is within
    capacity or nothing more can move. A day at or over capacity never receives a call,
    so no day within capacity is pushed over it; the total number of calls is unchanged.
    """
    days = [d.on for d in before.days]
    index = {d: i for i, d in enumerate(days)}
    load = {d.on: d.total for d in before.days}
    cap = before.capacity
    waiting: dict[date, list[Flexible]] = {}
    for c in sorted(calls, key=lambda c: (c.latest, c.dm_id)):
        if c.on in load:
            waiting.setdefault(c.on, []).append(c)
    moves: list[Move] = []
    for day in days:
        for call in waiting.get(day, []):
            if load[day] <= cap:
                break
            target = _nearest_with_room(index[day], days, load, cap, call.latest)
            if target is None:
                continue
            load[day] -= 1
            load[target] += 1
            moves.append(Move(call.dm_id, day, target, call.diarised))
    return Rebalance(before, moved(before, moves), moves)


def _nearest_with_room(
    i: int, days: Sequence[date], load: Mapping[date, int], cap: int, latest: date
) -> date | None:
    """The nearest day to ``days[i]`` under capacity and not after ``latest``; earlier
    first on a tie (nearest counted in working days)."""
    for step in range(1, len(days)):
        for j in (i - step, i + step):
            if 0 <= j < len(days) and days[j] <= latest and load[days[j]] < cap:
                return days[j]
    return None


def moved(before: Forecast, moves: Sequence[Move]) -> Forecast:
    """The forecast once the moves are made: a moved call is diarised on its new day."""
    counts = {d.on: [d.diarised, d.catch_ups, d.flexible] for d in before.days}
    for m in moves:
        counts[m.from_on][0 if m.diarised else 1] -= 1
        counts[m.from_on][2] -= 1
        counts[m.to_on][0] += 1
        counts[m.to_on][2] += 1
    days = [
        replace(d, diarised=counts[d.on][0], catch_ups=counts[d.on][1], flexible=counts[d.on][2])
        for d in before.days
    ]
    return replace(before, days=days)


def source_dates(day: date, first: date, calendar: WorkCalendar) -> tuple[list[date], bool]:
    """The diary dates whose calls count on working day ``day``: the day itself and the
    non-working days just before it; and whether every earlier date does too (``day``
    is the window's first working day)."""
    dates = [day]
    d = day - timedelta(days=1)
    while d >= first and not calendar.is_working(d):
        dates.append(d)
        d -= timedelta(days=1)
    return dates, day == first
