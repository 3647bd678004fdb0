"""Notes, referrals, hooks, the brief and the guided session through the CLI."""

from __future__ import annotations

import inspect

import pytest

from tests.conftest import snapshot


@pytest.fixture
def jane(ok):
    ok("dm", "add", "Jane Smith", "--company", "Acme", "--tag", "sharepoint")


def show(ok, ref="jane"):
    return ok("dm", "show", ref, "--json").json


def test_note_fields_with_a_call_and_without_make_the_current_picture(ok, jane):
    r = ok("log", "jane", "-a", "cv-review", "--on", "2026-11-10", "--competitor", "Hays",
           "--likes", "fast shortlists", "--toughest-role", "SharePoint developers",
           "--interest", "WARM")  # fmt: skip
    assert (
        "Noted: agency they use, what they like about it, toughest role to fill, interest."
        in r.stdout
    )
    r = ok("note", "jane", "Moving to Reed", "--competitor", "Reed", "--on", "2026-11-20")
    assert "Noted for #1 Jane Smith: text, agency they use." in r.stdout
    data = show(ok)
    assert data["picture"]["competitor"] == {"value": "Reed", "noted_on": "2026-11-20"}
    assert data["picture"]["toughest_role"]["noted_on"] == "2026-11-10"
    assert data["picture"]["interest"]["value"] == "warm"
    # The history keeps every note; the one written with log belongs to that call.
    assert [n["competitor"] for n in data["notes"]] == ["Reed", "Hays"]
    assert data["notes"][1]["call_id"] == data["calls"][0]["id"]
    table = ok("dm", "show", "jane").stdout
    assert table.index("Current picture") < table.index("Calls (1")


def test_log_and_note_take_every_note_field_gathered_in_one_object():
    from dataclasses import fields

    from callplan.cli.log import log
    from callplan.cli.note import note
    from callplan.cli.options import NoteOptions
    from callplan.core.notes import FIELD_NAMES

    assert tuple(f.name for f in fields(NoteOptions)) == FIELD_NAMES
    for command in (log, note):
        assert set(FIELD_NAMES) <= set(inspect.signature(command).parameters)
    typed = NoteOptions(competitor_likes="  fast \n shortlists ", interest=" HOT", plans="")
    assert typed.fields() == dict.fromkeys(FIELD_NAMES) | {
        "competitor_likes": "fast shortlists",
        "interest": "hot",
    }


def test_bad_notes_write_nothing(store, cli, jane, env):
    before = snapshot(store)
    for args, needle in [
        (("note", "jane"), "The note is empty"),
        (("note", "jane", "--interest", "lukewarm"), "Interest"),
        (("log", "jane", "-n", "no-answer", "--plans", "x"), "go with a conversation"),
        (("log", "jane", "-c", "callback", "--referral", ", CTO"), "needs a name"),
        (("log", "jane", "-c", "callback", "--hook", "job:9"), "No job has id 9"),
    ]:
        r = cli(*args)
        assert r.exit_code != 0 and needle in r.stderr, (args, r.stderr)
        assert len(r.stderr.strip().splitlines()) == 1
    assert snapshot(store) == before


def test_referrals_become_prospects_called_before_cold_ones(ok, jane):
    ok("dm", "add", "Cold Carl", "--phone", "0113 496 0001")
    r = ok(
        "log",
        "jane",
        "-c",
        "callback",
        "--referral",
        "Tom Hardy, Head of Data, 020 7946 0111",
        "-r",
        "Ann Lee, CFO, Globex",
    )
    assert "Added #3 Tom Hardy (Acme) as a prospect, referred by Jane Smith." in r.stdout
    tom = show(ok, "tom")["dm"]
    assert (tom["title"], tom["company"], tom["phone"]) == ("Head of Data", "Acme", "020 7946 0111")
    assert show(ok, "ann lee")["dm"]["company"] == "Globex"
    assert [d["name"] for d in show(ok)["referred"]] == ["Tom Hardy", "Ann Lee"]
    plan = ok("today", "--json", env={"CALLPLAN_TODAY": "2026-11-24"}).json
    # Ann came without a number: she waits for one, and cold Carl takes the second slot.
    assert [d["name"] for d in plan["new"]] == ["Tom Hardy", "Cold Carl"]
    assert plan["need_number"] == 1
    brief = ok("brief", "tom", "--json").json
    assert brief["referred_by"] == "Jane Smith"
    assert brief["opening"].startswith("Jane Smith suggested")


