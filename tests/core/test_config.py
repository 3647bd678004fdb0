"""Settings: defaults < config file < environment, with an explicit environ every time.

Every test passes its own environ dict and points CALLPLAN_CONFIG at a file under
tmp_path, so nothing here reads the real user's config or environment.
"""

from __future__ import annotations

import tomllib
from datetime import date, time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from callplan.core.config import (
    KEYS,
    Delay,
    Settings,
    config_path,
    country_hint,
    default_country,
    load_settings,
    write_setting,
)
from callplan.core.outcomes import OUTCOMES
from callplan.errors import ConfigError


@pytest.fixture
def cfg(tmp_path: Path) -> Path:
    return tmp_path / "callplan" / "config.toml"


def environ(cfg: Path, **env: str) -> dict[str, str]:
    return {"CALLPLAN_CONFIG": str(cfg), **env}


# --- defaults -------------------------------------------------------------------------


def test_defaults() -> None:
    s = Settings.defaults()
    assert s.new_per_day == 2
    assert s.cycle_days == 90
    assert s.attempts_warning == 5
    assert s.continuations_warning == 3
    assert s.workdays == frozenset({0, 1, 2, 3, 4})
    assert s.country is None
    assert s.delay("cv-review") == Delay(2, "wd")
    assert s.delay("future-requirement") == Delay(30, "d")
    assert s.delay("rejection") == Delay(0, "cycle")
    assert s.delay("busy") == Delay(0, "d")
    assert s.delay("left-company").unit == "none"
    assert (s.day_start, s.day_end, s.slot_minutes) == (time(9), time(17), 15)


def test_defaults_with_overrides_are_parsed() -> None:
    s = Settings.defaults({"cycle_days": "60", "workdays": "sun-thu", "country": "gb-eng"})
    assert s.cycle_days == 60
    assert s.workdays == frozenset({6, 0, 1, 2, 3})
    assert s.country == "GB-ENG"
    with pytest.raises(ConfigError):
        Settings.defaults({"cycle_days": "0"})


def test_no_file_gives_the_defaults(cfg: Path) -> None:
    s = load_settings(environ(cfg))
    assert s.path == cfg
    assert s.new_per_day == 2
    assert s.cycle_days == 90
    assert s.country is None
    assert s.sources["cycle_days"] == "default"
    assert not cfg.exists()


def test_config_path_comes_from_the_environment(tmp_path: Path) -> None:
    assert config_path({"CALLPLAN_CONFIG": str(tmp_path / "x.toml")}) == tmp_path / "x.toml"


# --- file < environment ---------------------------------------------------------------


