"""Queries and writes. Keyword-only functions that take an explicit session.

Filtering, ordering and counting happen in SQL, on indexes that match the plan's
queries; nothing here loads a whole table to pick from it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlmodel import Session, col, func, select
from sqlmodel.sql.expression import SelectOfScalar

from callplan.errors import AmbiguousDM, DMNotFound, HookNotFound, UsageError
from callplan.hooks import CANDIDATE, JOB, Hook, normalise_tags
from callplan.models import (
    Call,
    CallHook,
    Candidate,
    Claim,
    DecisionMaker,
    DMTag,
    HookStatus,
    Job,
    LawfulBasis,
    Note,
    Recruiter,
    Status,
)
from callplan.names import name_key
from callplan.outcomes import (
    EXTRA_REASONS,
    OUTCOMES,
    PRIORITY_CYCLE,
    Kind,
    Outcome,
    types_of,
)

MAX_CANDIDATES = 20
# SQLite's integer range: an id outside it can't be in the store (and can't be queried).
ID_RANGE = range(-(2**63), 2**63)
IN_CHUNK = 500  # ids per IN (...) list: SQLite allows at most 32,766 parameters a query


def in_chunks(values: Sequence[Any]) -> Iterator[list[Any]]:
    """``values`` in lists of IN_CHUNK, one IN (...) each."""
    for start in range(0, len(values), IN_CHUNK):
        yield list(values[start : start + IN_CHUNK])


# --- recruiters -----------------------------------------------------------------------


def recruiter(s: Session, *, name: str, register: bool = False) -> str:
    """The recruiter ``name`` stands for, as the store spells it ('zoe' -> 'Zoë'): one
    primary-key lookup. Someone new is added with ``register`` (in a write session), and
    otherwise comes back as typed."""
    key = name_key(name)
    known = s.get(Recruiter, key)
    if known is not None:
        return known.name
    if register:
        s.add(Recruiter(key=key, name=name))
        s.flush()
    return name


def known_recruiter(s: Session, *, name: str) -> str | None:
    """The recruiter ``name`` stands for, or None if nobody of that name works the store."""
    known = s.get(Recruiter, name_key(name))
    return known.name if known is not None else None


def recruiters(s: Session) -> list[str]:
    """Everyone who works the store, by name."""
    return list(s.exec(select(Recruiter.name).order_by(col(Recruiter.key))).all())


def count_owned(s: Session, *, owner: str) -> int:
    """The DMs ``owner`` owns, whatever their status (the ix_dm_owner_status index)."""
    q = select(func.count()).select_from(DecisionMaker).where(DecisionMaker.owner == owner)
    return int(s.exec(q).one())


def assign(
    s: Session, *, to: str, dm: DecisionMaker | None = None, from_: str | None = None
) -> int:
    """Hand one DM, or every DM of ``from_``, to ``to``: one UPDATE; returns how many.
    Today's claims on them go too (the new owner plans them)."""
    table = DecisionMaker.__table__  # type: ignore[attr-defined]
    if dm is not None:
        assert dm.id is not None
        where = table.c.id == dm.id
    else:
        where = table.c.owner == from_
    moved = s.connection().execute(sa.update(table).where(where).values(owner=to)).rowcount
    if dm is not None:
        s.exec(sa.delete(Claim).where(col(Claim.dm_id) == dm.id))
        dm.owner = to
    return int(moved or 0)


def last_spoke(s: Session, *, dm_id: int) -> tuple[date, str | None] | None:
    """The DM's last conversation with anyone in the team: (day, who)."""
    q = (
        select(col(Call.called_on), col(Call.recruiter))
        .where(Call.dm_id == dm_id, col(Call.conversation_number).is_not(None))
        .order_by(col(Call.called_on).desc(), col(Call.id).desc())
        .limit(1)
    )
    row = s.exec(q).first()
    return (row[0], row[1]) if row is not None else None


# --- decision makers ---------------------------------------------------------------


def describe(dm: DecisionMaker) -> str:
    where = f", {dm.company}" if dm.company else ""
    status = "" if dm.status == Status.ACTIVE else f", {dm.status}"
    return f"#{dm.id} {dm.name}{where}{status}"


def find_dm(s: Session, *, ref: str) -> DecisionMaker:
    """A DM by id, or by name: exact, then unique prefix, then unique substring.

    A prefix needs two letters and a substring three, so a stray 'a' never picks someone.
    """
    text = ref.strip().lstrip("#")
    if not text:
        raise UsageError("Name a decision maker (a name or an id).")
    if text.isascii() and text.isdigit():  # not '²', which is a digit but no number
        dm = s.get(DecisionMaker, int(text)) if int(text) in ID_RANGE else None
        if dm is None:
            raise DMNotFound(f"No decision maker has id {text}.")
        return dm
    key = name_key(text)
    like = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    tries = [col(DecisionMaker.name_key) == key]
    if len(key) >= 2:
        tries.append(
            sa.and_(
                col(DecisionMaker.name_key) >= key, col(DecisionMaker.name_key) < key + "\uffff"
            )
        )
    if len(key) >= 3:
        tries.append(col(DecisionMaker.name_key).like(f"%{like}%", escape="\\"))
    for condition in tries:
        found = s.exec(
            select(DecisionMaker)
            .where(condition)
            .order_by(col(DecisionMaker.name_key), col(DecisionMaker.id))
            .limit(MAX_CANDIDATES + 1)
        ).all()
        if len(found) == 1:
            return found[0]
        if found:
            raise AmbiguousDM(ref, [describe(dm) for dm in found])
    if len(key) < 3:
        raise DMNotFound(f"No decision maker matches {ref!r}: type more of the name, or the id.")
    raise DMNotFound(f"No decision maker matches {ref!r}. See 'callplan dm list'.")


