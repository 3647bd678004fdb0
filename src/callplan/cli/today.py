"""`callplan today` and `callplan sweep`: the daily agenda and the monthly sweep."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import typer

from callplan.cli import options, output, render
from callplan.cli.context import runtime
from callplan.cli.output import Column
from callplan.core import calendar as calendar_export
from callplan.core import files, wording
from callplan.errors import UsageError

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.text import Text

    from callplan.cli.context import Runtime
    from callplan.core.files import Target
    from callplan.core.workdays import WorkCalendar
    from callplan.services.sweep import Sweep, SweepDue
    from callplan.services.today import Agenda
    from callplan.store.queries.progress import Progress

CTPS_NOTE = "CTPS: a Corporate TPS number: call only if they've said they don't object."
SCREENFUL = 25  # due calls shown in the table before an "N more" line (--all shows all)

PLAN_COLUMNS = [
    Column("id", "Id", style="dim", justify="right", no_wrap=True),
    Column("who", "Decision maker", min_width=16, ratio=2),
    Column("phone", "Phone", no_wrap=True),
    Column("conv", "Conv", justify="right", no_wrap=True),
    Column("why", "Why now", min_width=20, ratio=3),
]
PLAN_CSV = [
    "section",
    "id",
    "name",
    "company",
    "title",
    "phone",
    "reason",
    "due_on",
    "conversation_number",
    "last_spoke_on",
    "last_summary",
]


def _table_row(row: dict[str, Any], region: str | None) -> dict[str, Any]:
    from rich.text import Text

    who = Text(row["name"], style="bold")
    where = ", ".join(x for x in (row["company"], row["title"]) if x)
    if where:
        who.append("\n" + where, style="dim")
    why = Text(row["reason"])
    if row.get("hook"):
        why.append("\nHook: " + render.hook_label(row["hook"]), style="green")
    if row["last_summary"]:
        summary = row["last_summary"]
        if len(summary) > 120:
            summary = summary[:119] + "…"
        why.append("\nLast: " + summary, style="dim italic")
    phone = Text(render.phone(row["phone"], region))
    if row.get("ctps"):
        phone.append("\nCTPS", style="yellow")
    return {
        "id": row["id"],
        "who": who,
        "phone": phone,
        "conv": wording.ordinal(row["conversation_number"]),
        "why": why,
    }


def today(
    ctx: typer.Context,
    date: str | None = options.DATE,
    all_: bool = typer.Option(False, "--all", help="List every due call, not just a screenful."),
    json_: bool = options.JSON,
    csv_: bool = options.CSV,
    ics: str | None = options.ICS,
    force: bool = options.FORCE_ICS,
    goal: str | None = options.GOAL,
) -> None:
    """Today's calls: new decision makers to meet, then everyone due or past their cycle."""
    from callplan import services
    from callplan.store.queries.common import cycles_in_use
    from callplan.store.queries.progress import progress as progress_of
    from callplan.store.queries.progress import set_goal

    rt = runtime(ctx)
    if goal is not None:  # its own transaction, before the plan that shows it
        new = options.read_goal(goal)
        with rt.writing() as s:
            set_goal(s, day=rt.today, recruiter=rt.recruiter(s, register=True), goal=new)
    fmt = output.choose(json_=json_, csv_=csv_)
    calendar_file = _check_ics(rt, ics, fmt, force=force)
    on = rt.date(date)
    # On a terminal the plan fits its screen (the compact plan); piped, it is the table.
    compact = fmt is output.Format.TABLE and output.console().is_terminal
    limit = None
    if fmt is output.Format.TABLE and not all_ and not ics:
        # Enough due calls to fill any screen; the table shows a screenful of 25.
        limit = max(SCREENFUL, output.console().size.height) if compact else SCREENFUL
    wrote = None
    with rt.agenda(on=on, limit=limit) as (s, desk, agenda, unclaimed):
        who = desk.recruiter
        progress = progress_of(
            s,
            on=on,
            quota=rt.settings.new_per_day,
            cycles=cycles_in_use(s, rt.settings),
            calendar=rt.calendar,
            recruiter=who,
        )
        sweep = services.sweep.sweep_due(s, desk, on=on, out_of_cycle=progress.overdue)
        if calendar_file:  # in the transaction: a calendar that can't be written claims nothing
            calls = [{**r, "on": on} for r in agenda.new + agenda.due + _one_a_person(agenda)]
            wrote = _write_calendar(calendar_file, calls, rt)
    if unclaimed:
        output.warn(unclaimed)
    rt.hint_country()
    if fmt is output.Format.JSON:
        output.print_json(
            services.shapes.today_json(
                agenda,
                recruiter=who,
                working_day=rt.calendar.is_working(on),
                progress=progress,
                sweep=sweep,
            )
        )
    elif fmt is output.Format.CSV:
        rows = [{"section": "new", **r} for r in agenda.new] + [
            {"section": "due", **r} for r in agenda.due
        ]
        rows += [{"section": "delivery", **_csv_delivery(r)} for r in agenda.delivery]
        output.print_csv(rows, PLAN_CSV)
    elif ics != "-" and compact and not agenda.store_empty:
        _print_plan(agenda, rt, progress, all_=all_, sweep=sweep)
    elif ics != "-":
        for line in top_lines(progress, sweep, on):
            output.console().print(line, markup=False, highlight=False)
        _print_agenda(agenda, rt, shown=None if all_ else SCREENFUL)
        render.need_number_line(agenda)
        if not agenda.store_empty:
            output.console().print("\n" + progress_line(progress), markup=False, highlight=False)
    if wrote:
        output.message(wrote)


