"""Who a file's contacts are: matching each row against the DMs in the store and the rows
before it (by email, LinkedIn profile, name at the company, or name and number; never by a
number alone), and what importing the file would add, fill in and report."""

from __future__ import annotations

import functools
import shlex
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from callplan.core.contacts.model import NO_NAME, Contact
from callplan.core.kinds import Status
from callplan.core.names import name_key
from callplan.core.phones import e164

UPDATABLE = ("company", "title", "phone", "email", "linkedin")
FUZZY_RATIO = 0.85


@dataclass
class Person:
    """A DM already in the store (``id`` set) or one the file adds (``id`` None)."""

    name: str
    company: str | None = None
    title: str | None = None
    phone: str | None = None
    email: str | None = None
    linkedin: str | None = None
    id: int | None = None
    line: int | None = None  # the row that adds it
    key: str | None = None  # name_key(name), when the store already holds it
    note: str | None = None
    tags: set[str] = field(default_factory=set)
    filled: set[str] = field(default_factory=set)  # empty fields the file fills in
    # History: a stored DM's as the store has it; a new person's as the file gives it.
    last_spoke_on: date | None = None  # a stored DM's last conversation
    next_call_on: date | None = None
    status: str | None = None
    owner: str | None = None
    due_reason: str | None = None  # the next call's, set with the diary (services.imports)


# What a row's history can fill in on someone (see ``_fill_history``), as the list of
# what a merge adds words it.
HISTORY_WORDS = {
    "last_spoke_on": "last conversation",
    "next_call_on": "next call",
    "owner": "owner",
    "status": "do-not-call",
}


@dataclass(frozen=True)
class Match:
    """A row of the file that is someone already known: a DM in the store, or a person an
    earlier row adds; with what the row brings to them."""

    line: str  # "line 7: Jane Smith is #3 Jane Smith (Acme) (same email)"
    person: Person
    filled: frozenset[str]  # the empty fields this row fills in
    tags: frozenset[str]  # the tags this row gives them (some may be theirs already)


@dataclass
class Triage:
    """What an import does: the people to add, the DMs to update, and what to report."""

    added: list[Person] = field(default_factory=list)
    updated: dict[int, Person] = field(default_factory=dict)  # by DM id: those that change
    merged: list[str] = field(default_factory=list)  # rows that change someone: "line 7: ..."
    unchanged: int = 0  # rows that are a DM in the store and change nothing of theirs
    skipped: list[str] = field(default_factory=list)  # invalid rows
    nameless: list[str] = field(default_factory=list)  # those whose only fault is no name
    flagged: list[str] = field(default_factory=list)  # possible duplicates, not merged
    moved: list[Move] = field(default_factory=list)  # DMs the file has at another company
    unparsed_phones: list[str] = field(default_factory=list)
    rows: int = 0
    # The people the import leaves with a last conversation (added, or a stored prospect
    # given one), by where it puts them; set with the diary (services.imports).
    in_cycle: int = 0
    out_of_cycle: int = 0
    owner_ignored: int = 0  # prospects whose owner the file gives: a prospect has none
    # Rows that are a colleague's DM on a team store, changing nothing: "line 7: ... Kim's DM..."
    theirs: list[str] = field(default_factory=list)

    def with_history(self) -> list[Person]:
        """The people this import gives a last conversation: added or filled in."""
        found = [p for p in self.added if p.last_spoke_on]
        return found + [p for p in self.updated.values() if "last_spoke_on" in p.filled]


@functools.lru_cache(maxsize=65_536)  # many DMs share a company
def _company_key(company: str | None) -> str:

    return name_key(company or "")


# A number written with only these characters has no extension and no letters, so the
# E.164 form phonenumbers makes of it ends with the same digits as the text: a number
# whose last six digits no number in the file ends with can't be one of the file's.
_PLAIN_PHONE = frozenset("0123456789 +-()./")
_PUNCTUATION = str.maketrans("", "", " +-()./")
TAIL = 6


def _tail(number: str) -> str:
    return "".join(c for c in number if c.isdigit())[-TAIL:]


def _may_match(phone: str, tails: set[str]) -> bool:
    """Whether a stored number could be one of the file's (whose tails are ``tails``),
    without parsing it: anything but a plain number is parsed to be sure."""
    if not _PLAIN_PHONE.issuperset(phone):
        return True
    return phone.translate(_PUNCTUATION)[-TAIL:] in tails


@functools.lru_cache(maxsize=65_536)
def _letters(key: str) -> Counter[str]:
    return Counter(key)