def add_dm(
    s: Session,
    *,
    name: str,
    company: str | None = None,
    title: str | None = None,
    phone: str | None = None,
    email: str | None = None,
    linkedin: str | None = None,
    tags: Sequence[str] = (),
    referred_by: DecisionMaker | None = None,
    lawful_basis: str | None = None,
    ctps: bool = False,
    owner: str | None = None,
) -> DecisionMaker:
    dm = DecisionMaker(
        owner=owner,
        name=name,
        name_key=name_key(name),
        company=company,
        title=title,
        phone=phone,
        email=email,
        linkedin=linkedin,
        referred_by_id=referred_by.id if referred_by else None,
        lawful_basis=lawful_basis or LawfulBasis.LEGITIMATE_INTEREST,
        ctps=ctps,
    )
    s.add(dm)
    s.flush()
    assert dm.id is not None
    set_tags(s, dm_id=dm.id, add=tags)
    return dm


def add_note(
    s: Session,
    *,
    dm_id: int,
    on: date,
    text: str | None = None,
    fields: Mapping[str, str | None] | None = None,
    call_id: int | None = None,
    recruiter: str | None = None,
) -> Note | None:
    """A note of free text and/or named fields; nothing is written when all are empty."""
    values = {k: v for k, v in (fields or {}).items() if v}
    if not text and not values:
        return None
    note = Note(dm_id=dm_id, call_id=call_id, noted_on=on, text=text, recruiter=recruiter)
    for name, value in values.items():
        setattr(note, name, value)
    s.add(note)
    s.flush()
    return note


def same_person(s: Session, *, name: str, company: str | None) -> DecisionMaker | None:
    """An existing DM with the same name (ignoring case and accents) at the same company."""
    query = select(DecisionMaker).where(col(DecisionMaker.name_key) == name_key(name))
    for dm in s.exec(query.limit(MAX_CANDIDATES)):
        if name_key(dm.company or "") == name_key(company or ""):
            return dm
    return None


def set_tags(
    s: Session, *, dm_id: int, add: Iterable[str] = (), remove: Iterable[str] = ()
) -> None:
    gone = {t.strip().lower() for t in remove if t.strip()}
    wanted = {t.strip().lower() for t in add if t.strip()}
    if not gone and not wanted:
        return
    if gone:
        s.exec(sa.delete(DMTag).where(col(DMTag.dm_id) == dm_id, col(DMTag.tag).in_(gone)))
    have = set(s.exec(select(DMTag.tag).where(DMTag.dm_id == dm_id)).all())
    for tag in sorted(wanted - have):
        s.add(DMTag(dm_id=dm_id, tag=tag))
    s.flush()


def tags_of(s: Session, *, dm_ids: Sequence[int]) -> dict[int, list[str]]:
    tags: dict[int, list[str]] = {i: [] for i in dm_ids}
    if dm_ids:
        rows = s.exec(
            select(DMTag.dm_id, DMTag.tag)
            .where(col(DMTag.dm_id).in_(dm_ids))
            .order_by(col(DMTag.tag))
        )
        for dm_id, tag in rows:
            tags[dm_id].append(tag)
    return tags


def names_of(s: Session, *, dm_ids: Iterable[int | None]) -> dict[int, str]:
    ids = {i for i in dm_ids if i is not None}
    if not ids:
        return {}
    rows = s.exec(
        select(DecisionMaker.id, DecisionMaker.name).where(col(DecisionMaker.id).in_(ids))
    )
    return {i: n for i, n in rows if i is not None}


LIST_STATUSES = ("active", "prospect", "contact", "due", "archived", "dnc", "all")


def list_dms(
    s: Session,
    *,
    status: str = "active",
    company: str | None = None,
    tag: str | None = None,
    search: str | None = None,
    on: date,
    limit: int | None = None,
    owner: str | None = None,
) -> list[DecisionMaker]:
    """DMs filtered in SQL. Status: active (not archived or do-not-call), prospect (never
    spoken to), contact (spoken to), due (diarised for ``on`` or earlier), archived, dnc, all.
    ``owner``: that recruiter's DMs only.
    """
    q = dms_query(status=status, company=company, tag=tag, search=search, on=on, owner=owner)
    if limit is not None:
        q = q.limit(limit)
    return list(s.exec(q).all())


def dms_query(
    *,
    status: str = "active",
    company: str | None = None,
    tag: str | None = None,
    search: str | None = None,
    on: date,
    owner: str | None = None,
) -> SelectOfScalar[DecisionMaker]:
    """The query behind ``list_dms``, ordered by name, for callers that stream its rows."""
    q = select(DecisionMaker)
    dm = DecisionMaker
    if owner is not None:
        q = q.where(dm.owner == owner)
    if status in ("active", "prospect", "contact", "due"):
        q = q.where(dm.status == Status.ACTIVE)
    if status == "prospect":
        q = q.where(dm.conversation_count == 0)
    elif status == "contact":
        q = q.where(dm.conversation_count > 0)
    elif status == "due":
        q = q.where(due_condition(on=on))
    elif status == "archived":
        q = q.where(dm.status == Status.ARCHIVED)
    elif status == "dnc":
        q = q.where(dm.status == Status.DNC)
    elif status not in ("active", "all"):
        raise UsageError(f"Unknown status {status!r}: use one of {', '.join(LIST_STATUSES)}.")
    if company:
        q = q.where(func.lower(dm.company).contains(company.strip().lower(), autoescape=True))
    if tag:
        tagged = select(DMTag.dm_id).where(DMTag.tag == tag.strip().lower())
        q = q.where(col(dm.id).in_(tagged))
    if search:
        key = name_key(search)
        text = search.strip().lower()
        q = q.where(
            sa.or_(
                col(dm.name_key).contains(key, autoescape=True),
                func.lower(dm.company).contains(text, autoescape=True),
                func.lower(dm.title).contains(text, autoescape=True),
                func.lower(dm.email).contains(text, autoescape=True),
                col(dm.phone).contains(search.strip(), autoescape=True),
            )
        )
    return q.order_by(col(dm.name_key), col(dm.id))


