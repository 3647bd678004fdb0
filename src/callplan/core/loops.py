"""Open loops: what the recruiter is waiting on or promised (CVs to review, a live
requirement being worked, a meeting to follow up, terms to agree...), open until an
outcome closes it, however many callbacks come in between.

Pure: a DM's loops are derived from their calls in the order they were made (by date,
then as logged) and the loops closed by hand (`callplan loop close`), so taking a call
back (undo, call delete, call edit) gives the loops as if it had never been logged.

The rules (docs/guide.md, "Open loops", shows them as a table):

- An advance opens a loop of its own type; so does ``emailed-details`` (you sent your
  details: did they arrive?). No other continuation opens one: a callback is the diary's
  next call, not something waited on.
- An advance of active business (a live requirement, CVs to review, a meeting, terms)
  closes every loop open before it: it is what the earlier step was waiting for (the
  feedback, the job, what came of the meeting). A promise about later (a future
  requirement, the next position) closes only the loops of promises (future-requirement,
  next-position, emailed-details): "a job is coming" is no feedback on CVs.
- An advance of the type of a loop already open closes it and opens a new one (more CVs
  sent, another meeting): the age counts from the latest.
- A continuation never closes a loop, nor does a dial that didn't connect.
- A chase is a conversation after a loop opened that left it open; dials that didn't
  connect are not chases (they are no conversation). The conversation that closes a loop
  is its outcome, not a chase. ``emailed-details`` again while one is open is a chase.
- A loop closed by hand on a day is closed from that day on: calls that day or later
  don't chase it or close it (a close by hand has a day, not a time: the day's calls
  are taken as after it).
- A promised introduction (``introduction``) is opened by hand (`callplan loop open`), on
  the conversation the DM promised it in: no outcome says it. Only a later conversation
  that adds the people they named (``log --referral``) closes it, or a close by hand; an
  advance is no introduction. Taking that conversation back takes the promise with it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from callplan.core.outcomes import OUTCOMES, Kind, types_of

# Advances of active business: they close every open loop.
BUSINESS = ("live-requirement", "cv-review", "meeting", "terms")
# Promises about later: they close only the loops of promises.
PROMISES = ("future-requirement", "next-position", "emailed-details")
# The outcome types that open a loop (a loop's kind is the type that opened it).
OPENERS = (*types_of(Kind.ADVANCE), "emailed-details")
# The kinds opened by hand, on a conversation (`callplan loop open`): no outcome says them.
INTRODUCTION = "introduction"
BY_HAND = (INTRODUCTION,)
KINDS = (*OPENERS, *BY_HAND)


def closes(outcome: str, *, referred: bool = False) -> tuple[str, ...]:
    """The kinds of open loop a conversation with this outcome closes; ``referred``: the
    call added people the DM named, which is the promised introduction."""
    by_referral = BY_HAND if referred else ()
    if outcome in BUSINESS:
        return (*OPENERS, *by_referral)
    if outcome in ("future-requirement", "next-position"):
        return (*PROMISES, *by_referral)
    return by_referral


@dataclass(frozen=True)
class Step:
    """A call as the loops read it."""

    call_id: int
    called_on: date
    outcome: str
    referred: bool = False  # the call added people the DM named (log --referral)

    @property
    def conversation(self) -> bool:
        return OUTCOMES[self.outcome].kind.is_conversation if self.outcome in OUTCOMES else False


@dataclass
class Loop:
    kind: str
    opened_on: date
    opened_by: int  # the call that opened it
    recruiter: str | None = None
    chases: int = 0
    closed_on: date | None = None
    closed_by: int | None = None  # the call that closed it; None when open or closed by hand
    by_hand: bool = False
    chased_by: list[int] = field(default_factory=list)  # the chases' call ids

    @property
    def open(self) -> bool:
        return self.closed_on is None


def derive(
    steps: Sequence[Step],
    *,
    closed_by_hand: Mapping[int, date] | None = None,
    recruiters: Mapping[int, str | None] | None = None,
    promised: Mapping[int, date | None] | None = None,
) -> list[Loop]:
    """Every loop the calls ``steps`` (in the order made) opened, with its chases and how
    it closed; ``closed_by_hand``: the day each loop (by the call that opened it) was
    closed by hand; ``promised``: the conversations (by call id) an introduction was
    promised in, each with the day that loop was closed by hand, or None. Oldest first."""
    by_hand = closed_by_hand or {}
    intro = promised or {}
    who = recruiters or {}
    loops: list[Loop] = []

    def hand_closed(loop: Loop) -> date | None:
        table = intro if loop.kind in BY_HAND else by_hand
        return table.get(loop.opened_by)

    def close_by_hand_before(day: date) -> None:
        for loop in loops:
            hand = hand_closed(loop)
            if loop.open and hand is not None and hand <= day:
                loop.closed_on, loop.by_hand = hand, True

    for step in steps:
        close_by_hand_before(step.called_on)
        if not step.conversation:
            continue
        closed = closes(step.outcome, referred=step.referred)
        for loop in loops:
            if not loop.open:
                continue
            if loop.kind in closed:
                loop.closed_on, loop.closed_by = step.called_on, step.call_id
            else:
                loop.chases += 1
                loop.chased_by.append(step.call_id)
        already = any(loop.open and loop.kind == step.outcome for loop in loops)
        if step.outcome in OPENERS and not already:
            loops.append(Loop(step.outcome, step.called_on, step.call_id, who.get(step.call_id)))
        if step.call_id in intro:
            loops.append(Loop(INTRODUCTION, step.called_on, step.call_id, who.get(step.call_id)))
    for loop in loops:
        hand = hand_closed(loop)
        if loop.open and hand is not None:
            loop.closed_on, loop.by_hand = hand, True
    return loops


def chases_among(
    steps: Sequence[Step],
    *,
    closed_by_hand: Mapping[int, date] | None = None,
    promised: Mapping[int, date | None] | None = None,
) -> set[int]:
    """The calls among ``steps`` that were chases of an open loop (of one or more)."""
    found = derive(steps, closed_by_hand=closed_by_hand, promised=promised)
    return {c for loop in found for c in loop.chased_by}


def age(opened_on: date, today: date) -> int:
    """Days since a loop opened."""
    return max((today - opened_on).days, 0)


# What opened each kind of loop, as `today`'s reason and `dm show` say it ("CVs sent 12
# days ago, 2 chases"): the recruiter's view, not words said to a DM.
OPENED_AS = {
    "cv-review": "CVs sent",
    "live-requirement": "job taken",
    "future-requirement": "job expected",
    "meeting": "meeting booked",
    "next-position": "next position promised",
    "terms": "terms agreed",
    "emailed-details": "details emailed",
    "introduction": "promised",
}


def chase(kind: str) -> str:
    """What to do about an open loop, as `today`'s reason says it: 'chase CV feedback'."""
    return OUTCOMES[kind].reason if kind in OUTCOMES else "ask for the introduction"


def ago(days: int) -> str:
    return "today" if days <= 0 else "yesterday" if days == 1 else f"{days} days ago"


def chased(chases: int) -> str | None:
    return None if not chases else "1 chase" if chases == 1 else f"{chases} chases"


def describe(kind: str, *, opened_on: date, chases: int, today: date) -> str:
    """'CVs sent 12 days ago, 2 chases'."""
    text = f"{OPENED_AS.get(kind, kind)} {ago(age(opened_on, today))}"
    count = chased(chases)
    return f"{text}, {count}" if count else text