class Matcher:
    """Email, phone and name-at-company indexes, built once; every lookup is a dict hit
    (the fuzzy check only compares names at the same company)."""

    def __init__(self, region: str | None) -> None:
        self.region = region
        self.by_email: dict[str, Person] = {}
        self.by_phone: dict[str, Person] = {}
        self.by_profile: dict[str, Person] = {}
        self.by_name: dict[tuple[str, str], Person] = {}
        self.at_company: dict[str, list[tuple[str, Person]]] = {}
        self.numbers: dict[str, str | None] = {}  # text -> E.164, each parsed once
        self.aliases: dict[int, set[str]] = {}  # by id(person): names rows gave them

    def number(self, phone: str) -> str | None:
        if phone not in self.numbers:
            self.numbers[phone] = e164(phone, self.region)
        return self.numbers[phone]

    def add(self, person: Person, *, phone: bool = True) -> None:
        """Index ``person``; with ``phone`` False, not by their phone (it can't match)."""

        if person.email:
            self.by_email.setdefault(person.email.lower(), person)
        if person.phone and phone:
            number = self.number(person.phone) or person.phone
            self.by_phone.setdefault(number, person)
        if profile := linkedin_key(person.linkedin):
            self.by_profile.setdefault(profile, person)
        key, company = person.key or name_key(person.name), _company_key(person.company)
        self.by_name.setdefault((key, company), person)
        if company:
            self.at_company.setdefault(company, []).append((key, person))

    def same(self, contact: Contact) -> tuple[Person, str] | None:
        """The person ``contact`` is: the same email, LinkedIn profile, or name at the
        same company; or the same name with the same number. A number alone never says
        so: colleagues share a switchboard (see ``shares_number``)."""
        assert contact.name is not None
        if contact.email and (found := self.by_email.get(contact.email.lower())):
            return found, "email"
        if (profile := linkedin_key(contact.linkedin)) and (found := self.by_profile.get(profile)):
            return found, "LinkedIn profile"
        key = name_key(contact.name)
        if found := self.by_name.get((key, _company_key(contact.company))):
            return found, "name and company"
        found = self.by_phone.get(contact.phone) if contact.phone else None
        if found is not None and key in self.names_of(found):
            return found, "name and number"
        return None

    def names_of(self, person: Person) -> set[str]:
        return {person.key or name_key(person.name), *self.aliases.get(id(person), ())}

    def alias(self, person: Person, contact: Contact) -> None:
        """``contact`` was found to be ``person`` (by email, say) under another name: a
        later row with that name at their company, or with their number, is them too."""
        assert contact.name is not None
        key = name_key(contact.name)
        self.aliases.setdefault(id(person), set()).add(key)
        company = _company_key(contact.company or person.company)
        self.by_name.setdefault((key, company), person)

    def shares_number(self, contact: Contact) -> Person | None:
        """Someone else with ``contact``'s number (a switchboard, a shared line)."""
        return self.by_phone.get(contact.phone) if contact.phone else None

    def similar(self, contact: Contact) -> Person | None:
        from difflib import SequenceMatcher

        assert contact.name is not None
        key = name_key(contact.name)
        letters = _letters(key)
        for other_key, person in self.at_company.get(_company_key(contact.company), []):
            # difflib's two quick bounds of the ratio, from the lengths and from the
            # letters in common (counted once per name): most pairs stop there, before
            # the full comparison.
            total = len(key) + len(other_key)
            if total and 2.0 * min(len(key), len(other_key)) / total < FUZZY_RATIO:
                continue
            common = sum((letters & _letters(other_key)).values())
            if total and 2.0 * common / total < FUZZY_RATIO:
                continue
            if SequenceMatcher(None, key, other_key).ratio() >= FUZZY_RATIO:
                return person
        return None


def _fill_history(person: Person, contact: Contact) -> set[str]:
    """What ``contact``'s history fills in on ``person``, as ``filled`` names: a last
    conversation (and its owner) on someone never spoken to; a next call on someone
    with none; do-not-call on anyone not already so. Never overwritten: a DM spoken to
    in callplan keeps what callplan knows; a re-import changes nothing."""
    filled = set()
    stored = person.id is not None
    if contact.last_spoke_on and not person.last_spoke_on:
        person.last_spoke_on = contact.last_spoke_on
        filled.add("last_spoke_on")
        if contact.owner and not person.owner:
            person.owner = contact.owner
            filled.add("owner")
    if (
        contact.next_call_on
        and not person.next_call_on
        and person.status in (None, Status.ACTIVE)
        and (not stored or "last_spoke_on" in filled or not person.last_spoke_on)
    ):
        person.next_call_on = contact.next_call_on
        filled.add("next_call_on")
    if contact.status == Status.DNC and person.status != Status.DNC:
        person.status = Status.DNC
        filled.add("status")
    elif contact.status and not stored and person.status is None:
        person.status = contact.status  # an earlier row of the file gave none
    return filled


