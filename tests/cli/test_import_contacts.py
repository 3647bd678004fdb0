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


def test_a_windows_1252_file_is_read_whole_and_said_so(ok, db, tmp_path):
    r = ok("import", str(write(tmp_path, "c.csv", GOOGLE.replace("Jane", "Zoë"), "cp1252")))
    assert "c.csv is not UTF-8: read as Windows-1252." in r.stderr


def test_utf_16_unicode_text_from_excel(ok, db, tmp_path):
    """Excel's "Unicode text" (UTF-16 LE with its byte-order mark)."""
    path = tmp_path / "c.csv"
    path.write_bytes(GOOGLE.replace("Jane", "Zoë").encode("utf-16"))
    r = ok("import", str(path))
    assert "read as UTF-16" in r.stderr and "Zoë Smith" in dms(db)


def test_one_stray_windows_1252_byte_garbles_nobody_else(ok, db, tmp_path):
    """A UTF-8 file with one name pasted from a Windows program (Seán in Windows-1252):
    every UTF-8 name stays right, the stray byte is read as Windows-1252, and the line is
    named so it can be checked."""
    rows = [
        "Name,Company",
        "Zoë Ward,Acme",
        "Łukasz Nowak,Initech",
        "Seán Murphy,Bolt",
        "李娜,Globex",
    ]
    data = "\n".join(rows[:3]).encode("utf-8") + b"\n" + rows[3].encode("cp1252")
    data += b"\n" + rows[4].encode("utf-8") + b"\n"
    path = tmp_path / "c.csv"
    path.write_bytes(data)
    r = ok("import", str(path))
    assert "line 4 holds bytes of another encoding: read as Windows-1252" in r.stderr
    assert set(dms(db)) == {"Zoë Ward", "Łukasz Nowak", "Seán Murphy", "李娜"}


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
    path = write(tmp_path, "c.csv", GOOGLE + "Ann Bad,,,Acme,,not-an-email,\n")
    before = snapshot(store)
    r = cli("import", str(path))
    assert r.exit_code == 7
    assert "line 4: 'not-an-email' doesn't look like an email address" in r.stderr
    assert "Nothing was written" in r.stderr
    assert snapshot(store) == before
    r = ok("import", str(path), "--skip-invalid")
    assert "2 added as prospects, 0 updated, 1 skipped" in r.stderr
    assert len(dms(db)) == 2


def test_a_row_without_a_name_is_skipped_with_a_warning_unless_strict(store, ok, cli, db, tmp_path):
    """A hidden LinkedIn member (no name, a URL and a company) doesn't block the file."""
    hidden = LINKEDIN + ",,https://www.linkedin.com/in/hidden,,Acme,,01 Dec 2026\n"
    path = write(tmp_path, "Connections.csv", hidden)
    before = snapshot(store)
    r = cli("import", str(path), "--strict")
    assert r.exit_code == 7 and "no name" in r.stderr
    assert snapshot(store) == before
    r = ok("import", str(path))
    assert "Skipped line" in r.stderr and ": no name." in r.stderr
    assert "2 added as prospects, 0 updated, 1 skipped" in r.stderr
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


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("\r\x00", "This is not a contact file callplan can read: it holds binary data"),
        ("Name\nAnna\rLee,x\n", "This is not a CSV file the import can read"),
        ("Name\n" + "x" * 200_000 + "\n", "This is not a CSV file the import can read"),
    ],
)
def test_a_file_the_csv_module_cant_read_is_one_line(store, cli, env, tmp_path, text, said):
    # Found by tests/test_hostile_input.py: a bare carriage return in an unquoted field,
    # or a field past the csv module's limit, ended in exit 70 (csv.Error); a NUL byte
    # says the file is binary.
    before = snapshot(store)
    r = cli("import", str(write(tmp_path, "c.csv", text)))
    assert r.exit_code == 7, r.stderr
    assert r.stderr.startswith("Error: " + said)
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


def test_a_european_excel_csv_semicolons_and_windows_1252(ok, db, tmp_path):
    """Excel in a German or French locale saves "CSV (separated by semicolons)" in the
    Windows code page: both are read without being told."""
    text = "Name;Company;Phone\r\nZoë Müller;Acme GmbH;+49 30 901820\r\nSeán Ó Sé;Bolt;\r\n"
    r = ok("import", str(write(tmp_path, "c.csv", text, "cp1252")))
    assert "2 added as prospects" in r.stderr
    assert dms(db)["Zoë Müller"][:3] == ("Acme GmbH", None, "+4930901820")


