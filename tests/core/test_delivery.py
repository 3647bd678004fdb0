"""Delivery rules (core.delivery): the calls each stage of a submission plans, what a
conversation does to them, and a candidate's own diary. No store; dates injected
(issue 18). The week of Mon 23 Nov 2026; Christmas and Boxing Day (moved to Mon 28 Dec)
are holidays."""

from __future__ import annotations

from datetime import date, time

import pytest

from callplan.core import delivery as d
from callplan.core.config import Settings
from callplan.core.delivery import Planned, Progress
from callplan.core.workdays import WorkCalendar
from callplan.errors import UsageError

MON, TUE, WED, THU, FRI = (date(2026, 11, 23 + i) for i in range(5))
CAL = WorkCalendar(
    frozenset(range(5)), {date(2026, 12, 25): "Christmas", date(2026, 12, 28): "Boxing Day"}
)
DEFAULTS = Settings.defaults()


def planned(stage, on, today=MON, settings=DEFAULTS, **kw):
    return d.plan(stage, on=on, today=today, settings=settings, calendar=CAL, **kw)


def test_cvs_sent_plan_the_client_feedback_chase_two_working_days_on():
    assert planned(d.SUBMITTED, THU, today=THU) == [
        Planned("client", "cv-feedback", date(2026, 11, 30))  # Thu -> Mon over the weekend
    ]


def test_the_delays_are_settings():
    slower = Settings.defaults({"delivery.cv_feedback": "4d", "delivery.check_in": "1wd"})
    assert planned(d.SUBMITTED, MON, settings=slower) == [Planned("client", "cv-feedback", FRI)]
    assert [p.due_on for p in planned(d.PLACED, MON, settings=slower, starts_on=TUE)] == [WED, WED]


def test_an_interview_plans_prep_the_working_day_before_and_feedback_candidate_first():
    calls = planned(d.INTERVIEW, date(2026, 11, 30), interview_at=time(10, 0))  # a Monday
    assert calls == [
        Planned("candidate", "interview-prep", FRI),
        Planned("candidate", "interview-feedback", date(2026, 11, 30), time(11, 0)),
        Planned("client", "interview-feedback", date(2026, 11, 30), time(11, 0)),
    ]
    assert [c.chase for c in calls] == [False, False, True]


def test_prep_skips_holidays_and_a_day_already_past_is_today():
    # Tue 29 Dec: the working day before is Thu 24 Dec (Christmas, weekend, Boxing Day).
    [prep, *_] = planned(d.INTERVIEW, date(2026, 12, 29), today=date(2026, 12, 21))
    assert prep.due_on == date(2026, 12, 24)
    [prep, feedback, _] = planned(d.INTERVIEW, TUE, today=TUE, interview_at=time(9, 30))
    assert (prep.due_on, prep.due_at) == (TUE, None)  # booked for today: prep today
    assert (feedback.due_on, feedback.due_at) == (TUE, time(10, 30))


def test_a_late_interview_gives_the_feedback_at_the_day_end_not_the_next_day():
    [_, feedback, _] = planned(d.INTERVIEW, WED, interview_at=time(23, 30))
    assert (feedback.due_on, feedback.due_at) == (WED, time(23, 59))


def test_a_no_show_and_an_offer_call_both_sides_that_day():
    assert planned(d.NO_SHOW, TUE, today=TUE) == [
        Planned("candidate", "no-show", TUE),
        Planned("client", "no-show", TUE),
    ]
    assert [(p.party, p.purpose) for p in planned(d.OFFERED, TUE)] == [
        ("candidate", "offer"),
        ("client", "offer"),
    ]


def test_placed_checks_in_after_the_start_or_the_placement_day():
    assert [p.due_on for p in planned(d.PLACED, MON, starts_on=date(2026, 12, 23))] == [
        date(2026, 12, 30)  # Wed 23 Dec + 3 working days over Christmas
    ] * 2
    assert planned(d.PLACED, MON)[0].due_on == THU


