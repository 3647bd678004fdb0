"""Callbacks at a time of day (issue 17): `log --next "thu 15:00"`, `dm edit --due
"tomorrow 9:30"`, `call edit --next`, the `go` prompt; the plan orders and shows them, the
calendar puts them at their time. Today is Mon 23 Nov 2026."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import time as clock
from collections.abc import Iterator
from contextlib import closing

import pytest

from callplan.store.schema import HEAD, REVISIONS
from tests.conftest import snapshot


def show(ok, ref="megan"):
    return ok("dm", "show", ref, "--json").json


@pytest.fixture
def megan(ok):
    ok("dm", "add", "Megan Price", "--company", "Leeds Digital", "--phone", "0113 496 0101")


def test_log_next_with_a_time_diarises_the_day_and_the_time(ok, megan):
    r = ok("log", "megan", "-c", "callback", "--next", "thu 15:00")
    assert "Next call Thu 26 Nov at 15:00." in r.stdout
    got = show(ok)
    assert (got["dm"]["due_on"], got["dm"]["due_at"]) == ("2026-11-26", "15:00")
    assert got["calls"][0]["next_call_at"] == "15:00"
    assert ok("brief", "megan", "--json").json["reason"].startswith("at 15:00: ")
    assert "Thu 26 Nov — at 15:00: " in " ".join(ok("dm", "show", "megan").stdout.split())


def test_a_later_date_without_a_time_clears_it(ok, megan):
    ok("log", "megan", "-c", "callback", "--on", "2026-11-20", "--next", "today 3pm")
    assert show(ok)["dm"]["due_at"] == "15:00"
    ok("log", "megan", "-n", "voicemail")  # diarised by the rule: no time
    assert show(ok)["dm"]["due_at"] is None
    ok("dm", "edit", "megan", "--due", "tomorrow 9:30")
    assert (show(ok)["dm"]["due_on"], show(ok)["dm"]["due_at"]) == ("2026-11-24", "09:30")
    r = ok("dm", "edit", "megan", "--due", "wed")
    assert "next call Wed 25 Nov." in r.stdout
    assert (show(ok)["dm"]["due_on"], show(ok)["dm"]["due_at"]) == ("2026-11-25", None)


def test_dm_edit_due_with_a_time_says_it(ok, megan):
    ok("log", "megan", "-c", "callback", "--on", "2026-11-20")
    r = ok("dm", "edit", "megan", "--due", "2026-11-27 10:00")
    assert "next call Fri 27 Nov at 10:00" in r.stdout


@pytest.mark.parametrize("typed", ["thu 25:00", "thu 15:", "thu 13pm"])
def test_a_bad_time_is_one_line_and_nothing_is_written(cli, ok, megan, store, typed):
    before = snapshot(store)
    for args in (
        ("log", "megan", "-c", "callback", "--next", typed),
        ("dm", "edit", "megan", "--due", typed),
    ):
        r = cli(*args)
        assert r.exit_code != 0 and r.stdout == ""
        assert "Can't read the time" in r.stderr and r.stderr.count("\n") == 1
    assert snapshot(store) == before


def test_a_time_on_a_day_the_cycle_pulls_in_is_dropped_with_a_warning(ok, megan):
    ok("log", "megan", "-c", "callback", "--on", "2026-11-20")
    r = ok("log", "megan", "-c", "callback", "--next", "2027-06-01 10:00")
    assert show(ok)["dm"]["due_at"] is None
    assert "no time set (10:00 was for" in r.stderr


def test_call_edit_next_sets_the_time_and_undo_puts_the_old_one_back(ok, megan):
    ok("log", "megan", "-c", "callback", "--on", "2026-11-19", "--next", "wed 9:00")
    ok("log", "megan", "-c", "callback", "--on", "2026-11-20", "--next", "thu 15:00")
    call_id = str(show(ok)["calls"][0]["id"])
    ok("call", "edit", call_id, "--next", "fri 11am")
    got = show(ok)
    assert (got["dm"]["due_on"], got["dm"]["due_at"]) == ("2026-11-27", "11:00")
    assert got["calls"][0]["next_call_at"] == "11:00"
    ok("call", "edit", call_id, "-s", "Busy")  # no new date: the agreed one and its time stay
    assert show(ok)["dm"]["due_at"] == "11:00"
    ok("undo", "--yes")
    assert (show(ok)["dm"]["due_on"], show(ok)["dm"]["due_at"]) == ("2026-11-25", "09:00")


def test_deleting_the_latest_call_brings_back_the_time_the_one_before_agreed(ok, megan):
    ok("log", "megan", "-c", "callback", "--on", "2026-11-19", "--next", "wed 9:00")
    ok("log", "megan", "-c", "callback", "--on", "2026-11-20", "--next", "thu")
    call_id = str(show(ok)["calls"][0]["id"])
    ok("call", "delete", call_id, "--yes")
    assert show(ok)["dm"]["due_at"] == "09:00"


# --- today -------------------------------------------------------------------------------


@pytest.fixture
def day(ok):
    """Four due today: two agreed for a time (the later one logged first), one callback
    and one advance follow-up with none."""
    for name in ("Ann Late", "Bob Early", "Cy Callback", "Di Advance"):
        ok("dm", "add", name, "--company", "Acme", "--phone", "0113 496 0101")
    ok("log", "ann", "-c", "callback", "--on", "2026-11-19", "--next", "today 15:00")
    ok("log", "bob", "-c", "callback", "--on", "2026-11-19", "--next", "today 9:30")
    ok("log", "cy", "-c", "callback", "--on", "2026-11-19", "--next", "today")
    ok("log", "di", "-a", "cv-review", "--on", "2026-11-19", "--next", "today")


def test_today_puts_the_timed_calls_first_by_time_and_shows_the_time(ok, day):
    due = ok("today", "--json").json["due"]
    assert [(r["name"], r["time"]) for r in due[:2]] == [
        ("Bob Early", "09:30"),
        ("Ann Late", "15:00"),
    ]
    assert due[0]["reason"].startswith("at 09:30: ") and due[1]["reason"].startswith("at 15:00: ")
    # the untimed after them, in the priority order as before (agreed callbacks first)
    assert [(r["name"], r["time"]) for r in due[2:]] == [
        ("Cy Callback", None),
        ("Di Advance", None),
    ]
    assert not any(r["reason"].startswith("at ") for r in due[2:])


def test_tomorrows_time_is_not_todays(ok, megan):
    ok("log", "megan", "-c", "callback", "--on", "2026-11-20", "--next", "tomorrow 9:00")
    due = ok("today", "--date", "2026-11-24", "--json").json["due"]
    assert due[0]["time"] == "09:00"
    later = ok("today", "--date", "2026-11-25", "--json").json["due"]
    assert later[0]["time"] is None and "09:00" not in later[0]["reason"]


ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def test_the_80_column_plan_shows_the_time(ok, day):
    terminal = {"TTY_COMPATIBLE": "1", "COLUMNS": "80", "LINES": "24", "PAGER": "cat"}
    lines = [ANSI.sub("", x).rstrip() for x in ok("today", env=terminal).stdout.splitlines()]
    assert all(len(x) <= 80 for x in lines)
    bob = next(i for i, x in enumerate(lines) if "Bob Early" in x)
    ann = next(i for i, x in enumerate(lines) if "Ann Late" in x)
    assert bob < ann and "at 09:30" in lines[bob] and "at 15:00" in lines[ann]


@pytest.fixture
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


def test_the_calendar_puts_timed_calls_at_their_time_and_the_rest_around_them(
    ok, day, tmp_path, berlin
):
    from datetime import UTC, datetime

    from icalendar import Calendar

    ok("config", "set", "day_start", "09:00")
    ok("config", "set", "slot_minutes", "30")
    ok("today", "--ics", str(tmp_path / "day.ics"))
    events = Calendar.from_ical((tmp_path / "day.ics").read_bytes()).walk("VEVENT")
    starts = {
        str(e["summary"]).split(" (")[0].removeprefix("Call "): e["dtstart"].dt.astimezone(UTC)
        for e in events
    }
    # Berlin is UTC+1 in November: 09:30 and 15:00 local are 08:30 and 14:00 UTC
    assert starts["Bob Early"] == datetime(2026, 11, 23, 8, 30, tzinfo=UTC)
    assert starts["Ann Late"] == datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
    untimed = sorted(v for k, v in starts.items() if k not in ("Bob Early", "Ann Late"))
    # 09:00 local, then 10:00 (09:30-10:00 is Bob's), and on: never over a timed call
    assert untimed[0] == datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    assert untimed[1] == datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


# --- go ----------------------------------------------------------------------------------


def test_go_takes_a_time_at_the_next_call_prompt(ok, megan):
    # outcome, type, summary, say, five note fields, referral: then the next call
    answers = ["c", "callback", "Curt", "", "", "", "", "", "", "", "fri 10:30", ""]
    r = ok("go", input="\n".join([*answers, "q"]) + "\n")
    assert "Next call Fri 27 Nov at 10:30." in r.stdout
    assert show(ok)["dm"]["due_at"] == "10:30"


def test_go_a_time_alone_is_on_the_day_offered(ok, megan):
    answers = ["c", "callback", "Curt", "", "", "", "", "", "", "", "4pm", ""]
    ok("go", input="\n".join([*answers, "q"]) + "\n")
    got = show(ok)["dm"]
    default = show(ok)["calls"][0]["next_call_on"]
    assert (got["due_on"], got["due_at"]) == (default, "16:00")


# --- the archive and the migration ---------------------------------------------------------


def _before_times() -> str:
    """The revision before the first one adding a next_call_at: found by its text, so the
    test holds when the migration is renumbered (0016 adds the candidates' own)."""
    from pathlib import Path

    import callplan.migrations

    versions = Path(callplan.migrations.__file__).parent / "versions"
    path = min(p for p in versions.glob("*.py") if '"next_call_at"' in p.read_text())
    return REVISIONS[REVISIONS.index(path.name[:4]) - 1]


def test_an_export_round_trip_and_a_merge_keep_the_time(ok, megan, tmp_path, blank_store):
    ok("log", "megan", "-c", "callback", "--on", "2026-11-20", "--next", "thu 15:00")
    ok("export", "-f", "json", "-o", str(tmp_path / "a.json"))
    doc = json.loads((tmp_path / "a.json").read_text())
    assert doc["decision_makers"][0]["next_call_at"] == "15:00"
    assert doc["calls"][0]["next_call_at"] == "15:00"
    ok("--db", blank_store.db, "import", str(tmp_path / "a.json"))
    again = ok("--db", blank_store.db, "export", "-f", "json").stdout
    assert again == (tmp_path / "a.json").read_text()
    # merged into a desk where Megan's earlier call is the only one: the later history wins
    other = ["--db", blank_store.db]
    ok(*other, "log", "megan", "-c", "callback", "--on", "2026-11-21", "--next", "fri 9am")
    ok(*other, "export", "-f", "json", "-o", str(tmp_path / "b.json"))
    ok("import", str(tmp_path / "b.json"), "--merge")
    assert (show(ok)["dm"]["due_on"], show(ok)["dm"]["due_at"]) == ("2026-11-27", "09:00")


def test_a_file_from_before_times_imports_with_none(ok, megan, tmp_path, blank_store):
    ok("log", "megan", "-c", "callback", "--next", "thu 15:00")
    doc = json.loads(ok("export", "-f", "json").stdout)
    del doc["decision_makers"][0]["next_call_at"]
    del doc["calls"][0]["next_call_at"]
    (tmp_path / "old.json").write_text(json.dumps(doc))
    ok("--db", blank_store.db, "import", str(tmp_path / "old.json"))
    again = json.loads(ok("--db", blank_store.db, "export", "-f", "json").stdout)
    assert again["decision_makers"][0]["next_call_at"] is None


def test_a_bad_time_in_a_file_is_refused(cli, ok, megan, tmp_path, blank_store):
    ok("log", "megan", "-c", "callback", "--next", "thu 15:00")
    doc = json.loads(ok("export", "-f", "json").stdout)
    doc["decision_makers"][0]["next_call_at"] = "25:00"
    (tmp_path / "bad.json").write_text(json.dumps(doc))
    r = cli("--db", blank_store.db, "import", str(tmp_path / "bad.json"))
    assert r.exit_code != 0 and "next_call_at" in r.stderr


def test_upgrading_from_before_times_keeps_every_row_with_no_time(tmp_path, ok):
    from callplan.store.db import make_engine, upgrade

    path = tmp_path / "old.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    before = _before_times()
    upgrade(engine, before)
    engine.dispose()
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute(
            "INSERT INTO decision_maker (id, name, name_key, status, needs_number, created_at,"
            " conversation_count, attempts_in_row, last_conversation_on, next_call_on,"
            " due_reason, last_outcome, owner, lawful_basis, ctps, due_purpose) VALUES (1,"
            " 'Jane Smith', 'jane smith', 'active', 0, '2026-10-01 09:00:00', 1, 0,"
            " '2026-11-20', '2026-11-24', 'callback', 'callback', 'Sam', 'legitimate-interest',"
            " 0, 'clarify')"
        )
        conn.execute(
            "INSERT INTO call (id, dm_id, called_on, logged_at, kind, outcome, summary,"
            " next_call_on, conversation_number, reason, recruiter, next_purpose) VALUES (1, 1,"
            " '2026-11-20', '2026-11-20 09:05:00', 'continuation', 'callback', 'Curt',"
            " '2026-11-24', 1, 'new', 'Sam', 'clarify')"
        )
        conn.execute(
            "INSERT INTO call_before (call_id, next_call_on, due_reason, status, owner,"
            " needs_number) VALUES (1, NULL, NULL, 'active', NULL, 0)"
        )
    r = ok("--db", str(path), "--as", "Sam", "dm", "show", "jane", "--json")
    assert f"upgraded the store from schema {before}" in r.stderr
    assert (r.json["dm"]["due_on"], r.json["dm"]["due_at"]) == ("2026-11-24", None)
    assert r.json["dm"]["due_purpose"] == "clarify"
    [call] = r.json["calls"]
    assert (call["summary"], call["next_call_at"]) == ("Curt", None)
    ok("--db", str(path), "--as", "Sam", "dm", "edit", "jane", "--due", "tomorrow 9:30")
    with closing(sqlite3.connect(path)) as conn, conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD,)
        assert conn.execute("SELECT next_call_at FROM decision_maker").fetchone() == (
            "09:30:00.000000",
        )