@pytest.mark.parametrize("given", ["tab", "\\t", "\t"])
def test_a_delimiter_can_be_given(ok, db, tmp_path, given):
    text = "Name\tCompany\nAnn Lee, Jr.\tWayne; Sons\n"
    r = ok("import", str(write(tmp_path, "c.tsv", text)), "--delimiter", given)
    assert "1 added as prospects" in r.stderr
    assert dms(db)["Ann Lee, Jr."][0] == "Wayne; Sons"


def test_an_unknown_delimiter_is_refused(cli, tmp_path):
    r = cli("import", str(write(tmp_path, "c.csv", "Name\nAnn\n")), "--delimiter", "x")
    assert r.exit_code == 2 and r.stderr == "Error: --delimiter 'x': use , ; | or tab.\n"


def test_the_delimiter_given_wins_over_the_sniffed_one(ok, cli, db, tmp_path):
    """A header as likely ';' as ',' (one of each): sniffed, ',' wins and no column is a
    name; given, ';' reads it."""
    path = write(tmp_path, "c.csv", "Name;Company,Ltd\nAnn Lee;Wayne\n")
    assert "No column gives the name" in cli("import", str(path)).stderr
    r = ok("import", str(path), "--delimiter", ";")
    assert "1 added as prospects" in r.stderr and "Ann Lee" in dms(db)


# A HubSpot contacts export ("Export" from the Contacts index, CSV; HubSpot's default
# export properties, as its knowledge base lists them, 2024).
HUBSPOT = (
    "Record ID,First Name,Last Name,Email,Phone Number,Company Name,Job Title,"
    "Lifecycle Stage,Contact owner,Create Date\n"
    "101,Ravi,Menon,ravi@kestrel.test,+44 161 496 0123,Kestrel Energy,CTO,Lead,"
    "sam@agency.test,2024-05-01 10:00\n"
)


def test_a_hubspot_export_is_not_taken_for_outlook_and_says_what_it_ignored(ok, db, tmp_path):
    """'Job Title' is an Outlook column too, but the header as a whole is plain names: its
    email, phone and company are read, and the columns left out are named."""
    r = ok("import", str(write(tmp_path, "hubspot.csv", HUBSPOT)))
    assert "(csv): 1 added" in r.stderr
    assert dms(db)["Ravi Menon"] == (
        "Kestrel Energy", "CTO", "+441614960123", "ravi@kestrel.test", None,
    )  # fmt: skip
    assert (
        "Read the columns First Name, Last Name, Email, Phone Number, Company Name, Job "
        "Title; ignored Record ID, Lifecycle Stage, Contact owner, Create Date" in r.stderr
    )


# Google Contacts, Export → Google CSV, in the format it writes since 2023 (no "Name"
# column; "First Name"/"Last Name"; "Organization Name"; several values of one field
# joined with " ::: " in one cell).
GOOGLE_2023 = (
    "First Name,Middle Name,Last Name,Phonetic First Name,Phonetic Middle Name,"
    "Phonetic Last Name,Name Prefix,Name Suffix,Nickname,File As,Organization Name,"
    "Organization Title,Organization Department,Birthday,Notes,Photo,Labels,"
    "E-mail 1 - Label,E-mail 1 - Value,E-mail 2 - Label,E-mail 2 - Value,"
    "Phone 1 - Label,Phone 1 - Value,Phone 2 - Label,Phone 2 - Value\n"
    "Siobhán,,O'Brien,,,,,,,,Kestrel Energy,Head of Data,,,Met at Data Summit,,"
    "* myContacts ::: Clients,* Work ::: Home,siobhan@kestrel.test ::: s.obrien@home.test,"
    "Other,sob@kestrel.test,Work ::: Mobile,+44 20 7946 0987 ::: +44 7700 900456,,\n"
)


