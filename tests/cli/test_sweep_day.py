"""The sweep day (issue 17): from the month's sweep day until the sweep has run that
month, `today` opens with one line saying so; the store records each sweep. The tests
run on Mon 23 Nov 2026 (GB-ENG) unless they say otherwise."""

from __future__ import annotations

from datetime import date

import pytest

from callplan.core.config import Settings
from callplan.core.planner import sweep_day, sweep_pending
from callplan.core.workdays import WorkCalendar
from callplan.errors import ConfigError
from callplan.store.schema import HEAD
from tests.cli.test_cli_sweep import add_contacts
from tests.store.test_store_lifecycle import old_store

# England's bank holidays around the new year: Fri 1 Jan 2027 is one.
GB = WorkCalendar(frozenset(range(5)), {date(2027, 1, 1): "New Year's Day"})


@pytest.mark.parametrize(
    ("on", "day", "due"),
    [
        (date(2026, 11, 23), None, date(2026, 11, 2)),  # Sun 1 Nov: Mon 2 Nov
        (date(2027, 1, 20), None, date(2027, 1, 4)),  # Fri 1 Jan is a holiday: Mon 4 Jan
        (date(2026, 11, 23), 14, date(2026, 11, 16)),  # Sat 14 Nov: Mon 16 Nov
        (date(2026, 12, 3), 15, date(2026, 12, 15)),
    ],
)
def test_the_sweep_day_of_a_month(on, day, due):
    assert sweep_day(on, day, GB) == due


def test_the_sweep_is_pending_from_its_day_until_it_has_run_that_month():
    nov = date(2026, 11, 1)
    assert not sweep_pending(date(2026, 11, 1), None, GB, None)  # Sunday, before Mon 2
    assert sweep_pending(date(2026, 11, 2), None, GB, None)  # never swept
    assert sweep_pending(date(2026, 11, 23), None, GB, date(2026, 10, 30))  # last month's
    assert not sweep_pending(date(2026, 11, 23), None, GB, date(2026, 11, 2))
    assert not sweep_pending(date(2026, 11, 23), None, GB, nov)  # run early: month swept
    assert not sweep_pending(date(2026, 11, 13), 14, GB, None)  # before the 14th's Monday


@pytest.mark.parametrize("value", ["0", "29", "31", "last", "2.5"])
def test_a_sweep_day_that_isnt_one_is_refused(value):
    with pytest.raises(ConfigError, match="not a sweep day"):
        Settings.defaults({"sweep_day": value})


def test_today_opens_with_the_sweep_line_until_the_sweep_runs(ok):
    add_contacts(ok, 3)  # last spoken to on 1 Jul: out of cycle
    lines = ok("today").stdout.splitlines()
    assert lines[0] == "Sweep day: 3 DMs out of cycle — callplan sweep (no sweep yet)"
    assert ok("today", "--json").json["sweep_due"] == {"out_of_cycle": 3, "last_swept_on": None}
    ok("sweep")
    assert "Sweep day" not in ok("today").stdout
    assert ok("today", "--json").json["sweep_due"] is None
    # Next month, from its first working day (Tue 1 Dec), it is due again for those the
    # sweep would place then (the November placements not called by then, a new one).
    add_contacts(ok, 1, last_spoke="2026-08-01", prefix="Later")
    dec = {"CALLPLAN_TODAY": "2026-12-01"}
    due = len(ok("sweep", "--dry-run", "--json", env=dec).json["swept"])
    first = ok("today", env=dec).stdout.splitlines()[0]
    assert first == (f"Sweep day: {due} DMs out of cycle — callplan sweep (last sweep Mon 23 Nov)")


def test_a_dry_run_is_not_a_sweep_and_a_later_sweep_day_waits(ok):
    add_contacts(ok, 2)
    ok("sweep", "--dry-run")
    assert "Sweep day: 2 DMs" in ok("today").stdout
    ok("config", "set", "sweep_day", "24")  # Tue 24 Nov: not yet on Mon 23
    assert "Sweep day" not in ok("today").stdout
    assert "Sweep day: 2 DMs" in ok("today", env={"CALLPLAN_TODAY": "2026-11-24"}).stdout


def test_nobody_out_of_cycle_needs_no_line(ok):
    ok("dm", "add", "Jane Smith")
    ok("log", "jane", "-c", "callback")
    assert "Sweep day" not in ok("today").stdout


def test_a_store_from_0007_upgrades_with_its_rows_and_no_sweep_yet(tmp_path, ok):
    path = tmp_path / "old.sqlite3"
    old_store(path, "0007", people=2)
    env = {"CALLPLAN_DB": str(path)}
    listed = ok("dm", "list", env=env).stdout
    assert "Person 0" in listed and "Person 1" in listed
    ok("sweep", env=env)
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD,)
        assert conn.execute("SELECT swept_on, placed FROM sweep_run").fetchall() == [
            ("2026-11-23", 0)
        ]
