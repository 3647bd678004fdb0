"""`callplan forecast`: the calls each working day ahead holds, and a rebalance."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

import typer

from callplan.cli import options, output
from callplan.cli.context import runtime
from callplan.cli.output import Column
from callplan.core import wording
from callplan.errors import UsageError

if TYPE_CHECKING:
    from sqlmodel import Session

    from callplan.cli.context import Runtime
    from callplan.core.forecast import Day, Forecast, Rebalance

MAX_DAYS = 366
BAR = {"diarised": "█", "catch_ups": "▒", "new": "░", "delivery": "▓"}
LEGEND = "█ diarised  ▒ cycle catch-ups  ░ new DMs  ▓ delivery  ┊ capacity"
BAR_WIDTH = 46  # 80 columns: date 10, two gaps, bar, total 4, flag 12


def forecast(
    ctx: typer.Context,
    days: int = typer.Option(
        60, "--days", metavar="N", help="How many days ahead, from today (1 to 366)."
    ),
    rebalance: bool = typer.Option(
        False,
        "--rebalance",
        help="Move flexible calls (cycle catch-ups, sweep placements) off the days over "
        "capacity; a dry run unless --apply.",
    ),
    apply: bool = typer.Option(False, "--apply", help="With --rebalance: write the moves."),
    json_: bool = options.JSON,
) -> None:
    """The calls each working day ahead holds, with the days over capacity flagged."""
    from callplan import services

    if not 1 <= days <= MAX_DAYS:
        raise UsageError(f"--days must be from 1 to {MAX_DAYS} (got {days}).")
    if apply and not rebalance:
        raise UsageError("--apply goes with --rebalance: callplan forecast --rebalance --apply")
    rt = runtime(ctx)
    fmt = output.choose(json_=json_)
    if not rebalance:
        with rt.reading() as s:
            desk = rt.desk(s)
            ahead = services.forecast.calls_ahead(s, desk, days=days)
        if fmt is output.Format.JSON:
            output.print_json(services.shapes.forecast_json(ahead, recruiter=desk.recruiter))
        else:
            _print_chart(ahead, rt)
        return
    with rt.writing() if apply else rt.reading() as s:
        desk = rt.desk(s)
        who = desk.recruiter
        result = services.forecast.rebalance(s, desk, days=days, write=apply)
        names = repo_names(s, [m.dm_id for m in result.moves])
    moves = [
        {"id": m.dm_id, "name": names.get(m.dm_id), "from": m.from_on, "to": m.to_on}
        for m in result.moves
    ]
    if fmt is output.Format.JSON:
        output.print_json(
            services.shapes.forecast_json(
                result.after,
                recruiter=who,
                rebalance=services.shapes.rebalance_json(result, moves, applied=apply),
            )
        )
    else:
        _print_rebalance(result, moves, rt, applied=apply)


def repo_names(s: Session, ids: list[int]) -> dict[int, str]:
    from callplan.store import queries

    return queries.dms.names_of(s, dm_ids=ids) if ids else {}


def _bar(d: Day, scale: float) -> str:
    """The day's calls as a stacked bar; each part rounded so the whole matches the total."""
    parts = [
        ("diarised", d.diarised),
        ("delivery", d.delivery),
        ("catch_ups", d.catch_ups),
        ("new", d.new),
    ]
    text, running, drawn = "", 0, 0
    for key, n in parts:
        running += n
        width = round(running * scale) - drawn
        if n and width == 0:  # never hide a part entirely
            width = 1
        text += BAR[key] * width
        drawn += width
    return text