# --- calls ----------------------------------------------------------------------------


def calls_of(s: Session, *, dm_id: int, limit: int | None = None) -> list[Call]:
    q = (
        select(Call)
        .where(Call.dm_id == dm_id)
        .order_by(col(Call.called_on).desc(), col(Call.id).desc())
    )
    if limit is not None:
        q = q.limit(limit)
    return list(s.exec(q).all())


def notes_of(s: Session, *, dm_id: int) -> list[Note]:
    """A DM's notes, newest first (by the date they record, then as written)."""
    q = (
        select(Note)
        .where(Note.dm_id == dm_id)
        .order_by(col(Note.noted_on).desc(), col(Note.id).desc())
    )
    return list(s.exec(q).all())


def hook_notes(s: Session, *, dm_ids: Sequence[int], fields: Sequence[str]) -> dict[int, list[Any]]:
    """The notes of each DM that fill any of ``fields`` (only those columns), newest
    first: what hook matching reads, for a screenful of DMs in one query."""
    found: dict[int, list[Any]] = {i: [] for i in dm_ids}
    if dm_ids and fields:
        columns = [col(getattr(Note, f)) for f in fields]
        q = (
            sa.select(col(Note.dm_id), col(Note.noted_on), *columns)
            .where(col(Note.dm_id).in_(dm_ids), sa.or_(*(c.is_not(None) for c in columns)))
            .order_by(col(Note.noted_on).desc(), col(Note.id).desc())
        )
        for row in s.connection().execute(q):
            found[row.dm_id].append(row)
    return found


def last_summaries(s: Session, *, dm_ids: Sequence[int]) -> dict[int, str]:
    """The summary of each DM's latest call that has one."""
    if not dm_ids:
        return {}
    latest = (
        select(Call.summary)
        .where(Call.dm_id == DecisionMaker.id, col(Call.summary).is_not(None))
        .order_by(col(Call.called_on).desc(), col(Call.id).desc())
        .limit(1)
        .correlate(DecisionMaker)
        .scalar_subquery()
    )
    found: dict[int, str] = {}
    for start in range(0, len(dm_ids), IN_CHUNK):  # SQLite caps the parameters of a query
        chunk = dm_ids[start : start + IN_CHUNK]
        rows = s.exec(select(DecisionMaker.id, latest).where(col(DecisionMaker.id).in_(chunk)))
        found.update((i, summary) for i, summary in rows if i is not None and summary)
    return found


def first_conversations_on(s: Session, *, on: date, recruiter: str | None = None) -> int:
    """Conversations held on ``on`` that were the first ever with that DM (by
    ``recruiter``, if given)."""
    q = select(func.count()).where(Call.called_on == on, Call.conversation_number == 1)
    if recruiter is not None:
        q = q.where(Call.recruiter == recruiter)
    return int(s.exec(q).one())


@dataclass(frozen=True)
class Logged:
    call: Call
    dm: DecisionMaker
    latest: bool  # False when the call was back-dated before a later one


def record_call(
    s: Session,
    *,
    dm: DecisionMaker,
    outcome: Outcome,
    called_on: date,
    summary: str | None,
    next_call_on: date | None,
    reason: str | None = None,
    recruiter: str | None = None,
) -> Logged:
    """Insert a call and bring the DM's scheduling state into step with its calls.

    A conversation with a DM nobody owns (a prospect from the pool) makes the caller
    the owner.

    On PostgreSQL the DM's row is locked (and read again) first, so two recruiters
    logging calls with one DM at once take turns: each counts the other's call. (SQLite's
    writer already holds the whole store.)"""
    assert dm.id is not None
    if s.get_bind().dialect.name == "postgresql":
        s.refresh(dm, with_for_update=True)
    call = Call(
        recruiter=recruiter,
        reason=reason,
        dm_id=dm.id,
        called_on=called_on,
        kind=outcome.kind.value,
        outcome=outcome.type,
        summary=summary,
        next_call_on=next_call_on,
    )
    s.add(call)
    s.flush()
    history = s.exec(
        select(Call).where(Call.dm_id == dm.id).order_by(col(Call.called_on), col(Call.id))
    ).all()
    recount(s, dm, history)
    latest = history[-1].id == call.id
    if latest:
        dm.next_call_on = next_call_on
        dm.due_reason = outcome.type if next_call_on else None
    if outcome.kind.is_conversation:
        dm.needs_number = False
        if dm.owner is None and recruiter is not None:
            dm.owner = recruiter
    elif outcome.type == "wrong-number":
        dm.needs_number = True
    if outcome.type == "left-company":
        if dm.status == Status.ACTIVE:  # do-not-call stays do-not-call
            dm.status = Status.ARCHIVED
        dm.next_call_on = None
        dm.due_reason = None
    s.add(dm)
    s.flush()
    return Logged(call, dm, latest)


@dataclass(frozen=True)
class Tally:
    """What a DM's calls (by date) say: each call's conversation number (None for a dial
    that didn't connect), how many conversations, the dials since the last one, and
    which call was the last conversation."""

    numbers: list[int | None]
    conversations: int
    attempts: int
    last: int | None  # index of the last conversation


