"""Delivery: the calls a candidate's way to a job asks for (DOMAIN.md, "The other half
of the day"): phone, don't email. Pure: dates and settings in, planned calls out.

A **submission** puts a candidate forward for a job and moves through the stages
submitted (CVs sent) → interview → offered → placed, or withdrawn at any point. Each
stage plans phone calls (``plan``), by delays in the settings (``delivery.*``):

- submitted: the client, ``cv-feedback`` (a chase), ``delivery.cv_feedback`` after
  the CVs went (2 working days);
- interview: the candidate, ``interview-prep``, ``delivery.prep`` before it (1 working
  day; today if that is past); the candidate, ``interview-feedback``, an hour after it;
  the client, ``interview-feedback`` (a chase), the same day, after the candidate's;
- an interview missed: both, ``no-show``, the day it is recorded;
- offered: both, ``offer``, the day of the offer;
- placed: both, ``start-check-in``, ``delivery.check_in`` after the start (3 working
  days);
- withdrawn: nothing.

A stage that moves closes the calls still open from the stage before (``STAGE``). A
conversation with the party makes a call planned for them once it is due (``CALL``);
interview prep counts from the day the interview was booked. A chase of the client's
answer (CV feedback, interview feedback) is different: it stays open until the stage
moves, and a conversation that brings no answer diarises the next chase,
``delivery.chase`` later (``progress``). Dials that didn't connect change nothing: the
call stays due.

Candidates are people called on their own cycle too (``candidate_cycle_days``, 30 by
default) while they are looking, interviewing or offered; ``CANDIDATE_OUTCOMES`` are the
outcomes of a call to a candidate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from callplan.core.config import DELIVERY_DELAYS, Delay, Settings
from callplan.core.loops import ago
from callplan.core.outcomes import Kind
from callplan.core.wording import day
from callplan.core.workdays import WorkCalendar
from callplan.errors import UsageError

CLIENT = "client"
CANDIDATE = "candidate"
PARTIES = (CANDIDATE, CLIENT)  # the candidate first: their feedback before the client's

# A submission's stages, in order (withdrawn can come at any point before placed).
SUBMITTED, INTERVIEW, OFFERED, PLACED, WITHDRAWN = (
    "submitted",
    "interview",
    "offered",
    "placed",
    "withdrawn",
)
STAGES = (SUBMITTED, INTERVIEW, OFFERED, PLACED, WITHDRAWN)
LIVE = (SUBMITTED, INTERVIEW, OFFERED)  # still moving
NO_SHOW = "no-show"  # not a stage: the interview was missed (the stage stays interview)

# A candidate's job search.
LOOKING, INTERVIEWING, NOT_LOOKING = "looking", "interviewing", "not-looking"
JOB_SEARCH = (LOOKING, INTERVIEWING, OFFERED, PLACED, NOT_LOOKING)
CALLED_WHILE = (LOOKING, INTERVIEWING, OFFERED)  # on their cycle: the others aren't

# How a planned call was closed: by a conversation with the party (derived again from
# the calls while the stage stands), by the stage moving on, or made by a conversation
# before the stage moved on (settled: no longer derived, whatever happens to that call).
CALL, STAGE, MADE = "call", "stage", "made"


@dataclass(frozen=True)
class Purpose:
    party: str
    name: str
    label: str  # what the call is for: 'chase CV feedback'
    says: str  # why now in today's plan; {candidate}: their name, {stage}: stage_text
    chase: bool = False  # waits for the client's answer: open until the stage moves


PURPOSES: dict[tuple[str, str], Purpose] = {
    (p.party, p.name): p
    for p in (
        Purpose(
            CLIENT, "cv-feedback", "chase CV feedback",
            "chase CV feedback on {candidate} ({stage})", chase=True,
        ),
        Purpose(CANDIDATE, "interview-prep", "prep for the interview", "prep for the {stage}"),
        Purpose(
            CANDIDATE, "interview-feedback", "their feedback on the interview",
            "their feedback on the {stage}",
        ),
        Purpose(
            CLIENT, "interview-feedback", "interview feedback",
            "feedback on {candidate}'s {stage}", chase=True,
        ),
        Purpose(CANDIDATE, NO_SHOW, "the interview missed", "{stage}: find out why"),
        Purpose(
            CLIENT, NO_SHOW, "the interview missed", "{candidate}'s {stage}: apologise, rebook"
        ),
        Purpose(CANDIDATE, "offer", "talk the offer through", "talk the offer through ({stage})"),
        Purpose(
            CLIENT, "offer", "confirm the offer's terms",
            "confirm the offer's terms for {candidate} ({stage})",
        ),
        Purpose(
            CANDIDATE, "start-check-in", "check in after the start", "check in ({stage})"
        ),
        Purpose(
            CLIENT, "start-check-in", "check in on the new starter",
            "check in on {candidate} ({stage})",
        ),
    )
}  # fmt: skip

# The delays (settings ``delivery.NAME``) and what each is for.
DELAYS = DELIVERY_DELAYS
FEEDBACK_AFTER = timedelta(hours=1)  # the candidate's feedback call, after the interview


@dataclass(frozen=True)
class Planned:
    """A call a stage plans: to whom, what for, when."""

    party: str
    purpose: str
    due_on: date
    due_at: time | None = None

    @property
    def chase(self) -> bool:
        return PURPOSES[(self.party, self.purpose)].chase


def delay(settings: Settings, name: str) -> Delay:
    return Delay.parse(settings.values[f"delivery.{name}"])


def after(day: date, wait: Delay, calendar: WorkCalendar) -> date:
    """``wait`` after ``day``, on a working day."""
    if wait.unit == "wd":
        return calendar.add_working_days(day, wait.amount)
    return calendar.next_working(day + timedelta(days=wait.amount))


def before(day: date, wait: Delay, calendar: WorkCalendar) -> date:
    """``wait`` before ``day``, on a working day (the working day before, for 1wd)."""
    found = day
    if wait.unit == "wd":
        for _ in range(wait.amount):
            found = calendar.previous_working(found, inclusive=False)
        return found
    return calendar.previous_working(day - timedelta(days=wait.amount))


def plan(
    stage: str,
    *,
    on: date,
    today: date,
    settings: Settings,
    calendar: WorkCalendar,
    interview_at: time | None = None,
    starts_on: date | None = None,
) -> list[Planned]:
    """The calls a submission reaching ``stage`` (or NO_SHOW) on ``on`` plans. For an
    interview ``on`` is its day and ``interview_at`` its time; for placed, ``starts_on``
    is the start date (the placement day if not known). Nothing is planned before
    ``today``: a call whose day has passed is due today."""

    def due(day: date, at: time | None = None) -> tuple[date, time | None]:
        return (day, at) if day >= today else (today, None)

    calls: list[Planned] = []
    if stage == SUBMITTED:
        calls.append(
            Planned(
                CLIENT, "cv-feedback", *due(after(on, delay(settings, "cv_feedback"), calendar))
            )
        )
    elif stage == INTERVIEW:
        prep_on = before(on, delay(settings, "prep"), calendar)
        calls.append(Planned(CANDIDATE, "interview-prep", *due(prep_on)))
        feedback_at = None
        if interview_at is not None:
            later = datetime.combine(on, interview_at) + FEEDBACK_AFTER
            feedback_at = later.time() if later.date() == on else time(23, 59)
        calls.append(Planned(CANDIDATE, "interview-feedback", *due(on, feedback_at)))
        calls.append(Planned(CLIENT, "interview-feedback", *due(on, feedback_at)))
    elif stage == NO_SHOW:
        calls += [Planned(party, NO_SHOW, *due(on)) for party in PARTIES]
    elif stage == OFFERED:
        calls += [Planned(party, "offer", *due(on)) for party in PARTIES]
    elif stage == PLACED:
        check_on = after(starts_on or on, delay(settings, "check_in"), calendar)
        calls += [Planned(party, "start-check-in", *due(check_on)) for party in PARTIES]
    return calls


# --- moving a submission ------------------------------------------------------------

# The stages each stage can be reached from.
FROM: dict[str, tuple[str, ...]] = {
    INTERVIEW: (SUBMITTED, INTERVIEW),  # a second interview is an interview again
    OFFERED: (SUBMITTED, INTERVIEW),
    PLACED: (SUBMITTED, INTERVIEW, OFFERED),
    WITHDRAWN: LIVE,
}


def check_move(current: str, to: str, *, who: str, since: date) -> None:
    """Refuse a stage ``to`` the submission can't reach from ``current``; ``who``: the
    candidate and job as the message names them."""
    if current in FROM.get(to, ()):
        return
    if current == PLACED:
        raise UsageError(f"{who} was placed on {since.isoformat()}: nothing more to move.")
    if current == WITHDRAWN:
        raise UsageError(
            f"{who} was withdrawn on {since.isoformat()}: submit them again to start over."
        )
    raise UsageError(f"{who} is at {current}: it can't go to {to} from there.")


def job_search_after(stages: Sequence[str], current: str) -> str:
    """A candidate's job search once their submissions stand at ``stages``: the furthest
    live stage (placed, offered, interviewing), else as it was unless that was a stage
    that no longer holds (then looking)."""
    if PLACED in stages:
        return PLACED
    if OFFERED in stages:
        return OFFERED
    if INTERVIEW in stages:
        return INTERVIEWING
    return current if current in (LOOKING, NOT_LOOKING) else LOOKING


# --- a conversation with a party ------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """Where a planned call stands after the conversations with its party: when it is
    due, how many chases brought no answer, and the day a conversation made it."""

    due_on: date
    chases: int = 0
    done_on: date | None = None


def progress(
    party: str,
    purpose: str,
    *,
    planned_on: date,
    stage_on: date,
    conversations: Sequence[date],
    settings: Settings,
    calendar: WorkCalendar,
) -> Progress:
    """A planned call (due ``planned_on``, its submission at its stage since
    ``stage_on``) after the days ``conversations`` with its party: the first one once it
    is due makes it (interview prep counts from the booking); a chase of the client's
    answer is never made by a conversation, each day one brings no answer diarises the
    next chase ``delivery.chase`` later. Derived again whenever the calls change, so
    taking a call back takes back what it did."""
    starts = stage_on if purpose == "interview-prep" else planned_on
    days = sorted({day for day in conversations if day >= starts})
    if not PURPOSES[(party, purpose)].chase:
        return Progress(planned_on, 0, days[0] if days else None)
    if not days:
        return Progress(planned_on)
    return Progress(after(days[-1], delay(settings, "chase"), calendar), len(days))


# --- how the plan says it ----------------------------------------------------------------


@dataclass(frozen=True)
class StageFacts:
    """Where a submission stands, as the plan tells it."""

    stage: str
    stage_on: date
    submitted_on: date
    interview_on: date | None = None
    interview_at: time | None = None
    no_show: bool = False
    starts_on: date | None = None


def stage_text(facts: StageFacts, today: date) -> str:
    """'CVs sent 3 days ago', 'interview Thu 26 Nov at 10:00', 'interview missed
    yesterday', 'offered today', 'placed, starts Mon 4 Jan 2027', 'withdrawn'."""
    if facts.stage == SUBMITTED:
        return f"CVs sent {ago((today - facts.submitted_on).days)}"
    if facts.stage == INTERVIEW and facts.interview_on is not None:
        if facts.no_show:
            return f"interview missed {day(facts.interview_on, today)}"
        at = f" at {facts.interview_at:%H:%M}" if facts.interview_at else ""
        return f"interview {day(facts.interview_on, today)}{at}"
    if facts.stage == OFFERED:
        return f"offered {ago((today - facts.stage_on).days)}"
    if facts.stage == PLACED:
        return f"placed, starts {day(facts.starts_on, today)}" if facts.starts_on else "placed"
    return facts.stage


