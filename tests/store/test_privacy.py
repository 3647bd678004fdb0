"""Privacy: lawful basis and CTPS, do-not-call, subject access export, erasure with
suppression, retention pruning (issue 5)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from callplan.store.schema import HEAD
from tests.conftest import snapshot


def test_upgrading_a_0002_store_keeps_every_row_and_sets_the_defaults(tmp_path, ok, blank_store):
    from callplan.store.db import make_engine, upgrade

    old = blank_store
    engine = make_engine(old.url)
    upgrade(engine, "0002")
    engine.dispose()
    old.query(  # (ids as the server numbers them: the first of each table is 1)
        "INSERT INTO decision_maker (name, name_key, company, phone, email, status,"
        " needs_number, created_at, conversation_count, attempts_in_row,"
        " last_conversation_on, next_call_on, due_reason, last_outcome) VALUES"
        " ('Jane Smith', 'jane smith', 'Acme', '020 7946 0000', 'jane@acme.test',"
        " 'active', FALSE, '2026-10-01 09:00:00', 1, 0, '2026-10-01', '2026-10-05',"
        " 'callback', 'callback'), ('Bob Jones', 'bob jones', NULL, NULL, NULL, 'dnc',"
        " FALSE, '2026-10-02 09:00:00', 0, 0, NULL, NULL, NULL, NULL)"
    )
    old.query(
        "INSERT INTO call (dm_id, called_on, logged_at, kind, outcome, summary,"
        " conversation_number) VALUES (1, '2026-10-01', '2026-10-01 09:05:00',"
        " 'continuation', 'callback', 'Call Monday', 1)"
    )
    old.query(
        "INSERT INTO note (dm_id, call_id, noted_on, text, competitor, created_at)"
        " VALUES (1, 1, '2026-10-01', 'Prefers mornings', 'Hays', '2026-10-01 09:06:00')"
    )
    old.query("INSERT INTO dm_tag (dm_id, tag) VALUES (1, 'sharepoint')")
    r = ok("--db", old.db, "dm", "show", "jane", "--json")
    assert f"upgraded the store from schema 0002 to {HEAD}" in r.stderr
    data = r.json
    assert data["dm"]["lawful_basis"] == "legitimate-interest"
    assert data["dm"]["ctps"] is False
    assert data["dm"]["email"] == "jane@acme.test" and data["dm"]["tags"] == ["sharepoint"]
    assert data["dm"]["due_on"] == "2026-10-05"
    assert data["calls"][0]["summary"] == "Call Monday"
    assert data["notes"][0]["competitor"] == "Hays"
    bob = ok("--db", old.db, "dm", "show", "bob", "--json").json["dm"]
    assert bob["status"] == "dnc" and bob["lawful_basis"] == "legitimate-interest"
    assert old.query("SELECT count(*) FROM suppression") == [(0,)]
    assert old.query("SELECT count(*) FROM erasure") == [(0,)]
    assert old.query("SELECT version_num FROM alembic_version") == [(HEAD,)]
    if old.backend == "sqlite":
        assert list(tmp_path.glob(f"backups/callplan-before-{HEAD}-*.sqlite3"))


# --- lawful basis and CTPS ---------------------------------------------------------------


def test_basis_and_ctps_on_add_edit_show_and_list(ok):
    ok("dm", "add", "Jane Smith", "--company", "Acme", "--phone", "020 7946 0000")
    ok("dm", "add", "Tom Hardy", "--basis", "Consent", "--ctps")
    jane = ok("dm", "show", "jane", "--json").json["dm"]
    assert (jane["lawful_basis"], jane["ctps"]) == ("legitimate-interest", False)
    tom = ok("dm", "show", "tom", "--json").json["dm"]
    assert (tom["lawful_basis"], tom["ctps"]) == ("consent", True)
    r = ok("dm", "edit", "jane", "--basis", "contract", "--ctps")
    assert "lawful basis contract, CTPS registered" in r.stdout
    ok("dm", "edit", "tom", "--no-ctps")
    listed = {d["name"]: d for d in ok("dm", "list", "--json").json["dms"]}
    assert (listed["Jane Smith"]["lawful_basis"], listed["Jane Smith"]["ctps"]) == (
        "contract",
        True,
    )
    assert listed["Tom Hardy"]["ctps"] is False
    table = ok("dm", "show", "jane").stdout
    assert any(line.split() == ["Lawful", "basis", "contract"] for line in table.splitlines())
    assert "CTPS: call only if they don't object" in table


def test_an_unknown_basis_is_one_line_and_writes_nothing(store, cli, ok, env):
    ok("dm", "add", "Jane Smith")
    before = snapshot(store)
    for args in (
        ("dm", "add", "Tom", "--basis", "because"),
        ("dm", "edit", "jane", "--basis", "vital-interests"),
    ):
        r = cli(*args)
        assert r.exit_code == 2
        assert "Unknown lawful basis" in r.stderr and "legitimate-interest" in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1
    assert snapshot(store) == before


def test_ctps_is_marked_where_the_recruiter_calls_from(ok):
    ok("dm", "add", "Jane Smith", "--company", "Acme", "--phone", "020 7946 0000", "--ctps")
    ok("dm", "add", "Tom Hardy", "--phone", "020 7946 0001")
    plan = ok("today", "--json").json
    assert {r["name"]: r["ctps"] for r in plan["new"]} == {"Jane Smith": True, "Tom Hardy": False}
    table = ok("today").stdout
    assert "CTPS" in table and "call only if they've said they don't object" in table
    brief = ok("brief", "jane")
    assert "· CTPS" in brief.stdout
    assert "call only if they've said they don't object" in brief.stdout
    assert ok("brief", "jane", "--json").json["dm"]["ctps"] is True
    assert "CTPS" not in ok("brief", "tom").stdout
    ok("dm", "edit", "jane", "--no-ctps")
    assert "CTPS" not in ok("today").stdout


# --- do not call: never planned, swept, reviewed or offered hooks -------------------------


def _dnc_and_control(ok, *log_args):
    """Two DMs treated alike; the first is then marked do-not-call."""
    for i, name in enumerate(("Dee Nocall", "Carl Control")):
        ok("dm", "add", name, "--tag", "sharepoint", "--phone", f"0113 496 000{i}")
        if log_args:
            ok("log", name, *log_args)
    ok("dm", "dnc", "dee")


def test_dnc_prospects_are_never_planned_as_new(ok):
    _dnc_and_control(ok)
    new = [r["name"] for r in ok("today", "--json").json["new"]]
    assert new == ["Carl Control"]


def test_dnc_contacts_are_never_planned_as_due(ok):
    _dnc_and_control(ok, "-c", "callback", "--on", "2026-11-16", "--next", "2026-11-20")
    due = [r["name"] for r in ok("today", "--json").json["due"]]
    assert due == ["Carl Control"]


def test_dnc_contacts_are_never_swept(ok):
    _dnc_and_control(ok, "-c", "rejection", "--on", "2026-08-03")
    swept = ok("sweep", "--json").json["swept"]
    assert "Dee Nocall" not in [r["name"] for r in swept]
    assert "Carl Control" in [r["name"] for r in swept]


def test_dnc_contacts_are_never_up_for_review_after_an_advance(ok):
    _dnc_and_control(ok, "-a", "future-requirement", "--next", "2027-02-15")
    review = ok("sweep", "--dry-run", "--json").json["review"]
    assert [(r["name"], r["why"]) for r in review] == [("Carl Control", "advance")]


def test_dnc_contacts_are_never_reviewed_for_a_hook_or_offered_one(ok):
    _dnc_and_control(ok, "-c", "callback", "--next", "2027-02-15")
    ok("job", "add", "SharePoint Developer", "--company", "Initech", "--tag", "sharepoint")
    review = ok("sweep", "--dry-run", "--json").json["review"]
    assert [(r["name"], r["why"]) for r in review] == [("Carl Control", "hook")]
    assert ok("hooks", "dee", "--json").json["hooks"] == []
    assert len(ok("hooks", "carl", "--json").json["hooks"]) == 1
    assert "do-not-call: no hooks are offered" in ok("hooks", "dee").stderr
    assert ok("brief", "dee", "--json").json["hooks"] == []
    assert "Do not call" in ok("brief", "dee").stdout


def test_dnc_never_get_todays_hook_suggestions(ok):
    _dnc_and_control(ok)
    ok("job", "add", "SharePoint Developer", "--tag", "sharepoint")
    plan = ok("today", "--json").json
    assert [(r["name"], r["hook"]["ref"]) for r in plan["new"]] == [("Carl Control", "job:1")]


def test_logging_a_call_to_a_dnc_dm_warns_and_keeps_them_dnc(ok):
    _dnc_and_control(ok)
    r = ok("log", "dee", "-c", "rejection")
    assert (
        "Dee Nocall is marked do-not-call: the call is recorded; no next call is diarised."
        in r.stderr
    )
    assert ok("dm", "show", "dee", "--json").json["dm"]["due_on"] is None
    ok("log", "dee", "-n", "left-company")
    assert ok("dm", "show", "dee", "--json").json["dm"]["status"] == "dnc"
    assert "Dee Nocall" not in [r["name"] for r in ok("today", "--json").json["due"]]


def test_dnc_contacts_take_no_place_in_the_sweeps_day_counts(ok):
    _dnc_and_control(ok, "-c", "callback", "--next", "2026-11-25")
    days = {d["date"]: d["before"] for d in ok("sweep", "--dry-run", "--json").json["days"]}
    assert days["2026-11-25"] == 1  # Carl only


# --- a person's data: export and erasure -------------------------------------------------

EMAIL = "xanthe.q@zyzzyx-widgets.example"
PHONE = "020 7946 0991"
NAME = "Xanthe Quarrington"


@pytest.fixture
def xanthe(ok):
    add_xanthe(ok)


def add_xanthe(ok):
    """A person with calls, notes, a tag, a hook on a call, a referral both ways, and
    mentions of her in another DM's notes and call summary."""
    ok("dm", "add", "Bob Jones", "--company", "Acme")
    ok("dm", "add", NAME, "--company", "Zyzzyx", "--email", EMAIL, "--phone", PHONE)
    ok("dm", "edit", "xanthe", "--tag", "sharepoint", "--referred-by", "bob")
    ok("dm", "edit", "xanthe", "--note", "Met Xanthe at the CTO breakfast")
    ok("candidate", "add", "Sam Candidate", "--headline", "SharePoint lead", "--tag", "sharepoint")
    ok(
        "log", "xanthe", "-a", "future-requirement", "-s", "Hiring in Q1", "--competitor",
        "Hays", "--hook", "candidate:1", "-r", "Penny Lane, CTO, Zyzzyx",
    )  # fmt: skip
    ok("log", "bob", "-c", "callback", "-s", "Bob knows XANTHE  quarrington well")
    ok("note", "bob", "--plans", "Build a team like Xanthe Quarrington's")


