"""The call brief: everything to glance at before dialling, in under a screen.

Pure: built from a DM's data, the notes' current picture, matching hooks and templates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from callplan.core import loops as loops_
from callplan.core import purposes, templates, wording
from callplan.core.delivery import ClientJob
from callplan.core.hooks import CANDIDATE, EVENT, Match
from callplan.core.notes import NOTE_FIELDS, Current
from callplan.core.planner import Aim

# What a recruiter should know about every DM; what's missing is suggested as questions.
TO_FIND_OUT = ("competitor", "toughest_role", "process", "plans")
# The note fields an opening can tell the DM back.
OPENING_FIELDS = frozenset({"toughest_role", "liked", "plans"})


@dataclass(frozen=True)
class Closing:
    """A line for the end of the call, and when to use it (curt, not-interested,
    wrong-time)."""

    when: str
    line: str


@dataclass(frozen=True)
class OpenLoopFacts:
    """An open loop as the brief is given it (core.loops): its kind, when it opened and
    the conversations since that left it open."""

    kind: str
    opened_on: date
    chases: int


@dataclass(frozen=True)
class BriefLoop:
    """An open loop in the brief: its facts, its age in days and its line (``loop.<kind>``)."""

    kind: str
    opened_on: date
    age_days: int
    chases: int
    text: str


@dataclass
class Brief:
    contact: dict[str, Any]
    referrer: str | None
    conversation_number: int
    last_spoke_on: date | None
    last_outcome: str | None
    last_summary: str | None
    reason: str
    picture: dict[str, Current]
    loops: list[BriefLoop] = field(default_factory=list)  # oldest first
    hooks: list[Match] = field(default_factory=list)
    jobs: list[ClientJob] = field(default_factory=list)  # the open jobs they gave you
    opening: str | None = None
    ask: str | None = None
    push: str | None = None  # too many continuations in a row: the advance to aim for
    say: str | None = None  # the words marked to be said on the last call, if recent
    closing: list[Closing] = field(default_factory=list)
    purpose: str | None = None  # the purpose chosen for this call (core.purposes)


def _when(day: date | None, today: date) -> str | None:
    """'yesterday', 'today' or 'on Thu 19 Nov': ready to follow a verb."""
    if day is None:
        return None
    text = wording.day(day, today)
    return text if text in ("today", "yesterday") else f"on {text}"


def _sentence(text: str) -> str:
    """A rendered line as a sentence: a capital first, a full stop last."""
    text = text.strip()
    if not text:
        return text
    text = text[:1].upper() + text[1:]
    return text if text[-1] in ".?!…" else text + "."


def _fact_sentences(
    picture: Mapping[str, Current],
    *,
    last_spoke_on: date | None,
    today: date,
    words: Mapping[str, str],
    values: Mapping[str, Any],
    limit: int,
    as_earlier: bool,
) -> list[str]:
    """What the DM told you, newest first: the last conversation's facts (``opening.*``,
    "we spoke on Monday and you mentioned…"), then older facts still in the picture
    (``earlier.*``, "In August you mentioned…"), each dated; at most ``limit``
    sentences, one a day's facts."""
    by_day: dict[date, dict[str, str]] = {}
    for name, c in picture.items():
        if name in OPENING_FIELDS:
            by_day.setdefault(c.noted_on, {})[name] = c.value
    sentences: list[str] = []
    for noted_on in sorted(by_day, reverse=True):
        if len(sentences) >= limit:
            break
        latest = not as_earlier and last_spoke_on is not None and noted_on >= last_spoke_on
        group = "opening" if latest else "earlier"
        when = wording.said_when(last_spoke_on if latest and last_spoke_on else noted_on, today)
        facts = {**values, **by_day[noted_on], "when": when}
        for key in templates.OPENINGS:
            line = templates.render(words, f"{group}.{key}", facts)
            if line:
                sentences.append(_sentence(line))
                break
    return sentences


