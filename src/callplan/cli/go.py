"""`callplan go`: a guided call session through today's agenda, one call at a time: the
new DMs, the DMs due, then the candidates & delivery calls (a job's client, a
candidate).

Each call is logged in its own transaction as soon as it is answered, so quitting (q,
Ctrl-C) keeps everything done so far, and a second run picks up where the day stands.
Prompts take one key on a terminal and a line of input otherwise, so scripts and tests
can drive a session.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time
from typing import TYPE_CHECKING, Any

import typer

from callplan.cli import options, output
from callplan.cli.context import Runtime, runtime
from callplan.cli.options import clean_text
from callplan.cli.render import (
    phone_region,
    print_brief,
    print_closing,
    report_note,
    report_referrals_and_warnings,
    warn_about_next_call,
)
from callplan.core import goals, planner, purposes, templates, wording
from callplan.core.notes import INTEREST_LEVELS, NOTE_FIELDS
from callplan.core.outcomes import Kind, Outcome, types_of
from callplan.errors import CallplanError, UsageError

if TYPE_CHECKING:
    from sqlmodel import Session

    from callplan.core.brief import Brief
    from callplan.core.notes import Current
    from callplan.services.calls import Referral
    from callplan.store.models import DecisionMaker

KINDS = {"a": Kind.ADVANCE, "c": Kind.CONTINUATION, "n": Kind.NO_CONNECT}
# The note fields a session asks for when the current picture lacks them.
ASK_FIELDS = ("competitor", "toughest_role", "process", "plans", "interest")


def _key(prompt: str, keys: str) -> str:
    """One of ``keys``: a single keypress on a terminal, else a line of input."""
    while True:
        if sys.stdin.isatty():
            typer.echo(f"{prompt} ", nl=False)
            try:
                answer = typer.getchar().lower()
            except KeyboardInterrupt as exc:  # as at a line prompt: Ctrl-C aborts
                raise typer.Abort() from exc
            typer.echo(answer)
        else:
            answer = typer.prompt(prompt, default="", show_default=False).strip().lower()[:1]
        if answer and answer in keys:
            return answer
        typer.echo(f"Press one of: {', '.join(keys)}.")


def _line(prompt: str, default: str = "") -> str:
    return str(typer.prompt(prompt, default=default, show_default=bool(default))).strip()


def _choose_type(kind: Kind) -> str:
    return _choose(kind, types_of(kind))


def _choose(kind: Kind, types: list[str]) -> str:
    """One of ``types`` (of ``kind``), by number or the start of its name."""
    menu = "  ".join(f"{i}) {t}" for i, t in enumerate(types, 1))
    output.console().print(menu, markup=False, highlight=False)  # wraps at the width
    while True:
        answer = _line(f"Which {kind.value}? (number or name)").lower()
        if answer.isascii() and answer.isdigit() and 1 <= int(answer) <= len(types):
            return types[int(answer) - 1]
        found = [t for t in types if t.startswith(answer)] if answer else []
        if len(found) == 1:
            return found[0]
        typer.echo(f"Type 1 to {len(types)}, or the start of a name.")


PLAIN = typer.Option(
    False, "--plain", help="Line prompts, not the full-screen cockpit (as when piped)."
)


def go(ctx: typer.Context, date_: str | None = options.DATE, plain: bool = PLAIN) -> None:
    """Work through today's agenda: the brief, then the outcome, notes, referrals and the
    next date for each call (DMs, then candidates & delivery). On a terminal this is the
    full-screen cockpit (? lists its keys); piped, or with --plain, line prompts: s skips,
    q quits. Everything answered so far is saved."""
    rt = runtime(ctx)
    on = rt.date(date_, past=True)
    if on > rt.today:
        raise UsageError(f"{on.isoformat()} is in the future: calls are logged as they happen.")
    if not plain and sys.stdin.isatty() and sys.stdout.isatty():
        _cockpit(rt, on)
        return
    words = templates.load(rt.environ)
    logged: set[tuple[str, int]] = set()
    try:
        _session(rt, on, words, logged)
    except typer.Abort as exc:
        if not options.interrupted(exc) and not isinstance(exc, Stopped):
            raise
        if not isinstance(exc, Stopped):
            typer.echo("", err=True)  # off the line the prompt was on
        _session_over(rt, on, logged)
        raise typer.Exit(130) from exc  # as any Ctrl-C (docs: exit codes)
    _session_over(rt, on, logged)


def _cockpit(rt: Runtime, on: date) -> None:
    """The full-screen session (cli/cockpit); what it logged is said when it closes."""
    from callplan.cli.cockpit.app import Cockpit
    from callplan.cli.cockpit.day import Day

    day = Day(rt, on)  # planned by the app, once its screen is drawn
    app = Cockpit(day)
    app.run()
    if app.refused is not None:  # the day couldn't be planned: nothing was done
        raise app.refused
    if not day.planned:  # quit before the plan was on the screen
        typer.echo("Session over: nothing logged.")
        return
    n = day.logged
    left = day.left
    tail = f"; {left} still to call today" if left else "; that's everyone for today"
    typer.echo(f"Session over: {n} call{'s' if n != 1 else ''} logged{tail}.")
    if app.failure is not None:
        raise CockpitFailed(app.failure)


class CockpitFailed(CallplanError):
    """The cockpit ended on a failure callplan didn't foresee (a bug): said in one line,
    as main says any other; the calls logged before it are kept."""

    exit_code = 70

    def __init__(self, failure: Exception) -> None:
        super().__init__(
            f"The cockpit stopped unexpectedly ({type(failure).__name__}); the calls logged "
            "before are saved, the last action was not. Run again with CALLPLAN_DEBUG=1 "
            "for details."
        )
        self.__cause__ = failure


def _key_of(row: dict[str, Any]) -> tuple[str, int]:
    """Who a row of the agenda calls: ("dm", id) or ("candidate", id). A delivery call
    to a job's client is a call to that DM: once they are handled, so is it."""
    return ("candidate", row["id"]) if row.get("kind") == "candidate" else ("dm", row["id"])


