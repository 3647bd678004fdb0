"""Every JSON shape of docs/json.md, one function each: the one place a field is named.

The commands print what these return (``--json``), and the table and CSV renderers read
the same dictionaries, so a field means the same everywhere. ``tests/test_json_contract``
checks them key for key against the examples in docs/json.md.

Only the core is imported at run time (the store's types only for the type checker), so
a command that prints JSON without a store (`config show`) never loads SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict
from datetime import date
from typing import TYPE_CHECKING, Any

from callplan.core import delivery, goals, loops
from callplan.core.dates import clock
from callplan.core.notes import FIELD_NAMES

if TYPE_CHECKING:
    from callplan.core.brief import Brief
    from callplan.core.config import Settings
    from callplan.core.delivery import ClientJob
    from callplan.core.forecast import Day, Forecast, Rebalance
    from callplan.core.goals import Goal
    from callplan.core.hooks import Match
    from callplan.core.notes import Current
    from callplan.services.sweep import Sweep, SweepDue
    from callplan.services.today import Agenda
    from callplan.store.health import Finding
    from callplan.store.models import (
        Call,
        Candidate,
        CandidateCall,
        DecisionMaker,
        DeliveryCall,
        Event,
        Job,
        Note,
        OpenLoop,
        Submission,
    )
    from callplan.store.privacy import Mention, Stale
    from callplan.store.queries.diary import OutOfCycle
    from callplan.store.queries.progress import Progress
    from callplan.store.queries.stats import Explained, RecruiterFigures, Report
    from callplan.store.team import Logged, Member


# --- a decision maker, their calls and notes ----------------------------------------------


def contact_fields(dm: DecisionMaker | OutOfCycle) -> dict[str, Any]:
    """Who a DM is and how to reach them: the fields every JSON shape of a DM starts with."""
    return {
        "id": dm.id,
        "name": dm.name,
        "company": dm.company,
        "title": dm.title,
        "phone": dm.phone,
        "email": dm.email,
    }


def dm_json(dm: DecisionMaker) -> dict[str, Any]:
    """Everything a DM's own row holds, as the JSON shapes of one DM show it."""
    return {
        **contact_fields(dm),
        "linkedin": dm.linkedin,
        "status": dm.status,
        "needs_number": dm.needs_number,
        "lawful_basis": dm.lawful_basis,
        "ctps": dm.ctps,
        "referred_by_id": dm.referred_by_id,
        "added_at": dm.created_at,
        "conversations": dm.conversation_count,
        "last_spoke_on": dm.last_conversation_on,
        "last_outcome": dm.last_outcome,
        "attempts_in_row": dm.attempts_in_row,
        "due_on": dm.next_call_on,
        "due_at": clock(dm.next_call_at),
        "due_reason": dm.due_reason,
        "due_purpose": dm.due_purpose,
        "owner": dm.owner,
        "tier": dm.tier,
        "cycle_days": dm.cycle_days,
    }


def dm_row(dm: DecisionMaker, tags: list[str], referred_by: str | None) -> dict[str, Any]:
    """A DM as `dm list --json` lists them and `dm show --json` shows them."""
    return {
        **dm_json(dm),
        "tags": tags,
        "prospect": dm.conversation_count == 0,
        "referred_by": referred_by,
    }


def picture_json(picture: Mapping[str, Current]) -> dict[str, Any]:
    """The current picture: each note field's latest value and the day it was noted."""
    return {name: {"value": c.value, "noted_on": c.noted_on} for name, c in picture.items()}


def dm_show_json(
    dm: DecisionMaker,
    *,
    tags: list[str],
    referrer: str | None,
    yours: bool,
    last_conversation: Call | None,
    days_since: int | None,
    picture: Mapping[str, Current],
    referred: Iterable[DecisionMaker],
    calls: Iterable[Call],
    hooks_used: Mapping[int, list[str]],
    notes: Iterable[Note],
    open_loops: Iterable[OpenLoop],
    today: date,
    jobs: Iterable[ClientJob] = (),
) -> dict[str, Any]:
    """`dm show --json`: the DM, the current picture, their open loops, the open jobs
    they gave you, calls and notes."""
    last = last_conversation
    return {
        "dm": dm_row(dm, tags, referrer),
        "yours": yours,
        "last_conversation": {"on": last.called_on, "recruiter": last.recruiter} if last else None,
        "days_since_last_conversation": days_since,
        "picture": picture_json(picture),
        "open_loops": [loop_json(x, today) for x in open_loops],
        "jobs": [client_job_json(j) for j in jobs],
        "referred": [{"id": r.id, "name": r.name, "company": r.company} for r in referred],
        "calls": [call_json(c, hooks_used.get(c.id or 0, [])) for c in calls],
        "notes": [note_json(n) for n in notes],
    }


