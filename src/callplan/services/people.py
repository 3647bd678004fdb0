"""A DM's status: archive, do not call, back to active."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from callplan.core import planner
from callplan.core.desk import Desk
from callplan.core.kinds import Status
from callplan.core.outcomes import (
    REASON_CYCLE,
)
from callplan.services import shapes
from callplan.services.shapes import call_json, dm_json, mention_json, note_json
from callplan.store import privacy, queries
from callplan.store.models import DecisionMaker
from callplan.store.queries.common import BATCH

if TYPE_CHECKING:
    from sqlmodel import Session

    pass


# --- archive, do not call, restore ---------------------------------------------------


def set_status(
    s: Session,
    desk: Desk,
    *,
    dm: DecisionMaker,
    status: str,
) -> None:
    """Archive, mark do-not-call or restore. The diarised date is kept for a restore; a
    contact coming back with none is due when the cycle says (today if already past)."""
    dm.status = status
    if status == Status.ACTIVE and dm.next_call_on is None and dm.last_conversation_on:
        dm.next_call_on = planner.restored_due(
            dm.last_conversation_on, desk.today, desk.settings, desk.calendar
        )
        dm.due_reason = REASON_CYCLE
    s.add(dm)


ACCESS_FORMAT = "callplan-subject-access"
ACCESS_VERSION = 1


# --- a subject access request ----------------------------------------------------------


def subject_access(s: Session, desk: Desk, *, dm: DecisionMaker) -> dict[str, Any]:
    """Everything held about one DM (shape in docs/json.md)."""
    assert dm.id is not None
    calls = queries.calls.calls_of(s, dm_id=dm.id)
    call_ids = [c.id for c in calls if c.id is not None]
    hooks = privacy.hooks_on(s, call_ids=call_ids)
    referrer = s.get(DecisionMaker, dm.referred_by_id) if dm.referred_by_id else None
    return {
        "format": ACCESS_FORMAT,
        "version": ACCESS_VERSION,
        "exported_on": desk.today,
        "person": dm_json(dm),
        "tags": queries.dms.tags_of(s, dm_ids=[dm.id])[dm.id],
        "referred_by": {"id": referrer.id, "name": referrer.name} if referrer else None,
        "referred": [{"id": r.id, "name": r.name} for r in queries.dms.referred_by(s, dm_id=dm.id)],
        "calls": [call_json(c, hooks.get(c.id or 0, [])) for c in calls],
        "notes": [note_json(n) for n in queries.calls.notes_of(s, dm_id=dm.id)],
        "mentions": [mention_json(m) for m in privacy.mentions(s, dm=dm, region=desk.region)],
    }


# --- CSV: one row per DM (`export --format csv`) ---------------------------------------

# --- CSV: one row per DM -------------------------------------------------------------

CSV_KEYS = shapes.CSV_KEYS


def csv_rows(s: Session, desk: Desk, *, status: str = "all") -> Iterator[dict[str, Any]]:
    """One row per DM (filtered like ``dm list --status``), in name order, batch by batch.

    A bad status is refused here, before any row is written.
    """
    return _csv_rows(s, queries.dms.dms_query(status=status, on=desk.today))


def _csv_rows(s: Session, query: Any) -> Iterator[dict[str, Any]]:
    for batch in s.exec(query.execution_options(yield_per=BATCH)).partitions():
        ids = [dm.id for dm in batch if dm.id is not None]
        tags = queries.dms.tags_of(s, dm_ids=ids)
        pictures = queries.calls.current_pictures(s, dm_ids=ids)
        for dm in batch:
            assert dm.id is not None
            yield shapes.csv_row(dm, tags[dm.id], pictures.get(dm.id, {}))
