"""The store's lifecycle (issue 13): paths that are only paths, backups and upgrades that
run side by side, an upgrade killed half-way, a read-only store, a folder where the store
should be, private files whatever the umask, and temporary files cleaned up.

Concurrency and kills run real processes of the installed console script."""

from __future__ import annotations

import os
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
import time
from contextlib import closing
from pathlib import Path

import pytest

from tests.conftest import snapshot

SQLITE = pytest.mark.sqlite_only("the store's file, its folder and SQLite's own locks")

# Names that mean something in a URL or a URI: '?' starts options, '#' a fragment, '%41'
# is an escape for 'A'; and a space and letters outside ASCII.
AWKWARD = ["mon?day", "a#b", "x%41y", "sp ace é"]


def exe() -> str:
    beside = Path(sys.executable).parent / "callplan"
    if not beside.exists():
        pytest.skip("the callplan console script is not installed beside this Python")
    return str(beside)


def run(*args: str, env: dict[str, str] | None = None, **kw: object) -> subprocess.CompletedProcess:
    return subprocess.run(
        [exe(), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
        **kw,  # type: ignore[arg-type]
    )


def one_error_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), stderr
    return lines[0]


def old_store(path: Path, revision: str = "0001", *, people: int = 0) -> None:
    """A store at an older revision, holding ``people`` DMs."""
    from callplan.store.db import make_engine, upgrade

    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine, revision)
    engine.dispose()
    with closing(sqlite3.connect(path)) as conn, conn:
        for i in range(people):
            conn.execute(
                "INSERT INTO decision_maker (name, name_key, company, status, needs_number, "
                "created_at, conversation_count, attempts_in_row) "
                "VALUES (?, ?, 'Acme', 'active', 0, '2026-01-05 09:00:00', 0, 0)",
                (f"Person {i}", f"person {i}"),
            )


def schema_and_rows(path: Path) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    with closing(sqlite3.connect(path)) as conn:
        schema = conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
    return schema, snapshot(path)


def revision(path: Path) -> str:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]


# --- a path is a path --------------------------------------------------------------------


@pytest.mark.slow  # every awkward name, both ways in
@SQLITE
@pytest.mark.parametrize("name", AWKWARD)
@pytest.mark.parametrize("given", ["--db", "CALLPLAN_DB"])
def test_paths_with_url_characters_are_only_paths(tmp_path, ok, env, name, given):
    folder = tmp_path / name
    folder.mkdir()
    store = folder / f"{name}.sqlite3"
    how = (["--db", str(store)], None) if given == "--db" else ([], {"CALLPLAN_DB": str(store)})

    def cp(*args: str):
        return ok(*how[0], *args, env=how[1])

    cp("dm", "add", "Jane Smith")
    assert "Jane Smith" in cp("dm", "list").stdout
    assert store.is_file()
    assert "All checks passed" in cp("db", "check").stderr
    saved = folder / f"b-{name}.sqlite3"
    cp("backup", str(saved))
    cp("dm", "add", "Raj Patel")
    cp("restore", str(saved), "--yes")
    listed = cp("dm", "list").stdout
    assert "Jane Smith" in listed and "Raj Patel" not in listed
    assert "All checks passed" in cp("db", "check").stderr
    # Nothing made anywhere else: no file cut short at the '?' or '#', no unescaped '%41'.
    made = sorted(p.name for p in folder.iterdir() if not p.name.endswith(("-wal", "-shm")))
    assert made == sorted(["backups", saved.name, store.name])
    others = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(env.name))
    assert others == [name]


@SQLITE
@pytest.mark.parametrize("name", AWKWARD)
def test_db_check_of_an_awkward_path_makes_no_stray_file(tmp_path, ok, name):
    store = tmp_path / f"{name}.sqlite3"
    ok("--db", str(store), "dm", "add", "Jane Smith")
    ok("--db", str(store), "today")
    before = {p for p in tmp_path.iterdir() if not p.name.endswith(("-wal", "-shm"))}
    assert "All checks passed" in ok("--db", str(store), "db", "check").stderr
    assert {p for p in tmp_path.iterdir() if not p.name.endswith(("-wal", "-shm"))} == before


