"""`callplan forecast`: the calls each working day ahead holds, and the rebalance.

The pure tests give hand-computed figures; the seeded store is checked against a simple
day-by-day calculation written here, independent of callplan's own code.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from callplan.core import forecast as fc
from callplan.core.config import Settings
from callplan.core.outcomes import Kind, types_of
from callplan.core.workdays import WorkCalendar, calendar_for
from tests.conftest import snapshot

MON_FRI = frozenset(range(5))
GB = calendar_for(MON_FRI, "GB-ENG")
PLAIN = WorkCalendar(MON_FRI)
TODAY = date(2026, 11, 23)  # a Monday


def settings(**overrides: object) -> Settings:
    return Settings.defaults(overrides)


def run(today=TODAY, days=60, diarised=None, undiarised=None, cal=GB, **kw):
    return fc.forecast(
        today=today,
        days=days,
        diarised=diarised or {},
        undiarised=undiarised or {},
        settings=kw.pop("s", settings()),
        calendar=cal,
        **kw,
    )


def by_date(f: fc.Forecast) -> dict[date, fc.Day]:
    return {d.on: d for d in f.days}


# --- the forecast, by hand ------------------------------------------------------------


@pytest.mark.no_store
def test_an_empty_store_holds_only_the_new_dm_quota():
    f = run()
    # 60 days from Mon 23 Nov 2026: 43 weekdays to Thu 21 Jan, less Christmas Day, the
    # Boxing Day substitute (Mon 28 Dec) and New Year's Day.
    assert len(f.days) == 41
    assert f.until == date(2027, 1, 22)
    for holiday in (date(2026, 12, 25), date(2026, 12, 28), date(2027, 1, 1)):
        assert holiday not in by_date(f)
    assert all((d.diarised, d.catch_ups, d.new, d.total) == (0, 0, 2, 2) for d in f.days)
    assert f.over_days == [] and f.busiest is not None and f.busiest.on == TODAY


@pytest.mark.no_store
def test_a_single_contact_with_nothing_diarised_is_a_catch_up_on_the_last_day_of_the_cycle():
    # Spoke on Tue 1 Sep: 90 days on is Mon 30 Nov.
    f = by_date(run(undiarised={date(2026, 9, 1): 1}))
    assert (f[date(2026, 11, 30)].catch_ups, f[date(2026, 11, 30)].total) == (1, 3)
    assert sum(d.catch_ups for d in f.values()) == 1


@pytest.mark.no_store
def test_a_cycle_ending_on_a_weekend_or_a_holiday_falls_due_on_the_working_day_before():
    undiarised = {
        date(2026, 9, 5): 1,  # limit Sat 5 Dec -> Fri 4 Dec
        date(2026, 9, 26): 1,  # limit Fri 25 Dec (Christmas) -> Thu 24 Dec
        date(2026, 9, 29): 1,  # limit Mon 28 Dec (Boxing Day observed) -> Thu 24 Dec
        date(2026, 10, 3): 1,  # limit Fri 1 Jan (New Year) -> Thu 31 Dec
    }
    f = by_date(run(undiarised=undiarised))
    assert f[date(2026, 12, 4)].catch_ups == 1
    assert f[date(2026, 12, 24)].catch_ups == 2
    assert f[date(2026, 12, 31)].catch_ups == 1


@pytest.mark.no_store
def test_late_calls_and_calls_on_non_working_days_count_on_the_next_working_day():
    diarised = {
        date(2026, 11, 2): 3,  # late: counts today
        date(2026, 11, 23): 1,
        date(2026, 11, 28): 2,  # a Saturday -> Mon 30 Nov
        date(2026, 12, 25): 4,  # Christmas -> Tue 29 Dec (28th is a holiday too)
        date(2027, 1, 22): 9,  # outside the window
    }
    f = by_date(run(diarised=diarised))
    assert f[TODAY].diarised == 4
    assert f[date(2026, 11, 30)].diarised == 2
    assert f[date(2026, 12, 29)].diarised == 4
    assert sum(d.diarised for d in f.values()) == 10


@pytest.mark.no_store
def test_a_cycle_already_run_out_falls_due_today():
    f = by_date(run(undiarised={date(2026, 1, 5): 2, date(2026, 8, 25): 1}))
    assert f[TODAY].catch_ups == 3  # Jan, and 25 Aug + 90 = Mon 23 Nov


@pytest.mark.no_store
def test_today_holds_what_is_left_of_the_quota():
    f = run(new_today=0)
    assert f.days[0].new == 0 and f.days[1].new == 2


@pytest.mark.no_store
def test_a_leap_year_window():
    # Sun 20 Feb 2028: the first working day is Mon 21; 29 Feb is a Tuesday.
    f = run(
        today=date(2028, 2, 20),
        days=14,
        diarised={date(2028, 2, 10): 1, date(2028, 2, 29): 2},
        undiarised={date(2027, 12, 1): 1},  # + 90 days = 29 Feb 2028
        cal=PLAIN,
    )
    days = by_date(f)
    assert [d.on.day for d in f.days] == [21, 22, 23, 24, 25, 28, 29, 1, 2, 3]
    assert days[date(2028, 2, 21)].diarised == 1  # late
    assert (days[date(2028, 2, 29)].diarised, days[date(2028, 2, 29)].catch_ups) == (2, 1)


@pytest.mark.no_store
def test_capacity_flags_the_days_over_it():
    s = settings(capacity=3)
    f = run(s=s, diarised={date(2026, 11, 24): 3, date(2026, 11, 25): 1})
    assert [(d.on, d.over) for d in f.over_days] == [(date(2026, 11, 24), 2)]
    assert f.busiest is not None and f.busiest.on == date(2026, 11, 24)


@pytest.mark.no_store
def test_no_working_day_in_the_window():
    f = run(today=date(2026, 11, 28), days=2, diarised={date(2026, 11, 1): 5})
    assert f.days == [] and f.busiest is None


# --- rebalance, by hand ---------------------------------------------------------------


def _day(on: date, fixed: int, flexible: int, cap: int, new: int = 0) -> fc.Day:
    return fc.Day(on, fixed + flexible, 0, new, cap, flexible)


@pytest.mark.no_store
def test_rebalance_moves_to_the_nearest_day_with_room_earlier_first():
    d = [date(2026, 11, 23) + timedelta(days=i) for i in range(5)]  # Mon-Fri
    before = fc.Forecast(
        d[0], d[4], 3, [_day(d[0], 1, 0, 3), _day(d[1], 3, 0, 3), _day(d[2], 2, 3, 3),
                        _day(d[3], 1, 0, 3), _day(d[4], 3, 0, 3)],
    )  # fmt: skip
    calls = [fc.Flexible(i, d[2], d[4]) for i in (1, 2, 3)]
    result = fc.rebalance(before, calls)
    # Wed has 5: Tue is full, so Thu (as near, and with room) takes two; Wed is then at 3.
    assert [(m.dm_id, m.to_on) for m in result.moves] == [(1, d[3]), (2, d[3])]
    assert [x.total for x in result.after.days] == [1, 3, 3, 3, 3]


@pytest.mark.no_store
def test_rebalance_never_passes_the_cycle_limit_nor_moves_fixed_calls():
    d = [date(2026, 11, 23) + timedelta(days=i) for i in range(5)]
    before = fc.Forecast(d[0], d[4], 2, [_day(x, 0, 0, 2) for x in d[:2]] + [
        _day(d[2], 4, 1, 2), _day(d[3], 0, 0, 2), _day(d[4], 0, 0, 2)])  # fmt: skip
    calls = [fc.Flexible(7, d[2], d[2])]  # its cycle ends Wed: earlier only
    result = fc.rebalance(before, calls)
    assert [(m.dm_id, m.from_on, m.to_on) for m in result.moves] == [(7, d[2], d[1])]
    assert result.after.days[2].total == 4  # the fixed calls stay


@pytest.mark.no_store
def test_flexible_reasons_are_cycle_calls_only():
    # An imported conversation's next call is the cycle's own: a cycle call.
    assert {"cycle", "sweep", "rejection", "imported"} == fc.FLEXIBLE_REASONS


# --- rebalance: properties ------------------------------------------------------------


@st.composite
def scenarios(draw):
    start = draw(st.dates(date(2026, 1, 1), date(2029, 12, 31)))
    cal = GB
    days = list(cal.working_days(start, start + timedelta(days=draw(st.integers(1, 40)))))
    cap = draw(st.integers(1, 8))
    calls = []
    fixed = {}
    for i, on in enumerate(days):
        fixed[on] = draw(st.integers(0, 8))
        for k in range(draw(st.integers(0, 6))):
            latest = on + timedelta(days=draw(st.integers(-10, 30)))
            calls.append(fc.Flexible(i * 100 + k, on, cal.previous_working(latest)))
    flex = {on: sum(c.on == on for c in calls) for on in days}
    before = fc.Forecast(
        start,
        start + timedelta(days=41),
        cap,
        [fc.Day(on, fixed[on] + flex[on], 0, draw(st.integers(0, 2)), cap, flex[on])
         for on in days],
    )  # fmt: skip
    return before, calls


@pytest.mark.no_store
@given(scenarios())
def test_rebalance_properties(scenario):
    before, calls = scenario
    result = fc.rebalance(before, calls)
    after = {d.on: d for d in result.after.days}
    latest = {c.dm_id: c.latest for c in calls}
    assert sum(d.total for d in before.days) == sum(d.total for d in after.values())
    for b in before.days:
        a = after[b.on]
        if b.total <= before.capacity:
            assert a.total <= before.capacity  # no day within capacity goes over
        assert a.over <= b.over
        assert a.total - a.flexible == b.total - b.flexible  # fixed calls stay put
    assert len({m.dm_id for m in result.moves}) == len(result.moves)
    for m in result.moves:
        assert m.dm_id in latest and m.to_on <= latest[m.dm_id]
        assert GB.is_working(m.to_on) and m.to_on in after
    # Nothing more could move: every day still over has no flexible call with a lighter
    # day within its limit.
    moved = {m.dm_id for m in result.moves}
    for c in calls:
        if c.dm_id in moved or after[c.on].over == 0:
            continue
        assert not any(
            d.total < before.capacity and d.on <= c.latest and d.on != c.on for d in after.values()
        )


# --- a seeded store against a simple calculation ------------------------------------

REASONS = ["cycle", "sweep", "rejection", "callback", "cv-review", "manual", "no-answer"]


def _generate(seed: int, n: int = 300):
    rng = random.Random(seed)
    dms = []
    for i in range(n):
        conv = rng.choice([0, 0, 1, 2, 5])
        last = TODAY - timedelta(days=rng.randint(0, 200)) if conv else None
        next_on = None if rng.random() < 0.3 else TODAY + timedelta(days=rng.randint(-20, 80))
        reason = rng.choice(REASONS) if next_on else None
        status = rng.choice(["active"] * 8 + ["archived", "dnc"])
        dms.append((i, status, conv, last, next_on, reason))
    return dms


def _expected(dms, today: date, days: int, cal: WorkCalendar, cycle: int = 90):
    """Day by day: where each DM's call lands, the plain way."""
    until = today + timedelta(days=days)
    diarised: dict[date, int] = {}
    catch_ups: dict[date, int] = {}

    def forward(d: date) -> date:
        d = max(d, today)
        while not cal.is_working(d):
            d += timedelta(days=1)
        return d

    for _, status, conv, last, next_on, reason in dms:
        if status != "active":
            continue
        if next_on is not None:
            if conv == 0 and reason in types_of(Kind.NO_CONNECT):
                continue
            d = forward(next_on)
            diarised[d] = diarised.get(d, 0) + 1
        elif conv:
            d = last + timedelta(days=cycle)
            while d > today and not cal.is_working(d):
                d -= timedelta(days=1)
            d = forward(d)
            catch_ups[d] = catch_ups.get(d, 0) + 1
    return {
        d: (diarised.get(d, 0), catch_ups.get(d, 0))
        for d in (today + timedelta(days=i) for i in range(days))
        if d < until and cal.is_working(d)
    }


