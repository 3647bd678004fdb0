"""`callplan log WHO`: record a call to a DM or a candidate and diarise the next one."""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

import typer

from callplan.cli import options, output
from callplan.cli.context import Runtime, runtime
from callplan.cli.options import clean_text
from callplan.cli.render import (
    report_job_added,
    report_note,
    report_referrals_and_warnings,
    warn_about_next_call,
)
from callplan.core import purposes, wording
from callplan.core.dates import WHEN_HELP
from callplan.core.hooks import parse_ref
from callplan.core.kinds import Status
from callplan.core.outcomes import Kind, Outcome
from callplan.core.wording import printable
from callplan.errors import UsageError

if TYPE_CHECKING:
    from callplan.services.calls import LogResult
    from callplan.services.candidates import Callee, Referral
    from callplan.services.candidates import Logged as LoggedCandidate
    from callplan.store.models import Candidate, DecisionMaker
    from callplan.store.queries.calls import Logged


def log(
    ctx: typer.Context,
    dm: str = options.CALLEE,
    advance: str | None = options.LOG_ADVANCE,
    continuation: str | None = options.LOG_CONTINUATION,
    no_connect: str | None = options.LOG_NO_CONNECT,
    summary: str | None = typer.Option(
        None, "--summary", "-s", help="What was said, briefly: your own note, never read out."
    ),
    say: str | None = typer.Option(
        None,
        "--say",
        metavar="TEXT",
        help="Words to open the next call with, as you'd say them "
        "('you asked me to ring about the Leeds role').",
    ),
    next_: str | None = typer.Option(
        None,
        "--next",
        metavar="DATE",
        help=f"The next call, as agreed (default: by outcome; never past the cycle). {WHEN_HELP}.",
    ),
    purpose: str | None = options.PURPOSE,
    on: str | None = typer.Option(
        None, "--on", metavar="DATE", help="When the call was made (default: today)."
    ),
    successor: str | None = typer.Option(
        None,
        "--successor",
        metavar="NAME",
        help="With left-company: who replaced them (added as a referred prospect).",
    ),
    referral: list[str] = typer.Option(
        [],
        "--referral",
        "-r",
        metavar="'NAME[, TITLE][, COMPANY][, PHONE]'",
        help="Someone they referred you to, added as a prospect called before cold ones "
        "(company defaults to theirs). Repeatable.",
    ),
    hook: list[str] = typer.Option(
        [],
        "--hook",
        metavar="job:ID|candidate:ID|event:ID",
        help="A hook you used on the call (an event: you invited them). Repeatable.",
    ),
    competitor: str | None = options.COMPETITOR,
    competitor_likes: str | None = options.LIKES,
    sold: str | None = options.SOLD,
    liked: str | None = options.LIKED,
    not_fussed: str | None = options.NOT_FUSSED,
    process: str | None = options.PROCESS,
    toughest_role: str | None = options.TOUGHEST_ROLE,
    plans: str | None = options.PLANS,
    interest: str | None = options.INTEREST,
    again: bool = typer.Option(
        False,
        "--again",
        help="Log it even if the same outcome with this DM was logged a few minutes ago "
        "(again_minutes).",
    ),
    job: str | None = typer.Option(
        None,
        "--job",
        metavar="ID|TITLE",
        help="With a candidate: the job the call was about (callplan job list). With "
        "--advance live-requirement: the title of the job the DM gave you, added as theirs.",
        rich_help_panel="Candidates",
    ),
    tag: list[str] = typer.Option(
        [],
        "--tag",
        help="With --job TITLE: a skill, sector or seniority word of the new job. Repeatable.",
        rich_help_panel="Candidates",
    ),
    candidate_referral: list[str] = typer.Option(
        [],
        "--candidate-referral",
        metavar="'NAME[, PHONE]'",
        help="Someone they named who is looking: added as a candidate (from a candidate: "
        "with --advance referral-given). Repeatable.",
        rich_help_panel="Candidates",
    ),
) -> None:
    """Log a call to a DM or a candidate: an advance, a continuation, or a dial that
    didn't connect.

    Note fields (--competitor, --toughest-role, ...) go with a conversation and update the
    DM's current picture; --referral adds the people they named. A call to a candidate
    (candidate:ID, or their name) takes a candidate's outcome, --job, --next, --on and
    --summary, and diarises their next call on their own cycle.
    """
    from callplan import services
    from callplan.store import queries

    rt = runtime(ctx)
    callee = _callee(rt, dm)
    named, unplaced = _candidate_referrals(rt, candidate_referral)
    if callee.kind == "candidate":
        dm_only = {
            "--say": say,
            "--purpose": purpose,
            "--successor": successor,
            "--referral": referral,
            "--hook": hook,
            "--competitor": competitor,
            "--likes": competitor_likes,
            "--sold": sold,
            "--liked": liked,
            "--not-fussed": not_fussed,
            "--process": process,
            "--toughest-role": toughest_role,
            "--plans": plans,
            "--interest": interest,
            "--tag": tag,
        }
        given = [name for name, value in dm_only.items() if value]
        if given:
            raise UsageError(
                f"{', '.join(given)} {'is' if len(given) == 1 else 'are'} for a call to a DM, "
                f"not to {callee.ref} {callee.label}."
            )
        _log_candidate(
            rt,
            callee.id,
            advance=advance,
            continuation=continuation,
            no_connect=no_connect,
            summary=summary,
            job=job,
            next_=next_,
            on=on,
            named=named,
            unplaced=unplaced,
        )
        return
    dm = str(callee.id)
    services.candidates.refuse_candidate_outcome(
        advance=advance, continuation=continuation, no_connect=no_connect
    )
    if named and no_connect is not None:
        raise UsageError("--candidate-referral goes with a conversation, not --no-connect.")
    outcome = services.calls.outcome_from(
        advance=advance, continuation=continuation, no_connect=no_connect
    )
    new_job = _new_job(job, outcome)
    tags = options.read_tags(tag)
    if tags and new_job is None:
        raise UsageError("--tag goes with --job TITLE: the tags of the job the call gave you.")
    called_on, requested, next_at, text = _when_and_summary(rt, on, next_, summary)
    said = clean_text(say, "text to say", max_length=2_000)
    next_purpose = options.read_purpose(purpose)
    successor = clean_text(successor, "successor's name")
    fields = options.NoteOptions(
        competitor=competitor,
        competitor_likes=competitor_likes,
        sold=sold,
        liked=liked,
        not_fussed=not_fussed,
        process=process,
        toughest_role=toughest_role,
        plans=plans,
        interest=interest,
    ).fields()
    referrals = [services.calls.Referral.parse(clean_text(r, "referral") or "") for r in referral]
    hooks = [parse_ref(h) for h in hook]
    if outcome.type == "left-company" and successor is None and sys.stdin.isatty():
        successor = _ask_successor()
    if not again:
        _check_not_logged_twice(rt, dm, outcome, called_on)
    with rt.writing() as s:
        target = queries.dms.find_dm(s, ref=dm)
        desk = rt.desk(s, register=True)
        result = services.calls.log_call(
            s,
            desk,
            dm=target,
            outcome=outcome,
            called_on=called_on,
            summary=text,
            requested_next=requested,
            successor=successor,
            referrals=referrals,
            note_fields=fields,
            hooks=hooks,
            say=said,
            next_purpose=next_purpose,
            next_call_at=next_at,
        )
        push = None  # the Nth continuation in a row: the advance to aim for
        if outcome.kind is Kind.CONTINUATION and result.logged.latest:
            push = services.today.push_after_log(s, desk, dm=target)
        added, left_out = services.candidates.add_referred(s, desk, named, by_dm_id=target.id)
        made = (
            services.jobs.add_from_call(
                s, call=result.logged.call, client=target, title=new_job, tags=tags
            )
            if new_job is not None
            else None
        )
    output.echo(_logged_line(target, outcome, called_on, result, today=rt.today))
    if push:
        output.echo(push)
    if made is not None:
        report_job_added(made)
    _report_candidates(added, [*unplaced, *left_out])
    report_note(result)
    warn_about_next_call(rt, outcome, requested, result.next_call)
    if target.needs_number and target.status == Status.ACTIVE:
        output.warn(f"{target.name} needs a new number: callplan dm edit {target.id} --phone ...")
    report_referrals_and_warnings(result, target.name)


