"""The store: connection settings, migrations, versions, and what --help imports."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
import sqlalchemy as sa

from callplan.core import paths
from callplan.store import db


@pytest.mark.sqlite_only("pragmas of SQLite connections (the server keeps its own settings)")
def test_every_connection_has_foreign_keys_wal_and_a_busy_timeout(env):
    engine = db.make_engine(f"sqlite:///{env}")
    try:
        for _ in range(2):
            with engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
                assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
                assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
            engine.dispose()  # a fresh connection next time round
    finally:
        engine.dispose()


def test_write_sessions_take_the_write_lock_up_front(store):
    """A write session holds the write lock from its start: another writer must wait.
    On SQLite that is the RESERVED lock (BEGIN IMMEDIATE); on PostgreSQL callplan's
    advisory lock. A read session takes nothing."""
    engine = store.engine()
    try:
        with db.session(engine) as s:
            s.connection()
            assert _other_writer_may_start(store, engine)
        with db.session(engine, write=True) as s:
            s.connection()  # the lock is taken here
            assert not _other_writer_may_start(store, engine)
        assert _other_writer_may_start(store, engine)
    finally:
        engine.dispose()


def _other_writer_may_start(store, engine) -> bool:
    if store.backend == "sqlite":
        other = sqlite3.connect(store.path, timeout=0.1)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.rollback()
            return True
        except sqlite3.OperationalError as exc:
            assert "locked" in str(exc)
            return False
        finally:
            other.close()
    with engine.connect() as other:  # another connection of the pool: another session
        free = other.execute(sa.select(sa.func.pg_try_advisory_xact_lock(db.WRITE_LOCK)))
        return bool(free.scalar())


def test_a_write_that_waits_too_long_for_the_lock_is_one_line(store, cli, monkeypatch):
    """Another program holding the write lock past the timeout: one line, exit 5."""
    monkeypatch.setattr(db, "LOCK_TIMEOUT", "100ms")
    if store.backend == "sqlite":
        monkeypatch.setattr(db, "_on_connect", _short_busy_timeout(db._on_connect))
    engine = store.engine()
    try:
        with db.session(engine, write=True) as s:
            s.connection()
            r = cli("dm", "add", "Jane Smith")
    finally:
        engine.dispose()
    assert r.exit_code == 5, r.stderr
    assert "stayed locked by another program" in r.stderr and r.stderr.count("\n") == 1
    assert store.query("SELECT count(*) FROM decision_maker") == [(0,)]


def _short_busy_timeout(on_connect):
    def connect(dbapi_connection, record):
        on_connect(dbapi_connection, record)
        dbapi_connection.execute("PRAGMA busy_timeout = 100")

    return connect


def test_a_new_store_is_created_by_the_migrations(tmp_path, blank_store):
    path = tmp_path / "sub" / "folder" / "new.sqlite3"
    url = f"sqlite:///{path}" if blank_store.backend == "sqlite" else blank_store.url
    engine = db.make_engine(url)
    db.ensure_schema(engine)
    assert db.current_revision(engine) == db.HEAD
    tables = set(sa.inspect(engine).get_table_names())
    assert {"decision_maker", "call", "note", "dm_tag", "alembic_version"} <= tables
    engine.dispose()


@pytest.mark.no_store
def test_the_revision_list_matches_the_migrations_folder():
    from alembic.script import ScriptDirectory

    engine = db.make_engine("sqlite://")
    script = ScriptDirectory.from_config(db.alembic_config(engine))
    history = [r.revision for r in reversed(list(script.walk_revisions()))]
    assert tuple(history) == db.REVISIONS
    assert script.get_current_head() == db.HEAD


def test_models_and_migrations_agree(store):
    """No model change without a migration: autogenerate finds nothing to do."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    import callplan.store.models  # noqa: F401

    engine = store.engine()
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, SQLModel.metadata)
    engine.dispose()
    assert diff == []


def test_a_store_from_a_newer_callplan_is_refused_untouched(store, cli):
    store.query("UPDATE alembic_version SET version_num = '9999'")
    before = store.state()
    r = cli("today")
    assert r.exit_code == 5 and "newer callplan" in r.stderr
    assert store.state() == before


def test_a_database_that_is_not_a_store_is_refused(tmp_path, cli):
    other = tmp_path / "other.sqlite3"
    with closing(sqlite3.connect(other)) as conn, conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    r = cli("--db", str(other), "today")
    assert r.exit_code == 5 and "not a callplan store" in r.stderr


def test_a_file_that_is_not_a_database_is_refused(tmp_path, cli):
    junk = tmp_path / "junk.sqlite3"
    junk.write_text("this is not sqlite " * 100)
    r = cli("--db", str(junk), "today")
    assert r.exit_code == 5 and "is damaged" in r.stderr
    assert "Traceback" not in r.stderr


