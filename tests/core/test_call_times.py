"""A time of day with a next call's date (core.dates.parse_when) and where timed calls go
in the day's list and calendar (core.planner.time_order, core.calendar.layout).
Today is Mon 23 Nov 2026, injected."""

from __future__ import annotations

import itertools
from datetime import date, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from callplan.core import planner
from callplan.core.calendar import events, layout, to_ical
from callplan.core.config import Settings
from callplan.core.dates import clock, parse_date, parse_time, parse_when
from callplan.errors import UsageError

MON = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("typed", "day", "at"),
    [
        ("thu 15:00", date(2026, 11, 26), time(15, 0)),
        ("tomorrow 9:30", date(2026, 11, 24), time(9, 30)),
        ("2026-12-09 10:00", date(2026, 12, 9), time(10, 0)),
        ("2026-12-09T10:00", date(2026, 12, 9), time(10, 0)),
        ("24 nov 3pm", date(2026, 11, 24), time(15, 0)),
        ("fri 3:30pm", date(2026, 11, 27), time(15, 30)),
        ("Fri 3 PM", date(2026, 11, 27), time(15, 0)),
        ("wed 11 a.m.", date(2026, 11, 25), time(11, 0)),
        ("tue 12pm", date(2026, 11, 24), time(12, 0)),  # noon
        ("tue 12am", date(2026, 11, 24), time(0, 0)),  # midnight
        ("today 09:00", MON, time(9, 0)),  # already past at 14:00: taken as typed
        ("15:00", MON, time(15, 0)),  # a time alone: today
        ("3pm", MON, time(15, 0)),
        ("+1w 08:15", date(2026, 11, 30), time(8, 15)),
        # no time: a number alone still ends a date
        ("thu", date(2026, 11, 26), None),
        ("24 nov 2026", date(2026, 11, 24), None),
        ("nov 24", date(2026, 11, 24), None),
    ],
)
def test_a_date_with_or_without_a_time(typed, day, at):
    assert parse_when(typed, MON) == (day, at)


@pytest.mark.parametrize(
    "typed", ["thu 25:00", "thu 15:", "25:00", "15:", "thu 15:60", "thu 13pm", "thu 0am", "9:5"]
)
def test_a_bad_time_is_a_one_line_error(typed):
    with pytest.raises(UsageError) as exc:
        parse_when(typed, MON)
    assert exc.value.message.startswith("Can't read the time")
    assert "\n" not in exc.value.message


def test_a_bad_date_before_a_good_time_is_still_a_date_error():
    with pytest.raises(UsageError, match="Can't read the date 'someday'"):
        parse_when("someday 15:00", MON)


def test_a_time_alone_goes_with_the_day_offered():
    assert parse_when("15:00", MON, alone=date(2026, 11, 26)) == (date(2026, 11, 26), time(15))
    assert parse_when("tomorrow 9:00", MON, alone=date(2026, 11, 26))[0] == date(2026, 11, 24)


def test_the_country_reads_a_numeric_date_before_a_time():
    assert parse_when("03/04/2027 10:00", MON, first=True) == (date(2027, 4, 3), time(10))
    assert parse_when("03/04/2027 10:00", MON, first=False) == (date(2027, 3, 4), time(10))


@given(st.times().map(lambda t: t.replace(second=0, microsecond=0)))
def test_any_time_written_either_way_reads_back(at):
    assert parse_time(f"{at:%H:%M}") == at
    hour = at.hour % 12 or 12
    assert parse_time(f"{hour}:{at.minute:02d}{'pm' if at.hour >= 12 else 'am'}") == at
    assert parse_when(f"thu {clock(at)}", MON) == (parse_date("thu", MON), at)


# --- the day's order ---------------------------------------------------------------------


