"""Recruiters at once (issue 8), with real processes: eight run `today` against one store
of 1,000 prospects and no prospect is planned twice; eight log at once and no call is
lost. On SQLite always; on PostgreSQL too when CALLPLAN_TEST_PG gives a server's URL
(each test's own database, as for every test).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from callplan.core.names import name_key
from callplan.store import db
from callplan.store.models import DecisionMaker

WORKER = Path(__file__).with_name("_team_worker.py")
RECRUITERS = [f"Recruiter {i}" for i in range(1, 9)]
PROSPECTS = 1000
QUOTA = 40  # new DMs a day each: 8 x 40 = 320 of the 1,000 prospects


@pytest.fixture
def url(store: Any, env: Path) -> str:
    """The URL of the test's own store (conftest: a file, or a database of its own on the
    PostgreSQL server of CALLPLAN_TEST_PG), with no DM in it."""
    engine = db.make_engine(store.url)
    with engine.begin() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(DecisionMaker)).scalar() == 0
    engine.dispose()
    return store.url


def seed(url: str, count: int) -> None:
    from datetime import UTC, datetime, timedelta

    engine = db.make_engine(url)
    db.ensure_schema(engine)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    rows = [
        {
            "name": f"Prospect {i:04d}",
            "name_key": name_key(f"Prospect {i:04d}"),
            "company": f"Firm {i % 97}",
            "phone": f"+4420{i:08d}",
            "created_at": start + timedelta(minutes=i),
        }
        for i in range(count)
    ]
    with db.session(engine, write=True) as s:
        s.execute(sa.insert(DecisionMaker), rows)
    engine.dispose()


def run_at_once(
    url: str | dict[str, str],
    folder: Path,
    commands: dict[str, list[str]],
    timeout: float = 120,
) -> None:
    """Start one worker per recruiter, let them all go at once, and wait for them. The
    store's URL, or each recruiter's own (logged in as their role on a team store)."""
    urls = url if isinstance(url, dict) else dict.fromkeys(commands, url)
    environ = {**os.environ, "CALLPLAN_NEW_PER_DAY": str(QUOTA)}
    procs = {
        name: subprocess.Popen(
            [sys.executable, str(WORKER), str(folder), name, *command],
            env={**environ, "CALLPLAN_DB": urls[name]},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, command in commands.items()
    }
    try:
        deadline = time.monotonic() + 60
        while not all((folder / f"{n}.ready").exists() for n in procs):
            if time.monotonic() > deadline or any(p.poll() is not None for p in procs.values()):
                pytest.fail(
                    "a worker didn't start: " + str({n: p.poll() for n, p in procs.items()})
                )
            time.sleep(0.01)
        (folder / "go").touch()
        for name, p in procs.items():
            out, err = p.communicate(timeout=timeout)
            errors = (
                (folder / f"{name}.err").read_text() if (folder / f"{name}.err").exists() else ""
            )
            assert p.returncode == 0, (name, out, err, errors)
            assert "Error" not in errors, (name, errors)
    finally:
        for p in procs.values():
            if p.poll() is None:
                p.kill()
                p.wait()


@pytest.fixture(params=["one login", "eight logins"])
def logins(request: pytest.FixtureRequest, url: str, backend: str, ok: Any) -> dict[str, str]:
    """Each recruiter's store URL: all the same (one login, names by --as), or on
    PostgreSQL a role of their own each (issue 20: `team init`, `team add`)."""
    if request.param == "one login":
        return dict.fromkeys(RECRUITERS, url)
    if backend != "pg":
        pytest.skip("login roles are PostgreSQL's")
    ok("team", "init")
    urls = {}
    for i, name in enumerate(RECRUITERS, 1):
        role = f"t{os.getpid()}_r{i}"
        ok("team", "add", name, "--login", role)
        urls[name] = sa.make_url(url).set(username=role).render_as_string(False)
    return urls


@pytest.mark.slow
def test_eight_recruiters_planning_at_once_never_share_a_prospect(url, logins, tmp_path):
    seed(url, PROSPECTS)
    run_at_once(logins, tmp_path, {name: ["today", "--json"] for name in RECRUITERS})
    plans = {name: json.loads((tmp_path / f"{name}.out").read_text()) for name in RECRUITERS}
    picked = Counter(row["id"] for plan in plans.values() for row in plan["new"])
    assert [i for i, n in picked.items() if n > 1] == []  # no prospect planned twice
    assert all(len(plan["new"]) == QUOTA for plan in plans.values())
    engine = db.make_engine(url)
    try:
        with engine.connect() as conn:
            claims = conn.execute(sa.text("SELECT dm_id, recruiter FROM claim")).all()
    finally:
        engine.dispose()
    assert sorted(claims) == sorted(
        (row["id"], name) for name, plan in plans.items() for row in plan["new"]
    )
    # Each gets their own back, in the same order, on a second run.
    again = tmp_path / "again"
    again.mkdir()
    run_at_once(logins, again, {name: ["today", "--json"] for name in RECRUITERS[:3]})
    for name in RECRUITERS[:3]:
        second = json.loads((again / f"{name}.out").read_text())
        assert [r["id"] for r in second["new"]] == [r["id"] for r in plans[name]["new"]]


@pytest.mark.slow
def test_eight_recruiters_logging_at_once_lose_no_call(url, logins, tmp_path):
    seed(url, 40)
    per_worker = 12
    run_at_once(logins, tmp_path, {name: ["log-many", str(per_worker)] for name in RECRUITERS})
    engine = db.make_engine(url)
    try:
        with engine.connect() as conn:
            calls = conn.execute(sa.text("SELECT recruiter, summary FROM call")).all()
            owners = conn.execute(
                sa.text("SELECT owner FROM decision_maker WHERE conversation_count > 0")
            ).all()
            counts = conn.execute(
                sa.text(
                    "SELECT d.conversation_count, (SELECT count(*) FROM call c "
                    "WHERE c.dm_id = d.id) FROM decision_maker d"
                )
            ).all()
    finally:
        engine.dispose()
    expected = {(name, f"{name}-{i}") for name in RECRUITERS for i in range(per_worker)}
    assert len(calls) == len(expected) and set(calls) == expected
    assert all(owner in RECRUITERS for (owner,) in owners)  # the first to speak owns each
    assert all(kept == made for kept, made in counts)