def test_export_holds_everything_about_the_person(ok, xanthe, tmp_path):
    data = ok("dm", "export", "xanthe").json
    assert data["format"] == "callplan-subject-access" and data["version"] == 1
    assert data["exported_on"] == "2026-11-23"
    person = data["person"]
    assert (person["name"], person["email"], person["phone"]) == (NAME, EMAIL, "+442079460991")
    assert person["lawful_basis"] == "legitimate-interest" and person["ctps"] is False
    assert data["tags"] == ["sharepoint"]
    assert data["referred_by"] == {"id": 1, "name": "Bob Jones"}
    assert [r["name"] for r in data["referred"]] == ["Penny Lane"]
    [call] = data["calls"]
    assert call["summary"] == "Hiring in Q1"
    assert call["hooks"] == [{"ref": "candidate:1", "headline": "SharePoint lead"}]
    assert "Sam Candidate" not in ok("dm", "export", "xanthe").stdout  # a third party
    assert {n["competitor"] or n["text"] for n in data["notes"]} == {
        "Hays",
        "Met Xanthe at the CTO breakfast",
    }
    assert sorted((m["field"], m["dm_id"]) for m in data["mentions"]) == [
        ("plans", 1),
        ("summary", 1),
    ]
    out = tmp_path / "sar.json"
    r = ok("dm", "export", "xanthe", "--out", str(out))
    assert r.stdout == ""
    assert "1 call, 2 notes, 2 mentions in others' records" in r.stderr
    assert json.loads(out.read_text()) == data


