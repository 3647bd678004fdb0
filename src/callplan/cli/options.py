"""Options shared by several commands, declared once."""

from __future__ import annotations

import sys
import unicodedata
from dataclasses import dataclass

import typer

from callplan.cli import complete
from callplan.core import phones, purposes
from callplan.core.config import DEFAULT_TIER, Settings
from callplan.core.dates import HELP as DATE_HELP
from callplan.core.delivery import CANDIDATE_OUTCOMES
from callplan.core.goals import Goal, parse_goal
from callplan.core.names import RECRUITER_MAX, recruiter_name
from callplan.core.notes import FIELD_NAMES, interest
from callplan.core.outcomes import Kind, types_of
from callplan.core.wording import printable
from callplan.errors import UsageError

DM = typer.Argument(
    ...,
    metavar="DM",
    autocompletion=complete.dm_names,
    help="The decision maker: an id or (part of) a name.",
)
JSON = typer.Option(False, "--json", help="Print JSON (documented in docs/json.md).")
OUT = typer.Option(
    None,
    "--out",
    "-o",
    metavar="FILE",
    help="Write to this file instead of stdout ('-': stdout). An existing file is replaced "
    "only with --force.",
)
FORCE = typer.Option(
    False, "--force", help="Replace the file named by --out if it exists (never the store)."
)
CSV = typer.Option(False, "--csv", help="Print CSV.")
ICS = typer.Option(
    None,
    "--ics",
    metavar="FILE",
    help="Also write the calls to FILE as an iCalendar file ('-' for stdout, instead of "
    "the table). An existing FILE is replaced only with --force.",
)
FORCE_ICS = typer.Option(
    False, "--force", help="Replace the --ics file if it exists (never the store)."
)
DATE = typer.Option(None, "--date", metavar="DATE", help=f"Plan for this date: {DATE_HELP}.")


# The outcome of a call (log, call edit): exactly one of the three.
ADVANCE = typer.Option(
    None,
    "--advance",
    "-a",
    autocompletion=complete.outcome_types(Kind.ADVANCE),
    metavar="TYPE",
    help="A step forward: " + ", ".join(types_of(Kind.ADVANCE)) + ".",
)
CONTINUATION = typer.Option(
    None,
    "--continuation",
    "-c",
    autocompletion=complete.outcome_types(Kind.CONTINUATION),
    metavar="TYPE",
    help="A reason to speak again: " + ", ".join(types_of(Kind.CONTINUATION)) + ".",
)
NO_CONNECT = typer.Option(
    None,
    "--no-connect",
    "-n",
    autocompletion=complete.outcome_types(Kind.NO_CONNECT),
    metavar="TYPE",
    help="An attempt that didn't connect: " + ", ".join(types_of(Kind.NO_CONNECT)) + ".",
)
YES = typer.Option(False, "--yes", "-y", help="Don't ask for a confirmation.")

# The outcome of a call `log` records: a DM's, or a candidate's (core.delivery).
CALLEE = typer.Argument(
    ...,
    metavar="WHO",
    autocompletion=complete.callee_names,
    help="The decision maker (an id or part of a name; dm:ID), or a candidate "
    "(candidate:ID, or their name). A name that is both is asked, never guessed.",
)


def _log_help(kind: Kind, said: str) -> str:
    candidate = [o.type for o in CANDIDATE_OUTCOMES.values() if o.kind is kind]
    shared = [t for t in candidate if t in types_of(kind)]
    own = [t for t in candidate if t not in shared]
    text = f"{said}: {', '.join(types_of(kind))}."
    if own:
        text += f" With a candidate: {', '.join(own + shared)}."
    else:
        text += " The same with a candidate."
    return text


LOG_ADVANCE = typer.Option(
    None,
    "--advance",
    "-a",
    autocompletion=complete.log_outcome_types(Kind.ADVANCE),
    metavar="TYPE",
    help=_log_help(Kind.ADVANCE, "A step forward"),
)
LOG_CONTINUATION = typer.Option(
    None,
    "--continuation",
    "-c",
    autocompletion=complete.log_outcome_types(Kind.CONTINUATION),
    metavar="TYPE",
    help=_log_help(Kind.CONTINUATION, "A reason to speak again"),
)
LOG_NO_CONNECT = typer.Option(
    None,
    "--no-connect",
    "-n",
    autocompletion=complete.log_outcome_types(Kind.NO_CONNECT),
    metavar="TYPE",
    help=_log_help(Kind.NO_CONNECT, "An attempt that didn't connect"),
)


