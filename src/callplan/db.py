"""The store: engine and sessions, connection settings, and the schema version check.

Every connection runs with foreign keys on, WAL and a busy timeout. Write sessions take
SQLite's write lock up front (BEGIN IMMEDIATE), so two terminals logging at once queue
for the lock instead of failing with "database is locked".

The schema is Alembic's. Opening a store costs one cheap query (the schema revision);
alembic itself is imported only when a store is new or needs upgrading.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from callplan.errors import StoreError

if TYPE_CHECKING:
    from sqlmodel import Session

# The Alembic revisions, oldest first; the last is what this version of callplan needs.
# A test checks this list against the migrations folder.
REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006")
HEAD = REVISIONS[-1]


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    # We issue BEGIN ourselves (see _on_begin); pysqlite's own transaction handling is off.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA busy_timeout = 15000")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


BEGIN = {"DEFERRED": "BEGIN DEFERRED", "IMMEDIATE": "BEGIN IMMEDIATE"}


def _on_begin(connection: sa.Connection) -> None:
    mode = connection.get_execution_options().get("callplan_begin", "DEFERRED")
    connection.exec_driver_sql(BEGIN[mode])  # a fixed statement, never built from input


def store_path(engine: sa.Engine) -> Path | None:
    """The file of a SQLite store; None for a server database or an in-memory one."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or database in (None, "", ":memory:"):
        return None
    return Path(database)


def create_private(path: Path) -> None:
    """Create an empty file readable by its owner only (0600), unless it exists."""
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    os.close(fd)


def make_engine(url: str) -> sa.Engine:
    """An engine with callplan's connection settings (it opens nothing yet)."""
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        raise StoreError(f"{url!r} is not a database path or URL.") from None
    if parsed.get_backend_name() == "sqlite" and "\x00" in (parsed.database or ""):
        raise StoreError(f"{url!r} is not a database path: it holds a NUL character.")
    try:
        engine = sa.create_engine(parsed)
    except (ImportError, sa.exc.NoSuchModuleError) as exc:
        raise StoreError(f"Can't open {parsed.render_as_string()}: {exc}") from None
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _on_connect)
        sa.event.listen(engine, "begin", _on_begin)
    return engine


def explain(exc: sa.exc.DBAPIError, engine: sa.Engine) -> StoreError:
    """A database error in plain words, without the SQL or its values (personal data).

    Every write is one transaction, so whatever went wrong, nothing was written.
    """
    reason = str(exc.orig).strip() or type(exc.orig).__name__
    where = store_path(engine) or engine.url.render_as_string()
    low = reason.lower()
    if "readonly" in low or "read-only" in low:
        text = f"Can't write to the store {where}: the file or its folder is read-only."
    elif "disk is full" in low:
        text = f"The disk holding the store {where} is full."
    elif "disk i/o error" in low:
        text = (
            f"Writing the store {where} failed (disk I/O error): the disk may be full or failing."
        )
    elif "locked" in low or "busy" in low:
        text = (
            f"The store {where} stayed locked by another program for too long; "
            "try again in a moment."
        )
    elif "malformed" in low or "not a database" in low or "corrupt" in low:
        text = (
            f"The store {where} is damaged ({reason}). Run 'callplan db check'; "
            "'callplan restore FILE' goes back to a backup."
        )
    elif "unable to open" in low:
        text = f"Can't open the store {where}: check the file and its folder are yours."
    else:
        text = f"The store {where} reported an error: {reason}."
    return StoreError(f"{text} Nothing was written.")


def current_revision(engine: sa.Engine) -> str | None:
    """The store's schema revision, or None for a store with no callplan schema yet."""
    try:
        return _revision(engine)
    except sa.exc.DBAPIError as exc:
        raise explain(exc, engine) from None


def _revision(engine: sa.Engine) -> str | None:
    """One query on every command for a callplan store (no Alembic import); a look at
    the tables only when there is no version table."""
    with engine.connect() as conn:
        try:
            row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").first()
        except sa.exc.DBAPIError:
            conn.rollback()  # no version table (PostgreSQL needs the failed statement undone)
        else:
            return row[0] if row else None
        if not sa.inspect(conn).has_table("alembic_version"):
            tables = sa.inspect(conn).get_table_names()
            if tables:
                raise StoreError(
                    f"{engine.url.database} is a database but not a callplan store "
                    f"(it has tables: {', '.join(tables[:5])})."
                )
            return None
        row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").first()
        return row[0] if row else None


# Who runs an upgrade: history from before a revision that records recruiters is theirs.
User = Callable[[], str] | str | None


