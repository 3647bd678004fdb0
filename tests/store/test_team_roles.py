"""A team store with real access control (issue 20): each recruiter a PostgreSQL login
role, the server deciding who may change what.

The team is two recruiters, Kim and Sam, and a lead, Lee, each logging in as a role of
their own (named after the test worker: roles belong to the whole server). Each rule is
checked from each side, through callplan and with raw SQL, so that the guarantee is the
database's and not the client's. The database's owner here is the test server's
superuser, who sets the team up (`team init`, `team add`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest

from callplan.store.schema import HEAD

TEAM = {"Kim": "kim", "Sam": "sam", "Lee": "lee"}


def login(name: str) -> str:
    return f"t{os.getpid()}_{TEAM[name]}"


@pytest.fixture
def team(store, ok, backend) -> None:
    """The team set up on the test's store (PostgreSQL only), by its owner."""
    if backend != "pg":
        pytest.skip("roles are PostgreSQL's: runs in the [pg] variant")
    ok("team", "init")
    for name in TEAM:
        args = ["--lead"] if name == "Lee" else []
        ok("team", "add", name, "--login", login(name), *args)


@pytest.fixture
def as_role(store, cli, team) -> Callable[..., Any]:
    """``as_role(name, *args)``: callplan run as that recruiter's database login."""
    import sqlalchemy as sa

    def run(name: str, *args: str, env: dict[str, str] | None = None):
        url = sa.make_url(store.url).set(username=login(name)).render_as_string(False)
        return cli(*args, env={"CALLPLAN_DB": url, "CALLPLAN_USER": "Nobody", **(env or {})})

    return run


@pytest.fixture
def raw(store, team) -> Callable[..., Any]:
    """``raw(name, sql, *params)``: one statement as that recruiter's login, in a
    transaction of its own: its rows (or the row count), or the server's error."""
    import psycopg

    from tests.conftest import pg_conninfo

    def run(name: str, sql: str, *params: object):
        import sqlalchemy as sa

        url = sa.make_url(store.url).set(username=login(name)).render_as_string(False)
        with psycopg.connect(pg_conninfo(url)) as conn:
            cursor = conn.execute(sql, params)
            return cursor.fetchall() if cursor.description else cursor.rowcount

    return run


def refused(r, words: str, code: int = 8) -> None:
    lines = r.stderr.strip().splitlines()
    assert r.exit_code == code, (r.stdout, r.stderr)
    assert len(lines) == 1 and lines[0].startswith("Error: "), r.stderr
    assert words in lines[0], lines[0]
    assert "Traceback" not in r.stderr


def server_refuses(raw, name: str, sql: str, *params: object, words: str = "") -> None:
    import psycopg

    with pytest.raises(psycopg.Error) as caught:
        raw(name, sql, *params)
    assert caught.value.sqlstate in ("42501", "CPR01"), caught.value
    assert words in str(caught.value)


def kims_dm(as_role) -> None:
    """Claire Dunn, Kim's DM since their first conversation; Bo Birch in the pool."""
    assert as_role("Kim", "dm", "add", "Claire Dunn", "--company", "Acme").exit_code == 0
    assert as_role("Kim", "log", "claire", "-c", "callback").exit_code == 0
    assert as_role("Kim", "dm", "add", "Bo Birch", "--company", "Beta").exit_code == 0


# --- who you are -------------------------------------------------------------------------


def test_the_server_says_who_you_are(as_role, store):
    kims_dm(as_role)
    # The user setting (CALLPLAN_USER=Nobody here) doesn't choose: the login does.
    assert store.query("SELECT recruiter FROM call") == [("Kim",)]
    refused(as_role("Kim", "--as", "Sam", "today"), "You are Kim on this team store")
    assert as_role("Kim", "--as", "kim", "today").exit_code == 0  # yourself, as typed


def test_a_login_that_is_no_recruiter_and_a_name_that_is_no_one_are_refused(
    as_role, store, team, cli, raw
):
    import psycopg

    from tests.conftest import pg_conninfo

    stranger = f"t{os.getpid()}_stranger"
    with psycopg.connect(pg_conninfo(store.url), autocommit=True) as conn:
        conn.execute(f"DROP ROLE IF EXISTS {stranger}")
        conn.execute(f"CREATE ROLE {stranger} LOGIN IN ROLE callplan_recruiter")
    import sqlalchemy as sa

    url = sa.make_url(store.url).set(username=stranger).render_as_string(False)
    # The store lets in only its recruiters' logins (the group is the server's: a
    # recruiter of another callplan database is in it too)...
    refused(cli("today", env={"CALLPLAN_DB": url}), "may not connect to the database", code=5)
    # ...and one an administrator lets in is still nobody here.
    store.query(f"GRANT CONNECT ON DATABASE {store.database} TO {stranger}")
    refused(cli("today", env={"CALLPLAN_DB": url}), "is no recruiter of this team store")
    # The owner names people, but never makes one up: a typo is not a new recruiter.
    before = store.query("SELECT name FROM recruiter ORDER BY name")
    refused(cli("--as", "Ana Silvaa", "today"), "Nobody called 'Ana Silvaa'", code=3)
    kims_dm(as_role)
    refused(cli("dm", "assign", "claire", "--to", "Kimm"), "Nobody called 'Kimm'", code=3)
    assert store.query("SELECT name FROM recruiter ORDER BY name") == before


