"""Correcting calls: `callplan undo`, `callplan call list | edit | delete`."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import typer

from callplan.cli import options, output
from callplan.cli.context import Runtime, runtime
from callplan.cli.options import clean_text
from callplan.cli.render import print_calls, warn_about_next_call
from callplan.core import effects, wording
from callplan.core.dates import WHEN_HELP
from callplan.core.kinds import Status
from callplan.core.notes import filled_labels
from callplan.errors import UsageError

if TYPE_CHECKING:
    from sqlmodel import Session

    from callplan.services.corrections import Taken
    from callplan.store.models import Call, Candidate, CandidateCall, DecisionMaker, Note

app = typer.Typer(
    help="A DM's calls with their ids; correct or delete one (callplan undo takes back the last).",
    no_args_is_help=False,
    invoke_without_command=True,
)
app.callback()(options.show_help_without_command)

CALL_ID = typer.Argument(..., metavar="ID", help="The call's id (callplan call list DM).")
WITH_REFERRALS = typer.Option(
    False,
    "--with-referrals",
    help="Also remove the people the call added (referrals, a successor), unless they "
    "have calls or notes of their own.",
)


def _call_line(call: Call, dm: DecisionMaker, today: date) -> str:
    """'#12 continuation (callback) with Jane Smith, Acme, today: "summary"'."""
    who = dm.name + (f", {dm.company}" if dm.company else "")
    line = (
        f"#{call.id} {call.kind} ({call.outcome}) with {who}, {wording.day(call.called_on, today)}"
    )
    return line + _summary_start(call.summary)


def _summary_start(summary: str | None) -> str:
    """': "the summary's first 60 characters…"', or nothing."""
    if not summary:
        return ""
    first = summary.splitlines()[0]
    more = len(first) > 60 or len(summary.splitlines()) > 1
    return f': "{first[:60]}{"…" if more else ""}"'


def _state_line(dm: DecisionMaker, today: date) -> str:
    """Where a DM stands after a correction: conversations, status, next call."""
    spoken = wording.count(dm.conversation_count, "conversation")
    parts = [f"{dm.name}: {spoken}"]
    if dm.status != Status.ACTIVE:
        parts.append({Status.ARCHIVED: "archived", Status.DNC: "do not call"}[dm.status])
    if dm.next_call_on is not None:
        why = f" ({dm.due_reason})" if dm.due_reason else ""
        parts.append(f"next call {wording.day_at(dm.next_call_on, dm.next_call_at, today)}{why}")
    elif dm.status == Status.ACTIVE:
        parts.append("no call diarised" if dm.conversation_count else "a new DM again")
    return ", ".join(parts) + "."


def _report_taken(taken: Taken, rt: Runtime, *, verb: str) -> None:
    output.echo(f"{verb} call {_call_line(taken.call, taken.dm, rt.today)}.")
    if taken.notes:
        output.message(
            "Its note went too." if taken.notes == 1 else f"Its {taken.notes} notes went too."
        )
    output.echo(_state_line(taken.dm, rt.today))
    for f in taken.kept:
        output.warn(
            f"{taken.dm.name}'s {effects.LABELS[f]} was changed after the call: left as it is."
        )
    if taken.removed:
        names = ", ".join(f"{p.name} (#{p.id})" for p in taken.removed)
        output.message(f"Removed the people it added: {names}.")
    if taken.jobs.removed:
        names = ", ".join(f"job:{j.id} {j.title}" for j in taken.jobs.removed)
        output.message(f"Removed the job it added: {names}.")
    for j in taken.jobs.kept:
        output.message(
            f"Kept the job it added, job:{j.id} {j.title}: candidates were put forward for "
            f"it, or calls were about it. Not a job after all? callplan job close {j.id}."
        )
    if taken.kept_referrals:
        names = ", ".join(f"{p.name} (#{p.id})" for p in taken.kept_referrals)
        one = taken.kept_referrals[0].id if len(taken.kept_referrals) == 1 else "ID"
        output.message(
            f"Kept the people it added: {names}. Not to be called? callplan dm archive {one}."
        )


def _preview(s: Session, rt: Runtime, call: Call, dm: DecisionMaker) -> list[str]:
    """What taking a call back removes: the call, and the people it added."""
    from callplan.store import queries

    assert call.id is not None
    lines = [f"Call {_call_line(call, dm, rt.today)}."]
    if call.recruiter is not None and call.recruiter != rt.recruiter(s):
        lines.append(f"It is {call.recruiter}'s call.")
    added = queries.calls.referrals_of(s, call_id=call.id)
    if added:
        names = ", ".join(f"{p.name} (#{p.id})" for p in added)
        lines.append(f"It added {names}: kept, unless --with-referrals.")
    for job in queries.jobs.added_by_call(s, call=call):
        assert job.id is not None
        kept = queries.jobs.referred_to(s, job_id=job.id, besides_call=call.id)
        fate = "kept: something else refers to it" if kept else "removed with it"
        lines.append(f"It added job:{job.id} {job.title}: {fate}.")
    return lines


