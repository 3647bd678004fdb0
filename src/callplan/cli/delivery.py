"""Delivery: `callplan submit`, `interview`, `offer`, `placed` and `withdrawn` move a
candidate's submission for a job through its stages; each stage plans the calls the
method asks for (core.delivery), which `today` lists under "Candidates & delivery"."""

from __future__ import annotations

from datetime import date, time
from typing import TYPE_CHECKING

import typer

from callplan.cli import output
from callplan.cli.context import Runtime, runtime
from callplan.cli.options import clean_text
from callplan.core import delivery, wording

if TYPE_CHECKING:
    from callplan.services.delivery import Moved
    from callplan.store.models import DeliveryCall

CANDIDATE = typer.Argument(..., help="The candidate: an id (3, candidate:3) or a name.")
JOB = typer.Argument(..., help="The job: an id (7, job:7) or a title.")
ON = typer.Option(None, "--on", metavar="DATE", help="When it happened (default: today).")
FEE = typer.Option(None, "--fee", help="The fee, as you note it (e.g. 20%, £12,000).")


def _report(rt: Runtime, moved: Moved, headline: str) -> None:
    """The move's line, then each call it planned ('Planned: Megan Price (client): chase
    CV feedback, Wed 25 Nov.'), then its notes."""
    lines = [headline]
    if moved.closed:
        lines.append(
            f"Closed {moved.closed} call{'s' if moved.closed != 1 else ''} the stage "
            "before had planned."
        )
    for call in moved.planned:
        lines.append(f"Planned: {_planned_line(rt, call, moved)}")
    lines += moved.notes
    output.echo("\n".join(lines))


def _planned_line(rt: Runtime, call: DeliveryCall, moved: Moved) -> str:
    reason = delivery.PURPOSES[(call.party, call.purpose)].label
    who = moved.candidate.name if call.party == delivery.CANDIDATE else moved.client_name
    day = wording.day(call.due_on, rt.today)
    at = f" at {call.due_at:%H:%M}" if call.due_at and call.due_on == call.planned_on else ""
    return f"{who} ({call.party}): {reason}, {day}{at}."


def _move(
    ctx: typer.Context,
    candidate: str,
    job: str,
    to: str,
    on: str | None,
    headline: str,
    *,
    at: time | None = None,
    starts_on: date | None = None,
    fee: str | None = None,
) -> None:
    from callplan import services
    from callplan.store import queries

    rt = runtime(ctx)
    day = rt.date(on, past=True)
    with rt.writing() as s:
        person = services.candidates.find(s, ref=candidate)
        role = queries.hooks.find_job(s, ref=job)
        moved = services.delivery.move(
            s,
            rt.desk(s),
            candidate=person,
            job=role,
            to=to,
            on=day,
            at=at,
            starts_on=starts_on,
            fee=fee,
        )
        _report(rt, moved, headline.format(who=person.name, job=f"job:{role.id} {role.title}"))


def submit(
    ctx: typer.Context,
    candidate: str = CANDIDATE,
    job: str = JOB,
    on: str | None = typer.Option(
        None, "--on", metavar="DATE", help="When the CVs went (default: today)."
    ),
    fee: str | None = FEE,
) -> None:
    """Put a candidate forward for a job (CVs sent): plans the call to chase the client
    for feedback."""
    _move(
        ctx,
        candidate,
        job,
        delivery.SUBMITTED,
        on,
        "Put {who} forward for {job}.",
        fee=clean_text(fee, "fee", max_length=60),
    )


def interview(
    ctx: typer.Context,
    candidate: str = CANDIDATE,
    job: str = JOB,
    at: str | None = typer.Option(
        None,
        "--at",
        metavar="WHEN",
        help="When it is: 'thu 10:00', '2026-12-09 14:30', 'tomorrow' (a time is optional).",
    ),
    no_show: bool = typer.Option(
        False, "--no-show", help="The candidate missed the interview: plans the calls for it."
    ),
) -> None:
    """Book an interview (a second one too): plans the candidate's prep call before it
    and the feedback calls after it, the candidate's first. With --no-show, record the
    interview missed."""
    from callplan.errors import UsageError

    rt = runtime(ctx)
    if no_show:
        if at is not None:
            raise UsageError("--no-show records the interview booked as missed: leave out --at.")
        _move(ctx, candidate, job, delivery.NO_SHOW, None, "{who} missed the interview for {job}.")
        return
    if at is None:
        raise UsageError("When is the interview? Add --at, e.g. --at 'thu 10:00'.")
    day, time_of_day = rt.when(at)
    shown = wording.day(day, rt.today) + (f" at {time_of_day:%H:%M}" if time_of_day else "")
    _move(
        ctx,
        candidate,
        job,
        delivery.INTERVIEW,
        day.isoformat(),
        "Interview booked for {who}, {job}: " + shown + ".",
        at=time_of_day,
    )


def offer(
    ctx: typer.Context, candidate: str = CANDIDATE, job: str = JOB, on: str | None = ON
) -> None:
    """Record an offer: plans the offer calls to both sides, that day."""
    _move(ctx, candidate, job, delivery.OFFERED, on, "Offer recorded: {who}, {job}.")


def placed(
    ctx: typer.Context,
    candidate: str = CANDIDATE,
    job: str = JOB,
    on: str | None = ON,
    starts: str | None = typer.Option(
        None, "--starts", metavar="DATE", help="Their start date: the check-in calls follow it."
    ),
    fee: str | None = FEE,
) -> None:
    """Record a placement: the candidate stops being marketed, and the check-in calls to
    both sides are planned after the start."""
    rt = runtime(ctx)
    starts_on = rt.date(starts) if starts else None
    _move(
        ctx,
        candidate,
        job,
        delivery.PLACED,
        on,
        "Placed: {who}, {job}. Well done.",
        starts_on=starts_on,
        fee=clean_text(fee, "fee", max_length=60),
    )


def withdrawn(
    ctx: typer.Context, candidate: str = CANDIDATE, job: str = JOB, on: str | None = ON
) -> None:
    """Withdraw a candidate from a job (rejected, or they pulled out): the calls still
    planned for it are closed."""
    _move(ctx, candidate, job, delivery.WITHDRAWN, on, "Withdrawn: {who}, {job}.")
