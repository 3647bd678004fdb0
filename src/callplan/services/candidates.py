"""Candidates as people you call (core.delivery): adding and editing them, who `log`
means by a name (a DM or a candidate, never guessed), logging a call to a candidate and
taking it back, and everything `candidate show` tells."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, time
from typing import TYPE_CHECKING, Any

from callplan.core import delivery
from callplan.core.delivery import CANDIDATE_OUTCOMES, CandidateOutcome
from callplan.core.desk import Desk
from callplan.core.hooks import normalise_tags
from callplan.core.names import name_key
from callplan.core.outcomes import OUTCOMES, REASON_CYCLE, REASON_MANUAL, Kind, types_of
from callplan.core.phones import region_of
from callplan.errors import HookNotFound, UsageError
from callplan.services import people, shapes
from callplan.services.calls import typed_outcome
from callplan.services.delivery import calls_changed
from callplan.store import privacy, queries, team
from callplan.store.models import Candidate, CandidateCall, DecisionMaker

if TYPE_CHECKING:
    from sqlmodel import Session

# --- the outcome of a call to a candidate ----------------------------------------------


def types_for_candidate(kind: Kind) -> list[str]:
    return [o.type for o in CANDIDATE_OUTCOMES.values() if o.kind is kind]


def outcome_from(
    *, advance: str | None, continuation: str | None, no_connect: str | None
) -> CandidateOutcome:
    """The outcome of a call to a candidate: exactly one of the three options, with a
    candidate outcome of its kind (a DM's outcome is refused, naming the valid ones)."""
    kind, key, typed = typed_outcome(advance, continuation, no_connect)
    valid = ", ".join(types_for_candidate(kind))
    outcome = CANDIDATE_OUTCOMES.get(key)
    if outcome is None:
        if key in OUTCOMES:
            raise UsageError(
                f"{key} is an outcome of a call to a DM: for a candidate, --{kind.value} "
                f"takes one of {valid}."
            )
        raise UsageError(
            f"Unknown {kind.value} type {typed!r} for a candidate: use one of {valid}."
        )
    if outcome.kind is not kind:
        raise UsageError(
            f"{key} is not a type of {kind.value} but of {outcome.kind.value}: use "
            f"--{outcome.kind.value} {key}."
        )
    return outcome


def refuse_candidate_outcome(
    *, advance: str | None, continuation: str | None, no_connect: str | None
) -> None:
    """For a call to a DM: refuse an outcome that only a call to a candidate has."""
    given = [v for v in (advance, continuation, no_connect) if v is not None]
    if len(given) != 1:
        return  # the DM's own check says so
    kind, key, _ = typed_outcome(advance, continuation, no_connect)
    if key in CANDIDATE_OUTCOMES and key not in OUTCOMES:
        valid = ", ".join(t for t in types_of(kind))
        raise UsageError(
            f"{key} is an outcome of a call to a candidate: for a DM, --{kind.value} takes "
            f"one of {valid}."
        )


# --- who `log` means ---------------------------------------------------------------------


@dataclass(frozen=True)
class Callee:
    """Someone `log` can mean: a DM or a candidate, with the ref that names them for
    sure (``dm:12``, ``candidate:3``) and how to tell them apart."""

    kind: str  # "dm" or "candidate"
    id: int
    label: str

    @property
    def ref(self) -> str:
        return f"{self.kind}:{self.id}"


def _dm_callee(dm: DecisionMaker) -> Callee:
    assert dm.id is not None
    return Callee("dm", dm.id, queries.dms.describe(dm).split(" ", 1)[1])


def _candidate_callee(candidate: Candidate) -> Callee:
    assert candidate.id is not None
    return Callee("candidate", candidate.id, candidate.name)


def find(s: Session, *, ref: str) -> Candidate:
    """A candidate by id (``3``, ``candidate:3``, ``#3``) or by name (exact, prefix,
    then part, any case); several matching is an error naming them."""
    text = ref.strip().removeprefix("candidate:").strip().lstrip("#").strip()
    if not text:
        raise UsageError("Name a candidate (a name or an id).")
    if text.isascii() and text.isdigit():
        return queries.hooks.get_candidate(s, candidate_id=int(text))
    _, found = queries.candidates.matching(s, text=text)
    if len(found) == 1:
        return found[0]
    if not found:
        raise HookNotFound(f"No candidate matches {text!r}. See 'callplan candidate list'.")
    names = ", ".join(f"candidate:{c.id} {c.name}" for c in found[: queries.candidates.MAX_SHOWN])
    raise UsageError(f"{text!r} matches {len(found)} candidates: {names}. Use the id.")


def callees(s: Session, *, ref: str) -> list[Callee]:
    """Who `log REF` means: ``candidate:ID`` (or a name after it) a candidate; ``dm:ID``,
    ``#ID`` or an id a DM; a name the DMs and the candidates it matches best (an exact
    name before one that starts with it, before one that holds it). More than one means
    the caller asks which, or refuses: never a guess."""
    text = ref.strip()
    if text.lower().startswith("candidate:"):
        return [_candidate_callee(find(s, ref=text))]
    if text.lower().startswith("dm:"):
        return [_dm_callee(queries.dms.find_dm(s, ref=text[3:]))]
    bare = text.lstrip("#")
    key = name_key(bare)
    if not bare or (bare.isascii() and bare.isdigit()) or not key:
        return [_dm_callee(queries.dms.find_dm(s, ref=text))]
    dm_rank, dms = queries.dms.matching(s, key=key)
    candidate_rank, candidates = queries.candidates.matching(s, text=bare)
    if not candidates or (dms and dm_rank < candidate_rank):
        return [_dm_callee(queries.dms.find_dm(s, ref=text))]  # its own errors: ambiguous...
    found = [_candidate_callee(c) for c in candidates]
    if dms and dm_rank == candidate_rank:
        found = [_dm_callee(dm) for dm in dms] + found
    if len(found) > 1 and all(c.kind == "candidate" for c in found):
        names = ", ".join(f"{c.ref} {c.label}" for c in found[: queries.candidates.MAX_SHOWN])
        raise UsageError(f"{text!r} matches {len(found)} candidates: {names}. Use the id.")
    return found


def ambiguous(ref: str, found: Sequence[Callee]) -> UsageError:
    """The error for a name that means several people when nobody can be asked."""
    names = ", ".join(f"{c.ref} ({c.label})" for c in found[: queries.candidates.MAX_SHOWN])
    return UsageError(
        f"{ref.strip()!r} is both a DM and a candidate: {names}. Log with the ref, e.g. "
        f"callplan log {found[0].ref} ..."
    )


# --- adding and editing ----------------------------------------------------------------


@dataclass(frozen=True)
class Referral:
    """A candidate named on a call: 'NAME[, PHONE]'."""

    name: str
    phone: str | None = None

    @classmethod
    def parse(cls, text: str) -> Referral:
        parts = [" ".join(p.split()) for p in text.split(",")]
        if not parts[0] or len(parts) > 2:
            raise UsageError(
                f"Can't read the candidate referral {text!r}: use 'NAME, PHONE' (the phone "
                "is optional)."
            )
        return cls(parts[0], parts[1] if len(parts) > 1 and parts[1] else None)


def add(
    s: Session,
    desk: Desk,
    *,
    name: str,
    phone: str | None = None,
    email: str | None = None,
    headline: str | None = None,
    tags: Sequence[str] = (),
    available_on: date | None = None,
    cycle_days: int | None = None,
    job_search: str = delivery.LOOKING,
    due_on: date | None = None,
    due_at: time | None = None,
    referred_by_dm_id: int | None = None,
    force: bool = False,
) -> Candidate:
    """A new candidate, the desk's recruiter's to call; diarised only when ``due_on``
    is given (their first call: nothing is known to plan it by). Refused for someone
    erased at their request unless ``force`` (they asked to be back: the erasure's
    suppression is lifted)."""
    erased = privacy.suppressed_candidate(
        s, region=region_of(desk.settings.country), name=name, email=email, phone=phone
    )
    if erased and not force:
        raise UsageError(
            f"{name} matches someone erased at their request (callplan candidate forget); "
            "use --force only if they have asked to be back."
        )
    if erased:
        team.check_lead(
            s,
            action=f"Adding back {name}, erased at their request,",
            command="callplan candidate add --force",
        )
    privacy.lift(s, digests=erased)
    candidate = Candidate(
        name=name,
        headline=headline,
        available_on=available_on,
        tags=",".join(normalise_tags(tags)),
        phone=phone,
        email=email,
        job_search=job_search,
        cycle_days=cycle_days,
        owner=desk.recruiter,
        referred_by_dm_id=referred_by_dm_id,
    )
    if due_on is not None:
        _due(candidate, due_on, due_at, desk.today)
    s.add(candidate)
    s.flush()
    return candidate


def add_referred(
    s: Session, desk: Desk, named: Sequence[Referral], *, by_dm_id: int | None = None
) -> tuple[list[Candidate], list[str]]:
    """The candidates a call named (`--candidate-referral`, from ``by_dm_id`` when a DM
    gave them): added, except anyone erased at their request (a warning says so)."""
    added: list[Candidate] = []
    warnings: list[str] = []
    for r in named:
        try:
            added.append(add(s, desk, name=r.name, phone=r.phone, referred_by_dm_id=by_dm_id))
        except UsageError:
            warnings.append(f"{r.name} was erased at their request: not added.")
    return added, warnings


def _due(candidate: Candidate, on: date, at: time | None, today: date) -> None:
    if on < today:
        raise UsageError(f"The next call ({on.isoformat()}) can't be in the past.")
    candidate.next_call_on, candidate.next_call_at, candidate.due_reason = on, at, REASON_MANUAL


def job_search_of(text: str) -> str:
    """A job search as typed: one of core.delivery.JOB_SEARCH ('not looking' too)."""
    key = "-".join(text.strip().lower().replace("_", " ").split())
    if key not in delivery.JOB_SEARCH:
        raise UsageError(
            f"Unknown job search {text!r}: use one of {', '.join(delivery.JOB_SEARCH)}."
        )
    return key


UNSET = object()  # an edit that leaves a field alone


@dataclass
class Changes:
    """What `candidate edit` changes: None leaves a text field alone, '' clears it."""

    name: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)  # phone, email, headline, available_on
    tags: Sequence[str] = ()
    untags: Sequence[str] = ()
    job_search: str | None = None
    cycle: Any = UNSET  # int, or None for the setting
    due_on: date | None = None
    due_at: time | None = None


