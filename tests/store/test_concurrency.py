"""Concurrent use and crashes (issue 5), with real processes.

Several processes log hundreds of calls into one store at once and every call is there;
a `callplan import` and a `callplan sweep` killed with SIGKILL in the middle of writing
leave the store exactly as it was, and intact. Each test is bounded in time.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from callplan.store import db, queries
from tests.conftest import TODAY, snapshot

WORKER = Path(__file__).with_name("_log_worker.py")
# A writer killed mid-write is timed by the SQLite write-ahead log it fills (LogWatch).
KILLED = pytest.mark.sqlite_only("the kill is timed by the growth of SQLite's -wal file")


def _exe() -> str:
    beside = Path(sys.executable).parent / "callplan"
    if not beside.exists():
        pytest.skip("the callplan console script is not installed beside this Python")
    return str(beside)


def check_intact(path: Path) -> None:
    """The store passes SQLite's own checks: integrity, and no dangling references."""
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()


# --- every connection's settings ---------------------------------------------------------


@pytest.mark.sqlite_only("the pragmas of every SQLite connection")
def test_every_connection_commands_and_migrations_use_has_the_settings(env, ok, tmp_path):
    """Foreign keys, WAL and a busy timeout on every connection callplan takes from its
    engines: the commands' own, and those of the migrations creating and upgrading a store
    (test_db checks a fresh engine's; this checks that nothing opens one another way)."""
    old = tmp_path / "old.sqlite3"
    engine = db.make_engine(f"sqlite:///{old}")
    db.upgrade(engine, db.REVISIONS[0])
    engine.dispose()
    seen: list[tuple[int, str, int]] = []

    def check(dbapi_connection: sqlite3.Connection, *_: object) -> None:
        cursor = dbapi_connection.cursor()
        try:
            fk, journal, timeout = (
                cursor.execute(f"PRAGMA {name}").fetchone()[0]
                for name in ("foreign_keys", "journal_mode", "busy_timeout")
            )
        finally:
            cursor.close()
        seen.append((fk, journal, timeout))

    sa.event.listen(sa.pool.Pool, "checkout", check)
    try:
        ok("--db", str(old), "dm", "list")  # upgrades it, migrations and all
        ok("--db", str(tmp_path / "new.sqlite3"), "dm", "add", "Jane Smith")  # creates it
        migrations = len(seen)
        ok("dm", "add", "Jane Smith", "--tag", "sql")
        ok("log", "jane", "-c", "callback", "--plans", "Hiring in Q1")
        ok("note", "jane", "Prefers email")
        ok("sweep")
        ok("today")
    finally:
        sa.event.remove(sa.pool.Pool, "checkout", check)
    assert migrations >= 4 and len(seen) > migrations
    # Migrations turn foreign keys off on their own connection once it is checked out
    # (db.migrating); every connection is handed out with all three settings.
    assert all(fk == 1 and journal == "wal" and timeout >= 5000 for fk, journal, timeout in seen)


