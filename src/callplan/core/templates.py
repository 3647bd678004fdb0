"""The words of the call brief: editable templates, never English glued to data in code.

Defaults are below; a TOML file (``templates.toml`` in the config folder, or the path in
CALLPLAN_TEMPLATES) overrides any of them by key, e.g.

    [opening]
    toughest_role = "Last time you said {toughest_role} were hard to find."

Placeholders are the note fields (competitor, competitor_likes, sold, liked, not_fussed,
process, toughest_role, plans, interest) and: name, first_name, company, referrer,
last_spoke (when you last spoke: "yesterday", "on Thu 19 Nov"), since (in an open
loop's line, ``loop.<kind>``: when it opened; elsewhere when you last spoke), when (when the
facts a sentence uses were said: "yesterday", "on Monday", "in August"), say and said_when
(the words marked to be said on the last call, `log --say`, and when), hook_title (and
for an event hook_on and hook_venue), due, missing, continuations (conversations in a
row without an advance); the closing lines take purpose, interval and channel. A call's
summary is the recruiter's own note: no template can put it into the words to say.
"""

from __future__ import annotations

import os
import string
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from callplan.core.config import config_path
from callplan.errors import ConfigError

DEFAULTS: dict[str, str] = {
    # The words the recruiter marked to be said on the last call (`log --say`), first.
    "opening.say": "When we spoke {said_when} {say}",
    # Openings from the last conversation's notes, tried in this order; the first whose
    # placeholders all have values is used.
    "opening.referred": "{referrer} suggested I give you a call.",
    "opening.toughest_role_liked": (
        "The reason for my call is we spoke {when} and you mentioned you had struggled to "
        "find {toughest_role} and were particularly interested in {liked}."
    ),
    "opening.toughest_role": (
        "The reason for my call is we spoke {when} and you mentioned you had struggled to "
        "find {toughest_role}."
    ),
    "opening.plans": (
        "The reason for my call is we spoke {when} and you were planning {plans}: how is "
        "that going?"
    ),
    "opening.liked": (
        "The reason for my call is we spoke {when} and you were particularly interested in {liked}."
    ),
    "opening.new": "Hello {first_name}, I'm calling because I work with companies like {company}.",
    # Older facts still in the current picture, each dated by the conversation it came from.
    "earlier.toughest_role_liked": (
        "{when} you mentioned you had struggled to find {toughest_role} and were "
        "particularly interested in {liked}."
    ),
    "earlier.toughest_role": "{when} you mentioned you had struggled to find {toughest_role}.",
    "earlier.plans": "{when} you were planning {plans}: how is that going?",
    "earlier.liked": "{when} you were particularly interested in {liked}.",
    # The hook, added after the opening when one fits.
    # A job is the DM's to name people for, not to buy: asked as a request for names.
    "hook.job": "I'm looking for a {hook_title}: who's the best you've worked with?",
    "hook.candidate": "I'm representing {hook_title}, who I think you'd want to meet.",
    # An event is an invitation ({hook_on}: its day; {hook_venue}: where, if given).
    "hook.event": "I'd like to invite you to {hook_title} on {hook_on}.",
    # After continuations_warning continuations in a row: the advance to aim for.
    "push.candidate": (
        "{continuations} continuations in a row: aim for an advance. Offer {hook_title} "
        "and ask to send the CV."
    ),
    "push.meeting": (
        "{continuations} continuations in a row: aim for an advance. Ask for a meeting."
    ),
    "push.job_order": (
        "{continuations} continuations in a row: aim for an advance. Ask for the job order."
    ),
    # What to ask when the notes are thin.
    "ask.none": (
        "No notes yet. Ask this time: which agencies they use and what they like about "
        "them, their toughest role to fill lately, how they recruit, and their hiring plans."
    ),
    "ask.missing": "Still to find out: {missing}.",
    # Open loops (core.loops), by the outcome that opened them; {since} is when it opened.
    "loop.cv-review": "CVs sent {since} are waiting for feedback.",
    "loop.live-requirement": "They had a live requirement {since}: how is it going?",
    "loop.future-requirement": "They expected a requirement (said {since}).",
    "loop.meeting": "A meeting was booked {since}: follow it up.",
    "loop.next-position": "They promised you their next position ({since}).",
    "loop.terms": "Terms agreed {since}: chase the signed copy.",
    "loop.emailed-details": "You emailed your details {since}: did they arrive?",
    "loop.introduction": "They promised {since} to introduce you to someone: ask who.",
    # Lines for the end of a call, from the method: when the DM is curt, not interested
    # now, or the timing is wrong. {interval} is the delay after an objection, in words.
    "closing.curt": (
        "I can sense now may not be a great time: when would be better, as {purpose} is "
        "something you'll want time for?"
    ),
    "closing.not_interested": "I'll call you in {interval} — how does that sound?",
    "closing.wrong_time": (
        "When would be the right time to follow up? Meanwhile let's keep in touch by {channel}."
    ),
    "closing.channel": "email",
    # What the call is about, as said to the DM ({purpose}), by why the call is due.
    "purpose.live-requirement": "the role you're recruiting for",
    "purpose.future-requirement": "the role you have coming up",
    "purpose.cv-review": "your feedback on the CVs",
    "purpose.meeting": "following up our meeting",
    "purpose.next-position": "your next position",
    "purpose.terms": "agreeing our terms",
    "purpose.emailed-details": "the details I emailed",
    "purpose.default": "your hiring",
    # ... and by the purpose chosen for it (`log --purpose`, `dm edit --purpose`), first.
    "purpose.market-information": "what's happening in your market",
    "purpose.clarify": "getting the details right",
    "purpose.maintain-engagement": "keeping you up to date",
    "purpose.gather-feedback": "your feedback",
    "purpose.answer-questions": "your questions",
    "purpose.book-meeting": "finding a time to meet",
    "purpose.follow-up-email": "the email I sent",
    "purpose.reinforce-interest": "what you were interested in",
    "purpose.invite-to-event": "the event I'd like to invite you to",
    "purpose.pick-up-role": "the role you're recruiting for",
    "purpose.job-description-feedback": "the job description",
    "purpose.reference-call": "the reference",
    "purpose.referral-request": "who you'd recommend",
}

