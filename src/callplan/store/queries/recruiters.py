"""Recruiters: who they are, what they own, handing DMs over."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from callplan.core import delivery
from callplan.core.names import name_key
from callplan.errors import RecruiterNotFound, UsageError
from callplan.store.models import (
    Call,
    CallBefore,
    Candidate,
    Claim,
    DayGoal,
    DecisionMaker,
    DeliveryCall,
    Note,
    Recruiter,
    Submission,
    SweepRun,
)

# --- recruiters -----------------------------------------------------------------------


def recruiter(s: Session, *, name: str, register: bool = False) -> str:
    """The recruiter ``name`` stands for, as the store spells it ('zoe' -> 'Zoë'): one
    primary-key lookup. Someone new is added with ``register`` (in a write session), and
    otherwise comes back as typed. On a team store (its recruiters have login roles)
    nobody is added on the fly: a name not there is a typo, or someone `team add` adds."""
    key = name_key(name)
    known = s.get(Recruiter, key)
    if known is not None:
        return known.name
    if register:
        if s.exec(select(Recruiter.key).where(col(Recruiter.role).is_not(None))).first():
            raise RecruiterNotFound(
                f"Nobody called {name!r} works this team store: a recruiter joins it with "
                "callplan team add (docs/team.md)."
            )
        s.add(Recruiter(key=key, name=name))
        s.flush()
    return name


def known_recruiter(s: Session, *, name: str) -> str | None:
    """The recruiter ``name`` stands for, or None if nobody of that name works the store."""
    known = s.get(Recruiter, name_key(name))
    return known.name if known is not None else None


def recruiters(s: Session) -> list[str]:
    """Everyone the store knows as a recruiter, by name: whoever ran a command that
    registers them, worked or not."""
    return list(s.exec(select(Recruiter.name).order_by(col(Recruiter.key))).all())


def working(s: Session) -> list[str]:
    """The recruiters who have worked the store, by name: who owns a DM, held a
    conversation or wrote a note. A name registered by a plan alone (the login name,
    say, before the user setting named the recruiter) is not one of them; nor is one
    whose every call was a dial that didn't connect (finding those would read every
    call: no index holds attempts by recruiter)."""
    name = col(Recruiter.name)
    worked = sa.or_(
        # Indexed: ix_dm_owner_status, then ix_call_recruiter_conversations (partial).
        sa.select(col(DecisionMaker.id)).where(col(DecisionMaker.owner) == name).exists(),
        sa.select(col(Call.id))
        .where(col(Call.recruiter) == name, col(Call.conversation_number).is_not(None))
        .exists(),
        sa.select(col(Note.id)).where(col(Note.recruiter) == name).exists(),
    )
    return list(s.exec(select(Recruiter.name).where(worked).order_by(col(Recruiter.key))).all())


@dataclass(frozen=True)
class Renamed:
    """A recruiter's new name, and how much of the store now carries it."""

    old: str
    new: str
    calls: int
    dms: int
    notes: int


def rename(s: Session, *, old: str, new: str) -> Renamed:
    """Give the recruiter ``old`` the name ``new`` everywhere the store names them: the
    recruiter, their calls, notes, DMs, today's claims, the owners calls found (what
    `undo` puts back) their sweeps and goals, in the caller's transaction.
    A name another recruiter has is refused, before anything is written."""
    known = s.get(Recruiter, name_key(old))
    if known is None:
        raise RecruiterNotFound(f"Nobody called {old!r} works this store: nobody renamed.")
    taken = s.get(Recruiter, name_key(new))
    if taken is not None and taken.key != known.key:
        raise UsageError(
            f"{taken.name} already works this store: {known.name} can't take that name. "
            "Nothing was changed."
        )
    was = known.name
    conn = s.connection()
    named: list[tuple[sa.Table, str]] = [
        (Call.__table__, "recruiter"),  # type: ignore[attr-defined]
        (DecisionMaker.__table__, "owner"),  # type: ignore[attr-defined]
        (Note.__table__, "recruiter"),  # type: ignore[attr-defined]
        (Claim.__table__, "recruiter"),  # type: ignore[attr-defined]
        (CallBefore.__table__, "owner"),  # type: ignore[attr-defined]
        (SweepRun.__table__, "recruiter"),  # type: ignore[attr-defined]
        (DayGoal.__table__, "recruiter"),  # type: ignore[attr-defined]
    ]
    counts: dict[str, int] = {}
    for table, column in named:
        update = sa.update(table).where(table.c[column] == was).values({column: new})
        counts[table.name] = int(conn.execute(update).rowcount or 0)
    recruiter = Recruiter.__table__  # type: ignore[attr-defined]
    conn.execute(
        sa.update(recruiter).where(recruiter.c.key == known.key).values(key=name_key(new), name=new)
    )
    s.expire_all()
    return Renamed(was, new, counts["call"], counts["decision_maker"], counts["note"])


def count_owned(s: Session, *, owner: str) -> int:
    """The DMs ``owner`` owns, whatever their status (the ix_dm_owner_status index)."""
    q = select(func.count()).select_from(DecisionMaker).where(DecisionMaker.owner == owner)
    return int(s.exec(q).one())


def desk_of(s: Session, *, owner: str) -> tuple[int, int]:
    """The candidates ``owner`` looks after, and their submissions still in play: still
    moving, or with a call still planned (see ``hand_over_desk``)."""
    candidates = select(func.count()).select_from(Candidate).where(Candidate.owner == owner)
    subs = select(func.count()).select_from(Submission).where(_in_play(owner))
    return int(s.exec(candidates).one()), int(s.exec(subs).one())


def _in_play(owner: str) -> Any:
    planned = select(DeliveryCall.submission_id).where(col(DeliveryCall.closed_on).is_(None))
    return sa.and_(
        col(Submission.recruiter) == owner,
        sa.or_(col(Submission.stage).in_(delivery.LIVE), col(Submission.id).in_(planned)),
    )


def hand_over_desk(s: Session, *, from_: str, to: str) -> tuple[int, int]:
    """Someone leaves: the candidates they look after, and their submissions still in
    play (the feedback chases and check-ins are planned for a submission's recruiter),
    go to ``to``; a submission that ended keeps its recruiter, for the record. Returns
    how many of each."""
    conn = s.connection()
    candidates = conn.execute(
        sa.update(Candidate.__table__)  # type: ignore[attr-defined]
        .where(Candidate.__table__.c.owner == from_)  # type: ignore[attr-defined]
        .values(owner=to)
    ).rowcount
    subs = conn.execute(
        sa.update(Submission.__table__).where(_in_play(from_)).values(recruiter=to)  # type: ignore[attr-defined]
    ).rowcount
    return int(candidates or 0), int(subs or 0)


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
