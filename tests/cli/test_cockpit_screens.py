"""The cockpit's main screens as SVG snapshots (pytest-textual-snapshot), at 80x24 and
120x40: a change in what a recruiter sees fails here until the snapshot is looked at and
updated (pytest --snapshot-update). Today is Mon 23 Nov 2026 (tests/conftest.py)."""

from __future__ import annotations

import pytest

from callplan.cli.cockpit.app import Cockpit
from callplan.cli.cockpit.day import standalone

pytestmark = pytest.mark.sqlite_only("the screens are the same on either store: kept once")


@pytest.fixture
def desk(ok):
    """A morning's plan: two new DMs (one referred), one due with a picture and an open
    loop, and a candidate due a call."""
    ok("config", "set", "country", "GB")
    ok("dm", "add", "Jane Smith", "--company", "Acme Ltd", "--title", "Head of Engineering",
       "--phone", "0113 496 0001")  # fmt: skip
    ok("dm", "add", "Bob Jones", "--company", "Bolt", "--phone", "0113 496 0002")
    ok("dm", "add", "Carol White", "--company", "Cog", "--phone", "0113 496 0003")
    ok("log", "carol", "--on", "2026-10-01", "-a", "cv-review", "-s", "Send a Java CV",
       "--competitor", "Hays", "--plans", "Two Java hires in spring")  # fmt: skip
    ok("dm", "edit", "carol", "--due", "today")
    ok("candidate", "add", "Dev Patel", "--phone", "07700 900123", "--due", "today")
    return ok


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_the_day_screen(desk, snap_compare, size):
    with standalone() as day:
        assert snap_compare(Cockpit(day), terminal_size=size)


def test_the_day_screen_after_an_advance(desk, snap_compare):
    with standalone() as day:
        assert snap_compare(Cockpit(day), terminal_size=(80, 24), press=["a", "3", "ctrl+s"])


def test_the_log_form(desk, snap_compare):
    with standalone() as day:
        assert snap_compare(Cockpit(day), terminal_size=(80, 24), press=["a", "3", *"Wants a CV"])


def test_the_help(desk, snap_compare):
    with standalone() as day:
        assert snap_compare(Cockpit(day), terminal_size=(80, 24), press=["question_mark"])


@pytest.mark.no_store
def test_the_guides_screenshot_is_the_screen_as_drawn():
    """docs/cockpit.svg is the 80x24 snapshot: after --snapshot-update, copy it there."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    drawn = Path(__file__).parent / "__snapshots__" / "test_cockpit_screens"
    assert (root / "docs" / "cockpit.svg").read_bytes() == (
        drawn / "test_the_day_screen[80x24].svg"
    ).read_bytes()


@pytest.mark.no_store
@pytest.mark.parametrize(
    ("colorfgbg", "theme"),
    [(None, "ansi-dark"), ("15;0", "ansi-dark"), ("0;15", "ansi-light"), ("0;7", "ansi-light")],
)
def test_the_colours_are_the_terminals_own_light_or_dark(monkeypatch, colorfgbg, theme):
    from callplan.cli.cockpit.app import _theme

    if colorfgbg is None:
        monkeypatch.delenv("COLORFGBG", raising=False)
    else:
        monkeypatch.setenv("COLORFGBG", colorfgbg)
    assert _theme() == theme
