"""Candidates are people you call (issue 18): their details, job search and own cycle;
`log candidate:ID` with a candidate's outcomes and their next call; a name that is both
a DM and a candidate asked, never guessed; `undo` of a call to a candidate; the planned
delivery calls kept in step. Today is Mon 23 Nov 2026 (England: Christmas Fri 25 Dec)."""

from __future__ import annotations

from datetime import date

import pytest

from callplan.cli import complete
from callplan.core import delivery
from callplan.core.workdays import WorkCalendar


@pytest.fixture
def ann(ok):
    ok("candidate", "add", "Ann Lee", "--phone", "0113 496 0102", "--tag", "python")


def person(ok, ref="1"):
    return ok("candidate", "show", ref, "--json").json["candidate"]


def diary(ok, ref="1"):
    c = person(ok, ref)
    return (c["next_call_on"], c["due_reason"], c["conversation_count"], c["last_conversation_on"])


def one_error_line(result):
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.exit_code != 0 and len(lines) == 1, result.stderr
    return lines[0]


# --- adding, listing, showing, editing ---------------------------------------------------


def test_add_checks_the_phone_and_email_and_list_shows_how_to_reach_them(ok, cli, ann):
    c = person(ok)
    assert (c["phone"], c["job_search"], c["next_call_on"], c["owner"]) == (
        "+441134960102",
        "looking",
        None,
        "Sam",
    )
    assert "Email" not in ok("candidate", "show", "1").stdout
    bad = cli("candidate", "add", "Bo", "--email", "not-an-address")
    assert "doesn't look like an email address" in one_error_line(bad)
    odd = ok("candidate", "add", "Cy", "--phone", "12345", "--search", "not looking")
    assert "Phone number not recognised" in odd.stderr
    assert person(ok, "2")["phone"] == "12345"
    assert person(ok, "2")["job_search"] == "not-looking"
    assert "Unknown job search" in one_error_line(cli("candidate", "add", "Di", "--search", "x"))
    assert "--cycle" in one_error_line(cli("candidate", "add", "Di", "--cycle", "0"))
    listed = ok("candidate", "list").stdout
    assert "0113 496 0102" in listed and "looking" in listed
    [_, row] = ok("candidate", "list", "--json").json["candidates"]
    assert {"phone", "email", "job_search", "cycle_days", "next_call_on", "due_reason"} <= set(row)


def test_edit_changes_each_field_and_moves_the_next_call(ok, cli, ann):
    ok(
        "candidate",
        "edit",
        "candidate:1",
        "--email",
        "ann@example.com",
        "--headline",
        "Python lead",
        "--untag",
        "python",
        "--tag",
        "django",
        "--cycle",
        "14",
        "--available",
        "2027-01-04",
    )
    c = person(ok)
    assert (c["email"], c["headline"], c["tags"], c["cycle_days"], c["available_on"]) == (
        "ann@example.com",
        "Python lead",
        ["django"],
        14,
        "2027-01-04",
    )
    assert c["cycle"] == 14
    ok("candidate", "edit", "1", "--cycle", "default", "--phone", "")
    c = person(ok)
    assert (c["cycle_days"], c["cycle"], c["phone"]) == (None, 30, None)
    ok("candidate", "edit", "1", "--due", "2026-11-27")
    assert diary(ok)[:2] == ("2026-11-27", "manual")
    assert "past" in one_error_line(cli("candidate", "edit", "1", "--due", "2026-11-20"))
    assert "Nothing to change" in one_error_line(cli("candidate", "edit", "1"))
    assert "candidate's id" in one_error_line(cli("candidate", "edit", "Ann", "--name", "A"))
    assert "No candidate has id 9" in one_error_line(cli("candidate", "show", "9"))


