"""Writing an imported contacts file: new DMs (prospects, or contacts with the last
conversation the file gives), empty fields of matched DMs filled."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from callplan.core import effects
from callplan.core.contacts import UPDATABLE, Person, Triage
from callplan.core.kinds import Status
from callplan.core.names import name_key
from callplan.core.outcomes import IMPORTED, OUTCOMES
from callplan.store import privacy, queries
from callplan.store.models import Call, CallBefore, DecisionMaker, DMTag, Note

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
        sa.select(
            c.id, c.name, c.name_key, c.company, c.title, c.phone, c.email, c.linkedin,
            c.last_conversation_on, c.next_call_on, c.status, c.owner,
        )
    )  # fmt: skip
    for row in rows:
        id_, name, key, company, title, phone, email, linkedin, last, next_on, status, owner = row
        yield Person(
            id=id_, name=name, key=key, company=company, title=title, phone=phone,
            email=email, linkedin=linkedin, last_spoke_on=last, next_call_on=next_on,
            status=status, owner=owner,
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
                _fill_history(s, dm, person)
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
            "status": p.status or Status.ACTIVE,
            "next_call_on": p.next_call_on,
            "due_reason": p.due_reason,
            **(
                {
                    "owner": p.owner,
                    "conversation_count": 1,
                    "last_conversation_on": p.last_spoke_on,
                    "last_outcome": IMPORTED,
                }
                if p.last_spoke_on
                else {}
            ),
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
    _add_conversations(s, [(p, i) for p, i in zip(triage.added, new_ids, strict=True)])
    notes = [
        Note(dm_id=dm_id, noted_on=today, text=person.note).model_dump(exclude={"id"})
        for person, dm_id in zip(triage.added, new_ids, strict=True)
        if person.note
    ]
    if notes:
        conn.execute(sa.insert(Note.__table__), notes)  # type: ignore[attr-defined]


def _add_conversations(s: Session, people: list[tuple[Person, int]]) -> None:
    """The conversations a file's last-contacted dates record for new DMs, in bulk: the
    first with each, its owner's, marked ``imported`` (stats leave it out; `undo` never
    takes it), each with the DM as it found them (a prospect from the pool: what `call
    delete` would put back). One model object gives the columns' values, not one a row."""
    outcome = OUTCOMES[IMPORTED]
    template = Call(
        dm_id=0,
        called_on=date.min,
        kind=outcome.kind.value,
        outcome=outcome.type,
        conversation_number=1,
        reason=IMPORTED,
    ).model_dump(exclude={"id"})
    calls = [
        {
            **template,
            "dm_id": dm_id,
            "called_on": p.last_spoke_on,
            "next_call_on": p.next_call_on,
            "recruiter": p.owner,
        }
        for p, dm_id in people
        if p.last_spoke_on
    ]
    if not calls:
        return
    conn = s.connection()
    table = Call.__table__  # type: ignore[attr-defined]
    call_ids = (
        conn.execute(sa.insert(table).returning(table.c.id, sort_by_parameter_order=True), calls)
        .scalars()
        .all()
    )
    pool = effects.DMState(
        next_call_on=None, due_reason=None, status=Status.ACTIVE, owner=None, needs_number=False
    )
    conn.execute(
        sa.insert(CallBefore.__table__),  # type: ignore[attr-defined]
        [{"call_id": i, **queries.calls.vars_of(pool)} for i in call_ids],
    )


def _fill_history(s: Session, dm: DecisionMaker, person: Person) -> None:
    """What a row's history fills in on a stored DM (core.contacts.match): a last
    conversation on a DM never spoken to (recorded as an imported conversation, as
    `log` records one), a next call where none was diarised, do-not-call."""
    if "last_spoke_on" in person.filled and dm.conversation_count == 0:
        assert person.last_spoke_on is not None
        status = dm.status  # archived since: a conversation from before doesn't restore them
        logged = queries.calls.record_call(
            s,
            dm=dm,
            outcome=OUTCOMES[IMPORTED],
            called_on=person.last_spoke_on,
            summary=None,
            next_call_on=person.next_call_on,
            reason=IMPORTED,
            recruiter=person.owner,
        )
        dm.status = status
        if logged.latest:  # a file's date has no time of day
            dm.next_call_on, dm.due_reason = person.next_call_on, person.due_reason
            dm.next_call_at = None
    elif "next_call_on" in person.filled and dm.next_call_on is None:
        dm.next_call_on, dm.due_reason = person.next_call_on, person.due_reason
        dm.next_call_at = None
    if "status" in person.filled:
        dm.status = Status.DNC
    s.add(dm)


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
