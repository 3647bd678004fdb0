"""Reading dates the way a recruiter types them.

ISO dates (2026-11-24), day-first or month-first numbers when only one reading is a
real date (24/11/2026, 24.11.26), ``today``, ``tomorrow``, ``yesterday``, offsets (``+3d``,
``+2w``, ``+1m``, ``-1d``), weekday names (``tue``, ``friday`` = the next one, never
today) and day-month forms with a month name (``24 nov``, ``24 November 2026``).
Everything is relative to an injected ``today``; nothing here reads the clock.

A call's due date may carry a time of day (``parse_when``): ``thu 15:00``, ``tomorrow
9:30``, ``2026-12-09 10:00``, ``24 nov 3pm``, ``fri 3:30pm``: 24-hour ``H:MM``/``HH:MM``,
or ``h``/``h:mm`` with am or pm. A time alone (``15:00``, ``3pm``) means today, or the
day a prompt offered.
"""

from __future__ import annotations

import re
from datetime import date, time, timedelta

from callplan.errors import UsageError

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_OFFSET = re.compile(r"^([+-])\s*(\d{1,4})\s*([dwm])$")
_DAY_MONTH = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?(?:\s+(\d{4}))?$")
_NUMERIC = re.compile(r"^(\d{1,2})[/.](\d{1,2})(?:[/.](\d{4}|\d{2}))?$")
_MONTH_DAY = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?$")

HELP = "2026-11-24, 24/11/2026, 24 nov, today, tomorrow, yesterday, +3d, +2w, +1m, a weekday (tue)"


def weekday_index(name: str) -> int | None:
    """0 for Monday: 'tue', 'tues', 'Tuesday' and 'tu' all name Tuesday."""
    key = name.strip().lower()
    if len(key) < 2:
        return None
    matches = [i for i, full in enumerate(WEEKDAYS) if full.startswith(key)]
    return matches[0] if len(matches) == 1 else None


def _month_index(name: str) -> int | None:
    key = "sep" if name == "sept" else name
    if len(key) < 3:
        return None
    matches = [i + 1 for i, full in enumerate(MONTHS) if full.startswith(key)]
    return matches[0] if len(matches) == 1 else None


def _from_parts(day: int, month_name: str | int, year: str | None, today: date, text: str) -> date:
    month = month_name if isinstance(month_name, int) else _month_index(month_name)
    if month is None:
        raise UsageError(f"Can't read the date {text!r}: unknown month {month_name!r}.")
    if year and len(year) == 2:
        year = f"20{year}"
    try:
        if year:
            return date(int(year), month, day)
        date(2000, month, day)  # a day some year has (2000 was a leap year)
    except ValueError:
        raise UsageError(f"Can't read the date {text!r}: no such day.") from None
    # "24 nov" without a year means the nearest such date, not one in the distant past;
    # "29 feb" means the nearest leap day, if there is one within half a year.
    candidates = []
    for y in (today.year - 1, today.year, today.year + 1):
        try:
            candidate = date(y, month, day)
        except ValueError:
            continue
        if abs((candidate - today).days) <= 183:
            candidates.append(candidate)
    if not candidates:
        raise UsageError(f"Can't read the date {text!r}: no such day near today; add the year.")
    return min(candidates, key=lambda c: abs((c - today).days))


# Where dates are written month first (11/24/2026); everywhere else, day first.
MONTH_FIRST = frozenset({"US", "PH", "FM", "MH", "PW"})


def day_first(country: str | None) -> bool | None:
    """How the country setting writes 03/04/2027: day first (GB: 3 April), month first
    (US: 4 March), or None when no country is set (such a date is asked about)."""
    if not country:
        return None
    return country.split("-")[0].upper() not in MONTH_FIRST


def _numeric(a: int, b: int, year: str | None, today: date, text: str, first: bool | None) -> date:
    """24/11/2026 (day first, as in the UK) or 11/24/2026 (month first, as in the US):
    read the country's way (``first``: day first?) when both readings are real dates;
    with no country, taken only when just one reading is a real date."""
    readings = {(d, m) for d, m in ((a, b), (b, a)) if 1 <= m <= 12 and 1 <= d <= 31}
    if len(readings) == 2 and first is not None:
        readings = {(a, b) if first else (b, a)}
    if len(readings) != 1:
        if not readings:
            raise UsageError(f"Can't read the date {text!r}: no such day.")
        raise UsageError(
            f"The date {text!r} could be {a} {MONTHS[b - 1][:3].title()} or "
            f"{b} {MONTHS[a - 1][:3].title()}: write it as YYYY-MM-DD or '{a} "
            f"{MONTHS[b - 1][:3]}'."
        )
    day, month = readings.pop()
    return _from_parts(day, month, year, today, text)