def _store_bytes(store: Path) -> bytes:
    wal = store.with_name(store.name + "-wal")
    return store.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def test_forget_erases_the_person_from_the_file_and_the_log(ok, store, db):
    # On SQLite: an idle connection held open from the start keeps the write-ahead log
    # between commands (the last connection to close would checkpoint and delete it),
    # so the person's rows are still in the -wal file when they are erased; afterwards
    # neither the file nor the log holds them. (On PostgreSQL the server's files are its
    # own business: docs/team.md says what an erasure leaves there.)
    keeper = sqlite3.connect(store.path) if store.backend == "sqlite" else None
    try:
        if keeper:
            keeper.execute("SELECT count(*) FROM decision_maker").fetchall()
        add_xanthe(ok)
        wal = store.path.with_name(store.path.name + "-wal")
        if keeper:
            assert EMAIL.encode() in wal.read_bytes()
        r = ok("dm", "forget", "xanthe", "--yes")
        assert r.stdout.startswith(f"Erased #2 {NAME}, Zyzzyx: 1 call and 2 notes deleted")
        assert "[erased] in 2 other records" in r.stdout
        assert ("Backups made before now" if keeper else "pg_dump") in r.stderr
        if keeper:
            raw = _store_bytes(store.path)
            for secret in (EMAIL, PHONE, "2079460991", NAME, "Xanthe", "Quarrington"):
                assert secret.encode() not in raw, secret
                assert secret.lower().encode() not in raw.lower(), secret
    finally:
        if keeper:
            keeper.close()
    assert db("SELECT count(*) FROM decision_maker WHERE id = 2") == [(0,)]
    assert db("SELECT count(*) FROM call WHERE dm_id = 2") == [(0,)]
    assert db("SELECT count(*) FROM note WHERE dm_id = 2") == [(0,)]
    assert db("SELECT count(*) FROM dm_tag WHERE dm_id = 2") == [(0,)]
    assert db("SELECT count(*) FROM call_hook") == [(0,)]
    assert db("SELECT referred_by_id FROM decision_maker WHERE name = 'Penny Lane'") == [(None,)]
    bob = ok("dm", "show", "bob", "--json").json
    assert bob["calls"][0]["summary"] == "Bob knows [erased] well"
    assert bob["picture"]["plans"]["value"] == "Build a team like [erased]'s"
    assert db("SELECT erased_on, reason, calls, conversations FROM erasure") == [
        ("2026-11-23", "request", 1, 1)
    ]
    digests = db("SELECT digest FROM suppression")
    assert len(digests) == 3  # email, phone, name at company
    for (d,) in digests:
        assert len(d) == 64 and all(c in "0123456789abcdef" for c in d)
    assert db("SELECT key FROM store_meta") == [("suppression_key",)]


