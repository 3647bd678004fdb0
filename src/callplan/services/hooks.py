"""The hooks worth mentioning to a DM: open jobs, candidates and coming events that match
their needs."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from callplan.core.hooks import Hook, Match, match
from callplan.core.kinds import Status
from callplan.core.notes import NOTE_FIELDS, current_picture
from callplan.store import queries
from callplan.store.models import DecisionMaker

if TYPE_CHECKING:
    from sqlmodel import Session

# The note fields that say what a DM needs, read for hook matches.
HOOK_NOTE_FIELDS = ("toughest_role", "plans")


# --- hooks ----------------------------------------------------------------------------


def hooks_for(
    s: Session,
    *,
    dm: DecisionMaker,
    on: date,
    open_hooks: Sequence[Hook] | None = None,
    limit: int | None = None,
) -> list[Match]:
    """The open jobs and candidates, and the events still to come on ``on``, that fit a
    DM, best first; none for a do-not-call DM."""
    assert dm.id is not None
    return hooks_for_each(s, dms=[dm], on=on, open_hooks=open_hooks, limit=limit)[dm.id]


def hooks_for_each(
    s: Session,
    *,
    dms: Sequence[DecisionMaker],
    on: date,
    open_hooks: Sequence[Hook] | None = None,
    limit: int | None = None,
) -> dict[int, list[Match]]:
    """``hooks_for`` for several DMs at once (a day's plan), in three queries in all."""
    found: dict[int, list[Match]] = {dm.id: [] for dm in dms if dm.id is not None}
    hooks = queries.hooks.open_hooks(s, on=on) if open_hooks is None else open_hooks
    ids = [dm.id for dm in dms if dm.id is not None and dm.status != Status.DNC]
    if not hooks or not ids:
        return found
    notes = queries.calls.hook_notes(s, dm_ids=ids, fields=HOOK_NOTE_FIELDS)
    tags = queries.dms.tags_of(s, dm_ids=ids)
    presented = queries.hooks.presented_candidates(s, dm_ids=ids)
    labels = {f.name: f.label.lower() for f in NOTE_FIELDS if f.name in HOOK_NOTE_FIELDS}
    for dm in dms:
        if dm.id not in presented:
            continue
        picture = current_picture(notes[dm.id])
        matches = match(
            hooks,
            dm_tags=tags[dm.id],
            notes={labels[name]: picture[name].value for name in labels if name in picture},
            dm_company=dm.company,
            presented=presented[dm.id],
            toughest_role=picture["toughest_role"].value if "toughest_role" in picture else None,
            dm_id=dm.id,
        )
        found[dm.id] = matches[:limit] if limit else matches
    return found
