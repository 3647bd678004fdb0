"""`callplan today`: the quota of new DMs, who is due, why, and in what order."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import Store


def plan(ok, *args, today=None):
    env = {"CALLPLAN_TODAY": today} if today else None
    return ok("today", "--json", *args, env=env).json


def names(rows):
    return [r["name"] for r in rows]


def test_empty_store_says_how_to_start(ok):
    r = ok("today")
    assert "callplan dm add" in r.stderr
    assert r.stdout == ""
    assert plan(ok) == {
        "date": "2026-11-23",
        "recruiter": "Sam",
        "working_day": True,
        "quota": {"per_day": 2, "spoken_today": 0, "remaining": 2},
        "new": [],
        "due": [],
        "due_total": 0,
        "delivery": [],
        "need_number": 0,
        "progress": {
            "today": 0,
            "quota": 2,
            "week": 0,
            "week_target": 10,
            "streak": 0,
            "overdue": 0,
            "conversations": 0,
            "advances": {},
        },
        "goal": None,
        "sweep_due": None,
    }


def test_no_command_shows_todays_plan(ok):
    ok("dm", "add", "Jane Smith", "--phone", "0113 496 0001")
    assert "Jane Smith" in ok().stdout
    assert ok().stdout == ok("today").stdout


@pytest.fixture
def prospects(ok):
    for i, name in enumerate(["Ann Old", "Ben Older", "Cat Oldest"]):
        ok("dm", "add", name, "--phone", f"0113 496 09{i:02d}")


def test_two_new_dms_picked_oldest_added_first(ok, prospects):
    assert names(plan(ok)["new"]) == ["Ann Old", "Ben Older"]


def test_referred_prospects_come_before_cold_ones(ok, prospects):
    ok("dm", "add", "Rita Referred", "--referred-by", "ann", "--phone", "0113 496 0002")
    assert names(plan(ok)["new"])[0] == "Rita Referred"


def test_due_retries_come_after_referrals_before_the_oldest(ok, prospects):
    ok("log", "cat", "-n", "no-answer", "--on", "2026-11-20")  # retry due Mon 23rd
    ok("dm", "add", "Rita Referred", "--referred-by", "ann", "--phone", "0113 496 0003")
    assert names(plan(ok)["new"]) == ["Rita Referred", "Cat Oldest"]


def test_the_quota_counts_first_conversations_only(ok, prospects):
    ok("dm", "add", "Old Friend", "--phone", "0113 496 0004")
    ok("log", "old friend", "-c", "callback", "--on", "2026-11-02")
    ok("log", "old friend", "-a", "meeting")  # a second conversation: not a new DM
    assert plan(ok)["quota"]["remaining"] == 2
    ok("log", "ann", "-c", "emailed-details")  # first conversation with Ann
    p = plan(ok)
    assert p["quota"] == {"per_day": 2, "spoken_today": 1, "remaining": 1}
    assert names(p["new"]) == ["Ben Older"]
    ok("log", "ben", "-a", "cv-review")
    p = plan(ok)
    assert p["quota"]["remaining"] == 0 and p["new"] == []
    assert "quota met" in ok("today").stderr


def test_a_failed_dial_frees_the_slot_for_another_prospect(ok, prospects):
    ok("log", "ann", "-n", "voicemail")
    assert names(plan(ok)["new"]) == ["Ben Older", "Cat Oldest"]


def test_config_changes_the_quota(ok, prospects):
    ok("config", "set", "new_per_day", "3")
    assert len(plan(ok)["new"]) == 3
    assert len(ok("today", "--json", env={"CALLPLAN_NEW_PER_DAY": "1"}).json["new"]) == 1


def test_a_prospect_planned_later_is_not_picked(ok, prospects):
    ok("dm", "edit", "ann", "--due", "2026-12-01")
    assert "Ann Old" not in names(plan(ok)["new"])
    assert "Ann Old" in names(plan(ok, today="2026-12-01")["new"])


def test_a_new_dm_is_not_listed_again_as_due(ok, prospects):
    ok("dm", "edit", "ann", "--due", "today")
    p = plan(ok)
    assert "Ann Old" in names(p["new"]) and "Ann Old" not in names(p["due"])


def test_due_rows_say_why_and_what_number_the_call_is(ok):
    ok("dm", "add", "Jane Smith", "--company", "Acme", "--phone", "020 7946 0000")
    ok("log", "jane", "-a", "cv-review", "-s", "Sent 2 CVs", "--on", "2026-11-19")
    row = plan(ok)["due"][0]
    assert row["reason"] == "chase CV feedback — CVs sent 4 days ago"
    assert row["conversation_number"] == 2
    assert row["phone"] == "+442079460000" and row["company"] == "Acme"
    assert row["last_summary"] == "Sent 2 CVs"
    assert row["due_on"] == "2026-11-23"
    for key in ("id", "name", "company", "phone", "reason", "due_on"):
        assert key in row


def test_due_and_not_called_stays_due_the_next_day(ok):
    ok("dm", "add", "Jane Smith")
    ok("log", "jane", "-c", "callback", "--next", "2026-11-20", "--on", "2026-11-18")
    p = plan(ok, today="2026-11-24")
    assert names(p["due"]) == ["Jane Smith"]
    assert p["due"][0]["reason"] == "callback agreed, 4 days late"


def test_past_the_cycle_is_due_with_days_overdue(ok):
    ok("dm", "add", "Jane Smith")
    ok("log", "jane", "-c", "rejection", "--on", "2026-08-03")  # due Fri 30 Oct
    reason = plan(ok)["due"][0]["reason"]
    assert reason == "90-day cycle: 22 days overdue"


def test_callbacks_and_advances_come_before_cycle_catch_ups(ok):
    for name in ["Cycle Carl", "Callback Cleo", "Advance Ada", "Email Eve", "Retry Rob"]:
        ok("dm", "add", name)
    ok("log", "carl", "-c", "rejection", "--on", "2026-06-01")
    ok("log", "eve", "-c", "emailed-details", "--on", "2026-11-16")
    ok("log", "rob", "-c", "objection", "--on", "2026-10-01")
    ok("log", "rob", "-n", "no-answer", "--on", "2026-11-20")
    ok("log", "cleo", "-c", "callback", "--next", "today", "--on", "2026-11-20")
    ok("log", "ada", "-a", "live-requirement", "--on", "2026-11-19")
    order = names(plan(ok)["due"])
    # Callbacks and advance follow-ups share the first group (then by due date, then id).
    assert set(order[:2]) == {"Advance Ada", "Callback Cleo"}
    assert order[2:] == ["Email Eve", "Retry Rob", "Cycle Carl"]


def test_date_option_and_env_override(ok, cli):
    ok("dm", "add", "Jane Smith")
    ok("log", "jane", "-c", "callback", "--next", "2026-12-01")
    assert plan(ok)["due"] == []
    assert names(ok("today", "--json", "--date", "2026-12-01").json["due"]) == ["Jane Smith"]
    r = cli("today", env={"CALLPLAN_TODAY": "23/11/2026"})
    assert r.exit_code == 2 and "CALLPLAN_TODAY" in r.stderr


@pytest.mark.slow
def test_table_at_80_columns_shows_a_screenful_and_how_many_more(ok):
    for i in range(40):
        ok("dm", "add", f"Person {i:02d}", "--company", "A very long company name plc")
        ok(
            "log",
            f"person {i:02d}",
            "-c",
            "callback",
            "--on",
            "2026-11-19",
            "-s",
            "A long summary of what they said " * 5,
        )
    out = ok("today").stdout
    assert "and 15 more due: callplan today --all" in out
    assert all(len(line) <= 80 for line in out.splitlines())
    assert "Person 39" not in out
    assert "Person 39" in ok("today", "--all").stdout
    assert len(plan(ok)["due"]) == 40


def test_csv_has_both_sections(ok):
    ok("dm", "add", "Jane Smith", "--phone", "0113 496 0005")
    ok("dm", "add", "Bob Jones", "--phone", "0113 496 0006")
    ok("log", "bob", "-c", "callback", "--next", "today", "--on", "2026-11-20")
    lines = ok("today", "--csv").stdout.splitlines()
    assert lines[0].startswith("section,id,name")
    assert [line.split(",")[0] for line in lines[1:]] == ["new", "due"]


def test_plain_output_when_piped_has_no_colour_codes(ok):
    ok("dm", "add", "Jane Smith")
    assert "\x1b[" not in ok("today", env={"NO_COLOR": None}).stdout


def test_non_working_day_is_flagged(ok):
    ok("dm", "add", "Jane Smith")
    assert "not a working day (Christmas Day)" in ok("today", "--date", "2026-12-25").stdout


def test_no_new_dms_on_a_non_working_day(ok):
    ok("dm", "add", "Jane Smith")
    p = plan(ok, today="2026-11-28")  # a Saturday
    assert p["working_day"] is False and p["new"] == [] and p["quota"]["per_day"] == 0
    assert "none planned on a non-working day" in ok("today", "--date", "2026-12-25").stderr


def test_rows_carry_a_reason_code_for_scripts(ok):
    ok("dm", "add", "Jane Smith", "--phone", "0113 496 0007")
    ok("dm", "add", "Bob Jones", "--phone", "0113 496 0008")
    ok("log", "bob", "-c", "callback", "--next", "today", "--on", "2026-11-20")
    p = plan(ok)
    assert [r["reason_code"] for r in p["new"]] == ["new"]
    assert [r["reason_code"] for r in p["due"]] == ["callback"]
    assert p["due_total"] == 1


def test_a_prospect_with_a_date_you_set_is_still_a_new_dm_for_scripts(ok):
    ok("dm", "add", "Jane Smith", "--phone", "0113 496 0009")
    ok("dm", "edit", "jane", "--due", "today")
    assert [r["reason_code"] for r in plan(ok)["new"]] == ["new"]


def test_a_non_working_day_points_to_the_next_working_day(ok):
    ok("dm", "add", "Jane Smith")
    r = ok("today", env={"CALLPLAN_TODAY": "2026-12-25"})  # Christmas Day, a Friday
    assert "The next working day is Tue 29 Dec: callplan today --date 2026-12-29" in r.stderr


@pytest.fixture
def seven_prospects(ok, store: Store) -> Store:
    """Seven prospects in the store, kept to restore before each example."""
    for i in range(7):
        ok("dm", "add", f"Prospect {i}", "--phone", f"0113 496 08{i:02d}")
    if store.backend == "sqlite":
        with closing(sqlite3.connect(store.path)) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.keep()
    return store


@pytest.mark.slow
@settings(max_examples=20)
@given(
    per_day=st.integers(0, 5),
    spoken=st.integers(0, 4),
    dialled=st.integers(0, 2),
    on=st.sampled_from(["2026-11-23", "2026-11-24", "2026-11-28", "2026-12-25"]),
)
def test_the_plan_never_offers_more_new_dms_than_the_quota(
    ok, seven_prospects: Store, per_day: int, spoken: int, dialled: int, on: str
) -> None:
    seven_prospects.restore()
    for i in range(spoken):  # first conversations today
        ok("log", f"prospect {i}", "-c", "callback")
    for i in range(spoken, spoken + dialled):  # dials that didn't connect
        ok("log", f"prospect {i}", "-n", "no-answer")
    p = ok("today", "--json", "--date", on, env={"CALLPLAN_NEW_PER_DAY": str(per_day)}).json
    quota = per_day if p["working_day"] else 0
    spoken_then = spoken if on == "2026-11-23" else 0
    assert p["quota"]["per_day"] == quota
    assert p["quota"]["remaining"] == max(0, quota - spoken_then)
    assert len(p["new"]) <= p["quota"]["remaining"]
    assert all(r["conversation_number"] == 1 for r in p["new"])
    if on == "2026-11-23":  # the dialled are retried tomorrow, not today
        assert len(p["new"]) == min(p["quota"]["remaining"], 7 - spoken - dialled)


def test_the_plan_ends_with_the_progress_line_and_the_days_results(ok):
    for name in ("Ann Lee", "Bob Ray", "Cy Fox", "Di Lamb"):
        ok("dm", "add", name)
    ok("log", "ann", "--continuation", "callback", "--on", "2026-11-20")
    ok("log", "bob", "--continuation", "callback", "--on", "2026-11-20")
    last = ok("today").stdout.rstrip().splitlines()[-1]  # nothing logged today: no results
    assert last == ("New DMs: 0 of 2 today · 0 of 10 this week · streak 1 day · 0 overdue")
    ok("log", "cy", "--advance", "meeting")
    ok("log", "ann", "--advance", "cv-review")
    ok("log", "di", "--no-connect", "voicemail")  # a dial, not a conversation
    last = ok("today").stdout.rstrip().splitlines()[-2:]
    assert last == [
        "New DMs: 1 of 2 today · 1 of 10 this week · streak 1 day · 0 overdue",
        "Results today: 2 advances (cv-review, meeting) from 2 conversations",
    ]
    progress = ok("today", "--json").json["progress"]
    assert progress["conversations"] == 2
    assert progress["advances"] == {"cv-review": 1, "meeting": 1}
    assert "New DMs:" not in ok("today", "--csv").stdout


def test_a_prospects_retry_due_today_is_in_the_plan_once_the_quota_is_met(ok, prospects):
    """Everyone whose next call is today or before is in today's plan: a prospect's retry
    the new-DM slots don't take is in the due list, in its place among the due calls."""
    ok("dm", "add", "Priya Retry")
    ok("log", "priya", "-n", "voicemail", "--on", "2026-11-20")  # retry due Monday 23rd
    ok("dm", "add", "Old Friend")
    ok("log", "old friend", "-c", "callback", "--on", "2026-11-02", "--next", "2026-11-16")
    ok("log", "ann", "-c", "emailed-details")
    ok("log", "ben", "-c", "hr-fob-off")  # two first conversations: the quota is met
    p = plan(ok)
    assert p["new"] == []
    assert names(p["due"]) == ["Old Friend", "Priya Retry"]  # a callback before a retry
    assert p["due_total"] == 2
    assert p["due"][1]["reason"].startswith("retry: left a voicemail")
    assert "Priya Retry" in ok("today").stdout


