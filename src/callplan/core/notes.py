"""Structured notes: the named fields a recruiter fills in after a call, and the current
picture they add up to (the latest value of each field, with its date).

Pure: works on any objects with the fields' attributes and a ``noted_on`` date.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from callplan.errors import UsageError

INTEREST_LEVELS = ("hot", "warm", "cold")


@dataclass(frozen=True)
class NoteField:
    name: str  # the column and JSON key
    option: str  # the command-line option
    label: str  # how the current picture names it
    help: str


NOTE_FIELDS: tuple[NoteField, ...] = (
    NoteField("competitor", "--competitor", "Agency they use", "the agency (competitor) they use"),
    NoteField(
        "competitor_likes", "--likes", "What they like about it", "what they like about that agency"
    ),
    NoteField("sold", "--sold", "We pitched", "what you pitched"),
    NoteField("liked", "--liked", "They liked", "what they reacted well to"),
    NoteField("not_fussed", "--not-fussed", "Not fussed about", "what they didn't care about"),
    NoteField("process", "--process", "How they recruit", "their recruitment process"),
    NoteField(
        "toughest_role",
        "--toughest-role",
        "Toughest role to fill",
        "their toughest role to fill recently",
    ),
    NoteField("plans", "--plans", "Hiring plans", "their hiring plans"),
    NoteField("interest", "--interest", "Interest", "how interested they sounded: hot, warm, cold"),
)
FIELD_NAMES = tuple(f.name for f in NOTE_FIELDS)


def interest(value: str | None) -> str | None:
    if value is None:
        return None
    level = value.strip().lower()
    if level not in INTEREST_LEVELS:
        raise UsageError(f"Interest {value!r}: use one of {', '.join(INTEREST_LEVELS)}.")
    return level


@dataclass(frozen=True)
class Current:
    value: str
    noted_on: date


def current_picture(notes: Iterable[Any]) -> dict[str, Current]:
    """The latest value of each field. ``notes`` must come newest first."""
    picture: dict[str, Current] = {}
    for note in notes:
        for name in FIELD_NAMES:
            value = getattr(note, name, None)
            if value and name not in picture:
                picture[name] = Current(value, note.noted_on)
    return {name: picture[name] for name in FIELD_NAMES if name in picture}


def filled_labels(values: Mapping[str, Any] | Any) -> list[str]:
    """How a note's filled fields are named to the user, in field order: a note, or a
    mapping of field name to value."""
    get = values.get if isinstance(values, Mapping) else lambda name: getattr(values, name, None)
    return [f.label.lower() for f in NOTE_FIELDS if get(f.name)]