def call_json(call: Call, hooks: Any) -> dict[str, Any]:
    """A call as every JSON shape shows it (``dm show``, ``dm export``): all it holds."""
    return {
        "id": call.id,
        "called_on": call.called_on,
        "kind": call.kind,
        "outcome": call.outcome,
        "summary": call.summary,
        "say": call.say,
        "next_call_on": call.next_call_on,
        "next_call_at": clock(call.next_call_at),
        "conversation_number": call.conversation_number,
        "reason": call.reason,
        "purpose": call.purpose,
        "next_purpose": call.next_purpose,
        "recruiter": call.recruiter,
        "hooks": hooks,
        "logged_at": call.logged_at,
    }


def loop_json(loop: OpenLoop, today: date) -> dict[str, Any]:
    """An open loop as `dm show --json` and `loop list --json` show it."""
    return {
        "id": loop.id,
        "kind": loop.kind,
        "opened_on": loop.opened_on,
        "age_days": loops.age(loop.opened_on, today),
        "chases": loop.chases,
        "opened_by_call_id": loop.opened_by_call_id,
        "recruiter": loop.recruiter,
        "text": loops.describe(
            loop.kind, opened_on=loop.opened_on, chases=loop.chases, today=today
        ),
    }


def note_json(note: Note) -> dict[str, Any]:
    """A note as every JSON shape shows it: its text and every named field."""
    return {
        "id": note.id,
        "noted_on": note.noted_on,
        "call_id": note.call_id,
        "recruiter": note.recruiter,
        "text": note.text,
        **{name: getattr(note, name) for name in FIELD_NAMES},
        "created_at": note.created_at,
    }


CSV_KEYS: tuple[str, ...] = (
    "id",
    "name",
    "company",
    "title",
    "phone",
    "email",
    "linkedin",
    "tags",
    "status",
    "referred_by_id",
    *FIELD_NAMES,
    "last_spoke_on",
    "last_outcome",
    "conversations",
    "due_on",
)


def csv_row(dm: DecisionMaker, tags: list[str], picture: Mapping[str, Current]) -> dict[str, Any]:
    """One row of `export --format csv` (its columns: CSV_KEYS)."""
    return {
        **contact_fields(dm),
        "linkedin": dm.linkedin,
        "tags": tags,
        "status": dm.status,
        "referred_by_id": dm.referred_by_id,
        **{name: picture[name].value if name in picture else None for name in FIELD_NAMES},
        "last_spoke_on": dm.last_conversation_on,
        "last_outcome": dm.last_outcome,
        "conversations": dm.conversation_count,
        "due_on": dm.next_call_on,
    }


def mention_json(m: Mention) -> dict[str, Any]:
    """A place where another record names a person (``dm show --access``, ``forget``)."""
    row = m.row
    where: dict[str, Any]
    if m.table == "note":
        where = {"dm_id": row.dm_id, "note_id": row.id}
    elif m.table == "call":
        where = {"dm_id": row.dm_id, "call_id": row.id}
    elif m.table == "decision_maker":
        where = {"dm_id": row.id}
    elif m.table == "dm_tag":
        where = {"dm_id": row.dm_id}
    elif m.table == "job":
        where = {"job_id": row.id}
    elif m.table == "event":
        where = {"event_id": row.id}
    elif m.table == "day_goal":
        where = {"goal_on": row.day, "recruiter": row.recruiter}
    elif m.table == "candidate_call":
        where = {"candidate_id": row.candidate_id, "candidate_call_id": row.id}
    else:
        where = {"candidate_id": row.id}
    kinds = list(dict.fromkeys(span.kind for span in m.spans))
    return {**where, "field": m.field, "text": m.text, "matched": kinds}