def edit(s: Session, desk: Desk, *, candidate: Candidate, changes: Changes) -> list[str]:
    """Change a candidate's details; a new job search or cycle diarises their next call
    again (core.delivery.candidate_rediarised), and --due sets it by hand. The names of
    the fields changed."""
    team.check_details(s, owner=candidate.owner, name=candidate.name, candidate=True)
    changed: list[str] = []
    if changes.name is not None:
        candidate.name = changes.name
        changed.append("name")
    for name, value in changes.fields.items():
        setattr(candidate, name, value)
        changed.append(name.removesuffix("_on").replace("_", " "))
    if changes.tags or changes.untags:
        tags = [t for t in candidate.tags.split(",") if t]
        gone = set(normalise_tags(changes.untags))
        candidate.tags = ",".join(
            normalise_tags([t for t in tags if t not in gone] + list(changes.tags))
        )
        changed.append("tags")
    if changes.job_search is not None:
        candidate.job_search = changes.job_search
        changed.append("job search")
    if changes.cycle is not UNSET:
        candidate.cycle_days = changes.cycle
        changed.append("cycle")
    if changes.job_search is not None or changes.cycle is not UNSET:
        again = delivery.candidate_rediarised(
            next_call_on=candidate.next_call_on,
            last_conversation_on=candidate.last_conversation_on,
            cycle_days=delivery.candidate_cycle(desk.settings, candidate.cycle_days),
            job_search=candidate.job_search,
            today=desk.today,
            calendar=desk.calendar,
        )
        if again != candidate.next_call_on:
            candidate.next_call_on, candidate.next_call_at = again, None
            candidate.due_reason = None if again is None else REASON_CYCLE
            changed.append("next call")
    if changes.due_on is not None:
        _due(candidate, changes.due_on, changes.due_at, desk.today)
        changed.append("next call")
    if not changed:
        raise UsageError("Nothing to change: give a field to edit (see --help).")
    s.add(candidate)
    return list(dict.fromkeys(changed))


