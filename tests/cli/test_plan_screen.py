"""`callplan today` on a terminal: the day on one screen at 80x24 (one line per call, the
most urgent first, "N more" at the end), a pager when it is longer than the screen, and
phones in the desk's national format; piped, the table as before."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from callplan.cli.output import pager_command

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
LONG_PHONE = "+44 (0)113 496 0001"


def screen(ok, *args, columns=80, lines=24, **env):
    """The plan as an 80x24 terminal shows it: its lines, styles taken out."""
    terminal = {"TTY_COMPATIBLE": "1", "COLUMNS": str(columns), "LINES": str(lines)}
    result = ok("today", *args, env={**terminal, "PAGER": "cat", **env})
    return [ANSI.sub("", line).rstrip() for line in result.stdout.splitlines()]


@pytest.fixture
def day(ok, tmp_path):
    """A 20-DM day: 2 new DMs, one with a long phone and name, and 18 due, among them
    one callback agreed for today (the most urgent) and 17 out of their cycle."""
    rows = ["name,company,title,phone"]
    rows.append(
        f'Bartholomew Fotheringham-Whittingstall,"Northern Widget Manufacturing Group plc",'
        f'"Director of Platform and Infrastructure","{LONG_PHONE}"'
    )
    rows.append('Ann New,Acme,CTO,"020 7946 0000"')
    rows += [f'Due Person {i:02d},"Harrogate Software Solutions Limited",VP,""' for i in range(17)]
    rows.append('Cleo Callback,Vale,CTO,"0113 496 0099"')
    contacts = tmp_path / "contacts.csv"
    contacts.write_text("\n".join(rows) + "\n")
    ok("import", str(contacts))
    for i in range(17):
        ok("log", f"due person {i:02d}", "-c", "rejection", "--on", f"2026-07-{i + 1:02d}")
    ok("log", "cleo", "-c", "callback", "--next", "today", "--on", "2026-11-20")


def test_a_20_dm_day_fits_an_80x24_terminal_with_how_many_more(ok, day):
    lines = screen(ok)
    assert len(lines) <= 22  # the command above and the prompt below fit too
    assert all(len(line) <= 80 for line in lines)
    assert lines[0] == "Plan for Mon 23 Nov 2026"
    assert lines[-2].startswith("… and ") and lines[-2].endswith(" more due: callplan today --all")
    assert lines[-1].startswith("New DMs: 0 of 2 today")
    shown = [line for line in lines if "Due Person" in line]
    more = int(lines[-2].split()[2])
    assert len(shown) + more == 17 and more > 0
    assert ok("today", "--json").json["due_total"] == 18


def test_one_line_per_call_the_most_urgent_first(ok, day):
    lines = screen(ok)
    due = lines.index("Due: 18 calls")
    assert "Cleo Callback" in lines[due + 1] and "callback agreed" in lines[due + 1]
    assert "Due Person 00" in lines[due + 2]  # then the longest out of cycle
    assert "90-day cycle" in lines[due + 2]
    new = [line for line in lines[1:due] if "Ann New" in line or "Bartholomew" in line]
    assert len(new) == 2  # each new DM on one line


def test_a_long_phone_is_shown_national_and_wraps_nothing(ok, day):
    lines = screen(ok)
    (row,) = [line for line in lines if "Bartholomew" in line]
    assert "0113 496 0001" in row and LONG_PHONE not in "\n".join(lines)
    assert "…" in row  # the long name and company cut, not wrapped
    assert not any("Whittingstall" in line for line in lines if line is not row)


def test_a_narrow_terminal_cuts_values_and_never_wraps_a_row(ok, day):
    lines = screen(ok, columns=50)
    assert all(len(line) <= 50 for line in lines)
    assert sum("0113 496 0099" in line for line in lines) == 1
    assert len(lines) <= 22


def test_a_tall_terminal_shows_every_call_without_more(ok, day):
    lines = screen(ok, lines=40)
    assert sum("Due Person" in line for line in lines) == 17
    assert not any("more due" in line for line in lines)


def test_all_on_a_terminal_lists_every_call(ok, day):
    lines = screen(ok, "--all")
    assert sum("Due Person" in line for line in lines) == 17
    assert all(len(line) <= 80 for line in lines)


# --- the pager ------------------------------------------------------------------------


@pytest.fixture
def recording_pager(tmp_path: Path) -> tuple[str, Path]:
    """A pager that keeps what it is given in a file: (its command, the file)."""
    kept = tmp_path / "paged.txt"
    script = tmp_path / "pager.py"
    script.write_text(
        f"import sys\nopen({str(kept)!r}, 'w').write(sys.stdin.read())\n", encoding="utf-8"
    )
    return f"{sys.executable} {script}", kept


def test_longer_than_the_screen_goes_through_the_pager(ok, day, recording_pager):
    pager, kept = recording_pager
    r = ok("today", "--all", env={"TTY_COMPATIBLE": "1", "LINES": "24", "PAGER": pager})
    paged = ANSI.sub("", kept.read_text())
    assert sum("Due Person" in line for line in paged.splitlines()) == 17
    assert "Due Person" not in r.stdout  # the pager showed it, not callplan


def test_callplan_pager_wins_over_pager(ok, day, recording_pager):
    pager, kept = recording_pager
    terminal = {"TTY_COMPATIBLE": "1", "LINES": "24"}
    ok("today", "--all", env={**terminal, "PAGER": "false", "CALLPLAN_PAGER": pager})
    assert "Due Person 16" in kept.read_text()


def test_a_plan_that_fits_the_screen_is_not_paged(ok, day, recording_pager):
    pager, kept = recording_pager
    r = ok("today", env={"TTY_COMPATIBLE": "1", "LINES": "24", "PAGER": pager})
    assert not kept.exists()
    assert "Cleo Callback" in r.stdout


def test_piped_the_plan_is_the_table_and_never_paged(ok, day, recording_pager):
    pager, kept = recording_pager
    r = ok("today", "--all", env={"PAGER": pager, "CALLPLAN_PAGER": pager})
    assert not kept.exists()
    assert "Decision maker" in r.stdout and "Why now" in r.stdout  # the table's headers
    assert "Due Person 16" in r.stdout
    assert "0113 496 0001" in r.stdout and LONG_PHONE not in r.stdout


@pytest.mark.no_store
@pytest.mark.parametrize(
    ("environ", "command"),
    [
        ({}, ["less"]),
        ({"PAGER": "more -s"}, ["more", "-s"]),
        ({"PAGER": "more", "CALLPLAN_PAGER": "less -R"}, ["less", "-R"]),
        ({"PAGER": ""}, None),
        ({"PAGER": "less", "CALLPLAN_PAGER": ""}, None),  # set but empty: no pager
        ({"PAGER": "cat"}, None),
        ({"PAGER": "'unclosed"}, None),
    ],
)
def test_the_pager_is_picked_as_git_picks_its_own(environ, command):
    assert pager_command(environ) == command


def test_a_pager_that_cant_be_started_is_named_and_the_plan_printed(ok, day, tmp_path):
    terminal = {"TTY_COMPATIBLE": "1", "LINES": "24", "PAGER": str(tmp_path / "no-such-pager")}
    r = ok("today", "--all", env=terminal)
    assert "Due Person 16" in r.stdout
    said = r.stderr.replace("\n", "")  # wrapped at the terminal's width
    assert "Can't start the pager" in said and "no-such-pager" in said


def test_prospects_without_a_number_are_one_line_of_the_screen(ok, day):
    for name in ("Li One", "Li Two", "Li Three"):  # as a LinkedIn import adds them
        ok("dm", "add", name, "--company", "LinkedIn")
    lines = screen(ok)
    assert len(lines) <= 22 and all(len(line) <= 80 for line in lines)
    needing = [line for line in lines if "need a number" in line]
    assert needing == ["3 new DMs need a number: callplan dm list --status need-number"]
    assert not any("Li " in line for line in lines if line not in needing)
