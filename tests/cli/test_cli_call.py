"""Correcting calls at the command line: undo, call list, call edit, call delete."""

from __future__ import annotations

import pytest

from tests.conftest import snapshot


@pytest.fixture
def jane(ok):
    ok("dm", "add", "Jane Smith", "--company", "Acme", "--phone", "020 7946 0000")


def shown(ok, ref="jane"):
    return ok("dm", "show", ref, "--json").json


def test_undo_asks_off_a_terminal_for_yes_and_writes_nothing(cli, ok, jane, store):
    ok("log", "jane", "-c", "callback", "-s", "Call back Thursday")
    before = snapshot(store)
    r = cli("undo")
    assert r.exit_code == 2
    assert r.stderr.count("\n") == 1 and "add --yes" in r.stderr
    assert "Call #1 continuation (callback) with Jane Smith, Acme, today" in r.stderr
    assert snapshot(store) == before


def test_undo_at_a_terminal_shows_what_goes_and_asks(cli, ok, jane, monkeypatch):
    monkeypatch.setattr("callplan.cli.options.interactive", lambda: True)
    ok("log", "jane", "-c", "callback", "-r", "Bob Jones, CTO")
    r = cli("undo", input="n\n")
    assert r.exit_code == 1 and "It added Bob Jones (#2): kept, unless --with-referrals." in (
        r.stderr
    )
    assert shown(ok)["dm"]["conversations"] == 1
    r = ok("undo", input="y\n")
    assert "Took back call #1 continuation (callback) with Jane Smith, Acme, today." in r.stdout
    assert "Jane Smith: 0 conversations, a new DM again." in r.stdout
    assert "Kept the people it added: Bob Jones (#2). Not to be called? callplan dm archive 2." in (
        r.stderr
    )
    assert shown(ok)["calls"] == []


def test_undo_with_nothing_logged_says_so(cli, jane):
    r = cli("undo", "--yes")
    assert (
        r.exit_code == 2
        and r.stderr == "Error: Nothing to undo: you haven't logged a call or a note.\n"
    )


def test_undo_after_a_restart_puts_the_diary_back(ok, jane):
    """Each command is a fresh process's worth of state: undo reads what log stored."""
    ok("log", "jane", "-c", "callback", "--next", "2026-11-26")
    ok("log", "jane", "-a", "cv-review", "--on", "2026-11-23", "--again")
    assert shown(ok)["dm"]["due_reason"] == "cv-review"
    ok("undo", "--yes")
    after = shown(ok)["dm"]
    assert (after["due_on"], after["due_reason"], after["conversations"]) == (
        "2026-11-26",
        "callback",
        1,
    )
    ok("db", "check")  # the counts match the calls


def test_call_list_and_dm_show_give_each_call_its_id(ok, jane):
    ok("log", "jane", "-n", "voicemail", "--on", "2026-11-20")
    ok("log", "jane", "-c", "callback", "-s", "Spoke")
    listed = ok("call", "list", "jane").stdout
    assert "#2" in listed and "#1" in listed and "callback (1st)" in listed
    assert "#2" in ok("dm", "show", "jane").stdout
    data = ok("call", "list", "jane", "--json").json
    assert data["dm"] == {"id": 1, "name": "Jane Smith", "company": "Acme"}
    assert [c["id"] for c in data["calls"]] == [2, 1]


def test_call_edit_corrects_the_outcome_and_diarises_by_it(ok, jane):
    ok("log", "jane", "-c", "callback", "-s", "Spoke")
    r = ok("call", "edit", "1", "-a", "cv-review")
    assert "Corrected call #1 advance (cv-review) with Jane Smith, Acme, today" in r.stdout
    data = shown(ok)
    assert data["calls"][0]["outcome"] == "cv-review"
    assert data["dm"]["due_reason"] == "cv-review" and data["dm"]["due_on"] == "2026-11-25"


def test_call_edit_clears_a_summary_and_needs_something_to_change(cli, ok, jane, store):
    ok("log", "jane", "-c", "callback", "-s", "Wrong person's note")
    ok("call", "edit", "1", "--summary", "")
    assert shown(ok)["calls"][0]["summary"] is None
    before = snapshot(store)
    r = cli("call", "edit", "1")
    assert r.exit_code == 2 and "Say what to correct" in r.stderr
    r = cli("call", "edit", "1", "--on", "2026-11-24")
    assert r.exit_code == 2 and "in the future" in r.stderr
    assert snapshot(store) == before


@pytest.mark.parametrize("command", [("edit", "9", "-s", "x"), ("delete", "9", "--yes")])
def test_an_unknown_call_is_exit_3(cli, jane, command):
    r = cli("call", *command)
    assert r.exit_code == 3
    assert r.stderr == "Error: No call has id 9. See 'callplan call list DM'.\n"


def test_call_delete_renumbers_and_can_take_the_referrals(ok, jane):
    ok("log", "jane", "-c", "callback", "--on", "2026-11-20", "-r", "Bob Jones")
    ok("log", "jane", "-a", "cv-review")
    r = ok("call", "delete", "1", "--yes", "--with-referrals")
    assert "Removed the people it added: Bob Jones (#2)." in r.stderr
    data = shown(ok)
    assert [c["conversation_number"] for c in data["calls"]] == [1]
    assert data["dm"]["conversations"] == 1 and data["dm"]["due_reason"] == "cv-review"
    assert ok("dm", "list", "--json").json["count"] == 1


def test_correcting_a_colleagues_call_says_whose_it_was(cli, ok, jane):
    ok("--as", "Kim", "log", "jane", "-c", "callback")
    ok("--as", "Kim", "log", "jane", "-a", "cv-review", "--again")
    r = ok("call", "edit", "2", "-s", "CVs sent")
    assert "Call #2 is Kim's: tell them you corrected it." in r.stderr
    r = ok("call", "delete", "2", "--yes")
    assert "It was Kim's call: tell them you deleted it." in r.stderr
    r = cli("undo", "--yes")  # undo takes back only your own
    assert r.exit_code == 2 and "Nothing to undo" in r.stderr


def test_the_note_written_with_a_call_goes_with_it_and_a_note_alone_is_undone_alone(ok, jane):
    ok("log", "jane", "-c", "callback", "--competitor", "Hays")
    ok("note", "jane", "Prefers calls before 9am")
    r = ok("undo", "--yes")
    assert r.stdout.startswith(
        'Took back the note on Jane Smith, today: "Prefers calls before 9am"'
    )
    assert shown(ok)["picture"]["competitor"]["value"] == "Hays"  # the call's note stays
    r = ok("undo", "--yes")
    assert "Its note went too." in r.stderr
    data = shown(ok)
    assert data["notes"] == [] and data["picture"] == {} and data["calls"] == []
