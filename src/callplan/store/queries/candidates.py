"""Candidates as people you call (core.delivery): finding them by what was typed, their
calls, their submissions and the calls those plan, and their diary."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from callplan.core import delivery
from callplan.store.models import Candidate, CandidateCall, DeliveryCall, Job, Submission
from callplan.store.queries.common import untyped_select

MAX_SHOWN = 20

# How well a name matched what was typed, best first (as queries.dms.matching ranks DMs).
EXACT, PREFIX, PART = 0, 1, 2


def matching(s: Session, *, text: str) -> tuple[int, list[Candidate]]:
    """The candidates whose name is ``text`` (any case), else starts with it (two
    letters or more), else holds it (three or more), with how well they matched; the
    first of those that finds anyone. ``(PART + 1, [])`` when none does."""
    key = " ".join(text.split()).lower()
    if not key:
        return PART + 1, []
    like = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    lower = sa.func.lower(col(Candidate.name))
    tries: list[tuple[int, Any]] = [(EXACT, lower == key)]
    if len(key) >= 2:
        tries.append((PREFIX, lower.like(f"{like}%", escape="\\")))
    if len(key) >= 3:
        tries.append((PART, lower.like(f"%{like}%", escape="\\")))
    for rank, condition in tries:
        q = select(Candidate).where(condition).order_by(col(Candidate.id))
        found = list(s.exec(q.limit(MAX_SHOWN + 1)).all())
        if found:
            return rank, found
    return PART + 1, []


def record_call(
    s: Session,
    *,
    candidate: Candidate,
    outcome: delivery.CandidateOutcome,
    called_on: date,
    summary: str | None,
    job_id: int | None,
    next_call_on: date | None,
    recruiter: str | None,
) -> CandidateCall:
    assert candidate.id is not None
    call = CandidateCall(
        candidate_id=candidate.id,
        called_on=called_on,
        kind=outcome.kind.value,
        outcome=outcome.type,
        summary=summary,
        job_id=job_id,
        next_call_on=next_call_on,
        recruiter=recruiter,
    )
    s.add(call)
    s.flush()
    return call


def calls_of(s: Session, *, candidate_id: int) -> list[CandidateCall]:
    """A candidate's calls in the order made: by day, then in the order logged."""
    q = (
        select(CandidateCall)
        .where(CandidateCall.candidate_id == candidate_id)
        .order_by(col(CandidateCall.called_on), col(CandidateCall.logged_at), col(CandidateCall.id))
    )
    return list(s.exec(q).all())


def set_diary(candidate: Candidate, calls: Sequence[CandidateCall], *, latest: bool) -> None:
    """The candidate's diary from their calls (core.delivery.candidate_diary): the last
    conversation and the count always; the next call and its reason only when the
    latest call changed (``latest``), so a date moved by hand since stays."""
    diary = delivery.candidate_diary(
        [delivery.Talked(c.called_on, c.outcome, c.next_call_on) for c in calls]
    )
    candidate.last_conversation_on = diary.last_conversation_on
    candidate.conversation_count = diary.conversation_count
    if latest:
        candidate.next_call_on, candidate.due_reason = diary.next_call_on, diary.due_reason
        candidate.next_call_at = None


def last_logged(s: Session, *, recruiter: str | None) -> CandidateCall | None:
    """The last call to a candidate ``recruiter`` logged (for `undo`)."""
    q = select(CandidateCall).order_by(
        col(CandidateCall.logged_at).desc(), col(CandidateCall.id).desc()
    )
    if recruiter is not None:
        q = q.where(CandidateCall.recruiter == recruiter)
    return s.exec(q.limit(1)).first()


def job_titles(s: Session, *, job_ids: Sequence[int]) -> dict[int, str]:
    """The titles of these jobs, by id."""
    if not job_ids:
        return {}
    q = select(Job.id, Job.title).where(col(Job.id).in_(sorted(set(job_ids))))
    return {job_id: title for job_id, title in s.exec(q).all() if job_id is not None}


def submissions_of(s: Session, *, candidate_id: int) -> list[tuple[Submission, Job]]:
    """A candidate's submissions with their jobs, the latest moved first."""
    q = (
        untyped_select(Submission, Job)
        .join(Job, col(Job.id) == col(Submission.job_id))
        .where(col(Submission.candidate_id) == candidate_id)
        .order_by(col(Submission.stage_on).desc(), col(Submission.id).desc())
    )
    return [(sub, job) for sub, job in s.exec(q).all()]


def open_calls_of(s: Session, *, candidate_id: int) -> list[tuple[DeliveryCall, Job]]:
    """The planned calls still open on a candidate's submissions (to them or to the
    client), soonest first."""
    q = (
        untyped_select(DeliveryCall, Job)
        .join(Submission, col(Submission.id) == col(DeliveryCall.submission_id))
        .join(Job, col(Job.id) == col(Submission.job_id))
        .where(col(Submission.candidate_id) == candidate_id, col(DeliveryCall.closed_on).is_(None))
        .order_by(col(DeliveryCall.due_on), col(DeliveryCall.due_at), col(DeliveryCall.id))
    )
    return [(call, job) for call, job in s.exec(q).all()]
