"""Open loops through the commands: kept open over callbacks, closed by an advance that
follows or by hand, taken back with the call that opened or closed them, upgraded,
exported, merged and erased (issue 17). Today is Mon 23 Nov 2026."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing

import pytest

from callplan.store.schema import HEAD


@pytest.fixture
def megan(ok):
    ok("dm", "add", "Megan Price", "--company", "Leeds Digital", "--phone", "0113 496 0101")


def loops_of(ok, ref="megan"):
    return [
        (x["kind"], x["age_days"], x["chases"])
        for x in ok("brief", ref, "--json").json["open_loops"]
    ]


def cvs_then_callbacks(ok):
    ok("log", "megan", "-a", "cv-review", "--on", "2026-11-11", "-s", "Sent 2 CVs")
    ok("log", "megan", "-c", "callback", "--on", "2026-11-16")
    ok("log", "megan", "-n", "voicemail", "--on", "2026-11-18")
    ok("log", "megan", "-c", "callback", "--on", "2026-11-19")


def test_cvs_sent_stay_open_over_callbacks_with_their_age_and_chases(ok, megan):
    cvs_then_callbacks(ok)
    assert loops_of(ok) == [("cv-review", 12, 2)]  # the voicemail is no chase
    brief = ok("brief", "megan").stdout
    assert "CVs sent on Wed 11 Nov are waiting for feedback. (opened 12 days ago, 2 chases)" in (
        " ".join(brief.split())
    )
    [row] = ok("today", "--json").json["due"]
    assert row["reason"] == "callback agreed; chase CV feedback — CVs sent 12 days ago, 2 chases"
    shown = ok("dm", "show", "megan", "--json").json["open_loops"]
    assert [(x["kind"], x["opened_on"], x["age_days"], x["chases"]) for x in shown] == [
        ("cv-review", "2026-11-11", 12, 2)
    ]
    assert "#1 cv-review: CVs sent 12 days ago, 2 chases" in ok("dm", "show", "megan").stdout


def test_an_advance_that_follows_closes_the_loop_and_opens_its_own(ok, megan):
    cvs_then_callbacks(ok)
    ok("log", "megan", "-a", "meeting", "--on", "2026-11-20")
    assert loops_of(ok) == [("meeting", 3, 0)]


def test_a_promise_about_later_leaves_the_cvs_open(ok, megan):
    cvs_then_callbacks(ok)
    ok("log", "megan", "-a", "future-requirement", "--on", "2026-11-20")
    assert loops_of(ok) == [("cv-review", 12, 3), ("future-requirement", 3, 0)]


def test_undo_of_the_closing_call_opens_the_loop_again(ok, megan):
    cvs_then_callbacks(ok)
    ok("log", "megan", "-a", "meeting", "--on", "2026-11-20")
    ok("undo", "--yes")
    assert loops_of(ok) == [("cv-review", 12, 2)]


def test_deleting_or_editing_the_opening_call_takes_the_loop_back(ok, megan):
    cvs_then_callbacks(ok)
    ok("call", "edit", "1", "-c", "callback")
    assert loops_of(ok) == []
    ok("call", "edit", "1", "-a", "cv-review")
    assert loops_of(ok) == [("cv-review", 12, 2)]
    ok("call", "edit", "2", "-a", "terms")  # the first callback was really terms agreed
    assert loops_of(ok) == [("terms", 7, 1)]
    ok("call", "delete", "2", "--yes")
    assert loops_of(ok) == [("cv-review", 12, 1)]
    ok("call", "delete", "1", "--yes")
    assert loops_of(ok) == []


def test_loop_close_by_kind_or_id_and_reopen(ok, cli, megan):
    cvs_then_callbacks(ok)
    ok("log", "megan", "-a", "future-requirement", "--on", "2026-11-20")
    r = cli("loop", "close", "megan")
    assert r.exit_code != 0 and len(r.stderr.strip().splitlines()) == 1
    assert "Megan Price has 2 open loops: name one of #1 cv-review (12 days ago), #2 " in r.stderr
    r = cli("loop", "close", "megan", "meeting")
    assert r.exit_code != 0 and "no open loop 'meeting'" in r.stderr
    out = ok("loop", "close", "megan", "cv-review").stdout
    assert out.startswith("Closed the cv-review loop with Megan Price (#1: CVs sent 12 days ago")
    assert loops_of(ok) == [("future-requirement", 3, 0)]
    ok("log", "megan", "-c", "callback")  # after the close: no chase of a closed loop
    ok("loop", "reopen", "megan")
    assert loops_of(ok) == [("cv-review", 12, 4), ("future-requirement", 3, 1)]
    ok("loop", "close", "megan", "#2")
    assert loops_of(ok) == [("cv-review", 12, 4)]
    listed = ok("loop", "list", "--json").json["loops"]
    assert [(x["id"], x["kind"], x["dm"]["name"]) for x in listed] == [
        (1, "cv-review", "Megan Price")
    ]


def test_loop_close_with_nothing_open_is_one_line_and_writes_nothing(ok, cli, megan):
    ok("log", "megan", "-c", "callback")
    r = cli("loop", "close", "megan")
    assert r.exit_code != 0 and r.stderr.strip() == "Error: Megan Price has no open loop."
    assert ok("loop", "list").stdout.strip() == "No open loops."


def test_a_close_by_hand_survives_a_later_call_and_its_undo(ok, megan):
    cvs_then_callbacks(ok)
    ok("loop", "close", "megan")
    ok("log", "megan", "-c", "objection")
    ok("undo", "--yes")
    assert loops_of(ok) == []


def test_upgrading_from_0010_opens_the_loops_the_calls_left(tmp_path, ok):
    from callplan.store.db import make_engine, upgrade

    path = tmp_path / "old.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine, "0010")
    engine.dispose()
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute(
            "INSERT INTO decision_maker (id, name, name_key, status, needs_number, created_at,"
            " conversation_count, attempts_in_row, last_conversation_on, next_call_on,"
            " due_reason, last_outcome, owner) VALUES (1, 'Jane Smith', 'jane smith', 'active',"
            " 0, '2026-10-01 09:00:00', 2, 0, '2026-11-16', '2026-11-24', 'callback',"
            " 'callback', 'Sam')"
        )
        for i, (on, kind, outcome, n) in enumerate(
            [
                ("2026-11-02", "advance", "meeting", 1),
                ("2026-11-09", "advance", "cv-review", 2),
                ("2026-11-16", "continuation", "callback", 3),
            ],
            start=1,
        ):
            conn.execute(
                "INSERT INTO call (id, dm_id, called_on, logged_at, kind, outcome,"
                " conversation_number, reason, recruiter) VALUES (?, 1, ?, ?, ?, ?, ?, 'cycle',"
                " 'Sam')",
                (i, on, f"{on} 09:00:00", kind, outcome, n),
            )
    r = ok("--db", str(path), "brief", "jane", "--json")
    assert "upgraded the store from schema 0010" in r.stderr
    assert [(x["kind"], x["opened_on"], x["chases"]) for x in r.json["open_loops"]] == [
        ("cv-review", "2026-11-09", 1)
    ]
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute(
            "SELECT kind, opened_by_call_id, closed_by_call_id, recruiter FROM open_loop"
            " ORDER BY id"
        ).fetchall() == [("meeting", 1, 2, "Sam"), ("cv-review", 2, None, "Sam")]
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD,)


@pytest.mark.sqlite_only("the migration's downgrade, checked once")
def test_the_open_loops_downgrade_drops_the_table(tmp_path):
    import sqlalchemy as sa
    from alembic import command

    from callplan.store.db import alembic_config, make_engine, upgrade

    engine = make_engine(f"sqlite:///{tmp_path / 's.sqlite3'}")
    try:
        upgrade(engine, HEAD)
        assert "open_loop" in sa.inspect(engine).get_table_names()
        command.downgrade(alembic_config(engine), "0013")
        engine.dispose()
        assert "open_loop" not in sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_export_and_import_keep_the_loops_and_a_close_by_hand(ok, megan, tmp_path, blank_store):
    cvs_then_callbacks(ok)
    ok("log", "megan", "-a", "future-requirement", "--on", "2026-11-20")
    ok("loop", "close", "megan", "future-requirement")
    doc = json.loads(ok("export", "-f", "json").stdout)
    assert [(x["kind"], x["closed_by_hand"]) for x in doc["open_loops"]] == [
        ("cv-review", False),
        ("future-requirement", True),
    ]
    (tmp_path / "all.json").write_text(json.dumps(doc))
    ok("--db", blank_store.db, "import", str(tmp_path / "all.json"))
    assert loops_of(lambda *a: ok("--db", blank_store.db, *a)) == [("cv-review", 12, 3)]


def test_a_merge_brings_the_loops_with_the_calls(ok, megan, tmp_path, blank_store):
    other = ["--db", blank_store.db, "--as", "Kim"]
    ok(*other, "dm", "add", "Lou Green", "--company", "Harbour", "--phone", "0113 496 0103")
    ok(*other, "log", "lou", "-a", "cv-review", "--on", "2026-11-18")
    ok(*other, "log", "lou", "-a", "terms", "--on", "2026-11-19")
    ok(*other, "loop", "close", "lou")
    ok(*other, "log", "lou", "-c", "callback", "--on", "2026-11-20")
    ok(*other, "export", "-f", "json", "-o", str(tmp_path / "kim.json"))
    ok("log", "megan", "-a", "meeting", "--on", "2026-11-20")
    ok("import", "--merge", str(tmp_path / "kim.json"))
    assert loops_of(ok, "lou") == []  # cv-review closed by terms; terms closed by hand
    assert loops_of(ok) == [("meeting", 3, 0)]


def test_forgetting_a_person_removes_their_loops(ok, megan, db):
    ok("log", "megan", "-a", "cv-review")
    ok("dm", "forget", "megan", "--yes")
    assert db("SELECT COUNT(*) FROM open_loop") == [(0,)]


def test_a_due_dm_with_an_open_loop_keeps_one_line_in_80_columns(ok, megan):
    import re

    cvs_then_callbacks(ok)
    terminal = {"TTY_COMPATIBLE": "1", "COLUMNS": "80", "LINES": "24", "PAGER": "cat"}
    out = ok("today", env=terminal).stdout
    lines = [re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", x).rstrip() for x in out.splitlines()]
    [row] = [x for x in lines if "Megan Price" in x]
    assert len(row) <= 80 and "callback agreed; chase CV" in row


def test_a_templates_file_rewords_a_loop_and_an_old_loop_callback_is_ignored(ok, megan, tmp_path):
    path = tmp_path / "templates.toml"
    path.write_text(
        '[loop]\ncv-review = "Chase {first_name} for CV feedback (sent {since})."\n'
        'callback = "You agreed to call back ({due})."\n'
    )
    cvs_then_callbacks(ok)
    b = ok("brief", "megan", "--json", env={"CALLPLAN_TEMPLATES": str(path)}).json
    assert [x["text"] for x in b["open_loops"]] == [
        "Chase Megan for CV feedback (sent on Wed 11 Nov)."
    ]


def test_a_subject_access_export_holds_their_loops(ok, megan):
    cvs_then_callbacks(ok)
    ok("log", "megan", "-a", "meeting", "--on", "2026-11-20")
    held = ok("dm", "export", "megan").json["loops"]
    assert [(x["kind"], x["closed_on"], x["closed_by_call_id"]) for x in held] == [
        ("cv-review", "2026-11-20", 5),
        ("meeting", None, None),
    ]


# A promised introduction (`loop open`): no outcome says it, a call with the names closes it.


def promised_on_the_16th(ok):
    ok("log", "megan", "-c", "callback", "--on", "2026-11-16", "-s", "Will intro me to Raj")
    out = ok("loop", "open", "megan").stdout
    assert out.startswith("Opened the introduction loop with Megan Price (#1: promised 7 days")
    ok("log", "megan", "-c", "callback", "--on", "2026-11-19")


def test_a_promised_introduction_stays_open_until_a_call_adds_the_names(ok, megan):
    promised_on_the_16th(ok)
    ok("log", "megan", "-a", "meeting", "--on", "2026-11-20")  # an advance is no introduction
    assert loops_of(ok) == [("introduction", 7, 2), ("meeting", 3, 0)]
    b = ok("brief", "megan", "--json").json
    assert b["open_loops"][0]["text"] == (
        "They promised on Mon 16 Nov to introduce you to someone: ask who."
    )
    [row] = ok("today", "--json", env={"CALLPLAN_TODAY": "2026-11-27"}).json["due"]
    assert "ask for the introduction — promised 11 days ago, 2 chases" in row["reason"]
    ok("log", "megan", "-c", "callback", "--referral", "Raj Patel, CTO, Leeds Digital")
    assert loops_of(ok) == [("meeting", 3, 1)]
    ok("undo", "--yes")  # the names taken back: the promise is open again
    assert loops_of(ok) == [("introduction", 7, 2), ("meeting", 3, 0)]
    ok("call", "delete", "1", "--yes")  # the conversation it was promised in: gone with it
    assert loops_of(ok) == [("meeting", 3, 0)]


def test_loop_open_refuses_what_it_cannot_open_in_one_line_writing_nothing(ok, cli, megan, db):
    r = cli("loop", "open", "megan")
    assert r.exit_code == 2 and len(r.stderr.strip().splitlines()) == 1
    assert "Megan Price hasn't been spoken to yet" in r.stderr
    ok("log", "megan", "-n", "voicemail", "--on", "2026-11-18")
    ok("log", "megan", "-a", "cv-review", "--on", "2026-11-19")
    for args, said in [
        (["cv-review"], "it opens when you log the cv-review outcome"),
        (["favour"], "the loops opened by hand are: introduction"),
        (["--call", "1"], "Call 1 was a voicemail, not a conversation"),
        (["--call", "99"], "No call has id 99"),
    ]:
        r = cli("loop", "open", "megan", *args)
        assert r.exit_code != 0 and said in r.stderr and len(r.stderr.strip().splitlines()) == 1
    ok("loop", "open", "megan", "--call", "2")
    r = cli("loop", "open", "megan")
    assert r.exit_code == 2 and "already recorded" in r.stderr
    assert db("SELECT kind FROM open_loop ORDER BY id") == [("cv-review",), ("introduction",)]


def test_a_promise_closed_by_hand_reopens_and_survives_export_and_merge(
    ok, megan, tmp_path, blank_store
):
    promised_on_the_16th(ok)
    ok("loop", "close", "megan", "introduction")
    assert loops_of(ok) == []
    ok("loop", "reopen", "megan")
    assert loops_of(ok) == [("introduction", 7, 1)]
    ok("dm", "add", "Lou Green", "--company", "Harbour", "--phone", "0113 496 0103")
    ok("log", "lou", "-c", "callback", "--on", "2026-11-17")
    ok("loop", "open", "lou")
    ok("log", "lou", "-c", "callback", "--referral", "Sam Hill, Head of IT, Harbour")
    assert loops_of(ok, "lou") == []
    doc = json.loads(ok("export", "-f", "json").stdout)
    assert [(x["kind"], x["closed_by_call_id"]) for x in doc["open_loops"]] == [
        ("introduction", None),
        ("introduction", 4),
    ]
    path = tmp_path / "all.json"
    path.write_text(json.dumps(doc))
    other = lambda *a: ok("--db", blank_store.db, *a)  # noqa: E731
    other("import", str(path))
    assert loops_of(other) == [("introduction", 7, 1)]
    assert loops_of(other, "lou") == []  # closed by the names, though no file keeps them
    other("log", "lou", "-c", "objection")  # the loops derived again: still closed
    assert loops_of(other, "lou") == []
    ok("import", "--merge", str(path))  # the same again: nothing doubled
    assert loops_of(ok) == [("introduction", 7, 1)]
    assert len(ok("loop", "list", "--json").json["loops"]) == 1


def test_a_brief_read_before_the_call_tells_the_loop_age_as_of_today(ok, megan):
    cvs_then_callbacks(ok)
    ok("log", "megan", "-c", "callback")  # next call Wed 25 Nov
    b = ok("brief", "megan", "--json").json
    assert b["reason"] == "callback agreed; chase CV feedback — CVs sent 12 days ago, 3 chases"
    assert b["open_loops"][0]["age_days"] == 12


def test_a_merged_callback_chases_a_loop_the_store_had_open(ok, megan, tmp_path, blank_store):
    """The file's calls open no loop of their own; the callback it brings still chases
    the CVs this store sent (found by a review: only DMs with an opening call in the
    file were worked out again)."""
    ok("export", "-f", "json", "-o", str(tmp_path / "before.json"))
    other = ["--db", blank_store.db]
    ok(*other, "import", str(tmp_path / "before.json"))
    ok("log", "megan", "-a", "cv-review", "--on", "2026-11-13")
    ok(*other, "log", "megan", "-c", "callback", "--on", "2026-11-18")
    ok(*other, "export", "-f", "json", "-o", str(tmp_path / "theirs.json"))
    ok("import", "--merge", str(tmp_path / "theirs.json"))
    assert loops_of(ok) == [("cv-review", 10, 1)]
