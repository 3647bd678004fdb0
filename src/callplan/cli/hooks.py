"""Hooks: `callplan job ...`, `callplan candidate ...`, `callplan event ...` and
`callplan hooks DM`."""

from __future__ import annotations

from pathlib import Path

import typer

from callplan.cli import options, output, render
from callplan.cli.context import runtime
from callplan.cli.options import clean_text
from callplan.cli.output import Column
from callplan.cli.render import hook_label
from callplan.core import files, phones, wording
from callplan.core.kinds import Status
from callplan.errors import UsageError

jobs = typer.Typer(help="Jobs you are recruiting for: hooks for calls.")
jobs.callback(invoke_without_command=True)(options.show_help_without_command)
candidates = typer.Typer(help="Candidates you are marketing (MPCs): hooks for calls.")
candidates.callback(invoke_without_command=True)(options.show_help_without_command)

events = typer.Typer(help="Events to invite clients to (a breakfast briefing): hooks for calls.")
events.callback(invoke_without_command=True)(options.show_help_without_command)

TAG = typer.Option([], "--tag", help="A skill, sector or seniority word. Repeatable.")
ALL = typer.Option(False, "--all", help="Include closed jobs / placed candidates.")


def _tags(values: list[str]) -> list[str]:
    return [t for t in (clean_text(v, "tag", max_length=60) for v in values) if t]


@jobs.command("add")
def job_add(
    ctx: typer.Context,
    title: str = typer.Argument(..., help="The role, e.g. 'Senior SharePoint Developer'."),
    company: str | None = typer.Option(None, "--company", help="The client it is for."),
    tag: list[str] = TAG,
    fee: str | None = typer.Option(None, "--fee", help="The fee, as you note it (e.g. 20%)."),
) -> None:
    """Add a job you are recruiting for."""
    from callplan.store import queries

    rt = runtime(ctx)
    clean = clean_text(title, "title")
    if not clean:
        raise UsageError("The job title is empty.")
    with rt.writing() as s:
        job = queries.hooks.add_job(
            s,
            title=clean,
            company=clean_text(company, "company"),
            fee=clean_text(fee, "fee", max_length=60),
            tags=_tags(tag),
        )
    output.echo(
        f"Added job:{job.id} {job.title}" + (f" ({job.company})" if job.company else "") + "."
    )


@jobs.command("list")
def job_list(ctx: typer.Context, all_: bool = ALL, json_: bool = options.JSON) -> None:
    """The open jobs (with --all, closed ones too)."""
    from callplan import services
    from callplan.store import queries

    with runtime(ctx).reading() as s:
        rows = [services.shapes.job_row(j) for j in queries.hooks.list_jobs(s, everything=all_)]
    if not rows and not json_:
        output.message("No open jobs. Add one: callplan job add TITLE --tag SKILL")
        return
    output.emit(
        output.choose(json_=json_),
        data={"count": len(rows), "jobs": rows},
        rows=rows,
        columns=[
            Column("ref", "Hook", no_wrap=True, style="dim"),
            Column("title", "Job", ratio=3),
            Column("company", "Company", ratio=2),
            Column("tags", "Tags", ratio=2),
            Column("status", "Status", no_wrap=True),
        ],
        title=f"{len(rows)} job{'s' if len(rows) != 1 else ''}",
    )


@jobs.command("close")
def job_close(ctx: typer.Context, job_id: int = typer.Argument(..., metavar="ID")) -> None:
    """Close a job (filled or lost): it stops being offered as a hook."""
    from callplan.store import queries

    rt = runtime(ctx)
    with rt.writing() as s:
        job = queries.hooks.close_hook(s, kind="job", hook_id=job_id, on=rt.today)
    output.echo(f"Closed job:{job_id} {job.title}.")


@candidates.command("add")
def candidate_add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The candidate's name."),
    headline: str | None = typer.Option(
        None, "--headline", help="What makes them placeable, in a line."
    ),
    tag: list[str] = TAG,
    available: str | None = typer.Option(
        None, "--available", metavar="DATE", help="When they can start."
    ),
) -> None:
    """Add a candidate you are marketing (an MPC)."""
    from callplan.store import queries

    rt = runtime(ctx)
    clean = clean_text(name, "name")
    if not clean:
        raise UsageError("The candidate's name is empty.")
    available_on = rt.date(available) if available else None
    with rt.writing() as s:
        candidate = queries.hooks.add_candidate(
            s,
            name=clean,
            headline=clean_text(headline, "headline", max_length=300),
            tags=_tags(tag),
            available_on=available_on,
        )
    output.echo(f"Added candidate:{candidate.id} {candidate.name}.")


