"""`callplan dm ...`: add, list, show, edit, archive, do-not-call and restore DMs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from callplan.cli import complete, options, output, render
from callplan.cli.context import Runtime, runtime
from callplan.cli.options import clean_text
from callplan.cli.output import Column
from callplan.cli.render import print_calls, warn_what_remains
from callplan.core import contacts, files, loops, phones, wording
from callplan.core.dates import WHEN_HELP
from callplan.core.kinds import LawfulBasis, Status
from callplan.core.notes import NOTE_FIELDS, current_picture
from callplan.errors import RecruiterNotFound, UsageError

if TYPE_CHECKING:
    from callplan.store.models import DecisionMaker

app = typer.Typer(help="Decision makers: add, list, show, edit, archive, export, forget.")
app.callback(invoke_without_command=True)(options.show_help_without_command)

DM_ARG = options.DM


def _basis(value: str | None) -> str | None:
    """A lawful basis as typed, checked: legitimate-interest, consent or contract."""

    if value is None:
        return None
    key = "-".join(value.strip().lower().replace("_", " ").split())
    if key not in LawfulBasis.ALL:
        raise UsageError(
            f"Unknown lawful basis {value!r}: use one of {', '.join(LawfulBasis.ALL)}."
        )
    return key


BASIS = typer.Option(
    None,
    "--basis",
    metavar="BASIS",
    help="The lawful basis for holding their details and calling them: legitimate-interest "
    "(the default), consent or contract. See docs/data.md.",
)
CTPS_HELP = (
    "Their number is registered with the Corporate TPS: call only if they've told you "
    "they don't object (shown as CTPS in the plan and the brief)."
)


@app.command("add")
def add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Their full name."),
    company: str | None = typer.Option(None, "--company", help="Where they work."),
    title: str | None = typer.Option(None, "--title", help="Their job title."),
    phone: str | None = typer.Option(None, "--phone", help="The number you call them on."),
    email: str | None = typer.Option(None, "--email"),
    linkedin: str | None = typer.Option(None, "--linkedin", help="Their LinkedIn profile URL."),
    tag: list[str] = typer.Option(
        [],
        "--tag",
        help="A free word: skill, sector, seniority. Repeatable.",
        autocompletion=complete.tags,
    ),
    referred_by: str | None = typer.Option(
        None, "--referred-by", metavar="DM", help="The DM who named them (called before cold ones)."
    ),
    note: str | None = typer.Option(None, "--note", help="Anything worth knowing before the call."),
    basis: str | None = BASIS,
    ctps: bool = typer.Option(False, "--ctps", help=CTPS_HELP),
    tier: str | None = options.TIER,
    cycle: str | None = options.CYCLE,
    force: bool = typer.Option(
        False,
        "--force",
        help="Add even if the same name is at the same company, or they were erased.",
    ),
) -> None:
    """Add a decision maker as a prospect: they join the new-DM queue."""
    from callplan import services
    from callplan.store import queries

    rt = runtime(ctx)
    clean_name = clean_text(name, "name")
    if not clean_name:
        raise UsageError("The name is empty.")
    fields = {
        "company": clean_text(company, "company"),
        "title": clean_text(title, "title"),
        "phone": None,
        "email": options.read_email(email),
        "linkedin": clean_text(linkedin, "LinkedIn URL", max_length=500),
    }
    fields["phone"], kept = options.read_phone(phone, country=rt.settings.country)
    tags = [t for t in (clean_text(t, "tag", max_length=60) for t in tag) if t]
    text = clean_text(note, "note", max_length=10_000, multiline=True)
    lawful_basis = _basis(basis)
    cadence = options.read_cadence(rt.settings, tier, cycle)
    with rt.writing() as s:
        referrer = queries.dms.find_dm(s, ref=referred_by) if referred_by else None
        dm = services.people.add_prospect(
            s,
            rt.desk(s),
            name=clean_name,
            fields=fields,
            force=force,
            tags=tags,
            referred_by=referrer,
            lawful_basis=lawful_basis,
            ctps=ctps,
        )
        assert dm.id is not None
        if cadence is not None:
            dm.tier, dm.cycle_days = cadence
        if text:
            queries.calls.add_note(
                s, dm_id=dm.id, on=rt.today, text=text, recruiter=rt.recruiter(s, register=True)
            )
    extra = f", referred by {referrer.name}" if referrer else ""
    output.echo(
        f"Added #{dm.id} {dm.name}{f' ({dm.company})' if dm.company else ''} as a prospect{extra}."
    )
    if kept:
        output.warn(kept)


LIST_COLUMNS = [
    Column("id", "Id", style="dim", justify="right", no_wrap=True),
    Column("name", "Name", min_width=14, ratio=3, cut=True),
    Column("company", "Company", min_width=12, ratio=2, cut=True),
    Column("phone", "Phone", no_wrap=True),
    Column("spoken", "Spoken", justify="right", no_wrap=True),
    Column("due", "Next call", no_wrap=True),
]
OWNER_COLUMN = Column("owner", "Owner", max_width=12, no_wrap=True)
LIST_CSV = [
    "id",
    "name",
    "company",
    "title",
    "phone",
    "email",
    "linkedin",
    "tags",
    "status",
    "conversations",
    "last_spoke_on",
    "due_on",
    "owner",
]


@app.command("list")
def list_(
    ctx: typer.Context,
    status: str = typer.Option(
        "active",
        "--status",
        help="active (not archived or do-not-call), prospect, need-number (a prospect with "
        "no number to ring), contact (spoken to), due, archived, dnc, all.",
    ),
    company: str | None = typer.Option(None, "--company", help="Company contains this text."),
    tag: str | None = typer.Option(
        None, "--tag", help="Has this tag.", autocompletion=complete.tags
    ),
    search: str | None = typer.Option(
        None, "--search", help="Name, company, title, email or phone contains this text."
    ),
    mine: bool = typer.Option(False, "--mine", help="Your own DMs only."),
    owner: str | None = typer.Option(
        None, "--owner", metavar="NAME", help="This recruiter's DMs only."
    ),
    json_: bool = options.JSON,
    csv_: bool = options.CSV,
) -> None:
    """List decision makers, filtered."""
    from callplan import services
    from callplan.store import queries

    rt = runtime(ctx)
    fmt = output.choose(json_=json_, csv_=csv_)
    if mine and owner is not None:
        raise UsageError("--mine and --owner both say whose DMs to list: give one.")
    whose = options.recruiter(owner, "--owner") if owner is not None else None
    with rt.reading() as s:
        if mine:
            whose = rt.recruiter(s)
        dms = queries.dms.list_dms(
            s,
            status=status.strip().lower(),
            company=company,
            tag=tag,
            search=search,
            on=rt.today,
            owner=queries.recruiters.recruiter(s, name=whose) if whose is not None else None,
        )
        me = rt.recruiter(s)
        tags = queries.dms.tags_of(s, dm_ids=[dm.id for dm in dms if dm.id is not None])
        referrers = queries.dms.names_of(s, dm_ids=[dm.referred_by_id for dm in dms])
    rows = [
        services.shapes.dm_row(dm, tags.get(dm.id or 0, []), referrers.get(dm.referred_by_id or 0))
        for dm in dms
    ]
    region = render.phone_region(rt)
    if fmt is output.Format.TABLE and not rows:
        output.message(
            "No decision makers match."
            if (company or tag or search or whose or status != Status.ACTIVE)
            else "No decision makers yet: callplan dm add NAME"
        )
        return
    output.emit(
        fmt,
        data={"count": len(rows), "dms": rows},
        rows=[
            {
                **r,
                # The number as shown on a screen; CSV keeps it as typed, as JSON does.
                "phone": render.phone(r["phone"], region, missing="")
                if fmt is output.Format.TABLE
                else r["phone"],
                "spoken": f"{r['conversations']}×" if r["conversations"] else "—",
                "due": wording.day(r["due_on"], rt.today)
                if r["due_on"] and r["status"] == Status.ACTIVE
                else "",
                "owner": r["owner"] or "—",
            }
            for r in rows
        ],
        # Whose they are, when that says something: not on a store of one recruiter.
        columns=[*LIST_COLUMNS, OWNER_COLUMN]
        if any(dm.owner not in (None, me) for dm in dms)
        else LIST_COLUMNS,
        title=f"{len(rows)} decision maker{'s' if len(rows) != 1 else ''}",
        csv_keys=LIST_CSV,
    )


def _cadence(rt: Runtime, dm: DecisionMaker) -> str | None:
    """The DM's own cycle, when they have one: 'tier key: 14 days'; a tier no longer set
    says so. None on cycle_days."""
    days = rt.settings.cycle_of(dm.tier, dm.cycle_days)
    if dm.cycle_days is not None:
        return f"{days} days (their own)"
    if dm.tier is None:
        return None
    if dm.tier not in rt.settings.tiers:
        return (
            f"tier {dm.tier}, no longer set: the {days}-day cycle "
            f"(callplan config set tier.{dm.tier} DAYS)"
        )
    return f"tier {dm.tier}: {days} days"


@app.command("show")
def show(ctx: typer.Context, dm: str = DM_ARG, json_: bool = options.JSON) -> None:
    """A DM's profile, current picture from the notes, call history and next call."""
    from callplan import services
    from callplan.store import queries

    rt = runtime(ctx)
    with rt.reading() as s:
        target = queries.dms.find_dm(s, ref=dm)
        assert target.id is not None
        tags = queries.dms.tags_of(s, dm_ids=[target.id])[target.id]
        referrer = queries.dms.names_of(s, dm_ids=[target.referred_by_id]).get(
            target.referred_by_id or 0
        )
        calls = queries.calls.calls_of(s, dm_id=target.id)
        notes = queries.calls.notes_of(s, dm_id=target.id)
        referred = queries.dms.referred_by(s, dm_id=target.id)
        used = queries.calls.hooks_used(s, call_ids=[c.id for c in calls if c.id is not None])
        open_loops = queries.loops.open_of(s, dm_ids=[target.id])[target.id]
        jobs = services.jobs.client_jobs(s, dm_ids=[target.id], today=rt.today)[target.id]
        me = rt.recruiter(s)
    last = next((c for c in calls if c.conversation_number), None)  # newest first
    spoke: dict[str, Any] | None = (
        {"on": last.called_on, "recruiter": last.recruiter} if last else None
    )
    picture = current_picture(notes)
    days_since = (
        (rt.today - target.last_conversation_on).days if target.last_conversation_on else None
    )
    if json_:
        output.print_json(
            services.shapes.dm_show_json(
                target,
                tags=tags,
                referrer=referrer,
                yours=target.owner is not None and target.owner == me,
                last_conversation=last,
                days_since=days_since,
                picture=picture,
                referred=referred,
                calls=calls,
                hooks_used=used,
                notes=notes,
                open_loops=open_loops,
                today=rt.today,
                jobs=jobs,
            )
        )
        return
    _print_profile(target, tags, referrer, days_since, rt)
    out = output.console()
    if target.owner is not None and target.owner != me:
        when = (
            f"last spoke {wording.day(spoke['on'], rt.today)}"
            + (f" (with {spoke['recruiter']})" if spoke["recruiter"] else "")
            if spoke
            else "not spoken to yet"
        )
        output.warn(f"{target.name} is {target.owner}'s DM: {when}.")
    if referred:
        names = ", ".join(f"{r.name} (#{r.id})" for r in referred)
        out.print(f"Referred you to: {names}", markup=False, highlight=False)
    if open_loops:
        out.print("Open loops", style="bold")
        for x in open_loops:
            told = loops.describe(x.kind, opened_on=x.opened_on, chases=x.chases, today=rt.today)
            out.print(f"  #{x.id} {x.kind}: {told}", markup=False, highlight=False)
    if jobs:
        out.print("Their jobs", style="bold")
        for j in jobs:
            out.print(f"  {j.line()}", markup=False, highlight=False)
    if picture:
        from rich.table import Table
        from rich.text import Text

        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column(ratio=1)
        grid.add_column(style="dim", no_wrap=True)
        for f in NOTE_FIELDS:
            if f.name in picture:
                c = picture[f.name]
                grid.add_row("  " + f.label, Text(c.value), wording.day(c.noted_on, rt.today))
        out.print("Current picture", style="bold")
        out.print(grid)
    texts = [n for n in notes if n.text]
    if texts:
        out.print("Notes", style="bold")
        for n in texts:
            out.print(f"  {wording.day(n.noted_on, rt.today)}  ", style="dim", end="")
            out.print(n.text, markup=False, highlight=False)
    print_calls(calls, used, today=rt.today)


