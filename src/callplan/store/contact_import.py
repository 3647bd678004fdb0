"""Writing an imported contacts file: new DMs as prospects, empty fields of matched DMs filled."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from callplan.core.contacts import UPDATABLE, Person, Triage
from callplan.core.names import name_key
from callplan.store import privacy, queries
from callplan.store.models import DecisionMaker, DMTag, Note

# --- Contact files (LinkedIn, Google, Outlook, vCard, CSV): see callplan.contacts ---------


def store_version(s: Session) -> tuple[object, int] | None:
    """The session's connection and SQLite's count of the commits other connections made
    to the store (PRAGMA data_version): the same twice over means no other program wrote
    in between. None where there is no such count (not SQLite)."""
    conn = s.connection()
    if conn.dialect.name != "sqlite":
        return None
    token = conn.connection.info.setdefault("callplan_token", object())
    return token, int(conn.exec_driver_sql("PRAGMA data_version").scalar_one())


def existing_people(s: Session) -> Iterator[Any]:
    """The contact fields of every DM, read once to build the duplicate indexes.

    Every DM, since a duplicate is found on forms the store doesn't index (an email in
    any case, a number as typed, a name at the same company ignoring case and accents,
    a similar name): one pass over the table's columns that matching reads, with each
    name's key as stored, as plain rows."""

    c = DecisionMaker.__table__.c  # type: ignore[attr-defined]
    rows = s.connection().execute(
        sa.select(c.id, c.name, c.name_key, c.company, c.title, c.phone, c.email, c.linkedin)
    )
    for id_, name, key, company, title, phone, email, linkedin in rows:
        yield Person(
            id=id_, name=name, key=key, company=company, title=title, phone=phone,
            email=email, linkedin=linkedin,
        )  # fmt: skip


def apply(s: Session, triage: Triage, *, today: date) -> None:
    """Write a triaged contacts file in the caller's transaction: new DMs as prospects (with their
    tags and note), and the empty fields and new tags of the DMs they matched (a number
    filled in clears 'needs a new number')."""

    if triage.updated:
        ids = list(triage.updated)
        have = queries.dms.tags_of(s, dm_ids=ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            for dm in s.exec(select(DecisionMaker).where(col(DecisionMaker.id).in_(chunk))):
                assert dm.id is not None
                person = triage.updated[dm.id]
                for name in person.filled & set(UPDATABLE):
                    if not getattr(dm, name):
                        setattr(dm, name, getattr(person, name))
                        if name == "phone":  # a new number, as dm edit --phone gives
                            dm.needs_number = False
                s.add_all(DMTag(dm_id=dm.id, tag=t) for t in sorted(person.tags - set(have[dm.id])))
        s.flush()
    if not triage.added:
        return
    # New DMs in bulk (core inserts, not one ORM object each): a big file holds the
    # write lock for a moment, not long enough to make another terminal's log wait out
    # its busy timeout. The model's own defaults, taken once, fill the columns.
    defaults = DecisionMaker(name="-", name_key="-").model_dump(exclude={"id"})
    rows = [
        {
            **defaults,
            "name": p.name,
            "name_key": name_key(p.name),
            **{name: getattr(p, name) for name in UPDATABLE},
        }
        for p in triage.added
    ]
    table = DecisionMaker.__table__  # type: ignore[attr-defined]
    conn = s.connection()
    new_ids = (
        conn.execute(sa.insert(table).returning(table.c.id, sort_by_parameter_order=True), rows)
        .scalars()
        .all()
    )
    tags = [
        {"dm_id": dm_id, "tag": t}
        for person, dm_id in zip(triage.added, new_ids, strict=True)
        for t in sorted(person.tags)
    ]
    if tags:
        conn.execute(sa.insert(DMTag.__table__), tags)  # type: ignore[attr-defined]
    notes = [
        Note(dm_id=dm_id, noted_on=today, text=person.note).model_dump(exclude={"id"})
        for person, dm_id in zip(triage.added, new_ids, strict=True)
        if person.note
    ]
    if notes:
        conn.execute(sa.insert(Note.__table__), notes)  # type: ignore[attr-defined]


def drop_suppressed(
    s: Session, people: list[Any], *, region: str | None
) -> tuple[list[Any], list[int]]:
    """Contacts read from a file, without those erased at their request (a suppression
    entry matches); and the lines of those left out. Invalid rows are left for the plan
    to report."""

    valid = [i for i, p in enumerate(people) if not p.problem and p.name]
    hits = privacy.suppressed_rows(s, [vars(people[i]) for i in valid], region=region)
    gone = {valid[h] for h in hits}
    kept = [p for i, p in enumerate(people) if i not in gone]
    return kept, [people[i].line for i in sorted(gone)]
