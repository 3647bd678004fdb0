"""A purpose for every call (issue 17): chosen with the next date (`log --purpose`,
`dm edit --purpose`, `go`), shown as the reason in `today`, `brief` and `dm show`,
recorded on the call it was for, and counted by `stats`. Today is Mon 23 Nov 2026."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing

import pytest

from callplan.core import purposes
from callplan.store.schema import HEAD
from tests.cli._old_store import old_store


def show(ok, ref="megan"):
    return ok("dm", "show", ref, "--json").json


def due_row(ok, name="Megan Price"):
    plan = ok("today", "--json").json
    return next(r for r in plan["due"] + plan["new"] if r["name"] == name)


@pytest.fixture
def megan(ok):
    ok("dm", "add", "Megan Price", "--company", "Leeds Digital", "--phone", "0113 496 0101")


# --- the rules, without a store ----------------------------------------------------------


@pytest.mark.no_store
@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("book-meeting", "book-meeting"),
        ("Book a meeting", "book-meeting"),
        ("  book   MEETING ", "book-meeting"),
        ("referral request", "referral-request"),
        ("feedback on a job description", "job-description-feedback"),
        ("Q1 hiring plan", "Q1 hiring plan"),  # the recruiter's own words, as typed
    ],
)
def test_a_purpose_is_read_by_its_name_its_words_or_kept_as_typed(typed, stored):
    assert purposes.read(typed) == stored


@pytest.mark.no_store
def test_every_purpose_of_the_method_is_offered():
    assert [p.label for p in purposes.PURPOSES.values()] == [
        "market information",
        "clarify",
        "maintain engagement",
        "gather feedback",
        "answer questions",
        "book a meeting",
        "follow up an email",
        "reinforce interest",
        "invite to an event",
        "pick up a role",
        "feedback on a job description",
        "reference call",
        "referral request",
    ]


# --- log, today, brief, dm show ---------------------------------------------------------


def test_log_purpose_is_the_next_calls_reason_everywhere(ok, megan):
    r = ok(
        "log", "megan", "-c", "callback", "--on", "2026-11-19", "--next", "2026-11-23",
        "--purpose", "Book a meeting",
    )  # fmt: skip
    assert "Next call today (purpose: book a meeting)." in r.stdout
    dm = show(ok)["dm"]
    assert dm["due_purpose"] == "book-meeting"
    row = due_row(ok)
    assert row["purpose"] == "book-meeting"
    assert row["reason"] == "book a meeting (callback agreed)"
    assert row["reason_code"] == "callback"  # why it is due is still told apart
    b = ok("brief", "megan", "--json").json
    assert (b["purpose"], b["reason"]) == ("book-meeting", "book a meeting (callback agreed)")
    assert "Why now: book a meeting (callback agreed)" in " ".join(
        ok("brief", "megan").stdout.split()
    )
    assert "book a meeting (callback agreed)" in " ".join(ok("dm", "show", "megan").stdout.split())


def test_a_late_call_keeps_its_lateness_beside_the_purpose(ok, megan):
    ok(
        "log", "megan", "-c", "callback", "--on", "2026-11-16", "--next", "2026-11-18",
        "--purpose", "gather-feedback",
    )  # fmt: skip
    assert due_row(ok)["reason"] == "gather feedback (callback agreed, 5 days late)"


def test_the_call_made_records_its_purpose_and_the_next_has_none_unless_given(ok, megan):
    ok("log", "megan", "-c", "callback", "--on", "2026-11-19", "--purpose", "clarify")
    ok("log", "megan", "-a", "cv-review", "--on", "2026-11-20")
    first, second = sorted(show(ok)["calls"], key=lambda c: c["id"])
    assert (first["purpose"], first["next_purpose"]) == (None, "clarify")
    assert (second["purpose"], second["next_purpose"]) == ("clarify", None)
    assert show(ok)["dm"]["due_purpose"] is None
    assert ok("brief", "megan", "--json").json["reason"].startswith("chase CV feedback")
    listed = " ".join(ok("call", "list", "megan").stdout.split())
    assert "[for: clarify]" in listed


def test_a_dial_that_does_not_connect_keeps_the_purpose_for_the_retry(ok, megan):
    ok("log", "megan", "-c", "callback", "--on", "2026-11-18", "--purpose", "book-meeting")
    ok("log", "megan", "-n", "voicemail", "--on", "2026-11-20")
    # The voicemail diarised a retry of the same call: still to book a meeting.
    assert show(ok)["dm"]["due_purpose"] == "book-meeting"
    assert due_row(ok)["reason"].startswith("book a meeting (retry")
    ok("log", "megan", "-a", "meeting")
    made = show(ok)["calls"]
    assert [c["purpose"] for c in made] == ["book-meeting", "book-meeting", None]
    ok("log", "megan", "-n", "no-answer", "--purpose", "clarify", "--again")
    assert show(ok)["dm"]["due_purpose"] == "clarify"  # one chosen at the retry wins


def test_a_back_dated_call_was_made_for_the_purpose_of_its_time(ok, megan):
    ok("log", "megan", "-c", "callback", "--on", "2026-11-16", "--purpose", "clarify")
    ok("log", "megan", "-c", "callback", "--on", "2026-11-20", "--purpose", "book-meeting")
    ok("log", "megan", "-c", "callback", "--on", "2026-11-18", "--again")  # logged late
    by_day = {c["called_on"]: c["purpose"] for c in show(ok)["calls"]}
    assert by_day == {"2026-11-16": None, "2026-11-18": "clarify", "2026-11-20": "clarify"}
    assert show(ok)["dm"]["due_purpose"] == "book-meeting"  # the latest call's choice stays


def test_own_words_are_shown_but_never_read_out_in_the_closing_lines(ok, megan):
    ok("log", "megan", "-c", "callback", "--on", "2026-11-19", "--purpose", "ask re Jo's CV")
    b = ok("brief", "megan", "--json").json
    assert b["reason"].startswith("ask re Jo's CV (")
    curt = next(c["line"] for c in b["closing"] if c["when"] == "curt")
    assert "Jo" not in curt and "as your hiring is something" in curt  # purpose.default


def test_a_method_purpose_words_the_closing_line(ok, megan):
    ok("log", "megan", "-c", "callback", "--on", "2026-11-19", "--purpose", "book-meeting")
    b = ok("brief", "megan", "--json").json
    curt = next(c["line"] for c in b["closing"] if c["when"] == "curt")
    assert "as finding a time to meet is something you'll want time for?" in curt


# --- dm edit -------------------------------------------------------------------------------


def test_dm_edit_sets_a_purpose_with_a_date_or_on_the_call_already_diarised(ok, megan):
    ok("log", "megan", "-c", "callback", "--on", "2026-11-19")  # next call Fri 20 Nov
    r = ok("dm", "edit", "megan", "--purpose", "referral request")
    assert "purpose referral request" in r.stdout
    dm = show(ok)["dm"]
    assert (dm["due_purpose"], dm["due_on"], dm["due_reason"]) == (
        "referral-request",
        "2026-11-23",
        "callback",
    )
    ok("dm", "edit", "megan", "--due", "2026-11-26", "--purpose", "pick-up-role")
    dm = show(ok)["dm"]
    assert (dm["due_purpose"], dm["due_on"], dm["due_reason"]) == (
        "pick-up-role",
        "2026-11-26",
        "manual",
    )
    ok("dm", "edit", "megan", "--due", "2026-11-27")  # a date moved keeps its purpose
    assert show(ok)["dm"]["due_purpose"] == "pick-up-role"
    assert "no purpose" in ok("dm", "edit", "megan", "--purpose", "").stdout
    assert show(ok)["dm"]["due_purpose"] is None


def test_dm_edit_purpose_without_a_next_call_is_one_line_and_writes_nothing(cli, ok, megan):
    r = cli("dm", "edit", "megan", "--purpose", "clarify")  # a prospect in the queue
    assert r.exit_code != 0 and r.stdout == ""
    assert r.stderr.count("\n") == 1 and "--due DATE" in r.stderr
    assert show(ok)["dm"]["due_purpose"] is None


@pytest.mark.parametrize(
    ("purpose", "said"),
    [("", "empty"), ("x" * 121, "too long"), ("book\x07meeting", "control characters")],
)
def test_a_bad_purpose_is_one_line_and_nothing_is_logged(cli, ok, megan, purpose, said):
    r = cli("log", "megan", "-c", "callback", "--purpose", purpose)
    assert r.exit_code != 0 and said in r.stderr and r.stderr.count("\n") == 1
    assert show(ok)["calls"] == []


def test_left_company_takes_no_purpose(cli, ok, megan):
    r = cli("log", "megan", "-n", "left-company", "--purpose", "clarify")
    assert r.exit_code != 0 and "--purpose" in r.stderr and r.stderr.count("\n") == 1
    assert show(ok)["calls"] == []


# --- correcting: undo and delete put the purpose back --------------------------------------


def test_undo_puts_back_the_purpose_the_call_replaced(ok, megan):
    ok("log", "megan", "-c", "callback", "--on", "2026-11-19", "--purpose", "book-meeting")
    ok("log", "megan", "-c", "emailed-details", "--on", "2026-11-20", "--purpose", "clarify")
    assert show(ok)["dm"]["due_purpose"] == "clarify"
    ok("undo", "--yes")
    dm = show(ok)["dm"]
    assert (dm["due_purpose"], dm["due_reason"]) == ("book-meeting", "callback")


def test_a_purpose_set_by_hand_after_the_call_is_kept_by_undo(ok, megan):
    ok("log", "megan", "-c", "callback", "--on", "2026-11-19", "--purpose", "book-meeting")
    ok("log", "megan", "-c", "emailed-details", "--on", "2026-11-20")
    ok("dm", "edit", "megan", "--purpose", "follow-up-email")
    ok("undo", "--yes")
    assert show(ok)["dm"]["due_purpose"] == "follow-up-email"  # changed since: kept


# --- go ------------------------------------------------------------------------------------


def test_go_asks_the_next_calls_purpose_and_asks_again_after_a_bad_one(ok, megan):
    answers = ["c", "callback", "Curt", "", "", "", "", "", "", "", "", "x" * 121, "clarify"]
    r = ok("go", input="\n".join([*answers, "q"]) + "\n")
    assert "Purpose of the next call" in r.stdout and "too long" in r.stdout
    assert "Next call Wed 25 Nov (purpose: clarify)." in r.stdout
    assert show(ok)["dm"]["due_purpose"] == "clarify"


# --- stats -----------------------------------------------------------------------------


def test_stats_count_advances_by_the_purpose_the_calls_were_made_for(ok, megan):
    ok("dm", "add", "Bob Jones", "--phone", "0113 496 0102")
    ok("log", "megan", "-c", "callback", "--on", "2026-11-16", "--purpose", "book-meeting")
    ok("log", "megan", "-a", "meeting", "--on", "2026-11-18")
    ok("log", "bob", "-c", "callback", "--on", "2026-11-16", "--purpose", "Book a meeting")
    ok("log", "bob", "-c", "callback", "--on", "2026-11-18", "--purpose", "my own words")
    ok("log", "bob", "-n", "voicemail", "--on", "2026-11-20")  # not a conversation
    got = ok("stats", "--json").json["outcomes"]["purposes"]
    # Megan's meeting and Bob's second callback were made to book a meeting; Bob's
    # voicemail, made for his own words, was no conversation.
    assert got == [
        {"purpose": "book-meeting", "label": "book a meeting", "conversations": 2, "advances": 1}
    ]
    text = " ".join(ok("stats").stdout.split())
    assert "Purposes → advances 1 of 2: book a meeting" in text
    rows = ok("stats", "--explain", "purposes", "--json").json["rows"]
    assert [r["name"] for r in rows] == ["Megan Price", "Bob Jones"]
    assert "purpose: book a meeting" in rows[0]["detail"]


# --- the archive, erasure, the migration ---------------------------------------------------


def test_an_export_round_trip_keeps_the_purposes(ok, megan, tmp_path, blank_store):
    ok("log", "megan", "-c", "callback", "--on", "2026-11-19", "--purpose", "book-meeting")
    ok("log", "megan", "-c", "callback", "--on", "2026-11-20", "--purpose", "own words")
    ok("export", "-f", "json", "-o", str(tmp_path / "a.json"))
    doc = json.loads((tmp_path / "a.json").read_text())
    assert doc["decision_makers"][0]["due_purpose"] == "own words"
    assert [c["purpose"] for c in doc["calls"]] == [None, "book-meeting"]
    ok("--db", blank_store.db, "import", str(tmp_path / "a.json"))
    again = ok("--db", blank_store.db, "export", "-f", "json").stdout
    assert again == (tmp_path / "a.json").read_text()


def test_a_file_from_before_purposes_imports_with_none(ok, megan, tmp_path, blank_store):
    ok("log", "megan", "-c", "callback", "-s", "Curt")
    doc = json.loads(ok("export", "-f", "json").stdout)
    del doc["decision_makers"][0]["due_purpose"]
    for name in ("purpose", "next_purpose"):
        del doc["calls"][0][name]
    (tmp_path / "old.json").write_text(json.dumps(doc))
    ok("--db", blank_store.db, "import", str(tmp_path / "old.json"))
    again = json.loads(ok("--db", blank_store.db, "export", "-f", "json").stdout)
    assert again["decision_makers"][0]["due_purpose"] is None
    assert (again["calls"][0]["purpose"], again["calls"][0]["next_purpose"]) == (None, None)


def test_a_merge_brings_the_purpose_of_the_later_history(ok, megan, tmp_path, blank_store):
    other = ["--db", blank_store.db, "--as", "Kim"]
    ok(*other, "dm", "add", "Megan Price", "--company", "Leeds Digital", "--phone", "0113 496 0101")
    ok(*other, "log", "megan", "-c", "callback", "--on", "2026-11-20", "--purpose", "clarify")
    ok(*other, "export", "-f", "json", "-o", str(tmp_path / "kim.json"))
    ok("log", "megan", "-c", "callback", "--on", "2026-11-18", "--purpose", "book-meeting")
    ok("import", str(tmp_path / "kim.json"), "--merge")
    assert show(ok)["dm"]["due_purpose"] == "clarify"  # Kim's call is the later one


def test_forgetting_a_person_scrubs_their_name_from_purposes(ok):
    ok("dm", "add", "Bob Jones", "--company", "Acme")
    ok("dm", "add", "Xanthe Quarrington", "--company", "Zyzzyx")
    ok(
        "log",
        "bob",
        "-c",
        "callback",
        "--on",
        "2026-11-19",
        "--purpose",
        "Xanthe Quarrington intro",
    )
    ok("log", "bob", "-c", "callback", "--on", "2026-11-20", "--purpose", "ask Xanthe Quarrington")
    ok("dm", "forget", "xanthe", "--yes")
    bob = show(ok, "bob")
    assert bob["dm"]["due_purpose"] == "ask [erased]"
    assert sorted(str(c["purpose"]) + "|" + str(c["next_purpose"]) for c in bob["calls"]) == [
        "None|[erased] intro",
        "[erased] intro|ask [erased]",
    ]


def test_upgrading_from_0010_keeps_every_row_with_no_purpose(tmp_path, ok):
    path = old_store(tmp_path / "old.sqlite3", "0010")
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute(
            "INSERT INTO call (id, dm_id, called_on, logged_at, kind, outcome, summary, say,"
            " next_call_on, conversation_number, reason, recruiter) VALUES (1, 1, '2026-11-20',"
            " '2026-11-20 09:05:00', 'continuation', 'callback', 'Curt', 'you asked me to ring',"
            " '2026-11-24', 1, 'new', 'Sam')"
        )
        conn.execute(
            "INSERT INTO call_before (call_id, next_call_on, due_reason, status, owner,"
            " needs_number) VALUES (1, NULL, NULL, 'active', NULL, 0)"
        )
    r = ok("--db", str(path), "--as", "Sam", "dm", "show", "jane", "--json")
    assert "upgraded the store from schema 0010" in r.stderr
    assert r.json["dm"]["due_purpose"] is None
    [call] = r.json["calls"]
    assert (call["summary"], call["say"], call["purpose"], call["next_purpose"]) == (
        "Curt",
        "you asked me to ring",
        None,
        None,
    )
    ok("--db", str(path), "--as", "Sam", "dm", "edit", "jane", "--purpose", "book-meeting")
    ok("--db", str(path), "--as", "Sam", "log", "jane", "-a", "meeting", "--on", "2026-11-23")
    with closing(sqlite3.connect(path)) as conn, conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD,)
        assert conn.execute("SELECT id, purpose FROM call ORDER BY id").fetchall() == [
            (1, None),
            (2, "book-meeting"),
        ]


def test_the_open_loop_and_the_time_sit_with_the_purpose_in_the_reason(ok, megan):
    ok("log", "megan", "-a", "cv-review", "--on", "2026-11-19", "--next", "today 15:00",
       "--purpose", "gather feedback")  # fmt: skip
    row = due_row(ok)
    assert row["reason"] == ("at 15:00: gather feedback (chase CV feedback) — CVs sent 4 days ago")


def test_forgetting_a_person_scrubs_their_name_from_goals_and_candidate_calls(ok, db):
    """Found by a review: a day's goal and a call to a candidate can name a DM."""
    ok("dm", "add", "Xanthe Quarrington", "--company", "Zyzzyx")
    ok("goal", "2 meetings incl. Xanthe Quarrington")
    ok("candidate", "add", "Ann Lee")
    ok("log", "candidate:1", "-c", "update-given", "-s", "Knows Xanthe Quarrington well")
    held = ok("dm", "export", "xanthe").json["mentions"]
    assert sorted(m["field"] for m in held) == ["summary", "text"]
    ok("dm", "forget", "xanthe", "--yes")
    assert db("SELECT text FROM day_goal") == [("2 meetings incl. [erased]",)]
    assert db("SELECT summary FROM candidate_call") == [("Knows [erased] well",)]
