"""Onboarding with history: a contact file's last-contacted date, next call, status,
do-not-call and owner (issue 16). The tests run on 2026-11-23 (a Monday), cycle 90 days:
a DM last spoken to on or before 2026-08-25 is out of cycle."""

from __future__ import annotations

import json

from tests.conftest import snapshot

# A HubSpot contacts export (HubSpot CRM, "Export" of the contacts view, 2024 UI: its
# default columns plus "Last Contacted", written "YYYY-MM-DD HH:MM" in the portal's
# time zone). The status and owner columns are read only when --map names them.
HUBSPOT = (
    '"Record ID","First Name","Last Name","Email","Phone Number","Company Name",'
    '"Job Title","Last Contacted","Contact owner","Lead Status"\r\n'
    '"101","Zoë","Ward","zoe@acme.test","020 7946 0001","Acme","Head of IT",'
    '"2026-10-01 10:22","Sam","OPEN"\r\n'
    '"102","Mark","Lee","mark@bolt.test","","Bolt","CTO","2026-03-14 09:00","Sam",""\r\n'
    '"103","Ana","Silva","ana@crux.test","0161 496 0000","Crux","COO","","",""\r\n'
)


def dm(db, name):
    cols = (
        "status, owner, conversation_count, last_conversation_on, next_call_on, due_reason, "
        "last_outcome"
    )
    rows = db(f"select {cols} from decision_maker where name = ?", name)
    assert len(rows) == 1, rows
    return dict(zip([c.strip() for c in cols.split(",")], rows[0], strict=True))