def test_withdrawn_plans_nothing():
    assert planned(d.WITHDRAWN, MON) == []


@pytest.mark.parametrize(
    ("current", "to", "said"),
    [
        ("placed", "withdrawn", "was placed on 2026-11-20: nothing more to move"),
        ("withdrawn", "interview", "was withdrawn on 2026-11-20: submit them again"),
        ("offered", "interview", "is at offered: it can't go to interview from there"),
    ],
)
def test_a_stage_that_cannot_follow_is_refused(current, to, said):
    with pytest.raises(UsageError, match=said):
        d.check_move(current, to, who="Ann Lee for job:1", since=date(2026, 11, 20))


@pytest.mark.parametrize(
    ("current", "to"),
    [("submitted", "interview"), ("interview", "interview"), ("interview", "offered"),
     ("offered", "placed"), ("submitted", "placed"), ("offered", "withdrawn")],
)  # fmt: skip
def test_the_stages_that_can_follow(current, to):
    d.check_move(current, to, who="Ann Lee for job:1", since=MON)


def test_the_job_search_follows_the_furthest_live_stage():
    assert d.job_search_after(["submitted", "interview"], "looking") == "interviewing"
    assert d.job_search_after(["offered", "withdrawn"], "interviewing") == "offered"
    assert d.job_search_after(["withdrawn"], "interviewing") == "looking"
    assert d.job_search_after(["withdrawn"], "not-looking") == "not-looking"
    assert d.job_search_after(["placed", "submitted"], "offered") == "placed"


def follow(party, purpose, planned_on, stage_on, *days):
    return d.progress(
        party, purpose, planned_on=planned_on, stage_on=stage_on, conversations=days,
        settings=DEFAULTS, calendar=CAL,
    )  # fmt: skip


def test_a_conversation_once_due_makes_the_call_and_one_before_does_not():
    assert follow("client", "offer", WED, WED) == Progress(WED)
    assert follow("client", "offer", WED, WED, TUE) == Progress(WED)
    assert follow("client", "offer", WED, WED, TUE, THU, FRI) == Progress(WED, 0, THU)


def test_each_chase_without_the_answer_diarises_the_next():
    assert follow("client", "cv-feedback", TUE, MON) == Progress(TUE)
    assert follow("client", "cv-feedback", TUE, MON, MON) == Progress(TUE)  # before it was due
    assert follow("client", "cv-feedback", TUE, MON, TUE) == Progress(THU, 1)
    # two conversations the same day are one chase; Thu then Fri: next chase Tue
    assert follow("client", "cv-feedback", TUE, MON, TUE, THU, THU, FRI) == Progress(
        date(2026, 12, 1), 3
    )


def test_prep_counts_from_the_booking_and_feedback_only_once_due():
    assert follow("candidate", "interview-prep", THU, MON, TUE) == Progress(THU, 0, TUE)
    assert follow("candidate", "interview-feedback", FRI, MON, TUE) == Progress(FRI)


def test_a_candidate_is_called_on_their_own_cycle_while_looking():
    def nxt(outcome, **kw):
        args = {"on": MON, "settings": DEFAULTS, "calendar": CAL, "cycle_days": None}
        return d.candidate_next_call(outcome, **{**args, "job_search": "looking", **kw})

    assert nxt("update-given") == date(2026, 12, 23)  # 30 days: a Wednesday
    assert nxt("update-given", cycle_days=12) == date(2026, 12, 4)  # Sat 5 Dec -> Fri
    assert nxt("interested") == WED
    assert nxt("voicemail") == TUE
    assert nxt("busy") == MON
    assert nxt("update-given", job_search="placed") is None
    assert nxt("update-given", requested=FRI) == FRI
    with pytest.raises(UsageError, match="can't be before the call itself"):
        nxt("update-given", requested=date(2026, 11, 20))
    longer = Settings.defaults({"candidate_cycle_days": 60})
    assert nxt("update-given", settings=longer) == date(2027, 1, 22)