def test_forget_asks_first_and_a_no_writes_nothing(store, ok, cli, xanthe, env, monkeypatch):
    before = snapshot(store)
    r = cli("dm", "forget", "xanthe")  # no terminal, no --yes
    assert r.exit_code == 2
    assert "can't be undone: confirm it at a terminal, or add --yes" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert snapshot(store) == before
    monkeypatch.setattr("callplan.cli.options.interactive", lambda: True)
    r = cli("dm", "forget", "xanthe", input="n\n")
    assert r.exit_code == 1 and "Erase #2 Xanthe Quarrington, Zyzzyx with 1 call" in r.stderr
    assert snapshot(store) == before
    r = ok("dm", "forget", "xanthe", input="y\n")
    assert "Erased #2" in r.stdout


def test_forget_an_unknown_dm_is_one_line_and_writes_nothing(store, cli, xanthe, env):
    before = snapshot(store)
    r = cli("dm", "forget", "nobody at all", "--yes")
    assert r.exit_code == 3 and len(r.stderr.strip().splitlines()) == 1
    assert snapshot(store) == before


# --- suppression: an erased person doesn't come back -------------------------------------


def test_an_old_contact_list_does_not_bring_an_erased_person_back(ok, xanthe, tmp_path, db):
    ok("dm", "forget", "xanthe", "--yes")
    old = tmp_path / "old.csv"
    old.write_text(
        "Name,Company,Email,Phone\n"
        f"{NAME},Zyzzyx,,\n"  # the name at the company
        f"X. Q.,Elsewhere,{EMAIL.upper()},\n"  # the email, in another case
        "Someone,Other Ltd,,+44 20 7946 0991\n"  # the phone, written another way
        "Xanthe Quarrington,Other Ltd,,\n"  # a namesake elsewhere: not her
        "New Person,Initech,new@initech.example,\n"
    )
    r = ok("import", str(old))
    assert "3 suppressed" in r.stderr
    assert "Suppressed line 2: someone erased at their request" in r.stderr
    assert "Suppressed line 4" in r.stderr
    names = {d["name"] for d in ok("dm", "list", "--status", "all", "--json").json["dms"]}
    assert "New Person" in names and "Xanthe Quarrington" in names  # the namesake
    assert db("SELECT count(*) FROM decision_maker WHERE company = 'Zyzzyx' AND name != "
              "'Penny Lane'") == [(0,)]  # fmt: skip
    assert db("SELECT count(*) FROM decision_maker WHERE email IS NOT NULL AND "
              "lower(email) = ?", EMAIL) == [(0,)]  # fmt: skip


def test_dm_add_of_an_erased_person_is_refused_unless_forced(store, ok, cli, xanthe, env):
    ok("dm", "forget", "xanthe", "--yes")
    before = snapshot(store)
    r = cli("dm", "add", "Xan Q", "--email", EMAIL)
    assert r.exit_code == 2 and len(r.stderr.strip().splitlines()) == 1
    assert "erased at their request" in r.stderr and "--force" in r.stderr
    assert snapshot(store) == before
    ok("dm", "add", "Xan Q", "--email", EMAIL, "--force")
    # They asked to be back: that entry is lifted, the others stay.
    ok("dm", "add", "Xanthe Q", "--email", EMAIL, "--force")
    assert cli("dm", "add", NAME, "--company", "Zyzzyx").exit_code == 2


