"""A store at an earlier schema revision, holding Jane Smith (#1, Sam's, spoken to on Fri
20 Nov 2026 and due Tue 24 Nov): what an upgrade test starts from, before it adds the
rows its own migration is about."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

JANE = (
    "INSERT INTO decision_maker (id, name, name_key, status, needs_number, created_at,"
    " conversation_count, attempts_in_row, last_conversation_on, next_call_on,"
    " due_reason, last_outcome, owner, lawful_basis, ctps) VALUES (1, 'Jane Smith',"
    " 'jane smith', 'active', 0, '2026-10-01 09:00:00', 1, 0, '2026-11-20',"
    " '2026-11-24', 'callback', 'callback', 'Sam', 'legitimate-interest', 0)"
)


def old_store(path: Path, revision: str) -> Path:
    """A SQLite store at ``revision`` (0003 or later) with Jane Smith in it."""
    from callplan.store.db import make_engine, upgrade

    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine, revision)
    engine.dispose()
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute(JANE)
    return path
