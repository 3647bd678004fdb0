"""A contact as read from a file, whatever the file: the fields an import knows, their
limits, and the cleaning of one row's (or card's) raw values into a ``Contact``."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

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
)
LIMITS = {"name": 200, "company": 200, "title": 200, "phone": 60, "email": 254}
LIMITS |= {"linkedin": 500, "note": 10_000}

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
    problem: str | None = None


def make_contact(line: int, values: Mapping[str, list[str]]) -> Contact:
    """A contact from the raw values of one row or card (several values per field allowed)."""
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

    name = first("name")
    if not name:
        parts = [first("first_name"), first("last_name")]
        name = " ".join(p for p in parts if p) or None
        if name:
            name = clean("name", name)
    contact.name = name
    contact.company = first("company")
    contact.title = first("title")
    contact.phone = first("phone")
    contact.email = first("email")
    contact.linkedin = first("linkedin")
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
    email = contact.email
    if email and ("@" not in email or " " in email or email.strip("@") != email):
        problems.append(f"{email!r} doesn't look like an email address")
    if not contact.name:
        problems.insert(0, NO_NAME)
    contact.problem = "; ".join(problems) or None
    return contact
