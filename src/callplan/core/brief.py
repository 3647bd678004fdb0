"""The call brief: everything to glance at before dialling, in under a screen.

Pure: built from a DM's data, the notes' current picture, matching hooks and templates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from callplan.core import templates, wording
from callplan.core.hooks import CANDIDATE, Match
from callplan.core.notes import NOTE_FIELDS, Current
from callplan.core.planner import Aim

# What a recruiter should know about every DM; what's missing is suggested as questions.
TO_FIND_OUT = ("competitor", "toughest_role", "process", "plans")


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
    loops: list[str] = field(default_factory=list)
    hooks: list[Match] = field(default_factory=list)
    opening: str | None = None
    ask: str | None = None
    push: str | None = None  # too many continuations in a row: the advance to aim for


def _when(day: date | None, today: date) -> str | None:
    """'yesterday', 'today' or 'on Thu 19 Nov': ready to follow a verb."""
    if day is None:
        return None
    text = wording.day(day, today)
    return text if text in ("today", "yesterday") else f"on {text}"


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
) -> Brief:
    values: dict[str, Any] = {name: c.value for name, c in picture.items()}
    name = str(contact.get("name") or "")
    values.update(
        name=name,
        first_name=name.split()[0] if name.split() else name,
        company=contact.get("company"),
        referrer=referrer,
        last_spoke=_when(last_spoke_on, today),
        summary=last_summary,
        since=_when(last_spoke_on, today),
        due=wording.day(next_call_on, today) if next_call_on else None,
    )
    loops = []
    if last_outcome and f"loop.{last_outcome}" in words:
        loop = templates.render(words, f"loop.{last_outcome}", values)
        if loop:
            loops.append(loop)
    opening = None
    for key in templates.OPENINGS:
        if key == "referred" and conversation_count:
            continue  # a referral is how you open the first call, not the fifth
        opening = templates.render(words, f"opening.{key}", values)
        if opening:
            break
    if opening is None and not conversation_count:
        opening = templates.render(words, "opening.new", values)
    if hooks:
        best = hooks[0].hook
        title = best.title + (f", {best.detail}" if best.kind == CANDIDATE and best.detail else "")
        line = templates.render(words, f"hook.{best.kind}", {**values, "hook_title": title})
        if line and opening:
            opening = f"{opening if opening[-1] in '.?!' else opening + '.'} {line}"
        elif line:
            opening = line
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
        opening=opening,
        ask=ask,
        push=push_line,
    )
