"""Export (CSV and callplan JSON), CSV formula neutralising, and import of callplan JSON."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sqlite3
from contextlib import closing

import pytest

from callplan.cli.output import write_csv
from callplan.core.wording import neutralise
from callplan.store.archive import load as importer
from callplan.store.schema import HEAD
from tests.conftest import snapshot


@pytest.fixture
def rich(ok):
    """A store with a bit of everything: tags, referrals, every kind of call, notes with
    fields, jobs, candidates, call hooks, an archived and a do-not-call DM."""
    ok("dm", "add", "Jane Smith", "--company", "Acme", "--phone", "+44 20 7946 0000",
       "--email", "jane@acme.test", "--tag", "sharepoint", "--tag", "dotnet",
       "--note", "Met at the meetup")  # fmt: skip
    ok("job", "add", "Senior SharePoint Developer", "--company", "Initech", "--tag", "sharepoint")
    ok("job", "add", "Test Lead", "--company", "Globex", "--fee", "20%", "--tag", "tester")
    ok("candidate", "add", "Priya Rao", "--headline", "SharePoint architect", "--tag", "sharepoint",
       "--available", "2026-12-01")  # fmt: skip
    ok("log", "jane", "-n", "no-answer", "--on", "2026-11-02")
    ok("log", "jane", "-a", "cv-review", "--on", "2026-11-10", "-s", "Wants CVs",
       "--competitor", "Hays", "--toughest-role", "SharePoint devs", "--interest", "warm",
       "--hook", "job:1", "--hook", "candidate:1", "-r", "Tom Hardy, CTO")  # fmt: skip
    ok("note", "jane", "Moving to Reed", "--competitor", "Reed", "--on", "2026-11-20")
    ok("log", "jane", "-c", "callback", "-s", "Call back Friday")
    ok("dm", "add", "Gareth Lloyd", "--company", "Oakridge")
    ok("log", "gareth", "-c", "rejection", "--on", "2026-11-05")
    ok("dm", "archive", "gareth")
    ok("dm", "add", "Ben Carter")
    ok("dm", "dnc", "ben")
    ok("job", "close", "2")
    ok("candidate", "add", "Sam Placed", "--tag", "tester")
    ok("candidate", "placed", "2")


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


# --- CSV -----------------------------------------------------------------------------


def test_csv_has_one_row_per_dm_with_the_current_picture(ok, rich):
    text = ok("export", "--format", "csv").stdout
    assert text.splitlines()[0] == (
        "id,name,company,title,phone,email,linkedin,tags,status,referred_by_id,"
        "competitor,competitor_likes,sold,liked,not_fussed,process,toughest_role,plans,"
        "interest,last_spoke_on,last_outcome,conversations,due_on"
    )
    found = {r["name"]: r for r in rows(text)}
    assert list(found) == ["Ben Carter", "Gareth Lloyd", "Jane Smith", "Tom Hardy"]  # by name
    jane = found["Jane Smith"]
    assert jane["phone"] == "'+442079460000"  # neutralised: it starts with '+'
    assert jane["tags"] == "dotnet;sharepoint"
    assert (jane["competitor"], jane["toughest_role"], jane["interest"]) == (
        "Reed",
        "SharePoint devs",
        "warm",
    )  # the latest value of each field
    assert (jane["last_spoke_on"], jane["last_outcome"], jane["conversations"]) == (
        "2026-11-23",
        "callback",
        "2",
    )
    assert jane["due_on"] and jane["status"] == "active"
    assert found["Tom Hardy"]["referred_by_id"] == jane["id"]
    assert found["Gareth Lloyd"]["status"] == "archived"
    assert found["Ben Carter"]["status"] == "dnc"
    assert found["Ben Carter"]["conversations"] == "0"
    archived = rows(ok("export", "-f", "csv", "--status", "archived").stdout)
    assert [r["name"] for r in archived] == ["Gareth Lloyd"]


@pytest.mark.no_store
def test_neutralise_follows_owasp():
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert neutralise(f"{start}1+1") == f"'{start}1+1"
    assert neutralise("Jane = boss") == "Jane = boss"
    assert neutralise("") == ""


def test_formulas_are_neutralised_in_names_summaries_and_notes(ok):
    ok("dm", "add", '=HYPERLINK("http://x")', "--company", "@SUM(A1)", "--tag", "-x")
    ok("log", "1", "-c", "callback", "-s", "+cmd|' /C calc'!A0", "--competitor", "-2+3",
       "--on", "2026-11-20", "--next", "2026-11-23")  # fmt: skip
    row = rows(ok("export", "-f", "csv").stdout)[0]
    assert row["name"] == '\'=HYPERLINK("http://x")'
    assert row["company"] == "'@SUM(A1)"
    assert row["tags"] == "'-x"
    assert row["competitor"] == "'-2+3"
    listed = rows(ok("dm", "list", "--csv").stdout)[0]
    assert (listed["name"], listed["company"]) == ('\'=HYPERLINK("http://x")', "'@SUM(A1)")
    ok("dm", "add", "+Plus Prospect", "--phone", "0113 496 0002")
    today = rows(ok("today", "--csv").stdout)
    assert "'+Plus Prospect" in [r["name"] for r in today]
    assert [r["last_summary"] for r in today if r["section"] == "due"] == ["'+cmd|' /C calc'!A0"]


@pytest.mark.no_store
def test_tab_and_carriage_return_at_the_start_are_neutralised():
    # Neither the command line nor an import lets them into a store (tests/test_hostile_text),
    # but a store written by an older callplan may hold them.
    stream = io.StringIO()
    write_csv(stream, [{"name": "\tTabbed"}, {"name": "\rReturned"}], ["name"])
    names = [r["name"] for r in rows(stream.getvalue())]
    assert names == ["'\tTabbed", "'\nReturned"]  # a lone CR is written as \n


# --- JSON ----------------------------------------------------------------------------


def export_json(ok) -> dict:
    return json.loads(ok("export", "--format", "json").stdout)


def dm_record(id_: int, name: str, **over: object) -> dict:
    return {
        "id": id_, "name": name, "company": None, "title": None, "phone": None,
        "email": None, "linkedin": None, "tags": [], "status": "active",
        "needs_number": False, "referred_by_id": None,
        "created_at": "2026-11-01T09:00:00+00:00", "next_call_on": None, "due_reason": None,
        "last_conversation_on": None, "conversation_count": 0, "attempts_in_row": 0,
        "last_outcome": None, "lawful_basis": "legitimate-interest", "ctps": False,
        "owner": None, "due_purpose": None, "tier": None, "cycle_days": None,
        "next_call_at": None, **over,
    }  # fmt: skip


def test_json_shape(ok, rich):
    doc = export_json(ok)
    assert list(doc) == [
        "format", "version", "schema", "suppression_keys", "decision_makers", "calls", "notes",
        "jobs", "candidates", "events", "call_hooks", "open_loops", "candidate_calls",
        "submissions", "delivery_calls", "day_goals", "sweep_runs", "erasures", "suppressions",
    ]  # fmt: skip
    assert doc["suppression_keys"] == [] and doc["erasures"] == doc["suppressions"] == []
    assert (doc["format"], doc["version"], doc["schema"]) == ("callplan-json", 1, HEAD)
    jane = doc["decision_makers"][0]
    assert set(jane) == set(dm_record(1, "x"))
    assert jane["tags"] == ["dotnet", "sharepoint"]
    assert [dm["status"] for dm in doc["decision_makers"]] == [
        "active",
        "active",
        "archived",
        "dnc",
    ]
    assert doc["decision_makers"][1]["referred_by_id"] == 1
    assert {c["kind"] for c in doc["calls"]} == {"advance", "continuation", "no-connect"}
    assert doc["calls"][0]["conversation_number"] is None  # the no-answer
    assert [c["reason"] for c in doc["calls"]] == ["new", "new", "cv-review", "new"]
    assert [n["competitor"] for n in doc["notes"] if n["competitor"]] == ["Hays", "Reed"]
    assert doc["jobs"][0]["tags"] == ["sharepoint"] and doc["jobs"][1]["status"] == "closed"
    assert doc["candidates"][0]["available_on"] == "2026-12-01"
    assert doc["call_hooks"] == [
        {"id": 1, "call_id": 2, "job_id": 1, "candidate_id": None, "event_id": None},
        {"id": 2, "call_id": 2, "job_id": None, "candidate_id": 1, "event_id": None},
    ]
    # Indented like every other callplan JSON.
    text = ok("export", "--format", "json").stdout
    assert text == json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def test_an_empty_store_exports_empty_lists(ok):
    doc = export_json(ok)
    assert doc["decision_makers"] == [] and doc["call_hooks"] == []


def test_round_trip(ok, rich, tmp_path, monkeypatch, blank_store):
    first = ok("export", "--format", "json", "--out", str(tmp_path / "a.json"))
    assert "Exported 4 decision makers, 4 calls" in first.stderr
    monkeypatch.setenv("CALLPLAN_DB", blank_store.db)
    r = ok("import", str(tmp_path / "a.json"))
    assert r.stderr.startswith("Imported 4 decision makers, 4 calls, 3 notes, 2 jobs, 2 candidates")
    again = ok("export", "--format", "json").stdout
    assert again == (tmp_path / "a.json").read_text()
    # The imported store works: plans, lookups by name and new rows after the imported ids.
    assert ok("dm", "show", "jane", "--json").json["dm"]["id"] == 1
    ok("dm", "add", "New Person")
    assert ok("dm", "show", "new person", "--json").json["dm"]["id"] == 5
    assert "job:3" in ok("job", "add", "Another Role").stdout + ok("job", "list").stdout
    assert ok("export", "-f", "csv").stdout.count("\n") == 6


# --- recruiters and ownership (issue 8) ---------------------------------------------


@pytest.fixture
def desk(ok):
    """A store two recruiters worked: Sam's DM (a call and a note of Kim's on it too),
    Kim's DM, a prospect Sam dialled without connecting, a prospect Kim was handed, the
    pool, and today's claims."""
    ok("dm", "add", "Jane Smith")
    ok("dm", "add", "Ken Adams")
    ok("dm", "add", "Lou Reed", "--phone", "0113 496 0003")
    ok("dm", "add", "Mo Farah", "--phone", "0113 496 0004")
    ok("dm", "add", "Ned Kelly", "--phone", "0113 496 0005")
    ok("log", "jane", "-c", "callback", "--on", "2026-11-16", "--competitor", "Hays")
    ok("--as", "Kim", "log", "ken", "-a", "cv-review", "--on", "2026-11-17")
    ok("--as", "Kim", "log", "jane", "-c", "callback", "--on", "2026-11-18")
    ok("--as", "Kim", "note", "jane", "Prefers mornings", "--on", "2026-11-18")
    ok("log", "lou", "-n", "no-answer", "--on", "2026-11-19")
    ok("dm", "assign", "mo", "--to", "Kim")
    ok("today")  # Sam claims two of the pool
    ok("--as", "Kim", "today")