def _store(dms):
    from sqlmodel import Session

    from callplan.core.paths import resolve_url
    from callplan.store.db import ensure_schema, make_engine
    from callplan.store.models import DecisionMaker

    engine = make_engine(resolve_url(None, __import__("os").environ))
    ensure_schema(engine)
    with Session(engine) as s:
        for i, status, conv, last, next_on, reason in dms:
            s.add(
                DecisionMaker(
                    name=f"DM {i}",
                    name_key=f"dm {i}",
                    status=status,
                    conversation_count=conv,
                    last_conversation_on=last,
                    next_call_on=next_on,
                    due_reason=reason,
                )
            )
        s.commit()
    return engine


@pytest.mark.parametrize("seed", [1, 7, 2026])
def test_a_seeded_store_matches_a_simple_calculation(seed):
    from sqlmodel import Session

    from callplan import services
    from callplan.core.desk import Desk

    dms = _generate(seed)
    engine = _store(dms)
    with Session(engine) as s:
        f = services.forecast.calls_ahead(s, Desk(settings(), GB, TODAY), days=60)
    engine.dispose()
    expected = _expected(dms, TODAY, 60, GB)
    assert {d.on: (d.diarised, d.catch_ups) for d in f.days} == expected
    assert all(d.new == 2 for d in f.days)
    assert sum(d.diarised + d.catch_ups for d in f.days) > 50  # the test tests something


