"""The command line: thin commands that parse, call the core, and render.

``main`` is the console script. It runs the Typer app and is the one place where errors
become a single line on stderr and an exit code (tracebacks only with CALLPLAN_DEBUG=1).
"""

from __future__ import annotations

import atexit
import gc
import importlib
import inspect
import os
import sys
from collections.abc import Sequence
from typing import Any

import typer

from callplan import __version__
from callplan.cli import complete
from callplan.cli.context import Runtime
from callplan.core.redaction import redact, secrets_in
from callplan.core.wording import printable
from callplan.errors import CallplanError, UsageError

# Every command, in the order `--help` lists them: (name, module in callplan.cli,
# attribute, a group of subcommands?). A run imports only the module of the command it
# runs (see ``main``); `--help`, completion and anything unrecognised get them all.
COMMANDS: tuple[tuple[str, str, str, bool], ...] = (
    ("dm", "dm", "app", True),
    ("config", "config", "app", True),
    ("today", "today", "today", False),
    ("log", "log", "log", False),
    ("undo", "call", "undo", False),
    ("call", "call", "app", True),
    ("sweep", "today", "sweep", False),
    ("forecast", "forecast", "forecast", False),
    ("note", "note", "note", False),
    ("hooks", "hooks", "hooks", False),
    ("brief", "brief", "brief", False),
    ("go", "go", "go", False),
    ("goal", "goal", "goal", False),
    ("loop", "loop", "app", True),
    ("submit", "delivery", "submit", False),
    ("interview", "delivery", "interview", False),
    ("offer", "delivery", "offer", False),
    ("placed", "delivery", "placed", False),
    ("withdrawn", "delivery", "withdrawn", False),
    ("job", "hooks", "jobs", True),
    ("candidate", "candidate", "app", True),
    ("event", "hooks", "events", True),
    ("export", "export", "export", False),
    ("import", "importer", "import_", False),
    ("db", "db", "app", True),
    ("backup", "db", "backup", False),
    ("restore", "db", "restore", False),
    ("prune", "prune", "prune", False),
    ("stats", "stats", "stats", False),
    ("team", "team", "app", True),
)
NAMES = frozenset(name for name, *_ in COMMANDS)

# At exit, skip the interpreter's last sweep for reference cycles. By then the command
# has closed the store and everything is written; the sweep only walks the few hundred
# thousand objects that Typer, Rich, pydantic and SQLAlchemy built at import, and costs
# about 100 ms of every run (docs/performance.md).
atexit.register(gc.freeze)
ROOT_VALUE_OPTIONS = ("--db", "--as")  # root options that take a value


def build_app(only: str | None = None) -> typer.Typer:
    """The Typer app with every command, or with only the one named (start-up speed:
    a command's module, and what it imports, is loaded only when it is run)."""
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
    app.callback()(root)
    for name, module, attribute, group in COMMANDS:
        if only is not None and name != only:
            continue
        target = getattr(importlib.import_module(f"callplan.cli.{module}"), attribute)
        if group:
            app.add_typer(target, name=name)
        else:
            app.command(name)(target)
    return app


def __getattr__(name: str) -> Any:
    """``callplan.cli.app``: the whole app, built on first use (tests, documentation)."""
    if name == "app":
        app = build_app()
        globals()["app"] = app
        return app
    raise AttributeError(name)


def invoked(args: Sequence[str]) -> str | None:
    """The command a command line runs, when it can be told without parsing it all:
    ``today`` for a bare ``callplan [--db PATH]``; None (so: every command) for `--help`,
    `--version`, shell completion, or a name callplan doesn't know."""
    if any(key.startswith("_CALLPLAN_COMPLETE") for key in os.environ):
        return None
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in ROOT_VALUE_OPTIONS:
            i += 2
        elif arg.startswith(tuple(f"{o}=" for o in ROOT_VALUE_OPTIONS)):
            i += 1
        elif arg.startswith("-"):
            return None
        else:
            return arg if arg in NAMES else None
    return "today"


def flow_help(command: Any) -> None:
    """Each command's help with its paragraphs on one line, so the help wraps them at the
    terminal's width instead of breaking them where the docstring's lines end. Lists
    (lines starting with '-') and indented lines keep their breaks."""
    text = getattr(command, "help", None)
    if text:
        paragraphs = inspect.cleandoc(text).split("\n\n")
        command.help = "\n\n".join(
            p
            if any(line.startswith(("-", " ")) for line in p.splitlines())
            else " ".join(p.split())
            for p in paragraphs
        )
    for sub in (getattr(command, "commands", None) or {}).values():
        flow_help(sub)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"callplan {__version__}")
        raise typer.Exit()


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
    as_: str | None = typer.Option(
        None,
        "--as",
        metavar="NAME",
        help="Work as this recruiter for one command (default: the user setting, else your "
        "login name).",
        show_default=False,
    ),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Plan your business-development calls."""
    ctx.obj = Runtime(ctx, db, as_=as_)
    if ctx.invoked_subcommand is None:
        from callplan.cli import today as plan_cli

        plan_cli.today(
            ctx, date=None, all_=False, json_=False, csv_=False, ics=None, force=False, goal=None
        )


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _without_values(text: str) -> str:
    """A database library's message without the SQL and its values (personal data)."""
    return text.split("[SQL:", 1)[0].split("[parameters:", 1)[0].strip()