def test_a_long_message_wraps_between_words_on_a_terminal(monkeypatch):
    """A terminal cuts a long line wherever its width ends; callplan wraps it first."""
    import io

    from rich.console import Console

    from callplan.cli import output

    screen = io.StringIO()
    terminal = Console(file=screen, width=40, force_terminal=True, color_system=None)
    monkeypatch.setattr(output, "console", lambda **_: terminal)
    words = "Note: the store can't be written just now (it is read-only): not claimed."
    output.message(words)
    lines = screen.getvalue().splitlines()
    assert len(lines) > 1 and all(len(line) <= 40 for line in lines)
    assert " ".join(line.strip() for line in lines) == words  # no word cut in two


def test_a_long_line_on_stdout_wraps_between_words_on_a_terminal(monkeypatch):
    import io
    import sys

    from rich.console import Console

    from callplan.cli import output

    screen = io.StringIO()
    terminal = Console(file=screen, width=40, force_terminal=True, color_system=None)
    monkeypatch.setattr(output, "console", lambda **_: terminal)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    words = "Logged advance (cv-review) with Gareth Lloyd, Vale: 2nd conversation."
    output.echo(words)
    lines = screen.getvalue().splitlines()
    assert len(lines) > 1 and all(len(line) <= 40 for line in lines)
    assert " ".join(line.strip() for line in lines) == words


