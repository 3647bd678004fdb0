"""Open loops, derived from a DM's calls (core.loops): no store (issue 17)."""

from __future__ import annotations

from datetime import date

import pytest

from callplan.core import loops
from callplan.core.loops import Step, derive


def steps(*outcomes: str) -> list[Step]:
    """One call a day from Mon 2 Nov 2026, ids 1, 2, 3..."""
    return [Step(i, date(2026, 11, 1 + i), o) for i, o in enumerate(outcomes, start=1)]


def opened(found):
    return [(x.kind, x.chases) for x in found if x.open]


def test_cvs_stay_open_over_callbacks_and_each_conversation_is_a_chase():
    found = derive(steps("cv-review", "callback", "callback", "objection"))
    assert opened(found) == [("cv-review", 3)]
    assert found[0].opened_on == date(2026, 11, 2) and found[0].opened_by == 1


def test_dials_that_did_not_connect_are_not_chases_and_close_nothing():
    found = derive(steps("cv-review", "voicemail", "no-answer", "left-company", "callback"))
    assert opened(found) == [("cv-review", 1)]


@pytest.mark.parametrize("advance", ["meeting", "live-requirement", "terms", "cv-review"])
def test_an_advance_of_business_after_cvs_closes_the_cv_loop(advance):
    found = derive(steps("cv-review", "callback", advance))
    cv = found[0]
    assert (cv.open, cv.closed_by, cv.closed_on, cv.chases) == (False, 3, date(2026, 11, 4), 1)
    assert opened(found) == [(advance, 0)]


@pytest.mark.parametrize("promise", ["future-requirement", "next-position"])
def test_a_promise_about_later_is_no_feedback_on_cvs(promise):
    found = derive(steps("cv-review", promise))
    assert opened(found) == [("cv-review", 1), (promise, 0)]


def test_a_promise_closes_the_promises_before_it():
    found = derive(steps("emailed-details", "future-requirement", "next-position"))
    assert opened(found) == [("next-position", 0)]


@pytest.mark.parametrize(
    "continuation", ["callback", "hr-fob-off", "objection", "rejection", "emailed-details"]
)
def test_a_continuation_never_closes_a_loop(continuation):
    found = derive(steps("meeting", continuation))
    assert ("meeting", 1) in opened(found)


def test_a_callback_opens_no_loop_and_emailed_details_does():
    assert derive(steps("callback", "callback")) == []
    assert opened(derive(steps("emailed-details", "emailed-details"))) == [("emailed-details", 1)]


def test_the_same_advance_again_closes_the_loop_and_opens_a_fresh_one():
    found = derive(steps("cv-review", "callback", "cv-review"))
    assert [(x.kind, x.open, x.opened_by) for x in found] == [
        ("cv-review", False, 1),
        ("cv-review", True, 3),
    ]


def test_a_loop_closed_by_hand_is_chased_no_more():
    calls = steps("cv-review", "callback", "callback", "meeting")
    found = derive(calls, closed_by_hand={1: date(2026, 11, 3)})
    cv = found[0]
    assert (cv.open, cv.by_hand, cv.closed_on, cv.closed_by, cv.chases) == (
        False,
        True,
        date(2026, 11, 3),
        None,
        0,  # from the day it was closed: that day's callback (Tue 3) and the ones after
    )


def test_a_call_the_day_a_loop_is_closed_by_hand_neither_chases_nor_reopens_it():
    """A close by hand has a day, not a time: a call logged later that day (the same
    advance again, say) must not undo the close, or `loop reopen` could not find it."""
    calls = steps("cv-review", "cv-review")
    [first, second] = derive(calls, closed_by_hand={1: date(2026, 11, 3)})
    assert (first.by_hand, first.closed_on, first.chases) == (True, date(2026, 11, 3), 0)
    assert (second.open, second.opened_by) == (True, 2)


def test_a_close_by_hand_after_the_closing_call_changes_nothing():
    found = derive(steps("cv-review", "meeting"), closed_by_hand={1: date(2026, 11, 20)})
    assert (found[0].closed_by, found[0].by_hand) == (2, False)


def test_taking_back_the_opening_call_takes_back_the_loop():
    calls = steps("cv-review", "callback")
    assert derive([c for c in calls if c.call_id != 1]) == []


def test_how_a_loop_is_described_with_its_age_and_chases():
    on = date(2026, 11, 3)
    assert loops.describe("cv-review", opened_on=on, chases=2, today=date(2026, 11, 15)) == (
        "CVs sent 12 days ago, 2 chases"
    )
    assert loops.describe("meeting", opened_on=on, chases=1, today=date(2026, 11, 4)) == (
        "meeting booked yesterday, 1 chase"
    )
    assert loops.describe("terms", opened_on=on, chases=0, today=on) == "terms agreed today"
    assert set(loops.OPENED_AS) == set(loops.KINDS)


def test_the_chases_among_the_calls():
    calls = steps("cv-review", "callback", "voicemail", "objection", "meeting", "callback")
    assert loops.chases_among(calls) == {2, 4, 6}
    assert loops.chases_among(calls, closed_by_hand={1: date(2026, 11, 3)}) == {6}


# A promised introduction: opened by hand on a conversation, closed by the names.


def test_a_promised_introduction_is_chased_until_a_call_adds_the_names():
    calls = steps("callback", "callback", "objection")
    found = derive(calls, promised={1: None})
    assert opened(found) == [("introduction", 2)]
    assert found[0].opened_on == date(2026, 11, 2) and found[0].opened_by == 1
    named = [*calls, Step(4, date(2026, 11, 5), "callback", referred=True)]
    [intro] = derive(named, promised={1: None})
    assert (intro.open, intro.closed_by, intro.chases) == (False, 4, 2)


def test_an_advance_is_no_introduction_and_names_close_nothing_else():
    found = derive(steps("cv-review", "meeting"), promised={1: None})
    assert opened(found) == [("introduction", 1), ("meeting", 0)]
    named = [Step(1, date(2026, 11, 2), "cv-review"), Step(2, date(2026, 11, 3), "callback", True)]
    assert opened(derive(named)) == [("cv-review", 1)]


def test_names_given_in_the_conversation_of_the_promise_leave_it_open():
    """'Here's one name, and I'll think of another': the promise opens after the call's
    own names."""
    calls = [Step(1, date(2026, 11, 2), "callback", referred=True)]
    assert opened(derive(calls, promised={1: None})) == [("introduction", 0)]


def test_a_promised_introduction_closed_by_hand_is_closed_from_that_day():
    found = derive(steps("callback", "callback", "callback"), promised={1: date(2026, 11, 3)})
    [intro] = found
    assert (intro.open, intro.by_hand, intro.closed_on, intro.chases) == (
        False,
        True,
        date(2026, 11, 3),
        0,  # the callback of Tue 3, the day it was closed, is no chase
    )


def test_the_introduction_chases_count_as_chases():
    calls = steps("callback", "callback", "callback")
    assert loops.chases_among(calls, promised={1: None}) == {2, 3}
    assert loops.chases_among(calls) == set()
