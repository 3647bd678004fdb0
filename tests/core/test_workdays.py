"""Working days: weekdays minus public holidays, with injected and real holiday tables."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from callplan.core.workdays import (
    WorkCalendar,
    calendar_for,
    check_country,
    parse_weekdays,
    split_country,
)
from callplan.errors import ConfigError

MON_FRI = frozenset({0, 1, 2, 3, 4})
XMAS = {
    date(2026, 12, 25): "Christmas Day",
    date(2026, 12, 28): "Boxing Day (observed)",
    date(2027, 1, 1): "New Year's Day",
}
CAL = WorkCalendar(MON_FRI, XMAS)


def working(day: date, weekdays: frozenset[int], holidays: set[date]) -> bool:
    return day.weekday() in weekdays and day not in holidays


# --- WorkCalendar with injected holidays ----------------------------------------------


def test_weekends_and_holidays_are_not_working_days() -> None:
    assert CAL.is_working(date(2026, 12, 24))  # Thursday
    assert not CAL.is_working(date(2026, 12, 25))  # Christmas, a Friday
    assert not CAL.is_working(date(2026, 12, 26))  # Saturday
    assert not CAL.is_working(date(2026, 12, 27))  # Sunday
    assert not CAL.is_working(date(2026, 12, 28))  # Boxing Day observed
    assert CAL.is_working(date(2026, 12, 29))


def test_holiday_name() -> None:
    assert CAL.holiday_name(date(2026, 12, 25)) == "Christmas Day"
    assert CAL.holiday_name(date(2026, 12, 24)) is None
    assert CAL.holiday_name(date(2026, 12, 26)) is None  # a weekend, not a holiday


def test_without_holidays_only_weekdays_count() -> None:
    cal = WorkCalendar(MON_FRI)
    assert cal.is_working(date(2026, 12, 25))
    assert not cal.is_working(date(2026, 12, 26))


def test_other_working_weeks() -> None:
    sun_thu = WorkCalendar(frozenset({6, 0, 1, 2, 3}))
    assert sun_thu.is_working(date(2026, 11, 22))  # Sunday
    assert not sun_thu.is_working(date(2026, 11, 27))  # Friday
    assert sun_thu.next_working(date(2026, 11, 27)) == date(2026, 11, 29)


def test_no_working_weekdays_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        WorkCalendar(frozenset())


def test_next_working() -> None:
    assert CAL.next_working(date(2026, 11, 21)) == date(2026, 11, 23)  # Sat -> Mon
    assert CAL.next_working(date(2026, 11, 23)) == date(2026, 11, 23)  # inclusive
    assert CAL.next_working(date(2026, 11, 23), inclusive=False) == date(2026, 11, 24)
    assert CAL.next_working(date(2026, 12, 24), inclusive=False) == date(2026, 12, 29)
    assert CAL.next_working(date(2026, 12, 31), inclusive=False) == date(2027, 1, 4)


def test_previous_working() -> None:
    assert CAL.previous_working(date(2026, 11, 22)) == date(2026, 11, 20)  # Sun -> Fri
    assert CAL.previous_working(date(2026, 11, 20)) == date(2026, 11, 20)
    assert CAL.previous_working(date(2026, 11, 23), inclusive=False) == date(2026, 11, 20)
    assert CAL.previous_working(date(2026, 12, 28)) == date(2026, 12, 24)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 11, 20), 0, date(2026, 11, 20)),  # Fri + 0 = Fri
        (date(2026, 11, 20), 1, date(2026, 11, 23)),  # Fri + 1 = Mon
        (date(2026, 11, 20), 2, date(2026, 11, 24)),  # Fri + 2 = Tue
        (date(2026, 11, 21), 0, date(2026, 11, 23)),  # Sat + 0 = Mon
        (date(2026, 11, 21), 1, date(2026, 11, 23)),  # Sat + 1 = Mon
        (date(2026, 11, 21), 2, date(2026, 11, 24)),  # Sat + 2 = Tue
        (date(2026, 11, 23), 5, date(2026, 11, 30)),  # Mon + 5 = next Mon
        (date(2026, 12, 23), 2, date(2026, 12, 29)),  # over Christmas
        (date(2026, 12, 25), 1, date(2026, 12, 29)),  # from a holiday: Tue is the first
        (date(2026, 12, 24), 3, date(2026, 12, 31)),  # 29, 30, 31
        (date(2026, 12, 24), 4, date(2027, 1, 4)),  # then 1 Jan is a holiday
    ],
)
def test_add_working_days(start: date, n: int, expected: date) -> None:
    assert CAL.add_working_days(start, n) == expected


def test_working_days_is_half_open() -> None:
    days = list(CAL.working_days(date(2026, 12, 21), date(2026, 12, 31)))
    assert days == [
        date(2026, 12, 21),
        date(2026, 12, 22),
        date(2026, 12, 23),
        date(2026, 12, 24),
        date(2026, 12, 29),
        date(2026, 12, 30),
    ]
    assert list(CAL.working_days(date(2026, 12, 21), date(2026, 12, 21))) == []


weekday_sets = st.frozensets(st.integers(0, 6), min_size=1)
holiday_sets = st.sets(
    st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 12, 31)), max_size=40
)
starts = st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31))


@given(start=starts, n=st.integers(1, 30), weekdays=weekday_sets, holidays=holiday_sets)
def test_add_working_days_counts_exactly_n_working_days(
    start: date, n: int, weekdays: frozenset[int], holidays: set[date]
) -> None:
    cal = WorkCalendar(weekdays, {d: "h" for d in holidays})
    end = cal.add_working_days(start, n)
    assert working(end, weekdays, holidays)
    between = [start + timedelta(days=i) for i in range(1, (end - start).days + 1)]
    assert sum(working(d, weekdays, holidays) for d in between) == n


@given(day=starts, weekdays=weekday_sets, holidays=holiday_sets)
def test_next_and_previous_working_are_the_nearest_working_days(
    day: date, weekdays: frozenset[int], holidays: set[date]
) -> None:
    cal = WorkCalendar(weekdays, {d: "h" for d in holidays})
    nxt, prev = cal.next_working(day), cal.previous_working(day)
    assert prev <= day <= nxt
    assert working(nxt, weekdays, holidays) and working(prev, weekdays, holidays)
    for i in range(1, (nxt - day).days):
        assert not working(day + timedelta(days=i), weekdays, holidays)
    for i in range(1, (day - prev).days):
        assert not working(day - timedelta(days=i), weekdays, holidays)


@given(start=starts, length=st.integers(0, 60), weekdays=weekday_sets, holidays=holiday_sets)
def test_working_days_lists_exactly_the_working_days(
    start: date, length: int, weekdays: frozenset[int], holidays: set[date]
) -> None:
    cal = WorkCalendar(weekdays, {d: "h" for d in holidays})
    end = start + timedelta(days=length)
    expected = [
        start + timedelta(days=i)
        for i in range(length)
        if working(start + timedelta(days=i), weekdays, holidays)
    ]
    assert list(cal.working_days(start, end)) == expected


# --- real public holidays (the holidays package) --------------------------------------


def test_england_bank_holidays_are_not_working_days() -> None:
    cal = calendar_for(MON_FRI, "GB-ENG")
    assert not cal.is_working(date(2026, 12, 25))  # Christmas Day (Friday)
    assert not cal.is_working(date(2026, 12, 28))  # Boxing Day observed (Monday)
    assert not cal.is_working(date(2026, 8, 31))  # late summer bank holiday
    assert not cal.is_working(date(2026, 4, 3))  # Good Friday
    assert not cal.is_working(date(2026, 4, 6))  # Easter Monday
    assert cal.is_working(date(2026, 12, 24))
    assert cal.is_working(date(2026, 12, 29))
    assert cal.is_working(date(2026, 8, 3))  # Scotland's, not England's
    assert cal.holiday_name(date(2026, 12, 25)) is not None
    assert cal.next_working(date(2026, 12, 24), inclusive=False) == date(2026, 12, 29)


def test_country_codes_are_case_insensitive() -> None:
    assert not calendar_for(MON_FRI, "gb-eng").is_working(date(2026, 12, 28))


def test_scotland_has_its_own_bank_holidays() -> None:
    cal = calendar_for(MON_FRI, "GB-SCT")
    assert not cal.is_working(date(2026, 8, 3))  # summer bank holiday, first Monday
    assert not cal.is_working(date(2026, 11, 30))  # St Andrew's Day
    assert cal.is_working(date(2026, 8, 31))


def test_not_only_the_uk() -> None:
    assert not calendar_for(MON_FRI, "IE").is_working(date(2026, 3, 17))  # St Patrick's
    assert not calendar_for(MON_FRI, "US").is_working(date(2026, 7, 3))  # 4 July observed


def test_no_country_means_no_holidays() -> None:
    cal = calendar_for(MON_FRI, None)
    assert cal.is_working(date(2026, 12, 25))
    assert not cal.is_working(date(2026, 12, 26))


def test_unknown_country_is_a_config_error() -> None:
    with pytest.raises(ConfigError) as exc:
        calendar_for(MON_FRI, "XX").is_working(date(2026, 1, 5))
    assert "XX" in exc.value.message
    with pytest.raises(ConfigError):
        check_country("XX")


def test_unknown_subdivision_is_a_config_error() -> None:
    with pytest.raises(ConfigError) as exc:
        calendar_for(MON_FRI, "GB-XYZ").is_working(date(2026, 1, 5))
    assert "XYZ" in exc.value.message


# --- the holiday cache ------------------------------------------------------------------


def test_holidays_worked_out_once_are_read_back_without_the_holidays_package(tmp_path):
    import subprocess
    import sys

    first = calendar_for(MON_FRI, "GB-ENG", tmp_path)
    assert not first.is_working(date(2026, 12, 25)) and first.is_working(date(2026, 12, 24))
    code = (
        "import sys\n"
        "from datetime import date\n"
        "from pathlib import Path\n"
        "from callplan.core.workdays import calendar_for\n"
        f"cal = calendar_for(frozenset(range(5)), 'GB-ENG', Path({str(tmp_path)!r}))\n"
        "assert not cal.is_working(date(2026, 12, 28))  # Boxing Day, observed\n"
        "assert cal.holiday_name(date(2026, 12, 25)) == 'Christmas Day'\n"
        "assert 'holidays' not in sys.modules\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_a_cache_from_another_holidays_package_is_worked_out_afresh(tmp_path):
    import json

    calendar_for(MON_FRI, "GB-ENG", tmp_path).is_working(date(2026, 1, 5))
    (cached,) = tmp_path.glob("holidays-GB-ENG.json")
    data = json.loads(cached.read_text())
    data["source"] = "an older holidays package"
    data["years"]["2026"] = {}  # it said nothing about Christmas
    cached.write_text(json.dumps(data))
    assert not calendar_for(MON_FRI, "GB-ENG", tmp_path).is_working(date(2026, 12, 25))


def test_no_usable_cache_folder_only_costs_time(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder should be")
    cal = calendar_for(MON_FRI, "GB-ENG", blocked / "cache")
    assert not cal.is_working(date(2026, 12, 25)) and cal.is_working(date(2026, 12, 29))


def test_split_country() -> None:
    assert split_country("GB-ENG") == ("GB", "ENG")
    assert split_country(" gb ") == ("GB", None)
    assert split_country("us-ny") == ("US", "NY")


# --- parse_weekdays -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mon-fri", {0, 1, 2, 3, 4}),
        ("mon,tue,wed,thu,fri", {0, 1, 2, 3, 4}),
        ("Mon, Wed, Fri", {0, 2, 4}),
        ("sun-tue", {6, 0, 1}),
        ("fri-mon", {4, 5, 6, 0}),
        ("sat-sat", {5}),
        ("sun-thu", {6, 0, 1, 2, 3}),
        ("mon-wed,fri", {0, 1, 2, 4}),
        ("monday-friday", {0, 1, 2, 3, 4}),
        ("mon,,tue", {0, 1}),
    ],
)
def test_parse_weekdays(text: str, expected: set[int]) -> None:
    assert parse_weekdays(text) == frozenset(expected)


@pytest.mark.parametrize("text", ["", " , ", "xyz", "mon-", "-fri", "mon-xyz", "1-5"])
def test_parse_weekdays_rejects_nonsense(text: str) -> None:
    with pytest.raises(ConfigError):
        parse_weekdays(text)


def test_a_mangled_cache_file_is_worked_out_afresh(tmp_path):
    import json

    calendar_for(MON_FRI, "GB-ENG", tmp_path).is_working(date(2026, 1, 5))
    (cached,) = tmp_path.glob("holidays-GB-ENG.json")
    data = json.loads(cached.read_text())
    data["years"]["2026"] = ["not", "a", "mapping"]
    cached.write_text(json.dumps(data))
    assert not calendar_for(MON_FRI, "GB-ENG", tmp_path).is_working(date(2026, 12, 25))
    cached.write_text("{ not json")
    assert not calendar_for(MON_FRI, "GB-ENG", tmp_path).is_working(date(2026, 12, 25))