def _given_stores(args: Sequence[str]) -> list[str]:
    """The stores named on the command line (--db) and in CALLPLAN_DB, as given."""
    found = [os.environ.get("CALLPLAN_DB", "")]
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--db" and i + 1 < len(args):
            found.append(args[i + 1])
        elif arg.startswith("--db="):
            found.append(arg[len("--db=") :])
    return [store for store in found if store]


def _not_utf8(args: Sequence[str]) -> UsageError | None:
    """An argument or CALLPLAN_ setting that isn't UTF-8 text: Python hands its bytes over
    as lone surrogates, which no text field, file name or store could take."""

    def bad(text: str) -> bool:
        return any("\ud800" <= c <= "\udfff" for c in text)

    def shown(text: str) -> str:  # its bytes, escaped as Python writes them: b'Zo\xe9'
        return repr(text.encode("utf-8", "surrogateescape"))[1:81]

    for i, arg in enumerate(args, start=1):
        if bad(arg):
            return UsageError(f"Argument {i} ({shown(arg)}) isn't UTF-8 text.")
    for key, value in sorted(os.environ.items()):
        if key.startswith("CALLPLAN_") and bad(value):
            return UsageError(f"{key}={shown(value)} isn't UTF-8 text.")
    return None


def _error(text: str, secrets: Sequence[str]) -> None:
    """One line on stderr, without any password a store's URL holds, and printable only
    (it may quote a name from the store)."""

    known = [secret for store in secrets for secret in secrets_in(store)]
    print(f"Error: {printable(redact(_one_line(text), known))}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> None:
    """Run callplan; every error ends as one line on stderr and a non-zero exit."""
    debug = os.environ.get("CALLPLAN_DEBUG", "") not in ("", "0")
    args = list(argv) if argv is not None else sys.argv[1:]
    stores = _given_stores(args)
    try:
        not_utf8 = _not_utf8(args)
        if not_utf8 is not None:
            raise not_utf8
        command = typer.main.get_command(build_app(only=invoked(args)))
        flow_help(command)
        complete.use_own_shells()  # after Typer registered its own, as it builds the command
        rv = command(args=args, prog_name="callplan", standalone_mode=False)
    except CallplanError as exc:
        if debug:
            raise
        _error(exc.message, stores)
        sys.exit(exc.exit_code)
    except typer.Abort as exc:
        # Ctrl-C: 130, as a shell reports an interrupted program, on a line of its own;
        # "no" to a question, or the end of the input: 1.
        from callplan.cli.options import interrupted as by_ctrl_c

        interrupted = by_ctrl_c(exc)
        print("\nAborted." if interrupted else "Aborted.", file=sys.stderr)
        sys.exit(130 if interrupted else 1)
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (e.g. `| head`): not an error
        sys.exit(0)
    except Exception as exc:
        if debug:
            raise
        if isinstance(exc, ValueError) and "null byte" in str(exc):
            # A NUL in a file's path: Typer 0.26 checks a path argument with os.stat, which
            # refuses it so. No shell can pass a NUL, only a program calling main.
            _error("An argument holds a NUL character, which no file name can.", stores)
            sys.exit(2)
        # Typer's usage errors (unknown option, missing argument) carry an exit code and
        # a message; anything else is a bug, reported in one line without a traceback.
        code = getattr(exc, "exit_code", None)
        format_message = getattr(exc, "format_message", None)
        if isinstance(code, int) and callable(format_message):
            ctx = getattr(exc, "ctx", None)
            hint = f" See '{ctx.command_path} --help'." if ctx is not None else ""
            text = _one_line(format_message())
            if not text.endswith((".", "?", "!")):  # "Did you mean 'today'?" ends already
                text += "."
            _error(f"{text}{hint}", stores)
            sys.exit(code)
        _error(
            f"callplan failed unexpectedly ({type(exc).__name__}: {_without_values(str(exc))}). "
            "Nothing was written. Run again with CALLPLAN_DEBUG=1 for details.",
            stores,
        )
        sys.exit(70)
    sys.exit(rv if isinstance(rv, int) else 0)
