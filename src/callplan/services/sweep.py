"""The monthly sweep: every DM out of cycle spread over the month's working days."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from callplan.core import planner
from callplan.core.config import Settings
from callplan.core.desk import Desk
from callplan.core.hooks import Match
from callplan.core.outcomes import (
    REASON_SWEEP,
)
from callplan.services.hooks import hooks_for_each
from callplan.store import queries
from callplan.store.models import DecisionMaker

if TYPE_CHECKING:
    from sqlmodel import Session


# --- the monthly sweep ----------------------------------------------------------------


@dataclass(frozen=True)
class SweepDue:
    """This month's sweep, still to run on or after its sweep day: how many DMs it would
    place, and when the last one ran (None: never)."""

    out_of_cycle: int
    last_swept_on: date | None


def sweep_due(s: Session, desk: Desk, *, on: date, out_of_cycle: int) -> SweepDue | None:
    """The sweep reminder the plan for ``on`` opens with, from the month's sweep day
    until the sweep has run that month (the desk's recruiter's sweep); None otherwise,
    and when nobody is out of cycle. ``out_of_cycle`` is the count today's progress line
    already made (the desk's recruiter's active DMs past the cycle): one indexed read of
    the latest sweep is all this adds to the plan."""
    if not out_of_cycle:  # nothing to place: nothing to say
        return None
    last = queries.diary.last_sweep(s, recruiter=desk.recruiter)
    if not planner.sweep_pending(on, desk.settings.sweep_day, desk.calendar, last):
        return None
    return SweepDue(out_of_cycle, last)


@dataclass
class Sweep:
    on: date
    until: date
    days: list[date]
    load_before: dict[date, int]
    placed: list[tuple[queries.diary.OutOfCycle, date]]
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


def why_swept(dm: queries.diary.OutOfCycle, *, on: date, settings: Settings) -> str:
    """How the plan will word a swept DM's call on the day the sweep placed it."""
    return planner.due_reason(
        reason=REASON_SWEEP,
        due_on=on,
        on=on,
        last_conversation_on=dm.last_conversation_on,
        settings=settings.for_dm(dm.tier, dm.cycle_days),
        attempts_in_row=dm.attempts_in_row,
        needs_number=dm.needs_number,
    )


def sweep(
    s: Session,
    desk: Desk,
    *,
    on: date,
    write: bool,
) -> Sweep:
    """Spread every DM out of cycle over the working days to the same day next month.

    For the desk's recruiter: their own DMs, balanced against their own diary; the DMs spoken
    to that nobody owns are counted (no one's sweep places them)."""
    start, until = planner.sweep_window(on)
    days = list(desk.calendar.working_days(start, until))
    cycles = queries.common.cycles_in_use(s, desk.settings)
    candidates = queries.diary.out_of_cycle(
        s, on=on, until=until, cycles=cycles, owner=desk.recruiter
    )
    load = queries.diary.diary_load(
        s, start=start, until=until, cycles=cycles, owner=desk.recruiter
    )
    # The candidates & delivery calls are in the day's load too (a day already past
    # counts on the first day).
    for day, n in queries.delivery.load_by_day(s, until=until, recruiter=desk.recruiter).items():
        load[max(day, start)] = load.get(max(day, start), 0) + n
    if days and days[0] != start and start in load:  # swept on a weekend: late calls wait
        load[days[0]] = load.get(days[0], 0) + load.pop(start)
    placed = planner.spread(candidates, days, load)
    if write:
        queries.diary.diarise(s, placements=[(dm.id, d) for dm, d in placed], reason=REASON_SWEEP)
        queries.diary.record_sweep(s, on=on, recruiter=desk.recruiter, placed=len(placed))
    review = queries.calls.advances_to_review(s, until=until, owner=desk.recruiter)
    hooks = queries.hooks.open_hooks(s, on=on)
    fits = queries.hooks.hook_matches_to_review(
        s,
        until=until,
        hook_tags=queries.hooks.hook_tags(hooks),
        exclude=[dm.id for dm in review if dm.id is not None],
        owner=desk.recruiter,
    )
    best = hooks_for_each(s, dms=fits, on=on, open_hooks=hooks, limit=1)
    hook_review = [(dm, best[dm.id][0]) for dm in fits if dm.id is not None and best[dm.id]]
    shown = [dm.id for dm in review] + [dm.id for dm, _ in hook_review]
    summaries = queries.calls.last_summaries(s, dm_ids=[i for i in shown if i is not None])
    unowned = queries.dms.count_unowned_contacts(s) if desk.recruiter is not None else 0
    return Sweep(
        on, until, days, load, placed, review, summaries, hook_review, desk.recruiter, unowned
    )
