"""`callplan sweep`: everyone out of cycle, spread evenly over the month's working days."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from tests.conftest import snapshot


def add_contacts(ok, n, *, last_spoke="2026-07-01", prefix="Contact"):
    for i in range(n):
        name = f"{prefix} {i:02d}"
        ok("dm", "add", name)
        ok("log", name, "-c", "rejection", "--on", last_spoke)


def sweep(ok, *args, today=None):
    env = {"CALLPLAN_TODAY": today} if today else None
    return ok("sweep", "--json", *args, env=env).json


@pytest.mark.slow
def test_spreads_evenly_over_working_days_only(ok):
    add_contacts(ok, 30)
    result = sweep(ok)
    assert result["date"] == "2026-11-23" and result["until"] == "2026-12-23"
    days = [date.fromisoformat(d["date"]) for d in result["days"]]
    assert len(days) == 22  # weekdays from Mon 23 Nov up to Tue 22 Dec
    assert all(d.weekday() < 5 for d in days)
    counts = Counter(r["due_on"] for r in result["swept"])
    assert len(result["swept"]) == 30
    assert all(date.fromisoformat(d).weekday() < 5 for d in counts)
    per_day = [counts.get(d.isoformat(), 0) for d in days]
    assert max(per_day) - min(per_day) <= 1
    assert per_day[:8] == [2] * 8  # the extra calls go to the earlier days


@pytest.mark.slow
def test_never_on_a_public_holiday(ok):
    add_contacts(ok, 40)
    result = sweep(ok, "--date", "2026-12-14")
    placed = {r["due_on"] for r in result["swept"]}
    for holiday in ("2026-12-25", "2026-12-28", "2027-01-01"):
        assert holiday not in placed
    assert "2026-12-24" in placed


def test_the_longest_overdue_go_first(ok):
    add_contacts(ok, 3, last_spoke="2026-08-10", prefix="Recent")
    add_contacts(ok, 1, last_spoke="2026-03-02", prefix="Ancient")
    swept = sweep(ok)["swept"]
    assert swept[0]["name"] == "Ancient 00" and swept[0]["due_on"] == "2026-11-23"
    assert swept[0]["days_since"] == (date(2026, 11, 23) - date(2026, 3, 2)).days


def test_calls_already_diarised_count_towards_a_day(ok):
    add_contacts(ok, 2)
    for name in ("Busy A", "Busy B"):
        ok("dm", "add", name)
        ok("log", name, "-c", "callback", "--next", "today", "--on", "2026-11-20")
    result = sweep(ok)
    assert result["days"][0] == {"date": "2026-11-23", "before": 2, "calls": 2}
    assert [r["due_on"] for r in result["swept"]] == ["2026-11-24", "2026-11-25"]


def test_only_contacts_out_of_cycle_are_swept(ok):
    add_contacts(ok, 2)
    ok("dm", "add", "Prospect Pat")
    ok("dm", "add", "Recent Rae")
    ok("log", "rae", "-c", "objection", "--on", "2026-10-01")
    ok("dm", "add", "Gone Gus")
    ok("log", "gus", "-c", "rejection", "--on", "2026-06-01")
    ok("dm", "dnc", "gus")
    swept = {r["name"] for r in sweep(ok)["swept"]}
    assert swept == {"Contact 00", "Contact 01"}


def test_dry_run_writes_nothing_and_a_second_run_changes_nothing(store, ok, env):
    add_contacts(ok, 5)
    before = snapshot(store)
    dry = sweep(ok, "--dry-run")
    assert dry["dry_run"] is True and len(dry["swept"]) == 5
    assert snapshot(store) == before
    first = sweep(ok)
    assert [r["due_on"] for r in first["swept"]] == [r["due_on"] for r in dry["swept"]]
    after_first = snapshot(store)
    second = sweep(ok)
    assert second["swept"] == []
    # Nothing changes but the record of the runs (each sweep run is remembered).
    runs = [row for row in snapshot(store) if row[0] == "sweep_run"]
    assert [(str(r[2]), r[3], r[4]) for r in runs] == [
        ("2026-11-23", "Sam", 5),
        ("2026-11-23", "Sam", 0),
    ]
    assert [row for row in snapshot(store) if row[0] != "sweep_run"] == [
        row for row in after_first if row[0] != "sweep_run"
    ]
    assert "already diarised" in ok("sweep").stderr


def test_swept_dms_appear_in_the_plan_on_their_day(ok):
    add_contacts(ok, 3)
    swept = sweep(ok)["swept"]
    day = swept[1]["due_on"]
    plan = ok("today", "--json", env={"CALLPLAN_TODAY": day}).json
    row = next(r for r in plan["due"] if r["name"] == swept[1]["name"])
    assert "90-day cycle" in row["reason"]


def test_advances_not_due_this_month_are_listed_for_review(ok):
    ok("dm", "add", "Fiona Future", "--company", "Acme")
    ok("log", "fiona", "-a", "future-requirement", "--next", "+60d", "-s", "Hiring 3 testers in Q1")
    ok("dm", "add", "Soon Sam")
    ok("log", "sam", "-a", "meeting")  # followed up in 5 working days: inside the window
    review = sweep(ok)["review"]
    assert [r["name"] for r in review] == ["Fiona Future"]
    assert review[0]["last_summary"] == "Hiring 3 testers in Q1"
    out = ok("sweep", "--dry-run").stdout
    assert "Fiona Future" in out and "worth pulling forward" in out


def test_table_output_has_a_calendar(ok):
    add_contacts(ok, 3)
    out = ok("sweep").stdout
    assert "Mon" in out and "Fri" in out and "Sat" not in out
    assert "23:  1" in out
    assert all(len(line) <= 80 for line in out.splitlines())


def test_calls_overdue_within_the_cycle_load_the_first_day(ok):
    add_contacts(ok, 2)  # out of cycle: these are the ones the sweep places
    ok("dm", "add", "Late Lou")
    ok("log", "lou", "-c", "callback", "--next", "2026-11-18", "--on", "2026-11-16")
    result = sweep(ok)
    assert result["days"][0] == {"date": "2026-11-23", "before": 1, "calls": 1}
    assert [r["due_on"] for r in result["swept"]] == ["2026-11-24", "2026-11-25"]


def test_a_weekend_sweep_counts_late_calls_on_the_first_working_day(ok):
    ok("dm", "add", "Late Lou")
    ok("log", "lou", "-c", "callback", "--next", "2026-11-18", "--on", "2026-11-16")
    ok("dm", "add", "Prospect Pat")
    ok("log", "pat", "-n", "no-answer", "--on", "2026-11-20")  # a prospect's retry: not counted
    result = sweep(ok, "--date", "2026-11-28", today="2026-11-28")  # a Saturday
    assert result["days"][0] == {"date": "2026-11-30", "before": 1, "calls": 1}


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_a_sweep_date_out_of_range_is_refused(store, cli, env, day):
    before = snapshot(store)
    r = cli("sweep", "--date", day)
    assert r.exit_code == 2, r.stderr
    assert r.stderr.startswith("Error: The date") and "out of range" in r.stderr
    assert snapshot(store) == before


@pytest.mark.slow
def test_the_table_lists_a_screenful_and_all_lists_everyone(ok):
    add_contacts(ok, 27)
    out = ok("sweep", "--dry-run").stdout
    assert "Would diarise 27 DMs out of cycle" in out
    assert "Contact 24" in out and "Contact 25" not in out
    assert "… and 2 more: --all lists them all" in out
    everyone = ok("sweep", "--dry-run", "--all").stdout
    assert "Contact 26" in everyone and "more" not in everyone
    assert len(sweep(ok, "--dry-run")["swept"]) == 27  # JSON always has everyone
    out = ok("sweep").stdout
    assert "Diarised 27 DMs" in out and "… and 2 more: each is in the plan on their day" in out
