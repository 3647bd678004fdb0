"""The store: engine and sessions, connection settings, and the schema version check.

Every connection runs with foreign keys on, WAL and a busy timeout. Write sessions take
SQLite's write lock up front (BEGIN IMMEDIATE), so two terminals logging at once queue
for the lock instead of failing with "database is locked".

The schema is Alembic's. Opening a store costs one cheap query (the schema revision);
alembic itself is imported only when a store is new or needs upgrading.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from callplan.errors import StoreError

if TYPE_CHECKING:
    from sqlmodel import Session

# The Alembic revisions, oldest first; the last is what this version of callplan needs.
# A test checks this list against the migrations folder.
REVISIONS = ("0001", "0002")
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


def _on_begin(connection: sa.Connection) -> None:
    mode = connection.get_execution_options().get("callplan_begin", "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: str) -> sa.Engine:
    """An engine with callplan's connection settings; creates the folder of a new file."""
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        raise StoreError(f"{url!r} is not a database path or URL.") from None
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        if "\x00" in parsed.database:
            raise StoreError(f"{url!r} is not a database path: it holds a NUL character.")
        folder = Path(parsed.database).parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"Can't create the folder {folder}: {exc.strerror}") from None
    try:
        engine = sa.create_engine(parsed)
    except (ImportError, sa.exc.NoSuchModuleError) as exc:
        raise StoreError(f"Can't open {parsed.render_as_string()}: {exc}") from None
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _on_connect)
        sa.event.listen(engine, "begin", _on_begin)
    return engine


def current_revision(engine: sa.Engine) -> str | None:
    """The store's schema revision, or None for a store with no callplan schema yet."""
    with engine.connect() as conn:
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


def alembic_config(engine: sa.Engine) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", "callplan:migrations")
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: sa.Engine, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


def backup_file(engine: sa.Engine, suffix: str) -> Path | None:
    """Copy a SQLite store beside itself with SQLite's online backup API."""
    import sqlite3

    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database:
        return None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = Path(f"{database}.{suffix}-{stamp}.bak")
    src = sqlite3.connect(database)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


def ensure_schema(engine: sa.Engine) -> None:
    """Create a new store, upgrade an older one (after a backup), refuse a newer one."""
    try:
        current = current_revision(engine)
    except sa.exc.DatabaseError as exc:
        raise StoreError(f"Can't read the store {engine.url.database}: {exc.orig}") from None
    if current == HEAD:
        return
    if current is None:
        upgrade(engine)
        return
    if current not in REVISIONS:
        raise StoreError(
            f"This store was written by a newer callplan (schema {current}; this version "
            f"knows up to {HEAD}). Upgrade callplan; the store was not touched."
        )
    saved = backup_file(engine, f"before-{HEAD}")
    upgrade(engine)
    where = f"; the old one is saved as {saved}" if saved else ""
    print(f"callplan: upgraded the store from schema {current} to {HEAD}{where}.", file=sys.stderr)


@contextmanager
def session(engine: sa.Engine, *, write: bool = False) -> Iterator[Session]:
    """A session; a write session is one transaction that takes the write lock first."""
    from sqlmodel import Session

    bind = engine.execution_options(callplan_begin="IMMEDIATE") if write else engine
    with Session(bind, expire_on_commit=False) as s:
        if write:
            with s.begin():
                yield s
        else:
            yield s
