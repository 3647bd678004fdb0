"""Jobs and their clients: a job belongs to the client DM who gave it (`job add --client`,
`log … -a live-requirement --job TITLE`), its progress is a reason to call them, and a
new job is a reason to ask your candidates for referrals."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from callplan.core import delivery
from callplan.core.desk import Desk
from callplan.core.hooks import normalise_tags
from callplan.core.kinds import Status
from callplan.errors import UsageError
from callplan.services.shapes import job_row
from callplan.store import queries
from callplan.store.models import Call, Candidate, DecisionMaker, Job, Submission

if TYPE_CHECKING:
    from sqlmodel import Session

ASK_AT_MOST = 5  # candidates listed to ask for referrals when a job comes in


def stage_facts(sub: Submission) -> delivery.StageFacts:
    return delivery.StageFacts(
        sub.stage, sub.stage_on, sub.submitted_on, sub.interview_on, sub.interview_at,
        sub.no_show, sub.starts_on,
    )  # fmt: skip


def standing(subs: Sequence[Submission], today: date) -> str:
    """Where a job stands, from its submissions (core.delivery.job_standing)."""
    return delivery.job_standing([stage_facts(x) for x in subs], today)


def client_jobs(
    s: Session, *, dm_ids: Sequence[int], today: date
) -> dict[int, list[delivery.ClientJob]]:
    """Each DM's open jobs (those they gave you), oldest first, with where each stands:
    one query for them all."""
    found = queries.jobs.open_jobs_of(s, client_dm_ids=dm_ids)
    return {
        dm_id: [
            delivery.ClientJob(job.id, job.title, standing(subs, today))
            for job, subs in jobs
            if job.id is not None
        ]
        for dm_id, jobs in found.items()
    }


def client_warnings(client: DecisionMaker) -> list[str]:
    """A job from a DM who is not called (archived, do not call) is odd: said, not
    refused."""
    if client.status == Status.ARCHIVED:
        return [
            f"{client.name} is archived: the job is theirs, but they aren't called "
            f"(callplan dm restore {client.id})."
        ]
    if client.status == Status.DNC:
        return [
            f"{client.name} is marked do-not-call: the job is theirs, but its progress "
            "won't be a reason to call them."
        ]
    return []


@dataclass
class Added:
    """A job added: its client, the candidates to ask for referrals, and what to say."""

    job: Job
    client: DecisionMaker | None
    ask: list[tuple[Candidate, list[str]]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def add(
    s: Session,
    *,
    title: str,
    client: DecisionMaker | None = None,
    company: str | None = None,
    fee: str | None = None,
    tags: Sequence[str] = (),
    from_call_id: int | None = None,
) -> Added:
    """Add a job, the client's if one is given (its company, when none is given, is
    theirs); with the open candidates whose tags match it, to ask for referrals.
    ``from_call_id``: the call that gave it (``add_from_call``)."""
    job = queries.hooks.add_job(
        s,
        title=title,
        company=company or (client.company if client is not None else None),
        fee=fee,
        tags=tags,
        client_dm_id=client.id if client is not None else None,
    )
    if from_call_id is not None:
        job.from_call_id = from_call_id
        s.add(job)
        s.flush()
    added = Added(job, client, warnings=client_warnings(client) if client is not None else [])
    added.ask = ask_for_referrals(s, job=job)
    return added


def add_from_call(
    s: Session, *, call: Call, client: DecisionMaker, title: str, tags: Sequence[str]
) -> Added:
    """The job a live requirement gave (`log … --job TITLE`), in the call's transaction:
    the client's, and marked as the call's, so taking the call back can take it back too
    (``take_back``)."""
    return add(s, title=title, client=client, tags=tags, from_call_id=call.id)


def ask_for_referrals(s: Session, *, job: Job) -> list[tuple[Candidate, list[str]]]:
    """The open candidates whose tags match the job, at most ASK_AT_MOST, most tags in
    common first, with the tags they share; those already put forward for it left out."""
    tags = [t for t in job.tags.split(",") if t]
    return queries.jobs.matching_candidates(s, tags=tags, exclude_job=job.id, limit=ASK_AT_MOST)


def candidates_for(s: Session, *, job: Job, limit: int = 20) -> list[tuple[Candidate, list[str]]]:
    """`hooks job:ID`: the open candidates whose tags match the job."""
    tags = [t for t in job.tags.split(",") if t]
    return queries.jobs.matching_candidates(s, tags=tags, exclude_job=job.id, limit=limit)


UNCHANGED: Any = object()  # a field `job edit` wasn't given


@dataclass
class Changes:
    """What `job edit` changes; UNCHANGED for what it leaves. ``client`` None: no client."""

    client: DecisionMaker | None = UNCHANGED
    title: str | None = None
    company: str | None = UNCHANGED
    fee: str | None = UNCHANGED
    tags: Sequence[str] = ()
    untags: Sequence[str] = ()


@dataclass
class Edited:
    job: Job
    client: DecisionMaker | None
    changed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def edit(s: Session, desk: Desk, *, job: Job, changes: Changes) -> Edited:
    """Correct a job: its client (the company follows a new client when it was the old
    one's, or none, and --company isn't given), title, company, fee and tags."""
    old = queries.jobs.clients_of(s, jobs=[job]).get(job.client_dm_id or 0)
    client = old if changes.client is UNCHANGED else changes.client
    edited = Edited(job, client)
    if changes.client is not UNCHANGED and (client.id if client else None) != job.client_dm_id:
        job.client_dm_id = client.id if client is not None else None
        edited.changed.append("client")
        if client is not None:
            edited.warnings += client_warnings(client)
        follows = job.company is None or (old is not None and job.company == old.company)
        moves = client is not None and client.company and client.company != job.company
        if changes.company is UNCHANGED and follows and moves:
            assert client is not None
            job.company = client.company
            edited.changed.append("company")
    if changes.title is not None and changes.title != job.title:
        job.title = changes.title
        edited.changed.append("title")
    if changes.company is not UNCHANGED and changes.company != job.company:
        job.company = changes.company
        edited.changed.append("company")
    if changes.fee is not UNCHANGED and changes.fee != job.fee:
        job.fee = changes.fee
        edited.changed.append("fee")
    if changes.tags or changes.untags:
        gone = set(normalise_tags(changes.untags))
        kept = [t for t in job.tags.split(",") if t and t not in gone]
        tags = ",".join(normalise_tags([*kept, *changes.tags]))
        if tags != job.tags:
            job.tags = tags
            edited.changed.append("tags")
    if not edited.changed:
        raise UsageError(
            f"Nothing to change on job:{job.id} {job.title}: see callplan job edit --help."
        )
    s.add(job)
    s.flush()
    if "client" in edited.changed and job.id is not None:
        # The client's chases are made by conversations with the new client now.
        ids = [sub.id for sub in queries.jobs.submissions_of_jobs(s, job_ids=[job.id])[job.id]]
        queries.delivery.rederive(
            s, submission_ids=[i for i in ids if i is not None], settings=desk.settings,
            calendar=desk.calendar,
        )  # fmt: skip
    return edited


def rows(s: Session, *, everything: bool, today: date) -> list[dict[str, Any]]:
    """`job list`: the open jobs (``everything``: closed ones too), newest first, each with
    its client and where it stands; three queries in all."""
    jobs = queries.hooks.list_jobs(s, everything=everything)
    subs = queries.jobs.submissions_of_jobs(s, job_ids=[j.id for j in jobs if j.id is not None])
    clients = queries.jobs.clients_of(s, jobs=jobs)
    return [
        job_row(
            j,
            client=clients.get(j.client_dm_id or 0),
            standing=standing(subs.get(j.id or 0, []), today),
        )
        for j in jobs
    ]


@dataclass
class TakenJobs:
    """The jobs a call taken back had added: removed when nothing else refers to them,
    kept otherwise."""

    removed: list[Job] = field(default_factory=list)
    kept: list[Job] = field(default_factory=list)


def added_by(s: Session, *, call: Call) -> list[Job]:
    return queries.jobs.added_by_call(s, call=call)


def take_back(s: Session, *, call: Call) -> TakenJobs:
    """Before ``call`` is removed: the jobs it added go with it, unless something else
    refers to them (a submission, a call to a candidate about one, another call that
    used it as a hook): those stay, the client's still."""
    taken = TakenJobs()
    for job in added_by(s, call=call):
        assert job.id is not None
        if queries.jobs.referred_to(s, job_id=job.id, besides_call=call.id):
            taken.kept.append(job)
        else:
            s.delete(job)
            taken.removed.append(job)
    return taken