def test_db_option_beats_the_environment(tmp_path, ok):
    other = tmp_path / "elsewhere.sqlite3"
    ok("--db", str(other), "dm", "add", "Jane Smith")
    assert ok("--db", str(other), "dm", "list", "--json").json["count"] == 1
    assert ok("dm", "list", "--json").json["count"] == 0


@pytest.mark.no_store
def test_resolve_url():
    assert paths.resolve_url("/tmp/x.db", {}) == "sqlite:////tmp/x.db"
    assert paths.resolve_url(None, {"CALLPLAN_DB": "postgresql+psycopg://h/db"}).startswith(
        "postgresql"
    )
    assert paths.resolve_url(None, {}).endswith("callplan.sqlite3")


def test_timestamps_are_timezone_aware_utc(ok):
    ok("dm", "add", "Jane Smith")
    added = ok("dm", "show", "jane", "--json").json["dm"]["added_at"]
    assert added.endswith("+00:00")


def test_the_upgrade_check_is_one_query_and_no_alembic(ok, store):
    ok("dm", "add", "Jane Smith")  # an up-to-date store
    engine = store.engine()
    seen: list[str] = []
    sa.event.listen(engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
    db.ensure_schema(engine)
    engine.dispose()
    queries = [q for q in seen if not q.startswith("BEGIN")]  # the transaction's own
    assert queries == ["SELECT version_num FROM alembic_version"]

    loaded = modules_after(["today"])
    assert "alembic" not in loaded and "sqlalchemy" in loaded


def modules_after(*runs: list[str]) -> set[str]:
    """The modules a fresh interpreter holds after running callplan with each of
    ``runs`` (each must succeed)."""
    code = (
        "import sys\n"
        "from callplan.cli import main\n"
        f"for args in {list(runs)!r}:\n"
        "    try:\n"
        "        main(args)\n"
        "    except SystemExit as e:\n"
        "        assert e.code == 0, (args, e.code)\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return set(r.stdout.strip().splitlines()[-1].split())


def test_help_and_version_do_not_import_the_database_stack():
    loaded = modules_after(["--help"], ["--version"], ["log", "--help"], ["dm", "--help"])
    heavy = {"sqlalchemy", "sqlmodel", "alembic", "holidays", "icalendar"} & loaded
    assert not heavy, heavy


def test_a_run_imports_only_the_module_of_its_command(monkeypatch):
    from callplan.cli import NAMES, invoked

    monkeypatch.delenv("_CALLPLAN_COMPLETE", raising=False)
    assert invoked([]) == "today" and invoked(["--db", "x.sqlite3"]) == "today"
    assert invoked(["--db=x.sqlite3", "log", "jane"]) == "log"
    assert invoked(["--as", "Kim", "sweep"]) == "sweep" and invoked(["--as=Kim"]) == "today"
    assert invoked(["dm", "show", "1"]) == "dm" and invoked(["stats", "--help"]) == "stats"
    for everything in (["--help"], ["--version"], ["nosuch"], ["--db", "x", "-h"]):
        assert invoked(everything) is None, everything

    loaded = modules_after(["today"])
    assert "callplan.cli.today" in loaded
    for other in ("dm", "stats", "export", "importer", "forecast", "go", "db"):
        assert f"callplan.cli.{other}" not in loaded, other
    assert (
        "callplan.store.queries.stats" not in loaded
    )  # today's progress line is callplan.store.queries.progress

    monkeypatch.setenv("_CALLPLAN_COMPLETE", "complete_bash")
    assert invoked(["log"]) is None  # completion needs every command
    assert "today" in NAMES and "candidate" in NAMES


@pytest.mark.no_store
def test_every_command_has_help_text():
    import typer

    from callplan.cli import app

    def walk(group: typer.Typer, path: str) -> None:
        for command in group.registered_commands:
            name = command.name or (command.callback.__name__ if command.callback else "?")
            doc = command.help or (command.callback.__doc__ if command.callback else None)
            assert doc and doc.strip(), f"{path} {name} has no help"
        for sub in group.registered_groups:
            assert sub.typer_instance is not None
            assert sub.typer_instance.info.help, f"{path} {sub.name} has no help"
            walk(sub.typer_instance, f"{path} {sub.name}")

    walk(app, "callplan")


@pytest.mark.no_store
def test_store_path_with_a_folder_gets_the_store_in_it(tmp_path):
    (tmp_path / paths.STORE_FILE).touch()
    assert paths.resolve_url(str(tmp_path), {}) == f"sqlite:///{Path(tmp_path) / paths.STORE_FILE}"


def test_a_folder_with_no_store_in_it_is_refused_and_left_empty(tmp_path, cli, ok):
    folder = tmp_path / "work"
    folder.mkdir()
    r = cli("--db", str(folder), "dm", "add", "Jane Smith")
    assert r.exit_code == 5
    assert r.stderr == (
        f"Error: {folder} is a folder with no callplan store in it: name the store's file "
        f"({folder / paths.STORE_FILE} makes a new one there).\n"
    )
    assert list(folder.iterdir()) == []
    ok("--db", str(folder / paths.STORE_FILE), "dm", "add", "Jane Smith")
    assert "Jane Smith" in ok("--db", str(folder), "dm", "list").stdout  # now it holds one


def test_unreadable_store_location_is_one_line(cli, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    r = cli("--db", str(blocker / "store.sqlite3"), "today")
    assert r.exit_code == 5 and len(r.stderr.strip().splitlines()) == 1


@pytest.mark.sqlite_only(
    "batch mode's copy-and-drop of a table is SQLite's; PostgreSQL alters tables in place"
)
def test_a_migration_that_rebuilds_the_dm_table_keeps_every_call(env, ok):
    """Batch mode rebuilds a table by copy-and-drop: with foreign keys on, dropping
    decision_maker would cascade to the calls. Migrations run with them off."""
    from alembic.migration import MigrationContext
    from alembic.operations import Operations

    ok("dm", "add", "Jane Smith")
    ok("log", "jane", "--advance", "meeting")
    engine = db.make_engine(f"sqlite:///{env}")
    try:
        with db.migrating(engine) as conn:
            ops = Operations(MigrationContext.configure(conn))
            with conn.begin():
                with ops.batch_alter_table("decision_maker", recreate="always") as batch:
                    batch.alter_column("title", existing_type=sa.String(200), nullable=True)
                db.check_links(conn)
        for _ in range(3):  # no connection from the pool has them off afterwards
            with engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        engine.dispose()
    with closing(sqlite3.connect(env)) as conn, conn:
        assert conn.execute("SELECT count(*) FROM call").fetchone()[0] == 1
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


@pytest.mark.sqlite_only(
    "foreign keys are off during a SQLite migration; PostgreSQL enforces every link at once"
)
def test_a_migration_that_breaks_links_is_not_committed(env, ok):
    ok("dm", "add", "Jane Smith")
    ok("log", "jane", "--advance", "meeting")
    engine = db.make_engine(f"sqlite:///{env}")
    try:
        with (
            pytest.raises(db.StoreError, match="broken link"),
            db.migrating(engine) as conn,
            conn.begin(),
        ):
            conn.exec_driver_sql("DELETE FROM decision_maker")
            db.check_links(conn)
    finally:
        engine.dispose()
    with closing(sqlite3.connect(env)) as conn, conn:
        assert conn.execute("SELECT count(*) FROM decision_maker").fetchone()[0] == 1


@pytest.mark.parametrize("folder", ["c ?y", "50% off", "a#b", "it's"])
def test_a_store_path_with_url_characters_is_used_as_typed(tmp_path, ok, folder):
    store = tmp_path / folder / "store.sqlite3"
    ok("--db", str(store), "dm", "add", "Jane Smith")
    assert store.is_file()
    assert ok("--db", str(store), "dm", "list", "--json").json["count"] == 1


@pytest.mark.parametrize("name", ["nul\x00.sqlite3", "x" * 300])
def test_a_store_name_the_system_refuses_is_one_line(cli, tmp_path, name):
    # Found by tests/test_hostile_input.py: '--db' with a NUL in the name (ValueError
    # from sqlite3) or a name too long (OSError from is_dir) ended in exit 70.
    r = cli("--db", str(tmp_path / name), "dm", "list")
    assert r.exit_code == 5, r.stderr
    assert r.stderr.startswith("Error: ") and r.stderr.count("\n") == 1


def test_the_partial_indexes_are_partial_on_either_backend(store):
    """The conversation, referral, purpose, tier, candidate diary and open delivery call
    indexes leave out the rows they don't serve."""
    if store.backend == "sqlite":
        rows = store.query("SELECT name, sql FROM sqlite_master WHERE type = 'index'")
    else:
        rows = store.query("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'")
    partial = {name for name, sql in rows if sql and " WHERE " in str(sql).upper()}
    assert partial == {
        "ix_call_number_called_on",
        "ix_call_dm_conversations",
        "ix_dm_referred_by",
        "ix_call_recruiter_conversations",
        "ix_call_called_on_purpose",
        "ix_dm_tier",
        "ix_dm_cycle_days",
        "ix_candidate_next_call_on",
        "ix_delivery_call_open_due",
    }


def test_a_new_dm_is_not_ctps_by_the_servers_default(store, ok):
    """The server's default for a column added by a migration (0003) is a false boolean."""
    store.query(
        "INSERT INTO decision_maker (name, name_key, status, needs_number, created_at,"
        " conversation_count, attempts_in_row) VALUES ('Jane Smith', 'jane smith', 'active',"
        " FALSE, '2026-10-01 09:00:00', 0, 0)"
    )
    shown = ok("dm", "show", "jane", "--json").json["dm"]
    assert shown["ctps"] is False and shown["lawful_basis"] == "legitimate-interest"