def _print_profile(
    dm: DecisionMaker, tags: list[str], referrer: str | None, days_since: int | None, rt: Runtime
) -> None:
    from rich.table import Table
    from rich.text import Text

    out = output.console()
    status = {Status.ARCHIVED: " [archived]", Status.DNC: " [do not call]"}.get(dm.status, "")
    out.print(f"#{dm.id} {dm.name}{status}", style="bold", markup=False, highlight=False)
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column()
    rows: list[tuple[str, str | None]] = [
        ("Title", dm.title),
        ("Company", dm.company),
        (
            "Phone",
            render.phone(dm.phone, render.phone_region(rt))
            + ("  (needs a new number)" if dm.needs_number else "")
            + ("  CTPS: call only if they don't object" if dm.ctps else ""),
        ),
        ("Email", dm.email),
        ("LinkedIn", dm.linkedin),
        ("Tags", ", ".join(tags) if tags else None),
        ("Referred by", referrer),
        ("Lawful basis", dm.lawful_basis),
        ("Added", wording.local_time(dm.created_at)),
        ("Owner", dm.owner or "nobody yet: a prospect in the pool"),
    ]
    if dm.conversation_count:
        ago = f", {days_since} days ago" if days_since and days_since > 1 else ""
        rows.append(
            (
                "Conversations",
                f"{dm.conversation_count} (last "
                f"{wording.day(dm.last_conversation_on, rt.today)}{ago}: {dm.last_outcome})",
            )
        )
    else:
        rows.append(("Conversations", "none yet: a prospect"))
    if dm.attempts_in_row:
        rows.append(("Attempts", f"{dm.attempts_in_row} since the last conversation"))
    rows.append(("Cycle", _cadence(rt, dm)))
    if dm.status == Status.ACTIVE:
        from callplan.services.today import why_now

        due = (
            wording.day(dm.next_call_on, rt.today)  # the time, if any, is in the reason
            if dm.next_call_on
            else ("in the queue of new DMs" if not dm.conversation_count else "not diarised")
        )
        if dm.next_call_on or dm.last_conversation_on:
            due += " — " + why_now(
                dm, on=max(rt.today, dm.next_call_on or rt.today), settings=rt.settings
            )
        rows.append(("Next call", due))
    for label, value in rows:
        if value:
            grid.add_row(label, Text(value))  # Text: names are data, never Rich markup
    out.print(grid)


