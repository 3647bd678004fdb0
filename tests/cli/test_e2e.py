"""End to end: the installed `callplan` command through a scripted fortnight.

A recruiter with 22 prospects and 4 old contacts works two weeks: sweeps on the first
morning, then every working day takes the plan, speaks to two new DMs (one needs a second
dial), and calls everyone due. The plan must follow the rules day after day.
"""

from __future__ import annotations

import json
import os
import subprocess
from datetime import date, timedelta

import pytest

from tests.conftest import console_script

FIRST_DAY = date(2026, 11, 2)  # a Monday


@pytest.fixture
def callplan(tmp_path, blank_store):
    exe = console_script()
    base = {k: v for k, v in os.environ.items() if not k.startswith("CALLPLAN_")}
    base.update(
        CALLPLAN_DB=blank_store.db,  # a new store: a file, or an empty database
        CALLPLAN_CONFIG=str(tmp_path / "config.toml"),
        CALLPLAN_COUNTRY="GB-ENG",
        COLUMNS="80",
    )

    def run(day: date, *args: str, expect: int = 0) -> subprocess.CompletedProcess[str]:
        env = {**base, "CALLPLAN_TODAY": day.isoformat()}
        r = subprocess.run([exe, *args], capture_output=True, text=True, env=env, timeout=60)
        assert r.returncode == expect, (args, r.stdout, r.stderr)
        assert "Traceback" not in r.stderr
        return r

    return run


@pytest.mark.slow
def test_a_fortnight(callplan):
    day = FIRST_DAY
    for i in range(22):
        callplan(
            day,
            "dm",
            "add",
            f"Prospect {i:02d}",
            "--company",
            f"Firm {i}",
            "--phone",
            f"020 7946 {i:04d}",
        )
    for i in range(4):
        callplan(day, "dm", "add", f"Old Contact {i}", "--company", "Legacy Ltd")
        callplan(day, "log", f"old contact {i}", "-c", "rejection", "--on", "2026-06-01")

    # First morning: the sweep spreads the four out-of-cycle contacts over the month.
    swept = json.loads(callplan(day, "sweep", "--json").stdout)["swept"]
    assert [s["due_on"] for s in swept] == ["2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05"]
    assert json.loads(callplan(day, "sweep", "--json").stdout)["swept"] == []

    retried: str | None = None
    spoken_new: list[str] = []
    while day < FIRST_DAY + timedelta(days=14):
        if day.weekday() >= 5:
            assert "not a working day" in callplan(day, "today").stdout
            day += timedelta(days=1)
            continue
        plan = json.loads(callplan(day, "today", "--json").stdout)
        new = [r["name"] for r in plan["new"]]
        due = [r["name"] for r in plan["due"]]
        assert len(new) == 2 and not set(new) & set(due)
        for row in plan["due"]:
            assert row["due_on"] <= day.isoformat()
        if retried:  # yesterday's unanswered prospect is retried before the oldest added
            assert new[0] == retried
            retried = None
        # The first new DM gives an advance; the second doesn't answer at first...
        callplan(day, "log", str(plan["new"][0]["id"]), "-a", "cv-review", "-s", "Send CVs")
        callplan(day, "log", str(plan["new"][1]["id"]), "-n", "no-answer")
        after = json.loads(callplan(day, "today", "--json").stdout)
        assert after["quota"]["remaining"] == 1 and len(after["new"]) == 1
        replacement = after["new"][0]
        assert replacement["name"] not in new  # ...so another prospect takes the slot
        callplan(day, "log", str(replacement["id"]), "-c", "callback", "--next", "+3d")
        spoken_new += [new[0], replacement["name"]]
        retried = new[1]
        # Everyone due gets called; advances are followed up, others go round the cycle.
        for row in plan["due"]:
            callplan(day, "log", str(row["id"]), "-c", "rejection")
        if day.day in (2, 9, 13):  # the plan is clear once everything is called
            done = json.loads(callplan(day, "today", "--json").stdout)
            assert done["quota"]["remaining"] == 0 and done["new"] == []
            assert done["due"] == []
        day += timedelta(days=1)

    contacts = json.loads(callplan(day, "dm", "list", "--status", "contact", "--json").stdout)
    names = {d["name"] for d in contacts["dms"]}
    assert set(spoken_new) <= names
    assert len(spoken_new) == 20  # two new DMs a day for ten working days
    # Nobody spoken to is left more than the cycle away from their next call.
    for dm in contacts["dms"]:
        assert dm["due_on"] is not None
        assert date.fromisoformat(dm["due_on"]) <= date.fromisoformat(
            dm["last_spoke_on"]
        ) + timedelta(days=90)
    # The old contacts were each called on their sweep day and are back in the cycle.
    for i in range(4):
        shown = json.loads(callplan(day, "dm", "show", f"old contact {i}", "--json").stdout)
        assert shown["dm"]["conversations"] == 2
    # The fortnight reads well as a table at 80 columns.
    out = callplan(day, "today").stdout
    assert all(len(line) <= 80 for line in out.splitlines())