def whose(ok) -> dict[str, object]:
    """Each DM's owner, and who made each call and wrote each note, by the export."""
    doc = export_json(ok)
    names = {d["id"]: d["name"] for d in doc["decision_makers"]}
    return {
        "owners": {d["name"]: d["owner"] for d in doc["decision_makers"]},
        "calls": [(names[c["dm_id"]], c["recruiter"]) for c in doc["calls"]],
        "notes": [(names[n["dm_id"]], n["recruiter"]) for n in doc["notes"]],
    }


def test_a_round_trip_keeps_erasures_and_the_suppression_list(
    ok, cli, rich, tmp_path, monkeypatch, blank_store
):
    """A store moved with export and import still keeps an erased person out, and its
    statistics still count the erasures."""
    ok("dm", "forget", "gareth", "--yes")  # at his request: suppressed
    ok("dm", "add", "Old Prospect", "--company", "Dusty")
    # Three years on, prospects never reached are pruned: counted, not suppressed.
    r = ok("prune", "--older-than", "2y", "--yes", env={"CALLPLAN_TODAY": "2029-12-01"})
    assert "Deleted 2 decision makers" in r.stderr  # Old Prospect and Tom Hardy (referred)
    stats = ok("stats", "--json").json
    r = ok("export", "-f", "json", "-o", str(tmp_path / "a.json"))
    assert "3 erasures, 1 suppression entry" in r.stderr  # Gareth at Oakridge
    doc = json.loads((tmp_path / "a.json").read_text())
    assert [e["reason"] for e in doc["erasures"]] == ["request", "retention", "retention"]
    assert len(doc["suppression_keys"]) == 1 and len(doc["suppression_keys"][0]) == 64
    monkeypatch.setenv("CALLPLAN_DB", blank_store.db)
    ok("import", str(tmp_path / "a.json"))
    assert ok("export", "-f", "json").stdout == (tmp_path / "a.json").read_text()
    assert ok("stats", "--json").json == stats
    r = cli("dm", "add", "Gareth Lloyd", "--company", "Oakridge")
    assert r.exit_code == 2 and "erased at their request" in r.stderr
    ok("dm", "add", "Old Prospect", "--company", "Dusty")  # pruned: free to come back
    ok("dm", "forget", "jane", "--yes")  # new entries numbered after the imported ones
    assert len(json.loads(ok("export", "-f", "json").stdout)["erasures"]) == 4