def call_reason(
    party: str, purpose: str, *, candidate: str, facts: StageFacts, chases: int, today: date
) -> str:
    """Why a planned call is on today's list: 'chase CV feedback on Ann Lee (CVs sent 3
    days ago), 1 chase' to the client; 'prep for the interview tomorrow at 10:00' to
    the candidate. The job is shown beside it."""
    text = PURPOSES[(party, purpose)].says.format(
        candidate=candidate, stage=stage_text(facts, today)
    )
    if chases:
        text += f", {chases} chase{'s' if chases != 1 else ''}"
    return text


# --- calls to candidates --------------------------------------------------------------


@dataclass(frozen=True)
class CandidateOutcome:
    type: str
    kind: Kind
    help: str
    delay: str  # the next call: "cycle", or a Delay ("2wd", "1wd", "0d")


CANDIDATE_OUTCOMES: dict[str, CandidateOutcome] = {
    o.type: o
    for o in (
        CandidateOutcome(
            "interested", Kind.ADVANCE, "interested in a role you put to them (--job)", "2wd"
        ),
        CandidateOutcome(
            "offer-accepted", Kind.ADVANCE, "accepted an offer: callplan placed next", "cycle"
        ),
        CandidateOutcome(
            "referral-given", Kind.ADVANCE, "gave you the name of someone looking", "cycle"
        ),
        CandidateOutcome(
            "update-given", Kind.CONTINUATION, "their search, brought up to date", "cycle"
        ),
        CandidateOutcome(
            "not-interested", Kind.CONTINUATION, "not for the role you put to them", "cycle"
        ),
        CandidateOutcome(
            "interview-feedback", Kind.CONTINUATION, "told you how an interview went", "cycle"
        ),
        CandidateOutcome("offer-declined", Kind.CONTINUATION, "turned an offer down", "2wd"),
        CandidateOutcome("no-answer", Kind.NO_CONNECT, "no answer", "1wd"),
        CandidateOutcome("voicemail", Kind.NO_CONNECT, "left a voicemail", "1wd"),
        CandidateOutcome("busy", Kind.NO_CONNECT, "engaged: try again today", "0d"),
        CandidateOutcome("wrong-number", Kind.NO_CONNECT, "the number is wrong", "1wd"),
    )
}


