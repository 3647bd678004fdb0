"""`callplan import`: read an export back into an empty store."""

from __future__ import annotations

from pathlib import Path

import typer

from callplan import output
from callplan.cli.context import runtime


def import_(
    ctx: typer.Context,
    file: Path = typer.Argument(..., metavar="FILE", dir_okay=False, help="The file to import."),
    format_: str = typer.Option(
        "callplan-json",
        "--format",
        "-f",
        metavar="FORMAT",
        help="callplan-json: a 'callplan export --format json' file. "
        "(CSV, vCard, LinkedIn, Google and Outlook are not supported yet.)",
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Check the file and say what would be imported; write nothing."
    ),
) -> None:
    """Import an export into an empty store, keeping its ids (see docs/export.md)."""
    from callplan import importer
    from callplan.export import section_counts

    rt = runtime(ctx)
    importer.check_format(format_)
    store = importer.read(file)
    counts = section_counts(store.counts())
    if dry_run:
        with rt.reading() as s:
            importer.check_empty(s)
        output.message(f"Would import {counts} from {file}. Nothing was written (--dry-run).")
        return
    with rt.writing() as s:
        importer.check_empty(s)
        importer.write(s, store)
    output.message(f"Imported {counts} from {file}.")