def job_given_json(job: Job) -> dict[str, Any]:
    """A job a DM gave (``dm export``'s ``jobs``)."""
    return {
        "id": job.id,
        "title": job.title,
        "company": job.company,
        "status": job.status,
        "created_at": job.created_at,
        "closed_on": job.closed_on,
    }


# --- a candidate's data (``candidate export``) ------------------------------------------


def candidate_person_json(candidate: Candidate) -> dict[str, Any]:
    """Everything a candidate's own row holds."""
    return {
        "id": candidate.id,
        "name": candidate.name,
        "phone": candidate.phone,
        "email": candidate.email,
        "headline": candidate.headline,
        "tags": [t for t in candidate.tags.split(",") if t],
        "available_on": candidate.available_on,
        "status": candidate.status,
        "closed_on": candidate.closed_on,
        "job_search": candidate.job_search,
        "cycle_days": candidate.cycle_days,
        "due_on": candidate.next_call_on,
        "due_at": clock(candidate.next_call_at),
        "due_reason": candidate.due_reason,
        "last_spoke_on": candidate.last_conversation_on,
        "conversations": candidate.conversation_count,
        "owner": candidate.owner,
        "referred_by_dm_id": candidate.referred_by_dm_id,
        "prospect_dm_id": candidate.prospect_dm_id,
        "added_at": candidate.created_at,
    }


def candidate_call_json(call: CandidateCall) -> dict[str, Any]:
    """A call to a candidate, all it holds."""
    return {
        "id": call.id,
        "called_on": call.called_on,
        "kind": call.kind,
        "outcome": call.outcome,
        "summary": call.summary,
        "job_id": call.job_id,
        "next_call_on": call.next_call_on,
        "recruiter": call.recruiter,
        "logged_at": call.logged_at,
    }


def delivery_call_json(call: DeliveryCall) -> dict[str, Any]:
    """A call a submission's stage planned, all it holds."""
    return {
        "id": call.id,
        "party": call.party,
        "purpose": call.purpose,
        "planned_on": call.planned_on,
        "due_on": call.due_on,
        "due_at": clock(call.due_at),
        "chases": call.chases,
        "closed_on": call.closed_on,
        "closed_by": call.closed_by,
    }


def submission_json(sub: Submission, job: Job, planned: Iterable[DeliveryCall]) -> dict[str, Any]:
    """A candidate's submission for a job, all it holds, with the calls it planned."""
    return {
        "id": sub.id,
        "job": {"id": job.id, "title": job.title, "company": job.company},
        "stage": sub.stage,
        "stage_on": sub.stage_on,
        "submitted_on": sub.submitted_on,
        "interview_on": sub.interview_on,
        "interview_at": clock(sub.interview_at),
        "interviews": sub.interviews,
        "no_show": sub.no_show,
        "offered_on": sub.offered_on,
        "placed_on": sub.placed_on,
        "starts_on": sub.starts_on,
        "fee": sub.fee,
        "withdrawn_on": sub.withdrawn_on,
        "recruiter": sub.recruiter,
        "created_at": sub.created_at,
        "planned_calls": [delivery_call_json(c) for c in planned],
    }


def prune_row(stale: Stale) -> dict[str, Any]:
    """A DM `prune` would delete, and why."""
    dm = stale.dm
    return {
        **contact_fields(dm),
        "why": stale.why,
        "status": dm.status,
        "added_at": dm.created_at,
        "last_call_on": stale.last_call_on,
        "last_note_on": stale.last_note_on,
    }


def prune_json(rows: list[dict[str, Any]], *, cutoff: date, dry_run: bool) -> dict[str, Any]:
    """`prune --json`."""
    return {"cutoff": cutoff, "dry_run": dry_run, "count": len(rows), "dms": rows}


# --- today and the sweep --------------------------------------------------------------------


def agenda_row(
    dm: DecisionMaker,
    *,
    reason: str,
    code: str | None,
    summary: str | None,
    on: date | None = None,
) -> dict[str, Any]:
    """A call on the day's agenda (its ``hook`` is added by the agenda); ``time`` is the
    time of day agreed for it when that is for ``on``, the agenda's day ("15:00")."""
    return {
        **contact_fields(dm),
        "ctps": dm.ctps,
        "reason": reason,
        "reason_code": code,
        "purpose": dm.due_purpose,
        "due_on": dm.next_call_on,
        "time": clock(dm.next_call_at) if on is not None and dm.next_call_on == on else None,
        "conversation_number": dm.conversation_count + 1,
        "last_spoke_on": dm.last_conversation_on,
        "last_outcome": dm.last_outcome,
        "last_summary": summary,
        "attempts_in_row": dm.attempts_in_row,
        "owner": dm.owner,
    }


