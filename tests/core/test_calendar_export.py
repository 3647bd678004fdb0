"""The calendar export's pure parts: slots, tel: links, UIDs and the file's events."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from callplan.core.calendar import CallEvent, Slot, events, layout, tel_uri, to_ical
from callplan.core.config import Settings
from callplan.errors import ConfigError

MON = date(2026, 11, 23)


def test_layout_fills_consecutive_slots_from_day_start():
    slots = layout(3, on=MON, day_start=time(9), day_end=time(17), slot_minutes=15)
    assert [(s.start.time(), s.end.time()) for s in slots] == [
        (time(9, 0), time(9, 15)),
        (time(9, 15), time(9, 30)),
        (time(9, 30), time(9, 45)),
    ]
    assert all(s.in_hours for s in slots)


def test_calls_that_do_not_fit_are_stacked_after_day_end_and_marked():
    slots = layout(5, on=MON, day_start=time(16), day_end=time(17), slot_minutes=20)
    assert [s.in_hours for s in slots] == [True, True, True, False, False]
    assert slots[3].start == datetime(2026, 11, 23, 17, 0)


def test_day_end_must_be_after_day_start():
    with pytest.raises(ConfigError, match="day_end"):
        layout(1, on=MON, day_start=time(17), day_end=time(9), slot_minutes=15)


@given(
    count=st.integers(0, 60),
    start=st.times(),
    minutes=st.integers(1, 480),
)
def test_layout_never_overlaps_and_keeps_order(count, start, minutes):
    start = start.replace(second=0, microsecond=0, tzinfo=None)
    end = time(23, 59)
    if end <= start:
        return
    slots = layout(count, on=MON, day_start=start, day_end=end, slot_minutes=minutes)
    assert len(slots) == count
    for a, b in itertools.pairwise(slots):
        assert a.end == b.start
    in_hours = [s.in_hours for s in slots]
    assert in_hours == sorted(in_hours, reverse=True)  # the in-hours calls come first


@pytest.mark.parametrize(
    ("phone", "uri"),
    [
        ("020 7946 0000", "tel:02079460000"),
        ("+44 20 7946 0000", "tel:+442079460000"),
        ("+44 (0)23 8049 6011", "tel:+442380496011"),
        ("(0121) 496-0888", "tel:01214960888"),
        # An extension, as callplan stores it or as typed, is kept the RFC 3966 way.
        ("+12125550100;ext=7", "tel:+12125550100;ext=7"),
        ("020 7946 0000 ext. 12", "tel:02079460000;ext=12"),
        ("+1 212 555 0100 x7", "tel:+12125550100;ext=7"),
        ("ask reception", None),
        ("", None),
        (None, None),
    ],
)
def test_tel_uri(phone, uri):
    assert tel_uri(phone) == uri


def call(dm_id: int, on: date = MON, **kw: object) -> dict[str, object]:
    return {
        "id": dm_id,
        "name": f"DM {dm_id}",
        "company": "Acme",
        "phone": "020 7946 0000",
        "reason": "callback agreed",
        "last_summary": None,
        "hook": None,
        "on": on,
        **kw,
    }


def test_events_start_each_day_at_day_start():
    tue = date(2026, 11, 24)
    got = events([call(1), call(2, tue), call(3), call(4, tue)], settings=Settings.defaults())
    assert [(e.dm_id, e.slot.start) for e in got] == [
        (1, datetime(2026, 11, 23, 9, 0)),
        (2, datetime(2026, 11, 24, 9, 0)),
        (3, datetime(2026, 11, 23, 9, 15)),
        (4, datetime(2026, 11, 24, 9, 15)),
    ]


def test_the_uid_keeps_the_plan_day_when_late_calls_run_past_midnight():
    settings = Settings.defaults({"day_start": "23:00", "day_end": "23:30", "slot_minutes": "90"})
    got = events([call(1), call(2)], settings=settings)
    assert got[1].slot.start.date() == date(2026, 11, 24)
    assert got[1].uid == "callplan-dm2-20261123@callplan"


def test_events_follow_the_settings():
    settings = Settings.defaults({"day_start": "08:30", "slot_minutes": "30"})
    got = events([call(1), call(2)], settings=settings)
    assert [e.slot.start.time() for e in got] == [time(8, 30), time(9, 0)]


def test_summary_description_and_uid():
    slot = Slot(datetime(2026, 11, 23, 9), datetime(2026, 11, 23, 9, 15), True)
    e = CallEvent(
        7, "Jane Smith", "Acme", "+44 20 7946 0000", "new DM", "Uses Hays", "Sam", slot, MON
    )
    assert e.summary == "Call Jane Smith (Acme): new DM"
    assert e.uid == "callplan-dm7-20261123@callplan"
    assert "tel:+442079460000" in e.description
    assert "Last time: Uses Hays" in e.description
    assert "Hook: Sam" in e.description
    bare = CallEvent(8, "Jo", None, None, "new DM", None, None, slot, MON)
    assert bare.summary == "Call Jo: new DM"
    assert bare.description == "Why: new DM\nPhone: no number on file"


def test_to_ical_round_trips_and_escapes():
    from icalendar import Calendar

    tricky = call(1, reason="follow up; then, maybe", last_summary='Said: "no"; ring back')
    data = to_ical(
        events([tricky], settings=Settings.defaults()), stamp=datetime(2026, 11, 23, 7, 0)
    )
    cal = Calendar.from_ical(data)
    assert str(cal["version"]) == "2.0" and "callplan" in str(cal["prodid"])
    [event] = cal.walk("VEVENT")
    assert str(event["summary"]) == "Call DM 1 (Acme): follow up; then, maybe"
    assert 'Last time: Said: "no"; ring back' in str(event["description"])
    assert str(event["url"]) == "tel:02079460000"
    assert "dtstamp" in event


def test_an_empty_calendar_is_valid():
    from icalendar import Calendar

    cal = Calendar.from_ical(to_ical([], stamp=datetime(2026, 11, 23, 7, 0)))
    assert cal.walk("VEVENT") == []
