"""A DM's status: archive, do not call, back to active."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from callplan.core import planner
from callplan.core.config import Settings
from callplan.core.kinds import Status
from callplan.core.outcomes import (
    REASON_CYCLE,
)
from callplan.core.workdays import WorkCalendar
from callplan.store.models import DecisionMaker

if TYPE_CHECKING:
    from sqlmodel import Session

    pass


# --- archive, do not call, restore ---------------------------------------------------


def set_status(
    s: Session,
    *,
    dm: DecisionMaker,
    status: str,
    today: date,
    settings: Settings,
    calendar: WorkCalendar,
) -> None:
    """Archive, mark do-not-call or restore. The diarised date is kept for a restore; a
    contact coming back with none is due when the cycle says (today if already past)."""
    dm.status = status
    if status == Status.ACTIVE and dm.next_call_on is None and dm.last_conversation_on:
        dm.next_call_on = planner.restored_due(dm.last_conversation_on, today, settings, calendar)
        dm.due_reason = REASON_CYCLE
    s.add(dm)