def test_a_new_job_search_or_cycle_diarises_them_again(ok, ann):
    ok("log", "candidate:1", "-c", "update-given", "--on", "2026-11-16")
    assert diary(ok)[0] == "2026-12-16"  # 30 days on
    ok("candidate", "edit", "1", "--cycle", "10")  # pulled in to 26 Nov
    assert diary(ok)[:2] == ("2026-11-26", "cycle")
    ok("candidate", "edit", "1", "--search", "not-looking")
    assert diary(ok)[0] is None
    ok("candidate", "edit", "1", "--search", "looking", "--cycle", "3")  # 19 Nov is past
    assert diary(ok)[0] == "2026-11-23"


# --- logging a call to a candidate ------------------------------------------------------


def test_a_conversation_diarises_their_next_call_on_their_cycle(ok, ann):
    r = ok("log", "candidate:1", "-c", "update-given", "-s", "Still looking, 60k")
    assert "1st conversation" in r.stdout and "Next call Wed 23 Dec" in r.stdout
    assert diary(ok) == ("2026-12-23", "update-given", 1, "2026-11-23")
    [call] = ok("candidate", "show", "1", "--json").json["calls"]
    assert (call["kind"], call["outcome"], call["summary"]) == (
        "continuation",
        "update-given",
        "Still looking, 60k",
    )


def test_their_own_cycle_and_the_working_day_before_a_holiday(ok, ann):
    ok("candidate", "add", "Bob Stone", "--cycle", "14")
    ok("log", "candidate:2", "-c", "update-given")
    assert diary(ok, "2")[0] == "2026-12-07"
    ok("log", "candidate:1", "-c", "update-given", env={"CALLPLAN_TODAY": "2026-11-25"})
    assert diary(ok)[0] == "2026-12-24"  # 25 Dec is Christmas: the working day before


@pytest.mark.parametrize(
    ("option", "outcome", "due", "count"),
    [
        ("-a", "interested", "2026-11-25", 1),  # 2 working days
        ("-c", "offer-declined", "2026-11-25", 1),
        ("-n", "voicemail", "2026-11-24", 0),  # the next working day
        ("-n", "busy", "2026-11-23", 0),  # again today
    ],
)
def test_each_outcome_has_its_delay(ok, ann, option, outcome, due, count):
    ok("log", "candidate:1", option, outcome)
    assert diary(ok)[0] == due
    assert diary(ok)[2] == count


def test_no_next_call_unless_they_are_looking_but_one_asked_for_is_kept(ok, cli, ann):
    ok("candidate", "edit", "1", "--search", "placed")
    r = ok("log", "candidate:1", "-c", "update-given")
    assert "No next call diarised: Ann Lee is placed" in r.stdout
    assert diary(ok)[0] is None
    ok("log", "candidate:1", "-c", "update-given", "--next", "2027-01-11")
    assert diary(ok)[0] == "2027-01-11"
    before = cli(
        "log", "candidate:1", "-c", "update-given", "--on", "2026-11-20", "--next", "2026-11-19"
    )
    assert "can't be before the call itself" in one_error_line(before)


def test_a_call_logged_late_counts_but_leaves_the_next_call(ok, ann):
    ok("log", "candidate:1", "-a", "interested")
    r = ok("log", "candidate:1", "-c", "update-given", "--on", "2026-11-20")
    assert "A later call is already logged" in r.stderr
    assert diary(ok) == ("2026-11-25", "interested", 2, "2026-11-23")


def test_a_dm_outcome_is_refused_for_a_candidate_and_the_other_way_round(ok, cli, db, ann):
    ok("dm", "add", "Megan Price", "--company", "Leeds Digital")
    line = one_error_line(cli("log", "candidate:1", "-c", "callback"))
    assert "callback is an outcome of a call to a DM" in line
    assert "update-given, not-interested, interview-feedback, offer-declined" in line
    line = one_error_line(cli("log", "megan", "-c", "update-given"))
    assert "update-given is an outcome of a call to a candidate" in line
    assert "callback, emailed-details, hr-fob-off, objection, rejection" in line
    line = one_error_line(cli("log", "candidate:1", "-c", "interested"))
    assert "use --advance interested" in line
    line = one_error_line(cli("log", "candidate:1", "-a", "nonsense"))
    assert "interested, offer-accepted, referral-given" in line
    line = one_error_line(cli("log", "candidate:1", "-c", "update-given", "--hook", "job:1"))
    assert "--hook is for a call to a DM" in line
    assert db("select count(*) from candidate_call") == [(0,)]
    assert db("select count(*) from call") == [(0,)]