def _new_job(title: str | None, outcome: Outcome) -> str | None:
    """The title of the job a call to a DM gave (--job), which only a live requirement
    does; a number is refused (an existing job: `job edit ID --client DM`)."""
    if title is None:
        return None
    if outcome.type != "live-requirement":
        raise UsageError(
            "--job goes with a call to a candidate, or with --advance live-requirement "
            "(the title of the job the DM gave you)."
        )
    clean = clean_text(title, "job title")
    if not clean:
        raise UsageError("The job title is empty.")
    bare = clean.lower().removeprefix("job:").lstrip("#")
    if bare.isascii() and bare.isdigit():
        raise UsageError(
            f"--job {clean} is an id: with a DM, --job is the new job's title (an existing "
            f"job becomes theirs with: callplan job edit {bare} --client DM)."
        )
    return clean


def _when_and_summary(
    rt: Runtime, on: str | None, next_: str | None, summary: str | None
) -> tuple[date, date | None, time | None, str | None]:
    """The day of the call (never in the future), the next call asked for and its time,
    and the summary, as typed to `log`."""
    called_on = rt.date(on, past=True)
    if called_on > rt.today:
        raise UsageError(f"The call date {called_on.isoformat()} is in the future.")
    requested, next_at = rt.when(next_) if next_ is not None else (None, None)
    return (
        called_on,
        requested,
        next_at,
        clean_text(summary, "summary", max_length=10_000, multiline=True),
    )


