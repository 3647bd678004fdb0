"""Cadence tiers (issue 17): `tier.NAME = DAYS` in the config, `dm add/edit --tier NAME`
or `--cycle DAYS`, and every rule that uses the cycle uses the DM's own: the cap on a
next call, out of cycle, the sweep, the reason's wording, stats. Today is Mon 23 Nov
2026."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing

import pytest

from callplan.store.schema import HEAD
from tests.cli._old_store import old_store


def dm(ok, ref):
    return ok("dm", "show", ref, "--json").json["dm"]


@pytest.fixture
def key(ok):
    """A 14-day tier, and two DMs last spoken to 20 days ago: Kay in it, Dee not."""
    ok("config", "set", "tier.key", "14")
    for name in ("Kay Key", "Dee Default"):
        ok("dm", "add", name, "--company", "Acme", "--phone", "0113 496 0101")
        ok("log", name, "-c", "objection", "--on", "2026-11-03")  # next call in 30 days
    ok("dm", "edit", "kay", "--tier", "key")


# --- the config --------------------------------------------------------------------------


def test_a_tier_is_set_shown_and_read(ok):
    assert ok("config", "set", "tier.key", "14").stdout.startswith("tier.key = 14")
    ok("config", "set", "tier.warm", "45")
    rows = {r["key"]: r for r in ok("config", "show", "--json").json["settings"]}
    assert (rows["tier.key"]["value"], rows["tier.warm"]["value"]) == (14, 45)
    assert "tier.key" in ok("config", "show").stdout


@pytest.mark.parametrize(
    ("key", "value", "said"),
    [
        ("tier.key", "0", "out of range"),
        ("tier.key", "two weeks", "not a whole number"),
        ("tier.Key Clients", "14", "lower-case letters"),
        ("tier.default", "14", "Unknown setting"),
        ("tier.", "14", "Unknown setting"),
    ],
)
def test_a_bad_tier_is_one_line_and_nothing_is_written(cli, ok, key, value, said):
    r = cli("config", "set", key, value)
    assert r.exit_code != 0 and said in r.stderr and r.stderr.count("\n") == 1
    assert not any(
        row["key"].startswith("tier.") for row in ok("config", "show", "--json").json["settings"]
    )


def test_unsetting_a_tier_in_use_says_who_falls_back(ok, key):
    r = ok("config", "unset", "tier.key")
    assert "1 DM in the key tier now keep the 90-day cycle" in " ".join(r.stderr.split())
    kay = dm(ok, "kay")
    assert kay["tier"] == "key"  # kept: set the tier again and they are back in it
    assert "tier key, no longer set: the 90-day cycle" in " ".join(
        ok("dm", "show", "kay").stdout.split()
    )


# --- giving a DM a cadence ---------------------------------------------------------------


def test_dm_edit_gives_a_tier_or_days_and_default_takes_them_back(ok, key):
    assert (dm(ok, "kay")["tier"], dm(ok, "kay")["cycle_days"]) == ("key", None)
    assert "Cycle tier key: 14 days" in " ".join(ok("dm", "show", "kay").stdout.split())
    ok("dm", "edit", "kay", "--cycle", "30")
    assert (dm(ok, "kay")["tier"], dm(ok, "kay")["cycle_days"]) == (None, 30)
    ok("dm", "edit", "kay", "--tier", "default")
    assert (dm(ok, "kay")["tier"], dm(ok, "kay")["cycle_days"]) == (None, None)
    assert "Cycle" not in ok("dm", "show", "kay").stdout.split("Next call")[0].split("Owner")[1]


def test_dm_add_takes_a_tier(ok, key):
    ok("dm", "add", "New Key", "--tier", "KEY")
    assert dm(ok, "new key")["tier"] == "key"


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--tier", "gold"), "No tier 'gold' is set (the tiers: key (14 days))"),
        (("--cycle", "0"), "not a number of days"),
        (("--cycle", "fortnight"), "not a number of days"),
        (("--tier", "key", "--cycle", "14"), "not both"),
    ],
)
def test_a_bad_cadence_is_one_line_and_nothing_is_written(cli, ok, key, args, said):
    r = cli("dm", "edit", "dee", *args)
    assert r.exit_code != 0 and said in r.stderr and r.stderr.count("\n") == 1
    assert (dm(ok, "dee")["tier"], dm(ok, "dee")["cycle_days"]) == (None, None)


def test_a_shorter_cycle_pulls_in_a_next_call_past_it(ok, key):
    # Dee's objection diarised Thu 3 Dec; a 14-day cycle from 3 Nov ended on 17 Nov.
    assert dm(ok, "dee")["due_on"] == "2026-12-03"
    r = ok("dm", "edit", "dee", "--cycle", "14")
    assert "next call today, within their cycle" in r.stdout
    assert "past the 14-day cycle" in r.stderr
    assert dm(ok, "dee")["due_on"] == "2026-11-23"


# --- the rules ---------------------------------------------------------------------------


def test_the_cap_on_a_next_call_is_the_dms_own_cycle(ok, key):
    r = ok("log", "kay", "-c", "callback", "--next", "2027-01-20")
    assert "past the 14-day cycle" in r.stderr
    assert dm(ok, "kay")["due_on"] == "2026-12-07"  # Mon 7 Dec: 14 days on, a working day
    ok("log", "dee", "-c", "callback", "--next", "2027-01-20")
    assert dm(ok, "dee")["due_on"] == "2027-01-20"  # within the 90 days


def test_out_of_cycle_and_the_reason_use_the_dms_own_cycle(ok, key):
    plan = ok("today", "--json").json
    assert plan["progress"]["overdue"] == 1  # Kay, 20 days after on a 14-day cycle
    # Kay's objection call, diarised for 3 Dec before the tier, was pulled in to today.
    row = next(r for r in plan["due"] if r["name"] == "Kay Key")
    assert row["reason"] == "14-day cycle: 6 days overdue"
    assert [r["name"] for r in plan["due"]] == ["Kay Key"]


def test_changing_a_tiers_days_changes_everyone_in_it(ok, key):
    assert ok("today", "--json").json["progress"]["overdue"] == 1
    ok("config", "set", "tier.key", "30")
    assert ok("today", "--json").json["progress"]["overdue"] == 0


def test_the_sweep_places_a_dm_out_of_their_own_cycle(ok, key):
    """On Tue 1 Dec, the month's sweep: Kay (14 days) is out of cycle, Dee (90) is not."""
    swept = ok("sweep", "--dry-run", "--json", env={"CALLPLAN_TODAY": "2026-12-01"}).json
    assert [p["name"] for p in swept["swept"]] == ["Kay Key"]