def _session(rt: Runtime, on: date, words: Mapping[str, str], logged: set[tuple[str, int]]) -> None:
    """Brief, ask and log call after call until everyone is handled or q is pressed."""
    from callplan import services
    from callplan.store import queries

    handled: set[tuple[str, int]] = set()  # logged or skipped in this session
    warned = False
    while True:
        with rt.agenda(on=on, limit=None) as (s, _, agenda, unclaimed):
            if unclaimed and not warned:
                output.warn(unclaimed)
                warned = True
            rows = agenda.new + agenda.due + [r for r in agenda.delivery if r["id"] is not None]
            queue = [r for r in rows if _key_of(r) not in handled]
            if not queue:
                return
            row = queue[0]
            who = _key_of(row)
            why = [r["reason"] for r in agenda.delivery if _key_of(r) == who]
            if who[0] == "candidate":
                person = services.candidates.find(s, ref=f"candidate:{row['id']}")
                facts = services.candidates.details(s, rt.desk(s, today=on), candidate=person)
            else:
                target = queries.dms.find_dm(s, ref=str(row["id"]))
                brief = services.briefs.brief_for(s, rt.desk(s, today=on), dm=target, words=words)
            goal = _goal_line(s, rt, on)

        output.console().rule(f"{len(queue)} to go")
        if goal:
            output.echo(goal)
        if who[0] == "candidate":
            _print_candidate(facts, why, region=phone_region(rt))
        else:
            for reason in why:  # the delivery calls this conversation is for
                output.echo(f"Delivery: {reason}")
            print_brief(brief, on, region=phone_region(rt))
        choice = _key("[a]dvance  [c]ontinuation  [n]o connect  [s]kip  [q]uit?", "acnsq")
        if choice == "q":
            return
        handled.add(who)
        if choice == "s":
            continue
        try:
            if who[0] == "candidate":
                _log_candidate(rt, who[1], facts, KINDS[choice], on, logged)
            else:
                _log_one(rt, target, KINDS[choice], on, brief, logged)
        except CallplanError as exc:  # a bad answer: say so and move on, nothing written
            output.warn(f"Not logged: {exc.message}")


def _print_candidate(facts: Mapping[str, Any], why: list[str], *, region: str | None) -> None:
    """What a call to a candidate needs: who, their number, their search, why now."""
    from callplan.cli.render import phone

    c = facts["candidate"]
    output.echo(f"candidate:{c['id']} {c['name']} · {phone(c['phone'], region)}")
    output.echo(f"Job search: {c['job_search']}")
    for reason in why:
        output.echo(f"Why now: {reason}")


def _choose_candidate_type(kind: Kind) -> str:
    """One of the candidate outcomes of ``kind`` (core.delivery.CANDIDATE_OUTCOMES)."""
    from callplan.core.delivery import CANDIDATE_OUTCOMES

    return _choose(kind, [o.type for o in CANDIDATE_OUTCOMES.values() if o.kind is kind])