def test_a_file_from_before_erasures_and_call_reasons_imports(ok, rich, tmp_path, blank_store):
    doc = export_json(ok)
    for key in ("suppression_keys", "erasures", "suppressions"):
        del doc[key]
    for call in doc["calls"]:
        del call["reason"]
    (tmp_path / "old.json").write_text(json.dumps(doc))
    ok("--db", blank_store.db, "import", str(tmp_path / "old.json"))
    again = json.loads(ok("--db", blank_store.db, "export", "-f", "json").stdout)
    assert [c["reason"] for c in again["calls"]] == [None] * 4
    assert again["erasures"] == again["suppressions"] == again["suppression_keys"] == []


def test_a_round_trip_keeps_owners_and_recruiters(ok, desk, db, tmp_path, monkeypatch):
    before = whose(ok)
    assert before == {
        "owners": {
            "Jane Smith": "Sam", "Ken Adams": "Kim", "Lou Reed": None, "Mo Farah": "Kim",
            "Ned Kelly": None,
        },
        "calls": [
            ("Jane Smith", "Sam"), ("Ken Adams", "Kim"), ("Jane Smith", "Kim"),
            ("Lou Reed", "Sam"),
        ],
        "notes": [("Jane Smith", "Sam"), ("Jane Smith", "Kim")],
    }  # fmt: skip
    assert db("SELECT count(*) FROM claim") != [(0,)]
    ok("export", "-f", "json", "-o", str(tmp_path / "desk.json"))
    assert "claim" not in (tmp_path / "desk.json").read_text()  # they lapse tonight
    fresh = tmp_path / "team.sqlite3"
    monkeypatch.setenv("CALLPLAN_DB", str(fresh))
    r = ok("--as", "Lee", "import", str(tmp_path / "desk.json"))
    assert "before recruiters" not in r.stderr  # nothing given to whoever imports
    assert whose(ok) == before
    assert ok("export", "-f", "json").stdout == (tmp_path / "desk.json").read_text()
    with closing(sqlite3.connect(fresh)) as conn, conn:
        assert conn.execute("SELECT key, name FROM recruiter ORDER BY key").fetchall() == [
            ("kim", "Kim"),
            ("sam", "Sam"),
        ]
        assert conn.execute("SELECT count(*) FROM claim").fetchall() == [(0,)]
    # Each recruiter's plan is theirs again; the pool's prospects are anyone's.
    kim = ok("--as", "Kim", "today", "--json").json
    assert [r["name"] for r in kim["due"]] == ["Ken Adams"]
    assert {r["name"] for r in kim["new"]} <= {"Mo Farah", "Lou Reed", "Ned Kelly"}
    assert "Mo Farah" in {r["name"] for r in kim["new"]}  # handed to Kim
    assert [d["name"] for d in ok("dm", "list", "--mine", "--json").json["dms"]] == ["Jane Smith"]