def delivery_row(
    call: DeliveryCall,
    sub: Submission,
    job: Job,
    candidate: Candidate,
    client: DecisionMaker | None,
    *,
    on: date,
) -> dict[str, Any]:
    """A planned delivery call on the day's agenda (`today --json`'s ``delivery``): to
    the client DM who gave the job, or to the candidate."""
    facts = delivery.StageFacts(
        sub.stage, sub.stage_on, sub.submitted_on, sub.interview_on, sub.interview_at,
        sub.no_show, sub.starts_on,
    )  # fmt: skip
    to_client = call.party == delivery.CLIENT
    return {
        "kind": call.party,
        "id": (client.id if client else None) if to_client else candidate.id,
        "name": (client.name if client else job.company or "the client")
        if to_client
        else candidate.name,
        "company": job.company if to_client else None,
        "phone": (client.phone if client else None) if to_client else candidate.phone,
        "candidate": {"id": candidate.id, "name": candidate.name},
        "job": {"id": job.id, "title": job.title, "company": job.company},
        "stage": sub.stage,
        "stage_on": sub.stage_on,
        "stage_age_days": max((on - sub.stage_on).days, 0),
        "purpose": call.purpose,
        "reason": delivery.call_reason(
            call.party,
            call.purpose,
            candidate=candidate.name,
            facts=facts,
            chases=call.chases,
            today=on,
        ),
        "due_on": call.due_on,
        "time": clock(call.due_at) if call.due_on == call.planned_on == on else None,
        "chases": call.chases,
        "delivery_call_id": call.id,
    }


def candidate_due_row(candidate: Candidate, *, on: date) -> dict[str, Any]:
    """A candidate due a call of their own (their cycle) on the day's agenda."""
    return {
        "kind": delivery.CANDIDATE,
        "id": candidate.id,
        "name": candidate.name,
        "company": None,
        "phone": candidate.phone,
        "candidate": {"id": candidate.id, "name": candidate.name},
        "job": None,
        "stage": None,
        "stage_on": None,
        "stage_age_days": None,
        "purpose": "keep-in-touch",
        "reason": delivery.candidate_reason(
            due_reason=candidate.due_reason,
            job_search=candidate.job_search,
            last_spoke_on=candidate.last_conversation_on,
            today=on,
        ),
        "due_on": candidate.next_call_on,
        "time": clock(candidate.next_call_at) if candidate.next_call_on == on else None,
        "chases": 0,
        "delivery_call_id": None,
    }


def goal_json(goal: Goal | None, advances: Mapping[str, int]) -> dict[str, Any] | None:
    """A day's goal (`today --json`'s ``goal``, `goal --json`)."""
    if goal is None:
        return None
    return {
        "text": goal.text,
        "target": goal.target,
        "outcome": goal.outcome,
        "done": goals.done(goal, advances) if goal.counted else None,
        "met": goals.met(goal, advances),
    }


def today_json(
    agenda: Agenda,
    *,
    recruiter: str | None,
    working_day: bool,
    progress: Progress,
    sweep: SweepDue | None = None,
) -> dict[str, Any]:
    """`today --json`."""
    return {
        "date": agenda.on,
        "recruiter": recruiter,
        "quota": {
            "per_day": agenda.quota,
            "spoken_today": agenda.first_conversations,
            "remaining": agenda.new_remaining,
        },
        "working_day": working_day,
        "new": agenda.new,
        "due": agenda.due,
        "due_total": agenda.due_total,
        "delivery": agenda.delivery,
        "need_number": agenda.need_number,
        "progress": {
            "today": progress.today,
            "quota": progress.quota,
            "week": progress.week,
            "week_target": progress.week_target,
            "streak": progress.streak,
            "overdue": progress.overdue,
            "conversations": progress.conversations,
            "advances": progress.advances,
        },
        "goal": goal_json(progress.goal, progress.advances),
        "sweep_due": (
            {"out_of_cycle": sweep.out_of_cycle, "last_swept_on": sweep.last_swept_on}
            if sweep
            else None
        ),
    }


