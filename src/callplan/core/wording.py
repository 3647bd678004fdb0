"""Words every layer shows the same way: dates, counts, ordinals, printable text, JSON."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any

# What a terminal could take as a command rather than text: control characters (ESC
# starts colour codes, title changes, OSC 8 links; C1 codes too) other than tab and line
# break, and lone surrogates (bytes that weren't UTF-8). Shown as U+FFFD instead.
UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def printable(text: str) -> str:
    """Text from the store made safe to print on a terminal."""
    return UNPRINTABLE.sub(REPLACEMENT, text)


def jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, time):  # a time of day: "15:00"
        return value.isoformat(timespec="minutes")
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


# json.dumps escapes the C0 controls; DEL and the C1 controls (U+0080-U+009F, which a
# terminal may take as commands: U+009B is CSI) it leaves raw with ensure_ascii=False.
_RAW_IN_JSON = re.compile("[\x7f-\x9f]")


def json_text(data: Any) -> str:
    """Data as callplan's JSON: indented, dates as ISO text, non-ASCII kept (but no
    control character left raw: the same JSON, safe to print)."""
    text = json.dumps(data, default=jsonable, ensure_ascii=False, indent=2)
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def day_at(d: date | None, at: time | None, today: date | None = None) -> str:
    """A next call: 'Thu 26 Nov at 15:00', 'tomorrow at 09:30', or the day alone."""
    return day(d, today) + (f" at {at:%H:%M}" if at is not None else "")


def day(d: date | None, today: date | None = None) -> str:
    """'today', 'tomorrow', 'yesterday', or 'Mon 23 Nov' (with the year when not this year)."""
    if d is None:
        return "—"
    if today is not None:
        delta = (d - today).days
        if delta == 0:
            return "today"
        if delta == 1:
            return "tomorrow"
        if delta == -1:
            return "yesterday"
    text = f"{d:%a} {d.day} {d:%b}"
    if today is None or d.year != today.year:
        text += f" {d.year}"
    return text


def said_when(d: date, today: date) -> str:
    """When something was said, ready to follow "we spoke" or to open a sentence:
    'today', 'yesterday', 'on Monday' (this week), 'last Friday' (within the last six
    days, in the week before), 'in August' (this year), 'in August 2025' (older)."""
    delta = (today - d).days
    if delta <= 0:
        return "today" if delta == 0 else f"on {day(d, today)}"
    if delta == 1:
        return "yesterday"
    if d.isocalendar()[:2] == today.isocalendar()[:2]:
        return f"on {d:%A}"
    if delta <= 6:
        return f"last {d:%A}"
    if d.year == today.year:
        return f"in {d:%B}"
    return f"in {d:%B} {d.year}"


_SMALL = {1: "a", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}


def interval(days: int, working: bool = False) -> str:
    """A wait in words, as said on the phone: 'a month', 'two weeks', 'three months',
    '10 days', '2 working days'."""
    if working:
        return count(days, "working day")
    for size, unit in ((365, "year"), (30, "month"), (7, "week")):
        if days >= size and days % size == 0:
            n = days // size
            return f"{_SMALL.get(n, str(n))} {unit}{'s' if n > 1 else ''}"
    return "a day" if days == 1 else count(days, "day")


def local_time(ts: datetime | None) -> str:
    """A UTC timestamp shown in the local time zone."""
    if ts is None:
        return ""
    local = ts.astimezone()
    return f"{local.day} {local:%b %Y %H:%M}"


def count(n: int, word: str, plural: str | None = None) -> str:
    """'1 call', '2 calls', '0 notes', '1,204 DMs'."""
    return f"{n:,} {word if n == 1 else plural or word + 's'}"


def listed(parts: Sequence[str], last: str = "and") -> str:
    """'a', 'a and b', 'a, b and c' (or 'a, b or c' with ``last='or'``)."""
    return parts[-1] if len(parts) == 1 else ", ".join(parts[:-1]) + f" {last} " + parts[-1]


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# A spreadsheet runs a cell starting with one of these as a formula ("CSV injection"),
# after any spaces or line breaks, and in their full-width forms too.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise(text: str) -> str:
    """A cell a spreadsheet would run as a formula, prefixed with a single quote (OWASP's
    advice), so it is shown as text. A phone number like +44 20 7946 0000 gets one too."""
    risky = text.startswith(FORMULA_START) or text.lstrip().startswith(FORMULA_START)
    return "'" + text if risky else text


def unneutralise(text: str) -> str:
    """A cell as it was before ``neutralise``: callplan's own CSV export imports as the
    values it holds ('+44 117 496 0111 is +44 117 496 0111)."""
    rest = text[1:]
    if text.startswith("'") and (
        rest.startswith(FORMULA_START) or rest.lstrip().startswith(FORMULA_START)
    ):
        return rest
    return text