def test_the_job_must_exist_and_is_kept_with_the_call(ok, cli, db, ann):
    assert "No job has id 7" in one_error_line(
        cli("log", "candidate:1", "-a", "interested", "--job", "7")
    )
    assert "--job takes a job's id" in one_error_line(
        cli("log", "candidate:1", "-a", "interested", "--job", "Data")
    )
    ok("job", "add", "Data Engineer", "--company", "Acme")
    r = ok("log", "candidate:1", "-a", "interested", "--job", "job:1")
    assert "about job:1" in r.stdout
    [call] = ok("candidate", "show", "1", "--json").json["calls"]
    assert call["job"] == {"id": 1, "title": "Data Engineer"}
    ok("dm", "add", "Megan Price")
    assert "--job goes with a call to a candidate" in one_error_line(
        cli("log", "megan", "-c", "callback", "--job", "1")
    )
    assert db("select count(*) from call") == [(0,)]


# --- whom a name means -------------------------------------------------------------------


def test_a_name_that_is_only_a_candidate_logs_a_call_to_them(ok, db, ann):
    ok("log", "ann", "-c", "update-given")
    assert db("select candidate_id, outcome from candidate_call") == [(1, "update-given")]


def test_a_name_both_a_dm_and_a_candidate_is_refused_off_a_terminal(ok, cli, db, ann):
    ok("dm", "add", "Ann Lee", "--company", "Acme")
    before = db("select count(*) from call"), db("select count(*) from candidate_call")
    line = one_error_line(cli("log", "Ann Lee", "-c", "callback"))
    assert "dm:1" in line and "candidate:1" in line
    assert (db("select count(*) from call"), db("select count(*) from candidate_call")) == before
    ok("log", "dm:1", "-c", "callback")  # the ref says who
    ok("log", "candidate:1", "-c", "update-given")
    assert db("select count(*) from call") == [(1,)]
    assert db("select count(*) from candidate_call") == [(1,)]


def test_at_a_terminal_the_name_is_asked_with_a_numbered_choice(ok, db, ann, monkeypatch):
    ok("dm", "add", "Ann Lee", "--company", "Acme")
    monkeypatch.setattr("callplan.cli.options.interactive", lambda: True)
    r = ok("log", "Ann Lee", "-c", "update-given", input="3\n2\n")  # 3 is no choice
    assert "1. dm:1 Ann Lee, Acme" in r.stderr and "2. candidate:1 Ann Lee" in r.stderr
    assert db("select count(*) from candidate_call") == [(1,)]
    ok("log", "Ann Lee", "-c", "callback", input="1\n")
    assert db("select dm_id, outcome from call") == [(1, "callback")]


def test_a_better_match_wins_and_an_exact_name_beats_the_start_of_one(ok, db, ann):
    ok("dm", "add", "Ann", "--company", "Acme")  # exactly 'ann'; the candidate starts so
    ok("log", "ann", "-c", "callback")
    assert db("select dm_id from call") == [(1,)]
    ok("log", "ann lee", "-c", "update-given")  # the candidate's exact name
    assert db("select candidate_id from candidate_call") == [(1,)]


# --- undo ------------------------------------------------------------------------------


