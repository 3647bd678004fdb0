"""`callplan candidate ...`: candidates you market (MPCs, hooks for calls to DMs) and
call on their own cycle while they look: add, list, show, edit, placed, prospect; and
their data: export (a subject access request), forget (erasure)."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path
from typing import Any

import typer

from callplan.cli import options, output, render
from callplan.cli.context import Runtime, runtime
from callplan.cli.options import clean_text
from callplan.cli.output import Column
from callplan.core import delivery, files, phones, wording
from callplan.core.dates import WHEN_HELP
from callplan.errors import UsageError

app = typer.Typer(
    help="Candidates: marketed to DMs as hooks, and called on their own cycle while they "
    "look (callplan log candidate:ID)."
)
app.callback(invoke_without_command=True)(options.show_help_without_command)

CANDIDATE = typer.Argument(
    ..., metavar="ID", help="The candidate's id (candidate:ID works too; callplan candidate list)."
)
TAG = typer.Option([], "--tag", help="A skill, sector or seniority word. Repeatable.")
PHONE = typer.Option(None, "--phone", help="The number you call them on.")
EMAIL = typer.Option(None, "--email")
HEADLINE = typer.Option(None, "--headline", help="What makes them placeable, in a line.")
AVAILABLE = typer.Option(None, "--available", metavar="DATE", help="When they can start.")
SEARCH = typer.Option(
    None,
    "--search",
    metavar="STATE",
    help=f"Their job search: {', '.join(delivery.JOB_SEARCH)}. They are called on their "
    f"cycle while {', '.join(delivery.CALLED_WHILE)}.",
    autocompletion=lambda incomplete: [s for s in delivery.JOB_SEARCH if s.startswith(incomplete)],
)
CYCLE_HELP = (
    "Their own cycle in days: the longest gap between calls while they look "
    "('default': candidate_cycle_days)."
)


def _cycle(text: str | None) -> tuple[bool, int | None]:
    """--cycle as typed: (given?, days or None for the setting)."""
    if text is None:
        return False, None
    key = text.strip().lower()
    if key == "default":
        return True, None
    if not (key.isascii() and key.isdigit()) or not 1 <= int(key) <= options.CYCLE_MAX:
        raise UsageError(
            f"--cycle {text!r} is not a number of days from 1 to {options.CYCLE_MAX}, or 'default'."
        )
    return True, int(key)


def _search(text: str | None) -> str | None:
    from callplan.services.candidates import job_search_of

    return job_search_of(text) if text is not None else None


def _tags(values: list[str]) -> list[str]:
    return [t for t in (clean_text(v, "tag", max_length=60) for v in values) if t]


@app.command("add")
def add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The candidate's name."),
    phone: str | None = PHONE,
    email: str | None = EMAIL,
    headline: str | None = HEADLINE,
    tag: list[str] = TAG,
    available: str | None = AVAILABLE,
    cycle: str | None = typer.Option(None, "--cycle", metavar="DAYS", help=CYCLE_HELP),
    search: str | None = SEARCH,
    due: str | None = typer.Option(
        None, "--due", metavar="DATE", help=f"Diarise their first call. {WHEN_HELP}."
    ),
    force: bool = typer.Option(
        False, "--force", help="Add them even if they were erased (they asked to be back)."
    ),
) -> None:
    """Add a candidate: marketed to DMs as a hook (an MPC), and called while they look."""
    from callplan import services

    rt = runtime(ctx)
    clean = clean_text(name, "name")
    if not clean:
        raise UsageError("The candidate's name is empty.")
    number, kept = options.read_phone(phone, country=rt.settings.country)
    mail = options.read_email(email)
    available_on = rt.date(available) if available else None
    _, cycle_days = _cycle(cycle)
    job_search = _search(search) or delivery.LOOKING
    due_on, due_at = rt.when(due) if due is not None else (None, None)
    with rt.writing() as s:
        candidate = services.candidates.add(
            s,
            rt.desk(s, register=True),
            name=clean,
            phone=number,
            email=mail,
            headline=clean_text(headline, "headline", max_length=300),
            tags=_tags(tag),
            available_on=available_on,
            cycle_days=cycle_days,
            job_search=job_search,
            due_on=due_on,
            due_at=due_at,
            force=force,
        )
    line = f"Added candidate:{candidate.id} {candidate.name} ({candidate.job_search})"
    if candidate.next_call_on is not None:
        when = wording.day_at(candidate.next_call_on, candidate.next_call_at, rt.today)
        line += f": first call {when}."
    else:
        line += "."
    output.echo(line)
    if kept:
        output.warn(kept)


@app.command("list")
def list_(
    ctx: typer.Context,
    all_: bool = typer.Option(False, "--all", help="Include placed candidates."),
    json_: bool = options.JSON,
) -> None:
    """The candidates: how to reach them, their job search and their next call (with
    --all, placed ones too). Their tags and availability: candidate show, or --json."""
    from callplan import services
    from callplan.store import queries

    rt = runtime(ctx)
    with rt.reading() as s:
        rows = [
            services.shapes.candidate_row(c)
            for c in queries.hooks.list_candidates(s, everything=all_)
        ]
    if not rows and not json_:
        output.message("No candidates. Add one: callplan candidate add NAME --phone NUMBER")
        return
    region = render.phone_region(rt)
    output.emit(
        output.choose(json_=json_),
        data={"count": len(rows), "candidates": rows},
        rows=[
            {
                **r,
                "phone": render.phone(r["phone"], region, missing=""),
                "next": wording.day_at(r["next_call_on"], _at(r), rt.today)
                if r["next_call_on"]
                else "",
            }
            for r in rows
        ],
        columns=[
            Column("ref", "Hook", no_wrap=True, style="dim"),
            Column("name", "Candidate", ratio=2, min_width=12),
            Column("phone", "Phone", no_wrap=True),
            Column("job_search", "Search", no_wrap=True),
            Column("next", "Next call", no_wrap=True),
            Column("headline", "Headline", ratio=3),
            *([Column("status", "Status", no_wrap=True)] if all_ else []),
        ],
        title=f"{len(rows)} candidate{'s' if len(rows) != 1 else ''}",
    )


def _at(row: dict[str, Any]) -> time | None:
    return time.fromisoformat(row["next_call_at"]) if row["next_call_at"] else None


def _next_call(row: dict[str, Any], today: date) -> str | None:
    """'Mon 21 Dec (update-given)': the next call and why, as show and list say it."""
    if row["next_call_on"] is None:
        return None
    text = wording.day_at(row["next_call_on"], _at(row), today)
    return text + (f" ({row['due_reason']})" if row["due_reason"] else "")


@app.command("show")
def show(ctx: typer.Context, candidate: str = CANDIDATE, json_: bool = options.JSON) -> None:
    """A candidate in full: details, job search, next call and why, their calls (newest
    first), their submissions and the planned calls still open on them."""
    from callplan import services

    rt = runtime(ctx)
    with rt.reading() as s:
        target = services.candidates.find(s, ref=_id(candidate))
        data = services.candidates.details(s, rt.desk(s), candidate=target)
    if json_:
        output.print_json(data)
        return
    _print(data, rt)


def _id(ref: str) -> str:
    """An id as `candidate show` and `edit` take it: ``3``, ``candidate:3`` or ``#3``."""
    text = ref.strip().removeprefix("candidate:").lstrip("#").strip()
    if not (text.isascii() and text.isdigit()):
        raise UsageError(f"Give the candidate's id, not {ref!r}: see 'callplan candidate list'.")
    return text