@pytest.fixture
def hooks(ok):
    ok("job", "add", "Senior SharePoint Developer", "--company", "Initech", "--tag", "SharePoint")
    ok("job", "add", "Test Lead", "--company", "Acme", "--tag", "tester")
    ok("candidate", "add", "Priya Rao", "--headline", "SharePoint architect", "--tag", "sharepoint")


def test_hooks_match_tags_and_notes_but_not_own_company_or_presented(ok, jane, hooks):
    ok("note", "jane", "--plans", "Hiring testers in Q1")
    found = ok("hooks", "jane", "--json").json["hooks"]
    # Test Lead is at Acme; a candidate before a job
    assert [h["ref"] for h in found] == ["candidate:1", "job:1"]
    ok("log", "jane", "-c", "callback", "--hook", "candidate:1")
    assert show(ok)["calls"][0]["hooks"] == ["candidate:1"]
    found = ok("hooks", "jane", "--json").json["hooks"]
    assert [h["ref"] for h in found] == ["job:1"]  # Priya has been presented to Jane
    ok("job", "close", "1")
    assert ok("hooks", "jane", "--json").json["hooks"] == []
    assert ok("job", "list", "--json").json["count"] == 1
    assert ok("job", "list", "--all", "--json").json["count"] == 2


def test_today_shows_the_best_hook_and_puts_matching_prospects_first(ok, hooks):
    ok("dm", "add", "Old Cold", "--phone", "0113 496 0002")
    ok("dm", "add", "Older Cold", "--phone", "0113 496 0003")
    ok("dm", "add", "Sharp Sam", "--tag", "sharepoint", "--phone", "0113 496 0004")
    plan = ok("today", "--json").json
    assert [d["name"] for d in plan["new"]] == ["Sharp Sam", "Old Cold"]
    assert plan["new"][0]["hook"]["ref"] == "candidate:1"  # a candidate before a job
    assert plan["new"][1]["hook"] is None
    assert "Hook: Priya Rao" in ok("today", env={"COLUMNS": "120"}).stdout


def test_the_sweep_reviews_contacts_who_fit_an_open_hook(ok, jane, hooks):
    ok("log", "jane", "-c", "rejection")  # next call in 90 days: not due this month
    review = ok("sweep", "--json").json["review"]
    assert [(r["name"], r["why"]) for r in review] == [("Jane Smith", "hook")]
    assert review[0]["hook"]["ref"] == "candidate:1"


def test_the_brief_of_a_dm_with_rich_notes(ok, jane, hooks):
    ok(
        "log",
        "jane",
        "-a",
        "cv-review",
        "--on",
        "2026-11-19",
        "-s",
        "Sent 2 CVs",
        "--toughest-role",
        "SharePoint developers",
        "--liked",
        "the technical testing we offer",
    )
    b = ok("brief", "jane", "--json").json
    assert b["conversation_number"] == 2 and b["last_outcome"] == "cv-review"
    assert b["open_loops"] == [
        {
            "kind": "cv-review",
            "opened_on": "2026-11-19",
            "age_days": 4,
            "chases": 0,
            "text": "CVs sent on Thu 19 Nov are waiting for feedback.",
        }
    ]
    assert b["opening"].startswith(
        "The reason for my call is we spoke last Thursday and you mentioned you had struggled "
        "to find SharePoint developers and were particularly interested in the technical "
        "testing we offer."
    )
    assert b["hooks"][0]["ref"] == "candidate:1"  # Priya, for the toughest role
    out = ok("brief", "jane").stdout
    assert len(out.splitlines()) <= 24 and all(len(x) <= 80 for x in out.splitlines())


def test_the_brief_with_no_notes_says_what_to_ask(ok, jane):
    assert ok("brief", "jane", "--json").json["ask"].startswith("No notes yet. Ask this time")