def test_undo_takes_back_the_last_call_to_a_candidate_and_derives_the_diary(ok, db, ann):
    ok("log", "candidate:1", "-a", "interested", "--on", "2026-11-20")
    ok("log", "candidate:1", "-c", "update-given")
    r = ok("undo", "--yes")
    assert "Took back call continuation (update-given) with candidate:1 Ann Lee" in r.stdout
    assert "Ann Lee: 1 conversation, next call tomorrow (interested)" in r.stdout
    assert diary(ok) == ("2026-11-24", "interested", 1, "2026-11-20")
    ok("undo", "--yes")
    assert diary(ok) == (None, None, 0, None)
    assert db("select count(*) from candidate_call") == [(0,)]


def test_undo_takes_back_whichever_was_logged_last(ok, db, ann):
    ok("dm", "add", "Megan Price")
    ok("log", "candidate:1", "-c", "update-given")
    ok("log", "megan", "-c", "callback")
    ok("undo", "--yes")  # the DM's call: the newer
    assert db("select count(*) from call") == [(0,)]
    assert db("select count(*) from candidate_call") == [(1,)]
    ok("undo", "--yes")
    assert db("select count(*) from candidate_call") == [(0,)]


def test_undo_off_a_terminal_needs_yes(ok, cli, db, ann):
    ok("log", "candidate:1", "-c", "update-given")
    line = one_error_line(cli("undo"))
    assert "candidate:1 Ann Lee" in line and "--yes" in line
    assert db("select count(*) from candidate_call") == [(1,)]


# --- the planned calls follow the conversations -----------------------------------------


def _interview_booked(db):
    """A submission of candidate 1 for job 1 at interview (booked today, Wed 25 Nov),
    with the prep call planned for tomorrow."""
    db(
        "insert into submission (candidate_id, job_id, stage, stage_on, submitted_on, "
        "interview_on, interviews, no_show, created_at) values "
        "(1, 1, 'interview', '2026-11-23', '2026-11-16', '2026-11-25', 1, ?, "
        "'2026-11-23 09:00:00.000000')",
        False,
    )
    db(
        "insert into delivery_call (submission_id, party, purpose, planned_on, due_on, "
        "chases) values (1, 'candidate', 'interview-prep', '2026-11-24', '2026-11-24', 0)"
    )


def test_a_conversation_makes_the_planned_call_and_undo_opens_it_again(ok, db, ann):
    ok("job", "add", "Data Engineer", "--company", "Acme")
    _interview_booked(db)
    shown = ok("candidate", "show", "1", "--json").json
    assert [(x["job"]["title"], x["stage"]) for x in shown["submissions"]] == [
        ("Data Engineer", "interview")
    ]
    assert [(x["party"], x["purpose"], x["due_on"]) for x in shown["planned_calls"]] == [
        ("candidate", "interview-prep", "2026-11-24")
    ]
    text = ok("candidate", "show", "1").stdout
    assert "Submissions" in text and "interview-prep" in text
    ok("log", "candidate:1", "-c", "update-given", "-s", "Prepped for Wednesday")
    assert db("select closed_on, closed_by from delivery_call") == [("2026-11-23", "call")]
    assert ok("candidate", "show", "1", "--json").json["planned_calls"] == []
    ok("undo", "--yes")
    assert db("select closed_on, closed_by from delivery_call") == [(None, None)]


# --- the outcomes that say more --------------------------------------------------------


def test_offer_accepted_says_the_next_step(ok, ann):
    ok("job", "add", "Data Engineer")
    r = ok("log", "candidate:1", "-a", "offer-accepted", "--job", "1")
    assert "callplan placed 1 1" in r.stdout


def test_a_referral_from_a_candidate_adds_one_referred_by_no_dm(ok, cli, db, ann):
    r = ok(
        "log",
        "candidate:1",
        "-a",
        "referral-given",
        "--candidate-referral",
        "Cara Jones, 0113 496 0103",
    )
    assert "Added candidate:2 Cara Jones" in r.stdout
    assert db("select name, phone, referred_by_dm_id, owner from candidate where id = 2") == [
        ("Cara Jones", "+441134960103", None, "Sam")
    ]
    line = one_error_line(
        cli("log", "candidate:1", "-c", "update-given", "--candidate-referral", "Dee")
    )
    assert "--candidate-referral goes with --advance referral-given" in line
    assert db("select count(*) from candidate") == [(2,)]


