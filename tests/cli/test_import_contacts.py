"""Importing contact files: LinkedIn, Google and Outlook CSV, vCard, any CSV with --map."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import snapshot

LINKEDIN = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses '
    'are missing."\n'
    "\n"
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    "Zoë,Ward,https://www.linkedin.com/in/zoeward,zoe@acme.test,Acme,Head of IT,01 Mar 2024\n"
    "Łukasz,Nowak,https://www.linkedin.com/in/lnowak,,Initech,CTO,02 Mar 2024\n"
)

GOOGLE = (
    "Name,Given Name,Family Name,Organization 1 - Name,Organization 1 - Title,"
    "E-mail 1 - Value,Phone 1 - Value\n"
    "Jane Smith,Jane,Smith,Acme,Head of Data,jane@acme.test,020 7946 0000\n"
    "Tom Hardy,Tom,Hardy,Globex,CTO,tom@globex.test,07700 900123\n"
)

OUTLOOK = (
    "First Name,Last Name,Company,Job Title,E-mail Address,Business Phone,Mobile Phone\n"
    "Priya,Rao,Umbrella,HR Director,priya@umbrella.test,,+44 7700 900456\n"
)

VCARD = (
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "N:Carter;Ben;;;\r\n"
    "FN:Ben Carter\r\n"
    "ORG:Oakridge Ltd;Engineering\r\n"
    "TITLE:Head of Engineering and Platform\r\n"
    "  Services\r\n"
    "TEL;TYPE=WORK,VOICE:0161 496 0000\r\n"
    "EMAIL;TYPE=INTERNET:ben@oakridge.test\r\n"
    "END:VCARD\r\n"
    "BEGIN:VCARD\r\n"
    "VERSION:4.0\r\n"
    "FN:Zoë\r\n"
    "\t O'Brien\r\n"
    "ORG:Hooli\r\n"
    "TEL;VALUE=uri;TYPE=cell:tel:+44-7700-900789\r\n"
    "URL:https://www.linkedin.com/in/zobrien\r\n"
    "END:VCARD\r\n"
)


def dms(db):
    return {
        r[0]: r[1:]
        for r in db("select name, company, title, phone, email, linkedin from decision_maker")
    }


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_linkedin_export_with_its_notes(ok, db, tmp_path):
    r = ok("import", str(write(tmp_path, "Connections.csv", LINKEDIN)))
    assert "(linkedin): 2 added as prospects, 0 updated, 0 skipped" in r.stderr
    found = dms(db)
    assert found["Zoë Ward"] == (
        "Acme", "Head of IT", None, "zoe@acme.test", "https://www.linkedin.com/in/zoeward"
    )  # fmt: skip
    assert found["Łukasz Nowak"][:2] == ("Initech", "CTO")
    prospects = db("select count(*) from decision_maker where conversation_count = 0")
    assert prospects == [(2,)]


def test_google_csv_phones_in_e164(ok, db, tmp_path):
    r = ok("import", str(write(tmp_path, "contacts.csv", GOOGLE)))
    assert "(google)" in r.stderr
    found = dms(db)
    assert found["Jane Smith"] == ("Acme", "Head of Data", "+442079460000", "jane@acme.test", None)
    assert found["Tom Hardy"][2] == "+447700900123"


def test_outlook_csv_takes_the_mobile_when_no_business_phone(ok, db, tmp_path):
    r = ok("import", str(write(tmp_path, "outlook.csv", OUTLOOK)))
    assert "(outlook)" in r.stderr
    assert dms(db)["Priya Rao"] == (
        "Umbrella", "HR Director", "+447700900456", "priya@umbrella.test", None
    )  # fmt: skip


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("\ufeff" + GOOGLE.replace("Jane", "Zoë"), "utf-8"),
        (GOOGLE.replace("Jane", "Zoë"), "cp1252"),
    ],
    ids=["utf-8 with BOM", "windows-1252"],
)
def test_encodings_keep_names_intact(ok, db, tmp_path, text, encoding):
    ok("import", str(write(tmp_path, "c.csv", text, encoding)))
    assert "Zoë Smith" in dms(db)


def test_vcard_3_and_4_with_folded_lines(ok, db, tmp_path):
    r = ok("import", str(write(tmp_path, "contacts.vcf", VCARD)))
    assert "(vcard): 2 added" in r.stderr
    found = dms(db)
    assert found["Ben Carter"] == (
        "Oakridge Ltd", "Head of Engineering and Platform Services", "+441614960000",
        "ben@oakridge.test", None,
    )  # fmt: skip
    assert found["Zoë O'Brien"] == (
        "Hooli", None, "+447700900789", None, "https://www.linkedin.com/in/zobrien"
    )  # fmt: skip


def test_duplicates_update_empty_fields_only(ok, db, tmp_path):
    ok("dm", "add", "Jane Smith", "--company", "Acme", "--title", "CTO")
    ok("dm", "add", "Someone Else", "--email", "tom@globex.test")
    text = GOOGLE + "Tom Hardy,Tom,Hardy,Globex,Chief Technology Officer,,07700 900123\n"
    r = ok("import", str(write(tmp_path, "c.csv", text)))
    # The last row is Someone Else again (same phone) and brings nothing new.
    assert "0 added as prospects, 2 updated, 1 unchanged, 0 skipped" in r.stderr
    assert "(same name and company), adding phone, email." in r.stderr
    assert "(same email), adding company, title, phone." in r.stderr
    assert "(same phone)" not in r.stderr
    found = dms(db)
    assert len(found) == 2
    # The title stays as it was; the empty phone and email are filled in.
    assert found["Jane Smith"] == ("Acme", "CTO", "+442079460000", "jane@acme.test", None)
    assert found["Someone Else"] == ("Globex", "CTO", "+447700900123", "tom@globex.test", None)


def test_importing_the_same_file_again_changes_nobody_and_lists_nobody(ok, db, tmp_path):
    path = write(tmp_path, "Connections.csv", LINKEDIN)
    ok("import", str(path), "--tag", "linkedin")
    before = dms(db)
    r = ok("import", str(path), "--tag", "linkedin")
    assert "0 added as prospects, 0 updated, 2 unchanged, 0 skipped" in r.stderr
    assert "Merged" not in r.stderr
    assert dms(db) == before


def test_a_row_that_fills_an_empty_field_is_the_one_update_listed(ok, db, tmp_path):
    ok("import", str(write(tmp_path, "Connections.csv", LINKEDIN)))
    # Łukasz's empty email is filled in; Zoë's title differs, but a title already
    # stored is kept, so her row changes nothing.
    again = LINKEDIN.replace("lnowak,,Initech", "lnowak,lukasz@initech.test,Initech").replace(
        "Head of IT", "CIO"
    )
    r = ok("import", str(write(tmp_path, "again.csv", again)))
    assert "0 added as prospects, 1 updated, 1 unchanged, 0 skipped" in r.stderr
    merged = [line for line in r.stderr.splitlines() if line.startswith("Merged")]
    assert merged == [
        "Merged line 6: Łukasz Nowak is #2 Łukasz Nowak (Initech) (same LinkedIn profile), "
        "adding email."
    ]
    assert dms(db)["Łukasz Nowak"][3] == "lukasz@initech.test"
    assert dms(db)["Zoë Ward"][1] == "Head of IT"


def test_a_new_tag_is_a_change_a_tag_they_have_is_not(ok, db, tmp_path):
    path = write(tmp_path, "Connections.csv", LINKEDIN)
    ok("import", str(path), "--tag", "linkedin")
    r = ok("import", str(path), "--tag", "linkedin", "--tag", "fintech")
    assert "0 added as prospects, 2 updated, 0 skipped" in r.stderr
    assert "(same email), adding tag fintech." in r.stderr
    r = ok("import", str(path), "--tag", "fintech")
    assert "0 updated, 2 unchanged" in r.stderr


def test_a_number_filled_in_by_an_import_clears_needs_a_new_number(ok, db, tmp_path):
    ok("dm", "add", "Jane Smith", "--company", "Acme")
    db("update decision_maker set needs_number = true")
    r = ok("import", str(write(tmp_path, "c.csv", GOOGLE)))
    assert "1 added as prospects, 1 updated" in r.stderr
    assert db("select phone, needs_number from decision_maker where name = 'Jane Smith'") == [
        ("+442079460000", False)
    ]


def test_a_shared_number_alone_never_makes_two_people_one(ok, db, tmp_path):
    """Colleagues on one switchboard: each is their own DM, with their own email; a row
    with the same number is only merged when the name is the same too."""
    ok("dm", "add", "Priya Shah", "--company", "Northwind", "--phone", "0113 496 0000")
    text = GOOGLE + (
        "J. Smith,,,Acme,,,+44 20 7946 0000\n"  # Jane's line, another name
        "Omar Ali,Omar,Ali,Northwind,CFO,omar@northwind.test,0113 496 0000\n"  # switchboard
        "Jane Smith,,,,,,020 7946 0000\n"  # Jane again: her name and number
    )
    r = ok("import", str(write(tmp_path, "c.csv", text)))
    assert "line 4: J. Smith shares a number with Jane Smith (line 2) (Acme)" in r.stderr
    assert "line 5: Omar Ali shares a number with #1 Priya Shah (Northwind)" in r.stderr
    assert "line 6: Jane Smith is Jane Smith (line 2) (Acme) (same name and number)" in r.stderr
    assert "4 added as prospects, 1 updated" in r.stderr  # line 6 merged into line 2
    found = dms(db)
    assert found["Priya Shah"][3] is None  # Omar's email never lands on Priya
    assert found["Omar Ali"][3] == "omar@northwind.test"


def test_a_linkedin_profile_is_one_person_whatever_the_url_looks_like(ok, db, tmp_path):
    ok("dm", "add", "Zoe Ward", "--company", "Acme")
    ok("dm", "edit", "zoe", "--linkedin", "https://www.linkedin.com/in/zoeward/")
    text = "Name,Company,LinkedIn\nZoë Ward,Bolt,https://uk.linkedin.com/in/ZoeWard?trk=x\n"
    r = ok("import", str(write(tmp_path, "c.csv", text)))
    assert "0 added as prospects, 0 updated, 1 unchanged" in r.stderr  # no second Zoë
    assert list(dms(db)) == ["Zoe Ward"]


def test_fuzzy_near_match_is_flagged_not_merged(ok, db, tmp_path):
    ok("dm", "add", "Jonathan Smith", "--company", "Acme")
    text = "Name,Company\nJonathon Smith,ACME\n"
    r = ok("import", str(write(tmp_path, "c.csv", text)))
    assert "1 added as prospects, 0 updated, 0 skipped, 1 flagged" in r.stderr
    assert "Jonathon Smith looks like #1 Jonathan Smith (Acme)" in r.stderr
    assert len(dms(db)) == 2


def test_a_bad_row_stops_the_import_unless_skipped(store, ok, cli, db, env, tmp_path):
    path = write(tmp_path, "c.csv", GOOGLE + ",,,Acme,,,\n")
    before = snapshot(store)
    r = cli("import", str(path))
    assert r.exit_code == 7
    assert "line 4: no name" in r.stderr and "Nothing was written" in r.stderr
    assert snapshot(store) == before
    r = ok("import", str(path), "--skip-invalid")
    assert "2 added as prospects, 0 updated, 1 skipped" in r.stderr
    assert "Skipped line 4: no name" in r.stderr
    assert len(dms(db)) == 2


def test_map_and_tag(ok, db, tmp_path):
    text = "Who,Firm,Tel,Labels\nAnna Lee,Wayne,+1 212 555 0100,fintech;london\n"
    path = write(tmp_path, "c.csv", text)
    r = ok(
        "import", str(path), "--map", "Who=name", "--map", "Firm=company", "--map", "Tel=phone",
        "--map", "labels=tags", "--tag", "Imported",
    )  # fmt: skip
    assert "(csv): 1 added" in r.stderr
    assert dms(db)["Anna Lee"][:3] == ("Wayne", None, "+12125550100")
    assert db("select tag from dm_tag order by tag") == [("fintech",), ("imported",), ("london",)]


def test_csv_without_a_name_column_asks_for_a_map(cli, tmp_path):
    r = cli("import", str(write(tmp_path, "c.csv", "Who,Firm\nAnna,Wayne\n")))
    assert r.exit_code == 2 and "--map" in r.stderr and "Who, Firm" in r.stderr


def test_dry_run_writes_nothing(store, ok, env, tmp_path):
    before = snapshot(store)
    r = ok("import", str(write(tmp_path, "c.csv", GOOGLE)), "--dry-run")
    assert "Would import" in r.stderr and "2 added" in r.stderr and "--dry-run" in r.stderr
    assert snapshot(store) == before


def test_unparseable_phone_kept_and_reported(ok, db, tmp_path):
    text = "Name,Phone\nAnna Lee,ask reception\n"
    r = ok("import", str(write(tmp_path, "c.csv", text)))
    assert "Phone number not recognised, line 2: Anna Lee: 'ask reception'" in r.stderr
    assert "1 phone number kept as typed" in r.stderr
    assert dms(db)["Anna Lee"][2] == "ask reception"


@pytest.mark.parametrize("text", ["\r\x00", "Name\nAnna\rLee,x\n", "Name\n" + "x" * 200_000 + "\n"])
def test_a_file_the_csv_module_cant_read_is_one_line(store, cli, env, tmp_path, text):
    # Found by tests/test_hostile_input.py: a bare carriage return in an unquoted field,
    # or a field past the csv module's limit, ended in exit 70 (csv.Error).
    before = snapshot(store)
    r = cli("import", str(write(tmp_path, "c.csv", text)))
    assert r.exit_code == 7, r.stderr
    assert r.stderr.startswith("Error: This is not a CSV file the import can read")
    assert r.stderr.count("\n") == 1
    assert snapshot(store) == before


def test_format_can_be_forced(cli, tmp_path):
    r = cli("import", str(write(tmp_path, "c.csv", GOOGLE)), "--format", "linkedin")
    assert r.exit_code == 7 and "not a LinkedIn" in r.stderr


@pytest.mark.slow
def test_a_big_file_stays_fast(ok, db, tmp_path):
    import time

    rows = "".join(f"Person {i},Company {i % 50},p{i}@x.test\n" for i in range(10_000))
    path = write(tmp_path, "big.csv", "Name,Company,Email\n" + rows)
    started = time.perf_counter()
    ok("import", str(path))
    ok("import", str(path))  # every row a duplicate the second time
    assert time.perf_counter() - started < 30
    assert db("select count(*) from decision_maker") == [(10_000,)]


@pytest.mark.sqlite_only(
    "SQLite's count of commits (data_version); on PostgreSQL an import always plans again "
    "under the write lock"
)
def test_an_import_planned_before_the_write_lock_sees_another_programs_write(env):
    """The plan is made outside the write lock; the write plans again if another
    connection committed in between (SQLite's data_version moved)."""
    import sqlite3
    from contextlib import closing

    from callplan.store import contact_import
    from callplan.store.db import make_engine, session

    engine = make_engine(f"sqlite:///{env}")
    with session(engine) as s:
        seen = contact_import.store_version(s)
    with session(engine, write=True) as s:
        assert contact_import.store_version(s) == seen  # nobody else wrote
    with closing(sqlite3.connect(env)) as other, other:
        other.execute("INSERT INTO store_meta (key, value) VALUES ('x', 'y')")
    with session(engine, write=True) as s:
        assert contact_import.store_version(s) != seen
    engine.dispose()


LETTERS = "abeilnorst é-"
EDIT = st.tuples(
    st.integers(0, 20), st.sampled_from(["drop", "swap", "add"]), st.sampled_from(LETTERS)
)


def edited(name: str, edits: list[tuple[int, str, str]]) -> str:
    for at, how, letter in edits:
        i = at % (len(name) + 1)
        if how == "drop":
            name = name[:i] + name[i + 1 :]
        elif how == "swap":
            name = name[:i] + letter + name[i + 1 :]
        else:
            name = name[:i] + letter + name[i:]
    return name


@settings(max_examples=400, deadline=None)
@given(
    st.text(alphabet=LETTERS, min_size=0, max_size=16),
    st.lists(st.lists(EDIT, min_size=0, max_size=4), max_size=6),
    st.lists(st.text(alphabet=LETTERS, max_size=16), max_size=3),
)
def test_the_similar_name_check_decides_as_difflib_does(name, edit_lists, strangers):
    """The fuzzy check's own quick bounds (lengths, letters in common) never change its
    answer: it finds what difflib's ratio at FUZZY_RATIO finds, in the same order."""
    from difflib import SequenceMatcher

    from callplan.core.contacts import FUZZY_RATIO, Contact, Matcher, Person
    from callplan.core.names import name_key

    others = [edited(name, edits) for edits in edit_lists] + strangers  # near and far
    matcher = Matcher(None)
    people = [Person(name=o or "x", company="Acme", id=i) for i, o in enumerate(others)]
    for p in people:
        matcher.add(p)
    key = name_key(name or "y")
    want = next(
        (p for p in people if SequenceMatcher(None, key, name_key(p.name)).ratio() >= FUZZY_RATIO),
        None,
    )
    assert matcher.similar(Contact(line=1, name=name or "y", company="Acme")) is want


def test_callplans_own_csv_export_imports_as_the_values_it_holds(ok, db, tmp_path):
    """The export quotes a cell a spreadsheet would run ('-Acme, '+44 ...): reading it
    back takes the quote off, so the file re-imports as the same people, unchanged."""
    ok("dm", "add", "Claire Dunn", "--company", "Quayside Bank", "--phone", "+44 117 496 0111")
    ok("dm", "add", "Bob Evans", "--company", "-Acme", "--email", "bob@acme.test")
    before = dms(db)
    path = tmp_path / "dms.csv"
    ok("export", "-f", "csv", "--out", str(path))
    assert "'-Acme" in path.read_text() and "'+441174960111" in path.read_text()
    r = ok("import", str(path))
    assert "0 added as prospects, 0 updated, 2 unchanged" in r.stderr
    db("DELETE FROM decision_maker")
    ok("import", str(path))
    after = dms(db)
    assert after["Bob Evans"][0] == "-Acme"  # not "'-Acme"
    assert after == {**before, "Claire Dunn": ("Quayside Bank", None, "+441174960111", None, None)}