# --- calls and notes ----------------------------------------------------------------------


def test_calls_are_logged_and_changed_only_by_who_made_them(as_role, raw, store):
    kims_dm(as_role)
    (call_id,) = store.query("SELECT id FROM call")[0]
    # Through callplan: Sam can't correct or delete Kim's call; a lead can.
    refused(as_role("Sam", "call", "edit", str(call_id), "-s", "mine now"), "is Kim's")
    refused(as_role("Sam", "call", "delete", str(call_id), "--yes"), "is Kim's")
    # With raw SQL: a call in someone else's name, an edit, a delete.
    server_refuses(
        raw,
        "Sam",
        "INSERT INTO call (dm_id, called_on, kind, outcome, logged_at, recruiter)"
        " VALUES (%s, '2026-11-23', 'continuation', 'callback', now(), 'Kim')",
        1,
        words="row-level security",
    )
    server_refuses(
        raw, "Sam", "UPDATE call SET summary = 'x' WHERE id = %s", call_id, words="Kim's"
    )
    server_refuses(
        raw, "Sam", "UPDATE call SET recruiter = 'Sam' WHERE id = %s", call_id, words="Kim's"
    )
    assert raw("Sam", "DELETE FROM call WHERE id = %s", call_id) == 0  # hidden from the delete
    assert store.query("SELECT recruiter, summary FROM call") == [("Kim", None)]
    # Kim changes her own; Lee (a lead) may too.
    assert raw("Kim", "UPDATE call SET summary = 'hers' WHERE id = %s", call_id) == 1
    assert as_role("Lee", "call", "edit", str(call_id), "-s", "tidied").exit_code == 0
    assert store.query("SELECT summary FROM call") == [("tidied",)]


def test_a_call_on_a_colleagues_dm_is_yours_and_moves_only_their_diary(as_role, store):
    kims_dm(as_role)
    r = as_role("Sam", "log", "claire", "-c", "callback", "-s", "spoke to Claire")
    assert r.exit_code == 0, r.stderr
    assert store.query("SELECT recruiter FROM call ORDER BY id") == [("Kim",), ("Sam",)]
    assert store.query("SELECT owner, conversation_count FROM decision_maker WHERE id = 1") == [
        ("Kim", 2)
    ]
    # Sam takes back his own call; Kim's stays.
    assert as_role("Sam", "undo", "--yes").exit_code == 0
    assert store.query("SELECT recruiter FROM call") == [("Kim",)]


def test_notes_are_written_and_changed_only_by_who_wrote_them(as_role, raw, store):
    kims_dm(as_role)
    assert as_role("Kim", "note", "claire", "Hiring two platform engineers").exit_code == 0
    (note_id,) = store.query("SELECT id FROM note")[0]
    server_refuses(
        raw,
        "Sam",
        "INSERT INTO note (dm_id, noted_on, text, created_at, recruiter)"
        " VALUES (1, '2026-11-23', 'x', now(), 'Kim')",
        words="row-level security",
    )
    assert raw("Sam", "UPDATE note SET text = 'x' WHERE id = %s", note_id) == 0
    assert raw("Sam", "DELETE FROM note WHERE id = %s", note_id) == 0
    assert store.query("SELECT text FROM note") == [("Hiring two platform engineers",)]
    assert raw("Kim", "UPDATE note SET text = 'Hiring two' WHERE id = %s", note_id) == 1


# --- decision makers ------------------------------------------------------------------------


def test_a_colleagues_dm_is_theirs_to_edit_reassign_and_mark(as_role, raw, store):
    kims_dm(as_role)
    before = store.query("SELECT owner, status, phone FROM decision_maker WHERE id = 1")
    refused(
        as_role("Sam", "dm", "edit", "claire", "--phone", "020 7946 0009"),
        "Kim owns Claire Dunn: only Kim or a team lead may change their details.",
    )
    refused(as_role("Sam", "dm", "dnc", "claire"), "may mark them do-not-call")
    # Her next call moves with the calls anyone logs, not by a colleague's hand.
    for args in (["--due", "2026-12-01"], ["--purpose", "x"], ["--cycle", "30"]):
        refused(as_role("Sam", "dm", "edit", "claire", *args), "only Kim or a team lead")
    refused(as_role("Sam", "dm", "archive", "claire"), "may mark them archived")
    refused(
        as_role("Sam", "dm", "assign", "claire", "--to", "Sam"),
        "Kim owns Claire Dunn: ask Kim or a team lead to reassign them.",
    )
    refused(as_role("Sam", "dm", "assign", "--from", "Kim", "--to", "Sam", "--yes"), "Kim owns")
    for sql in (
        "UPDATE decision_maker SET owner = 'Sam' WHERE id = 1",
        "UPDATE decision_maker SET owner = NULL WHERE id = 1",
        "UPDATE decision_maker SET phone = '+442079460009' WHERE id = 1",
        "UPDATE decision_maker SET status = 'dnc' WHERE id = 1",
    ):
        server_refuses(raw, "Sam", sql, words="Kim owns Claire Dunn")
    assert store.query("SELECT owner, status, phone FROM decision_maker WHERE id = 1") == before
    # A prospect nobody owns is anyone's to edit; Kim edits and marks her own.
    assert as_role("Sam", "dm", "edit", "bo", "--title", "CTO").exit_code == 0
    assert as_role("Kim", "dm", "edit", "claire", "--title", "CFO").exit_code == 0
    # A DM is added to the pool or as your own, never as a colleague's.
    server_refuses(
        raw,
        "Sam",
        "INSERT INTO decision_maker (name, name_key, created_at, status, owner)"
        " VALUES ('X', 'x', now(), 'active', 'Kim')",
        words="row-level security",
    )
    # The lead reassigns and marks anyone's.
    assert as_role("Lee", "dm", "assign", "claire", "--to", "Sam").exit_code == 0
    assert as_role("Lee", "dm", "dnc", "bo").exit_code == 0
    assert store.query("SELECT owner FROM decision_maker WHERE id = 1") == [("Sam",)]