@app.command("edit")
def edit(
    ctx: typer.Context,
    dm: str = DM_ARG,
    name: str | None = typer.Option(None, "--name"),
    company: str | None = typer.Option(
        None,
        "--company",
        help="Their company. A new one, for someone you have spoken to, adds a note of the move.",
    ),
    title: str | None = typer.Option(None, "--title"),
    phone: str | None = typer.Option(
        None, "--phone", help="A new number (clears 'needs a new number')."
    ),
    email: str | None = typer.Option(None, "--email"),
    linkedin: str | None = typer.Option(None, "--linkedin"),
    tag: list[str] = typer.Option(
        [], "--tag", help="Add a tag. Repeatable.", autocompletion=complete.tags
    ),
    untag: list[str] = typer.Option([], "--untag", help="Remove a tag. Repeatable."),
    referred_by: str | None = typer.Option(None, "--referred-by", metavar="DM"),
    due: str | None = typer.Option(
        None,
        "--due",
        metavar="DATE",
        help=f"Move the next call: pull it forward, or snooze it up to the cycle limit. "
        f"{WHEN_HELP}; a date alone clears the time.",
    ),
    purpose: str | None = options.PURPOSE,
    tier: str | None = options.TIER,
    cycle: str | None = options.CYCLE,
    note: str | None = typer.Option(None, "--note", help="Add a note."),
    basis: str | None = BASIS,
    ctps: bool | None = typer.Option(None, "--ctps/--no-ctps", help=CTPS_HELP, show_default=False),
) -> None:
    """Change a DM's details, tags, or next call's date and purpose. Empty text ('')
    clears a field."""
    from callplan import services
    from callplan.store import queries

    rt = runtime(ctx)
    new_name = clean_text(name, "name") if name is not None else None
    if name is not None and not new_name:
        raise UsageError("The name can't be empty.")
    fields: dict[str, str | None] = {}
    kept = None
    for field, value in (
        ("company", company),
        ("title", title),
        ("phone", phone),
        ("linkedin", linkedin),
    ):
        if value is not None and field == "phone":  # in E.164, as an import stores it
            fields[field], kept = options.read_phone(value, country=rt.settings.country)
        elif value is not None:  # the limits an import checks, so both agree
            fields[field] = clean_text(value, field, max_length=contacts.LIMITS[field])
    if email is not None:
        fields["email"] = options.read_email(email)
    due_on, due_at = rt.when(due) if due is not None else (None, None)
    changes = services.people.Changes(
        name=new_name,
        fields=fields,
        lawful_basis=_basis(basis),
        ctps=ctps,
        referred_by=referred_by,
        tags=tag,
        untags=untag,
        due=due_on,
        due_at=due_at,
        purpose=options.read_purpose(purpose, clearing=True),
        cadence=options.read_cadence(rt.settings, tier, cycle),
        note=clean_text(note, "note", max_length=10_000, multiline=True),
    )
    # A note (--note, or the job move a new company records) is this recruiter's.
    with rt.writing() as s:
        target = queries.dms.find_dm(s, ref=dm)
        edited = services.people.edit(
            s,
            rt.desk(s, register=bool(changes.note or company)),
            dm=target,
            changes=changes,
        )
    output.echo(f"Updated #{target.id} {target.name}: {', '.join(edited.changed)}.")
    if edited.job_move:
        output.echo(f"Noted the move: {edited.job_move}")
    if kept:
        output.warn(kept)
    moved = edited.moved
    if moved is not None and moved.capped and moved.requested:
        output.warn(
            f"{wording.day(moved.requested, rt.today)} is past the "
            f"{moved.cycle_days or rt.settings.cycle_days}-day cycle: moved to "
            f"{wording.day(moved.on, rt.today)} instead."
        )
    elif moved is not None and moved.on is not None and not rt.calendar.is_working(moved.on):
        output.warn(f"Note: {wording.day(moved.on, rt.today)} is not a working day.")


