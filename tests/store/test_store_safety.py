"""Keeping the store safe: backup, restore, db status/upgrade/check, file permissions,
and clear refusals when the file or the disk can't be used."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from tests.conftest import snapshot

# What only a SQLite store has: on PostgreSQL these tests are skipped, saying why.
FILE_COPIES = pytest.mark.sqlite_only(
    "backup and restore copy SQLite files; a server database is backed up with pg_dump"
)
FILE_MODES = pytest.mark.sqlite_only(
    "the modes of the store's files and folder (a server keeps its own files)"
)
FILE_FAULTS = pytest.mark.sqlite_only(
    "a damaged or read-only file, or a file size limit (a server reports its own faults)"
)
UNLINKED = pytest.mark.sqlite_only(
    "a call whose DM is gone can only be made with SQLite's foreign keys off; "
    "PostgreSQL refuses to store it"
)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def one_error_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), stderr
    assert "Traceback" not in stderr
    return lines[0]


@pytest.fixture
def filled(ok, env):
    ok("dm", "add", "Jane Smith", "--company", "Acme", "--email", "jane@acme.example")
    ok("dm", "add", "Raj Patel", "--company", "Globex")
    ok("log", "jane", "--advance", "meeting", "-s", "Booked a meeting", "--competitor", "Hays")
    ok("log", "raj", "--continuation", "callback", "-s", "Call back Friday")
    return env


def old_store(path: Path | str, revision: str = "0001") -> None:
    """A store at an older revision: a SQLite file, or a database's URL."""
    from callplan.store.db import make_engine, upgrade

    engine = make_engine(path if isinstance(path, str) else f"sqlite:///{path}")
    upgrade(engine, revision)
    engine.dispose()


# --- permissions -------------------------------------------------------------------------


@FILE_MODES
def test_a_new_store_its_log_and_its_folder_are_private(tmp_path, ok):
    store = tmp_path / "fresh" / "callplan.sqlite3"
    ok("--db", str(store), "dm", "add", "Jane Smith")
    assert mode(store) == 0o600
    assert mode(store.parent) == 0o700
    wal = Path(f"{store}-wal")
    if wal.exists():
        assert mode(wal) & 0o077 == 0


@FILE_MODES
def test_an_existing_folder_keeps_its_permissions(tmp_path, ok):
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    ok("--db", str(folder / "s.sqlite3"), "dm", "add", "Jane Smith")
    assert mode(folder) == 0o755
    assert mode(folder / "s.sqlite3") == 0o600


@FILE_COPIES
def test_backups_and_their_folder_are_private(filled, ok):
    ok("backup")
    folder = filled.parent / "backups"
    (made,) = folder.iterdir()
    assert mode(folder) == 0o700 and mode(made) == 0o600


@FILE_MODES
def test_db_check_reports_a_store_others_can_read(filled, cli):
    filled.chmod(0o644)
    r = cli("db", "check")
    assert r.exit_code == 5
    assert "FAIL  privacy" in r.stdout and "chmod 600" in r.stdout and str(filled) in r.stdout


# --- backup ------------------------------------------------------------------------------


@FILE_COPIES
def test_backup_is_a_complete_self_contained_copy(filled, ok, tmp_path):
    r = ok("backup", str(tmp_path / "copy.sqlite3"))
    assert "Backed up 2 DMs, 2 calls to" in r.stderr
    copy = tmp_path / "copy.sqlite3"
    assert snapshot(copy) == snapshot(filled)
    assert not Path(f"{copy}-wal").exists()
    with closing(sqlite3.connect(copy)) as conn, conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


@FILE_COPIES
def test_backup_into_a_folder_names_the_file_by_time(filled, ok, tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    ok("backup", str(folder))
    (made,) = folder.iterdir()
    assert made.name.startswith("callplan-") and made.suffix == ".sqlite3"


@FILE_COPIES
def test_backup_never_overwrites_a_file(filled, cli, tmp_path):
    target = tmp_path / "taken.sqlite3"
    target.write_text("precious")
    r = cli("backup", str(target))
    assert r.exit_code == 7 and "already exists" in one_error_line(r.stderr)
    assert target.read_text() == "precious"


@FILE_COPIES
def test_backup_to_a_missing_folder_is_one_line(filled, cli, tmp_path):
    r = cli("backup", str(tmp_path / "no" / "such" / "b.sqlite3"))
    assert r.exit_code == 7 and "Can't write the backup" in one_error_line(r.stderr)
    assert not list(tmp_path.glob("no"))


WRITER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], timeout=30, isolation_level=None)
conn.execute("PRAGMA busy_timeout = 30000")
open(sys.argv[2], "w").close()
for i in range(100000):
    conn.execute("BEGIN IMMEDIATE")
    conn.execute(
        "INSERT INTO decision_maker (name, name_key, status, needs_number, created_at,"
        " conversation_count, attempts_in_row) VALUES"
        " (?, ?, 'active', 0, '2026-11-23 09:00:00', 0, 0)",
        (f"Person {i}", f"person {i}"),
    )
    conn.execute("COMMIT")
