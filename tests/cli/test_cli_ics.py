"""`callplan today --ics FILE` and `callplan sweep --ics FILE`: the plan as a calendar file."""

from __future__ import annotations

import os
import time as clock
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from tests.conftest import snapshot


@pytest.fixture(autouse=True)
def berlin() -> Iterator[None]:
    """A local zone an hour off UTC in November, so local and UTC times differ."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = "Europe/Berlin"
    clock.tzset()
    yield
    if old is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = old
    clock.tzset()


def read(path: Path) -> list:
    return Calendar.from_ical(path.read_bytes()).walk("VEVENT")


def utc(event, name: str) -> datetime:
    return event[name].dt.astimezone(UTC)


@pytest.fixture
def day_plan(ok):
    """Two new DMs and two due calls on Mon 23 Nov (the last one to a contact with no
    number on file)."""
    ok("dm", "add", "Ann Able", "--company", "Northwind", "--phone", "+44 (0)20 7946 0001")
    ok("dm", "add", "Bob Brown", "--company", "Northwind", "--phone", "020 7946 0002")
    ok("dm", "add", "Claire Dunn", "--company", "Mercia Water", "--phone", "0121 496 0888")
    ok(
        "log",
        "claire",
        "-c",
        "callback",
        "-s",
        "In budget meetings",
        "--on",
        "2026-11-20",
        "--next",
        "2026-11-23",
    )
    ok("dm", "add", "Ben Carter", "--company", "Solent Ports")
    ok("log", "ben", "-c", "rejection", "-s", "Uses Brook Street", "--on", "2026-05-05")


def test_today_writes_one_event_per_call_in_working_hours(ok, day_plan, tmp_path):
    path = tmp_path / "plan.ics"
    r = ok("today", "--ics", str(path))
    assert "Ann Able" in r.stdout  # the table still prints
    assert f"Wrote 4 calls to {path}." in r.stderr
    events = read(path)
    assert [str(e["summary"]).split(":")[0] for e in events] == [
        "Call Ann Able (Northwind)",
        "Call Bob Brown (Northwind)",
        "Call Claire Dunn (Mercia Water)",
        "Call Ben Carter (Solent Ports)",
    ]
    starts = [utc(e, "dtstart") for e in events]
    # 09:00 in Berlin is 08:00 UTC in November; 15-minute slots back to back
    first = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    assert starts == [first + timedelta(minutes=15 * i) for i in range(4)]
    assert [utc(e, "dtend") for e in events] == [*starts[1:], first + timedelta(hours=1)]
    assert str(events[2]["summary"]) == "Call Claire Dunn (Mercia Water): callback agreed"
    assert str(events[0]["url"]) == "tel:+442079460001"
    assert "tel:+441214960888" in str(events[2]["description"])
    assert "Last time: In budget meetings" in str(events[2]["description"])
    assert "url" not in events[3]  # no phone, no link
    assert "no number" in str(events[3]["description"])


def test_uids_are_stable_across_runs_and_unique_per_dm_and_day(ok, day_plan, tmp_path):
    a, b, c = tmp_path / "a.ics", tmp_path / "b.ics", tmp_path / "c.ics"
    ok("today", "--ics", str(a))
    ok("today", "--ics", str(b))
    ok("today", "--ics", str(c), "--date", "tue")
    uids = [str(e["uid"]) for e in read(a)]
    assert uids == [str(e["uid"]) for e in read(b)]
    assert len(set(uids)) == len(uids)
    assert "callplan-dm3-20261123@callplan" in uids
    assert not set(uids) & {str(e["uid"]) for e in read(c)}


def test_settings_change_the_hours_and_the_slot_length(ok, day_plan, tmp_path):
    path = tmp_path / "plan.ics"
    ok("config", "set", "day_start", "8:30")
    ok("today", "--ics", str(path), env={"CALLPLAN_SLOT_MINUTES": "30"})
    events = read(path)
    assert utc(events[0], "dtstart") == datetime(2026, 11, 23, 7, 30, tzinfo=UTC)
    assert utc(events[1], "dtstart") == datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    assert utc(events[3], "dtend") == datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


def test_calls_after_day_end_are_written_with_a_warning(ok, day_plan, tmp_path):
    path = tmp_path / "plan.ics"
    env = {"CALLPLAN_DAY_START": "16:00", "CALLPLAN_SLOT_MINUTES": "25"}
    r = ok("today", "--ics", str(path), env=env)
    assert len(read(path)) == 4
    assert "2 calls didn't fit before 17:00" in r.stderr


def test_day_end_before_day_start_is_a_config_error(cli, day_plan, tmp_path):
    r = cli("today", "--ics", str(tmp_path / "x.ics"), env={"CALLPLAN_DAY_END": "08:00"})
    assert r.exit_code == 6
    assert "day_end (08:00) must be after day_start (09:00)" in r.stderr


@pytest.mark.slow  # a screenful and more of DMs
def test_the_calendar_holds_every_due_call_not_just_a_screenful(ok, tmp_path):
    for i in range(30):
        ok("dm", "add", f"Due {i:02}")
        ok("log", f"Due {i:02}", "-c", "callback", "--on", "2026-11-20", "--next", "today")
    path = tmp_path / "plan.ics"
    r = ok("today", "--ics", str(path), env={"CALLPLAN_NEW_PER_DAY": "0"})
    assert len(read(path)) == 30
    assert "… and 5 more due" in r.stdout


def test_an_empty_plan_writes_a_calendar_without_events(ok, tmp_path):
    path = tmp_path / "plan.ics"
    r = ok("today", "--ics", str(path))
    assert read(path) == []
    assert "Wrote 0 calls" in r.stderr


def test_an_unwritable_path_is_one_line_and_leaves_nothing(cli, day_plan, tmp_path):
    folder = tmp_path / "missing"
    r = cli("today", "--ics", str(folder / "plan.ics"))
    assert r.exit_code == 7
    assert r.stderr.count("\n") == 1
    assert r.stderr.startswith(f"Error: Can't write the calendar {folder / 'plan.ics'}")
    r = cli("today", "--ics", str(tmp_path))  # a folder
    assert r.exit_code == 7
    assert r.stderr == (
        f"Error: Can't write the calendar {tmp_path}: it is a folder; name a file in it.\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "store.sqlite3") == []
    assert not [p for p in tmp_path.parent.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("command", ["today", "sweep"])
@pytest.mark.parametrize("name", ["nul\x00.ics", "x" * 300])
def test_a_file_name_the_system_refuses_is_one_line(
    store, cli, env, day_plan, tmp_path, command, name
):
    # Found by tests/test_hostile_input.py: a NUL in the name (ValueError) or a name too
    # long for the file system (OSError from is_dir) ended in exit 70.
    before = snapshot(store)
    r = cli(command, "--ics", str(tmp_path / name))
    assert r.exit_code == 7, r.stderr
    assert r.stderr.startswith("Error: Can't write the calendar") and r.stderr.count("\n") == 1
    assert snapshot(store) == before
    assert not [p for p in tmp_path.iterdir() if not p.name.startswith("store.sqlite3")]


def test_an_existing_file_is_replaced_whole(ok, day_plan, tmp_path):
    path = tmp_path / "plan.ics"
    path.write_text("old " * 10_000)
    ok("today", "--ics", str(path), "--force")
    assert path.read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "store.sqlite3") == ["plan.ics"]


def test_ics_dash_writes_the_calendar_to_stdout_alone(ok, cli, day_plan):
    r = ok("today", "--ics", "-")
    assert r.stdout.startswith("BEGIN:VCALENDAR")
    assert len(Calendar.from_ical(r.stdout).walk("VEVENT")) == 4
    assert cli("today", "--ics", "-", "--json").exit_code == 2


def test_ics_with_json_writes_both(ok, day_plan, tmp_path):
    path = tmp_path / "plan.ics"
    r = ok("today", "--json", "--ics", str(path))
    assert len(r.json["new"]) + len(r.json["due"]) == len(read(path))


def add_out_of_cycle(ok, n):
    for i in range(n):
        ok("dm", "add", f"Old {i:02}", "--phone", f"020 7946 00{i:02}")
        ok("log", f"Old {i:02}", "-c", "rejection", "--on", "2026-07-01", "-s", f"note {i}")


@pytest.mark.slow
def test_sweep_writes_each_swept_dm_on_its_day(ok, tmp_path):
    add_out_of_cycle(ok, 25)
    path = tmp_path / "sweep.ics"
    r = ok("sweep", "--json", "--ics", str(path), env={"CALLPLAN_TODAY": "2026-12-01"})
    placed = {(s["id"], s["due_on"]) for s in r.json["swept"]}
    events = read(path)
    assert len(events) == len(placed) == 25
    got = set()
    for e in events:
        local = e["dtstart"].dt.astimezone()
        assert 9 <= local.hour < 17
        dm_id = int(str(e["uid"]).split("-")[1].removeprefix("dm"))
        got.add((dm_id, local.date().isoformat()))
        assert str(e["uid"]) == f"callplan-dm{dm_id}-{local.date():%Y%m%d}@callplan"
        assert "90-day cycle" in str(e["summary"])
        assert "Last time: note" in str(e["description"])
    assert got == placed
    # two on one day: one after the other
    by_day: dict[str, list[datetime]] = {}
    for e in events:
        by_day.setdefault(e["dtstart"].dt.date().isoformat(), []).append(e["dtstart"].dt)
    assert any(len(v) > 1 for v in by_day.values())
    for starts in by_day.values():
        assert len(set(starts)) == len(starts)


def test_a_sweep_whose_calendar_cant_be_written_diarises_nothing(store, cli, env, tmp_path):
    add = cli("dm", "add", "Old Ollie")
    assert add.exit_code == 0
    cli("log", "ollie", "-c", "rejection", "--on", "2026-07-01")
    before = snapshot(store)
    r = cli("sweep", "--ics", str(tmp_path / "missing" / "s.ics"))
    assert r.exit_code == 7
    assert snapshot(store) == before


def test_sweep_dry_run_writes_the_calendar_but_not_the_diary(store, ok, env, tmp_path):
    add_out_of_cycle(ok, 2)
    before = snapshot(store)
    path = tmp_path / "s.ics"
    r = ok("sweep", "--dry-run", "--ics", str(path))
    assert len(read(path)) == 2
    assert "nothing was diarised" in r.stderr
    assert snapshot(store) == before
