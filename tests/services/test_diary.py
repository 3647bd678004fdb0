"""The diary's use cases on a session, no command line: the day's plan, logging a call and
the monthly sweep, each held to the rule it applies (docs: DOMAIN.md)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlmodel import col, select

from callplan import services
from callplan.core.config import Settings
from callplan.core.desk import Desk
from callplan.core.outcomes import OUTCOMES
from callplan.core.workdays import WorkCalendar
from callplan.store import queries
from callplan.store.db import make_engine, session
from callplan.store.models import Call, DecisionMaker

MON = date(2026, 11, 23)  # a Monday
FRI = date(2026, 11, 20)
SAT = date(2026, 11, 28)
CHRISTMAS = date(2026, 12, 25)  # a Friday, and a holiday of this calendar
CALENDAR = WorkCalendar(frozenset(range(5)), {CHRISTMAS: "Christmas Day"})
SETTINGS = Settings.defaults()  # two new DMs a day, a 90-day cycle


@pytest.fixture
def engine(store) -> Iterator[object]:
    engine = make_engine(store.url)
    yield engine
    engine.dispose()


def add(engine, *names: str, phone: bool = True) -> list[int]:
    """DMs at Acme, each with a number of their own (or, ``phone`` False, none)."""
    with session(engine, write=True) as s:
        dms = [
            queries.dms.add_dm(
                s, name=name, company="Acme", phone=f"+4420794{i:05d}" if phone else None
            )
            for i, name in enumerate(names, start=len(s.exec(select(DecisionMaker.id)).all()))
        ]
        s.flush()
        return [dm.id for dm in dms]


def log(engine, dm_id: int, outcome: str, on: date, requested: date | None = None):
    with session(engine, write=True) as s:
        dm = s.get(DecisionMaker, dm_id)
        return services.calls.log_call(
            s,
            Desk(SETTINGS, CALENDAR, today=on),
            dm=dm,
            outcome=OUTCOMES[outcome],
            called_on=on,
            summary=None,
            requested_next=requested,
        )


def reread(engine, dm_id: int) -> DecisionMaker:
    with session(engine) as s:
        return s.get(DecisionMaker, dm_id)


def plan(engine, on: date = MON, **kw) -> services.today.Agenda:
    with session(engine) as s:
        return services.today.agenda(s, Desk(SETTINGS, CALENDAR, today=on), on=on, **kw)


def names(rows: list[dict]) -> list[str]:
    return [row["name"] for row in rows]


# --- the day's plan -----------------------------------------------------------------------


def test_the_plan_offers_the_new_dm_quota_oldest_prospects_first(engine):
    add(engine, "Ann Prospect", "Ben Prospect", "Cat Prospect")
    day = plan(engine)
    assert day.quota == 2 and day.first_conversations == 0 and day.new_remaining == 2
    assert names(day.new) == ["Ann Prospect", "Ben Prospect"]
    assert day.due == [] and not day.store_empty


def test_prospects_without_a_number_to_ring_are_counted_not_given_the_new_dm_slots(engine):
    add(engine, "Ann NoPhone", "Ben NoPhone", "Cat NoPhone", phone=False)  # a LinkedIn import
    (wrong,) = add(engine, "Dan Wrong")
    log(engine, wrong, "wrong-number", FRI)  # his retry is due Monday, on a wrong number
    add(engine, "Eve Callable", "Fay Callable", "Gus Callable")
    day = plan(engine)
    assert names(day.new) == ["Eve Callable", "Fay Callable"]
    assert day.need_number == 4
    # Dan's retry is still one of Monday's calls, to find a new number: listed once.
    assert names(day.due) == ["Dan Wrong"] and "needs a new number" in day.due[0]["reason"]


def test_a_prospect_given_a_number_takes_a_slot_again(engine):
    (ann,) = add(engine, "Ann Prospect", phone=False)
    assert plan(engine).new == [] and plan(engine).need_number == 1
    with session(engine, write=True) as s:
        services.people.edit(
            s,
            Desk(SETTINGS, CALENDAR, today=MON),
            dm=s.get(DecisionMaker, ann),
            changes=services.people.Changes(fields={"phone": "020 7946 0000"}),
        )
    day = plan(engine)
    assert names(day.new) == ["Ann Prospect"] and day.need_number == 0


def test_a_first_conversation_today_counts_against_the_quota_and_an_attempt_does_not(engine):
    ann, ben, _ = add(engine, "Ann Prospect", "Ben Prospect", "Cat Prospect")
    log(engine, ben, "no-answer", MON)  # a dial that didn't connect: not a conversation
    day = plan(engine)
    assert day.first_conversations == 0 and day.new_remaining == 2 and len(day.new) == 2
    log(engine, ann, "callback", MON)  # spoken to: one of today's two
    day = plan(engine)
    assert day.first_conversations == 1 and day.new_remaining == 1
    assert len(day.new) == 1 and "Ann Prospect" not in names(day.new)


def test_no_new_dms_on_a_weekend_or_a_holiday_but_the_due_calls_stay(engine):
    (contact, _) = add(engine, "Dee Contact", "Eve Prospect")
    log(engine, contact, "callback", SAT - timedelta(days=5))  # due two working days on
    for day in (plan(engine, SAT), plan(engine, CHRISTMAS)):
        assert day.quota == 0 and day.new == [] and day.new_remaining == 0
        assert names(day.due) == ["Dee Contact"]


def test_due_calls_are_those_diarised_today_or_before_and_none_later(engine):
    today, overdue, later = add(engine, "Due Today", "Due Before", "Due Later")
    log(engine, today, "callback", MON, requested=MON)
    log(engine, overdue, "callback", FRI - timedelta(days=7), requested=FRI)
    log(engine, later, "callback", MON, requested=MON + timedelta(days=1))
    day = plan(engine)
    assert sorted(names(day.due)) == ["Due Before", "Due Today"]
    assert day.due_total == 2 and day.new == []  # all three are contacts, not prospects


def test_a_limited_plan_still_counts_everyone_due(engine):
    ids = add(engine, *(f"Contact {i}" for i in range(5)))
    for i in ids:
        log(engine, i, "callback", FRI - timedelta(days=7), requested=FRI)
    day = plan(engine, limit=2)
    assert len(day.due) == 2 and day.due_total == 5


def test_an_empty_store_says_so(engine):
    day = plan(engine)
    assert day.store_empty and day.new == [] and day.due == []


# --- logging a call -----------------------------------------------------------------------


def test_an_advance_diarises_its_follow_up_in_working_days(engine):
    (ann,) = add(engine, "Ann Client")
    result = log(engine, ann, "cv-review", FRI)  # CVs to review: chase in 2 working days
    assert result.next_call.on == date(2026, 11, 24) and not result.next_call.capped
    after = reread(engine, ann)
    assert after.next_call_on == date(2026, 11, 24) and after.due_reason == "cv-review"
    assert after.last_conversation_on == FRI and after.conversation_count == 1


def test_an_advance_in_calendar_days_lands_on_a_working_day(engine):
    (ann,) = add(engine, "Ann Client")
    # a future requirement: 30 days on, 2026-12-25 is Christmas Day, so the 28th (Monday)
    result = log(engine, ann, "future-requirement", date(2026, 11, 25))
    assert result.next_call.on == date(2026, 12, 28)
    assert reread(engine, ann).next_call_on == date(2026, 12, 28)


def test_a_continuation_diarises_the_next_call(engine):
    (ben,) = add(engine, "Ben Contact")
    log(engine, ben, "callback", FRI)  # a callback: two working days, over the weekend
    after = reread(engine, ben)
    assert after.next_call_on == date(2026, 11, 24) and after.due_reason == "callback"
    assert after.conversation_count == 1 and after.last_conversation_on == FRI


def test_a_rejection_waits_for_the_last_working_day_of_the_cycle(engine):
    (cat,) = add(engine, "Cat Contact")
    result = log(engine, cat, "rejection", MON)  # 90 days on is Sunday 2027-02-21
    assert result.next_call.on == date(2027, 2, 19)
    assert reread(engine, cat).next_call_on == date(2027, 2, 19)


def test_a_next_call_asked_for_past_the_cycle_is_capped_at_it(engine):
    (dee,) = add(engine, "Dee Contact")
    result = log(engine, dee, "objection", MON, requested=date(2027, 6, 1))
    assert result.next_call.capped and result.next_call.on == date(2027, 2, 19)
    assert reread(engine, dee).next_call_on == date(2027, 2, 19)


def test_an_attempt_keeps_the_cycle_of_the_last_conversation(engine):
    (eve,) = add(engine, "Eve Contact")
    log(engine, eve, "callback", MON)
    log(engine, eve, "no-answer", MON + timedelta(days=2))  # retried the next working day
    after = reread(engine, eve)
    assert after.next_call_on == MON + timedelta(days=3)
    assert after.conversation_count == 1 and after.last_conversation_on == MON


def test_every_call_is_recorded_with_why_it_was_made(engine):
    (fay,) = add(engine, "Fay Prospect")
    log(engine, fay, "callback", FRI)  # the first conversation: a new DM
    log(engine, fay, "live-requirement", MON)  # the callback diarised last time
    with session(engine) as s:
        calls = s.exec(select(Call).where(Call.dm_id == fay).order_by(col(Call.called_on))).all()
        assert [(c.outcome, c.reason) for c in calls] == [
            ("callback", "new"),
            ("live-requirement", "callback"),
        ]


# --- the monthly sweep --------------------------------------------------------------------


def sweep(engine, *, write: bool, on: date = MON) -> services.sweep.Sweep:
    with session(engine, write=write) as s:
        return services.sweep.sweep(s, Desk(SETTINGS, CALENDAR, today=on), on=on, write=write)


def out_of_cycle(engine, count: int, last_spoken: date = date(2026, 7, 1)) -> list[int]:
    """``count`` contacts last spoken to more than a cycle ago, their next call passed."""
    ids = add(engine, *(f"Old Contact {i:02d}" for i in range(count)))
    for i in ids:
        log(engine, i, "rejection", last_spoken)  # diarised for late September
    return ids


def test_the_sweep_spreads_every_dm_out_of_cycle_over_the_working_days(engine):
    ids = out_of_cycle(engine, 45)
    result = sweep(engine, write=True)
    assert result.until == date(2026, 12, 23)
    assert CHRISTMAS not in result.days and all(CALENDAR.is_working(d) for d in result.days)
    assert len(result.days) == 22  # working days from 23 November to 22 December
    assert sorted(dm.id for dm, _ in result.placed) == sorted(ids)
    per_day = Counter(day for _, day in result.placed)
    assert set(per_day) == set(result.days)  # every working day gets some
    assert max(per_day.values()) - min(per_day.values()) <= 1  # evenly: 45 over 22 days
    for placed, day in result.placed:
        after = reread(engine, placed.id)
        assert after.next_call_on == day and after.due_reason == "sweep"


def test_the_sweep_fills_the_quietest_days_first(engine):
    busy, *_ = out_of_cycle(engine, 1, last_spoken=date(2026, 11, 2))
    log(engine, busy, "callback", MON, requested=MON)  # one call already on the first day
    out_of_cycle(engine, 21)
    result = sweep(engine, write=False)
    assert result.load_before == {MON: 1}
    assert MON not in {day for _, day in result.placed}  # 21 calls, 21 empty days
    assert set(result.load_after().values()) == {1}


def test_the_sweep_leaves_dms_in_cycle_or_already_diarised_in_the_month(engine):
    (recent,) = add(engine, "Recent Contact")
    log(engine, recent, "rejection", date(2026, 10, 1))  # spoken to 53 days ago
    (planned,) = out_of_cycle(engine, 1)
    log(engine, planned, "no-answer", FRI)  # out of cycle, but retried on Monday
    (prospect,) = add(engine, "Never Spoken")
    swept = out_of_cycle(engine, 2)
    result = sweep(engine, write=True)
    assert sorted(dm.id for dm, _ in result.placed) == sorted(swept)
    after = reread(engine, planned)
    assert after.next_call_on == MON and after.due_reason != "sweep"
    assert reread(engine, prospect).next_call_on is None


def test_a_sweep_without_write_diarises_nothing(engine, store):
    out_of_cycle(engine, 3)
    before = store.snapshot()
    result = sweep(engine, write=False)
    assert len(result.placed) == 3
    assert store.snapshot() == before


@pytest.mark.parametrize(
    ("outcome", "why"),
    [
        ("callback", "a callback agreed with them"),
        ("cv-review", "the chase after an advance"),
        ("emailed-details", "a continuation's follow-up"),
        ("voicemail", "a retry after a failed dial"),
    ],
)
def test_the_sweep_never_moves_a_call_already_diarised_nor_rewrites_its_reason(
    engine, outcome, why
):
    """Out of cycle and overdue: the call stays where it was, with its reason, and is due
    today (an agreed callback at the top), not pushed later into the month as a cycle call."""
    (promised,) = out_of_cycle(engine, 1)  # last spoken to on 1 July
    log(engine, promised, outcome, FRI, requested=FRI)  # the promise: last Friday
    with session(engine, write=True) as s:  # a conversation restarts the cycle: undo that,
        dm = s.get(DecisionMaker, promised)  # so the DM is out of cycle with a promise due
        dm.last_conversation_on = date(2026, 7, 1)
        s.add(dm)
    before = reread(engine, promised)
    assert before.next_call_on == FRI and before.due_reason == outcome, why
    swept = out_of_cycle(engine, 2)
    result = sweep(engine, write=True)
    assert sorted(dm.id for dm, _ in result.placed) == sorted(swept), why
    after = reread(engine, promised)
    assert (after.next_call_on, after.due_reason) == (FRI, outcome), why
    due = plan(engine).due
    assert promised in [row["id"] for row in due], why


def test_the_sweep_moves_an_overdue_cycle_call_and_those_with_nothing_diarised(engine):
    overdue_cycle, nothing = out_of_cycle(engine, 2)  # rejections: cycle calls, overdue
    with session(engine, write=True) as s:
        dm = s.get(DecisionMaker, nothing)
        dm.next_call_on, dm.due_reason = None, None
        s.add(dm)
    result = sweep(engine, write=True)
    assert sorted(dm.id for dm, _ in result.placed) == sorted([overdue_cycle, nothing])


# --- everyone due is in the day's plan, once -------------------------------------------

REASONS = ["callback", "cv-review", "emailed-details", "voicemail", "no-answer", "rejection",
           "manual", "sweep", "cycle", None]  # fmt: skip


@st.composite
def desk_of_dms(draw: st.DrawFn) -> list[dict[str, object]]:
    """DMs in every state the plan must handle: prospects and contacts, active or not,
    next calls from a week ago to a week ahead (or none), any reason, with a number to
    ring or without one (none, or one marked wrong)."""
    return draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "spoken": st.integers(0, 3),
                    "status": st.sampled_from(["active", "active", "active", "archived", "dnc"]),
                    "next": st.one_of(st.none(), st.integers(-7, 7)),
                    "reason": st.sampled_from(REASONS),
                    "phone": st.sampled_from(["+442079460000", "+442079460000", None]),
                    "wrong_number": st.booleans(),
                }
            ),
            max_size=25,
        )
    )


@settings(max_examples=60)
@given(dms=desk_of_dms(), quota=st.integers(0, 3))
def test_everyone_whose_next_call_is_today_or_before_is_in_the_plan_once(engine, dms, quota):
    """Checked against the plain question, asked of the rows themselves: active, and next
    call on or before the day. Prospects never diarised may fill the new-DM slots too."""
    with session(engine, write=True) as s:
        s.exec(sa.delete(DecisionMaker))
        for i, d in enumerate(dms):
            spoken = int(d["spoken"])
            s.add(
                DecisionMaker(
                    name=f"Person {i}",
                    name_key=f"person {i}",
                    status=d["status"],
                    conversation_count=spoken,
                    last_conversation_on=MON - timedelta(days=30) if spoken else None,
                    next_call_on=None if d["next"] is None else MON + timedelta(days=d["next"]),
                    due_reason=d["reason"] if d["next"] is not None else None,
                    phone=d["phone"],
                    needs_number=bool(d["wrong_number"]),
                )
            )
    settings_ = Settings.defaults({"new_per_day": quota})
    with session(engine) as s:
        day = services.today.agenda(s, Desk(settings_, CALENDAR, today=MON), on=MON)
        everyone = s.exec(select(DecisionMaker)).all()
    listed = [row["id"] for row in day.new + day.due]
    assert len(listed) == len(set(listed)), "nobody is listed twice"
    due = {
        dm.id
        for dm in everyone
        if dm.status == "active" and dm.next_call_on and dm.next_call_on <= MON
    }
    assert due <= set(listed), "everyone due today or before is in the plan"
    for dm in everyone:
        if dm.id in listed:
            assert dm.status == "active"
            assert dm.id in due or (dm.conversation_count == 0 and dm.next_call_on is None)
    assert day.due_total == len(day.due)
    by_id = {dm.id: dm for dm in everyone}
    assert all(by_id[row["id"]].phone and not by_id[row["id"]].needs_number for row in day.new)
