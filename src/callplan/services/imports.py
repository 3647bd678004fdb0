"""Imports: a contacts file triaged against the store and written as prospects, and a
callplan-JSON archive loaded into an empty store or merged into one that isn't."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from callplan.core import planner
from callplan.core.contacts import Contact, Triage, triage
from callplan.core.desk import Desk
from callplan.core.kinds import Status
from callplan.core.names import name_key
from callplan.errors import UsageError
from callplan.services import delivery, people
from callplan.store import contact_import, queries, team
from callplan.store.archive import load, merge
from callplan.store.models import DecisionMaker

if TYPE_CHECKING:
    from sqlmodel import Session


def triage_contacts(
    s: Session,
    desk: Desk,
    people: list[Contact],
    *,
    tags: Iterable[str],
    shown: Callable[[list[Contact]], Iterable[Contact]] = lambda people: people,
) -> tuple[Triage, list[int]]:
    """The contacts sorted against the DMs already here: new, merged (those that change a
    DM listed, the others counted as unchanged), flagged as possible duplicates, skipped,
    a colleague's on a team store (left as they are); and the rows left out as people
    erased at their request (``shown`` wraps the rows
    read, for a progress bar)."""
    existing = contact_import.existing_people(s)
    kept, suppressed = contact_import.drop_suppressed(s, people, region=desk.region)
    me = team.bound(s)  # on a team store, a colleague's DM is theirs to change
    result = triage(
        shown(kept),
        existing,
        region=desk.region,
        tags=list(tags),
        stored_tags=lambda ids: queries.dms.tags_of(s, dm_ids=ids),
        hands_off=lambda person: me is not None and person.owner not in (None, me),
    )
    result.rows += len(suppressed)
    _diarise(s, desk, result)
    return result, suppressed


def _diarise(s: Session, desk: Desk, result: Triage) -> None:
    """The history the file gives, made the store's: each person given a last
    conversation is the owner's (the file's owner, a recruiter here; else the desk's),
    diarised by the cycle from it, and counted in cycle or out; a prospect is nobody's,
    so an owner given to one is counted as left out."""
    history = result.with_history()
    owners = {p.owner for p in history if p.owner}
    me = name_key(desk.recruiter) if desk.recruiter else None
    known = {
        name: queries.recruiters.known_recruiter(s, name=name)
        or (desk.recruiter if name_key(name) == me else None)  # you, before your first call
        for name in sorted(owners)
    }
    unknown = [name for name, found in known.items() if found is None]
    if unknown:
        raise UsageError(
            "The file's owners aren't recruiters in this store: "
            + ", ".join(repr(name) for name in unknown)
            + ". Name them as each recruiter is known here (callplan stats --team lists "
            "them), or import without the owner column. Nothing was written."
        )
    out_after = desk.today - timedelta(days=desk.settings.cycle_days)
    for person in result.added:
        if person.last_spoke_on is None and person.owner:
            result.owner_ignored += 1
            person.owner = None
    for person in [*result.added, *result.updated.values()]:
        filled = person.id is None or bool(person.filled & {"last_spoke_on", "next_call_on"})
        if not filled:
            continue
        if person.status in (Status.ARCHIVED, Status.DNC):  # never diarised
            person.next_call_on, person.due_reason = None, None
        else:
            person.next_call_on, person.due_reason = planner.imported_next(
                person.last_spoke_on, person.next_call_on, desk.settings, desk.calendar
            )
    for person in history:
        person.owner = known[person.owner] if person.owner else desk.recruiter
        if person.last_spoke_on is not None and person.last_spoke_on <= out_after:
            result.out_of_cycle += 1
        else:
            result.in_cycle += 1


def update_jobs(s: Session, desk: Desk, result: Triage) -> list[str]:
    """Record each move the file shows (``Triage.moved``) as `dm edit --company --title`
    would, in the caller's transaction: the new company and title, and for a DM in the
    base a note of the move. What each became, for the report."""
    done = []
    for move in result.moved:
        dm = s.get(DecisionMaker, move.dm_id)
        assert dm is not None
        fields: dict[str, str | None] = {"company": move.company}
        if move.title:
            fields["title"] = move.title
        edited = people.edit(s, desk, dm=dm, changes=people.Changes(fields=fields))
        noted = " (noted in their notes)" if edited.job_move else ""
        done.append(f"line {move.line}: {move.who} is at {move.at} now{noted}")
    return done


@dataclass
class Loaded:
    """What an archive import did (or would do, on a dry run)."""

    suppressed: load.LeftOut  # the DMs and candidates left out: erased here on request
    given: load.Given | None  # the DMs, calls and notes of a file from before recruiters
    merged: merge.Merge | None  # None: loaded into an empty store


def load_archive(
    s: Session, desk: Desk, archive: load.Archive, *, held: str | None, write: bool
) -> Loaded:
    """Load an archive into an empty store (``held`` None), or merge it into this one;
    ``write`` False works it out and writes nothing."""
    suppressed = load.drop_suppressed_records(s, archive, region=desk.region)
    given = load.resolve_recruiters(s, archive, user=desk.recruiter or "")
    merged = None
    if held is not None:
        merged = merge.prepare(s, archive, region=desk.region)
        if write:
            merge.apply(s, archive, merged)
            # The planned calls of the DMs and candidates who gained calls, in step.
            delivery.calls_changed(
                s,
                desk,
                dm_ids=sorted(set(merged.dms.values())),
                candidate_ids=sorted(set(merged.candidates.values())),
            )
    elif write:
        load.write(s, archive)
    return Loaded(suppressed, given, merged)