def candidate_cycle(settings: Settings, own: int | None) -> int:
    """A candidate's cycle in days: their own, else ``candidate_cycle_days``."""
    return own if own is not None else int(settings.values["candidate_cycle_days"])


@dataclass(frozen=True)
class Talked:
    """A call to a candidate as their diary reads it."""

    called_on: date
    outcome: str
    next_call_on: date | None


@dataclass(frozen=True)
class CandidateDiary:
    """What a candidate's calls leave: their last conversation, how many, and the next
    call their latest call diarised, with its outcome as the reason."""

    last_conversation_on: date | None
    conversation_count: int
    next_call_on: date | None
    due_reason: str | None


def candidate_diary(calls: Sequence[Talked]) -> CandidateDiary:
    """A candidate's diary from their calls, in the order made (the day, then the order
    logged): derived again whenever a call is taken back, so nothing is stored to undo."""
    spoken = [c.called_on for c in calls if CANDIDATE_OUTCOMES[c.outcome].kind.is_conversation]
    latest = calls[-1] if calls else None
    next_on = latest.next_call_on if latest else None
    return CandidateDiary(
        max(spoken, default=None),
        len(spoken),
        next_on,
        latest.outcome if latest is not None and next_on is not None else None,
    )


def candidate_rediarised(
    *,
    next_call_on: date | None,
    last_conversation_on: date | None,
    cycle_days: int,
    job_search: str,
    today: date,
    calendar: WorkCalendar,
) -> date | None:
    """A candidate's next call once their job search or their cycle changed: none
    unless they are looking, interviewing or offered; within the cycle from their last
    conversation (never before today), diarised at its end if nothing was. A candidate
    never spoken to keeps what they had."""
    if job_search not in CALLED_WHILE:
        return None
    if last_conversation_on is None:
        return next_call_on
    limit = max(today, calendar.previous_working(last_conversation_on + timedelta(days=cycle_days)))
    return limit if next_call_on is None or next_call_on > limit else next_call_on