def tally(kinds: Sequence[str]) -> Tally:
    """Number the conversations among calls of these kinds, in the order given."""
    numbers: list[int | None] = []
    count = attempts = 0
    last = None
    for i, kind in enumerate(kinds):
        if Kind(kind).is_conversation:
            count += 1
            attempts = 0
            last = i
            numbers.append(count)
        else:
            attempts += 1
            numbers.append(None)
    return Tally(numbers, count, attempts, last)


def recount(s: Session, dm: DecisionMaker, history: Sequence[Call]) -> None:
    """Number the DM's conversations in the order of ``history`` (its calls by date) and
    set what follows from them: how many, the last one's date and outcome, and the dials
    since."""
    counted = tally([c.kind for c in history])
    for c, number in zip(history, counted.numbers, strict=True):
        if number is not None and c.conversation_number != number:
            c.conversation_number = number
            s.add(c)
    last = history[counted.last] if counted.last is not None else None
    dm.conversation_count = counted.conversations
    dm.last_conversation_on = last.called_on if last else None
    dm.attempts_in_row = counted.attempts
    dm.last_outcome = last.outcome if last else None


# --- the plan -------------------------------------------------------------------------


def priority_expr() -> sa.ColumnElement[int]:
    """The order of due calls, in SQL: agreed callbacks and advance follow-ups first."""
    whens = {o.type: o.priority for o in OUTCOMES.values()}
    whens.update({k: p for k, (_, p) in EXTRA_REASONS.items()})
    return sa.case(whens, value=col(DecisionMaker.due_reason), else_=PRIORITY_CYCLE)


def due_condition(*, on: date) -> sa.ColumnElement[bool]:
    """Diarised for ``on`` or earlier: one range on the (status, next_call_on) index.

    Everyone past the cycle is covered: every call caps the next one at the cycle, and a
    DM the sweep placed later in the month waits for that day.
    """
    return col(DecisionMaker.next_call_on) <= on


def _tagged_any(tags: Sequence[str]) -> sa.ColumnElement[bool]:
    """The DM has one of these tags (an indexed EXISTS on dm_tag); ``tags`` not empty."""
    return sa.exists().where(
        col(DMTag.dm_id) == col(DecisionMaker.id), col(DMTag.tag).in_(list(tags))
    )


def _callable_prospects(*, on: date) -> list[Any]:
    """Prospects who may be called on ``on``: active, never spoken to, and not diarised
    for a later day."""
    dm = DecisionMaker
    return [
        dm.status == Status.ACTIVE,
        dm.conversation_count == 0,
        sa.or_(col(dm.next_call_on).is_(None), col(dm.next_call_on) <= on),
    ]


def _not_a_retry() -> sa.ColumnElement[bool]:
    """Not a prospect's retry after a failed dial (the new-DM quota's business, not the
    diary's)."""
    dm = DecisionMaker
    return sa.not_(
        sa.and_(
            col(dm.conversation_count) == 0,
            col(dm.due_reason).in_(types_of(Kind.NO_CONNECT)),
        )
    )


class ProspectOrder(NamedTuple):
    """The order prospects are picked in, in SQL: ``firsts``, yes/no questions whose yes
    comes first, asked in turn (referred? tagged like an open hook? diarised: a retry
    due?), then ``then``, ascending (the day diarised, the date added, the id)."""

    firsts: list[sa.ColumnElement[bool]]
    then: list[Any]

    def whole(self) -> list[Any]:
        """The whole order, as one ORDER BY."""
        return [sa.not_(first) for first in self.firsts] + self.then


def prospect_order(hook_tags: Sequence[str]) -> ProspectOrder:
    """Referred first, then tagged like an open hook (if there are ``hook_tags``), then
    due retries by date, then the oldest added (the id breaks ties)."""
    dm = DecisionMaker
    return ProspectOrder(
        firsts=[
            col(dm.referred_by_id).is_not(None),
            *([_tagged_any(hook_tags)] if hook_tags else []),
            col(dm.next_call_on).is_not(None),
        ],
        then=[col(dm.next_call_on), col(dm.created_at), col(dm.id)],
    )


def pick_new(
    s: Session,
    *,
    on: date,
    limit: int,
    hook_tags: Sequence[str] = (),
    recruiter: str | None = None,
    filters: Sequence[Any] = (),
    lock: bool = False,
) -> list[DecisionMaker]:
    """Prospects to call, in ``prospect_order``: referred first, then those tagged like an
    open hook, then retries that are due, then the oldest added.

    One query per tier of that order (each answer to its yes/no questions but the first's
    yes: the referred, a handful, are sorted), each read in index order and stopped at
    the number still wanted, so a store with tens of thousands of prospects is never
    sorted whole: both retries and fresh prospects walk ix_dm_status_prospect (status,
    conversation_count, next_call_on, created_at).

    For a ``recruiter``: only their own prospects and the unowned pool, less those
    another recruiter claimed for ``on``. ``lock`` takes row locks on PostgreSQL, skipping
    rows another transaction holds (FOR UPDATE SKIP LOCKED); nothing on SQLite, whose
    writer holds the whole store.
    """
    if limit <= 0:
        return []
    dm = DecisionMaker
    prospect: list[Any] = [*_callable_prospects(on=on), *filters]
    if recruiter is not None:
        # coalesce: a filter on each row of the index walked, never a reason to walk
        # (and sort) the owner index instead.
        prospect.append(func.coalesce(col(dm.owner), recruiter) == recruiter)
        prospect.append(
            sa.not_(
                sa.exists().where(
                    col(Claim.dm_id) == col(dm.id),
                    col(Claim.claimed_on) == on,
                    col(Claim.recruiter) != recruiter,
                )
            )
        )
    order = prospect_order(hook_tags)
    referred, *rest = order.firsts
    tiers: list[tuple[list[Any], list[Any]]] = [
        ([referred], [sa.not_(first) for first in rest] + order.then)
    ]
    for answers in itertools.product((True, False), repeat=len(rest)):
        asked = [first if yes else sa.not_(first) for first, yes in zip(rest, answers, strict=True)]
        tiers.append(([sa.not_(referred), *asked], order.then))
    locking = lock and s.get_bind().dialect.name == "postgresql"
    picked: list[DecisionMaker] = []
    for tier_filters, tier_order in tiers:
        q = select(dm).where(*prospect, *tier_filters).order_by(*tier_order)
        q = q.limit(limit - len(picked))
        if locking:
            q = q.with_for_update(skip_locked=True, of=dm)
        picked += s.exec(q).all()
        if len(picked) >= limit:
            break
    return picked