def test_claims_are_made_for_yourself(as_role, raw):
    kims_dm(as_role)
    server_refuses(
        raw,
        "Sam",
        "INSERT INTO claim (dm_id, recruiter, claimed_on) VALUES (2, 'Kim', '2026-11-23')",
        words="row-level security",
    )
    server_refuses(  # Claire is Kim's: nobody else plans her as a new DM
        raw,
        "Sam",
        "INSERT INTO claim (dm_id, recruiter, claimed_on) VALUES (1, 'Sam', '2026-11-23')",
        words="row-level security",
    )
    assert raw("Sam", "INSERT INTO claim VALUES (2, 'Sam', '2026-11-23')") == 1
    assert raw("Kim", "DELETE FROM claim WHERE recruiter = 'Sam' AND dm_id = 2") == 1  # the pool's
    assert raw("Kim", "INSERT INTO claim VALUES (2, 'Kim', '2026-11-23')") == 1
    assert raw("Kim", "UPDATE decision_maker SET owner = 'Kim' WHERE id = 2") == 1  # from the pool
    assert raw("Sam", "DELETE FROM claim WHERE dm_id = 2") == 0  # Kim's claim of Kim's DM


def test_an_import_leaves_a_colleagues_dm_as_it_is(as_role, store):
    """A recruiter's contacts file that holds a colleague's DM adds the others and
    changes nothing of the colleague's (the server would refuse the whole file)."""
    from pathlib import Path

    assert as_role("Kim", "dm", "add", "Tom Hardy", "--company", "Initech").exit_code == 0
    assert as_role("Kim", "log", "tom", "-c", "callback").exit_code == 0
    kims = "SELECT * FROM decision_maker WHERE id = 1"
    before = store.query(kims)
    contacts = Path(__file__).parents[1] / "fixtures" / "contacts" / "google-contacts.csv"
    r = as_role("Sam", "import", str(contacts))
    assert r.exit_code == 0, r.stderr
    assert "Not changed, line 3: Tom Hardy is #1 Tom Hardy (Initech), Kim's DM" in r.stderr
    assert "1 colleague's DM not changed" in r.stderr
    assert "Tom Hardy: '020 7946 0000 ext. 12' (kept as typed)" not in r.stderr  # it isn't
    assert store.query(kims) == before
    assert store.query("SELECT count(*) FROM dm_tag WHERE dm_id = 1") == [(0,)]
    assert store.query("SELECT count(*) FROM decision_maker") > [(1,)]
    # The file's notes are nobody's: the import's, not Sam's (`undo` doesn't take them).
    assert store.query("SELECT DISTINCT recruiter FROM note") == [(None,)]
    # The lead's import fills in what Kim's DM lacks.
    assert "Merged line 3: Tom Hardy" in as_role("Lee", "import", str(contacts)).stderr


# --- erasure and the team log -------------------------------------------------------------------


def test_erasing_needs_a_lead_and_the_log_says_who(as_role, raw, store):
    kims_dm(as_role)
    refused(as_role("Kim", "dm", "forget", "claire", "--yes"), "needs a team lead")
    later = {"CALLPLAN_TODAY": "2028-01-03"}  # Bo Birch, never reached, is a year old
    r = as_role("Sam", "prune", "--older-than", "6m", "--yes", env=later)
    refused(r, "Pruning on this team store needs a team lead")
    assert raw("Kim", "DELETE FROM decision_maker WHERE id = 1") == 0  # hidden from her
    server_refuses(raw, "Kim", "INSERT INTO erasure (erased_on, reason) VALUES (now(), 'x')")
    assert store.query("SELECT count(*) FROM decision_maker") == [(2,)]

    assert as_role("Kim", "dm", "dnc", "claire").exit_code == 0
    assert as_role("Lee", "dm", "assign", "bo", "--to", "Kim").exit_code == 0
    assert as_role("Lee", "dm", "forget", "claire", "--yes").exit_code == 0
    log = as_role("Sam", "team", "log", "--json").json["events"]
    assert [(e["recruiter"], e["role"], e["action"], e["dm_id"], e["dm"]) for e in log] == [
        ("Lee", login("Lee"), "erase", 1, None),
        ("Lee", login("Lee"), "reassign", 2, "Bo Birch"),
        ("Kim", login("Kim"), "dnc", 1, None),
    ]
    assert log[1]["detail"] == "the pool -> Kim"
    # The log is the server's: nobody edits it, nor writes in someone else's name.
    server_refuses(raw, "Lee", "DELETE FROM team_event")
    server_refuses(raw, "Lee", "UPDATE team_event SET actor = 'Sam'")
    server_refuses(
        raw,
        "Sam",
        "INSERT INTO team_event (at, role, action) VALUES (now(), %s, 'erase')",
        login("Lee"),
        words="permission denied",
    )
    # Kim's first conversation with Claire made her Kim's: no entry (nobody lost her).
    text = as_role("Sam", "team", "log").stdout
    assert "erased" in text and "Claire" not in text  # no erased person's name
    documented("team log --json", as_role("Sam", "team", "log", "--json").json)
    documented("team list --json", as_role("Sam", "team", "list", "--json").json)


