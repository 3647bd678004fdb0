"""Submissions and the calls their stages plan, through the commands (`submit`,
`interview`, `offer`, `placed`, `withdrawn`) and today's "Candidates & delivery"
section (issue 18). Today is Mon 23 Nov 2026; the store's country is England."""

from __future__ import annotations

import pytest

from tests.conftest import snapshot


@pytest.fixture
def desk(ok, db):
    """Megan Price (#1) gave job:1 Senior .NET Developer; Ann Lee (candidate:1) and Bo
    Chen (candidate:2) are looking."""
    ok("config", "set", "country", "GB-ENG")
    ok("dm", "add", "Megan Price", "--company", "Leeds Digital", "--phone", "0113 496 0101")
    ok("job", "add", "Senior .NET Developer", "--client", "megan", "--tag", "dotnet")
    ok("candidate", "add", "Ann Lee", "--tag", "dotnet", "--phone", "07700 900123")
    ok("candidate", "add", "Bo Chen", "--tag", "dotnet", "--phone", "07700 900123")


def delivery(ok, today="2026-11-23"):
    rows = ok("today", "--json", env={"CALLPLAN_TODAY": today}).json["delivery"]
    return [(r["kind"], r["name"], r["purpose"], r["due_on"], r["time"]) for r in rows]


def planned(db):
    return db(
        "SELECT party, purpose, planned_on, due_on, chases, closed_on, closed_by"
        " FROM delivery_call ORDER BY id"
    )


def test_cvs_sent_plan_the_feedback_chase_with_the_client(ok, desk):
    out = ok("submit", "ann", "senior", "--on", "fri").stdout
    assert out.splitlines() == [
        "Put Ann Lee forward for job:1 Senior .NET Developer.",
        "Planned: Megan Price (client): chase CV feedback, tomorrow.",
    ]
    assert delivery(ok) == []
    row = ok("today", "--json", env={"CALLPLAN_TODAY": "2026-11-24"}).json["delivery"][0]
    assert row["reason"] == "chase CV feedback on Ann Lee (CVs sent 4 days ago)"
    assert (row["kind"], row["id"], row["phone"], row["job"]["id"]) == (
        "client",
        1,
        "+441134960101",
        1,
    )
    assert (row["stage"], row["stage_on"], row["stage_age_days"]) == ("submitted", "2026-11-20", 4)


def test_a_chase_without_an_answer_comes_back_until_the_stage_moves(ok, desk, db):
    ok("submit", "ann", "1", "--on", "2026-11-18")  # the chase's day (Fri 20) is past: today
    assert delivery(ok) == [("client", "Megan Price", "cv-feedback", "2026-11-23", None)]
    ok("log", "megan", "-c", "callback")  # spoke today: no feedback yet
    assert delivery(ok) == []
    assert delivery(ok, "2026-11-25") == [
        ("client", "Megan Price", "cv-feedback", "2026-11-25", None)
    ]
    ok("undo", "--yes")  # the call taken back: the chase is due today again
    assert delivery(ok) == [("client", "Megan Price", "cv-feedback", "2026-11-23", None)]
    ok("interview", "ann", "1", "--at", "thu 10:00")
    assert planned(db)[0][5:] == ("2026-11-23", "stage")


def test_an_interview_plans_prep_and_both_feedback_calls_candidate_first(ok, desk):
    ok("submit", "bo", "1", "--on", "2026-11-18")
    out = ok("interview", "bo", "1", "--at", "tue 14:30").stdout
    assert out.splitlines() == [
        "Interview booked for Bo Chen, job:1 Senior .NET Developer: tomorrow at 14:30.",
        "Closed 1 call the stage before had planned.",
        "Planned: Bo Chen (candidate): prep for the interview, today.",
        "Planned: Bo Chen (candidate): their feedback on the interview, tomorrow at 15:30.",
        "Planned: Megan Price (client): interview feedback, tomorrow at 15:30.",
    ]
    assert delivery(ok) == [("candidate", "Bo Chen", "interview-prep", "2026-11-23", None)]
    assert delivery(ok, "2026-11-24")[1:] == [
        ("candidate", "Bo Chen", "interview-feedback", "2026-11-24", "15:30"),
        ("client", "Megan Price", "interview-feedback", "2026-11-24", "15:30"),
    ]


