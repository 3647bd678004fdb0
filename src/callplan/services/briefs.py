"""The brief for a call: who, why now, what we know, what to say."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from callplan.core.brief import Brief
from callplan.core.brief import compose as compose_brief
from callplan.core.desk import Desk
from callplan.core.notes import current_picture
from callplan.services.hooks import hooks_for
from callplan.services.shapes import contact_fields
from callplan.services.today import pushes, why_now
from callplan.store import queries
from callplan.store.models import DecisionMaker

if TYPE_CHECKING:
    from sqlmodel import Session


# --- the call brief -------------------------------------------------------------------


def brief_for(s: Session, desk: Desk, *, dm: DecisionMaker, words: Mapping[str, str]) -> Brief:
    """Gather what the brief needs for one DM and compose it."""
    assert dm.id is not None
    referrer = queries.dms.names_of(s, dm_ids=[dm.referred_by_id]).get(dm.referred_by_id or 0)
    reason = why_now(
        dm,
        on=max(desk.today, dm.next_call_on or desk.today),
        settings=desk.settings,
        referrer=referrer,
        as_new=not dm.conversation_count,
    )
    hooks = hooks_for(s, dm=dm, limit=3)
    push = pushes(s, desk, dms=[dm], best_hooks={dm.id: hooks}).get(dm.id)
    last = queries.calls.calls_of(s, dm_id=dm.id, limit=20)
    last_conversation = next((c for c in last if c.conversation_number), None)
    return compose_brief(
        contact={**contact_fields(dm), "ctps": dm.ctps, "status": dm.status},
        conversation_count=dm.conversation_count,
        last_spoke_on=dm.last_conversation_on,
        last_outcome=dm.last_outcome,
        last_summary=last_conversation.summary if last_conversation else None,
        next_call_on=dm.next_call_on,
        referrer=referrer,
        reason=reason,
        picture=current_picture(queries.calls.notes_of(s, dm_id=dm.id)),
        hooks=hooks,
        today=desk.today,
        words=words,
        push=push,
    )
