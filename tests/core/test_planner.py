"""The scheduling rules in planner.py, tested as rules: pure, no store, no clock."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from callplan.core.config import Settings
from callplan.core.hooks import CANDIDATE, JOB, Hook
from callplan.core.outcomes import OUTCOMES, Kind, Outcome
from callplan.core.planner import (
    AIM_CANDIDATE,
    AIM_JOB_ORDER,
    AIM_MEETING,
    Aim,
    aim_for,
    continuations_in_row,
    cycle_limit,
    default_next,
    due_reason,
    move_due,
    new_quota,
    new_reason,
    next_call,
    spread,
    sweep_window,
)
from callplan.core.workdays import WorkCalendar
from callplan.errors import UsageError

MON_FRI = frozenset({0, 1, 2, 3, 4})
HOLIDAYS = {
    date(2026, 8, 31): "Summer bank holiday",
    date(2026, 12, 25): "Christmas Day",
    date(2026, 12, 28): "Boxing Day (observed)",
    date(2027, 1, 1): "New Year's Day",
}
CAL = WorkCalendar(MON_FRI, HOLIDAYS)
DEFAULTS = Settings.defaults()

FRI = date(2026, 11, 20)
SAT = date(2026, 11, 21)
MON = date(2026, 11, 23)


def outcome(name: str) -> Outcome:
    return OUTCOMES[name]


def working(day: date, weekdays: frozenset[int], holidays: set[date] | dict[date, str]) -> bool:
    """The test's own idea of a working day: a working weekday that isn't a holiday."""
    return day.weekday() in weekdays and day not in holidays


def days_between(start: date, end: date) -> list[date]:
    """Every day from start to end, both included."""
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


# --- cycle_limit ----------------------------------------------------------------------


def test_cycle_limit_is_cycle_days_after_the_conversation() -> None:
    assert cycle_limit(FRI, 90) == date(2027, 2, 18)
    assert cycle_limit(date(2026, 1, 31), 30) == date(2026, 3, 2)


# --- default next call by outcome -----------------------------------------------------


def test_cv_review_on_friday_is_chased_on_tuesday() -> None:
    assert next_call(outcome("cv-review"), FRI, DEFAULTS, CAL).on == date(2026, 11, 24)


def test_working_days_are_counted_from_a_weekend_call() -> None:
    # Logged on a Saturday: Monday is the first working day after it, Tuesday the second.
    assert next_call(outcome("cv-review"), SAT, DEFAULTS, CAL).on == date(2026, 11, 24)
    assert next_call(outcome("no-answer"), SAT, DEFAULTS, CAL).on == MON


def test_working_days_are_counted_from_a_bank_holiday_call() -> None:
    # Called on the summer bank holiday (Mon 31 Aug): one working day on is Tuesday.
    assert next_call(outcome("voicemail"), date(2026, 8, 31), DEFAULTS, CAL).on == date(2026, 9, 1)


def test_working_day_delays_skip_weekends_and_holidays() -> None:
    # Wed 23 Dec + 2 working days: Thu 24, then (Fri 25, Mon 28 are holidays) Tue 29.
    assert next_call(outcome("callback"), date(2026, 12, 23), DEFAULTS, CAL).on == date(
        2026, 12, 29
    )
    # Friday + 1 working day is Monday.
    assert next_call(outcome("no-answer"), FRI, DEFAULTS, CAL).on == MON
    # Meeting: 5 working days after Monday is the next Monday.
    assert next_call(outcome("meeting"), MON, DEFAULTS, CAL).on == date(2026, 11, 30)


def test_calendar_day_delays_roll_forward_to_a_working_day() -> None:
    # 30 days after Wed 25 Nov is Christmas Day; then the weekend, then Boxing Day observed.
    assert next_call(outcome("objection"), date(2026, 11, 25), DEFAULTS, CAL).on == date(
        2026, 12, 29
    )
    # 30 days after Mon 23 Nov is Wed 23 Dec: a working day, kept.
    assert next_call(outcome("hr-fob-off"), MON, DEFAULTS, CAL).on == date(2026, 12, 23)


def test_busy_retries_the_same_working_day() -> None:
    assert next_call(outcome("busy"), MON, DEFAULTS, CAL).on == MON
    assert next_call(outcome("busy"), SAT, DEFAULTS, CAL).on == MON
    assert next_call(outcome("busy"), date(2026, 12, 25), DEFAULTS, CAL).on == date(2026, 12, 29)


def test_rejection_goes_to_the_last_working_day_of_the_cycle() -> None:
    # Fri 20 Nov + 90 days = Thu 18 Feb 2027, a working day.
    assert next_call(outcome("rejection"), FRI, DEFAULTS, CAL).on == date(2027, 2, 18)
    # Mon 23 Nov + 90 days = Sun 21 Feb 2027: pulled back to Fri 19 Feb, never pushed on.
    assert next_call(outcome("rejection"), MON, DEFAULTS, CAL).on == date(2027, 2, 19)


def test_rejection_steps_back_over_a_holiday_at_the_cycle_limit() -> None:
    cal = WorkCalendar(MON_FRI, {date(2027, 2, 19): "a holiday"})
    assert next_call(outcome("rejection"), MON, DEFAULTS, cal).on == date(2027, 2, 18)


def test_left_company_diarises_nothing() -> None:
    assert next_call(outcome("left-company"), MON, DEFAULTS, CAL).on is None
    assert default_next(outcome("left-company"), MON, DEFAULTS, CAL) is None


def test_delays_come_from_settings() -> None:
    s = Settings.defaults({"delay.cv-review": "5d", "delay.no-answer": "3wd"})
    # Fri + 5 days = Wed 25 Nov.
    assert next_call(outcome("cv-review"), FRI, s, CAL).on == date(2026, 11, 25)
    # Fri + 3 working days = Wed 25 Nov.
    assert next_call(outcome("no-answer"), FRI, s, CAL).on == date(2026, 11, 25)


def test_a_shorter_cycle_pulls_in_long_defaults() -> None:
    s = Settings.defaults({"cycle_days": 20})
    # Objection is 30 days by default; with a 20-day cycle from Mon 23 Nov (limit Sun 13
    # Dec) it is diarised for Fri 11 Dec, reported as capped so the recruiter hears of it.
    result = next_call(outcome("objection"), MON, s, CAL)
    assert result.on == date(2026, 12, 11)
    assert result.capped and result.requested is None
    assert next_call(outcome("rejection"), MON, s, CAL).on == date(2026, 12, 11)


# --- a requested next call ------------------------------------------------------------


def test_requested_date_within_the_cycle_is_kept() -> None:
    result = next_call(outcome("callback"), MON, DEFAULTS, CAL, requested=date(2027, 1, 9))
    assert result.on == date(2027, 1, 9)  # a Saturday: the recruiter's choice stands
    assert not result.capped


def test_requested_date_on_the_cycle_limit_is_kept() -> None:
    result = next_call(outcome("objection"), FRI, DEFAULTS, CAL, requested=date(2027, 2, 18))
    assert result.on == date(2027, 2, 18)
    assert not result.capped


def test_requested_date_past_the_cycle_is_capped() -> None:
    asked = date(2027, 3, 15)
    result = next_call(outcome("callback"), MON, DEFAULTS, CAL, requested=asked)
    # Limit Sun 21 Feb 2027: the last working day on or before it is Fri 19 Feb.
    assert result.on == date(2027, 2, 19)
    assert result.capped
    assert result.requested == asked


def test_requested_date_one_day_past_the_cycle_is_capped() -> None:
    result = next_call(outcome("rejection"), FRI, DEFAULTS, CAL, requested=date(2027, 2, 19))
    assert result.on == date(2027, 2, 18)
    assert result.capped


def test_requested_date_before_the_call_is_refused() -> None:
    with pytest.raises(UsageError):
        next_call(outcome("callback"), MON, DEFAULTS, CAL, requested=FRI)
    with pytest.raises(UsageError):
        next_call(outcome("no-answer"), MON, DEFAULTS, CAL, requested=date(2026, 11, 22))


def test_requested_date_on_the_call_day_is_allowed() -> None:
    assert next_call(outcome("busy"), MON, DEFAULTS, CAL, requested=MON).on == MON


def test_a_conversation_restarts_the_cycle() -> None:
    # An old last conversation doesn't limit the next call after a new conversation.
    result = next_call(
        outcome("callback"),
        MON,
        DEFAULTS,
        CAL,
        last_conversation_on=date(2025, 1, 1),
        requested=date(2027, 2, 19),
    )
    assert result.on == date(2027, 2, 19)
    assert not result.capped


# --- attempts (no connect) ------------------------------------------------------------


def test_an_attempt_keeps_the_last_conversations_limit() -> None:
    last = date(2026, 9, 1)  # limit Mon 30 Nov 2026
    asked = date(2026, 12, 15)
    result = next_call(
        outcome("no-answer"), MON, DEFAULTS, CAL, last_conversation_on=last, requested=asked
    )
    assert result.on == date(2026, 11, 30)
    assert result.capped
    assert result.requested == asked


def test_an_attempt_near_the_cycle_limit_is_retried_the_next_working_day() -> None:
    last = date(2026, 8, 30)  # limit Sat 28 Nov 2026
    # No answer on Fri 27 Nov: retry on Monday, even though that is past the limit;
    # retrying the same day would be no retry at all.
    result = next_call(
        outcome("no-answer"), date(2026, 11, 27), DEFAULTS, CAL, last_conversation_on=last
    )
    assert result.on == date(2026, 11, 30)
    assert not result.capped
    asked = next_call(
        outcome("no-answer"),
        date(2026, 11, 27),
        DEFAULTS,
        CAL,
        last_conversation_on=last,
        requested=date(2026, 12, 7),
    )
    assert asked.on == date(2026, 11, 30) and asked.capped


def test_an_attempt_on_an_overdue_dm_is_never_diarised_before_the_call() -> None:
    last = date(2026, 1, 5)  # long out of cycle
    result = next_call(outcome("voicemail"), MON, DEFAULTS, CAL, last_conversation_on=last)
    assert result.on == date(2026, 11, 24)  # the next working day, not the same day
    asked = next_call(
        outcome("voicemail"),
        MON,
        DEFAULTS,
        CAL,
        last_conversation_on=last,
        requested=FRI + timedelta(days=7),
    )
    assert asked.on == date(2026, 11, 24)
    assert asked.capped


def test_an_attempt_within_the_cycle_is_not_capped() -> None:
    last = date(2026, 11, 2)
    result = next_call(outcome("gatekeeper"), MON, DEFAULTS, CAL, last_conversation_on=last)
    assert result.on == date(2026, 11, 24)
    assert not result.capped


def test_a_prospect_has_no_cycle_cap() -> None:
    far = date(2028, 6, 1)
    result = next_call(outcome("no-answer"), MON, DEFAULTS, CAL, requested=far)
    assert result.on == far
    assert not result.capped


# --- next_call properties --------------------------------------------------------------

LO, HI = date(2024, 1, 1), date(2030, 12, 31)
outcomes = st.sampled_from(sorted(OUTCOMES))
call_days = st.dates(min_value=LO, max_value=HI)
weekday_sets = st.frozensets(st.integers(0, 6), min_size=1)
holiday_sets = st.sets(st.dates(min_value=LO, max_value=date(2032, 12, 31)), max_size=40)
cycles = st.integers(min_value=1, max_value=200)


@st.composite
def call_cases(draw: st.DrawFn) -> tuple[object, ...]:
    name = draw(outcomes)
    called_on = draw(call_days)
    last = draw(st.none() | st.integers(0, 400).map(lambda n: called_on - timedelta(days=n)))
    requested = draw(st.none() | st.integers(0, 400).map(lambda n: called_on + timedelta(days=n)))
    return name, called_on, last, requested


@given(case=call_cases(), cycle=cycles, weekdays=weekday_sets, holidays=holiday_sets)
def test_next_call_is_never_past_the_cycle_limit(
    case: tuple[object, ...],
    cycle: int,
    weekdays: frozenset[int],
    holidays: set[date],
) -> None:
    name, called_on, last, requested = case
    assert isinstance(name, str) and isinstance(called_on, date)
    assert last is None or isinstance(last, date)
    assert requested is None or isinstance(requested, date)
    o = OUTCOMES[name]
    s = Settings.defaults({"cycle_days": cycle})
    cal = WorkCalendar(weekdays, {d: "holiday" for d in holidays})
    result = next_call(o, called_on, s, cal, last_conversation_on=last, requested=requested)

    if result.on is None:
        assert name == "left-company" and requested is None
        return
    assert result.on >= called_on
    if o.kind.is_conversation:
        limit: date | None = called_on + timedelta(days=cycle)
    elif last is not None:
        after = called_on + timedelta(days=1)
        while not working(after, weekdays, holidays):
            after += timedelta(days=1)
        limit = max(last + timedelta(days=cycle), after)
    else:
        limit = None
    if limit is not None:
        assert result.on <= limit
    if requested is not None:
        over = limit is not None and requested > limit
        assert result.capped == over
        if over:
            assert result.requested == requested
            assert limit is not None
            # The last working day on or before the limit (if the window has any).
            window = [d for d in days_between(called_on, limit) if working(d, weekdays, holidays)]
            if window:
                assert result.on == window[-1]
        else:
            assert result.on == requested
    elif result.capped:  # the outcome's default was past the limit: pulled in to it
        assert limit is not None
        window = [d for d in days_between(called_on, limit) if working(d, weekdays, holidays)]
        if window:
            assert result.on == window[-1]


@given(
    name=outcomes,
    called_on=call_days,
    last=st.none() | st.integers(0, 400),
    cycle=cycles,
    weekdays=weekday_sets,
    holidays=holiday_sets,
)
def test_default_next_call_is_a_working_day_unless_the_cycle_forbids(
    name: str,
    called_on: date,
    last: int | None,
    cycle: int,
    weekdays: frozenset[int],
    holidays: set[date],
) -> None:
    o = OUTCOMES[name]
    last_on = None if last is None else called_on - timedelta(days=last)
    s = Settings.defaults({"cycle_days": cycle})
    cal = WorkCalendar(weekdays, {d: "holiday" for d in holidays})
    result = next_call(o, called_on, s, cal, last_conversation_on=last_on)
    if result.on is None:
        assert name == "left-company"
        return
    if working(result.on, weekdays, holidays):
        return
    # Only a cycle limit with no working day between the call and it may force this.
    if o.kind.is_conversation:
        limit = called_on + timedelta(days=cycle)
    else:
        assert last_on is not None, "a prospect's retry is always on a working day"
        limit = max(last_on + timedelta(days=cycle), called_on)
    assert result.on == limit
    assert not any(working(d, weekdays, holidays) for d in days_between(called_on, limit))


@given(
    name=st.sampled_from([n for n, o in OUTCOMES.items() if o.default_delay.endswith("wd")]),
    called_on=call_days,
    weekdays=weekday_sets,
    holidays=holiday_sets,
)
def test_working_day_delays_count_working_days(
    name: str, called_on: date, weekdays: frozenset[int], holidays: set[date]
) -> None:
    n = int(OUTCOMES[name].default_delay.removesuffix("wd"))
    cal = WorkCalendar(weekdays, {d: "holiday" for d in holidays})
    on = default_next(OUTCOMES[name], called_on, DEFAULTS, cal)
    assert on is not None
    assert working(on, weekdays, holidays)
    after = days_between(called_on + timedelta(days=1), on)
    assert sum(working(d, weekdays, holidays) for d in after) == n


@given(
    name=st.sampled_from(
        [n for n, o in OUTCOMES.items() if o.default_delay[:-1].isdigit()]  # "30d", "0d"
    ),
    called_on=call_days,
    weekdays=weekday_sets,
    holidays=holiday_sets,
)
def test_calendar_day_delays_land_on_the_first_working_day_from_the_delay(
    name: str, called_on: date, weekdays: frozenset[int], holidays: set[date]
) -> None:
    n = int(OUTCOMES[name].default_delay.removesuffix("d"))
    cal = WorkCalendar(weekdays, {d: "holiday" for d in holidays})
    on = default_next(OUTCOMES[name], called_on, DEFAULTS, cal)
    assert on is not None
    earliest = called_on + timedelta(days=n)
    assert on >= earliest
    assert working(on, weekdays, holidays)
    assert not any(working(d, weekdays, holidays) for d in days_between(earliest, on)[:-1])


def test_every_outcome_kind_is_covered() -> None:
    # The properties above sample from OUTCOMES; make sure all three kinds are there.
    assert {o.kind for o in OUTCOMES.values()} == set(Kind)


# --- move_due --------------------------------------------------------------------------


def test_move_due_refuses_the_past() -> None:
    with pytest.raises(UsageError):
        move_due(date(2026, 11, 22), MON, None, DEFAULTS, CAL)
    with pytest.raises(UsageError):
        move_due(date(2026, 11, 22), MON, date(2026, 11, 2), DEFAULTS, CAL)


def test_move_due_today_is_allowed() -> None:
    assert move_due(MON, MON, None, DEFAULTS, CAL).on == MON


def test_a_prospect_can_be_moved_anywhere_forward() -> None:
    far = date(2029, 3, 3)
    result = move_due(far, MON, None, DEFAULTS, CAL)
    assert result.on == far
    assert not result.capped


def test_a_contact_can_be_moved_within_the_cycle() -> None:
    result = move_due(date(2027, 1, 29), MON, date(2026, 11, 2), DEFAULTS, CAL)
    assert result.on == date(2027, 1, 29)
    assert not result.capped


def test_a_contact_is_capped_at_the_cycle_limit() -> None:
    asked = date(2027, 3, 1)
    result = move_due(asked, MON, date(2026, 11, 2), DEFAULTS, CAL)
    # Limit Sun 31 Jan 2027 -> Fri 29 Jan.
    assert result.on == date(2027, 1, 29)
    assert result.capped
    assert result.requested == asked


def test_an_overdue_contact_is_capped_to_today() -> None:
    last = date(2026, 6, 1)  # out of cycle since the end of August
    later = move_due(date(2026, 12, 1), MON, last, DEFAULTS, CAL)
    assert later.on == MON
    assert later.capped
    # Asking for today itself is exactly what the cycle wants: not reported as capped.
    now = move_due(MON, MON, last, DEFAULTS, CAL)
    assert now.on == MON
    assert not now.capped


@given(
    today=call_days,
    ahead=st.integers(0, 500),
    last=st.none() | st.integers(0, 400),
    cycle=cycles,
    holidays=holiday_sets,
)
def test_move_due_never_past_the_cycle_nor_before_today(
    today: date, ahead: int, last: int | None, cycle: int, holidays: set[date]
) -> None:
    requested = today + timedelta(days=ahead)
    last_on = None if last is None else today - timedelta(days=last)
    s = Settings.defaults({"cycle_days": cycle})
    cal = WorkCalendar(MON_FRI, {d: "holiday" for d in holidays})
    result = move_due(requested, today, last_on, s, cal)
    assert result.on is not None
    assert today <= result.on <= requested
    if last_on is None:
        assert result.on == requested and not result.capped
        return
    limit = last_on + timedelta(days=cycle)
    assert result.on <= max(limit, today)
    assert result.capped == (result.on != requested)
    if result.capped:
        assert result.requested == requested


# --- new_quota ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("per_day", "done", "left"), [(2, 0, 2), (2, 1, 1), (2, 2, 0), (2, 5, 0), (0, 0, 0)]
)
def test_new_quota(per_day: int, done: int, left: int) -> None:
    assert new_quota(per_day, done) == left


@given(per_day=st.integers(0, 1000), done=st.integers(0, 2000))
def test_new_quota_is_never_negative(per_day: int, done: int) -> None:
    left = new_quota(per_day, done)
    assert left >= 0
    assert left + min(done, per_day) == per_day


# --- due_reason / new_reason ----------------------------------------------------------


def reason_for(
    reason: str | None,
    *,
    due_days_ago: int | None = 0,
    last_days_ago: int | None = 10,
    settings_: Settings = DEFAULTS,
    **kw: object,
) -> str:
    return due_reason(
        reason=reason,
        due_on=None if due_days_ago is None else MON - timedelta(days=due_days_ago),
        on=MON,
        last_conversation_on=None if last_days_ago is None else MON - timedelta(days=last_days_ago),
        settings=settings_,
        **kw,  # type: ignore[arg-type]
    )


def test_callback_reason() -> None:
    text = reason_for("callback")
    assert "callback agreed" in text
    assert "late" not in text
    assert "cycle:" not in text


def test_late_callback_and_follow_up() -> None:
    assert "callback agreed, 3 days late" in reason_for("callback", due_days_ago=3)
    assert "1 day late" in reason_for("emailed-details", due_days_ago=1)
    assert "4 days late" in reason_for("manual", due_days_ago=4)


def test_cycle_overdue() -> None:
    text = reason_for("sweep", due_days_ago=5, last_days_ago=95)
    assert "90-day cycle: 5 days overdue" in text
    assert "90-day cycle: 1 day overdue" in reason_for(None, last_days_ago=91)


def test_cycle_due_today() -> None:
    text = reason_for(None, last_days_ago=90)
    assert "due today" in text
    assert "overdue" not in text


def test_within_cycle_says_nothing_about_the_cycle() -> None:
    assert "cycle:" not in reason_for(None, last_days_ago=89)
    assert "cycle:" not in reason_for("rejection", last_days_ago=0)


def test_a_late_callback_past_the_cycle_says_both() -> None:
    text = reason_for("callback", due_days_ago=2, last_days_ago=92)
    assert "callback agreed, 2 days late" in text
    assert "90-day cycle: 2 days overdue" in text


def test_cycle_wording_follows_the_setting() -> None:
    s = Settings.defaults({"cycle_days": 30})
    assert "30-day cycle: 3 days overdue" in reason_for(None, last_days_ago=33, settings_=s)


def test_attempts_warning() -> None:
    assert "tries without a conversation" not in reason_for("no-answer", attempts_in_row=4)
    assert "5 tries without a conversation" in reason_for("no-answer", attempts_in_row=5)
    assert "7 tries without a conversation" in reason_for("voicemail", attempts_in_row=7)
    s = Settings.defaults({"attempts_warning": 3})
    assert "3 tries without a conversation" in reason_for(
        "no-answer", attempts_in_row=3, settings_=s
    )


def test_needs_a_new_number() -> None:
    assert "needs a new number" in reason_for("wrong-number", needs_number=True)
    assert "needs a new number" not in reason_for("no-answer")


def test_new_reason() -> None:
    text = new_reason(referred_by="Jane Smith", last_attempt=None, attempts=0, settings=DEFAULTS)
    assert "new DM" in text
    assert "referred by Jane Smith" in text
    plain = new_reason(referred_by=None, last_attempt=None, attempts=0, settings=DEFAULTS)
    assert "referred by" not in plain


def test_new_reason_warnings() -> None:
    text = new_reason(
        referred_by=None,
        last_attempt="no-answer",
        attempts=6,
        settings=DEFAULTS,
        needs_number=True,
    )
    assert "6 tries without a conversation" in text
    assert "needs a new number" in text
    few = new_reason(referred_by=None, last_attempt="no-answer", attempts=4, settings=DEFAULTS)
    assert "tries without a conversation" not in few


# --- sweep_window ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "until"),
    [
        (date(2026, 11, 23), date(2026, 12, 23)),
        (date(2026, 12, 15), date(2027, 1, 15)),
        (date(2027, 1, 31), date(2027, 2, 28)),
        (date(2028, 1, 31), date(2028, 2, 29)),
        (date(2027, 3, 31), date(2027, 4, 30)),
    ],
)
def test_sweep_window_runs_to_the_same_day_next_month(on: date, until: date) -> None:
    assert sweep_window(on) == (on, until)


@given(on=call_days)
def test_sweep_window_is_about_a_month(on: date) -> None:
    start, until = sweep_window(on)
    assert start == on
    assert 28 <= (until - start).days <= 31
    assert until.month == on.month % 12 + 1


# --- spread ---------------------------------------------------------------------------

D1, D2, D3 = date(2026, 11, 23), date(2026, 11, 24), date(2026, 11, 25)


def test_spread_round_robins_an_empty_diary() -> None:
    assert spread("abcde", [D1, D2, D3]) == [
        ("a", D1),
        ("b", D2),
        ("c", D3),
        ("d", D1),
        ("e", D2),
    ]


def test_spread_fills_the_quiet_days_first() -> None:
    placed = spread(["w", "x", "y", "z"], [D1, D2, D3], {D1: 3, D3: 1})
    assert placed == [("w", D2), ("x", D2), ("y", D3), ("z", D2)]


def test_spread_ignores_load_on_days_outside_the_window() -> None:
    placed = spread(["a", "b"], [D2, D3], {D1: 0, D2: 1})
    assert placed == [("a", D3), ("b", D2)]


def test_spread_ties_go_to_the_earlier_date_whatever_the_order_given() -> None:
    assert spread(["a", "b", "c"], [D3, D1, D2]) == [("a", D1), ("b", D2), ("c", D3)]


def test_spread_counts_a_day_given_twice_once() -> None:
    placed = spread(["a", "b", "c", "d"], [D1, D1, D2])
    assert Counter(d for _, d in placed) == {D1: 2, D2: 2}


def test_spread_without_days() -> None:
    assert spread([], []) == []
    with pytest.raises(UsageError):
        spread(["a"], [])


window_days = st.lists(
    st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 3, 31)),
    min_size=1,
    max_size=25,
    unique=True,
).map(sorted)


@given(days=window_days, n=st.integers(0, 120))
def test_spread_on_an_empty_diary_is_even(days: list[date], n: int) -> None:
    placed = spread(list(range(n)), days)
    assert [item for item, _ in placed] == list(range(n))
    counts = Counter(d for _, d in placed)
    assert set(counts) <= set(days)
    loads = [counts.get(d, 0) for d in days]
    assert max(loads) - min(loads) <= 1
    # The extra calls go to the earliest days.
    assert loads == sorted(loads, reverse=True)


@given(
    data=st.data(),
    days=window_days,
    n=st.integers(0, 80),
)
def test_spread_gives_each_item_the_least_loaded_earliest_day(
    data: st.DataObject, days: list[date], n: int
) -> None:
    load = data.draw(
        st.dictionaries(
            st.sampled_from(days)
            | st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 1, 1)),
            st.integers(0, 10),
            max_size=30,
        )
    )
    given_order = data.draw(st.permutations(days))
    placed = spread(list(range(n)), given_order, load)
    assert [item for item, _ in placed] == list(range(n))
    running = {d: load.get(d, 0) for d in days}
    for _, day in placed:
        assert day in running, "spread used a day outside the window"
        quietest = min(running.values())
        assert running[day] == quietest
        assert day == min(d for d, c in running.items() if c == quietest)
        running[day] += 1
    # Quiet days are filled up before busier ones get more.
    if n:
        before = [load.get(d, 0) for d in days]
        after = list(running.values())
        assert max(after) - min(after) <= max(1, max(before) - min(before))


# --- the cycle holds whatever the delays are set to -----------------------------------

delay_settings = st.dictionaries(
    st.sampled_from(
        sorted(n for n, o in OUTCOMES.items() if o.default_delay != "none" and o.loggable)
    ),
    st.sampled_from(["cycle"])
    | st.builds(lambda n, u: f"{n}{u}", st.integers(0, 999), st.sampled_from(["d", "wd"])),
)


@given(
    case=call_cases(),
    cycle=cycles,
    delays=delay_settings,
    weekdays=weekday_sets,
    holidays=holiday_sets,
)
def test_any_delay_setting_stays_within_the_cycle_on_a_working_day(
    case: tuple[object, ...],
    cycle: int,
    delays: dict[str, str],
    weekdays: frozenset[int],
    holidays: set[date],
) -> None:
    name, called_on, last, _ = case
    assert isinstance(name, str) and isinstance(called_on, date)
    assert last is None or isinstance(last, date)
    o = OUTCOMES[name]
    s = Settings.defaults({"cycle_days": cycle, **{f"delay.{k}": v for k, v in delays.items()}})
    cal = WorkCalendar(weekdays, {d: "holiday" for d in holidays})
    result = next_call(o, called_on, s, cal, last_conversation_on=last)
    if result.on is None:
        assert name == "left-company"
        return
    assert result.on >= called_on
    if o.kind.is_conversation:
        limit: date | None = called_on + timedelta(days=cycle)
    elif last is not None:
        limit = max(last + timedelta(days=cycle), cal.next_working(called_on, inclusive=False))
    else:
        limit = None  # a prospect has no cycle yet
    if limit is not None:
        assert result.on <= limit
    if not working(result.on, weekdays, holidays):
        # Only a cycle with no working day between the call and its limit allows this.
        assert limit is not None and result.on == limit
        assert not any(working(d, weekdays, holidays) for d in days_between(called_on, limit))


# --- the sweep: each DM once, on a working day of its window ---------------------------


@given(
    on=call_days,
    n=st.integers(0, 60),
    weekdays=weekday_sets,
    holidays=holiday_sets,
    load=st.dictionaries(call_days, st.integers(0, 20), max_size=20),
)
def test_the_sweep_places_each_dm_once_on_a_working_day_of_its_window(
    on: date, n: int, weekdays: frozenset[int], holidays: set[date], load: dict[date, int]
) -> None:
    cal = WorkCalendar(weekdays, {d: "holiday" for d in holidays})
    start, until = sweep_window(on)
    days = list(cal.working_days(start, until))  # as diary.sweep builds them
    if not days and n:
        with pytest.raises(UsageError):
            spread(list(range(n)), days, load)
        return
    placed = spread(list(range(n)), days, load)
    assert [dm for dm, _ in placed] == list(range(n))  # each once, longest overdue first
    for _, day in placed:
        assert start <= day < until
        assert working(day, weekdays, holidays)


def test_a_cycle_delay_for_a_prospect_with_no_working_day_in_the_cycle_waits_for_one():
    """Found by the property above: 'busy' set to 'cycle', a 1-day cycle and Mondays only
    put a prospect's retry on a Wednesday. A prospect has no cycle to keep: the retry
    goes to the next working day."""
    s = Settings.defaults({"cycle_days": 1, "delay.busy": "cycle"})
    mondays = WorkCalendar(frozenset({0}), {})
    result = next_call(OUTCOMES["busy"], date(2024, 1, 2), s, mondays)
    assert result.on == date(2024, 1, 8)


# --- continuations in a row and the advance to aim for ---------------------------------


def test_continuations_in_row_count_conversations_since_the_last_advance() -> None:
    # Never an advance: every conversation is in the run.
    assert continuations_in_row(4, {}) == 4
    # cv-review was the 2nd of 5 conversations: the 3rd, 4th and 5th are the run.
    assert continuations_in_row(5, {"cv-review": 2}) == 3
    # The latest advance counts, whichever it was.
    assert continuations_in_row(5, {"cv-review": 2, "meeting": 4}) == 1
    # An advance as the last conversation: no run.
    assert continuations_in_row(5, {"terms": 5}) == 0
    # An imported conversation (outcome unknown) starts the run after it.
    assert continuations_in_row(3, {"imported": 1}) == 2
    # A continuation type passed in by mistake doesn't break the run.
    assert continuations_in_row(3, {"callback": 3}) == 3


def test_aim_for_a_candidate_then_a_meeting_then_the_job_order() -> None:
    mpc = Hook(CANDIDATE, 3, "Priya Rao", "SharePoint architect", ("sharepoint",))
    job = Hook(JOB, 1, "Test Lead", "Acme", ("tester",), company="Acme")
    # A matching candidate is offered, whatever the DM's record.
    aim = aim_for(advances={"cv-review"}, best_hook=mpc)
    assert (aim.kind, aim.hook, aim.action) == (
        AIM_CANDIDATE,
        mpc,
        "offer Priya Rao [candidate:3]",
    )
    # A job is no advance to offer: by the record. Never met nor had CVs: a meeting.
    assert aim_for(advances=(), best_hook=job).kind == AIM_MEETING
    assert aim_for(advances=(), best_hook=None).action == "ask for a meeting"
    assert aim_for(advances={"imported"}, best_hook=None).kind == AIM_MEETING
    # Had CVs (or met, or had a requirement): ask for the job order.
    for seen in ("cv-review", "meeting", "live-requirement", "terms"):
        aim = aim_for(advances={seen}, best_hook=None)
        assert (aim.kind, aim.action) == (AIM_JOB_ORDER, "ask for the job order")


def test_continuations_warning_in_the_reason() -> None:
    aim = Aim(AIM_MEETING)
    assert "continuations" not in reason_for("callback", continuations=2, aim=aim)
    assert reason_for("callback", continuations=3, aim=aim) == (
        "callback agreed; 3 continuations in a row: aim for an advance, ask for a meeting"
    )
    assert "5 continuations in a row" in reason_for("objection", continuations=5, aim=aim)
    assert "continuations" not in reason_for("callback", continuations=3)  # nothing to aim for
    s = Settings.defaults({"continuations_warning": 5})
    assert "continuations" not in reason_for("callback", continuations=4, aim=aim, settings_=s)
    assert "5 continuations" in reason_for("callback", continuations=5, aim=aim, settings_=s)
