"""Every query the hot paths issue uses an index: no full scan of DMs or calls.

A store of 2,000 DMs (about 19,000 calls) is built once by benchmarks/generate.py, the
realistic mix the benchmarks time. Each command runs through the CLI as a user runs it,
on a fresh copy of that store; SQLAlchemy's ``before_cursor_execute`` event hands over
every statement with its parameters, and each SELECT, WITH or UPDATE is run again under
EXPLAIN QUERY PLAN on the same store. The store is not ANALYZEd: nor are the users'.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.conftest import TODAY

pytestmark = [
    pytest.mark.slow,
    pytest.mark.sqlite_only(
        "SQLite's EXPLAIN QUERY PLAN over a generated SQLite store, unanalysed as users' are "
        "(PostgreSQL's planner chooses by the statistics it gathers)"
    ),
]

DM = "1001"  # a contact in the generated store (spoken to, with calls and a note)
BIG = ("call", "decision_maker", "note")
# Plans that read all the DMs on purpose, each named here with why: bounded by the size
# of the contact file, never by the number of calls. (A substring of the statement ->
# the plan line allowed for it.) A range of an index over active DMs, e.g. those out of
# cycle (status=? AND last_conversation_on<?), is a search, not a scan, and passes.
BOUNDED = {
    # The import's duplicate checks: every DM's contact fields, read once per import
    # (in a read transaction, before the write lock): a duplicate is found on forms the
    # store doesn't index (an email in any case, a number as typed, a name at the same
    # company ignoring case and accents, a similar name), with the history fields a row
    # may fill in when empty (the last conversation, next call, status, owner).
    "SELECT decision_maker.id, decision_maker.name, decision_maker.name_key, "
    "decision_maker.company, decision_maker.title, decision_maker.phone, "
    "decision_maker.email, decision_maker.linkedin, decision_maker.last_conversation_on, "
    "decision_maker.next_call_on, decision_maker.status, decision_maker.owner "
    "FROM decision_maker": "SCAN decision_maker",
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from benchmarks.generate import build

    path = tmp_path_factory.mktemp("plans") / "store.sqlite3"
    build(path, 2000, seed=7)
    # A desk of two: Sam (the tests' recruiter) has spoken to most, Kim to some; a few
    # prospects are claimed for today.
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute(
            "UPDATE decision_maker SET owner = CASE WHEN id % 5 = 0 THEN 'Kim' ELSE 'Sam' END "
            "WHERE conversation_count > 0"
        )
        conn.execute(
            "UPDATE call SET recruiter = (SELECT owner FROM decision_maker WHERE id = dm_id)"
        )
        conn.execute(
            "INSERT INTO recruiter (key, name, added_at) VALUES "
            "('sam', 'Sam', '2026-01-01'), ('kim', 'Kim', '2026-01-01')"
        )
        conn.execute(
            "INSERT INTO claim (dm_id, recruiter, claimed_on) SELECT id, 'Kim', ? "
            "FROM decision_maker WHERE conversation_count = 0 ORDER BY created_at LIMIT 1",
            (TODAY,),
        )
    return path


@contextmanager
def captured() -> Iterator[list[tuple[str, Any]]]:
    """Every statement any engine runs meanwhile, with its parameters."""
    statements: list[tuple[str, Any]] = []

    def grab(conn, cursor, statement, params, context, executemany):
        if not executemany:
            statements.append((statement, params))

    sa.event.listen(sa.Engine, "before_cursor_execute", grab)
    try:
        yield statements
    finally:
        sa.event.remove(sa.Engine, "before_cursor_execute", grab)


def full_scans(conn: sqlite3.Connection, statement: str, params: Any) -> list[str]:
    """The lines of the statement's plan that read all of the DMs or the calls."""
    plan = [row[-1] for row in conn.execute("EXPLAIN QUERY PLAN " + statement, params or ())]
    names = set(BIG)  # the tables and their aliases ("call AS first")
    names |= set(re.findall(r"\b(?:call|decision_maker|note) AS (\w+)", statement))
    bad = []
    for line in plan:
        m = re.match(r"(SCAN|SEARCH) (\w+)", line)
        if not m or m.group(2) not in names:
            continue
        if m.group(1) == "SCAN" or line.endswith("(status=?)"):  # 'active': nearly all DMs
            bad.append(line)
    flat = " ".join(statement.split())
    allowed = [line for key, line in BOUNDED.items() if key in flat]
    return [b for b in bad if not any(a in b for a in allowed)]