def _candidate_call_line(call: CandidateCall, candidate: Candidate, today: date) -> str:
    """'continuation (update-given) with candidate:3 Ann Lee, today: "summary"'."""
    line = (
        f"{call.kind} ({call.outcome}) with candidate:{candidate.id} {candidate.name}, "
        f"{wording.day(call.called_on, today)}"
    )
    return line + _summary_start(call.summary)


def _undo_candidate_call(rt: Runtime, last: CandidateCall) -> None:
    """`undo` of a call to a candidate: their diary derived again from the calls left."""
    from callplan import services

    with rt.writing() as s:
        again = services.corrections.last_entry(s, rt.desk(s))
        if again is None or again.key != ("candidate_call", last.id):
            raise UsageError("Something else was logged meanwhile: run callplan undo again.")
        assert again.candidate_call is not None
        taken = services.candidates.delete_call(s, rt.desk(s), call=again.candidate_call)
    c = taken.candidate
    output.echo(f"Took back call {_candidate_call_line(taken.call, c, rt.today)}.")
    spoken = wording.count(c.conversation_count, "conversation")
    state = f"{c.name}: {spoken}"
    if c.next_call_on is not None:
        why = f" ({c.due_reason})" if c.due_reason else ""
        state += f", next call {wording.day_at(c.next_call_on, c.next_call_at, rt.today)}{why}"
    else:
        state += ", no call diarised"
    output.echo(state + ".")


def _undo_move(rt: Runtime, key: tuple[str, int | None]) -> None:
    """`undo` of a submission's stage move (submit, interview, offer, placed...)."""
    from callplan import services

    with rt.writing() as s:
        again = services.corrections.last_entry(s, rt.desk(s))
        if again is None or again.key != key or again.move is None:
            raise UsageError("Something else was logged meanwhile: run callplan undo again.")
        what, _, _ = services.delivery.describe_move(s, again.move)
        taken = services.delivery.take_back(s, rt.desk(s), move=again.move)
    tail = (
        f": {taken.candidate.name} is no longer put forward for job:{taken.job.id}."
        if taken.removed
        else f": back at {taken.stage}."
    )
    output.echo(f"Took back {what}{tail}")


def undo(
    ctx: typer.Context,
    yes: bool = options.YES,
    with_referrals: bool = WITH_REFERRALS,
) -> None:
    """Take back the last thing you logged: a call (to a DM or a candidate), a note, or a
    submission's stage move; what it changed is put back as it was."""
    from callplan import services
    from callplan.store import queries

    rt = runtime(ctx)
    with rt.reading() as s:
        last = services.corrections.last_entry(s, rt.desk(s))
        if last is None:
            raise UsageError("Nothing to undo: you haven't logged a call or a note.")
        if last.move is not None:
            what, _, _ = services.delivery.describe_move(s, last.move)
            shown = [
                f"{what[0].upper()}{what[1:]} "
                f"({wording.day(last.move.logged_at.date(), rt.today)}): its planned calls go, "
                "and the calls it closed are open again."
            ]
        elif last.candidate_call is not None:
            candidate = queries.hooks.get_candidate(
                s, candidate_id=last.candidate_call.candidate_id
            )
            shown = [f"Call {_candidate_call_line(last.candidate_call, candidate, rt.today)}."]
        else:
            dm = queries.dms.find_dm(s, ref=str(last.dm_id))
            if last.note is not None:
                shown = [f"Your note on {dm.name}, {_note_text(last.note, rt.today)}."]
            else:
                assert last.call is not None
                shown = _preview(s, rt, last.call, dm)
    _ask(shown, "Take it back?", yes=yes)
    if last.move is not None:
        _undo_move(rt, last.key)
        return
    if last.candidate_call is not None:
        _undo_candidate_call(rt, last.candidate_call)
        return
    with rt.writing() as s:
        again = services.corrections.last_entry(s, rt.desk(s))
        if again is None or again.key != last.key:
            raise UsageError("Something else was logged meanwhile: run callplan undo again.")
        if again.note is not None:
            services.corrections.delete_note(s, note=again.note)
            output.echo(f"Took back the note on {dm.name}, {_note_text(again.note, rt.today)}.")
            return
        assert again.call is not None
        taken = services.corrections.delete_call(
            s, rt.desk(s), call=again.call, with_referrals=with_referrals
        )
    _report_taken(taken, rt, verb="Took back")


def _note_text(note: Note, today: date) -> str:
    first = (note.text or ", ".join(filled_labels(note)) or "empty").splitlines()[0]
    return f'{wording.day(note.noted_on, today)}: "{first[:60]}"'


def _ask(shown: list[str], question: str, *, yes: bool) -> None:
    """Show what goes, then ask; off a terminal, --yes is required."""
    if yes:
        return
    if not options.interactive():
        raise UsageError(f"{shown[0]} {question[:-1]}: confirm at a terminal, or add --yes.")
    for line in shown:
        output.message(line)
    typer.confirm(question, abort=True, err=True)


