"""The store: engine and sessions, connection settings, and the schema version check.

The store is a SQLite file (the default) or a PostgreSQL database (a team's shared store,
``postgresql+psycopg://user:password@host/database``; docs/team.md).

On SQLite every connection runs with foreign keys on, WAL and a busy timeout. Write
sessions take SQLite's write lock up front (BEGIN IMMEDIATE), so two terminals logging at
once queue for the lock instead of failing with "database is locked". On PostgreSQL a
write session takes callplan's write lock (a transaction-level advisory lock) first: the
same one writer at a time, while readers never wait.

The schema is Alembic's. Opening a store costs one cheap query (the schema revision);
alembic itself is imported only when a store is new or needs upgrading.
"""

from __future__ import annotations

import os
import re
import sqlite3
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlmodel import Session

from callplan.core.paths import private_folder
from callplan.core.redaction import redact, secrets_in
from callplan.errors import CallplanError, NotAllowed, StoreError
from callplan.store import backup
from callplan.store.schema import HEAD, REVISIONS
from callplan.store.sqlite import connect_file, create_private, make_private, writable

if TYPE_CHECKING:
    from sqlmodel import Session


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    # We issue BEGIN ourselves (see _on_begin); pysqlite's own transaction handling is off.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA busy_timeout = 15000")
    if not cursor.execute("PRAGMA query_only").fetchone()[0]:  # a read-only store stays as it is
        cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


BEGIN = {"DEFERRED": "BEGIN DEFERRED", "IMMEDIATE": "BEGIN IMMEDIATE"}


def _on_begin(connection: sa.Connection) -> None:
    mode = connection.get_execution_options().get("callplan_begin", "DEFERRED")
    connection.exec_driver_sql(BEGIN[mode])  # a fixed statement, never built from input


# PostgreSQL advisory lock keys: "callplan" and "callplaM" in ASCII, as 64-bit integers.
WRITE_LOCK = 0x63616C6C706C616E
MIGRATE_LOCK = 0x63616C6C706C614D
LOCK_TIMEOUT = "15s"  # as long as SQLite's busy timeout


def _pg_on_begin(connection: sa.Connection) -> None:
    """A write transaction on PostgreSQL waits for callplan's write lock (held until it
    commits or rolls back), at most LOCK_TIMEOUT."""
    if connection.get_execution_options().get("callplan_begin") == "IMMEDIATE":
        connection.execute(sa.select(sa.func.set_config("lock_timeout", LOCK_TIMEOUT, True)))
        connection.execute(sa.select(sa.func.pg_advisory_xact_lock(WRITE_LOCK)))


POSTGRES_DRIVERS = ("postgresql", "postgres")  # plain URLs get psycopg 3, callplan's driver


def shown_url(url: str | sa.URL) -> str:
    """A store's URL (or what was given as one) to show: never a password, in whatever
    form it holds one (callplan.core.redaction)."""
    if isinstance(url, sa.URL):
        url = url.render_as_string(hide_password=False)
    return redact(url, url=True)


# libpq's own key=value connection string, given where a path or URL goes.
_LIBPQ_FORM = re.compile(r"\s*(?:[A-Za-z_]+\s*=\s*(?:'(?:[^'\\]|\\.)*'|\S*)\s*)+")
_LIBPQ_KEYS = {"host", "hostaddr", "port", "dbname", "user", "password", "sslmode", "service"}
_PASSWORD_OPTION = re.compile(r"(?i)\b(?:ssl)?password\s*=")  # a file is never named so


