"""Delivery (core.delivery): submissions of candidates to jobs, and the calls their
stages plan, kept in step with the calls made to each party."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from callplan.core import delivery
from callplan.core.config import Settings
from callplan.core.outcomes import Kind
from callplan.core.workdays import WorkCalendar
from callplan.store.models import (
    Call,
    Candidate,
    CandidateCall,
    DecisionMaker,
    DeliveryCall,
    Job,
    StageMove,
    Submission,
)
from callplan.store.queries.common import in_chunks, untyped_select
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


def close_open_calls(s: Session, *, submission_id: int, on: date) -> tuple[list[int], list[int]]:
    """The stage of a submission moved on ``on``: close its planned calls still open,
    and settle those a conversation made (they are derived no more: the next stage's
    day would read them anew). Returns the ids closed and the ids settled."""
    q = select(DeliveryCall).where(
        DeliveryCall.submission_id == submission_id,
        sa.or_(col(DeliveryCall.closed_on).is_(None), col(DeliveryCall.closed_by) == delivery.CALL),
    )
    closed: list[int] = []
    settled: list[int] = []
    for row in s.exec(q).all():
        assert row.id is not None
        if row.closed_on is None:
            row.closed_on, row.closed_by = on, delivery.STAGE
            closed.append(row.id)
        else:
            row.closed_by = delivery.MADE
            settled.append(row.id)
        s.add(row)
    return closed, settled


def last_move(s: Session, *, recruiter: str | None) -> StageMove | None:
    """The last stage move ``recruiter`` made (every one when None): `undo`'s candidate."""
    q = select(StageMove)
    if recruiter is not None:
        q = q.where(StageMove.recruiter == recruiter)
    return s.exec(q.order_by(col(StageMove.logged_at).desc(), col(StageMove.id).desc())).first()


def moved_since(s: Session, *, submission_id: int, move_id: int) -> bool:
    """Whether a later move of the submission was made (by anyone)."""
    q = select(StageMove.id).where(
        StageMove.submission_id == submission_id, col(StageMove.id) > move_id
    )
    return s.exec(q.limit(1)).first() is not None


def take_back_calls(
    s: Session, *, planned: Sequence[int], closed: Sequence[int], settled: Sequence[int]
) -> None:
    """A stage move taken back: the calls it planned go, the ones it closed are open
    again, and the ones it settled are derived from the calls again."""
    if planned:
        s.exec(sa.delete(DeliveryCall).where(col(DeliveryCall.id).in_(list(planned))))
    for ids, values in ((closed, {"closed_on": None, "closed_by": None}),
                        (settled, {"closed_by": delivery.CALL})):  # fmt: skip
        if ids:
            s.exec(
                sa.update(DeliveryCall).where(col(DeliveryCall.id).in_(list(ids))).values(**values)
            )
    s.flush()


def stages_of(s: Session, *, candidate_id: int) -> list[str]:
    """The stage of each of a candidate's submissions."""
    q = select(Submission.stage).where(Submission.candidate_id == candidate_id)
    return list(s.exec(q).all())


def _mine(column: Any, recruiter: str | None) -> Any:
    """Rows of ``recruiter`` (or of nobody); every row when there is no recruiter."""
    if recruiter is None:
        return sa.true()
    return sa.or_(column.is_(None), column == recruiter)


def due_calls(
    s: Session, *, on: date, recruiter: str | None
) -> list[tuple[DeliveryCall, Submission, Job, Candidate, DecisionMaker | None]]:
    """The planned calls still open and due by ``on`` (ix_delivery_call_open_due), of
    ``recruiter``'s submissions, with what the plan says of them."""
    q = (
        untyped_select(DeliveryCall, Submission, Job, Candidate, DecisionMaker)
        .join(Submission, col(Submission.id) == col(DeliveryCall.submission_id))
        .join(Job, col(Job.id) == col(Submission.job_id))
        .join(Candidate, col(Candidate.id) == col(Submission.candidate_id))
        .outerjoin(DecisionMaker, col(DecisionMaker.id) == col(Job.client_dm_id))
        .where(
            col(DeliveryCall.closed_on).is_(None),
            col(DeliveryCall.due_on) <= on,
            _mine(col(Submission.recruiter), recruiter),
        )
        .order_by(col(DeliveryCall.due_on), col(DeliveryCall.submission_id), col(DeliveryCall.id))
    )
    return [tuple(row) for row in s.exec(q).all()]


def candidates_due(
    s: Session, *, on: date, recruiter: str | None, exclude: Sequence[int] = ()
) -> list[Candidate]:
    """The candidates due a call of their own by ``on`` (ix_candidate_next_call_on), but
    not those in ``exclude`` (a planned call to them is on the list already)."""
    q = select(Candidate).where(
        col(Candidate.next_call_on) <= on, _mine(col(Candidate.owner), recruiter)
    )
    if exclude:
        q = q.where(col(Candidate.id).not_in(list(exclude)))
    return list(s.exec(q.order_by(col(Candidate.next_call_on), col(Candidate.id))).all())


