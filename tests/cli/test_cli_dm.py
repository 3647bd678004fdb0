"""Decision makers through the CLI: adding, naming them on the command line, editing."""

from __future__ import annotations

import pytest

from tests.conftest import snapshot


def test_add_then_list_and_show(ok, cli):
    r = ok(
        "dm",
        "add",
        "Jane Smith",
        "--company",
        "Acme",
        "--title",
        "Head of IT",
        "--phone",
        "020 7946 0000",
        "--email",
        "jane@acme.test",
        "--tag",
        "SharePoint",
        "--tag",
        "fintech",
        "--note",
        "Met at the CTO breakfast",
    )
    assert "Added #1 Jane Smith (Acme) as a prospect" in r.stdout
    listed = ok("dm", "list", "--json").json
    assert listed["count"] == 1
    dm = listed["dms"][0]
    assert dm["name"] == "Jane Smith"
    assert dm["tags"] == ["fintech", "sharepoint"]  # tags are lower-cased, sorted
    assert dm["prospect"] is True
    shown = ok("dm", "show", "jane", "--json").json
    assert shown["dm"]["email"] == "jane@acme.test"
    assert shown["notes"][0]["text"] == "Met at the CTO breakfast"
    assert shown["calls"] == []
    table = ok("dm", "show", "1").stdout
    assert "Head of IT" in table and "none yet: a prospect" in table


@pytest.mark.parametrize(
    "args, needle",
    [
        (["dm", "add", ""], "name is empty"),
        (["dm", "add", "   "], "name is empty"),
        (["dm", "add", "Jo", "--email", "not-an-email"], "email"),
        (["dm", "add", "Jo", "--company", "x" * 300], "too long"),
        (["dm", "add", "Jo\x07"], "control characters"),
        (["dm", "add", "Jo", "--referred-by", "nobody"], "No decision maker matches"),
        (["dm", "add"], "Missing argument"),
    ],
)
def test_bad_add_is_one_line_and_writes_nothing(store, cli, env, args, needle):
    before = snapshot(store)
    r = cli(*args)
    assert r.exit_code != 0
    assert needle in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert "Traceback" not in r.stderr
    assert snapshot(store) == before


def test_what_a_recruiter_typed_is_shown_as_typed_not_as_emoji_or_markup(ok):
    ok("dm", "add", "Jane :fire: Smith", "--company", "Labs [bold]Ltd[/bold]")
    for args in (("dm", "show", "1"), ("dm", "list"), ("today",)):
        if args == ("today",):  # a number, so that she is one of today's new DMs
            ok("dm", "edit", "1", "--phone", "0113 496 0001")
        out = ok(*args, env={"COLUMNS": "120"}).stdout
        assert "Jane :fire: Smith" in out and "Labs [bold]Ltd[/bold]" in out, args


def test_usage_errors_exit_2(cli):
    assert cli("dm", "add", "").exit_code == 2
    assert cli("dm", "add").exit_code == 2
    assert cli("dm", "list", "--bogus").exit_code == 2


def test_same_person_twice_is_refused_unless_forced(ok, cli):
    ok("dm", "add", "Jane Smith", "--company", "Acme")
    r = cli("dm", "add", "jane  SMITH", "--company", "ACME")
    assert r.exit_code == 2 and "already in your contacts" in r.stderr
    ok("dm", "add", "Jane Smith", "--company", "Acme", "--force")
    ok("dm", "add", "Jane Smith", "--company", "Globex")  # another company: another person
    assert ok("dm", "list", "--json").json["count"] == 3


@pytest.fixture
def people(ok):
    ok("dm", "add", "Zoë O'Brien", "--company", "Globex")
    ok("dm", "add", "Łukasz Nowak", "--company", "Initech")
    ok("dm", "add", "Jane Smith", "--company", "Acme")
    ok("dm", "add", "Janet Smithers", "--company", "Umbrella")


@pytest.mark.parametrize(
    "ref, expected",
    [
        ("1", "Zoë O'Brien"),
        ("#2", "Łukasz Nowak"),
        ("zoe o'brien", "Zoë O'Brien"),  # accents and case don't matter
        ("ZOË", "Zoë O'Brien"),  # unique prefix
        ("lukasz", "Łukasz Nowak"),
        ("nowak", "Łukasz Nowak"),  # unique substring
        ("jane smith", "Jane Smith"),  # exact beats the longer prefix match 'Janet Smithers'
        ("smithers", "Janet Smithers"),
    ],
)
def test_dm_by_id_or_forgiving_name(ok, people, ref, expected):
    assert ok("dm", "show", ref, "--json").json["dm"]["name"] == expected


