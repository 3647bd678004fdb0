"""Renaming a recruiter (issue 15): every place the store names them, in one go."""

from __future__ import annotations

import pytest

from callplan.errors import UsageError
from callplan.store import queries
from callplan.store.db import session
from tests.conftest import snapshot


def test_a_rename_to_a_name_already_taken_writes_nothing(ok, store):
    ok("dm", "add", "Ann Ash")
    ok("--as", "root", "log", "ann", "-a", "meeting")
    ok("--as", "Sám", "note", "ann", "Prefers email")
    before = snapshot(store)
    with (
        pytest.raises(UsageError, match="Sám already works this store"),
        session(store.engine(), write=True) as s,
    ):
        queries.recruiters.rename(s, old="root", new="sam")
    assert snapshot(store) == before


def test_a_rename_changes_only_that_recruiter(ok, store, db):
    ok("dm", "add", "Ann Ash")
    ok("--as", "root", "log", "ann", "-a", "meeting")
    ok("--as", "Kim", "note", "ann", "Prefers email")
    with session(store.engine(), write=True) as s:
        renamed = queries.recruiters.rename(s, old="ROOT", new="Sam")
    assert (renamed.old, renamed.new, renamed.calls, renamed.dms, renamed.notes) == (
        "root",
        "Sam",
        1,
        1,
        0,
    )
    assert db("SELECT key, name FROM recruiter ORDER BY key") == [("kim", "Kim"), ("sam", "Sam")]
    assert db("SELECT recruiter FROM note") == [("Kim",)]
    assert db("SELECT recruiter FROM call") == [("Sam",)]


def test_a_rename_reaches_what_undo_puts_back(ok, store, db):
    """A DM root owned before a call: after the rename, undoing that call gives them back
    to Sam, not to a name nobody has any more."""
    ok("dm", "add", "Ann Ash")
    ok("--as", "root", "log", "ann", "-a", "meeting")
    ok("--as", "root", "log", "ann", "-c", "callback")
    with session(store.engine(), write=True) as s:
        queries.recruiters.rename(s, old="root", new="Sam")
    assert db("SELECT owner FROM call_before ORDER BY call_id") == [(None,), ("Sam",)]
    ok("--as", "Sam", "undo", "--yes")
    assert db("SELECT owner FROM decision_maker") == [("Sam",)]
