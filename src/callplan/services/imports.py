"""Imports: a contacts file triaged against the store and written as prospects, and a
callplan-JSON archive loaded into an empty store or merged into one that isn't."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from callplan.core.contacts import Contact, Triage, triage
from callplan.core.desk import Desk
from callplan.store import contact_import, queries
from callplan.store.archive import load, merge

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
    DM listed, the others counted as unchanged), flagged as possible duplicates, skipped;
    and the rows left out as people erased at their request (``shown`` wraps the rows
    read, for a progress bar)."""
    existing = contact_import.existing_people(s)
    kept, suppressed = contact_import.drop_suppressed(s, people, region=desk.region)
    result = triage(
        shown(kept),
        existing,
        region=desk.region,
        tags=list(tags),
        stored_tags=lambda ids: queries.dms.tags_of(s, dm_ids=ids),
    )
    result.rows += len(suppressed)
    return result, suppressed


@dataclass
class Loaded:
    """What an archive import did (or would do, on a dry run)."""

    suppressed: int  # DMs left out: erased here at their request
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
    elif write:
        load.write(s, archive)
    return Loaded(suppressed, given, merged)
