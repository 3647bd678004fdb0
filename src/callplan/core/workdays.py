"""Working days: the configured weekdays minus the country's public holidays.

``WorkCalendar`` is pure: it takes the working weekdays and any mapping of holiday
dates to names. ``calendar_for(settings)`` builds one from the ``holidays`` package.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Container, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Protocol

from callplan.core.paths import private_folder
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


def _country_holidays(code: str, years: Any = None) -> Any:
    """The holidays package's calendar for a code like GB-ENG; ConfigError if unknown."""
    import holidays

    country, subdiv = split_country(code)
    try:
        return holidays.country_holidays(country, subdiv=subdiv, years=years)
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


def check_country(code: str | None) -> None:
    """Refuse a country code the holidays package doesn't know (ConfigError)."""
    if code:
        _country_holidays(code)


class CachedHolidays:
    """A country's public holidays, a year at a time, kept in a small cache file.

    Importing the holidays package and working out a year's holidays costs more than
    the rest of a command's own work, so each year is worked out once and kept (in the
    user's cache folder, keyed by the package's installed files so that an upgrade with
    corrected dates starts afresh). Without a usable cache folder it works the same,
    only slower.
    """

    def __init__(self, code: str, cache: Path | None) -> None:
        self.code = code
        self.cache = cache
        self.years: dict[int, dict[date, str]] = {}
        self._stored: dict[str, dict[str, str]] | None = None

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and day in self._year(day.year)

    def get(self, day: Any, default: Any = None) -> Any:
        return self._year(day.year).get(day, default) if isinstance(day, date) else default

    def _year(self, year: int) -> dict[date, str]:
        if year not in self.years:
            try:
                stored: Any = self._read().get(str(year))
                self.years[year] = {date.fromisoformat(d): str(n) for d, n in stored.items()}
            except (AttributeError, TypeError, ValueError):  # not cached, or mangled
                found = _country_holidays(self.code, years=[year])
                self.years[year] = {d: str(name) for d, name in sorted(found.items())}
                self._write(year, {d.isoformat(): n for d, n in self.years[year].items()})
        return self.years[year]

    def _file(self) -> Path | None:
        return self.cache / f"holidays-{self.code}.json" if self.cache else None

    def _read(self) -> dict[str, dict[str, str]]:
        if self._stored is None:
            self._stored = {}
            path = self._file()
            try:
                data = json.loads(path.read_text(encoding="utf-8")) if path else {}
            except (OSError, ValueError):
                data = {}
            if isinstance(data, dict) and data.get("source") == _source():
                years = data.get("years")
                self._stored = years if isinstance(years, dict) else {}
        return self._stored

    def _write(self, year: int, holidays: dict[str, str]) -> None:
        stored = self._read()
        stored[str(year)] = holidays
        path = self._file()
        if path is None:
            return
        try:
            private_folder(path.parent)
            # A temporary file of its own (0600, whatever the umask), moved into place.
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        except OSError:
            return  # a cache only: next time works it out again
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as stream:
                stream.write(json.dumps({"source": _source(), "years": stored}))
            os.replace(tmp, path)
        except OSError:
            Path(tmp).unlink(missing_ok=True)


def _source() -> str:
    """What the cached holidays came from: the installed holidays package's version file."""
    from importlib.util import find_spec

    spec = find_spec("holidays")
    if spec is None or spec.origin is None:
        return ""
    folder = Path(spec.origin).parent
    version = folder / "version.py"
    try:
        st = version.stat() if version.exists() else Path(spec.origin).stat()
    except OSError:
        return ""
    return f"{folder}:{st.st_size}:{st.st_mtime_ns}"


def holidays_for(code: str | None, cache: Path | None = None) -> HolidayLookup:
    return CachedHolidays(code, cache) if code else {}


def calendar_for(
    weekdays: frozenset[int], country: str | None, cache: Path | None = None
) -> WorkCalendar:
    return WorkCalendar(weekdays, holidays_for(country, cache))
