"""Today's calls: the new DMs and everyone due, each with why now."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from callplan.core import delivery, planner
from callplan.core.config import Settings
from callplan.core.desk import Desk
from callplan.core.hooks import Match
from callplan.core.kinds import Status
from callplan.core.outcomes import priority_of
from callplan.services import shapes
from callplan.services.hooks import hooks_for, hooks_for_each
from callplan.services.jobs import client_jobs
from callplan.services.shapes import agenda_row, match_json
from callplan.store import queries
from callplan.store.models import DecisionMaker, OpenLoop

if TYPE_CHECKING:
    from sqlmodel import Session

# --- today ----------------------------------------------------------------------------


@dataclass
class Agenda:
    """A day's calls: the new DMs still owed to the quota, then everyone due."""

    on: date
    quota: int
    first_conversations: int
    new: list[dict[str, Any]]
    due: list[dict[str, Any]]
    due_total: int
    store_empty: bool
    need_number: int = 0  # prospects passed over for the new-DM slots: no number to ring
    # Candidates & delivery: the calls submissions planned and candidates due (never
    # counted in the quota), the most overdue first
    delivery: list[dict[str, Any]] = field(default_factory=list)

    @property
    def new_remaining(self) -> int:
        return planner.new_quota(self.quota, self.first_conversations)


def why_now(
    dm: DecisionMaker,
    *,
    on: date,
    settings: Settings,
    referrer: str | None = None,
    as_new: bool = False,
    push: tuple[int, planner.Aim] | None = None,
    loop: OpenLoop | None = None,
    today: date | None = None,
    jobs: Sequence[delivery.ClientJob] = (),
) -> str:
    """How the plan words why a DM is called on ``on``: as a new DM, or as due; ``push``
    is their continuations in a row and the advance to aim for (see ``pushes``), ``loop``
    their oldest open loop, its age as of ``today`` (default ``on``); ``jobs`` the open
    jobs they gave you, whose progress is theirs to hear ("update on job:7 …")."""
    if as_new:
        return planner.new_reason(
            referred_by=referrer,
            last_attempt=dm.due_reason,
            attempts=dm.attempts_in_row,
            settings=settings,
            needs_number=dm.needs_number,
        )
    reason = planner.due_reason(
        reason=dm.due_reason,
        due_on=dm.next_call_on,
        on=on,
        last_conversation_on=dm.last_conversation_on,
        settings=settings.for_dm(dm.tier, dm.cycle_days),
        attempts_in_row=dm.attempts_in_row,
        needs_number=dm.needs_number,
        continuations=push[0] if push else 0,
        aim=push[1] if push else None,
        purpose=dm.due_purpose,
        at=dm.next_call_at,
        loop=(loop.kind, loop.opened_on, loop.chases) if loop else None,
        today=today,
    )
    return "; ".join([reason, *(f"update on {job.line()}" for job in jobs)])


def pushes(
    s: Session,
    desk: Desk,
    *,
    dms: Sequence[DecisionMaker],
    best_hooks: Mapping[int, Sequence[Match]],
) -> dict[int, tuple[int, planner.Aim]]:
    """The DMs among ``dms`` who have had ``continuations_warning`` or more continuations
    in a row, each with that number and the advance to aim for (a matching candidate
    from ``best_hooks``, else by their advances so far). One query, for the DMs with
    enough conversations to qualify; none for an archived or do-not-call DM."""
    warning = desk.settings.continuations_warning
    ids = [
        dm.id
        for dm in dms
        if dm.id is not None and dm.status == Status.ACTIVE and dm.conversation_count >= warning
    ]
    if not ids:
        return {}
    breaks = queries.calls.run_breaks(s, dm_ids=ids)
    found: dict[int, tuple[int, planner.Aim]] = {}
    for dm in dms:
        if dm.id not in breaks:
            continue
        run = planner.continuations_in_row(dm.conversation_count, breaks[dm.id])
        if run >= warning:
            hooks = best_hooks.get(dm.id) or []
            aim = planner.aim_for(
                advances=breaks[dm.id].keys(), best_hook=hooks[0].hook if hooks else None
            )
            found[dm.id] = (run, aim)
    return found


def push_after_log(s: Session, desk: Desk, *, dm: DecisionMaker) -> str | None:
    """The line `log` adds after a continuation that makes the run reach the warning."""
    if dm.id is None:
        return None
    found = pushes(
        s, desk, dms=[dm], best_hooks={dm.id: hooks_for(s, dm=dm, on=desk.today, limit=1)}
    )
    if dm.id not in found:
        return None
    run, aim = found[dm.id]
    return planner.push_text(run, aim) + "."