@pytest.mark.sqlite_only("the migration's downgrade, checked once")
def test_the_time_downgrade_drops_the_columns(tmp_path):
    import sqlalchemy as sa
    from alembic import command

    from callplan.store.db import alembic_config, make_engine, upgrade

    engine = make_engine(f"sqlite:///{tmp_path / 's.sqlite3'}")
    try:
        upgrade(engine, HEAD)
        for table in ("decision_maker", "call", "call_before"):
            assert "next_call_at" in {c["name"] for c in sa.inspect(engine).get_columns(table)}
        command.downgrade(alembic_config(engine), _before_times())
        engine.dispose()
        for table in ("decision_maker", "call", "call_before"):
            assert "next_call_at" not in {c["name"] for c in sa.inspect(engine).get_columns(table)}
    finally:
        engine.dispose()


def test_the_sweep_places_a_dm_with_no_time(ok, megan):
    # a rejection diarised by hand for a time, long ago: a cycle call, the sweep's to move
    ok("log", "megan", "-c", "rejection", "--on", "2026-07-01", "--next", "2026-07-03 10:00")
    assert show(ok)["dm"]["due_at"] == "10:00"
    swept = ok("sweep", "--json").json["swept"]
    assert [r["name"] for r in swept] == ["Megan Price"]
    assert show(ok)["dm"]["due_at"] is None
