"""Hooks: `callplan job ...`, `callplan event ...` and `callplan hooks DM` (candidates,
hooks too, have their own module: cli/candidate.py)."""

from __future__ import annotations

import typer

from callplan.cli import options, output
from callplan.cli.context import runtime
from callplan.cli.options import clean_text
from callplan.cli.output import Column
from callplan.cli.render import hook_label
from callplan.core import wording
from callplan.core.kinds import Status
from callplan.errors import UsageError

jobs = typer.Typer(help="Jobs you are recruiting for: hooks for calls.")
jobs.callback(invoke_without_command=True)(options.show_help_without_command)

events = typer.Typer(help="Events to invite clients to (a breakfast briefing): hooks for calls.")
events.callback(invoke_without_command=True)(options.show_help_without_command)

TAG = typer.Option([], "--tag", help="A skill, sector or seniority word. Repeatable.")
ALL = typer.Option(False, "--all", help="Include closed jobs.")


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