def test_dm_edit_does_not_make_someone_into_an_erased_person(store, ok, cli, xanthe):
    """An edit is no way round the suppression: a new DM renamed, moved and given the
    erased person's email is refused, in one line, nothing written."""
    ok("dm", "forget", "xanthe", "--yes")
    ok("dm", "add", "X Q", "--company", "Other")
    before = snapshot(store)
    for args in (["--name", NAME, "--company", "Zyzzyx"], ["--email", EMAIL.upper()]):
        r = cli("dm", "edit", "x q", *args)
        assert r.exit_code == 2 and len(r.stderr.strip().splitlines()) == 1, r.stderr
        assert "someone erased at their request" in r.stderr and "dm add --force" in r.stderr
        assert snapshot(store) == before
    ok("dm", "edit", "x q", "--title", "CTO", "--company", "Acme")  # anything else: as ever


def test_a_referral_of_an_erased_person_is_not_added(ok, xanthe):
    ok("dm", "forget", "xanthe", "--yes")
    r = ok("log", "bob", "-c", "callback", "--again", "-r", f"{NAME}, CTO, Zyzzyx")
    assert f"{NAME} was erased at their request: not added." in r.stderr
    assert NAME not in ok("dm", "list", "--json").stdout


def test_a_callplan_export_import_leaves_out_the_erased(ok, store, xanthe, tmp_path):
    """An export from before the erasure, merged back: she stays out, and so does her
    name in the others' records."""
    ok("export", "-f", "json", "-o", str(tmp_path / "all.json"))
    ok("dm", "forget", "xanthe", "--yes")
    before = snapshot(store)
    r = ok("import", "--merge", str(tmp_path / "all.json"), "--dry-run")
    assert "(1 decision maker erased at their request left out)" in r.stderr
    r = ok("import", "--merge", str(tmp_path / "all.json"))
    assert "(1 decision maker erased at their request left out): 0 new decision makers, " \
        "2 already here; 0 calls, 0 notes" in r.stderr  # fmt: skip
    assert snapshot(store) == before
    names = {d["name"] for d in ok("dm", "list", "--json").json["dms"]}
    assert names == {"Bob Jones", "Penny Lane"}
    bob = ok("dm", "show", "bob", "--json").json
    assert bob["calls"][0]["summary"] == "Bob knows [erased] well"
    assert ok("dm", "show", "penny", "--json").json["dm"]["referred_by_id"] is None


# --- retention: prune ---------------------------------------------------------------------


@pytest.fixture
def old_file(ok, db, env):
    """Today is 2026-11-23; with --older-than 2y the cutoff is 2024-11-23."""
    for name in (
        "Olive Prospect",  # added 2023, never called: pruned
        "Dora Dialled",  # added 2023, one unanswered dial in 2023: pruned
        "Rita Recent",  # added 2023, an unanswered dial in 2025: kept
        "Archie Archived",  # spoke 2023, left the company 2023: pruned
        "Nora Noted",  # archived 2023, a note today: kept
        "Cora Contact",  # spoke 2023, still active: a contact, kept
        "Dee Nocall",  # added 2023, do not call: kept (the record stops calls)
        "Nina New",  # added today: kept
    ):
        ok("dm", "add", name, "--company", "Acme")
    ok("log", "dora", "-n", "no-answer", "--on", "2023-05-02")
    ok("log", "rita", "-n", "no-answer", "--on", "2025-01-10")
    for name in ("archie", "nora"):
        ok("log", name, "-c", "callback", "--on", "2023-03-01", "-s", f"{name} is moving on")
        ok("log", name, "-n", "left-company", "--on", "2023-03-02")
    ok("note", "nora", "Saw her at a conference")
    ok("log", "cora", "-c", "rejection", "--on", "2023-03-01")
    ok("dm", "dnc", "dee")
    ok("log", "cora", "-c", "callback", "-s", "Cora said Olive Prospect moved to Globex")
    db("UPDATE decision_maker SET created_at = '2023-01-02 09:00:00' WHERE name != ?", "Nina New")