def _callee(rt: Runtime, ref: str) -> Callee:
    """Whom ``ref`` means: a DM or a candidate (services.candidates.callees). A name that
    is both is asked at a terminal (a numbered choice) and refused otherwise: never
    guessed. Read before the write, so the question never holds the store."""
    from callplan import services

    with rt.reading() as s:
        found = services.candidates.callees(s, ref=ref)
    if len(found) == 1:
        return found[0]
    if not options.interactive():
        raise services.candidates.ambiguous(ref, found)
    typer.echo(printable(f"{ref.strip()!r} is both a DM and a candidate:"), err=True)
    for i, callee in enumerate(found, start=1):
        typer.echo(printable(f"  {i}. {callee.ref} {callee.label}"), err=True)
    while True:
        answer = typer.prompt(f"Which one? (1-{len(found)})", err=True).strip()
        if answer.isascii() and answer.isdigit() and 1 <= int(answer) <= len(found):
            return found[int(answer) - 1]


def _candidate_referrals(rt: Runtime, texts: list[str]) -> tuple[list[Referral], list[str]]:
    """The --candidate-referral values as typed: 'NAME[, PHONE]', each number checked as
    a DM's; with the warnings to show once the call is logged."""
    from callplan.services.candidates import Referral

    found, warnings = [], []
    for text in texts:
        parsed = Referral.parse(clean_text(text, "candidate referral") or "")
        name = clean_text(parsed.name, "candidate's name")
        assert name is not None
        number, kept = options.read_phone(parsed.phone, country=rt.settings.country)
        found.append(Referral(name, number))
        warnings += [kept] if kept else []
    return found, warnings


def _report_candidates(added: list[Candidate], warnings: list[str]) -> None:
    for c in added:
        output.echo(f"Added candidate:{c.id} {c.name} ({c.job_search}).")
    for warning in warnings:
        output.warn(warning)


def _log_candidate(
    rt: Runtime,
    candidate_id: int,
    *,
    advance: str | None,
    continuation: str | None,
    no_connect: str | None,
    summary: str | None,
    job: str | None,
    next_: str | None,
    on: str | None,
    named: list[Referral],
    unplaced: list[str],
) -> None:
    """`log candidate:ID`: the call recorded with a candidate's outcome, their next call
    diarised, and the planned delivery calls it makes."""
    from callplan import services
    from callplan.store import queries

    outcome = services.candidates.outcome_from(
        advance=advance, continuation=continuation, no_connect=no_connect
    )
    called_on, requested, next_at, text = _when_and_summary(rt, on, next_, summary)
    with rt.writing() as s:
        logged = services.candidates.log_call(
            s,
            rt.desk(s, register=True),
            candidate_id=candidate_id,
            outcome=outcome,
            called_on=called_on,
            summary=text,
            job=job,
            requested_next=requested,
            next_call_at=next_at,
            referrals=named,
        )
        placed_job = logged.call.job_id
        if outcome.type == "offer-accepted" and placed_job is None:
            offered = [
                j.id
                for sub, j in queries.candidates.submissions_of(s, candidate_id=candidate_id)
                if sub.stage == "offered"
            ]
            placed_job = offered[0] if len(offered) == 1 else None
    output.echo(_candidate_line(logged, rt.today))
    if outcome.type == "offer-accepted":
        output.echo(
            f"Next: record the placement: callplan placed {candidate_id} "
            f"{placed_job if placed_job is not None else 'JOB'}"
        )
    if requested is not None and not rt.calendar.is_working(requested):
        output.warn(f"Note: {wording.day(requested, rt.today)} is not a working day.")
    for warning in logged.warnings:
        output.warn(warning)
    _report_candidates(logged.referred, unplaced)


