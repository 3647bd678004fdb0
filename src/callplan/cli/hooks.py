"""Hooks: `callplan job ...`, `callplan event ...` and `callplan hooks DM` (candidates,
hooks too, have their own module: cli/candidate.py)."""

from __future__ import annotations

import typer

from callplan.cli import complete, options, output
from callplan.cli.context import runtime
from callplan.cli.options import clean_text
from callplan.cli.output import Column
from callplan.cli.render import hook_label, report_job_added
from callplan.core import wording
from callplan.core.hooks import parse_ref
from callplan.core.kinds import Status
from callplan.errors import UsageError

jobs = typer.Typer(help="Jobs you are recruiting for: hooks for calls.")
jobs.callback(invoke_without_command=True)(options.show_help_without_command)

events = typer.Typer(help="Events to invite clients to (a breakfast briefing): hooks for calls.")
events.callback(invoke_without_command=True)(options.show_help_without_command)

TAG = typer.Option([], "--tag", help="A skill, sector or seniority word. Repeatable.")
ALL = typer.Option(False, "--all", help="Include closed jobs.")


_tags = options.read_tags


CLIENT = typer.Option(
    None,
    "--client",
    metavar="DM",
    autocompletion=complete.dm_names,
    help="The DM who gave you the job (an id or part of a name): its progress becomes a "
    "reason to call them, and it is never offered to them as a hook.",
)


@jobs.command("add")
def job_add(
    ctx: typer.Context,
    title: str = typer.Argument(..., help="The role, e.g. 'Senior SharePoint Developer'."),
    client: str | None = CLIENT,
    company: str | None = typer.Option(
        None, "--company", help="The company it is for (default: the client's)."
    ),
    tag: list[str] = TAG,
    fee: str | None = typer.Option(None, "--fee", help="The fee, as you note it (e.g. 20%)."),
) -> None:
    """Add a job you are recruiting for, the client's who gave it (--client), and see the
    candidates to ask for referrals."""
    from callplan import services
    from callplan.store import queries

    rt = runtime(ctx)
    clean = clean_text(title, "title")
    if not clean:
        raise UsageError("The job title is empty.")
    with rt.writing() as s:
        added = services.jobs.add(
            s,
            title=clean,
            client=queries.dms.find_dm(s, ref=client) if client is not None else None,
            company=clean_text(company, "company"),
            fee=clean_text(fee, "fee", max_length=60),
            tags=_tags(tag),
        )
    report_job_added(added)


@jobs.command("edit")
def job_edit(
    ctx: typer.Context,
    job_id: int = typer.Argument(..., metavar="ID", help="The job's id (callplan job list)."),
    client: str | None = typer.Option(
        None,
        "--client",
        metavar="DM|none",
        autocompletion=complete.dm_names,
        help="The DM who gave you the job; 'none': no client.",
    ),
    title: str | None = typer.Option(None, "--title", help="The role, corrected."),
    company: str | None = typer.Option(None, "--company", help="The company ('' clears it)."),
    fee: str | None = typer.Option(None, "--fee", help="The fee ('' clears it)."),
    tag: list[str] = typer.Option([], "--tag", help="Add a tag. Repeatable."),
    untag: list[str] = typer.Option([], "--untag", help="Remove a tag. Repeatable."),
) -> None:
    """Correct a job: its client, title, company, fee or tags. A new client brings their
    company too, unless the job's was another one or --company is given."""
    from callplan import services
    from callplan.store import queries

    rt = runtime(ctx)
    changes = services.jobs.Changes(tags=_tags(tag), untags=_tags(untag))
    if title is not None:
        changes.title = clean_text(title, "title")
        if not changes.title:
            raise UsageError("The job title can't be empty.")
    if company is not None:
        changes.company = clean_text(company, "company")
    if fee is not None:
        changes.fee = clean_text(fee, "fee", max_length=60)
    with rt.writing() as s:
        job = queries.hooks.get_job(s, job_id=job_id)
        if client is not None:
            none = client.strip().lower() in ("none", "-")
            changes.client = None if none else queries.dms.find_dm(s, ref=client)
        edited = services.jobs.edit(s, rt.desk(s), job=job, changes=changes)
    who = f" for {edited.client.name}" if edited.client is not None else ", no client"
    company_of = f" ({job.company})" if job.company else ""
    output.echo(f"Updated job:{job.id} {job.title}{company_of}{who}: {', '.join(edited.changed)}.")
    for warning in edited.warnings:
        output.warn(warning)


