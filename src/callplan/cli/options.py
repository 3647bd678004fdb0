"""Options shared by several commands, declared once."""

from __future__ import annotations

import typer

from callplan.dates import HELP as DATE_HELP

JSON = typer.Option(False, "--json", help="Print JSON (documented in docs/json.md).")
CSV = typer.Option(False, "--csv", help="Print CSV.")
DATE = typer.Option(None, "--date", metavar="DATE", help=f"Plan for this date: {DATE_HELP}.")
