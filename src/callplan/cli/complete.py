"""Shell completion from the store: DM names, tags and outcome types.

Runs on every Tab press, so it reads the store directly, without SQLAlchemy: SQLite
read-only, or PostgreSQL through psycopg with short timeouts. It never fails loudly: no
store, a locked store, a server out of reach or another backend just completes nothing
from the store (outcome types still complete).

What is offered goes on the command line quoted for the shell that asked, so the word
it puts there is one argument, the name itself ('Nadia Hussain', "Siobhán O'Brien").
Typer's own classes for bash and zsh don't do that (bash gets names unquoted, zsh loses
their apostrophes), so ``use_own_shells`` puts callplan's in their place. Typer has no
public way to change how a shell is given its suggestions: these build on its classes
(typer._completion_classes, with the version pinned in pyproject.toml), and
tests/cli/test_completion.py drives real bash, zsh and fish through its scripts.
"""

from __future__ import annotations

import os
import re
import shlex
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from urllib.parse import unquote

import typer
from typer._click.shell_completion import CompletionItem, add_completion_class
from typer._completion_classes import BashComplete, FishComplete, ZshComplete

from callplan.core.delivery import CANDIDATE_OUTCOMES
from callplan.core.names import name_key
from callplan.core.outcomes import Kind, types_of
from callplan.core.paths import file_uri, resolve_url
from callplan.core.purposes import PURPOSES
from callplan.core.wording import printable
from callplan.errors import CallplanError

LIMIT = 50


def _query(ctx: typer.Context, sql: str, *params: str | int) -> list[str]:
    """The first column of a query's rows; ``?`` marks a parameter. Printable only: the
    shell shows the suggestions on the terminal."""
    try:
        url = resolve_url(ctx.find_root().params.get("db"), os.environ)
    except CallplanError:  # a folder where the store should be: nothing to offer
        return []
    if url.startswith(POSTGRES):
        return _query_server(url, sql, params)
    if not url.startswith("sqlite:///"):
        return []
    path = unquote(url.removeprefix("sqlite:///"))
    if not os.path.exists(path):
        return []
    # A URI, so the store opens read-only; the path escaped, as '#', '?' and '%' mean
    # something in a URI. The busy timeout is short: a Tab press must not hang.
    uri = file_uri(Path(path), mode="ro")
    try:
        with closing(sqlite3.connect(uri, uri=True, timeout=0.2)) as conn:
            return [printable(str(row[0])) for row in conn.execute(sql, params)]
    except sqlite3.Error:
        return []


POSTGRES = ("postgresql://", "postgresql+psycopg://", "postgres://")


def _query_server(url: str, sql: str, params: tuple[str | int, ...]) -> list[str]:
    """The same query on PostgreSQL: libpq reads the URL once the driver's name is
    dropped; a Tab press waits at most a second or two for the server."""
    try:
        import psycopg
    except ImportError:
        return []
    conninfo = "postgresql://" + url.split("://", 1)[1]
    # Text compared as SQLite does (by code point), so a prefix range means a prefix.
    text = sql.replace("?", "%s").replace(">= %s", '>= %s COLLATE "C"')
    text = text.replace("< %s", '< %s COLLATE "C"')
    try:
        with psycopg.connect(
            conninfo, connect_timeout=2, options="-c statement_timeout=1000"
        ) as conn:
            return [printable(str(row[0])) for row in conn.execute(text, params)]
    except (psycopg.Error, ValueError):  # ValueError: a URL libpq can't read
        return []


class Offer(str):
    """A suggestion that stands for what was typed though it may not start with it: a DM
    found by their surname ('kowal' for 'Zoë Kowalczyk'), or by their name typed in
    another case or without its accents. Typer keeps only the suggestions that start with
    the typed word, so an Offer says it does; the shell's class below puts it on the
    command line in place of that word."""

    __slots__ = ()

    def startswith(self, *_: object) -> bool:
        return True