def swept_row(dm: OutOfCycle, day: date, *, on: date) -> dict[str, Any]:
    """A DM the sweep diarised, and the day."""
    return {
        **contact_fields(dm),
        "due_on": day,
        "last_spoke_on": dm.last_conversation_on,
        "days_since": (on - dm.last_conversation_on).days,
    }


def review_row(
    dm: DecisionMaker, *, why: str, summary: str | None, hook: Match | None = None
) -> dict[str, Any]:
    """A DM the sweep asks you to look at: an advance due in the window, or a hook."""
    return {
        **contact_fields(dm),
        "due_on": dm.next_call_on,
        "why": why,
        "last_outcome": dm.last_outcome,
        "last_summary": summary,
        "hook": match_json(hook) if hook else None,
    }


def sweep_json(
    result: Sweep,
    *,
    on: date,
    dry_run: bool,
    load: Mapping[date, int],
    swept: list[dict[str, Any]],
    review: list[dict[str, Any]],
) -> dict[str, Any]:
    """`sweep --json`."""
    return {
        "date": on,
        "until": result.until,
        "recruiter": result.recruiter,
        "dry_run": dry_run,
        "days": [
            {"date": d, "before": result.load_before.get(d, 0), "calls": load[d]}
            for d in result.days
        ],
        "swept": swept,
        "review": review,
        "unowned": result.unowned,
    }


# --- hooks: jobs and candidates -----------------------------------------------------------


def match_json(m: Match) -> dict[str, Any]:
    """A matching hook as every JSON output shows it."""
    h = m.hook
    return {
        "ref": h.ref,
        "kind": h.kind,
        "id": h.id,
        "title": h.title,
        "detail": h.detail,
        "held_on": h.held_on,
        "score": m.score,
        "why": m.why,
    }


def job_row(job: Job, *, client: DecisionMaker | None, standing: str) -> dict[str, Any]:
    """A job as `job list --json` lists it: with the client DM who gave it, and where it
    stands (core.delivery.job_standing)."""
    return {
        **_hook_fields(job, "job"),
        "title": job.title,
        "company": job.company,
        "fee": job.fee,
        "client": {"id": client.id, "name": client.name} if client is not None else None,
        "standing": standing,
    }


def client_job_json(job: ClientJob) -> dict[str, Any]:
    """An open job of a client DM, where it stands (`dm show --json`, `brief --json`)."""
    return {"id": job.id, "ref": job.ref, "title": job.title, "standing": job.standing}


def job_candidates_json(job: Job, matches: Iterable[tuple[Candidate, list[str]]]) -> dict[str, Any]:
    """`hooks job:ID --json`: the open candidates whose tags match a job (to put forward,
    or to ask for referrals), most tags in common first."""
    return {
        "job": {"id": job.id, "ref": f"job:{job.id}", "title": job.title, "company": job.company},
        "candidates": [
            {
                "id": c.id,
                "ref": f"candidate:{c.id}",
                "name": c.name,
                "headline": c.headline,
                "phone": c.phone,
                "job_search": c.job_search,
                "shared_tags": shared,
            }
            for c, shared in matches
        ],
    }


def candidate_row(candidate: Candidate) -> dict[str, Any]:
    """A candidate as `candidate list --json` lists them: a hook, and a person you
    call (their job search and next call)."""
    return {
        **_hook_fields(candidate, "candidate"),
        "name": candidate.name,
        "headline": candidate.headline,
        "available_on": candidate.available_on,
        "phone": candidate.phone,
        "email": candidate.email,
        "job_search": candidate.job_search,
        "cycle_days": candidate.cycle_days,
        "next_call_on": candidate.next_call_on,
        "next_call_at": clock(candidate.next_call_at) if candidate.next_call_at else None,
        "due_reason": candidate.due_reason,
        "last_conversation_on": candidate.last_conversation_on,
        "conversation_count": candidate.conversation_count,
        "owner": candidate.owner,
        "referred_by_dm_id": candidate.referred_by_dm_id,
    }


def candidate_call_row(call: CandidateCall, job_title: str | None) -> dict[str, Any]:
    """A call to a candidate (`candidate show --json`'s ``calls``)."""
    return {
        "id": call.id,
        "called_on": call.called_on,
        "kind": call.kind,
        "outcome": call.outcome,
        "summary": call.summary,
        "job": {"id": call.job_id, "title": job_title} if call.job_id is not None else None,
        "next_call_on": call.next_call_on,
        "recruiter": call.recruiter,
    }


