"""Every test gets a fixed environment (config file, 'today', user, terminal); tests on a
store (tests/store, tests/services, tests/cli) get their own store too, tests/core none.

CLI tests run ``callplan.cli.main`` — the console script itself, with its one-line error
handling — inside Typer's CliRunner isolation, so they see exactly what a user sees.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner

TODAY = "2026-11-23"  # a Monday
USER = "Sam"  # the recruiter every test runs as, unless it says otherwise

# Property tests: enough examples to find date edges, no per-example deadline on a shared
# machine; the autouse environment fixtures (per folder's conftest.py) are harmless to them.
settings.register_profile(
    "callplan",
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
settings.load_profile("callplan")


# --- the store: SQLite always, PostgreSQL too when CALLPLAN_TEST_PG names a server -------
#
# CALLPLAN_TEST_PG is a SQLAlchemy URL of a database on a server the tests may create and
# drop databases on, e.g. postgresql+psycopg://postgres@/postgres?host=/tmp/pgsock. With it,
# every test runs once per backend (ids end in [sqlite] and [pg]); --backend picks one.
# Without it nothing changes: SQLite only, no extra packages.

PG_URL = os.environ.get("CALLPLAN_TEST_PG", "").strip()
KEPT = "callplan_kept"  # the schema of a PostgreSQL store's kept copy (Store.keep)
BACKENDS = ("sqlite", "pg")
NO_STORE_ON_PG = pytest.mark.skip(reason="uses no store: run once, in the SQLite pass")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--backend",
        choices=[*BACKENDS, "all"],
        default=None,
        help="the store the tests run on: sqlite, pg (needs CALLPLAN_TEST_PG) or all "
        "(default: all when CALLPLAN_TEST_PG is set, else sqlite)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "sqlite_only(reason): the test is about SQLite itself (its files, locks, pragmas); "
        "on PostgreSQL it is skipped with the reason given",
    )
    config.addinivalue_line(
        "markers",
        "no_store: a test beside tests on a store that uses none itself (a pure helper of "
        "its subject): it gets the fixed environment without a store and runs once, in the "
        "SQLite pass",
    )
    config.addinivalue_line(
        "markers",
        "slow: a test that takes seconds (real processes, big stores, long simulations); "
        "the quick loop while working is pytest -m 'not slow'",
    )
    chosen_backends(config)  # a --backend that can't run stops here, before collection


def chosen_backends(config: pytest.Config) -> list[str]:
    chosen = config.getoption("--backend") or ("all" if PG_URL else "sqlite")
    if chosen != "sqlite" and not PG_URL:
        raise pytest.UsageError("--backend pg needs CALLPLAN_TEST_PG=URL of a PostgreSQL server")
    return list(BACKENDS) if chosen == "all" else [chosen]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    names = chosen_backends(metafunc.config)
    if "backend" not in metafunc.fixturenames or names == ["sqlite"]:
        return  # SQLite only: ids stay as they were
    if metafunc.definition.get_closest_marker("no_store") is not None:
        if "sqlite" in names:
            metafunc.parametrize("backend", ["sqlite"], scope="session")
        else:
            metafunc.parametrize(
                "backend", [pytest.param("pg", marks=NO_STORE_ON_PG)], scope="session"
            )
        return
    marker = metafunc.definition.get_closest_marker("sqlite_only")
    params = []
    for name in names:
        if name == "pg" and marker is not None:
            reason = marker.args[0] if marker.args else marker.kwargs.get("reason", "")
            assert reason, f"{metafunc.definition.nodeid}: sqlite_only needs a reason"
            params.append(
                pytest.param(name, marks=pytest.mark.skip(reason=f"SQLite only: {reason}"))
            )
        else:
            params.append(pytest.param(name))
    metafunc.parametrize("backend", params, scope="session")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A run on PostgreSQL alone (--backend pg) skips the tests that use no store: they
    don't depend on the backend, and the SQLite pass has run them already."""
    if "sqlite" in chosen_backends(config):
        return
    for item in items:
        if "backend" not in getattr(item, "fixturenames", ()):
            item.add_marker(NO_STORE_ON_PG)


@pytest.fixture(scope="session")
def backend(request: pytest.FixtureRequest) -> str:
    """The backend of this run of the test: "sqlite" or "pg" (see pytest_generate_tests)."""
    return getattr(request, "param", "sqlite")


