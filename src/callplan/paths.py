"""Where the store is: --db, then CALLPLAN_DB, then the user's data folder.

Light on purpose (no SQLAlchemy): shell completion reads the store through it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from urllib.parse import quote

STORE_FILE = "callplan.sqlite3"


def default_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("callplan") / STORE_FILE


def resolve_url(db: str | None, environ: Mapping[str, str]) -> str:
    """--db, then CALLPLAN_DB, then the user's data folder. A path or a SQLAlchemy URL."""
    target = db or environ.get("CALLPLAN_DB") or ""
    if "://" in target:
        return target
    path = Path(target).expanduser() if target else default_path()
    try:
        if path.is_dir():
            path = path / STORE_FILE
    except OSError:  # e.g. a name too long: opening it says why
        pass
    # Quoted: the URL parser reads '?' as the start of options and '%' as an escape.
    return f"sqlite:///{quote(str(path))}"
