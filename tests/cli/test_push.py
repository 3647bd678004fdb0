"""Continuations in a row: `log`, `today` and `brief` push for the advance to aim for;
hooks ranked by what they offer the DM (issue 17)."""

from __future__ import annotations

import pytest

PUSH = "continuations in a row: aim for an advance"


@pytest.fixture
def jane(ok):
    ok("dm", "add", "Jane Smith", "--company", "Acme", "--phone", "020 7946 0000")


def due_row(ok, name="Jane Smith", today="2026-11-23"):
    plan = ok("today", "--json", env={"CALLPLAN_TODAY": today}).json
    return next(d for d in plan["due"] if d["name"] == name)


def test_the_third_continuation_in_a_row_says_ask_for_a_meeting(ok, jane):
    r = ok("log", "jane", "-c", "callback", "--on", "2026-11-02")
    assert PUSH not in r.stdout
    r = ok("log", "jane", "-c", "callback", "--on", "2026-11-09")
    assert PUSH not in r.stdout
    # A dial that didn't connect neither breaks the run nor extends it.
    r = ok("log", "jane", "-n", "no-answer", "--on", "2026-11-10")
    assert PUSH not in r.stdout
    r = ok("log", "jane", "-c", "emailed-details", "--on", "2026-11-16")
    assert "3 continuations in a row: aim for an advance, ask for a meeting." in r.stdout
    assert (
        "3 continuations in a row: aim for an advance, ask for a meeting" in (due_row(ok)["reason"])
    )
    brief = ok("brief", "jane", "--json").json
    assert brief["push"] == "3 continuations in a row: aim for an advance. Ask for a meeting."
    assert "Push: 3 continuations in a row" in ok("brief", "jane").stdout
    assert "continuations" not in brief["reason"]  # said once, on its own line
    ok("dm", "dnc", "jane")
    assert ok("brief", "jane", "--json").json["push"] is None  # never to be called again


def test_an_advance_ends_the_run_and_then_the_job_order_is_asked_for(ok, jane):
    for day in ("2026-10-05", "2026-10-12", "2026-10-19"):
        ok("log", "jane", "-c", "callback", "--on", day)
    r = ok("log", "jane", "-a", "cv-review", "--on", "2026-10-26")
    assert PUSH not in r.stdout
    assert "continuations" not in due_row(ok, today="2026-10-28")["reason"]
    assert ok("brief", "jane", "--json").json["push"] is None
    ok("log", "jane", "-c", "callback", "--on", "2026-11-02")
    r = ok("log", "jane", "-c", "objection", "--on", "2026-11-09")
    assert PUSH not in r.stdout  # two since the CV review
    r = ok("log", "jane", "-c", "callback", "--on", "2026-11-16")
    assert "3 continuations in a row: aim for an advance, ask for the job order." in r.stdout
    # A backdated log that isn't the latest call says nothing.
    r = ok("log", "jane", "-c", "callback", "--on", "2026-11-03")
    assert PUSH not in r.stdout
    assert "4 continuations in a row" in due_row(ok)["reason"]


def test_the_setting_moves_the_warning_and_a_matching_candidate_is_offered(ok, jane):
    ok("config", "set", "continuations_warning", "2")
    ok("dm", "edit", "jane", "--tag", "sharepoint")
    ok("candidate", "add", "Priya Rao", "--headline", "SharePoint architect", "--tag", "sharepoint")
    ok("log", "jane", "-c", "callback", "--on", "2026-11-09")
    r = ok("log", "jane", "-c", "callback", "--on", "2026-11-16")
    assert (
        "2 continuations in a row: aim for an advance, offer Priya Rao [candidate:1]." in r.stdout
    )
    assert "offer Priya Rao [candidate:1]" in due_row(ok)["reason"]
    assert ok("brief", "jane", "--json").json["push"] == (
        "2 continuations in a row: aim for an advance. Offer Priya Rao and ask to send the CV."
    )


