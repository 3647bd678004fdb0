"""Logging calls: outcomes, the next call they diarise, the cycle cap, attempts."""

from __future__ import annotations

import pytest

from tests.conftest import snapshot


@pytest.fixture
def jane(ok):
    ok("dm", "add", "Jane Smith", "--company", "Acme", "--phone", "020 7946 0000")


def dm(ok, ref="jane"):
    return ok("dm", "show", ref, "--json").json


def test_advance_chases_within_two_working_days(ok, jane):
    # Friday 27 Nov: CVs sent, chased on Tuesday 1 Dec (two working days on).
    r = ok(
        "log",
        "jane",
        "--advance",
        "cv-review",
        "--summary",
        "Sent 2 CVs",
        "--on",
        "fri",
        env={"CALLPLAN_TODAY": "2026-11-28"},
    )
    assert "Logged advance (cv-review) with Jane Smith, Acme yesterday: 1st conversation." in (
        r.stdout
    )
    assert "Next call Tue 1 Dec" in r.stdout
    shown = dm(ok)
    assert shown["dm"]["due_on"] == "2026-12-01"
    assert shown["calls"][0]["called_on"] == "2026-11-27"
    assert shown["calls"][0]["conversation_number"] == 1


def test_confirming_line_counts_conversations(ok, jane):
    ok("log", "jane", "-c", "callback", "--on", "2026-11-02")
    r = ok("log", "jane", "-a", "meeting", "--on", "2026-11-16")
    assert "2nd conversation" in r.stdout
    assert dm(ok)["dm"]["conversations"] == 2


def test_rejection_gets_the_full_cycle_on_a_working_day(ok, jane):
    ok("log", "jane", "--continuation", "rejection")
    # 2026-11-23 + 90 days = Sun 2027-02-21 -> Fri 2027-02-19.
    assert dm(ok)["dm"]["due_on"] == "2027-02-19"


def test_next_beyond_the_cycle_is_capped_and_says_so(ok, jane):
    r = ok("log", "jane", "-c", "hr-fob-off", "--next", "+6m")
    assert "past the 90-day cycle: diarised for Fri 19 Feb 2027 instead" in r.stderr
    assert dm(ok)["dm"]["due_on"] == "2027-02-19"


def test_agreed_next_date_is_kept(ok, jane):
    ok("log", "jane", "-c", "callback", "--next", "thu")
    assert dm(ok)["dm"]["due_on"] == "2026-11-26"


def test_config_changes_the_default_delay(ok, jane):
    ok("config", "set", "delay.callback", "5d")
    ok("log", "jane", "-c", "callback")
    assert dm(ok)["dm"]["due_on"] == "2026-11-30"  # Sat 28th + roll to Monday


def test_no_connect_is_an_attempt_not_a_conversation(ok, jane):
    r = ok("log", "jane", "--no-connect", "no-answer")
    assert "attempt 1, not yet spoken to" in r.stdout
    shown = dm(ok)["dm"]
    assert shown["conversations"] == 0 and shown["prospect"] is True
    assert shown["due_on"] == "2026-11-24"  # retry the next working day
    plan = ok("today", "--json").json
    assert plan["quota"]["spoken_today"] == 0  # the quota is about conversations


def test_no_connect_does_not_reset_the_cycle(ok, jane):
    ok("log", "jane", "-c", "rejection", "--on", "2026-08-03")
    ok("log", "jane", "-n", "voicemail")
    shown = dm(ok)["dm"]
    assert shown["last_spoke_on"] == "2026-08-03"
    plan = ok("today", "--json", env={"CALLPLAN_TODAY": "2026-11-24"}).json
    assert "90-day cycle: 23 days overdue" in plan["due"][0]["reason"]


def test_busy_retries_the_same_day(ok, jane):
    ok("log", "jane", "-n", "busy")
    assert dm(ok)["dm"]["due_on"] == "2026-11-23"
    assert [d["name"] for d in ok("today", "--json").json["new"]] == ["Jane Smith"]


def test_wrong_number_flags_the_dm_until_a_new_number(ok, jane):
    r = ok("log", "jane", "-n", "wrong-number")
    assert "needs a new number" in r.stderr
    assert dm(ok)["dm"]["needs_number"] is True
    plan = ok("today", "--json", env={"CALLPLAN_TODAY": "2026-11-24"}).json
    # A wrong number takes none of the new-DM slots: her retry is a due call, to find one.
    assert plan["new"] == [] and plan["need_number"] == 1
    assert "needs a new number" in plan["due"][0]["reason"]
    ok("dm", "edit", "jane", "--phone", "020 7946 0999")
    assert dm(ok)["dm"]["needs_number"] is False
    plan = ok("today", "--json", env={"CALLPLAN_TODAY": "2026-11-24"}).json
    assert [d["name"] for d in plan["new"]] == ["Jane Smith"] and plan["need_number"] == 0


