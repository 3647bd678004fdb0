"""Copies of the store: backup, restore, and the checks that say a file is sound.

Backups use SQLite's online backup API, so they are consistent even while another
callplan writes. A backup is one self-contained file (no write-ahead log beside it),
readable by its owner only. Restoring checks the file first and keeps the store it
replaces, so nothing is ever lost by restoring the wrong file.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from glob import escape as glob_escape
from pathlib import Path

from callplan.core import files
from callplan.core.paths import private_folder
from callplan.core.wording import count
from callplan.errors import FileError, StoreError
from callplan.store.sqlite import connect_file, create_private

if sys.platform != "win32":
    import fcntl

BACKUP_FOLDER = files.BACKUP_FOLDER
COUNTS = {
    "DM": ("decision_maker", "SELECT count(*) FROM decision_maker"),
    "call": ("call", "SELECT count(*) FROM call"),
    "note": ("note", "SELECT count(*) FROM note"),
}


@dataclass(frozen=True)
class StoreFile:
    """What a SQLite file holds, as far as callplan is concerned."""

    path: Path
    revision: str | None
    counts: dict[str, int]
    size: int

    def describe(self) -> str:
        dms, calls = self.counts.get("DM", 0), self.counts.get("call", 0)
        return f"{count(dms, 'DM')}, {count(calls, 'call')}"


def stamp(now: datetime) -> str:
    return now.strftime("%Y-%m-%d-%H%M%S")


def backup_folder(store: Path) -> Path:
    return store.parent / BACKUP_FOLDER


# callplan's own temporary copies: '.callplan-....sqlite3.XXXXXXXX.tmp' (and, from older
# versions, '.callplan-....sqlite3.tmp'). A copy in progress holds a lock on its file.
TEMPORARY = ".callplan-*.tmp"
STALE_AFTER = 10 * 60  # seconds: older than any copy still being written without its lock


def reserve(folder: Path, label: str, now: datetime) -> Path:
    """A new file in ``folder`` (made, 0600, empty) named ``callplan-LABEL-STAMP.sqlite3``
    (``callplan-STAMP.sqlite3`` without a label), with ``-2``, ``-3``... when another
    callplan took that name the same second. Stale temporary files a killed callplan left
    in the folder are removed first."""
    private_folder(folder)
    clear_stale(folder)
    base = f"callplan-{label}-{stamp(now)}" if label else f"callplan-{stamp(now)}"
    for n in range(1, 1000):
        target = folder / (f"{base}.sqlite3" if n == 1 else f"{base}-{n}.sqlite3")
        try:
            fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            continue
        os.close(fd)
        return target
    raise FileExistsError(f"too many backups named {base} in {folder}")


def clear_stale(folder: Path) -> None:
    """Remove what a callplan killed while copying left in ``folder``: its temporary
    copies and the empty names it had reserved. Its own names only, nothing younger than
    STALE_AFTER, never a copy in progress (its temporary file is locked)."""
    for tmp in folder.glob(TEMPORARY):
        try:
            if time.time() - tmp.stat().st_mtime < STALE_AFTER:
                continue
            if sys.platform == "win32":
                tmp.unlink()  # refused while a callplan still has it open
                continue
            fd = os.open(tmp, os.O_RDONLY)
            try:
                if not _lock(fd, wait=False):
                    continue  # a copy in progress
                tmp.unlink()
            finally:
                os.close(fd)
        except OSError:
            continue
    for reserved in folder.glob("callplan-*.sqlite3"):
        try:
            if (
                reserved.stat().st_size == 0
                and time.time() - reserved.stat().st_mtime >= STALE_AFTER
                and not any(folder.glob(f".{glob_escape(reserved.name)}.*.tmp"))
            ):
                reserved.unlink()
        except OSError:
            continue


def _lock(fd: int, *, wait: bool) -> bool:
    """Lock a file for as long as it is open; False if another holds it. (On Windows a
    file can't be removed while it is open, which protects it as well.)"""
    if sys.platform != "win32":
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            return False
    return True


@contextmanager
def _reader(path: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection to a file that must already exist."""

    with closing(connect_file(path, read_only=True)) as conn:
        yield conn


def inspect(path: Path) -> StoreFile:
    """Read a file as a callplan store; FileError if it isn't one or is damaged."""
    try:
        if not path.is_file():
            raise FileError(f"{path} is not a file.")
    except (OSError, ValueError) as exc:
        raise FileError(f"Can't read {path}: {_reason(exc)}.") from None
    try:
        with _reader(path) as conn:
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            if "alembic_version" not in tables or "decision_maker" not in tables:
                raise FileError(f"{path} is not a callplan store.")
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            problems = [r[0] for r in conn.execute("PRAGMA quick_check")]
            if problems != ["ok"]:
                raise FileError(f"{path} is damaged: {problems[0]}.")
            counts = {
                label: conn.execute(query).fetchone()[0]
                for label, (table, query) in COUNTS.items()
                if table in tables
            }
    except sqlite3.DatabaseError as exc:
        raise FileError(f"{path} is not a callplan store or is damaged ({exc}).") from None
    return StoreFile(path, row[0] if row else None, counts, path.stat().st_size)


def _fill(source: Path, tmp: Path) -> None:
    """Copy a store with the online backup API into ``tmp`` (a new private file), as one
    self-contained file (no write-ahead log beside it)."""

    with (
        closing(connect_file(source)) as src,  # read-only if it can't be written
        closing(sqlite3.connect(tmp)) as dst,
    ):
        src.backup(dst)
        dst.execute("PRAGMA journal_mode = DELETE")


def copy(source: Path, target: Path) -> None:
    """Copy a store with the online backup API into ``target``, a file reserved for it
    (``reserve``): made under a temporary name of its own (locked while it is written, so
    clear_stale leaves it alone) and moved into place when complete; the temporary file
    is removed whatever happens, short of the process being killed.
    """
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    tmp = Path(name)
    try:
        _lock(fd, wait=True)
        _fill(source, tmp)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        os.close(fd)


def _reason(exc: OSError | ValueError) -> str:
    return (exc.strerror if isinstance(exc, OSError) else None) or str(exc)


def backup(store: Path, target: files.Target | None, now: datetime) -> StoreFile:
    """Copy the store to ``target`` (checked by callplan.core.files: a new file, a file to
    replace, a FIFO or stdout, or a folder to make a new one in); by default into the
    backups folder beside the store. Returns what the backup holds, at its path."""
    if not store.is_file():
        raise StoreError(f"There is no store at {store} to back up.")
    try:
        if target is None or target.path.is_dir():  # a name of its own, even in the same second
            made = reserve(backup_folder(store) if target is None else target.path, "", now)
            try:
                copy(store, made)
            except BaseException:
                made.unlink(missing_ok=True)
                raise
            return inspect(made)
        if target.is_stdout and sys.stdout.isatty():
            raise FileError("A backup is a binary file: redirect stdout to a file, or name one.")
        scratch = backup_folder(store)
        private_folder(scratch)
        with files.filled(target, scratch=scratch) as tmp:
            _fill(store, tmp)
            found = inspect(tmp)
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
        where = target.given if target is not None else backup_folder(store)
        raise FileError(f"Can't write the backup {where}: {_reason(exc)}.") from None
    except sqlite3.DatabaseError as exc:
        raise FileError(f"Can't back up {store}: {exc}.") from None
    return replace(found, path=Path(target.shown) if target.is_stdout else target.path)


def set_aside(store: Path, now: datetime) -> Path:
    """Keep the current store before it is replaced; a damaged one is moved, not copied."""
    target = reserve(backup_folder(store), "replaced", now)
    try:
        copy(store, target)
    except sqlite3.DatabaseError:
        # Too damaged to read: move its files aside as they are (the log with them).
        for suffix in ("", "-wal", "-shm"):
            part = Path(f"{store}{suffix}")
            if part.exists():
                os.replace(part, Path(f"{target}{suffix}"))
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return target


def restore(store: Path, source: Path, known: tuple[str, ...], now: datetime) -> Path | None:
    """Replace the store's contents with ``source``'s; returns where the old one was kept.

    The source must be a sound callplan store of a schema this version knows (an older
    one is upgraded by the next command, after its own backup).
    """
    found = inspect(source)
    if found.revision not in known:
        raise FileError(
            f"{source} was written by a newer callplan (schema {found.revision}); "
            "upgrade callplan to restore it."
        )
    if store.exists() and source.resolve() == store.resolve():
        raise FileError(f"{source} is the store itself.")
    kept = set_aside(store, now) if store.exists() and store.stat().st_size else None

    private_folder(store.parent)
    create_private(store)
    # Write into the live file with the backup API (it takes the write lock and replaces
    # every page), so a callplan open elsewhere sees the restored store, never a mix.
    with (
        closing(connect_file(source, read_only=True)) as src,
        closing(sqlite3.connect(store, timeout=15)) as dst,
    ):
        dst.execute("PRAGMA journal_mode = WAL")
        src.backup(dst)
    return kept