# --- a call to a candidate ---------------------------------------------------------------


@dataclass
class Logged:
    call: CandidateCall
    candidate: Candidate
    latest: bool  # the latest call: it set the next call
    referred: list[Candidate] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _locked(s: Session, candidate_id: int) -> Candidate:
    """The candidate, their row locked on PostgreSQL: a colleague's call waits."""
    candidate = s.get(Candidate, candidate_id)
    assert candidate is not None
    if s.get_bind().dialect.name == "postgresql":
        s.refresh(candidate, with_for_update=True)
    return candidate


def job_id_of(s: Session, ref: str) -> int:
    """The job `--job` names (an id, or ``job:ID``): it must exist."""
    text = ref.strip().removeprefix("job:").lstrip("#").strip()
    if not (text.isascii() and text.isdigit()):
        raise UsageError(f"--job takes a job's id (callplan job list), not {ref!r}.")
    job = queries.hooks.get_job(s, job_id=int(text))
    assert job.id is not None
    return job.id


def log_call(
    s: Session,
    desk: Desk,
    *,
    candidate_id: int,
    outcome: CandidateOutcome,
    called_on: date,
    summary: str | None = None,
    job: str | None = None,
    requested_next: date | None = None,
    next_call_at: time | None = None,
    referrals: Sequence[Referral] = (),
) -> Logged:
    """Record a call to a candidate and diarise their next one (core.delivery
    .candidate_next_call) when it is their latest; the planned delivery calls it makes
    follow (services.delivery.calls_changed). A candidate it referred is added, theirs
    to call."""
    if referrals and outcome.type != "referral-given":
        raise UsageError("--candidate-referral goes with --advance referral-given.")
    candidate = _locked(s, candidate_id)
    job_id = job_id_of(s, job) if job is not None else None
    next_on = delivery.candidate_next_call(
        outcome.type,
        on=called_on,
        settings=desk.settings,
        calendar=desk.calendar,
        cycle_days=candidate.cycle_days,
        job_search=candidate.job_search,
        requested=requested_next,
    )
    call = queries.candidates.record_call(
        s,
        candidate=candidate,
        outcome=outcome,
        called_on=called_on,
        summary=summary,
        job_id=job_id,
        next_call_on=next_on,
        recruiter=desk.recruiter,
    )
    assert candidate.id is not None
    calls = queries.candidates.calls_of(s, candidate_id=candidate.id)
    latest = calls[-1].id == call.id
    queries.candidates.set_diary(candidate, calls, latest=latest)
    if latest and next_call_at is not None and next_on == requested_next:
        candidate.next_call_at = next_call_at
    s.add(candidate)
    logged = Logged(call, candidate, latest)
    if not latest:
        logged.warnings.append(
            "A later call is already logged, so this one doesn't change the next call date."
        )
    added, left_out = add_referred(s, desk, referrals)
    logged.referred += added
    logged.warnings += left_out
    calls_changed(s, desk, candidate_ids=[candidate.id])
    return logged