def test_ambiguous_name_lists_candidates_and_changes_nothing(store, cli, people, env):
    before = snapshot(store)
    r = cli("log", "jan", "--advance", "meeting")
    assert r.exit_code == 4
    assert "Jane Smith" in r.stderr and "Janet Smithers" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert snapshot(store) == before


def test_unknown_dm_exits_3(cli, people):
    r = cli("dm", "show", "Nobody Here")
    assert r.exit_code == 3 and "No decision maker matches 'Nobody Here'" in r.stderr
    assert cli("dm", "show", "99").exit_code == 3


@pytest.mark.parametrize("ref", ["99999999999999999999999", "9223372036854775808", "#²", "²"])
def test_an_id_no_store_can_hold_is_unknown_not_a_crash(cli, people, ref):
    # Found by tests/test_hostile_input.py: these ended in exit 70 (OverflowError from
    # SQLite, int('²') from a digit that is no number).
    r = cli("dm", "show", ref)
    assert r.exit_code == 3 and r.stderr.startswith("Error: No decision maker")


@pytest.mark.parametrize("command", ["job", "candidate"])
def test_closing_a_hook_id_no_store_can_hold_is_unknown(cli, command):
    verb = "close" if command == "job" else "placed"
    r = cli(command, verb, "99999999999999999999999")
    assert r.exit_code == 3 and r.stderr.startswith(f"Error: No {command} has id")


def test_list_filters_in_sql(ok, people):
    ok("dm", "edit", "jane smith", "--tag", "sharepoint")
    ok("log", "zoe", "--continuation", "callback")
    names = lambda *a: [d["name"] for d in ok("dm", "list", "--json", *a).json["dms"]]  # noqa: E731
    assert names("--tag", "SharePoint") == ["Jane Smith"]
    assert names("--company", "glob") == ["Zoë O'Brien"]
    assert names("--search", "nowak") == ["Łukasz Nowak"]
    assert names("--status", "contact") == ["Zoë O'Brien"]
    assert "Zoë O'Brien" not in names("--status", "prospect")
    ok("dm", "archive", "nowak")
    ok("dm", "dnc", "janet")
    assert names("--status", "archived") == ["Łukasz Nowak"]
    assert names("--status", "dnc") == ["Janet Smithers"]
    assert sorted(names()) == ["Jane Smith", "Zoë O'Brien"]
    assert len(names("--status", "all")) == 4


def test_list_csv(ok, people):
    out = ok("dm", "list", "--csv").stdout.splitlines()
    assert out[0].startswith("id,name,company")
    assert len(out) == 5


def test_edit_fields_and_clear(ok, people):
    ok("dm", "edit", "zoe", "--title", "CTO", "--phone", "07700 900123", "--company", "")
    dm = ok("dm", "show", "zoe", "--json").json["dm"]
    assert dm["title"] == "CTO" and dm["phone"] == "+447700900123" and dm["company"] is None


def test_edit_with_nothing_to_change_is_an_error(cli, people):
    r = cli("dm", "edit", "zoe")
    assert r.exit_code == 2 and "Nothing to change" in r.stderr


def test_edit_due_pulls_forward_and_snoozes_only_to_the_cycle(ok, cli, people):
    ok("log", "zoe", "--continuation", "rejection")  # 2026-11-23, cycle limit 2027-02-21
    ok("dm", "edit", "zoe", "--due", "2026-11-25")
    assert ok("dm", "show", "zoe", "--json").json["dm"]["due_on"] == "2026-11-25"
    r = ok("dm", "edit", "zoe", "--due", "2027-06-01")
    assert "past the 90-day cycle" in r.stderr
    # 2027-02-21 is a Sunday: the last working day on or before it is Friday 19th.
    assert ok("dm", "show", "zoe", "--json").json["dm"]["due_on"] == "2027-02-19"
    r = cli("dm", "edit", "zoe", "--due", "yesterday")
    assert r.exit_code == 2 and "in the past" in r.stderr


def test_archive_dnc_restore_take_dms_in_and_out_of_the_plan(ok, cli, people):
    def planned():
        plan = ok("today", "--json").json
        return {d["name"] for d in plan["new"] + plan["due"]}

    ok("dm", "edit", "zoe", "--phone", "020 7946 0321")  # a new DM needs a number to ring
    assert "Zoë O'Brien" in planned()
    ok("dm", "dnc", "zoe")
    assert "Zoë O'Brien" not in planned()
    assert cli("dm", "dnc", "zoe").exit_code == 2  # already
    ok("dm", "restore", "zoe")
    assert "Zoë O'Brien is already active." in cli("dm", "restore", "zoe").stderr
    assert "Zoë O'Brien" in planned()
    ok("dm", "archive", "zoe")
    assert ok("dm", "show", "zoe", "--json").json["dm"]["status"] == "archived"
    assert "Zoë O'Brien" not in planned()


