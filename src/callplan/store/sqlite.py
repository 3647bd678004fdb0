"""A SQLite store's file: opened by its path (never as a URL), made private to its owner."""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

from callplan.core.paths import file_uri


def writable(path: Path) -> bool:
    """Whether callplan may write the store: the file (if it is there) and its folder,
    which holds the write-ahead log. A read-only filesystem says no, even to root."""
    folder_ok = os.access(path.parent, os.W_OK | os.X_OK)
    return folder_ok and (not path.exists() or os.access(path, os.W_OK))


def connect_file(path: Path, *, timeout: float = 15, read_only: bool = False) -> sqlite3.Connection:
    """A sqlite3 connection to a store's file, its name given as a ``file:`` URI with every
    special character escaped (a path is never read as a URL).

    Read-only when asked, or when the file or its folder can't be written: then a store
    whose folder can't hold the write-ahead log's index (a read-only filesystem) is read
    as the file is, provided no log is left beside it. Read-only connections refuse any
    write (``query_only``): SQLite says "attempt to write a readonly database".
    """
    if not read_only and writable(path):
        return sqlite3.connect(file_uri(path), uri=True, timeout=timeout, check_same_thread=False)
    conn = sqlite3.connect(
        file_uri(path, mode="ro"), uri=True, timeout=timeout, check_same_thread=False
    )
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError:
        conn.close()
        # A WAL store needs its index (-shm) beside it, which a folder that can't be
        # written can't hold: then it is read as the file is, if no log is left beside it.
        wal = Path(f"{path}-wal")
        if (
            os.access(path.parent, os.W_OK)
            or not path.is_file()
            or (wal.exists() and wal.stat().st_size)
        ):
            raise
        conn = sqlite3.connect(
            file_uri(path, immutable="1"), uri=True, timeout=timeout, check_same_thread=False
        )
    except BaseException:
        conn.close()
        raise
    conn.execute("PRAGMA query_only = ON")
    return conn


def make_private(path: Path) -> None:
    """A store made by an older callplan may be readable by others: make it, its log and
    the log's index the owner's only (0600)."""
    if sys.platform == "win32":  # no Unix modes: the user's folder keeps it private
        return
    for part in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            if part.exists() and part.stat().st_mode & 0o077 and part.stat().st_uid == os.getuid():
                part.chmod(0o600)
        except OSError:
            pass  # db check reports what is still readable


def create_private(path: Path) -> None:
    """Create an empty file readable by its owner only (0600), unless it exists."""
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    os.close(fd)