def _old(doc: dict) -> dict:
    """The file as a callplan from before recruiters wrote it."""
    for key, field in importer.WHOSE:
        for record in doc[key]:
            del record[field]
    return doc


def test_a_file_from_before_recruiters_is_given_to_whoever_imports_it(
    ok, desk, tmp_path, monkeypatch
):
    path = tmp_path / "old.json"
    path.write_text(json.dumps(_old(export_json(ok))))
    monkeypatch.setenv("CALLPLAN_DB", str(tmp_path / "team.sqlite3"))
    r = ok("--as", "Lee", "import", str(path), "--dry-run")
    assert "old.json is from before recruiters: its 2 DMs spoken to, 4 calls and 2 notes " \
        "would be Lee's" in r.stderr  # fmt: skip
    r = ok("--as", "Lee", "import", str(path))
    assert "2 DMs spoken to, 4 calls and 2 notes are Lee's" in r.stderr
    # As the 0006 upgrade does: the DMs spoken to, every call and note; prospects stay
    # in the pool, even one handed to someone (the file doesn't say so).
    assert whose(ok) == {
        "owners": {
            "Jane Smith": "Lee", "Ken Adams": "Lee", "Lou Reed": None, "Mo Farah": None,
            "Ned Kelly": None,
        },
        "calls": [
            ("Jane Smith", "Lee"), ("Ken Adams", "Lee"), ("Jane Smith", "Lee"),
            ("Lou Reed", "Lee"),
        ],
        "notes": [("Jane Smith", "Lee"), ("Jane Smith", "Lee")],
    }  # fmt: skip
    assert {d["name"] for d in ok("--as", "lee", "today", "--json").json["due"]} == {
        "Jane Smith",
        "Ken Adams",
    }