def top_lines(progress: Progress, sweep: SweepDue | None, on: date) -> list[str]:
    """What the plan opens with: the day's goal with the advances so far, and on sweep
    day the sweep still to run."""
    from callplan.core.goals import goal_line

    lines = [goal_line(progress.goal, progress.advances)] if progress.goal else []
    return lines + ([sweep_line(sweep, on)] if sweep else [])


def sweep_line(due: SweepDue, on: date) -> str:
    """'Sweep day: 42 DMs out of cycle — callplan sweep (last sweep Mon 2 Nov)'."""
    last = (
        f"last sweep {wording.day(due.last_swept_on, on)}" if due.last_swept_on else "no sweep yet"
    )
    return (
        f"Sweep day: {wording.count(due.out_of_cycle, 'DM')} out of cycle — callplan sweep ({last})"
    )


def progress_line(p: Progress) -> str:
    """'New DMs: 1 of 2 today · 6 of 10 this week · streak 4 days · 3 overdue', and once
    a conversation is logged, the day's results under it: 'Results today: 2 advances
    (cv-review, meeting) from 7 conversations'."""
    today = f"{p.today} of {p.quota} today" if p.quota else f"{p.today} today"
    streak = wording.count(p.streak, "day")
    line = (
        f"New DMs: {today} · {p.week} of {p.week_target} this week · streak {streak} · "
        f"{p.overdue} overdue"
    )
    if not p.conversations:
        return line
    types = ", ".join(t if n == 1 else f"{n} {t}" for t, n in p.advances.items())
    return (
        f"{line}\nResults today: {wording.count(p.advanced, 'advance')}"
        + (f" ({types})" if types else "")
        + f" from {wording.count(p.conversations, 'conversation')}"
    )


def _caption(rows: list[dict[str, Any]], text: str | None) -> str | None:
    """A table's caption, with what CTPS means when one of its rows has it."""
    lines = [CTPS_NOTE] if any(r.get("ctps") for r in rows) else []
    return "\n".join([*lines, *([text] if text else [])]) or None


