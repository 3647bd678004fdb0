"""The cockpit's day without a terminal: the queue, the progress, and every action the
keys take (log, skip, undo, note, edit, search, open), each one transaction through the
same services as the one-shot commands.

The Textual app (cli/cockpit/app.py) draws a ``Day`` and calls its methods; the
benchmark harness times them in-process. Nothing here draws.

The plan is made once (and again on ``refresh``): re-planning a store of 100,000 DMs on
every key would be too slow. Its due calls come a page at a time, the most urgent first
(as `today` shows a screenful): planning thousands of them before the first screen would
keep the recruiter waiting seconds for calls they reach in the afternoon, if at all.
``more`` plans the next page when the queue runs short.

What other processes write is still seen on every action: the card of the person shown
is read afresh each time (a call logged meanwhile in another terminal, a prospect a
colleague claimed), and so are the day's figures.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date, time
from typing import TYPE_CHECKING, Any

from callplan.cli import options
from callplan.cli.options import clean_text
from callplan.core import goals, planner, purposes, templates, wording
from callplan.core.notes import INTEREST_LEVELS
from callplan.core.outcomes import Kind, types_of
from callplan.errors import UsageError

if TYPE_CHECKING:
    from sqlmodel import Session

    from callplan.cli.context import Runtime
    from callplan.core.brief import Brief
    from callplan.store.models import DecisionMaker

DM, CANDIDATE = "dm", "candidate"
NEW, DUE, DELIVERY, FOUND = "new", "due", "delivery", "found"
# What became of a person in the queue.
DONE, SKIPPED, THEIRS, ELSEWHERE = "done", "skipped", "theirs", "elsewhere"
PAGE = 50  # due calls planned at a time (``Day.more`` plans the next page)
# The note fields the log form offers (the rest: `callplan note`).
FORM_FIELDS = ("competitor", "toughest_role", "process", "plans", "interest")


@dataclass
class Entry:
    """A person in the day's queue: a DM (new or due, or a job's client) or a candidate."""

    who: tuple[str, int]  # (DM, id) or (CANDIDATE, id)
    name: str
    company: str | None
    section: str  # NEW, DUE, DELIVERY or FOUND (opened from a search)
    reason: str
    time: str | None = None  # the time agreed for the call, "15:00"
    delivery: list[str] = field(default_factory=list)  # the delivery calls it also makes
    state: str = ""  # "", DONE, SKIPPED, THEIRS, ELSEWHERE
    result: str | None = None  # what was logged, or whose they are

    @property
    def ref(self) -> str:
        return f"candidate:{self.who[1]}" if self.who[0] == CANDIDATE else f"#{self.who[1]}"

    @property
    def open(self) -> bool:
        return not self.state


@dataclass
class Card:
    """What the brief pane shows for one person, read afresh from the store."""

    entry: Entry
    brief: Brief | None = None  # a DM's
    candidate: dict[str, Any] | None = None  # a candidate's details (services.candidates)
    dm: DecisionMaker | None = None
    phone: str | None = None
    warning: str | None = None  # theirs, or called meanwhile elsewhere


@dataclass
class Progress:
    """The day's figures at the foot of the screen."""

    new_done: int
    quota: int
    conversations: int
    advances: int
    goal: str | None


@dataclass
class Report:
    """What the recruiter typed about a call, as typed: the log form's fields. Nothing in
    it is lost when a value is refused; ``Day.check`` says which field is wrong."""

    kind: Kind
    type: str = ""
    summary: str = ""
    say: str = ""
    fields: dict[str, str] = field(default_factory=dict)
    referrals: str = ""  # one per line: NAME, TITLE, COMPANY, PHONE
    next: str = ""  # the next call's date (and time), "" for the default
    time: str = ""  # the time of day agreed for it, "15:00"
    purpose: str = ""
    result: list[str] = field(default_factory=list)  # once logged: what `log` would say