def test_stats_count_overdue_by_each_dms_cycle(ok, key):
    cycle = ok("stats", "--json").json["cycle"]
    assert (cycle["active"], cycle["overdue"]) == (2, 1)
    rows = ok("stats", "--explain", "overdue", "--json").json["rows"]
    assert [(r["name"], r["detail"]) for r in rows] == [
        ("Kay Key", "last spoke 20 days before; 6 days overdue")
    ]


def test_four_a_year_asks_as_many_more_as_the_cycle_is_shorter(ok, db):
    """Five conversations in the year: four a year on 90 days, but a 14-day DM needs 26."""
    ok("config", "set", "tier.key", "14")
    for name in ("Kay Key", "Dee Default"):
        ok("dm", "add", name, "--company", "Acme")
        for day in ("2025-10-01", "2026-01-10", "2026-04-10", "2026-07-10", "2026-10-10"):
            ok("log", name, "-c", "callback", "--on", day)
        ok("log", name, "-c", "callback", "--on", "2026-11-20")
    ok("dm", "edit", "kay", "--tier", "key")
    cycle = ok("stats", "--json").json["cycle"]
    assert (cycle["full_year"], cycle["four_a_year"]) == (2, 1)
    rows = ok("stats", "--explain", "four-a-year", "--json").json["rows"]
    details = {r["name"]: r["detail"] for r in rows}
    assert "on pace" in details["Dee Default"] and "on pace" not in details["Kay Key"]


# --- the archive and the migration ---------------------------------------------------------


def test_an_export_round_trip_keeps_each_dms_cadence(ok, key, tmp_path, blank_store):
    ok("dm", "edit", "dee", "--cycle", "60")
    ok("export", "-f", "json", "-o", str(tmp_path / "a.json"))
    doc = json.loads((tmp_path / "a.json").read_text())
    got = {d["name"]: (d["tier"], d["cycle_days"]) for d in doc["decision_makers"]}
    assert got == {"Kay Key": ("key", None), "Dee Default": (None, 60)}
    ok("--db", blank_store.db, "import", str(tmp_path / "a.json"))
    assert ok("--db", blank_store.db, "export", "-f", "json").stdout == (
        (tmp_path / "a.json").read_text()
    )


def test_upgrading_from_0014_leaves_everyone_on_cycle_days(tmp_path, ok):
    path = old_store(tmp_path / "old.sqlite3", "0014")
    r = ok("--db", str(path), "--as", "Sam", "dm", "show", "jane", "--json")
    assert "upgraded the store from schema 0014" in r.stderr
    assert (r.json["dm"]["tier"], r.json["dm"]["cycle_days"], r.json["dm"]["due_on"]) == (
        None,
        None,
        "2026-11-24",
    )
    ok("--db", str(path), "--as", "Sam", "dm", "edit", "jane", "--cycle", "30")
    with closing(sqlite3.connect(path)) as conn, conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD,)
        assert conn.execute("SELECT tier, cycle_days FROM decision_maker").fetchall() == [
            (None, 30)
        ]
