"""Recruiters and ownership (issue 8): who is working, whose DMs they are, and claims.

Every test runs as the recruiter "Sam" (conftest sets CALLPLAN_USER); `--as NAME` or
CALLPLAN_USER in a run's environment makes another recruiter of the team.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest

from tests.conftest import snapshot


def plan(ok, *args: str, who: str | None = None, today: str | None = None):
    """`today --json` as ``who`` (default: Sam), on ``today`` (default: conftest's)."""
    env = {"CALLPLAN_TODAY": today} if today else None
    root = ["--as", who] if who else []
    return ok(*root, "today", "--json", *args, env=env).json


def new_names(data) -> list[str]:
    return [r["name"] for r in data["new"]]


def due_names(data) -> list[str]:
    return [r["name"] for r in data["due"]]


# --- who is working --------------------------------------------------------------------


def test_the_user_setting_as_and_the_login_name(ok, cli, db, monkeypatch):
    ok("dm", "add", "Jane Smith")
    ok("log", "jane", "-n", "no-answer")  # CALLPLAN_USER=Sam
    ok("config", "set", "user", "Kim Lee")
    monkeypatch.delenv("CALLPLAN_USER")
    ok("log", "jane", "-n", "no-answer")  # the config file
    ok("--as", "Priya", "log", "jane", "-n", "no-answer")  # --as beats the setting, once
    ok("log", "jane", "-n", "voicemail")  # and the setting is back
    ok("config", "unset", "user")
    import getpass

    monkeypatch.setattr(getpass, "getuser", lambda: "jdoe")
    ok("log", "jane", "-n", "no-answer")  # the login name
    assert [r[0] for r in db("SELECT recruiter FROM call ORDER BY id")] == [
        "Sam",
        "Kim Lee",
        "Priya",
        "Kim Lee",
        "jdoe",
    ]

    def no_login() -> str:
        raise OSError("no login name")

    monkeypatch.setattr(getpass, "getuser", no_login)
    ok("log", "jane", "-n", "no-answer")
    assert db("SELECT recruiter FROM call ORDER BY id DESC LIMIT 1") == [("me",)]
    shown = ok("config", "show", "--json").json["settings"]
    assert {"key": "user", "value": "me", "source": "login name"}.items() <= {
        **next(s for s in shown if s["key"] == "user")
    }.items()


def test_names_match_like_dm_names_and_are_stored_as_first_typed(ok, db):
    ok("dm", "add", "Jane Smith")
    ok("--as", "Zoë Ångström", "log", "jane", "-c", "callback")
    ok("--as", "  zoe   ANGSTROM ", "note", "jane", "Prefers email")
    assert db("SELECT recruiter FROM call") == [("Zoë Ångström",)]
    assert db("SELECT recruiter FROM note") == [("Zoë Ångström",)]
    assert db("SELECT owner FROM decision_maker") == [("Zoë Ångström",)]
    assert db("SELECT key, name FROM recruiter") == [("zoe angstrom", "Zoë Ångström")]


@pytest.mark.parametrize("name", ["", "  ", "a\x00b", "\x1b[31m", "\u202e", "x" * 61])
def test_a_bad_name_is_one_line_and_writes_nothing(cli, store, ok, name):
    ok("dm", "add", "Jane Smith")
    before = snapshot(store)
    r = cli("--as", name, "log", "jane", "-c", "callback")
    assert r.exit_code == 2 and r.stderr.startswith("Error: --as")
    assert len(r.stderr.strip().splitlines()) == 1
    if "\x00" not in name:  # no environment variable can hold one
        r = cli("log", "jane", "-c", "callback", env={"CALLPLAN_USER": name})
        assert r.exit_code == 6 and r.stderr.startswith("Error: Setting user")
    assert snapshot(store) == before


# --- ownership --------------------------------------------------------------------------


def test_a_first_conversation_makes_the_caller_the_owner(ok, db):
    ok("dm", "add", "Jane Smith")
    ok("--as", "Kim", "log", "jane", "-n", "no-answer")
    assert db("SELECT owner FROM decision_maker") == [(None,)]  # a dial isn't a conversation
    ok("--as", "Kim", "log", "jane", "-c", "callback", "-r", "Raj Patel, CTO, Initech")
    assert db("SELECT name, owner FROM decision_maker ORDER BY id") == [
        ("Jane Smith", "Kim"),
        ("Raj Patel", "Kim"),  # a referral is the caller's warm lead
    ]
    assert ok("dm", "show", "jane", "--json").json["dm"]["owner"] == "Kim"


def test_logging_on_a_colleagues_dm_warns_and_records_it(ok, db):
    ok("dm", "add", "Jane Smith")
    ok("--as", "Kim", "log", "jane", "-c", "callback")
    r = ok("log", "jane", "-a", "cv-review", "-s", "Sent two CVs")
    warnings = [line for line in r.stderr.splitlines() if "Kim" in line]
    assert warnings == ["Jane Smith is Kim's DM: the call is recorded as yours."]
    assert db("SELECT recruiter, outcome FROM call ORDER BY id") == [
        ("Kim", "callback"),
        ("Sam", "cv-review"),
    ]
    assert db("SELECT owner, conversation_count FROM decision_maker") == [("Kim", 2)]
    r = ok("--as", "kim", "log", "jane", "-c", "callback", "--again")  # her own: no warning
    assert "recorded as yours" not in r.stderr


def test_calling_a_prospect_in_a_colleagues_plan_today_warns(ok, db):
    """Kim's `today` gave her Ann and Bo. Sam dials Bo (told to leave him to Kim), then
    speaks to Ann first (she is Sam's now, and Kim is to be told); yesterday's claims and
    Kim's own calls say nothing."""
    for name in ("Ann Ash", "Bo Birch", "Cy Cedar", "Di Dogwood"):
        ok("dm", "add", name, "--phone", "0113 496 0001")
    ok("--as", "Kim", "today")
    assert db("SELECT dm_id, recruiter FROM claim ORDER BY dm_id") == [(1, "Kim"), (2, "Kim")]
    r = ok("log", "bo", "-n", "no-answer")
    assert r.stderr.endswith("Bo Birch is in Kim's plan today: leave them to Kim.\n")
    r = ok("log", "ann", "-c", "callback")
    assert r.stderr.endswith(
        "Ann Ash was in Kim's plan today; you spoke first, so they are yours now: tell Kim.\n"
    )
    assert db("SELECT owner FROM decision_maker WHERE id = 1") == [("Sam",)]
    assert "plan today" not in ok("--as", "Kim", "log", "bo", "-n", "no-answer").stderr
    assert (
        "plan today"
        not in ok("log", "bo", "-n", "no-answer", env={"CALLPLAN_TODAY": "2026-11-24"}).stderr
    )


# --- today: own DMs and the pool --------------------------------------------------------


def test_today_plans_only_your_own_dms_and_unowned_prospects(ok):
    for name in ("Ann Own", "Kit Theirs", "Pat Pool", "Rob Pool", "Sid Pool"):
        ok("dm", "add", name, "--phone", "0113 496 0002")
    ok("log", "ann", "-c", "callback", "--next", "today", "--on", "2026-11-20")
    ok("--as", "Kim", "log", "kit", "-c", "callback", "--next", "today", "--on", "2026-11-20")
    mine = plan(ok)
    assert due_names(mine) == ["Ann Own"]
    assert new_names(mine) == ["Pat Pool", "Rob Pool"]
    assert mine["recruiter"] == "Sam" and [r["owner"] for r in mine["due"]] == ["Sam"]
    theirs = plan(ok, who="Kim")
    assert due_names(theirs) == ["Kit Theirs"]
    assert new_names(theirs) == ["Sid Pool"]  # Pat and Rob are Sam's for the day
    # A prospect handed to someone is theirs alone.
    ok("dm", "add", "Tia Given", "--phone", "0113 496 0003")
    ok("dm", "assign", "tia", "--to", "Kim")
    assert "Tia Given" not in new_names(plan(ok, who="Lou", today="2026-11-24"))
    assert "Tia Given" in new_names(plan(ok, who="Kim", today="2026-11-24"))


def test_claims_are_stable_and_expire_at_the_end_of_the_day(ok, db):
    for i in range(6):
        ok("dm", "add", f"Prospect {i}", "--phone", "0113 496 0004")
    first = new_names(plan(ok))
    assert first == ["Prospect 0", "Prospect 1"]
    assert new_names(plan(ok)) == first  # the same prospects back
    assert new_names(plan(ok, who="Kim")) == ["Prospect 2", "Prospect 3"]
    assert new_names(plan(ok, who="Lou")) == ["Prospect 4", "Prospect 5"]
    assert new_names(plan(ok, who="Max")) == []  # the pool is empty today
    assert db("SELECT recruiter, count(*) FROM claim GROUP BY recruiter ORDER BY 1") == [
        ("Kim", 2),
        ("Lou", 2),
        ("Sam", 2),
    ]
    # Sam speaks to one: it is his; the other stays claimed, and the quota wants one more.
    ok("log", "prospect 0", "-c", "callback")
    assert new_names(plan(ok)) == ["Prospect 1"]
    # Tomorrow yesterday's unused claims are gone: Max gets the oldest prospects.
    tomorrow = "2026-11-24"
    assert new_names(plan(ok, who="Max", today=tomorrow)) == ["Prospect 1", "Prospect 2"]
    assert new_names(plan(ok, today=tomorrow)) == ["Prospect 3", "Prospect 4"]


def test_a_plan_for_another_day_claims_nothing(ok, db):
    ok("dm", "add", "Jane Smith", "--phone", "0113 496 0005")
    assert new_names(plan(ok, "--date", "2026-11-24")) == ["Jane Smith"]
    assert new_names(plan(ok, "--date", "2026-11-20")) == ["Jane Smith"]
    assert db("SELECT count(*) FROM claim") == [(0,)]


def test_a_store_that_cant_be_written_still_shows_the_plan(ok, store, monkeypatch):
    from callplan.cli.context import Runtime
    from callplan.errors import StoreError

    ok("dm", "add", "Jane Smith", "--phone", "0113 496 0006")
    ok("today")  # the store exists and is up to date
    before = snapshot(store)

    def refused(self):
        raise StoreError(
            "Can't write to the store: the file or its folder is read-only. Nothing was written."
        )

    monkeypatch.setattr(Runtime, "writing", refused)
    r = ok("today")
    assert "Jane Smith" in r.stdout
    notes = [line for line in r.stderr.splitlines() if line.startswith("Note:")]
    assert notes == [
        "Note: the store can't be written just now (it is read-only): today's new DMs are "
        "not claimed, so a colleague may be given them too."
    ]
    assert new_names(plan(ok)) == ["Jane Smith"]
    assert snapshot(store) == before


@pytest.mark.skipif(
    not hasattr(__import__("os"), "geteuid") or __import__("os").geteuid() == 0,
    reason="root writes read-only files",
)
@pytest.mark.sqlite_only("a read-only store file")
def test_a_read_only_store_file_still_shows_the_plan(ok, env):
    ok("dm", "add", "Jane Smith")
    ok("today", "--date", "2026-11-24")
    env.chmod(0o400)
    try:
        r = ok("today")
    finally:
        env.chmod(0o600)
    assert "Jane Smith" in r.stdout and "not claimed" in r.stderr


# --- the upgrade ------------------------------------------------------------------------


def test_upgrading_a_personal_store_gives_its_history_to_whoever_upgrades(tmp_path, ok):
    from callplan.store.db import make_engine, upgrade

    path = tmp_path / "old.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine, "0005")
    engine.dispose()
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute(
            "INSERT INTO decision_maker (id, name, name_key, status, needs_number, created_at,"
            " conversation_count, attempts_in_row, last_conversation_on, next_call_on,"
            " due_reason, last_outcome) VALUES (1, 'Jane Smith', 'jane smith', 'active', 0,"
            " '2026-10-01 09:00:00', 1, 0, '2026-10-01', '2026-11-23', 'callback', 'callback')"
        )
        conn.execute(
            "INSERT INTO decision_maker (id, name, name_key, status, needs_number, created_at,"
            " conversation_count, attempts_in_row) VALUES (2, 'Tom Hardy', 'tom hardy',"
            " 'active', 0, '2026-10-01 09:00:00', 0, 1)"
        )
        conn.execute(
            "INSERT INTO call (id, dm_id, called_on, logged_at, kind, outcome,"
            " conversation_number) VALUES (1, 1, '2026-10-01', '2026-10-01 09:05:00',"
            " 'continuation', 'callback', 1), (2, 2, '2026-10-02', '2026-10-02 09:05:00',"
            " 'no-connect', 'no-answer', NULL)"
        )
        conn.execute(
            "INSERT INTO note (id, dm_id, noted_on, text, created_at) VALUES"
            " (1, 1, '2026-10-01', 'Likes Hays', '2026-10-01 09:06:00')"
        )
    r = ok("--db", str(path), "--as", "Ruth", "today", "--json")
    assert "upgraded the store from schema 0005" in r.stderr
    assert [d["name"] for d in r.json["due"]] == ["Jane Smith"]  # her plan, as before
    with closing(sqlite3.connect(path)) as conn, conn:
        assert conn.execute("SELECT id, owner FROM decision_maker ORDER BY id").fetchall() == [
            (1, "Ruth"),
            (2, None),  # a prospect stays in the pool
        ]
        assert conn.execute("SELECT recruiter FROM call").fetchall() == [("Ruth",), ("Ruth",)]
        assert conn.execute("SELECT recruiter FROM note").fetchall() == [("Ruth",)]
        assert conn.execute("SELECT key, name FROM recruiter").fetchall() == [("ruth", "Ruth")]


def test_a_new_store_has_no_recruiters_until_someone_works(tmp_path, ok):
    path = tmp_path / "new.sqlite3"
    ok("--db", str(path), "dm", "list")
    with closing(sqlite3.connect(path)) as conn, conn:
        assert conn.execute("SELECT count(*) FROM recruiter").fetchone() == (0,)


# --- handing DMs over ---------------------------------------------------------------------


@pytest.fixture
def kims(ok):
    """Kim has spoken to three DMs; Sam to one; one is still a prospect."""
    for name in ("Ann A", "Bob B", "Cat C", "Dan D", "Eve E"):
        ok("dm", "add", name)
    for name in ("ann", "bob", "cat"):
        ok("--as", "Kim", "log", name, "-c", "callback", "--on", "2026-11-20")
    ok("log", "dan", "-a", "meeting")


def test_dm_show_says_whose_a_dm_is_and_when_they_last_spoke(ok, kims):
    r = ok("dm", "show", "ann")
    assert "Ann A is Kim's DM: last spoke Fri 20 Nov (with Kim)." in r.stderr
    assert "Owner" in r.stdout and "Kim" in r.stdout
    ok("log", "ann", "-c", "callback", "-s", "Sam called her too")
    data = ok("dm", "show", "ann", "--json").json
    assert data["dm"]["owner"] == "Kim" and data["yours"] is False
    assert data["last_conversation"] == {"on": "2026-11-23", "recruiter": "Sam"}
    assert [c["recruiter"] for c in data["calls"]] == ["Sam", "Kim"]
    assert "is Kim's DM: last spoke today (with Sam)." in ok("dm", "show", "ann").stderr
    mine = ok("dm", "show", "dan")
    assert "'s DM" not in mine.stderr
    assert ok("dm", "show", "dan", "--json").json["yours"] is True
    assert "nobody yet" in ok("dm", "show", "eve").stdout


def test_dm_assign_hands_one_dm_over(ok, cli, db, kims):
    r = ok("dm", "assign", "ann", "--to", "lou")
    assert r.stdout == "#1 Ann A is now lou's (was Kim's).\n"
    assert ok("dm", "assign", "1", "--to", "LOU").stdout.endswith(
        "already lou's: nothing to change.\n"
    )
    ok("dm", "assign", "eve", "--to", "Sam")  # a prospect out of the pool
    assert db("SELECT name, owner FROM decision_maker ORDER BY id") == [
        ("Ann A", "lou"),
        ("Bob B", "Kim"),
        ("Cat C", "Kim"),
        ("Dan D", "Sam"),
        ("Eve E", "Sam"),
    ]
    assert due_names(plan(ok, who="Lou", today="2026-11-25")) == ["Ann A"]  # on her plan


def test_dm_assign_from_hands_over_all_of_a_leavers_dms(ok, cli, db, store, kims):
    before = snapshot(store)
    r = cli("dm", "assign", "--from", "kim", "--to", "Lou")  # no terminal, no --yes
    assert r.exit_code == 2 and "confirm it at a terminal, or add --yes" in r.stderr
    r = cli("dm", "assign", "--from", "Nobody", "--to", "Lou", "--yes")
    assert r.exit_code == 3 and r.stderr.startswith("Error: Nobody called 'Nobody'")
    r = cli("dm", "assign", "--from", "kim", "--to", "KIM", "--yes")
    assert r.exit_code == 2
    r = cli("dm", "assign", "ann", "--from", "kim", "--to", "Lou")
    assert r.exit_code == 2 and len(r.stderr.splitlines()) == 1
    assert snapshot(store) == before
    r = ok("dm", "assign", "--from", "kim", "--to", "Lou", "--yes")
    assert r.stdout == "Handed 3 DMs from Kim to Lou.\n"
    assert db(
        "SELECT owner, count(*) FROM decision_maker GROUP BY owner ORDER BY coalesce(owner, '')"
    ) == [
        (None, 1),
        ("Lou", 3),
        ("Sam", 1),
    ]
    assert ok("dm", "assign", "--from", "kim", "--to", "Lou").stdout == (
        "Kim owns no DMs: nothing to hand over.\n"
    )


def test_dm_list_filters_by_owner_and_shows_whose_when_it_says_something(ok, kims):
    assert ok("dm", "list", "--mine", "--json").json["count"] == 1
    kim = ok("dm", "list", "--owner", "KIM", "--json").json
    assert [d["name"] for d in kim["dms"]] == ["Ann A", "Bob B", "Cat C"]
    assert {d["owner"] for d in kim["dms"]} == {"Kim"}
    table = ok("dm", "list").stdout
    assert "Owner" in table and all(len(line) <= 80 for line in table.splitlines())
    assert "Owner" not in ok("dm", "list", "--mine").stdout  # all yours: nothing to say


# --- stats --team ---------------------------------------------------------------------------


def test_stats_team_matches_a_plain_count_per_recruiter(ok, db, kims):
    ok("--as", "Kim", "log", "eve", "-n", "no-answer")
    ok("--as", "Kim", "log", "ann", "-a", "cv-review", "--on", "2026-11-21")
    ok("log", "bob", "-c", "callback")  # Sam on Kim's DM: Sam's call, Kim's DM
    data = ok("stats", "--team", "--json").json
    assert (data["from"], data["to"]) == ("2026-10-25", "2026-11-23")
    rows = {r["recruiter"]: r for r in data["recruiters"]}
    assert set(rows) == {"Kim", "Sam"}
    for who, row in rows.items():
        (new,) = db(
            "SELECT count(*) FROM call WHERE recruiter = ? AND conversation_number = 1", who
        )[0]
        (talks,) = db(
            "SELECT count(*) FROM call WHERE recruiter = ? AND kind != 'no-connect'", who
        )[0]
        (advances,) = db("SELECT count(*) FROM call WHERE recruiter = ? AND kind = 'advance'", who)[
            0
        ]
        (dials,) = db("SELECT count(*) FROM call WHERE recruiter = ? AND kind = 'no-connect'", who)[
            0
        ]
        (base,) = db(
            "SELECT count(*) FROM decision_maker WHERE owner = ? AND conversation_count > 0", who
        )[0]
        assert (row["new_dms"], row["conversations"], row["advances"], row["attempts"]) == (
            new,
            talks,
            advances,
            dials,
        ), who
        assert (row["base"], row["overdue"], row["within"]) == (base, 0, base), who
    assert rows["Kim"]["new_dms"] == 3 and rows["Sam"]["conversations"] == 2
    assert rows["Kim"]["advance_rate"] == 0.25  # 1 of 4 conversations
    table = ok("stats", "--team").stdout
    assert "Kim" in table and "Sam" in table and "New DMs spoken to" in table
    assert all(len(line) <= 80 for line in table.splitlines())
    # A desk of two makes a narrow table: its heading is still one line, not wrapped.
    assert table.splitlines()[0].startswith("The desk: ") and table.splitlines()[0].endswith("2026")


def test_stats_team_at_80_columns_for_a_handful(ok):
    for i in range(6):
        ok("dm", "add", f"Person {i}")
        ok("--as", f"Recruiter {i}", "log", f"person {i}", "-a", "meeting")
    table = ok("stats", "--team").stdout
    assert all(len(line) <= 80 for line in table.splitlines()), table
    assert table.count("100%") >= 6


def test_plain_stats_on_a_shared_store_says_it_is_the_whole_desk(ok):
    """Every figure of plain `stats` counts everyone's calls: on a store two recruiters
    work it isn't titled as yours."""
    ok("dm", "add", "Ann Ash")
    ok("log", "ann", "-a", "meeting")
    alone = ok("stats").stdout.splitlines()
    assert alone[0].startswith("Your numbers: ") and "recruiters" not in alone[1]
    ok("dm", "add", "Bo Birch")
    ok("--as", "Kim", "log", "bo", "-c", "callback")
    lines = ok("stats").stdout.splitlines()
    assert lines[0].startswith("The desk's numbers: ")
    assert lines[1] == "All 2 recruiters' calls and DMs together: stats --team shows each one's."
    month = ok("stats", "--month", "2026-11").stdout.splitlines()
    assert month[1] == lines[1]


# --- a name set after the first run (issue 15) --------------------------------------------


def test_a_name_that_never_worked_is_not_one_of_the_desks_recruiters(ok):
    """The first plan was seen under the login name, then the user setting named the
    recruiter who logs every call: one person, so stats is theirs, not the desk's."""
    ok("dm", "add", "Ann Ash")
    ok("dm", "add", "Bo Birch")
    ok("--as", "root", "today")  # registers root and claims the prospects, nothing more
    ok("log", "ann", "-a", "meeting")  # Sam
    lines = ok("stats").stdout.splitlines()
    assert lines[0].startswith("Your numbers: ") and "recruiters" not in lines[1]
    ok("--as", "Kim", "note", "bo", "Prefers email")  # a note is work too
    lines = ok("stats").stdout.splitlines()
    assert lines[1] == "All 2 recruiters' calls and DMs together: stats --team shows each one's."


@pytest.fixture
def as_root(monkeypatch):
    """Runs without CALLPLAN_USER: the login name is root until the user setting says."""
    import getpass

    monkeypatch.delenv("CALLPLAN_USER")
    monkeypatch.setattr(getpass, "getuser", lambda: "root")


def test_setting_the_user_renames_the_stores_one_recruiter(ok, db, as_root):
    ok("dm", "add", "Ann Ash", "--phone", "0113 496 0001")
    ok("dm", "add", "Bo Birch", "--phone", "0113 496 0002")
    ok("today")  # root's plan claims both prospects
    ok("log", "ann", "-a", "meeting")
    ok("note", "ann", "Prefers email")
    r = ok("config", "set", "user", "sam")
    assert r.stdout.splitlines() == [
        "user = sam  (in " + r.stdout.split("(in ", 1)[1].split(")")[0] + ")",
        "Renamed root to sam in the store: 1 call, 1 DM and 1 note are sam's now.",
    ]
    assert db("SELECT key, name FROM recruiter") == [("sam", "sam")]
    assert db("SELECT DISTINCT recruiter FROM call") == [("sam",)]
    assert db("SELECT DISTINCT recruiter FROM note") == [("sam",)]
    assert db("SELECT owner FROM decision_maker ORDER BY id") == [("sam",), (None,)]
    assert db("SELECT DISTINCT recruiter FROM claim") == [("sam",)]
    ok("log", "bo", "-c", "callback")
    assert ok("stats").stdout.startswith("Your numbers: ")
    assert [r["name"] for r in ok("today", "--json").json["new"]] == []  # bo is sam's own claim


def test_setting_the_user_renames_nobody_on_a_shared_store(ok, db, as_root):
    ok("dm", "add", "Ann Ash")
    ok("log", "ann", "-a", "meeting")  # root
    ok("--as", "Kim", "log", "ann", "-c", "callback")
    r = ok("config", "set", "user", "sam")
    assert r.stdout.splitlines()[1:] == [
        "Nobody renamed: 2 recruiters work this store. root's DMs stay root's: hand them "
        "over with 'callplan dm assign --from root --to sam'."
    ]
    assert db("SELECT name FROM recruiter ORDER BY key") == [("Kim",), ("root",)]
    assert db("SELECT owner FROM decision_maker") == [("root",)]


def test_setting_the_user_renames_nobody_else(ok, db, as_root):
    """The store's one recruiter is someone other than who this user was: left alone,
    and so is everyone when CALLPLAN_USER overrides the setting."""
    ok("dm", "add", "Ann Ash")
    ok("--as", "Kim", "log", "ann", "-a", "meeting")
    r = ok("config", "set", "user", "sam")
    assert r.stdout.splitlines()[1:] == []
    ok("config", "set", "user", "Priya", env={"CALLPLAN_USER": "Kim"})
    assert db("SELECT name FROM recruiter") == [("Kim",)]
    assert db("SELECT recruiter FROM call") == [("Kim",)]


def test_setting_the_user_creates_no_store(ok, tmp_path, as_root):
    path = tmp_path / "none-yet.sqlite3"
    ok("--db", str(path), "config", "set", "user", "sam")
    assert not path.exists()


def test_a_config_file_that_cant_be_written_renames_nobody(cli, ok, store, tmp_path, as_root):
    ok("dm", "add", "Ann Ash")
    ok("log", "ann", "-a", "meeting")  # root
    before = snapshot(store)
    (tmp_path / "blocked").write_text("a file, not a folder")
    r = cli(
        "config", "set", "user", "sam", env={"CALLPLAN_CONFIG": str(tmp_path / "blocked/c.toml")}
    )
    assert r.exit_code != 0 and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert snapshot(store) == before
