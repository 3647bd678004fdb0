"""Every JSON shape of docs/json.md, one function each."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from callplan.core.brief import Brief
from callplan.core.hooks import match_json
from callplan.core.notes import FIELD_NAMES
from callplan.store import queries
from callplan.store.models import Call, DecisionMaker, DMTag, Job, Note
from callplan.store.privacy import Mention

if TYPE_CHECKING:
    pass


def contact_fields(dm: DecisionMaker | queries.diary.OutOfCycle) -> dict[str, Any]:
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
        "due_reason": dm.due_reason,
        "owner": dm.owner,
    }


def call_json(call: Call, hooks: Any) -> dict[str, Any]:
    """A call as every JSON shape shows it (``dm show``, ``dm export``): all it holds."""
    return {
        "id": call.id,
        "called_on": call.called_on,
        "kind": call.kind,
        "outcome": call.outcome,
        "summary": call.summary,
        "next_call_on": call.next_call_on,
        "conversation_number": call.conversation_number,
        "reason": call.reason,
        "recruiter": call.recruiter,
        "hooks": hooks,
        "logged_at": call.logged_at,
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


def mention_json(m: Mention) -> dict[str, Any]:
    """A place where another record names a person (``dm show --access``, ``forget``)."""
    row = m.row
    if isinstance(row, Note):
        where: dict[str, Any] = {"dm_id": row.dm_id, "note_id": row.id}
    elif isinstance(row, Call):
        where = {"dm_id": row.dm_id, "call_id": row.id}
    elif isinstance(row, DecisionMaker):
        where = {"dm_id": row.id}
    elif isinstance(row, DMTag):
        where = {"dm_id": row.dm_id}
    elif isinstance(row, Job):
        where = {"job_id": row.id}
    else:
        where = {"candidate_id": row.id}
    kinds = list(dict.fromkeys(span.kind for span in m.spans))
    return {**where, "field": m.field, "text": m.text, "matched": kinds}


def brief_json(b: Brief) -> dict[str, Any]:
    """A brief (`brief --json`)."""
    return {
        "dm": b.contact,
        "referred_by": b.referrer,
        "conversation_number": b.conversation_number,
        "last_spoke_on": b.last_spoke_on,
        "last_outcome": b.last_outcome,
        "last_summary": b.last_summary,
        "reason": b.reason,
        "picture": {k: {"value": c.value, "noted_on": c.noted_on} for k, c in b.picture.items()},
        "open_loops": b.loops,
        "hooks": [match_json(m) for m in b.hooks],
        "opening": b.opening,
        "ask": b.ask,
    }