def documented(section: str, output: object) -> None:
    """``output`` has the shape docs/json.md gives ``section`` (the JSON contract's check)."""
    from tests.cli.test_json_contract import EXAMPLES, Check

    assert Check({}).run(EXAMPLES[section], output) == []


# --- what a recruiter's own session can't change -------------------------------------------


@pytest.fixture
def session(store, team) -> Callable[..., Any]:
    """``session(name, *statements)``: statements run one after another in one
    transaction as that recruiter's login; the last one's rows (or row count)."""
    import psycopg
    import sqlalchemy as sa

    from tests.conftest import pg_conninfo

    def run(name: str, *statements: str):
        url = sa.make_url(store.url).set(username=login(name)).render_as_string(False)
        with psycopg.connect(pg_conninfo(url)) as conn:
            for sql in statements:
                cursor = conn.execute(sql)
            return cursor.fetchall() if cursor.description else cursor.rowcount

    return run


def test_no_temporary_table_makes_a_recruiter_someone_else(as_role, session, store):
    """Temporary tables are searched before every schema: one called ``recruiter``
    mapping Kim's login to Sam, or one called ``team_event``, must fool no rule."""
    import psycopg

    kims_dm(as_role)
    with pytest.raises(psycopg.Error) as caught:  # team init took TEMPORARY from PUBLIC
        session("Kim", "CREATE TEMP TABLE recruiter (key text)")
    assert caught.value.sqlstate == "42501"
    store.query(f"GRANT TEMPORARY ON DATABASE {store.database} TO PUBLIC")  # a DBA's doing
    assert as_role("Sam", "dm", "add", "Dee Dale", "--company", "Delta").exit_code == 0
    assert as_role("Sam", "log", "dee", "-c", "callback").exit_code == 0  # Sam's DM, id 3
    fake = (
        "CREATE TEMP TABLE recruiter (key text, name text, role text)",
        f"INSERT INTO recruiter VALUES ('sam', 'Sam', '{login('Kim')}')",
    )
    for sql in (
        "INSERT INTO call (dm_id, called_on, kind, outcome, logged_at, recruiter)"
        " VALUES (3, '2026-11-23', 'continuation', 'callback', now(), 'Sam')",
        "UPDATE decision_maker SET phone = '+442079460009' WHERE id = 3",
        "UPDATE decision_maker SET owner = 'Kim' WHERE id = 3",
    ):
        with pytest.raises(psycopg.Error) as caught:
            session("Kim", *fake, sql)
        assert caught.value.sqlstate in ("42501", "CPR01"), caught.value
    assert session("Kim", *fake, "DELETE FROM call WHERE recruiter = 'Sam'") == 0
    # The team log stays the server's: a temporary team_event takes no entry from it.
    session(
        "Kim",
        "CREATE TEMP TABLE team_event (LIKE public.team_event INCLUDING DEFAULTS)",
        "UPDATE decision_maker SET status = 'dnc' WHERE id = 1",
    )
    assert store.query("SELECT actor, action, dm_id FROM team_event") == [("Kim", "dnc", 1)]
    assert store.query("SELECT recruiter FROM call WHERE dm_id = 3") == [("Sam",)]


def test_the_recruiters_group_role_is_nobody(as_role, session, store):
    """A recruiter may SET ROLE to the group they are in: the rules don't take the group
    for the database's owner."""
    import psycopg

    kims_dm(as_role)
    for sql in (
        "UPDATE decision_maker SET owner = 'Sam' WHERE id = 1",
        "UPDATE decision_maker SET status = 'dnc' WHERE id = 1",
        "UPDATE call SET summary = 'x' WHERE recruiter = 'Kim'",
    ):
        with pytest.raises(psycopg.Error) as caught:
            session("Sam", "SET ROLE callplan_recruiter", sql)
        assert caught.value.sqlstate == "CPR01", caught.value
        assert "is no recruiter of this team store" in str(caught.value)
    assert store.query("SELECT owner, status FROM decision_maker WHERE id = 1") == [
        ("Kim", "active")
    ]


def test_the_key_of_erased_peoples_hashes_is_the_owners(as_role, raw, store):
    """Without the key, an erased person's old contact file would bring them back."""
    key = store.query("SELECT value FROM store_meta WHERE key = 'suppression_key'")
    assert len(key) == 1  # made by team init
    for name in ("Sam", "Lee"):
        server_refuses(raw, name, "UPDATE store_meta SET value = 'ab'")
        server_refuses(raw, name, "DELETE FROM store_meta")
        server_refuses(raw, name, "INSERT INTO store_meta VALUES ('suppression_key.9', 'ab')")
    # A lead's erasure still suppresses: the person can't be added back by a recruiter.
    kims_dm(as_role)
    assert as_role("Lee", "dm", "forget", "claire", "--yes").exit_code == 0
    r = as_role("Sam", "dm", "add", "Claire Dunn", "--company", "Acme")
    assert r.exit_code != 0 and "erased" in r.stderr, r.stderr
    assert store.query("SELECT value FROM store_meta WHERE key = 'suppression_key'") == key


