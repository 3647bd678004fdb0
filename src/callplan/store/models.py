"""The tables: decision makers, their tags, calls and notes.

The scheduling state of a DM (next call, last conversation, counts) is kept on the DM
row and updated in the same transaction as the call that changes it, so the daily plan
and the sweep are single indexed queries however many calls the store holds.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from callplan.core.kinds import HookStatus, LawfulBasis, Status


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """Timezone-aware UTC timestamps, stored as naive UTC (SQLite has no time zones)."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: callplan stores timezone-aware UTC only")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return value.replace(tzinfo=UTC) if value is not None else None


def utcnow() -> datetime:
    return datetime.now(UTC)


class DecisionMaker(SQLModel, table=True):
    __tablename__ = "decision_maker"
    __table_args__ = (
        sa.Index("ix_dm_status_next_call", "status", "next_call_on"),
        sa.Index("ix_dm_status_last_conversation", "status", "last_conversation_on"),
        # Prospects in the order today picks them: due retries by date, then the oldest.
        sa.Index(
            "ix_dm_status_prospect", "status", "conversation_count", "next_call_on", "created_at"
        ),
        # A recruiter's own calls due (today's plan on a shared store).
        sa.Index("ix_dm_status_owner_next_call", "status", "owner", "next_call_on"),
        # A recruiter's DMs out of cycle (today's progress line counts them).
        sa.Index("ix_dm_status_owner_last_conversation", "status", "owner", "last_conversation_on"),
        # Each recruiter's DMs (dm list --mine, dm assign --from, stats --team).
        sa.Index("ix_dm_owner_status", "owner", "status", "conversation_count"),
        # The DMs with a cadence of their own: the tiers and day counts in use.
        sa.Index(
            "ix_dm_tier",
            "tier",
            sqlite_where=sa.text("tier IS NOT NULL"),
            postgresql_where=sa.text("tier IS NOT NULL"),
        ),
        sa.Index(
            "ix_dm_cycle_days",
            "cycle_days",
            sqlite_where=sa.text("cycle_days IS NOT NULL"),
            postgresql_where=sa.text("cycle_days IS NOT NULL"),
        ),
        # The DMs one referred (dm show, brief), and clearing the link when one is erased.
        sa.Index(
            "ix_dm_referred_by",
            "referred_by_id",
            sqlite_where=sa.text("referred_by_id IS NOT NULL"),
            postgresql_where=sa.text("referred_by_id IS NOT NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    name_key: str = Field(index=True, max_length=200)
    company: str | None = Field(default=None, max_length=200)
    title: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=60)
    email: str | None = Field(default=None, max_length=254)
    linkedin: str | None = Field(default=None, max_length=500)
    status: str = Field(default=Status.ACTIVE, max_length=20)
    needs_number: bool = Field(default=False)
    lawful_basis: str = Field(
        default=LawfulBasis.LEGITIMATE_INTEREST,
        max_length=30,
        sa_column_kwargs={"server_default": LawfulBasis.LEGITIMATE_INTEREST},
    )
    # The number is on the Corporate Telephone Preference Service: no unsolicited sales
    # or marketing calls to it unless the person has said they don't object.
    ctps: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    referred_by_id: int | None = Field(
        default=None, sa_column_args=[sa.ForeignKey("decision_maker.id", ondelete="SET NULL")]
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # Scheduling state, kept in step with the calls:
    next_call_on: date | None = Field(default=None)
    due_reason: str | None = Field(default=None, max_length=40)
    last_conversation_on: date | None = Field(default=None)
    conversation_count: int = Field(default=0)
    attempts_in_row: int = Field(default=0)
    last_outcome: str | None = Field(default=None, max_length=40)  # of the last conversation
    # What the next call is for, as the recruiter chose it (core.purposes): one of the
    # method's purposes by name, or their own words. NULL: derived from the due reason.
    due_purpose: str | None = Field(default=None, sa_type=sa.Text)
    # The DM's own cadence (core.config: cycle_of): a tier named in the config
    # (`tier.key = 14`) or a number of days; NULL for both: cycle_days.
    tier: str | None = Field(default=None, max_length=30)
    cycle_days: int | None = Field(default=None)
    # The time of day agreed for the next call ("call me Thursday at 3"), in the store's
    # local time; NULL for a call on the day at no set time. Set only with next_call_on.
    next_call_at: time | None = Field(default=None, sa_type=sa.Time)
    # The recruiter whose DM this is (a name as in the recruiter table); None for a
    # prospect in the shared pool. A first conversation makes the caller the owner.
    owner: str | None = Field(default=None, max_length=60)


class DMTag(SQLModel, table=True):
    __tablename__ = "dm_tag"

    dm_id: int = Field(
        sa_column_args=[sa.ForeignKey("decision_maker.id", ondelete="CASCADE")], primary_key=True
    )
    tag: str = Field(primary_key=True, index=True, max_length=60)


class Call(SQLModel, table=True):
    __tablename__ = "call"
    __table_args__ = (
        sa.Index("ix_call_dm_called_on", "dm_id", "called_on"),
        # A period's calls by date, with what stats counts of each (covering: no row read).
        sa.Index(
            "ix_call_called_on_number",
            "called_on",
            "conversation_number",
            "kind",
            "outcome",
            "reason",
        ),
        # Conversations only (partial indexes; attempts are left out): the Nth
        # conversations by date (with their DM), and each DM's conversations by date.
        sa.Index(
            "ix_call_number_called_on",
            "conversation_number",
            "called_on",
            "dm_id",
            "outcome",  # an import's record of a conversation is no day's work: covered
            sqlite_where=sa.text("conversation_number IS NOT NULL"),
            postgresql_where=sa.text("conversation_number IS NOT NULL"),
        ),
        sa.Index(
            "ix_call_dm_conversations",
            "dm_id",
            "called_on",
            "conversation_number",
            sqlite_where=sa.text("conversation_number IS NOT NULL"),
            postgresql_where=sa.text("conversation_number IS NOT NULL"),
        ),
        # A recruiter's conversations by number and date (their new DMs a day: the
        # quota, the streak, stats --team).
        # The calls made for a purpose the recruiter chose, by date (stats by purpose).
        sa.Index(
            "ix_call_called_on_purpose",
            "called_on",
            "purpose",
            "kind",
            sqlite_where=sa.text("purpose IS NOT NULL"),
            postgresql_where=sa.text("purpose IS NOT NULL"),
        ),
        sa.Index(
            "ix_call_recruiter_conversations",
            "recruiter",
            "conversation_number",
            "called_on",
            "outcome",  # as above: the streak reads years of them, never a row
            sqlite_where=sa.text("conversation_number IS NOT NULL"),
            postgresql_where=sa.text("conversation_number IS NOT NULL"),
        ),
        # A recruiter's calls by the time they were logged: the newest is what `undo`
        # takes back.
        sa.Index("ix_call_recruiter_logged", "recruiter", "logged_at", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    dm_id: int = Field(sa_column_args=[sa.ForeignKey("decision_maker.id", ondelete="CASCADE")])
    called_on: date
    logged_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    kind: str = Field(max_length=20)  # advance, continuation, no-connect
    outcome: str = Field(max_length=40)
    summary: str | None = Field(default=None)
    # Words marked to be said on the next call (`log --say`): the summary is the
    # recruiter's private note and never goes into the opening. NULL before 0010.
    say: str | None = Field(default=None, sa_type=sa.Text)
    next_call_on: date | None = Field(default=None)
    # 1 for the first conversation with this DM, 2 for the second...; None for attempts.
    conversation_number: int | None = Field(default=None)
    # Why the call was made: the DM's due reason when it was logged (an outcome type, or
    # manual, sweep, cycle), or "new" for a prospect. NULL for calls logged before 0004.
    reason: str | None = Field(default=None, max_length=40)
    # What the call was for, as chosen when it was diarised (the DM's due purpose when
    # logged), and the purpose it gave the next call. NULL before 0011 and when none.
    purpose: str | None = Field(default=None, sa_type=sa.Text)
    next_purpose: str | None = Field(default=None, sa_type=sa.Text)
    # The time of day agreed for the next call (`log --next "thu 15:00"`); NULL before
    # 0013 and when none. Kept so the diary can be rebuilt from the calls.
    next_call_at: time | None = Field(default=None, sa_type=sa.Time)
    # Who made the call (a name as in the recruiter table).
    recruiter: str | None = Field(default=None, max_length=60)


class CallBefore(SQLModel, table=True):
    """The DM as a call found it (core.effects.DMState): what `undo`, `call delete` and
    `call edit` put back. Written with the call (from schema 0007); a call logged before
    has none, and taking it back recomputes the diary from the calls left."""

    __tablename__ = "call_before"

    call_id: int = Field(
        sa_column_args=[sa.ForeignKey("call.id", ondelete="CASCADE")], primary_key=True
    )
    next_call_on: date | None = Field(default=None)
    due_reason: str | None = Field(default=None, max_length=40)
    status: str = Field(max_length=20)
    owner: str | None = Field(default=None, max_length=60)
    needs_number: bool = Field(default=False)
    due_purpose: str | None = Field(default=None, sa_type=sa.Text)
    next_call_at: time | None = Field(default=None, sa_type=sa.Time)


class CallReferral(SQLModel, table=True):
    """A DM added by a call (a referral, a successor): listed when the call is taken
    back, and removed with it on request."""

    __tablename__ = "call_referral"

    call_id: int = Field(
        sa_column_args=[sa.ForeignKey("call.id", ondelete="CASCADE")], primary_key=True
    )
    dm_id: int = Field(
        sa_column_args=[sa.ForeignKey("decision_maker.id", ondelete="CASCADE")],
        primary_key=True,
        index=True,
    )


class OpenLoop(SQLModel, table=True):
    """Something the recruiter is waiting on or promised (core.loops): CVs to review, a
    meeting to follow up... opened by a call's outcome, open (``closed_on`` NULL) until a
    later outcome closes it or the recruiter closes it by hand. Derived again from the
    DM's calls whenever they change (log, undo, call edit, call delete): only a close by
    hand is kept from the row itself."""

    __tablename__ = "open_loop"
    __table_args__ = (
        sa.Index("ix_open_loop_dm_closed_on", "dm_id", "closed_on"),
        # The loops a call opened or closed: found, not scanned for, when it is deleted.
        sa.Index("ix_open_loop_opened_by", "opened_by_call_id"),
        sa.Index("ix_open_loop_closed_by", "closed_by_call_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    dm_id: int = Field(sa_column_args=[sa.ForeignKey("decision_maker.id", ondelete="CASCADE")])
    kind: str = Field(max_length=40)  # the outcome type that opened it
    opened_on: date
    opened_by_call_id: int | None = Field(
        default=None, sa_column_args=[sa.ForeignKey("call.id", ondelete="SET NULL")]
    )
    chases: int = Field(default=0)  # conversations since it opened that left it open
    closed_on: date | None = Field(default=None)
    closed_by_call_id: int | None = Field(
        default=None, sa_column_args=[sa.ForeignKey("call.id", ondelete="SET NULL")]
    )
    closed_by_hand: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    recruiter: str | None = Field(default=None, max_length=60)  # who made the opening call


class Note(SQLModel, table=True):
    """Free text and the named fields a recruiter fills in after a call (see notes.py).

    A later note updates the current picture field by field; every note is kept.
    """

    __tablename__ = "note"
    __table_args__ = (
        sa.Index("ix_note_dm_noted_on", "dm_id", "noted_on"),
        # A recruiter's notes by the time they were written (`undo` takes the newest).
        sa.Index("ix_note_recruiter_created", "recruiter", "created_at", "id"),
        # The notes written with a call: deleted with it, found without a scan.
        sa.Index("ix_note_call_id", "call_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    dm_id: int = Field(
        index=True, sa_column_args=[sa.ForeignKey("decision_maker.id", ondelete="CASCADE")]
    )
    call_id: int | None = Field(
        default=None, sa_column_args=[sa.ForeignKey("call.id", ondelete="SET NULL")]
    )
    noted_on: date  # the call's date for a note written with `log`
    text: str | None = Field(default=None)
    competitor: str | None = Field(default=None, max_length=200)
    competitor_likes: str | None = Field(default=None)
    sold: str | None = Field(default=None)
    liked: str | None = Field(default=None)
    not_fussed: str | None = Field(default=None)
    process: str | None = Field(default=None)
    toughest_role: str | None = Field(default=None)
    plans: str | None = Field(default=None)
    interest: str | None = Field(default=None, max_length=10)  # hot, warm, cold
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    recruiter: str | None = Field(default=None, max_length=60)  # who wrote it


class Recruiter(SQLModel, table=True):
    """A recruiter working the store: the name as first typed, found by its key (case
    and accents ignored), so 'zoe' and 'Zoë' are one person."""

    __tablename__ = "recruiter"

    key: str = Field(primary_key=True, max_length=200)
    name: str = Field(max_length=60, unique=True)
    added_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # The PostgreSQL login role they work as on a team store (`team add`); None on SQLite.
    role: str | None = Field(default=None, max_length=63, sa_column_kwargs={"unique": True})
    # A team lead of this store (`team add --lead`): the lead role is the server's, the
    # same in every database, so whether someone leads here is the store's to say.
    lead: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})


class SweepRun(SQLModel, table=True):
    """A monthly sweep that ran (not a dry run): the day it was for, whose it was (None:
    the whole desk's) and how many DMs it placed. `today` reads the latest to know
    whether this month's is still to run."""

    __tablename__ = "sweep_run"
    __table_args__ = (sa.Index("ix_sweep_run_recruiter_swept_on", "recruiter", "swept_on"),)

    id: int | None = Field(default=None, primary_key=True)
    swept_on: date
    recruiter: str | None = Field(default=None, max_length=60)
    placed: int
    ran_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class DayGoal(SQLModel, table=True):
    """A recruiter's goal for a day (core.goals): their words, and the advances it
    counts when the words name a number and an advance (``target`` None: not counted).
    One a day each: setting another replaces it."""

    __tablename__ = "day_goal"
    __table_args__ = (sa.UniqueConstraint("recruiter", "day", name="uq_day_goal_recruiter_day"),)

    id: int | None = Field(default=None, primary_key=True)
    day: date
    recruiter: str | None = Field(default=None, max_length=60)
    text: str = Field(max_length=200)
    target: int | None = Field(default=None)
    outcome: str | None = Field(default=None, max_length=40)
    set_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Claim(SQLModel, table=True):
    """A prospect picked for a recruiter's plan on a day: nobody else is given them that
    day. A claim expires at the end of its day; one of an earlier day is replaced."""

    __tablename__ = "claim"
    __table_args__ = (sa.Index("ix_claim_recruiter_day", "recruiter", "claimed_on"),)

    dm_id: int = Field(
        sa_column_args=[sa.ForeignKey("decision_maker.id", ondelete="CASCADE")], primary_key=True
    )
    recruiter: str = Field(max_length=60)
    claimed_on: date


class Job(SQLModel, table=True):
    """A role being recruited for: a reason to call DMs who hire for the same skills, and,
    for the client DM who gave it (``client_dm_id``), a reason to call with its progress."""

    __tablename__ = "job"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    company: str | None = Field(default=None, max_length=200)
    fee: str | None = Field(default=None, max_length=60)
    tags: str = Field(default="")  # normalised tags, comma separated
    status: str = Field(default=HookStatus.OPEN, max_length=10, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    closed_on: date | None = Field(default=None)
    # The client DM who gave the job (added with 0016); cleared if they are erased.
    client_dm_id: int | None = Field(
        default=None,
        sa_column_args=[sa.ForeignKey("decision_maker.id", ondelete="SET NULL")],
        index=True,
    )
    # The call that gave it (`log -a live-requirement --job`, added with 0016): taking
    # that call back takes the job back too, unless something refers to it by then.
    from_call_id: int | None = Field(
        default=None, sa_column_args=[sa.ForeignKey("call.id", ondelete="SET NULL")]
    )


class Candidate(SQLModel, table=True):
    """A candidate: marketed to DMs as a hook while ``status`` is open (an MPC), and,
    since 0016, a person called on their own cycle (core.delivery): their job search,
    their next call, and the submissions that put them forward for jobs."""

    __tablename__ = "candidate"
    __table_args__ = (
        # The candidates due (today's delivery section): the diarised ones only.
        sa.Index(
            "ix_candidate_next_call_on",
            "next_call_on",
            sqlite_where=sa.text("next_call_on IS NOT NULL"),
            postgresql_where=sa.text("next_call_on IS NOT NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    headline: str | None = Field(default=None, max_length=300)
    tags: str = Field(default="")  # normalised tags, comma separated
    available_on: date | None = Field(default=None)
    status: str = Field(default=HookStatus.OPEN, max_length=10, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    closed_on: date | None = Field(default=None)
    # A person to call (added with 0016).
    phone: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=254)
    # looking, interviewing, offered, placed, not-looking (core.delivery.JOB_SEARCH)
    job_search: str = Field(
        default="looking", max_length=12, sa_column_kwargs={"server_default": "looking"}
    )
    cycle_days: int | None = Field(default=None)  # None: the setting candidate_cycle_days
    next_call_on: date | None = Field(default=None)
    next_call_at: time | None = Field(default=None)
    due_reason: str | None = Field(default=None, max_length=40)
    last_conversation_on: date | None = Field(default=None)
    conversation_count: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    owner: str | None = Field(default=None, max_length=60)  # the recruiter who calls them
    # The DM who gave their name (log --candidate-referral); cleared if that DM is erased.
    referred_by_dm_id: int | None = Field(
        default=None, sa_column_args=[sa.ForeignKey("decision_maker.id", ondelete="SET NULL")]
    )
    # The DM prospect made of them once placed ("today's candidates are tomorrow's
    # clients"). Not ``dm_id``: that name is for the DM a row belongs to.
    prospect_dm_id: int | None = Field(
        default=None, sa_column_args=[sa.ForeignKey("decision_maker.id", ondelete="SET NULL")]
    )


class CandidateCall(SQLModel, table=True):
    """A call to a candidate (`callplan log candidate:ID`), with a candidate outcome
    (core.delivery.CANDIDATE_OUTCOMES) and, where it was about one, the job."""

    __tablename__ = "candidate_call"
    __table_args__ = (
        sa.Index("ix_candidate_call_candidate_called_on", "candidate_id", "called_on"),
        sa.Index("ix_candidate_call_called_on", "called_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(sa_column_args=[sa.ForeignKey("candidate.id", ondelete="CASCADE")])
    called_on: date
    logged_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    kind: str = Field(max_length=12)  # advance, continuation, no-connect
    outcome: str = Field(max_length=30)
    summary: str | None = Field(default=None)
    job_id: int | None = Field(
        default=None, sa_column_args=[sa.ForeignKey("job.id", ondelete="SET NULL")]
    )
    next_call_on: date | None = Field(default=None)
    recruiter: str | None = Field(default=None, max_length=60)


class Submission(SQLModel, table=True):
    """A candidate put forward for a job (CVs sent), and where it stands
    (core.delivery.STAGES): submitted, interview, offered, placed or withdrawn. Each
    stage plans the calls the method asks for (DeliveryCall)."""

    __tablename__ = "submission"
    __table_args__ = (
        sa.UniqueConstraint("candidate_id", "job_id", name="uq_submission_candidate_job"),
        sa.Index("ix_submission_job_id", "job_id"),
        sa.Index("ix_submission_stage_on", "stage_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(sa_column_args=[sa.ForeignKey("candidate.id", ondelete="CASCADE")])
    job_id: int = Field(sa_column_args=[sa.ForeignKey("job.id", ondelete="CASCADE")])
    stage: str = Field(max_length=12)
    stage_on: date  # the day it reached its stage
    submitted_on: date
    interview_on: date | None = Field(default=None)
    interview_at: time | None = Field(default=None)
    interviews: int = Field(default=0)  # how many interviews were booked
    no_show: bool = Field(default=False)  # the candidate missed the latest interview
    offered_on: date | None = Field(default=None)
    placed_on: date | None = Field(default=None)
    starts_on: date | None = Field(default=None)
    fee: str | None = Field(default=None, max_length=60)
    withdrawn_on: date | None = Field(default=None)
    recruiter: str | None = Field(default=None, max_length=60)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class StageMove(SQLModel, table=True):
    """A move of a submission (submit, interview, no-show, offer, placed, withdrawn) as
    `undo` takes it back: the submission and its candidate as they were before (JSON;
    ``before`` None when the move put the candidate forward), and the planned calls it
    closed, settled and planned (JSON lists of ids). Kept for undo only: not exported."""

    __tablename__ = "stage_move"

    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(
        sa_column_args=[sa.ForeignKey("submission.id", ondelete="CASCADE")], index=True
    )
    move: str = Field(max_length=12)
    recruiter: str | None = Field(default=None, max_length=60)
    logged_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    before: str | None = Field(default=None)
    candidate_before: str
    closed_ids: str = Field(default="[]")
    made_ids: str = Field(default="[]")
    planned_ids: str = Field(default="[]")


class DeliveryCall(SQLModel, table=True):
    """A call a submission's stage plans (core.delivery.plan): chase the client for CV
    feedback, prep the candidate before an interview, feedback from both after it...
    Open (``closed_on`` NULL) until a conversation with that party makes it, or, for a
    chase of the client's answer, until the stage moves; a conversation that brings no
    answer diarises the next chase (``chases``)."""

    __tablename__ = "delivery_call"
    __table_args__ = (
        sa.Index(
            "ix_delivery_call_open_due",
            "due_on",
            sqlite_where=sa.text("closed_on IS NULL"),
            postgresql_where=sa.text("closed_on IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(
        sa_column_args=[sa.ForeignKey("submission.id", ondelete="CASCADE")], index=True
    )
    party: str = Field(max_length=10)  # client or candidate
    purpose: str = Field(max_length=30)  # core.delivery.PURPOSES
    planned_on: date  # the day the stage planned it for
    # Derived from the calls with the party (core.delivery.progress) whenever they
    # change: when it is due now, the chases that brought no answer, the conversation
    # that made it (closed_by "call"). A stage that moves closes it ("stage").
    due_on: date
    due_at: time | None = Field(default=None)
    chases: int = Field(default=0)
    closed_on: date | None = Field(default=None)
    closed_by: str | None = Field(default=None, max_length=10)  # call, stage


class Event(SQLModel, table=True):
    """An event the desk invites clients to (a breakfast briefing, a market report
    launch): a reason to call DMs in its field, worded as an invitation. Offered until
    the day it is held."""

    __tablename__ = "event"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    held_on: date
    venue: str | None = Field(default=None, max_length=200)
    tags: str = Field(default="")  # normalised tags, comma separated; none: for everyone
    status: str = Field(default=HookStatus.OPEN, max_length=10, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    closed_on: date | None = Field(default=None)


# Exactly one of a call hook's job, candidate and event (portable: no booleans summed).
ONE_HOOK = (
    "(CASE WHEN job_id IS NULL THEN 0 ELSE 1 END"
    " + CASE WHEN candidate_id IS NULL THEN 0 ELSE 1 END"
    " + CASE WHEN event_id IS NULL THEN 0 ELSE 1 END) = 1"
)


class CallHook(SQLModel, table=True):
    """A hook used on a call: the job, candidate or event it was about."""

    __tablename__ = "call_hook"
    __table_args__ = (sa.CheckConstraint(ONE_HOOK, name="ck_call_hook_one_hook"),)

    id: int | None = Field(default=None, primary_key=True)
    call_id: int = Field(index=True, sa_column_args=[sa.ForeignKey("call.id", ondelete="CASCADE")])
    job_id: int | None = Field(
        default=None, index=True, sa_column_args=[sa.ForeignKey("job.id", ondelete="CASCADE")]
    )
    candidate_id: int | None = Field(
        default=None,
        index=True,
        sa_column_args=[sa.ForeignKey("candidate.id", ondelete="CASCADE")],
    )
    event_id: int | None = Field(
        default=None, index=True, sa_column_args=[sa.ForeignKey("event.id", ondelete="CASCADE")]
    )


# --- privacy: erasure, suppression ------------------------------------------------------


class Suppression(SQLModel, table=True):
    """A keyed hash (HMAC-SHA256) of one identifier of an erased person: their email,
    phone, or name at their company. No readable personal data; an import or `dm add`
    of someone matching one is refused, so an old contact list doesn't bring them back."""

    __tablename__ = "suppression"

    id: int | None = Field(default=None, primary_key=True)
    digest: str = Field(max_length=64, unique=True, index=True)
    created_on: date


class Erasure(SQLModel, table=True):
    """One person erased (on request) or pruned (retention): counts only, for statistics."""

    __tablename__ = "erasure"

    id: int | None = Field(default=None, primary_key=True)
    erased_on: date
    reason: str = Field(max_length=20)  # request, retention
    calls: int = Field(default=0)
    conversations: int = Field(default=0)


class TeamEvent(SQLModel, table=True):
    """A DM reassigned, marked do-not-call (or lifted) or erased on a team store: who did
    it (the recruiter, and the database role they logged in as) and when. Written by the
    server's triggers (migration 0018), never by callplan itself; the DM by id only."""

    __tablename__ = "team_event"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime, index=True)
    actor: str | None = Field(default=None, max_length=60)
    role: str = Field(max_length=63)
    action: str = Field(max_length=20)  # reassign, dnc, dnc-lifted, erase
    dm_id: int | None = Field(default=None)
    detail: str | None = Field(default=None, max_length=200)


class StoreMeta(SQLModel, table=True):
    """Settings that belong to the store itself, e.g. the key of the suppression hashes."""

    __tablename__ = "store_meta"

    key: str = Field(primary_key=True, max_length=60)
    value: str