@app.command("list")
def list_(ctx: typer.Context, dm: str = options.DM, json_: bool = options.JSON) -> None:
    """A DM's calls, newest first, with their ids."""
    from callplan import services
    from callplan.store import queries

    rt = runtime(ctx)
    with rt.reading() as s:
        target = queries.dms.find_dm(s, ref=dm)
        assert target.id is not None
        calls = queries.calls.calls_of(s, dm_id=target.id)
        used = queries.calls.hooks_used(s, call_ids=[c.id for c in calls if c.id is not None])
    if json_:
        output.print_json(services.shapes.call_list_json(target, calls, used))
        return
    output.echo(queries.dms.describe(target))
    print_calls(calls, used, today=rt.today)


@app.command("edit")
def edit(
    ctx: typer.Context,
    call_id: int = CALL_ID,
    advance: str | None = options.ADVANCE,
    continuation: str | None = options.CONTINUATION,
    no_connect: str | None = options.NO_CONNECT,
    summary: str | None = typer.Option(
        None, "--summary", "-s", help="What was said, briefly ('' clears it)."
    ),
    say: str | None = typer.Option(
        None,
        "--say",
        metavar="TEXT",
        help="Words to open the next call with ('' clears them).",
    ),
    on: str | None = typer.Option(None, "--on", metavar="DATE", help="When the call was made."),
    next_: str | None = typer.Option(
        None,
        "--next",
        metavar="DATE",
        help=f"The next call, as agreed (never past the cycle). {WHEN_HELP}.",
    ),
) -> None:
    """Correct a call: its outcome, date, next call, summary or words to say. The DM's
    conversations and next call are worked out again, as if it had been logged right."""
    from callplan import services
    from callplan.store import queries, team

    rt = runtime(ctx)
    outcome = (
        services.calls.outcome_from(
            advance=advance, continuation=continuation, no_connect=no_connect
        )
        if (advance, continuation, no_connect) != (None, None, None)
        else None
    )
    called_on = rt.date(on, past=True) if on is not None else None
    requested, next_at = rt.when(next_) if next_ is not None else (None, None)
    text = clean_text(summary, "summary", max_length=10_000, multiline=True)
    if summary is not None and text is None:
        text = ""  # cleared
    said = clean_text(say, "text to say", max_length=2_000)
    if say is not None and said is None:
        said = ""  # cleared
    if (outcome, called_on, requested, summary, say) == (None, None, None, None, None):
        raise UsageError(
            "Say what to correct: --advance/--continuation/--no-connect TYPE, --on, --next, "
            "--summary or --say."
        )
    with rt.writing() as s:
        call = queries.calls.get_call(s, call_id=call_id)
        team.check_own(s, whose=call.recruiter, what=f"Call #{call_id}", action="correct")
        whose = call.recruiter if call.recruiter != rt.recruiter(s) else None
        edited = services.corrections.edit_call(
            s,
            rt.desk(s),
            call=call,
            outcome=outcome,
            summary=text,
            called_on=called_on,
            requested_next=requested,
            next_call_at=next_at,
            say=said,
        )
    output.echo(f"Corrected call {_call_line(edited.call, edited.dm, rt.today)}.")
    if whose is not None:
        output.warn(f"Call #{edited.call.id} is {whose}'s: tell them you corrected it.")
    output.echo(_state_line(edited.dm, rt.today))
    if edited.next_call is not None and edited.latest:
        warn_about_next_call(
            rt, services.corrections.outcome_of(edited.call), requested, edited.next_call
        )
    elif edited.next_call is not None and edited.next_call.on is not None:
        output.message("A later call is logged, so this one doesn't change the next call date.")
    for f in edited.kept:
        output.warn(
            f"{edited.dm.name}'s {effects.LABELS[f]} was changed after the call: left as it is."
        )


@app.command("delete")
def delete(
    ctx: typer.Context,
    call_id: int = CALL_ID,
    yes: bool = options.YES,
    with_referrals: bool = WITH_REFERRALS,
) -> None:
    """Delete a call logged by mistake: the DM's conversations and next call are worked out
    again from the calls left."""
    from callplan import services
    from callplan.store import queries, team

    rt = runtime(ctx)
    with rt.reading() as s:
        call = queries.calls.get_call(s, call_id=call_id)
        team.check_own(s, whose=call.recruiter, what=f"Call #{call_id}", action="delete")
        dm = queries.dms.find_dm(s, ref=str(call.dm_id))
        shown = _preview(s, rt, call, dm)
        whose = call.recruiter if call.recruiter != rt.recruiter(s) else None
    _ask(shown, "Delete it?", yes=yes)
    with rt.writing() as s:
        taken = services.corrections.delete_call(
            s,
            rt.desk(s),
            call=queries.calls.get_call(s, call_id=call_id),
            with_referrals=with_referrals,
        )
    _report_taken(taken, rt, verb="Deleted")
    if whose is not None:
        output.warn(f"It was {whose}'s call: tell them you deleted it.")
