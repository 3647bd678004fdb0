"""Renderers more than one command shows: a brief, what a logged call recorded, what an
erasure leaves behind. A command module never imports another command module; what two
commands share lives here (or in context, options and output)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from callplan.cli import output
from callplan.cli.context import Runtime
from callplan.cli.output import Column
from callplan.core import files, loops, purposes, wording
from callplan.core.kinds import Status
from callplan.core.notes import NOTE_FIELDS, filled_labels
from callplan.core.phones import phone_display, region_of

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.text import Text

    from callplan.core.brief import Brief, Closing
    from callplan.core.outcomes import Outcome
    from callplan.core.planner import NextCall
    from callplan.services.calls import LogResult
    from callplan.services.jobs import Added as JobAdded
    from callplan.services.today import Agenda
    from callplan.store.models import Call


def phone_region(rt: Runtime) -> str | None:
    """The country whose numbers are shown in their national format: the desk's."""
    return region_of(rt.settings.country)


def phone(number: str | None, region: str | None, *, missing: str = "—") -> str:
    """A DM's number as every command shows it (core.phones.phone_display): national
    for the desk's country, international for another's; ``missing`` when there is none."""
    return phone_display(number, region) if number else missing


def print_brief(b: Brief, today: date, *, region: str | None = None) -> None:
    """A DM's brief (brief and go); ``region``: the country whose numbers are national."""
    out = output.console()
    for part in brief_parts(b, today, region=region):
        out.print(part)


def brief_parts(
    b: Brief, today: date, *, region: str | None = None, link: bool = False
) -> list[RenderableType]:
    """A DM's brief as Rich renderables, a line or block each: `brief` and `go` print them,
    the cockpit shows them in its brief pane; ``link`` makes the number a ``tel:`` link."""
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    parts: list[RenderableType] = []
    c = b.contact
    head = Text(f"#{c['id']} {c['name']}", style="bold")
    where = ", ".join(x for x in (c.get("title"), c.get("company")) if x)
    if where:
        head.append(f" · {where}")
    head.append(" · ").append(phone_text(c.get("phone"), region, link=link, missing="no number"))
    if c.get("ctps"):
        head.append(" · CTPS", style="bold yellow")
    parts.append(head)
    if c.get("status") == Status.DNC:
        parts.append(Text("Do not call: they asked not to be called.", style="bold red"))
    if c.get("ctps"):
        parts.append(
            Text(
                "CTPS-registered number: call only if they've said they don't object.",
                style="yellow",
            )
        )
    if b.referrer and b.conversation_number == 1:
        parts.append(Text(f"Referred by {b.referrer}", style="green"))
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
    parts.append(line)
    parts.append(Text("Why now: ", style="bold").append(b.reason, style=""))

    def indented(text: Text) -> Padding:
        return Padding(text, (0, 0, 0, 2))

    def section(title: str, rows: list[Text]) -> None:
        if rows:
            parts.append(Text(title, style="bold"))
            parts.extend(indented(Text("• ").append(row)) for row in rows)

    section(
        "Open loops",
        [
            Text(loop.text).append(
                f" (opened {loops.ago(loop.age_days)}"
                + (f", {chased}" if (chased := loops.chased(loop.chases)) else "")
                + ")",
                style="dim",
            )
            for loop in b.loops
        ],
    )
    section("Their jobs", [Text(j.line()) for j in b.jobs])
    if b.push:
        parts.append(Text("Push: ", style="bold").append(b.push, style="yellow"))
    if b.picture:
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column(ratio=1)
        grid.add_column(style="dim", no_wrap=True)
        for f in NOTE_FIELDS:
            if f.name in b.picture:
                cur = b.picture[f.name]
                grid.add_row("  " + f.label, Text(cur.value), wording.day(cur.noted_on, today))
        parts.append(Text("Current picture", style="bold"))
        parts.append(grid)
    section(
        "Hooks",
        [Text(m.hook.describe()).append(f" — {'; '.join(m.why)}", style="dim") for m in b.hooks],
    )
    if b.opening:
        parts.append(Text("Opening", style="bold"))
        parts.append(indented(Text(f"“{b.opening}”", style="cyan")))
    if b.ask:
        parts.append(Text("Ask", style="bold"))
        parts.append(indented(Text(b.ask)))
    parts.extend(closing_parts(b.closing))
    return parts