def _print_agenda(agenda: Agenda, rt: Runtime, *, shown: int | None) -> None:
    """The agenda as tables: the new DMs, then the first ``shown`` due calls (None: all)."""
    if agenda.store_empty:
        output.message(
            "Your contact file is empty. Add your first decision maker:\n"
            '  callplan dm add "Jane Smith" --company Acme --phone "020 7946 0000"\n'
            "Then run 'callplan today' again."
        )
        return
    region = render.phone_region(rt)
    output.console().print(_heading(agenda, rt), style="bold", markup=False, highlight=False)
    if agenda.new:
        output.print_table(
            [_table_row(r, region) for r in agenda.new],
            PLAN_COLUMNS,
            title=_new_title(agenda),
            expand=True,
            caption=_caption(agenda.new, _prospects_short(agenda)),
        )
    else:
        output.message(_no_new_dms(agenda, rt))
    due = agenda.due[:shown] if shown is not None else agenda.due
    if due:
        more = agenda.due_total - len(due)
        caption = _more_due(more) if more > 0 else None
        output.print_table(
            [_table_row(r, region) for r in due],
            PLAN_COLUMNS,
            title=f"Due: {agenda.due_total} call{'s' if agenda.due_total != 1 else ''}",
            caption=_caption(due, caption),
            expand=True,
        )
    else:
        output.message("Nothing else is due today.")
    if agenda.delivery:
        output.print_table(
            [_delivery_table_row(r, region) for r in agenda.delivery],
            DELIVERY_COLUMNS,
            title=_delivery_title(agenda),
            expand=True,
        )


DELIVERY_COLUMNS = [
    Column("ref", "Call", style="dim", no_wrap=True),
    Column("who", "Who", min_width=16, ratio=2),
    Column("phone", "Phone", no_wrap=True),
    Column("why", "Why now", min_width=20, ratio=3),
]


def _delivery_title(agenda: Agenda) -> str:
    n = len(agenda.delivery)
    return f"Candidates & delivery: {n} call{'s' if n != 1 else ''}"


def _delivery_ref(row: dict[str, Any]) -> str:
    """What to type to log the call: the client DM's id, or candidate:ID."""
    if row["kind"] == "candidate":
        return f"candidate:{row['id']}"
    return str(row["id"]) if row["id"] is not None else "—"


def _delivery_why(row: dict[str, Any]) -> str:
    return (f"at {row['time']}: " if row["time"] else "") + row["reason"]


def _delivery_table_row(row: dict[str, Any], region: str | None) -> dict[str, Any]:
    from rich.text import Text

    who = Text(row["name"], style="bold")
    job = f"job:{row['job']['id']} {row['job']['title']}" if row["job"] else None
    who.append("\n" + ", ".join(x for x in (row["kind"], job) if x), style="dim")
    return {
        "ref": _delivery_ref(row),
        "who": who,
        "phone": render.phone(row["phone"], region),
        "why": _delivery_why(row),
    }


def _one_a_person(agenda: Agenda) -> list[dict[str, Any]]:
    """The delivery calls as the calendar has them: one call a person, its reasons
    joined, at the earliest time given; none for a client already in new or due (that
    call is theirs) or for a job with no client to ring."""
    taken = {("dm", r["id"]) for r in agenda.new + agenda.due}
    merged: dict[tuple[str, int], dict[str, Any]] = {}
    for row in agenda.delivery:
        if row["id"] is None:
            continue
        key = (row["kind"], row["id"])
        if key in taken:
            continue
        if key in merged:
            first = merged[key]
            first["reason"] += "; " + row["reason"]
            times = [t for t in (first["time"], row["time"]) if t]
            first["time"] = min(times) if times else None
        else:
            merged[key] = {**row, "last_summary": None, "hook": None}
    return list(merged.values())


def _csv_delivery(row: dict[str, Any]) -> dict[str, Any]:
    """A delivery call as a row of the plan's CSV (its columns are the DMs')."""
    return {
        "id": _delivery_ref(row),
        "name": row["name"],
        "company": row["company"],
        "title": row["kind"],
        "phone": row["phone"],
        "reason": _delivery_why(row),
        "due_on": row["due_on"],
    }


def _heading(agenda: Agenda, rt: Runtime) -> str:
    """'Plan for Tue 1 Dec 2026', and whether it is a working day."""
    heading = f"Plan for {wording.day(agenda.on)}"
    if not rt.calendar.is_working(agenda.on):
        holiday = rt.calendar.holiday_name(agenda.on)
        heading += f" — not a working day{f' ({holiday})' if holiday else ''}"
    return heading


