"""A person's data: everything held about them, erasure, suppression and retention.

- ``mentions`` (``candidate_mentions``): where other records name a DM (a candidate):
  services.people's subject access exports show them.
- ``erase`` (``erase_candidates``): delete DMs with their calls, notes and tags
  (candidates with their calls, submissions and planned calls), take their identifiers
  (name, email, phone; ``sought`` says which) out of every other record, and (for an
  erasure on request) keep suppression entries so an old contact list or export doesn't
  bring them back. Deleted content is overwritten (``PRAGMA secure_delete``);
  ``checkpoint`` then empties the write-ahead log.
- ``prune_candidates``: prospects never reached and archived DMs untouched since a date.

A suppression entry is an HMAC-SHA256, under a random key kept in the store, of one
normalised identifier (the email, the phone number, the name at the company; for a
candidate, who has no company, the name as a candidate's), normalised as the import
matches duplicates. It holds no readable personal data, and can't be
matched against another list without the store's key. A store that callplan JSON was
imported into keeps the keys of the file's suppression entries too, and matches under
each.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import re
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from callplan.core.identifiers import ERASED as ERASED  # privacy.ERASED: what replaces them
from callplan.core.identifiers import (
    FIRST_NAME,
    NAME,
    SURNAME,
    Identifiers,
    Phone,
    Span,
    fold,
    lone_word_may_be_erased,
    name_words,
)
from callplan.core.kinds import Status
from callplan.core.names import name_key
from callplan.core.notes import FIELD_NAMES
from callplan.core.phones import e164
from callplan.store import queries
from callplan.store.models import (
    Call,
    CallHook,
    Candidate,
    CandidateCall,
    DayGoal,
    DecisionMaker,
    DMTag,
    Erasure,
    Event,
    Job,
    Note,
    Recruiter,
    StoreMeta,
    Submission,
    Suppression,
)

KEY = "suppression_key"
REQUEST = "request"  # an erasure the person asked for: suppressed from later imports
RETENTION = "retention"  # pruned as no longer needed: not suppressed


# --- suppression ------------------------------------------------------------------------


def store_key(s: Session, *, create: bool = False) -> bytes | None:
    """The store's key for new suppression hashes; made (at random) on first use if
    ``create``."""
    meta = s.get(StoreMeta, KEY)
    if meta is not None:
        return bytes.fromhex(meta.value)
    if not create:
        return None
    value = secrets.token_hex(32)
    s.add(StoreMeta(key=KEY, value=value))
    s.flush()
    return bytes.fromhex(value)


def store_keys(s: Session) -> list[bytes]:
    """Every key the store's suppression hashes were made under: its own first, then
    those of the stores imported into it (``add_keys``), in the order they came."""
    rows = s.exec(
        select(StoreMeta).where(
            sa.or_(
                col(StoreMeta.key) == KEY, col(StoreMeta.key).startswith(KEY + ".", autoescape=True)
            )
        )
    ).all()
    ordered = sorted(rows, key=lambda m: (m.key != KEY, len(m.key), m.key))
    return [bytes.fromhex(m.value) for m in ordered]


def add_keys(s: Session, keys: Sequence[bytes]) -> None:
    """Keep the keys of another store's suppression hashes (an import brings them): the
    first becomes the store's own if it has none, the others are kept beside it."""
    known = store_keys(s)
    for key in keys:
        if key in known:
            continue
        name = KEY if not known else f"{KEY}.{len(known) + 1}"
        s.add(StoreMeta(key=name, value=key.hex()))
        known.append(key)
    s.flush()


def digests_under(keys: Sequence[bytes], identifiers: Iterable[str]) -> list[str]:
    """The hashes of a person's identifiers under each key."""
    return [digest(key, i) for i in identifiers for key in keys]


def identifiers(
    *,
    name: str | None,
    company: str | None,
    email: str | None,
    phone: str | None,
    region: str | None,
) -> list[str]:
    """A person's identifiers, normalised as the import matches duplicates: the email in
    lower case, the phone in E.164 (as typed when it can't be read), and the name at the
    company (only with a company: a name alone would suppress namesakes)."""

    found = []
    if email and email.strip():
        found.append("email:" + email.strip().lower())
    if phone and phone.strip():
        found.append("phone:" + (e164(phone, region) or " ".join(phone.split())))
        if (before := _e164_before_issue_16(phone, region)) and "phone:" + before not in found:
            found.append("phone:" + before)
    if name and company and name_key(company):
        found.append(f"name:{name_key(name)}@{name_key(company)}")
    return found