def _set_status(ctx: typer.Context, ref: str, status: str, state: str) -> None:
    from callplan import services
    from callplan.store import queries

    rt = runtime(ctx)
    with rt.writing() as s:
        target = queries.dms.find_dm(s, ref=ref)
        if target.status == status:
            raise UsageError(f"{target.name} is already {state}.")
        services.people.set_status(s, rt.desk(s), dm=target, status=status)
    tail = ""
    if status == Status.ACTIVE and target.next_call_on:
        late = " (already due)" if target.next_call_on < rt.today else ""
        when = wording.day_at(target.next_call_on, target.next_call_at, rt.today)
        tail = f" Next call {when}{late}."
    elif status == Status.ACTIVE:
        tail = " Back in the queue of new DMs."
    output.echo(f"#{target.id} {target.name} is {state}.{tail}")


@app.command("archive")
def archive(ctx: typer.Context, dm: str = DM_ARG) -> None:
    """Take a DM out of the plan (moved on, not relevant). History is kept."""
    _set_status(ctx, dm, Status.ARCHIVED, "archived")


@app.command("dnc")
def dnc(ctx: typer.Context, dm: str = DM_ARG) -> None:
    """Mark a DM do-not-call: they asked not to be called and are never planned again."""
    _set_status(ctx, dm, Status.DNC, "marked do-not-call")


