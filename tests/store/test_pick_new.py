"""Picking the day's new DMs tier by tier (for speed) gives exactly the prospects that
sorting every prospect with a number to ring by the whole order would: referred first,
then those tagged like an open hook, then retries that are due (earliest first), then
the oldest added."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import col, select

from callplan.core.kinds import Status
from callplan.store import queries
from callplan.store.db import make_engine, session
from callplan.store.models import Claim, DecisionMaker, DMTag

ON = date(2026, 11, 23)
TAGS = ["sql", "java", "sap"]
# Twelve random stores in the whole suite; the quick loop (-m "not slow") tries three.
SEEDS = [*range(3), *(pytest.param(seed, marks=pytest.mark.slow) for seed in range(3, 12))]


def by_whole_order(
    s, *, on: date, limit: int, hook_tags: list[str], filters: list | None = None
) -> list[int]:
    """The rule as one sort of every prospect with a number to ring (what pick_new did
    before it was tiered); ``filters``: those prospects only."""
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
        col(dm.phone).is_not(None),
        dm.phone != "",
        dm.needs_number == sa.false(),
        *(filters or []),
    )
    return list(s.exec(q.order_by(*order).limit(limit)).all())


@pytest.mark.parametrize("seed", SEEDS)
def test_tiers_pick_what_the_whole_order_picks(store, seed):
    engine = random_store(store, seed)
    with session(engine) as s:
        for hook_tags in ([], ["sql"], ["java", "sap"]):
            for limit in (0, 1, 2, 5, 100):
                want = by_whole_order(s, on=ON, limit=limit, hook_tags=hook_tags)
                got = [
                    dm.id
                    for dm in queries.prospects.pick_new(s, on=ON, limit=limit, hook_tags=hook_tags)
                ]
                assert got == want, (hook_tags, limit)
    engine.dispose()


@pytest.mark.parametrize("seed", SEEDS)
def test_a_handful_sorted_in_sql_comes_in_the_order_the_tiers_pick(store, seed):
    """in_prospect_order (one ORDER BY over the prospects given, in any order) and
    pick_new's tiers are one order: both are built from prospect_order."""
    engine = random_store(store, seed)
    rnd = random.Random(seed)
    with session(engine) as s:
        for hook_tags in ([], ["sql"], ["java", "sap"]):
            everyone = by_whole_order(s, on=ON, limit=1000, hook_tags=hook_tags)
            given = rnd.sample(everyone, len(everyone))
            for limit in (0, 1, 2, 5, 100):
                want = [
                    dm.id
                    for dm in queries.prospects.pick_new(s, on=ON, limit=limit, hook_tags=hook_tags)
                ]
                got = queries.prospects.in_prospect_order(
                    s, dm_ids=given, hook_tags=hook_tags, limit=limit
                )
                assert [dm.id for dm in got] == want, (hook_tags, limit)
    engine.dispose()


# --- a recruiter's picks on a shared store (issue 8) -----------------------------------

RECRUITERS = ["Sam", "Kim", "Lou"]


def eligible(recruiter: str, *, on: date) -> list:
    """A prospect ``recruiter`` may be given on ``on``: theirs (a colleague's claim on it
    can't stand: nobody else may be given it), or the pool's and not claimed for the day
    by a colleague."""
    dm = DecisionMaker
    colleagues = sa.exists().where(
        col(Claim.dm_id) == col(dm.id),
        col(Claim.claimed_on) == on,
        col(Claim.recruiter) != recruiter,
    )
    return [sa.or_(dm.owner == recruiter, sa.and_(col(dm.owner).is_(None), sa.not_(colleagues)))]


