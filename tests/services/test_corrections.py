"""Correcting calls (services.corrections): undo, delete and edit put the DM back as the
rules of `log` would have left it had the mistake never been made."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import col, select

from callplan import services
from callplan.core.config import Settings
from callplan.core.desk import Desk
from callplan.core.kinds import Status
from callplan.core.outcomes import OUTCOMES
from callplan.core.workdays import WorkCalendar
from callplan.errors import UsageError
from callplan.store import queries
from callplan.store.db import make_engine, session
from callplan.store.health import DRIFT
from callplan.store.models import (
    Call,
    CallBefore,
    CallReferral,
    DecisionMaker,
    Note,
)

MON = date(2026, 11, 23)  # a Monday
CALENDAR = WorkCalendar(frozenset(range(5)), {})
SETTINGS = Settings.defaults()
ME = "Sam"


def desk(on: date = MON, recruiter: str | None = ME) -> Desk:
    return Desk(SETTINGS, CALENDAR, today=on, recruiter=recruiter)


@pytest.fixture
def engine(store) -> Iterator[Any]:
    engine = make_engine(store.url)
    yield engine
    engine.dispose()


def add(engine, *names: str) -> list[int]:
    with session(engine, write=True) as s:
        dms = [queries.dms.add_dm(s, name=name, company="Acme") for name in names]
        s.flush()
        return [dm.id for dm in dms]


def log(engine, dm_id: int, outcome: str, on: date = MON, **kw: Any):
    with session(engine, write=True) as s:
        dm = s.get(DecisionMaker, dm_id)
        return services.calls.log_call(
            s,
            desk(on),
            dm=dm,
            outcome=OUTCOMES[outcome],
            called_on=on,
            summary=kw.pop("summary", None),
            requested_next=kw.pop("requested", None),
            **kw,
        )


def undo(engine, on: date = MON, **kw: Any) -> services.corrections.Taken | None:
    with session(engine, write=True) as s:
        last = services.corrections.last_entry(s, desk(on))
        assert last is not None, "something to undo"
        if last.note is not None:
            services.corrections.delete_note(s, note=last.note)
            return None
        return services.corrections.delete_call(s, desk(on), call=last.call, **kw)


def delete(engine, call_id: int, **kw: Any) -> services.corrections.Taken:
    with session(engine, write=True) as s:
        call = queries.calls.get_call(s, call_id=call_id)
        return services.corrections.delete_call(s, desk(), call=call, **kw)


def edit(engine, call_id: int, on: date = MON, **kw: Any) -> services.corrections.Edited:
    if "outcome" in kw:
        kw["outcome"] = OUTCOMES[kw["outcome"]]
    with session(engine, write=True) as s:
        call = queries.calls.get_call(s, call_id=call_id)
        return services.corrections.edit_call(s, desk(on), call=call, **kw)


def dm(engine, dm_id: int) -> DecisionMaker:
    with session(engine) as s:
        found = s.get(DecisionMaker, dm_id)
        assert found is not None
        return found


def numbers(engine, dm_id: int) -> list[int | None]:
    """The DM's calls' conversation numbers, in date order."""
    with session(engine) as s:
        return [c.conversation_number for c in queries.calls.history_of(s, dm_id=dm_id)]


def drift(engine) -> list[Any]:
    """What `db check` reports as a conversation count out of step with the calls."""
    with engine.connect() as conn:
        return list(conn.execute(sa.text(DRIFT)))


def snapshot(engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the tables a call writes, in a stable order."""
    tables = {
        "dm": (DecisionMaker, DecisionMaker.id),
        "call": (Call, Call.id),
        "note": (Note, Note.id),
        "before": (CallBefore, CallBefore.call_id),
        "referral": (CallReferral, CallReferral.call_id),
    }
    found = {}
    with session(engine) as s:
        for name, (model, key) in tables.items():
            rows = s.exec(select(model).order_by(col(key))).all()
            found[name] = [tuple(sorted(r.model_dump().items())) for r in rows]
    return found


# --- undo ---------------------------------------------------------------------------------

STEP = st.tuples(
    st.integers(0, 2),  # which DM
    st.sampled_from(sorted(t for t, o in OUTCOMES.items() if o.loggable)),
    st.integers(-3, 4),  # days after the day before (negative: back-dated)
    st.booleans(),  # with a referral
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(STEP, min_size=1, max_size=10))
def test_undoing_the_last_k_calls_leaves_the_store_as_if_only_the_first_were_logged(engine, steps):
    """Log a random run of calls (conversations, dials, wrong numbers, a DM leaving,
    back-dated calls, referrals); after each, the store is photographed. Undoing the calls
    one by one must give back each photograph in turn, to the last field."""
    with session(engine, write=True) as s:
        s.exec(sa.delete(DecisionMaker))
    ids = add(engine, "Ann Able", "Ben Baker", "Cat Cole")
    photos = [snapshot(engine)]
    day = MON
    for i, (who, outcome, days, referral) in enumerate(steps):
        on = max(MON, day + timedelta(days=days))
        day = max(day, on)
        try:
            log(
                engine,
                ids[who],
                outcome,
                on,
                summary=f"step {i}",
                note_fields={"plans": f"plan {i}"}
                if OUTCOMES[outcome].kind.is_conversation
                else None,
                referrals=[services.calls.Referral(f"Referred {i}")] if referral else (),
            )
        except UsageError:  # a dial to an archived DM is refused: nothing was written
            assert snapshot(engine) == photos[-1]
            continue
        photos.append(snapshot(engine))
        assert not drift(engine)
    for expected in reversed(photos[:-1]):
        undo(engine, day, with_referrals=True)
        assert snapshot(engine) == expected
        assert not drift(engine)