def candidate_next_call(
    outcome: str,
    *,
    on: date,
    settings: Settings,
    calendar: WorkCalendar,
    cycle_days: int | None,
    job_search: str,
    requested: date | None = None,
) -> date | None:
    """When to call a candidate next after a call with ``outcome`` on ``on``: the date
    asked for, else the outcome's delay, at most their cycle after a conversation; no
    date for a candidate placed or not looking (their planned calls still come)."""
    if requested is not None:
        if requested < on:
            raise UsageError(
                f"The next call ({requested.isoformat()}) can't be before the call itself "
                f"({on.isoformat()})."
            )
        return requested
    if job_search not in CALLED_WHILE:
        return None
    found = CANDIDATE_OUTCOMES[outcome]
    cycle = timedelta(days=candidate_cycle(settings, cycle_days))
    if found.delay == "cycle":
        return calendar.previous_working(on + cycle)
    return after(on, Delay.parse(found.delay), calendar)


def candidate_reason(
    *, due_reason: str | None, job_search: str, last_spoke_on: date | None, today: date
) -> str:
    """Why a candidate is due a call of their own: what their last call left, or keeping
    in touch while they look ('follow up the role they liked', 'looking: last spoke 31
    days ago')."""
    found = CANDIDATE_OUTCOMES.get(due_reason or "")
    if found is not None and found.kind is Kind.NO_CONNECT:
        return f"try again ({found.type})"
    if due_reason == "interested":
        return "follow up the role they liked"
    if due_reason == "offer-declined":
        return "after the offer they turned down: what would they move for?"
    spoke = (
        f"last spoke {ago((today - last_spoke_on).days)}" if last_spoke_on else "not spoken to yet"
    )
    return f"{job_search}: {spoke}"


