"""Where the store is: --db, then CALLPLAN_DB, then the user's data folder; and the
folders and URIs of files callplan makes.

Light on purpose (no SQLAlchemy): shell completion reads the store through it.

A path the user gives is a path, never read as a URL: '?', '#' and '%' are only
characters of a file name. Only text that starts with a URL scheme (``sqlite://``,
``postgresql+psycopg://``) is a URL.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import quote

from callplan.errors import StoreError

STORE_FILE = "callplan.sqlite3"
# A name that says "a store file": a folder with such a name is a mistake, not a home.
STORE_SUFFIXES = (".sqlite3", ".sqlite", ".db")
URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


def default_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("callplan") / STORE_FILE


def store_file(target: str) -> Path:
    """The store's file for a path the user gave (empty: the default): a folder means
    the ``callplan.sqlite3`` already inside it. A folder without one is refused (a new
    store is never made inside a folder given as the store), and so is a folder named
    like a store."""
    path = Path(target).expanduser() if target else default_path()
    path = Path(os.path.abspath(path))
    try:
        if path.is_dir():
            if path.suffix.lower() in STORE_SUFFIXES:
                raise StoreError(
                    f"{path} is a folder, not a store: name the store's file, or the "
                    "folder that holds it."
                )
            inside = path / STORE_FILE
            if inside.is_dir():
                raise StoreError(f"{inside} is a folder, not a store: name the store's file.")
            if not inside.exists():
                raise StoreError(
                    f"{path} is a folder with no callplan store in it: name the store's "
                    f"file ({inside} makes a new one there)."
                )
            path = inside
    except OSError:  # e.g. a name too long: opening it says why
        pass
    return path


def is_url(target: str) -> bool:
    return URL.match(target) is not None


def resolve_url(db: str | None, environ: Mapping[str, str]) -> str:
    """--db, then CALLPLAN_DB, then the user's data folder. A path or a SQLAlchemy URL,
    returned as a URL (a path quoted into it, so it reads back exactly)."""
    target = db or environ.get("CALLPLAN_DB") or ""
    if is_url(target):
        return target
    return sqlite_url(store_file(target))


def sqlite_url(path: Path) -> str:
    # Quoted: the URL parser reads '?' as the start of options and '%' as an escape.
    return f"sqlite:///{quote(str(path))}"


def file_uri(path: Path, **params: str) -> str:
    """A SQLite ``file:`` URI for a path, every special character escaped (``?mode=ro``
    and the like from ``params``)."""
    uri = Path(os.path.abspath(path)).as_uri()
    if params:
        uri += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return uri


def private_folder(folder: Path) -> None:
    """Make a folder and any missing parents readable by their owner only (0700),
    whatever the umask; a folder that exists keeps its mode."""
    missing = []
    for level in (folder, *folder.parents):
        if level.is_dir():
            break
        missing.append(level)
    for level in reversed(missing):
        try:
            level.mkdir(mode=0o700)
        except FileExistsError:
            if not level.is_dir():
                raise
            continue
        os.chmod(level, 0o700)  # mkdir's mode is cut by the umask: never widened by it
