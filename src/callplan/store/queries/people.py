"""A person's records beyond their own row, for a subject access request (services.people):
the jobs a DM gave and the candidates linked to them; the calls a candidate's
submissions planned, and the calls to DMs they were put to as a hook (their own calls and
submissions: queries.candidates)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from callplan.store.models import (
    Call,
    CallHook,
    Candidate,
    DecisionMaker,
    DeliveryCall,
    Job,
    Submission,
)
from callplan.store.queries.common import untyped_select


def jobs_given(s: Session, *, dm_id: int) -> list[Job]:
    """The jobs this DM gave (their client), oldest first."""
    q = select(Job).where(Job.client_dm_id == dm_id).order_by(col(Job.id))
    return list(s.exec(q).all())


def candidates_linked(s: Session, *, column: str, dm_id: int) -> list[Candidate]:
    """The candidates whose ``column`` (referred_by_dm_id, prospect_dm_id) is this DM."""
    q = select(Candidate).where(col(getattr(Candidate, column)) == dm_id)
    return list(s.exec(q.order_by(col(Candidate.id))).all())


def planned_calls_of(s: Session, *, candidate_id: int) -> dict[int, list[DeliveryCall]]:
    """Every call the stages of a candidate's submissions planned (open or closed), by
    submission."""
    q = (
        select(DeliveryCall)
        .join(Submission, col(Submission.id) == col(DeliveryCall.submission_id))
        .where(col(Submission.candidate_id) == candidate_id)
        .order_by(col(DeliveryCall.id))
    )
    found: dict[int, list[DeliveryCall]] = {}
    for call in s.exec(q):
        found.setdefault(call.submission_id, []).append(call)
    return found


def marketed_on(s: Session, *, candidate_id: int) -> list[tuple[int, date, str | None]]:
    """The calls to DMs a candidate was put to as a hook: (call id, day, the DM's
    company). The DM's name is left out: someone else's personal data."""
    q = (
        untyped_select(Call.id, Call.called_on, DecisionMaker.company)
        .join(CallHook, col(CallHook.call_id) == col(Call.id))
        .join(DecisionMaker, col(DecisionMaker.id) == col(Call.dm_id))
        .where(col(CallHook.candidate_id) == candidate_id)
        .order_by(col(Call.called_on), col(Call.id))
    )
    return [(int(i), on, company) for i, on, company in s.exec(q).all()]