def store_path(engine: sa.Engine) -> Path | None:
    """The file of a SQLite store; None for a server database or an in-memory one."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or database in (None, "", ":memory:"):
        return None
    return Path(database)


def make_engine(url: str) -> sa.Engine:
    """An engine with callplan's connection settings (it opens nothing yet)."""
    try:
        parsed = sa.make_url(url)
    except (sa.exc.ArgumentError, ValueError):  # ValueError: a port that isn't a number
        raise StoreError(f"{shown_url(url)!r} is not a database path or URL.") from None
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if "\x00" in database:
            raise StoreError(f"{shown_url(url)!r} is not a database path: it holds a NUL.")
        name = Path(database).name  # a path the user gave is made absolute (paths.py)
        libpq = _LIBPQ_FORM.fullmatch(name) and _LIBPQ_KEYS & {
            key.strip().lower() for key in re.findall(r"([A-Za-z_]+)\s*=", name)
        }
        if libpq or _PASSWORD_OPTION.search(database):
            raise StoreError(
                f"{redact(database, secrets_in(database))!r} looks like a libpq connection "
                "string: give a "
                "PostgreSQL store as a URL, postgresql+psycopg://USER@HOST/DATABASE "
                "(docs/team.md)."
            )
    elif parsed.host is not None and "@" in parsed.host:
        raise StoreError(
            f"{shown_url(url)!r} is not a database URL: an '@' in its password must be "
            "written %40 (docs/team.md)."
        )
    options: dict[str, Any] = {}
    if parsed.drivername in POSTGRES_DRIVERS:
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.drivername == "postgresql+psycopg":
        if "\x00" in parsed.render_as_string(hide_password=False):
            raise StoreError(f"{shown_url(parsed)!r} is not a database URL: it holds a NUL.")
        given = set(parsed.query)
        options["connect_args"] = {
            k: v
            for k, v in {"connect_timeout": 10, "application_name": "callplan"}.items()
            if k not in given
        }
    if parsed.drivername in ("sqlite", "sqlite+pysqlite") and not parsed.query:
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            path = Path(os.path.abspath(database))
            parsed = parsed.set(database=str(path))
            options["creator"] = lambda: connect_file(path)
    try:
        engine = sa.create_engine(parsed, **options)
    except (ImportError, sa.exc.NoSuchModuleError) as exc:
        if parsed.get_backend_name() == "postgresql" and "psycopg" in str(exc):
            raise StoreError(
                "A PostgreSQL store needs the psycopg driver: pip install 'callplan[postgres]'."
            ) from None
        raise StoreError(f"Can't open {shown_url(parsed)}: {exc}") from None
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _on_connect)
        sa.event.listen(engine, "begin", _on_begin)
    elif engine.dialect.name == "postgresql":
        sa.event.listen(engine, "begin", _pg_on_begin)
    return engine


def store_name(engine: sa.Engine) -> str:
    """The store, as the user would recognise it: its file, or its URL without password."""
    return str(store_path(engine) or shown_url(engine.url))


def _server_detail(reason: str) -> str:
    """The server's own words, without libpq's preamble ('connection to server on socket
    ... failed: FATAL:')."""
    detail = reason.rsplit(" failed: ", 1)[-1]
    return re.sub(r"^(FATAL|ERROR):\s*", "", detail).rstrip(".")


# A team store's rule broken (migrations 0018 and 0019's triggers): its message is for the user.
RULE_BROKEN = "CPR01"
# What each table's row-level security policies let a recruiter write (store.team).
POLICY_WORDS = {
    "call": "you log calls as yourself, and change only your own",
    "candidate_call": "you log calls as yourself, and change only your own",
    "note": "you write notes as yourself, and change only your own",
    "decision_maker": "a DM you add is yours or the pool's",
    "dm_tag": "you tag your own DMs and the pool's, not a colleague's",
    "candidate": "a candidate you add is yours",
    "call_before": "what a call records is its recruiter's",
    "call_hook": "what a call records is its recruiter's",
    "call_referral": "what a call records is its recruiter's",
    "claim": "you plan new DMs for yourself",
    "day_goal": "you set your own goals",
    "sweep_run": "you sweep your own DMs",
    "team_event": "the team log is written by the server",
}


def explain(exc: sa.exc.DBAPIError, engine: sa.Engine) -> CallplanError:
    """A database error in plain words, without the SQL or its values (personal data).

    Every write is one transaction, so whatever went wrong, nothing was written.
    """
    diag = getattr(exc.orig, "diag", None)  # psycopg: the server's message, no DETAIL of values
    primary = getattr(diag, "message_primary", None) if diag is not None else None
    reason = " ".join((primary or str(exc.orig)).split()) or type(exc.orig).__name__
    reason = redact(reason, secrets_in(engine.url.render_as_string(hide_password=False)))
    where = store_name(engine)
    low = reason.lower()
    code = getattr(exc.orig, "sqlstate", None) or ""  # PostgreSQL's error code
    url = engine.url
    if engine.dialect.name == "postgresql" and low.startswith("connection failed"):
        detail = _server_detail(reason)
        if code == "3D000" or ("database" in low and "does not exist" in low):
            return StoreError(
                f"There is no database {url.database!r} on the server of {where}: create it "
                "(docs/team.md) or correct the URL."
            )
        if code == "42501" or "permission denied for database" in low:
            return StoreError(
                f"User {url.username or '(default)'!r} may not connect to the database of "
                f"{where}: its owner gives a recruiter access with callplan team add "
                "(docs/team.md)."
            )
        if (
            code in ("28P01", "28000")
            or "password" in low
            or "authentication" in low
            or ("role" in low and "does not exist" in low)
            or "pg_hba.conf" in low
        ):
            return StoreError(
                f"The database server of {where} refused user {url.username or '(default)'!r}: "
                f"{detail}."
            )
        return StoreError(f"Can't connect to the database server of {where}: {detail}.")
    if code == RULE_BROKEN:
        return NotAllowed(f"{reason} Nothing was written.")
    if code == "42501" and "row-level security" in low:
        table = re.search(r'table "([^"]+)"', reason)
        rule = POLICY_WORDS.get(table.group(1) if table else "", "the team's rules forbid it")
        return NotAllowed(f"The team store refused this: {rule}. Nothing was written.")
    if code == "42501" or "permission denied" in low:
        text = (
            f"The database user of {where} isn't allowed to do this ({_server_detail(reason)}): "
            "see docs/team.md for the grants callplan needs."
        )
    elif code in ("55P03", "57014") or "lock timeout" in low:
        text = (
            f"The store {where} stayed locked by another program for too long; "
            "try again in a moment."
        )
    elif code == "53100" or "no space left" in low:
        text = f"The disk of the database server of {where} is full."
    elif code.startswith("08") or "server closed the connection" in low:
        text = f"The connection to the database server of {where} was lost ({reason})."
    elif "readonly" in low or "read-only" in low:
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
        return _revision_looking(conn)