# --- a job's standing, as its client hears it -------------------------------------------


@dataclass(frozen=True)
class ClientJob:
    """An open job of a client DM and where it stands (``job_standing``): listed in
    their brief and `dm show`, and a reason to call them when they are due."""

    id: int
    title: str
    standing: str

    @property
    def ref(self) -> str:
        return f"job:{self.id}"

    def line(self) -> str:
        """'job:7 Senior .NET Developer: 3 CVs sent, 1 interview Thu 26 Nov'."""
        return f"{self.ref} {self.title}: {self.standing}"


def _counted(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def job_standing(submissions: Sequence[StageFacts], today: date) -> str:
    """Where a job stands, from its submissions, as the client is told it: the CVs sent
    (every submission), then how many are at each later stage: '3 CVs sent, 1 interview
    Thu 26 Nov, 1 offer'; an interview missed, placed and withdrawn are counted too.
    'no CVs sent yet' for a job with none."""
    if not submissions:
        return "no CVs sent yet"
    parts = [_counted(len(submissions), "CV sent", "CVs sent")]
    booked = [f for f in submissions if f.stage == INTERVIEW and not f.no_show]
    if booked:
        days = sorted({f.interview_on for f in booked if f.interview_on is not None})
        when = ", ".join(day(d, today) for d in days)
        parts.append(
            _counted(len(booked), "interview", "interviews") + (f" {when}" if when else "")
        )
    missed = sum(1 for f in submissions if f.stage == INTERVIEW and f.no_show)
    if missed:
        parts.append(_counted(missed, "interview missed", "interviews missed"))
    for stage, one, many in (
        (OFFERED, "offer", "offers"),
        (PLACED, "placed", "placed"),
        (WITHDRAWN, "withdrawn", "withdrawn"),
    ):
        n = sum(1 for f in submissions if f.stage == stage)
        if n:
            parts.append(_counted(n, one, many))
    return ", ".join(parts)