# DMs are read on the name index, in name order, so a read stops at LIMIT; never on the
# status index, which reads every active DM and sorts them (a third of a second a Tab
# press at 100,000 DMs). `status || ''` is the status unchanged, out of that index's
# reach, on PostgreSQL too.
EVERY_NAME = (
    "SELECT name FROM decision_maker WHERE status || '' = 'active' ORDER BY name_key LIMIT ?"
)
# Names that start with the key (a range of the index), then names with a later word that
# does (a walk of the index, stopped at LIMIT).
NAMES_FOR_A_KEY = """SELECT name FROM (
    SELECT * FROM (SELECT name, name_key, 0 AS later FROM decision_maker
        WHERE status || '' = 'active' AND name_key >= ? AND name_key < ?
        ORDER BY name_key LIMIT ?) AS starting
    UNION ALL
    SELECT * FROM (SELECT name, name_key, 1 AS later FROM decision_maker
        WHERE status || '' = 'active' AND name_key LIKE ? ESCAPE '\\'
        AND NOT (name_key >= ? AND name_key < ?)
        ORDER BY name_key LIMIT ?) AS word_starting
) AS found ORDER BY later, name_key LIMIT ?"""


def name_params(key: str) -> tuple[str | int, ...]:
    """The parameters of NAMES_FOR_A_KEY: the LIKE pattern has the key's wildcards escaped."""
    starts = (key, key + "\uffff")
    escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return (*starts, LIMIT, f"% {escaped}%", *starts, LIMIT, LIMIT)


def dm_names(ctx: typer.Context, incomplete: str) -> list[str]:
    """Active DMs with a word of their name starting with what was typed, case and accents
    ignored: names that start with it first, then those with a later word that does
    ('kowal' finds Zoë Kowalczyk), each in name order."""
    key = name_key(incomplete)
    if key:
        names = _query(ctx, NAMES_FOR_A_KEY, *name_params(key))
    else:
        names = _query(ctx, EVERY_NAME, LIMIT)
    return [Offer(" ".join(name.split())) for name in names]


CANDIDATE_NAMES = (
    "SELECT name FROM candidate WHERE lower(name) >= ? AND lower(name) < ? "
    "ORDER BY lower(name), id LIMIT ?"
)


def callee_names(ctx: typer.Context, incomplete: str) -> list[str]:
    """Whom `log` can call: the DMs (as dm_names finds them), then the candidates whose
    name starts with what was typed (any case); ``candidate:`` typed: candidates' refs."""
    if incomplete.lower().startswith("candidate:"):
        rows = _query(ctx, "SELECT 'candidate:' || id FROM candidate ORDER BY id LIMIT ?", LIMIT)
        return [r for r in rows if r.startswith(incomplete.lower())]
    key = " ".join(incomplete.split()).lower()
    names = dm_names(ctx, incomplete)
    shown = set(names)
    for name in _query(ctx, CANDIDATE_NAMES, key, key + "\uffff", LIMIT):
        offer = Offer(" ".join(name.split()))
        if offer not in shown:
            shown.add(offer)
            names.append(offer)
    return names


def tags(ctx: typer.Context, incomplete: str) -> list[str]:
    key = incomplete.strip().lower()
    return _query(
        ctx,
        "SELECT DISTINCT tag FROM dm_tag WHERE tag >= ? AND tag < ? ORDER BY tag LIMIT ?",
        key,
        key + "\uffff",
        LIMIT,
    )


def outcome_types(kind: Kind) -> Callable[[str], list[str]]:
    def complete(incomplete: str) -> list[str]:
        return [t for t in types_of(kind) if t.startswith(incomplete.lower())]

    return complete


def log_outcome_types(kind: Kind) -> Callable[[typer.Context, str], list[str]]:
    """The outcome types of ``kind`` for `log`: a candidate's when the call is to
    ``candidate:ID``, a DM's when to ``dm:ID``, both otherwise (a name may be either)."""

    def complete(ctx: typer.Context, incomplete: str) -> list[str]:
        who = str(ctx.params.get("dm") or "").strip().lower()
        dm = types_of(kind)
        candidate = [o.type for o in CANDIDATE_OUTCOMES.values() if o.kind is kind]
        if who.startswith("candidate:"):
            offered = candidate
        elif who.startswith("dm:"):
            offered = dm
        else:
            offered = dm + [t for t in candidate if t not in dm]
        return [t for t in offered if t.startswith(incomplete.lower())]

    return complete