@candidates.command("list")
def candidate_list(ctx: typer.Context, all_: bool = ALL, json_: bool = options.JSON) -> None:
    """The candidates being marketed (with --all, placed ones too)."""
    from callplan import services
    from callplan.store import queries

    rt = runtime(ctx)
    with rt.reading() as s:
        rows = [
            services.shapes.candidate_row(c)
            for c in queries.hooks.list_candidates(s, everything=all_)
        ]
    if not rows and not json_:
        output.message("No candidates. Add one: callplan candidate add NAME --tag SKILL")
        return
    output.emit(
        output.choose(json_=json_),
        data={"count": len(rows), "candidates": rows},
        rows=[
            {
                **r,
                "available": wording.day(r["available_on"], rt.today) if r["available_on"] else "",
            }
            for r in rows
        ],
        columns=[
            Column("ref", "Hook", no_wrap=True, style="dim"),
            Column("name", "Candidate", ratio=2),
            Column("headline", "Headline", ratio=3),
            Column("tags", "Tags", ratio=2),
            Column("available", "Available", no_wrap=True),
            *([Column("status", "Status", no_wrap=True)] if all_ else []),
        ],
        title=f"{len(rows)} candidate{'s' if len(rows) != 1 else ''}",
    )


@candidates.command("placed")
def candidate_placed(
    ctx: typer.Context, candidate_id: int = typer.Argument(..., metavar="ID")
) -> None:
    """Mark a candidate placed: they stop being offered as a hook."""
    from callplan.store import queries

    rt = runtime(ctx)
    with rt.writing() as s:
        candidate = queries.hooks.close_hook(s, kind="candidate", hook_id=candidate_id, on=rt.today)
    output.echo(f"candidate:{candidate_id} {candidate.name} is placed. Well done.")


@events.command("add")
def event_add(
    ctx: typer.Context,
    title: str = typer.Argument(
        ..., help="What it is, as you'd name it to a client: 'our breakfast briefing on AI'."
    ),
    on: str = typer.Option(..., "--on", metavar="DATE", help="The day it is held."),
    venue: str | None = typer.Option(None, "--venue", help="Where it is held."),
    tag: list[str] = typer.Option(
        [],
        "--tag",
        help="A skill, sector or seniority word: invite the DMs who match. Repeatable; "
        "none: every client.",
    ),
) -> None:
    """Add an event to invite clients to: offered as a hook, worded as an invitation,
    until the day it is held."""
    from callplan.store import queries

    rt = runtime(ctx)
    clean = clean_text(title, "title")
    if not clean:
        raise UsageError("The event's title is empty.")
    held_on = rt.date(on)
    if held_on < rt.today:
        raise UsageError(f"{held_on.isoformat()} is past: an event is a reason to call before it.")
    with rt.writing() as s:
        event = queries.hooks.add_event(
            s,
            title=clean,
            held_on=held_on,
            venue=clean_text(venue, "venue"),
            tags=_tags(tag),
        )
    tags = event.tags.replace(",", ", ")
    for_whom = f"DMs tagged or noted {tags}" if tags else "every client"
    output.echo(
        f"Added event:{event.id} {event.title} on {wording.day(held_on, rt.today)}: "
        f"offered to {for_whom} until then."
    )


@events.command("list")
def event_list(
    ctx: typer.Context,
    all_: bool = typer.Option(False, "--all", help="Include past and closed events."),
    json_: bool = options.JSON,
) -> None:
    """The events still to come, soonest first (with --all, past and closed ones too)."""
    from callplan import services
    from callplan.store import queries

    rt = runtime(ctx)
    with rt.reading() as s:
        rows = [
            services.shapes.event_row(e)
            for e in queries.hooks.list_events(s, on=rt.today, everything=all_)
        ]
    if not rows and not json_:
        output.message("No events to come. Add one: callplan event add TITLE --on DATE")
        return
    output.emit(
        output.choose(json_=json_),
        data={"count": len(rows), "events": rows},
        rows=[
            {
                **r,
                "when": wording.day(r["held_on"], rt.today),
                "for": ", ".join(r["tags"]) or "every client",
            }
            for r in rows
        ],
        columns=[
            Column("ref", "Hook", no_wrap=True, style="dim"),
            Column("title", "Event", ratio=3),
            Column("when", "When", no_wrap=True),
            Column("venue", "Venue", ratio=2),
            Column("for", "For", ratio=2),
            *([Column("status", "Status", no_wrap=True)] if all_ else []),
        ],
        title=f"{len(rows)} event{'s' if len(rows) != 1 else ''}",
    )


