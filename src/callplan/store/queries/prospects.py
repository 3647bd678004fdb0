"""Prospects: the one prospect order, picking and claiming today's new DMs."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import date
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from callplan.core.kinds import Status
from callplan.core.outcomes import Kind, types_of
from callplan.store.models import (
    Claim,
    DecisionMaker,
    DMTag,
)


def tagged_any(tags: Sequence[str]) -> sa.ColumnElement[bool]:
    """The DM has one of these tags (an indexed EXISTS on dm_tag); ``tags`` not empty."""
    return sa.exists().where(
        col(DMTag.dm_id) == col(DecisionMaker.id), col(DMTag.tag).in_(list(tags))
    )


def has_a_number() -> sa.ColumnElement[bool]:
    """The DM has a number to ring: a phone, and the last dial didn't find it wrong."""
    dm = DecisionMaker
    return sa.and_(col(dm.phone).is_not(None), col(dm.phone) != "", sa.not_(col(dm.needs_number)))


def needs_a_number() -> sa.ColumnElement[bool]:
    """Not ``has_a_number``: no phone, or only one a dial found wrong. Written out rather
    than NOT(has_a_number()), which is NULL, not true, for a NULL phone."""
    dm = DecisionMaker
    return sa.or_(col(dm.phone).is_(None), col(dm.phone) == "", col(dm.needs_number))


def _callable_prospects(*, on: date) -> list[Any]:
    """Prospects who may be called on ``on``: active, never spoken to, not diarised for
    a later day, and with a number to ring (a prospect without one can't take a new-DM
    slot: see ``count_needing_a_number``)."""
    dm = DecisionMaker
    return [
        dm.status == Status.ACTIVE,
        dm.conversation_count == 0,
        sa.or_(col(dm.next_call_on).is_(None), col(dm.next_call_on) <= on),
        has_a_number(),
    ]


def count_needing_a_number(s: Session, *, recruiter: str | None = None) -> int:
    """Active prospects with no number to ring (none, or only one a dial found wrong),
    whenever they are diarised: the new-DM slots pass them over until they have one.
    For a ``recruiter``: their own and the unowned pool's. One range of the prospect
    index (status, conversation_count)."""
    dm = DecisionMaker
    q = (
        select(func.count())
        .select_from(dm)
        .where(dm.status == Status.ACTIVE, dm.conversation_count == 0, needs_a_number())
    )
    if recruiter is not None:
        q = q.where(func.coalesce(col(dm.owner), recruiter) == recruiter)
    return int(s.exec(q).one())


def claimed_by_another(*, on: date, recruiter: str) -> sa.ColumnElement[bool]:
    """The DM is in another recruiter's plan for ``on`` (a claim of that day)."""
    return sa.exists().where(
        col(Claim.dm_id) == col(DecisionMaker.id),
        col(Claim.claimed_on) == on,
        col(Claim.recruiter) != recruiter,
    )


def a_retry() -> sa.ColumnElement[bool]:
    """A prospect's retry after a failed dial (never spoken to; diarised by a dial that
    didn't connect): the new-DM quota's business first."""
    dm = DecisionMaker
    return sa.and_(
        col(dm.conversation_count) == 0, col(dm.due_reason).in_(types_of(Kind.NO_CONNECT))
    )


def not_a_retry() -> sa.ColumnElement[bool]:
    """Not ``a_retry``. Written out rather than NOT(a_retry()): with a NULL reason that
    would be NULL, not true, and leave the DM out of both of today's lists."""
    dm = DecisionMaker
    return sa.or_(
        col(dm.conversation_count) != 0,
        col(dm.due_reason).is_(None),
        col(dm.due_reason).not_in(types_of(Kind.NO_CONNECT)),
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
            *([tagged_any(hook_tags)] if hook_tags else []),
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
        prospect.append(sa.not_(claimed_by_another(on=on, recruiter=recruiter)))
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
    # The dialects' own INSERT (for ON CONFLICT) is loaded here, not at import: the
    # PostgreSQL dialect alone adds about 30 ms to every command.
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