def submission_row(sub: Submission, job: Job) -> dict[str, Any]:
    """A candidate's submission for a job (`candidate show --json`'s ``submissions``)."""
    return {
        "id": sub.id,
        "job": {"id": job.id, "title": job.title, "company": job.company},
        "stage": sub.stage,
        "stage_on": sub.stage_on,
        "submitted_on": sub.submitted_on,
        "interview_on": sub.interview_on,
        "interview_at": clock(sub.interview_at) if sub.interview_at else None,
        "offered_on": sub.offered_on,
        "placed_on": sub.placed_on,
        "starts_on": sub.starts_on,
        "withdrawn_on": sub.withdrawn_on,
    }


def planned_call_row(call: DeliveryCall, job: Job) -> dict[str, Any]:
    """A planned delivery call still open on a candidate's submission (`candidate show
    --json`'s ``planned_calls``): to the candidate or to the job's client."""
    return {
        "id": call.id,
        "party": call.party,
        "purpose": call.purpose,
        "job": {"id": job.id, "title": job.title, "company": job.company},
        "due_on": call.due_on,
        "due_at": clock(call.due_at) if call.due_at else None,
        "chases": call.chases,
    }


def candidate_json(
    candidate: Candidate,
    *,
    cycle_days: int,
    referred_by: str | None,
    calls: list[dict[str, Any]],
    submissions: list[dict[str, Any]],
    planned: list[dict[str, Any]],
) -> dict[str, Any]:
    """`candidate show --json`: the candidate (as `candidate list` lists them, with the
    cycle they are on and who referred them), their calls newest first, their
    submissions and the planned calls still open on them."""
    return {
        "candidate": {
            **candidate_row(candidate),
            "cycle": cycle_days,
            "referred_by": (
                {"id": candidate.referred_by_dm_id, "name": referred_by}
                if candidate.referred_by_dm_id is not None
                else None
            ),
        },
        "calls": calls,
        "submissions": submissions,
        "planned_calls": planned,
    }


def event_row(event: Event) -> dict[str, Any]:
    """An event as `event list --json` lists it."""
    return {
        **_hook_fields(event, "event"),
        "title": event.title,
        "held_on": event.held_on,
        "venue": event.venue,
    }


def _hook_fields(item: Job | Candidate | Event, kind: str) -> dict[str, Any]:
    return {
        "id": item.id,
        "ref": f"{kind}:{item.id}",
        "status": item.status,
        "tags": [t for t in item.tags.split(",") if t],
        "closed_on": item.closed_on,
    }


def hooks_json(dm: DecisionMaker, matches: Iterable[Match]) -> dict[str, Any]:
    """`hooks --json`."""
    return {"dm": contact_fields(dm), "hooks": [match_json(m) for m in matches]}


def brief_json(b: Brief) -> dict[str, Any]:
    """`brief --json`."""
    return {
        "dm": b.contact,
        "referred_by": b.referrer,
        "conversation_number": b.conversation_number,
        "last_spoke_on": b.last_spoke_on,
        "last_outcome": b.last_outcome,
        "last_summary": b.last_summary,
        "reason": b.reason,
        "purpose": b.purpose,
        "picture": picture_json(b.picture),
        "open_loops": [
            {
                "kind": x.kind,
                "opened_on": x.opened_on,
                "age_days": x.age_days,
                "chases": x.chases,
                "text": x.text,
            }
            for x in b.loops
        ],
        "hooks": [match_json(m) for m in b.hooks],
        "jobs": [client_job_json(j) for j in b.jobs],
        "opening": b.opening,
        "say": b.say,
        "ask": b.ask,
        "push": b.push,
        "closing": [{"when": c.when, "line": c.line} for c in b.closing],
    }


# --- the forecast -------------------------------------------------------------------------


def forecast_day_json(d: Day) -> dict[str, Any]:
    return {
        "date": d.on,
        "diarised": d.diarised,
        "catch_ups": d.catch_ups,
        "new": d.new,
        "delivery": d.delivery,
        "total": d.total,
        "flexible": d.flexible,
        "over": d.over,
    }


