"""Hooks: jobs being recruited for, candidates being marketed and events to invite
clients to, matched to DMs.

A hook matches a DM when one of its tags is one of the DM's tags, or appears in what the
notes say they need (their toughest role to fill, their hiring plans). A candidate
already presented to the DM, a job at the DM's own company, or one they gave you (they
are its client: its progress is the reason to call, not a hook), is never offered to
them.
An event with no tags is for every client.

Hooks rank by what they offer the DM: a candidate for their toughest role first, then
the other candidates that fit, then events (an invitation, template ``hook.event``),
then jobs. A job at another company is nothing to sell them: it is offered only where
the DM is a source of names for it (it matches one of the DM's own tags, their field),
and worded as a request for names (template ``hook.job``).
Pure: no store, no clock.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from callplan.core import wording
from callplan.core.names import name_key
from callplan.errors import UsageError

JOB = "job"
CANDIDATE = "candidate"
EVENT = "event"
KINDS = (JOB, CANDIDATE, EVENT)
TAG_SCORE = 2  # a tag the DM has
NOTE_SCORE = 1  # a tag their notes mention


def normalise_tags(tags: Iterable[str]) -> list[str]:
    """Free words, matched case- and accent-insensitively: ' SharePoint ' -> 'sharepoint'."""
    return sorted({name_key(t) for t in tags if t and t.strip()})


def parse_ref(text: str) -> tuple[str, int]:
    """'job:3' -> ('job', 3); 'candidate:12' -> ('candidate', 12); 'event:2' -> ('event', 2)."""
    kind, _, number = text.strip().lower().partition(":")
    if kind in ("c", "cand", "mpc"):
        kind = CANDIDATE
    if kind in ("j",):
        kind = JOB
    if kind in ("e",):
        kind = EVENT
    number = number.strip()
    if kind not in KINDS or not (number.isascii() and number.isdigit()):
        raise UsageError(f"{text!r} is not a hook: use job:ID, candidate:ID or event:ID.")
    return kind, int(number)


@dataclass(frozen=True)
class Hook:
    kind: str
    id: int
    title: str  # the job title, the candidate's name, or the event's
    detail: str | None  # the job's company, the candidate's headline, or the event's venue
    tags: tuple[str, ...]
    company: str | None = None  # a job's company
    held_on: date | None = None  # an event's day
    client_id: int | None = None  # a job's client DM

    @property
    def ref(self) -> str:
        return f"{self.kind}:{self.id}"

    def describe(self) -> str:
        """'Senior DBA (Acme) [job:3]'; an event with its day: 'Our briefing (Thu 10 Dec
        2026, The Calls) [event:2]'."""
        parts = [wording.day(self.held_on)] if self.held_on else []
        parts += [self.detail] if self.detail else []
        detail = f" ({', '.join(parts)})" if parts else ""
        return f"{self.title}{detail} [{self.ref}]"


@dataclass(frozen=True)
class Match:
    hook: Hook
    score: int
    why: list[str] = field(default_factory=list)
    for_toughest_role: bool = False  # a candidate for the role they struggle to fill

    @property
    def rank(self) -> int:
        """What the hook offers the DM, best first: 0 a candidate for their toughest
        role, 1 another candidate that fits, 2 an event to invite them to, 3 a job they
        may know people for."""
        if self.hook.kind == CANDIDATE:
            return 0 if self.for_toughest_role else 1
        return 2 if self.hook.kind == EVENT else 3


@functools.cache
def _word(tag: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(tag)}(?:e?s)?(?!\w)")


def _mentions(key: str, tag: str) -> bool:
    """The tag as a whole word or phrase (a plural 's' allowed) in a text already passed
    through ``name_key``: 'developer' in 'developers'."""
    return tag in key and _word(tag).search(key) is not None


def match(
    hooks: Iterable[Hook],
    *,
    dm_tags: Iterable[str],
    notes: Mapping[str, str],
    dm_company: str | None,
    presented: Iterable[int] = (),
    toughest_role: str | None = None,
    dm_id: int | None = None,
) -> list[Match]:
    """The hooks that fit a DM, best first: by ``Match.rank`` (a candidate whose tag is
    in ``toughest_role``, the DM's toughest role to fill, then other candidates, then
    events, then jobs), then score, then the newest. A job fits only through one of the
    DM's own tags: one that their notes alone match is a job they need filling, not one
    they can name people for; one the DM (``dm_id``) gave you, never. An event with no
    tags fits everyone."""
    tags = set(normalise_tags(dm_tags))
    toughest = name_key(toughest_role or "")
    keys = {label: name_key(text) for label, text in notes.items() if text}
    shown = set(presented)
    own = name_key(dm_company or "")
    found: list[Match] = []
    for hook in hooks:
        if hook.kind == CANDIDATE and hook.id in shown:
            continue
        if hook.kind == JOB and own and name_key(hook.company or "") == own:
            continue
        if hook.kind == JOB and dm_id is not None and hook.client_id == dm_id:
            continue
        score, why = 0, []
        for tag in hook.tags:
            if tag in tags:
                score += TAG_SCORE
                why.append(f"tagged {tag}")
                continue
            for label, key in keys.items():
                if _mentions(key, tag):
                    score += NOTE_SCORE
                    why.append(f"{label} mentions {tag}")
                    break
        if hook.kind == JOB and not any(tag in tags for tag in hook.tags):
            continue  # they need it filled too: not a source of names
        if hook.kind == EVENT and not hook.tags:
            score, why = NOTE_SCORE, ["an event for every client"]
        for_toughest = hook.kind == CANDIDATE and any(_mentions(toughest, tag) for tag in hook.tags)
        if score:
            found.append(Match(hook, score, why, for_toughest))
    return sorted(found, key=lambda m: (m.rank, -m.score, -m.hook.id))