def _new_title(agenda: Agenda) -> str:
    return (
        f"New decision makers: {agenda.new_remaining} more to speak to today "
        f"({agenda.first_conversations} of {agenda.quota} done)"
    )


def _prospects_short(agenda: Agenda) -> str | None:
    """The line saying fewer prospects are left than the quota wants, if so."""
    if agenda.new_remaining - len(agenda.new) <= 0:
        return None
    n = len(agenda.new)
    callable_ = " with a number" if agenda.need_number else ""
    return (
        f"Only {n} prospect{'s' if n != 1 else ''}{callable_} left to call today: add more "
        "with 'callplan dm add'."
    )


def _no_new_dms(agenda: Agenda, rt: Runtime) -> str:
    """Why the plan has no new DMs today, and what to do about it."""
    spoken = agenda.first_conversations
    if agenda.new_remaining and agenda.need_number:
        return (
            f"{_new_title(agenda)}, but no prospect left has a number: find theirs, or add "
            "more with 'callplan dm add'."
        )
    if agenda.new_remaining:
        return f"{_new_title(agenda)}, but no prospects are left: add some with 'callplan dm add'."
    if not rt.calendar.is_working(agenda.on):
        following = rt.calendar.next_working(agenda.on, inclusive=False)
        return (
            "New decision makers: none planned on a non-working day. The next working day "
            f"is {wording.day(following, rt.today)}: callplan today --date {following.isoformat()}"
        )
    if agenda.quota == 0:
        return "New decision makers: none planned (the setting new_per_day is 0)."
    return f"New decision makers: quota met ({spoken} of {agenda.quota}). Well done."


def _more_due(more: int) -> str:
    return f"… and {more} more due: callplan today --all"


# --- the compact plan: a terminal's one screen -------------------------------------------

# Lines the plan leaves free on the screen: the command typed above it, the prompt below.
KEEP_FREE = 2
FEWEST_DUE = 3  # due calls shown however small the screen (the pager shows the rest)
PHONE_WIDTH = 24  # the widest the phone column gets (it never wraps: it is cut with …)


def _print_plan(
    agenda: Agenda, rt: Runtime, progress: Progress, *, all_: bool, sweep: SweepDue | None
) -> None:
    """The plan on a terminal, one line per call (id, name, company, phone, why now):
    the new DMs, then as many due calls, most urgent first, as fit the screen with a line
    saying how many more (``--all``: every one, through the pager when that is longer than
    the screen). Every line fits the terminal's width: a long value is cut with "…"."""
    from rich.text import Text

    out = output.console()
    width, height = out.size
    region = render.phone_region(rt)
    total = agenda.due_total
    heading = Text(_heading(agenda, rt), style="bold")
    opening = top_lines(progress, sweep, agenda.on)
    swept = Text("\n".join(opening), style="yellow") if opening else None
    new_line = Text(_new_title(agenda), style="bold") if agenda.new else None
    no_new = None if agenda.new else Text(_no_new_dms(agenda, rt))
    short = _prospects_short(agenda) if agenda.new else None
    need = render.need_number_text(agenda)
    due_line = Text(f"Due: {total} call{'s' if total != 1 else ''}", style="bold")
    delivery_line = Text(_delivery_title(agenda), style="bold") if agenda.delivery else None
    delivery_rows = [_compact_delivery_row(r, region) for r in agenda.delivery]
    ctps = Text(CTPS_NOTE, style="yellow")
    done = Text(progress_line(progress))

    def lines(*texts: Text | str | None) -> int:
        """How many lines of the screen these take, wrapped at its width."""
        return sum(len((Text(t) if isinstance(t, str) else t).wrap(out, width)) for t in texts if t)

    shown = len(agenda.due)
    if not all_:
        more_line = _more_due(total)  # as wide as the line will be, or wider
        taken = lines(heading, swept, new_line, no_new, short, need, due_line, done)
        taken += len(agenda.new) + lines(delivery_line) + len(delivery_rows)
        room = max(FEWEST_DUE, height - KEEP_FREE - taken)
        if any(r.get("ctps") for r in agenda.new + agenda.due[:room]):
            room = max(FEWEST_DUE, room - lines(ctps))
        # All of them when they fit; else as many as fit with the "N more" line.
        if total > room:
            room = max(FEWEST_DUE, room - lines(more_line))
        shown = min(shown, room)
    due = agenda.due[:shown]
    rows = [_compact_row(r, region) for r in agenda.new + due]
    widths = _column_widths(rows, width)
    body: list[RenderableType] = [heading, *([swept] if swept else [])]
    if new_line:
        body += [new_line, _compact_table(rows[: len(agenda.new)], widths)]
        if short:
            body.append(Text(short))
    elif no_new:
        body.append(no_new)
    if need:
        body.append(Text(need))
    if due:
        body += [due_line, _compact_table(rows[len(agenda.new) :], widths)]
    else:
        body.append(Text("Nothing else is due today."))
    if total > len(due):
        body.append(Text(_more_due(total - len(due))))
    if delivery_line:
        body += [
            delivery_line,
            _compact_table(delivery_rows, _column_widths(delivery_rows, width), ids="left"),
        ]
    if any(r.get("ctps") for r in agenda.new + due):
        body.append(ctps)
    body.append(done)
    output.print_paged(body)