def test_prune_dry_run_lists_the_stale_and_deletes_nothing(store, ok, old_file, env):
    before = snapshot(store)
    data = ok("prune", "--older-than", "2y", "--dry-run", "--json").json
    assert data["cutoff"] == "2024-11-23" and data["dry_run"] is True
    assert [(d["name"], d["why"]) for d in data["dms"]] == [
        ("Archie Archived", "archived"),
        ("Dora Dialled", "prospect"),
        ("Olive Prospect", "prospect"),
    ]
    archie = data["dms"][0]
    assert archie["last_call_on"] == "2023-03-02" and archie["status"] == "archived"
    table = ok("prune", "--older-than", "2y", "--dry-run")
    assert "3 decision makers untouched since Sat 23 Nov 2024" in table.stdout
    assert "prospect, never reached" in table.stdout
    assert "Dry run: nothing was deleted." in table.stderr
    assert snapshot(store) == before
    assert ok("prune", "--older-than", "10y", "--dry-run", "--json").json["count"] == 0
    # 18 months: Rita's dial in January 2025 is older than that.
    stale = ok("prune", "--older-than", "18m", "--json", "--dry-run").json["dms"]
    assert "Rita Recent" in [d["name"] for d in stale]


def test_prune_deletes_after_a_confirmation_without_suppressing(store, ok, cli, old_file, env, db):
    before = snapshot(store)
    r = cli("prune", "--older-than", "2y")
    assert r.exit_code == 2 and "Pruning can't be undone" in r.stderr
    assert snapshot(store) == before
    r = ok("prune", "--older-than", "2y", "--yes")
    assert "Deleted 3 decision makers with 3 calls and 0 notes." in r.stderr
    if store.backend == "sqlite":
        assert "Backups made" in r.stderr and "still hold them" in r.stderr
    else:  # what the server's files keep, and what removes it
        assert "VACUUM (FULL, ANALYZE) decision_maker, call, note, dm_tag, call_hook" in r.stderr
    left = {d["name"] for d in ok("dm", "list", "--status", "all", "--json").json["dms"]}
    assert left == {"Rita Recent", "Nora Noted", "Cora Contact", "Dee Nocall", "Nina New"}
    assert db("SELECT reason, count(*) FROM erasure GROUP BY reason") == [("retention", 3)]
    assert db("SELECT count(*) FROM suppression") == [(0,)]  # retention, not an objection
    cora = ok("dm", "show", "cora", "--json").json
    assert cora["calls"][0]["summary"] == "Cora said [erased] moved to Globex"
    ok("dm", "add", "Olive Prospect", "--company", "Acme")  # may come back


@pytest.mark.slow  # a store with an old file for each period
@pytest.mark.parametrize("period", ["2", "0y", "two years", "-1y"])
def test_a_bad_period_is_one_line_and_deletes_nothing(store, cli, old_file, env, period):
    before = snapshot(store)
    r = cli("prune", "--older-than", period, "--yes")
    assert r.exit_code == 2 and "Can't read the period" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert snapshot(store) == before


def test_0004_keeps_old_calls_with_no_reason_and_records_it_on_new_ones(ok, blank_store):
    from callplan.store.db import make_engine, upgrade

    old = blank_store
    engine = make_engine(old.url)
    upgrade(engine, "0003")
    engine.dispose()
    old.query(
        "INSERT INTO decision_maker (name, name_key, status, needs_number, created_at,"
        " conversation_count, attempts_in_row, last_conversation_on, next_call_on,"
        " due_reason, last_outcome) VALUES ('Jane Smith', 'jane smith', 'active', FALSE,"
        " '2026-10-01 09:00:00', 1, 0, '2026-10-01', '2026-10-05', 'callback', 'callback')"
    )
    old.query(
        "INSERT INTO call (dm_id, called_on, logged_at, kind, outcome,"
        " conversation_number) VALUES (1, '2026-10-01', '2026-10-01 09:05:00',"
        " 'continuation', 'callback', 1)"
    )
    ok("--db", old.db, "dm", "add", "Tom Hardy")
    ok("--db", old.db, "log", "jane", "--advance", "cv-review", "--on", "2026-10-05")
    ok("--db", old.db, "log", "tom", "--no-connect", "voicemail")
    ok("--db", old.db, "log", "tom", "--continuation", "callback")
    rows = old.query("SELECT id, reason FROM call ORDER BY id")
    assert rows == [(1, None), (2, "callback"), (3, "new"), (4, "new")]


def columns_of(store, table: str) -> set[str]:
    """The columns of a table, as the database describes them."""
    if store.backend == "sqlite":
        return {r[1] for r in store.query("SELECT * FROM pragma_table_info(?)", table)}
    q = "SELECT column_name FROM information_schema.columns WHERE table_name = ?"
    return {r[0] for r in store.query(q + " AND table_schema = 'public'", table)}


