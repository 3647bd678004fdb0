"""Delivery: submitting candidates to jobs, moving a submission through its stages
(`callplan submit`, `interview`, `offer`, `placed`, `withdrawn`), and keeping the calls
each stage plans in step with the calls made (core.delivery)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, time
from typing import TYPE_CHECKING

from callplan.core import delivery
from callplan.core.desk import Desk
from callplan.core.kinds import HookStatus
from callplan.core.wording import jsonable
from callplan.errors import UsageError
from callplan.store import queries
from callplan.store.models import Candidate, DeliveryCall, Job, StageMove, Submission

if TYPE_CHECKING:
    from sqlmodel import Session


def calls_changed(
    s: Session, desk: Desk, *, dm_ids: Sequence[int] = (), candidate_ids: Sequence[int] = ()
) -> None:
    """After any change to the calls with these DMs or candidates (a call logged, taken
    back, edited or deleted): the planned delivery calls they touch, derived again."""
    ids = queries.delivery.submissions_for(s, client_dm_ids=dm_ids, candidate_ids=candidate_ids)
    if ids:
        queries.delivery.rederive(
            s, submission_ids=ids, settings=desk.settings, calendar=desk.calendar
        )


@dataclass
class Moved:
    """A submission that moved: the calls its new stage planned, and the job search
    its candidate is at now."""

    submission: Submission
    candidate: Candidate
    job: Job
    client_name: str  # who the client's calls go to: the DM who gave the job
    planned: list[DeliveryCall] = field(default_factory=list)
    closed: int = 0  # calls of the stage before, closed by the move
    notes: list[str] = field(default_factory=list)
    # What `undo` needs (a StageMove): the move, the submission and candidate before it
    # (JSON; None: the move put the candidate forward), the calls it closed and settled.
    move: str = ""
    before: str | None = None
    candidate_before: str = "{}"
    closed_ids: list[int] = field(default_factory=list)
    made_ids: list[int] = field(default_factory=list)


# The submission's fields a move changes, and the candidate's: what `undo` puts back.
SUBMISSION_FIELDS = (
    "stage", "stage_on", "submitted_on", "interview_on", "interview_at", "interviews",
    "no_show", "offered_on", "placed_on", "starts_on", "fee", "withdrawn_on",
)  # fmt: skip
CANDIDATE_FIELDS = ("status", "closed_on", "job_search")


def _snapshot(row: Submission | Candidate, names: Sequence[str]) -> str:
    return json.dumps({n: getattr(row, n) for n in names}, default=jsonable)


_DATES = {"stage_on", "submitted_on", "interview_on", "offered_on", "placed_on", "starts_on",
          "withdrawn_on", "closed_on"}  # fmt: skip


def _restore(row: Submission | Candidate, saved: str) -> None:
    """Put back the fields ``_snapshot`` saved."""
    for name, value in json.loads(saved).items():
        if value is not None and name in _DATES:
            value = date.fromisoformat(value)
        elif value is not None and name == "interview_at":
            value = time.fromisoformat(value)
        setattr(row, name, value)


def _client_name(s: Session, job: Job) -> str:
    """The client the job's calls go to: the DM who gave it, else its company."""
    if job.client_dm_id is not None:
        names = queries.dms.names_of(s, dm_ids=[job.client_dm_id])
        if job.client_dm_id in names:
            return names[job.client_dm_id]
    return job.company or "the client"


def _who(candidate: Candidate, job: Job) -> str:
    return f"{candidate.name} for job:{job.id} {job.title}"


def _find(s: Session, *, candidate: Candidate, job: Job) -> Submission:
    assert candidate.id is not None and job.id is not None
    found = queries.delivery.submission_of(s, candidate_id=candidate.id, job_id=job.id)
    if found is None:
        raise UsageError(
            f"{candidate.name} hasn't been put forward for job:{job.id} {job.title}: "
            f"callplan submit {candidate.id} {job.id}"
        )
    return found


def _lock(s: Session, row: Submission | Candidate) -> None:
    """The row locked on PostgreSQL: two recruiters moving it at once take turns."""
    if s.get_bind().dialect.name == "postgresql":
        s.refresh(row, with_for_update=True)


def _plan(
    s: Session, desk: Desk, sub: Submission, stage: str, *, on: date, **kw: object
) -> list[DeliveryCall]:
    """Close the calls still open from the stage before; add the ones ``stage`` plans."""
    assert sub.id is not None
    rows = []
    for p in delivery.plan(
        stage,
        on=on,
        today=desk.today,
        settings=desk.settings,
        calendar=desk.calendar,
        **kw,  # type: ignore[arg-type]
    ):
        row = DeliveryCall(
            submission_id=sub.id,
            party=p.party,
            purpose=p.purpose,
            planned_on=p.due_on,
            due_on=p.due_on,
            due_at=p.due_at,
        )
        s.add(row)
        rows.append(row)
    return rows