@jobs.command("list")
def job_list(ctx: typer.Context, all_: bool = ALL, json_: bool = options.JSON) -> None:
    """The open jobs (with --all, closed ones too), each with its client and where it
    stands: CVs sent, interviews, offers."""
    from callplan import services

    rt = runtime(ctx)
    with rt.reading() as s:
        rows = services.jobs.rows(s, everything=all_, today=rt.today)
    if not rows and not json_:
        output.message("No open jobs. Add one: callplan job add TITLE --client DM --tag SKILL")
        return
    output.emit(
        output.choose(json_=json_),
        data={"count": len(rows), "jobs": rows},
        rows=[
            {**r, "for": f"#{r['client']['id']} {r['client']['name']}" if r["client"] else ""}
            for r in rows
        ],
        columns=[
            Column("ref", "Hook", no_wrap=True, style="dim"),
            Column("title", "Job", ratio=3),
            Column("company", "Company", ratio=2),
            Column("for", "Client", ratio=2),
            Column("standing", "Where it stands", ratio=3),
            Column("tags", "Tags", ratio=2),
            *([Column("status", "Status", no_wrap=True)] if all_ else []),
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


WHO = typer.Argument(
    ...,
    metavar="DM|job:ID",
    autocompletion=complete.dm_names,
    help="The decision maker (an id or part of a name), or job:ID for the candidates "
    "matching a job.",
)


def hooks(
    ctx: typer.Context,
    dm: str = WHO,
    json_: bool = options.JSON,
) -> None:
    """The jobs, candidates and coming events worth mentioning to a DM, best first, and
    why. With job:ID, the open candidates whose tags match the job: to put forward, or to
    ask for referrals."""
    from callplan import services
    from callplan.store import queries

    rt = runtime(ctx)
    ref = dm.strip().lower()
    if ref.startswith(("job:", "j:")):
        _job_candidates(ctx, parse_ref(dm)[1], json_=json_)
        return
    if ref.startswith(("candidate:", "c:", "cand:", "mpc:", "event:", "e:")):
        raise UsageError(
            f"hooks takes a DM, or job:ID for the candidates matching a job: not {dm!r}."
        )
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


def _job_candidates(ctx: typer.Context, job_id: int, *, json_: bool) -> None:
    """`hooks job:ID`: the open candidates whose tags match the job, most tags in common
    first."""
    from callplan import services
    from callplan.store import queries

    with runtime(ctx).reading() as s:
        job = queries.hooks.get_job(s, job_id=job_id)
        data = services.shapes.job_candidates_json(job, services.jobs.candidates_for(s, job=job))
    rows = data["candidates"]
    if not rows and not json_:
        tags = job.tags.replace(",", ", ")
        output.message(
            f"No open candidate shares a tag with job:{job.id} {job.title}"
            + (f" ({tags})." if tags else ": it has no tags (callplan job edit ID --tag SKILL).")
        )
        return
    output.emit(
        output.choose(json_=json_),
        data=data,
        rows=[{**r, "shared": ", ".join(r["shared_tags"])} for r in rows],
        columns=[
            Column("ref", "Candidate", no_wrap=True, style="dim"),
            Column("name", "Name", ratio=2),
            Column("headline", "Headline", ratio=3),
            Column("job_search", "Search", no_wrap=True),
            Column("shared", "Shared tags", ratio=2),
        ],
        title=f"Candidates for job:{job.id} {job.title}: put them forward, or ask for referrals",
    )
