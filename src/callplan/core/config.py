"""Settings: defaults, then the TOML config file, then the environment — resolved once.

The file lives in the user's config folder (``CALLPLAN_CONFIG`` points elsewhere).
Every key has an environment variable that overrides it for one run; ``callplan config``
shows where each value came from.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import time
from pathlib import Path
from typing import Any

from callplan.core import files
from callplan.core.names import RECRUITER_MAX, login_name, recruiter_name
from callplan.core.outcomes import OUTCOMES
from callplan.core.paths import private_folder
from callplan.core.workdays import WorkCalendar, calendar_for, parse_weekdays
from callplan.errors import ConfigError

APP = "callplan"
_DELAY = re.compile(r"^(\d{1,3})\s*(d|wd)$")


@dataclass(frozen=True)
class Delay:
    """How long after a call the next one comes: calendar days, working days, or the cycle."""

    amount: int
    unit: str  # "d", "wd", "cycle" or "none"

    @classmethod
    def parse(cls, text: str) -> Delay:
        t = str(text).strip().lower()
        if t in ("cycle", "none"):
            return cls(0, t)
        if m := _DELAY.match(t):
            return cls(int(m.group(1)), m.group(2))
        raise ConfigError(
            f"{text!r} is not a delay: use e.g. '2wd' (working days), '30d' (days) or 'cycle'."
        )

    def __str__(self) -> str:
        return self.unit if self.unit in ("cycle", "none") else f"{self.amount}{self.unit}"


def _positive_int(text: Any) -> int:
    try:
        value = int(str(text).strip())
    except ValueError:
        raise ConfigError(f"{text!r} is not a whole number.") from None
    if value < 1 or value > 100_000:
        raise ConfigError(f"{text!r} is out of range: use a whole number from 1.")
    return value


def _whole(low: int, high: int, unit: str = "") -> Callable[[Any], int]:
    """A whole number from ``low`` to ``high`` (a setting's parser)."""

    def parse(text: Any) -> int:
        try:
            value = int(str(text).strip())
        except ValueError:
            raise ConfigError(f"{text!r} is not a whole number.") from None
        if not low <= value <= high:
            raise ConfigError(f"{text!r} is out of range: use {low} to {high}{unit}.")
        return value

    return parse


_quota = _whole(0, 1000)
_minutes = _whole(0, 1440, " minutes")


def _country(text: Any) -> str | None:
    code = str(text).strip().upper()
    if not code or code == "NONE":
        return None
    if not re.fullmatch(r"[A-Z]{2,3}(-[A-Z0-9]{1,5})?", code):
        raise ConfigError(f"{text!r} is not a country code: use e.g. GB, GB-ENG, IE, US-NY.")
    return code


def _workdays(text: Any) -> str:
    days = parse_weekdays(str(text))
    return ",".join(
        k for i, k in enumerate(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]) if i in days
    )


def _clock(text: Any) -> str:
    """A time of day as HH:MM (24-hour): '9:00' and '09:00' both give '09:00'."""
    t = str(text).strip()
    m = re.fullmatch(r"(\d{1,2}):(\d{2})(?::00)?", t)  # TOML times have seconds
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise ConfigError(f"{text!r} is not a time of day: use HH:MM (24-hour), e.g. 09:00.")
    return f"{int(m.group(1)):02d}:{m.group(2)}"


def _slot_minutes(text: Any) -> int:
    value = _positive_int(text)
    if value > 480:
        raise ConfigError(f"{text!r} is out of range: use 1 to 480 minutes.")
    return value


def _user(text: Any) -> str:
    name = recruiter_name(str(text))
    if name is None:
        raise ConfigError(
            f"{text!r} is not a recruiter's name: use 1 to {RECRUITER_MAX} characters, "
            "no control characters."
        )
    return name


FIRST_WORKING_DAY = "first-working-day"


def _sweep_day(text: Any) -> str:
    """``first-working-day``, or a day of the month every month has (1 to 28)."""
    key = str(text).strip().lower().replace("_", "-").replace(" ", "-")
    if key == FIRST_WORKING_DAY:
        return key
    try:
        day = int(key)
    except ValueError:
        day = 0
    if not 1 <= day <= 28:
        raise ConfigError(
            f"{text!r} is not a sweep day: use a day of the month from 1 to 28, or "
            f"{FIRST_WORKING_DAY}."
        )
    return str(day)


def _delay(text: Any) -> str:
    delay = Delay.parse(text)
    if delay.unit == "none":  # every conversation diarises a next call within the cycle
        raise ConfigError(
            f"{text!r} is not a delay: use e.g. '2wd' (working days), '30d' (days) or 'cycle'."
        )
    return str(delay)


