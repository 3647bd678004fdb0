"""End to end: the installed `callplan` command through a fortnight of one job, from the
live requirement to the placement (issue 18).

Megan Price gives a .NET role on Mon 16 Nov 2026; two candidates are put forward; the
client's feedback is chased by phone until it comes; Ann interviews, is offered and
placed; the check-in calls follow her start. Each morning's plan must hold exactly the
calls the stages planned, never taking a new-DM slot, and the week's numbers must count
what happened.
"""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from tests.conftest import console_script


@pytest.fixture
def callplan(tmp_path, blank_store):
    exe = console_script()
    base = {k: v for k, v in os.environ.items() if not k.startswith("CALLPLAN_")}
    base.update(
        CALLPLAN_DB=blank_store.db,
        CALLPLAN_CONFIG=str(tmp_path / "config.toml"),
        CALLPLAN_COUNTRY="GB-ENG",
        CALLPLAN_USER="Sam",
        COLUMNS="80",
    )

    def run(day: str, *args: str) -> subprocess.CompletedProcess[str]:
        env = {**base, "CALLPLAN_TODAY": day}
        r = subprocess.run([exe, *args], capture_output=True, text=True, env=env, timeout=60)
        assert r.returncode == 0, (day, args, r.stdout, r.stderr)
        assert "Traceback" not in r.stderr
        return r

    return run


def plan(callplan, day: str) -> list[tuple[str, str, str]]:
    """The morning's candidates & delivery calls: (who, what for, HH:MM or '')."""
    rows = json.loads(callplan(day, "today", "--json").stdout)["delivery"]
    return [(r["name"], r["purpose"], r["time"] or "") for r in rows]


@pytest.mark.slow
def test_one_job_from_live_requirement_to_placement(callplan):
    # Mon 16: the job, from the call that gave it; two candidates put forward.
    mon = "2026-11-16"
    callplan(mon, "dm", "add", "Megan Price", "--company", "Leeds Digital",
             "--phone", "0113 496 0101")  # fmt: skip
    out = callplan(mon, "log", "megan", "-a", "live-requirement",
                   "--job", "Senior .NET Developer", "--tag", "dotnet").stdout  # fmt: skip
    assert "Added job:1 Senior .NET Developer for Megan Price." in out
    callplan(mon, "candidate", "add", "Ann Lee", "--phone", "07700 900101", "--tag", "dotnet")
    callplan(mon, "candidate", "add", "Bo Chen", "--phone", "07700 900102", "--tag", "dotnet")
    callplan(mon, "submit", "ann", "job:1")
    callplan(mon, "submit", "bo", "job:1")
    assert plan(callplan, "2026-11-17") == []

    # Wed 18: the CV feedback chase, one call for both CVs' answers; no answer yet.
    assert plan(callplan, "2026-11-18") == [
        ("Megan Price", "cv-feedback", ""),
        ("Megan Price", "cv-feedback", ""),
    ]
    quota = json.loads(callplan("2026-11-18", "today", "--json").stdout)["quota"]
    assert quota == {"per_day": 2, "spoken_today": 0, "remaining": 2}
    callplan("2026-11-18", "log", "megan", "-c", "callback", "-s", "Still reading them")
    assert plan(callplan, "2026-11-19") == []

    # Fri 20: chased again; the answer comes: Ann to interview Tue 24 at 10:00, not Bo.
    assert plan(callplan, "2026-11-20")[0] == ("Megan Price", "cv-feedback", "")
    fri = "2026-11-20"
    callplan(fri, "log", "megan", "-a", "meeting", "-s", "Ann Tue 10am; Bo not for them")
    callplan(fri, "interview", "ann", "1", "--at", "tue 10:00")
    callplan(fri, "withdrawn", "bo", "1")

    # Mon 23: Ann's prep. Tue 24: her feedback first, then the client's.
    assert plan(callplan, "2026-11-23") == [("Ann Lee", "interview-prep", "")]
    callplan("2026-11-23", "log", "candidate:1", "-c", "update-given", "-s", "Prepped")
    assert plan(callplan, "2026-11-24") == [
        ("Ann Lee", "interview-feedback", "11:00"),
        ("Megan Price", "interview-feedback", "11:00"),
    ]
    tue = "2026-11-24"
    callplan(tue, "log", "candidate:1", "-c", "interview-feedback", "-s", "Loved the team")
    callplan(tue, "log", "megan", "-c", "callback", "-s", "Deciding Thursday")

    # Thu 26: the client's feedback chase is back; an offer, calls to both sides.
    assert plan(callplan, "2026-11-26") == [("Megan Price", "interview-feedback", "")]
    thu = "2026-11-26"
    callplan(thu, "offer", "ann", "1")
    assert plan(callplan, thu) == [("Ann Lee", "offer", ""), ("Megan Price", "offer", "")]
    callplan(thu, "log", "candidate:1", "-a", "offer-accepted")
    callplan(thu, "log", "megan", "-a", "terms", "-s", "Signed at 20%")
    assert plan(callplan, thu) == []

    # Fri 27: placed, starting Mon 7 Dec: check-in calls three working days on.
    callplan("2026-11-27", "placed", "ann", "1", "--starts", "2026-12-07", "--fee", "20%")
    assert plan(callplan, "2026-12-09") == []
    assert plan(callplan, "2026-12-10") == [
        ("Ann Lee", "start-check-in", ""),
        ("Megan Price", "start-check-in", ""),
    ]
    shown = json.loads(callplan("2026-12-10", "candidate", "show", "1", "--json").stdout)
    assert shown["candidate"]["job_search"] == "placed"

    # The fortnight's numbers.
    stats = json.loads(callplan("2026-11-27", "stats", "--from", "2026-11-16", "--json").stdout)
    d = stats["delivery"]
    assert (d["cvs_sent"], d["interviews"], d["offers"], d["placements"]) == (2, 1, 1, 1)
    assert d["fees"] == ["20%"]
    assert (d["feedback_received"], d["chases_to_feedback"]) == (2, 2.0)
    # The CV chases due Wed 18 (both rung that day) and the interview feedback due Tue 24
    # (rung that day); none let slip.
    assert (d["chases_due"], d["chased_on_time"]) == (3, 3)
    assert stats["habit"]["new_dms"] == 1  # Megan: the delivery calls were no new DMs