@pytest.mark.parametrize("seed", [3, 11])
def test_a_seeded_rebalance_keeps_its_promises(seed):
    from sqlmodel import Session

    from callplan import services
    from callplan.core.desk import Desk

    dms = _generate(seed, 600)
    engine = _store(dms)
    s8 = settings(capacity=8)
    with Session(engine) as s:
        result = services.forecast.rebalance(s, Desk(s8, GB, TODAY), days=60, write=False)
    engine.dispose()
    assert result.moves
    info = {i + 1: (last, reason) for i, _, _, last, _, reason in dms}  # ids from 1
    for m in result.moves:
        last, reason = info[m.dm_id]
        assert reason in (None, "cycle", "sweep", "rejection")
        assert m.to_on <= GB.previous_working(last + timedelta(days=90))
    assert len(result.after.over_days) < len(result.before.over_days)


# --- the command ----------------------------------------------------------------------


def contacts(ok, n, *, on="2026-09-01", outcome="rejection", prefix="Contact"):
    for i in range(n):
        ok("dm", "add", f"{prefix} {i:02d}")
        ok("log", f"{prefix} {i:02d}", "-c", outcome, "--on", on)


def test_cli_empty_store_json(ok):
    data = ok("forecast", "--json").json
    assert data["date"] == "2026-11-23" and data["until"] == "2027-01-22"
    assert data["capacity"] == 25 and len(data["days"]) == 41
    assert data["total"] == 82 and data["days_over_capacity"] == 0
    assert data["days"][0] == {
        "date": "2026-11-23",
        "diarised": 0,
        "catch_ups": 0,
        "delivery": 0,
        "new": 2,
        "total": 2,
        "flexible": 0,
        "over": 0,
    }
    assert data["rebalance"] is None