def test_a_subject_access_export_holds_every_column_of_their_calls_and_notes(ok, store):
    """Everything held: a column added to calls or notes later can't be left out of the
    export (nor of dm show --json, which shows a call the same way)."""
    add_xanthe(ok)
    columns = {table: columns_of(store, table) - {"dm_id"} for table in ("call", "note")}
    exported = ok("dm", "export", "xanthe").json
    shown = ok("dm", "show", "xanthe", "--json").json
    for data in (exported, shown):
        assert data["calls"] and data["notes"]
        assert columns["call"] <= set(data["calls"][0])
        assert columns["note"] <= set(data["notes"][0])
    assert exported["calls"][0]["reason"] == "new"  # why the call was made, since 0004
    # Whose DM they are, and who made each call and wrote each note (since 0006).
    assert exported["person"]["owner"] == "Sam"
    assert {c["recruiter"] for c in exported["calls"]} == {"Sam"}
    assert {n["recruiter"] for n in exported["notes"]} == {"Sam"}
    # The person's own row: every column but the search key derived from the name.
    held = columns_of(store, "decision_maker") - {"name_key"}
    assert len(exported["person"]) >= len(held)


# --- every identifier, in every other record (issue 13) -----------------------------------

PHONE_FORMS = ("020-7946-0991", "+44 20 7946 0991", "02079460991", "+442079460991")
LONG = " ".join(f"filler{i:04d}" for i in range(700))  # past a SQLite page: overflow pages


def add_mentions(ok):
    """Xanthe's email, phone (as typed, written other ways, in E.164), first name alone
    (accented), surname alone, and full name in others' notes, note fields, call
    summaries, a DM's title and tags, a job's title and a candidate's headline."""
    add_xanthe(ok)
    ok("note", "xanthe", f"Her own long note {LONG} about Xanthe")
    ok(
        "log",
        "bob",
        "-c",
        "callback",
        "--again",
        "-s",
        f"Rang {PHONE_FORMS[0]} and {PHONE_FORMS[1]}",
    )
    ok(
        "log",
        "bob",
        "-c",
        "callback",
        "--again",
        "-s",
        f"Try {PHONE_FORMS[2]} or {PHONE_FORMS[3]}.",
    )
    ok("note", "bob", f"Write to {EMAIL.upper()} or {PHONE}", "--competitor", "Quarrington's pick")
    ok("note", "bob", "--plans", "Ask Xänthe about Q1")
    ok("note", "bob", f"{LONG} then ring XANTHE QUARRINGTON on {PHONE_FORMS[3]}")
    ok("dm", "add", "Paul Aide", "--title", "PA to Xanthe Quarrington", "--tag", "sharepoint")
    ok("dm", "edit", "bob", "--tag", "Xanthe's team", "--tag", "dotnet")
    ok("job", "add", "Interim CTO (cover for Xanthe)", "--company", "Zyzzyx", "--tag", "cto")
    ok("candidate", "add", "Ola Cand", "--headline", "Ex-Quarrington team lead")


SECRETS = (EMAIL, PHONE, *PHONE_FORMS, "2079460991", "Xanthe", "Xänthe", "Quarrington")


def _holds(rows: object, secret: str) -> bool:
    return secret.casefold() in str(rows).casefold()


def test_forget_scrubs_every_identifier_from_the_file_the_log_and_others_records(ok, store, db):
    keeper = sqlite3.connect(store.path) if store.backend == "sqlite" else None
    try:
        if keeper:
            keeper.execute("SELECT count(*) FROM decision_maker").fetchall()
        add_mentions(ok)
        r = ok("dm", "forget", "xanthe", "--yes")
        # 3 calls, 4 notes, a DM's title, a tag, a job and a candidate:
        assert "[erased] in 11 other records" in r.stdout
        if keeper:  # the raw bytes of the store and its write-ahead log
            raw = _store_bytes(store.path).lower()
            for secret in SECRETS:
                assert secret.lower().encode() not in raw, secret
    finally:
        if keeper:
            keeper.close()
    rows = store.snapshot()  # every row of every table, on either backend
    for secret in SECRETS:
        assert not _holds(rows, secret), secret
    bob = ok("dm", "show", "bob", "--json").json
    summaries = [c["summary"] for c in bob["calls"]]
    assert "Rang [erased] and [erased]" in summaries
    assert "Try [erased] or [erased]." in summaries
    assert bob["dm"]["tags"] == ["dotnet"]  # the tag naming her is gone, the other stays
    picture = bob["picture"]
    assert picture["competitor"]["value"] == "[erased]'s pick"
    assert picture["plans"]["value"] == "Ask [erased] about Q1"
    texts = {n["text"] for n in bob["notes"]}
    assert "Write to [erased] or [erased]" in texts
    assert f"{LONG} then ring [erased] on [erased]" in texts
    assert ok("dm", "show", "paul", "--json").json["dm"]["title"] == "PA to [erased]"
    assert db("SELECT title FROM job") == [("Interim CTO (cover for [erased])",)]
    assert db("SELECT headline FROM candidate WHERE name = 'Ola Cand'") == [
        ("Ex-[erased] team lead",)
    ]


