"""`callplan export`: the contact file as CSV, or the whole store as callplan JSON."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from callplan.cli import options, output
from callplan.cli.context import runtime
from callplan.core import files
from callplan.errors import UsageError


class ExportFormat(StrEnum):
    CSV = "csv"
    JSON = "json"


def export(
    ctx: typer.Context,
    format_: ExportFormat = typer.Option(
        ...,
        "--format",
        "-f",
        case_sensitive=False,
        help="csv: one row per decision maker, for a spreadsheet. json: the whole store "
        "(callplan JSON, which 'callplan import' reads back).",
    ),
    out: Path | None = options.OUT,
    force: bool = options.FORCE,
    status: str = typer.Option(
        "all",
        "--status",
        help="With csv: only these DMs, as in 'dm list --status' (default: all).",
    ),
) -> None:
    """Export your decision makers as CSV, or everything as JSON (see docs/export.md)."""
    from callplan import services
    from callplan.store.archive import export as archive

    rt = runtime(ctx)
    status = status.strip().lower()
    if format_ is ExportFormat.JSON and status != "all":
        raise UsageError("--status goes with --format csv; a JSON export holds the whole store.")
    where = rt.target(out or files.STDOUT, what="export", force=force)
    with rt.reading() as s, files.text(where) as stream:
        if format_ is ExportFormat.CSV:
            rows = services.people.csv_rows(s, rt.desk(s), status=status)
            n = output.write_csv(stream, rows, services.shapes.CSV_KEYS)
            what = f"{n} decision maker{'' if n == 1 else 's'}"
        else:
            what = archive.section_counts(archive.write_json(s, stream))
    if not where.is_stdout:
        output.message(f"Exported {what} to {where.given}.")