def in_prospect_order(
    s: Session, *, dm_ids: Sequence[int], hook_tags: Sequence[str], limit: int
) -> list[DecisionMaker]:
    """The first ``limit`` of these prospects (a handful) in ``prospect_order``: one sort
    in SQL of the rows read by primary key."""
    if limit <= 0 or not dm_ids:
        return []
    dm = DecisionMaker
    q = (
        select(dm)
        .where(col(dm.id).in_(list(dm_ids)))
        .order_by(*prospect_order(hook_tags).whole())
        .limit(limit)
    )
    return list(s.exec(q).all())


def _theirs(
    s: Session, *, on: date, limit: int, hook_tags: Sequence[str], recruiter: str
) -> list[DecisionMaker]:
    """``recruiter``'s own prospects and their claims for ``on``, in ``prospect_order``.

    A handful, read by index (ix_claim_recruiter_day, ix_dm_owner_status) and then put
    in order, rather than walking every prospect for the few that are theirs."""
    prospect = _callable_prospects(on=on)
    claimed = select(Claim.dm_id).where(Claim.recruiter == recruiter, Claim.claimed_on == on)
    dm = DecisionMaker
    found = {
        dm_id
        for q in (
            select(dm.id, dm.owner).where(col(dm.id).in_(claimed), *prospect),
            select(dm.id, dm.owner).where(dm.owner == recruiter, *prospect),
        )
        for dm_id, owner in s.exec(q)
        if owner in (None, recruiter) and dm_id is not None
    }
    return in_prospect_order(s, dm_ids=sorted(found), hook_tags=hook_tags, limit=limit)


def claim_new(
    s: Session, *, on: date, limit: int, hook_tags: Sequence[str] = (), recruiter: str
) -> list[DecisionMaker]:
    """``pick_new`` for a recruiter, claiming what it picks for the day (in the caller's
    write transaction): the first ``limit`` in the whole order of every prospect they may
    be given. Those are their own prospects and their claims for ``on`` (a handful, read
    by ``_theirs``) merged with the pool's first (``pick_new``, in index order); the
    pool's they are given are claimed. So a second run gives the same prospects back,
    unless a better one came since (a claim left over lapses at the end of the day).

    Two recruiters at once never get the same prospect: on SQLite the write transaction
    holds the store; on PostgreSQL the picked rows are locked (SKIP LOCKED: another
    recruiter's picks are passed over, not waited for), and a claim another transaction
    committed in between is seen by the claim's upsert, which then takes nothing, and
    the pool is read again without it.
    """
    if limit <= 0:
        return []
    mine = _theirs(s, on=on, limit=limit, hook_tags=hook_tags, recruiter=recruiter)
    held = {dm.id for dm in mine}
    lost: set[int | None] = set()  # picked, but a colleague claimed them first
    while True:
        passed = [i for i in held | lost if i is not None]
        pool = pick_new(
            s,
            on=on,
            limit=limit,
            hook_tags=hook_tags,
            recruiter=recruiter,
            filters=[col(DecisionMaker.id).not_in(passed)] if passed else [],
            lock=True,
        )
        merged = [dm.id for dm in [*mine, *pool] if dm.id is not None]
        picks = in_prospect_order(s, dm_ids=merged, hook_tags=hook_tags, limit=limit)
        wanted = [dm.id for dm in picks if dm.id not in held and dm.id is not None]
        won = claim(s, dm_ids=wanted, recruiter=recruiter, on=on)
        if len(won) == len(wanted):
            return picks
        lost.update(i for i in wanted if i not in won)
        mine += [dm for dm in pool if dm.id in won]
        held.update(won)


def claim(s: Session, *, dm_ids: Sequence[int], recruiter: str, on: date) -> set[int]:
    """Claim these DMs for ``recruiter`` on ``on``; returns the ids claimed. One upsert: a
    claim of an earlier day is replaced, one of ``on`` by someone else is left alone (its
    DM is not returned). On PostgreSQL the upsert sees claims committed since the
    statement that picked the DMs began."""
    if not dm_ids:
        return set()
    if s.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
    table = Claim.__table__  # type: ignore[attr-defined]
    stmt = insert(table).values(
        [{"dm_id": i, "recruiter": recruiter, "claimed_on": on} for i in dm_ids]
    )
    upsert = stmt.on_conflict_do_update(
        index_elements=[table.c.dm_id],
        set_={"recruiter": stmt.excluded.recruiter, "claimed_on": stmt.excluded.claimed_on},
        where=sa.or_(
            table.c.claimed_on != stmt.excluded.claimed_on,
            table.c.recruiter == stmt.excluded.recruiter,
        ),
    ).returning(table.c.dm_id)
    return {row[0] for row in s.connection().execute(upsert)}


def claimed_by(s: Session, *, dm_id: int, on: date) -> str | None:
    """Who has this DM in their plan for ``on`` (a claim of that day), if anyone."""
    q = select(Claim.recruiter).where(Claim.dm_id == dm_id, Claim.claimed_on == on)
    return s.exec(q).first()