def _close_open(s: Session, sub: Submission, on: date) -> tuple[list[int], list[int]]:
    assert sub.id is not None
    return queries.delivery.close_open_calls(s, submission_id=sub.id, on=on)


def _job_search(s: Session, candidate: Candidate) -> None:
    assert candidate.id is not None
    stages = queries.delivery.stages_of(s, candidate_id=candidate.id)
    candidate.job_search = delivery.job_search_after(stages, candidate.job_search)
    s.add(candidate)


def submit(
    s: Session, desk: Desk, *, candidate: Candidate, job: Job, on: date, fee: str | None = None
) -> Moved:
    """Put a candidate forward for a job (CVs sent on ``on``): plans the client's
    feedback chase. A withdrawn submission starts over."""
    if on > desk.today:
        raise UsageError(f"The CVs can't have gone on {on.isoformat()}: that is in the future.")
    if job.status != HookStatus.OPEN:
        raise UsageError(f"job:{job.id} {job.title} is closed: reopen it or pick another job.")
    assert candidate.id is not None and job.id is not None
    _lock(s, candidate)
    sub = queries.delivery.submission_of(s, candidate_id=candidate.id, job_id=job.id)
    before = _snapshot(sub, SUBMISSION_FIELDS) if sub is not None else None
    was = _snapshot(candidate, CANDIDATE_FIELDS)
    closed: tuple[list[int], list[int]] = ([], [])
    if sub is not None and sub.stage != delivery.WITHDRAWN:
        raise UsageError(
            f"{_who(candidate, job)} was put forward on {sub.submitted_on.isoformat()} "
            f"and is at {sub.stage}: callplan {_NEXT.get(sub.stage, 'candidate show')} ..."
        )
    if sub is None:
        sub = Submission(
            candidate_id=candidate.id,
            job_id=job.id,
            stage=delivery.SUBMITTED,
            stage_on=on,
            submitted_on=on,
            recruiter=desk.recruiter,
        )
    else:  # withdrawn before: put forward again
        closed = _close_open(s, sub, desk.today)
        sub.stage, sub.stage_on, sub.submitted_on = delivery.SUBMITTED, on, on
        sub.interview_on = sub.interview_at = sub.offered_on = None
        sub.withdrawn_on, sub.no_show, sub.interviews = None, False, 0
    if fee is not None:
        sub.fee = fee
    s.add(sub)
    s.flush()
    moved = Moved(
        sub, candidate, job, _client_name(s, job), _plan(s, desk, sub, delivery.SUBMITTED, on=on)
    )
    moved.move, moved.before, moved.candidate_before = delivery.SUBMITTED, before, was
    moved.closed_ids, moved.made_ids = closed
    _job_search(s, candidate)
    _after(s, desk, moved)
    return moved


_NEXT = {
    delivery.SUBMITTED: "interview",
    delivery.INTERVIEW: "offer",
    delivery.OFFERED: "placed",
}


def move(
    s: Session,
    desk: Desk,
    *,
    candidate: Candidate,
    job: Job,
    to: str,
    on: date,
    at: time | None = None,
    starts_on: date | None = None,
    fee: str | None = None,
) -> Moved:
    """Move a candidate's submission for a job to stage ``to`` (interview on ``on`` at
    ``at``; offered, placed or withdrawn on ``on``), or record the latest interview
    missed (core.delivery.NO_SHOW). Closes the calls the stage before still had open and
    plans the new stage's. ``to`` SUBMITTED puts them forward (``submit``)."""
    if to == delivery.SUBMITTED:
        return submit(s, desk, candidate=candidate, job=job, on=on, fee=fee)
    sub = _find(s, candidate=candidate, job=job)
    _lock(s, sub)
    who = _who(candidate, job)
    before, was = _snapshot(sub, SUBMISSION_FIELDS), _snapshot(candidate, CANDIDATE_FIELDS)
    if to == delivery.NO_SHOW:
        if sub.stage != delivery.INTERVIEW or sub.interview_on is None:
            raise UsageError(f"{who} has no interview booked: nothing to have missed.")
        if sub.interview_on > desk.today:
            raise UsageError(
                f"The interview of {who} is on {sub.interview_on.isoformat()}: it hasn't "
                "been missed yet."
            )
        if sub.no_show:
            raise UsageError(f"The interview of {who} is already recorded as missed.")
        closed = _close_open(s, sub, desk.today)
        sub.no_show = True
        s.add(sub)
        moved = Moved(
            sub,
            candidate,
            job,
            _client_name(s, job),
            _plan(s, desk, sub, delivery.NO_SHOW, on=desk.today),
        )
        moved.move, moved.before, moved.candidate_before = delivery.NO_SHOW, before, was
        moved.closed_ids, moved.made_ids = closed
        moved.closed = len(closed[0])
        _after(s, desk, moved)
        return moved
    since = sub.withdrawn_on if sub.stage == delivery.WITHDRAWN else sub.placed_on
    delivery.check_move(sub.stage, to, who=who, since=since or sub.stage_on)
    if to != delivery.INTERVIEW and on > desk.today:
        raise UsageError(f"{on.isoformat()} is in the future: record the {to} when it happens.")
    if to == delivery.INTERVIEW and on < sub.submitted_on:
        raise UsageError(
            f"The interview ({on.isoformat()}) can't be before the CVs went "
            f"({sub.submitted_on.isoformat()})."
        )
    closed = _close_open(s, sub, desk.today)
    sub.stage, sub.stage_on = to, min(on, desk.today)
    if to == delivery.INTERVIEW:
        sub.interview_on, sub.interview_at, sub.no_show = on, at, False
        sub.interviews += 1
        sub.stage_on = desk.today  # booked today: prep counts from now
    elif to == delivery.OFFERED:
        sub.offered_on = on
    elif to == delivery.PLACED:
        sub.placed_on, sub.starts_on = on, starts_on
        if fee is not None:
            sub.fee = fee
    elif to == delivery.WITHDRAWN:
        sub.withdrawn_on = on
    s.add(sub)
    s.flush()
    moved = Moved(
        sub,
        candidate,
        job,
        _client_name(s, job),
        _plan(s, desk, sub, to, on=on, interview_at=at, starts_on=starts_on),
    )
    moved.move, moved.before, moved.candidate_before = to, before, was
    moved.closed_ids, moved.made_ids = closed
    moved.closed = len(closed[0])
    if to == delivery.PLACED and candidate.status == HookStatus.OPEN:
        candidate.status, candidate.closed_on = HookStatus.CLOSED, on  # no longer marketed
        moved.notes.append(
            f"job:{job.id} stays open for more hires: callplan job close {job.id} once filled."
        )
    _job_search(s, candidate)
    _after(s, desk, moved)
    return moved