def test_google_contacts_2023_keeps_every_email_and_phone(ok, db, tmp_path):
    r = ok("import", str(write(tmp_path, "contacts.csv", GOOGLE_2023)))
    assert "(google): 1 added" in r.stderr
    assert dms(db)["Siobhán O'Brien"] == (
        "Kestrel Energy", "Head of Data", "+442079460987", "siobhan@kestrel.test", None,
    )  # fmt: skip
    (note,) = db("SELECT text FROM note")
    assert note[0] == (
        "Met at Data Summit\nOther phone: +44 7700 900456\n"
        "Other email: s.obrien@home.test\nOther email: sob@kestrel.test"
    )
    again = ok("import", str(write(tmp_path, "contacts.csv", GOOGLE_2023)))
    assert "0 added as prospects, 0 updated, 1 unchanged" in again.stderr


# Classic Outlook (Windows), File → Open & Export → Import/Export → Export to a file →
# Comma Separated Values: its header (abridged to the columns around those read), a
# note with line breaks (\r\n inside the quoted cell), and a colleague's Exchange
# address, which Outlook writes in X.500 form in "E-mail Address".
OUTLOOK_CLASSIC = (
    '"Title","First Name","Middle Name","Last Name","Suffix","Company","Department",'
    '"Job Title","Business Phone","Business Phone 2","Home Phone","Mobile Phone",'
    '"E-mail Address","E-mail Type","E-mail Display Name","E-mail 2 Address","Notes"\r\n'
    '"Mr.","Seán","","Murphy","","Bolt Ltd","IT","CTO","","","","07700 900321",'
    '"/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/'
    'cn=4f2c1e-sean","EX","Seán Murphy","sean@bolt.test","Prefers mornings.\r\nPA: Jo"\r\n'
)


def test_classic_outlook_with_a_note_on_two_lines_and_an_exchange_address(ok, db, tmp_path):
    r = ok("import", str(write(tmp_path, "outlook.csv", OUTLOOK_CLASSIC, "cp1252")))
    assert "(outlook): 1 added" in r.stderr
    assert dms(db)["Seán Murphy"] == ("Bolt Ltd", "CTO", "+447700900321", "sean@bolt.test", None)
    assert db("SELECT text FROM note") == [("Prefers mornings.\nPA: Jo",)]


# Outlook in German (Datei → Öffnen und exportieren → Importieren/Exportieren → In Datei
# exportieren → Kommagetrennte Werte): the same export, its columns named in German,
# separated by ';' as Excel in a German locale reads it, in Windows-1252.
OUTLOOK_DE = (
    '"Anrede";"Vorname";"Weitere Vornamen";"Nachname";"Suffix";"Firma";"Abteilung";'
    '"Position";"Telefon geschäftlich";"Telefon geschäftlich 2";"Mobiltelefon";'
    '"E-Mail-Adresse";"E-Mail-Typ";"E-Mail: Angezeigter Name";"Notizen"\r\n'
    '"Frau";"Jürgen";"";"Groß";"";"Müller & Söhne GmbH";"IT";"Leiter IT";'
    '"+49 30 901820";"";"";"j.gross@mueller.test";"SMTP";"Jürgen Groß";""\r\n'
)


def test_a_german_outlook_export(ok, db, tmp_path):
    r = ok("import", str(write(tmp_path, "kontakte.csv", OUTLOOK_DE, "cp1252")))
    assert "(outlook): 1 added" in r.stderr
    assert dms(db)["Jürgen Groß"] == (
        "Müller & Söhne GmbH", "Leiter IT", "+4930901820", "j.gross@mueller.test", None,
    )  # fmt: skip


def test_an_excel_workbook_is_read_directly(ok, db, tmp_path):
    """An .xlsx as Excel saves it (Office Open XML; written here with openpyxl, which
    writes the same format): the first sheet, with a phone stored as a number and a
    date cell, both read as text."""
    import datetime as dt

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Name", "Company", "Phone", "Email", "Met on"])
    sheet.append(["Zoë Ward", "Acme", 447700900123, "zoe@acme.test", dt.date(2026, 3, 1)])
    sheet.append(["Łukasz Nowak", "Initech", "+44 113 496 0002", None, None])
    path = tmp_path / "contacts.xlsx"
    book.save(path)
    r = ok("import", str(path))
    assert "2 added as prospects" in r.stderr and "ignored Met on" in r.stderr
    assert dms(db)["Zoë Ward"] == ("Acme", None, "+447700900123", "zoe@acme.test", None)
    assert dms(db)["Łukasz Nowak"][2] == "+441134960002"