def _shift(today: date, n: int, unit: str, raw: str) -> date:
    """``today`` moved by ``n`` days (d), weeks (w), months (m) or years (y)."""
    from dateutil.relativedelta import relativedelta

    try:
        if unit == "d":
            return today + timedelta(days=n)
        if unit == "w":
            return today + timedelta(weeks=n)
        if unit == "m":
            return today + relativedelta(months=n)
        return today + relativedelta(years=n)
    except (OverflowError, ValueError):
        raise UsageError(f"The date {raw!r} is out of range.") from None


_PERIOD = re.compile(r"^(\d{1,4})\s*([dwmy])$")
PERIOD_HELP = "a number and d, w, m or y: 365d, 26w, 18m, 2y"


def period_before(text: str, today: date) -> date:
    """The date a period (``2y``, ``18m``, ``26w``, ``365d``) before ``today``."""
    m = _PERIOD.match(text.strip().lower())
    if not m or int(m.group(1)) == 0:
        raise UsageError(f"Can't read the period {text!r}: use {PERIOD_HELP}.")
    return _shift(today, -int(m.group(1)), m.group(2), text)


# The dates a recruiter can mean. Anything further off is a typo, and the planner works
# a cycle and a month on from a date, which must stay within what a date can hold.
EARLIEST, LATEST = date(1900, 1, 1), date(2999, 12, 31)


def parse_date(text: str, today: date, *, past: bool = False, first: bool | None = None) -> date:
    """Turn what the user typed into a date, relative to ``today``.

    A weekday name means the next such day, or with ``past`` (for when a call was made)
    the last one: on a Saturday, ``fri`` is yesterday. ``first`` says how 03/04/2027 is
    read (``day_first`` of the country setting); None asks when both readings are dates.
    """
    day = _read(text, today, past=past, first=first)
    if not EARLIEST <= day <= LATEST:
        raise UsageError(
            f"The date {text!r} is out of range: use one from {EARLIEST.year} to {LATEST.year}."
        )
    return day


def _read(text: str, today: date, *, past: bool, first: bool | None = None) -> date:
    raw = text
    text = text.strip().lower()
    if not text:
        raise UsageError("A date is empty. Use " + HELP + ".")
    if text == "today":
        return today
    if text in ("tomorrow", "tmrw", "tmw"):
        return today + timedelta(days=1)
    if text == "yesterday":
        return today - timedelta(days=1)
    if m := _OFFSET.match(text):
        sign = 1 if m.group(1) == "+" else -1
        return _shift(today, sign * int(m.group(2)), m.group(3), raw)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise UsageError(f"{raw!r} is not a real date.") from None
    if text.isalpha() and (wd := weekday_index(text)) is not None:
        if past:
            return today - timedelta(days=(today.weekday() - wd) % 7 or 7)
        return today + timedelta(days=(wd - today.weekday()) % 7 or 7)
    if m := _DAY_MONTH.match(text):
        return _from_parts(int(m.group(1)), m.group(2), m.group(3), today, raw)
    if m := _MONTH_DAY.match(text):
        return _from_parts(int(m.group(2)), m.group(1), m.group(3), today, raw)
    if m := _NUMERIC.match(text):
        return _numeric(int(m.group(1)), int(m.group(2)), m.group(3), today, raw, first)
    raise UsageError(f"Can't read the date {raw!r}. Use {HELP}.")


# A time of day as a recruiter types it: 15:00, 9:30 (24-hour, minutes required), or
# 3pm, 3:30pm, 11 a.m. (12-hour with am/pm).
_CLOCK_24 = re.compile(r"^(\d{1,2}):(\d{2})$")
_CLOCK_12 = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*([ap])\.?m\.?$")
TIME_HELP = "15:00, 9:30, 3pm or 3:30pm"
WHEN_HELP = f"{HELP}; with a time after it if one was agreed ({TIME_HELP})"


