"""Importing real vCard files (issue 16): Android's 2.1 export, Apple and Google 3.0, an
RFC 6350 4.0 card. The files and what each imitates: tests/fixtures/vcard/README.md."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import snapshot

FIXTURES = Path(__file__).parent.parent / "fixtures" / "vcard"
FILES = ["android-2.1.vcf", "apple-contacts-3.0.vcf", "google-contacts-3.0.vcf", "rfc6350-4.0.vcf"]


def people(db):
    rows = db("select name, company, title, phone, email, linkedin from decision_maker order by id")
    return {r[0]: r[1:] for r in rows}


def notes(db):
    return [r[0] for r in db("select text from note order by id")]


def test_android_2_1_quoted_printable_with_soft_line_breaks(ok, db):
    r = ok("import", str(FIXTURES / "android-2.1.vcf"))
    assert "(vcard): 2 added" in r.stderr
    found = people(db)
    assert found["Zoë Ward"] == (
        "Acme", "Head of IT", "+447700900123", "zoe@acme.test",
        "https://www.linkedin.com/in/zoeward",
    )  # fmt: skip
    assert found["Łukasz Wiśniewski-Kowalczyk"] == (
        "Łódź Software", "Dyrektor ds. technologii", "+48601234567", "lukasz@lodz.test", None
    )  # fmt: skip
    assert notes(db) == [
        "Met at London Tech Week — wants a call after Q1 planning, not before the 15th\n"
        "Other phone: 020 7946 0000\nOther email: zoe.ward@mail.test"
    ]


def test_apple_contacts_3_0(ok, db):
    ok("import", str(FIXTURES / "apple-contacts-3.0.vcf"))
    assert people(db) == {
        "Seán O'Brien": (
            "Bolt Recruitment", "Talent Partner", "+353871234567", "sean@bolt.test",
            "https://ie.linkedin.com/in/seanobrien",
        )
    }  # fmt: skip
    assert notes(db) == [
        "Met at the Dublin meetup, prefers mornings.\n"
        "Ask about the Cork office expansion before calling.\n"
        "Other phone: +353 1 234 5678\nOther email: sean.obrien@mail.test"
    ]


def test_google_contacts_3_0_takes_fn_as_the_name(ok, db):
    ok("import", str(FIXTURES / "google-contacts-3.0.vcf"))
    assert people(db) == {
        "李娜": (
            "Globex", "HR Director", "+8613800138000", "li.na@globex.test",
            "https://www.linkedin.com/in/lina",
        )
    }  # fmt: skip


def test_rfc_6350_4_0_sample(ok, db):
    ok("import", str(FIXTURES / "rfc6350-4.0.vcf"))
    assert people(db) == {
        "Simon Perreault": (
            "Viagenie", None, "+14186569254", "simon.perreault@viagenie.ca", None
        )
    }  # fmt: skip


@pytest.mark.parametrize("name", FILES)
def test_importing_the_same_file_again_changes_nothing(store, ok, name):
    first = ok("import", str(FIXTURES / name))
    added = int(first.stderr.split("(vcard): ")[1].split(" added")[0])
    before = snapshot(store)
    r = ok("import", str(FIXTURES / name))
    assert f"0 added as prospects, 0 updated, {added} unchanged, 0 skipped" in r.stderr
    assert snapshot(store) == before


def test_a_value_with_an_unescaped_comma_is_kept_whole(ok, db, tmp_path):
    """vCard 2.1 escapes no commas; vobject's own text values stop at the first one."""
    path = tmp_path / "c.vcf"
    path.write_bytes(
        b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Ann Lee\r\nTITLE:Head of Sales, EMEA\r\n"
        b"ORG:Acme, Inc.\r\nEND:VCARD\r\n"
    )
    ok("import", str(path))
    assert people(db)["Ann Lee"][:2] == ("Acme, Inc.", "Head of Sales, EMEA")


def test_the_first_tel_and_email_are_the_main_ones(ok, db, tmp_path):
    path = tmp_path / "c.vcf"
    path.write_text(
        "BEGIN:VCARD\nVERSION:3.0\nFN:Ann Lee\nTEL:020 7946 0001\nTEL:07700 900999\n"
        "EMAIL:ann@work.test\nEMAIL:ann@home.test\nEND:VCARD\n"
    )
    ok("import", str(path))
    assert people(db)["Ann Lee"][2:4] == ("+442079460001", "ann@work.test")


@pytest.mark.parametrize(
    "data",
    [
        b"BEGIN:VCARD\r\nVERSION:2.1\r\n\x89PNG\x01\xff\xfe binary\r\nEND:VCARD\r\n",
        b"BEGIN:VCARD\r\nN;CHARSET=KLINGON;ENCODING=QUOTED-PRINTABLE:=41\r\nEND:VCARD\r\n",
        b"BEGIN:VCARD\r\nFN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=FF=FE=00\r\nEND:VCARD\r\n",
    ],
    ids=["binary line", "unknown charset", "bytes that aren't the charset"],
)
def test_a_vcard_callplan_cant_read_is_one_line_and_writes_nothing(store, cli, tmp_path, data):
    path = tmp_path / "c.vcf"
    path.write_bytes(data)
    before = snapshot(store)
    r = cli("import", str(path))
    assert r.exit_code == 7, r.stderr
    last = r.stderr.splitlines()[-1]
    assert last.startswith("Error: This is not a vCard file the import can read (line ")
    assert r.stderr.count("Error:") == 1 and not {"\x00", "\x89", "\ufffd"} & set(r.stderr)
    assert snapshot(store) == before


def test_vobject_is_not_loaded_at_start_up():
    from tests.store.test_db import modules_after

    assert "vobject" not in modules_after(["--help"], ["--version"], ["import", "--help"])


def test_quoted_printable_in_another_charset(ok, db, tmp_path):
    """Older phones (Nokia, Sony Ericsson) wrote vCard 2.1 in ISO-8859-1: Se=E1n."""
    path = tmp_path / "c.vcf"
    path.write_bytes(
        b"BEGIN:VCARD\r\nVERSION:2.1\r\n"
        b"N;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:O'Brien;Se=E1n\r\n"
        b"FN;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:Se=E1n O'Brien\r\nEND:VCARD\r\n"
    )
    ok("import", str(path))
    assert list(people(db)) == ["Seán O'Brien"]
