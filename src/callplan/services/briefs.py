"""The brief for a call: who, why now, what we know, what to say."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

from callplan.core import wording
from callplan.core.brief import Brief, OpenLoopFacts
from callplan.core.brief import compose as compose_brief
from callplan.core.desk import Desk
from callplan.core.kinds import Status
from callplan.core.notes import current_picture
from callplan.core.outcomes import REASON_NEW
from callplan.services.hooks import hooks_for
from callplan.services.jobs import client_jobs
from callplan.services.shapes import contact_fields
from callplan.services.today import pushes, why_now
from callplan.store import queries
from callplan.store.models import Call, DecisionMaker

if TYPE_CHECKING:
    from sqlmodel import Session


# --- the call brief -------------------------------------------------------------------


def brief_for(s: Session, desk: Desk, *, dm: DecisionMaker, words: Mapping[str, str]) -> Brief:
    """Gather what the brief needs for one DM and compose it."""
    assert dm.id is not None
    referrer = queries.dms.names_of(s, dm_ids=[dm.referred_by_id]).get(dm.referred_by_id or 0)
    open_loops = queries.loops.open_of(s, dm_ids=[dm.id])[dm.id]
    jobs = client_jobs(s, dm_ids=[dm.id], today=desk.today)[dm.id]
    reason = why_now(
        dm,
        on=max(desk.today, dm.next_call_on or desk.today),
        settings=desk.settings,
        referrer=referrer,
        as_new=not dm.conversation_count,
        loop=open_loops[0] if open_loops else None,
        today=desk.today,
        jobs=jobs if dm.status == Status.ACTIVE else (),
    )
    hooks = hooks_for(s, dm=dm, on=desk.today, limit=3)
    push = pushes(s, desk, dms=[dm], best_hooks={dm.id: hooks}).get(dm.id)
    last = queries.calls.calls_of(s, dm_id=dm.id, limit=20)
    last_conversation = next((c for c in last if c.conversation_number), None)
    own = desk.settings.for_dm(dm.tier, dm.cycle_days)  # the DM's own cycle
    said = _to_say(last, today=desk.today, recent_days=own.cycle_days)
    objection = desk.settings.delay("objection")
    wait = own.cycle_days if objection.unit == "cycle" else objection.amount
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
        open_loops=[OpenLoopFacts(x.kind, x.opened_on, x.chases) for x in open_loops],
        hooks=hooks,
        jobs=jobs,
        today=desk.today,
        words=words,
        push=push,
        say=said.say if said else None,
        said_on=said.called_on if said else None,
        due_reason=dm.due_reason if dm.conversation_count else REASON_NEW,
        purpose=dm.due_purpose,
        interval=None
        if objection.unit == "none"
        else wording.interval(wait, working=objection.unit == "wd"),
    )


def _to_say(calls: Sequence[Call], *, today: date, recent_days: int) -> Call | None:
    """The latest call with words marked to be said (``log --say``), if it is no older
    than the last conversation (a later conversation moved on from them) and recent: within
    ``recent_days`` of today. ``calls`` newest first."""
    for call in calls:
        if call.say:
            return call if (today - call.called_on).days <= recent_days else None
        if call.conversation_number:
            return None
    return None