def test_a_candidate_for_their_toughest_role_beats_a_job_they_can_name_people_for(ok, jane):
    ok("dm", "edit", "jane", "--tag", "sharepoint", "--tag", "dotnet")
    ok("job", "add", "Senior SharePoint Developer", "--company", "Initech", "--tag", "sharepoint")
    ok("candidate", "add", "Dan Net", "--headline", ".NET lead", "--tag", "dotnet")
    ok("candidate", "add", "Tess Ter", "--headline", "Test lead", "--tag", "tester")
    ok("note", "jane", "--toughest-role", "Testers who can code")
    found = ok("hooks", "jane", "--json").json["hooks"]
    # Tess for the role Jane can't fill (a mention), Dan (a tag), then the job.
    assert [h["ref"] for h in found] == ["candidate:2", "candidate:1", "job:1"]
    assert found[0]["why"] == ["toughest role to fill mentions tester"]
    ok("log", "jane", "-c", "callback", "--on", "2026-11-16")
    assert due_row(ok)["hook"]["ref"] == "candidate:2"
    brief = ok("brief", "jane", "--json").json
    assert "I'm representing Tess Ter, Test lead" in brief["opening"]


def test_stats_say_the_5th_advance_counts_conversations_chases_included(ok, jane):
    ok("log", "jane", "-a", "cv-review", "--on", "2026-11-02")
    # Chases of the CV review (each call's reason is cv-review): conversations 2 to 4.
    for day in ("2026-11-04", "2026-11-09", "2026-11-11"):
        ok("log", "jane", "-c", "callback", "--on", day)
    ok("log", "jane", "-a", "meeting", "--on", "2026-11-16")
    calls = ok("dm", "show", "jane", "--json").json["calls"]
    assert calls[-2]["reason"] == "cv-review"  # the first chase
    report = ok("stats", "--json").json
    assert report["persistence"]["advances_by_number"]["5+"] == 1
    # Without the 3 chases of the CV review, the meeting came on the 2nd conversation.
    assert report["persistence"]["fifth_plus_without_chases"] == 0
    text = " ".join(ok("stats").stdout.split())
    assert (
        "50% of 2 advances on the 5th conversation or later (by conversation number, "
        "chases of an open loop included; 0 without them)" in text
    )
    explained = " ".join(ok("stats", "--explain", "advances-5th-plus").stdout.split())
    assert "chases of an open loop included" in explained
    assert "meeting" in explained


def test_go_says_so_after_the_third_continuation_in_a_row(ok, jane):
    ok("log", "jane", "-c", "callback", "--on", "2026-11-16", "--next", "2026-11-18")
    ok("log", "jane", "-c", "callback", "--on", "2026-11-18", "--next", "2026-11-23")
    r = ok("go", input="\n".join(["c", "callback", *[""] * 10, "q"]) + "\n")
    after = r.stdout.split("Logged callback with Jane Smith.")[1]
    assert "3 continuations in a row: aim for an advance, ask for a meeting." in after


def test_the_5th_advance_without_chases_counts_conversations_that_chased_nothing(ok, jane):
    for day in ("2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05"):
        ok("log", "jane", "-c", "objection", "--on", day)  # no loop open: no chases
    ok("log", "jane", "-a", "cv-review", "--on", "2026-11-09")
    ok("log", "jane", "-c", "callback", "--on", "2026-11-10")  # a chase of the CVs
    ok("log", "jane", "-a", "meeting", "--on", "2026-11-16")  # 7th; 6th without the chase
    persistence = ok("stats", "--json").json["persistence"]
    assert persistence["advances_by_number"]["5+"] == 2
    assert persistence["fifth_plus_without_chases"] == 2
    ok("call", "edit", "5", "-c", "callback")  # the CVs were a callback: nothing chased
    assert ok("stats", "--json").json["persistence"]["fifth_plus_without_chases"] == 1
