"""`callplan stats`: your numbers against the method, drawn to fit 80 columns."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

import typer

from callplan.cli import output
from callplan.cli.context import runtime
from callplan.cli.output import Column
from callplan.core import files, wording
from callplan.errors import UsageError
from callplan.services import shapes

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from callplan.store.queries.stats import Explained, Period, RecruiterFigures, Report

WIDTH = 80  # the report is laid out for 80 columns, on wider terminals too
LABEL = 19  # the width of the label column
BAR = 24  # the longest bar
DAYS_SHOWN = 60  # working days in the daily strip
WEEKS_SHOWN = 30  # weeks in the sparkline (--json has them all)
SPARKS = "▁▂▃▄▅▆▇█"


# --- drawing (pure) --------------------------------------------------------------------


def bar(value: int, most: int, width: int = BAR) -> str:
    """A row of █ scaled so ``most`` fills ``width``; at least one block for any value."""
    if value <= 0 or most <= 0:
        return ""
    return "█" * max(1, round(value / most * width))


def sparkline(values: Sequence[int]) -> str:
    """One character a value: · for none, ▁ to █ scaled to the largest."""
    most = max(values, default=0)
    out = []
    for v in values:
        if v <= 0 or most <= 0:
            out.append("·")
        else:
            out.append(SPARKS[min(len(SPARKS) - 1, math.ceil(v / most * len(SPARKS)) - 1)])
    return "".join(out)


def strip(daily: Sequence[dict[str, Any]], quota: int) -> str:
    """One character a working day: █ on quota, ▄ some new DMs, · none."""
    return "".join(
        "█" if quota and d["new"] >= quota else "▄" if d["new"] else "·"
        for d in daily[-DAYS_SHOWN:]
    )


def pct(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.0f}%"


def days(n: int) -> str:
    return wording.count(n, "day")


# --- the command -----------------------------------------------------------------------


def stats(
    ctx: typer.Context,
    from_: str | None = typer.Option(
        None, "--from", metavar="DATE", help="First day of the period (default: 30 days ago)."
    ),
    to: str | None = typer.Option(
        None, "--to", metavar="DATE", help="Last day of the period (default: today)."
    ),
    month: str | None = typer.Option(
        None, "--month", metavar="YYYY-MM", help="A month's report, for a one-to-one."
    ),
    explain: str | None = typer.Option(
        None,
        "--explain",
        metavar="FIGURE",
        help="List the DMs or calls behind a figure, e.g. overdue, streak, second-call-rate, "
        "advances-5th-plus.",
    ),
    json_: bool = typer.Option(False, "--json", help="Print JSON (documented in docs/json.md)."),
    svg: str | None = typer.Option(
        None,
        "--svg",
        metavar="FILE",
        help="Also save the report as an SVG image, for sharing ('-': to stdout, instead of "
        "the report). An existing FILE is replaced only with --force.",
    ),
    force: bool = typer.Option(
        False, "--force", help="Replace the --svg file if it exists (never the store)."
    ),
    team: bool = typer.Option(
        False, "--team", help="Every recruiter's figures side by side (a shared store)."
    ),
) -> None:
    """Your numbers: the new-DM habit, the contact base, cycle health, persistence and
    outcomes (the last 30 days, and the year to date for yearly figures)."""
    from callplan.store import queries
    from callplan.store.queries import stats as core

    rt = runtime(ctx)
    if month is not None and (from_ is not None or to is not None):
        raise UsageError("--month gives the whole month: it can't go with --from or --to.")
    if svg is not None and (json_ or explain is not None):
        raise UsageError("--svg saves the report as drawn: it can't go with --json or --explain.")
    if svg is not None and not svg.strip():
        raise UsageError("--svg needs a file name.")
    if team and (explain is not None or svg is not None):
        raise UsageError("--team shows the desk's figures: it can't go with --explain or --svg.")
    image = rt.target(svg, what="image", force=force) if svg is not None else None
    if month is not None:
        period = core.month_period(month, today=rt.today)
    else:
        period = core.period(
            today=rt.today,
            start=rt.date(from_, past=True) if from_ is not None else None,
            end=rt.date(to, past=True) if to is not None else None,
        )
    args: dict[str, Any] = {
        "period": period,
        "quota": rt.settings.new_per_day,
        "calendar": rt.calendar,
        "today": rt.today,
    }
    if team:
        with rt.reading() as s:
            desk = core.team(
                s,
                period=period,
                quota=rt.settings.new_per_day,
                cycles=queries.common.cycles_in_use(s, rt.settings),
                calendar=rt.calendar,
            )
        return _print_team(desk, period, json_=json_)
    with rt.reading() as s:
        args["cycles"] = queries.common.cycles_in_use(s, rt.settings)
        if explain is not None:
            found = core.explain(s, explain, **args)
            return _print_explained(found, period, json_=json_, today=rt.today)
        report = core.report(s, **args)
        recruiters = len(queries.recruiters.working(s))
        if period.month is not None:
            before = core.month_period(_previous_month(period.start), today=rt.today)
            report.previous = core.headline(
                s,
                period=before,
                quota=rt.settings.new_per_day,
                cycles=args["cycles"],
                calendar=rt.calendar,
            )
    if json_:
        output.print_json(shapes.stats_json(report))
        return
    console = output.console(
        record=image is not None,
        width=_width(),
        # The image alone on stdout: the report is drawn for it, not shown.
        file=io.StringIO() if image is not None and image.is_stdout else None,
    )
    render(console, report, today=rt.today, recruiters=recruiters)
    if image is not None:
        title = f"callplan stats {report.month or ''}".strip()
        files.write(image, console.export_svg(title=title).encode())
        if not image.is_stdout:
            output.message(f"Saved the report to {image.given}.")


def _width() -> int:
    from rich.console import Console

    return min(Console().width, WIDTH)


def _previous_month(first: date) -> str:
    year, month = (first.year, first.month - 1) if first.month > 1 else (first.year - 1, 12)
    return f"{year:04d}-{month:02d}"


# --- rendering -------------------------------------------------------------------------


def _grid() -> Table:
    from rich.table import Table

    grid = Table.grid(padding=(0, 1))
    grid.add_column(min_width=LABEL, max_width=LABEL, style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    return grid


def _section(console: Console, title: str, grid: Table) -> None:
    from rich.text import Text

    console.print()
    console.print(Text(title, style="bold underline"))
    console.print(grid)


def render(console: Console, report: Report, *, today: date, recruiters: int = 1) -> None:
    """The report; on a store several recruiters work (``recruiters``), titled as the
    whole desk's, since every figure counts everyone's calls and DMs."""
    from rich.text import Text

    def day(d: date) -> str:
        return wording.day(d, None if d.year != today.year else today)

    if report.month is not None:
        label = date.fromisoformat(report.month + "-01").strftime("%B %Y")
        to_date = f" (to {day(report.end)})" if report.end.month == today.month else ""
        console.print(Text(f"One-to-one: {label}{to_date}", style="bold"))
        if recruiters > 1:
            console.print(Text(_DESK.format(n=recruiters)))
        _print_headline(console, report)
    else:
        whose = "The desk's numbers" if recruiters > 1 else "Your numbers"
        console.print(
            Text(
                f"{whose}: {day(report.start)} to {day(report.end)} "
                f"({days((report.end - report.start).days + 1)})",
                style="bold",
            )
        )
        if recruiters > 1:
            console.print(Text(_DESK.format(n=recruiters)))
    h, b, c, p, o = report.habit, report.base, report.cycle, report.persistence, report.outcomes

    g = _grid()
    g.add_row(
        "New DMs spoken to",
        f"{h.new_dms} in {days(h.working_days).replace('day', 'working day')}: "
        f"{h.per_working_day if h.per_working_day is not None else '—'} a day (quota {h.quota})",
    )
    g.add_row("On quota", f"{h.days_on_quota} of {h.working_days} working days")
    best = f"best {h.best_streak}" + (
        f", ended {day(h.best_streak_ended)}" if h.best_streak_ended else ""
    )
    g.add_row("Current streak", f"{days(h.streak).replace('day', 'working day')} ({best})")
    if h.daily:
        g.add_row("Each working day", Text(strip(h.daily, h.quota)))
        g.add_row("", Text("█ on quota  ▄ some  · none", style="dim"))
    _section(console, "New-DM habit", g)

    g = _grid()
    g.add_row("DMs spoken to", f"{b.size} in all (+{b.added} in the period, {b.per_week} a week)")
    values = [w["new"] for w in b.weekly][-WEEKS_SHOWN:]
    g.add_row(
        "New DMs a week",
        Text(f"{sparkline(values)}  last {len(values)} weeks, most {max(values, default=0)}"),
    )
    g.add_row(
        f"Year to date ({report.end.year})",
        f"{b.year_to_date} of {b.expected_to_date} expected by now ({pct(b.pace)})",
    )
    g.add_row(
        "On pace for",
        f"{b.projected if b.projected is not None else '—'} this year "
        f"(target {b.year_target}, about 500 for 2 a day)",
    )
    if b.erased_on_request or b.pruned:
        notes = []
        if b.erased_on_request:
            notes.append(f"{b.erased_on_request} erased at their request")
        if b.pruned:
            notes.append(f"{b.pruned} pruned under the retention rule")
        g.add_row("", Text(" and ".join(notes) + ": not counted.", style="dim"))
    _section(console, "Contact base", g)

    g = _grid()
    share = c.within_share or 0.0
    g.add_row(
        "Within the cycle",
        Text(
            f"{c.within} of {c.active} active DMs ({pct(c.within_share)}) "
            + ("█" * round(share * 20)).ljust(20, "░")
        ),
    )
    overdue = f"{c.overdue}"
    if c.overdue:
        overdue += (
            f": {c.overdue_by['1-7']} by 1–7 days, {c.overdue_by['8-30']} by 8–30, "
            f"{c.overdue_by['31+']} by 31+ (mean {c.overdue_days_mean or 0:.0f}, "
            f"worst {c.overdue_days_max})"
        )
    g.add_row("Overdue", overdue)
    g.add_row(
        "Four a year",
        f"{c.four_a_year} of {c.full_year} in the base a full year were on pace with "
        f"their cycle in the last 365 days ({pct(c.four_a_year_share)})",
    )
    _section(console, f"Cycle health ({c.cycle_days}-day cycle)", g)

    g = _grid()
    g.add_row(
        "Second-call rate",
        f"{p.second} of {p.first_conversations} first spoken to before {day(p.first_before)} "
        f"had a second conversation ({pct(p.second_call_rate)})",
    )
    top = max(p.advances_by_number.values(), default=0)
    for i, (n, count) in enumerate(p.advances_by_number.items()):
        label = "Advances by call" if i == 0 else ""
        name = "5th+" if n == "5+" else wording.ordinal(int(n))
        g.add_row(label, Text(f"{name:<4} {bar(count, top):<{BAR}} {count}"))
    g.add_row(
        "",
        f"{pct(p.fifth_plus_share)} of {p.advances} advances on the 5th conversation or "
        "later (by conversation number, chases of an open loop included; "
        f"{p.fifth_plus_without_chases} without them)",
    )
    _section(console, "Persistence", g)

    g = _grid()
    g.add_row(
        "Conversations",
        f"{o.conversations}: {o.advances} advances, {o.continuations} continuations "
        f"(advance rate {pct(o.advance_rate)})",
    )
    apc = o.attempts_per_conversation
    g.add_row(
        "Attempts",
        f"{o.attempts}: {f'{apc:.1f}' if apc is not None else '—'} per conversation "
        f"(connect rate {pct(o.connect_rate)})",
    )
    for kind, label in (("advance", "Advances"), ("continuation", "Continuations")):
        counts = {t: n for t, n in o.by_type.get(kind, {}).items() if n}
        most = max(counts.values(), default=0)
        for i, (t, k) in enumerate(sorted(counts.items(), key=lambda x: (-x[1], x[0]))):
            g.add_row(label if i == 0 else "", Text(f"{t:<18} {bar(k, most, 20):<20} {k}"))
    hooks = [h for h in o.hooks if h["advances"]][:5]
    for i, hook in enumerate(hooks):
        g.add_row(
            "Hooks → advances" if i == 0 else "",
            Text(
                f"{hook['advances']} of {hook['conversations']}: {hook['title']} [{hook['hook']}]"
            ),
        )
    if o.advances:
        g.add_row("", Text(f"{o.advances_with_hook} of {o.advances} advances used a hook"))
    if report.goals.set:
        goals = report.goals
        g.add_row(
            "Day's goals",
            f"{goals.set} set: {goals.met} of the {goals.counted} counted met",
        )
    reasons = [r for r in o.reasons if r["advances"]][:6]
    for i, reason in enumerate(reasons):
        g.add_row(
            "Reasons → advances" if i == 0 else "",
            Text(f"{reason['advances']} of {reason['conversations']}: {reason['label']}"),
        )
    for i, purpose in enumerate(o.purposes[:6]):
        g.add_row(
            "Purposes → advances" if i == 0 else "",
            Text(f"{purpose['advances']} of {purpose['conversations']}: {purpose['label']}"),
        )
    _section(console, "Outcomes", g)
    d = report.delivery
    if d.cvs_sent or d.interviews or d.offers or d.placements or d.chases_due:
        g = _grid()
        g.add_row(
            "Sent and placed",
            f"{d.cvs_sent} CVs sent, {d.interviews} interviews, {d.offers} offers, "
            f"{d.placements} placements" + (f" (fees: {', '.join(d.fees)})" if d.fees else ""),
        )
        if d.feedback_received:
            g.add_row(
                "Feedback on CVs",
                f"{d.feedback_received} answered, {d.days_to_feedback:.1f} days after the CVs "
                f"went, {d.chases_to_feedback:.1f} chases each on average",
            )
        if d.chases_due:
            g.add_row(
                "Chased on time",
                f"{d.chased_on_time} of {d.chases_due} feedback chases rung the day they "
                f"were due ({pct(d.on_time_share)})",
            )
        _section(console, "Candidates & delivery", g)
    console.print()
    console.print(
        Text(
            "Behind any figure: callplan stats --explain FIGURE (e.g. overdue, streak).",
            style="dim",
        )
    )


_DESK = "All {n} recruiters' calls and DMs together: stats --team shows each one's."


def _print_headline(console: Console, report: Report) -> None:
    from rich.text import Text

    h, o = report.habit, report.outcomes
    now = report.headline()
    before = report.previous or {}

    def was(key: str, fmt: Any = str) -> str:
        value = before.get(key)
        return f"; last month {fmt(value)}" if before and value is not None else ""

    target = now["target"]
    share = h.new_dms / target if target else None
    lines = [
        f"New DMs spoken to: {h.new_dms} of {target} ({pct(share)})" + was("new_dms"),
        f"Advances: {o.advances} from {o.conversations} conversations ({pct(o.advance_rate)})"
        + was("advances"),
        f"Second-call rate: {pct(report.persistence.second_call_rate)}"
        + was("second_call_rate", pct),
        f"Overdue at month end: {report.cycle.overdue}" + was("overdue"),
    ]
    for line in lines:
        console.print(Text("  " + line))


def _print_explained(found: Explained, period: Period, *, json_: bool, today: date) -> None:
    if json_:
        output.print_json(shapes.explained_json(found, start=period.start, end=period.end))
        return
    rows = [
        {
            **r,
            "who": ", ".join(x for x in (r["name"], r["company"]) if x),
            "on": wording.day(r["date"], today) if r["date"] else "",
        }
        for r in found.rows
    ]
    output.print_table(
        rows,
        [
            Column("id", "Id", style="dim", justify="right", no_wrap=True),
            Column("who", "Decision maker", ratio=2),
            Column("on", "Date", no_wrap=True),
            Column("detail", "Detail", ratio=3),
        ],
        title=f"{found.figure} ({len(found.rows)}): {found.description}",
        caption=f"{wording.day(period.start)} to {wording.day(period.end)}",
    )


TEAM_ROWS = (  # (label, field, as a share?)
    ("New DMs spoken to", "new_dms", False),
    ("Days on quota", "days_on_quota", False),
    ("Contact base", "base", False),
    ("Within the cycle", "within_share", True),
    ("Overdue", "overdue", False),
    ("Conversations", "conversations", False),
    ("Advances", "advances", False),
    ("Advance rate", "advance_rate", True),
    ("Connect rate", "connect_rate", True),
)


def _print_team(desk: Sequence[RecruiterFigures], period: Period, *, json_: bool) -> None:
    """The desk's figures: one column per recruiter, the figures as rows."""
    if json_:
        output.print_json(shapes.team_json(desk, start=period.start, end=period.end))
        return
    if not desk:
        output.message("No calls or contacts yet: nothing to compare.")
        return
    from rich import box
    from rich.table import Table
    from rich.text import Text

    # The title and the note as lines of their own: as the table's title and caption
    # they would wrap at the width of a narrow table (a desk of two).
    table = Table(box=box.SIMPLE_HEAD)
    table.add_column("", style="bold", no_wrap=True)
    for r in desk:  # Text: a recruiter's name is never read as Rich markup
        table.add_column(Text(r.recruiter or "before teams"), justify="right")
    for label, name, share in TEAM_ROWS:
        values = [getattr(r, name) for r in desk]
        table.add_row(label, *(pct(v) if share else str(v) for v in values))
    console = output.console(width=_width())
    console.print(
        Text(f"The desk: {wording.day(period.start)} to {wording.day(period.end)}", style="bold")
    )
    console.print(table)
    console.print(
        Text(
            "Cycle figures are of the DMs each owns; 'before teams' are calls and DMs with "
            "no recruiter."
        )
    )