def random_store(store, seed: int, *, recruiters: list[str] | None = None):
    """A store of prospects (and a few contacts), with ties on the date added (as an
    import makes: the id breaks them); with ``recruiters``, owned by them or none, and
    with claims of today and of yesterday on some of them."""
    rnd = random.Random(seed)
    engine = make_engine(store.url)
    added = datetime(2026, 1, 5, 9, tzinfo=UTC)
    with session(engine, write=True) as s:
        ids: list[int] = []
        for i in range(rnd.randrange(0, 60)):
            dm = queries.dms.add_dm(
                s,
                name=f"Person {i}",
                tags=rnd.sample(TAGS, rnd.randrange(0, 3)),
                referred_by=s.get(DecisionMaker, rnd.choice(ids))
                if ids and rnd.random() < 0.15
                else None,
            )
            dm.created_at = added + timedelta(days=rnd.randrange(0, 5))
            dm.next_call_on = rnd.choice(
                [None, None, ON - timedelta(days=rnd.randrange(0, 9)), ON + timedelta(days=3)]
            )
            dm.status = rnd.choice([Status.ACTIVE] * 8 + [Status.ARCHIVED, Status.DNC])
            dm.conversation_count = rnd.choice([0, 0, 0, 1])
            # Most with a number; some with none (a LinkedIn import) or a wrong one.
            dm.phone = rnd.choice([f"+4420794600{i:02d}"] * 5 + [None, ""])
            dm.needs_number = rnd.random() < 0.15
            if recruiters:
                dm.owner = rnd.choice([None, None, None, *recruiters])
            s.add(dm)
            s.flush()
            assert dm.id is not None
            ids.append(dm.id)
        for dm_id in rnd.sample(ids, len(ids) // 3) if recruiters else []:
            s.add(
                Claim(
                    dm_id=dm_id,
                    recruiter=rnd.choice(recruiters),
                    claimed_on=rnd.choice([ON, ON, ON - timedelta(days=1)]),
                )
            )
    return engine


@pytest.mark.parametrize("seed", SEEDS)
def test_a_recruiters_own_prospects_and_claims_are_in_the_whole_order(store, seed):
    """_theirs (their own prospects and their claims of the day, read by index) puts
    them in the order one SQL sort of them gives."""
    engine = random_store(store, seed, recruiters=RECRUITERS)
    dm = DecisionMaker
    with session(engine) as s:
        for recruiter in RECRUITERS:
            claimed = select(Claim.dm_id).where(
                Claim.recruiter == recruiter, Claim.claimed_on == ON
            )
            theirs = [
                *eligible(recruiter, on=ON),
                sa.or_(dm.owner == recruiter, col(dm.id).in_(claimed)),
            ]
            for hook_tags in ([], ["sql"], ["java", "sap"]):
                for limit in (0, 1, 2, 5, 100):
                    want = by_whole_order(
                        s, on=ON, limit=limit, hook_tags=hook_tags, filters=theirs
                    )
                    got = queries.prospects._theirs(
                        s, on=ON, limit=limit, hook_tags=hook_tags, recruiter=recruiter
                    )
                    assert [d.id for d in got] == want, (recruiter, hook_tags, limit)
    engine.dispose()


@pytest.mark.parametrize("seed", SEEDS)
def test_a_recruiters_picks_are_what_the_whole_order_picks(store, seed):
    """claim_new gives a recruiter the first prospects of one sort of every prospect
    they may be given (theirs, the pool's, their own claims: not a colleague's)."""
    engine = random_store(store, seed, recruiters=RECRUITERS)
    with session(engine) as s:
        for recruiter in RECRUITERS:
            for hook_tags in ([], ["sql"], ["java", "sap"]):
                for limit in (0, 1, 2, 5, 100):
                    want = by_whole_order(
                        s, on=ON, limit=limit, hook_tags=hook_tags,
                        filters=eligible(recruiter, on=ON),
                    )  # fmt: skip
                    got = queries.prospects.claim_new(
                        s, on=ON, limit=limit, hook_tags=hook_tags, recruiter=recruiter
                    )
                    s.rollback()  # the claims made: each case starts from the same store
                    assert [d.id for d in got] == want, (recruiter, hook_tags, limit)
    engine.dispose()