# --- no country, no holidays (issue 15) -----------------------------------------------------

NO_COUNTRY = {"CALLPLAN_COUNTRY": None, "LANG": "C.UTF-8", "CALLPLAN_TODAY": "2026-12-25"}
HINT = "callplan config set country GB-ENG"


def test_with_no_country_today_says_once_how_to_set_one(ok, prospects):
    """Under C.UTF-8 nothing names a country: Christmas Day is a working day with new
    DMs planned, so the plan says (once, on stderr) how to set the country."""
    r = ok("today", env=NO_COUNTRY)
    assert "New decision makers" in r.stdout  # Christmas is a working day without one
    assert r.stderr.count(HINT) == 1
    assert len([line for line in r.stderr.splitlines() if HINT in line]) == 1
    assert "LANG=C.UTF-8" in r.stderr
    assert ok(env=NO_COUNTRY).stderr.count(HINT) == 1  # `callplan` alone: the same plan
    r = ok("today", "--json", env=NO_COUNTRY)
    assert r.json["new"] and r.stderr.count(HINT) == 1  # stdout is the JSON alone


@pytest.mark.parametrize(
    "given",
    [
        {},  # CALLPLAN_COUNTRY=GB-ENG
        {"CALLPLAN_COUNTRY": None, "LANG": "en_GB.UTF-8"},
        {"CALLPLAN_COUNTRY": "none", "LANG": "C.UTF-8"},  # no holidays, as asked
    ],
)
def test_with_a_country_in_force_today_says_nothing_of_it(ok, prospects, given):
    r = ok("today", env={**given, "CALLPLAN_TODAY": "2026-12-24"})
    assert "country" not in r.stderr


