"""`callplan loop`: open loops (CVs waiting for feedback, a meeting to follow up...):
list them, open one no outcome opens (a promised introduction), close one no outcome
closed, take a close back."""

from __future__ import annotations

import typer

from callplan.cli import options, output
from callplan.cli.context import runtime
from callplan.core import loops

app = typer.Typer(
    help=(
        "Open loops: what you wait on or promised (CVs to review, a meeting to book), "
        "open until an advance closes it or you close it."
    ),
    no_args_is_help=False,
    invoke_without_command=True,
)
app.callback()(options.show_help_without_command)

LOOP_ARG = typer.Argument(
    None,
    metavar="[LOOP]",
    help="The loop's kind (cv-review, meeting...) or id (#3); needed when there are several.",
)


@app.command("list")
def list_(
    ctx: typer.Context,
    everyone: bool = typer.Option(
        False, "--all", help="Every recruiter's DMs' loops, not only yours."
    ),
    json_: bool = options.JSON,
) -> None:
    """Every open loop of your active DMs, the oldest first, with its age and chases."""
    from callplan import services
    from callplan.store import queries

    rt = runtime(ctx)
    with rt.reading() as s:
        owner = None if everyone else rt.desk(s).recruiter
        found = queries.loops.open_loops(s, owner=owner)
    rows = [
        {
            **services.shapes.loop_json(loop, rt.today),
            "dm": {"id": dm.id, "name": dm.name, "company": dm.company},
        }
        for loop, dm in found
    ]
    if json_:
        output.print_json({"loops": rows})
        return
    if not rows:
        output.echo("No open loops.")
        return
    output.print_table(
        [
            {
                "id": f"#{r['id']}",
                "dm": f"{r['dm']['name']} (#{r['dm']['id']})",
                "kind": r["kind"],
                "text": r["text"],
            }
            for r in rows
        ],
        [
            output.Column("id", "Loop", style="dim", no_wrap=True),
            output.Column("dm", "Decision maker", ratio=2),
            output.Column("kind", "Kind", no_wrap=True),
            output.Column("text", "Open", ratio=3),
        ],
    )


@app.command("open")
def open_(
    ctx: typer.Context,
    dm: str = options.DM,
    kind: str = typer.Argument(
        loops.INTRODUCTION,
        metavar="[KIND]",
        help="What was promised: introduction (the default), the only kind no outcome opens.",
    ),
    call: int | None = typer.Option(
        None,
        "--call",
        metavar="ID",
        help="The conversation it was promised in (callplan call list DM); default: the latest.",
    ),
) -> None:
    """Record a promise no outcome says: the DM said they'd introduce you to someone. It
    stays in the brief, `today` and `dm show` until a call adds the people they name
    (log --referral) or you close it."""
    from callplan import services
    from callplan.store import queries

    rt = runtime(ctx)
    with rt.writing() as s:
        target = queries.dms.find_dm(s, ref=dm)
        loop = services.loops.promise(s, rt.desk(s), dm=target, kind=kind, call_id=call)
        told = loops.describe(
            loop.kind, opened_on=loop.opened_on, chases=loop.chases, today=rt.today
        )
        name, loop_id, opener = target.name, loop.id, loop.opened_by_call_id
    output.echo(
        f"Opened the {loop.kind} loop with {name} (#{loop_id}: {told}, in call "
        f"{opener}). It closes when you log the names: callplan log {target.id} ... "
        "--referral 'NAME, TITLE, COMPANY, PHONE'"
    )


@app.command("close")
def close(ctx: typer.Context, dm: str = options.DM, which: str | None = LOOP_ARG) -> None:
    """Close an open loop no outcome closed (the CVs were rejected by email, say):
    it leaves the brief and `today`. With several open, name the one."""
    from callplan import services
    from callplan.store import queries

    rt = runtime(ctx)
    with rt.writing() as s:
        target = queries.dms.find_dm(s, ref=dm)
        desk = rt.desk(s)
        loop = services.loops.close(s, desk, dm=target, which=which)
        told = loops.describe(
            loop.kind, opened_on=loop.opened_on, chases=loop.chases, today=rt.today
        )
        name = target.name
    output.echo(
        f"Closed the {loop.kind} loop with {name} (#{loop.id}: {told}). "
        f"Take it back: callplan loop reopen {target.id} {loop.id}"
    )


@app.command("reopen")
def reopen(ctx: typer.Context, dm: str = options.DM, which: str | None = LOOP_ARG) -> None:
    """Open again a loop you closed by hand (a close by mistake)."""
    from callplan import services
    from callplan.store import queries

    rt = runtime(ctx)
    with rt.writing() as s:
        target = queries.dms.find_dm(s, ref=dm)
        loop = services.loops.reopen(s, rt.desk(s), dm=target, which=which)
        kind, loop_id, name, still = loop.kind, loop.id, target.name, loop.closed_on
    if still is None:
        output.echo(f"The {kind} loop with {name} (#{loop_id}) is open again.")
    else:
        output.echo(
            f"The {kind} loop with {name} (#{loop_id}) is no longer closed by hand: "
            f"a later call closed it ({still.isoformat()})."
        )