def agenda(
    s: Session,
    desk: Desk,
    *,
    on: date,
    limit: int | None = None,
    claim: bool = False,
) -> Agenda:
    """The day's calls: the new DMs still owed to the quota, and everyone due.

    The quota is per working day: on a weekend or a public holiday no new DMs are planned.
    Only prospects with a number to ring take its slots; those without one are counted.
    For the desk's recruiter: their own DMs due, and new DMs from their own prospects and the
    unowned pool, never one a colleague claimed for the day; with ``claim`` (in a write
    session) the new DMs picked are claimed for the day.
    """
    quota = desk.settings.new_per_day if desk.calendar.is_working(on) else 0
    done = queries.calls.first_conversations_on(s, on=on, recruiter=desk.recruiter)
    hooks = queries.hooks.open_hooks(s, on=on)
    wanted = planner.new_quota(quota, done)
    tags = queries.hooks.hook_tags(hooks)
    if claim and desk.recruiter is not None:
        new_dms = queries.prospects.claim_new(
            s, on=on, limit=wanted, hook_tags=tags, recruiter=desk.recruiter
        )
    else:
        new_dms = queries.prospects.pick_new(
            s, on=on, limit=wanted, hook_tags=tags, recruiter=desk.recruiter
        )
    new_ids = [dm.id for dm in new_dms if dm.id is not None]
    due_dms = queries.diary.due(s, on=on, exclude=new_ids, limit=limit, owner=desk.recruiter)
    total = len(due_dms)
    if limit is not None and total >= limit:
        total = queries.diary.count_due(s, on=on, exclude=new_ids, owner=desk.recruiter)
    # A prospect's retry the new-DM slots didn't take is still one of today's calls: in
    # the due list at its priority (after agreed callbacks and follow-ups).
    retries = queries.diary.prospect_retries_due(
        s, on=on, exclude=new_ids, recruiter=desk.recruiter
    )
    if retries:
        total += len(retries)
        due_dms = sorted(
            [*due_dms, *retries],
            key=lambda dm: (
                planner.time_order(dm.next_call_on, dm.next_call_at, on),
                priority_of(dm.due_reason),
                dm.next_call_on,
                dm.id,
            ),
        )[:limit]
    ids = new_ids + [dm.id for dm in due_dms if dm.id is not None]
    best = hooks_for_each(s, dms=[*new_dms, *due_dms], on=on, open_hooks=hooks, limit=1)
    pushed = pushes(s, desk, dms=due_dms, best_hooks=best)
    summaries = queries.calls.last_summaries(s, dm_ids=ids)
    due_ids = [dm.id for dm in due_dms if dm.id is not None]
    open_loops = queries.loops.open_of(s, dm_ids=due_ids)
    their_jobs = client_jobs(s, dm_ids=due_ids, today=on)
    referrers = queries.dms.names_of(s, dm_ids=[dm.referred_by_id for dm in new_dms])
    new_rows = [
        agenda_row(
            dm,
            reason=why_now(
                dm,
                on=on,
                settings=desk.settings,
                referrer=referrers.get(dm.referred_by_id or 0),
                as_new=True,
            ),
            code="new",
            summary=summaries.get(dm.id or 0),
            on=on,
        )
        for dm in new_dms
    ]
    due_rows = [
        agenda_row(
            dm,
            reason=why_now(
                dm,
                on=on,
                settings=desk.settings,
                push=pushed.get(dm.id or 0),
                loop=next(iter(open_loops.get(dm.id or 0, [])), None),
                jobs=their_jobs.get(dm.id or 0, []),
            ),
            code=dm.due_reason,
            summary=summaries.get(dm.id or 0),
            on=on,
        )
        for dm in due_dms
    ]
    for dm, row in zip([*new_dms, *due_dms], [*new_rows, *due_rows], strict=True):
        hook = best.get(dm.id or 0)
        row["hook"] = match_json(hook[0]) if hook else None
    delivery_rows = delivery_agenda(s, desk, on=on)
    empty = not new_rows and not due_rows and not delivery_rows and queries.dms.count_dms(s) == 0
    need_number = queries.prospects.count_needing_a_number(s, recruiter=desk.recruiter)
    return Agenda(
        on=on,
        quota=quota,
        first_conversations=done,
        new=new_rows,
        due=due_rows,
        due_total=total,
        store_empty=empty,
        need_number=need_number,
        delivery=delivery_rows,
    )


def delivery_agenda(s: Session, desk: Desk, *, on: date) -> list[dict[str, Any]]:
    """The day's candidates & delivery: the calls the submissions' stages planned, due by
    ``on`` (timed ones first, the candidate before the client), then the candidates due
    a call of their own who have no planned call today."""
    planned = [
        shapes.delivery_row(*row, on=on)
        for row in queries.delivery.due_calls(s, on=on, recruiter=desk.recruiter)
    ]
    planned.sort(
        key=lambda r: (
            r["due_on"],
            r["time"] is None,
            r["time"] or "",
            r["job"]["id"],
            r["candidate"]["id"],
            r["kind"] != delivery.CANDIDATE,
        )
    )
    called = {r["candidate"]["id"] for r in planned if r["kind"] == delivery.CANDIDATE}
    own = queries.delivery.candidates_due(
        s, on=on, recruiter=desk.recruiter, exclude=sorted(called)
    )
    return planned + [shapes.candidate_due_row(c, on=on) for c in own]
