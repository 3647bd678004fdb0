"""The sweep and the forecast on a shared store: each recruiter's own DMs, own load.

Every test runs as "Sam" (conftest sets CALLPLAN_USER); `--as Kim` is his colleague.
"""

from __future__ import annotations

from collections import Counter

import pytest

from tests.conftest import snapshot


def contacts(ok, n, *, who="Sam", prefix, on="2026-07-01", outcome="rejection"):
    """``n`` DMs ``who`` first spoke to ``on`` (so they are ``who``'s)."""
    for i in range(n):
        name = f"{prefix} {i:02d}"
        ok("dm", "add", name)
        ok("--as", who, "log", name, "-c", outcome, "--on", on)


def sweep(ok, *args, who=None):
    root = ["--as", who] if who else []
    return ok(*root, "sweep", "--json", *args).json


def forecast(ok, *args, who=None, capacity="4"):
    root = ["--as", who] if who else []
    return ok(*root, "forecast", "--json", *args, env={"CALLPLAN_CAPACITY": capacity}).json


def test_each_sweep_places_only_its_recruiters_dms_against_their_own_load(ok, db):
    contacts(ok, 3, prefix="Sam Old")
    contacts(ok, 2, who="Kim", prefix="Kim Old")
    # Kim's diary is full on the first days of the window; Sam's is empty.
    for i in range(4):
        ok("dm", "add", f"Kim Busy {i}")
        ok("--as", "Kim", "log", f"Kim Busy {i}", "-c", "callback", "--next", "today")
    mine = sweep(ok)
    assert mine["recruiter"] == "Sam" and mine["unowned"] == 0
    assert sorted(r["name"] for r in mine["swept"]) == ["Sam Old 00", "Sam Old 01", "Sam Old 02"]
    assert all(d["before"] == 0 for d in mine["days"])  # Kim's callbacks aren't Sam's load
    assert [r["due_on"] for r in mine["swept"]] == ["2026-11-23", "2026-11-24", "2026-11-25"]
    kims = sweep(ok, who="kim")  # matched as the store spells it
    assert kims["recruiter"] == "Kim"
    assert sorted(r["name"] for r in kims["swept"]) == ["Kim Old 00", "Kim Old 01"]
    assert kims["days"][0] == {"date": "2026-11-23", "before": 4, "calls": 4}
    assert [r["due_on"] for r in kims["swept"]] == ["2026-11-24", "2026-11-25"]
    # Each sweep wrote only its own: Sam's second sweep finds nothing left, nor Kim's.
    assert sweep(ok)["swept"] == [] and sweep(ok, who="Kim")["swept"] == []
    owners = db(
        "select owner, count(*) from decision_maker where due_reason = 'sweep' group by owner"
    )
    assert sorted(owners) == [("Kim", 2), ("Sam", 3)]


def test_advances_to_review_are_the_recruiters_own(ok):
    for who, name in (("Sam", "Sam Warm"), ("Kim", "Kim Warm")):
        ok("dm", "add", name)
        ok("--as", who, "log", name, "-a", "future-requirement", "--next", "2027-03-01")
    assert [r["name"] for r in sweep(ok)["review"]] == ["Sam Warm"]
    assert [r["name"] for r in sweep(ok, who="Kim")["review"]] == ["Kim Warm"]


def test_unowned_dms_spoken_to_are_reported_not_swept(ok, cli, db):
    contacts(ok, 2, prefix="Sam Old")
    contacts(ok, 3, prefix="Orphan")
    ok("dm", "add", "Pat Prospect")  # a prospect in the pool: not reported
    db("update decision_maker set owner = null where name like 'Orphan%'")  # as an old import
    data = sweep(ok, "--dry-run")
    assert data["unowned"] == 3
    assert {r["name"] for r in data["swept"]} == {"Sam Old 00", "Sam Old 01"}
    text = cli("sweep")
    assert text.exit_code == 0
    line = " ".join(text.stderr.split())
    assert (
        "3 DMs spoken to have no owner, so no one's sweep places them: hand them over with "
        "callplan dm assign DM --to NAME." in line
    )
    ok("dm", "assign", "Orphan 00", "--to", "Sam")
    after = sweep(ok)
    assert after["unowned"] == 2 and [r["name"] for r in after["swept"]] == ["Orphan 00"]
    ok("dm", "assign", "Orphan 01", "--to", "Kim")
    assert "1 DM spoken to has no owner" in " ".join(cli("sweep").stderr.split())


@pytest.mark.slow
def test_a_single_recruiters_sweep_is_as_before(ok):
    contacts(ok, 30, prefix="Contact")
    data = sweep(ok)
    assert data["recruiter"] == "Sam" and data["unowned"] == 0
    per_day = Counter(r["due_on"] for r in data["swept"])
    assert len(data["swept"]) == 30 and max(per_day.values()) - min(per_day.values()) <= 1


def test_the_forecast_counts_only_the_recruiters_own(ok):
    contacts(ok, 2, prefix="Sam Old", on="2026-09-01")  # cycle calls on Mon 30 Nov
    contacts(ok, 4, who="Kim", prefix="Kim Old", on="2026-09-01")
    ok("dm", "add", "Kim New")
    ok("--as", "Kim", "log", "Kim New", "-c", "objection")  # Kim's first conversation today
    mine = forecast(ok, "--days", "10")
    kims = forecast(ok, "--days", "10", who="Kim")
    assert mine["recruiter"] == "Sam" and kims["recruiter"] == "Kim"
    sam_days = {d["date"]: d for d in mine["days"]}
    kim_days = {d["date"]: d for d in kims["days"]}
    assert sam_days["2026-11-30"]["diarised"] == 2 and kim_days["2026-11-30"]["diarised"] == 4
    assert sam_days["2026-11-23"]["new"] == 2  # Kim's new DM isn't Sam's quota
    assert kim_days["2026-11-23"]["new"] == 1
    assert mine["days_over_capacity"] == 0 and kims["days_over_capacity"] == 1


def test_the_rebalance_moves_only_the_recruiters_own(store, ok, db):
    contacts(ok, 2, prefix="Sam Old", on="2026-09-01")
    contacts(ok, 4, who="Kim", prefix="Kim Old", on="2026-09-01")
    before = snapshot(store)
    sams = ok("forecast", "--rebalance", "--apply", env={"CALLPLAN_CAPACITY": "4"})
    assert "No day is over capacity (4)" in sams.stderr  # Sam: 2 + 2 new on Mon 30 Nov
    assert snapshot(store) == before
    kims = ok(
        "--as",
        "Kim",
        "forecast",
        "--rebalance",
        "--apply",
        "--json",
        env={"CALLPLAN_CAPACITY": "4"},
    ).json
    assert kims["recruiter"] == "Kim"
    moved = {m["name"] for m in kims["rebalance"]["moves"]}
    assert moved and moved <= {f"Kim Old {i:02d}" for i in range(4)}
    assert db(
        "select name, next_call_on from decision_maker where owner = 'Sam' order by name"
    ) == [("Sam Old 00", "2026-11-30"), ("Sam Old 01", "2026-11-30")]