def test_the_subject_access_export_lists_every_mention(ok):
    add_mentions(ok)
    data = ok("dm", "export", "xanthe").json
    found = sorted(
        (m["field"], m.get("dm_id") or m.get("job_id") or m.get("candidate_id"))
        for m in data["mentions"]
    )
    assert found == sorted(
        [
            ("summary", 1),  # Bob knows XANTHE  quarrington well
            ("summary", 1),  # the phone, written two ways
            ("summary", 1),  # ... and two more
            ("plans", 1),  # Build a team like Xanthe Quarrington's
            ("text", 1),  # the email in capitals, the phone as typed
            ("competitor", 1),  # the surname alone
            ("plans", 1),  # the first name alone, accented
            ("text", 1),  # the long note
            ("title", 4),  # Paul Aide's title
            ("tag", 1),  # Bob's tag
            ("title", 1),  # the job
            ("headline", 2),  # the candidate
        ]
    )
    matched = {tuple(m["matched"]) for m in data["mentions"]}
    assert ("email", "phone") in matched and ("first name",) in matched
    assert ("surname",) in matched and ("name",) in matched
    assert "Ola Cand" not in str(data["mentions"])  # a candidate's name: someone else's


def test_a_name_others_share_is_not_erased_from_their_records(ok, db):
    """The first name or surname alone is erased only when no DM still in the store (nor
    a recruiter) carries it and it is not a common word; the full name only when no DM
    still in the store has it too."""
    ok("dm", "add", "Mark Rowntree", "--company", "Oakridge")  # erased
    ok("dm", "add", "Mark Ellis", "--company", "Globex")  # stays: shares "Mark"
    ok("dm", "add", "Will Fenwick", "--company", "Oakridge")  # erased: "Will" is a word
    ok("dm", "add", "Zoë Ångström", "--company", "Acme")  # erased: accents
    ok("dm", "add", "Cara Client", "--company", "Initech")
    ok(
        "log", "cara", "-c", "callback", "-s",
        "Mark said Rowntree and MARK ROWNTREE will call; Will Fenwick left, Fenwick too; "
        "zoe angstrom and ANGSTRÖM moved. Mark Ellis says hi.",
    )  # fmt: skip
    ok("note", "mark ellis", "Mark asked about Rowntree Ltd")  # his own record
    for who in ("rowntree", "fenwick", "zoe"):
        ok("dm", "forget", who, "--yes")
    summary = ok("dm", "show", "cara", "--json").json["calls"][0]["summary"]
    assert summary == (
        "Mark said [erased] and [erased] will call; [erased] left, [erased] too; "
        "[erased] and [erased] moved. Mark Ellis says hi."
    )
    notes = ok("dm", "show", "mark ellis", "--json").json["notes"]
    assert notes[0]["text"] == "Mark asked about [erased] Ltd"


def test_a_namesake_still_here_keeps_the_name_and_forget_says_so(ok):
    ok("dm", "add", "Mark Ellis", "--company", "Oakridge", "--email", "mark@oakridge.test")
    ok("dm", "add", "Mark Ellis", "--company", "Globex")
    ok("dm", "add", "Cara Client", "--company", "Initech")
    ok("log", "cara", "-c", "callback", "-s", "Mark Ellis (mark@oakridge.test) rang")
    r = ok("dm", "forget", "1", "--yes")
    shared = "Left in others' records, as people still here share them: the name Mark Ellis"
    assert shared in r.stderr
    summary = ok("dm", "show", "cara", "--json").json["calls"][0]["summary"]
    assert summary == "Mark Ellis ([erased]) rang"


def test_forget_on_a_server_says_what_its_files_keep_and_what_to_run(ok, store):
    add_xanthe(ok)
    r = ok("dm", "forget", "xanthe", "--yes")
    if store.backend == "pg":
        assert "VACUUM (FULL, ANALYZE) decision_maker, call, note, dm_tag, call_hook" in r.stderr
        assert "VACUUM FULL pg_statistic" in r.stderr and "CHECKPOINT" in r.stderr
        assert "write-ahead log" in r.stderr and "pg_dump" in r.stderr
        assert "docs/team.md" in r.stderr
    else:
        assert "VACUUM" not in r.stderr and "Backups made before now" in r.stderr