def test_a_no_show_an_offer_and_a_placement_plan_calls_to_both_sides(ok, desk, db):
    ok("submit", "bo", "1", "--on", "2026-11-16")
    ok("interview", "bo", "1", "--at", "2026-11-20 10:00")  # recorded late
    ok("interview", "bo", "1", "--no-show")
    assert [r[1] for r in planned(db) if r[5] is None] == ["no-show", "no-show"]
    ok("interview", "bo", "1", "--at", "2026-11-23 16:00")
    ok("offer", "bo", "1")
    assert [(r[0], r[1]) for r in planned(db) if r[5] is None] == [
        ("candidate", "offer"),
        ("client", "offer"),
    ]
    out = ok("placed", "bo", "1", "--starts", "2026-12-23", "--fee", "20%").stdout
    assert "Planned: Bo Chen (candidate): check in after the start, Wed 30 Dec." in out
    assert "job:1 stays open for more hires: callplan job close 1 once filled." in out
    assert db("SELECT status, job_search FROM candidate WHERE id = 2") == [("closed", "placed")]
    assert db("SELECT stage, fee, starts_on FROM submission") == [("placed", "20%", "2026-12-23")]


def test_a_withdrawal_closes_the_calls_and_the_search_goes_back_to_looking(ok, desk, db):
    ok("submit", "ann", "1")
    ok("interview", "ann", "1", "--at", "wed")
    assert db("SELECT job_search FROM candidate WHERE id = 1") == [("interviewing",)]
    ok("withdrawn", "ann", "1")
    assert [r[6] for r in planned(db)] == ["stage"] * 4
    assert db("SELECT job_search FROM candidate WHERE id = 1") == [("looking",)]
    ok("submit", "ann", "1")  # put forward again: starts over
    assert db("SELECT stage, interviews FROM submission") == [("submitted", 0)]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["submit", "zed", "1"], "No candidate matches 'zed'"),
        (["submit", "ann", "job:9"], "No job has id 9"),
        (["submit", "ann", "python"], "No open job matches 'python'"),
        (["submit", "ann", "1", "--on", "2026-11-30"], "that is in the future"),
        (["interview", "ann", "1", "--at", "thu"], "hasn't been put forward for job:1"),
        (["offer", "bo", "1"], "is at submitted: it can't go to offered"),  # see below
        (["interview", "bo", "1"], "When is the interview? Add --at"),
        (["interview", "bo", "1", "--at", "thu", "--no-show"], "leave out --at"),
        (["interview", "bo", "1", "--no-show"], "has no interview booked"),
        (["interview", "bo", "1", "--at", "2026-11-10"], "can't be before the CVs went"),
        (["placed", "bo", "1", "--on", "2026-12-01"], "is in the future"),
    ],
)
def test_what_cannot_be_done_is_one_line_and_writes_nothing(ok, cli, desk, store, args, said):
    ok("submit", "bo", "1", "--on", "2026-11-18")
    ok("offer", "bo", "1")
    ok("withdrawn", "bo", "1")
    ok("submit", "bo", "1", "--on", "2026-11-19")
    if args[0] == "offer":
        ok("offer", "bo", "1")
        args, said = ["interview", "bo", "1", "--at", "thu"], "is at offered: it can't go to"
    before = snapshot(store)
    r = cli(*args)
    assert r.exit_code != 0, r.stdout
    assert said in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert snapshot(store) == before


def test_placed_and_withdrawn_stop_moving(ok, cli, desk):
    ok("submit", "bo", "1", "--on", "2026-11-18")
    ok("placed", "bo", "1")
    r = cli("withdrawn", "bo", "1")
    assert "Bo Chen for job:1 Senior .NET Developer was placed on 2026-11-23" in r.stderr
    ok("submit", "ann", "1")
    ok("withdrawn", "ann", "1")
    r = cli("offer", "ann", "1")
    assert "was withdrawn on 2026-11-23: submit them again to start over" in r.stderr


def test_two_candidates_and_a_job_by_part_of_a_name_must_be_one(ok, cli, desk):
    ok("candidate", "add", "Ann Leeds")
    r = cli("submit", "ann", "1")
    assert r.exit_code != 0
    assert "'ann' matches 2 candidates: candidate:1 Ann Lee, candidate:3 Ann Leeds" in r.stderr
    ok("submit", "candidate:1", "job:1")


