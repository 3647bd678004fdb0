"""A person's data: everything held about them, erasure, suppression and retention.

- ``subject_access``: everything held about one DM, for a subject access request.
- ``erase``: delete DMs with their calls, notes and tags, take their names out of other
  DMs' notes and call summaries, and (for an erasure on request) keep a suppression
  entry so an old contact list doesn't bring them back. Deleted content is overwritten
  (``PRAGMA secure_delete``); ``checkpoint`` then empties the write-ahead log.
- ``prune_candidates``: prospects never reached and archived DMs untouched since a date.

A suppression entry is an HMAC-SHA256, under a random key kept in the store, of one
normalised identifier (the email, the phone number, the name at the company), normalised
as the import matches duplicates. It holds no readable personal data, and can't be
matched against another list without the store's key. A store that callplan JSON was
imported into keeps the keys of the file's suppression entries too, and matches under
each.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from callplan import repo
from callplan.models import (
    Call,
    CallHook,
    Candidate,
    DecisionMaker,
    Erasure,
    Job,
    Note,
    Status,
    StoreMeta,
    Suppression,
)
from callplan.names import name_key
from callplan.notes import FIELD_NAMES

ACCESS_FORMAT = "callplan-subject-access"
ACCESS_VERSION = 1
KEY = "suppression_key"
ERASED = "[erased]"
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
    from callplan.contacts import e164

    found = []
    if email and email.strip():
        found.append("email:" + email.strip().lower())
    if phone and phone.strip():
        found.append("phone:" + (e164(phone, region) or " ".join(phone.split())))
    if name and company and name_key(company):
        found.append(f"name:{name_key(name)}@{name_key(company)}")
    return found


def digest(key: bytes, identifier: str) -> str:
    return hmac.new(key, identifier.encode("utf-8"), hashlib.sha256).hexdigest()


def suppressed(s: Session, *, digests: Iterable[str]) -> set[str]:
    """Which of ``digests`` are suppression entries."""
    wanted = sorted(set(digests))
    found: set[str] = set()
    for chunk in repo.in_chunks(wanted):
        found.update(s.exec(select(Suppression.digest).where(col(Suppression.digest).in_(chunk))))
    return found


def suppressed_person(s: Session, *, region: str | None, **person: str | None) -> set[str]:
    """The suppression entries one person (name, company, email, phone) matches."""
    keys = store_keys(s)
    if not keys:
        return set()
    return suppressed(s, digests=digests_under(keys, identifiers(region=region, **person)))


def suppressed_rows(
    s: Session, people: Sequence[Mapping[str, Any]], *, region: str | None
) -> list[int]:
    """The indexes of the people (mappings with name, company, email, phone) that match a
    suppression entry: an erased person coming back with an old contact list."""
    keys = store_keys(s)
    if not keys or not people:
        return []
    each = [
        digests_under(
            keys,
            identifiers(
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


def _suppress(s: Session, dms: Sequence[DecisionMaker], *, today: date, region: str | None) -> int:
    key = store_key(s, create=True)
    assert key is not None
    wanted = {
        digest(key, i)
        for dm in dms
        for i in identifiers(
            name=dm.name, company=dm.company, email=dm.email, phone=dm.phone, region=region
        )
    }
    new = sorted(wanted - suppressed(s, digests=wanted))
    s.add_all(Suppression(digest=d, created_on=today) for d in new)
    s.flush()
    return len(new)


# --- names in other records ---------------------------------------------------------------


def name_pattern(names: Iterable[str]) -> str | None:
    """A regular expression for any of ``names`` as whole words, any case, any spacing."""
    parts = sorted(
        {r"\s+".join(re.escape(w) for w in n.split()) for n in names if n.split()},
        key=len,
        reverse=True,
    )
    if not parts:
        return None
    return r"(?i)(?<!\w)(?:" + "|".join(parts) + r")(?!\w)"


NOTE_TEXTS = ("text", *FIELD_NAMES)


def _mentioning(s: Session, pattern: str, exclude: Sequence[int]) -> tuple[list[Note], list[Call]]:
    """Other DMs' notes and calls whose text matches ``pattern`` (matched in SQL, with the
    REGEXP function SQLAlchemy gives SQLite)."""
    notes = select(Note).where(
        sa.or_(*(col(getattr(Note, f)).regexp_match(pattern) for f in NOTE_TEXTS))
    )
    calls = select(Call).where(col(Call.summary).regexp_match(pattern))
    if exclude:
        notes = notes.where(col(Note.dm_id).not_in(exclude))
        calls = calls.where(col(Call.dm_id).not_in(exclude))
    return (
        list(s.exec(notes.order_by(col(Note.id))).all()),
        list(s.exec(calls.order_by(col(Call.id))).all()),
    )


def mentions(s: Session, *, dm: DecisionMaker) -> list[dict[str, Any]]:
    """Where other DMs' notes and call summaries name this DM."""
    pattern = name_pattern([dm.name])
    if pattern is None or dm.id is None:
        return []
    notes, calls = _mentioning(s, pattern, [dm.id])
    found = re.compile(pattern)
    rows: list[dict[str, Any]] = []
    for n in notes:
        for f in NOTE_TEXTS:
            value = getattr(n, f)
            if value and found.search(value):
                rows.append({"dm_id": n.dm_id, "note_id": n.id, "field": f, "text": value})
    for c in calls:
        rows.append({"dm_id": c.dm_id, "call_id": c.id, "field": "summary", "text": c.summary})
    return rows