def interactive() -> bool:
    """Someone at a terminal who can answer a question."""
    return sys.stdin.isatty()


def interrupted(exc: BaseException) -> bool:
    """An abort that was Ctrl-C (Click turns it into Abort at a prompt), not a "no" or the
    end of the input."""
    return isinstance(exc.__cause__, KeyboardInterrupt) or isinstance(
        exc.__context__, KeyboardInterrupt
    )


def confirm(question: str, *, yes: bool, what: str) -> None:
    """Ask before something that can't be undone; without a terminal, --yes is required.
    Answering no aborts (exit 1, nothing written)."""
    if yes:
        return
    if not interactive():
        raise UsageError(f"{what} can't be undone: confirm it at a terminal, or add --yes.")

    typer.confirm(printable(question), abort=True, err=True)  # it may name someone


def recruiter(text: str, option: str) -> str:
    """A recruiter's name typed in an option, or a one-line error."""
    name = recruiter_name(text)
    if name is None:
        raise UsageError(
            f"{option} {text!r} is not a recruiter's name: use 1 to {RECRUITER_MAX} "
            "characters, no control characters."
        )
    return name


def show_help_without_command(ctx: typer.Context) -> None:
    """A command group run on its own shows its help (and succeeds)."""
    if ctx.invoked_subcommand is None:
        text = ctx.get_help()  # Rich prints it itself and returns ""
        if text:
            typer.echo(text)
        raise typer.Exit()


def clean_text(
    value: str | None, field: str, *, max_length: int = 200, multiline: bool = False
) -> str | None:
    """Typed text made safe to store and print: trimmed (and on one line unless
    ``multiline``), None when empty; control characters and over-long text are refused."""
    if value is None:
        return None
    text = value.strip() if multiline else " ".join(value.split())
    if any(unicodedata.category(c) == "Cs" for c in text):  # bytes that weren't UTF-8
        raise UsageError(f"The {field} isn't UTF-8 text.")
    if any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in text):
        raise UsageError(f"The {field} contains control characters.")
    if len(text) > max_length:
        raise UsageError(f"The {field} is too long ({len(text)} characters; at most {max_length}).")
    return text or None


def read_tags(values: list[str]) -> list[str]:
    """Tags as typed (--tag, repeatable): each cleaned, the empty ones dropped."""
    return [t for t in (clean_text(v, "tag", max_length=60) for v in values) if t]


def read_email(value: str | None) -> str | None:
    """An email address as typed (a DM's, a candidate's), checked; '' is None."""
    text = clean_text(value, "email", max_length=254)
    if text and ("@" not in text or " " in text or text.startswith("@") or text.endswith("@")):
        raise UsageError(f"{text!r} doesn't look like an email address.")
    return text


def read_phone(value: str | None, *, country: str | None) -> tuple[str | None, str | None]:
    """A typed number (a DM's, a candidate's), checked, in E.164 as an import stores it
    (core.phones.e164, read for the desk's ``country``); with a warning to show when it
    can't be placed and is kept as typed."""
    from callplan.core.contacts import LIMITS  # the file readers: only when a number is typed

    text = clean_text(value, "phone", max_length=LIMITS["phone"])
    if not text:
        return text, None
    number = phones.e164(text, phones.region_of(country))
    if number is not None:
        return number, None
    return text, (
        f"Phone number not recognised: {text!r} kept as typed (give its country code, "
        "e.g. +1 212 555 0100, if it is another country's)."
    )


# The structured note fields (callplan.core.notes.NOTE_FIELDS), shared by `log` and `note`: each
# command takes them as parameters named for the fields, gathered in one NoteOptions.
COMPETITOR = typer.Option(
    None, "--competitor", help="The agency they use.", rich_help_panel="Notes"
)
LIKES = typer.Option(
    None, "--likes", help="What they like about that agency.", rich_help_panel="Notes"
)
SOLD = typer.Option(None, "--sold", help="What you pitched.", rich_help_panel="Notes")
LIKED = typer.Option(None, "--liked", help="What they reacted well to.", rich_help_panel="Notes")
NOT_FUSSED = typer.Option(
    None, "--not-fussed", help="What they didn't care about.", rich_help_panel="Notes"
)
PROCESS = typer.Option(None, "--process", help="How they recruit.", rich_help_panel="Notes")
TOUGHEST_ROLE = typer.Option(
    None, "--toughest-role", help="Their toughest role to fill lately.", rich_help_panel="Notes"
)
PLANS = typer.Option(None, "--plans", help="Their hiring plans.", rich_help_panel="Notes")
INTEREST = typer.Option(
    None,
    "--interest",
    help="How interested they sounded: hot, warm, cold.",
    rich_help_panel="Notes",
)