def test_delivery_calls_never_count_towards_the_new_dms(ok, desk):
    ok("submit", "ann", "1", "--on", "2026-11-18")
    plan = ok("today", "--json").json
    assert plan["quota"] == {"per_day": 2, "spoken_today": 0, "remaining": 2}
    assert [r["name"] for r in plan["new"]] == ["Megan Price"]
    ok("log", "megan", "-c", "callback")  # a chase of a client is still her first conversation
    plan = ok("today", "--json").json
    assert plan["quota"]["spoken_today"] == 1 and plan["delivery"] == []


def test_the_plan_shows_the_section_in_80_columns(ok, desk):
    import re

    ok("submit", "ann", "1", "--on", "2026-11-18")
    ok("submit", "bo", "1", "--on", "2026-11-18")
    ok("interview", "bo", "1", "--at", "today 16:00")
    terminal = {"TTY_COMPATIBLE": "1", "COLUMNS": "80", "LINES": "24", "PAGER": "cat"}
    out = ok("today", env=terminal).stdout
    lines = [re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", x).rstrip() for x in out.splitlines()]
    start = lines.index("Candidates & delivery: 4 calls")
    section = lines[start + 1 : start + 5]
    assert all(len(x) <= 80 for x in lines)
    # the timed calls first, the candidate before the client; then the others
    assert [x.split()[0] for x in section] == ["candidate:2", "1", "1", "candidate:2"]
    assert "at 17:00: their feedback" in section[0]
    assert "chase CV feedback on Ann Lee" in section[2]
    piped = ok("today").stdout
    assert "Candidates & delivery: 4 calls" in piped and "client, job:1" in piped
    csv = ok("today", "--csv").stdout.splitlines()
    assert csv[-2].startswith("delivery,1,Megan Price,Leeds Digital,client,'+441134960101,")
    assert csv[-1].startswith("delivery,candidate:2,Bo Chen,,candidate,'+447700900123,prep for")


def test_forecast_and_sweep_count_the_delivery_calls_in_the_day_load(ok, desk):
    ok("submit", "ann", "1")  # the client chase on Wed 25 Nov
    ok("submit", "bo", "1", "--on", "2026-11-18")
    ok("interview", "bo", "1", "--at", "2026-11-26 10:00")  # prep Wed 25; feedback Thu 26 x2
    days = {d["date"]: d for d in ok("forecast", "--days", "7", "--json").json["days"]}
    assert [days[d]["delivery"] for d in ("2026-11-23", "2026-11-25", "2026-11-26")] == [0, 2, 2]
    assert days["2026-11-25"]["total"] == 2 + 2  # the chase and the prep, and two new DMs
    assert "▓ delivery" in ok("forecast", "--days", "7").stdout
    swept = ok("sweep", "--dry-run", "--json").json["days"]
    before = {d["date"]: d["before"] for d in swept}
    assert (before["2026-11-25"], before["2026-11-26"]) == (2, 2)


def test_stats_count_delivery_and_how_feedback_was_chased(ok, desk):
    def on(day, *args):
        ok(*args, env={"CALLPLAN_TODAY": day})

    on("2026-11-16", "submit", "ann", "1")  # chases due Wed 18 Nov
    on("2026-11-16", "submit", "bo", "1")
    on("2026-11-18", "log", "megan", "-c", "callback")  # chased on the day: no answer yet
    on("2026-11-20", "interview", "ann", "1", "--at", "today 10:00")  # 4 days, 1 chase
    on("2026-11-23", "withdrawn", "bo", "1")  # turned down: 7 days, 1 chase
    ok("offer", "ann", "1")
    ok("placed", "ann", "1", "--fee", "£12,000")
    d = ok("stats", "--from", "2026-11-01", "--json").json["delivery"]
    assert (d["cvs_sent"], d["interviews"], d["offers"], d["placements"]) == (2, 1, 1, 1)
    assert d["fees"] == ["£12,000"]
    assert (d["feedback_received"], d["days_to_feedback"], d["chases_to_feedback"]) == (2, 5.5, 1.0)
    # Ann's and Bo's chases were due Wed 18 and rung then; the client's interview
    # feedback due Fri 20 had no call that day.
    assert (d["chases_due"], d["chased_on_time"]) == (3, 2)
    text = ok("stats", "--from", "2026-11-01").stdout
    section = text[text.index("Candidates & delivery") :]
    assert "Sent and placed     2 CVs sent, 1 interviews, 1 offers, 1 placements" in section
    assert "2 answered, 5.5 days after the CVs went, 1.0 chases each" in section
    assert "2 of 3 feedback chases rung the day they were due (67%)" in section


def test_go_walks_the_delivery_calls_after_the_dms_one_call_a_person(ok, desk, db):
    ok("submit", "ann", "1", "--on", "2026-11-18")  # the CV chase with Megan: due today
    ok("submit", "bo", "1", "--on", "2026-11-18")
    ok("interview", "bo", "1", "--at", "today 16:00")  # prep and both feedback calls today
    script = [
        # Megan (a new DM, and the job's client): outcome, type, summary, say, five note
        # fields, a referral, the next call, its purpose.
        *["c", "callback", "No feedback yet", "", "", "", "", "", "", "", "", ""],
        # Bo (candidate:2): his feedback, a summary, the next call offered.
        *["c", "interview-feedback", "Went well, keen", ""],
    ]
    r = ok("go", input="\n".join(script) + "\n")
    assert "Delivery: chase CV feedback on Ann Lee (CVs sent 5 days ago)" in r.stdout
    assert "candidate:2 Bo Chen · +447700900123\nJob search: interviewing" in r.stdout
    assert "Why now: at 17:00: their feedback" not in r.stdout  # the reason, without the time
    assert "Why now: their feedback on the interview today at 16:00" in r.stdout
    assert "Logged interview-feedback with Bo Chen. Next call Wed 23 Dec." in r.stdout
    assert "Session over: 2 calls logged; that's everyone for today." in r.stdout
    assert db(
        "SELECT party, purpose, chases, closed_by FROM delivery_call"
        " WHERE closed_by IS NULL OR closed_by = 'call' ORDER BY id"
    ) == [
        ("client", "cv-feedback", 1, None),  # Ann's: Megan had no answer yet
        ("candidate", "interview-prep", 0, "call"),
        ("candidate", "interview-feedback", 0, "call"),
        ("client", "interview-feedback", 1, None),
    ]


def test_a_placed_candidate_becomes_a_dm_prospect_in_one_command(ok, cli, desk, db):
    ok("submit", "bo", "1", "--on", "2026-11-18")
    ok("placed", "bo", "1", "--starts", "2027-01-04")
    out = ok("candidate", "prospect", "bo", "--title", "Senior .NET Developer").stdout
    assert out.startswith("Added #2 Bo Chen (Leeds Digital) as a prospect, from candidate:2.")
    shown = ok("dm", "show", "2", "--json").json
    assert (shown["dm"]["phone"], shown["dm"]["title"], shown["dm"]["owner"]) == (
        "+447700900123",
        "Senior .NET Developer",
        "Sam",
    )
    assert shown["notes"][0]["text"] == (
        "Your candidate (candidate:2), placed as Senior .NET Developer at Leeds Digital on "
        "2026-11-23."
    )
    r = cli("candidate", "prospect", "bo")
    assert r.exit_code == 2 and "is already a prospect: #2 Bo Chen" in r.stderr
    ok("dm", "forget", "2", "--yes")  # erased: the link goes, and they can't come back unasked
    assert db("SELECT prospect_dm_id FROM candidate WHERE id = 2") == [(None,)]
    r = cli("candidate", "prospect", "bo")
    assert r.exit_code == 2 and "matches someone erased at their request" in r.stderr


def test_the_calendar_has_one_event_a_person_at_the_time_planned(ok, desk, tmp_path):
    from icalendar import Calendar

    ok("submit", "ann", "1", "--on", "2026-11-18")  # Megan: the CV chase
    ok("submit", "bo", "1", "--on", "2026-11-18")
    ok("interview", "bo", "1", "--at", "today 14:00")  # Bo: prep and feedback at 15:00
    ok("today", "--ics", str(tmp_path / "day.ics"))
    events = Calendar.from_ical((tmp_path / "day.ics").read_bytes()).walk("VEVENT")
    by_uid = {str(e["uid"]): e for e in events}
    # Megan is a new DM today: her event is that call's, with no second one for the chase
    assert sorted(by_uid) == [
        "callplan-candidate2-20261123@callplan",
        "callplan-dm1-20261123@callplan",
    ]
    bo = by_uid["callplan-candidate2-20261123@callplan"]
    assert str(bo["summary"]) == (
        "Call Bo Chen: their feedback on the interview today at 14:00; prep for the "
        "interview today at 14:00"
    )
    assert bo["dtstart"].dt.astimezone().strftime("%H:%M") == "15:00"


def test_a_job_given_another_client_has_its_chases_made_with_them(ok, desk):
    ok("dm", "add", "Raj Gupta", "--company", "Leeds Digital", "--phone", "0113 496 0102")
    ok("submit", "ann", "1", "--on", "2026-11-18")
    ok("log", "raj", "-c", "callback")  # not the client (yet): no chase
    assert delivery(ok) == [("client", "Megan Price", "cv-feedback", "2026-11-23", None)]
    ok("job", "edit", "1", "--client", "raj")  # it was Raj's all along
    assert delivery(ok) == []
    assert delivery(ok, "2026-11-25") == [
        ("client", "Raj Gupta", "cv-feedback", "2026-11-25", None)
    ]


def test_a_call_made_before_the_stage_moved_stays_made(ok, desk, db):
    """Found by the fortnight: the offer's day was read as when interview prep started,
    so the prep made on Monday came back open."""
    ok("submit", "ann", "1", "--on", "2026-11-16")
    ok("interview", "ann", "1", "--at", "2026-11-24 10:00", env={"CALLPLAN_TODAY": "2026-11-20"})
    ok("log", "candidate:1", "-c", "update-given")  # Mon 23: the prep
    ok("offer", "ann", "1", env={"CALLPLAN_TODAY": "2026-11-26"})
    assert db(
        "SELECT purpose, closed_by FROM delivery_call WHERE party = 'candidate' ORDER BY id"
    ) == [
        ("interview-prep", "made"),
        ("interview-feedback", "stage"),
        ("offer", None),
    ]
    assert [r[2] for r in delivery(ok, "2026-11-26")] == ["offer", "offer"]


# --- the upgrade ---------------------------------------------------------------------


@pytest.mark.no_store
def test_upgrading_from_0015_keeps_every_job_candidate_and_hook(tmp_path, ok):
    import sqlite3
    from contextlib import closing

    from callplan.store.schema import HEAD
    from tests.cli._old_store import old_store

    path = old_store(tmp_path / "old.sqlite3", "0015")
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute(
            "INSERT INTO job (id, title, company, fee, tags, status, created_at, closed_on)"
            " VALUES (1, 'Data Engineer', 'Acme', '20%', 'data', 'open',"
            " '2026-11-01 09:00:00', NULL)"
        )
        conn.execute(
            "INSERT INTO candidate (id, name, headline, tags, available_on, status,"
            " created_at, closed_on) VALUES (1, 'Ola Berg', 'Data lead', 'data', '2026-12-01',"
            " 'open', '2026-11-01 09:00:00', NULL)"
        )
        conn.execute(
            "INSERT INTO call (id, dm_id, called_on, logged_at, kind, outcome, summary,"
            " next_call_on, conversation_number, reason, recruiter) VALUES (1, 1,"
            " '2026-11-20', '2026-11-20 09:05:00', 'continuation', 'callback', 'Curt',"
            " '2026-11-24', 1, 'new', 'Sam')"
        )
        conn.execute("INSERT INTO call_hook (id, call_id, job_id) VALUES (1, 1, 1)")
        conn.execute("INSERT INTO call_hook (id, call_id, candidate_id) VALUES (2, 1, 1)")
    r = ok("--db", str(path), "--as", "Sam", "candidate", "show", "1", "--json")
    assert "upgraded the store from schema 0015" in r.stderr
    c = r.json["candidate"]
    assert (c["name"], c["headline"], c["tags"], c["available_on"], c["status"]) == (
        "Ola Berg", "Data lead", ["data"], "2026-12-01", "open",
    )  # fmt: skip
    assert (c["job_search"], c["next_call_on"], c["phone"], c["conversation_count"]) == (
        "looking", None, None, 0,
    )  # fmt: skip
    jobs = ok("--db", str(path), "--as", "Sam", "job", "list", "--json").json["jobs"]
    assert [(j["title"], j["company"], j["fee"], j["client"]) for j in jobs] == [
        ("Data Engineer", "Acme", "20%", None)
    ]
    ok("--db", str(path), "--as", "Sam", "job", "edit", "1", "--client", "jane")
    ok("--db", str(path), "--as", "Sam", "submit", "ola", "1")  # the new tables work
    with closing(sqlite3.connect(path)) as conn, conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD,)
        assert conn.execute(
            "SELECT id, call_id, job_id, candidate_id FROM call_hook"
        ).fetchall() == [
            (1, 1, 1, None),
            (2, 1, None, 1),
        ]
        assert conn.execute("SELECT client_dm_id FROM job").fetchall() == [(1,)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


@pytest.mark.no_store
def test_the_delivery_downgrade_keeps_jobs_and_candidates(tmp_path, ok):
    import sqlite3
    from contextlib import closing

    import sqlalchemy as sa
    from alembic import command

    from callplan.store.db import alembic_config, make_engine

    path = tmp_path / "s.sqlite3"
    ok("--db", str(path), "dm", "add", "Megan Price", "--company", "Leeds Digital")
    ok("--db", str(path), "job", "add", "Data Engineer", "--client", "megan")
    ok("--db", str(path), "candidate", "add", "Ola Berg", "--phone", "07700 900101")
    ok("--db", str(path), "submit", "ola", "1")
    engine = make_engine(f"sqlite:///{path}")
    try:
        command.downgrade(alembic_config(engine), "0015")
        engine.dispose()
        tables = sa.inspect(engine).get_table_names()
        assert not {"submission", "delivery_call", "candidate_call"} & set(tables)
        columns = {c["name"] for c in sa.inspect(engine).get_columns("job")}
        assert "client_dm_id" not in columns and "from_call_id" not in columns
    finally:
        engine.dispose()
    with closing(sqlite3.connect(path)) as conn, conn:
        assert conn.execute("SELECT title FROM job").fetchall() == [("Data Engineer",)]
        assert conn.execute("SELECT name FROM candidate").fetchall() == [("Ola Berg",)]


# --- undo of a stage move ---------------------------------------------------------------


def test_undo_takes_back_a_stage_move_and_its_calls(ok, desk, db):
    ok("submit", "ann", "1", "--on", "2026-11-18")
    ok("interview", "ann", "1", "--at", "thu 10:00")
    before = snapshot_rows(db)
    ok("placed", "ann", "1", "--fee", "20%")  # a slip: it was the offer
    r = ok("undo", "--yes")
    assert r.stdout.strip() == (
        "Took back the placement of Ann Lee for job:1 Senior .NET Developer: back at interview."
    )
    assert snapshot_rows(db) == before
    ok("offer", "ann", "1")
    assert db("SELECT stage FROM submission") == [("offered",)]


def test_undo_of_a_submission_takes_the_candidate_back_out(ok, cli, desk, db):
    ok("submit", "bo", "1")
    r = cli("undo")  # off a terminal: --yes needed, nothing written
    assert r.exit_code == 2 and r.stderr.startswith("Error: The submission of Bo Chen")
    ok("undo", "--yes")
    assert db("SELECT COUNT(*) FROM submission") == [(0,)]
    assert db("SELECT COUNT(*) FROM delivery_call") == [(0,)]
    assert db("SELECT job_search FROM candidate WHERE id = 2") == [("looking",)]


def test_undo_takes_the_newest_of_a_call_and_a_move(ok, desk, db):
    ok("submit", "ann", "1", "--on", "2026-11-18")
    ok("log", "megan", "-c", "callback")  # after the submission: undone first
    ok("undo", "--yes")
    assert db("SELECT COUNT(*) FROM call") == [(0,)]
    assert db("SELECT COUNT(*) FROM submission") == [(1,)]
    ok("undo", "--yes")
    assert db("SELECT COUNT(*) FROM submission") == [(0,)]


def snapshot_rows(db):
    return (
        db("SELECT * FROM submission ORDER BY id"),
        db("SELECT * FROM delivery_call ORDER BY id"),
        db("SELECT status, closed_on, job_search FROM candidate ORDER BY id"),
    )
