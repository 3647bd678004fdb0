"""`callplan note DM`: a note without a call — free text and/or the named fields."""

from __future__ import annotations

import typer

from callplan.cli import options, output
from callplan.cli.context import runtime
from callplan.cli.options import clean_text
from callplan.core.notes import filled_labels
from callplan.errors import UsageError


def note(
    ctx: typer.Context,
    dm: str = options.DM,
    text: str | None = typer.Argument(None, help="Free text, e.g. what you heard about them."),
    on: str | None = typer.Option(
        None, "--on", metavar="DATE", help="The date the note is about (default: today)."
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
) -> None:
    """Add a note to a DM without logging a call. Named fields update the current picture."""
    from callplan.store import queries

    rt = runtime(ctx)
    noted_on = rt.date(on, past=True)
    if noted_on > rt.today:
        raise UsageError(f"The note's date {noted_on.isoformat()} is in the future.")
    body = clean_text(text, "note", max_length=10_000, multiline=True)
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
    if not body and not any(fields.values()):
        raise UsageError("The note is empty: give some text or a field such as --plans.")
    with rt.writing() as s:
        target = queries.dms.find_dm(s, ref=dm)
        assert target.id is not None
        queries.calls.add_note(
            s,
            dm_id=target.id,
            on=noted_on,
            text=body,
            fields=fields,
            recruiter=rt.recruiter(s, register=True),
        )
    what = ", ".join((["text"] if body else []) + filled_labels(fields))
    output.echo(f"Noted for #{target.id} {target.name}: {what}.")
