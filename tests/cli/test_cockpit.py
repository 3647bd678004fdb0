"""The call cockpit (issue 19): `callplan go` full screen, driven headless by Textual's
pilot at 80x24 as a recruiter drives it, key by key; the store must hold exactly what was
done. Today is Mon 23 Nov 2026 (tests/conftest.py)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from callplan.cli.cockpit.app import Cockpit, DayScreen, LogForm
from callplan.cli.cockpit.day import DONE, SKIPPED, THEIRS, Report, standalone
from callplan.core.outcomes import Kind


@pytest.fixture
def desk(ok):
    """Three DMs with numbers (two are today's new DMs), and one with a note to find."""
    ok("config", "set", "country", "GB")
    ok("dm", "add", "Jane Smith", "--company", "Acme", "--phone", "0113 496 0001")
    ok("dm", "add", "Bob Jones", "--company", "Bolt", "--phone", "0113 496 0002")
    ok("dm", "add", "Carol White", "--company", "Cog", "--phone", "0113 496 0003")
    ok("note", "carol", "Hiring three Java developers in the spring")
    return ok


def drive(
    steps: Callable[[Any, Cockpit], Awaitable[None]], size=(80, 24), plan: bool = True
) -> None:
    """Open the cockpit on the test's store and run ``steps`` with its pilot; the day
    planned first, or (``plan`` False) by the cockpit, as `callplan go` opens it."""

    async def main() -> None:
        with standalone(plan=plan) as day:
            app = Cockpit(day)
            async with app.run_test(size=size) as pilot:
                await pilot.pause()
                await steps(pilot, app)

    asyncio.run(main())


def calls(ok, who: str) -> list[dict]:
    return json.loads(ok("call", "list", who, "--json").stdout)["calls"]


async def keys(pilot, *pressed: str) -> None:
    """Press keys as a recruiter types them: one at a time, the screen settling after each."""
    for key in pressed:
        await pilot.press(key)
        await pilot.pause()


async def typed(pilot, text: str) -> None:
    await pilot.press(*text)
    await pilot.pause()


def test_an_advance_with_a_summary_a_no_connect_a_skip_and_quit(desk):
    async def steps(pilot, app):
        screen = app.screen
        assert isinstance(screen, DayScreen)
        assert [e.name for e in app.day.entries] == ["Jane Smith", "Bob Jones"]
        assert screen.card.entry.name == "Jane Smith"  # the first to call is shown
        await keys(pilot, "a")
        await keys(pilot, "3")  # the third advance: cv-review
        assert isinstance(app.screen, LogForm)
        await typed(pilot, "Will look at a Java CV")
        await keys(pilot, "ctrl+s")
        assert isinstance(app.screen, DayScreen)
        assert app.day.entries[0].state == DONE
        assert screen.card.entry.name == "Bob Jones"  # on to the next
        await keys(pilot, "n", "1")  # no-connect, its first type (no-answer)
        await keys(pilot, "ctrl+s")
        assert app.day.entries[1].state == DONE
        assert app.day.progress.new_done == 1 and app.day.progress.advances == 1
        await keys(pilot, "q")

    drive(steps)
    jane, bob = calls(desk, "jane"), calls(desk, "bob")
    assert [(c["outcome"], c["summary"]) for c in jane] == [("cv-review", "Will look at a Java CV")]
    assert jane[0]["next_call_on"] == "2026-11-25"  # cv-review: 2 working days
    assert [c["kind"] for c in bob] == ["no-connect"]
    assert calls(desk, "carol") == []


def test_skip_marks_the_person_and_writes_nothing(desk):
    async def steps(pilot, app):
        await keys(pilot, "s")
        assert app.day.entries[0].state == SKIPPED
        assert app.screen.card.entry.name == "Bob Jones"
        await keys(pilot, "q")

    drive(steps)
    assert calls(desk, "jane") == [] and calls(desk, "bob") == []


def test_a_bad_value_is_named_in_place_and_nothing_typed_is_lost(desk):
    async def steps(pilot, app):
        await keys(pilot, "a", "3")
        form = app.screen
        await typed(pilot, "Wants a CV")
        form.query_one("#f-interest").value = "lukewarm"
        form.query_one("#f-next").value = "31/02"
        await keys(pilot, "ctrl+s")
        assert app.screen is form  # still open, refused
        error = str(form.query_one(".error").render())
        assert "Interest is one of hot, warm, cold" in error
        assert app.focused is form.query_one("#f-interest")
        form.query_one("#f-interest").value = "warm"
        await keys(pilot, "ctrl+s")
        assert app.screen is form
        assert "31/02" in str(form.query_one(".error").render())
        assert app.focused is form.query_one("#f-next")
        assert form.query_one("#f-summary").value == "Wants a CV"  # kept
        form.query_one("#f-next").value = "fri"
        await keys(pilot, "ctrl+s")
        assert isinstance(app.screen, DayScreen)

    drive(steps)
    (call,) = calls(desk, "jane")
    assert (call["summary"], call["next_call_on"]) == ("Wants a CV", "2026-11-27")
    picture = json.loads(desk("dm", "show", "jane", "--json").stdout)["picture"]
    assert picture["interest"]["value"] == "warm"


def test_escape_keeps_the_draft_for_the_next_try(desk):
    async def steps(pilot, app):
        await keys(pilot, "c", "1")
        await typed(pilot, "Call me in January")
        await keys(pilot, "escape")
        assert isinstance(app.screen, DayScreen)
        await keys(pilot, "c", "1")
        assert app.screen.query_one("#f-summary").value == "Call me in January"
        await keys(pilot, "escape", "q")

    drive(steps)
    assert calls(desk, "jane") == []  # cancelled: nothing written


def test_undo_asks_then_takes_the_call_back_and_reopens_the_person(desk):
    async def steps(pilot, app):
        await keys(pilot, "a", "3", "ctrl+s")
        assert app.day.entries[0].state == DONE
        await keys(pilot, "u")
        assert app.screen.question == "Take back the cv-review with Jane Smith, today?"
        await keys(pilot, "n")  # kept
        assert len(calls(desk, "jane")) == 1
        await keys(pilot, "u", "y")
        assert app.day.entries[0].state == ""
        assert app.day.progress.advances == 0
        await keys(pilot, "q")

    drive(steps)
    assert calls(desk, "jane") == []


def test_search_finds_by_note_text_and_opens_the_person(desk):
    async def steps(pilot, app):
        await keys(pilot, "slash")
        await typed(pilot, "java")
        await keys(pilot, "enter")  # search
        await keys(pilot, "enter")  # open the first found
        assert isinstance(app.screen, DayScreen)
        assert app.screen.card.entry.name == "Carol White"
        assert app.day.entries[0].reason == "found by note"
        await keys(pilot, "c", "1", "ctrl+s")
        await keys(pilot, "q")

    drive(steps)
    assert [c["kind"] for c in calls(desk, "carol")] == ["continuation"]


def test_a_note_and_an_edit_from_the_cockpit(desk):
    async def steps(pilot, app):
        await keys(pilot, "t")
        await typed(pilot, "PA is Sue")
        await keys(pilot, "ctrl+s")
        await keys(pilot, "e")
        form = app.screen
        form.query_one("#f-title").value = "CTO"
        form.query_one("#f-phone").value = "not a number"
        await keys(pilot, "ctrl+s")
        assert app.screen is form and app.focused is form.query_one("#f-phone")
        form.query_one("#f-phone").value = "0113 496 0999"
        await keys(pilot, "ctrl+s")
        assert isinstance(app.screen, DayScreen)

    drive(steps)
    shown = json.loads(desk("dm", "show", "jane", "--json").stdout)
    assert shown["dm"]["title"] == "CTO" and shown["dm"]["phone"] == "+441134960999"
    assert [n["text"] for n in shown["notes"]] == ["PA is Sue"]


def test_a_prospect_a_colleague_claimed_meanwhile_is_shown_as_theirs(desk, store):
    async def steps(pilot, app):
        # Alex takes Bob for today in another terminal while the cockpit is open.
        store.query("UPDATE claim SET recruiter = 'alex' WHERE dm_id = 2")
        await keys(pilot, "down")
        assert app.day.entries[1].state == THEIRS
        assert app.screen.card.warning == "Bob Jones is alex's now: leave them to their owner."
        await keys(pilot, "a")  # refused: no form opens
        assert isinstance(app.screen, DayScreen)
        await keys(pilot, "q")

    drive(steps)
    assert calls(desk, "bob") == []


def test_a_call_logged_in_another_terminal_is_seen_on_the_next_action(desk):
    async def steps(pilot, app):
        desk("log", "bob", "--no-connect", "no-answer")  # meanwhile, elsewhere
        await keys(pilot, "s")  # skip Jane: Bob's card is read afresh
        assert app.day.entries[1].result == "called elsewhere"
        await keys(pilot, "q")

    drive(steps)


def test_the_day_without_a_terminal(desk):
    """What the harness times: the actions of a Day with no screen at all."""
    with standalone() as day:
        card = day.card(day.entries[0])
        lines = day.log(card, Report(Kind.ADVANCE, type="meeting", summary="Thu 10am"))
        assert lines[0].startswith("Logged meeting with Jane Smith.")
        key, what = day.last()
        assert what == "the meeting with Jane Smith, today"
        assert day.undo(key) == "Took back the meeting with Jane Smith."
        assert [f.name for f in day.search("acme")] == ["Jane Smith"]


def test_a_delivery_day_the_client_once_with_the_chase_then_the_candidate(ok, store):
    """Megan gave job:1 and is a new DM; Ann's CVs went to her five days ago and Bo's
    interview is today at 16:00: Megan is called once (the chase in her brief), Bo's
    calls come after the DMs."""
    ok("config", "set", "country", "GB-ENG")
    ok("dm", "add", "Megan Price", "--company", "Leeds Digital", "--phone", "0113 496 0101")
    ok("job", "add", "Senior .NET Developer", "--client", "megan", "--tag", "dotnet")
    ok("candidate", "add", "Ann Lee", "--tag", "dotnet", "--phone", "07700 900123")
    ok("candidate", "add", "Bo Chen", "--tag", "dotnet", "--phone", "07700 900124")
    ok("submit", "ann", "1", "--on", "2026-11-18")
    ok("submit", "bo", "1", "--on", "2026-11-18")
    ok("interview", "bo", "1", "--at", "today 16:00")

    async def steps(pilot, app):
        queue = [(e.name, e.section) for e in app.day.entries]
        assert queue[0] == ("Megan Price", "new") and ("Bo Chen", "delivery") in queue
        assert len([n for n, _ in queue if n == "Megan Price"]) == 1
        card = app.screen.card
        assert any("chase CV feedback on Ann Lee" in r for r in card.entry.delivery)
        await keys(pilot, "c", "1")  # Megan: callback
        await typed(pilot, "No feedback yet")
        await keys(pilot, "ctrl+s")
        assert app.screen.card.entry.name == "Bo Chen"
        await keys(pilot, "c")
        assert app.screen.types == app.day.types(app.day.entries[1], Kind.CONTINUATION)
        await keys(pilot, str(app.screen.types.index("interview-feedback") + 1))
        await typed(pilot, "Went well, keen")
        await keys(pilot, "ctrl+s", "q")

    drive(steps)
    assert store.query("SELECT outcome, summary FROM candidate_call") == [
        ("interview-feedback", "Went well, keen")
    ]
    assert [c["summary"] for c in calls(ok, "megan")] == ["No feedback yet"]


def test_a_failure_nobody_foresaw_ends_the_cockpit_without_a_traceback(desk, monkeypatch):
    """A bug in an action: the app ends with 70 and keeps the failure for `go` to say in
    one line; Textual's traceback, with its local variables (people's data), is not shown."""

    def broken(self, entry):
        raise RuntimeError("Jane Smith, 0113 496 0001")

    async def steps(pilot, app):
        monkeypatch.setattr("callplan.cli.cockpit.day.Day.skip", broken)
        await keys(pilot, "s")
        assert isinstance(app.failure, RuntimeError)
        assert app.return_code == 70

    drive(steps)


@pytest.mark.no_store
def test_go_says_the_failure_in_one_line():
    from callplan.cli.go import CockpitFailed

    said = CockpitFailed(RuntimeError("Jane Smith, 0113 496 0001"))
    assert said.exit_code == 70 and "Jane" not in said.message
    assert said.message.startswith("The cockpit stopped unexpectedly (RuntimeError)")


def test_a_colleagues_dm_found_by_search_can_be_called_with_a_word_of_warning(desk):
    desk("--as", "alex", "log", "carol", "-c", "callback")  # Carol is Alex's now

    async def steps(pilot, app):
        await keys(pilot, "slash")
        await typed(pilot, "carol")
        await keys(pilot, "enter", "enter")
        assert app.screen.card.warning == "Carol White is alex's: if you call, tell alex."
        await keys(pilot, "c", "1", "ctrl+s", "q")

    drive(steps)
    assert [c["recruiter"] for c in calls(desk, "carol")] == ["Sam", "alex"]


def test_a_brief_longer_than_the_screen_scrolls_by_the_page_and_the_end_is_said(desk):
    async def steps(pilot, app):
        pane = app.screen.query_one("#brief-pane")
        assert pane.max_scroll_y > 0  # Jane's closing lines are below 80x24
        await keys(pilot, "pagedown")
        assert pane.scroll_y > 0
        await keys(pilot, "pageup")
        assert pane.scroll_y == 0
        await keys(pilot, "s", "s")
        assert app.screen.said[-1].startswith("That's everyone on the plan")

    drive(steps)


def test_due_calls_come_a_page_at_a_time_the_next_as_the_queue_runs_short(ok, monkeypatch):
    """Planning thousands of due calls before the first screen would keep the recruiter
    waiting: the queue holds a page, says how many more are due, and plans the next page
    when fewer than ten are left to call in it. Nobody is lost or planned twice."""
    from callplan.cli.cockpit import day as day_module

    monkeypatch.setenv("CALLPLAN_NEW_PER_DAY", "0")
    monkeypatch.setattr(day_module, "PAGE", 12)
    for i in range(30):
        ok("dm", "add", f"Due {i:02}")
        ok("log", f"Due {i:02}", "-c", "callback", "--on", "2026-11-20", "--next", "today")

    async def steps(pilot, app):
        day = app.day
        assert len(day.entries) == 12 and day.unplanned == 18 and day.left == 30
        queue = app.screen.query_one("#queue")
        assert "and 18 more due" in str(queue.get_option_at_index(12).prompt)
        await keys(pilot, "s", "s")  # 10 left in the queue: not short yet
        assert len(day.entries) == 12
        await keys(pilot, "n", "1", "ctrl+s")  # 9 left: the next page is planned
        # 24 still due are planned (Due 02 is diarised again), and Due 02 stays, done.
        assert len(day.entries) == 25 and day.unplanned == 5 and day.left == 27
        assert [e.state for e in day.entries[:3]] == [SKIPPED, SKIPPED, DONE]
        assert app.screen.card.entry is day.entries[3]  # on to the next, as before
        for _ in range(13):  # 22 open in the queue: the 13th skip leaves 9
            await keys(pilot, "s")
        assert len(day.entries) == 30 and day.unplanned == 0 and day.left == 14
        assert queue.option_count == 30  # no "more due" line any more
        names = [e.name for e in day.entries]
        assert sorted(names) == [f"Due {i:02}" for i in range(30)]  # each once
        await keys(pilot, "q")

    drive(steps)
    assert [c["kind"] for c in calls(ok, "Due 02")] == ["no-connect", "continuation"]


def test_the_screen_comes_first_and_the_day_is_planned_behind_it(desk):
    """As `callplan go` opens it: the screen is drawn, then the day planned in a thread;
    a key pressed meanwhile does nothing (nobody is skipped unseen)."""

    async def steps(pilot, app):
        screen = app.screen
        await keys(pilot, "s")  # perhaps before the plan: then refused, never queued
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.day.planned and [e.name for e in app.day.entries] == [
            "Jane Smith",
            "Bob Jones",
        ]
        if screen.card.entry.name == "Jane Smith":  # the s came before the plan
            assert all(e.state == "" for e in app.day.entries)
        await keys(pilot, "a", "3")
        await typed(pilot, "Two CVs")
        await keys(pilot, "ctrl+s", "q")

    drive(steps, plan=False)
    assert [c["outcome"] for c in calls(desk, "jane") + calls(desk, "bob")] == ["cv-review"]


def test_keys_wait_for_the_plan(desk):
    """Until the day is planned the actions are off (help and quit are not)."""
    with standalone(plan=False) as day:
        screen = DayScreen(day)
        assert screen.check_action("skip", ()) is False
        assert screen.check_action("log", ("a",)) is False
        assert screen.check_action("help", ()) is True
        day.plan()
        assert screen.check_action("skip", ()) is True
