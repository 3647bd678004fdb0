"""A contact as read from a file, whatever the file: the fields an import knows, their
limits, and the cleaning of one row's (or card's) raw values into a ``Contact``."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

from callplan.core.dates import file_date
from callplan.core.kinds import Status
from callplan.errors import UsageError

FORMATS = ("linkedin", "google", "outlook", "vcard", "csv")
FIELDS = (
    "name",
    "first_name",
    "last_name",
    "company",
    "title",
    "phone",
    "email",
    "linkedin",
    "tags",
    "note",
    *(HISTORY := ("last_spoke_on", "next_call_on", "status", "do_not_call", "owner")),
)
LIMITS = {"name": 200, "company": 200, "title": 200, "phone": 60, "email": 254}
LIMITS |= {"linkedin": 500, "note": 10_000, "owner": 60}

# What a file's status or do-not-call cell may say (compared lower-case, spaces for - _).
STATUSES = {
    "active": Status.ACTIVE,
    "archived": Status.ARCHIVED,
    "archive": Status.ARCHIVED,
    "dnc": Status.DNC,
    "do not call": Status.DNC,
}
YES = frozenset({"yes", "y", "true", "1", "x", "dnc", "do not call", "✓", "✔"})
NO = frozenset({"no", "n", "false", "0", "-"})

NO_NAME = "no name"  # a row's problem when it gives no name (a hidden LinkedIn member)


@dataclass
class Contact:
    """One person read from a file, its text cleaned; ``problem`` says why it's invalid."""

    line: int
    name: str | None = None
    company: str | None = None
    title: str | None = None
    phone: str | None = None
    email: str | None = None
    linkedin: str | None = None
    note: str | None = None
    tags: list[str] = field(default_factory=list)
    # The history a file may carry (docs/import.md, "Onboarding with history"):
    last_spoke_on: date | None = None  # the last conversation, before callplan
    next_call_on: date | None = None
    status: str | None = None  # a Status; None: not given
    owner: str | None = None  # a recruiter's name as the file writes it
    problem: str | None = None


@dataclass(frozen=True)
class FileDates:
    """How a file's dates are read: no later than ``today`` for a conversation held, and
    03/04/2027 the country's way (``first``: day first; None: only unambiguous ones)."""

    today: date
    first: bool | None


def make_contact(
    line: int, values: Mapping[str, list[str]], dates: FileDates | None = None
) -> Contact:
    """A contact from the raw values of one row or card (several values per field
    allowed); its history read with ``dates`` (without, a history value is a problem)."""
    contact = Contact(line=line)
    problems: list[str] = []

    def clean(key: str, text: str | None) -> str | None:
        if text is None:
            return None
        multiline = key == "note"
        if multiline:  # Outlook and Excel break lines in a cell with \r\n
            cleaned = text.replace("\r\n", "\n").replace("\r", "\n").strip()
        else:
            cleaned = " ".join(text.split())
        if key == "email" and cleaned.startswith("/o="):
            return None  # an Exchange (X.500) address, not an email: the next one is read
        if any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in cleaned):
            problems.append(f"the {key} contains control characters")
            return None
        if len(cleaned) > LIMITS.get(key, 200):
            problems.append(f"the {key} is too long ({len(cleaned)} characters)")
            return None
        return cleaned or None

    def first(key: str) -> str | None:
        for value in values.get(key, []):
            cleaned = clean(key, value)
            if cleaned:
                return cleaned
        return None

    contact.name = _name(first)
    if contact.name:
        contact.name = clean("name", contact.name)
    contact.company = first("company")
    contact.title = first("title")
    contact.phone = first("phone")
    contact.email = first("email")
    profiles = (clean("linkedin", url) for url in values.get("website", []))
    contact.linkedin = first("linkedin") or next(
        (url for url in profiles if url and "linkedin." in url.lower()), None
    )
    contact.note = first("note")
    others = [
        f"Other {key}: {value}"
        for key in ("phone", "email")
        for value in dict.fromkeys(filter(None, (clean(key, v) for v in values.get(key, []))))
        if value != getattr(contact, key)
    ]
    if others:  # the first of each is the DM's; the rest kept in the note, never dropped
        contact.note = "\n".join([*([contact.note] if contact.note else []), *others])
    for value in values.get("tags", []):
        contact.tags.extend(t.strip().lower() for t in value.replace(";", ",").split(","))
    contact.tags = [t for t in contact.tags if t and len(t) <= 60]
    _history(contact, first, dates, problems)
    email = contact.email
    if email and ("@" not in email or " " in email or email.strip("@") != email):
        problems.append(f"{email!r} doesn't look like an email address")
    if not contact.name:
        problems.insert(0, NO_NAME)
    contact.problem = "; ".join(problems) or None
    return contact


def _name(first: Callable[[str], str | None]) -> str | None:
    """A row's name: its full name; else the name it is filed as, when that is a name in
    its own order (Google's File As, 李娜) rather than a sort key ("Hardy, Tom"); else
    its parts, given, middle and family, or family then given for a name written in
    Chinese, Japanese or Korean characters (李 and 娜 are 李娜, never 娜 李)."""
    if name := first("name"):
        return name
    filed = first("file_as")
    if filed and "," not in filed:
        return filed
    given, middle, family = first("first_name"), first("middle_name"), first("last_name")
    if given and family and _cjk(given + family):
        return family + given
    return " ".join(p for p in (given, middle, family) if p) or None


def _cjk(text: str) -> bool:
    """Whether every letter of ``text`` is Chinese, Japanese or Korean."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(
        unicodedata.name(c, "").startswith(("CJK", "HIRAGANA", "KATAKANA", "HANGUL"))
        for c in letters
    )


def _history(
    contact: Contact,
    first: Callable[[str], str | None],
    dates: FileDates | None,
    problems: list[str],
) -> None:
    """The history fields of a row (``first`` gives a field's first value, cleaned)."""
    given = {key: value for key in HISTORY if (value := first(key))}
    if not given:
        return
    if dates is None:
        problems.append("this file's format has no history fields")
        return

    def day(key: str) -> date | None:
        if key not in given:
            return None
        try:
            return file_date(given[key], dates.today, first=dates.first)
        except UsageError as exc:
            problems.append(f"{key}: {str(exc).rstrip('.')}")
            return None

    contact.last_spoke_on, contact.next_call_on = day("last_spoke_on"), day("next_call_on")
    if contact.last_spoke_on is not None and contact.last_spoke_on > dates.today:
        problems.append(f"last_spoke_on {contact.last_spoke_on.isoformat()} is in the future")
    if (
        contact.last_spoke_on is not None
        and contact.next_call_on is not None
        and contact.next_call_on < contact.last_spoke_on
    ):
        problems.append(
            f"next_call_on {contact.next_call_on.isoformat()} is before last_spoke_on "
            f"{contact.last_spoke_on.isoformat()}"
        )
    if "status" in given:
        contact.status = STATUSES.get(_word(given["status"]))
        if contact.status is None:
            problems.append(
                f"status {given['status']!r} is not one of active, archived, dnc (do not "
                "call); --map 'COLUMN=ignore' leaves a column out"
            )
    if "do_not_call" in given:
        said = _word(given["do_not_call"])
        if said in YES:
            contact.status = Status.DNC
        elif said not in NO:
            problems.append(f"do_not_call {given['do_not_call']!r}: write yes or no")
    contact.owner = given.get("owner")


def _word(text: str) -> str:
    return " ".join(text.lower().replace("-", " ").replace("_", " ").split())