def parse_time(text: str) -> time:
    """A time of day: ``15:00``, ``9:30`` (24-hour) or ``3pm``, ``3:30pm``, ``12am``."""
    raw = text
    text = text.strip().lower()
    hour: int | None = None
    minute = 0
    if m := _CLOCK_24.match(text):
        hour, minute = int(m.group(1)), int(m.group(2))
        if hour > 23:
            hour = None
    elif m := _CLOCK_12.match(text):
        twelve, minute = int(m.group(1)), int(m.group(2) or 0)
        if 1 <= twelve <= 12:
            hour = twelve % 12 + (12 if m.group(3) == "p" else 0)
    if hour is None or minute > 59:
        raise UsageError(f"Can't read the time {raw.strip()!r}: use {TIME_HELP}.")
    return time(hour, minute)


def _split_time(text: str) -> tuple[str, str | None]:
    """'thu 15:00' -> ('thu', '15:00'); '24 nov 3 pm' -> ('24 nov', '3 pm'); a date alone
    -> (it, None). The time is the last word (or a number and am/pm); a colon or am/pm
    makes it one, so a bare number still ends a date ("24 nov 2026", "nov 24")."""
    words = text.split()
    if len(words) >= 2 and re.fullmatch(r"[ap]\.?m\.?", words[-1].lower()):
        words = [*words[:-2], words[-2] + words[-1]]
    if not words:
        return text, None
    last = words[-1].lower()
    if ":" in last or re.fullmatch(r"\d{1,2}[ap]\.?m\.?", last):
        return " ".join(words[:-1]), words[-1]
    return text, None


def parse_when(
    text: str, today: date, *, first: bool | None = None, alone: date | None = None
) -> tuple[date, time | None]:
    """A due date with an optional time of day after it: ``thu 15:00``, ``tomorrow
    9:30``, ``2026-12-09 10:00``, ``fri 3pm``; the date as ``parse_date`` reads it (a
    weekday is the next one). A time alone (``15:00``, ``3pm``) is for ``alone`` (the
    date a prompt offered), else today. Nothing here knows the time now, so a time
    already past today is taken as typed."""
    stripped = text.strip()
    if (m := re.fullmatch(r"(\d{4}-\d{2}-\d{2})t(.+)", stripped.lower())) is not None:
        day_part, time_part = m.group(1), m.group(2)  # 2026-12-09T10:00
    else:
        day_part, time_part = _split_time(stripped)
    if time_part is None:
        return parse_date(stripped, today, first=first), None
    at = parse_time(time_part)
    if not day_part:
        return alone or today, at
    return parse_date(day_part, today, first=first), at


def clock(at: time | None) -> str | None:
    """A time of day as the plan shows it: '15:00', '09:30'; None for none."""
    return None if at is None else f"{at:%H:%M}"


# A date-time as exporters write one: "2024-03-14 10:22", "2024-03-14T10:22:05.123Z",
# "14/03/2024 10:22:05", "3/14/2024 10:22 AM": the time goes, the date is read as typed.
_TIME_PART = re.compile(
    r"^(\S+)(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?"  # 10:22, 10:22:05, 10:22:05.123
    r"\s*(?:[ap]\.?m\.?)?\s*(?:z|[+-]\d{2}:?\d{2}|utc)?)$"  # AM/PM, a zone
)
_ISO_START = re.compile(r"^(\d{4}-\d{2}-\d{2})t")  # 2024-03-14T…, whatever the time's form


def file_date(text: str, today: date, *, first: bool | None) -> date:
    """A date in a file (a CRM's "Last Contacted", a spreadsheet's column): the forms
    ``parse_date`` reads, with any time of day after it left out. ``first`` says how
    03/04/2027 is read (the country's way); with no country it must be unambiguous."""
    raw = text.strip()
    key = raw.lower()
    if (m := _ISO_START.match(key)) or (m := _TIME_PART.match(key)):
        key = m.group(1)
    if key in ("today", "tomorrow", "tmrw", "tmw", "yesterday") or _OFFSET.match(key):
        raise UsageError(f"Can't read the date {raw!r}: write it as YYYY-MM-DD.")
    if key.isalpha():
        raise UsageError(f"Can't read the date {raw!r}: write it as YYYY-MM-DD.")
    return parse_date(key, today, first=first)