def test_a_colleagues_dm_keeps_its_tags(as_role, raw, store):
    kims_dm(as_role)
    assert as_role("Kim", "dm", "edit", "claire", "--tag", "fintech").exit_code == 0
    for args in (["--tag", "mine"], ["--untag", "fintech"]):
        refused(
            as_role("Sam", "dm", "edit", "claire", *args),
            "Kim owns Claire Dunn: only Kim or a team lead may change their details.",
        )
    server_refuses(raw, "Sam", "INSERT INTO dm_tag VALUES (1, 'x')", words="row-level security")
    assert raw("Sam", "DELETE FROM dm_tag WHERE dm_id = 1") == 0
    assert raw("Sam", "UPDATE dm_tag SET tag = 'y' WHERE dm_id = 1") == 0
    assert store.query("SELECT dm_id, tag FROM dm_tag") == [(1, "fintech")]
    # The pool's are anyone's; a lead tags anyone's.
    assert as_role("Sam", "dm", "edit", "bo", "--tag", "saas").exit_code == 0
    assert as_role("Lee", "dm", "edit", "claire", "--untag", "fintech").exit_code == 0
    assert store.query("SELECT dm_id, tag FROM dm_tag") == [(2, "saas")]


def test_what_a_call_records_beside_it_is_its_recruiters(as_role, raw, store):
    kims_dm(as_role)
    assert as_role("Kim", "event", "add", "Fintech Week", "--on", "2027-03-01").exit_code == 0
    r = as_role("Kim", "log", "claire", "-c", "callback", "--hook", "event:1", "--again")
    assert r.exit_code == 0, r.stderr
    rows = [
        store.query("SELECT count(*) FROM call_hook"),
        store.query("SELECT count(*) FROM call_before"),
    ]
    assert rows == [[(1,)], [(2,)]]
    for table in ("call_hook", "call_before"):
        assert raw("Sam", f"DELETE FROM {table}") == 0
        server_refuses(
            raw,
            "Sam",
            f"INSERT INTO {table} SELECT * FROM {table} LIMIT 1",
            words="row-level security",
        )
    server_refuses(
        raw, "Sam", "INSERT INTO call_referral VALUES (1, 2)", words="row-level security"
    )
    assert [
        store.query("SELECT count(*) FROM call_hook"),
        store.query("SELECT count(*) FROM call_before"),
    ] == rows


def test_a_colleagues_candidate_is_theirs(as_role, raw, store):
    assert as_role("Kim", "candidate", "add", "Ana Silva", "--phone", "07700 900123").exit_code == 0
    (cid,) = store.query("SELECT id FROM candidate")[0]
    refused(
        as_role("Sam", "candidate", "edit", str(cid), "--phone", "07700 900999"),
        "Kim looks after Ana Silva: only Kim or a team lead may change their details.",
    )
    refused(as_role("Sam", "candidate", "forget", str(cid), "--yes"), "needs a team lead")
    for args in (["edit", str(cid), "--search", "not-looking"], ["placed", str(cid)]):
        refused(as_role("Sam", "candidate", *args), "only Kim or a team lead")
    for sql in (
        "UPDATE candidate SET owner = 'Sam'",
        "UPDATE candidate SET email = 'x@example.com'",
    ):
        server_refuses(raw, "Sam", sql, words="Kim looks after Ana Silva")
    assert raw("Sam", "DELETE FROM candidate") == 0  # erasing is a lead's
    assert raw("Kim", "DELETE FROM candidate") == 0  # even your own
    server_refuses(
        raw,
        "Sam",
        "INSERT INTO candidate (name, tags, status, created_at, job_search, owner)"
        " VALUES ('X', '', 'open', now(), 'looking', 'Kim')",
        words="row-level security",
    )
    # The desk's calls move anyone's candidate's diary; Kim edits her own.
    r = as_role("Sam", "log", f"candidate:{cid}", "-c", "update-given", "-s", "still looking")
    assert r.exit_code == 0, r.stderr
    assert (
        as_role("Kim", "candidate", "edit", str(cid), "--email", "ana@example.com").exit_code == 0
    )
    assert store.query("SELECT owner, email, conversation_count FROM candidate") == [
        ("Kim", "ana@example.com", 1)
    ]
    assert as_role("Lee", "candidate", "forget", str(cid), "--yes").exit_code == 0
    log = as_role("Sam", "team", "log", "--json").json["events"]
    assert [(e["recruiter"], e["action"], e["dm_id"], e["detail"]) for e in log] == [
        ("Lee", "erase", None, f"candidate #{cid}")
    ]
    assert f"erased   candidate #{cid} " in as_role("Sam", "team", "log").stdout