def test_cli_a_prospect_with_only_attempts_adds_nothing(ok):
    ok("dm", "add", "Pat Prospect")
    ok("log", "pat", "-n", "no-answer", "--on", "2026-11-20")
    data = ok("forecast", "--json").json
    assert sum(d["diarised"] + d["catch_ups"] for d in data["days"]) == 0


def test_cli_figures(ok):
    contacts(ok, 2)  # rejection on Tue 1 Sep: the cycle call is Mon 30 Nov
    ok("dm", "add", "Cal Back")
    ok("log", "cal", "-c", "callback", "--next", "2026-11-25", "--on", "2026-11-20")
    ok("dm", "add", "Done Today")
    ok("log", "done", "-c", "objection", "--on", "2026-11-23")  # first conversation today
    days = {d["date"]: d for d in ok("forecast", "--json", "--days", "10").json["days"]}
    assert list(days) == [f"2026-11-{n}" for n in (23, 24, 25, 26, 27, 30)] + [
        "2026-12-01",
        "2026-12-02",
    ]
    assert days["2026-11-23"]["new"] == 1  # one of today's two already spoken to
    assert days["2026-11-25"]["diarised"] == 1 and days["2026-11-25"]["flexible"] == 0
    assert days["2026-11-30"]["diarised"] == 2 and days["2026-11-30"]["flexible"] == 2
    assert days["2026-11-30"]["total"] == 4