def _print(data: dict[str, Any], rt: Runtime) -> None:
    from rich.table import Table
    from rich.text import Text

    c = data["candidate"]
    out = output.console()
    placed = " [placed]" if c["status"] != "open" else ""
    out.print(f"{c['ref']} {c['name']}{placed}", style="bold", markup=False, highlight=False)
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column()
    spoken = (
        f"{c['conversation_count']} (last {wording.day(c['last_conversation_on'], rt.today)})"
        if c["conversation_count"]
        else "none yet"
    )
    if c["next_call_on"] is not None:
        due = _next_call(c, rt.today)
    elif c["job_search"] in delivery.CALLED_WHILE:
        due = f"not diarised: callplan candidate edit {c['id']} --due DATE"
    else:
        due = f"none while {c['job_search']}"
    own = c["cycle_days"] is not None
    rows: list[tuple[str, str | None]] = [
        ("Phone", render.phone(c["phone"], render.phone_region(rt))),
        ("Email", c["email"]),
        ("Headline", c["headline"]),
        ("Tags", ", ".join(c["tags"]) or None),
        ("Available", wording.day(c["available_on"], rt.today) if c["available_on"] else None),
        ("Job search", c["job_search"]),
        ("Cycle", f"{c['cycle']} days" + ("" if own else " (candidate_cycle_days)")),
        ("Conversations", spoken),
        ("Next call", due),
        ("Referred by", _referrer(c["referred_by"])),
        ("Owner", c["owner"]),
    ]
    for label, value in rows:
        if value:
            grid.add_row(label, Text(value))  # Text: names are data, never Rich markup
    out.print(grid)
    if data["submissions"]:
        output.print_table(
            [
                {
                    "job": f"job:{x['job']['id']} {x['job']['title']}"
                    + (f" ({x['job']['company']})" if x["job"]["company"] else ""),
                    "stage": x["stage"],
                    "since": wording.day(x["stage_on"], rt.today),
                    "sent": wording.day(x["submitted_on"], rt.today),
                }
                for x in data["submissions"]
            ],
            [
                Column("job", "Job", ratio=1),
                Column("stage", "Stage", no_wrap=True),
                Column("since", "Since", no_wrap=True),
                Column("sent", "CV sent", no_wrap=True),
            ],
            title="Submissions",
        )
    if data["planned_calls"]:
        output.print_table(
            [
                {
                    "due": wording.day(x["due_on"], rt.today)
                    + (f" {x['due_at']}" if x["due_at"] else ""),
                    "to": x["party"],
                    "purpose": x["purpose"]
                    + (f" ({wording.count(x['chases'], 'chase')})" if x["chases"] else ""),
                    "job": f"job:{x['job']['id']} {x['job']['title']}",
                }
                for x in data["planned_calls"]
            ],
            [
                Column("due", "Due", no_wrap=True),
                Column("to", "To", no_wrap=True),
                Column("purpose", "Purpose", ratio=1),
                Column("job", "Job", ratio=1),
            ],
            title="Planned calls",
        )
    if not data["calls"]:
        output.message("No calls yet.")
        return
    output.print_table(
        [
            {
                "on": wording.day(x["called_on"], rt.today),
                "kind": x["kind"],
                "outcome": x["outcome"],
                "summary": " ".join(
                    ([f"[job:{x['job']['id']} {x['job']['title']}]"] if x["job"] else [])
                    + [x["summary"] or ""]
                ).strip(),
            }
            for x in data["calls"]
        ],
        [
            Column("on", "Date", no_wrap=True),
            Column("kind", "Kind", no_wrap=True),
            Column("outcome", "Outcome", no_wrap=True),
            Column("summary", "Summary", ratio=1),
        ],
        title=f"Calls ({len(data['calls'])}, newest first)",
    )