@dataclass
class Taken:
    call: CandidateCall
    candidate: Candidate


def delete_call(s: Session, desk: Desk, *, call: CandidateCall) -> Taken:
    """Take back a call to a candidate: their diary derived again from the calls left
    (the next call from the latest of them, if this was the latest), and the planned
    delivery calls with them."""
    candidate = _locked(s, call.candidate_id)
    assert candidate.id is not None
    calls = queries.candidates.calls_of(s, candidate_id=candidate.id)
    was_latest = calls[-1].id == call.id
    s.delete(call)
    s.flush()
    left = [c for c in calls if c.id != call.id]
    queries.candidates.set_diary(candidate, left, latest=was_latest)
    s.add(candidate)
    calls_changed(s, desk, candidate_ids=[candidate.id])
    return Taken(call, candidate)


# --- what `candidate show` tells ---------------------------------------------------------


def details(s: Session, desk: Desk, *, candidate: Candidate) -> dict[str, Any]:
    """A candidate in full (`candidate show --json`): their details and diary, their
    calls newest first, their submissions, and the planned calls still open on them."""
    assert candidate.id is not None
    calls = queries.candidates.calls_of(s, candidate_id=candidate.id)
    titles = queries.candidates.job_titles(
        s, job_ids=[c.job_id for c in calls if c.job_id is not None]
    )
    referrer = None
    if candidate.referred_by_dm_id is not None:
        referrer = queries.dms.names_of(s, dm_ids=[candidate.referred_by_dm_id]).get(
            candidate.referred_by_dm_id
        )
    return shapes.candidate_json(
        candidate,
        cycle_days=delivery.candidate_cycle(desk.settings, candidate.cycle_days),
        referred_by=referrer,
        calls=[shapes.candidate_call_row(c, titles.get(c.job_id or 0)) for c in reversed(calls)],
        submissions=[
            shapes.submission_row(sub, job)
            for sub, job in queries.candidates.submissions_of(s, candidate_id=candidate.id)
        ],
        planned=[
            shapes.planned_call_row(call, job)
            for call, job in queries.candidates.open_calls_of(s, candidate_id=candidate.id)
        ],
    )