CSV = (
    "First Name,Last Name,Company,Position,Email Address,Phone\n"
    "Ada,New,Firm 1,CTO,ada@firm1.example,020 7946 0001\n"
    "Ben,Again,Company 3,CFO,DM7@COMPANY7.EXAMPLE,\n"  # an email in the store, any case
    "Cleo,Number,Firm 2,CTO,,+44 20 0000 0009\n"  # a number in the store, as typed
)

COMMANDS = {
    "today": ["today"],
    "today --all": ["today", "--all"],
    "today --as": ["--as", "Kim", "today"],
    "dm list --mine": ["dm", "list", "--mine"],
    "dm assign --from": ["dm", "assign", "--from", "Kim", "--to", "Lou", "--yes"],
    "log": ["log", DM, "-c", "callback", "-s", "Call back Friday"],
    "dm show": ["dm", "show", DM],
    "brief": ["brief", DM],
    "sweep": ["sweep"],
    "sweep --as": ["--as", "Kim", "sweep", "--dry-run"],
    "forecast": ["forecast"],
    "forecast --rebalance": ["forecast", "--rebalance", "--apply"],
    "stats": ["stats"],
    "stats --month": ["stats", "--month", "2026-10"],
    "stats --team": ["stats", "--team"],
    "import": ["import", "contacts.csv"],
    "undo": ["undo", "--yes"],
}


@pytest.mark.parametrize("command", COMMANDS)
def test_the_hot_paths_never_read_all_the_dms_or_calls(command, generated, env, ok, tmp_path):
    shutil.copy(generated, env)
    (tmp_path / "contacts.csv").write_text(CSV)
    args = [a.replace("contacts.csv", str(tmp_path / "contacts.csv")) for a in COMMANDS[command]]
    with captured() as statements:
        ok(*args)
    explained = [
        (s, p)
        for s, p in statements
        if s.lstrip().upper().startswith(("SELECT", "WITH", "UPDATE"))
        and "sqlite_master" not in s
        and "alembic_version" not in s
    ]
    assert explained, command
    with closing(sqlite3.connect(env)) as conn:
        # The sweep's placements: a temporary table, gone once its command is done.
        conn.execute("CREATE TEMP TABLE callplan_placement (dm_id INTEGER PRIMARY KEY, day DATE)")
        found = {}
        for statement, params in explained:
            if scans := full_scans(conn, statement, params):
                found[" ".join(statement.split())[-300:]] = scans
    assert found == {}, "\n".join(f"{k}\n  -> {v}" for k, v in found.items())