class PgServer:
    """The PostgreSQL server of CALLPLAN_TEST_PG: one migrated template database per
    session, and a database per test copied from it (CREATE DATABASE ... TEMPLATE)."""

    def __init__(self, url: str) -> None:
        import sqlalchemy as sa

        self.url = sa.make_url(url).set(drivername="postgresql+psycopg")
        self.prefix = f"callplan_test_{os.getpid()}"
        self.template = f"{self.prefix}_template"
        self.count = 0
        self._admin: Any = None

    def url_of(self, database: str) -> str:
        return self.url.set(database=database).render_as_string(hide_password=False)

    def admin(self) -> Any:
        if self._admin is None:
            import psycopg

            params = self.url.translate_connect_args(username="user", database="dbname")
            params.update(self.url.query)
            self._admin = psycopg.connect(autocommit=True, **params)
        return self._admin

    def create(self, database: str, template: str | None = None) -> None:
        from psycopg import sql

        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database))
        if template:
            statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
            # PostgreSQL 15 copies a template block by block through the WAL by default:
            # for a small store copying its files is about six times quicker (a test each).
            if self.admin().info.server_version >= 150000:
                statement += sql.SQL(" STRATEGY FILE_COPY")
        self.admin().execute(statement)

    def drop(self, database: str) -> None:
        from psycopg import sql

        self.admin().execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database))
        )

    def new_name(self) -> str:
        self.count += 1
        return f"{self.prefix}_{self.count}"

    def close(self) -> None:
        if self._admin is not None:
            self._admin.close()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    if not PG_URL:
        pytest.skip("CALLPLAN_TEST_PG is not set")
    server = PgServer(PG_URL)
    yield server
    server.close()


@pytest.fixture(scope="session")
def template_store(
    backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A migrated empty store, made once and copied for each test (migrations are slow-ish):
    a file on SQLite, a template database on PostgreSQL. Its URL."""
    from callplan.store.db import ensure_schema, make_engine

    if backend == "sqlite":
        path = tmp_path_factory.mktemp("template") / "store.sqlite3"
        url = f"sqlite:///{path}"
    else:
        server: PgServer = request.getfixturevalue("pg_server")
        server.drop(server.template)
        server.create(server.template)
        url = server.url_of(server.template)
    engine = make_engine(url)
    ensure_schema(engine)
    engine.dispose()
    yield url
    if backend == "pg":
        server.drop(server.template)


@dataclass
class Store:
    """The test's own store, for tests that look at it directly (on either backend)."""

    backend: str
    url: str  # a SQLAlchemy URL
    path: Path  # the SQLite file (on PostgreSQL, where it would be: nothing is there)
    server: PgServer | None = None
    kept: bytes | str | None = None  # see keep()
    sequences: list[tuple[str, int | None]] = field(default_factory=list)

    @property
    def database(self) -> str:
        import sqlalchemy as sa

        return sa.make_url(self.url).database or ""

    def keep(self) -> None:
        """Remember the store as it is now, for ``restore``: its bytes, or on PostgreSQL
        a copy of every table in a schema of its own (quicker to put back than a new
        database)."""
        if self.backend == "sqlite":
            self.kept = self.path.read_bytes()
            return
        from psycopg import sql

        kept = sql.Identifier(KEPT)
        with self._pg() as conn:
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(kept))
            conn.execute(sql.SQL("CREATE SCHEMA {}").format(kept))
            for table in self._tables():
                name = sql.Identifier(table)
                conn.execute(
                    sql.SQL("CREATE TABLE {}.{} AS SELECT * FROM public.{}").format(
                        kept, name, name
                    )
                )
            self.sequences = conn.execute(
                "SELECT schemaname || '.' || sequencename, last_value FROM pg_sequences"
                " WHERE schemaname = 'public'"
            ).fetchall()
            self.kept = KEPT

    def restore(self) -> None:
        """Put back the store as ``keep`` found it."""
        assert self.kept is not None, "keep() the store first"
        if isinstance(self.kept, bytes):
            assert not open_in_this_process(self.path), (
                f"a connection to {self.path} is still open: close it (a plain `with "
                "sqlite3.connect(...)` doesn't), or deleting its -wal and -shm breaks the store"
            )
            for suffix in ("-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            self.path.write_bytes(self.kept)
            return
        from psycopg import sql

        tables = self._tables()
        names = sql.SQL(", ").join(sql.Identifier("public", t) for t in tables)
        with self._pg() as conn:
            conn.execute(sql.SQL("TRUNCATE {} RESTART IDENTITY").format(names))
            for table in tables:  # parents before children: links are checked at once
                conn.execute(
                    sql.SQL("INSERT INTO public.{} SELECT * FROM {}.{}").format(
                        sql.Identifier(table), sql.Identifier(KEPT), sql.Identifier(table)
                    )
                )
            for name, value in self.sequences:
                conn.execute("SELECT setval(%s, %s, %s)", (name, value or 1, value is not None))

    def _tables(self) -> list[str]:
        """The store's tables, parents before the tables that link to them."""
        from sqlmodel import SQLModel

        import callplan.store.models  # noqa: F401

        return ["alembic_version", *(t.name for t in SQLModel.metadata.sorted_tables)]

    def _pg(self) -> Any:
        import psycopg

        return psycopg.connect(pg_conninfo(self.url))

    def check_sound(self, what: object = None) -> None:
        """The store passes SQLite's integrity and foreign key checks (PostgreSQL checks
        every link as it is written)."""
        if self.backend == "sqlite":
            with closing(sqlite3.connect(self.path)) as conn:
                assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)], what
                assert conn.execute("PRAGMA foreign_key_check").fetchall() == [], what

    @property
    def db(self) -> str:
        """What --db and CALLPLAN_DB are given: the file's path, or the database's URL."""
        return str(self.path) if self.backend == "sqlite" else self.url

    def engine(self) -> Any:
        from callplan.store.db import make_engine

        return make_engine(self.url)

    def query(self, sql: str, *params: object) -> list[tuple[object, ...]]:
        """Rows of one statement, committed; ``?`` marks a parameter on both backends.
        Dates come back as SQLite stores them (ISO text), so tests compare one way."""
        if self.backend == "sqlite":
            with closing(sqlite3.connect(self.path)) as conn, conn:
                return conn.execute(sql, params).fetchall()
        import psycopg

        with psycopg.connect(pg_conninfo(self.url)) as conn:
            cursor = conn.execute(sql.replace("%", "%%").replace("?", "%s"), params)
            rows = cursor.fetchall() if cursor.description else []
        return [tuple(_as_sqlite(v) for v in row) for row in rows]

    def state(self) -> object:
        """All of the store, to compare before and after: the file's bytes on SQLite,
        every row on PostgreSQL."""
        return self.path.read_bytes() if self.backend == "sqlite" else self.snapshot()

    def snapshot(self) -> list[tuple[object, ...]]:
        """Every row of every table: to check a failed command wrote nothing."""
        if self.backend == "sqlite":
            return snapshot(self.path)
        import psycopg
        from psycopg import sql

        rows: list[tuple[object, ...]] = []
        with psycopg.connect(pg_conninfo(self.url)) as conn:
            tables = [
                r[0]
                for r in conn.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
                )
            ]
            for t in tables:
                q = sql.SQL("SELECT * FROM {} ORDER BY 1").format(sql.Identifier(t))
                rows.extend((t, *r) for r in conn.execute(q))
        return rows