def _candidate_line(logged: LoggedCandidate, today: date) -> str:
    """'Logged advance (interested) with candidate:3 Ann Lee about job:2: 2nd
    conversation. Next call Wed 25 Nov.'"""
    call, c = logged.call, logged.candidate
    when = wording.day(call.called_on, today)
    when = "" if when == "today" else f" {when}" if when == "yesterday" else f" on {when}"
    about = f" about job:{call.job_id}" if call.job_id is not None else ""
    line = f"Logged {call.kind} ({call.outcome}) with candidate:{c.id} {c.name}{about}{when}"
    if call.kind == Kind.NO_CONNECT.value:
        line += ": an attempt"
    elif logged.latest:
        line += f": {wording.ordinal(c.conversation_count)} conversation"
    else:
        line += ": a conversation"
    if not logged.latest:
        return line + "."
    if c.next_call_on is not None:
        return line + f". Next call {wording.day_at(c.next_call_on, c.next_call_at, today)}."
    return line + f". No next call diarised: {c.name} is {c.job_search}."


def _check_not_logged_twice(rt: Runtime, ref: str, outcome: Outcome, called_on: date) -> None:
    """A second log of the same outcome with a DM on the same day, within
    ``again_minutes`` of the first, is most likely the same call typed twice: asked about
    on a terminal (before the write lock is taken), refused otherwise unless --again."""
    from callplan.store import queries

    minutes = rt.settings.again_minutes
    if not minutes:
        return
    since = datetime.now(UTC) - timedelta(minutes=minutes)
    with rt.reading() as s:
        target = queries.dms.find_dm(s, ref=ref)
        assert target.id is not None
        twin = queries.calls.logged_since(
            s,
            dm_id=target.id,
            outcome=outcome.type,
            called_on=called_on,
            since=since,
            recruiter=rt.recruiter(s),
        )
    if twin is None:
        return
    ago = max(1, round((datetime.now(UTC) - twin.logged_at).total_seconds() / 60))
    said = f"{outcome.type} with {target.name} was logged {wording.count(ago, 'minute')} ago"
    if not options.interactive():
        raise UsageError(f"{said}: add --again to log another (callplan dm show {target.id}).")
    typer.confirm(printable(f"{said}. Log another?"), abort=True, err=True)


def _ask_successor() -> str | None:
    """Who replaced a DM who left the company, asked at a terminal (Enter skips)."""
    answer = typer.prompt(
        "Who replaced them? (a name, or Enter to skip)", default="", show_default=False
    )
    return clean_text(answer, "successor's name")


def _logged_line(
    target: DecisionMaker, outcome: Outcome, called_on: date, result: LogResult, *, today: date
) -> str:
    """The line confirming a logged call: what, with whom, when, which conversation or
    attempt it was, and the next call (or that the DM is archived)."""
    who = target.name + (f", {target.company}" if target.company else "")
    when = wording.day(called_on, today)
    when = "" if when == "today" else f" {when}" if when == "yesterday" else f" on {when}"
    count = _conversation_or_attempt(target, result.logged)
    line = f"Logged {outcome.kind.value} ({outcome.type}) with {who}{when}: {count}."
    nc = result.next_call
    if outcome.type == "left-company":
        line += f" {target.name} is archived."
    elif nc.on is not None and result.logged.latest:
        line += f" Next call {wording.day_at(nc.on, target.next_call_at, today)}"
        if target.due_purpose:
            line += f" (purpose: {purposes.label(target.due_purpose)})"
        line += " (already due)." if nc.on < today else "."
    return line


def _conversation_or_attempt(target: DecisionMaker, logged: Logged) -> str:
    """Which conversation the call was, or which attempt since the last one."""
    if logged.call.conversation_number:
        return f"{wording.ordinal(logged.call.conversation_number)} conversation"
    if not logged.latest:
        return "an attempt"
    n = target.attempts_in_row
    spoken = target.conversation_count
    if spoken:
        return f"attempt {n} since the last conversation ({spoken} so far)"
    return f"attempt {n}, not yet spoken to"