def compose(
    *,
    contact: Mapping[str, Any],
    conversation_count: int,
    last_spoke_on: date | None,
    last_outcome: str | None,
    last_summary: str | None,
    next_call_on: date | None,
    referrer: str | None,
    reason: str,
    picture: dict[str, Current],
    hooks: Sequence[Match],
    today: date,
    words: Mapping[str, str],
    push: tuple[int, Aim] | None = None,
    say: str | None = None,
    said_on: date | None = None,
    due_reason: str | None = None,
    interval: str | None = None,
    purpose: str | None = None,
    open_loops: Sequence[OpenLoopFacts] = (),
    jobs: Sequence[ClientJob] = (),
) -> Brief:
    """The brief. The opening: the words marked to be said on the last call (``say``,
    said on ``said_on``: the caller passes them only when recent), then what the DM told
    you, the last conversation first, then the best hook. The last call's summary is shown
    as context, never put into the opening. ``due_reason`` (an outcome type, cycle, ...)
    and ``purpose`` (the one chosen for the call, core.purposes) pick the closing lines'
    purpose; ``interval`` is the wait after an objection, in words. ``open_loops``: the
    DM's open loops, each told by its ``loop.<kind>`` template (``since``: when it
    opened), oldest first. ``jobs``: the open jobs the DM gave you, with where each
    stands."""
    name = str(contact.get("name") or "")
    # Only the note fields' values are filled in directly: the summary (the recruiter's
    # own note) is no placeholder, so no template, default or edited, can read it out.
    values: dict[str, Any] = {
        "name": name,
        "first_name": name.split()[0] if name.split() else name,
        "company": contact.get("company"),
        "referrer": referrer,
        "last_spoke": _when(last_spoke_on, today),
        "since": _when(last_spoke_on, today),
        "due": wording.day(next_call_on, today) if next_call_on else None,
    }
    facts = {n: c.value for n, c in picture.items()}
    loops = []
    for loop in sorted(open_loops, key=lambda x: x.opened_on):
        key = f"loop.{loop.kind}"
        line = (
            templates.render(words, key, {**values, **facts, "since": _when(loop.opened_on, today)})
            if key in words
            else None
        )
        loops.append(
            BriefLoop(
                loop.kind,
                loop.opened_on,
                loops_.age(loop.opened_on, today),
                loop.chases,
                line or loop.kind,
            )
        )
    sentences: list[str] = []
    if referrer and not conversation_count:  # how you open the first call, not the fifth
        line = templates.render(words, "opening.referred", values)
        if line:
            sentences.append(_sentence(line))
    said = None
    if say and said_on is not None and conversation_count:
        said = say
        line = templates.render(
            words,
            "opening.say",
            {**values, "say": say, "said_when": wording.said_when(said_on, today)},
        )
        if line:
            sentences.append(_sentence(line))
    sentences += _fact_sentences(
        picture,
        last_spoke_on=last_spoke_on,
        today=today,
        words=words,
        values=values,
        limit=1 if sentences else 2,
        as_earlier=bool(sentences),
    )
    if not sentences and not conversation_count:
        line = templates.render(words, "opening.new", values)
        if line:
            sentences.append(_sentence(line))
    if hooks:
        best = hooks[0].hook
        title = best.title + (f", {best.detail}" if best.kind == CANDIDATE and best.detail else "")
        extra: dict[str, str | None] = {"hook_title": title}
        if best.kind == EVENT and best.held_on is not None:
            extra |= {"hook_on": wording.day(best.held_on, today), "hook_venue": best.detail}
        line = templates.render(words, f"hook.{best.kind}", {**values, **extra})
        if line:
            sentences.append(_sentence(line))
    opening = " ".join(x for x in sentences if x) or None
    missing = [
        f.label.lower() for f in NOTE_FIELDS if f.name in TO_FIND_OUT and f.name not in picture
    ]
    if not picture:
        ask = templates.render(words, "ask.none", values)
    elif missing:
        ask = templates.render(words, "ask.missing", {**values, "missing": ", ".join(missing)})
    else:
        ask = None
    push_line = None
    if push is not None:
        run, aim = push
        offered = aim.hook.title if aim.hook else None
        push_line = templates.render(
            words, f"push.{aim.kind}", {**values, "continuations": run, "hook_title": offered}
        )
    return Brief(
        contact=dict(contact),
        referrer=referrer,
        conversation_number=conversation_count + 1,
        last_spoke_on=last_spoke_on,
        last_outcome=last_outcome,
        last_summary=last_summary,
        reason=reason,
        picture=picture,
        loops=loops,
        hooks=list(hooks),
        jobs=list(jobs),
        opening=opening,
        ask=ask,
        push=push_line,
        say=said,
        closing=closing_lines(words, due_reason=due_reason, interval=interval, purpose=purpose),
        purpose=purpose,
    )


def closing_lines(
    words: Mapping[str, str],
    *,
    due_reason: str | None,
    interval: str | None,
    purpose: str | None = None,
) -> list[Closing]:
    """The lines for the end of a call, from the templates: when the DM is curt, not
    interested now, or the timing is wrong. {purpose} is the chosen purpose's words
    (``purpose.<name>``; one in the recruiter's own words is never read out), else the
    due reason's, else the default. Those whose placeholders can't be filled are left
    out."""
    values = {
        "purpose": (
            (words.get(f"purpose.{purpose}") if purposes.is_known(purpose) else None)
            or words.get(f"purpose.{due_reason}")
            or words.get("purpose.default")
        ),
        "interval": interval,
        "channel": words.get("closing.channel"),
    }
    lines = []
    for key, when in templates.CLOSINGS:
        line = templates.render(words, f"closing.{key}", values)
        if line:
            lines.append(Closing(when, line))
    return lines