def test_the_cockpits_actions_never_read_all_the_dms_or_calls(generated, env):
    """The cockpit's keys (cli/cockpit/day.py), as the benchmark harness times them: log
    a call and read the next brief, skip, undo, open a search result. (The search itself
    reads the companies, notes and call summaries on purpose: words typed can be
    anywhere in them.)"""
    from callplan.cli.cockpit.day import Report, standalone
    from callplan.core.outcomes import Kind

    shutil.copy(generated, env)
    with standalone(str(env)) as day, captured() as statements:
        first = day.first_open()
        assert first is not None
        card = day.card(day.entries[first])
        day.log(card, Report(Kind.ADVANCE, type="cv-review", summary="Two CVs to look at"))
        after = day.first_open(first)
        assert after is not None
        day.skip(day.card(day.entries[after]).entry)
        last = day.last()
        assert last is not None
        day.undo(last[0])
        before = len(statements)
        found = day.search(day.entries[-1].name)
        del statements[before:]
        day.card(day.entries[day.open(found[0])])
        day.last()
    with closing(sqlite3.connect(env)) as conn:
        found_, figures = {}, []
        for statement, params in statements:
            if statement.lstrip().upper().startswith(("SELECT", "WITH", "UPDATE")):
                if scans := full_scans(conn, statement, params):
                    found_[" ".join(statement.split())[-300:]] = scans
                if "GROUP BY call.kind, call.outcome" in statement:  # the day's figures
                    plan = conn.execute("EXPLAIN QUERY PLAN " + statement, params).fetchall()
                    figures.append(" ".join(row[-1] for row in plan))
    assert found_ == {}, "\n".join(f"{k}\n  -> {v}" for k, v in found_.items())
    # Read from the day's calls, not from the recruiter's every conversation (which
    # the planner, with no statistics, would rather range over: 80 ms at 100,000 DMs).
    assert figures and all("ix_call_called_on_number" in plan for plan in figures), figures


def test_the_days_counts_read_the_index_that_bounds_them(generated, env, ok):
    """`today`'s figures, each on the index that reads least: the recruiter's first
    conversations (the quota, the week, the streak) on their own conversations by
    number; the day's results on the day's calls. Swapped, either reads a range of
    thousands of calls at 100,000 DMs (half a second for the streak's, a tenth for the
    results'), and neither is a full scan for the check above to find."""
    shutil.copy(generated, env)
    with captured() as statements:
        ok("today")
    plans: dict[str, list[str]] = {"first": [], "results": []}
    with closing(sqlite3.connect(env)) as conn:
        for statement, params in statements:
            flat = " ".join(statement.split())
            which = (
                "first"
                if "GROUP BY call.called_on" in flat and "conversation_number =" in flat
                else "results"
                if "GROUP BY call.kind, call.outcome" in flat
                else None
            )
            if which:
                plan = conn.execute("EXPLAIN QUERY PLAN " + statement, params).fetchall()
                plans[which].append(" ".join(row[-1] for row in plan))
    assert plans["first"] and all(
        "COVERING INDEX ix_call_recruiter_conversations (recruiter=? AND conversation_number=?" in p
        for p in plans["first"]
    ), plans["first"]
    assert plans["results"] and all("ix_call_called_on_number" in p for p in plans["results"]), (
        plans["results"]
    )


def test_the_check_finds_a_full_scan(generated):
    with closing(sqlite3.connect(generated)) as conn:
        assert full_scans(conn, "SELECT count(*) FROM call WHERE summary LIKE ?", ("%x%",))
        assert full_scans(
            conn, "SELECT id FROM decision_maker WHERE status = ? ORDER BY id", ("active",)
        )
        assert not full_scans(conn, "SELECT id FROM call WHERE dm_id = ? ORDER BY called_on", (1,))


def test_completing_a_name_reads_the_name_index_in_order(generated):
    """Shell completion reads the store with its own SQL (no SQLAlchemy, so not in the
    commands above): on the name index, in name order, so each part stops at its LIMIT.
    The status index would read every active DM and sort them: a third of a second a Tab
    press at 100,000 DMs."""
    from callplan.cli.complete import EVERY_NAME, LIMIT, NAMES_FOR_A_KEY, name_params

    with closing(sqlite3.connect(generated)) as conn:
        for sql, params in ((NAMES_FOR_A_KEY, name_params("smi")), (EVERY_NAME, (LIMIT,))):
            plan = [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params)]
            reads = [line for line in plan if "decision_maker" in line]
            assert reads, plan
            assert all("USING INDEX ix_decision_maker_name_key" in line for line in reads), plan
