"""The day's goal: what the recruiter means to achieve today, in their words ("2 CV
reviews agreed"), and how far the day's advances have got towards it.

A goal is counted when its words name a number and an advance: "2 CV reviews", "three
meetings", "1 job order", "4 advances" (any advance). Anything else ("ring every key
client") is shown as written and never judged.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from callplan.core import wording

_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip
# Words that name an advance, and its outcome type (None: any advance).
_ADVANCES: tuple[tuple[re.Pattern[str], str | None], ...] = tuple(
    (re.compile(rf"\b{pattern}\b"), outcome)
    for pattern, outcome in (
        (r"cv[- ]?reviews?|cvs? (?:reviewed|agreed|sent)", "cv-review"),
        (r"meetings?|visits?", "meeting"),
        (r"live[- ]requirements?|job orders?|vacanc(?:y|ies)|live roles?", "live-requirement"),
        (r"future[- ]requirements?", "future-requirement"),
        (r"next[- ]positions?", "next-position"),
        (r"terms", "terms"),
        (r"advances?", None),
    )
)
_COUNT = re.compile(r"^\s*(\d{1,3}|[a-z]+)\b")


@dataclass(frozen=True)
class Goal:
    text: str
    target: int | None = None  # None: not counted
    outcome: str | None = None  # the advance counted (None: any)

    @property
    def counted(self) -> bool:
        return self.target is not None


def parse_goal(text: str) -> Goal:
    """A goal from the recruiter's words: counted when they start with a number (or
    'two', 'an', …) and name an advance."""
    said = " ".join(text.split())
    key = said.lower()
    m = _COUNT.match(key)
    number = None
    if m:
        word = m.group(1)
        number = int(word) if word.isdigit() else _NUMBERS.get(word)
    for pattern, outcome in _ADVANCES:
        if number and pattern.search(key):
            return Goal(said, number, outcome)
    return Goal(said)


def done(goal: Goal, advances: Mapping[str, int]) -> int:
    """The advances so far that count towards ``goal``."""
    if goal.outcome is None:
        return sum(advances.values())
    return advances.get(goal.outcome, 0)


def met(goal: Goal, advances: Mapping[str, int]) -> bool | None:
    """Whether the day's ``advances`` (by outcome type) meet ``goal``; None: not counted."""
    return None if goal.target is None else done(goal, advances) >= goal.target


def goal_line(goal: Goal, advances: Mapping[str, int]) -> str:
    """'Goal: 2 CV reviews agreed — 1 of 2 so far' (or '… — met'); an uncounted goal
    with the day's advances: 'Goal: ring every key client — 3 advances so far'."""
    if goal.target is None:
        return f"Goal: {goal.text} — {wording.count(sum(advances.values()), 'advance')} so far"
    got = done(goal, advances)
    return f"Goal: {goal.text} — " + (
        "met" if got >= goal.target else f"{got} of {goal.target} so far"
    )
