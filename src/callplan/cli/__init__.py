"""The command line: thin commands that parse, call the core, and render.

``main`` is the console script. It runs the Typer app and is the one place where errors
become a single line on stderr and an exit code (tracebacks only with CALLPLAN_DEBUG=1).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

import typer

from callplan import __version__
from callplan.cli import brief as brief_cli
from callplan.cli import config as config_cli
from callplan.cli import db as db_cli
from callplan.cli import dm as dm_cli
from callplan.cli import export as export_cli
from callplan.cli import forecast as forecast_cli
from callplan.cli import go as go_cli
from callplan.cli import hooks as hooks_cli
from callplan.cli import importer as importer_cli
from callplan.cli import log as log_cli
from callplan.cli import note as note_cli
from callplan.cli import plan as plan_cli
from callplan.cli import prune as prune_cli
from callplan.cli import stats as stats_cli
from callplan.cli.context import Runtime
from callplan.errors import CallplanError

app = typer.Typer(
    name="callplan",
    help=(
        "Plan your business-development calls: two new decision makers a day, "
        "a 90-day cycle for everyone, and a monthly sweep.\n\n"
        "Run with no command to see today's plan."
    ),
    no_args_is_help=False,
    invoke_without_command=True,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    add_completion=True,
)
app.add_typer(dm_cli.app, name="dm")
app.add_typer(config_cli.app, name="config")
app.command("today")(plan_cli.today)
app.command("log")(log_cli.log)
app.command("sweep")(plan_cli.sweep)
app.command("forecast")(forecast_cli.forecast)
app.command("note")(note_cli.note)
app.command("hooks")(hooks_cli.hooks)
app.command("brief")(brief_cli.brief)
app.command("go")(go_cli.go)
app.add_typer(hooks_cli.jobs, name="job")
app.add_typer(hooks_cli.candidates, name="candidate")
app.command("export")(export_cli.export)
app.command("import")(importer_cli.import_)
app.add_typer(db_cli.app, name="db")
app.command("backup")(db_cli.backup)
app.command("restore")(db_cli.restore)
app.command("prune")(prune_cli.prune)
app.command("stats")(stats_cli.stats)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"callplan {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: str | None = typer.Option(
        None,
        "--db",
        metavar="PATH",
        envvar="CALLPLAN_DB",
        show_envvar=True,
        help="The store: a file path or a SQLAlchemy URL (default: callplan.sqlite3 in your "
        "data folder).",
        show_default=False,
    ),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Plan your business-development calls."""
    ctx.obj = Runtime(ctx, db)
    if ctx.invoked_subcommand is None:
        plan_cli.today(ctx, date=None, all_=False, json_=False, csv_=False, ics=None)


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _without_values(text: str) -> str:
    """A database library's message without the SQL and its values (personal data)."""
    return text.split("[SQL:", 1)[0].split("[parameters:", 1)[0].strip()


def main(argv: Sequence[str] | None = None) -> None:
    """Run callplan; every error ends as one line on stderr and a non-zero exit."""
    debug = os.environ.get("CALLPLAN_DEBUG", "") not in ("", "0")
    try:
        rv = app(
            args=list(argv) if argv is not None else None,
            prog_name="callplan",
            standalone_mode=False,
        )
    except CallplanError as exc:
        if debug:
            raise
        print(f"Error: {_one_line(exc.message)}", file=sys.stderr)
        sys.exit(exc.exit_code)
    except typer.Abort:
        print("Aborted.", file=sys.stderr)
        sys.exit(1)
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (e.g. `| head`): not an error
        sys.exit(0)
    except Exception as exc:
        if debug:
            raise
        # Typer's usage errors (unknown option, missing argument) carry an exit code and
        # a message; anything else is a bug, reported in one line without a traceback.
        code = getattr(exc, "exit_code", None)
        format_message = getattr(exc, "format_message", None)
        if isinstance(code, int) and callable(format_message):
            ctx = getattr(exc, "ctx", None)
            hint = f" See '{ctx.command_path} --help'." if ctx is not None else ""
            text = _one_line(format_message()).rstrip(".") + "."
            print(f"Error: {text}{hint}", file=sys.stderr)
            sys.exit(code)
        print(
            f"Error: callplan failed unexpectedly "
            f"({type(exc).__name__}: {_one_line(_without_values(str(exc)))}). "
            "Nothing was written. Run again with CALLPLAN_DEBUG=1 for details.",
            file=sys.stderr,
        )
        sys.exit(70)
    sys.exit(rv if isinstance(rv, int) else 0)