def _compact_row(row: dict[str, Any], region: str | None) -> tuple[Text, Text, Text, Text, Text]:
    from rich.text import Text

    phone = render.phone(row["phone"], region)
    why = Text(row["reason"])
    if row.get("hook"):
        why.append(" · " + render.hook_label(row["hook"]), style="green")
    return (
        Text(str(row["id"]), style="dim"),
        Text(row["name"], style="bold"),
        Text(row["company"] or "", style="dim"),
        Text(phone + (" CTPS" if row.get("ctps") else "")),
        why,
    )


def _compact_delivery_row(
    row: dict[str, Any], region: str | None
) -> tuple[Text, Text, Text, Text, Text]:
    """A delivery call in the compact plan: what to log it as, who, the job, the phone,
    why now."""
    from rich.text import Text

    job = f"job:{row['job']['id']}" if row["job"] else row["kind"]
    return (
        Text(_delivery_ref(row), style="dim"),
        Text(row["name"], style="bold"),
        Text(job, style="dim"),
        Text(render.phone(row["phone"], region)),
        Text(_delivery_why(row)),
    )


# The share of the width name, company and why now get when not all of them fit.
SHARES = (3, 2, 5)


def _column_widths(rows: Sequence[Sequence[Text]], width: int) -> list[int]:
    """The width of each column of the compact plan, the same in both sections: id and
    phone as wide as their widest (the phone up to PHONE_WIDTH), and name, company and
    why now as wide as their widest when they fit, else sharing what is left by SHARES,
    a column that needs less than its share giving the rest to the others."""
    wanted = [max((row[i].cell_len for row in rows), default=1) for i in range(5)]
    wanted[3] = min(wanted[3], PHONE_WIDTH)
    widths = list(wanted)
    left = max(3, width - wanted[0] - wanted[3] - 4)  # 4: a space between columns
    open_ = {1: SHARES[0], 2: SHARES[1], 4: SHARES[2]}
    while open_:
        share = {i: left * weight / sum(open_.values()) for i, weight in open_.items()}
        fits = [i for i in open_ if wanted[i] <= share[i]]
        if not fits:
            for i in open_:
                widths[i] = max(1, int(share[i]))
            # What rounding down left over goes to why now, the one most worth reading.
            widths[max(open_)] += int(left) - sum(widths[i] for i in open_)
            break
        for i in fits:
            left -= wanted[i]
            del open_[i]
    return widths


def _compact_table(
    rows: Sequence[Sequence[Text]], widths: Sequence[int], *, ids: str = "right"
) -> Any:
    """One line per call, its columns the widths ``_column_widths`` gives (the same in
    both of the plan's sections); a longer value is cut with "…", never wrapped."""
    from rich.table import Table

    table = Table.grid(padding=(0, 1, 0, 0))
    for i, column_width in enumerate(widths):
        table.add_column(
            justify=ids if i == 0 else "left",  # type: ignore[arg-type]
            width=column_width,
            no_wrap=True,
            overflow="ellipsis",
        )
    for row in rows:
        table.add_row(*row)
    return table