def _scrub(s: Session, names: Sequence[str], exclude: Sequence[int]) -> int:
    """Replace the names with [erased] in other DMs' notes and call summaries."""
    pattern = name_pattern(names)
    if pattern is None:
        return 0
    notes, calls = _mentioning(s, pattern, exclude)
    found = re.compile(pattern)
    for n in notes:
        for f in NOTE_TEXTS:
            value = getattr(n, f)
            if value:
                setattr(n, f, found.sub(ERASED, value))
        s.add(n)
    for c in calls:
        c.summary = found.sub(ERASED, c.summary or "")
        s.add(c)
    s.flush()
    return len(notes) + len(calls)


# --- erasure -------------------------------------------------------------------------------


@dataclass
class Erased:
    people: int
    calls: int
    notes: int
    scrubbed: int  # other DMs' notes and calls that named them
    suppressed: int  # suppression entries added


def _count(s: Session, table: Any, ids: Sequence[int]) -> int:
    return sum(
        int(s.exec(select(func.count()).where(col(table.dm_id).in_(chunk))).one())
        for chunk in repo.in_chunks(ids)
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
    foreign keys cascade); other DMs lose them as referrer and have their names replaced
    with [erased] in notes and call summaries. Each leaves an anonymous count (an erasure
    row); an erasure on ``REQUEST`` also leaves suppression entries. Deleted content is
    overwritten on disk: call ``checkpoint`` after the commit to empty the log too.
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
    for chunk in repo.in_chunks(ids):
        q = (
            select(Call.dm_id, func.count())
            .where(col(Call.dm_id).in_(chunk))
            .group_by(col(Call.dm_id))
        )
        per_dm.update({dm_id: int(n) for dm_id, n in s.exec(q)})
    added = _suppress(s, dms, today=today, region=region) if reason == REQUEST else 0
    s.add_all(
        Erasure(
            erased_on=today,
            reason=reason,
            calls=per_dm.get(dm.id or 0, 0),
            conversations=dm.conversation_count,
        )
        for dm in dms
    )
    scrubbed = _scrub(s, [dm.name for dm in dms], ids)
    for chunk in repo.in_chunks(ids):
        s.exec(
            sa.update(DecisionMaker)
            .where(col(DecisionMaker.referred_by_id).in_(chunk))
            .values(referred_by_id=None)
        )
    s.flush()
    for dm in dms:
        s.expunge(dm)
    for chunk in repo.in_chunks(ids):
        # The foreign keys cascade to call (and call_hook), note and dm_tag.
        s.exec(sa.delete(DecisionMaker).where(col(DecisionMaker.id).in_(chunk)))
    return Erased(len(ids), calls, notes, scrubbed, added)


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


# --- a subject access request ----------------------------------------------------------


def subject_access(s: Session, *, dm: DecisionMaker, today: date) -> dict[str, Any]:
    """Everything held about one DM (shape in docs/json.md)."""
    from callplan.diary import call_json, dm_json, note_json

    assert dm.id is not None
    calls = repo.calls_of(s, dm_id=dm.id)
    call_ids = [c.id for c in calls if c.id is not None]
    hooks = _hooks_on(s, call_ids=call_ids)
    referrer = s.get(DecisionMaker, dm.referred_by_id) if dm.referred_by_id else None
    return {
        "format": ACCESS_FORMAT,
        "version": ACCESS_VERSION,
        "exported_on": today,
        "person": dm_json(dm),
        "tags": repo.tags_of(s, dm_ids=[dm.id])[dm.id],
        "referred_by": {"id": referrer.id, "name": referrer.name} if referrer else None,
        "referred": [{"id": r.id, "name": r.name} for r in repo.referred_by(s, dm_id=dm.id)],
        "calls": [call_json(c, hooks.get(c.id or 0, [])) for c in calls],
        "notes": [note_json(n) for n in repo.notes_of(s, dm_id=dm.id)],
        "mentions": mentions(s, dm=dm),
    }


def _hooks_on(s: Session, *, call_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    """The jobs and candidates used on these calls. A candidate is described by their
    headline, not their name: that is someone else's personal data."""
    used: dict[int, list[dict[str, Any]]] = {}
    if not call_ids:
        return used
    q = (
        select(CallHook, Job.title, Job.company, Candidate.headline)
        .outerjoin(Job, col(Job.id) == col(CallHook.job_id))
        .outerjoin(Candidate, col(Candidate.id) == col(CallHook.candidate_id))
        .where(col(CallHook.call_id).in_(call_ids))
        .order_by(col(CallHook.id))
    )
    for hook, title, company, headline in s.exec(q):
        if hook.job_id is not None:
            row = {"ref": f"job:{hook.job_id}", "title": title, "company": company}
        else:
            row = {"ref": f"candidate:{hook.candidate_id}", "headline": headline}
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