def _wait(text: Any) -> str:
    """A delay in days or working days (a delivery call's, `delivery.*`)."""
    delay = Delay.parse(text)
    if delay.unit not in ("d", "wd"):
        raise ConfigError(f"{text!r} is not a delay: use e.g. '2wd' (working days) or '3d' (days).")
    return str(delay)


# The delays of the calls a submission's stages plan (core.delivery.DELAYS, which
# can't be imported here: it imports this module).
DELIVERY_DELAYS = {
    "cv_feedback": ("2wd", "after CVs are sent: chase the client for feedback"),
    "chase": ("2wd", "after a chase that brought no answer: the next chase"),
    "prep": ("1wd", "before an interview: the candidate's prep call"),
    "check_in": ("3wd", "after a placed candidate starts: the check-in calls"),
}


@dataclass(frozen=True)
class Key:
    name: str
    default: Any
    parse: Callable[[Any], Any]
    help: str

    @property
    def env(self) -> str:
        return "CALLPLAN_" + re.sub(r"[^A-Z0-9]", "_", self.name.upper())


# Where a locale's country has regional holidays, the region most users are in. A UK
# locale means England's bank holidays (Easter Monday, the August bank holiday); Scotland,
# Wales and Northern Ireland set GB-SCT, GB-WLS or GB-NIR.
_LOCALE_REGION = {"GB": "GB-ENG"}


def locale(environ: Mapping[str, str]) -> tuple[str, str] | None:
    """The locale variable that decides the country, and its value: the first of
    LC_ALL, LC_TIME and LANG that is set (and not empty); None if none is."""
    for var in ("LC_ALL", "LC_TIME", "LANG"):
        if value := environ.get(var, ""):
            return var, value
    return None


def default_country(environ: Mapping[str, str]) -> str | None:
    """The country of the user's locale (en_GB.UTF-8 -> GB-ENG, de_DE -> DE), else none."""
    found = locale(environ)
    if found and (m := re.match(r"^[a-z]{2,3}_([A-Z]{2})\b", found[1])):
        return _LOCALE_REGION.get(m.group(1), m.group(1))
    return None


def _shown_locale(environ: Mapping[str, str]) -> str | None:
    """'LANG=en_GB.UTF-8': the deciding locale variable as a setting's source shows it
    (its value as plain characters, and not too long)."""
    found = locale(environ)
    if found is None:
        return None
    var, value = found
    return f"{var}={re.sub(r'[^A-Za-z0-9_.@-]', '?', value[:40])}"


# The example country a hint gives: callplan's own (its guide's examples are British).
EXAMPLE_COUNTRY = "GB-ENG"


def country_hint(settings: Settings, environ: Mapping[str, str]) -> str | None:
    """One line on how to set the country, when none is in force because nothing named
    one (not when the file or the environment says ``none``): plans then leave out no
    public holidays, Christmas Day included."""
    if settings.sources.get("country") != "none":
        return None
    shown = _shown_locale(environ)
    why = f"{shown} names none" if shown else "no locale is set"
    return (
        f"Public holidays: none, as no country is set ({why}). "
        f"Set yours: callplan config set country {EXAMPLE_COUNTRY} (or IE, US-NY, ...)"
    )


KEYS: dict[str, Key] = {
    k.name: k
    for k in [
        Key("new_per_day", 2, _quota, "new decision makers to speak to each working day"),
        Key("cycle_days", 90, _positive_int, "longest gap allowed between conversations"),
        Key(
            "country",
            None,
            _country,
            "public holidays: ISO country[-subdivision], e.g. GB-ENG (default: from the locale)",
        ),
        Key("workdays", "mon,tue,wed,thu,fri", _workdays, "working weekdays, e.g. mon-fri"),
        Key(
            "attempts_warning",
            5,
            _positive_int,
            "dials in a row without a conversation before the plan suggests another route",
        ),
        Key(
            "continuations_warning",
            3,
            _positive_int,
            "conversations in a row without an advance before the plan suggests the advance "
            "to aim for",
        ),
        Key(
            "capacity",
            25,
            _positive_int,
            "calls you can make in a working day: the forecast flags days above it",
        ),
        Key(
            "again_minutes",
            10,
            _minutes,
            "a second log of the same outcome with a DM within this many minutes asks "
            "first (0: never)",
        ),
        Key("day_start", "09:00", _clock, "calendar export: the first call's time (HH:MM)"),
        Key("day_end", "17:00", _clock, "calendar export: calls should end by (HH:MM)"),
        Key("slot_minutes", 15, _slot_minutes, "calendar export: minutes per call"),
        Key(
            "sweep_day",
            FIRST_WORKING_DAY,
            _sweep_day,
            "the day of the month the sweep is due: 1 to 28, or first-working-day "
            "(today reminds you from then until it has run)",
        ),
        Key(
            "user",
            None,
            _user,
            "your name as a recruiter: your calls, notes and DMs in a shared store "
            "(default: your login name)",
        ),
        Key(
            "candidate_cycle_days",
            30,
            _positive_int,
            "longest gap between calls to a candidate who is looking (their own cycle)",
        ),
        *[
            Key(f"delivery.{name}", default, _wait, f"delivery call: {what}")
            for name, (default, what) in DELIVERY_DELAYS.items()
        ],
        *[
            Key(f"delay.{o.type}", o.default_delay, _delay, f"next call after {o.type}")
            for o in OUTCOMES.values()
            if o.default_delay != "none" and o.loggable
        ],
    ]
}


