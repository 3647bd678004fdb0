"""The purpose of a call: what the recruiter means to do on it, chosen by them.

The method lists the purposes a call to a decision maker can have (market information,
clarifying, keeping in touch, feedback, ...). A recruiter picks one of those by its name
(``book-meeting``) or its words ("book a meeting"), or writes their own ("Q1 hiring plan").
A purpose is given with the date of the next call (`log --next DATE --purpose P`,
`dm edit --due DATE --purpose P`) and is what the plan and the brief show as the reason
for that call; the call logged then records it, so `stats` can count advances by purpose.

A purpose of the recruiter's own words is shown to them, never put into the words the
brief suggests saying (a template ``purpose.<name>`` words the method's ones for the DM).
Pure: no store, no clock.
"""

from __future__ import annotations

from dataclasses import dataclass

from callplan.core.names import name_key
from callplan.errors import UsageError

MAX_LENGTH = 120


@dataclass(frozen=True)
class Purpose:
    name: str  # what is stored and typed: book-meeting
    label: str  # how the plan shows it: book a meeting


# The purposes of a call in the method (../shared/DOMAIN.md), in its order.
PURPOSES: dict[str, Purpose] = {
    p.name: p
    for p in [
        Purpose("market-information", "market information"),
        Purpose("clarify", "clarify"),
        Purpose("maintain-engagement", "maintain engagement"),
        Purpose("gather-feedback", "gather feedback"),
        Purpose("answer-questions", "answer questions"),
        Purpose("book-meeting", "book a meeting"),
        Purpose("follow-up-email", "follow up an email"),
        Purpose("reinforce-interest", "reinforce interest"),
        Purpose("invite-to-event", "invite to an event"),
        Purpose("pick-up-role", "pick up a role"),
        Purpose("job-description-feedback", "feedback on a job description"),
        Purpose("reference-call", "reference call"),
        Purpose("referral-request", "referral request"),
    ]
}

# Every way of typing one of the method's purposes, by name_key: its name, its name with
# spaces, and its label ("Book a meeting", "book meeting", "book-meeting").
_KNOWN: dict[str, str] = {}
for _p in PURPOSES.values():
    for _form in (_p.name, _p.name.replace("-", " "), _p.label):
        _KNOWN[name_key(_form)] = _p.name


def read(text: str) -> str:
    """A typed purpose as stored: one of the method's by its name, else the recruiter's
    own words, as typed (already cleaned of control characters by the caller)."""
    words = " ".join(text.split())
    if not words:
        raise UsageError("The purpose is empty: name one (callplan log --help lists them).")
    if len(words) > MAX_LENGTH:
        raise UsageError(f"The purpose is longer than {MAX_LENGTH} characters.")
    return _KNOWN.get(name_key(words), words)


def is_known(purpose: str | None) -> bool:
    return purpose in PURPOSES


def label(purpose: str) -> str:
    """How the plan and the brief show a stored purpose: the method's words, or the
    recruiter's own."""
    known = PURPOSES.get(purpose)
    return known.label if known else purpose


HELP = "The purpose of the next call: " + ", ".join(PURPOSES) + ", or your own words"
