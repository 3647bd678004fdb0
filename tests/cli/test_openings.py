"""Openings from the latest conversation, words marked to be said (`--say`), and the
closing lines, through the commands (issue 17). Today is Mon 23 Nov 2026."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing

import pytest

from callplan.store.schema import HEAD


def show(ok, ref="megan"):
    return ok("dm", "show", ref, "--json").json


@pytest.fixture
def megan(ok):
    ok("dm", "add", "Megan Price", "--company", "Leeds Digital", "--phone", "0113 496 0101")


def test_a_summary_is_context_and_never_the_opening(ok, megan):
    ok("log", "megan", "-c", "callback", "-s", "Curt; asked me to ring Thursday afternoon")
    b = ok("brief", "megan", "--json").json
    assert b["last_summary"] == "Curt; asked me to ring Thursday afternoon"
    assert b["opening"] is None
    text = ok("brief", "megan").stdout
    assert "Curt; asked me to ring Thursday afternoon" in " ".join(text.split())  # context
    assert "Opening" not in text


def test_log_say_is_stored_shown_and_opens_the_next_call(ok, megan):
    ok(
        "log", "megan", "-c", "callback", "--on", "2026-11-20",
        "-s", "Curt; asked me to ring Thursday afternoon",
        "--say", "you asked me to ring about the Leeds role",
        "--toughest-role", "data engineers",
    )  # fmt: skip
    [call] = show(ok)["calls"]
    assert call["say"] == "you asked me to ring about the Leeds role"
    assert call["summary"] == "Curt; asked me to ring Thursday afternoon"
    assert ok("call", "list", "megan", "--json").json["calls"][0]["say"] == call["say"]
    listed = " ".join(ok("call", "list", "megan").stdout.split())
    assert "Curt; asked me to ring Thursday afternoon · to say: “you asked me to ring" in listed
    b = ok("brief", "megan", "--json").json
    assert b["opening"] == (
        "When we spoke last Friday you asked me to ring about the Leeds role. Last Friday "
        "you mentioned you had struggled to find data engineers."
    )
    assert "Curt" not in b["opening"]


def test_words_to_say_stay_over_a_dial_and_go_after_the_next_conversation(ok, megan):
    ok("log", "megan", "-c", "callback", "--on", "2026-11-19", "--say", "you asked me to ring")
    ok("log", "megan", "-n", "voicemail", "--on", "2026-11-20")
    assert ok("brief", "megan", "--json").json["opening"] == (
        "When we spoke last Thursday you asked me to ring."
    )
    ok("log", "megan", "-c", "callback", "-s", "Busy again")
    assert ok("brief", "megan", "--json").json["opening"] is None


def test_words_to_say_from_longer_ago_than_the_cycle_are_not_read_out(ok, megan):
    ok("log", "megan", "-c", "objection", "--on", "2026-07-01", "--say", "you asked me to ring")
    assert ok("brief", "megan", "--json").json["opening"] is None
    ok("config", "set", "cycle_days", "180")
    assert ok("brief", "megan", "--json").json["opening"] == (
        "When we spoke in July you asked me to ring."
    )


def test_call_edit_sets_and_clears_the_words_to_say(ok, megan, cli):
    ok("log", "megan", "-c", "callback", "-s", "Curt")
    call_id = show(ok)["calls"][0]["id"]
    ok("call", "edit", str(call_id), "--say", "you asked me to ring about the Leeds role")
    assert show(ok)["calls"][0]["say"] == "you asked me to ring about the Leeds role"
    assert show(ok)["calls"][0]["summary"] == "Curt"  # untouched
    assert ok("brief", "megan", "--json").json["opening"] == (
        "When we spoke today you asked me to ring about the Leeds role."
    )
    ok("call", "edit", str(call_id), "--say", "")
    assert show(ok)["calls"][0]["say"] is None
    r = cli("call", "edit", str(call_id), "--say", "ring\x1b[2J")
    assert r.exit_code != 0 and len(r.stderr.strip().splitlines()) == 1


def test_log_refuses_control_characters_in_the_words_to_say(cli, megan):
    r = cli("log", "megan", "-c", "callback", "--say", "ring\x07me")
    assert r.exit_code == 2 and "text to say contains control characters" in r.stderr
    assert r.stderr.count("\n") == 1


# --- closing lines ---------------------------------------------------------------------


def test_the_brief_offers_the_closing_lines(ok, megan):
    ok("log", "megan", "-a", "cv-review", "--on", "2026-11-19")
    b = ok("brief", "megan", "--json").json
    assert b["closing"] == [
        {
            "when": "curt",
            "line": "I can sense now may not be a great time: when would be better, as your "
            "feedback on the CVs is something you'll want time for?",
        },
        {"when": "not-interested", "line": "I'll call you in a month — how does that sound?"},
        {
            "when": "wrong-time",
            "line": "When would be the right time to follow up? Meanwhile let's keep in touch "
            "by email.",
        },
    ]
    text = ok("brief", "megan").stdout
    assert "Closing" in text and "Not interested: “I'll call you in a month" in text
    ok("config", "set", "delay.objection", "14d")
    lines = {c["when"]: c["line"] for c in ok("brief", "megan", "--json").json["closing"]}
    assert lines["not-interested"] == "I'll call you in two weeks — how does that sound?"


def test_go_asks_for_words_to_say_after_a_conversation(ok, megan):
    answers = ["c", "callback", "Curt", "you asked me to ring about the Leeds role"]
    r = ok("go", input="\n".join([*answers, "", "", "", "", "", "", "", "q"]) + "\n")
    assert "To say next time" in r.stdout
    [call] = show(ok)["calls"]
    assert (call["summary"], call["say"]) == ("Curt", "you asked me to ring about the Leeds role")
    # Not for a dial that didn't connect.
    ok("dm", "add", "Bob Jones", "--phone", "0113 496 0102")
    r = ok("go", input="\n".join(["n", "voicemail", "", "", "q"]) + "\n")
    assert "Logged voicemail with Bob Jones." in r.stdout
    assert "To say next time" not in r.stdout


def test_go_offers_the_closing_lines_after_a_continuation(ok, megan):
    r = ok("go", input="\n".join(["c", "callback", *[""] * 9, "q"]) + "\n")
    assert "Logged callback with Megan Price." in r.stdout
    after = r.stdout.split("Logged callback with Megan Price.")[1]
    assert "Closing" in after and "Wrong time: “When would be the right time" in after


def test_go_does_not_offer_closing_lines_after_an_advance(ok, megan):
    r = ok("go", input="\n".join(["a", "meeting", *[""] * 9, "q"]) + "\n")
    after = r.stdout.split("Logged meeting with Megan Price.")[1]
    assert "Closing" not in after


# --- the archive, erasure, the migration ---------------------------------------------------


def test_an_export_round_trip_keeps_the_words_to_say(ok, megan, tmp_path, blank_store):
    ok("log", "megan", "-c", "callback", "--say", "you asked me to ring about the Leeds role")
    ok("export", "-f", "json", "-o", str(tmp_path / "a.json"))
    doc = json.loads((tmp_path / "a.json").read_text())
    assert doc["calls"][0]["say"] == "you asked me to ring about the Leeds role"
    ok("--db", blank_store.db, "import", str(tmp_path / "a.json"))
    assert (
        ok("--db", blank_store.db, "export", "-f", "json").stdout
        == (tmp_path / "a.json").read_text()
    )


def test_a_file_from_before_say_imports_with_none(ok, megan, tmp_path, blank_store):
    ok("log", "megan", "-c", "callback", "-s", "Curt")
    doc = json.loads(ok("export", "-f", "json").stdout)
    del doc["calls"][0]["say"]
    (tmp_path / "old.json").write_text(json.dumps(doc))
    ok("--db", blank_store.db, "import", str(tmp_path / "old.json"))
    again = json.loads(ok("--db", blank_store.db, "export", "-f", "json").stdout)
    assert again["calls"][0]["say"] is None and again["calls"][0]["summary"] == "Curt"


def test_a_file_with_control_characters_in_say_is_refused(ok, cli, megan, tmp_path, blank_store):
    ok("log", "megan", "-c", "callback", "--say", "ring")
    doc = json.loads(ok("export", "-f", "json").stdout)
    doc["calls"][0]["say"] = "ring\nme"  # one line, as `log --say` takes it
    (tmp_path / "bad.json").write_text(json.dumps(doc))
    r = cli("--db", blank_store.db, "import", str(tmp_path / "bad.json"))
    assert r.exit_code != 0 and "calls[0].say" in r.stderr


def test_forgetting_a_person_scrubs_their_name_from_others_words_to_say(ok):
    ok("dm", "add", "Bob Jones", "--company", "Acme")
    ok("dm", "add", "Xanthe Quarrington", "--company", "Zyzzyx")
    ok("log", "bob", "-c", "callback", "--say", "Xanthe Quarrington said you were hiring")
    mentions = ok("dm", "export", "xanthe").json["mentions"]
    assert [(m["field"], m["dm_id"]) for m in mentions] == [("say", 1)]
    ok("dm", "forget", "xanthe", "--yes")
    assert show(ok, "bob")["calls"][0]["say"] == "[erased] said you were hiring"


def test_upgrading_from_0007_keeps_every_call_with_no_words_to_say(tmp_path, ok):
    from callplan.store.db import make_engine, upgrade

    path = tmp_path / "old.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine, "0007")
    engine.dispose()
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute(
            "INSERT INTO decision_maker (id, name, name_key, status, needs_number, created_at,"
            " conversation_count, attempts_in_row, last_conversation_on, next_call_on,"
            " due_reason, last_outcome, owner) VALUES (1, 'Jane Smith', 'jane smith', 'active',"
            " 0, '2026-10-01 09:00:00', 1, 0, '2026-11-20', '2026-11-24', 'callback',"
            " 'callback', 'Sam')"
        )
        conn.execute(
            "INSERT INTO call (id, dm_id, called_on, logged_at, kind, outcome, summary,"
            " conversation_number, reason, recruiter) VALUES (1, 1, '2026-11-20',"
            " '2026-11-20 09:05:00', 'continuation', 'callback', 'Curt; ring Thursday', 1,"
            " 'new', 'Sam')"
        )
    r = ok("--db", str(path), "dm", "show", "jane", "--json")
    assert "upgraded the store from schema 0007" in r.stderr
    [call] = r.json["calls"]
    assert (call["summary"], call["say"]) == ("Curt; ring Thursday", None)
    assert ok("--db", str(path), "brief", "jane", "--json").json["opening"] is None
    ok("--db", str(path), "call", "edit", "1", "--say", "you asked me to ring Thursday")
    with closing(sqlite3.connect(path)) as conn, conn:
        assert conn.execute("SELECT summary, say FROM call").fetchall() == [
            ("Curt; ring Thursday", "you asked me to ring Thursday")
        ]
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD,)


@pytest.mark.sqlite_only("the migration's downgrade, checked once")
def test_the_0010_downgrade_drops_the_column(tmp_path):
    import sqlalchemy as sa
    from alembic import command

    from callplan.store.db import alembic_config, make_engine, upgrade

    engine = make_engine(f"sqlite:///{tmp_path / 's.sqlite3'}")
    try:
        upgrade(engine, "0010")
        assert "say" in {c["name"] for c in sa.inspect(engine).get_columns("call")}
        command.downgrade(alembic_config(engine), "0009")
        engine.dispose()
        assert "say" not in {c["name"] for c in sa.inspect(engine).get_columns("call")}
    finally:
        engine.dispose()


def test_a_merge_brings_the_words_to_say_with_the_calls(ok, megan, tmp_path, blank_store):
    """`import --merge` of another desk's export: its calls keep their words to say."""
    other = ["--db", blank_store.db, "--as", "Kim"]
    ok(*other, "dm", "add", "Lou Green", "--company", "Harbour", "--phone", "0113 496 0103")
    ok(*other, "log", "lou", "-c", "callback", "-s", "Busy", "--say", "you asked me to ring")
    ok(*other, "export", "-f", "json", "-o", str(tmp_path / "kim.json"))
    ok("import", "--merge", str(tmp_path / "kim.json"))
    [call] = show(ok, "lou")["calls"]
    assert (call["summary"], call["say"]) == ("Busy", "you asked me to ring")
    assert ok("brief", "lou", "--json").json["opening"] == (
        "When we spoke today you asked me to ring."
    )
