"""callplan's one writer (callplan.core.files), tried through every command that writes a file
the user names: never the store, its log or its backups; an existing file only with
--force; a FIFO, a device or stdout written to, never replaced; a symlink followed; every
odd name taken as a name."""

from __future__ import annotations

import hashlib
import os
import stat
import sys
import threading
from pathlib import Path

import pytest

from tests.conftest import snapshot

pytestmark = [
    pytest.mark.sqlite_only(
        "the store's own files and its backups folder are SQLite files; the rules for other "
        "files are the same on either backend"
    ),
    pytest.mark.slow,  # every writer against every kind of target: 159 commands in all
]

# Each command that writes a file the user names: its arguments around the path, and
# the start of what it writes.
WRITERS = {
    "export csv": (["export", "-f", "csv", "--out"], b"id,name,"),
    "export json": (["export", "-f", "json", "--out"], b"{"),
    "dm export": (["dm", "export", "jane", "--out"], b"{"),
    "today --ics": (["today", "--ics"], b"BEGIN:VCALENDAR"),
    "sweep --ics": (["sweep", "--dry-run", "--ics"], b"BEGIN:VCALENDAR"),
    "stats --svg": (["stats", "--svg"], b"<svg"),
    "backup": (["backup"], b"SQLite format 3\x00"),
}
ALL = pytest.mark.parametrize("writer", list(WRITERS))


def run(cli, writer: str, path: Path | str, *more: str):
    args, _ = WRITERS[writer]
    return cli(*args, str(path), *more)


def wrote(writer: str, data: bytes) -> bool:
    return data.startswith(WRITERS[writer][1])


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_error(r) -> str:
    lines = r.stderr.strip().splitlines()
    assert r.exit_code == 7, (r.exit_code, r.stderr)
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "Traceback" not in r.stderr
    return lines[0]


def leftovers(folder: Path) -> list[str]:
    """Temporary files a writer would leave behind."""
    return sorted(p.name for p in folder.rglob("*.tmp"))


@pytest.fixture
def desk(ok, env):
    ok("dm", "add", "Jane Smith", "--company", "Acme", "--email", "jane@acme.example")
    ok("dm", "add", "Raj Patel", "--company", "Globex")
    ok("log", "raj", "--continuation", "callback", "-s", "Call back Friday")
    return env


# --- never the store -------------------------------------------------------------------


@ALL
@pytest.mark.parametrize("part", ["", "-wal", "-shm"])
@pytest.mark.parametrize("force", [False, True])
def test_the_store_and_its_log_are_never_written(desk, cli, writer, part, force):
    rows = snapshot(desk)
    r = run(cli, writer, f"{desk}{part}", *(["--force"] if force else []))
    assert "callplan's store" in one_error(r)
    assert snapshot(desk) == rows
    assert cli("db", "check").exit_code == 0
    assert leftovers(desk.parent) == []


@ALL
@pytest.mark.parametrize("link", ["symlink", "hard link"])
def test_a_link_to_the_store_is_the_store(desk, cli, writer, link, tmp_path):
    alias = tmp_path / "elsewhere" / "store-alias.sqlite3"
    alias.parent.mkdir()
    if link == "symlink":
        alias.symlink_to(desk)
    else:
        os.link(desk, alias)
    rows = snapshot(desk)
    r = run(cli, writer, alias, "--force")
    assert "callplan's store" in one_error(r)
    assert snapshot(desk) == rows and cli("db", "check").exit_code == 0
    assert alias.is_symlink() if link == "symlink" else alias.stat().st_nlink == 2


@ALL
def test_a_backup_is_never_written_over(desk, ok, cli, writer):
    ok("backup")
    (made,) = (desk.parent / "backups").iterdir()
    before = digest(made)
    r = run(cli, writer, made, "--force")
    assert "backups folder" in one_error(r)
    assert digest(made) == before
    assert leftovers(desk.parent) == []


# --- an existing file ------------------------------------------------------------------


@ALL
def test_an_existing_file_is_replaced_only_with_force(desk, cli, ok, writer, tmp_path):
    path = tmp_path / "out" / "taken.file"
    path.parent.mkdir()
    path.write_bytes(b"precious")
    line = one_error(run(cli, writer, path))
    assert "already exists" in line and "--force" in line
    assert path.read_bytes() == b"precious"
    run_ok = run(cli, writer, path, "--force")
    assert run_ok.exit_code == 0, run_ok.stderr
    assert wrote(writer, path.read_bytes())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # personal data: yours only
    assert sorted(p.name for p in path.parent.iterdir()) == ["taken.file"]


@ALL
def test_a_symlink_is_followed_and_its_target_treated_by_the_same_rules(
    desk, cli, writer, tmp_path
):
    real = tmp_path / "real" / "report.file"
    real.parent.mkdir()
    real.write_bytes(b"precious")
    link = tmp_path / "link.file"
    link.symlink_to(real)
    assert "--force" in one_error(run(cli, writer, link))
    assert real.read_bytes() == b"precious"
    r = run(cli, writer, link, "--force")
    assert r.exit_code == 0, r.stderr
    assert link.is_symlink() and link.resolve() == real  # the link kept, its target written
    assert wrote(writer, real.read_bytes())


@ALL
def test_a_dangling_symlink_creates_its_target(desk, cli, writer, tmp_path):
    real = tmp_path / "real.file"
    link = tmp_path / "link.file"
    link.symlink_to(real)
    r = run(cli, writer, link)
    assert r.exit_code == 0, r.stderr
    assert link.is_symlink() and wrote(writer, real.read_bytes())