def sweep(
    ctx: typer.Context,
    date: str | None = typer.Option(
        None, "--date", metavar="DATE", help="Sweep as of this date (default: today)."
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Show what would be diarised; write nothing."
    ),
    all_: bool = typer.Option(False, "--all", help="List every DM swept, not just a screenful."),
    json_: bool = options.JSON,
    ics: str | None = options.ICS,
    force: bool = options.FORCE_ICS,
) -> None:
    """The monthly sweep: spread everyone out of cycle over the month's working days."""
    from callplan import services
    from callplan.store import queries

    rt = runtime(ctx)
    fmt = output.choose(json_=json_)
    calendar_file = _check_ics(rt, ics, fmt, force=force)
    on = rt.date(date)
    wrote = None
    with rt.reading() if dry_run else rt.writing() as s:
        result = services.sweep.sweep(s, rt.desk(s), on=on, write=not dry_run)
        # In the transaction: a calendar that can't be written undoes the sweep.
        if calendar_file:
            summaries = queries.calls.last_summaries(s, dm_ids=[dm.id for dm, _ in result.placed])
            calls = [
                {
                    **services.shapes.contact_fields(dm),
                    "reason": services.sweep.why_swept(dm, on=day, settings=rt.settings),
                    "last_summary": summaries.get(dm.id),
                    "on": day,
                }
                for dm, day in result.placed
            ]
            wrote = _write_calendar(calendar_file, calls, rt)
    load = result.load_after()
    # A month's sweep of a big contact file places thousands: the table shows a screenful.
    shown = None if fmt is output.Format.JSON or all_ else SCREENFUL
    swept = [services.shapes.swept_row(dm, day, on=on) for dm, day in result.placed[:shown]]
    review = [
        services.shapes.review_row(dm, why="advance", summary=result.summaries.get(dm.id or 0))
        for dm in result.review
    ] + [
        services.shapes.review_row(dm, why="hook", summary=result.summaries.get(dm.id or 0), hook=m)
        for dm, m in result.hook_review
    ]
    if fmt is output.Format.JSON:
        output.print_json(
            services.shapes.sweep_json(
                result, on=on, dry_run=dry_run, load=load, swept=swept, review=review
            )
        )
    elif ics != "-":
        _print_sweep(result, load, swept, review, rt, dry_run=dry_run, ics=ics)
    if wrote:
        output.message(wrote)
    if result.unowned and fmt is not output.Format.JSON:
        output.message(unowned_hint(result.unowned))


def unowned_hint(count: int) -> str:
    """One line on the DMs spoken to that nobody owns: no one's sweep or agenda has them."""
    if count == 1:
        return (
            "1 DM spoken to has no owner, so no one's sweep places it: hand it over with "
            "callplan dm assign DM --to NAME."
        )
    return (
        f"{count:,} DMs spoken to have no owner, so no one's sweep places them: hand them "
        "over with callplan dm assign DM --to NAME."
    )