# Cadence tiers: `tier.NAME = DAYS` (e.g. tier.key = 14), a cycle of their own for the
# DMs given that tier (`dm edit --tier key`); everyone else keeps cycle_days.
TIER_PREFIX = "tier."
TIER_NAME = re.compile(r"^[a-z][a-z0-9-]{0,29}$")
DEFAULT_TIER = "default"  # the name that puts a DM back on cycle_days


def tier_key(name: str) -> Key:
    """The setting of one cadence tier, `tier.NAME`."""
    tier = name.removeprefix(TIER_PREFIX)
    return Key(name, None, _positive_int, f"cycle in days for the DMs in the {tier} tier")


def key_for(name: str) -> Key | None:
    """The setting called ``name``: one of KEYS, or a cadence tier (`tier.NAME`, NAME a
    word of lower-case letters, digits and '-', not 'default'); None if there is none."""
    if name in KEYS:
        return KEYS[name]
    tier = name.removeprefix(TIER_PREFIX)
    if name.startswith(TIER_PREFIX) and TIER_NAME.match(tier) and tier != DEFAULT_TIER:
        return tier_key(name)
    return None


def _tier_env(name: str) -> str | None:
    """`tier.NAME` for an environment variable CALLPLAN_TIER_NAME (None for others)."""
    if not name.startswith("CALLPLAN_TIER_"):
        return None
    tier = name.removeprefix("CALLPLAN_TIER_").lower().replace("_", "-")
    return TIER_PREFIX + tier if key_for(TIER_PREFIX + tier) else None


def cache_path(environ: Mapping[str, str]) -> Path:
    """Where callplan keeps what it can work out again (CALLPLAN_CACHE overrides)."""
    if path := environ.get("CALLPLAN_CACHE"):
        return Path(path).expanduser()
    from platformdirs import user_cache_path

    return user_cache_path(APP)


def config_path(environ: Mapping[str, str]) -> Path:
    if path := environ.get("CALLPLAN_CONFIG"):
        return Path(path).expanduser()
    from platformdirs import user_config_path

    return user_config_path(APP) / "config.toml"


def _flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for k, v in data.items():
        if isinstance(v, Mapping):
            flat.update(_flatten(v, f"{prefix}{k}."))
        else:
            flat[f"{prefix}{k}"] = v
    return flat


