"""`dm edit --company` records a DM's job change in their notes (issue 16): the move an
import reports ("is at Bolt now: to record it, callplan dm edit …") is kept in the DM's
history when they are in the contact base, in the same transaction as the edit."""

from __future__ import annotations

import shlex

import pytest

from tests.conftest import TODAY, USER, snapshot


@pytest.fixture
def jane(ok):
    """Jane Smith, Head of Sales at Acme, spoken to once (in the contact base)."""
    ok("dm", "add", "Jane Smith", "--company", "Acme", "--title", "Head of Sales")
    ok("log", "jane", "--continuation", "rejection")


def notes(db):
    return db("select dm_id, noted_on, recruiter, text from note order by id")


def test_a_move_is_noted_for_a_dm_in_the_base(ok, db, jane):
    r = ok("dm", "edit", "jane", "--company", "Bolt Ltd", "--title", "CTO")
    assert "Updated #1 Jane Smith: company, title." in r.stdout
    assert "Noted the move: Moved from Acme (Head of Sales) to Bolt Ltd (CTO)." in r.stdout
    assert notes(db)[-1] == (1, TODAY, USER, "Moved from Acme (Head of Sales) to Bolt Ltd (CTO).")
    assert db("select company, title from decision_maker") == [("Bolt Ltd", "CTO")]
    shown = ok("dm", "show", "jane", "--json").json
    assert shown["notes"][0]["text"] == "Moved from Acme (Head of Sales) to Bolt Ltd (CTO)."


def test_without_a_new_title_only_the_known_ones_are_named(ok, db):
    ok("dm", "add", "Seán O'Brien", "--company", "Acme")
    ok("log", "sean", "--continuation", "rejection")
    ok("dm", "edit", "sean", "--company", "Bolt Ltd")
    assert notes(db)[-1][3] == "Moved from Acme to Bolt Ltd."


def test_with_a_note_too_both_are_kept(ok, db, jane):
    ok("dm", "edit", "jane", "--company", "Bolt Ltd", "--note", "Call her at Bolt")
    assert [n[3] for n in notes(db)][-2:] == [
        "Moved from Acme (Head of Sales) to Bolt Ltd.",
        "Call her at Bolt",
    ]


def test_a_prospect_gets_no_note(ok, db):
    ok("dm", "add", "Zoë Ward", "--company", "Acme", "--title", "Head of IT")
    r = ok("dm", "edit", "zoe", "--company", "Bolt Ltd", "--title", "CTO")
    assert "Noted the move" not in r.stdout
    assert notes(db) == []
    assert db("select company, title from decision_maker") == [("Bolt Ltd", "CTO")]


@pytest.mark.parametrize("company", ["Acme", "ACME", "  acme ", "Acmé"])
def test_the_same_company_written_differently_is_no_move(ok, db, jane, company):
    before = notes(db)
    r = ok("dm", "edit", "jane", "--company", company, "--title", "CTO")
    assert "Noted the move" not in r.stdout
    assert notes(db) == before


@pytest.mark.parametrize("args", [["--company", ""], ["--title", "CTO"]])
def test_clearing_the_company_or_changing_the_title_alone_is_no_move(ok, db, jane, args):
    before = notes(db)
    ok("dm", "edit", "jane", *args)
    assert notes(db) == before


def test_a_company_filled_in_is_no_move(ok, db):
    ok("dm", "add", "Łukasz Nowak")
    ok("log", "lukasz", "--continuation", "rejection")
    before = notes(db)
    ok("dm", "edit", "lukasz", "--company", "Initech")
    assert notes(db) == before


def test_a_refused_edit_writes_no_note(store, cli, jane):
    before = snapshot(store)
    r = cli("dm", "edit", "jane", "--company", "Bolt Ltd", "--referred-by", "jane")
    assert r.exit_code == 2 and "can't refer themselves" in r.stderr
    assert "Noted the move" not in r.stdout
    assert snapshot(store) == before


def test_the_command_an_import_suggests_records_the_move(ok, db, tmp_path):
    """The issue's case end to end: a contact in the base (imported with their last
    conversation) shows up at another company in a later LinkedIn export; import keeps
    their company and says what to run; running it changes the job and notes the move."""
    first = tmp_path / "crm.csv"
    first.write_text(
        "Name,Company,Title,LinkedIn,Last Contacted\n"
        "Zoë Ward,Acme,Head of IT,https://www.linkedin.com/in/zoeward,2026-10-01\n"
    )
    ok("import", str(first))
    assert db("select conversation_count from decision_maker") == [(1,)]
    later = tmp_path / "Connections.csv"
    later.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Zoë,Ward,https://uk.linkedin.com/in/ZoeWard/,,Bolt Ltd,CTO,01 Mar 2024\n"
    )
    r = ok("import", str(later))
    moved = [line for line in r.stderr.splitlines() if line.startswith("Changed jobs?")]
    assert len(moved) == 1 and "is at Bolt Ltd as CTO now" in moved[0]
    assert db("select company, title from decision_maker") == [("Acme", "Head of IT")]
    command = shlex.split(moved[0].split("to record it, ", 1)[1])
    assert command[:3] == ["callplan", "dm", "edit"]
    r = ok(*command[1:])
    assert "Noted the move: Moved from Acme (Head of IT) to Bolt Ltd (CTO)." in r.stdout
    assert db("select company, title from decision_maker") == [("Bolt Ltd", "CTO")]
    assert notes(db)[-1][3] == "Moved from Acme (Head of IT) to Bolt Ltd (CTO)."


def test_import_update_jobs_records_every_move_in_one_go(ok, db, store, tmp_path):
    """--update-jobs records the moves the file shows as the suggested dm edit would: the
    new company and title, a note for a DM in the base, none for a prospect; a dry run
    says so and writes nothing; the same file again changes nothing."""
    first = tmp_path / "crm.csv"
    first.write_text(
        "Name,Company,Title,LinkedIn,Last Contacted\n"
        "Zoë Ward,Acme,Head of IT,https://www.linkedin.com/in/zoeward,2026-10-01\n"
        "Tom Hart,Dune,CFO,https://www.linkedin.com/in/tomhart,\n"
    )
    ok("import", str(first))
    later = tmp_path / "Connections.csv"
    later.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Zoë,Ward,https://uk.linkedin.com/in/ZoeWard/,,Bolt Ltd,CTO,01 Mar 2024\n"
        "Tom,Hart,https://www.linkedin.com/in/tomhart,,Fenn plc,CFO,02 Mar 2024\n"
    )
    before = snapshot(store)
    r = ok("import", str(later), "--update-jobs", "--dry-run")
    assert "Would update the job: line 2: #1 Zoë Ward (Acme) is at Bolt Ltd as CTO now." in (
        r.stderr
    )
    assert "Changed jobs?" not in r.stderr and snapshot(store) == before
    r = ok("import", str(later), "--update-jobs")
    assert (
        "Updated the job: line 2: #1 Zoë Ward (Acme) is at Bolt Ltd as CTO now "
        "(noted in their notes)." in r.stderr
    )
    assert "Updated the job: line 3: #2 Tom Hart (Dune) is at Fenn plc now." in r.stderr
    assert db("select company, title from decision_maker order by id") == [
        ("Bolt Ltd", "CTO"),
        ("Fenn plc", "CFO"),
    ]
    assert [n[3] for n in notes(db)] == ["Moved from Acme (Head of IT) to Bolt Ltd (CTO)."]
    after = snapshot(store)
    r = ok("import", str(later), "--update-jobs")
    assert "Updated the job" not in r.stderr and "2 unchanged" in r.stderr
    assert snapshot(store) == after
