"""`callplan config`: show, set, unset, and the environment winning over the file."""

from __future__ import annotations


def settings(ok, **env):
    rows = ok("config", "show", "--json", env=env or None).json["settings"]
    return {r["key"]: (r["value"], r["source"]) for r in rows}


def test_show_lists_every_setting_with_its_source(ok):
    s = settings(ok)
    assert s["new_per_day"] == (2, "default")
    assert s["cycle_days"] == (90, "default")
    assert s["workdays"] == ("mon,tue,wed,thu,fri", "default")
    assert s["country"] == ("GB-ENG", "env CALLPLAN_COUNTRY")
    assert s["delay.cv-review"] == ("2wd", "default")


def test_set_writes_the_file_and_env_still_wins(ok, env):
    r = ok("config", "set", "cycle_days", "60")
    assert "cycle_days = 60" in r.stdout
    assert settings(ok)["cycle_days"] == (60, "file")
    assert settings(ok, CALLPLAN_CYCLE_DAYS="30")["cycle_days"] == (30, "env CALLPLAN_CYCLE_DAYS")
    ok("config", "unset", "cycle_days")
    assert settings(ok)["cycle_days"] == (90, "default")


def test_cycle_setting_changes_the_cap(ok):
    ok("config", "set", "cycle_days", "30")
    ok("dm", "add", "Jane Smith")
    ok("log", "jane", "-c", "rejection")
    assert ok("dm", "show", "jane", "--json").json["dm"]["due_on"] == "2026-12-23"


def test_country_from_the_locale_when_not_set(ok):
    s = settings(ok, CALLPLAN_COUNTRY=None, LANG="en_GB.UTF-8")
    assert s["country"] == ("GB-ENG", "locale LANG=en_GB.UTF-8")
    s = settings(ok, CALLPLAN_COUNTRY=None, LANG="C.UTF-8")
    assert s["country"] == (None, "none")


def test_the_listing_says_which_country_is_in_force_and_why(ok):
    """config show: the country's source in its row; with none in force, one line on
    stderr saying how to set one (not with --json)."""
    r = ok("config", "show", env={"CALLPLAN_COUNTRY": None, "LANG": "C.UTF-8"})
    row = next(line for line in r.stdout.splitlines() if line.startswith("country "))
    assert row.split()[-2:] == ["(none)", "none"]
    assert r.stderr.count("callplan config set country GB-ENG") == 1
    assert "LANG=C.UTF-8" in r.stderr
    r = ok("config", "show", "--json", env={"CALLPLAN_COUNTRY": None, "LANG": "C.UTF-8"})
    assert r.stderr == ""
    r = ok("config", "show", env={"CALLPLAN_COUNTRY": None, "LANG": "en_GB.UTF-8"})
    row = next(line for line in r.stdout.splitlines() if line.startswith("country "))
    assert row.split()[-3:] == ["GB-ENG", "locale", "LANG=en_GB.UTF-8"]
    assert r.stderr == ""
    r = ok("config", "show")  # CALLPLAN_COUNTRY=GB-ENG
    row = next(line for line in r.stdout.splitlines() if line.startswith("country "))
    assert row.split()[-3:] == ["GB-ENG", "env", "CALLPLAN_COUNTRY"]
    assert r.stderr == ""


def test_workdays_setting_moves_defaults(ok):
    ok("config", "set", "workdays", "mon-thu")
    ok("dm", "add", "Jane Smith")
    ok("log", "jane", "-a", "cv-review", "--on", "2026-11-18")  # Wed + 2 working days
    assert ok("dm", "show", "jane", "--json").json["dm"]["due_on"] == "2026-11-23"  # not Fri


def test_bad_values_are_refused_with_one_line(cli, env):
    for args, needle in [
        (("config", "set", "new_per_day", "lots"), "not a whole number"),
        (("config", "set", "cycle_days", "0"), "out of range"),
        (("config", "set", "country", "England"), "not a country code"),
        (("config", "set", "workdays", "funday"), "not a weekday"),
        (("config", "set", "delay.callback", "soon"), "not a delay"),
        (("config", "set", "colour", "red"), "Unknown setting"),
    ]:
        r = cli(*args)
        assert r.exit_code == 6, (args, r.stderr)
        assert needle in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert not (env.parent / "config.toml").exists()


def test_bad_environment_value_is_named(ok, cli):
    ok("dm", "add", "Jane Smith")
    r = cli("today", env={"CALLPLAN_NEW_PER_DAY": "two"})
    assert r.exit_code == 6 and "CALLPLAN_NEW_PER_DAY" in r.stderr
    r = cli("log", "jane", "-a", "meeting", env={"CALLPLAN_COUNTRY": "XX"})
    assert r.exit_code == 6 and "'XX'" in r.stderr
    assert ok("dm", "show", "jane", "--json").json["calls"] == []


def test_unknown_country_is_refused_by_config_set(cli):
    r = cli("config", "set", "country", "XX")
    assert r.exit_code == 6 and "No public holidays known" in r.stderr
    r = cli("config", "set", "country", "GB-XYZ")
    assert r.exit_code == 6 and "subdivision" in r.stderr


def test_broken_config_file_is_reported(cli, env):
    (env.parent / "config.toml").write_text("cycle_days = = 3")
    r = cli("today")
    assert r.exit_code == 6 and "not valid TOML" in r.stderr


def test_an_unknown_key_in_the_file_names_the_way_out(ok, cli, env):
    (env.parent / "config.toml").write_text("cycle_length = 60\n")
    r = cli("today")
    assert r.exit_code == 6 and "callplan config unset cycle_length" in r.stderr
    assert "Removed the unknown setting" in ok("config", "unset", "cycle_length").stdout
    ok("today")


def test_unset_says_what_applies_now(ok):
    ok("config", "set", "new_per_day", "4")
    assert "new_per_day is back to 2 (from default)" in ok("config", "unset", "new_per_day").stdout