def _referrer(dm: dict[str, Any] | None) -> str | None:
    return f"#{dm['id']} {dm['name']}" if dm else None


@app.command("edit")
def edit(
    ctx: typer.Context,
    candidate: str = CANDIDATE,
    name: str | None = typer.Option(None, "--name"),
    phone: str | None = PHONE,
    email: str | None = EMAIL,
    headline: str | None = HEADLINE,
    tag: list[str] = typer.Option([], "--tag", help="Add a tag. Repeatable."),
    untag: list[str] = typer.Option([], "--untag", help="Remove a tag. Repeatable."),
    available: str | None = AVAILABLE,
    cycle: str | None = typer.Option(None, "--cycle", metavar="DAYS", help=CYCLE_HELP),
    search: str | None = SEARCH,
    due: str | None = typer.Option(
        None, "--due", metavar="DATE", help=f"Move their next call. {WHEN_HELP}."
    ),
) -> None:
    """Change a candidate's details, job search, cycle or next call. Empty text ('')
    clears a field. A new job search or cycle diarises their next call again: none unless
    they are looking, interviewing or offered, and within their cycle."""
    from callplan import services

    rt = runtime(ctx)
    new_name = clean_text(name, "name") if name is not None else None
    if name is not None and not new_name:
        raise UsageError("The name can't be empty.")
    fields: dict[str, Any] = {}
    kept = None
    if phone is not None:
        fields["phone"], kept = options.read_phone(phone, country=rt.settings.country)
    if email is not None:
        fields["email"] = options.read_email(email)
    if headline is not None:
        fields["headline"] = clean_text(headline, "headline", max_length=300)
    if available is not None:
        fields["available_on"] = rt.date(available) if available.strip() else None
    given, cycle_days = _cycle(cycle)
    due_on, due_at = rt.when(due) if due is not None else (None, None)
    changes = services.candidates.Changes(
        name=new_name,
        fields=fields,
        tags=_tags(tag),
        untags=_tags(untag),
        job_search=_search(search),
        due_on=due_on,
        due_at=due_at,
    )
    if given:
        changes.cycle = cycle_days
    with rt.writing() as s:
        target = services.candidates.find(s, ref=_id(candidate))
        changed = services.candidates.edit(s, rt.desk(s), candidate=target, changes=changes)
    line = f"Updated candidate:{target.id} {target.name}: {', '.join(changed)}."
    if target.next_call_on is not None:
        line += f" Next call {wording.day_at(target.next_call_on, target.next_call_at, rt.today)}."
    elif "next call" in changed:
        line += " No next call diarised."
    output.echo(line)
    if kept:
        output.warn(kept)