def write(tmp_path, text, name="contacts.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return str(path)


def test_a_last_contacted_date_makes_a_contact_in_the_base(ok, db, tmp_path):
    r = ok("import", write(tmp_path, HUBSPOT))
    assert "3 added (1 prospect, 2 spoken to before)" in r.stderr
    assert "1 in cycle, 1 out of cycle (callplan sweep spreads those" in r.stderr
    zoe = dm(db, "Zoë Ward")
    # In cycle: the next call is the cycle's own, the last working day by 1 Oct + 90 days.
    assert zoe["conversation_count"] == 1 and str(zoe["last_conversation_on"]) == "2026-10-01"
    assert str(zoe["next_call_on"]) == "2026-12-30" and zoe["due_reason"] == "imported"
    assert zoe["owner"] == "Sam" and zoe["last_outcome"] == "imported"
    # Out of cycle: diarised at its cycle's end, in the past: the sweep's to place.
    mark = dm(db, "Mark Lee")
    assert str(mark["next_call_on"]) == "2026-06-12"
    ana = dm(db, "Ana Silva")
    assert ana["conversation_count"] == 0 and ana["owner"] is None and ana["next_call_on"] is None
    # The conversation is recorded, marked as imported, numbered 1: the next call logged
    # is the second conversation.
    calls = db("select kind, outcome, conversation_number, reason, recruiter from call")
    assert sorted(calls) == [("continuation", "imported", 1, "imported", "Sam")] * 2


def test_the_first_sweep_finds_those_out_of_cycle_and_the_quota_only_new_people(ok, tmp_path):
    ok("import", write(tmp_path, HUBSPOT))
    swept = json.loads(ok("sweep", "--dry-run", "--json").stdout)
    assert [p["name"] for p in swept["swept"]] == ["Mark Lee"]
    plan = json.loads(ok("today", "--json").stdout)
    assert [p["name"] for p in plan["new"]] == ["Ana Silva"]


def test_stats_tell_an_imported_conversation_from_a_logged_one(ok, tmp_path):
    text = (
        "Name,Company,Email,Last Contacted\r\n"
        "Zoë Ward,Acme,zoe@acme.test,2026-11-20\r\n"  # in this month's period
    )
    ok("import", write(tmp_path, text))
    report = json.loads(ok("stats", "--json").stdout)
    assert report["habit"]["new_dms"] == 0  # no one was rung for the first time
    assert report["base"]["size"] == 1  # but she is in the contact base
    assert report["outcomes"]["conversations"] == 0
    plan = json.loads(ok("today", "--json").stdout)
    assert plan["progress"]["today"] == 0


def test_undo_never_takes_back_an_imported_conversation(ok, cli, db, tmp_path):
    ok("import", write(tmp_path, HUBSPOT))
    r = cli("undo", "--yes")
    assert r.exit_code != 0 and "Nothing to undo" in r.stderr
    ok("log", "Ana Silva", "-c", "callback")
    ok("undo", "--yes")
    assert db("select count(*) from call") == [(2,)]


def test_call_delete_of_an_imported_conversation_makes_a_prospect_again(ok, db, tmp_path):
    ok("import", write(tmp_path, HUBSPOT))
    (call_id,) = db("select c.id from call c join decision_maker d on d.id = c.dm_id "
                    "where d.name = 'Zoë Ward'")[0]  # fmt: skip
    ok("call", "delete", str(call_id), "--yes")
    zoe = dm(db, "Zoë Ward")
    assert zoe["conversation_count"] == 0 and zoe["next_call_on"] is None
    assert zoe["owner"] is None


def test_dry_run_counts_prospects_in_cycle_and_out_and_writes_nothing(ok, store, tmp_path):
    before = snapshot(store)
    r = ok("import", write(tmp_path, HUBSPOT), "--dry-run")
    assert "Would import" in r.stderr and "1 prospect, 2 spoken to before" in r.stderr
    assert "1 in cycle, 1 out of cycle" in r.stderr
    assert snapshot(store) == before


def test_reimporting_the_file_changes_nothing(ok, store, tmp_path):
    path = write(tmp_path, HUBSPOT)
    ok("import", path)
    before = snapshot(store)
    r = ok("import", path)
    assert "0 added as prospects, 0 updated, 3 unchanged" in r.stderr
    assert snapshot(store) == before


def test_a_next_call_the_file_gives_is_kept_within_the_cycle(ok, db, tmp_path):
    text = (
        "Name,Company,Last Spoke On,Next Call On\r\n"
        "Tom Hart,Dune,2026-11-12,2026-12-20\r\n"  # within the cycle: kept, as a date set
        "Eve Moss,Fenn,2026-11-12,2027-06-01\r\n"  # past the cycle: pulled in to its end
        "Ned Park,Gale,,2026-12-01\r\n"  # a prospect to ring that day
    )
    ok("import", write(tmp_path, text))
    tom, eve, ned = dm(db, "Tom Hart"), dm(db, "Eve Moss"), dm(db, "Ned Park")
    assert (str(tom["next_call_on"]), tom["due_reason"]) == ("2026-12-20", "manual")
    assert (str(eve["next_call_on"]), eve["due_reason"]) == ("2027-02-10", "imported")
    assert (str(ned["next_call_on"]), ned["due_reason"]) == ("2026-12-01", "manual")
    assert ned["conversation_count"] == 0


def test_status_do_not_call_and_owner_when_mapped(ok, cli, db, tmp_path):
    ok("--as", "Kim", "today")  # Kim works this store too
    text = (
        "Name,Company,Last Contacted,Stage,DNC,Owner\r\n"
        "Zoë Ward,Acme,2026-10-01,archived,,kim\r\n"
        "Mark Lee,Bolt,2026-10-01,active,yes,Kim\r\n"
        "Ana Silva,Crux,,,no,Kim\r\n"
    )
    r = ok(
        "import", write(tmp_path, text),
        "--map", "Stage=status", "--map", "DNC=do_not_call", "--map", "Owner=owner",
    )  # fmt: skip
    assert "Owner left out for 1 prospect" in r.stderr
    zoe, mark, ana = dm(db, "Zoë Ward"), dm(db, "Mark Lee"), dm(db, "Ana Silva")
    assert (zoe["status"], zoe["owner"], zoe["next_call_on"]) == ("archived", "Kim", None)
    assert (mark["status"], mark["owner"], mark["next_call_on"]) == ("dnc", "Kim", None)
    assert (ana["status"], ana["owner"]) == ("active", None)
    assert db("select recruiter from call order by id") == [("Kim",), ("Kim",)]


def test_an_owner_who_is_not_a_recruiter_here_refuses_the_file(cli, store, tmp_path):
    before = snapshot(store)
    text = "Name,Last Contacted,Owner\r\nZoë Ward,2026-10-01,Kim Lee\r\n"
    r = cli("import", write(tmp_path, text), "--map", "Owner=owner")
    assert r.exit_code == 2, r.stderr
    assert r.stderr.count("\n") == 1 and "'Kim Lee'" in r.stderr
    assert "Nothing was written" in r.stderr
    assert snapshot(store) == before


def test_bad_history_values_are_reported_by_line_and_nothing_is_written(cli, store, tmp_path):
    before = snapshot(store)
    text = (
        "Name,Last Contacted,Next Call,Do Not Call\r\n"
        "Zoë Ward,2027-01-05,,\r\n"  # in the future
        "Mark Lee,someday,,\r\n"
        "Ana Silva,2026-10-01,2026-09-01,\r\n"  # next call before the last conversation
        "Tom Hart,,,perhaps\r\n"
        "Eve Moss,03/04/2026,,\r\n"  # read the country's way: 3 April in GB
    )
    r = cli("import", write(tmp_path, text))
    assert r.exit_code == 7
    assert "line 2: last_spoke_on 2027-01-05 is in the future" in r.stderr
    assert "line 3: last_spoke_on: Can't read the date 'someday'" in r.stderr
    assert "line 4: next_call_on 2026-09-01 is before last_spoke_on 2026-10-01" in r.stderr
    assert "line 5: do_not_call 'perhaps': write yes or no" in r.stderr
    assert "line 6" not in r.stderr
    assert snapshot(store) == before


def test_a_stored_prospect_is_given_the_history_a_known_dm_keeps_theirs(ok, db, tmp_path):
    ok("dm", "add", "Zoë Ward", "--company", "Acme")
    ok("dm", "add", "Mark Lee", "--company", "Bolt")
    ok("log", "Mark Lee", "-c", "callback", "--on", "2026-11-20")
    text = (
        "Name,Company,Last Contacted,Do Not Call\r\n"
        "Zoë Ward,Acme,2026-10-01,\r\n"
        "Mark Lee,Bolt,2026-03-14,yes\r\n"
    )
    r = ok("import", write(tmp_path, text))
    assert "Zoë Ward (Acme) (same name and company), adding last conversation 2026-10-01" in (
        r.stderr
    )
    assert "adding do-not-call" in r.stderr
    zoe, mark = dm(db, "Zoë Ward"), dm(db, "Mark Lee")
    assert zoe["conversation_count"] == 1 and zoe["owner"] == "Sam"
    assert str(zoe["next_call_on"]) == "2026-12-30"
    # Mark was spoken to in callplan: his history stays callplan's; do-not-call is taken.
    assert mark["conversation_count"] == 1 and str(mark["last_conversation_on"]) == "2026-11-20"
    assert mark["status"] == "dnc"


def test_imported_is_not_an_outcome_a_recruiter_can_log(cli, ok):
    ok("dm", "add", "Zoë Ward", "--company", "Acme")
    r = cli("log", "Zoë Ward", "-c", "imported")
    assert r.exit_code == 2 and "Unknown continuation type 'imported'" in r.stderr
    assert "imported" not in cli("log", "--help").stdout


def test_callplans_own_export_brings_the_history_and_do_not_call_back(ok, db, tmp_path):
    """A DM marked do-not-call must never come back callable from callplan's own CSV
    export, and one spoken to comes back in the base, not as a prospect."""
    ok("dm", "add", "Zoë Ward", "--company", "Acme", "--phone", "020 7946 0001")
    ok("dm", "add", "Mark Lee", "--company", "Bolt", "--phone", "020 7946 0002")
    ok("log", "Zoë Ward", "-c", "callback", "--on", "2026-11-20", "--next", "2026-11-30")
    ok("dm", "dnc", "Mark Lee")
    path = tmp_path / "dms.csv"
    ok("export", "-f", "csv", "--out", str(path))
    for table in ("call_before", "note", "call", "dm_tag", "decision_maker"):
        db(f"DELETE FROM {table}")
    ok("import", str(path))
    zoe, mark = dm(db, "Zoë Ward"), dm(db, "Mark Lee")
    assert str(zoe["last_conversation_on"]) == "2026-11-20" and zoe["conversation_count"] == 1
    assert (str(zoe["next_call_on"]), zoe["due_reason"]) == ("2026-11-30", "manual")
    assert mark["status"] == "dnc" and mark["conversation_count"] == 0


def test_a_status_column_of_other_words_is_refused_or_left_out_on_request(cli, ok, db, tmp_path):
    text = "Name,Company,Status\r\nZoë Ward,Acme,Hot lead\r\n"
    path = write(tmp_path, text)
    r = cli("import", path)
    assert r.exit_code == 7
    assert "status 'Hot lead' is not one of active, archived, dnc" in r.stderr
    assert "--map 'COLUMN=ignore'" in r.stderr
    r = ok("import", path, "--map", "Status=ignore")
    assert "1 added as prospects" in r.stderr and "ignored Status" in r.stderr
    assert dm(db, "Zoë Ward")["status"] == "active"


def test_you_can_be_the_owner_the_file_names_before_your_first_call(ok, db, tmp_path):
    text = "Name,Last Contacted,Owner\r\nZoë Ward,2026-10-01,sam\r\n"  # the user is Sam
    ok("import", write(tmp_path, text), "--map", "Owner=owner")
    assert dm(db, "Zoë Ward")["owner"] == "Sam"
    assert ("Sam",) in db("select name from recruiter")


def test_an_archived_prospect_given_a_last_conversation_stays_archived(ok, db, tmp_path):
    ok("dm", "add", "Zoë Ward", "--company", "Acme")
    ok("dm", "archive", "Zoë Ward")
    ok("import", write(tmp_path, "Name,Company,Last Contacted\r\nZoë Ward,Acme,2026-10-01\r\n"))
    zoe = dm(db, "Zoë Ward")
    assert zoe["conversation_count"] == 1 and zoe["status"] == "archived"
    assert zoe["next_call_on"] is None


def test_an_imported_conversation_survives_a_json_round_trip(ok, tmp_path, blank_store):
    ok("import", write(tmp_path, HUBSPOT))
    path = tmp_path / "store.json"
    ok("export", "-f", "json", "--out", str(path))
    ok("--db", blank_store.db, "import", str(path))
    again = json.loads(ok("--db", blank_store.db, "export", "-f", "json").stdout)
    calls = [(c["outcome"], c["reason"], c["conversation_number"]) for c in again["calls"]]
    assert calls == [("imported", "imported", 1)] * 2
    checked = ok("--db", blank_store.db, "db", "check")
    assert "All checks passed" in checked.stdout + checked.stderr