def _print_chart(f: Forecast, rt: Runtime) -> None:
    out = output.console()
    if not f.days:
        output.message(
            f"No working days between {wording.day(f.today)} and "
            f"{wording.day(f.until - _one_day())}: try a longer --days."
        )
        return
    last = f.days[-1].on
    out.print(
        f"Calls per working day, {wording.day(f.days[0].on)} to {wording.day(last)} "
        f"(capacity {f.capacity})",
        style="bold",
        markup=False,
        highlight=False,
    )
    out.print(LEGEND, markup=False, highlight=False)
    top = max(max(d.total for d in f.days), f.capacity)
    scale = min(1.0, BAR_WIDTH / top) if top else 1.0
    mark = round(f.capacity * scale)
    week = None
    for d in f.days:
        iso_week = d.on.isocalendar()[:2]
        if week is not None and iso_week != week:
            out.print("")
        week = iso_week
        bar = _bar(d, scale)
        if len(bar) < mark:  # a faint line at capacity
            bar = bar + " " * (mark - len(bar) - 1) + "┊"
        flag = f"over by {d.over}" if d.over else ""
        label = f"{d.on:%a} {d.on.day:>2} {d.on:%b}"
        line = f"{label}  {bar:<{BAR_WIDTH}} {d.total:>4}  {flag}".rstrip()
        out.print(line, style="bold" if d.over else None, markup=False, highlight=False)
    out.print(_summary(f, rt), markup=False, highlight=False)
    holidays = _holidays(f, rt)
    if holidays:
        out.print(f"Not listed (public holidays): {holidays}.", markup=False, highlight=False)
    if f.over_days:
        out.print(
            "Move flexible calls off them: callplan forecast --rebalance",
            markup=False,
            highlight=False,
        )


def _one_day() -> timedelta:
    return timedelta(days=1)


def _summary(f: Forecast, rt: Runtime) -> str:
    busiest = f.busiest
    assert busiest is not None
    total = sum(d.total for d in f.days)
    text = (
        f"{wording.count(total, 'call')} over {wording.count(len(f.days), 'working day')}. "
        f"Busiest: {wording.day(busiest.on, rt.today)}, {wording.count(busiest.total, 'call')}. "
    )
    over = f.over_days
    if over:
        text += (
            f"Over capacity ({f.capacity}) on {wording.count(len(over), 'day')}, "
            f"by {wording.count(sum(d.over for d in over), 'call')} in all."
        )
    else:
        text += f"No day is over capacity ({f.capacity})."
    return text


def _holidays(f: Forecast, rt: Runtime) -> str:
    cal = rt.calendar
    found = []
    d = f.today
    while d < f.until:
        name = cal.holiday_name(d)
        if name and d.weekday() in cal.weekdays:
            found.append(f"{wording.day(d, rt.today)} ({name})")
        d += _one_day()
    return "; ".join(found)


def _print_rebalance(
    result: Rebalance, moves: list[dict[str, Any]], rt: Any, *, applied: bool
) -> None:
    before, after = result.before, result.after
    if not before.over_days:
        output.message(f"No day is over capacity ({before.capacity}): nothing to move.")
        return
    if moves:
        output.print_table(
            [
                {
                    **m,
                    "from_day": wording.day(m["from"], rt.today),
                    "to_day": wording.day(m["to"], rt.today),
                }
                for m in moves
            ],
            [
                Column("id", "Id", style="dim", justify="right", no_wrap=True),
                Column("name", "Decision maker", ratio=2),
                Column("from_day", "From", no_wrap=True),
                Column("to_day", "To", no_wrap=True),
            ],
            title=f"{'Moved' if applied else 'Would move'} {wording.count(len(moves), 'call')}",
        )
    out = output.console()
    for label, f in (("Before", before), ("After", after)):
        busiest = f.busiest
        assert busiest is not None
        out.print(
            f"{label}: {wording.count(len(f.over_days), 'day')} over capacity "
            f"({f.capacity}), {wording.count(sum(d.over for d in f.over_days), 'call')} too "
            f"many; busiest {wording.day(busiest.on, rt.today)} with {busiest.total}.",
            markup=False,
            highlight=False,
        )
    if not moves:
        output.message(
            "Nothing can move: the days over capacity hold only fixed calls (callbacks, "
            "chases, dates you set), or no lighter day is within the cycle."
        )
    elif applied:
        output.message(f"Moved {wording.count(len(moves), 'call')}.")
    else:
        output.message("Dry run: nothing was written. To move them: add --apply.")