def _due_filters(*, on: date, exclude: Sequence[int], owner: str | None = None) -> list[Any]:
    """Active and due on ``on`` (diarised for it or earlier, or past the cycle), and
    ``owner``'s if given (the (status, owner, next_call_on) index).

    Prospects whose only reason is a retry after a failed dial are the new-DM quota's
    business and are left out, as are those in ``exclude`` (today's new DMs).
    """
    dm = DecisionMaker
    filters: list[Any] = [
        dm.status == Status.ACTIVE,
        *([dm.owner == owner] if owner is not None else []),
        due_condition(on=on),
        _not_a_retry(),
    ]
    if exclude:
        filters.append(col(dm.id).not_in(exclude))
    return filters


def due(
    s: Session,
    *,
    on: date,
    exclude: Sequence[int] = (),
    limit: int | None = None,
    owner: str | None = None,
) -> list[DecisionMaker]:
    """Everyone due on ``on`` (``owner``'s only, if given), agreed callbacks and advance
    follow-ups first."""
    dm = DecisionMaker
    q = (
        select(dm)
        .where(*_due_filters(on=on, exclude=exclude, owner=owner))
        .order_by(priority_expr(), col(dm.next_call_on), col(dm.id))
    )
    if limit is not None:
        q = q.limit(limit)
    return list(s.exec(q).all())


def count_due(
    s: Session, *, on: date, exclude: Sequence[int] = (), owner: str | None = None
) -> int:
    q = (
        select(func.count())
        .select_from(DecisionMaker)
        .where(*_due_filters(on=on, exclude=exclude, owner=owner))
    )
    return int(s.exec(q).one())


def count_dms(s: Session) -> int:
    return int(s.exec(select(func.count()).select_from(DecisionMaker)).one())


# --- the sweep ------------------------------------------------------------------------


class OutOfCycle(NamedTuple):
    """A contact the sweep places: who they are, and what the wording of their call needs."""

    id: int
    name: str
    company: str | None
    title: str | None
    phone: str | None
    email: str | None
    last_conversation_on: date
    attempts_in_row: int
    needs_number: bool


def _owned_by(owner: str | None) -> list[Any]:
    """``owner``'s DMs only, if given (an equality the owner indexes can seek)."""
    return [] if owner is None else [col(DecisionMaker.owner) == owner]


def out_of_cycle(
    s: Session, *, on: date, until: date, cycle_days: int, owner: str | None = None
) -> list[OutOfCycle]:
    """Active DMs in the contact base last spoken to ``cycle_days`` or more before ``on``
    and not already diarised within [on, until): the longest overdue first (``owner``'s
    only, if given).

    One range of the (status, last_conversation_on) index, in its order; only the columns
    the sweep shows are read, as plain rows (a month's sweep can place tens of thousands).
    """
    dm = DecisionMaker
    q = (
        sa.select(*(col(getattr(dm, name)) for name in OutOfCycle._fields))
        .where(
            col(dm.status) == Status.ACTIVE,
            col(dm.conversation_count) > 0,
            col(dm.last_conversation_on) <= on - timedelta(days=cycle_days),
            sa.or_(
                col(dm.next_call_on).is_(None),
                col(dm.next_call_on) < on,
                col(dm.next_call_on) >= until,
            ),
            *_owned_by(owner),
        )
        .order_by(col(dm.last_conversation_on), col(dm.id))
    )
    return [OutOfCycle._make(row) for row in s.connection().execute(q)]


def diary_load(
    s: Session, *, start: date, until: date, cycle_days: int, owner: str | None = None
) -> dict[date, int]:
    """Calls to contacts already diarised per day in [start, until) (``owner``'s only, if
    given: the (status, owner, next_call_on) index).

    Calls overdue from before ``start`` count on ``start`` (they are due that day), except
    those the sweep itself re-places (contacts out of cycle). Prospects are left out: they
    are the new-DM quota's business, not the diary's.
    """
    dm = DecisionMaker
    day = sa.case((col(dm.next_call_on) < start, start), else_=col(dm.next_call_on))
    q = (
        select(day, func.count())
        .where(
            dm.status == Status.ACTIVE,
            col(dm.conversation_count) > 0,
            col(dm.next_call_on) < until,
            sa.not_(
                sa.and_(
                    col(dm.next_call_on) < start,
                    col(dm.last_conversation_on) <= start - timedelta(days=cycle_days),
                )
            ),
            *_owned_by(owner),
        )
        .group_by(day)
    )
    return {d: int(n) for d, n in s.exec(q) if d is not None}


# The (DM, day) pairs of a bulk diarise: a temporary table, private to the connection and
# created and dropped inside the caller's transaction (a rollback takes it away too).
_PLACEMENT = sa.Table(
    "callplan_placement",
    sa.MetaData(),
    sa.Column("dm_id", sa.Integer, primary_key=True),
    sa.Column("day", sa.Date, nullable=False),
    prefixes=["TEMPORARY"],
)


def diarise(
    s: Session,
    *,
    placements: Sequence[tuple[int, date]],
    reason: str,
    keep_reason: bool = False,
) -> None:
    """Set many DMs' next call at once, with ``reason``; with ``keep_reason``, each keeps
    its own and ``reason`` goes only to those that had none (a cycle catch-up diarised
    for the first time).

    Set-based: the pairs go into a temporary table in one bulk insert, then one UPDATE
    sets every DM in it, by primary key. A DM placed twice gets its last day.
    """
    if not placements:
        return
    latest = dict(placements)
    conn = s.connection()
    _PLACEMENT.create(conn)
    conn.execute(sa.insert(_PLACEMENT), [{"dm_id": i, "day": d} for i, d in latest.items()])
    table = DecisionMaker.__table__  # type: ignore[attr-defined]
    due_reason = func.coalesce(table.c.due_reason, reason) if keep_reason else reason
    day = sa.select(_PLACEMENT.c.day).where(_PLACEMENT.c.dm_id == table.c.id).scalar_subquery()
    # 'id IN (...)' drives the update from the placements, a primary-key seek each; an
    # UPDATE ... FROM join may instead scan every DM (SQLite has no statistics of the
    # temporary table to order the join by).
    conn.execute(
        sa.update(table)
        .where(table.c.id.in_(sa.select(_PLACEMENT.c.dm_id)))
        .values(next_call_on=day, due_reason=due_reason)
    )
    _PLACEMENT.drop(conn)