def purposes(incomplete: str) -> list[str]:
    """The method's purposes of a call, by name (core.purposes)."""
    return [p for p in PURPOSES if p.startswith(incomplete.lower())]


# --- the shells: each gets the names quoted its own way ---------------------------------


def open_quote(word: str) -> str:
    """The quote a word typed on a command line leaves open: "'", '"' or ''."""
    quote, escaped = "", False
    for c in word:
        if escaped:
            escaped = False
        elif quote == "'":
            quote = "" if c == "'" else quote
        elif c == "\\":
            escaped = True
        elif c == quote:
            quote = ""
        elif not quote and c in "'\"":
            quote = c
    return quote


def bash_word(value: str, typed: str) -> str:
    """``value`` as bash's readline should put it in place of the word ``typed``: after a
    quote the user opened, the rest of the quoted text (readline closes the quote);
    otherwise the word with every character the shell would read escaped."""
    quote = open_quote(typed)
    if quote == "'":
        return value.replace("'", "'\\''")
    if quote == '"':
        return re.sub(r'([\\"$`])', r"\\\1", value)
    return re.sub(r"([^\w@%+=:,./-])", r"\\\1", value)


class Bash(BashComplete):
    """Bash puts each line it reads on the command line as it is: so, quoted."""

    typed = ""  # the word being completed, as typed

    def get_completion_args(self) -> tuple[list[str], str]:
        # Typer's script hands bash's words over one a line, as typed (quotes and all).
        words = os.environ.get("COMP_WORDS", "").split("\n")
        cword = int(os.environ.get("COMP_CWORD", "0") or 0)
        self.typed = words[cword] if 0 <= cword < len(words) else ""
        return super().get_completion_args()

    def format_completion(self, item: CompletionItem) -> str:
        return bash_word(item.value, self.typed)


class Zsh(ZshComplete):
    """Zsh quotes what it is given itself (after an opening quote too): it gets the names
    as they are, in a command it evaluates, quoted once for that."""

    def complete(self) -> str:
        args, incomplete = self.get_completion_args()
        items = self.get_completions(args, incomplete)
        if not items:
            return "_files"
        if not any(item.help for item in items):
            # -U: a name found by its surname, or typed without its accents, replaces the
            # word although it doesn't start with it.
            return "compadd -U -- " + " ".join(shlex.quote(item.value) for item in items)
        # Commands and options, with their help (plain text: callplan's has no markup).
        # _arguments evaluates its list of 'value:help' once more, so each is quoted for
        # that, and the whole list again for the eval of the line.
        entries = " ".join(
            shlex.quote(f"{_zsh_value(item)}:{_one_line(item.help)}") for item in items
        )
        return "_arguments " + shlex.quote(f"*: :(({entries}))")


def _zsh_value(item: CompletionItem) -> str:
    return item.value.replace(":", "\\:")  # a colon ends the value in 'value:help'


def _one_line(text: str | None) -> str:
    return " ".join(str(text or "").split())


class Fish(FishComplete):
    """Fish quotes what it is given itself, and keeps a suggestion only when it matches
    the word typed (any case, anywhere in it): a name typed without its accents is given
    in the letters typed, the rest of it as it is."""

    incomplete = ""

    def get_completion_args(self) -> tuple[list[str], str]:
        args, self.incomplete = super().get_completion_args()
        return args, self.incomplete

    def format_completion(self, item: CompletionItem) -> str:
        typed = self.incomplete
        if isinstance(item.value, Offer) and typed.casefold() not in item.value.casefold():
            head = item.value[: len(typed)]
            if name_key(head) == name_key(typed):
                item = CompletionItem(typed + item.value[len(typed) :], help=item.help)
        return super().format_completion(item)


def use_own_shells() -> None:
    """Complete through callplan's classes for bash, zsh and fish rather than Typer's: to
    call once Typer has registered its own (``typer.main.get_command`` does)."""
    for shell in (Bash, Zsh, Fish):
        add_completion_class(shell, shell.name)
