"""Concurrent use and crashes (issue 5), with real processes.

Several processes log hundreds of calls into one store at once and every call is there;
a `callplan import` and a `callplan sweep` killed with SIGKILL in the middle of writing
leave the store exactly as it was, and intact. Each test is bounded in time.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import pytest

from callplan import db, repo

WORKER = Path(__file__).with_name("_log_worker.py")


def _exe() -> str:
    beside = Path(sys.executable).parent / "callplan"
    if not beside.exists():
        pytest.skip("the callplan console script is not installed beside this Python")
    return str(beside)


def check_intact(path: Path) -> None:
    """The store passes SQLite's own checks: integrity, and no dangling references."""
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()


# --- several terminals logging at once -------------------------------------------------


def _wait_for(what: Callable[[], bool], timeout: float, failure: Callable[[], str]) -> None:
    deadline = time.monotonic() + timeout
    while not what():
        if time.monotonic() > deadline:
            pytest.fail(failure())
        time.sleep(0.01)


def test_processes_logging_at_once_all_succeed(env, tmp_path):
    """Processes log at once through three entry points: the log command's code path on one
    engine per process (two processes, flat out), callplan.cli.main in a loop, and the
    installed `callplan log` command (three at a time). No call is lost, none fails with
    'database is locked', and every DM's scheduling state agrees with its calls."""
    _exe()
    dms = 40
    engine = db.make_engine(f"sqlite:///{env}")
    with db.session(engine, write=True) as s:
        for i in range(dms):
            repo.add_dm(s, name=f"Contact {i:02d}", company=f"Firm {i:02d}")
    engine.dispose()

    run = tmp_path / "run"
    run.mkdir()
    workers = {"core-1": ("core", 200), "core-2": ("core", 200), "cli": ("cli", 30)}
    workers["exe"] = ("exe", 6)  # two rounds of three `callplan log` processes at once
    procs = {}
    for name, (mode, count) in workers.items():
        args = [sys.executable, str(WORKER), mode, name, str(dms), str(count), str(run)]
        with (run / f"{name}.out").open("w") as out, (run / f"{name}.err").open("w") as err:
            procs[name] = subprocess.Popen(args, stdout=out, stderr=err)

    def output(name: str) -> str:
        return (run / f"{name}.out").read_text() + (run / f"{name}.err").read_text()

    def report() -> str:
        return "\n".join(f"{n} ({p.poll()}): {output(n)[-2000:]}" for n, p in procs.items())

    try:
        # The barrier: every worker is set up before any of them writes.
        _wait_for(
            lambda: (
                all((run / f"{n}.ready").exists() for n in workers)
                or any(p.poll() is not None for p in procs.values())
            ),
            20,
            report,
        )
        (run / "go").touch()
        procs["exe"].wait(timeout=30)
        (run / "stop").touch()  # the cli worker logs until the exe worker is done
        for p in procs.values():
            p.wait(timeout=30)
    finally:
        for p in procs.values():
            if p.poll() is None:
                p.kill()
                p.wait()

    for name, p in procs.items():
        assert p.returncode == 0, report()
        assert "locked" not in output(name).lower(), report()
        assert "Error" not in output(name), report()
    logged = {name: json.loads((run / f"{name}.json").read_text()) for name in workers}
    for name, (_, count) in workers.items():
        assert len(logged[name]) >= count, name

    conn = sqlite3.connect(env)
    try:
        calls = conn.execute(
            "SELECT id, dm_id, called_on, kind, outcome, next_call_on, conversation_number, "
            "summary FROM call ORDER BY id"
        ).fetchall()
        dm_rows = conn.execute(
            "SELECT id, conversation_count, last_conversation_on, last_outcome, "
            "attempts_in_row, next_call_on, due_reason FROM decision_maker"
        ).fetchall()
    finally:
        conn.close()

    # Every call each worker logged is in the store, once; nothing else is.
    everything = [summary for summaries in logged.values() for summary in summaries]
    assert sorted(c[7] for c in calls) == sorted(everything)
    assert len(set(everything)) == len(everything)

    # The workers really ran at the same time: another worker's calls went in between the
    # first and the last call of each worker.
    writer = [c[7].rsplit("-", 1)[0] for c in calls]
    for name in workers:
        mine = [i for i, w in enumerate(writer) if w == name]
        assert set(writer[mine[0] : mine[-1]]) - {name}, f"{name} never overlapped"

    # Each DM's scheduling state is what its calls say, in the order they were made.
    by_dm: dict[int, list[tuple]] = defaultdict(list)
    for c in sorted(calls, key=lambda c: (c[2], c[0])):
        by_dm[c[1]].append(c)
    assert len(dm_rows) == dms
    for dm_id, count, last_on, last_outcome, attempts, next_on, reason in dm_rows:
        history = by_dm[dm_id]
        conversations = [c for c in history if c[3] != "no-connect"]
        assert [c[6] for c in conversations] == list(range(1, len(conversations) + 1))
        assert all(c[6] is None for c in history if c[3] == "no-connect")
        latest = history[-1]
        assert (count, last_on, last_outcome) == (
            len(conversations),
            conversations[-1][2] if conversations else None,
            conversations[-1][4] if conversations else None,
        ), dm_id
        assert attempts == len(history) - 1 - max(
            (i for i, c in enumerate(history) if c[3] != "no-connect"), default=-1
        ), dm_id
        assert (next_on, reason) == (latest[5], latest[4] if latest[5] else None), dm_id
    check_intact(env)