def test_undo_puts_back_a_prospect_the_first_conversation_made_yours(engine):
    (jane,) = add(engine, "Jane Smith")
    log(engine, jane, "callback", requested=MON + timedelta(days=3))
    assert dm(engine, jane).owner == ME
    taken = undo(engine)
    assert taken is not None and taken.kept == ()
    after = dm(engine, jane)
    assert (after.owner, after.conversation_count, after.next_call_on) == (None, 0, None)
    assert after.last_conversation_on is None and after.last_outcome is None


def test_undo_restores_a_dm_who_left_the_company(engine):
    (jane,) = add(engine, "Jane Smith")
    log(engine, jane, "callback")
    diarised = dm(engine, jane).next_call_on
    log(engine, jane, "left-company", MON + timedelta(days=1))
    assert dm(engine, jane).status == Status.ARCHIVED
    undo(engine, MON + timedelta(days=1))
    after = dm(engine, jane)
    assert (after.status, after.next_call_on, after.due_reason) == (
        Status.ACTIVE,
        diarised,
        "callback",
    )


def test_undo_keeps_what_was_changed_after_the_call(engine):
    """Marked do-not-call after the call: undo takes the call back, not the marking."""
    (jane,) = add(engine, "Jane Smith")
    log(engine, jane, "callback")
    with session(engine, write=True) as s:
        services.people.set_status(s, desk(), dm=s.get(DecisionMaker, jane), status=Status.DNC)
    taken = undo(engine)
    assert taken is not None
    after = dm(engine, jane)
    assert after.status == Status.DNC and after.next_call_on is None
    assert after.conversation_count == 0


def test_undo_keeps_a_date_moved_by_hand_after_the_call(engine):
    (jane,) = add(engine, "Jane Smith")
    log(engine, jane, "callback")
    moved = MON + timedelta(days=10)
    with session(engine, write=True) as s:
        services.calls.move_due(s, desk(), dm=s.get(DecisionMaker, jane), requested=moved)
    taken = undo(engine)
    assert taken is not None and taken.kept == ("next_call_on",)
    assert dm(engine, jane).next_call_on == moved


def test_undo_takes_back_a_note_written_after_the_last_call(engine):
    (jane,) = add(engine, "Jane Smith")
    log(engine, jane, "callback")
    with session(engine, write=True) as s:
        queries.calls.add_note(s, dm_id=jane, on=MON, text="Likes cricket", recruiter=ME)
    assert undo(engine) is None  # the note went, not the call
    with session(engine) as s:
        assert [n.text for n in queries.calls.notes_of(s, dm_id=jane)] == []
        assert len(queries.calls.calls_of(s, dm_id=jane)) == 1


def test_undo_is_your_own_last_call_not_a_colleagues(engine):
    jane, bob = add(engine, "Jane Smith", "Bob Jones")
    log(engine, jane, "callback")
    with session(engine, write=True) as s:
        services.calls.log_call(
            s,
            desk(recruiter="Priya"),
            dm=s.get(DecisionMaker, bob),
            outcome=OUTCOMES["voicemail"],
            called_on=MON,
            summary=None,
            requested_next=None,
        )
    taken = undo(engine)
    assert taken is not None and taken.dm.id == jane
    assert dm(engine, bob).attempts_in_row == 1


def test_referrals_are_kept_unless_asked_and_never_when_they_have_calls(engine):
    (jane,) = add(engine, "Jane Smith")
    result = log(engine, jane, "callback", referrals=[services.calls.Referral("Bob Jones")])
    bob = result.referred[0].id
    taken = undo(engine)
    assert taken is not None and [p.id for p in taken.kept_referrals] == [bob]
    assert dm(engine, bob).name == "Bob Jones"

    result = log(engine, jane, "callback", referrals=[services.calls.Referral("Cat Cole")])
    cat = result.referred[0].id
    log(engine, cat, "voicemail")
    with session(engine, write=True) as s:  # Jane's call, not Cat's, taken back
        call = queries.calls.get_call(s, call_id=result.logged.call.id)
        taken = services.corrections.delete_call(s, desk(), call=call, with_referrals=True)
    assert [p.id for p in taken.kept_referrals] == [cat] and taken.removed == []

    result = log(engine, jane, "callback", referrals=[services.calls.Referral("Dan Dale")])
    dan = result.referred[0].id
    taken = undo(engine, with_referrals=True)
    assert taken is not None and [p.id for p in taken.removed] == [dan]
    with session(engine) as s:
        assert s.get(DecisionMaker, dan) is None