def write_toml(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_file_overrides_defaults(cfg: Path) -> None:
    write_toml(
        cfg,
        'new_per_day = 3\ncycle_days = 60\nworkdays = "mon-thu"\ncountry = "GB-ENG"\n'
        '[delay]\n"cv-review" = "3wd"\nrejection = "45d"\n',
    )
    s = load_settings(environ(cfg))
    assert s.new_per_day == 3
    assert s.cycle_days == 60
    assert s.workdays == frozenset({0, 1, 2, 3})
    assert s.country == "GB-ENG"
    assert s.delay("cv-review") == Delay(3, "wd")
    assert s.delay("rejection") == Delay(45, "d")
    assert s.delay("callback") == Delay(2, "wd")  # untouched
    assert s.sources["new_per_day"] == "file"
    assert s.sources["attempts_warning"] == "default"


def test_environment_overrides_the_file(cfg: Path) -> None:
    write_toml(cfg, 'new_per_day = 3\ncycle_days = 60\n[delay]\n"cv-review" = "3wd"\n')
    s = load_settings(
        environ(
            cfg,
            CALLPLAN_NEW_PER_DAY="4",
            CALLPLAN_CYCLE_DAYS="30",
            CALLPLAN_DELAY_CV_REVIEW="5d",
        )
    )
    assert s.new_per_day == 4
    assert s.cycle_days == 30
    assert s.delay("cv-review") == Delay(5, "d")
    assert s.sources["new_per_day"] == "env CALLPLAN_NEW_PER_DAY"
    assert s.sources["delay.cv-review"] == "env CALLPLAN_DELAY_CV_REVIEW"


@pytest.mark.parametrize(
    ("var", "value", "prop", "expected"),
    [
        ("CALLPLAN_NEW_PER_DAY", "0", "new_per_day", 0),
        ("CALLPLAN_NEW_PER_DAY", " 5 ", "new_per_day", 5),
        ("CALLPLAN_CYCLE_DAYS", "120", "cycle_days", 120),
        ("CALLPLAN_ATTEMPTS_WARNING", "3", "attempts_warning", 3),
        ("CALLPLAN_CONTINUATIONS_WARNING", "4", "continuations_warning", 4),
        ("CALLPLAN_COUNTRY", "gb-eng", "country", "GB-ENG"),
        ("CALLPLAN_COUNTRY", "IE", "country", "IE"),
        ("CALLPLAN_COUNTRY", "none", "country", None),
        ("CALLPLAN_COUNTRY", "", "country", None),
        ("CALLPLAN_WORKDAYS", "sun-thu", "workdays", frozenset({6, 0, 1, 2, 3})),
        ("CALLPLAN_DAY_START", "8:30", "day_start", time(8, 30)),
        ("CALLPLAN_DAY_END", " 18:00 ", "day_end", time(18, 0)),
        ("CALLPLAN_SLOT_MINUTES", "20", "slot_minutes", 20),
    ],
)
def test_environment_variables(
    cfg: Path, var: str, value: str, prop: str, expected: object
) -> None:
    s = load_settings(environ(cfg, **{var: value}))
    assert getattr(s, prop) == expected
    assert s.sources[prop] == f"env {var}"


def test_every_delay_has_an_environment_variable(cfg: Path) -> None:
    for name, o in OUTCOMES.items():
        if o.default_delay == "none" or not o.loggable:  # imported: no setting
            continue
        var = "CALLPLAN_DELAY_" + name.upper().replace("-", "_")
        s = load_settings(environ(cfg, **{var: "7d"}))
        assert s.delay(name) == Delay(7, "d"), var


@pytest.mark.parametrize(
    ("var", "value"),
    [
        ("CALLPLAN_NEW_PER_DAY", "-1"),
        ("CALLPLAN_NEW_PER_DAY", "two"),
        ("CALLPLAN_CYCLE_DAYS", "0"),
        ("CALLPLAN_CYCLE_DAYS", "2.5"),
        ("CALLPLAN_ATTEMPTS_WARNING", "0"),
        ("CALLPLAN_COUNTRY", "Great Britain"),
        ("CALLPLAN_WORKDAYS", "weekdays"),
        ("CALLPLAN_DELAY_CV_REVIEW", "soon"),
        ("CALLPLAN_DELAY_REJECTION", "none"),  # a conversation always diarises a next call
        ("CALLPLAN_DAY_START", "9am"),
        ("CALLPLAN_DAY_START", "24:00"),
        ("CALLPLAN_DAY_END", "17:60"),
        ("CALLPLAN_SLOT_MINUTES", "0"),
        ("CALLPLAN_SLOT_MINUTES", "481"),
    ],
)
def test_bad_environment_values_are_config_errors(cfg: Path, var: str, value: str) -> None:
    with pytest.raises(ConfigError):
        load_settings(environ(cfg, **{var: value}))


def test_a_toml_time_in_the_file_is_read(cfg: Path) -> None:
    write_toml(cfg, "day_start = 08:45:00\n")
    assert load_settings(environ(cfg)).day_start == time(8, 45)


def test_a_bad_value_names_its_setting(cfg: Path) -> None:
    write_toml(cfg, "cycle_days = 0\n")
    with pytest.raises(ConfigError) as exc:
        load_settings(environ(cfg))
    assert "cycle_days" in exc.value.message
    assert "file" in exc.value.message


def test_unknown_key_in_the_file_is_an_error(cfg: Path) -> None:
    write_toml(cfg, "new_per_day = 2\ncycle_length = 60\n")
    with pytest.raises(ConfigError) as exc:
        load_settings(environ(cfg))
    assert "cycle_length" in exc.value.message


def test_an_unknown_key_in_the_file_can_be_removed_with_unset(cfg: Path) -> None:
    write_toml(cfg, "new_per_day = 3\ncolour = 'red'\n")
    write_setting(cfg, "colour", None)
    s = load_settings(environ(cfg))
    assert s.new_per_day == 3


def test_unknown_delay_in_the_file_is_an_error(cfg: Path) -> None:
    write_toml(cfg, '[delay]\n"left-company" = "2wd"\n')
    with pytest.raises(ConfigError):
        load_settings(environ(cfg))


def test_invalid_toml_is_a_config_error(cfg: Path) -> None:
    write_toml(cfg, "new_per_day = = 3\n")
    with pytest.raises(ConfigError):
        load_settings(environ(cfg))


# --- country from the locale ----------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"LANG": "en_GB.UTF-8"}, "GB-ENG"),
        ({"LANG": "en_IE.UTF-8"}, "IE"),
        ({"LANG": "de_DE"}, "DE"),
        ({"LANG": "C"}, None),
        ({"LANG": "POSIX"}, None),
        ({"LANG": "C.UTF-8"}, None),
        ({}, None),
        ({"LC_ALL": "fr_FR.UTF-8", "LANG": "en_GB.UTF-8"}, "FR"),
        ({"LC_TIME": "en_US.UTF-8", "LANG": "en_GB.UTF-8"}, "US"),
        ({"LC_ALL": "C", "LANG": "en_GB.UTF-8"}, None),  # LC_ALL decides when set
        ({"LC_ALL": "", "LANG": "en_GB.UTF-8"}, "GB-ENG"),  # set but empty: ignored
    ],
)
def test_default_country_from_the_locale(env: dict[str, str], expected: str | None) -> None:
    assert default_country(env) == expected


