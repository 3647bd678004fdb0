"""Options shared by several commands, declared once."""

from __future__ import annotations

import typer

from callplan.dates import HELP as DATE_HELP

JSON = typer.Option(False, "--json", help="Print JSON (documented in docs/json.md).")
CSV = typer.Option(False, "--csv", help="Print CSV.")
DATE = typer.Option(None, "--date", metavar="DATE", help=f"Plan for this date: {DATE_HELP}.")


def show_help_without_command(ctx: typer.Context) -> None:
    """A command group run on its own shows its help (and succeeds)."""
    if ctx.invoked_subcommand is None:
        text = ctx.get_help()  # Rich prints it itself and returns ""
        if text:
            typer.echo(text)
        raise typer.Exit()
