"""`callplan prune`: retention — delete prospects never reached and archived DMs that
nobody has touched for a long time (see docs/data.md)."""

from __future__ import annotations

from typing import Any

import typer

from callplan.cli import options, output
from callplan.cli.context import runtime
from callplan.cli.output import Column
from callplan.cli.render import warn_what_remains
from callplan.core import phones, wording
from callplan.core.dates import PERIOD_HELP, period_before


def prune(
    ctx: typer.Context,
    older_than: str = typer.Option(
        ...,
        "--older-than",
        metavar="PERIOD",
        help=f"How long untouched: {PERIOD_HELP}.",
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="List who would be deleted; delete nothing."
    ),
    yes: bool = options.YES,
    json_: bool = options.JSON,
) -> None:
    """Delete prospects never reached and archived DMs untouched for a period, with their
    calls and notes (do-not-call DMs are kept). Lists them first; asks before deleting."""
    from callplan import services
    from callplan.store import privacy, team

    rt = runtime(ctx)
    cutoff = period_before(older_than, rt.today)
    with rt.reading() as s:
        stale = privacy.prune_candidates(s, cutoff=cutoff)
    rows = [services.shapes.prune_row(st) for st in stale]
    if json_:
        output.print_json(services.shapes.prune_json(rows, cutoff=cutoff, dry_run=dry_run))
    elif rows:
        _print(rows, cutoff, rt.today)
    if not rows:
        if not json_:
            output.message(
                f"Nobody to prune: no prospect or archived DM has been untouched since "
                f"{wording.day(cutoff)}."
            )
        return
    if dry_run:
        if not json_:
            output.message("Dry run: nothing was deleted.")
        return
    with rt.reading() as s:
        team.check_lead(s, action="Pruning", command="callplan prune")
    options.confirm(
        f"Delete these {wording.count(len(rows), 'decision maker')} and their calls and notes, "
        "for good?",
        yes=yes,
        what="Pruning",
    )
    ids = {st.dm.id for st in stale}
    with rt.writing() as s:
        # Checked again inside the transaction: nobody touched since the list was read.
        again = [st.dm for st in privacy.prune_candidates(s, cutoff=cutoff) if st.dm.id in ids]
        done = privacy.erase(
            s,
            dms=again,
            today=rt.today,
            region=phones.region_of(rt.settings.country),
            reason=privacy.RETENTION,
        )
    emptied = privacy.checkpoint(rt.engine)
    output.message(
        f"Deleted {wording.count(done.people, 'decision maker')} with "
        f"{wording.count(done.calls, 'call')} and {wording.count(done.notes, 'note')}."
    )

    warn_what_remains(rt, emptied, done.tables)


def _print(rows: list[dict[str, Any]], cutoff: Any, today: Any) -> None:
    def touched(r: dict[str, Any]) -> str:
        days = [d for d in (r["last_call_on"], r["last_note_on"]) if d]
        last = max(days) if days else r["added_at"].date()
        return wording.day(last, today)

    output.print_table(
        [
            {
                **r,
                "why": "prospect, never reached" if r["why"] == "prospect" else "archived",
                "touched": touched(r),
            }
            for r in rows
        ],
        [
            Column("id", "Id", style="dim", justify="right", no_wrap=True),
            Column("name", "Decision maker", ratio=2),
            Column("company", "Company", ratio=2),
            Column("why", "Why", ratio=2),
            Column("touched", "Last touched", no_wrap=True),
        ],
        title=f"{wording.count(len(rows), 'decision maker')} untouched since {wording.day(cutoff)}",
    )