def open_in_this_process(path: Path) -> bool:
    """Whether this process holds the file open (Linux's /proc; elsewhere, can't tell)."""
    fds = Path("/proc/self/fd")
    if not fds.is_dir():
        return False
    target = str(path.resolve())
    for fd in fds.iterdir():
        try:
            if os.readlink(fd) == target:
                return True
        except OSError:  # closed since the listing
            continue
    return False


def pg_conninfo(url: str) -> str:
    """A libpq connection string from a SQLAlchemy URL."""
    import sqlalchemy as sa
    from psycopg.conninfo import make_conninfo

    parsed = sa.make_url(url)
    params = parsed.translate_connect_args(username="user", database="dbname")
    return make_conninfo("", **{**params, **parsed.query})


def _as_sqlite(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


@pytest.fixture(scope="session")
def holiday_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache of worked-out public holidays for the whole run (never the user's)."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture
def store(
    backend: str, template_store: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Store]:
    """The test's own store, copied from the template: a file, or a database of its own."""
    path = tmp_path / "store.sqlite3"
    if backend == "sqlite":
        import sqlalchemy as sa

        shutil.copy(sa.make_url(template_store).database or "", path)
        from callplan.core.paths import resolve_url

        yield Store(backend, resolve_url(str(path), {}), path)
        return
    server: PgServer = request.getfixturevalue("pg_server")
    name = server.new_name()
    server.create(name, template=server.template)
    yield Store(backend, server.url_of(name), path, server)
    server.drop(name)


@pytest.fixture
def blank_store(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Store]:
    """A store with no schema yet: a file not made yet, or an empty database of its own."""
    path = tmp_path / "blank.sqlite3"
    if backend == "sqlite":
        from callplan.core.paths import resolve_url

        yield Store(backend, resolve_url(str(path), {}), path)
        return
    server: PgServer = request.getfixturevalue("pg_server")
    name = server.new_name()
    server.create(name)
    yield Store(backend, server.url_of(name), path, server)
    server.drop(name)


def fixed_environment(monkeypatch: pytest.MonkeyPatch, folder: Path, db: str, cache: Path) -> None:
    """A test's environment: ``db`` as its store, a config file in ``folder``, the shared
    holiday cache, a fixed today, a fixed user and terminal; nothing from whoever runs it."""
    for var in (
        "CALLPLAN_DB",
        "CALLPLAN_CONFIG",
        "CALLPLAN_CACHE",
        "CALLPLAN_TODAY",
        "CALLPLAN_DEBUG",
        "LC_ALL",
        "LC_TIME",
    ):
        monkeypatch.delenv(var, raising=False)
    from callplan.core.config import KEYS

    for key in KEYS.values():
        monkeypatch.delenv(key.env, raising=False)
    monkeypatch.setenv("CALLPLAN_DB", db)
    monkeypatch.setenv("CALLPLAN_CONFIG", str(folder / "config.toml"))
    monkeypatch.setenv("CALLPLAN_CACHE", str(cache))
    monkeypatch.setenv("CALLPLAN_TODAY", TODAY)
    monkeypatch.setenv("CALLPLAN_COUNTRY", "GB-ENG")
    monkeypatch.setenv("CALLPLAN_USER", USER)  # never the login name of whoever runs the tests
    monkeypatch.setenv("LANG", "C")
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, store: Store, holiday_cache: Path) -> Path:
    """The environment of a test on a store: its own store, config and cache, a fixed today.
    Autouse in tests/store, tests/services and tests/cli (their conftest.py), so each of
    those tests runs once per backend. Returns the store's file (on PostgreSQL nothing is
    there: use the ``store`` fixture)."""
    fixed_environment(monkeypatch, tmp_path, store.db, holiday_cache)
    return store.path


@pytest.fixture
def storeless_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, holiday_cache: Path) -> Path:
    """The same fixed environment with no store behind it (tests/core): CALLPLAN_DB names a
    file that is never made, so a pure test that reached for a store would find it empty,
    never the user's. Returns that path."""
    path = tmp_path / "no-store.sqlite3"
    fixed_environment(monkeypatch, tmp_path, str(path), holiday_cache)
    return path


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def stdout_bytes(self) -> bytes:
        return self.stdout.encode("utf-8", "surrogateescape")

    @property
    def json(self) -> object:
        import json

        return json.loads(self.stdout)


