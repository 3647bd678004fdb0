"""Working days: the configured weekdays minus the country's public holidays.

``WorkCalendar`` is pure: it takes the working weekdays and any mapping of holiday
dates to names. ``calendar_for(settings)`` builds one from the ``holidays`` package.
"""

from __future__ import annotations

from collections.abc import Container, Iterator
from datetime import date, timedelta
from typing import Any, Protocol

from callplan.errors import ConfigError

WEEKDAY_KEYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class HolidayLookup(Container[Any], Protocol):
    def get(self, key: Any, default: Any = None) -> Any: ...


class WorkCalendar:
    def __init__(self, weekdays: frozenset[int], holidays: HolidayLookup | None = None) -> None:
        if not weekdays:
            raise ConfigError("At least one working weekday is needed (setting 'workdays').")
        self.weekdays = weekdays
        self.holidays: HolidayLookup = holidays if holidays is not None else {}

    def is_working(self, day: date) -> bool:
        return day.weekday() in self.weekdays and day not in self.holidays

    def holiday_name(self, day: date) -> str | None:
        name = self.holidays.get(day)
        return str(name) if name else None

    def next_working(self, day: date, *, inclusive: bool = True) -> date:
        """The first working day on or after ``day`` (after it if not inclusive)."""
        d = day if inclusive else day + timedelta(days=1)
        for _ in range(3660):
            if self.is_working(d):
                return d
            d += timedelta(days=1)
        raise ConfigError("No working day within ten years: check 'workdays' and 'country'.")

    def previous_working(self, day: date, *, inclusive: bool = True) -> date:
        """The last working day on or before ``day`` (before it if not inclusive)."""
        d = day if inclusive else day - timedelta(days=1)
        for _ in range(3660):
            if self.is_working(d):
                return d
            d -= timedelta(days=1)
        raise ConfigError("No working day within ten years: check 'workdays' and 'country'.")

    def add_working_days(self, day: date, n: int) -> date:
        """``n`` working days after ``day``; 0 means ``day`` itself if it is a working day.

        Counted from ``day`` even when it isn't a working day: one working day after a
        Saturday is the Monday.
        """
        if n <= 0:
            return self.next_working(day)
        d = day
        for _ in range(n):
            d = self.next_working(d, inclusive=False)
        return d

    def working_days(self, start: date, end: date) -> Iterator[date]:
        """Working days from ``start`` up to, not including, ``end``."""
        d = start
        while d < end:
            if self.is_working(d):
                yield d
            d += timedelta(days=1)


def parse_weekdays(text: str) -> frozenset[int]:
    """'mon,tue,wed,thu,fri' or 'mon-fri' -> {0, 1, 2, 3, 4}."""
    days: set[int] = set()
    for part in text.replace(" ", "").lower().split(","):
        if not part:
            continue
        if "-" in part:
            a, _, b = part.partition("-")
            i, j = _weekday(a), _weekday(b)
            days.update(range(i, j + 1) if i <= j else [*range(i, 7), *range(0, j + 1)])
        else:
            days.add(_weekday(part))
    if not days:
        raise ConfigError(f"No working weekdays in {text!r}: use e.g. 'mon-fri' or 'mon,tue,wed'.")
    return frozenset(days)


def _weekday(name: str) -> int:
    key = name[:3]
    if key not in WEEKDAY_KEYS:
        raise ConfigError(f"{name!r} is not a weekday: use mon, tue, wed, thu, fri, sat, sun.")
    return WEEKDAY_KEYS.index(key)


def split_country(code: str) -> tuple[str, str | None]:
    """'GB-ENG' -> ('GB', 'ENG'); 'gb' -> ('GB', None)."""
    country, _, subdiv = code.strip().partition("-")
    return country.upper(), (subdiv.upper() or None)


def holidays_for(code: str | None) -> HolidayLookup:
    if not code:
        return {}
    import holidays

    country, subdiv = split_country(code)
    try:
        return holidays.country_holidays(country, subdiv=subdiv)
    except NotImplementedError as exc:
        if subdiv and "subdivision" in str(exc):
            raise ConfigError(
                f"Unknown subdivision {subdiv!r} for {country}: use e.g. GB-ENG, GB-SCT, "
                "GB-WLS, GB-NIR (setting 'country', or CALLPLAN_COUNTRY)."
            ) from None
        raise ConfigError(
            f"No public holidays known for country {country!r}: use an ISO code such as GB, "
            "GB-ENG, IE, US or DE (setting 'country', or CALLPLAN_COUNTRY)."
        ) from None


def calendar_for(weekdays: frozenset[int], country: str | None) -> WorkCalendar:
    return WorkCalendar(weekdays, holidays_for(country))
