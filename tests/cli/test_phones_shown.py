"""Every command that shows a DM's number shows it the same way: national for the desk's
country (CALLPLAN_COUNTRY), international for another country's; JSON and CSV give it as
stored (E.164: `dm add` stores it so, as an import does), for scripts."""

from __future__ import annotations

import re

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
LONG_PHONE = "+44 (0)113 496 0001"


def test_dm_list_show_brief_and_today_show_a_number_in_the_national_format(ok):
    ok("dm", "add", "Jane Smith", "--company", "Acme", "--phone", LONG_PHONE)
    for args in (["dm", "list"], ["dm", "show", "jane"], ["brief", "jane"], ["today"]):
        out = ok(*args).stdout
        assert "0113 496 0001" in out and LONG_PHONE not in out, args


def test_another_countrys_number_is_international(ok):
    ok("dm", "add", "Jane Smith", "--phone", LONG_PHONE)
    assert "+44 113 496 0001" in ok("dm", "list", env={"CALLPLAN_COUNTRY": "IE"}).stdout
    ok("dm", "add", "Joe Bloggs", "--phone", "+1 212 555 0123")
    assert "+1 212-555-0123" in ok("dm", "show", "joe").stdout


def test_json_and_csv_give_the_number_as_stored(ok):
    ok("dm", "add", "Jane Smith", "--phone", LONG_PHONE)
    stored = "+441134960001"
    assert ok("dm", "list", "--json").json["dms"][0]["phone"] == stored
    assert stored in ok("dm", "list", "--csv").stdout
    assert ok("today", "--json").json["new"][0]["phone"] == stored
    assert stored in ok("today", "--csv").stdout


def test_dm_list_on_a_terminal_is_one_line_per_dm_however_long_the_names(ok):
    company = "Northern Widget Manufacturing Group plc"
    ok("dm", "add", "Bartholomew Fotheringham-Whittingstall", "--company", company)
    ok("dm", "add", "Jane Smith", "--company", company, "--phone", LONG_PHONE)
    terminal = {"TTY_COMPATIBLE": "1", "COLUMNS": "80"}
    out = ok("dm", "list", env=terminal).stdout
    lines = [ANSI.sub("", line).rstrip() for line in out.splitlines()]
    rows = lines[3:]
    assert len(rows) == 2 and all(len(line) <= 80 for line in lines), lines
    assert "…" in rows[0] and "0113 496 0001" in rows[1]
    piped = ok("dm", "list").stdout  # piped, the names wrap as they always have
    assert len(piped.splitlines()) > len(lines) and "…" not in piped