def test_calls_timed_for_the_day_come_first_by_time_then_the_rest():
    rows = [
        ("cycle", MON, None),
        ("late callback", date(2026, 11, 20), time(9, 0)),  # its time was for Friday
        ("afternoon", MON, time(15, 0)),
        ("morning", MON, time(9, 30)),
        ("tomorrow", date(2026, 11, 24), time(8, 0)),
    ]
    ordered = sorted(rows, key=lambda r: planner.time_order(r[1], r[2], MON))
    assert [r[0] for r in ordered] == [
        "morning",
        "afternoon",
        "cycle",
        "late callback",
        "tomorrow",
    ]  # the untimed keep their order (the sort is stable): priority, as before


def test_the_reason_shows_the_time_only_on_its_day():
    settings = Settings.defaults()
    on_day = planner.due_reason(
        reason="callback", due_on=MON, on=MON, last_conversation_on=None, settings=settings,
        at=time(15, 0),
    )  # fmt: skip
    assert on_day.startswith("at 15:00: ")
    late = planner.due_reason(
        reason="callback", due_on=date(2026, 11, 20), on=MON, last_conversation_on=None,
        settings=settings, at=time(15, 0),
    )  # fmt: skip
    assert "15:00" not in late


# --- the calendar ------------------------------------------------------------------------


def test_a_timed_call_is_at_its_time_and_the_others_fill_the_free_slots():
    times = [None, time(9, 30), None, None, time(10, 15), None]
    slots = layout(6, on=MON, day_start=time(9), day_end=time(17), slot_minutes=30, times=times)
    starts = [s.start.time() for s in slots]
    assert starts[1] == time(9, 30) and starts[4] == time(10, 15)
    # 9:00, then past 9:30-10:00; 10:00 would run into 10:15, so 10:45 and on
    assert [starts[i] for i in (0, 2, 3, 5)] == [time(9), time(10, 45), time(11, 15), time(11, 45)]


def test_a_timed_call_before_the_day_starts_is_kept_and_marked_out_of_hours():
    slots = layout(
        2, on=MON, day_start=time(9), day_end=time(17), slot_minutes=15, times=[time(8), None]
    )
    assert (slots[0].start.time(), slots[0].in_hours) == (time(8), False)
    assert (slots[1].start.time(), slots[1].in_hours) == (time(9), True)


@given(
    times=st.lists(
        st.one_of(
            st.none(), st.times(time(6), time(20)).map(lambda t: t.replace(second=0, microsecond=0))
        ),
        max_size=25,
    ),
    minutes=st.integers(5, 90),
)
def test_untimed_calls_never_overlap_a_timed_one_and_keep_their_order(times, minutes):
    slots = layout(
        len(times), on=MON, day_start=time(9), day_end=time(17), slot_minutes=minutes, times=times
    )
    timed = [s for s, at in zip(slots, times, strict=True) if at is not None]
    untimed = [s for s, at in zip(slots, times, strict=True) if at is None]
    for s, at in zip(slots, times, strict=True):
        if at is not None:
            assert s.start.time() == at
    for s in untimed:
        assert all(s.end <= t.start or t.end <= s.start for t in timed)
    for a, b in itertools.pairwise(untimed):
        assert a.end <= b.start


def test_the_ics_puts_a_timed_call_at_its_time_in_local_time():
    from icalendar import Calendar

    row = {"name": "X", "reason": "r", "on": MON}
    calls = [
        {**row, "id": 1, "time": None},
        {**row, "id": 2, "time": "09:00"},
        {**row, "id": 3},
    ]
    settings = Settings.defaults({"day_start": "08:30", "slot_minutes": "30"})
    evs = events(calls, settings=settings)
    cal = Calendar.from_ical(to_ical(evs, stamp=evs[0].slot.start.astimezone()))
    starts = {
        str(e["uid"]).split("-")[1]: e["dtstart"].dt.astimezone().replace(tzinfo=None).time()
        for e in cal.walk("VEVENT")
    }
    # in local time: 09:00 as typed; the others at 08:30 and, past it, 09:30
    assert starts == {"dm1": time(8, 30), "dm2": time(9, 0), "dm3": time(9, 30)}