OPENINGS = ("toughest_role_liked", "toughest_role", "plans", "liked")
# The closing lines, in the order the brief shows them: (template, when to use it).
CLOSINGS = (
    ("curt", "curt"),
    ("not_interested", "not-interested"),
    ("wrong_time", "wrong-time"),
)
# Templates callplan no longer uses: still accepted in a templates file, and ignored.
# (A callback is the diary's next call, not an open loop: the plan says it already.)
RETIRED = frozenset({"opening.summary", "loop.callback"})


def templates_path(environ: Mapping[str, str]) -> Path:
    if path := environ.get("CALLPLAN_TEMPLATES"):
        return Path(path).expanduser()

    return config_path(environ).with_name("templates.toml")


def load(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The defaults, overridden by the user's templates file if there is one."""
    environ = os.environ if environ is None else environ
    path = templates_path(environ)
    merged = dict(DEFAULTS)
    if not path.exists():
        return merged
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"The templates file {path} is not valid TOML: {exc}") from None
    for group, entries in data.items():
        items = entries.items() if isinstance(entries, dict) else [("", entries)]
        for name, text in items:
            key = f"{group}.{name}" if name else group
            if key in RETIRED:
                continue
            if key not in DEFAULTS:
                raise ConfigError(f"Unknown template {key!r} in {path}.")
            if not isinstance(text, str):
                raise ConfigError(f"Template {key!r} in {path} must be text.")
            merged[key] = text
    return merged


def fields_of(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def render(templates: Mapping[str, str], key: str, values: Mapping[str, Any]) -> str | None:
    """The template filled in, or None when one of its placeholders has no value."""
    template = templates[key]
    try:
        needed = fields_of(template)
    except ValueError as exc:
        raise ConfigError(f"Template {key!r} is malformed: {exc}") from None
    if any(not values.get(name) for name in needed):
        return None
    try:
        return template.format_map({name: values[name] for name in needed})
    except (KeyError, IndexError, ValueError) as exc:
        raise ConfigError(f"Template {key!r} can't be filled in: {exc}") from None
