"""Picking the day's new DMs tier by tier (for speed) gives exactly the prospects that
sorting every prospect by the whole order would: referred first, then those tagged like
an open hook, then retries that are due (earliest first), then the oldest added."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import col, select

from callplan import repo
from callplan.db import make_engine, session
from callplan.models import DecisionMaker, DMTag, Status

ON = date(2026, 11, 23)
TAGS = ["sql", "java", "sap"]


def by_whole_order(s, *, on: date, limit: int, hook_tags: list[str]) -> list[int]:
    """The rule as one sort of every prospect (what pick_new did before it was tiered)."""
    dm = DecisionMaker
    order: list = [col(dm.referred_by_id).is_(None)]
    if hook_tags:
        tagged = sa.exists().where(col(DMTag.dm_id) == col(dm.id), col(DMTag.tag).in_(hook_tags))
        order.append(sa.not_(tagged))
    order += [col(dm.next_call_on).is_(None), col(dm.next_call_on), col(dm.created_at), col(dm.id)]
    q = select(dm.id).where(
        dm.status == Status.ACTIVE,
        dm.conversation_count == 0,
        sa.or_(col(dm.next_call_on).is_(None), col(dm.next_call_on) <= on),
    )
    return list(s.exec(q.order_by(*order).limit(limit)).all())


@pytest.mark.parametrize("seed", range(12))
def test_tiers_pick_what_the_whole_order_picks(store, seed):
    rnd = random.Random(seed)
    engine = make_engine(store.url)
    added = datetime(2026, 1, 5, 9, tzinfo=UTC)
    with session(engine, write=True) as s:
        ids: list[int] = []
        for i in range(rnd.randrange(0, 60)):
            dm = repo.add_dm(
                s,
                name=f"Person {i}",
                tags=rnd.sample(TAGS, rnd.randrange(0, 3)),
                referred_by=s.get(DecisionMaker, rnd.choice(ids))
                if ids and rnd.random() < 0.15
                else None,
            )
            # Ties on the date added are common (an import): the id breaks them.
            dm.created_at = added + timedelta(days=rnd.randrange(0, 5))
            dm.next_call_on = rnd.choice(
                [None, None, ON - timedelta(days=rnd.randrange(0, 9)), ON + timedelta(days=3)]
            )
            dm.status = rnd.choice([Status.ACTIVE] * 8 + [Status.ARCHIVED, Status.DNC])
            dm.conversation_count = rnd.choice([0, 0, 0, 1])
            s.add(dm)
            s.flush()
            assert dm.id is not None
            ids.append(dm.id)
    with session(engine) as s:
        for hook_tags in ([], ["sql"], ["java", "sap"]):
            for limit in (0, 1, 2, 5, 100):
                want = by_whole_order(s, on=ON, limit=limit, hook_tags=hook_tags)
                got = [dm.id for dm in repo.pick_new(s, on=ON, limit=limit, hook_tags=hook_tags)]
                assert got == want, (hook_tags, limit)
    engine.dispose()