def _revision_looking(conn: sa.Connection) -> str | None:
    """The revision, after a look at the tables (inside a transaction: no failed query)."""
    if not sa.inspect(conn).has_table("alembic_version"):
        tables = sa.inspect(conn).get_table_names()
        if tables:
            raise StoreError(
                f"{conn.engine.url.database} is a database but not a callplan store "
                f"(it has tables: {', '.join(tables[:5])})."
            )
        return None
    row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").first()
    return row[0] if row else None


# Who runs an upgrade: history from before a revision that records recruiters is theirs.
User = Callable[[], str] | str | None


def alembic_config(
    engine: sa.Engine, user: User = None, connection: sa.Connection | None = None
) -> Any:
    """Alembic's configuration: the engine, or a connection already in the transaction the
    migrations are to run in (committed by whoever began it)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", "callplan:migrations")
    cfg.attributes["engine"] = engine
    cfg.attributes["connection"] = connection
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


def after_explicit_ids(conn: sa.Connection, tables: Sequence[sa.Table]) -> None:
    """After rows were inserted with ids of their own (an import keeps a file's ids):
    on PostgreSQL, move each table's id sequence past its highest id, so the next row
    added gets a new one. (SQLite numbers new rows after the highest id by itself.)"""
    if conn.dialect.name != "postgresql":
        return
    for table in tables:
        name = sa.literal(table.name)
        sequence = sa.func.pg_get_serial_sequence(name, sa.literal("id"))
        highest = sa.select(sa.func.max(table.c.id)).scalar_subquery()
        conn.execute(
            sa.select(sa.func.setval(sequence, sa.func.coalesce(highest, 1), highest.is_not(None)))
        )


def upgrade(engine: sa.Engine, revision: str = "head", *, user: User = None) -> None:
    """Upgrade the schema, every step in one transaction; ``user`` (a name, or a function
    giving it) is who the store's history from before teams is given to (default: the
    login name)."""
    from alembic import command

    command.upgrade(alembic_config(engine, user), revision)


def backup_file(engine: sa.Engine, label: str) -> Path | None:
    """Copy a SQLite store into the backups folder beside it (online backup API), under
    a name no other backup has."""

    database = store_path(engine)
    if database is None:
        return None
    target = backup.reserve(backup.backup_folder(database), label, datetime.now().astimezone())
    try:
        backup.copy(database, target)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return target


def clear_leftovers(engine: sa.Engine) -> None:
    """Remove what a callplan killed part way (a backup, a restore, an upgrade) left in the
    backups folder beside a SQLite store: run by every command, so nothing lingers until
    the next backup (see backup.clear_stale for what is callplan's and old enough)."""

    database = store_path(engine)
    if database is None:
        return
    folder = backup.backup_folder(database)
    if folder.is_dir():
        backup.clear_stale(folder)


def prepare_file(engine: sa.Engine) -> None:
    """Create a new SQLite store's file readable by its owner only.

    The file is 0600 (SQLite gives its write-ahead log the same mode), in a folder of
    the owner's only (0700) if callplan makes the folder, whatever the umask.
    """
    path = store_path(engine)
    if path is None:
        return
    try:
        if path.exists():
            return
        private_folder(path.parent)
        create_private(path)
    except OSError as exc:
        raise StoreError(
            f"Can't create the store {path}: {exc.strerror or exc}. Check the folder "
            "exists and is yours to write, or choose another with --db."
        ) from None


def ensure_schema(engine: sa.Engine, *, user: User = None) -> None:
    """Create a new store, upgrade an older one (after a backup), refuse a newer one.

    One callplan at a time does it: the others wait, then find it done. An upgrade is
    one transaction, so a killed one leaves the store as it was.
    ``user``: who runs the upgrade (see ``upgrade``); asked only when there is one."""
    prepare_file(engine)
    current = current_revision(engine)
    if current == HEAD:
        return
    _refuse_newer(current)
    path = store_path(engine)
    try:
        if path is not None:
            _upgrade_file(engine, path, user)
            return
        with schema_lock(engine):
            _create_or_upgrade(engine, current_revision(engine), user)  # again, under the lock
    except sa.exc.DBAPIError as exc:
        raise explain(exc, engine) from None


def _refuse_newer(current: str | None) -> None:
    if current is not None and current not in REVISIONS:
        raise StoreError(
            f"This store was written by a newer callplan (schema {current}; this version "
            f"knows up to {HEAD}). Upgrade callplan; the store was not touched."
        )


# How long a callplan waits for another that is upgrading the same SQLite store: 2 minutes.
UPGRADE_WAIT = "PRAGMA busy_timeout = 120000"


def _upgrade_file(engine: sa.Engine, path: Path, user: User) -> None:
    """Create or upgrade a SQLite store under its write lock, held from reading the
    revision to committing the last step: a second callplan waits for the lock (up to
    UPGRADE_WAIT), then finds the store up to date. The backup is taken under the
    lock too, so it is the store as it was before this upgrade, never a half-done one."""
    from alembic import command

    if not writable(path):
        raise StoreError(
            f"The store {path} needs an upgrade to schema {HEAD}, but the file or its folder "
            "is read-only: use it with the callplan that wrote it, or make it writable. "
            "Nothing was written."
        )
    with migrating(engine) as conn:
        raw = conn.connection.driver_connection
        if raw is not None:  # set outside SQLAlchemy, which would begin a transaction
            raw.execute(UPGRADE_WAIT)
        conn.execution_options(callplan_begin="IMMEDIATE")
        with conn.begin():
            current = _revision_looking(conn)
            if current == HEAD:  # another callplan did it while this one waited
                return
            _refuse_newer(current)
            saved = _backup_before(engine) if current is not None else None
            command.upgrade(alembic_config(engine, user, connection=conn), "head")
    make_private(path)
    if current is not None:
        print(
            f"callplan: upgraded the store from schema {current} to {HEAD}; "
            f"the old one is saved as {saved}.",
            file=sys.stderr,
        )


def _backup_before(engine: sa.Engine) -> Path | None:
    try:
        return backup_file(engine, f"before-{HEAD}")
    except (OSError, sqlite3.DatabaseError) as exc:
        raise StoreError(
            f"Can't back up the store before upgrading it ({exc}); it was not changed. "
            "Free some space or check the folder, then run callplan again."
        ) from None


def _create_or_upgrade(engine: sa.Engine, current: str | None, user: User) -> None:
    """On a database server, under callplan's migration lock."""
    if current == HEAD:  # another callplan did it while this one waited for the lock
        return
    _refuse_newer(current)
    if current is not None:
        _owner_upgrades(engine, current)
    upgrade(engine, user=user)
    if current is not None:
        _secure_again(engine)
        # The upgrade is one transaction; backups are the server's (pg_dump).
        print(
            f"callplan: upgraded the store from schema {current} to {HEAD} (in one transaction).",
            file=sys.stderr,
        )


def _owner_upgrades(engine: sa.Engine, current: str) -> None:
    """On a team store only the database's owner may change the schema: a recruiter's
    newer callplan says so rather than fail half-way with the server's words."""
    from callplan.store import team

    with Session(engine) as s:
        if not team.initialised(s) or team.is_admin(s):
            return
    raise StoreError(
        f"The team store {store_name(engine)} has schema {current}; this callplan needs "
        f"{HEAD}. The database's owner upgrades it with callplan db upgrade (docs/team.md); "
        "until then use the callplan you had. Nothing was written."
    )


def _secure_again(engine: sa.Engine) -> None:
    """After an upgrade of a team store, the grants and policies of `team init` again:
    a table the upgrade added is granted and secured like the others."""
    from callplan.store import team

    with Session(engine) as s, s.begin():
        if team.initialised(s):
            team.init(s)


@contextmanager
def schema_lock(engine: sa.Engine) -> Iterator[None]:
    """On PostgreSQL, one callplan at a time creates or upgrades the schema: a team's
    first commands of the day may all find an older store at once. (On SQLite the
    store's write lock does that: see _upgrade_file.)"""
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as conn:
        conn.execute(sa.select(sa.func.pg_advisory_lock(MIGRATE_LOCK)))
        conn.commit()
        try:
            yield
        finally:
            conn.execute(sa.select(sa.func.pg_advisory_unlock(MIGRATE_LOCK)))
            conn.commit()


@contextmanager
def session(engine: sa.Engine, *, write: bool = False) -> Iterator[Session]:
    """A session; a write session is one transaction that takes the write lock first."""

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
