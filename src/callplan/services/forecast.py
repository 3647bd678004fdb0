"""The calls ahead, day by day, and rebalancing an overloaded day."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from callplan.core import forecast as ahead
from callplan.core import planner
from callplan.core.desk import Desk
from callplan.core.outcomes import (
    REASON_CYCLE,
)
from callplan.store import queries

if TYPE_CHECKING:
    from sqlmodel import Session

    from callplan.core import forecast as ahead


# --- the forecast ---------------------------------------------------------------------


def calls_ahead(
    s: Session,
    desk: Desk,
    *,
    days: int,
) -> ahead.Forecast:
    """The calls on each working day ahead, counted in SQL per day and reason: the
    desk's recruiter's own DMs and first conversations, if given."""

    until = ahead.window_end(desk.today, days)
    diarised: dict[date, int] = {}
    flexible: dict[date, int] = {}
    for on, reason, n in queries.diary.diary_by_day(
        s, today=desk.today, until=until, owner=desk.recruiter
    ):
        diarised[on] = diarised.get(on, 0) + n
        if reason in ahead.FLEXIBLE_REASONS:
            flexible[on] = flexible.get(on, 0) + n
    undiarised = queries.diary.undiarised_by_last(
        s, today=desk.today, until=until, cycle_days=desk.settings.cycle_days, owner=desk.recruiter
    )
    new_today = None
    if desk.calendar.is_working(desk.today):
        done = queries.calls.first_conversations_on(s, on=desk.today, recruiter=desk.recruiter)
        new_today = planner.new_quota(desk.settings.new_per_day, done)
    return ahead.forecast(
        today=desk.today,
        days=days,
        diarised=diarised,
        undiarised=undiarised,
        settings=desk.settings,
        calendar=desk.calendar,
        new_today=new_today,
        flexible=flexible,
        delivery=queries.delivery.load_by_day(s, until=until, recruiter=desk.recruiter),
    )


def rebalance(
    s: Session,
    desk: Desk,
    *,
    days: int,
    write: bool,
) -> ahead.Rebalance:
    """Move flexible calls off the days over capacity (written only with ``write``): the
    desk's recruiter's own, against their own forecast, if given.

    Only the contacts whose call counts on a day over capacity are read."""

    before = calls_ahead(
        s,
        desk,
        days=days,
    )
    over = before.over_days
    if not over:
        return ahead.Rebalance(before, before)
    first = before.days[0].on
    next_on: list[date] = []
    next_before = None
    for d in over:
        dates, earlier = ahead.source_dates(d.on, first, desk.calendar)
        next_on += dates
        if earlier:
            next_before = first
    over_on = {d.on for d in over}
    floor = desk.today - timedelta(days=desk.settings.cycle_days)
    undiarised = queries.diary.undiarised_by_last(
        s,
        today=desk.today,
        until=before.until,
        cycle_days=desk.settings.cycle_days,
        owner=desk.recruiter,
    )
    last_on = [
        last
        for last in undiarised
        if ahead.counted_on(
            ahead.catch_up_on(last, desk.today, desk.settings, desk.calendar), first, desk.calendar
        )
        in over_on
    ]
    rows = queries.diary.flexible_calls(
        s,
        reasons=sorted(ahead.FLEXIBLE_REASONS),
        next_on=next_on,
        next_before=next_before,
        last_on=last_on,
        last_before=floor if floor in last_on else None,
        owner=desk.recruiter,
    )
    calls = []
    for dm_id, on, last, tier, own in rows:
        settings = desk.settings.for_dm(tier, own)  # a call never moves past their cycle
        due = on if on is not None else ahead.catch_up_on(last, desk.today, settings, desk.calendar)
        calls.append(
            ahead.Flexible(
                dm_id,
                ahead.counted_on(due, first, desk.calendar),
                ahead.cycle_latest(last, settings, desk.calendar),
                diarised=on is not None,
            )
        )
    result = ahead.rebalance(before, calls)
    if write:
        queries.diary.diarise(
            s,
            placements=[(m.dm_id, m.to_on) for m in result.moves],
            reason=REASON_CYCLE,
            keep_reason=True,
        )
    return result
