"""Reading dates as a recruiter types them, always relative to an injected today."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from callplan.core.dates import day_first, parse_date
from callplan.errors import UsageError

TODAY = date(2026, 11, 23)  # a Monday
todays = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-24", date(2026, 11, 24)),
        ("  2027-01-05 ", date(2027, 1, 5)),
        ("2024-02-29", date(2024, 2, 29)),
        ("today", TODAY),
        ("Today", TODAY),
        ("tomorrow", date(2026, 11, 24)),
        ("TOMORROW", date(2026, 11, 24)),
        ("yesterday", date(2026, 11, 22)),
        ("+3d", date(2026, 11, 26)),
        ("+0d", TODAY),
        ("-1d", date(2026, 11, 22)),
        ("+2w", date(2026, 12, 7)),
        ("-1w", date(2026, 11, 16)),
        ("+1m", date(2026, 12, 23)),
        ("+2m", date(2027, 1, 23)),
        ("-1m", date(2026, 10, 23)),
    ],
)
def test_iso_words_and_offsets(text: str, expected: date) -> None:
    assert parse_date(text, TODAY) == expected


def test_a_month_on_from_the_31st_is_the_end_of_the_next_month() -> None:
    assert parse_date("+1m", date(2027, 1, 31)) == date(2027, 2, 28)
    assert parse_date("+1m", date(2028, 1, 31)) == date(2028, 2, 29)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tue", date(2026, 11, 24)),
        ("Tuesday", date(2026, 11, 24)),
        ("wed", date(2026, 11, 25)),
        ("fri", date(2026, 11, 27)),
        ("friday", date(2026, 11, 27)),
        ("sat", date(2026, 11, 28)),
        ("sun", date(2026, 11, 29)),
        # Today is a Monday: "mon" is next Monday, never today.
        ("mon", date(2026, 11, 30)),
        ("Monday", date(2026, 11, 30)),
    ],
)
def test_weekday_names_are_the_next_such_day(text: str, expected: date) -> None:
    assert parse_date(text, TODAY) == expected


NAMES = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
FULL = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


@given(today=todays, index=st.integers(0, 6), full=st.booleans())
def test_weekday_name_is_one_to_seven_days_ahead(today: date, index: int, full: bool) -> None:
    result = parse_date((FULL if full else NAMES)[index], today)
    assert 1 <= (result - today).days <= 7
    assert result.weekday() == index


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("24 nov", TODAY, date(2026, 11, 24)),
        ("24 Nov", TODAY, date(2026, 11, 24)),
        ("24th November", TODAY, date(2026, 11, 24)),
        ("Nov 24", TODAY, date(2026, 11, 24)),
        ("Nov 24 2026", TODAY, date(2026, 11, 24)),
        ("Nov 24, 2027", TODAY, date(2027, 11, 24)),
        ("24 November 2027", TODAY, date(2027, 11, 24)),
        ("1st dec", TODAY, date(2026, 12, 1)),
        ("3 sept", TODAY, date(2026, 9, 3)),  # 81 days ago is nearer than next year
        # Without a year: the nearest such date.
        ("2 jan", date(2026, 12, 30), date(2027, 1, 2)),
        ("20 dec", date(2027, 1, 5), date(2026, 12, 20)),
        ("1 jun", date(2026, 1, 10), date(2026, 6, 1)),
        # A leap day means the nearest one.
        ("29 feb", date(2027, 11, 1), date(2028, 2, 29)),
        ("29 feb", date(2028, 3, 10), date(2028, 2, 29)),
        ("29 feb 2028", TODAY, date(2028, 2, 29)),
    ],
)
def test_day_month_forms(text: str, today: date, expected: date) -> None:
    assert parse_date(text, today) == expected


@given(today=todays, target=st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
def test_day_month_without_a_year_is_within_half_a_year(today: date, target: date) -> None:
    month = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    text = f"{target.day} {month[target.month - 1]}"
    try:
        result = parse_date(text, today)
    except UsageError:
        # Only a leap day can be missing from every year near today.
        assert (target.month, target.day) == (2, 29)
        return
    assert (result.month, result.day) == (target.month, target.day)
    assert abs((result - today).days) <= 183


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "soon",
        "next week",
        "2026-02-30",
        "2026-13-01",
        "31 nov",
        "32 dec",
        "29 feb 2027",
        "24 foo",
        "24 ma",  # too short to be a month
        "+3y",
        "+d",
        "t",  # too short to be a weekday
        "s",
    ],
)
def test_bad_dates_raise_usage_error(text: str) -> None:
    with pytest.raises(UsageError):
        parse_date(text, TODAY)


@pytest.mark.parametrize("text", ["9999-12-31", "0001-01-01", "1899-12-31", "3000-01-01"])
def test_dates_out_of_range_are_refused(text: str) -> None:
    # Found by tests/test_hostile_input.py: 'sweep --date 9999-12-31' (and 0001-01-01)
    # ended in exit 70, the sweep's window running past the last (first) date there is.
    with pytest.raises(UsageError, match="out of range"):
        parse_date(text, TODAY)
    assert parse_date("1900-01-01", TODAY) == date(1900, 1, 1)
    assert parse_date("2999-12-31", TODAY) == date(2999, 12, 31)


def test_a_missing_leap_day_is_a_usage_error() -> None:
    # From September 2028 the nearest 29 Feb is half a year back, and 2029 has none.
    with pytest.raises(UsageError):
        parse_date("29 feb", date(2028, 9, 1))
    with pytest.raises(UsageError):
        parse_date("29 feb", date(2026, 6, 1))


@given(today=todays, n=st.integers(0, 9999))
def test_plus_n_days(today: date, n: int) -> None:
    assert parse_date(f"+{n}d", today) == today + timedelta(days=n)
    assert parse_date(f"-{n}d", today) == today - timedelta(days=n)


@given(today=todays, n=st.integers(0, 999))
def test_plus_n_weeks(today: date, n: int) -> None:
    assert parse_date(f"+{n}w", today) == today + timedelta(weeks=n)


@given(today=todays, n=st.integers(1, 120))
def test_plus_n_months_keeps_the_day_or_ends_the_month(today: date, n: int) -> None:
    result = parse_date(f"+{n}m", today)
    months = (result.year - today.year) * 12 + result.month - today.month
    assert months == n
    if result.day != today.day:
        assert result.day < today.day
        assert (result + timedelta(days=1)).day == 1  # the last day of its month


@given(today=todays, day=st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)))
def test_iso_round_trip(today: date, day: date) -> None:
    assert parse_date(day.isoformat(), today) == day


def test_parse_date_does_not_read_the_clock() -> None:
    # Same text, different injected today: different answers.
    assert parse_date("tomorrow", date(2001, 1, 1)) == date(2001, 1, 2)
    assert parse_date("fri", date(2001, 1, 1)) == date(2001, 1, 5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("fri", date(2026, 11, 20)),
        ("sun", date(2026, 11, 22)),
        ("tue", date(2026, 11, 17)),
        ("mon", date(2026, 11, 16)),  # today is a Monday: the one before, never today
    ],
)
def test_weekday_names_in_the_past_are_the_last_such_day(text: str, expected: date) -> None:
    assert parse_date(text, TODAY, past=True) == expected


@given(today=todays, index=st.integers(0, 6))
def test_weekday_name_in_the_past_is_one_to_seven_days_back(today: date, index: int) -> None:
    result = parse_date(NAMES[index], today, past=True)
    assert 1 <= (today - result).days <= 7
    assert result.weekday() == index


def test_past_changes_only_weekday_names() -> None:
    for text in ["2026-12-01", "tomorrow", "+3d", "24 dec"]:
        assert parse_date(text, TODAY, past=True) == parse_date(text, TODAY)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("24/11/2026", date(2026, 11, 24)),  # UK, day first
        ("11/24/2026", date(2026, 11, 24)),  # US, month first: only one reading is real
        ("24.11.26", date(2026, 11, 24)),
        ("5/5/2027", date(2027, 5, 5)),  # both readings agree
        ("30/11", date(2026, 11, 30)),  # no year: the nearest
    ],
)
def test_numeric_dates_when_only_one_reading_is_real(text: str, expected: date) -> None:
    assert parse_date(text, date(2026, 11, 23)) == expected


@pytest.mark.parametrize(
    "country, expected",
    [
        ("GB-ENG", date(2027, 4, 3)),  # the UK writes the day first
        ("IE", date(2027, 4, 3)),
        ("US-NY", date(2027, 3, 4)),  # the US the month first
    ],
)
def test_a_numeric_date_is_read_the_way_the_country_writes_it(country, expected) -> None:
    assert parse_date("03/04/2027", TODAY, first=day_first(country)) == expected
    assert parse_date("24/11/2026", TODAY, first=day_first(country)) == date(2026, 11, 24)


def test_an_ambiguous_numeric_date_is_refused_with_both_readings() -> None:
    """With no country set, 03/04/2027 could be either: callplan asks."""
    assert day_first(None) is None
    with pytest.raises(UsageError) as exc:
        parse_date("03/04/2027", date(2026, 11, 23))
    assert "3 Apr or 4 Mar" in exc.value.message
    with pytest.raises(UsageError):
        parse_date("31/13/2026", date(2026, 11, 23))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2y", date(2024, 11, 23)),
        ("18m", date(2025, 5, 23)),
        ("26w", date(2026, 5, 25)),
        ("365d", date(2025, 11, 23)),
        (" 1 Y ", date(2025, 11, 23)),
    ],
)
def test_period_before(text, expected):
    from callplan.core.dates import period_before

    assert period_before(text, date(2026, 11, 23)) == expected


def test_a_year_before_a_leap_day_is_the_28th():
    from callplan.core.dates import period_before

    assert period_before("1y", date(2028, 2, 29)) == date(2027, 2, 28)


@pytest.mark.parametrize("text", ["", "2", "y", "0y", "-2y", "2 years", "9999y", "1.5y"])
def test_a_bad_period_is_a_usage_error(text):
    from callplan.core.dates import period_before
    from callplan.errors import UsageError

    with pytest.raises(UsageError):
        period_before(text, date(2026, 11, 23))