def test_cli_chart_fits_80_columns_and_flags_days_over(ok):
    contacts(ok, 4)
    result = ok("forecast", "--days", "14", env={"CALLPLAN_CAPACITY": "3"})
    lines = result.stdout.splitlines()
    assert lines[0] == "Calls per working day, Mon 23 Nov 2026 to Fri 4 Dec 2026 (capacity 3)"
    assert "█ diarised" in lines[1]
    row = next(line for line in lines if line.startswith("Mon 30 Nov"))
    assert row.endswith("6  over by 3") and "████░░" in row
    assert all(len(line) <= 80 for line in lines)
    assert "Over capacity (3) on 1 day, by 3 calls in all." in " ".join(result.stdout.split())


def test_cli_rebalance_dry_run_writes_nothing_and_apply_writes(store, ok, env: Path, db):
    contacts(ok, 4)
    capacity = {"CALLPLAN_CAPACITY": "3"}
    before = snapshot(store)
    dry = ok("forecast", "--rebalance", "--json", env=capacity).json
    assert snapshot(store) == before
    moves = [(m["id"], m["from"], m["to"]) for m in dry["rebalance"]["moves"]]
    # Mon 30 Nov holds 4 cycle calls + 2 new: three go to the nearest earlier days (their
    # cycle ends on the 30th, so never later).
    assert moves == [
        (1, "2026-11-30", "2026-11-27"),
        (2, "2026-11-30", "2026-11-26"),
        (3, "2026-11-30", "2026-11-25"),
    ]
    assert dry["rebalance"]["before"]["days_over_capacity"] == 1
    assert dry["rebalance"]["after"]["days_over_capacity"] == 0
    assert dry["rebalance"]["applied"] is False
    text = ok("forecast", "--rebalance", env=capacity)
    assert "Would move 3 calls" in text.stdout and "Dry run" in text.stderr
    assert snapshot(store) == before
    applied = ok("forecast", "--rebalance", "--apply", env=capacity)
    assert "Moved 3 calls." in applied.stderr
    assert db("select id, next_call_on, due_reason from decision_maker order by id") == [
        (1, "2026-11-27", "rejection"),
        (2, "2026-11-26", "rejection"),
        (3, "2026-11-25", "rejection"),
        (4, "2026-11-30", "rejection"),
    ]
    again = ok("forecast", "--json", env=capacity).json
    assert again["days_over_capacity"] == 0


def test_cli_rebalance_diarises_a_catch_up_as_a_cycle_call(ok, db):
    contacts(ok, 3)
    # As after a restore of an older export:
    db("update decision_maker set next_call_on = null, due_reason = null")
    ok("forecast", "--rebalance", "--apply", env={"CALLPLAN_CAPACITY": "3"})
    assert db("select next_call_on, due_reason from decision_maker order by id") == [
        ("2026-11-27", "cycle"),
        ("2026-11-26", "cycle"),
        (None, None),  # still a catch-up on Mon 30 Nov
    ]


@pytest.mark.parametrize(
    "args",
    [["--days", "0"], ["--days", "367"], ["--apply"], ["--days", "x"]],
)
def test_cli_bad_options(cli, args):
    result = cli("forecast", *args)
    assert result.exit_code == 2 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
