"""The day's goal (issue 17): set in the recruiter's words, counted when they name a
number and an advance, shown at the top of `today` with the advances so far, and
counted by `stats`. Today is Mon 23 Nov 2026."""

from __future__ import annotations

import pytest

from callplan.core.goals import Goal, goal_line, met, parse_goal


@pytest.mark.parametrize(
    ("text", "target", "outcome"),
    [
        ("2 CV reviews agreed", 2, "cv-review"),
        ("two meetings booked", 2, "meeting"),
        ("1 job order", 1, "live-requirement"),
        ("an advance before lunch", 1, None),
        ("3 advances", 3, None),
        ("Make 40 calls", None, None),  # a number, but no advance: not counted
        ("ring every key client", None, None),
        ("CV reviews", None, None),  # an advance, but no number
    ],
)
def test_a_goal_is_counted_when_it_names_a_number_and_an_advance(text, target, outcome):
    goal = parse_goal(text)
    assert (goal.text, goal.target, goal.outcome) == (text, target, outcome)


def test_how_far_the_days_advances_have_got():
    cvs = Goal("2 CV reviews agreed", 2, "cv-review")
    assert goal_line(cvs, {"meeting": 3}) == "Goal: 2 CV reviews agreed — 0 of 2 so far"
    assert goal_line(cvs, {"cv-review": 1}) == "Goal: 2 CV reviews agreed — 1 of 2 so far"
    assert goal_line(cvs, {"cv-review": 2}) == "Goal: 2 CV reviews agreed — met"
    assert met(Goal("3 advances", 3, None), {"cv-review": 2, "meeting": 1}) is True
    free = Goal("ring every key client")
    assert met(free, {"meeting": 1}) is None
    assert goal_line(free, {"meeting": 1}) == "Goal: ring every key client — 1 advance so far"


def test_goal_sets_shows_and_clears_todays_goal(ok, cli):
    r = ok("goal", "2 CV reviews agreed")
    assert r.stdout.strip() == ("Goal: 2 CV reviews agreed — 0 of 2 so far (counted: 2 cv-review)")
    ok("dm", "add", "Jane Smith")
    ok("log", "jane", "-a", "cv-review")
    assert ok("goal", "--json").json == {
        "text": "2 CV reviews agreed",
        "target": 2,
        "outcome": "cv-review",
        "done": 1,
        "met": False,
    }
    assert ok("today").stdout.splitlines()[0] == "Goal: 2 CV reviews agreed — 1 of 2 so far"
    assert ok("today", "--json").json["goal"]["done"] == 1
    r = ok("goal", "--clear")
    assert "No goal for today (cleared)." in r.stdout
    assert ok("today", "--json").json["goal"] is None
    assert cli("goal", "   ").exit_code == 2
    assert cli("goal", "x", "--clear").exit_code == 2


def test_today_goal_sets_it_before_the_plan(ok):
    r = ok("today", "--goal", "3 advances")
    assert r.stdout.splitlines()[0] == "Goal: 3 advances — 0 of 3 so far"
    assert ok("goal", "--json").json["target"] == 3


def test_stats_count_the_goals_set_and_met(ok):
    ok("dm", "add", "Jane Smith")
    ok("dm", "add", "Raj Patel")
    ok("goal", "1 meeting", env={"CALLPLAN_TODAY": "2026-11-20"})
    ok("log", "jane", "-a", "meeting", "--on", "2026-11-20")
    ok("goal", "2 CV reviews")
    ok("log", "raj", "-a", "cv-review")
    ok("goal", "be nicer to gatekeepers", env={"CALLPLAN_TODAY": "2026-11-19"})
    goals = ok("stats", "--json").json["goals"]
    assert goals == {"set": 3, "counted": 2, "met": 1}
    assert "3 set: 1 of the 2 counted met" in ok("stats").stdout


def test_go_shows_the_goal_with_the_advances_so_far(ok):
    ok("dm", "add", "Ann A", "--phone", "0113 496 0005")
    ok("dm", "add", "Bob B", "--phone", "0113 496 0006")
    ok("goal", "2 CV reviews agreed")
    r = ok("go", input="\n".join(["a", "cv-review", *[""] * 10, "q"]) + "\n")
    first, second = r.stdout.split("to go ─")[1:3]
    assert "Goal: 2 CV reviews agreed — 0 of 2 so far" in first
    assert "Goal: 2 CV reviews agreed — 1 of 2 so far" in second
    # Without a goal, go says nothing of one.
    ok("goal", "--clear")
    assert "Goal:" not in ok("go", input="q\n").stdout


def test_goals_and_sweeps_survive_an_export_and_a_merge_adds_them_once(ok, tmp_path, blank_store):
    """Found by a review: a restored store had lost its goals (stats) and its sweeps
    (the sweep-day reminder's last sweep)."""
    ok("dm", "add", "Jane Smith", "--company", "Acme")
    ok("log", "jane", "-c", "rejection", "--on", "2026-06-01")
    ok("sweep", env={"CALLPLAN_TODAY": "2026-11-02"})
    ok("goal", "1 cv-review")
    path = tmp_path / "all.json"
    ok("export", "-f", "json", "-o", str(path))
    other = ("--db", blank_store.db)
    ok(*other, "import", str(path))
    assert ok(*other, "goal", "--json").json["text"] == "1 cv-review"
    assert blank_store.query("SELECT swept_on, placed FROM sweep_run") == [("2026-11-02", 1)]
    ok(*other, "import", "--merge", str(path))  # the same file again: nothing doubled
    assert blank_store.query("SELECT COUNT(*) FROM day_goal") == [(1,)]
    assert blank_store.query("SELECT COUNT(*) FROM sweep_run") == [(1,)]
