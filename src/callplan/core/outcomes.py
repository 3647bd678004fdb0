"""The outcomes of a call: advances, continuations and attempts that didn't connect.

Each outcome type says what kind it is, how soon the next call comes by default (see
``callplan config``: ``delay.<type>``), how the plan words that next call, and where it
sorts in the day's list (agreed callbacks and advance follow-ups first, cycle catch-ups
last).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    ADVANCE = "advance"
    CONTINUATION = "continuation"
    NO_CONNECT = "no-connect"

    @property
    def is_conversation(self) -> bool:
        return self is not Kind.NO_CONNECT


# Order of the day's due calls: lower first.
PRIORITY_CALLBACK = 0  # agreed callbacks and advance follow-ups
PRIORITY_FOLLOW_UP = 1  # continuation follow-ups and dates you set yourself
PRIORITY_RETRY = 2  # another try after a dial that didn't connect
PRIORITY_CYCLE = 3  # cycle catch-ups and sweep placements


@dataclass(frozen=True)
class Outcome:
    type: str
    kind: Kind
    default_delay: str  # "2wd" working days, "30d" calendar days, "cycle", "none"
    reason: str  # how the plan words the next call this outcome diarises
    priority: int
    help: str
    loggable: bool = True  # False: recorded by callplan itself, never typed with `log`


OUTCOMES: dict[str, Outcome] = {
    o.type: o
    for o in [
        # Advances: a step closer to doing business. Warm, so called back soon.
        Outcome(
            "live-requirement",
            Kind.ADVANCE,
            "2wd",
            "chase the live requirement",
            PRIORITY_CALLBACK,
            "they have a job now",
        ),
        Outcome(
            "future-requirement",
            Kind.ADVANCE,
            "30d",
            "follow up the future requirement",
            PRIORITY_CALLBACK,
            "a job is coming",
        ),
        Outcome(
            "cv-review",
            Kind.ADVANCE,
            "2wd",
            "chase CV feedback",
            PRIORITY_CALLBACK,
            "they agreed to look at CVs",
        ),
        Outcome(
            "meeting",
            Kind.ADVANCE,
            "5wd",
            "follow up the meeting",
            PRIORITY_CALLBACK,
            "a client meeting is booked",
        ),
        Outcome(
            "next-position",
            Kind.ADVANCE,
            "30d",
            "ask about the next position",
            PRIORITY_CALLBACK,
            "they'll use us on their next position",
        ),
        Outcome(
            "terms",
            Kind.ADVANCE,
            "2wd",
            "chase the signed terms",
            PRIORITY_CALLBACK,
            "terms agreed",
        ),
        # Continuations: a reason to speak again, no step forward.
        Outcome(
            "callback",
            Kind.CONTINUATION,
            "2wd",
            "callback agreed",
            PRIORITY_CALLBACK,
            "they asked to be called back",
        ),
        Outcome(
            "emailed-details",
            Kind.CONTINUATION,
            "3wd",
            "follow up the emailed details",
            PRIORITY_FOLLOW_UP,
            "'email me your details'",
        ),
        Outcome(
            "hr-fob-off",
            Kind.CONTINUATION,
            "30d",
            "try again after the HR fob-off",
            PRIORITY_FOLLOW_UP,
            "sent to HR",
        ),
        Outcome(
            "objection",
            Kind.CONTINUATION,
            "30d",
            "revisit the objection",
            PRIORITY_FOLLOW_UP,
            "an objection wasn't handled",
        ),
        Outcome(
            "rejection",
            Kind.CONTINUATION,
            "cycle",
            "cycle call after a rejection",
            PRIORITY_CYCLE,
            "not interested (called again within the cycle)",
        ),
        # Attempts: not conversations. They never reset the cycle or count to the quota.
        Outcome(
            "no-answer",
            Kind.NO_CONNECT,
            "1wd",
            "retry: no answer last time",
            PRIORITY_RETRY,
            "nobody picked up",
        ),
        Outcome(
            "busy",
            Kind.NO_CONNECT,
            "0d",
            "retry: line was busy",
            PRIORITY_RETRY,
            "engaged; try again today",
        ),
        Outcome(
            "voicemail",
            Kind.NO_CONNECT,
            "1wd",
            "retry: left a voicemail",
            PRIORITY_RETRY,
            "left a message",
        ),
        Outcome(
            "gatekeeper",
            Kind.NO_CONNECT,
            "1wd",
            "retry: stopped by the gatekeeper",
            PRIORITY_RETRY,
            "didn't get past reception",
        ),
        Outcome(
            "wrong-number",
            Kind.NO_CONNECT,
            "1wd",
            "find a new number",
            PRIORITY_RETRY,
            "flags the DM as needing a number",
        ),
        Outcome(
            "left-company",
            Kind.NO_CONNECT,
            "none",
            "left the company",
            PRIORITY_RETRY,
            "archives the DM; add their successor with --successor",
        ),
        # A conversation held before callplan, recorded by `import` from a file's
        # last-contacted date: it starts the cycle like any conversation, and stats
        # leave it out (nothing was logged that day).
        Outcome(
            "imported",
            Kind.CONTINUATION,
            "cycle",
            "cycle call",
            PRIORITY_CYCLE,
            "a conversation before callplan, from an imported file",
            loggable=False,
        ),
    ]
}
IMPORTED = "imported"

# Reasons a due date can have besides an outcome.
REASON_MANUAL = "manual"  # set with `dm edit --due`
REASON_SWEEP = "sweep"  # placed by the monthly sweep
REASON_CYCLE = "cycle"  # the cycle ran out with nothing else diarised
REASON_NEW = "new"  # a prospect: the call is for the new-DM quota (recorded on calls only)

EXTRA_REASONS: dict[str, tuple[str, int]] = {
    REASON_MANUAL: ("diarised by you", PRIORITY_FOLLOW_UP),
    REASON_SWEEP: ("monthly sweep", PRIORITY_CYCLE),
    REASON_CYCLE: ("cycle call", PRIORITY_CYCLE),
}


def types_of(kind: Kind) -> list[str]:
    """The outcome types of ``kind`` a recruiter can log."""
    return [o.type for o in OUTCOMES.values() if o.kind is kind and o.loggable]


def priority_of(reason: str | None) -> int:
    if reason in OUTCOMES:
        return OUTCOMES[reason].priority
    if reason in EXTRA_REASONS:
        return EXTRA_REASONS[reason][1]
    return PRIORITY_CYCLE