def count_unowned_contacts(s: Session) -> int:
    """Active DMs spoken to who have no owner (from an old import or a hand-over): no
    recruiter's plan or sweep places them (the ix_dm_owner_status index)."""
    dm = DecisionMaker
    q = (
        select(func.count())
        .select_from(dm)
        .where(
            col(dm.owner).is_(None),
            dm.status == Status.ACTIVE,
            col(dm.conversation_count) > 0,
        )
    )
    return int(s.exec(q).one())


def advances_to_review(
    s: Session, *, until: date, limit: int = 50, owner: str | None = None
) -> list[DecisionMaker]:
    """Active DMs whose last conversation was an advance and who aren't due before
    ``until`` (``owner``'s only, if given)."""
    dm = DecisionMaker
    q = (
        select(dm)
        .where(
            dm.status == Status.ACTIVE,
            col(dm.last_outcome).in_(types_of(Kind.ADVANCE)),
            col(dm.next_call_on) >= until,
            *_owned_by(owner),
        )
        .order_by(col(dm.next_call_on), col(dm.id))
        .limit(limit)
    )
    return list(s.exec(q).all())


def hook_matches_to_review(
    s: Session,
    *,
    until: date,
    hook_tags: Sequence[str],
    exclude: Sequence[int] = (),
    limit: int = 50,
    owner: str | None = None,
) -> list[DecisionMaker]:
    """Contacts not due before ``until`` whose tags match an open hook: worth calling
    sooner (``owner``'s only, if given)."""
    if not hook_tags:
        return []
    dm = DecisionMaker
    q = select(dm).where(
        dm.status == Status.ACTIVE,
        col(dm.conversation_count) > 0,
        col(dm.next_call_on) >= until,
        _tagged_any(hook_tags),
        *_owned_by(owner),
    )
    if exclude:
        q = q.where(col(dm.id).not_in(exclude))
    return list(s.exec(q.order_by(col(dm.next_call_on), col(dm.id)).limit(limit)).all())


# --- hooks: jobs and candidates -------------------------------------------------------


def add_job(
    s: Session, *, title: str, company: str | None, fee: str | None, tags: Sequence[str]
) -> Job:
    job = Job(title=title, company=company, fee=fee, tags=",".join(normalise_tags(tags)))
    s.add(job)
    s.flush()
    return job


def add_candidate(
    s: Session, *, name: str, headline: str | None, tags: Sequence[str], available_on: date | None
) -> Candidate:
    candidate = Candidate(
        name=name, headline=headline, available_on=available_on, tags=",".join(normalise_tags(tags))
    )
    s.add(candidate)
    s.flush()
    return candidate


def get_job(s: Session, *, job_id: int) -> Job:
    job = s.get(Job, job_id) if job_id in ID_RANGE else None
    if job is None:
        raise HookNotFound(f"No job has id {job_id}. See 'callplan job list'.")
    return job


def get_candidate(s: Session, *, candidate_id: int) -> Candidate:
    candidate = s.get(Candidate, candidate_id) if candidate_id in ID_RANGE else None
    if candidate is None:
        raise HookNotFound(f"No candidate has id {candidate_id}. See 'callplan candidate list'.")
    return candidate


def close_hook(s: Session, *, kind: str, hook_id: int, on: date) -> Any:
    """Close a job (filled or lost) or mark a candidate placed: no longer offered as a hook."""
    hook: Job | Candidate = (
        get_job(s, job_id=hook_id) if kind == JOB else get_candidate(s, candidate_id=hook_id)
    )
    if hook.status == HookStatus.CLOSED:
        word = "closed" if kind == JOB else "placed"
        raise UsageError(f"{kind}:{hook_id} is already {word}.")
    hook.status, hook.closed_on = HookStatus.CLOSED, on
    s.add(hook)
    return hook


def list_jobs(s: Session, *, everything: bool = False) -> list[Job]:
    q = select(Job)
    if not everything:
        q = q.where(Job.status == HookStatus.OPEN)
    return list(s.exec(q.order_by(col(Job.id).desc())).all())


def list_candidates(s: Session, *, everything: bool = False) -> list[Candidate]:
    q = select(Candidate)
    if not everything:
        q = q.where(Candidate.status == HookStatus.OPEN)
    return list(s.exec(q.order_by(col(Candidate.id).desc())).all())


def _tags(text: str) -> tuple[str, ...]:
    return tuple(t for t in text.split(",") if t)


def open_hooks(s: Session) -> list[Hook]:
    """Every open job and candidate, as hooks to match against DMs."""
    jobs = [
        Hook(JOB, j.id, j.title, j.company, _tags(j.tags), company=j.company)
        for j in list_jobs(s)
        if j.id is not None
    ]
    candidates = [
        Hook(CANDIDATE, c.id, c.name, c.headline, _tags(c.tags))
        for c in list_candidates(s)
        if c.id is not None
    ]
    return jobs + candidates


def hook_tags(hooks: Iterable[Hook]) -> list[str]:
    return sorted({t for h in hooks for t in h.tags})