Run = Callable[..., Result]


@pytest.fixture
def cli() -> Run:
    """Run callplan as the console script would: ``cli("dm", "add", "Jane")``."""
    from callplan.cli import main

    def run(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
        runner = CliRunner()
        code = 0
        with runner.isolation(input=input, env=env) as (out, err, _):
            try:
                main(list(args))
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
            sys.stdout.flush()
            sys.stderr.flush()
            # stdout may be binary (`backup -` writes the store there): its bytes kept,
            # as text with any byte that isn't UTF-8 escaped; stderr is always text.
            stdout = out.getvalue().decode("utf-8", "surrogateescape")
            stderr = err.getvalue().decode()
        return Result(code, stdout, stderr)

    return run


@pytest.fixture
def ok(cli: Run) -> Run:
    """Like ``cli`` but asserts success."""

    def run(*args: str, **kw: object) -> Result:
        result = cli(*args, **kw)
        assert result.exit_code == 0, (args, result.stdout, result.stderr)
        return result

    return run


@pytest.fixture
def db(store: Store) -> Callable[..., list[tuple[object, ...]]]:
    """Query the test's store directly: ``db("select count(*) from call")``."""
    return store.query


def snapshot(target: Path | Store) -> list[tuple[object, ...]]:
    """Every row of every table of a SQLite file or a test's store: to check a failed
    command wrote nothing."""
    if isinstance(target, Store):
        return target.snapshot()
    assert target.exists(), f"{target} is not there (on PostgreSQL, snapshot the store)"
    with closing(sqlite3.connect(target)) as conn, conn:
        tables = [
            r[0]
            for r in conn.execute("select name from sqlite_master where type='table' order by name")
        ]
        rows: list[tuple[object, ...]] = []
        for t in tables:
            rows.extend((t, *r) for r in conn.execute(f'select * from "{t}" order by 1'))
        return rows


def console_script() -> str:
    """The installed `callplan` command (beside this Python, else on the PATH), for the
    tests that run it as a user does; the test is skipped when it isn't installed."""
    beside = Path(sys.executable).parent / "callplan"
    found = str(beside) if beside.exists() else shutil.which("callplan")
    if not found:
        pytest.skip("the callplan console script is not installed")
    return found