def test_recruiters_are_named_as_the_store_spells_them(ok, tmp_path, monkeypatch, db):
    doc = export_json(ok)
    doc["decision_makers"] = [
        dm_record(1, "Jane", owner="kim"),
        dm_record(2, "Ken", owner="Zoë  Ng"),
        dm_record(3, "Lou", owner="zoe ng"),
    ]
    path = tmp_path / "in.json"
    path.write_text(json.dumps(doc))
    ok("--as", "KIM", "today")  # the store knows Kim as KIM
    ok("import", str(path))
    owners = [d["owner"] for d in export_json(ok)["decision_makers"]]
    assert owners == ["KIM", "Zoë Ng", "Zoë Ng"]
    assert db("SELECT name FROM recruiter ORDER BY key") == [("KIM",), ("Zoë Ng",)]


def test_a_referrer_later_in_the_file_is_fine(ok, tmp_path):
    doc = export_json(ok)
    doc["decision_makers"] = [dm_record(1, "Tom", referred_by_id=2), dm_record(2, "Jane")]
    path = tmp_path / "in.json"
    path.write_text(json.dumps(doc))
    ok("import", str(path))
    assert export_json(ok)["decision_makers"][0]["referred_by_id"] == 2


# --- import refusals -----------------------------------------------------------------


def test_import_refuses_a_store_that_is_not_empty(store, ok, cli, rich, env, tmp_path):
    ok("export", "-f", "json", "-o", str(tmp_path / "a.json"))
    before = snapshot(store)
    for args in (
        ("import", str(tmp_path / "a.json")),
        ("import", "--dry-run", str(tmp_path / "a.json")),
    ):
        r = cli(*args)
        assert r.exit_code == 7 and "The store isn't empty" in r.stderr and "--merge" in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1
    assert snapshot(store) == before


def _bad(doc: dict, **change: object) -> dict:
    return {**doc, **change}


