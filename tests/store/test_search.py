"""The cockpit's search (queries.dms.search): anyone by name, company, a note's words
(its text or a field) or a call's summary, any case, each once, the best way found first;
a '%' or '_' typed is a character, not a wildcard."""

from __future__ import annotations

import pytest

from callplan.store import queries
from callplan.store.db import make_engine, session


@pytest.fixture
def desk(ok):
    ok("dm", "add", "Jane Smith", "--company", "Javelin Ltd")
    ok("dm", "add", "Javed Khan", "--company", "Acme")
    ok("dm", "add", "Carol White", "--company", "Cog")
    ok("dm", "add", "Dan Ross", "--company", "100% Staffing")
    ok("dm", "add", "Eve Hart", "--company", "Bolt")
    ok("log", "carol", "-c", "callback", "--plans", "Two JAVA hires in spring")
    ok("log", "eve", "-c", "callback", "-s", "Uses java contractors")
    ok("note", "dan", "Prefers email")
    return ok


@pytest.fixture
def found(desk, store):
    def search(text: str) -> list[tuple[str, str]]:
        engine = make_engine(store.url)
        try:
            with session(engine) as s:
                return [(dm.name, where) for dm, where in queries.dms.search(s, text=text)]
        finally:
            engine.dispose()

    return search


def test_names_first_then_companies_then_notes_then_calls(found):
    assert found("jav") == [
        ("Javed Khan", "name"),
        ("Jane Smith", "company"),
        ("Carol White", "note"),
        ("Eve Hart", "call"),
    ]


def test_each_person_once_and_wildcards_are_characters(found):
    assert found("100%") == [("Dan Ross", "company")]
    assert found("_") == []
    assert found("email") == [("Dan Ross", "note")]
    assert found("  ") == []


def test_a_letter_finds_names_only(found):
    assert found("j") == []  # too short for a name's prefix, and for the rest
    assert found("ja") == [("Jane Smith", "name"), ("Javed Khan", "name")]