# --- delete -------------------------------------------------------------------------------


def test_deleting_an_earlier_conversation_renumbers_the_later_ones(engine):
    (jane,) = add(engine, "Jane Smith")
    first = log(engine, jane, "callback").logged.call.id
    log(engine, jane, "cv-review", MON + timedelta(days=2))
    delete(engine, first)
    assert numbers(engine, jane) == [1]
    after = dm(engine, jane)
    assert (after.conversation_count, after.last_outcome) == (1, "cv-review")
    assert after.due_reason == "cv-review"  # the later call keeps the diary
    assert not drift(engine)


def test_deleting_an_earlier_call_hands_its_before_to_the_next(engine):
    """Undo after deleting an earlier call gives the DM as it was before both."""
    (jane,) = add(engine, "Jane Smith")
    first = log(engine, jane, "callback").logged.call.id
    log(engine, jane, "voicemail", MON + timedelta(days=3))
    delete(engine, first)
    undo(engine, MON + timedelta(days=3))
    after = dm(engine, jane)
    assert (after.owner, after.conversation_count, after.next_call_on) == (None, 0, None)


def test_deleting_the_latest_call_of_one_logged_before_0007_takes_the_diary_from_the_one_before(
    engine,
):
    """A call with no record of the DM before it (logged before schema 0007): the diary
    comes from the call that is latest now."""
    (jane,) = add(engine, "Jane Smith")
    first = log(engine, jane, "callback").logged.call
    second = log(engine, jane, "cv-review", MON + timedelta(days=1)).logged.call.id
    with session(engine, write=True) as s:
        s.exec(sa.delete(CallBefore))
    delete(engine, second)
    after = dm(engine, jane)
    assert (after.next_call_on, after.due_reason) == (first.next_call_on, "callback")
    assert after.conversation_count == 1


def test_an_unknown_call_is_not_found(engine):
    from callplan.errors import CallNotFound

    with pytest.raises(CallNotFound, match="No call has id 999"):
        delete(engine, 999)


# --- edit ---------------------------------------------------------------------------------


def test_a_conversation_corrected_to_a_dial_is_counted_again(engine):
    (jane,) = add(engine, "Jane Smith")
    first = log(engine, jane, "callback").logged.call.id
    log(engine, jane, "cv-review", MON + timedelta(days=1))
    edit(engine, first, MON + timedelta(days=1), outcome="voicemail")
    assert numbers(engine, jane) == [None, 1]
    after = dm(engine, jane)
    assert after.conversation_count == 1 and after.last_outcome == "cv-review"
    assert not drift(engine)


def test_a_wrong_outcome_on_the_last_call_is_diarised_by_the_right_one(engine):
    (jane,) = add(engine, "Jane Smith")
    call = log(engine, jane, "voicemail").logged.call.id
    assert dm(engine, jane).owner is None
    edited = edit(engine, call, outcome="callback")
    after = dm(engine, jane)
    assert after.owner == ME and after.conversation_count == 1  # as a logged callback
    assert after.next_call_on == edited.next_call.on == MON + timedelta(days=2)
    assert after.due_reason == "callback"


def test_an_agreed_next_call_survives_a_corrected_outcome(engine):
    (jane,) = add(engine, "Jane Smith")
    agreed = MON + timedelta(days=9)
    call = log(engine, jane, "callback", requested=agreed).logged.call.id
    edit(engine, call, outcome="cv-review")
    assert (dm(engine, jane).next_call_on, dm(engine, jane).due_reason) == (agreed, "cv-review")


def test_a_default_next_call_moves_with_a_corrected_date(engine):
    (jane,) = add(engine, "Jane Smith")
    call = log(engine, jane, "callback", MON + timedelta(days=1)).logged.call.id  # Tue: Thu
    edit(engine, call, MON + timedelta(days=1), called_on=MON)
    assert dm(engine, jane).next_call_on == MON + timedelta(days=2)  # Mon: Wed
    assert dm(engine, jane).last_conversation_on == MON


def test_moving_the_latest_call_before_another_hands_the_diary_over(engine):
    (jane,) = add(engine, "Jane Smith")
    log(engine, jane, "cv-review", MON + timedelta(days=1))
    late = log(engine, jane, "callback", MON + timedelta(days=2)).logged.call.id
    edited = edit(engine, late, MON + timedelta(days=2), called_on=MON)
    assert not edited.latest
    after = dm(engine, jane)
    assert after.due_reason == "cv-review" and after.last_outcome == "cv-review"
    assert numbers(engine, jane) == [1, 2]


def test_a_corrected_date_cannot_be_in_the_future(engine):
    (jane,) = add(engine, "Jane Smith")
    call = log(engine, jane, "callback").logged.call.id
    with pytest.raises(UsageError, match="in the future"):
        edit(engine, call, called_on=MON + timedelta(days=1))