def test_a_scripted_session_logs_three_calls_skips_one_and_quits(ok):
    for name in ("Ann A", "Bob B", "Cat C", "Dan D", "Fay F"):
        ok("dm", "add", name, "--phone", "0113 496 0005")
    for name in ("cat", "dan", "fay"):
        ok("log", name, "-c", "callback", "--next", "today", "--on", "2026-11-20")
    # The plan: new Ann and Bob; due Cat, Dan and Fay.
    script = [
        # Ann: an advance (live requirement), notes, a referral, the default next date.
        *["a", "1", "Needs a data engineer", "", "Hays", "", "Data engineers", "", "hot"],
        *["Eve E, CTO, Initech, 020 7946 0111", "", "", ""],
        # Eve, just referred (with a number), takes the second new-DM slot: skipped.
        "s",
        # Cat: a callback, no notes, interest typed wrong then right, next call Friday.
        *["c", "callback", "Call Friday", "", "", "", "", "", "lukewarm", "warm", "", "fri", ""],
        # Dan: no answer, default retry, no purpose.
        *["n", "1", "", "", ""],
        # Fay: quit.
        "q",
    ]
    r = ok("go", input="\n".join(script) + "\n")
    assert "Session over: 3 calls logged; 2 still to call today." in r.stdout
    ann = show(ok, "ann")
    assert ann["calls"][0]["outcome"] == "live-requirement"
    assert ann["calls"][0]["summary"] == "Needs a data engineer"
    assert ann["picture"]["competitor"]["value"] == "Hays"
    assert ann["picture"]["toughest_role"]["value"] == "Data engineers"
    assert ann["picture"]["interest"]["value"] == "hot"
    assert ann["dm"]["due_on"] == "2026-11-25"
    assert [d["name"] for d in ann["referred"]] == ["Eve E"]
    eve = show(ok, "eve")
    assert eve["calls"] == [] and eve["dm"]["company"] == "Initech"
    cat = show(ok, "cat")
    assert cat["dm"]["due_on"] == "2026-11-27" and cat["picture"]["interest"]["value"] == "warm"
    assert show(ok, "dan")["calls"][0]["outcome"] == "no-answer"
    assert len(show(ok, "fay")["calls"]) == 1  # only the earlier call
    # A second run picks up where the day stands: Eve and Fay are still to call.
    again = ok("go", input="q\n")
    assert "#6 Eve E" in again.stdout
    assert "Session over: 0 calls logged; 2 still to call today." in again.stdout


def test_go_asks_again_for_a_digit_that_is_no_number(ok):
    # '²' is a digit to str.isdigit() but int() refuses it: this ended in exit 70.
    ok("dm", "add", "Ann A", "--phone", "0113 496 0006")
    r = ok("go", input="\n".join(["n", "²", "1", "", "", "q"]) + "\n")
    assert "Type 1 to" in r.stdout
    assert "Session over: 1 call logged" in r.stdout


def test_upgrading_a_first_revision_store_keeps_every_row(tmp_path, ok):
    import sqlite3
    from contextlib import closing

    from callplan.store.db import make_engine, upgrade

    path = tmp_path / "old.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine, "0001")
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute(
            "INSERT INTO decision_maker (id, name, name_key, status, needs_number, created_at,"
            " conversation_count, attempts_in_row, last_conversation_on, next_call_on,"
            " due_reason, last_outcome) VALUES (1, 'Jane Smith', 'jane smith', 'active', 0,"
            " '2026-10-01 09:00:00', 1, 0, '2026-10-01', '2026-10-05', 'callback', 'callback')"
        )
        conn.execute(
            "INSERT INTO call (id, dm_id, called_on, logged_at, kind, outcome, summary,"
            " conversation_number) VALUES (1, 1, '2026-10-01', '2026-10-01 09:05:00',"
            " 'continuation', 'callback', 'Call Monday', 1)"
        )
        conn.execute(
            "INSERT INTO note (id, dm_id, call_id, text, created_at) VALUES"
            " (1, 1, 1, 'Prefers mornings', '2026-10-01 09:06:00')"
        )
    engine.dispose()
    r = ok("--db", str(path), "dm", "show", "jane", "--json")
    assert "upgraded the store from schema 0001" in r.stderr
    data = r.json
    assert data["dm"]["due_on"] == "2026-10-05"
    assert data["calls"][0]["summary"] == "Call Monday"
    assert data["notes"][0]["text"] == "Prefers mornings"
    assert data["notes"][0]["noted_on"] == "2026-10-01"
    assert list(tmp_path.glob("backups/callplan-before-*.sqlite3"))