def _log_candidate(
    rt: Runtime,
    candidate_id: int,
    facts: Mapping[str, Any],
    kind: Kind,
    on: date,
    logged: set[tuple[str, int]],
) -> None:
    """Ask about a call to a candidate (its outcome, a summary, the next call) and log it."""
    from callplan import services
    from callplan.core.delivery import candidate_next_call

    typed_type = _choose_candidate_type(kind)
    outcome = services.candidates.outcome_from(
        advance=typed_type if kind is Kind.ADVANCE else None,
        continuation=typed_type if kind is Kind.CONTINUATION else None,
        no_connect=typed_type if kind is Kind.NO_CONNECT else None,
    )
    summary = clean_text(_line("Summary (Enter to skip)"), "summary", max_length=10_000)
    c = facts["candidate"]
    default = candidate_next_call(
        outcome.type,
        on=on,
        settings=rt.settings,
        calendar=rt.calendar,
        cycle_days=c["cycle"],
        job_search=c["job_search"],
    )
    requested, at = None, None
    if default is not None:
        shown = wording.day(default, on)
        while True:
            typed = _line("Next call (add a time if agreed: thu 15:00)", default=shown)
            if typed == shown:
                break
            try:
                requested, at = rt.when(typed, alone=default)
                if requested < on:
                    raise UsageError(f"{requested.isoformat()} is before the call.")
                break
            except UsageError as exc:
                output.echo(f"{exc.message} Type another date, or Enter for {shown}.")
    with rt.writing() as s:
        done = services.candidates.log_call(
            s,
            rt.desk(s, register=True),
            candidate_id=candidate_id,
            outcome=outcome,
            called_on=on,
            summary=summary,
            requested_next=requested,
            next_call_at=at,
        )
        next_on, next_at, name = done.candidate.next_call_on, done.candidate.next_call_at, c["name"]
    logged.add(("candidate", candidate_id))
    tail = f" Next call {wording.day_at(next_on, next_at, on)}." if next_on else ""
    output.echo(f"Logged {outcome.type} with {name}.{tail}")


def _goal_line(s: Session, rt: Runtime, on: date) -> str | None:
    """The day's goal with the advances logged so far against it, if one is set."""
    from callplan.store.queries import progress

    whose = rt.desk(s).recruiter
    found = progress.goal_of(s, day=on, recruiter=whose)
    if found is None:
        return None
    _, advances = progress.results(s, on=on, recruiter=whose)
    return goals.goal_line(found, advances)


def _session_over(rt: Runtime, on: date, logged: set[tuple[str, int]]) -> None:
    """The day as it stands now: skipped, not reached, or due again today (a busy line)."""
    with rt.agenda(on=on, limit=None) as (_, _, agenda, _):
        left = len(agenda.new) + len(agenda.due) + len({_key_of(r) for r in agenda.delivery})
    tail = f"; {left} still to call today" if left else "; that's everyone for today"
    n = len(logged)
    typer.echo(f"Session over: {n} call{'s' if n != 1 else ''} logged{tail}.")


class Stopped(typer.Abort):
    """Ctrl-C in the middle of a call, once the question of saving it is answered."""


@dataclass
class Typed:
    """What the recruiter has typed about a call so far."""

    outcome: Outcome
    summary: str | None = None
    say: str | None = None
    fields: dict[str, str | None] = field(default_factory=dict)
    referrals: list[Referral] = field(default_factory=list)
    requested: date | None = None
    at: time | None = None  # the time of day agreed for the next call
    purpose: str | None = None  # of the next call


def _log_one(
    rt: Runtime,
    target: DecisionMaker,
    kind: Kind,
    on: date,
    brief: Brief,
    logged: set[tuple[str, int]],
) -> None:
    """Ask about the call and log it (its DM added to ``logged``); after a
    continuation, offer the brief's closing lines. Ctrl-C after the outcome is chosen
    asks, at a terminal, whether to save what was typed; then the session ends
    (Stopped)."""
    from callplan import services

    typed_type = _choose_type(kind)
    typed = Typed(
        services.calls.outcome_from(
            advance=typed_type if kind is Kind.ADVANCE else None,
            continuation=typed_type if kind is Kind.CONTINUATION else None,
            no_connect=typed_type if kind is Kind.NO_CONNECT else None,
        )
    )
    try:
        _ask_rest(rt, target, on, brief.picture, typed)
    except typer.Abort as exc:
        if not options.interrupted(exc) or not sys.stdin.isatty():
            raise
        typer.echo("", err=True)
        question = f"Save the {typed.outcome.type} with {target.name} with what you typed?"
        try:
            save = typer.confirm(wording.printable(question), default=True, err=True)
        except typer.Abort:
            save = False
        if save:
            _write(rt, target, on, typed, logged)
        else:
            output.message(f"Not logged: the call with {target.name}.")
        raise Stopped() from exc
    _write(rt, target, on, typed, logged)
    if typed.outcome.kind is Kind.CONTINUATION:
        print_closing(brief.closing)  # to end the call on: when to call again, and how