class FormError(UsageError):
    """A value in the log form that can't be used: ``field`` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass
class Checked:
    """A report made ready to log."""

    outcome: Any  # core.outcomes.Outcome, or core.delivery.CandidateOutcome
    summary: str | None
    say: str | None
    fields: dict[str, str | None]
    referrals: list[Any]
    requested: date | None
    at: time | None
    purpose: str | None


@dataclass
class Found:
    """A search result: who, and where the text was found (name, company, note)."""

    who: tuple[str, int]
    name: str
    company: str | None
    where: str


class Day:
    """The recruiter's day in the cockpit, on ``on`` (today, or a past day to catch up)."""

    def __init__(self, rt: Runtime, on: date) -> None:
        self.rt = rt
        self.on = on
        self.words = templates.load(rt.environ)
        self.entries: list[Entry] = []
        self.progress = Progress(0, 0, 0, 0, None)
        self.unclaimed: str | None = None
        self.logged = 0  # calls logged in this session
        self.region = _region(rt)
        self.due_limit = PAGE  # the due calls planned: one page, then more as they are called
        self.unplanned = 0  # due calls beyond those planned
        self.planned = False  # once ``plan`` has run

    # --- the plan -----------------------------------------------------------------

    def plan(self) -> None:
        """Plan the day (claiming today's new DMs) and merge it into the queue: people
        handled in this session keep their mark, those no longer due drop out, newly due
        ones join at the end."""
        with self.rt.agenda(on=self.on, limit=self.due_limit) as (s, _, agenda, unclaimed):
            self.unclaimed = unclaimed
            self.unplanned = max(agenda.due_total - len(agenda.due), 0)
            fresh: dict[tuple[str, int], Entry] = {}
            for section, rows in ((NEW, agenda.new), (DUE, agenda.due)):
                for row in rows:
                    e = Entry((DM, row["id"]), row["name"], row.get("company"), section, "")
                    e.reason, e.time = row["reason"], row.get("time")
                    fresh[e.who] = e
            for row in agenda.delivery:
                if row["id"] is None:  # a job's client who isn't in the store
                    continue
                who = (CANDIDATE if row["kind"] == CANDIDATE else DM, row["id"])
                if who in fresh:
                    fresh[who].delivery.append(row["reason"])
                    continue
                e = Entry(who, row["name"], row.get("company"), DELIVERY, row["reason"])
                e.time = row.get("time")
                fresh[who] = e
            self.progress = self._progress(s, quota=agenda.quota)
        merged: list[Entry] = []
        for old in self.entries:
            new = fresh.pop(old.who, None)
            if new is not None:
                new.state, new.result = old.state, old.result
                merged.append(new)
            elif old.state or old.section == FOUND:
                merged.append(old)
        self.entries = merged + list(fresh.values())
        self.planned = True

    def _progress(self, s: Session, *, quota: int | None = None) -> Progress:
        """The day's figures as the store holds them now (every terminal's calls)."""
        from callplan.store import queries
        from callplan.store.queries import progress

        whose = self.rt.recruiter(s)
        conversations, advances = progress.results(s, on=self.on, recruiter=whose)
        found = progress.goal_of(s, day=self.on, recruiter=whose)
        return Progress(
            new_done=queries.calls.first_conversations_on(s, on=self.on, recruiter=whose),
            quota=self.progress.quota if quota is None else quota,
            conversations=conversations,
            advances=sum(advances.values()),
            goal=goals.goal_line(found, advances) if found is not None else None,
        )

    def more(self) -> bool:
        """Plan the next page of due calls, if any are left unplanned: they join at the
        end of the queue. False when everyone due is planned already."""
        if not self.unplanned:
            return False
        self.due_limit += PAGE
        self.plan()
        return True

    @property
    def short(self) -> bool:
        """Whether the queue is running out while due calls are still unplanned: fewer
        than ten people left to call in it."""
        return bool(self.unplanned) and self.left - self.unplanned < 10

    @property
    def left(self) -> int:
        """The people of the day's plan still to call (not those opened from a search),
        the due calls not planned yet included."""
        return sum(1 for e in self.entries if e.open and e.section != FOUND) + self.unplanned

    def first_open(self, after: int = -1) -> int | None:
        """The index of the next person still to call after ``after`` (wrapping), if any."""
        n = len(self.entries)
        for step in range(1, n + 1):
            i = (after + step) % n
            if self.entries[i].open:
                return i
        return None

    # --- the card -----------------------------------------------------------------

    def card(self, entry: Entry) -> Card:
        """The person's brief, read afresh: a call logged meanwhile elsewhere marks them
        handled, a prospect a colleague has claimed for today marks them theirs."""
        from callplan import services
        from callplan.store import queries

        with self.rt.reading() as s:
            desk = self.rt.desk(s, today=self.on)
            if entry.who[0] == CANDIDATE:
                person = services.candidates.find(s, ref=entry.ref)
                facts = services.candidates.details(s, desk, candidate=person)
                calls = facts["calls"]  # newest first
                called = calls and _called_since(calls[0]["called_on"], self.on)
                if entry.open and entry.section != FOUND and called:
                    entry.state, entry.result = ELSEWHERE, "called elsewhere"
                return Card(entry, candidate=facts, phone=person.phone, warning=_warning(entry))
            dm = queries.dms.find_dm(s, ref=str(entry.who[1]))
            brief = services.briefs.brief_for(s, desk, dm=dm, words=self.words)
            aside = None  # someone found by a search who is a colleague's: said, not barred
            if dm.id is not None and desk.recruiter is not None:
                theirs = dm.owner if dm.owner not in (None, desk.recruiter) else None
                if theirs is None and dm.owner is None:
                    claimed = queries.prospects.claimed_by(s, dm_id=dm.id, on=self.on)
                    theirs = claimed if claimed not in (None, desk.recruiter) else None
                if theirs is not None and entry.section == FOUND:
                    aside = f"{dm.name} is {theirs}'s: if you call, tell {theirs}."
                elif theirs is not None and entry.open:
                    entry.state, entry.result = THEIRS, f"{theirs}'s"
                elif (
                    entry.open
                    and entry.section != FOUND
                    and _called_since(_last_call_on(s, dm.id), self.on)
                ):
                    entry.state, entry.result = ELSEWHERE, "called elsewhere"
            warning = aside or _warning(entry)
            return Card(entry, brief=brief, dm=dm, phone=dm.phone, warning=warning)

    # --- logging a call -----------------------------------------------------------

    def types(self, entry: Entry, kind: Kind) -> list[str]:
        """The outcome types of ``kind`` for this person (a DM's, or a candidate's)."""
        if entry.who[0] == CANDIDATE:
            from callplan.core.delivery import CANDIDATE_OUTCOMES

            return [o.type for o in CANDIDATE_OUTCOMES.values() if o.kind is kind]
        return types_of(kind)

    def asks(self, card: Card, kind: Kind) -> list[str]:
        """The note fields the form offers after a conversation: those the current
        picture lacks, and interest always (it changes)."""
        if card.brief is None or not kind.is_conversation:
            return []
        return [f for f in FORM_FIELDS if f == "interest" or f not in card.brief.picture]

    def default_next(self, card: Card, report: Report) -> tuple[date | None, str]:
        """The next call the outcome diarises if no date is typed, and why, in words."""
        outcome = self._outcome(card.entry, report)
        if card.entry.who[0] == CANDIDATE:
            from callplan.core.delivery import (
                CANDIDATE_OUTCOMES,
                candidate_cycle,
                candidate_next_call,
            )

            c = (card.candidate or {}).get("candidate", {})
            on = candidate_next_call(
                outcome.type,
                on=self.on,
                settings=self.rt.settings,
                calendar=self.rt.calendar,
                cycle_days=c.get("cycle"),
                job_search=c.get("job_search", ""),
            )
            if on is None:
                return None, f"{outcome.type}: no call of their own while {c.get('job_search')}"
            cycle = candidate_cycle(self.rt.settings, c.get("cycle"))
            return on, _waited(outcome.type, CANDIDATE_OUTCOMES[outcome.type].delay, cycle)
        dm = card.dm
        assert dm is not None
        own = self.rt.settings.for_dm(dm.tier, dm.cycle_days)
        nxt = planner.next_call(
            outcome,
            self.on,
            own,
            self.rt.calendar,
            last_conversation_on=dm.last_conversation_on,
        )
        if nxt.on is None:
            return None, f"{outcome.type}: no call diarised"
        why = _waited(outcome.type, str(self.rt.settings.delay(outcome.type)), own.cycle_days)
        if nxt.capped:
            why += f", brought in by their {nxt.cycle_days or own.cycle_days}-day cycle"
        return nxt.on, why

    def _outcome(self, entry: Entry, report: Report) -> Any:
        from callplan import services

        typed = report.type.strip().lower()
        choices = self.types(entry, report.kind)
        if typed.isdigit() and 1 <= int(typed) <= len(choices):
            typed = choices[int(typed) - 1]
        found = [t for t in choices if t.startswith(typed)] if typed else []
        if typed in choices:
            found = [typed]
        if len(found) != 1:
            raise FormError("type", f"Pick a type of {report.kind.value}: {', '.join(choices)}.")
        chosen = {report.kind.value.replace("-", "_"): found[0]}
        try:
            if entry.who[0] == CANDIDATE:
                return services.candidates.outcome_from(
                    advance=chosen.get("advance"),
                    continuation=chosen.get("continuation"),
                    no_connect=chosen.get("no_connect"),
                )
            return services.calls.outcome_from(
                advance=chosen.get("advance"),
                continuation=chosen.get("continuation"),
                no_connect=chosen.get("no_connect"),
            )
        except UsageError as exc:
            raise FormError("type", exc.message) from exc

    def check(self, card: Card, report: Report) -> Checked:
        """The report made ready to log, or a FormError naming the field to correct."""
        from callplan import services

        outcome = self._outcome(card.entry, report)
        conversation = outcome.kind.is_conversation
        summary = _clean(report.summary, "summary", 10_000)
        say = _clean(report.say, "say", 2_000) if conversation else None
        fields: dict[str, str | None] = {}
        if conversation and card.entry.who[0] == DM:
            typed = {k: v for k, v in report.fields.items() if v.strip()}
            level = typed.get("interest", "").strip().lower()
            if level and level not in INTEREST_LEVELS:
                raise FormError("interest", f"Interest is one of {', '.join(INTEREST_LEVELS)}.")
            try:
                fields = options.NoteOptions(**typed).fields()
            except UsageError as exc:
                raise FormError(next(iter(typed), "summary"), exc.message) from exc
        referrals: list[Any] = []
        for line in report.referrals.splitlines():
            if not line.strip():
                continue
            if card.entry.who[0] == CANDIDATE or not conversation:
                raise FormError("referrals", "Referrals come with a conversation with a DM.")
            try:
                referrals.append(services.calls.Referral.parse(line))
            except UsageError as exc:
                raise FormError("referrals", exc.message) from exc
        requested, at = None, None
        default, _ = self.default_next(card, report)
        when = f"{report.next.strip()} {report.time.strip()}".strip()
        if when and default is None:
            raise FormError("next", f"{outcome.type} diarises no next call: leave it empty.")
        if when:
            try:
                requested, at = self.rt.when(when, alone=default)
                if requested < self.on:
                    raise UsageError(f"{requested.isoformat()} is before the call.")
                if card.dm is not None:
                    planner.next_call(
                        outcome,
                        self.on,
                        self.rt.settings,
                        self.rt.calendar,
                        last_conversation_on=card.dm.last_conversation_on,
                        requested=requested,
                    )
            except UsageError as exc:
                raise FormError("next", exc.message) from exc
        purpose = None
        if report.purpose.strip():
            if card.entry.who[0] == CANDIDATE or default is None:
                raise FormError("purpose", "A purpose is for a DM's next call.")
            try:
                purpose = options.read_purpose(report.purpose)
            except UsageError as exc:
                raise FormError("purpose", exc.message) from exc
        return Checked(outcome, summary, say, fields, referrals, requested, at, purpose)

    def log(self, card: Card, report: Report) -> list[str]:
        """Log the call in one transaction; the lines to show (what was diarised, what
        to say to close, any warning). The person is marked done."""
        from callplan import services
        from callplan.store import queries

        checked = self.check(card, report)
        entry = card.entry
        lines: list[str] = []
        with self.rt.writing() as s:
            desk = self.rt.desk(s, register=True)
            if entry.who[0] == CANDIDATE:
                done = services.candidates.log_call(
                    s,
                    desk,
                    candidate_id=entry.who[1],
                    outcome=checked.outcome,
                    called_on=self.on,
                    summary=checked.summary,
                    requested_next=checked.requested,
                    next_call_at=checked.at,
                )
                nxt, at = done.candidate.next_call_on, done.candidate.next_call_at
                warnings = list(done.warnings)
            else:
                dm = queries.dms.find_dm(s, ref=str(entry.who[1]))
                result = services.calls.log_call(
                    s,
                    desk,
                    dm=dm,
                    outcome=checked.outcome,
                    called_on=self.on,
                    summary=checked.summary,
                    say=checked.say,
                    requested_next=checked.requested,
                    referrals=checked.referrals,
                    note_fields=checked.fields,
                    next_purpose=checked.purpose,
                    next_call_at=checked.at,
                )
                nxt, at = result.next_call.on, dm.next_call_at
                warnings = list(result.warnings)
                if result.referred:
                    names = ", ".join(f"#{r.id} {r.name}" for r in result.referred)
                    lines.append(f"Added as prospects: {names}.")
                if checked.outcome.kind is Kind.CONTINUATION and result.logged.latest:
                    push = services.today.push_after_log(s, desk, dm=dm)
                    if push:
                        lines.append(push)
            self.progress = self._progress(s)
        self.logged += 1
        entry.state, entry.result = DONE, checked.outcome.type
        purpose = f" (purpose: {purposes.label(checked.purpose)})" if checked.purpose else ""
        tail = f" Next call {wording.day_at(nxt, at, self.on)}{purpose}." if nxt else ""
        return [f"Logged {checked.outcome.type} with {entry.name}.{tail}", *lines, *warnings]

    def skip(self, entry: Entry) -> None:
        """Mark them skipped (nothing written); the figures are read again meanwhile."""
        entry.state, entry.result = SKIPPED, "skipped"
        with self.rt.reading() as s:
            self.progress = self._progress(s)

    # --- undo ---------------------------------------------------------------------

    def last(self) -> tuple[tuple[str, int | None], str] | None:
        """What `u` would take back (the newest call, note or stage move the recruiter
        logged, as `callplan undo`), in words; None when there is nothing."""
        from callplan import services
        from callplan.store import queries

        with self.rt.reading() as s:
            last = services.corrections.last_entry(s, self.rt.desk(s))
            if last is None:
                return None
            if last.move is not None:
                what, _, _ = services.delivery.describe_move(s, last.move)
                return last.key, what
            if last.candidate_call is not None:
                c = queries.hooks.get_candidate(s, candidate_id=last.candidate_call.candidate_id)
                call = last.candidate_call
                return last.key, f"the {call.outcome} with {c.name}, {self._day(call.called_on)}"
            dm = queries.dms.find_dm(s, ref=str(last.dm_id))
            if last.note is not None:
                return last.key, f"your note on {dm.name}, {self._day(last.note.noted_on)}"
            assert last.call is not None
            call_ = last.call
            return last.key, f"the {call_.outcome} with {dm.name}, {self._day(call_.called_on)}"

    def undo(self, key: tuple[str, int | None]) -> str:
        """Take back what ``last`` showed, in one transaction; refused if something else
        was logged meanwhile. The person taken back is open again in the queue."""
        from callplan import services

        with self.rt.writing() as s:
            desk = self.rt.desk(s)
            last = services.corrections.last_entry(s, desk)
            if last is None or last.key != key:
                raise UsageError("Something else was logged meanwhile: press u again.")
            if last.move is not None:
                what, _, _ = services.delivery.describe_move(s, last.move)
                services.delivery.take_back(s, desk, move=last.move)
                who: tuple[str, int] | None = None
            elif last.candidate_call is not None:
                taken = services.candidates.delete_call(s, desk, call=last.candidate_call)
                what = f"the {taken.call.outcome} with {taken.candidate.name}"
                who = (CANDIDATE, last.candidate_call.candidate_id)
            elif last.note is not None:
                services.corrections.delete_note(s, note=last.note)
                what, who = "the note", None
            else:
                assert last.call is not None
                gone = services.corrections.delete_call(s, desk, call=last.call)
                what, who = f"the {gone.call.outcome} with {gone.dm.name}", (DM, gone.dm.id or 0)
            self.progress = self._progress(s)
        for e in self.entries:
            if who is not None and e.who == who and e.state == DONE:
                e.state, e.result = "", None
                self.logged = max(self.logged - 1, 0)
        return f"Took back {what}."

    # --- notes, edits, search -----------------------------------------------------

    def note(self, entry: Entry, text: str) -> str:
        """A note on a DM, without a call (as `callplan note`)."""
        from callplan.store import queries

        if entry.who[0] == CANDIDATE:
            raise UsageError("Notes are kept on DMs: log the call with the candidate instead.")
        body = clean_text(text, "note", max_length=10_000, multiline=True)
        if not body:
            raise UsageError("The note is empty.")
        with self.rt.writing() as s:
            queries.calls.add_note(
                s,
                dm_id=entry.who[1],
                on=self.on,
                text=body,
                recruiter=self.rt.recruiter(s, register=True),
            )
        return f"Noted for {entry.name}."

    def edit(self, entry: Entry, typed: Mapping[str, str]) -> str:
        """Change a DM's details (as `callplan dm edit`): only the fields that differ."""
        from callplan import services
        from callplan.core.contacts import LIMITS
        from callplan.store import queries

        if entry.who[0] == CANDIDATE:
            raise UsageError(f"Edit a candidate with: callplan candidate edit {entry.ref}")
        with self.rt.writing() as s:
            desk = self.rt.desk(s, register=True)
            dm = queries.dms.find_dm(s, ref=str(entry.who[1]))
            changes = services.people.Changes()
            for name, value in typed.items():
                if name == "due":
                    continue
                text = clean_text(value, name, max_length=LIMITS.get(name, 200))
                if name == "name":
                    if not text:
                        raise FormError("name", "A DM needs a name.")
                    if text != dm.name:
                        changes.name = text
                    continue
                if name == "phone" and text != dm.phone:
                    text, kept = options.read_phone(text, country=self.rt.settings.country)
                    if kept:
                        raise FormError("phone", kept.replace(" kept as typed", ""))
                if name == "email":
                    text = options.read_email(text)
                if text != getattr(dm, name):
                    changes.fields[name] = text
            due = typed.get("due", "").strip()
            shown = wording.day(dm.next_call_on, self.on) if dm.next_call_on else ""
            if due and due != shown:
                try:
                    changes.due, changes.due_at = self.rt.when(due)
                except UsageError as exc:
                    raise FormError("due", exc.message) from exc
            edited = services.people.edit(s, desk, dm=dm, changes=changes)
            entry.name, entry.company = dm.name, dm.company
        return f"Changed {entry.name}: {', '.join(edited.changed)}."

    def search(self, text: str) -> list[Found]:
        """DMs by name, company or note text, and candidates by name."""
        from callplan.store import queries

        if not text.strip():
            return []
        with self.rt.reading() as s:
            found = [
                Found((DM, dm.id or 0), dm.name, dm.company, where)
                for dm, where in queries.dms.search(s, text=text)
            ]
            _, candidates = queries.candidates.matching(s, text=text)
            found += [
                Found((CANDIDATE, c.id or 0), c.name, None, "candidate") for c in candidates[:10]
            ]
        return found

    def open(self, found: Found) -> int:
        """Put someone found into the queue (if not there) and give their index."""
        for i, e in enumerate(self.entries):
            if e.who == found.who:
                return i
        self.entries.insert(
            0, Entry(found.who, found.name, found.company, FOUND, f"found by {found.where}")
        )
        return 0

    def _day(self, day: date) -> str:
        return wording.day(day, self.on)