def test_left_company_archives_and_adds_the_successor(ok, jane):
    r = ok("log", "jane", "-n", "left-company", "--successor", "Priya Patel")
    assert "archived" in r.stdout and "Priya Patel" in r.stdout
    assert dm(ok)["dm"]["status"] == "archived"
    priya = dm(ok, "priya")["dm"]
    assert priya["company"] == "Acme" and priya["referred_by"] == "Jane Smith"
    assert ok("today", "--json").json["need_number"] == 1  # a successor has no number yet
    ok("dm", "edit", "priya", "--phone", "020 7946 0998")
    new = ok("today", "--json").json["new"]
    assert new[0]["name"] == "Priya Patel"  # referred DMs are called before cold ones
    assert "referred by Jane Smith" in new[0]["reason"]


def test_left_company_without_successor_when_piped(ok, jane):
    ok("log", "jane", "-n", "left-company")
    assert dm(ok)["dm"]["status"] == "archived"


def test_several_attempts_in_a_row_suggest_another_route(ok, jane):
    for day in ("2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19"):
        ok("log", "jane", "-n", "no-answer", "--on", day)
    plan = ok("today", "--json", env={"CALLPLAN_TODAY": "2026-11-20"}).json
    assert "another route" not in plan["new"][0]["reason"]
    ok("log", "jane", "-n", "voicemail", "--on", "2026-11-20", env={"CALLPLAN_TODAY": "2026-11-20"})
    plan = ok("today", "--json").json
    assert "5 tries without a conversation: try another route" in plan["new"][0]["reason"]
    ok("log", "jane", "-c", "callback")
    assert dm(ok)["dm"]["attempts_in_row"] == 0


def test_backdated_call_renumbers_and_keeps_the_latest_diary(ok, jane):
    ok("log", "jane", "-a", "cv-review", "--on", "2026-11-20")
    ok("log", "jane", "-c", "callback", "--on", "2026-11-02", "--next", "2026-11-05")
    shown = dm(ok)
    numbers = {c["called_on"]: c["conversation_number"] for c in shown["calls"]}
    assert numbers == {"2026-11-02": 1, "2026-11-20": 2}
    assert shown["dm"]["due_on"] == "2026-11-24"  # still from the latest call
    assert shown["dm"]["last_spoke_on"] == "2026-11-20"


@pytest.mark.parametrize(
    "args, needle, code",
    [
        (["log", "jane"], "exactly one of", 2),
        (["log", "jane", "-a", "meeting", "-c", "callback"], "exactly one of", 2),
        (["log", "jane", "--advance", "coffee"], "Unknown advance type 'coffee'", 2),
        (["log", "jane", "--continuation", "meeting"], "use --advance meeting", 2),
        (["log", "jane", "--continuation", "hello"], "Unknown continuation type", 2),
        (["log", "jane", "-a", "meeting", "--on", "2026-02-30"], "not a real date", 2),
        (["log", "jane", "-a", "meeting", "--on", "someday"], "Can't read the date", 2),
        (["log", "jane", "-a", "meeting", "--on", "tomorrow"], "in the future", 2),
        (["log", "jane", "-a", "meeting", "--next", "yesterday"], "before the call", 2),
        (["log", "jane", "-a", "meeting", "--successor", "Bob"], "--successor goes with", 2),
        (["log", "nobody", "-a", "meeting"], "No decision maker", 3),
        (["log", "-a", "meeting"], "Missing argument", 2),
    ],
)
def test_bad_log_is_one_line_and_writes_nothing(store, cli, jane, env, args, needle, code):
    before = snapshot(store)
    r = cli(*args)
    assert r.exit_code == code, r.stderr
    assert needle in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    assert r.stdout == ""
    assert snapshot(store) == before


def test_logging_a_do_not_call_dm_warns(ok, jane):
    ok("dm", "dnc", "jane")
    r = ok("log", "jane", "-c", "rejection")
    assert "do-not-call" in r.stderr


def test_back_dated_calls_report_their_own_number(ok, jane):
    ok("log", "jane", "-c", "callback", "--on", "2026-11-02")
    ok("log", "jane", "-a", "meeting", "--on", "2026-11-20")
    r = ok("log", "jane", "-c", "objection", "--on", "2026-11-10")
    assert "on Tue 10 Nov: 2nd conversation." in r.stdout
    assert "Next call" not in r.stdout  # the diary follows the latest call
    r = ok("log", "jane", "-n", "no-answer", "--on", "2026-11-16")
    assert "an attempt." in r.stdout and "attempt 0" not in r.stdout


def test_an_overdue_contact_not_answering_is_retried_the_next_working_day(ok, jane):
    ok("log", "jane", "-c", "rejection", "--on", "2026-08-03")
    r = ok("log", "jane", "-n", "no-answer", env={"CALLPLAN_TODAY": "2026-11-27"})  # a Friday
    assert "Next call Mon 30 Nov." in r.stdout


def test_a_default_pulled_in_by_a_short_cycle_is_reported(ok, jane):
    r = ok("log", "jane", "-c", "hr-fob-off", env={"CALLPLAN_CYCLE_DAYS": "10"})
    assert "The default for hr-fob-off (30d) is past the 10-day cycle" in r.stderr
    assert "Next call Thu 3 Dec." in r.stdout