def phone_text(
    number: str | None, region: str | None, *, link: bool = False, missing: str = "—"
) -> Text:
    """A number as ``phone`` shows it; with ``link`` a ``tel:`` link to dial it from
    terminals that support links (the number in E.164, as stored)."""
    from rich.text import Text

    shown = phone(number, region, missing=missing)
    return Text(shown, style=f"link tel:{number}" if link and number else "")


CLOSING_WHEN = {"curt": "Curt", "not-interested": "Not interested", "wrong-time": "Wrong time"}


def print_closing(lines: Sequence[Closing]) -> None:
    """The lines for the end of a call (brief, and go after a continuation)."""
    out = output.console()
    for part in closing_parts(lines):
        out.print(part)


def closing_parts(lines: Sequence[Closing]) -> list[RenderableType]:
    """The closing lines as renderables: a heading and a line for each, or nothing."""
    from rich.padding import Padding
    from rich.text import Text

    if not lines:
        return []
    parts: list[RenderableType] = [Text("Closing", style="bold")]
    for c in lines:
        row = Text(CLOSING_WHEN.get(c.when, c.when) + ": ", style="dim").append(
            f"“{c.line}”", style=""
        )
        parts.append(Padding(row, (0, 0, 0, 2)))
    return parts


def need_number_text(agenda: Agenda) -> str | None:
    """The prospects the new-DM slots pass over for want of a number, in one line."""
    n = agenda.need_number
    if not n:
        return None
    need = "needs" if n == 1 else "need"
    return f"{wording.count(n, 'new DM')} {need} a number: callplan dm list --status need-number"


def need_number_line(agenda: Agenda) -> None:
    """need_number_text on stderr (today's piped plan)."""
    text = need_number_text(agenda)
    if text:
        output.message(text)


def report_note(result: LogResult) -> None:
    """The line saying which note fields a logged call recorded (log and go)."""

    if result.note is not None:
        output.echo(f"Noted: {', '.join(filled_labels(result.note))}.")


def report_referrals_and_warnings(result: LogResult, referrer: str) -> None:
    """The prospects a logged call added, then its warnings (log and go)."""
    for person in result.referred:
        where = f" ({person.company})" if person.company else ""
        output.echo(
            f"Added #{person.id} {person.name}{where} as a prospect, referred by {referrer}."
        )
    for warning in result.warnings:
        output.warn(warning)


# --- a person's data: export and erasure (docs/data.md) ---------------------------------


def write_access(where: Any, data: Mapping[str, Any], who: str, counts: Sequence[str]) -> None:
    """A subject access export (`dm export`, `candidate export`) written where asked;
    to a file, a line saying what it holds."""
    files.write(where, (wording.json_text(data) + "\n").encode("utf-8"))
    if not where.is_stdout:
        output.message(
            f"Wrote everything held about {who} to {where.given}: {', '.join(counts)} in "
            "others' records."
        )


def scrubbed(count: int, erased: str) -> str:
    """'; mentions of them are now [erased] in 2 other records' (none: '')."""
    if not count:
        return ""
    return f"; mentions of them are now {erased} in {wording.count(count, 'other record')}"


def warn_shared(shared: Sequence[str]) -> None:
    """The identifiers an erasure left in others' records: people still here share them."""
    if shared:
        output.warn(
            "Left in others' records, as people still here share them: "
            f"{'; '.join(shared)} (docs/data.md)."
        )


def warn_what_remains(rt: Runtime, emptied: bool, tables: Sequence[str]) -> None:
    """After an erasure: the backups that still hold the deleted, a log not emptied, and
    on a database server what its files keep and what its administrator runs."""
    output.warn(backups_note(rt, tables))
    if not emptied:
        output.warn(
            "Another callplan has the store open: its write-ahead log (the -wal file) is "
            "emptied when that one ends."
        )