def alembic_config(engine: sa.Engine, user: User = None) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", "callplan:migrations")
    cfg.attributes["engine"] = engine
    cfg.attributes["user"] = user
    return cfg


@contextmanager
def migrating(engine: sa.Engine) -> Iterator[sa.Connection]:
    """A connection for migrations: on SQLite, foreign keys off while tables change.

    Batch mode changes a SQLite table by copying it and dropping the old one; with
    foreign keys on, dropping ``decision_maker`` would cascade to every call and note.
    So they are off for the migration (the pragma only works outside a transaction),
    every link is checked before it commits, and the connection is discarded after.
    """
    with engine.connect() as conn:
        raw = conn.connection.driver_connection if engine.dialect.name == "sqlite" else None
        if raw is not None:
            raw.execute("PRAGMA foreign_keys = OFF")  # before SQLAlchemy begins
        try:
            yield conn
        finally:
            if raw is not None:
                # Never hand this connection to a command: the pool opens a fresh one,
                # with foreign keys on (the pragma is ignored inside a transaction).
                conn.invalidate()


def check_links(conn: sa.Connection) -> None:
    """Refuse to commit a migration that left a row pointing at nothing."""
    if conn.dialect.name == "sqlite":
        broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise StoreError(
                f"The upgrade would leave {len(broken)} broken link(s) "
                f"(first: {broken[0][0]} row {broken[0][1]}); the store was not changed."
            )


def upgrade(engine: sa.Engine, revision: str = "head", *, user: User = None) -> None:
    """Upgrade the schema; ``user`` (a name, or a function giving it) is who the store's
    history from before teams is given to (default: the login name)."""
    from alembic import command

    command.upgrade(alembic_config(engine, user), revision)


def backup_file(engine: sa.Engine, label: str) -> Path | None:
    """Copy a SQLite store into the backups folder beside it (online backup API)."""
    from callplan import backup

    database = store_path(engine)
    if database is None:
        return None
    folder = backup.backup_folder(database)
    backup.private_folder(folder)
    target = folder / f"callplan-{label}-{backup.stamp(datetime.now().astimezone())}.sqlite3"
    backup.copy(database, target)
    return target


def prepare_file(engine: sa.Engine) -> None:
    """Create a new SQLite store's file readable by its owner only.

    The file is 0600 (SQLite gives its write-ahead log the same mode), in a folder of
    the owner's only (0700) if callplan makes the folder.
    """
    path = store_path(engine)
    if path is None:
        return
    try:
        if path.exists():
            return
        if not path.parent.is_dir():
            path.parent.mkdir(mode=0o700, parents=True)
        create_private(path)
    except OSError as exc:
        raise StoreError(
            f"Can't create the store {path}: {exc.strerror or exc}. Check the folder "
            "exists and is yours to write, or choose another with --db."
        ) from None


def ensure_schema(engine: sa.Engine, *, user: User = None) -> None:
    """Create a new store, upgrade an older one (after a backup), refuse a newer one.

    ``user``: who runs the upgrade (see ``upgrade``); asked only when there is one."""
    prepare_file(engine)
    current = current_revision(engine)
    if current == HEAD:
        return
    if current is None:
        upgrade(engine, user=user)
        return
    if current not in REVISIONS:
        raise StoreError(
            f"This store was written by a newer callplan (schema {current}; this version "
            f"knows up to {HEAD}). Upgrade callplan; the store was not touched."
        )
    try:
        saved = backup_file(engine, f"before-{HEAD}")
    except (OSError, sqlite3.DatabaseError) as exc:
        raise StoreError(
            f"Can't back up the store before upgrading it ({exc}); it was not changed. "
            "Free some space or check the folder, then run callplan again."
        ) from None
    try:
        upgrade(engine, user=user)
    except sa.exc.DBAPIError as exc:
        raise explain(exc, engine) from None
    where = f"; the old one is saved as {saved}" if saved else ""
    print(f"callplan: upgraded the store from schema {current} to {HEAD}{where}.", file=sys.stderr)


@contextmanager
def session(engine: sa.Engine, *, write: bool = False) -> Iterator[Session]:
    """A session; a write session is one transaction that takes the write lock first."""
    from sqlmodel import Session

    bind = engine.execution_options(callplan_begin="IMMEDIATE") if write else engine
    try:
        with Session(bind, expire_on_commit=False) as s:
            if write:
                with s.begin():
                    yield s
            else:
                yield s
    except sa.exc.DBAPIError as exc:
        raise explain(exc, engine) from None
