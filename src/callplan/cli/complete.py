"""Shell completion from the store: DM names, tags and outcome types.

Runs on every Tab press, so it reads the store directly, without SQLAlchemy: SQLite
read-only, or PostgreSQL through psycopg with short timeouts. It never fails loudly: no
store, a locked store, a server out of reach or another backend just completes nothing
from the store (outcome types still complete).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from urllib.parse import unquote

import typer

from callplan.core.names import name_key
from callplan.core.outcomes import Kind, types_of
from callplan.core.paths import file_uri, resolve_url
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


def _keep_typed(incomplete: str, name: str) -> str:
    """The name, starting with exactly what was typed: Typer only offers suggestions that
    do, and callplan finds 'jane Smith' as well as 'Jane Smith'."""
    head = name[: len(incomplete)]
    return incomplete + name[len(incomplete) :] if name_key(head) == name_key(incomplete) else name


def dm_names(ctx: typer.Context, incomplete: str) -> list[str]:
    """Active DMs whose name starts with what was typed (case and accents ignored)."""
    key = name_key(incomplete)
    names = _query(
        ctx,
        "SELECT name FROM decision_maker WHERE status = 'active' AND name_key >= ? "
        "AND name_key < ? ORDER BY name_key LIMIT ?",
        key,
        key + "\uffff",
        LIMIT,
    )
    return [_keep_typed(incomplete, n) for n in names]


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