def forecast_summary_json(f: Forecast) -> dict[str, Any]:
    busiest = f.busiest
    return {
        "days_over_capacity": len(f.over_days),
        "calls_over_capacity": sum(d.over for d in f.over_days),
        "busiest": {"date": busiest.on, "total": busiest.total} if busiest else None,
    }


def forecast_json(
    f: Forecast, *, recruiter: str | None, rebalance: dict[str, Any] | None = None
) -> dict[str, Any]:
    """`forecast --json` (with ``rebalance``: `forecast --rebalance --json`)."""
    return {
        "date": f.today,
        "until": f.until,
        "capacity": f.capacity,
        "days": [forecast_day_json(d) for d in f.days],
        "total": sum(d.total for d in f.days),
        **forecast_summary_json(f),
        "recruiter": recruiter,
        "rebalance": rebalance,
    }


def rebalance_json(
    result: Rebalance, moves: list[dict[str, Any]], *, applied: bool
) -> dict[str, Any]:
    """The ``rebalance`` part of `forecast --rebalance --json`."""
    return {
        "applied": applied,
        "moves": moves,
        "before": forecast_summary_json(result.before),
        "after": forecast_summary_json(result.after),
    }


# --- settings, the store, statistics ------------------------------------------------------


def setting_rows(settings: Settings, keys: Iterable[Any]) -> list[dict[str, Any]]:
    """Each setting, its value and where the value comes from."""
    return [
        {
            "key": key.name,
            "value": settings.values[key.name],
            "source": settings.sources.get(key.name, "default"),
            "env": key.env,
            "help": key.help,
        }
        for key in keys
    ]


def config_json(settings: Settings, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """`config show --json`."""
    return {"file": str(settings.path), "settings": rows}


def store_status_json(
    *,
    store: str,
    schema: str | None,
    schema_needed: str,
    state: str,
    size: int | None,
    counts: Mapping[str, int],
) -> dict[str, Any]:
    """`db status --json`."""
    return {
        "store": store,
        "schema": schema,
        "schema_needed": schema_needed,
        "state": state,
        "size_bytes": size,
        "counts": dict(counts),
    }


def check_json(findings: Sequence[Finding], *, store: str) -> dict[str, Any]:
    """`db check --json`."""
    return {
        "store": store,
        "ok": all(f.ok for f in findings),
        "checks": [
            {"check": f.check, "ok": f.ok, "detail": f.detail, "rows": f.rows} for f in findings
        ],
    }


def stats_json(report: Report) -> dict[str, Any]:
    """`stats --json`."""
    data = asdict(report)
    data["from"] = data.pop("start")
    data["to"] = data.pop("end")
    return data


def team_json(figures: Sequence[RecruiterFigures], *, start: date, end: date) -> dict[str, Any]:
    """`stats --team --json`."""
    return {"from": start, "to": end, "recruiters": [asdict(r) for r in figures]}


def explained_json(found: Explained, *, start: date, end: date) -> dict[str, Any]:
    """`stats --explain FIGURE --json`."""
    return {
        "figure": found.figure,
        "description": found.description,
        "from": start,
        "to": end,
        "rows": found.rows,
    }


def call_list_json(
    dm: DecisionMaker, calls: Sequence[Call], hooks_used: Mapping[int, Any]
) -> dict[str, Any]:
    """`call list DM`: the DM and their calls, newest first, each with its id."""
    return {
        "dm": {"id": dm.id, "name": dm.name, "company": dm.company},
        "calls": [call_json(c, hooks_used.get(c.id or 0, [])) for c in calls],
    }


# --- a team store's recruiters and log ------------------------------------------------------


def team_member_json(m: Member) -> dict[str, Any]:
    """A recruiter of a team store (`team list`): their database login and what it may do."""
    return {"name": m.name, "role": m.role, "lead": m.lead, "can_login": m.can_login, "dms": m.dms}


def team_event_json(e: Logged) -> dict[str, Any]:
    """One entry of the team log (`team log`): a DM reassigned, marked do-not-call (or
    lifted) or erased, by whom and when."""
    return {
        "at": e.at,
        "recruiter": e.actor,
        "role": e.role,
        "action": e.action,
        "dm_id": e.dm_id,
        "dm": e.dm,
        "detail": e.detail,
    }