@pytest.mark.sqlite_only(
    "completion opens a SQLite file with sqlite3 itself (its PostgreSQL path: test_completion.py)"
)
def test_completion_reads_read_only_with_a_busy_timeout(env, ok, monkeypatch):
    """Shell completion opens the store with sqlite3 itself: read-only, with a busy timeout,
    and it still completes while another terminal is in the middle of a write."""
    import typer

    from callplan.cli import app
    from callplan.cli.complete import dm_names

    ok("dm", "add", "Jane Smith")
    connect = sqlite3.connect
    opened: list[tuple[int, str]] = []

    def spy(*args: object, **kwargs: object) -> sqlite3.Connection:
        conn = connect(*args, **kwargs)  # type: ignore[arg-type]
        try:
            conn.execute("CREATE TABLE completion_probe (x)")
            refused = "it wrote"
        except sqlite3.OperationalError as exc:
            refused = str(exc)
        opened.append((conn.execute("PRAGMA busy_timeout").fetchone()[0], refused))
        return conn

    writer = connect(env, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE decision_maker SET name = 'Janet Smith'")
        monkeypatch.setattr(sqlite3, "connect", spy)
        with typer.main.get_command(app).make_context("callplan", ["log"]) as ctx:
            assert dm_names(ctx, "ja") == ["Jane Smith"]
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert len(opened) == 1
    timeout, refused = opened[0]
    assert timeout > 0 and "readonly" in refused


def test_completion_reads_a_store_whose_path_has_uri_characters(tmp_path, ok, monkeypatch):
    store = tmp_path / "clients #1, 50% off" / "store.sqlite3"
    monkeypatch.setenv("CALLPLAN_DB", str(store))
    ok("dm", "add", "Jane Smith")
    import typer

    from callplan.cli import app
    from callplan.cli.complete import dm_names

    with typer.main.get_command(app).make_context("callplan", ["log"]) as ctx:
        assert dm_names(ctx, "Ja") == ["Jane Smith"]


# --- several terminals logging at once -------------------------------------------------


def _wait_for(what: Callable[[], bool], timeout: float, failure: Callable[[], str]) -> None:
    deadline = time.monotonic() + timeout
    while not what():
        if time.monotonic() > deadline:
            pytest.fail(failure())
        time.sleep(0.01)


@pytest.mark.slow
def test_processes_logging_at_once_all_succeed(store, tmp_path):
    """Processes log at once through three entry points: the log command's code path on one
    engine per process (two processes, flat out), callplan.cli.main in a loop, and the
    installed `callplan log` command (three at a time). No call is lost, none fails with
    'database is locked', and every DM's scheduling state agrees with its calls."""
    _exe()
    dms = 40
    engine = store.engine()
    with db.session(engine, write=True) as s:
        for i in range(dms):
            queries.dms.add_dm(s, name=f"Contact {i:02d}", company=f"Firm {i:02d}")
    engine.dispose()

    run = tmp_path / "run"
    run.mkdir()
    workers = {"core-1": ("core", 200), "core-2": ("core", 200), "cli": ("cli", 30)}
    workers["exe"] = ("exe", 6)  # two rounds of three `callplan log` processes at once
    procs = {}
    for name, (mode, count) in workers.items():
        args = [sys.executable, str(WORKER), mode, name, str(dms), str(count), str(run)]
        with (run / f"{name}.out").open("w") as out, (run / f"{name}.err").open("w") as err:
            procs[name] = subprocess.Popen(args, stdout=out, stderr=err)

    def output(name: str) -> str:
        return (run / f"{name}.out").read_text() + (run / f"{name}.err").read_text()

    def report() -> str:
        return "\n".join(f"{n} ({p.poll()}): {output(n)[-2000:]}" for n, p in procs.items())

    try:
        # The barrier: every worker is set up before any of them writes.
        _wait_for(
            lambda: (
                all((run / f"{n}.ready").exists() for n in workers)
                or any(p.poll() is not None for p in procs.values())
            ),
            20,
            report,
        )
        (run / "go").touch()
        procs["exe"].wait(timeout=30)
        (run / "stop").touch()  # the cli worker logs until the exe worker is done
        for p in procs.values():
            p.wait(timeout=30)
    finally:
        for p in procs.values():
            if p.poll() is None:
                p.kill()
                p.wait()

    for name, p in procs.items():
        assert p.returncode == 0, report()
        assert "locked" not in output(name).lower(), report()
        assert "Error" not in output(name), report()
    logged = {name: json.loads((run / f"{name}.json").read_text()) for name in workers}
    for name, (_, count) in workers.items():
        assert len(logged[name]) >= count, name

    calls = store.query(
        "SELECT id, dm_id, called_on, kind, outcome, next_call_on, conversation_number, "
        "summary FROM call ORDER BY id"
    )
    dm_rows = store.query(
        "SELECT id, conversation_count, last_conversation_on, last_outcome, "
        "attempts_in_row, next_call_on, due_reason FROM decision_maker"
    )

    # Every call each worker logged is in the store, once; nothing else is.
    everything = [summary for summaries in logged.values() for summary in summaries]
    assert sorted(c[7] for c in calls) == sorted(everything)
    assert len(set(everything)) == len(everything)

    # The workers really ran at the same time: another worker's calls went in between the
    # first and the last call of some worker. (Not of each: on a loaded machine one worker
    # can start late and run alone; the test proves something as long as two overlapped.)
    writer = [c[7].rsplit("-", 1)[0] for c in calls]
    overlapped = []
    for name in workers:
        mine = [i for i, w in enumerate(writer) if w == name]
        if set(writer[mine[0] : mine[-1]]) - {name}:
            overlapped.append(name)
    assert overlapped, "no two workers ever wrote at the same time"

    # Each DM's scheduling state is what its calls say, in the order they were made.
    by_dm: dict[int, list[tuple]] = defaultdict(list)
    for c in sorted(calls, key=lambda c: (c[2], c[0])):
        by_dm[c[1]].append(c)
    assert len(dm_rows) == dms
    for dm_id, count, last_on, last_outcome, attempts, next_on, reason in dm_rows:
        history = by_dm[dm_id]
        conversations = [c for c in history if c[3] != "no-connect"]
        assert [c[6] for c in conversations] == list(range(1, len(conversations) + 1))
        assert all(c[6] is None for c in history if c[3] == "no-connect")
        latest = history[-1]
        assert (count, last_on, last_outcome) == (
            len(conversations),
            conversations[-1][2] if conversations else None,
            conversations[-1][4] if conversations else None,
        ), dm_id
        assert attempts == len(history) - 1 - max(
            (i for i, c in enumerate(history) if c[3] != "no-connect"), default=-1
        ), dm_id
        assert (next_on, reason) == (latest[5], latest[4] if latest[5] else None), dm_id
    store.check_sound()


# --- a crash in the middle of a write ---------------------------------------------------


class LogWatch:
    """The store's write-ahead log, read from outside as it grows: its size, and whether
    a transaction has committed into it (a frame whose 'database size after commit' field
    is set; see https://sqlite.org/fileformat.html#the_write_ahead_log)."""

    def __init__(self, store: Path) -> None:
        self.path = Path(f"{store}-wal")
        self.frame_size = 0
        self.read_to = 32  # the frames start after the log's 32-byte header
        self.size = 0
        self.committed = False

    def poll(self) -> None:
        self.size = self.path.stat().st_size if self.path.exists() else 0
        if self.size < 32:
            return
        with self.path.open("rb") as f:
            if not self.frame_size:
                self.frame_size = 24 + int.from_bytes(f.read(32)[8:12], "big")
            while self.read_to + 24 <= self.size:
                f.seek(self.read_to)
                if int.from_bytes(f.read(8)[4:8], "big"):
                    self.committed = True
                self.read_to += self.frame_size


def kill_mid_write(args: list[str], store: Path, *, wal_bytes: int | None) -> LogWatch:
    """Run the installed `callplan ARGS` and SIGKILL it: once its open transaction has put
    ``wal_bytes`` into the write-ahead log (SQLite spills a transaction there once it
    outgrows the page cache), or with ``wal_bytes=None`` just after something commits
    (0.2 s after the log's first commit frame appears: time to finish that commit, and
    not to write much more)."""
    conn = sqlite3.connect(store)
    try:  # everything so far into the store itself, and the log emptied
        assert conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0
    finally:
        conn.close()
    watch = LogWatch(store)
    watch.poll()
    assert watch.size == 0
    proc = subprocess.Popen([_exe(), *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 25
    try:
        while not (watch.committed if wal_bytes is None else watch.size >= wal_bytes):
            if proc.poll() is not None:
                pytest.fail(f"{args} ended ({proc.returncode}) before the kill")
            if time.monotonic() > deadline:
                pytest.fail(f"{args}: {watch.size} bytes in the log after 25 s")
            time.sleep(0.002)
            watch.poll()
        if wal_bytes is None:
            time.sleep(0.2)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()
    if wal_bytes is None:  # it may have finished in those 0.2 s: all the same here
        assert proc.returncode in (0, -signal.SIGKILL)
    else:
        assert proc.returncode == -signal.SIGKILL, "the command ended before it was killed"
        assert not watch.committed, f"{args} committed before {wal_bytes} bytes were logged"
    return watch


@pytest.mark.slow
@KILLED
def test_an_import_killed_mid_write_leaves_the_store_as_it_was(env, ok, tmp_path):
    ok("dm", "add", "Jane Smith", "--company", "Acme", "--tag", "sql")
    ok("dm", "add", "Raj Patel", "--company", "Initech")
    ok("log", "jane", "-c", "callback", "-s", "Call back Friday", "--plans", "Hiring in Q1")
    ok("log", "raj", "-n", "no-answer")
    rows = 8_000
    big = tmp_path / "big.csv"
    with big.open("w", newline="") as f:
        f.write("Name,Company,Title,Email,Tags,Note\n")
        for i in range(rows):
            f.write(
                f"Imported Person {i:06d},Company {i:06d},Head of Engineering,"
                f"p{i}@example{i}.com,fintech;sql,Met at meetup {i}; hiring contractors\n"
            )
    before = snapshot(env)
    for wal_bytes in (128 * 1024, 1024 * 1024):  # early in the DMs, and later on
        kill_mid_write(["import", str(big)], env, wal_bytes=wal_bytes)
        check_intact(env)
        assert snapshot(env) == before
    assert ok("dm", "list", "--json").json["count"] == 2  # callplan opens it and reads it

    # Killed just after anything commits, the import is all there: it is one transaction.
    kill_mid_write(["import", str(big)], env, wal_bytes=None)
    check_intact(env)
    after = snapshot(env)
    assert set(before) <= set(after)
    added = Counter(row[0] for row in set(after) - set(before))
    assert added == {"decision_maker": rows, "dm_tag": 2 * rows, "note": rows}


@pytest.mark.slow
@KILLED
def test_a_sweep_killed_mid_write_leaves_the_store_as_it_was(env, ok):
    """Thousands of contacts out of cycle (spoken to over 90 days ago, nothing diarised):
    the sweep diarises them all in one transaction, or none of them."""
    from callplan.core.names import name_key

    dms = 30_000
    today = date.fromisoformat(TODAY)
    conn = sqlite3.connect(env)
    with conn:
        conn.executemany(
            "INSERT INTO decision_maker (id, name, name_key, company, status, needs_number, "
            "created_at, last_conversation_on, conversation_count, attempts_in_row, "
            "last_outcome, owner) VALUES (?, ?, ?, ?, 'active', 0, "
            "'2025-01-01 09:00:00.000000', ?, 1, 0, 'rejection', 'Sam')",
            (
                (
                    i,
                    f"Old Contact {i:06d}",
                    name_key(f"Old Contact {i:06d}"),
                    f"Firm {i % 997}",
                    (today - timedelta(days=120 + i % 300)).isoformat(),
                )
                for i in range(1, dms + 1)
            ),
        )
        conn.execute(
            "INSERT INTO call (dm_id, called_on, logged_at, kind, outcome, summary, "
            "conversation_number) SELECT id, last_conversation_on, created_at, "
            "'continuation', 'rejection', 'Not now', 1 FROM decision_maker"
        )
    conn.close()
    before = snapshot(env)
    for wal_bytes in (128 * 1024, 2 * 1024 * 1024):
        kill_mid_write(["sweep"], env, wal_bytes=wal_bytes)
        check_intact(env)
        assert snapshot(env) == before
    assert ok("dm", "show", "1", "--json").json["dm"]["due_on"] is None  # still to sweep

    # Killed just after anything commits, every one of them is diarised.
    kill_mid_write(["sweep"], env, wal_bytes=None)
    check_intact(env)
    conn = sqlite3.connect(env)
    try:
        placed = conn.execute(
            "SELECT count(*) FROM decision_maker WHERE next_call_on IS NOT NULL "
            "AND due_reason = 'sweep'"
        ).fetchone()[0]
    finally:
        conn.close()
    assert placed == dms