def test_locale_country_is_used_when_nothing_else_says(cfg: Path) -> None:
    s = load_settings(environ(cfg, LANG="en_GB.UTF-8"))
    assert s.country == "GB-ENG"
    assert s.sources["country"] == "locale LANG=en_GB.UTF-8"  # the variable that decided
    s = load_settings(environ(cfg, LC_TIME="de_DE", LANG="en_GB.UTF-8"))
    assert (s.country, s.sources["country"]) == ("DE", "locale LC_TIME=de_DE")
    s = load_settings(environ(cfg, LANG="C"))
    assert (s.country, s.sources["country"]) == (None, "none")


@pytest.mark.parametrize(
    ("env", "hint"),
    [
        ({"LANG": "C.UTF-8"}, "(LANG=C.UTF-8 names none)"),
        ({"LC_ALL": "POSIX", "LANG": "en_GB.UTF-8"}, "(LC_ALL=POSIX names none)"),
        ({}, "(no locale is set)"),
        ({"LANG": "en_GB.UTF-8"}, None),  # the locale's country is in force
        ({"LANG": "C", "CALLPLAN_COUNTRY": "GB-SCT"}, None),
        ({"LANG": "C", "CALLPLAN_COUNTRY": "none"}, None),  # no holidays, as asked
    ],
)
def test_the_country_hint_only_when_nothing_set_a_country(
    cfg: Path, env: dict[str, str], hint: str | None
) -> None:
    env = environ(cfg, **env)
    found = country_hint(load_settings(env), env)
    if hint is None:
        assert found is None
    else:
        assert found is not None and hint in found and "\n" not in found
        assert "callplan config set country GB-ENG" in found


def test_no_country_hint_when_the_file_says_none(cfg: Path) -> None:
    write_setting(cfg, "country", "none")
    env = environ(cfg, LANG="C.UTF-8")
    assert country_hint(load_settings(env), env) is None


def test_file_and_environment_beat_the_locale(cfg: Path) -> None:
    write_toml(cfg, 'country = "GB-SCT"\n')
    assert load_settings(environ(cfg, LANG="en_US.UTF-8")).country == "GB-SCT"
    s = load_settings(environ(cfg, LANG="en_US.UTF-8", CALLPLAN_COUNTRY="IE"))
    assert s.country == "IE"


def test_calendar_uses_the_country(cfg: Path) -> None:
    s = load_settings(environ(cfg, CALLPLAN_COUNTRY="GB-ENG"))
    cal = s.calendar()
    assert not cal.is_working(date(2026, 12, 28))  # Boxing Day observed
    assert cal.is_working(date(2026, 12, 29))


# --- write_setting --------------------------------------------------------------------