def test_a_name_a_dm_gives_for_a_live_job_is_a_candidate_they_referred(ok, db):
    ok("dm", "add", "Megan Price")
    ok("log", "megan", "-c", "callback", "--candidate-referral", "Eve Hart")
    assert db("select name, referred_by_dm_id from candidate") == [("Eve Hart", 1)]
    assert person(ok)["referred_by"] == {"id": 1, "name": "Megan Price"}


# --- help and completion ---------------------------------------------------------------


def test_help_names_the_candidate_outcomes(ok):
    text = " ".join(ok("log", "--help").stdout.replace("│", " ").split())
    assert "With a candidate: interested, offer-accepted, referral-given." in text
    assert "With a candidate: update-given, not-interested" in text


class _Ctx:
    def __init__(self, who: str) -> None:
        self.params = {"dm": who}


@pytest.mark.no_store
@pytest.mark.parametrize(
    ("who", "offered"),
    [
        ("candidate:3", ["update-given"]),
        ("dm:3", []),
        ("Ann", ["update-given"]),
    ],
)
def test_completion_offers_the_outcomes_of_whom_the_call_is_to(who, offered):
    from callplan.core.outcomes import Kind

    found = complete.log_outcome_types(Kind.CONTINUATION)(_Ctx(who), "up")  # type: ignore[arg-type]
    assert found == offered
    dm_types = complete.log_outcome_types(Kind.CONTINUATION)(_Ctx(who), "call")  # type: ignore[arg-type]
    assert dm_types == ([] if who.startswith("candidate:") else ["callback"])


# --- the rules -------------------------------------------------------------------------

WEEK = WorkCalendar(frozenset(range(5)))


@pytest.mark.no_store
def test_the_diary_is_the_latest_call_s_and_counts_the_conversations():
    talked = [
        delivery.Talked(date(2026, 11, 2), "update-given", date(2026, 12, 2)),
        delivery.Talked(date(2026, 11, 9), "voicemail", date(2026, 11, 10)),
    ]
    assert delivery.candidate_diary(talked) == delivery.CandidateDiary(
        date(2026, 11, 2), 1, date(2026, 11, 10), "voicemail"
    )
    placed = [delivery.Talked(date(2026, 11, 2), "update-given", None)]
    assert delivery.candidate_diary(placed).due_reason is None  # nothing diarised
    assert delivery.candidate_diary([]) == delivery.CandidateDiary(None, 0, None, None)


@pytest.mark.no_store
@pytest.mark.parametrize(
    ("next_on", "last_on", "search", "expected"),
    [
        (None, None, "looking", None),  # never spoken to: nothing invented
        (date(2026, 12, 1), None, "looking", date(2026, 12, 1)),
        (None, date(2026, 11, 16), "looking", date(2026, 12, 16)),  # the cycle's end
        (date(2027, 1, 4), date(2026, 11, 16), "interviewing", date(2026, 12, 16)),
        (date(2026, 11, 30), date(2026, 11, 16), "offered", date(2026, 11, 30)),
        (None, date(2026, 9, 1), "looking", date(2026, 11, 23)),  # overdue: today
        (date(2026, 11, 30), date(2026, 11, 16), "not-looking", None),
        (date(2026, 11, 30), date(2026, 11, 16), "placed", None),
    ],
)
def test_rediarised_keeps_them_within_the_cycle_while_they_look(next_on, last_on, search, expected):
    assert (
        delivery.candidate_rediarised(
            next_call_on=next_on,
            last_conversation_on=last_on,
            cycle_days=30,
            job_search=search,
            today=date(2026, 11, 23),
            calendar=WEEK,
        )
        == expected
    )