@app.command("restore")
def restore(ctx: typer.Context, dm: str = DM_ARG) -> None:
    """Bring an archived or do-not-call DM back into the plan."""
    _set_status(ctx, dm, Status.ACTIVE, "active")


@app.command("assign")
def assign(
    ctx: typer.Context,
    dm: str | None = typer.Argument(
        None,
        metavar="[DM]",
        help="The decision maker to hand over: a name or an id.",
        autocompletion=complete.dm_names,
        show_default=False,
    ),
    to: str = typer.Option(..., "--to", metavar="NAME", help="The recruiter they go to."),
    from_: str | None = typer.Option(
        None,
        "--from",
        metavar="NAME",
        help="Hand over every DM of this recruiter (someone leaving the desk).",
    ),
    yes: bool = options.YES,
) -> None:
    """Hand a DM over to another recruiter, or (--from) all of one recruiter's DMs."""
    from callplan.store import queries

    rt = runtime(ctx)
    if (dm is None) == (from_ is None):
        raise UsageError("Name one DM to hand over, or --from NAME for all of someone's DMs.")
    new = options.recruiter(to, "--to")
    if dm is not None:
        with rt.writing() as s:
            target = queries.dms.find_dm(s, ref=dm)
            new = queries.recruiters.recruiter(s, name=new, register=True)
            before = target.owner
            if before != new:
                queries.recruiters.assign(s, dm=target, to=new)
        who = queries.dms.describe(target)
        if before == new:
            output.echo(f"{who} is already {new}'s: nothing to change.")
        else:
            was = f"{before}'s" if before else "in the pool"
            output.echo(f"{who} is now {new}'s (was {was}).")
        return
    assert from_ is not None
    old = options.recruiter(from_, "--from")
    with rt.reading() as s:
        known = queries.recruiters.known_recruiter(s, name=old)
        if known is None:
            raise RecruiterNotFound(
                f"Nobody called {old!r} works this store: nothing to hand over."
            )
        count = queries.recruiters.count_owned(s, owner=known)
        new = queries.recruiters.recruiter(s, name=new)
    if known == new:
        raise UsageError(f"--from and --to are both {known}: name someone else to hand over to.")
    if not count:
        output.echo(f"{known} owns no DMs: nothing to hand over.")
        return
    if not yes:
        if not options.interactive():
            raise UsageError(
                f"Handing over {wording.count(count, 'DM')} of {known}: confirm it at a "
                "terminal, or add --yes."
            )
        question = f"Hand all {wording.count(count, 'DM')} of {known} to {new}?"
        typer.confirm(wording.printable(question), abort=True, err=True)
    with rt.writing() as s:  # one transaction: all of them, or none
        new = queries.recruiters.recruiter(s, name=new, register=True)
        moved = queries.recruiters.assign(s, from_=known, to=new)
    output.echo(f"Handed {wording.count(moved, 'DM')} from {known} to {new}.")