def test_prospects_without_a_number_are_one_line_not_the_new_dms(ok):
    for name in ("Ann Linked", "Ben Linked", "Cat Linked"):  # as a LinkedIn import adds them
        ok("dm", "add", name)
    ok("dm", "add", "Dan Wrong", "--phone", "0113 496 0100")
    ok("log", "dan", "-n", "wrong-number", "--on", "2026-11-20")
    ok("dm", "add", "Eve Ring", "--phone", "0113 496 0101")
    ok("dm", "add", "Fay Ring", "--phone", "0113 496 0102")
    plan = ok("today", "--json").json
    assert names(plan["new"]) == ["Eve Ring", "Fay Ring"] and plan["need_number"] == 4
    r = ok("today")
    line = "4 new DMs need a number: callplan dm list --status need-number"
    assert r.stderr.count(line) == 1 and "Linked" not in r.stdout
    listed = ok("dm", "list", "--status", "need-number", "--json").json["dms"]
    assert names(listed) == ["Ann Linked", "Ben Linked", "Cat Linked", "Dan Wrong"]
    ok("dm", "edit", "ann", "--phone", "0113 496 0103")
    assert "3 new DMs need a number" in ok("today").stderr


def test_with_only_prospects_without_a_number_left_the_plan_says_so(ok):
    ok("dm", "add", "Ann Linked")
    r = ok("today")
    assert "but no prospect left has a number: find theirs" in r.stdout + r.stderr
    assert "1 new DM needs a number: callplan dm list" in r.stderr
    ok("dm", "add", "Eve Ring", "--phone", "0113 496 0101")
    r = ok("today")
    assert "Only 1 prospect with a number left to call today" in r.stdout + r.stderr


def test_no_need_number_line_when_every_prospect_has_a_number(ok, prospects):
    assert "need a number" not in ok("today").stderr
