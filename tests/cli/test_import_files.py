"""Importing the contact files recruiters really have (issue 16): LinkedIn's
Connections.csv (and its .zip), Google's CSV, Outlook's (desktop in English and German,
Outlook.com), HubSpot's, a European Excel CSV (and the same sheet as .xlsx) and Excel's
"Unicode text". Each DM is checked field by field, then the file is imported again and
changes nothing. The files and what each imitates: tests/fixtures/contacts/README.md.

A DM a known defect of the reading gets wrong is marked ``xfail`` with the defect: their
other fields are still checked (a failure there is a real failure: ``raises`` is only
``KnownDefect``), and the mark fails the suite once the defect is fixed (``strict``)."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest

from tests.conftest import snapshot

FIXTURES = Path(__file__).parent.parent / "fixtures" / "contacts"
FIELDS = ("company", "title", "phone", "email", "linkedin", "note")
LINKEDIN = "https://www.linkedin.com/in/"


class KnownDefect(Exception):
    """A field a known defect of the reading gets wrong (see DEFECTS)."""


def dm(company, title, phone, email, linkedin=None, note=None):
    return dict(zip(FIELDS, (company, title, phone, email, linkedin, note), strict=True))


# file -> (the format import reports, what it says of the encoding, its DMs by name)
FILES: dict[str, tuple[str, str | None, dict[str, dict[str, str | None]]]] = {
    "linkedin-Connections.csv": (
        "linkedin",
        None,
        {
            "Zoë Ward": dm("Acme", "Head of IT", None, "zoe@acme.test", LINKEDIN + "zoeward"),
            "Łukasz Wiśniewski": dm(
                "Łódź Software, S.A.", "CTO", None, None, LINKEDIN + "lukasz-wisniewski-4b1a2c"
            ),
            "Seán O'Brien": dm(
                "Bolt Recruitment", "Talent Partner, EMEA", None, None, LINKEDIN + "seanobrien"
            ),
        },
    ),
    "google-contacts.csv": (
        "google",
        None,
        {
            "李娜": dm(
                "Globex",
                "HR Director",
                "+8613800138000",
                "li.na@globex.test",
                LINKEDIN + "lina",
                "Other email: lina@mail.test",
            ),
            "Tom Hardy": dm(
                "Initech",
                "Chief Technology Officer",
                "+442079460000;ext=12",
                "tom@initech.test",
                None,
                "Met at the CTO breakfast.\nCall after the board meeting.\n"
                "Other phone: 07700 900123\nOther phone: 07700 900456\n"
                "Other email: tom.hardy@mail.test",
            ),
        },
    ),
    "outlook-desktop-en.csv": (
        "outlook",
        "Windows-1252",
        {
            "Seán O'Brien": dm(
                "Bolt Recruitment",
                "Talent Partner",
                "+35312345678",
                "sean@bolt.test",
                None,
                "Met at the Dublin meetup.\nPrefers mornings.\nOther phone: +353 87 123 4567",
            ),
            # Her X.500 Exchange address is passed over for her SMTP one.
            "Priya Rao": dm(
                "Umbrella Corp",
                "VP, Talent Acquisition",
                "+12125550100;ext=7",
                "priya.rao@umbrella.test",
            ),
        },
    ),
    "outlook-desktop-de.csv": (
        "outlook",
        "Windows-1252",
        {
            "Jürgen Groß": dm(
                "Müller & Söhne GmbH",
                "Leiter Einkauf",
                "+493012345678",
                "j.gross@mueller-soehne.test",
                None,
                "Rückruf nach der Messe.\nBevorzugt Anrufe am Vormittag.\n"
                "Other phone: +49 171 2345678",
            ),
            "Anke Schäfer": dm(
                "Globex Deutschland",
                "Personalleiterin",
                "+49891234567",
                "anke.schaefer@globex.test",
            ),
            "Zoë Becker": dm(
                "Hooli GmbH",
                "CTO",
                "+49401234560",
                "zoe.becker@hooli.test",
                None,
                "Other phone: +49 151 23456789",
            ),
        },
    ),
    "outlook-com.csv": (
        "outlook",
        None,
        {
            # Mobile before Primary: docs/import.md's order (Business, then Mobile, Home
            # and Primary in the file's order).
            "Łukasz Nowak": dm(
                "Initech Polska",
                "Head of Platform",
                "+48601234567",
                "lukasz@initech.test",
                None,
                "Other phone: +48 22 123 45 67",
            ),
            "Dan Hughes": dm(
                "Northwind",
                "Operations Director",
                "+441614960000",
                "dan.hughes@northwind.test",
                None,
                "Switchboard only; ask for Dan.",
            ),
            "Aoife Kelly": dm(
                "Contoso",
                "Head of Data",
                "+442079460555",
                "aoife@contoso.test",
                None,
                "Other phone: 01632 960123",
            ),
        },
    ),
    "hubspot-contacts.csv": (
        "csv",
        None,
        {
            "Zoë O'Brien": dm(
                "Hooli", "VP Engineering", "+442079460321;ext=204", "zoe.obrien@hooli.test"
            ),
            "Mark Ellis": dm(
                "Oakridge Retail", "IT Director", "+441154960321", "mark@oakridge.test"
            ),
        },
    ),
    "excel-semicolon-cp1252.csv": (
        "csv",
        "Windows-1252",
        {
            "Zoë Dubois": dm(
                "Société Générale",
                "Directrice RH",
                "+33142142000",
                "zoe.dubois@sg.test",
                None,
                "Rappeler après le 15; préfère l'anglais",
            ),
            "Seán Murphy": dm(
                "Kerry Foods", "Head of Supply Chain", "+353667123456", "sean.murphy@kerry.test"
            ),
            "René Müller": dm(
                "Müller & Cie", "Geschäftsführer", "+41446681800", None, None, 'Sagt "Grüezi"'
            ),
        },
    ),
    "excel-unicode-text.txt": (
        "csv",
        "UTF-16",
        {
            "Łukasz Wiśniewski": dm(
                "Łódź Software", "CTO", "+48421234567;ext=12", "lukasz@lodz.test"
            ),
            "田中由紀": dm("ソニー", "部長", "+81312345678", "yuki.tanaka@sony.test"),
            "Priya Shah": dm(
                "Northwind, Canada", "CFO", "+14165550199;ext=22", "priya@northwind.test"
            ),
        },
    ),
}
# Built at run time from a fixture (see the README): the same people, another container.
BUILT = {
    "linkedin-export.zip": "linkedin-Connections.csv",
    "excel-workbook.xlsx": "excel-semicolon-cp1252.csv",
}
BUILT_FORMAT = {"linkedin-export.zip": ("linkedin", None), "excel-workbook.xlsx": ("csv", None)}

# (file, DM) -> (the fields a known defect of the reading gets wrong, the defect: where
# it is and what goes wrong). A fix makes the DM's case pass: then drop its entry.
DEFECTS: dict[tuple[str, str], tuple[set[str], str]] = {}


def source(name: str, tmp_path: Path) -> Path:
    """The file to import: a fixture, or a .zip or .xlsx built from one."""
    if name not in BUILT:
        return FIXTURES / name
    data = (FIXTURES / BUILT[name]).read_bytes()
    path = tmp_path / name
    if name.endswith(".zip"):  # LinkedIn's archive: Connections.csv among the other files
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("Profile.csv", "First Name,Last Name,Headline\nSam,Taylor,Recruiter\n")
            archive.writestr("Connections.csv", data)
            archive.writestr("messages.csv", "CONVERSATION ID,FROM,TO,DATE,CONTENT\n")
        return path
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in csv.reader(io.StringIO(data.decode("cp1252")), delimiter=";"):
        sheet.append(row)
    book.save(path)
    return path


def expected(name: str) -> tuple[str, str | None, dict[str, dict[str, str | None]]]:
    if name in BUILT:
        return (*BUILT_FORMAT[name], FILES[BUILT[name]][2])
    return FILES[name]


ALL = [*FILES, *BUILT]


def dm_cases():
    for name in ALL:
        for person in expected(name)[2]:
            defect = DEFECTS.get((BUILT.get(name, name), person))
            marks = (
                [pytest.mark.xfail(strict=True, raises=KnownDefect, reason=defect[1])]
                if defect
                else []
            )
            yield pytest.param(name, person, marks=marks, id=f"{name}:{person}")


def stored(db) -> dict[str, dict[str, object]]:
    rows = db(
        "select d.name, d.company, d.title, d.phone, d.email, d.linkedin, n.text "
        "from decision_maker d left join note n on n.dm_id = d.id order by d.id, n.id"
    )
    found: dict[str, dict[str, object]] = {}
    for name, *values in rows:
        assert name not in found, f"{name} has more than one note, or is there twice"
        found[str(name)] = dict(zip(FIELDS, values, strict=True))
    return found


@pytest.mark.parametrize("name", ALL)
def test_each_file_is_recognised_and_adds_its_people(ok, db, tmp_path, name):
    fmt, encoding, people = expected(name)
    path = source(name, tmp_path)
    r = ok("import", str(path))
    assert f"({fmt}): {len(people)} added as prospects, 0 updated, 0 skipped" in r.stderr
    if encoding:
        assert f"{path} is not UTF-8: read as {encoding}." in r.stderr
    else:
        assert "not UTF-8" not in r.stderr
    assert "Phone number not recognised" not in r.stderr
    assert set(stored(db)) == set(people)
    prospects = db("select count(*) from decision_maker where conversation_count = 0")
    assert prospects == [(len(people),)]


@pytest.mark.parametrize(("name", "person"), list(dm_cases()))
def test_each_dm_field_by_field(ok, db, tmp_path, name, person):
    ok("import", str(source(name, tmp_path)))
    want = expected(name)[2][person]
    got = stored(db)[person]
    wrong, reason = DEFECTS.get((BUILT.get(name, name), person), (set(), ""))
    for field in FIELDS:
        if field not in wrong:
            assert got[field] == want[field], field
    if any(got[field] != want[field] for field in wrong):
        shown = {f: (want[f], got[f]) for f in sorted(wrong)}
        raise KnownDefect(f"{reason}: (expected, got) {shown}")


@pytest.mark.parametrize("name", ALL)
def test_importing_the_same_file_again_changes_nothing(store, ok, tmp_path, name):
    path = source(name, tmp_path)
    ok("import", str(path))
    before = snapshot(store)
    r = ok("import", str(path))
    rows = len(expected(name)[2])
    assert f"0 added as prospects, 0 updated, {rows} unchanged, 0 skipped" in r.stderr
    assert "Merged" not in r.stderr and "Possible duplicate" not in r.stderr
    assert snapshot(store) == before


def test_a_binary_file_is_refused_in_one_line_without_its_bytes(store, cli, tmp_path):
    path = tmp_path / "binary.csv"
    path.write_bytes(bytes(range(256)) * 4)
    before = snapshot(store)
    r = cli("import", str(path))
    assert r.exit_code != 0
    assert snapshot(store) == before
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    shown = {c for c in r.stderr if c == "\ufffd" or (ord(c) < 32 and c != "\n")}
    assert len(lines) == 1 and lines[0].startswith("Error: "), r.stderr
    assert not shown, sorted(shown)