# --- backups side by side ----------------------------------------------------------------


@pytest.mark.slow
@SQLITE
def test_backups_started_together_each_get_their_own_file(env, ok):
    ok("dm", "add", "Jane Smith")
    runs = 5
    procs = [
        subprocess.Popen([exe(), "backup"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(runs)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * runs, outs
    folder = env.parent / "backups"
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == runs and all(n.endswith(".sqlite3") for n in names), names
    for name in names:
        with closing(sqlite3.connect(folder / name)) as conn:
            assert conn.execute("SELECT count(*) FROM decision_maker").fetchone() == (1,)


# --- upgrades --------------------------------------------------------------------------


@pytest.mark.slow
@SQLITE
def test_commands_started_together_on_an_older_store_all_run(tmp_path):
    """The first upgrades the store (after one backup); the others wait and then run."""
    path = tmp_path / "old.sqlite3"
    old_store(path, people=50)
    env = {**os.environ, "CALLPLAN_DB": str(path)}
    commands = [c for n in ("Kim", "Lee") for c in (["dm", "list"], ["today"], ["dm", "add", n])]
    commands += [["stats"], ["db", "upgrade"]]
    procs = [
        subprocess.Popen(
            [exe(), *c], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
        )
        for c in commands
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * len(procs), outs
    upgraded = [err for _, err in outs if "upgraded the store" in err]
    assert len(upgraded) == 1, outs
    assert revision(path) == __import__("callplan.store.schema").store.schema.HEAD
    assert len(list((tmp_path / "backups").iterdir())) == 1


KILLER = """
import os, signal, sys
import alembic.runtime.migration as migration

after = int(os.environ["KILL_AFTER_STEP"])
done = 0
update = migration.HeadMaintainer.update_to_step


def counted(self, step):
    global done
    update(self, step)
    done += 1
    if done == after:
        os.kill(os.getpid(), signal.SIGKILL)


migration.HeadMaintainer.update_to_step = counted
from callplan.cli import main

main()
"""


@pytest.mark.slow
@SQLITE
def test_an_upgrade_killed_at_any_step_leaves_the_store_as_it_was(tmp_path):
    from callplan.store.schema import HEAD, REVISIONS

    script = tmp_path / "killer.py"
    script.write_text(textwrap.dedent(KILLER))
    for step in range(1, len(REVISIONS)):  # after each of the 5 steps, the last one too
        path = tmp_path / f"old{step}.sqlite3"
        old_store(path, people=3)
        before = schema_and_rows(path)
        env = {**os.environ, "CALLPLAN_DB": str(path), "KILL_AFTER_STEP": str(step)}
        done = subprocess.run(
            [sys.executable, str(script), "dm", "list"], env=env, capture_output=True, timeout=120
        )
        assert done.returncode == -signal.SIGKILL, done.stderr
        assert revision(path) == "0001", f"killed after step {step}"
        assert schema_and_rows(path) == before
        # The next run backs up the store as it was, then upgrades it.
        again = run("dm", "list", env={"CALLPLAN_DB": str(path)})
        assert again.returncode == 0, again.stderr
        assert revision(path) == HEAD
        saved = [
            p for p in (tmp_path / "backups").glob(f"callplan-before-{HEAD}-*") if p.stat().st_mtime
        ]
        newest = max(saved, key=lambda p: p.stat().st_mtime_ns)
        assert schema_and_rows(newest) == before
        for p in list((tmp_path / "backups").iterdir()):
            p.unlink()


# --- a read-only store -------------------------------------------------------------------


def _read_only_view(folder: Path, view: Path) -> bool:
    """``view``: ``folder`` seen through a read-only bind mount (root), else ``folder``
    itself made unwritable (0500, its files 0400) for a user who isn't root."""
    if os.geteuid() != 0:
        for p in folder.iterdir():
            p.chmod(0o400)
        folder.chmod(0o500)
        view.symlink_to(folder)
        return True
    view.mkdir()
    done = subprocess.run(
        ["mount", "--bind", "-o", "ro", str(folder), str(view)], capture_output=True
    )
    if done.returncode != 0:
        view.rmdir()
        return False
    if os.access(view, os.W_OK):  # an old kernel that ignored 'ro' on a bind mount
        subprocess.run(["umount", str(view)], capture_output=True)
        return False
    return True


def _undo_view(folder: Path, view: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["umount", str(view)], capture_output=True)
    else:
        folder.chmod(0o700)
        for p in folder.iterdir():
            p.chmod(0o600)


@SQLITE
def test_a_store_on_a_read_only_filesystem_reads_and_refuses_writes(tmp_path, ok, cli):
    folder = tmp_path / "data"
    folder.mkdir()
    store = folder / "callplan.sqlite3"
    ok("--db", str(store), "dm", "add", "Jane Smith", "--company", "Acme")
    ok("--db", str(store), "log", "jane", "--continuation", "callback", "-s", "Call Friday")
    old_store(folder / "old.sqlite3", people=1)
    assert sorted(p.name for p in folder.iterdir()) == ["callplan.sqlite3", "old.sqlite3"]
    before, old_before = snapshot(store), snapshot(folder / "old.sqlite3")
    view = tmp_path / "view"
    if not _read_only_view(folder, view):
        pytest.skip("can't mount a folder read-only here (needs root and mount --bind)")
    try:
        seen = view / "callplan.sqlite3"
        assert "Jane Smith" in ok("--db", str(seen), "dm", "list").stdout
        ok("--db", str(seen), "today")
        ok("--db", str(seen), "brief", "jane")
        assert "up to date" in ok("--db", str(seen), "db", "status").stdout
        checked = cli("--db", str(seen), "db", "check")
        assert "integrity" in checked.stdout and "Traceback" not in checked.stderr
        r = cli("--db", str(seen), "dm", "add", "Nobody New")
        line = one_error_line(r.stderr)
        assert r.exit_code == 5 and "read-only" in line and "Nothing was written" in line
        r = cli("--db", str(view / "old.sqlite3"), "dm", "list")  # needs an upgrade
        line = one_error_line(r.stderr)
        assert r.exit_code == 5 and "needs an upgrade" in line and "read-only" in line
    finally:
        _undo_view(folder, view)
    assert snapshot(store) == before and snapshot(folder / "old.sqlite3") == old_before
    assert not (folder / "backups").exists()


# --- a folder where the store should be --------------------------------------------------


@SQLITE
@pytest.mark.parametrize("given", ["callplan.sqlite3", "work.sqlite3"])
def test_a_folder_named_as_the_store_is_refused(tmp_path, cli, given):
    folder = tmp_path / given
    folder.mkdir()
    r = cli("--db", str(folder), "dm", "add", "Jane Smith")
    line = one_error_line(r.stderr)
    assert r.exit_code == 5 and "folder" in line and str(folder) in line
    assert list(folder.iterdir()) == []


# --- private files whatever the umask ----------------------------------------------------


@SQLITE
@pytest.mark.slow
def test_every_file_callplan_makes_is_private_whatever_the_umask(tmp_path):
    home = tmp_path / "home"
    old = home / "old" / "data" / "old.sqlite3"
    old.parent.mkdir(parents=True)
    old_store(old, people=2)
    old.chmod(0o644)
    env = {
        "CALLPLAN_DB": str(home / "new" / "data" / "callplan.sqlite3"),
        "CALLPLAN_CONFIG": str(home / "conf" / "ig" / "config.toml"),
        "CALLPLAN_CACHE": str(home / "cache" / "d"),
    }

    def open_umask() -> None:
        os.umask(0)

    for args in (
        ["dm", "add", "Jane Smith"],
        ["config", "set", "new_per_day", "3"],
        ["today"],
        ["backup"],
        ["--db", str(old), "dm", "list"],
        ["--db", str(old), "backup"],
    ):
        done = run(*args, env=env, preexec_fn=open_umask)
        assert done.returncode == 0, (args, done.stderr)
    assert (home / "cache" / "d").is_dir()  # the holidays were cached
    made = [home / "old" / "data" / "backups", *home.rglob("*")]
    loose = []
    for p in made:
        if p in (home / "old", home / "old" / "data"):
            continue  # made by the test
        want = 0o700 if p.is_dir() else 0o600
        if stat.S_IMODE(p.stat().st_mode) != want:
            loose.append(f"{p.relative_to(home)} {stat.S_IMODE(p.stat().st_mode):o}")
    assert loose == []


@SQLITE
def test_an_upgrade_makes_an_old_store_private(tmp_path, ok):
    path = tmp_path / "old.sqlite3"
    old_store(path)
    path.chmod(0o644)
    ok("--db", str(path), "dm", "list")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "Only you can read the store" in ok("--db", str(path), "db", "check").stdout


# --- temporary files ---------------------------------------------------------------------


@SQLITE
@pytest.mark.parametrize("next_run", [["backup"], ["dm", "list"]])
def test_a_killed_restore_leaves_nothing_behind_after_the_next_run(
    filled_store, ok, tmp_path, next_run
):
    store = filled_store
    folder = store.parent / "backups"
    folder.mkdir(exist_ok=True)
    stale = folder / ".callplan-replaced-2026-11-23-081502.sqlite3.tmp"
    stale.write_bytes(b"half a copy")
    theirs = folder / ".notes.tmp"  # not callplan's: left alone
    theirs.write_bytes(b"someone else's")
    hour_ago = time.time() - 3600
    os.utime(stale, (hour_ago, hour_ago))
    os.utime(theirs, (hour_ago, hour_ago))
    ok(*next_run)  # any command: a plain look at the list too
    assert not stale.exists() and theirs.exists()


@pytest.fixture
def filled_store(ok, env):
    ok("dm", "add", "Jane Smith", "--company", "Acme")
    return env


@SQLITE
def test_stale_files_go_but_a_copy_in_progress_and_recent_files_stay(tmp_path):
    import fcntl
    from datetime import datetime

    from callplan.store import backup

    folder = tmp_path / "backups"
    folder.mkdir()
    old = time.time() - 3600

    def made(name: str, data: bytes = b"x", *, when: float = old) -> Path:
        p = folder / name
        p.write_bytes(data)
        os.utime(p, (when, when))
        return p

    stale = made(".callplan-2026-11-23-081502.sqlite3.ab12cd34.tmp")
    placeholder = made("callplan-2026-11-23-081502.sqlite3", b"")
    busy = made(".callplan-2026-11-23-091502.sqlite3.zz99yy88.tmp")
    busy_name = made("callplan-2026-11-23-091502.sqlite3", b"")  # its copy is in progress
    recent = made(".callplan-2026-11-23-101502.sqlite3.qq11ww22.tmp", when=time.time())
    kept = made("callplan-2026-11-23-111502.sqlite3", b"SQLite format 3\0")
    theirs = made(".mine.tmp")
    fd = os.open(busy, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        got = backup.reserve(folder, "", datetime(2026, 11, 23, 8, 15, 2))
    finally:
        os.close(fd)
    assert not stale.exists()
    assert all(p.exists() for p in (busy, busy_name, recent, kept, theirs))
    assert got == placeholder and got.stat().st_mtime > old  # the stale name was free again
    assert backup.reserve(folder, "", datetime(2026, 11, 23, 8, 15, 2)).name == (
        "callplan-2026-11-23-081502-2.sqlite3"
    )