def presented_candidates(s: Session, *, dm_ids: Sequence[int]) -> dict[int, set[int]]:
    """Candidates already used as a hook on a call with each of these DMs."""
    shown: dict[int, set[int]] = {i: set() for i in dm_ids}
    if dm_ids:
        q = (
            select(Call.dm_id, CallHook.candidate_id)
            .join(Call, col(Call.id) == col(CallHook.call_id))
            .where(
                col(Call.dm_id).in_(dm_ids),
                Call.kind != Kind.NO_CONNECT.value,
                col(CallHook.candidate_id).is_not(None),
            )
        )
        for dm_id, candidate_id in s.exec(q):
            if candidate_id is not None:
                shown[dm_id].add(candidate_id)
    return shown


def add_call_hooks(s: Session, *, call_id: int, hooks: Sequence[tuple[str, int]]) -> None:
    for kind, hook_id in hooks:
        if kind == JOB:
            get_job(s, job_id=hook_id)
            s.add(CallHook(call_id=call_id, job_id=hook_id))
        else:
            get_candidate(s, candidate_id=hook_id)
            s.add(CallHook(call_id=call_id, candidate_id=hook_id))
    s.flush()


def hooks_used(s: Session, *, call_ids: Sequence[int]) -> dict[int, list[str]]:
    """The hooks recorded on each call, as 'job:3' / 'candidate:5'."""
    used: dict[int, list[str]] = {i: [] for i in call_ids}
    if call_ids:
        q = select(CallHook).where(col(CallHook.call_id).in_(call_ids)).order_by(col(CallHook.id))
        for h in s.exec(q):
            ref = f"job:{h.job_id}" if h.job_id else f"candidate:{h.candidate_id}"
            used[h.call_id].append(ref)
    return used


def referred_by(s: Session, *, dm_id: int) -> list[DecisionMaker]:
    """The DMs this one referred, oldest first."""
    q = (
        select(DecisionMaker)
        .where(DecisionMaker.referred_by_id == dm_id)
        .order_by(col(DecisionMaker.id))
    )
    return list(s.exec(q).all())


# --- the forecast ---------------------------------------------------------------------


def _in_diary() -> list[Any]:
    """Active with a next call, not a prospect's retry (the quota's business): the calls
    today's plan lists when their day comes."""
    dm = DecisionMaker
    return [
        dm.status == Status.ACTIVE,
        col(dm.next_call_on).is_not(None),
        _not_a_retry(),
    ]


def diary_by_day(
    s: Session, *, today: date, until: date, owner: str | None = None
) -> list[tuple[date, str | None, int]]:
    """Next calls before ``until`` counted per (day, reason); late ones count as today's
    (``owner``'s only, if given)."""
    dm = DecisionMaker
    day = sa.case((col(dm.next_call_on) < today, today), else_=col(dm.next_call_on))
    q = (
        select(day, col(dm.due_reason), func.count())
        .where(*_in_diary(), col(dm.next_call_on) < until, *_owned_by(owner))
        .group_by(day, col(dm.due_reason))
    )
    return [(d, r, int(n)) for d, r, n in s.exec(q) if d is not None]


def undiarised_by_last(
    s: Session, *, today: date, until: date, cycle_days: int, owner: str | None = None
) -> dict[date, int]:
    """Contacts (spoken to at least once) with no next call, counted by their last
    conversation; those whose cycle ran out before today count under today - cycle
    (``owner``'s only, if given).

    Fetched up to a fortnight past ``until``: the last working day of a cycle that ends
    just after the window can fall inside it (a weekend, Christmas)."""
    dm = DecisionMaker
    floor = today - timedelta(days=cycle_days)
    last = sa.case(
        (col(dm.last_conversation_on) < floor, floor), else_=col(dm.last_conversation_on)
    )
    q = (
        select(last, func.count())
        .where(
            dm.status == Status.ACTIVE,
            col(dm.last_conversation_on) < until - timedelta(days=cycle_days - 14),
            col(dm.conversation_count) > 0,
            col(dm.next_call_on).is_(None),
            *_owned_by(owner),
        )
        .group_by(last)
    )
    return {d: int(n) for d, n in s.exec(q) if d is not None}


def flexible_calls(
    s: Session,
    *,
    reasons: Sequence[str],
    next_on: Sequence[date],
    next_before: date | None,
    last_on: Sequence[date],
    last_before: date | None,
    owner: str | None = None,
) -> list[tuple[int, date | None, date]]:
    """(id, next call, last conversation) of the contacts whose call may move: diarised
    for a flexible reason on one of ``next_on`` (or before ``next_before``), or with
    nothing diarised and last spoken to on one of ``last_on`` (or before ``last_before``);
    ``owner``'s only, if given."""
    dm = DecisionMaker
    diarised: list[Any] = [col(dm.next_call_on).in_(list(next_on))]
    if next_before is not None:
        diarised.append(col(dm.next_call_on) < next_before)
    undiarised: list[Any] = [col(dm.last_conversation_on).in_(list(last_on))]
    if last_before is not None:
        undiarised.append(col(dm.last_conversation_on) < last_before)
    q = (
        select(col(dm.id), col(dm.next_call_on), col(dm.last_conversation_on))
        .where(
            dm.status == Status.ACTIVE,
            col(dm.conversation_count) > 0,
            col(dm.last_conversation_on).is_not(None),
            sa.or_(
                sa.and_(col(dm.due_reason).in_(list(reasons)), sa.or_(*diarised)),
                sa.and_(col(dm.next_call_on).is_(None), sa.or_(*undiarised)),
            ),
            *_owned_by(owner),
        )
        .order_by(col(dm.id))
    )
    return [(i, n, last) for i, n, last in s.exec(q) if i is not None and last is not None]