def test_write_setting_round_trip(cfg: Path) -> None:
    assert write_setting(cfg, "new_per_day", "3") == 3
    assert write_setting(cfg, "cycle_days", "60") == 60
    assert write_setting(cfg, "delay.cv-review", "3WD") == "3wd"
    assert write_setting(cfg, "workdays", "mon-thu") == "mon,tue,wed,thu"
    assert write_setting(cfg, "country", "gb-eng") == "GB-ENG"
    s = load_settings(environ(cfg))
    assert s.new_per_day == 3
    assert s.cycle_days == 60
    assert s.delay("cv-review") == Delay(3, "wd")
    assert s.workdays == frozenset({0, 1, 2, 3})
    assert s.country == "GB-ENG"
    assert all(s.sources[k] == "file" for k in ["new_per_day", "cycle_days", "country"])
    # The file is plain TOML a person can read and edit.
    data = tomllib.loads(cfg.read_text(encoding="utf-8"))
    assert data["new_per_day"] == 3
    assert data["delay"]["cv-review"] == "3wd"


def test_write_setting_keeps_other_keys(cfg: Path) -> None:
    write_setting(cfg, "delay.cv-review", "3wd")
    write_setting(cfg, "delay.callback", "1wd")
    write_setting(cfg, "new_per_day", "4")
    s = load_settings(environ(cfg))
    assert s.delay("cv-review") == Delay(3, "wd")
    assert s.delay("callback") == Delay(1, "wd")
    assert s.new_per_day == 4


def test_write_setting_none_removes_the_key(cfg: Path) -> None:
    write_setting(cfg, "cycle_days", "60")
    write_setting(cfg, "new_per_day", "3")
    write_setting(cfg, "cycle_days", None)
    s = load_settings(environ(cfg))
    assert s.cycle_days == 90
    assert s.sources["cycle_days"] == "default"
    assert s.new_per_day == 3


def test_country_none_in_the_file_beats_the_locale(cfg: Path) -> None:
    assert write_setting(cfg, "country", "none") is None
    s = load_settings(environ(cfg, LANG="en_GB.UTF-8"))
    assert s.country is None
    assert s.sources["country"] == "file"


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("cycle_days", "0"),
        ("cycle_days", "ninety"),
        ("new_per_day", "-2"),
        ("country", "England"),
        ("workdays", ""),
        ("delay.cv-review", "2 weeks"),
        ("delay.objection", "none"),
    ],
)
def test_write_setting_validates_and_leaves_the_file_alone(cfg: Path, name: str, raw: str) -> None:
    write_setting(cfg, "new_per_day", "3")
    before = cfg.read_bytes()
    with pytest.raises(ConfigError):
        write_setting(cfg, name, raw)
    assert cfg.read_bytes() == before


def test_write_setting_unknown_key_suggests_the_right_one(cfg: Path) -> None:
    with pytest.raises(ConfigError) as exc:
        write_setting(cfg, "newperday", "3")
    assert "new_per_day" in exc.value.message
    with pytest.raises(ConfigError) as exc:
        write_setting(cfg, "delay.cv_review", "3wd")
    assert "delay.cv-review" in exc.value.message
    assert not cfg.exists()
    with pytest.raises(ConfigError):
        write_setting(cfg, "delay.left-company", "2wd")


def test_every_key_has_a_prefixed_environment_name() -> None:
    assert KEYS["new_per_day"].env == "CALLPLAN_NEW_PER_DAY"
    assert KEYS["delay.cv-review"].env == "CALLPLAN_DELAY_CV_REVIEW"
    assert all(k.env.startswith("CALLPLAN_") and k.env.isupper() for k in KEYS.values())


# --- Delay.parse ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2wd", Delay(2, "wd")),
        (" 30D ", Delay(30, "d")),
        ("0d", Delay(0, "d")),
        ("5 wd", Delay(5, "wd")),
        ("cycle", Delay(0, "cycle")),
        ("CYCLE", Delay(0, "cycle")),
        ("none", Delay(0, "none")),
    ],
)
def test_delay_parse(text: str, expected: Delay) -> None:
    assert Delay.parse(text) == expected


@pytest.mark.parametrize("text", ["", "2", "wd", "-1d", "2w", "2 weeks", "1000d", "1.5wd", "d2"])
def test_delay_parse_rejects_nonsense(text: str) -> None:
    with pytest.raises(ConfigError):
        Delay.parse(text)


@given(n=st.integers(0, 999), unit=st.sampled_from(["d", "wd"]))
def test_delay_round_trips(n: int, unit: str) -> None:
    delay = Delay.parse(f"{n}{unit}")
    assert (delay.amount, delay.unit) == (n, unit)
    assert Delay.parse(str(delay)) == delay