def linkedin_key(url: str | None) -> str | None:
    """A LinkedIn profile as a key: 'https://uk.linkedin.com/in/Jane-Smith/?trk=x' and
    'linkedin.com/in/jane-smith' are one profile. None for no URL or not a profile's."""
    if not url:
        return None
    text = url.strip().lower().split("?", 1)[0].split("#", 1)[0].rstrip("/")
    if "linkedin.com/" not in text:
        return None
    path = text.split("linkedin.com/", 1)[1]
    return "linkedin.com/" + path if path.startswith(("in/", "pub/")) else None


@dataclass(frozen=True)
class Move:
    """A stored DM the file shows at another company (a LinkedIn connection who changed
    jobs): recorded only when asked (`import --update-jobs`, or the `dm edit` shown)."""

    dm_id: int
    line: int
    who: str  # "#1 Zoë Ward (Acme)"
    company: str
    title: str | None  # the file's title, when it is a new one

    @property
    def at(self) -> str:
        return self.company + (f" as {self.title}" if self.title else "")

    @property
    def edit(self) -> str:
        """The command that records the move."""
        edit = f"callplan dm edit {self.dm_id} --company {shlex.quote(self.company)}"
        return edit + (f" --title {shlex.quote(self.title)}" if self.title else "")

    def __str__(self) -> str:
        return f"line {self.line}: {self.who} is at {self.at} now: to record it, {self.edit}"


def _moved(person: Person, contact: Contact) -> Move | None:
    """The move of a stored DM the file shows at another company, if it does. Import
    never overwrites a company or title unless asked to (--update-jobs)."""
    if person.id is None or not person.company or not contact.company:
        return None
    if _company_key(person.company) == _company_key(contact.company):
        return None
    new_title = contact.title if contact.title and contact.title != person.title else None
    return Move(person.id, contact.line, describe(person), contact.company, new_title)


def describe(person: Person) -> str:
    who = f"#{person.id} {person.name}" if person.id else f"{person.name} (line {person.line})"
    return who + (f" ({person.company})" if person.company else "")


def triage(
    contacts: Iterable[Contact],
    existing: Iterable[Person],
    *,
    region: str | None,
    tags: Sequence[str] = (),
    stored_tags: Callable[[list[int]], Mapping[int, Iterable[str]]] = lambda ids: {},
    hands_off: Callable[[Person], bool] = lambda person: False,
) -> Triage:
    """What importing ``contacts`` into a store holding ``existing`` does; touches nothing.

    ``stored_tags`` gives the tags the store holds for some of ``existing`` (by id): asked
    once, for those the file gives tags to, so a row that only repeats them is unchanged.
    A row that is a stored DM ``hands_off`` keeps (a colleague's, on a team store)
    changes nothing of theirs and is listed in ``Triage.theirs``.

    Invalid contacts are listed in ``Triage.skipped``: the caller refuses the whole import
    unless the user asked to skip them."""
    result = Triage()
    rows = list(contacts)
    matcher = matcher_for(rows, existing, region=region, unparsed=result.unparsed_phones)
    wanted_tags = {t.strip().lower() for t in tags if t.strip()}
    matches: list[Match] = []
    kept_off: set[str] = set()  # "line 7:" of each row that is a DM ``hands_off`` keeps
    for contact in rows:
        result.rows += 1
        if contact.problem:
            result.skipped.append(f"line {contact.line}: {contact.problem}")
            if contact.problem == NO_NAME:
                result.nameless.append(result.skipped[-1])
            continue
        assert contact.name is not None
        match = matcher.same(contact)
        if match is not None:
            person, how = match
            if person.id is not None and hands_off(person):
                # Nothing of theirs changes; a later row with what this one adds (its
                # email, say) is still them, not someone new.
                seen = {n: getattr(contact, n) for n in UPDATABLE if not getattr(person, n)}
                shadow = replace(person, **{n: v for n, v in seen.items() if v})
                matcher.add(shadow)
                matcher.alias(shadow, contact)
                kept_off.add(f"line {contact.line}:")
                result.theirs.append(
                    f"line {contact.line}: {contact.name} is {describe(person)}, "
                    f"{person.owner}'s DM: ask {person.owner} or a team lead"
                )
                continue
            if (moved := _moved(person, contact)) and all(
                m.dm_id != moved.dm_id for m in result.moved
            ):
                result.moved.append(moved)
            filled = set()
            for name in UPDATABLE:
                value = getattr(contact, name)
                if value and not getattr(person, name):
                    setattr(person, name, value)
                    filled.add(name)
                    matcher.add(person)
            filled |= _fill_history(person, contact)
            person.filled |= filled
            matcher.alias(person, contact)
            given = wanted_tags | set(contact.tags)
            person.tags |= given
            line = f"line {contact.line}: {contact.name} is {describe(person)} (same {how})"
            matches.append(Match(line, person, frozenset(filled), frozenset(given)))
            continue
        similar = matcher.similar(contact)
        person = Person(
            name=contact.name,
            line=contact.line,
            note=contact.note,
            tags=wanted_tags | set(contact.tags),
            last_spoke_on=contact.last_spoke_on,
            next_call_on=contact.next_call_on,
            status=contact.status,
            owner=contact.owner,
            **{name: getattr(contact, name) for name in UPDATABLE},
        )
        if similar is not None:
            result.flagged.append(
                f"line {contact.line}: {contact.name} looks like {describe(similar)}; "
                "added as someone new"
            )
        elif (other := matcher.shares_number(contact)) is not None:
            result.flagged.append(
                f"line {contact.line}: {contact.name} shares a number with {describe(other)}; "
                "added as someone new"
            )
        matcher.add(person)
        result.added.append(person)
    if kept_off:  # their numbers are not kept, as typed or otherwise
        unparsed = [u for u in result.unparsed_phones if not u.startswith(tuple(kept_off))]
        result.unparsed_phones[:] = unparsed
    tagged = sorted({m.person.id for m in matches if m.person.id is not None and m.tags})
    settle(result, matches, stored_tags(tagged) if tagged else {})
    return result