def test_import_refuses_bad_files_and_writes_nothing(store, ok, cli, env, tmp_path):
    good = export_json(ok)
    good["decision_makers"] = [dm_record(1, "Jane")]
    no_name = dm_record(1, "Jane")
    del no_name["name"]
    cases = [
        ("{not json", "is not valid JSON (line 1"),
        ("[]", "is not a callplan JSON export"),
        (_bad(good, format="vcard"), "is not a callplan JSON export (its format is 'vcard')"),
        (_bad(good, version=2), "written by a newer callplan (format version 2"),
        (_bad(good, version="1"), "'version' should be a whole number"),
        ({k: v for k, v in good.items() if k != "calls"}, "'calls' is missing"),
        (_bad(good, decision_makers=[no_name]), "decision_makers[0] has no 'name'"),
        (_bad(good, decision_makers=[dm_record(1, "J", status="gone")]), "one of active"),
        (_bad(good, decision_makers=[dm_record(1, "J", next_call_on="soon")]), "a date"),
        (_bad(good, decision_makers=[dm_record(1, "J", created_at="2026-11-01T09:00")]), "UTC"),
        (_bad(good, decision_makers=[dm_record(1, "J", referred_by_id=9)]), "no such id"),
        (_bad(good, decision_makers=[dm_record(1, "J"), dm_record(1, "K")]), "repeats id 1"),
        (_bad(good, decision_makers=[dm_record(1, "J", owner="")]), "a recruiter's name"),
        (_bad(good, decision_makers=[dm_record(1, "J", owner="K\x07m")]), "a recruiter's name"),
        (_bad(good, decision_makers=[dm_record(1, "J", owner="x" * 61)]), "1 to 60 characters"),
        (_bad(good, decision_makers=[dm_record(1, "J", owner=7)]), "a recruiter's name"),
        (
            _bad(good, decision_makers=[dm_record(1, "J", due_reason="x" * 41)]),
            "decision_makers[0].due_reason is 41 characters long; at most 40 fit",
        ),
        (_bad(good, suppression_keys="ab"), "'suppression_keys' should be a list"),
        (_bad(good, suppression_keys=["AB" * 32]), "suppression_keys[0] is 'ABAB"),
        (
            _bad(good, suppressions=[{"id": 1, "digest": "0" * 64, "created_on": "2026-11-01"}]),
            "has suppression entries but no 'suppression_keys'",
        ),
        (
            _bad(
                good,
                suppression_keys=["0" * 64],
                suppressions=[{"id": 1, "digest": "xyz", "created_on": "2026-11-01"}],
            ),
            "suppressions[0].digest is 'xyz'; it should be 64 hex digits",
        ),
        (
            _bad(
                good,
                erasures=[
                    {
                        "id": 1,
                        "erased_on": "2026-11-01",
                        "reason": "whim",
                        "calls": 0,
                        "conversations": 0,
                    }
                ],
            ),
            "erasures[0].reason is 'whim'; it should be one of request, retention",
        ),
        (_bad(good, erasures={}), "'erasures' is missing or not a list"),
    ]
    before = snapshot(store)
    for i, (content, needle) in enumerate(cases):
        path = tmp_path / f"bad{i}.json"
        path.write_text(content if isinstance(content, str) else json.dumps(content))
        r = cli("import", str(path))
        assert r.exit_code == 7 and needle in r.stderr, (needle, r.stderr)
        assert len(r.stderr.strip().splitlines()) == 1
    assert snapshot(store) == before
    r = cli("import", str(tmp_path / "missing.json"))
    assert r.exit_code == 7 and "Can't read" in r.stderr


def test_import_formats_and_dry_run(store, ok, cli, env, tmp_path):
    doc = export_json(ok)
    doc["decision_makers"] = [dm_record(1, "Jane", tags=["x"])]
    path = tmp_path / "in.json"
    path.write_text(json.dumps(doc))
    assert "Unknown import format" in cli("import", str(path), "-f", "xml").stderr
    before = snapshot(store)
    r = ok("import", str(path), "--dry-run")
    assert "Would import 1 decision maker, 0 calls" in r.stderr
    assert snapshot(store) == before
    ok("import", str(path), "--format", "callplan-json")
    assert export_json(ok)["decision_makers"][0]["tags"] == ["x"]


# --- --out ---------------------------------------------------------------------------


def test_out_replaces_a_file_only_once_complete(ok, cli, rich, tmp_path):
    target = tmp_path / "dms.csv"
    target.write_text("old\n")
    r = ok("export", "-f", "csv", "--out", str(target), "--force")
    assert r.stdout == "" and "Exported 4 decision makers to" in r.stderr
    assert target.read_text().startswith("id,name,")
    target.write_text("old\n")
    r = cli("export", "-f", "csv", "--status", "nonsense", "-o", str(target), "--force")
    assert r.exit_code == 2
    assert target.read_text() == "old\n"  # a failed export leaves the old file
    assert sorted(os.listdir(tmp_path)) == sorted(
        p for p in os.listdir(tmp_path) if not p.endswith(".tmp")
    )


def test_an_unwritable_out_is_one_line(cli, tmp_path):
    r = cli("export", "-f", "json", "-o", str(tmp_path / "no" / "such" / "dir.json"))
    assert r.exit_code == 7 and r.stdout == ""
    assert r.stderr.startswith("Error: Can't write") and len(r.stderr.strip().splitlines()) == 1
    if hasattr(os, "geteuid") and os.geteuid() != 0:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        r = cli("export", "-f", "csv", "-o", str(locked / "x.csv"))
        assert r.exit_code == 7 and "Permission denied" in r.stderr
        shutil.rmtree(locked, ignore_errors=True)


def test_json_status_is_refused(cli):
    r = cli("export", "-f", "json", "--status", "active")
    assert r.exit_code == 2 and "--status goes with --format csv" in r.stderr