def _after(s: Session, desk: Desk, moved: Moved) -> None:
    """The new calls, in step with any conversation already had with their party; the
    move recorded for `undo`."""
    assert moved.submission.id is not None
    s.flush()
    queries.delivery.rederive(
        s, submission_ids=[moved.submission.id], settings=desk.settings, calendar=desk.calendar
    )
    s.add(
        StageMove(
            submission_id=moved.submission.id,
            move=moved.move,
            recruiter=desk.recruiter,
            before=moved.before,
            candidate_before=moved.candidate_before,
            closed_ids=json.dumps(moved.closed_ids),
            made_ids=json.dumps(moved.made_ids),
            planned_ids=json.dumps([c.id for c in moved.planned]),
        )
    )


# --- undo -------------------------------------------------------------------------------


@dataclass
class TakenMove:
    """A stage move taken back: what it was, of whom, for which job."""

    move: str
    candidate: Candidate
    job: Job
    removed: bool  # the submission went with it (the move put the candidate forward)
    stage: str | None = None  # where the submission is back at, if it stays


def describe_move(s: Session, move: StageMove) -> tuple[str, Candidate, Job]:
    """'the offer of Ann Lee for job:1 Senior .NET Developer', with the two."""
    sub = s.get(Submission, move.submission_id)
    assert sub is not None  # the move's submission: the foreign key cascades
    candidate = s.get(Candidate, sub.candidate_id)
    job = s.get(Job, sub.job_id)
    assert candidate is not None and job is not None
    what = MOVE_WORDS.get(move.move, move.move)
    return f"{what} of {_who(candidate, job)}", candidate, job


MOVE_WORDS = {
    delivery.SUBMITTED: "the submission",
    delivery.INTERVIEW: "the interview booked",
    delivery.NO_SHOW: "the missed interview",
    delivery.OFFERED: "the offer",
    delivery.PLACED: "the placement",
    delivery.WITHDRAWN: "the withdrawal",
}


def take_back(s: Session, desk: Desk, *, move: StageMove) -> TakenMove:
    """Undo a stage move: its planned calls go, the calls it closed are open again, the
    submission and its candidate are as they were (a submission it created goes)."""
    sub = s.get(Submission, move.submission_id)
    assert sub is not None
    _lock(s, sub)
    what, candidate, job = describe_move(s, move)
    if queries.delivery.moved_since(s, submission_id=sub.id or 0, move_id=move.id or 0):
        raise UsageError(f"Someone moved the submission on after {what}: take that back first.")
    queries.delivery.take_back_calls(
        s,
        planned=json.loads(move.planned_ids),
        closed=json.loads(move.closed_ids),
        settled=json.loads(move.made_ids),
    )
    s.delete(move)
    _restore(candidate, move.candidate_before)
    s.add(candidate)
    removed = move.before is None
    if removed:
        s.delete(sub)  # its calls and moves go with it (CASCADE)
        s.flush()
    else:
        assert move.before is not None
        _restore(sub, move.before)
        s.add(sub)
        s.flush()
        assert sub.id is not None
        queries.delivery.rederive(
            s, submission_ids=[sub.id], settings=desk.settings, calendar=desk.calendar
        )
    return TakenMove(move.move, candidate, job, removed, None if removed else sub.stage)