def settle(
    result: Triage, matches: Sequence[Match], stored_tags: Mapping[int, Iterable[str]]
) -> None:
    """Sort the rows that matched someone into those that change them (listed in
    ``result.merged``; their DMs in ``result.updated``) and those that don't (counted in
    ``result.unchanged``): a row changes a stored DM when it fills an empty field or gives
    a tag the DM hasn't got (``stored_tags``) and no earlier row gave. A row that is a
    person an earlier row adds is always listed: it is merged into them, not added."""

    have: dict[int, set[str]] = {}
    for match in matches:
        dm_id = match.person.id
        if dm_id is None:
            result.merged.append(match.line)
            continue
        tags = have.setdefault(dm_id, set(stored_tags.get(dm_id, ())))
        if match.filled or not match.tags <= tags:
            adds = [name for name in UPDATABLE if name in match.filled]
            adds += [
                word
                + (
                    f" {value.isoformat()}"
                    if isinstance(value := getattr(match.person, key), date)
                    else ""
                )
                for key, word in HISTORY_WORDS.items()
                if key in match.filled
            ]
            adds += [f"tag {tag}" for tag in sorted(match.tags - tags)]
            result.merged.append(f"{match.line}, adding {', '.join(adds)}")
            result.updated.setdefault(dm_id, match.person)
        else:
            result.unchanged += 1
        tags |= match.tags


def matcher_for(
    rows: Sequence[Contact],
    existing: Iterable[Person],
    *,
    region: str | None,
    unparsed: list[str] | None = None,
) -> Matcher:
    """A matcher of the stored DMs (``existing``) that could be one of ``rows``.

    The rows' phone numbers are put in E.164 on the way (those that can't be read are
    listed in ``unparsed``, and kept as typed)."""

    matcher = Matcher(region)
    for contact in rows:  # the file's numbers first: only stored ones like them are parsed
        if contact.phone and not contact.problem and contact.name is not None:
            number = matcher.number(contact.phone)
            if number is None:
                if unparsed is not None:
                    unparsed.append(
                        f"line {contact.line}: {contact.name}: {contact.phone!r} (kept as typed)"
                    )
            else:
                matcher.numbers[number] = number  # E.164 of E.164 is itself
                contact.phone = number
    valid = [c for c in rows if not c.problem and c.name is not None]
    tails = {_tail(c.phone) for c in valid if c.phone}
    emails = {c.email.lower() for c in valid if c.email}
    companies = {_company_key(c.company) for c in valid} - {""}
    profiles = {linkedin_key(c.linkedin) for c in valid} - {None}
    names = {name_key(c.name or "") for c in valid}
    for person in existing:
        # Only a stored DM that shares something with the file can match one of its
        # contacts: an email, a number like one of its numbers, a company (a name there,
        # or a similar name), or a name. The rest of a big store is never indexed.
        phone = bool(person.phone) and _may_match(person.phone or "", tails)
        if (
            phone
            or (person.email and person.email.lower() in emails)
            or linkedin_key(person.linkedin) in profiles
            or _company_key(person.company) in companies
            or (person.key or name_key(person.name)) in names
        ):
            matcher.add(person, phone=phone)
    return matcher