def read_file(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        with path.open("rb") as f:
            return _flatten(tomllib.load(f))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"The config file {path} is not valid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"The config file {path} is nested too deeply to be settings.") from None
    except OSError as exc:
        raise ConfigError(f"Can't read the config file {path}: {exc.strerror}") from None


@dataclass(frozen=True)
class Settings:
    values: dict[str, Any]
    sources: dict[str, str] = field(default_factory=dict)
    path: Path | None = None
    cache: Path | None = None  # where worked-out public holidays are kept

    @property
    def user(self) -> str:
        """The recruiter using callplan: the setting, else the login name."""
        return str(self.values.get("user") or login_name())

    @property
    def new_per_day(self) -> int:
        return int(self.values["new_per_day"])

    @property
    def cycle_days(self) -> int:
        return int(self.values["cycle_days"])

    @property
    def country(self) -> str | None:
        country = self.values["country"]
        return str(country) if country else None

    @property
    def workdays(self) -> frozenset[int]:
        return parse_weekdays(self.values["workdays"])

    @property
    def attempts_warning(self) -> int:
        return int(self.values["attempts_warning"])

    @property
    def sweep_day(self) -> int | None:
        """The day of the month the sweep is due; None: the month's first working day."""
        value = str(self.values["sweep_day"])
        return None if value == FIRST_WORKING_DAY else int(value)

    @property
    def continuations_warning(self) -> int:
        return int(self.values["continuations_warning"])

    @property
    def capacity(self) -> int:
        return int(self.values["capacity"])

    @property
    def again_minutes(self) -> int:
        return int(self.values["again_minutes"])

    @property
    def day_start(self) -> time:
        return time.fromisoformat(self.values["day_start"])

    @property
    def day_end(self) -> time:
        return time.fromisoformat(self.values["day_end"])

    @property
    def slot_minutes(self) -> int:
        return int(self.values["slot_minutes"])

    def delay(self, outcome: str) -> Delay:
        return Delay.parse(self.values.get(f"delay.{outcome}", OUTCOMES[outcome].default_delay))

    @property
    def tiers(self) -> dict[str, int]:
        """The cadence tiers set (`tier.NAME = DAYS`), by name."""
        return {
            k.removeprefix(TIER_PREFIX): int(v)
            for k, v in sorted(self.values.items())
            if k.startswith(TIER_PREFIX) and v is not None
        }

    def cycle_of(self, tier: str | None, cycle_days: int | None = None) -> int:
        """A DM's own cycle: their --cycle DAYS, else their tier's, else cycle_days (a
        tier no longer set falls back to cycle_days too)."""
        if cycle_days is not None:
            return int(cycle_days)
        if tier is not None and tier in self.tiers:
            return self.tiers[tier]
        return self.cycle_days

    def for_dm(self, tier: str | None, cycle_days: int | None = None) -> Settings:
        """These settings as one DM's rules see them: cycle_days is the DM's own cycle
        (``cycle_of``), so the cap, the overdue test and the wording use it."""
        days = self.cycle_of(tier, cycle_days)
        if days == self.cycle_days:
            return self
        return replace(self, values={**self.values, "cycle_days": days})

    def calendar(self) -> WorkCalendar:
        return calendar_for(self.workdays, self.country, self.cache)

    @classmethod
    def defaults(cls, overrides: Mapping[str, Any] | None = None) -> Settings:
        """Built-in values, with some keys overridden (as the config file would)."""
        values = {k.name: k.default for k in KEYS.values()}
        for name, value in (overrides or {}).items():
            key = key_for(name)
            assert key is not None, name
            values[name] = key.parse(value)
        return cls(values)

    def keys(self) -> list[Key]:
        """Every setting in force: KEYS, then the cadence tiers set."""
        return [*KEYS.values(), *(tier_key(TIER_PREFIX + t) for t in self.tiers)]


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    environ = os.environ if environ is None else environ
    path = config_path(environ)
    from_file = read_file(path)
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for unknown in sorted(name for name in from_file if key_for(name) is None):
        raise ConfigError(
            f"Unknown setting {unknown!r} in {path}: remove it with "
            f"'callplan config unset {unknown}'."
        )
    tiers = {name for name in from_file if name not in KEYS}
    tiers |= {t for t in map(_tier_env, environ) if t is not None}
    for key in [*KEYS.values(), *(tier_key(name) for name in sorted(tiers))]:
        raw: Any
        if key.env in environ:
            raw, source = environ[key.env], f"env {key.env}"
        elif key.name in from_file:
            raw, source = from_file[key.name], "file"
        elif key.name == "country":
            raw = default_country(environ)
            source = f"locale {_shown_locale(environ)}" if raw else "none"
        elif key.name == "user":
            raw, source = login_name(), "login name"
        else:
            values[key.name], sources[key.name] = key.default, "default"
            continue
        try:
            values[key.name] = key.parse(raw) if raw is not None else None
        except ConfigError as exc:
            raise ConfigError(f"Setting {key.name} ({source}): {exc.message}") from None
        sources[key.name] = source
    return Settings(values, sources, path, cache_path(environ))


def write_setting(path: Path, name: str, raw: str | None) -> Any:
    """Set (or, with ``raw=None``, remove) one key in the config file; returns the value."""
    import tomli_w

    current = read_file(path)
    key = key_for(name)
    if key is None and not (raw is None and name in current):  # unknown keys can go
        squash = lambda k: re.sub(r"[^a-z0-9]", "", k.lower())  # noqa: E731
        close = [k for k in KEYS if squash(name) in squash(k)]
        hint = f" Did you mean {close[0]}?" if close else ""
        if name.startswith(TIER_PREFIX):
            hint = " A tier's name is a word: lower-case letters, digits and '-'."
        raise ConfigError(f"Unknown setting {name!r}.{hint} See 'callplan config show'.")
    value = key.parse(raw) if raw is not None and key is not None else None
    if raw is None:
        current.pop(name, None)
    elif value is None:
        current[name] = ""
    else:
        current[name] = value
    nested: dict[str, Any] = {}
    for k, v in sorted(current.items()):
        head, _, tail = k.partition(".")
        if tail:
            nested.setdefault(head, {})[tail] = v
        else:
            nested[k] = v

    try:
        private_folder(path.parent)
    except OSError as exc:
        raise ConfigError(f"Can't create the folder {path.parent}: {exc.strerror}.") from None
    # callplan's own file: replaced when settings change (through a symlink, its target).
    config = files.target(path, what="config file", guard=files.Guard(), force=True)
    files.write(config, tomli_w.dumps(nested).encode("utf-8"))
    return value