def _waited(outcome: str, delay: str, cycle_days: int) -> str:
    """Why the next call falls when it does, in words: 'cv-review: 2 working days',
    'update-given: their 30-day cycle'."""
    from callplan.core.config import Delay

    wait = Delay.parse(delay)
    if wait.unit == "cycle":
        return f"{outcome}: their {cycle_days}-day cycle"
    return f"{outcome}: {wording.interval(wait.amount, working=wait.unit == 'wd')}"


def _clean(text: str, field: str, most: int) -> str | None:
    try:
        return clean_text(text, field, max_length=most)
    except UsageError as exc:
        raise FormError(field, exc.message) from exc


def _called_since(last_called_on: date | None, on: date) -> bool:
    return last_called_on is not None and last_called_on >= on


def _last_call_on(s: Session, dm_id: int) -> date | None:
    from callplan.store import queries

    latest = queries.calls.calls_of(s, dm_id=dm_id, limit=1)
    return latest[0].called_on if latest else None


def _warning(entry: Entry) -> str | None:
    if entry.state == THEIRS:
        return f"{entry.name} is {entry.result} now: leave them to their owner."
    if entry.state == ELSEWHERE:
        return f"{entry.name} has been called today already (another terminal, or a colleague)."
    return None


def _region(rt: Runtime) -> str | None:
    from callplan.core.phones import region_of

    return region_of(rt.settings.country)


class _Closing:
    """What a Runtime needs of a command's context outside a command: somewhere to hand
    what must be closed at the end (``call_on_close``)."""

    def __init__(self, stack: ExitStack) -> None:
        self.call_on_close = stack.callback


@contextmanager
def standalone(
    db: str | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    on: date | None = None,
    plan: bool = True,
) -> Iterator[Day]:
    """A day outside a command, planned (unless ``plan`` is False: the cockpit plans it
    then), its store closed at the end: for the benchmark harness and the tests, which
    drive the cockpit's actions without a terminal."""
    from callplan.cli.context import Runtime

    with ExitStack() as stack:
        rt = Runtime(_Closing(stack), db, environ)
        day = Day(rt, on or rt.today)
        if plan:
            day.plan()
        yield day
