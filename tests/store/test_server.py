"""A store on a database server (PostgreSQL): URLs, the server's refusals in one line
without the password, the first commands of a team at once, and what stays SQLite's."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from callplan.errors import StoreError
from callplan.store import db

SECRET = "s3cret-pa55"


def one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), stderr
    assert "Traceback" not in stderr and SECRET not in stderr
    return lines[0]


def on_server(store) -> None:
    if store.backend != "pg":
        pytest.skip("about a PostgreSQL server: runs in the [pg] variant")


def test_a_url_whose_port_is_no_number_is_one_line_without_the_password(cli):
    # Found here: SQLAlchemy's ValueError for the port ended in exit 70, on any backend.
    r = cli("--db", f"postgresql+psycopg://bob:{SECRET}@db.example:abc/team", "today")
    assert r.exit_code == 5 and "is not a database path or URL" in one_line(r.stderr)


def test_a_server_out_of_reach_is_one_line_without_the_password(cli):
    r = cli("--db", f"postgresql+psycopg://bob:{SECRET}@127.0.0.1:1/team", "dm", "list")
    line = one_line(r.stderr)
    assert r.exit_code == 5 and "Can't connect to the database server" in line
    assert "bob:***@127.0.0.1:1/team" in line


@pytest.mark.no_store
def test_a_plain_postgresql_url_uses_psycopg_3():
    engine = db.make_engine("postgresql://bob@db.example/team")
    assert engine.dialect.driver == "psycopg"
    engine.dispose()


@pytest.mark.no_store
def test_without_the_driver_the_message_names_the_extra(monkeypatch):
    with monkeypatch.context() as m, pytest.raises(StoreError, match=r"callplan\[postgres\]"):
        m.setitem(sys.modules, "psycopg", None)  # as if not installed
        db.make_engine("postgresql+psycopg://bob@db.example/team")


def test_a_missing_database_and_a_refused_login_are_one_line(store, pg_server, cli):
    on_server(store)
    missing = pg_server.url.set(database="callplan_no_such_db", password=SECRET)
    r = cli("--db", missing.render_as_string(hide_password=False), "today")
    line = one_line(r.stderr)
    assert r.exit_code == 5 and "There is no database 'callplan_no_such_db'" in line
    stranger = pg_server.url.set(username="callplan_no_such_role", password=SECRET)
    r = cli("--db", stranger.render_as_string(hide_password=False), "today")
    line = one_line(r.stderr)
    assert r.exit_code == 5 and "refused user 'callplan_no_such_role'" in line


def test_backup_and_restore_point_to_the_servers_tools(store, ok, cli, tmp_path):
    on_server(store)
    ok("dm", "add", "Jane Smith")
    before = store.snapshot()
    r = cli("backup")
    assert r.exit_code == 5 and "pg_dump" in one_line(r.stderr)
    (tmp_path / "b.sqlite3").write_bytes(b"")
    r = cli("restore", str(tmp_path / "b.sqlite3"), "--yes")
    assert r.exit_code == 5 and "pg_restore" in one_line(r.stderr)
    assert store.snapshot() == before
    assert not list(tmp_path.glob("backups*"))


def test_db_status_counts_what_the_server_holds(store, ok):
    on_server(store)
    ok("dm", "add", "Jane Smith")
    ok("log", "jane", "-c", "callback", "-s", "Call back Friday", "--plans", "Hiring")
    data = ok("db", "status", "--json").json
    assert data["state"] == "up to date" and data["counts"] == {"DM": 1, "call": 1, "note": 1}
    assert data["size_bytes"] > 0 and data["store"] == store.url.replace(":***", "")


def test_the_first_commands_of_a_team_at_once_create_the_schema_once(blank_store, tmp_path):
    """Four callplans start at once on a new, empty database: one creates the tables, the
    others wait for it (the schema lock), and every one of them works."""
    on_server(blank_store)
    exe = Path(sys.executable).parent / "callplan"
    if not exe.exists():
        pytest.skip("the callplan console script is not installed beside this Python")
    env = {"CALLPLAN_DB": blank_store.db, "CALLPLAN_CONFIG": str(tmp_path / "c.toml")}
    procs = [
        subprocess.Popen(
            [str(exe), "dm", "add", f"Person {i}"],
            env={**os.environ, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(4)
    ]
    results = [p.communicate(timeout=60) for p in procs]
    for p, (_, err) in zip(procs, results, strict=True):
        assert p.returncode == 0, err
    assert blank_store.query("SELECT version_num FROM alembic_version") == [(db.HEAD,)]
    assert blank_store.query("SELECT count(*) FROM decision_maker") == [(4,)]