def candidate_identifiers(
    *, name: str | None, email: str | None, phone: str | None, region: str | None
) -> list[str]:
    """A candidate's identifiers: the email and phone as a DM's (the same person either
    way), and their name as a candidate's. A candidate has no company, and an export
    from before 0016 holds candidates by name only: without the name an old file would
    bring them back. A namesake candidate is held back with them (docs/data.md)."""
    found = identifiers(name=None, company=None, email=email, phone=phone, region=region)
    if name and name_key(name):
        found.append(f"candidate:{name_key(name)}")
    return found


def _e164_before_issue_16(phone: str, region: str | None) -> str | None:
    """The phone as entries made before issue 16 hashed it: E.164 with the extension
    dropped, and any number of the right length read as ``region``'s ('(212) 555-0100'
    -> '+442125550100' in GB). Hashed too, so a person erased then is still recognised
    by their number; it only ever matches what the old form matched."""
    import phonenumbers

    try:
        parsed = phonenumbers.parse(phone, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def digest(key: bytes, identifier: str) -> str:
    return hmac.new(key, identifier.encode("utf-8"), hashlib.sha256).hexdigest()


def suppressed(s: Session, *, digests: Iterable[str]) -> set[str]:
    """Which of ``digests`` are suppression entries."""
    wanted = sorted(set(digests))
    found: set[str] = set()
    for chunk in queries.common.in_chunks(wanted):
        found.update(s.exec(select(Suppression.digest).where(col(Suppression.digest).in_(chunk))))
    return found


def suppressed_person(s: Session, *, region: str | None, **person: str | None) -> set[str]:
    """The suppression entries one person (name, company, email, phone) matches."""
    keys = store_keys(s)
    if not keys:
        return set()
    return suppressed(s, digests=digests_under(keys, identifiers(region=region, **person)))


def suppressed_candidate(
    s: Session, *, region: str | None, name: str, email: str | None, phone: str | None
) -> set[str]:
    """The suppression entries a new candidate matches: someone erased at their request,
    as a candidate or, by their email or phone, as a DM."""
    keys = store_keys(s)
    if not keys:
        return set()
    found = candidate_identifiers(name=name, email=email, phone=phone, region=region)
    return suppressed(s, digests=digests_under(keys, found))


def suppressed_rows(
    s: Session,
    people: Sequence[Mapping[str, Any]],
    *,
    region: str | None,
    candidates: bool = False,
) -> list[int]:
    """The indexes of the people (mappings with name, company, email, phone; for
    ``candidates`` no company) that match a suppression entry: an erased person coming
    back with an old contact list or export."""
    keys = store_keys(s)
    if not keys or not people:
        return []
    each = [
        digests_under(
            keys,
            candidate_identifiers(
                name=p.get("name"), email=p.get("email"), phone=p.get("phone"), region=region
            )
            if candidates
            else identifiers(
                name=p.get("name"),
                company=p.get("company"),
                email=p.get("email"),
                phone=p.get("phone"),
                region=region,
            ),
        )
        for p in people
    ]
    hits = suppressed(s, digests=[d for ds in each for d in ds])
    return [i for i, ds in enumerate(each) if hits.intersection(ds)]


def lift(s: Session, *, digests: Iterable[str]) -> None:
    """Remove suppression entries: the person asked to be back in your contacts."""
    wanted = list(digests)
    if wanted:
        s.exec(sa.delete(Suppression).where(col(Suppression.digest).in_(wanted)))


def _suppress(s: Session, found: Iterable[str], *, today: date) -> int:
    """Suppression entries for these identifiers (``identifiers``,
    ``candidate_identifiers``); returns how many were new."""
    key = store_key(s, create=True)
    assert key is not None
    wanted = {digest(key, i) for i in found}
    new = sorted(wanted - suppressed(s, digests=wanted))
    s.add_all(Suppression(digest=d, created_on=today) for d in new)
    s.flush()
    return len(new)


# --- a person's identifiers in other records ----------------------------------------------


@dataclass(frozen=True)
class Person:
    """What identifies someone in free text: their name, email and phone number."""

    name: str
    email: str | None
    phone: str | None

    @classmethod
    def of(cls, person: DecisionMaker | Candidate) -> Person:
        return cls(person.name, person.email, person.phone)


@dataclass(frozen=True)
class Subject:
    """The person whose own records a search for mentions leaves out: a DM (``dm``) or a
    candidate (``candidate``) by id."""

    kind: str
    id: int

    def others(self, table: Any) -> list[Any]:
        """Conditions on a table: its rows not this person's own."""
        owner = _OWN[self.kind].get(table)
        return [col(getattr(table, owner)) != self.id] if owner is not None else []


# The column of each table that says whose a row is, for DMs and for candidates.
_OWN: dict[str, dict[Any, str]] = {
    "dm": {DecisionMaker: "id", Note: "dm_id", Call: "dm_id", DMTag: "dm_id"},
    "candidate": {Candidate: "id", CandidateCall: "candidate_id"},
}


@dataclass
class Sought:
    """The identifiers to look for, and those left out because DMs still in the store
    (or a recruiter) share them, described for the user ("the first name Mark")."""

    identifiers: Identifiers
    shared: list[str]


NOTE_TEXTS = ("text", *FIELD_NAMES)
# A call's free text: its private note, the words to say, what it was for and the next.
CALL_TEXTS = ("summary", "say", "purpose", "next_purpose")
# The free text of other records where a person may be named, by table: (model, fields).
PLACES: tuple[tuple[Any, tuple[str, ...]], ...] = (
    (Note, NOTE_TEXTS),
    (Call, CALL_TEXTS),
    (DecisionMaker, ("title", "due_purpose")),
    (DMTag, ("tag",)),
    (Job, ("title", "tags")),
    (Candidate, ("headline", "tags")),
    (CandidateCall, ("summary",)),
    (Event, ("title", "venue", "tags")),
    (DayGoal, ("text",)),
)
TAG_LISTS = {(Job, "tags"), (Candidate, "tags"), (Event, "tags")}  # comma-separated tags


def _whole_word(word: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(word) + r"(?!\w)")


def sought(
    s: Session, people: Sequence[Person], *, region: str | None, exclude: Subject | None = None
) -> Sought:
    """What to look for of these people in other records (docs/data.md, erasure): the
    full name, the email and phone number unless a DM or candidate still in the store
    (other than ``exclude``) has the same; the first name and the surname alone when no
    DM or candidate still in the store carries it in their name (or a DM in their
    company), no recruiter in theirs, and it is not an everyday word."""
    found = Identifiers(region=region)
    shared: list[str] = []
    others = exclude.others(DecisionMaker) if exclude is not None else []
    full: dict[str, str] = {}
    lone: dict[str, str] = {}
    for p in people:
        words = name_words(p.name)
        if len(words) >= 2:
            full[" ".join(words)] = p.name
            if len(words) > 2:
                full[f"{words[0]} {words[-1]}"] = f"{words[0]} {words[-1]}"
            lone.setdefault(words[0], FIRST_NAME)
            lone.setdefault(words[-1], SURNAME)
        elif words:
            lone.setdefault(words[0], NAME)
        if p.email and p.email.strip():
            found.emails.add(fold(p.email.strip())[0])
        if p.phone and p.phone.strip():
            found.phones.append(Phone(p.phone.strip(), e164(p.phone, region)))
    # Full names a DM or candidate still here has too.
    keys = sorted(full)
    alone = {w: kind for w, kind in lone.items() if lone_word_may_be_erased(w) and w not in full}
    candidates = _candidates_sharing(
        s,
        Identifiers(
            names={**dict.fromkeys(keys, NAME), **dict.fromkeys(alone, NAME)},
            emails=set(found.emails),
            phones=list(found.phones),
            region=region,
        ),
        exclude.others(Candidate) if exclude is not None else [],
    )
    held: set[str] = {key for key in keys if key in candidates.names}
    for chunk in queries.common.in_chunks(keys):
        q = select(DecisionMaker.name_key).where(col(DecisionMaker.name_key).in_(chunk), *others)
        held.update(s.exec(q))
    for key in keys:
        if key in held:
            shared.append(f"the name {full[key]}")
        else:
            found.names[key] = NAME
    # Lone first names and surnames anyone still here carries.
    carried = _carried(s, sorted(alone), others) | (candidates.words & set(alone))
    for word, kind in alone.items():
        if word in carried:
            shared.append(f"the {kind} {word.title()}")
        else:
            found.names[word] = kind
    # Emails and phone numbers a DM still here has too.
    for chunk in queries.common.in_chunks(sorted(found.emails)):
        emails = select(DecisionMaker.email).where(
            func.lower(col(DecisionMaker.email)).in_(chunk), *others
        )
        for email in set(s.exec(emails)):
            key = fold((email or "").strip())[0]
            if key in found.emails:
                found.emails.discard(key)
                shared.append(f"the email {email}")
    for key in sorted(candidates.emails & found.emails):
        found.emails.discard(key)
        shared.append(f"the email {key}")
    if found.phones:
        phones = Identifiers(phones=list(found.phones), region=region)
        may_hold = _may_hold(s, phones)
        numbers = select(DecisionMaker.phone).where(may_hold(DecisionMaker.phone), *others)
        for number in set(s.exec(numbers)) | candidates.numbers:
            for phone in list(found.phones):
                if number and Identifiers(phones=[phone], region=region).spans(number):
                    found.phones.remove(phone)
                    shared.append(f"the phone number {phone.typed}")
    return Sought(found, shared)


@dataclass
class _Held:
    """What candidates still in the store share of the identifiers sought: full names
    and lone words in their names, emails (folded), and their phone numbers as stored."""

    names: set[str] = field(default_factory=set)
    words: set[str] = field(default_factory=set)
    emails: set[str] = field(default_factory=set)
    numbers: set[str] = field(default_factory=set)


def _candidates_sharing(s: Session, wanted: Identifiers, others: list[Any]) -> _Held:
    """The identifiers (folded name forms, emails, phones) a candidate still here holds:
    rows picked in SQL with the coarse test, matched precisely here."""
    held = _Held()
    if not wanted:
        return held
    may_hold = _may_hold(s, wanted)
    q = select(Candidate.name, Candidate.email, Candidate.phone).where(
        sa.or_(may_hold(Candidate.name), may_hold(Candidate.email), may_hold(Candidate.phone)),
        *others,
    )
    for name, email, phone in s.exec(q):
        words = name_words(name)
        forms = {" ".join(words), f"{words[0]} {words[-1]}"} if words else set()
        held.names.update(forms & set(wanted.names))
        text = fold(name)[0]
        held.words.update(w for w in wanted.names if _whole_word(w).search(text))
        if email and fold(email.strip())[0] in wanted.emails:
            held.emails.add(fold(email.strip())[0])
        if phone:
            held.numbers.add(phone)
    return held


def unambiguous(people: Sequence[Person], *, region: str | None) -> Identifiers:
    """The identifiers of these people that need no store to tell apart: the full name
    (of two words or more), the email and the phone number."""
    found = Identifiers(region=region)
    for p in people:
        words = name_words(p.name)
        if len(words) >= 2:
            found.names[" ".join(words)] = NAME
        if p.email and p.email.strip():
            found.emails.add(fold(p.email.strip())[0])
        if p.phone and p.phone.strip():
            found.phones.append(Phone(p.phone.strip(), e164(p.phone, region)))
    return found


def _carried(s: Session, words: Sequence[str], others: list[Any]) -> set[str]:
    """Which of these (folded) words a DM still here has in their name or company, or a
    recruiter in theirs."""
    if not words:
        return set()
    may_hold = _may_hold(s, Identifiers(names=dict.fromkeys(words, NAME)))
    q = select(DecisionMaker.name, DecisionMaker.company).where(
        sa.or_(may_hold(DecisionMaker.name_key), may_hold(DecisionMaker.company)), *others
    )
    texts = [fold(f"{name} / {company or ''}")[0] for name, company in s.exec(q)]
    texts += [fold(name)[0] for name in s.exec(select(Recruiter.name))]
    return {w for w in words if any(_whole_word(w).search(t) for t in texts)}


_FUNCTIONS = itertools.count(1)


def _may_hold(s: Session, found: Identifiers) -> Callable[[Any], Any]:
    """A condition on a text column: it may hold one of the identifiers, a coarse test
    the precise matching then decides on. PostgreSQL tests ``found.coarse()``, regular
    expressions; SQLite calls ``found.may_hold``, registered on the connection for this
    search (its REGEXP would call Python too, with a pattern slower to match)."""
    conn = s.connection()
    if conn.dialect.name != "sqlite":
        patterns = found.coarse() or ["^$"]
        return lambda column: sa.or_(*(col(column).regexp_match(p) for p in patterns))
    name = f"callplan_may_hold_{next(_FUNCTIONS)}"
    driver = conn.connection.driver_connection
    driver.create_function(name, 1, found.may_hold, deterministic=True)  # type: ignore[union-attr]
    return lambda column: getattr(func, name)(column, type_=sa.Boolean)


@dataclass
class Mention:
    row: Any  # the note, call, DM, tag, job or candidate
    table: str  # the row's table: note, call, decision_maker, dm_tag, job or candidate
    field: str
    text: str
    spans: list[Span]


def _mentioning(s: Session, found: Identifiers, exclude: Subject | None) -> list[Mention]:
    """The other records whose text holds one of the identifiers (none of ``exclude``'s
    own): rows picked in SQL with a coarse test (``_may_hold``), matched precisely here."""
    if not found:
        return []
    may_hold = _may_hold(s, found)
    mentions: list[Mention] = []
    for table, fields in PLACES:
        q = select(table).where(sa.or_(*(may_hold(getattr(table, f)) for f in fields)))
        if exclude is not None:
            q = q.where(*exclude.others(table))
        keys = [col(c) for c in sa.inspect(table).primary_key]
        for row in s.exec(q.order_by(*keys)):
            for f in fields:
                text = getattr(row, f)
                spans = found.spans(text) if text else []
                if spans:
                    mentions.append(Mention(row, table.__tablename__, f, text, spans))
    return mentions


def mentions(s: Session, *, dm: DecisionMaker, region: str | None) -> list[Mention]:
    """Where other records name this DM: the places ``erase`` would scrub."""
    if dm.id is None:
        return []
    subject = Subject("dm", dm.id)
    found = sought(s, [Person.of(dm)], region=region, exclude=subject).identifiers
    return _mentioning(s, found, subject)


def candidate_mentions(s: Session, *, candidate: Candidate, region: str | None) -> list[Mention]:
    """Where other records name this candidate: the places ``erase_candidates`` would
    scrub."""
    if candidate.id is None:
        return []
    subject = Subject("candidate", candidate.id)
    found = sought(s, [Person.of(candidate)], region=region, exclude=subject).identifiers
    return _mentioning(s, found, subject)


def _scrub(s: Session, found: Identifiers) -> tuple[int, set[str]]:
    """Replace the identifiers with [erased] in every other record (a tag naming them is
    removed): how many records changed, and their tables."""
    changed: dict[int, Any] = {}
    tables: set[str] = set()
    for m in _mentioning(s, found, None):
        if isinstance(m.row, DMTag):
            s.delete(m.row)
        elif (type(m.row), m.field) in TAG_LISTS:
            kept = [t for t in m.text.split(",") if not found.spans(t)]
            setattr(m.row, m.field, ",".join(kept))
        else:
            setattr(m.row, m.field, found.scrub(m.text))
        changed[id(m.row)] = m.row
        tables.add(str(m.row.__tablename__))
    s.flush()
    return len(changed), tables


# --- erasure -------------------------------------------------------------------------------


@dataclass
class Erased:
    people: int
    calls: int
    notes: int
    scrubbed: int  # other records that named them
    suppressed: int  # suppression entries added
    shared: list[str] = field(default_factory=list)  # identifiers left: others share them
    tables: list[str] = field(default_factory=list)  # the tables with rows deleted or changed
    submissions: int = 0  # a candidate's, with the calls they planned


ERASED_TABLES = ("decision_maker", "call", "note", "dm_tag", "call_hook", "open_loop")
# The links other records have to a DM: cleared when the DM goes (ON DELETE SET NULL).
DM_LINKS = (
    (Job, "client_dm_id"),
    (Candidate, "referred_by_dm_id"),
    (Candidate, "prospect_dm_id"),
)
CANDIDATE_TABLES = ("candidate", "candidate_call", "submission", "delivery_call", "call_hook")


def _count(s: Session, table: Any, ids: Sequence[int]) -> int:
    return sum(
        int(s.exec(select(func.count()).where(col(table.dm_id).in_(chunk))).one())
        for chunk in queries.common.in_chunks(ids)
    )


def erase(
    s: Session,
    *,
    dms: Sequence[DecisionMaker],
    today: date,
    region: str | None,
    reason: str,
) -> Erased:
    """Delete these DMs and everything about them, in the caller's transaction.

    Their calls, notes, tags and the hooks recorded on their calls go with them (the
    foreign keys cascade); other DMs lose them as referrer, their jobs their client,
    candidates the DM who referred them or was made of them (``DM_LINKS``: the foreign
    keys set them to NULL). Then their identifiers
    (``sought``: the name, email and phone, and the first name and surname alone where
    unambiguous) are replaced with [erased] in every other record that holds them. Each
    leaves an anonymous count (an erasure row); an erasure on ``REQUEST`` also leaves
    suppression entries. Deleted content is overwritten on disk: call ``checkpoint``
    after the commit to empty the log too.
    """
    ids = [dm.id for dm in dms if dm.id is not None]
    if not ids:
        return Erased(0, 0, 0, 0, 0)
    conn = s.connection()
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA secure_delete = ON")
    calls = _count(s, Call, ids)
    notes = _count(s, Note, ids)
    per_dm: dict[int, int] = {}
    for chunk in queries.common.in_chunks(ids):
        q = (
            select(Call.dm_id, func.count())
            .where(col(Call.dm_id).in_(chunk))
            .group_by(col(Call.dm_id))
        )
        per_dm.update({dm_id: int(n) for dm_id, n in s.exec(q)})
    wanted = [
        i
        for dm in dms
        for i in identifiers(
            name=dm.name, company=dm.company, email=dm.email, phone=dm.phone, region=region
        )
    ]
    added = _suppress(s, wanted, today=today) if reason == REQUEST else 0
    linked = {
        table.__tablename__
        for table, name in DM_LINKS
        if any(_linked(s, getattr(table, name), chunk) for chunk in queries.common.in_chunks(ids))
    }
    _count_erased(s, dms, per_dm, today=today, reason=reason)
    people = [Person.of(dm) for dm in dms]
    for chunk in queries.common.in_chunks(ids):
        s.exec(
            sa.update(DecisionMaker)
            .where(col(DecisionMaker.referred_by_id).in_(chunk))
            .values(referred_by_id=None)
        )
    s.flush()
    for dm in dms:
        s.expunge(dm)
    for chunk in queries.common.in_chunks(ids):
        # The foreign keys cascade to call (and call_hook), note, dm_tag and open_loop.
        s.exec(sa.delete(DecisionMaker).where(col(DecisionMaker.id).in_(chunk)))
    # Everyone left in the store is someone else: what they share is left alone.
    found = sought(s, people, region=region)
    scrubbed, touched = _scrub(s, found.identifiers)
    tables = [*ERASED_TABLES, *sorted((touched | linked) - set(ERASED_TABLES))]
    return Erased(len(ids), calls, notes, scrubbed, added, found.shared, tables)


def _count_erased(
    s: Session,
    people: Sequence[DecisionMaker | Candidate],
    calls: Mapping[int, int],
    *,
    today: date,
    reason: str,
) -> None:
    """An anonymous count for each person erased: the day, why, their calls (``calls``,
    by id) and conversations."""
    s.add_all(
        Erasure(
            erased_on=today,
            reason=reason,
            calls=calls.get(p.id or 0, 0),
            conversations=p.conversation_count,
        )
        for p in people
    )


def _linked(s: Session, column: Any, ids: Sequence[int]) -> bool:
    return s.exec(select(column).where(col(column).in_(ids)).limit(1)).first() is not None


def erase_candidates(
    s: Session,
    *,
    candidates: Sequence[Candidate],
    today: date,
    region: str | None,
    reason: str,
) -> Erased:
    """Delete these candidates and everything about them, in the caller's transaction,
    as ``erase`` does a DM: their calls, their submissions with the calls those planned,
    and the hooks that named them on calls to DMs go with them (the foreign keys
    cascade); their identifiers are replaced with [erased] in every other record (what a
    DM or candidate still here shares is left). Each leaves an anonymous count (an
    erasure row: their calls and conversations); an erasure on ``REQUEST`` leaves
    suppression entries (``candidate_identifiers``)."""
    ids = [c.id for c in candidates if c.id is not None]
    if not ids:
        return Erased(0, 0, 0, 0, 0)
    conn = s.connection()
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA secure_delete = ON")
    per_candidate: dict[int, int] = {}
    submissions = 0
    for chunk in queries.common.in_chunks(ids):
        q = (
            select(CandidateCall.candidate_id, func.count())
            .where(col(CandidateCall.candidate_id).in_(chunk))
            .group_by(col(CandidateCall.candidate_id))
        )
        per_candidate.update({i: int(n) for i, n in s.exec(q)})
        q2 = select(func.count()).where(col(Submission.candidate_id).in_(chunk))
        submissions += int(s.exec(q2).one())
    wanted = [
        i
        for c in candidates
        for i in candidate_identifiers(name=c.name, email=c.email, phone=c.phone, region=region)
    ]
    added = _suppress(s, wanted, today=today) if reason == REQUEST else 0
    _count_erased(s, candidates, per_candidate, today=today, reason=reason)
    people = [Person.of(c) for c in candidates]
    s.flush()
    for c in candidates:
        s.expunge(c)
    for chunk in queries.common.in_chunks(ids):
        # The foreign keys cascade to candidate_call, submission (and delivery_call) and
        # call_hook.
        s.exec(sa.delete(Candidate).where(col(Candidate.id).in_(chunk)))
    found = sought(s, people, region=region)
    scrubbed, touched = _scrub(s, found.identifiers)
    tables = [*CANDIDATE_TABLES, *sorted(touched - set(CANDIDATE_TABLES))]
    calls = sum(per_candidate.values())
    return Erased(
        len(ids), calls, 0, scrubbed, added, found.shared, tables, submissions=submissions
    )


def checkpoint(engine: sa.Engine) -> bool:
    """Copy the write-ahead log into the store and truncate it, so erased data is no
    longer in the -wal file. False when another connection kept it from completing."""
    if engine.dialect.name != "sqlite":
        return True
    raw = engine.raw_connection()
    try:
        row = raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()  # type: ignore[union-attr]
    finally:
        raw.close()
    return row is None or row[0] == 0


def hooks_on(s: Session, *, call_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    """The jobs, candidates and events used on these calls. A candidate is described by
    their headline, not their name: that is someone else's personal data."""
    used: dict[int, list[dict[str, Any]]] = {}
    if not call_ids:
        return used
    q = (
        queries.common.untyped_select(
            CallHook, Job.title, Job.company, Candidate.headline, Event.title, Event.held_on
        )
        .outerjoin(Job, col(Job.id) == col(CallHook.job_id))
        .outerjoin(Candidate, col(Candidate.id) == col(CallHook.candidate_id))
        .outerjoin(Event, col(Event.id) == col(CallHook.event_id))
        .where(col(CallHook.call_id).in_(call_ids))
        .order_by(col(CallHook.id))
    )
    for hook, title, company, headline, event, held_on in s.exec(q):
        row: dict[str, Any]
        if hook.job_id is not None:
            row = {"ref": f"job:{hook.job_id}", "title": title, "company": company}
        elif hook.candidate_id is not None:
            row = {"ref": f"candidate:{hook.candidate_id}", "headline": headline}
        else:
            row = {"ref": f"event:{hook.event_id}", "title": event, "held_on": held_on}
        used.setdefault(hook.call_id, []).append(row)
    return used


# --- retention -------------------------------------------------------------------------


@dataclass
class Stale:
    dm: DecisionMaker
    why: str  # prospect (never reached) or archived
    last_call_on: date | None
    last_note_on: date | None


def prune_candidates(s: Session, *, cutoff: date) -> list[Stale]:
    """Active prospects never spoken to and archived DMs, added before ``cutoff`` with no
    call or note since. Do-not-call DMs are kept: their record is what stops a call."""
    dm = DecisionMaker
    added_before = col(dm.created_at) < datetime.combine(cutoff, time(), tzinfo=UTC)
    last_call = (
        select(func.max(Call.called_on)).where(Call.dm_id == dm.id).correlate(dm).scalar_subquery()
    )
    last_note = (
        select(func.max(Note.noted_on)).where(Note.dm_id == dm.id).correlate(dm).scalar_subquery()
    )
    quiet = sa.and_(
        sa.not_(sa.exists().where(col(Call.dm_id) == col(dm.id), col(Call.called_on) >= cutoff)),
        sa.not_(sa.exists().where(col(Note.dm_id) == col(dm.id), col(Note.noted_on) >= cutoff)),
    )
    prospect = sa.and_(col(dm.status) == Status.ACTIVE, col(dm.conversation_count) == 0)
    q = (
        select(dm, last_call, last_note)
        .where(added_before, quiet, sa.or_(prospect, col(dm.status) == Status.ARCHIVED))
        .order_by(col(dm.name_key), col(dm.id))
    )
    return [
        Stale(row, "archived" if row.status == Status.ARCHIVED else "prospect", called, noted)
        for row, called, noted in s.exec(q)
    ]