@app.command("placed")
def placed(ctx: typer.Context, candidate_id: int = typer.Argument(..., metavar="ID")) -> None:
    """Mark a candidate placed: they stop being offered as a hook."""
    from callplan.store import queries, team

    rt = runtime(ctx)
    with rt.writing() as s:
        found = queries.hooks.close_hook(s, kind="candidate", hook_id=candidate_id, on=rt.today)
        owner = getattr(found, "owner", None)
        team.check_details(s, owner=owner, name=found.name, candidate=True)
    output.echo(f"candidate:{candidate_id} {found.name} is placed. Well done.")


@app.command("prospect")
def prospect(
    ctx: typer.Context,
    candidate: str = CANDIDATE,
    company: str | None = typer.Option(
        None, "--company", help="Where they work now (default: the job they were placed in)."
    ),
    title: str | None = typer.Option(None, "--title", help="Their job title there."),
    force: bool = typer.Option(
        False, "--force", help="Add even if the same name is at the same company already."
    ),
) -> None:
    """Make a candidate a DM prospect: today's candidates are tomorrow's clients. They
    join the new-DM queue with their number and email, and a note of where they came
    from."""
    from callplan import services

    rt = runtime(ctx)
    with rt.writing() as s:
        person = services.candidates.find(s, ref=candidate)
        dm, from_job = services.candidates.make_prospect(
            s,
            rt.desk(s, register=True),
            candidate=person,
            company=clean_text(company, "company"),
            title=clean_text(title, "title"),
            force=force,
        )
        where = f" ({dm.company})" if dm.company else ""
        line = f"Added #{dm.id} {dm.name}{where} as a prospect, from candidate:{person.id}."
    if from_job:
        line += " The company is the one you placed them with: --company if they have moved."
    output.echo(line)


# --- a candidate's data: subject access and erasure (docs/data.md) -----------------------


@app.command("export")
def candidate_export(
    ctx: typer.Context,
    candidate: str = CANDIDATE,
    out: Path | None = options.OUT,
    force: bool = options.FORCE,
) -> None:
    """Everything held about one candidate as JSON, for a subject access request."""
    from callplan import services
    from callplan.store import queries

    rt = runtime(ctx)
    candidate_id = int(_id(candidate))
    where = rt.target(out or files.STDOUT, what="export", force=force)
    with rt.reading() as s:
        target = queries.hooks.get_candidate(s, candidate_id=candidate_id)
        data = services.people.candidate_access(s, rt.desk(s), candidate=target)
    counts = [wording.count(len(data[k]), k[:-1]) for k in ("calls", "submissions", "mentions")]
    render.write_access(where, data, f"candidate:{target.id} {target.name}", counts)


@app.command("forget")
def candidate_forget(
    ctx: typer.Context, candidate: str = CANDIDATE, yes: bool = options.YES
) -> None:
    """Erase a candidate for good, at their request: their details, calls, submissions
    and the calls those planned, and their name, email and phone from others' records. A
    hash of their name, email and phone is kept so an import won't add them back."""
    from callplan.store import privacy, queries, team

    rt = runtime(ctx)
    candidate_id = int(_id(candidate))
    with rt.reading() as s:
        target = queries.hooks.get_candidate(s, candidate_id=candidate_id)
        team.check_lead(
            s, action=f"Erasing {target.name}", command=f"callplan candidate forget {target.id}"
        )
        calls = len(queries.candidates.calls_of(s, candidate_id=candidate_id))
        subs = len(queries.candidates.submissions_of(s, candidate_id=candidate_id))
    who = f"candidate:{target.id} {target.name}"
    options.confirm(
        f"Erase {who} with {wording.count(calls, 'call')} and "
        f"{wording.count(subs, 'submission')}, for good?",
        yes=yes,
        what="Erasing a candidate",
    )
    with rt.writing() as s:
        target = queries.hooks.get_candidate(s, candidate_id=candidate_id)
        done = privacy.erase_candidates(
            s,
            candidates=[target],
            today=rt.today,
            region=phones.region_of(rt.settings.country),
            reason=privacy.REQUEST,
        )
    emptied = privacy.checkpoint(rt.engine)
    output.echo(
        f"Erased {who}: {wording.count(done.calls, 'call')} and "
        f"{wording.count(done.submissions, 'submission')} deleted"
        f"{render.scrubbed(done.scrubbed, privacy.ERASED)}. An import won't add them back."
    )
    render.warn_shared(done.shared)
    render.warn_what_remains(rt, emptied, done.tables)