def test_a_next_call_typed_for_a_non_working_day_is_kept_with_a_note(ok, jane):
    r = ok("log", "jane", "-c", "callback", "--next", "2026-12-25")
    assert "Next call Fri 25 Dec." in r.stdout
    assert "not a working day" in r.stderr


def test_no_number_warning_for_someone_who_has_left(ok, jane):
    ok("log", "jane", "-n", "wrong-number")
    r = ok("log", "jane", "-n", "left-company")
    assert "needs a new number" not in r.stderr


def test_control_characters_in_a_summary_are_refused(store, cli, jane, env):
    before = snapshot(store)
    r = cli("log", "jane", "-c", "callback", "-s", "hello \x1b[2J world")
    assert r.exit_code == 2 and "control characters" in r.stderr
    assert snapshot(store) == before


def test_a_multi_line_summary_is_kept(ok, jane):
    ok("log", "jane", "-c", "callback", "-s", "  line one\nline two  ")
    assert ok("dm", "show", "jane", "--json").json["calls"][0]["summary"] == "line one\nline two"


def test_an_attempt_with_a_contact_names_the_conversation_count(ok, jane):
    ok("log", "jane", "-c", "callback", "--on", "2026-11-16")
    ok("log", "jane", "-a", "meeting", "--on", "2026-11-18")
    r = ok("log", "jane", "-n", "voicemail")
    assert "attempt 1 since the last conversation (2 so far)." in r.stdout


def test_a_conversation_with_an_archived_dm_brings_them_back(ok, jane):
    ok("dm", "archive", "jane")
    r = ok("log", "jane", "-c", "callback", "-s", "Back in the market")
    assert "archived" in r.stderr and "active again" in r.stderr
    shown = dm(ok)["dm"]
    assert shown["status"] == "active" and shown["due_on"] == "2026-11-25"
    due = ok("today", "--json", env={"CALLPLAN_TODAY": "2026-11-25"}).json["due"]
    assert [row["name"] for row in due] == ["Jane Smith"]  # the promised call appears


def test_a_dial_to_an_archived_dm_is_refused_with_the_way_back(cli, ok, jane, store):
    ok("dm", "archive", "jane")
    before = snapshot(store)
    r = cli("log", "jane", "-n", "voicemail")
    assert r.exit_code == 2 and r.stderr.count("\n") == 1
    assert "archived" in r.stderr and "callplan dm restore" in r.stderr
    assert snapshot(store) == before


def test_a_do_not_call_dm_is_never_diarised(cli, ok, jane, store):
    ok("dm", "dnc", "jane")
    r = ok("log", "jane", "-c", "callback")  # they rang in: the call is recorded
    assert "do-not-call" in r.stderr and "no next call" in r.stderr
    assert "Next call" not in r.stdout
    shown = dm(ok)["dm"]
    assert shown["status"] == "dnc" and shown["due_on"] is None
    before = snapshot(store)
    r = cli("log", "jane", "-c", "callback", "--next", "2026-11-30", "--again")
    assert r.exit_code == 2 and "do-not-call" in r.stderr and snapshot(store) == before


def test_the_same_call_logged_twice_is_refused_off_a_terminal_unless_again(cli, ok, jane, store):
    ok("log", "jane", "-c", "callback", "-s", "x")
    before = snapshot(store)
    r = cli("log", "jane", "-c", "callback", "-s", "x")
    assert r.exit_code == 2 and r.stderr.count("\n") == 1
    assert "callback with Jane Smith was logged" in r.stderr and "--again" in r.stderr
    assert snapshot(store) == before
    ok("log", "jane", "-a", "cv-review")  # another outcome is another call
    r = ok("log", "jane", "-c", "callback", "-s", "x", "--again")
    assert "3rd conversation" in r.stdout


def test_the_duplicate_guard_asks_at_a_terminal_and_can_be_turned_off(cli, ok, jane, monkeypatch):
    ok("log", "jane", "-c", "callback")
    monkeypatch.setattr("callplan.cli.options.interactive", lambda: True)
    r = cli("log", "jane", "-c", "callback", input="n\n")
    assert r.exit_code == 1 and "Log another?" in r.stderr
    assert len(dm(ok)["calls"]) == 1
    r = cli("log", "jane", "-c", "callback", input="y\n")
    assert r.exit_code == 0 and len(dm(ok)["calls"]) == 2
    monkeypatch.setattr("callplan.cli.options.interactive", lambda: False)
    ok("config", "set", "again_minutes", "0")
    ok("log", "jane", "-c", "callback")
    assert len(dm(ok)["calls"]) == 3


def test_a_numeric_date_reads_day_first_in_the_uk(ok, jane):
    """The tests' country is GB-ENG: 03/12/2026 is the 3rd of December."""
    r = ok("log", "jane", "-c", "callback", "--next", "03/12/2026")
    assert "Next call Thu 3 Dec." in r.stdout