def _ask_rest(
    rt: Runtime, target: DecisionMaker, on: date, picture: Mapping[str, Current], typed: Typed
) -> None:
    """The summary, for a conversation the words to say next time and the note fields,
    referrals and the next date, each kept in ``typed`` as soon as it is answered."""
    from callplan import services

    typed.summary = clean_text(_line("Summary (Enter to skip)"), "summary", max_length=10_000)
    if typed.outcome.kind.is_conversation:
        typed.say = clean_text(
            _line("To say next time, as you'd say it (Enter to skip)"),
            "text to say",
            max_length=2_000,
        )
        for f in NOTE_FIELDS:
            if f.name in ASK_FIELDS and (f.name == "interest" or f.name not in picture):
                hint = f"{', '.join(INTEREST_LEVELS)}; " if f.name == "interest" else ""
                typed.fields[f.name] = _line(f"{f.label} ({hint}Enter to skip)") or None
        while (level := typed.fields.get("interest")) and level.lower() not in INTEREST_LEVELS:
            typed.fields["interest"] = _line(f"Interest: {', '.join(INTEREST_LEVELS)}") or None
        while named := _line("Referral: NAME, TITLE, COMPANY, PHONE (Enter when done)"):
            try:
                typed.referrals.append(services.calls.Referral.parse(named))
            except UsageError as exc:  # asked again: nothing typed so far is lost
                output.echo(f"{exc.message} Type it again, or Enter for none.")
    default = planner.next_call(
        typed.outcome,
        on,
        rt.settings.for_dm(target.tier, target.cycle_days),  # their own cycle caps it
        rt.calendar,
        last_conversation_on=target.last_conversation_on,
    ).on
    typed.requested, typed.at = _ask_next(
        rt, typed.outcome, on, target.last_conversation_on, default
    )
    if default is not None:
        typed.purpose = _ask_purpose()


def _ask_purpose() -> str | None:
    """The next call's purpose (core.purposes), asked until it can be used; Enter: none."""
    while True:
        answer = _line("Purpose of the next call (e.g. book-meeting; Enter for none)")
        if not answer:
            return None
        try:
            return options.read_purpose(answer)
        except UsageError as exc:
            output.echo(f"{exc.message} Type it again, or Enter for none.")


def _write(
    rt: Runtime, target: DecisionMaker, on: date, typed: Typed, logged: set[tuple[str, int]]
) -> None:
    from callplan import services
    from callplan.store import queries

    fields = options.NoteOptions(**typed.fields).fields()
    with rt.writing() as s:
        dm = queries.dms.find_dm(s, ref=str(target.id))
        result = services.calls.log_call(
            s,
            rt.desk(s, register=True),
            dm=dm,
            outcome=typed.outcome,
            called_on=on,
            summary=typed.summary,
            say=typed.say,
            requested_next=typed.requested,
            referrals=typed.referrals,
            note_fields=fields,
            next_purpose=typed.purpose,
            next_call_at=typed.at,
        )
        push = None  # the Nth continuation in a row: the advance to aim for
        if typed.outcome.kind is Kind.CONTINUATION and result.logged.latest:
            push = services.today.push_after_log(s, rt.desk(s), dm=dm)
    assert dm.id is not None
    logged.add(("dm", dm.id))
    next_on = result.next_call.on
    purpose = f" (purpose: {purposes.label(typed.purpose)})" if next_on and typed.purpose else ""
    output.echo(
        f"Logged {typed.outcome.type} with {dm.name}."
        + (
            f" Next call {wording.day_at(next_on, dm.next_call_at, on)}{purpose}."
            if next_on
            else ""
        )
    )
    if push:
        output.echo(push)
    report_note(result)
    warn_about_next_call(rt, typed.outcome, typed.requested, result.next_call)
    report_referrals_and_warnings(result, dm.name)


def _ask_next(
    rt: Runtime, outcome: Outcome, on: date, last_conversation_on: date | None, default: date | None
) -> tuple[date | None, time | None]:
    """The next call date typed (None: the default), with a time of day if one was
    agreed ('thu 15:00'; a time alone is on the day offered), asked again until it can be
    used: a date callplan reads, not before the call. Nothing typed before it is lost."""
    if default is None:
        return None, None
    shown = wording.day(default, on)
    while True:
        typed = _line("Next call (add a time if agreed: thu 15:00)", default=shown)
        if typed == shown:
            return None, None
        try:
            requested, at = rt.when(typed, alone=default)
            planner.next_call(  # the checks log makes, before anything is written
                outcome,
                on,
                rt.settings,
                rt.calendar,
                last_conversation_on=last_conversation_on,
                requested=requested,
            )
            return requested, at
        except UsageError as exc:
            output.echo(f"{exc.message} Type another date, or Enter for {shown}.")
