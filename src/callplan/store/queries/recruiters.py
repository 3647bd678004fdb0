"""Recruiters: who they are, what they own, handing DMs over."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from callplan.core.names import name_key
from callplan.store.models import (
    Claim,
    DecisionMaker,
    Recruiter,
)

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