def load_by_day(s: Session, *, until: date, recruiter: str | None) -> dict[date, int]:
    """The candidates & delivery calls by the day they are due, before ``until`` (a day
    already past counts as it is: the caller moves it on): the planned calls still open
    and the candidates due a call of their own. A candidate due both counts once a day."""
    found: dict[date, int] = {}
    call, sub = DeliveryCall.__table__, Submission.__table__  # type: ignore[attr-defined]
    q = (
        sa.select(call.c.due_on, sa.func.count())
        .select_from(call.join(sub, sub.c.id == call.c.submission_id))
        .where(call.c.closed_on.is_(None), call.c.due_on < until, _mine(sub.c.recruiter, recruiter))
        .group_by(call.c.due_on)
    )
    for day, n in s.connection().execute(q):
        found[day_of(day)] = found.get(day_of(day), 0) + int(n)
    person = Candidate.__table__  # type: ignore[attr-defined]
    q = (
        sa.select(person.c.next_call_on, sa.func.count())
        .where(person.c.next_call_on < until, _mine(person.c.owner, recruiter))
        .group_by(person.c.next_call_on)
    )
    for day, n in s.connection().execute(q):
        found[day_of(day)] = found.get(day_of(day), 0) + int(n)
    return found


# --- statistics ---------------------------------------------------------------------------


@dataclass
class Figures:
    """Delivery in a period (`stats`): what was sent, held, offered and placed, and how
    fast and how well the client's feedback was chased."""

    cvs_sent: int = 0  # submissions whose CVs went in the period
    interviews: int = 0  # interviews held (each one booked plans one feedback call)
    offers: int = 0
    placements: int = 0
    fees: list[str] = field(default_factory=list)  # the placements' fees, as noted
    feedback_received: int = 0  # CV feedback that came (the stage moved on) in the period
    days_to_feedback: float | None = None  # on average, from the CVs going to the answer
    chases_to_feedback: float | None = None  # on average, chases it took
    chases_due: int = 0  # the client's feedback chases due in the period
    chased_on_time: int = 0  # of those, rung about on the day they were due
    on_time_share: float | None = None


def figures(s: Session, *, start: date, end: date) -> Figures:
    """The delivery figures of [start, end] (ix_submission_stage_on, the planned calls)."""
    sub, call = Submission.__table__, DeliveryCall.__table__  # type: ignore[attr-defined]
    job, talk = Job.__table__, Call.__table__  # type: ignore[attr-defined]
    conn = s.connection()

    def count(column: Any) -> int:
        q = sa.select(sa.func.count()).where(column.between(start, end))
        return int(conn.execute(q.select_from(sub)).scalar_one())

    found = Figures(
        cvs_sent=count(sub.c.submitted_on),
        offers=count(sub.c.offered_on),
        placements=count(sub.c.placed_on),
    )
    found.fees = [
        str(fee)
        for (fee,) in conn.execute(
            sa.select(sub.c.fee)
            .where(sub.c.placed_on.between(start, end), sub.c.fee.is_not(None))
            .order_by(sub.c.placed_on, sub.c.id)
        )
    ]
    q = sa.select(sa.func.count()).where(
        call.c.party == delivery.CANDIDATE,
        call.c.purpose == "interview-feedback",
        call.c.planned_on.between(start, end),
    )
    found.interviews = int(conn.execute(q).scalar_one())
    answers = (
        sa.select(call.c.closed_on, sub.c.submitted_on, call.c.chases)
        .select_from(call.join(sub, sub.c.id == call.c.submission_id))
        .where(
            call.c.purpose == "cv-feedback",
            call.c.closed_by == delivery.STAGE,
            call.c.closed_on.between(start, end),
        )
    )
    answered = [(day_of(a), day_of(b), int(n)) for a, b, n in conn.execute(answers)]
    found.feedback_received = len(answered)
    if answered:
        found.days_to_feedback = sum((a - b).days for a, b, _ in answered) / len(answered)
        found.chases_to_feedback = sum(n for *_, n in answered) / len(answered)
    # A client chase was needed unless the answer came by the day it was due; on time
    # when a conversation with the client happened that day.
    on_the_day = (
        sa.exists()
        .where(
            talk.c.dm_id == job.c.client_dm_id,
            talk.c.called_on == call.c.planned_on,
            talk.c.conversation_number.is_not(None),
        )
        .label("on_time")
    )
    chases = (
        sa.select(on_the_day)
        .select_from(
            call.join(sub, sub.c.id == call.c.submission_id).join(job, job.c.id == sub.c.job_id)
        )
        .where(
            call.c.party == delivery.CLIENT,
            call.c.purpose.in_(["cv-feedback", "interview-feedback"]),
            call.c.planned_on.between(start, end),
            sa.not_(
                sa.and_(call.c.closed_by == delivery.STAGE, call.c.closed_on <= call.c.planned_on)
            ),
        )
    )
    flags = [bool(x) for (x,) in conn.execute(chases)]
    found.chases_due, found.chased_on_time = len(flags), sum(flags)
    if flags:
        found.on_time_share = found.chased_on_time / found.chases_due
    return found
