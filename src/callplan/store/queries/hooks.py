"""Hooks: jobs, candidates and events, and which DMs they were offered to."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from callplan.core.hooks import CANDIDATE, EVENT, JOB, Hook, normalise_tags
from callplan.core.kinds import HookStatus, Status
from callplan.core.outcomes import Kind
from callplan.errors import HookNotFound, UsageError
from callplan.store.models import (
    Call,
    CallHook,
    Candidate,
    DecisionMaker,
    Event,
    Job,
)
from callplan.store.queries.common import ID_RANGE
from callplan.store.queries.diary import owned_by
from callplan.store.queries.prospects import tagged_any

MAX_CANDIDATES = 20


def hook_matches_to_review(
    s: Session,
    *,
    until: date,
    hook_tags: Sequence[str],
    exclude: Sequence[int] = (),
    limit: int = 50,
    owner: str | None = None,
) -> list[DecisionMaker]:
    """Contacts not due before ``until`` whose tags match an open hook: worth calling
    sooner (``owner``'s only, if given)."""
    if not hook_tags:
        return []
    dm = DecisionMaker
    q = select(dm).where(
        dm.status == Status.ACTIVE,
        col(dm.conversation_count) > 0,
        col(dm.next_call_on) >= until,
        tagged_any(hook_tags),
        *owned_by(owner),
    )
    if exclude:
        q = q.where(col(dm.id).not_in(exclude))
    return list(s.exec(q.order_by(col(dm.next_call_on), col(dm.id)).limit(limit)).all())


# --- hooks: jobs and candidates -------------------------------------------------------


def add_job(
    s: Session,
    *,
    title: str,
    company: str | None,
    fee: str | None,
    tags: Sequence[str],
    client_dm_id: int | None = None,
) -> Job:
    job = Job(
        title=title,
        company=company,
        fee=fee,
        tags=",".join(normalise_tags(tags)),
        client_dm_id=client_dm_id,
    )
    s.add(job)
    s.flush()
    return job


def add_candidate(
    s: Session, *, name: str, headline: str | None, tags: Sequence[str], available_on: date | None
) -> Candidate:
    candidate = Candidate(
        name=name, headline=headline, available_on=available_on, tags=",".join(normalise_tags(tags))
    )
    s.add(candidate)
    s.flush()
    return candidate


def add_event(
    s: Session, *, title: str, held_on: date, venue: str | None, tags: Sequence[str]
) -> Event:
    event = Event(title=title, held_on=held_on, venue=venue, tags=",".join(normalise_tags(tags)))
    s.add(event)
    s.flush()
    return event


def get_event(s: Session, *, event_id: int) -> Event:
    event = s.get(Event, event_id) if event_id in ID_RANGE else None
    if event is None:
        raise HookNotFound(f"No event has id {event_id}. See 'callplan event list'.")
    return event


def get_job(s: Session, *, job_id: int) -> Job:
    job = s.get(Job, job_id) if job_id in ID_RANGE else None
    if job is None:
        raise HookNotFound(f"No job has id {job_id}. See 'callplan job list'.")
    return job


def get_candidate(s: Session, *, candidate_id: int) -> Candidate:
    candidate = s.get(Candidate, candidate_id) if candidate_id in ID_RANGE else None
    if candidate is None:
        raise HookNotFound(f"No candidate has id {candidate_id}. See 'callplan candidate list'.")
    return candidate


def close_hook(s: Session, *, kind: str, hook_id: int, on: date) -> Any:
    """Close a job (filled or lost), mark a candidate placed or an event over (held or
    cancelled): no longer offered as a hook."""
    hook: Job | Candidate | Event
    if kind == JOB:
        hook = get_job(s, job_id=hook_id)
    elif kind == CANDIDATE:
        hook = get_candidate(s, candidate_id=hook_id)
    else:
        hook = get_event(s, event_id=hook_id)
    if hook.status == HookStatus.CLOSED:
        word = {JOB: "closed", CANDIDATE: "placed", EVENT: "closed"}[kind]
        raise UsageError(f"{kind}:{hook_id} is already {word}.")
    hook.status, hook.closed_on = HookStatus.CLOSED, on
    s.add(hook)
    return hook


def list_jobs(s: Session, *, everything: bool = False) -> list[Job]:
    q = select(Job)
    if not everything:
        q = q.where(Job.status == HookStatus.OPEN)
    return list(s.exec(q.order_by(col(Job.id).desc())).all())


def list_candidates(s: Session, *, everything: bool = False) -> list[Candidate]:
    q = select(Candidate)
    if not everything:
        q = q.where(Candidate.status == HookStatus.OPEN)
    return list(s.exec(q.order_by(col(Candidate.id).desc())).all())


def list_events(s: Session, *, on: date, everything: bool = False) -> list[Event]:
    """The events still to come on ``on`` (open, held that day or later), soonest first;
    with ``everything``, past and closed ones too."""
    q = select(Event)
    if not everything:
        q = q.where(Event.status == HookStatus.OPEN, col(Event.held_on) >= on)
    return list(s.exec(q.order_by(col(Event.held_on), col(Event.id))).all())


def _tags(text: str) -> tuple[str, ...]:
    return tuple(t for t in text.split(",") if t)


def open_hooks(s: Session, *, on: date) -> list[Hook]:
    """Every open job and candidate, and every event still to come on ``on``, as hooks
    to match against DMs."""
    jobs = [
        Hook(
            JOB,
            j.id,
            j.title,
            j.company,
            _tags(j.tags),
            company=j.company,
            client_id=j.client_dm_id,
        )
        for j in list_jobs(s)
        if j.id is not None
    ]
    candidates = [
        Hook(CANDIDATE, c.id, c.name, c.headline, _tags(c.tags))
        for c in list_candidates(s)
        if c.id is not None
    ]
    events = [
        Hook(EVENT, e.id, e.title, e.venue, _tags(e.tags), held_on=e.held_on)
        for e in list_events(s, on=on)
        if e.id is not None
    ]
    return jobs + candidates + events


def hook_tags(hooks: Iterable[Hook]) -> list[str]:
    return sorted({t for h in hooks for t in h.tags})


def presented_candidates(s: Session, *, dm_ids: Sequence[int]) -> dict[int, set[int]]:
    """Candidates already used as a hook on a call with each of these DMs."""
    shown: dict[int, set[int]] = {i: set() for i in dm_ids}
    if dm_ids:
        q = (
            select(Call.dm_id, CallHook.candidate_id)
            .join(Call, col(Call.id) == col(CallHook.call_id))
            .where(
                col(Call.dm_id).in_(dm_ids),
                Call.kind != Kind.NO_CONNECT.value,
                col(CallHook.candidate_id).is_not(None),
            )
        )
        for dm_id, candidate_id in s.exec(q):
            if candidate_id is not None:
                shown[dm_id].add(candidate_id)
    return shown


# --- a job by what the user typed (a candidate: services.candidates.find) ---------------


def _open_jobs_titled(s: Session, text: str) -> list[Job]:
    """The open jobs whose title is ``text`` (any case), else starts with it, else holds
    it (three letters or more)."""
    key = text.lower()
    like = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    lower = sa.func.lower(col(Job.title))
    tries = [lower == key, lower.like(f"{like}%", escape="\\")]
    if len(key) >= 3:
        tries.append(lower.like(f"%{like}%", escape="\\"))
    for condition in tries:
        q = select(Job).where(condition, Job.status == HookStatus.OPEN)
        found = list(s.exec(q.order_by(col(Job.id)).limit(MAX_CANDIDATES + 1)).all())
        if found:
            return found
    return []


def find_job(s: Session, *, ref: str) -> Job:
    """A job by id (``7``, ``job:7``) or by title (exact, prefix, then part, any case;
    open jobs only); several matching is an error naming them."""
    text = ref.strip().removeprefix("job:").lstrip("#").strip()
    if not text:
        raise UsageError("Name a job (a title or an id).")
    if text.isascii() and text.isdigit():
        return get_job(s, job_id=int(text))
    found = _open_jobs_titled(s, text)
    if len(found) == 1:
        return found[0]
    if not found:
        raise HookNotFound(f"No open job matches {ref!r}. See 'callplan job list'.")
    titles = ", ".join(f"job:{j.id} {j.title}" for j in found[:MAX_CANDIDATES])
    raise UsageError(f"{ref!r} matches {len(found)} open jobs: {titles}. Use the id.")
