"""Jobs and their clients: the open jobs of client DMs with their submissions, the
candidates whose tags match a job, and the job a call to its client added."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from callplan.core.kinds import HookStatus
from callplan.store.models import (
    Call,
    CallHook,
    Candidate,
    CandidateCall,
    DecisionMaker,
    Job,
    Submission,
)
from callplan.store.queries.common import in_chunks


def open_jobs_of(
    s: Session, *, client_dm_ids: Sequence[int]
) -> dict[int, list[tuple[Job, list[Submission]]]]:
    """Each client DM's open jobs, oldest first, with their submissions: one query (a
    job with none has an empty list)."""
    found: dict[int, list[tuple[Job, list[Submission]]]] = {i: [] for i in client_dm_ids}
    for chunk in in_chunks(sorted(set(client_dm_ids))):
        q = (
            select(Job, Submission)
            .outerjoin(Submission, col(Submission.job_id) == col(Job.id))
            .where(col(Job.client_dm_id).in_(chunk), Job.status == HookStatus.OPEN)
            .order_by(col(Job.id), col(Submission.id))
        )
        for job, sub in s.exec(q):
            assert job.client_dm_id is not None
            jobs = found[job.client_dm_id]
            if not jobs or jobs[-1][0].id != job.id:
                jobs.append((job, []))
            if sub is not None:
                jobs[-1][1].append(sub)
    return found


def submissions_of_jobs(s: Session, *, job_ids: Sequence[int]) -> dict[int, list[Submission]]:
    """The submissions of each of these jobs, in the order made: one query."""
    found: dict[int, list[Submission]] = {i: [] for i in job_ids}
    for chunk in in_chunks(sorted(set(job_ids))):
        q = select(Submission).where(col(Submission.job_id).in_(chunk))
        for sub in s.exec(q.order_by(col(Submission.id))):
            found[sub.job_id].append(sub)
    return found


def clients_of(s: Session, *, jobs: Sequence[Job]) -> dict[int, DecisionMaker]:
    """The client DMs of these jobs, by id: one query."""
    ids = sorted({j.client_dm_id for j in jobs if j.client_dm_id is not None})
    found: dict[int, DecisionMaker] = {}
    for chunk in in_chunks(ids):
        for dm in s.exec(select(DecisionMaker).where(col(DecisionMaker.id).in_(chunk))):
            assert dm.id is not None
            found[dm.id] = dm
    return found


def _tagged(tag: str) -> sa.ColumnElement[bool]:
    """The candidate's tags (normalised, comma separated) hold ``tag``."""
    like = tag.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return (sa.literal(",") + col(Candidate.tags) + sa.literal(",")).like(
        f"%,{like},%", escape="\\"
    )


def matching_candidates(
    s: Session, *, tags: Sequence[str], exclude_job: int | None = None, limit: int = 5
) -> list[tuple[Candidate, list[str]]]:
    """The open candidates with one of ``tags`` (normalised), most tags in common first,
    then the newest, with the tags they share; those already put forward for
    ``exclude_job`` left out."""
    if not tags:
        return []
    shared = sum((sa.case((_tagged(t), 1), else_=0) for t in tags), sa.literal(0))
    q: Any = select(Candidate).where(
        Candidate.status == HookStatus.OPEN, sa.or_(*(_tagged(t) for t in tags))
    )
    if exclude_job is not None:
        q = q.where(
            ~sa.exists().where(
                col(Submission.candidate_id) == col(Candidate.id),
                col(Submission.job_id) == exclude_job,
            )
        )
    rows = s.exec(q.order_by(shared.desc(), col(Candidate.id).desc()).limit(limit)).all()
    wanted = set(tags)
    return [(c, [t for t in c.tags.split(",") if t in wanted]) for c in rows]


def added_by_call(s: Session, *, call: Call) -> list[Job]:
    """The jobs a call to their client added (`log --job`)."""
    q = select(Job).where(Job.from_call_id == call.id)
    return list(s.exec(q.order_by(col(Job.id))).all())


def referred_to(s: Session, *, job_id: int, besides_call: int | None = None) -> bool:
    """Whether anything refers to a job: a submission, a call to a candidate about it, or
    a call (other than ``besides_call``) that used it as a hook."""
    hooked = select(CallHook.id).where(CallHook.job_id == job_id)
    if besides_call is not None:
        hooked = hooked.where(CallHook.call_id != besides_call)
    for q in (
        select(Submission.id).where(Submission.job_id == job_id),
        select(CandidateCall.id).where(CandidateCall.job_id == job_id),
        hooked,
    ):
        if s.exec(q.limit(1)).first() is not None:
            return True
    return False