# --- things that are not regular files -------------------------------------------------


@ALL
def test_a_fifo_is_written_to_not_replaced(desk, cli, writer, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo, 0o600)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    r = run(cli, writer, fifo)
    reader.join(timeout=30)
    assert r.exit_code == 0, r.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert got and wrote(writer, got[0])
    assert leftovers(tmp_path) == []


@ALL
@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="making a device node needs root"
)
def test_a_character_device_is_written_to_not_replaced(desk, cli, writer, tmp_path):
    # A node like /dev/null (major 1, minor 3), made in the test's folder, not the real /dev.
    null = tmp_path / "null"
    os.mknod(null, stat.S_IFCHR | 0o600, os.makedev(1, 3))
    r = run(cli, writer, null)
    assert r.exit_code == 0, r.stderr
    assert stat.S_ISCHR(null.lstat().st_mode)
    assert leftovers(tmp_path) == []


@ALL
def test_a_folder_is_refused_or_given_a_new_file(desk, cli, writer, tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    r = run(cli, writer, folder)
    if writer == "backup":  # backup FOLDER makes a new file in it
        assert r.exit_code == 0, r.stderr
        (made,) = folder.iterdir()
        assert wrote(writer, made.read_bytes())
    else:
        assert "it is a folder" in one_error(r)
        assert list(folder.iterdir()) == []


@ALL
def test_a_missing_folder_is_one_line(desk, cli, writer, tmp_path):
    line = one_error(run(cli, writer, tmp_path / "no" / "such" / "out.file"))
    assert "doesn't exist" in line
    assert not (tmp_path / "no").exists()


# --- names -----------------------------------------------------------------------------


@ALL
@pytest.mark.parametrize("name", ["mon?day.out", "a#b.out", "%41.out", "with space.out", "Zoë é"])
def test_every_name_is_a_name(desk, cli, writer, name, tmp_path):
    folder = tmp_path / "names"
    folder.mkdir()
    r = run(cli, writer, folder / name)
    assert r.exit_code == 0, r.stderr
    assert [p.name for p in folder.iterdir()] == [name]
    assert wrote(writer, (folder / name).read_bytes())


@pytest.mark.parametrize("writer", [w for w in WRITERS if w != "backup"])
def test_dash_is_stdout(desk, cli, writer, tmp_path):
    r = run(cli, writer, "-")
    assert r.exit_code == 0, r.stderr
    assert wrote(writer, r.stdout.lstrip().encode())
    assert "-" not in {p.name for p in tmp_path.iterdir()}


def test_backup_dash_in_process_writes_the_store_to_stdout(desk, cli, tmp_path):
    r = cli("backup", "-")  # stdout is not a terminal here
    assert r.exit_code == 0, r.stderr
    assert r.stdout_bytes.startswith(b"SQLite format 3\x00")
    assert "to stdout" in r.stderr


def test_backup_dash_writes_the_store_to_stdout(desk, tmp_path):
    import subprocess

    out = tmp_path / "piped.sqlite3"
    with open(out, "wb") as stream:
        done = subprocess.run(
            [sys.executable, "-m", "callplan", "backup", "-"],
            stdout=stream,
            stderr=subprocess.PIPE,
            env={**os.environ, "CALLPLAN_DB": str(desk)},
        )
    assert done.returncode == 0, done.stderr
    assert snapshot(out) == snapshot(desk)
    assert not (desk.parent / "-").exists()
    assert list((desk.parent / "backups").glob("*")) == []  # the scratch copy is gone


@pytest.mark.parametrize("redirect", ["pipe", "file"])
def test_dev_stdout_is_stdout_whatever_it_is(desk, redirect, tmp_path):
    import subprocess

    command = [sys.executable, "-m", "callplan", "export", "-f", "csv", "--out", "/dev/stdout"]
    environ = {**os.environ, "CALLPLAN_DB": str(desk)}
    if redirect == "pipe":
        done = subprocess.run(command, capture_output=True, env=environ)
        data = done.stdout
    else:  # a shell's `> file`: written into, never replaced by another file
        out = tmp_path / "redirected.csv"
        with open(out, "wb") as stream:
            done = subprocess.run(command, stdout=stream, stderr=subprocess.PIPE, env=environ)
        data = out.read_bytes()
    assert done.returncode == 0, done.stderr
    assert data.startswith(b"id,name,") and b"Jane Smith" in data


def test_a_refused_calendar_leaves_the_sweep_undone(desk, cli, tmp_path):
    rows = snapshot(desk)
    assert "callplan's store" in one_error(cli("sweep", "--ics", str(desk)))
    assert snapshot(desk) == rows


def test_the_config_file_is_written_through_its_symlink(cli, ok, tmp_path, monkeypatch):
    real = tmp_path / "dotfiles" / "callplan.toml"
    real.parent.mkdir()
    real.write_text('country = "GB-ENG"\n')
    link = tmp_path / "config-link.toml"
    link.symlink_to(real)
    monkeypatch.setenv("CALLPLAN_CONFIG", str(link))
    ok("config", "set", "cycle_days", "60")
    assert link.is_symlink()
    assert "cycle_days = 60" in real.read_text()


def test_a_backups_folder_that_cant_be_made_is_named(desk, cli):
    (desk.parent / "backups").write_text("not a folder")
    line = one_error(cli("backup"))
    assert f"Can't write the backup {desk.parent / 'backups'}" in line
