"""Events as hooks of their own (issue 17): `callplan event add TITLE --on DATE --tag …`,
matched like jobs and candidates, worded as an invitation, offered until the day they
are held. Today is Mon 23 Nov 2026."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing

import pytest

from callplan.store.schema import HEAD
from tests.cli._old_store import old_store


def hooks(ok, ref):
    return [h["ref"] for h in ok("hooks", ref, "--json").json["hooks"]]


@pytest.fixture
def desk(ok):
    ok("dm", "add", "Megan Price", "--company", "Leeds Digital", "--phone", "0113 496 0101",
       "--tag", "data")  # fmt: skip
    ok("dm", "add", "Bob Jones", "--company", "Acme", "--phone", "0113 496 0102", "--tag", "retail")
    ok("log", "megan", "-c", "callback", "--on", "2026-11-19", "--next", "2026-11-23")


def test_an_event_is_added_listed_and_closed(ok, desk):
    r = ok(
        "event", "add", "our breakfast briefing on hiring data teams", "--on", "2026-12-10",
        "--venue", "The Calls, Leeds", "--tag", "Data",
    )  # fmt: skip
    assert r.stdout == (
        "Added event:1 our breakfast briefing on hiring data teams on Thu 10 Dec: offered to "
        "DMs tagged or noted data until then.\n"
    )
    [event] = ok("event", "list", "--json").json["events"]
    assert (event["ref"], event["held_on"], event["venue"], event["tags"]) == (
        "event:1",
        "2026-12-10",
        "The Calls, Leeds",
        ["data"],
    )
    assert "every client" in ok("event", "add", "our market report", "--on", "fri").stdout
    listed = ok("event", "list").stdout
    assert listed.index("our market report") < listed.index("our breakfast")  # soonest first
    ok("event", "close", "1")
    assert [e["ref"] for e in ok("event", "list", "--json").json["events"]] == ["event:2"]
    assert len(ok("event", "list", "--all", "--json").json["events"]) == 2


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("event", "add", "briefing", "--on", "2026-11-20"), "is past"),
        (("event", "add", "  ", "--on", "2026-12-01"), "title is empty"),
        (("event", "add", "briefing", "--on", "someday"), "Can't read the date"),
        (("event", "close", "9"), "No event has id 9"),
    ],
)
def test_a_bad_event_is_one_line_and_nothing_is_written(cli, ok, desk, args, said):
    r = cli(*args)
    assert r.exit_code != 0 and said in r.stderr and r.stderr.count("\n") == 1
    assert ok("event", "list", "--all", "--json").json["events"] == []


def test_closing_twice_says_it_is_already_closed(cli, ok, desk):
    ok("event", "add", "briefing", "--on", "2026-12-01")
    ok("event", "close", "1")
    r = cli("event", "close", "1")
    assert r.exit_code != 0 and "already closed" in r.stderr


def test_a_tagged_event_fits_its_field_and_an_untagged_one_everybody(ok, desk):
    ok("event", "add", "our data briefing", "--on", "2026-12-10", "--tag", "data")
    assert hooks(ok, "megan") == ["event:1"] and hooks(ok, "bob") == []
    ok("event", "add", "our market report launch", "--on", "2026-12-03")
    assert hooks(ok, "bob") == ["event:2"]
    assert set(hooks(ok, "megan")) == {"event:1", "event:2"}
    assert hooks(ok, "megan")[0] == "event:1"  # a tag scores above "for every client"


def test_the_brief_words_an_event_as_an_invitation_not_as_a_job(ok, desk):
    ok("event", "add", "our breakfast briefing", "--on", "2026-12-10", "--tag", "data")
    b = ok("brief", "megan", "--json").json
    assert b["hooks"][0]["held_on"] == "2026-12-10"
    assert b["opening"].endswith("I'd like to invite you to our breakfast briefing on Thu 10 Dec.")
    assert "recruiting" not in b["opening"] and "looking for" not in b["opening"]
    plan = " ".join(ok("today").stdout.split())
    assert "our breakfast briefing (Thu 10 Dec 2026) [event:1]" in plan


def test_events_rank_after_candidates_and_before_jobs(ok, desk):
    ok("job", "add", "Data Engineer", "--company", "Globex", "--tag", "data")
    ok("event", "add", "our data briefing", "--on", "2026-12-10", "--tag", "data")
    ok("candidate", "add", "Ola Berg", "--headline", "Data lead", "--tag", "data")
    assert hooks(ok, "megan") == ["candidate:1", "event:1", "job:1"]


def test_an_event_is_offered_until_its_day_and_not_after(ok, desk):
    ok("event", "add", "our data briefing", "--on", "2026-11-25", "--tag", "data")
    assert hooks(ok, "megan") == ["event:1"]
    on_the_day = {"CALLPLAN_TODAY": "2026-11-25"}
    assert [h["ref"] for h in ok("hooks", "megan", "--json", env=on_the_day).json["hooks"]] == [
        "event:1"
    ]
    after = {"CALLPLAN_TODAY": "2026-11-26"}
    assert ok("hooks", "megan", "--json", env=after).json["hooks"] == []
    assert ok("event", "list", "--json", env=after).json["events"] == []


def test_a_closed_event_is_not_offered(ok, desk):
    ok("event", "add", "our data briefing", "--on", "2026-12-10", "--tag", "data")
    ok("event", "close", "1")
    assert hooks(ok, "megan") == []


def test_an_invitation_is_logged_as_a_hook_and_counted_by_stats(ok, desk):
    ok("event", "add", "our data briefing", "--on", "2026-12-10", "--tag", "data")
    ok("log", "megan", "-a", "meeting", "--hook", "e:1", "-s", "Coming, and wants to meet")
    [call] = [c for c in ok("dm", "show", "megan", "--json").json["calls"] if c["hooks"]]
    assert call["hooks"] == ["event:1"]
    assert "[event:1]" in ok("call", "list", "megan").stdout
    assert ok("stats", "--json").json["outcomes"]["hooks"] == [
        {"hook": "event:1", "title": "our data briefing", "conversations": 1, "advances": 1}
    ]
    access = ok("dm", "export", "megan").json
    used = [h for c in access["calls"] for h in c["hooks"]]
    assert used == [{"ref": "event:1", "title": "our data briefing", "held_on": "2026-12-10"}]


def test_an_unknown_event_on_a_call_is_one_line_and_nothing_is_logged(cli, ok, desk):
    r = cli("log", "bob", "-c", "callback", "--hook", "event:7")
    assert r.exit_code != 0 and "No event has id 7" in r.stderr and r.stderr.count("\n") == 1
    assert ok("dm", "show", "bob", "--json").json["calls"] == []
    bad = cli("log", "bob", "-c", "callback", "--hook", "party:1")
    assert bad.exit_code != 0 and "event:ID" in bad.stderr


# --- the archive, erasure, the migration ---------------------------------------------------


def test_an_export_round_trip_keeps_events_and_invitations(ok, desk, tmp_path, blank_store):
    ok("event", "add", "our data briefing", "--on", "2026-12-10", "--tag", "data")
    ok("log", "megan", "-c", "callback", "--hook", "event:1")
    ok("export", "-f", "json", "-o", str(tmp_path / "a.json"))
    doc = json.loads((tmp_path / "a.json").read_text())
    assert [e["title"] for e in doc["events"]] == ["our data briefing"]
    assert doc["call_hooks"][0]["event_id"] == 1
    ok("--db", blank_store.db, "import", str(tmp_path / "a.json"))
    again = ok("--db", blank_store.db, "export", "-f", "json").stdout
    assert again == (tmp_path / "a.json").read_text()


def test_a_file_from_before_events_imports(ok, desk, tmp_path, blank_store):
    ok("job", "add", "DBA", "--tag", "data")
    ok("log", "megan", "-c", "callback", "--hook", "job:1")
    doc = json.loads(ok("export", "-f", "json").stdout)
    del doc["events"]
    for h in doc["call_hooks"]:
        del h["event_id"]
    (tmp_path / "old.json").write_text(json.dumps(doc))
    ok("--db", blank_store.db, "import", str(tmp_path / "old.json"))
    again = json.loads(ok("--db", blank_store.db, "export", "-f", "json").stdout)
    assert again["events"] == [] and again["call_hooks"][0]["job_id"] == 1


def test_a_file_with_two_hooks_in_one_row_is_refused(cli, ok, desk, tmp_path, blank_store):
    ok("event", "add", "our data briefing", "--on", "2026-12-10")
    ok("job", "add", "DBA", "--tag", "data")
    ok("log", "megan", "-c", "callback", "--hook", "event:1")
    doc = json.loads(ok("export", "-f", "json").stdout)
    doc["call_hooks"][0]["job_id"] = 1
    (tmp_path / "bad.json").write_text(json.dumps(doc))
    r = cli("--db", blank_store.db, "import", str(tmp_path / "bad.json"))
    assert r.exit_code != 0 and "exactly one of" in r.stderr and r.stderr.count("\n") == 1


def test_a_merge_matches_the_same_event_on_the_same_day(ok, desk, tmp_path, blank_store):
    other = ["--db", blank_store.db, "--as", "Kim"]
    ok(*other, "dm", "add", "Lou Green", "--company", "Harbour", "--tag", "data")
    ok(*other, "event", "add", "Our Data Briefing", "--on", "2026-12-10", "--tag", "data")
    ok(*other, "log", "lou", "-c", "callback", "--hook", "event:1")
    ok(*other, "export", "-f", "json", "-o", str(tmp_path / "kim.json"))
    ok("event", "add", "our data briefing", "--on", "2026-12-10", "--tag", "data")
    ok("import", str(tmp_path / "kim.json"), "--merge")
    assert len(ok("event", "list", "--json").json["events"]) == 1
    lou = ok("dm", "show", "lou", "--json").json
    assert lou["calls"][0]["hooks"] == ["event:1"]


def test_forgetting_a_person_scrubs_their_name_from_an_event(ok):
    ok("dm", "add", "Xanthe Quarrington", "--company", "Zyzzyx")
    ok("event", "add", "lunch with Xanthe Quarrington", "--on", "2026-12-10")
    ok("dm", "forget", "xanthe", "--yes")
    assert ok("event", "list", "--json").json["events"][0]["title"] == "lunch with [erased]"


def test_upgrading_from_0011_keeps_every_call_hook(tmp_path, ok):
    path = old_store(tmp_path / "old.sqlite3", "0011")
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute(
            "INSERT INTO call (id, dm_id, called_on, logged_at, kind, outcome,"
            " conversation_number, reason, recruiter) VALUES (1, 1, '2026-11-20',"
            " '2026-11-20 09:05:00', 'continuation', 'callback', 1, 'new', 'Sam')"
        )
        conn.execute(
            "INSERT INTO job (id, title, tags, status, created_at) VALUES"
            " (1, 'DBA', 'data', 'open', '2026-11-01 09:00:00')"
        )
        conn.execute(
            "INSERT INTO candidate (id, name, tags, status, created_at) VALUES"
            " (1, 'Ola Berg', 'data', 'open', '2026-11-01 09:00:00')"
        )
        conn.execute("INSERT INTO call_hook (id, call_id, job_id) VALUES (1, 1, 1)")
        conn.execute("INSERT INTO call_hook (id, call_id, candidate_id) VALUES (2, 1, 1)")
    r = ok("--db", str(path), "--as", "Sam", "dm", "show", "jane", "--json")
    assert "upgraded the store from schema 0011" in r.stderr
    assert r.json["calls"][0]["hooks"] == ["job:1", "candidate:1"]
    ok("--db", str(path), "--as", "Sam", "event", "add", "our briefing", "--on", "2026-12-10")
    ok("--db", str(path), "--as", "Sam", "log", "jane", "-c", "callback", "--hook", "event:1")
    with closing(sqlite3.connect(path)) as conn, conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD,)
        assert conn.execute(
            "SELECT id, call_id, job_id, candidate_id, event_id FROM call_hook ORDER BY id"
        ).fetchall() == [(1, 1, 1, None, None), (2, 1, None, 1, None), (3, 2, None, None, 1)]
        with pytest.raises(sqlite3.IntegrityError):  # still one hook a row
            conn.execute("INSERT INTO call_hook (call_id, job_id, event_id) VALUES (1, 1, 1)")


@pytest.mark.sqlite_only("the migration's downgrade, checked once")
def test_the_0012_downgrade_drops_events_and_keeps_other_hooks(tmp_path):
    import sqlalchemy as sa
    from alembic import command

    from callplan.store.db import alembic_config, make_engine, upgrade

    engine = make_engine(f"sqlite:///{tmp_path / 's.sqlite3'}")
    try:
        upgrade(engine, "0012")
        assert "event" in sa.inspect(engine).get_table_names()
        command.downgrade(alembic_config(engine), "0011")
        engine.dispose()
        inspector = sa.inspect(engine)
        assert "event" not in inspector.get_table_names()
        assert "event_id" not in {c["name"] for c in inspector.get_columns("call_hook")}
    finally:
        engine.dispose()
