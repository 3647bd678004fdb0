"""Where a job stands, as its client is told it (core.delivery.job_standing): from its
submissions, dates injected. Today is Mon 23 Nov 2026."""

from __future__ import annotations

from datetime import date, time

from callplan.core.delivery import (
    INTERVIEW,
    OFFERED,
    PLACED,
    SUBMITTED,
    WITHDRAWN,
    ClientJob,
    StageFacts,
    job_standing,
)

TODAY = date(2026, 11, 23)
SENT = date(2026, 11, 16)


def facts(
    stage: str,
    *,
    interview_on: date | None = None,
    interview_at: time | None = None,
    no_show: bool = False,
) -> StageFacts:
    return StageFacts(stage, SENT, SENT, interview_on, interview_at, no_show)


def test_a_job_with_no_submissions_has_no_cvs_sent_yet() -> None:
    assert job_standing([], TODAY) == "no CVs sent yet"


def test_every_submission_is_a_cv_sent_one_or_many() -> None:
    assert job_standing([facts(SUBMITTED)], TODAY) == "1 CV sent"
    assert job_standing([facts(SUBMITTED)] * 3, TODAY) == "3 CVs sent"


def test_the_example_of_the_issue() -> None:
    subs = [
        facts(SUBMITTED),
        facts(INTERVIEW, interview_on=date(2026, 11, 26), interview_at=time(10)),
        facts(OFFERED),
    ]
    assert job_standing(subs, TODAY) == "3 CVs sent, 1 interview Thu 26 Nov, 1 offer"


def test_interviews_name_their_days_soonest_first_once_each() -> None:
    subs = [
        facts(INTERVIEW, interview_on=date(2026, 11, 27)),
        facts(INTERVIEW, interview_on=date(2026, 11, 24)),
        facts(INTERVIEW, interview_on=date(2026, 11, 27)),
    ]
    assert job_standing(subs, TODAY) == "3 CVs sent, 3 interviews tomorrow, Fri 27 Nov"


def test_an_interview_missed_is_counted_apart_from_those_booked() -> None:
    subs = [
        facts(INTERVIEW, interview_on=date(2026, 11, 20), no_show=True),
        facts(INTERVIEW, interview_on=date(2026, 11, 25)),
    ]
    assert job_standing(subs, TODAY) == "2 CVs sent, 1 interview Wed 25 Nov, 1 interview missed"


def test_later_stages_in_order_offers_placed_withdrawn() -> None:
    subs = [facts(WITHDRAWN), facts(PLACED), facts(OFFERED), facts(OFFERED)]
    assert job_standing(subs, TODAY) == "4 CVs sent, 2 offers, 1 placed, 1 withdrawn"


def test_a_year_other_than_todays_is_named() -> None:
    subs = [facts(INTERVIEW, interview_on=date(2027, 1, 5))]
    assert job_standing(subs, TODAY) == "1 CV sent, 1 interview Tue 5 Jan 2027"


def test_a_client_job_line_names_the_job_and_its_standing() -> None:
    job = ClientJob(7, "Senior .NET Developer", "3 CVs sent")
    assert job.ref == "job:7"
    assert job.line() == "job:7 Senior .NET Developer: 3 CVs sent"


def test_a_clients_own_job_is_never_offered_to_them_as_a_hook() -> None:
    from callplan.core.hooks import JOB, Hook, match

    own = Hook(JOB, 7, "Senior .NET Developer", "Elsewhere Ltd", ("dotnet",), client_id=4)
    assert match([own], dm_tags=["dotnet"], notes={}, dm_company="Leeds Digital", dm_id=4) == []
    [found] = match([own], dm_tags=["dotnet"], notes={}, dm_company="Leeds Digital", dm_id=5)
    assert found.hook.ref == "job:7"  # to another DM of the field: a source of names