def test_linkedins_data_export_zip_gives_its_connections(ok, cli, db, tmp_path):
    """LinkedIn → Settings → Data privacy → Get a copy of your data → Connections: a zip
    (Basic_LinkedInDataExport_MM-DD-YYYY.zip) holding Connections.csv beside other files."""
    import zipfile

    path = tmp_path / "Basic_LinkedInDataExport_12-01-2026.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Profile.csv", "First Name,Last Name\nSam,Taylor\n")
        archive.writestr("Connections.csv", LINKEDIN)
    r = ok("import", str(path))
    assert "(linkedin): 2 added as prospects" in r.stderr
    assert set(dms(db)) == {"Zoë Ward", "Łukasz Nowak"}
    other = tmp_path / "photos.zip"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("a.jpg", b"\xff\xd8\xff\xe0binary")
    r = cli("import", str(other))
    assert (
        r.exit_code == 7 and r.stderr.count("\n") == 1 and "without a Connections.csv" in r.stderr
    )


def test_a_google_contacts_name_filed_as_itself_keeps_its_order(ok, db, tmp_path):
    """李娜 with Last Name 李 and First Name 娜: "File As" says how the name is written;
    First Name + Last Name would give "娜 李"."""
    row = "娜,,李,,,,,,,李娜,Globex,CTO,,,,,,,,,,,,,\n"
    ok("import", str(write(tmp_path, "contacts.csv", GOOGLE_2023.split("\n")[0] + "\n" + row)))
    assert list(dms(db)) == ["李娜"]


def test_a_connection_who_changed_jobs_is_the_same_dm_and_the_move_is_reported(ok, db, tmp_path):
    """Zoë left Acme for Bolt: LinkedIn's profile URL is the same, so she is not a second
    DM; the import names the move and the command to record it, changing nothing itself."""
    ok("import", str(write(tmp_path, "Connections.csv", LINKEDIN)))
    moved = LINKEDIN.replace("zoe@acme.test,Acme,Head of IT", "zoe@bolt.test,Bolt Ltd,CTO")
    r = ok("import", str(write(tmp_path, "again.csv", moved)))
    assert "0 added as prospects" in r.stderr
    assert (
        "Changed jobs? line 5: #1 Zoë Ward (Acme) is at Bolt Ltd as CTO now: to record it, "
        "callplan dm edit 1 --company 'Bolt Ltd' --title CTO" in r.stderr
    )
    assert dms(db)["Zoë Ward"][:2] == ("Acme", "Head of IT")


def test_names_from_their_parts_file_as_and_middle_names(ok, db, tmp_path):
    """Google's File As is the name when it is one in its own order (李娜), not when it
    is a sort key ("Hardy, Tom"); a middle name is kept; a Chinese, Japanese or Korean
    name given in parts is family name first, without a space."""
    text = (
        "First Name,Middle Name,Last Name,File As,Organization Name,E-mail 1 - Value\n"
        'Tom,,Hardy,"Hardy, Tom",Initech,tom@initech.test\n'
        "Mary,Jane,Watson,,Globex,mj@globex.test\n"
        "娜,,李,,Globex,lina@globex.test\n"
        "민준,,김,,Hooli,mk@hooli.test\n"
        "Wei,,Chen,陈伟,Hooli,wei@hooli.test\n"
    )
    r = ok("import", str(write(tmp_path, "google.csv", text)))
    assert "(google): 5 added" in r.stderr
    assert set(dms(db)) == {"Tom Hardy", "Mary Jane Watson", "李娜", "김민준", "陈伟"}


def test_a_mapped_column_comes_before_the_formats_own(ok, db, tmp_path):
    text = (
        "First Name,Last Name,Home Phone,Business Phone,Direct Line\n"
        "Aoife,Kelly,01632 960123,020 7946 0555,020 7946 0999\n"
    )
    ok("import", str(write(tmp_path, "o.csv", text)), "-f", "outlook")
    assert dms(db)["Aoife Kelly"][2] == "+442079460555"  # Business before Home
    db("DELETE FROM note")
    db("DELETE FROM decision_maker")
    ok("import", str(write(tmp_path, "o.csv", text)), "-f", "outlook", "--map", "Direct Line=phone")
    assert dms(db)["Aoife Kelly"][2] == "+442079460999"