# --- today's candidates are tomorrow's clients ------------------------------------------


def make_prospect(
    s: Session,
    desk: Desk,
    *,
    candidate: Candidate,
    company: str | None,
    title: str | None,
    force: bool = False,
) -> tuple[DecisionMaker, str | None]:
    """Add a candidate as a DM prospect (`candidate prospect`): their name, phone and
    email, at ``company`` (default: the company of the job they were last placed in) as
    ``title``, the desk's recruiter's, with a note saying where they came from. Returns
    the DM and the company taken from the placement, if it was."""
    assert candidate.id is not None
    if candidate.prospect_dm_id is not None:
        held = queries.dms.names_of(s, dm_ids=[candidate.prospect_dm_id])
        if candidate.prospect_dm_id in held:
            raise UsageError(
                f"candidate:{candidate.id} {candidate.name} is already a prospect: "
                f"#{candidate.prospect_dm_id} {held[candidate.prospect_dm_id]}."
            )
    placed = [
        (sub, job)
        for sub, job in queries.candidates.submissions_of(s, candidate_id=candidate.id)
        if sub.stage == delivery.PLACED
    ]
    placed.sort(key=lambda pair: (pair[0].placed_on or date.min, pair[0].id or 0))
    from_job = None
    if company is None and placed:
        company = from_job = placed[-1][1].company
    fields = {
        "company": company,
        "title": title,
        "phone": candidate.phone,
        "email": candidate.email,
    }
    dm = people.add_prospect(
        s, desk, name=candidate.name, fields=fields, force=force, owner=desk.recruiter
    )
    assert dm.id is not None
    candidate.prospect_dm_id = dm.id
    s.add(candidate)
    told = f"Your candidate (candidate:{candidate.id})"
    if placed:
        sub, job = placed[-1]
        told += f", placed as {job.title}" + (f" at {job.company}" if job.company else "")
        if sub.placed_on:
            told += f" on {sub.placed_on.isoformat()}"
    queries.calls.add_note(s, dm_id=dm.id, on=desk.today, text=told + ".", recruiter=desk.recruiter)
    return dm, from_job
