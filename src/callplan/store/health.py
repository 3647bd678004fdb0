"""`db check`: whether a store is sound (schema, integrity, links, the diary's own state)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from callplan.store.backup import COUNTS
from callplan.store.schema import HEAD, REVISIONS


@dataclass
class Finding:
    """One result of `db check`: ``ok`` False for a problem."""

    ok: bool
    check: str
    detail: str
    rows: list[str] = field(default_factory=list)


# DMs whose conversation count is out of step with their calls (the same SQL on either
# backend: dm.id is the key, so its other columns may be selected beside the count).
DRIFT = (
    "SELECT dm.id, dm.name, dm.conversation_count, count(c.id) FROM decision_maker AS dm "
    "LEFT JOIN call AS c ON c.dm_id = dm.id AND c.conversation_number IS NOT NULL "
    "GROUP BY dm.id HAVING dm.conversation_count != count(c.id) LIMIT 20"
)


def schema_finding(revision: str | None) -> Finding:
    if revision == HEAD:
        return Finding(True, "schema", f"Schema {revision}: up to date.")
    if revision in REVISIONS:
        return Finding(
            False,
            "schema",
            f"Schema {revision}: older than this callplan's {HEAD}. Run 'callplan db upgrade'.",
        )
    return Finding(False, "schema", f"Schema {revision}: not one this callplan knows.")


def diary_finding(drift: list[Any]) -> Finding:
    if not drift:
        return Finding(True, "diary", "Every DM's conversation count matches their calls.")
    return Finding(
        False,
        "diary",
        f"{len(drift)} DM{'s' * (len(drift) != 1)} with a conversation count that doesn't "
        "match their calls.",
        [f"#{i} {name}: {kept} recorded, {real} in the calls" for i, name, kept, real in drift],
    )


def check_server(conn: Any) -> list[Finding]:
    """`db check` of a store on a database server (PostgreSQL), through a SQLAlchemy
    connection: the connection, the links, the schema and the scheduling state. The
    server looks after its own files (no integrity or permission check of a file)."""
    version = conn.exec_driver_sql("SHOW server_version").scalar_one()
    findings = [Finding(True, "server", f"Connected: PostgreSQL {version}.")]
    unchecked = conn.exec_driver_sql(
        "SELECT conrelid::regclass::text, conname FROM pg_constraint "
        "WHERE contype = 'f' AND NOT convalidated ORDER BY 1, 2"
    ).fetchall()
    findings.append(
        Finding(True, "links", "The server enforces every link (foreign key) as it is written.")
        if not unchecked
        else Finding(
            False,
            "links",
            f"{len(unchecked)} link{'s' * (len(unchecked) != 1)} the server doesn't check.",
            [f"{table}: {name}" for table, name in unchecked[:20]],
        )
    )
    row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").first()
    findings.append(schema_finding(row[0] if row else None))
    findings.append(diary_finding(list(conn.exec_driver_sql(DRIFT).fetchall())))
    return findings


def server_counts(conn: Any) -> dict[str, int]:
    """What `db status` says a store on a database server holds."""
    return {
        label: int(conn.exec_driver_sql(query).scalar_one()) for label, (_, query) in COUNTS.items()
    }


def check(store: Path | None, engine_url: str, connect: sqlite3.Connection) -> list[Finding]:
    """Integrity, foreign keys, the schema, the scheduling state and file permissions."""
    findings = []
    problems = [r[0] for r in connect.execute("PRAGMA integrity_check")]
    findings.append(
        Finding(True, "integrity", "The file is sound: every page and index reads back.")
        if problems == ["ok"]
        else Finding(
            False,
            "integrity",
            f"The file is damaged ({len(problems)} problem{'s' * (len(problems) != 1)}). "
            "Restore a backup with 'callplan restore FILE'.",
            problems[:20],
        )
    )
    orphans = connect.execute("PRAGMA foreign_key_check").fetchall()
    findings.append(
        Finding(True, "links", "Every call, note and tag belongs to a DM that exists.")
        if not orphans
        else Finding(
            False,
            "links",
            f"{len(orphans)} row{'s' * (len(orphans) != 1)} point at something that is gone.",
            [f"{table} row {rowid} -> {parent}" for table, rowid, parent, _ in orphans[:20]],
        )
    )
    row = connect.execute("SELECT version_num FROM alembic_version").fetchone()
    findings.append(schema_finding(row[0] if row else None))
    findings.append(diary_finding(connect.execute(DRIFT).fetchall()))
    if store is not None:
        loose = [
            p
            for p in (store, Path(f"{store}-wal"), Path(f"{store}-shm"))
            if p.exists() and p.stat().st_mode & 0o077
        ]
        findings.append(
            Finding(True, "privacy", "Only you can read the store.")
            if not loose
            else Finding(
                False,
                "privacy",
                "Others on this computer can read it: run chmod 600 on these files.",
                [str(p) for p in loose],
            )
        )
    return findings