def test_the_team_log_is_written_only_by_the_server(raw, session, as_role, store):
    """Nobody inserts into it, not even in their own name (a backdated entry, an id
    ahead of its sequence); what the server writes names the login, whatever role the
    session set."""
    for values in (
        "(now(), 'Lee', %s, 'erase')",
        "('2020-01-01', 'Sam', %s, 'reassign')",
    ):
        server_refuses(
            raw,
            "Sam",
            "INSERT INTO team_event (at, actor, role, action) VALUES " + values,
            login("Sam"),
            words="permission denied",
        )
    kims_dm(as_role)
    assert as_role("Sam", "dm", "assign", "bo", "--to", "Sam").exit_code == 0  # from the pool
    assert store.query("SELECT actor, role, action, detail FROM team_event") == [
        ("Sam", login("Sam"), "reassign", "the pool -> Sam")
    ]


# --- the desk's day on a team store ----------------------------------------------------------


def test_the_days_work_on_a_colleagues_dm_goes_through(as_role, store):
    """What a recruiter does in an ordinary day with a colleague's DM: a wrong number
    found, their own call taken back after the colleague called since."""
    kims_dm(as_role)
    r = as_role("Sam", "log", "claire", "-n", "wrong-number")
    assert r.exit_code == 0, r.stderr
    assert store.query("SELECT needs_number FROM decision_maker WHERE id = 1") == [(True,)]
    assert as_role("Sam", "log", "claire", "-c", "callback", "--again").exit_code == 0
    assert as_role("Kim", "log", "claire", "-c", "callback", "--again").exit_code == 0
    (sams,) = store.query("SELECT max(id) FROM call WHERE recruiter = 'Sam'")[0]
    r = as_role("Sam", "call", "delete", str(sams), "--yes")
    assert r.exit_code == 0, r.stderr
    assert store.query("SELECT recruiter FROM call ORDER BY id") == [
        ("Kim",),
        ("Sam",),
        ("Kim",),
    ]


def test_a_leads_erasure_goes_through_what_recruiters_wrote(as_role, store):
    """An erasure scrubs the person from everyone's goals and sweeps: a recruiter's goal
    naming them must not stop it (it did, when only a goal's owner could change it)."""
    kims_dm(as_role)
    assert as_role("Kim", "goal", "call Claire Dunn claire@acme.example").exit_code == 0
    r = as_role("Lee", "dm", "forget", "claire", "--yes")
    assert r.exit_code == 0, r.stderr
    assert "Claire" not in str(store.query("SELECT * FROM day_goal"))
    # A lead may lift the suppression (add them back at their request); a recruiter not.
    refused(
        as_role("Sam", "dm", "add", "Claire Dunn", "--company", "Acme", "--force"),
        "needs a team lead",
    )
    r = as_role("Lee", "dm", "add", "Claire Dunn", "--company", "Acme", "--force")
    assert r.exit_code == 0, r.stderr