def _print_sweep(
    result: Sweep,
    load: dict[Any, int],
    swept: list[dict[str, Any]],
    review: list[dict[str, Any]],
    rt: Runtime,
    *,
    dry_run: bool,
    ics: str | None,
) -> None:
    _print_calendar(result, load, rt.calendar)
    verb = "Would diarise" if dry_run else "Diarised"
    total = len(result.placed)
    more = total - len(swept)
    caption = None
    if more:
        caption = f"… and {more:,} more: " + (
            "--all lists them all" if dry_run else "each is in the plan on their day"
        )
    if swept:
        output.print_table(
            [
                {
                    **r,
                    "due": wording.day(r["due_on"], rt.today),
                    "last": f"{r['days_since']} days ago",
                }
                for r in swept
            ],
            [
                Column("id", "Id", style="dim", justify="right", no_wrap=True),
                Column("name", "Decision maker", ratio=2),
                Column("company", "Company", ratio=2),
                Column("due", "Call on", no_wrap=True),
                Column("last", "Last spoke", no_wrap=True),
            ],
            title=f"{verb} {wording.count(total, 'DM')} out of cycle",
            caption=caption,
        )
    else:
        output.message("Everyone in your contact base is within their cycle or already diarised.")
    if dry_run and swept:
        output.message("Dry run: nothing was diarised." if ics else "Dry run: nothing was written.")
    if review:
        output.print_table(
            [
                {
                    **r,
                    "due": wording.day(r["due_on"], rt.today),
                    "reason": f"{r['last_outcome']}: {r['last_summary'] or ''}".rstrip(": ")
                    if r["why"] == "advance"
                    else f"fits {render.hook_label(r['hook'])}",
                }
                for r in review
            ],
            [
                Column("id", "Id", style="dim", justify="right", no_wrap=True),
                Column("name", "Decision maker", ratio=2),
                Column("due", "Due", no_wrap=True),
                Column("reason", "Why sooner", ratio=4),
            ],
            title="Not due this month, but worth pulling forward?",
            caption="To pull one forward: callplan dm edit DM --due DATE",
        )


def _check_ics(rt: Runtime, ics: str | None, fmt: output.Format, *, force: bool) -> Target | None:
    """The --ics file (a callplan.core.files.Target), checked before any work is done."""
    if ics == "-" and fmt is not output.Format.TABLE:
        raise UsageError(f"--ics - writes the calendar to stdout: it can't go with --{fmt}.")
    if ics is not None and not ics.strip():
        raise UsageError("--ics needs a file name (or '-' for stdout).")
    return rt.target(ics, what="calendar", force=force) if ics is not None else None


def _write_calendar(target: Target, calls: list[dict[str, Any]], rt: Runtime) -> str | None:
    """Write the calls as an iCalendar file (or to stdout with '-'). Returns the message
    to print once the agenda is shown: how many calls, and how many fell after day_end."""
    from datetime import UTC, datetime

    events = calendar_export.events(
        [{**c, "hook": render.hook_label(c["hook"]) if c.get("hook") else None} for c in calls],
        settings=rt.settings,
    )
    data = calendar_export.to_ical(events, stamp=datetime.now(UTC))
    late = sum(not e.slot.in_hours for e in events)
    warning = (
        f"{late} call{'s' if late != 1 else ''} didn't fit before "
        f"{rt.settings.day_end:%H:%M} (day_end) and {'are' if late != 1 else 'is'} in the "
        "calendar after it."
        if late
        else None
    )
    files.write(target, data)
    if target.is_stdout:
        if warning:
            output.warn(warning)
        return None
    wrote = f"Wrote {len(events)} call{'s' if len(events) != 1 else ''} to {target.given}."
    return f"{wrote} {warning}" if warning else wrote


def _print_calendar(result: Sweep, load: dict[date, int], calendar: WorkCalendar) -> None:
    """Weeks as rows, working weekdays as columns: 'day-of-month: calls'."""
    from rich import box
    from rich.table import Table

    weekdays = sorted(calendar.weekdays)
    names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    last = result.until - timedelta(days=1)
    output.console().print(
        f"Calls per working day, {wording.day(result.on)} to {wording.day(last)}",
        style="bold",
        markup=False,
        highlight=False,
    )
    table = Table(
        box=box.SIMPLE_HEAD,
        show_edge=False,
    )
    for i in weekdays:
        table.add_column(names[i], justify="right", no_wrap=True)
    monday = result.on - timedelta(days=result.on.weekday())
    while monday < result.until:
        cells = []
        for i in weekdays:
            d = monday + timedelta(days=i)
            if d < result.on or d >= result.until:
                cells.append("")
            elif d in load:
                cells.append(f"{d.day:>2}: {load[d]:>2}")
            else:
                cells.append(f"{d.day:>2}: hol" if calendar.holiday_name(d) else "")
        table.add_row(*cells)
        monday += timedelta(days=7)
    output.console().print(table)