@dataclass(frozen=True)
class NoteOptions:
    """The nine note options of `log` and `note` as typed, one field each, named and
    ordered as callplan.core.notes.FIELD_NAMES (--likes is ``competitor_likes``)."""

    competitor: str | None = None
    competitor_likes: str | None = None
    sold: str | None = None
    liked: str | None = None
    not_fussed: str | None = None
    process: str | None = None
    toughest_role: str | None = None
    plans: str | None = None
    interest: str | None = None

    def fields(self) -> dict[str, str | None]:
        """The note fields, cleaned; interest checked against hot / warm / cold."""

        fields = {
            name: clean_text(getattr(self, name), name.replace("_", " "), max_length=2000)
            for name in FIELD_NAMES
        }
        fields["interest"] = interest(fields["interest"])
        return fields


GOAL_MAX = 200


def read_goal(text: str) -> Goal:
    """A day's goal as typed (`goal TEXT`, `today --goal TEXT`): one line, at most
    GOAL_MAX characters, read by core.goals."""
    cleaned = clean_text(text, "goal", max_length=GOAL_MAX)
    if not cleaned:
        raise UsageError("The goal is empty: say what you mean to achieve, e.g. '2 CV reviews'.")
    return parse_goal(cleaned)


GOAL = typer.Option(
    None,
    "--goal",
    metavar="TEXT",
    help="Set today's goal first, in your words: '2 CV reviews agreed' (see callplan goal).",
)

PURPOSE = typer.Option(
    None,
    "--purpose",
    metavar="PURPOSE",
    help=f"{purposes.HELP} (shown as the reason for it).",
    autocompletion=complete.purposes,
)


def read_purpose(text: str | None, *, clearing: bool = False) -> str | None:
    """A typed purpose (core.purposes.read); with ``clearing``, '' is kept to clear it."""
    if text is None:
        return None
    cleaned = clean_text(text, "purpose", max_length=purposes.MAX_LENGTH)
    if cleaned is None:
        if clearing:
            return ""
        raise UsageError("The purpose is empty: name one (see --help).")
    return purposes.read(cleaned)


TIER = typer.Option(
    None,
    "--tier",
    metavar="NAME",
    help="A cadence tier from the config (callplan config set tier.key 14): the DM's own "
    "cycle. 'default' puts them back on cycle_days.",
)
CYCLE = typer.Option(
    None,
    "--cycle",
    metavar="DAYS",
    help="The DM's own cycle in days, instead of a tier ('default': cycle_days).",
)
CYCLE_MAX = 3650  # ten years: past that, nobody is being called


def read_cadence(
    settings: Settings, tier: str | None, cycle: str | None
) -> tuple[str | None, int | None] | None:
    """A DM's cadence as typed: (tier, cycle_days), (None, None) for cycle_days, or None
    when neither option was given. A tier must be one the config sets."""
    if tier is None and cycle is None:
        return None
    if tier is not None and cycle is not None:
        raise UsageError("Give --tier or --cycle, not both: a DM has one cycle.")
    if tier is not None:
        name = " ".join(tier.split()).lower()
        if name == DEFAULT_TIER:
            return None, None
        if name not in settings.tiers:
            known = ", ".join(f"{t} ({d} days)" for t, d in settings.tiers.items())
            raise UsageError(
                f"No tier {printable(name)!r} is set"
                + (f" (the tiers: {known})" if known else "")
                + ": add it with 'callplan config set tier.NAME DAYS'."
            )
        return name, None
    assert cycle is not None
    text = cycle.strip().lower()
    if text == DEFAULT_TIER:
        return None, None
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= CYCLE_MAX:
        raise UsageError(
            f"--cycle {printable(cycle)!r} is not a number of days from 1 to {CYCLE_MAX}, "
            "or 'default'."
        )
    return None, int(text)