def backups_note(rt: Runtime, tables: Sequence[str]) -> str:
    """Erasure doesn't reach backups (nor, on PostgreSQL, the server's files): say where
    they are, and on a server what removes them (measured: docs/team.md)."""
    from callplan.store.backup import backup_folder
    from callplan.store.db import store_path

    store = store_path(rt.engine)
    if store is None:
        return (
            "The server's files still hold the deleted rows and the old versions of the "
            "changed ones (a plain VACUUM leaves them readable). The database's owner "
            "removes them by running, in this database: VACUUM (FULL, ANALYZE) "
            f"{', '.join(tables)}; then VACUUM FULL pg_statistic; then (as a superuser) "
            "CHECKPOINT. Its write-ahead log keeps them until its files are recycled, and "
            "archived WAL, base backups and dumps (pg_dump) until deleted (docs/team.md)."
        )
    folder = backup_folder(store)
    held = list(folder.glob("*.sqlite3"))
    where = f"the {wording.count(len(held), 'file')} in {folder}" if held else f"none in {folder}"
    return (
        f"Backups made before now still hold them until you delete them: {where}, and any "
        "copies kept elsewhere."
    )


def warn_about_next_call(
    rt: Runtime, outcome: Outcome, requested: date | None, nc: NextCall
) -> None:
    """Say when the cycle pulled the next call in, or the date asked for isn't a working
    day (log and go)."""
    if nc.capped and nc.on is not None:
        asked = (
            f"You asked for {wording.day(nc.requested, rt.today)},"
            if nc.requested
            else f"The default for {outcome.type} ({rt.settings.delay(outcome.type)}) is"
        )
        output.warn(
            f"{asked} past the {nc.cycle_days or rt.settings.cycle_days}-day cycle: diarised for "
            f"{wording.day(nc.on, rt.today)} instead."
        )
    elif requested is not None and not rt.calendar.is_working(requested):
        output.warn(f"Note: {wording.day(requested, rt.today)} is not a working day.")


def print_calls(calls: Sequence[Call], used: Mapping[int, list[str]], *, today: date) -> None:
    """A DM's calls, newest first, each with the id that `call edit` and `call delete`
    take (dm show, call list)."""
    if not calls:
        output.message("No calls yet.")
        return
    output.print_table(
        [
            {
                "id": f"#{c.id}",
                "on": wording.day(c.called_on, today),
                "kind": c.kind,
                "outcome": c.outcome
                + (f" ({wording.ordinal(c.conversation_number)})" if c.conversation_number else ""),
                "summary": " ".join(
                    ([f"[for: {purposes.label(c.purpose)}]"] if c.purpose else [])
                    + [c.summary or ""]
                    + ([f"· to say: “{c.say}”"] if c.say else [])
                    + [f"[{h}]" for h in used.get(c.id or 0, [])]
                ).strip(),
            }
            for c in calls
        ],
        [
            Column("id", "Call", no_wrap=True),
            Column("on", "Date", no_wrap=True),
            Column("kind", "Kind", no_wrap=True),
            Column("outcome", "Outcome", no_wrap=True),
            Column("summary", "Summary", ratio=1),
        ],
        title=f"Calls ({len(calls)}, newest first)",
    )


def hook_label(hook: dict[str, Any]) -> str:
    """A hook as the plan shows it; an event with its day."""
    parts = [wording.day(hook["held_on"])] if hook.get("held_on") else []
    parts += [hook["detail"]] if hook.get("detail") else []
    detail = f" ({', '.join(parts)})" if parts else ""
    return f"{hook['title']}{detail} [{hook['ref']}]"


def report_job_added(added: JobAdded) -> None:
    """A job added (`job add`, `log … --job`): the job and its client, what is odd about
    the client, and the candidates to ask for referrals (core: a new job prompts it)."""
    job, client = added.job, added.client
    line = f"Added job:{job.id} {job.title}"
    if job.company and (client is None or job.company != client.company):
        line += f" ({job.company})"
    output.echo(line + (f" for {client.name}" if client is not None else "") + ".")
    for warning in added.warnings:
        output.warn(warning)
    if added.ask:
        names = ", ".join(
            f"candidate:{c.id} {c.name} ({', '.join(shared)})" for c, shared in added.ask
        )
        output.echo(f"Ask them for referrals: {names}.")