@events.command("close")
def event_close(ctx: typer.Context, event_id: int = typer.Argument(..., metavar="ID")) -> None:
    """Close an event (cancelled, or full): it stops being offered as a hook. A past event
    stops on its own."""
    from callplan.store import queries

    rt = runtime(ctx)
    with rt.writing() as s:
        event = queries.hooks.close_hook(s, kind="event", hook_id=event_id, on=rt.today)
    output.echo(f"Closed event:{event_id} {event.title}.")


def hooks(
    ctx: typer.Context,
    dm: str = options.DM,
    json_: bool = options.JSON,
) -> None:
    """The jobs, candidates and coming events worth mentioning to a DM, best first, and
    why."""
    from callplan import services
    from callplan.store import queries

    rt = runtime(ctx)
    with rt.reading() as s:
        target = queries.dms.find_dm(s, ref=dm)
        found = services.hooks.hooks_for(s, dm=target, on=rt.today)
    data = services.shapes.hooks_json(target, found)
    rows = data["hooks"]
    if not rows and not json_ and target.status == Status.DNC:
        output.message(f"{target.name} is marked do-not-call: no hooks are offered.")
        return
    if not rows and not json_:
        output.message(
            f"No open job, candidate or coming event matches {target.name}'s tags or notes."
        )
        return
    output.emit(
        output.choose(json_=json_),
        data=data,
        rows=[
            {
                **r,
                "hook": hook_label(r).rsplit(" [", 1)[0],
                "why": "; ".join(r["why"]),
            }
            for r in rows
        ],
        columns=[
            Column("ref", "Hook", no_wrap=True, style="dim"),
            Column("hook", "Job, candidate or event", ratio=3),
            Column("why", "Why it fits", ratio=3),
        ],
        title=f"Hooks for {target.name}",
    )


# --- a candidate's data: subject access and erasure (docs/data.md) -----------------------

CANDIDATE_REF = typer.Argument(..., metavar="ID", help="The candidate's id (candidate:ID too).")


def _candidate_id(ref: str) -> int:
    """A candidate's id as typed: '7' or 'candidate:7'."""
    text = ref.strip()
    text = text[len("candidate:") :] if text.lower().startswith("candidate:") else text
    if not (text.isascii() and text.isdigit()):
        raise UsageError(
            f"{wording.printable(ref)!r} is not a candidate's id: give a number, as "
            "'callplan candidate list' shows them."
        )
    return int(text)


@candidates.command("export")
def candidate_export(
    ctx: typer.Context,
    candidate: str = CANDIDATE_REF,
    out: Path | None = options.OUT,
    force: bool = options.FORCE,
) -> None:
    """Everything held about one candidate as JSON, for a subject access request."""
    from callplan import services
    from callplan.store import queries

    rt = runtime(ctx)
    candidate_id = _candidate_id(candidate)
    where = rt.target(out or files.STDOUT, what="export", force=force)
    with rt.reading() as s:
        target = queries.hooks.get_candidate(s, candidate_id=candidate_id)
        data = services.people.candidate_access(s, rt.desk(s), candidate=target)
    counts = [wording.count(len(data[k]), k[:-1]) for k in ("calls", "submissions", "mentions")]
    render.write_access(where, data, f"candidate:{target.id} {target.name}", counts)


@candidates.command("forget")
def candidate_forget(
    ctx: typer.Context, candidate: str = CANDIDATE_REF, yes: bool = options.YES
) -> None:
    """Erase a candidate for good, at their request: their details, calls, submissions
    and the calls those planned, and their name, email and phone from others' records. A
    hash of their name, email and phone is kept so an import won't add them back."""
    from callplan.store import privacy, queries

    rt = runtime(ctx)
    candidate_id = _candidate_id(candidate)
    with rt.reading() as s:
        target = queries.hooks.get_candidate(s, candidate_id=candidate_id)
        calls = len(queries.people.candidate_calls_of(s, candidate_id=candidate_id))
        subs = len(queries.people.submissions_of(s, candidate_id=candidate_id))
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
