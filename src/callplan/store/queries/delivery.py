"""Delivery (core.delivery): submissions of candidates to jobs, and the calls their
stages plan, kept in step with the calls made to each party."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, col, select

from callplan.core import delivery
from callplan.core.config import Settings
from callplan.core.outcomes import Kind
from callplan.core.workdays import WorkCalendar
from callplan.store.models import Call, CandidateCall, DeliveryCall, Job, Submission
from callplan.store.queries.common import in_chunks
from callplan.store.queries.loops import day_of


def submissions_for(
    s: Session, *, client_dm_ids: Sequence[int] = (), candidate_ids: Sequence[int] = ()
) -> list[int]:
    """The submissions whose planned calls a call with these clients (the DMs who gave
    the jobs) or these candidates touches."""
    found: set[int] = set()
    for chunk in in_chunks(sorted(set(client_dm_ids))):
        q = select(Submission.id).join(Job, col(Job.id) == col(Submission.job_id))
        found.update(s.exec(q.where(col(Job.client_dm_id).in_(chunk))).all())  # type: ignore[arg-type]
    for chunk in in_chunks(sorted(set(candidate_ids))):
        q = select(Submission.id).where(col(Submission.candidate_id).in_(chunk))
        found.update(s.exec(q).all())  # type: ignore[arg-type]
    return sorted(i for i in found if i is not None)


def _conversation_days(
    s: Session, *, dm_ids: Sequence[int], candidate_ids: Sequence[int]
) -> tuple[dict[int, list[date]], dict[int, list[date]]]:
    """The days of the conversations with each DM and each candidate."""
    by_dm: dict[int, list[date]] = {i: [] for i in dm_ids}
    by_candidate: dict[int, list[date]] = {i: [] for i in candidate_ids}
    for chunk in in_chunks(sorted(set(dm_ids))):
        call = Call.__table__  # type: ignore[attr-defined]
        q = sa.select(call.c.dm_id, call.c.called_on).where(
            call.c.dm_id.in_(chunk), call.c.conversation_number.is_not(None)
        )
        for dm_id, called_on in s.connection().execute(q):
            by_dm[dm_id].append(day_of(called_on))
    for chunk in in_chunks(sorted(set(candidate_ids))):
        talk = CandidateCall.__table__  # type: ignore[attr-defined]
        q = sa.select(talk.c.candidate_id, talk.c.called_on).where(
            talk.c.candidate_id.in_(chunk), talk.c.kind != Kind.NO_CONNECT.value
        )
        for candidate_id, called_on in s.connection().execute(q):
            by_candidate[candidate_id].append(day_of(called_on))
    return by_dm, by_candidate


def rederive(
    s: Session, *, submission_ids: Sequence[int], settings: Settings, calendar: WorkCalendar
) -> None:
    """Bring the planned calls of these submissions that no stage closed into step with
    the conversations with their party (core.delivery.progress): when each is due, its
    chases, the conversation that made it. In the caller's transaction; run after every
    change to a client's or a candidate's calls, so taking a call back takes back what
    it did."""
    s.flush()
    for chunk in in_chunks(sorted(set(submission_ids))):
        q = (
            select(DeliveryCall, Submission, Job.client_dm_id)
            .join(Submission, col(Submission.id) == col(DeliveryCall.submission_id))
            .join(Job, col(Job.id) == col(Submission.job_id))
            .where(
                col(DeliveryCall.submission_id).in_(chunk),
                sa.or_(
                    col(DeliveryCall.closed_by).is_(None),
                    col(DeliveryCall.closed_by) == delivery.CALL,
                ),
            )
        )
        rows = list(s.exec(q).all())
        dm_ids = [dm for _, _, dm in rows if dm is not None]
        candidate_ids = [sub.candidate_id for _, sub, _ in rows]
        by_dm, by_candidate = _conversation_days(s, dm_ids=dm_ids, candidate_ids=candidate_ids)
        for planned, sub, client in rows:
            if planned.party == delivery.CLIENT:
                days = by_dm.get(client, []) if client is not None else []
            else:
                days = by_candidate.get(sub.candidate_id, [])
            found = delivery.progress(
                planned.party,
                planned.purpose,
                planned_on=planned.planned_on,
                stage_on=sub.stage_on,
                conversations=days,
                settings=settings,
                calendar=calendar,
            )
            planned.due_on, planned.chases = found.due_on, found.chases
            planned.closed_on = found.done_on
            planned.closed_by = delivery.CALL if found.done_on else None
            s.add(planned)
    s.flush()


def submission_of(s: Session, *, candidate_id: int, job_id: int) -> Submission | None:
    q = select(Submission).where(
        Submission.candidate_id == candidate_id, Submission.job_id == job_id
    )
    return s.exec(q).first()


def close_open_calls(s: Session, *, submission_id: int, on: date) -> int:
    """Close the planned calls of a submission still open (its stage moved on ``on``)."""
    q = select(DeliveryCall).where(
        DeliveryCall.submission_id == submission_id, col(DeliveryCall.closed_on).is_(None)
    )
    found = list(s.exec(q).all())
    for row in found:
        row.closed_on, row.closed_by = on, delivery.STAGE
        s.add(row)
    return len(found)


def stages_of(s: Session, *, candidate_id: int) -> list[str]:
    """The stage of each of a candidate's submissions."""
    q = select(Submission.stage).where(Submission.candidate_id == candidate_id)
    return list(s.exec(q).all())