"""


@FILE_COPIES
def test_backup_is_consistent_while_another_process_writes(filled, ok, tmp_path):
    started = tmp_path / "started"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(filled), str(started)])
    try:
        deadline = time.monotonic() + 20
        while not started.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        seen = []
        for i in range(4):
            target = tmp_path / f"b{i}.sqlite3"
            ok("backup", str(target))
            with closing(sqlite3.connect(target)) as conn, conn:
                assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
                seen.append(conn.execute("SELECT count(*) FROM decision_maker").fetchone()[0])
        assert writer.poll() is None, "the writer must still be running to prove anything"
    finally:
        writer.kill()
        writer.wait()
    assert seen == sorted(seen) and seen[-1] > 2  # each a later moment, all of it
    with closing(sqlite3.connect(filled)) as conn, conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


# --- restore -----------------------------------------------------------------------------


@FILE_COPIES
def test_restore_brings_back_the_backup_and_keeps_the_replaced_store(filled, ok, tmp_path):
    backup = tmp_path / "b.sqlite3"
    ok("backup", str(backup))
    ok("dm", "add", "Added After")
    before_restore = snapshot(filled)
    r = ok("restore", str(backup), "--yes")
    assert "Restored 2 DMs, 2 calls" in r.stderr and "kept as" in r.stderr
    assert snapshot(filled) == snapshot(backup)
    (kept,) = (filled.parent / "backups").glob("callplan-replaced-*.sqlite3")
    assert snapshot(kept) == before_restore
    assert [d["name"] for d in ok("dm", "list", "--json").json["dms"]] == [
        "Jane Smith",
        "Raj Patel",
    ]


@FILE_COPIES
def test_restore_asks_first_and_refuses_without_a_terminal(filled, ok, cli, tmp_path):
    backup = tmp_path / "b.sqlite3"
    ok("backup", str(backup))
    ok("dm", "add", "Added After")
    before = snapshot(filled)
    r = cli("restore", str(backup))
    assert r.exit_code == 2 and "--yes" in one_error_line(r.stderr)
    assert snapshot(filled) == before


def _other_database(path: Path) -> None:
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE invoices (id)")


@pytest.mark.parametrize(
    "make, words",
    [
        (lambda p: p.write_text("not a database at all " * 200), "not a callplan store"),
        (_other_database, "not a callplan store"),
        (lambda p: None, "is not a file"),
    ],
    ids=["junk", "other-database", "missing"],
)
@FILE_COPIES
def test_restore_refuses_what_is_not_a_callplan_store(filled, cli, tmp_path, make, words):
    source = tmp_path / "source.sqlite3"
    make(source)
    before = snapshot(filled)
    r = cli("restore", str(source), "--yes")
    assert r.exit_code == 7 and words in one_error_line(r.stderr)
    assert snapshot(filled) == before
    assert not (filled.parent / "backups").exists()


@FILE_COPIES
def test_restore_refuses_a_backup_from_a_newer_callplan(filled, ok, cli, tmp_path):
    backup = tmp_path / "b.sqlite3"
    ok("backup", str(backup))
    with closing(sqlite3.connect(backup)) as conn, conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    before = snapshot(filled)
    r = cli("restore", str(backup), "--yes")
    assert r.exit_code == 7 and "newer callplan" in one_error_line(r.stderr)
    assert snapshot(filled) == before


@FILE_COPIES
def test_restore_an_older_backup_is_upgraded_by_the_next_command(env, ok, tmp_path):
    backup = tmp_path / "old.sqlite3"
    old_store(backup)
    r = ok("restore", str(backup), "--yes")
    assert "the next command upgrades it" in r.stderr
    r = ok("dm", "list")
    assert "upgraded the store from schema 0001" in r.stderr


@FILE_COPIES
def test_restore_replaces_a_damaged_store(filled, ok, tmp_path):
    backup = tmp_path / "b.sqlite3"
    ok("backup", str(backup))
    damaged = filled.read_bytes()
    filled.write_bytes(damaged[:4096] + b"\x00garbage" * 2000)
    Path(f"{filled}-wal").unlink(missing_ok=True)
    Path(f"{filled}-shm").unlink(missing_ok=True)
    ok("restore", str(backup), "--yes")
    assert snapshot(filled) == snapshot(backup)
    (kept,) = (filled.parent / "backups").glob("callplan-replaced-*")
    assert kept.read_bytes().startswith(damaged[:4096])  # moved aside as it was


# --- db status / upgrade / check ---------------------------------------------------------


def test_db_status_of_a_store_not_made_yet_creates_nothing(blank_store, ok):
    r = ok("--db", blank_store.db, "db", "status", "--json")
    assert r.json["state"] == "new" and r.json["schema"] is None
    if blank_store.backend == "sqlite":
        assert not blank_store.path.exists()
    else:
        assert blank_store.query("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == [
            (0,)
        ]


def test_db_status_says_up_to_date_with_counts(filled, ok, store):
    from callplan.store.schema import HEAD

    data = ok("db", "status", "--json").json
    assert data["state"] == "up to date" and data["schema"] == HEAD == data["schema_needed"]
    assert data["counts"] == {"DM": 2, "call": 2, "note": 1}
    assert "Holds   2 DMs, 2 calls, 1 note" in ok("db", "status").stdout


def test_db_status_of_an_older_store_changes_nothing(tmp_path, ok, blank_store):
    old_store(blank_store.url)
    before = blank_store.state()
    data = ok("--db", blank_store.db, "db", "status", "--json").json
    assert data["state"] == "older" and data["schema"] == "0001"
    assert blank_store.state() == before
    assert not (tmp_path / "backups").exists()


def test_db_status_of_a_newer_store(filled, ok, db):
    db("UPDATE alembic_version SET version_num = '9999'")
    assert ok("db", "status", "--json").json["state"] == "newer"


@FILE_COPIES
def test_db_upgrade_backs_up_then_upgrades(tmp_path, ok):
    from callplan.store.schema import HEAD

    path = tmp_path / "old.sqlite3"
    old_store(path)
    r = ok("--db", str(path), "db", "upgrade")
    assert f"upgraded the store from schema 0001 to {HEAD}" in r.stderr
    (saved,) = (tmp_path / "backups").glob("callplan-before-*.sqlite3")
    with closing(sqlite3.connect(saved)) as conn, conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
    assert ok("--db", str(path), "db", "status", "--json").json["state"] == "up to date"
    assert "up to date" in ok("--db", str(path), "db", "upgrade").stderr


def test_db_check_passes_a_sound_store(filled, ok, store):
    r = ok("db", "check")
    assert "All checks passed." in r.stderr
    data = ok("db", "check", "--json").json
    assert data["ok"] is True
    # A server looks after its own files: no integrity or file-mode check there.
    checks = {"integrity", "privacy"} if store.backend == "sqlite" else {"server"}
    assert {c["check"] for c in data["checks"]} == {"links", "schema", "diary"} | checks


@UNLINKED
def test_db_check_finds_a_call_whose_dm_is_gone(filled, cli):
    with (
        closing(sqlite3.connect(filled)) as conn,
        conn,
    ):  # foreign keys are off in a plain connection
        conn.execute("DELETE FROM decision_maker WHERE name = 'Raj Patel'")
    r = cli("db", "check", "--json")
    assert r.exit_code == 5
    links = next(c for c in r.json["checks"] if c["check"] == "links")
    assert links["ok"] is False and links["rows"] and links["rows"][0].startswith("call row")


def test_db_check_finds_a_diary_out_of_step_with_the_calls(filled, cli, db):
    db("UPDATE decision_maker SET conversation_count = 7 WHERE name = 'Jane Smith'")
    r = cli("db", "check")
    assert r.exit_code == 5
    assert "FAIL  diary" in r.stdout and "Jane Smith: 7 recorded, 1 in the calls" in r.stdout


@FILE_FAULTS
def test_db_check_of_a_damaged_file_says_so_in_one_line(filled, cli):
    filled.write_bytes(b"SQLite format 3\x00" + b"\xff" * 8000)
    Path(f"{filled}-wal").unlink(missing_ok=True)
    Path(f"{filled}-shm").unlink(missing_ok=True)
    r = cli("db", "check")
    assert r.exit_code == 5 and "callplan restore" in one_error_line(r.stderr)


# --- a file or a disk that can't be used -------------------------------------------------


def make_read_only(path: Path) -> bool:
    """Make a file unwritable even for root (chattr +i) where possible."""
    path.chmod(0o444)
    if os.access(path, os.W_OK):  # root ignores modes: try the immutable flag
        if not shutil.which("chattr"):
            return False
        done = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
        if done.returncode != 0:
            return False
    return True


def undo_read_only(path: Path) -> None:
    if shutil.which("chattr"):
        subprocess.run(["chattr", "-i", str(path)], capture_output=True)
    path.chmod(0o600)


@FILE_FAULTS
def test_a_read_only_store_reads_but_refuses_writes_in_one_line(filled, ok, cli):
    ok("today")  # leaves the log checkpointed and closed
    before = snapshot(filled)
    if not make_read_only(filled):
        pytest.skip("can't make a file read-only here")
    try:
        assert "Jane Smith" in ok("dm", "list").stdout
        r = cli("dm", "add", "Nobody New", "--email", "secret@example.com")
        line = one_error_line(r.stderr)
        assert r.exit_code == 5 and "read-only" in line and "Nothing was written" in line
        assert "secret@example.com" not in r.stderr  # no SQL values (personal data) echoed
    finally:
        undo_read_only(filled)
    assert snapshot(filled) == before


@pytest.mark.slow
@FILE_FAULTS
def test_a_full_disk_stops_an_import_with_nothing_written(filled, tmp_path):
    """A file-size limit stands in for a full disk: the write fails part way through."""
    import resource

    big = tmp_path / "big.csv"
    rows = [f"Person{i},Number{i},Company{i % 300},p{i}@example.com" for i in range(8000)]
    big.write_text("First Name,Last Name,Company,Email\n" + "\n".join(rows) + "\n")
    before = snapshot(filled)
    limit = filled.stat().st_size + 200_000

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    exe = Path(sys.executable).parent / "callplan"
    r = subprocess.run(
        [str(exe), "import", str(big)],
        capture_output=True,
        text=True,
        preexec_fn=cap,
        env={**os.environ, "CALLPLAN_DB": str(filled)},
        timeout=120,
    )
    line = one_error_line(r.stderr)
    assert r.returncode == 5 and "Nothing was written" in line
    assert "disk" in line
    assert snapshot(filled) == before
    with closing(sqlite3.connect(filled)) as conn, conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@FILE_MODES
def test_a_store_in_a_folder_that_cannot_be_made_is_one_line(tmp_path, cli):
    blocker = tmp_path / "file"
    blocker.write_text("a file where a folder should be")
    r = cli("--db", str(blocker / "sub" / "s.sqlite3"), "dm", "add", "Jane")
    assert r.exit_code == 5 and "Can't create the store" in one_error_line(r.stderr)


@FILE_FAULTS
def test_a_damaged_store_is_refused_in_one_line_naming_the_way_back(filled, cli):
    data = bytearray(filled.read_bytes())
    filled.write_bytes(bytes(data[:100]) + b"\xee" * (len(data) - 100))
    Path(f"{filled}-wal").unlink(missing_ok=True)
    Path(f"{filled}-shm").unlink(missing_ok=True)
    r = cli("dm", "add", "Jane")
    line = one_error_line(r.stderr)
    assert r.exit_code == 5 and "damaged" in line and "callplan restore" in line


@FILE_COPIES
def test_an_upgrade_whose_backup_fails_changes_nothing(tmp_path, cli):
    path = tmp_path / "old.sqlite3"
    old_store(path)
    (tmp_path / "backups").write_text("a file where the backups folder should be")
    before = snapshot(path)
    r = cli("--db", str(path), "dm", "list")
    line = one_error_line(r.stderr)
    assert r.exit_code == 5 and "Can't back up the store before upgrading it" in line
    assert snapshot(path) == before  # still schema 0001, every row as it was