def test_restore_keeps_the_diarised_call(ok, people):
    ok("log", "zoe", "--continuation", "callback", "--next", "thu")
    ok("dm", "archive", "zoe")
    assert "Next call Thu 26 Nov." in ok("dm", "restore", "zoe").stdout
    assert ok("dm", "show", "zoe", "--json").json["dm"]["due_on"] == "2026-11-26"


def test_a_contact_restored_with_nothing_diarised_is_due_when_the_cycle_says(ok, people):
    ok("log", "zoe", "-c", "rejection", "--on", "2026-10-03")  # cycle ends Fri 1 Jan 2027
    ok("log", "zoe", "-n", "left-company")  # archived, nothing diarised
    ok("dm", "restore", "zoe")
    # New Year's Day is a holiday: the last working day before it.
    assert ok("dm", "show", "zoe", "--json").json["dm"]["due_on"] == "2026-12-31"
    ok("log", "nowak", "-c", "rejection", "--on", "2026-06-01")
    ok("log", "nowak", "-n", "left-company")
    ok("dm", "restore", "nowak")  # the cycle ran out long ago: due today
    ok("log", "janet", "-c", "callback", "--next", "2026-11-02", "--on", "2026-10-30")
    ok("dm", "dnc", "janet")
    assert "2 Nov" not in ok("dm", "list", "--status", "dnc").stdout  # not to be called
    assert "(already due)" in ok("dm", "restore", "janet").stdout
    assert ok("dm", "show", "nowak", "--json").json["dm"]["due_on"] == "2026-11-23"


def test_referred_by(ok, people):
    ok("dm", "add", "Bob Jones", "--company", "Initech", "--referred-by", "nowak")
    dm = ok("dm", "show", "bob", "--json").json["dm"]
    assert dm["referred_by"] == "Łukasz Nowak"


def test_a_command_group_on_its_own_shows_its_help(ok):
    for group in ("dm", "config"):
        assert "Usage: callplan " + group in ok(group).stdout


def test_a_stray_letter_never_picks_someone(store, cli, ok, people, env):
    before = snapshot(store)
    r = cli("log", "z", "-c", "callback")  # only Zoë's name starts with z
    assert r.exit_code == 3 and "type more of the name" in r.stderr
    assert snapshot(store) == before
    assert ok("dm", "show", "zo", "--json").json["dm"]["name"] == "Zoë O'Brien"
    assert cli("dm", "show", "ak").exit_code == 3  # 'ak' is inside Łukasz: too short


def test_square_brackets_in_data_are_text_not_markup(ok):
    ok("dm", "add", "Jo [bold]Markup[/bold]", "--company", "[/]", "--title", "[red]x")
    ok("log", "markup", "-a", "future-requirement", "--next", "+60d", "-s", "[/] oops")
    assert "Jo [bold]Markup[/bold]" in ok("dm", "show", "markup").stdout
    assert "[/]" in ok("dm", "list").stdout
    assert "[/] oops" in ok("sweep", "--dry-run").stdout
    ok("today", "--date", "2027-01-22")


def test_edit_due_on_a_day_off_says_so_as_log_does(ok):
    ok("dm", "add", "Jane Smith")
    ok("log", "jane", "-c", "callback")
    r = ok("dm", "edit", "jane", "--due", "sat")
    assert "Note: Sat 28 Nov is not a working day." in r.stderr
    assert "not a working day" not in ok("dm", "edit", "jane", "--due", "fri").stderr


def test_a_suggestion_ends_the_error_line_once(cli):
    r = cli("tday")
    assert "Did you mean 'today'?" in r.stderr and "?." not in r.stderr


@pytest.mark.parametrize("typed", ["jnae smith", "smtih", "Jane Smiht"])
def test_a_typo_in_a_name_suggests_who_was_meant(cli, ok, typed):
    ok("dm", "add", "Jane Smith")
    ok("dm", "add", "Bob Jones")
    r = cli("brief", typed)
    assert r.exit_code == 3 and r.stderr.count("\n") == 1
    assert "Did you mean Jane Smith (#1)?" in r.stderr and "Bob" not in r.stderr
