"""`callplan goal [TEXT]`: the day's goal, in your words, and how far today's advances
have got towards it."""

from __future__ import annotations

import typer

from callplan.cli import options, output
from callplan.cli.context import runtime
from callplan.cli.options import read_goal
from callplan.core import goals, wording
from callplan.errors import UsageError


def counted(goal: goals.Goal) -> str:
    """How a goal is counted, in words."""
    if goal.target is None:
        return (
            "not counted: start with a number and name an advance to have it counted, "
            "e.g. '2 CV reviews' or '3 advances'"
        )
    what = goal.outcome or "advance"
    return f"counted: {goal.target} {what}{'s' if goal.target != 1 and not goal.outcome else ''}"


def goal(
    ctx: typer.Context,
    text: str | None = typer.Argument(
        None, help="What you mean to achieve today, e.g. '2 CV reviews agreed'."
    ),
    clear: bool = typer.Option(False, "--clear", help="Clear today's goal."),
    json_: bool = options.JSON,
) -> None:
    """Set today's goal in your words ("2 CV reviews agreed", "3 advances"), or show it
    with the advances so far. A goal that starts with a number and names an advance is
    counted; `today` shows it at the top and `stats` counts the goals met."""
    from callplan import services
    from callplan.store.queries import progress

    rt = runtime(ctx)
    if text is not None and clear:
        raise UsageError("Give a goal or --clear, not both.")
    on = rt.today
    if text is not None or clear:
        new = read_goal(text) if text is not None else None
        with rt.writing() as s:
            who = rt.recruiter(s, register=True)
            progress.set_goal(s, day=on, recruiter=who, goal=new)
    with rt.reading() as s:
        whose = rt.desk(s).recruiter
        found = progress.goal_of(s, day=on, recruiter=whose)
        _, advances = progress.results(s, on=on, recruiter=whose)
    if json_:
        output.print_json(services.shapes.goal_json(found, advances))
        return
    day = wording.day(on, on)
    if found is None:
        output.echo(
            f"No goal for {day}"
            + (" (cleared)." if clear else ": set one with callplan goal TEXT.")
        )
        return
    output.echo(goals.goal_line(found, advances) + f" ({counted(found)})")