def test_closing_a_hook_twice_or_an_unknown_one_is_refused(ok, cli, hooks):
    ok("candidate", "placed", "1")
    r = cli("candidate", "placed", "1")
    assert r.exit_code == 2 and "candidate:1 is already placed" in r.stderr
    assert cli("job", "close", "99").exit_code == 3
    assert ok("candidate", "list", "--json").json["count"] == 0


def test_a_referral_already_in_the_contacts_is_not_added_twice(ok, jane):
    ok("dm", "add", "Tom Hardy", "--company", "Acme")
    r = ok("log", "jane", "-c", "callback", "-r", "tom hardy, CTO")
    assert "already in your contacts: not added again" in r.stderr
    assert ok("dm", "list", "--json").json["count"] == 2


def test_a_hook_goes_with_a_conversation(cli, jane, hooks):
    r = cli("log", "jane", "-n", "voicemail", "--hook", "candidate:1")
    assert r.exit_code == 2 and "--hook doesn't go with --no-connect" in r.stderr


def test_the_sweep_reviews_contacts_not_prospects(ok, hooks):
    ok("dm", "add", "Pat Prospect", "--tag", "sharepoint")
    ok("dm", "edit", "pat", "--due", "2027-01-20")
    assert ok("sweep", "--json").json["review"] == []


def test_go_refuses_a_future_date(cli):
    r = cli("go", "--date", "2026-11-27")
    assert r.exit_code == 2 and "in the future" in r.stderr


def test_go_asks_again_for_a_next_date_it_cannot_use_and_keeps_the_call(ok):
    """An unreadable or past next date is asked again; the summary and notes typed before
    it are never thrown away."""
    ok("dm", "add", "Ann A", "--phone", "0113 496 0007")
    answers = ["c", "callback", "Call me Friday", "", "Hays", "", "", "", "warm", ""]
    r = ok("go", input="\n".join([*answers, "31/02", "2026-11-01", "fri", ""]) + "\n")
    assert "Not logged" not in r.stdout + r.stderr
    assert r.stdout.count("Next call") >= 3  # asked three times
    assert "Session over: 1 call logged" in r.stdout
    ann = show(ok, "ann")
    assert ann["calls"][0]["summary"] == "Call me Friday"
    assert ann["picture"]["competitor"]["value"] == "Hays"
    assert ann["dm"]["due_on"] == "2026-11-27"


def test_go_says_why_a_next_date_past_the_cycle_was_moved(ok):
    ok("dm", "add", "Ann A", "--phone", "0113 496 0008")
    answers = ["c", "callback", "", "", "", "", "", "", "", "", "2027-06-01", ""]
    r = ok("go", input="\n".join(answers) + "\n")
    assert "past the 90-day cycle" in r.stderr
    assert show(ok, "ann")["dm"]["due_on"] < "2027-06-01"


def test_go_asks_again_for_a_referral_it_cannot_read(ok):
    ok("dm", "add", "Ann A", "--phone", "0113 496 0009")
    answers = ["c", "callback", "Kept", "", "", "", "", "", "", ", CTO", "Eve E, CTO", "", "", "q"]
    r = ok("go", input="\n".join(answers) + "\n")
    assert "A referral needs a name first" in r.stdout and "Not logged" not in r.stdout
    ann = show(ok, "ann")
    assert ann["calls"][0]["summary"] == "Kept" and [d["name"] for d in ann["referred"]] == [
        "Eve E"
    ]


def test_go_counts_a_dm_still_due_today_as_still_to_call(ok):
    """A busy line is tried again today: after the session, Ann is still to call."""
    ok("dm", "add", "Ann A", "--phone", "0113 496 0010")
    r = ok("go", input="\n".join(["n", "busy", "", "", ""]) + "\n")
    assert "Session over: 1 call logged; 1 still to call today." in r.stdout
