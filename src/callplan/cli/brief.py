"""`callplan brief DM`: what to know before you dial, in under a screen."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import typer

from callplan.cli import options, output
from callplan.cli.context import runtime
from callplan.core import templates, wording
from callplan.core.hooks import match_json
from callplan.core.notes import NOTE_FIELDS

if TYPE_CHECKING:
    from callplan.core.brief import Brief


def brief(
    ctx: typer.Context,
    dm: str = options.DM,
    json_: bool = options.JSON,
) -> None:
    """The call brief: who, why now, last time, the current picture, open loops, hooks,
    and an opening line built from your notes."""
    from callplan import services
    from callplan.store import queries

    rt = runtime(ctx)
    words = templates.load(rt.environ)
    with rt.reading() as s:
        target = queries.dms.find_dm(s, ref=dm)
        result = services.briefs.brief_for(
            s, dm=target, today=rt.today, settings=rt.settings, words=words
        )
    if json_:
        output.print_json(as_json(result))
    else:
        print_brief(result, rt.today)


def as_json(b: Brief) -> dict[str, Any]:
    return {
        "dm": b.contact,
        "referred_by": b.referrer,
        "conversation_number": b.conversation_number,
        "last_spoke_on": b.last_spoke_on,
        "last_outcome": b.last_outcome,
        "last_summary": b.last_summary,
        "reason": b.reason,
        "picture": {k: {"value": c.value, "noted_on": c.noted_on} for k, c in b.picture.items()},
        "open_loops": b.loops,
        "hooks": [match_json(m) for m in b.hooks],
        "opening": b.opening,
        "ask": b.ask,
    }


def print_brief(b: Brief, today: date) -> None:
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    out = output.console()
    c = b.contact
    head = Text(f"#{c['id']} {c['name']}", style="bold")
    where = ", ".join(x for x in (c.get("title"), c.get("company")) if x)
    if where:
        head.append(f" · {where}")
    head.append(f" · {c.get('phone') or 'no number'}")
    if c.get("ctps"):
        head.append(" · CTPS", style="bold yellow")
    out.print(head)
    if c.get("status") == "dnc":
        out.print(Text("Do not call: they asked not to be called.", style="bold red"))
    if c.get("ctps"):
        out.print(
            Text(
                "CTPS-registered number: call only if they've said they don't object.",
                style="yellow",
            )
        )
    if b.referrer and b.conversation_number == 1:
        out.print(Text(f"Referred by {b.referrer}", style="green"))
    line = Text(f"{wording.ordinal(b.conversation_number)} conversation")
    if b.last_spoke_on:
        ago = (today - b.last_spoke_on).days
        when = wording.day(b.last_spoke_on, today)
        if ago > 1:
            when += f" ({ago} days ago)"
        line.append(f" · last spoke {when}")
        if b.last_outcome:
            line.append(f": {b.last_outcome}")
        if b.last_summary:
            line.append(f" — {b.last_summary}", style="italic")
    else:
        line.append(" · never spoken to")
    out.print(line)
    out.print(Text("Why now: ", style="bold").append(b.reason, style=""))

    def indented(text: Text) -> Padding:
        return Padding(text, (0, 0, 0, 2))

    def section(title: str, rows: list[Text]) -> None:
        if rows:
            out.print(Text(title, style="bold"))
            for row in rows:
                out.print(indented(Text("• ").append(row)))

    section("Open loops", [Text(loop) for loop in b.loops])
    if b.picture:
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column(ratio=1)
        grid.add_column(style="dim", no_wrap=True)
        for f in NOTE_FIELDS:
            if f.name in b.picture:
                cur = b.picture[f.name]
                grid.add_row("  " + f.label, Text(cur.value), wording.day(cur.noted_on, today))
        out.print(Text("Current picture", style="bold"))
        out.print(grid)
    section(
        "Hooks",
        [Text(m.hook.describe()).append(f" — {'; '.join(m.why)}", style="dim") for m in b.hooks],
    )
    if b.opening:
        out.print(Text("Opening", style="bold"))
        out.print(indented(Text(f"“{b.opening}”", style="cyan")))
    if b.ask:
        out.print(Text("Ask", style="bold"))
        out.print(indented(Text(b.ask)))