@app.command("export")
def export(
    ctx: typer.Context,
    dm: str = DM_ARG,
    out: Path | None = options.OUT,
    force: bool = options.FORCE,
) -> None:
    """Everything held about one person as JSON, for a subject access request."""
    from callplan import services
    from callplan.store import queries

    rt = runtime(ctx)
    where = rt.target(out or files.STDOUT, what="export", force=force)
    with rt.reading() as s:
        target = queries.dms.find_dm(s, ref=dm)
        data = services.people.subject_access(s, rt.desk(s), dm=target)
    counts = [wording.count(len(data[k]), k[:-1]) for k in ("calls", "notes", "mentions")]
    render.write_access(where, data, f"#{target.id} {target.name}", counts)


@app.command("forget")
def forget(ctx: typer.Context, dm: str = DM_ARG, yes: bool = options.YES) -> None:
    """Erase a person for good: their details, calls and notes, and their name, email and
    phone from others' records. A hash of their email, phone and name is kept so an import
    won't add them back."""
    from callplan.store import privacy, queries, team

    rt = runtime(ctx)
    with rt.reading() as s:
        target = queries.dms.find_dm(s, ref=dm)
        assert target.id is not None
        team.check_lead(
            s, action=f"Erasing {target.name}", command=f"callplan dm forget {target.id}"
        )
        calls = len(queries.calls.calls_of(s, dm_id=target.id))
        notes = len(queries.calls.notes_of(s, dm_id=target.id))
    who = queries.dms.describe(target)
    options.confirm(
        f"Erase {who} with {wording.count(calls, 'call')} and {wording.count(notes, 'note')}, "
        "for good?",
        yes=yes,
        what="Erasing a decision maker",
    )
    with rt.writing() as s:
        target = queries.dms.find_dm(s, ref=str(target.id))
        done = privacy.erase(
            s,
            dms=[target],
            today=rt.today,
            region=phones.region_of(rt.settings.country),
            reason=privacy.REQUEST,
        )
    emptied = privacy.checkpoint(rt.engine)
    output.echo(
        f"Erased {who}: {wording.count(done.calls, 'call')} and "
        f"{wording.count(done.notes, 'note')} deleted"
        f"{render.scrubbed(done.scrubbed, privacy.ERASED)}. An import won't add them back."
    )
    render.warn_shared(done.shared)
    warn_what_remains(rt, emptied, done.tables)
