"""Phone numbers as the import and `dm add`/`dm edit` store them: E.164 with the
extension kept (+12125550100;ext=7), a number's own country code kept, a number without
one read for the desk's country (CALLPLAN_COUNTRY is GB-ENG here), and a number that
can't be placed kept as typed and reported."""

from __future__ import annotations

import pytest

PHONES = (
    "Name,Company,Phone\n"
    "Ann Ext,Acme,020 7946 0000 ext 12\n"
    "Bob York,Globex,+1 (212) 555-0100 ext 7\n"
    "Cat Zero,Initech,001 212 555 0199\n"
    "Dan Paris,Hooli,00 33 1 42 68 53 00\n"
    "Eve Nyc,Umbrella,(212) 555-0100 ext 7\n"
)


def phones(db):
    return dict(db("select name, phone from decision_maker"))


def test_import_keeps_extensions_and_country_codes(ok, db, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text(PHONES)
    r = ok("import", str(path))
    assert phones(db) == {
        "Ann Ext": "+442079460000;ext=12",
        "Bob York": "+12125550100;ext=7",
        "Cat Zero": "+12125550199",
        "Dan Paris": "+33142685300",
        # A US number without its +1 is no UK number: kept as typed, not made +44...
        "Eve Nyc": "(212) 555-0100 ext 7",
    }
    assert "Phone number not recognised, line 6: Eve Nyc: '(212) 555-0100 ext 7'" in r.stderr
    assert "1 phone number kept as typed" in r.stderr
    shown = ok("dm", "list").stdout
    assert "020 7946 0000 ext. 12" in shown and "+1 212-555-0100 ext. 7" in shown


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("020 7946 0000", "+442079460000"),
        ("+1 212 555 0100 ext 7", "+12125550100;ext=7"),
        ("00 33 1 42 68 53 00", "+33142685300"),
    ],
)
def test_dm_add_and_edit_store_the_number_as_the_import_does(ok, db, typed, stored):
    r = ok("dm", "add", "Jane Smith", "--phone", typed)
    assert phones(db) == {"Jane Smith": stored} and "kept as typed" not in r.stderr
    ok("dm", "edit", "jane", "--phone", "")
    assert phones(db) == {"Jane Smith": None}
    r = ok("dm", "edit", "jane", "--phone", typed)
    assert phones(db) == {"Jane Smith": stored} and "kept as typed" not in r.stderr


def test_dm_add_and_edit_keep_a_number_they_cant_place_with_a_warning(ok, db):
    r = ok("dm", "add", "Jane Smith", "--phone", "(212) 555-0100 ext 7")
    assert phones(db) == {"Jane Smith": "(212) 555-0100 ext 7"}
    warning = [line for line in r.stderr.splitlines() if "kept as typed" in line]
    assert warning == [
        "Phone number not recognised: '(212) 555-0100 ext 7' kept as typed (give its country "
        "code, e.g. +1 212 555 0100, if it is another country's)."
    ]
    r = ok("dm", "edit", "jane", "--phone", "ask reception")
    assert phones(db) == {"Jane Smith": "ask reception"}
    assert "Updated #1 Jane Smith: phone." in r.stdout + r.stderr
    assert "'ask reception' kept as typed" in r.stderr


def test_a_number_the_import_placed_is_the_same_number_dm_add_placed(ok, db, tmp_path):
    """Dedup by name and number still works: both sides are stored in one form."""
    ok("dm", "add", "Jane Smith", "--company", "Acme", "--phone", "+1 212 555 0100 x7")
    path = tmp_path / "c.csv"
    path.write_text("Name,Company,Phone,Email\nJane Smith,,001 212 555 0100 ext 7,j@x.test\n")
    r = ok("import", str(path))
    assert "(same name and number)" in r.stderr
    assert phones(db) == {"Jane Smith": "+12125550100;ext=7"}