def test_a_store_lets_in_only_its_own_recruiters_and_leads(store, as_role, cli):
    """The group roles are the server's: a recruiter of one callplan database may not
    connect to another, and a lead of one leads only there."""
    import psycopg
    import sqlalchemy as sa

    from tests.conftest import pg_conninfo

    other = f"{store.database}_other"
    with psycopg.connect(pg_conninfo(store.url), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {other}")
        conn.execute(f"CREATE DATABASE {other} ENCODING 'UTF8' LC_COLLATE 'C' TEMPLATE template0")
    url = sa.make_url(store.url).set(database=other)
    owner = {"CALLPLAN_DB": url.render_as_string(False)}
    try:
        for args in (["team", "init"], ["team", "add", "Lee", "--login", login("Lee")]):
            assert cli(*args, env=owner).exit_code == 0
        assert cli("--as", "Lee", "dm", "add", "Zed Zane", env=owner).exit_code == 0

        def there(name: str, *args: str):
            who = url.set(username=login(name)).render_as_string(False)
            return cli(*args, env={"CALLPLAN_DB": who})

        refused(there("Kim", "today"), "may not connect to the database", code=5)
        refused(there("Lee", "dm", "forget", "zed", "--yes"), "needs a team lead")
        # Lee still leads the first store: adding him elsewhere took nothing from him.
        kims_dm(as_role)
        assert as_role("Lee", "dm", "assign", "claire", "--to", "Sam").exit_code == 0
        leads = [m["name"] for m in cli("team", "list", "--json").json["recruiters"] if m["lead"]]
        assert leads == ["Lee"]
    finally:
        with psycopg.connect(pg_conninfo(store.url), autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {other} WITH (FORCE)")


# --- set-up ---------------------------------------------------------------------------------


def test_team_init_keeps_every_book_and_lists_the_team(store, ok, cli, backend):
    if backend != "pg":
        r = cli("team", "init")
        assert r.exit_code == 2 and "a personal SQLite store" in r.stderr
        return
    ok("--as", "Kim", "dm", "add", "Claire Dunn")
    ok("--as", "Kim", "log", "claire", "-c", "callback")
    ok("--as", "Sam", "dm", "add", "Bo Birch")
    ok("--as", "Sam", "log", "bo", "-c", "callback")
    before = store.query("SELECT id, owner FROM decision_maker ORDER BY id")
    r = ok("team", "init")
    assert "No login yet for Kim, Sam" in r.stdout
    ok("team", "init")  # again: nothing changes
    ok("team", "add", "kim", "--login", login("Kim"))  # the name as the store spells it
    ok("team", "add", "Lee", "--login", login("Lee"), "--lead")
    assert store.query("SELECT id, owner FROM decision_maker ORDER BY id") == before
    members = ok("team", "list", "--json").json["recruiters"]
    assert [(m["name"], m["role"], m["lead"], m["dms"]) for m in members] == [
        ("Kim", login("Kim"), False, 1),
        ("Lee", login("Lee"), True, 0),
        ("Sam", None, False, 1),
    ]
    # Sam leaves: his book goes to Kim, with the candidates he looks after and his
    # submissions still in play (their chases are planned for him); one that ended stays
    # his, for the record. A login of his own is disabled, not deleted.
    ok("--as", "Sam", "candidate", "add", "Ana Silva")
    ok("--as", "Sam", "candidate", "add", "Ben Ode")
    ok("--as", "Sam", "job", "add", "Platform Engineer")
    ok("--as", "Sam", "submit", "ana", "1")
    ok("--as", "Sam", "submit", "ben", "1")
    ok("--as", "Sam", "withdrawn", "ben", "1")
    ok("team", "add", "Sam", "--login", login("Sam"))
    r = ok("team", "remove", "Sam", "--to", "Kim", "--yes")
    assert "Handed 1 DM, 2 candidates and 1 submission in play from Sam to Kim" in r.stdout
    members = {m["name"]: m for m in ok("team", "list", "--json").json["recruiters"]}
    assert members["Kim"]["dms"] == 2 and members["Sam"]["can_login"] is False
    assert store.query("SELECT DISTINCT owner FROM candidate") == [("Kim",)]
    assert store.query("SELECT recruiter, stage FROM submission ORDER BY id") == [
        ("Kim", "submitted"),
        ("Sam", "withdrawn"),
    ]
    later = ok("--as", "Kim", "today", "--date", "2026-12-31", "--json").json
    assert "Ana Silva" in str(later["delivery"])  # the feedback chase is Kim's now
    ok("team", "add", "Sam", "--login", login("Sam"))  # back, for the other tests' sake
    import psycopg

    from tests.conftest import pg_conninfo

    with psycopg.connect(pg_conninfo(store.url), autocommit=True) as conn:
        conn.execute(f"ALTER ROLE {login('Sam')} LOGIN")


def test_only_the_owner_sets_the_team_up(as_role):
    refused(as_role("Lee", "team", "init"), "Only the database's owner can set up the team")
    refused(as_role("Kim", "team", "add", "Zed"), "Only the database's owner can add recruiters")


def test_team_add_prints_the_sql_for_an_administrator(store, ok, backend):
    if backend != "pg":
        pytest.skip("roles are PostgreSQL's")
    ok("team", "init")
    role = f"t{os.getpid()}_ann"
    r = ok("team", "add", "Ann", "--login", role, "--sql")
    exists = store.query("SELECT count(*) FROM pg_roles WHERE rolname = ?", role) == [(1,)]
    if not exists:
        assert f'CREATE ROLE "{role}" LOGIN PASSWORD' in r.stdout
    assert f'GRANT "callplan_recruiter" TO "{role}";' in r.stdout
    assert store.query("SELECT name, role FROM recruiter") == [("Ann", role)]
    # The key of erased people's hashes, which no recruiter or lead may write, is made
    # even when an administrator runs team init's SQL.
    store.query("DELETE FROM store_meta")
    ok("team", "add", "Ann", "--login", role, "--sql")
    assert len(store.query("SELECT value FROM store_meta WHERE key = 'suppression_key'")) == 1


def test_the_0018_upgrade_keeps_a_shared_stores_rows_and_owners(store, ok):
    """A store of the previous head (0017), as two recruiters left it, upgrades with every
    row and owner intact; on PostgreSQL the team can then be set up on it."""
    from alembic import command

    from callplan.store.db import alembic_config

    ok("--as", "Kim", "dm", "add", "Claire Dunn")
    ok("--as", "Kim", "log", "claire", "-c", "callback")
    ok("--as", "Sam", "dm", "add", "Bo Birch")
    ok("--as", "Sam", "log", "bo", "-c", "callback")
    ok("--as", "Sam", "note", "bo", "Wants two engineers")
    engine = store.engine()
    try:
        command.downgrade(alembic_config(engine), "0017")
    finally:
        engine.dispose()
    assert store.query("SELECT count(*) FROM alembic_version WHERE version_num = '0017'") == [(1,)]
    before = [
        store.query("SELECT id, name, owner, conversation_count FROM decision_maker ORDER BY id"),
        store.query("SELECT id, dm_id, recruiter FROM call ORDER BY id"),
        store.query("SELECT id, dm_id, recruiter, text FROM note ORDER BY id"),
        store.query("SELECT key, name FROM recruiter ORDER BY key"),
    ]
    ok("db", "upgrade")
    assert [
        store.query("SELECT id, name, owner, conversation_count FROM decision_maker ORDER BY id"),
        store.query("SELECT id, dm_id, recruiter FROM call ORDER BY id"),
        store.query("SELECT id, dm_id, recruiter, text FROM note ORDER BY id"),
        store.query("SELECT key, name FROM recruiter ORDER BY key"),
    ] == before
    assert store.query("SELECT role FROM recruiter") == [(None,), (None,)]
    if store.backend == "pg":
        ok("team", "init")
        ok("team", "add", "Kim", "--login", login("Kim"))
        assert store.query("SELECT name, owner FROM decision_maker ORDER BY id") == [
            ("Claire Dunn", "Kim"),
            ("Bo Birch", "Sam"),
        ]


def test_the_0019_upgrade_of_a_team_store_keeps_its_rows_and_closes_its_holes(
    store, as_role, ok, raw, session
):
    """A team store set up under 0018, with a book and a candidate, upgraded by its owner:
    every row kept, and the rules 0019 and the new policies add are on."""
    from alembic import command

    from callplan.store.db import alembic_config

    kims_dm(as_role)
    assert as_role("Kim", "candidate", "add", "Ana Silva").exit_code == 0
    engine = store.engine()
    try:
        command.downgrade(alembic_config(engine), "0018")
    finally:
        engine.dispose()
    # As 0018 left it (its team init granted recruiters the store's settings).
    store.query("GRANT INSERT, UPDATE, DELETE ON store_meta TO callplan_recruiter")
    tables = ("decision_maker", "call", "note", "candidate", "team_event")
    before = [store.query(f"SELECT * FROM {t} ORDER BY 1") for t in tables]
    mapped = store.query("SELECT key, name, added_at, role FROM recruiter ORDER BY 1")
    ok("db", "upgrade")
    assert [store.query(f"SELECT * FROM {t} ORDER BY 1") for t in tables] == before
    assert store.query("SELECT key, name, added_at, role FROM recruiter ORDER BY 1") == mapped
    # Who led (the members of callplan_lead) leads this store now.
    assert store.query("SELECT name FROM recruiter WHERE lead") == [("Lee",)]
    assert raw("Sam", "DELETE FROM candidate") == 0
    server_refuses(raw, "Sam", "DELETE FROM store_meta")
    import psycopg

    with pytest.raises(psycopg.Error):
        session("Sam", "SET ROLE callplan_recruiter", "UPDATE decision_maker SET owner = 'Sam'")
    assert store.query("SELECT owner FROM decision_maker ORDER BY id") == [("Kim",), (None,)]


def test_the_owner_is_no_recruiter_and_only_the_owner_upgrades(store, as_role, cli):
    import sqlalchemy as sa

    owner = sa.make_url(store.url).username
    r = cli("team", "add", "Boss", "--login", owner)
    assert r.exit_code == 2 and "whom no rule binds" in r.stderr
    # A recruiter's callplan newer than the store: told so, and nothing is written.
    store.query("UPDATE alembic_version SET version_num = '0017'")
    before = store.snapshot()
    r = as_role("Kim", "today")
    assert r.exit_code == 5 and "The database's owner upgrades it" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert store.snapshot() == before
    store.query("UPDATE alembic_version SET version_num = ?", HEAD)


def test_a_team_store_downgraded_and_upgraded_again_keeps_its_rules(store, as_role, ok, raw):
    from alembic import command

    from callplan.store.db import alembic_config

    kims_dm(as_role)
    engine = store.engine()
    try:
        command.downgrade(alembic_config(engine), "0017")  # the rules' functions go
    finally:
        engine.dispose()
    assert as_role("Kim", "today").exit_code == 5  # waits for the owner's upgrade
    ok("db", "upgrade")  # the owner: 0018 again, and team init's grants and policies
    # The downgrade took the logins' mapping with its column: until the owner maps them
    # again, a recruiter's login is refused, not taken for someone new.
    r = as_role("Kim", "today")
    assert r.exit_code == 8 and "is no recruiter of this team store" in r.stderr
    for name in TEAM:
        ok("team", "add", name, "--login", login(name), *(["--lead"] if name == "Lee" else []))
    assert as_role("Kim", "today").exit_code == 0
    server_refuses(raw, "Sam", "UPDATE decision_maker SET owner = 'Sam' WHERE id = 1")


def test_the_documented_owner_role_sets_the_team_up(store, backend, cli):
    """docs/team.md's set-up as written: the database owned by a role with CREATEDB and
    CREATEROLE, no superuser, which runs `team init` and `team add`."""
    if backend != "pg":
        pytest.skip("roles are PostgreSQL's")
    import psycopg
    import sqlalchemy as sa

    from tests.conftest import pg_conninfo

    owner, database = f"t{os.getpid()}_owner", f"{store.database}_owned"
    with psycopg.connect(pg_conninfo(store.url), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {database}")
        conn.execute(f"DROP ROLE IF EXISTS {owner}")
        conn.execute(f"CREATE ROLE {owner} LOGIN CREATEDB CREATEROLE")
        conn.execute(
            f"CREATE DATABASE {database} OWNER {owner} ENCODING 'UTF8' LC_COLLATE 'C'"
            " TEMPLATE template0"
        )
    url = sa.make_url(store.url).set(username=owner, database=database)
    env = {"CALLPLAN_DB": url.render_as_string(False)}
    try:
        for args in (["team", "init"], ["team", "add", "Kim", "--login", login("Kim")]):
            r = cli(*args, env=env)
            assert r.exit_code == 0, r.stderr
        kim = {"CALLPLAN_DB": url.set(username=login("Kim")).render_as_string(False)}
        assert cli("dm", "add", "Claire Dunn", env=kim).exit_code == 0
        assert cli("log", "claire", "-c", "callback", env=kim).exit_code == 0
        r = cli("team", "list", "--json", env=env)
        assert [(m["name"], m["dms"]) for m in r.json["recruiters"]] == [("Kim", 1)]
    finally:
        with psycopg.connect(pg_conninfo(store.url), autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
