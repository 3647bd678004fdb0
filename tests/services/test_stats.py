"""`callplan stats`: every figure against an independent count over a known history.

The seeded generator logs a year and more of calls through services.calls.log_call; the expected
figures are recomputed here in plain Python from the generator's own list of calls.
"""

from __future__ import annotations

import random
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from callplan import services
from callplan.core.config import Settings
from callplan.core.desk import Desk
from callplan.core.outcomes import OUTCOMES, Kind
from callplan.core.workdays import WorkCalendar, calendar_for
from callplan.store import queries
from callplan.store.db import make_engine, session
from callplan.store.queries import progress, stats
from callplan.store.queries.common import Cycles

TODAY = date(2026, 11, 23)  # a Monday
GB = calendar_for(frozenset(range(5)), "GB-ENG")
PLAIN = WorkCalendar(frozenset(range(5)))
TYPES = [t for t, o in OUTCOMES.items() if t != "left-company" and o.loggable]

CYCLE_90 = Cycles(90, {}, ())  # everyone on a 90-day cycle


@dataclass(frozen=True)
class Event:
    dm: int
    on: date
    outcome: str

    @property
    def conversation(self) -> bool:
        return OUTCOMES[self.outcome].kind.is_conversation


def history(seed: int, *, dms: int = 40, start: date = date(2025, 6, 1)) -> list[Event]:
    """Each DM: a few attempts or conversations at random gaps; some only ever attempts."""
    rnd = random.Random(seed)
    events = []
    for i in range(dms):
        day = start + timedelta(days=rnd.randrange(0, (TODAY - start).days))
        only_attempts = rnd.random() < 0.15
        while day <= TODAY:
            if only_attempts:
                kind = Kind.NO_CONNECT
            else:
                kind = rnd.choice(
                    [Kind.ADVANCE, Kind.CONTINUATION, Kind.CONTINUATION, Kind.NO_CONNECT]
                )
            outcome = rnd.choice([t for t in TYPES if OUTCOMES[t].kind is kind])
            events.append(Event(i, day, outcome))
            day += timedelta(days=rnd.randrange(1, 130))
    return sorted(events, key=lambda e: (e.on, e.dm))


def build(store, events: list[Event], *, calendar: WorkCalendar = GB) -> dict[int, int]:
    """Log the events through the project's own code; returns generator index -> DM id."""
    engine = make_engine(store.url)
    settings = Settings.defaults()
    ids: dict[int, int] = {}
    with session(engine, write=True) as s:
        for e in events:
            if e.dm not in ids:
                dm = queries.dms.add_dm(s, name=f"Person {e.dm}", company=f"Firm {e.dm % 7}")
                assert dm.id is not None
                ids[e.dm] = dm.id
            dm = queries.dms.find_dm(s, ref=str(ids[e.dm]))
            services.calls.log_call(
                s,
                Desk(settings, calendar, today=e.on),
                dm=dm,
                outcome=OUTCOMES[e.outcome],
                called_on=e.on,
                summary=None,
                requested_next=None,
            )
    engine.dispose()
    return ids


def compute(store, period, *, quota=2, cycle=90, calendar=GB, today=TODAY):
    engine = make_engine(store.url)
    with session(engine) as s:
        report = stats.report(
            s,
            period=period,
            quota=quota,
            cycles=Cycles(cycle, {}, ()),
            calendar=calendar,
            today=today,
        )
    engine.dispose()
    return report


def explain(store, figure, period, *, quota=2, calendar=GB, today=TODAY):
    engine = make_engine(store.url)
    with session(engine) as s:
        found = stats.explain(
            s,
            figure,
            period=period,
            quota=quota,
            cycles=CYCLE_90,
            calendar=calendar,
            today=today,
        )
    engine.dispose()
    return found


# --- the seeded history, against an independent count -----------------------------------


@pytest.mark.slow  # a generated history per seed
@pytest.mark.parametrize("seed", [1, 7, 2026])
def test_every_figure_matches_a_plain_count_of_the_generated_calls(store, seed):
    events = history(seed)
    build(store, events)
    end, start = TODAY, TODAY - timedelta(days=29)
    period = stats.Period(start, end)
    r = compute(store, period)

    convs = [e for e in events if e.conversation]
    numbered: list[tuple[Event, int]] = []
    seen: Counter[int] = Counter()
    for e in convs:  # events are in date order, one call per DM a day
        seen[e.dm] += 1
        numbered.append((e, seen[e.dm]))
    first = {e.dm: e.on for e, n in numbered if n == 1}
    last = {e.dm: e.on for e, _ in numbered}
    in_period = [e for e in events if start <= e.on <= end]

    # New-DM habit
    per_day = Counter(first.values())
    working = [d for d in (start + timedelta(days=i) for i in range(30)) if GB.is_working(d)]
    assert r.habit.working_days == len(working)
    assert r.habit.new_dms == sum(1 for d in first.values() if start <= d <= end)
    assert r.habit.days_on_quota == sum(1 for d in working if per_day[d] >= 2)
    streak, d = 0, TODAY if per_day[TODAY] >= 2 else GB.previous_working(TODAY, inclusive=False)
    while per_day[d] >= 2:
        streak += 1
        d = GB.previous_working(d, inclusive=False)
    assert r.habit.streak == streak

    # Contact base
    assert r.base.size == len(first)
    assert r.base.year_to_date == sum(1 for d in first.values() if d.year == 2026)
    assert sum(w["new"] for w in r.base.weekly) == sum(
        1 for d in first.values() if d >= r.base.weekly[0]["week"]
    )

    # Cycle health (no DM is archived in this history)
    assert r.cycle.active == len(last)
    assert r.cycle.within == sum(1 for d in last.values() if (end - d).days <= 90)
    assert r.cycle.overdue == sum(1 for d in last.values() if (end - d).days > 90)
    if r.cycle.overdue:
        assert r.cycle.overdue_days_max == max((end - d).days - 90 for d in last.values())
    assert sum(r.cycle.overdue_by.values()) == r.cycle.overdue
    old = [dm for dm, d in first.items() if d <= end - timedelta(days=365)]
    recent = Counter(e.dm for e in convs if e.on > end - timedelta(days=365))
    assert r.cycle.full_year == len(old)
    assert r.cycle.four_a_year == sum(1 for dm in old if recent[dm] >= 4)

    # Persistence
    eligible = [dm for dm, d in first.items() if d < end - timedelta(days=90)]
    assert r.persistence.first_conversations == len(eligible)
    assert r.persistence.second == sum(1 for dm in eligible if seen[dm] >= 2)
    by_number = Counter(
        min(n, 5) for e, n in numbered if start <= e.on <= end and e.outcome in ADVANCES
    )
    assert r.persistence.advances_by_number == {
        "1": by_number[1],
        "2": by_number[2],
        "3": by_number[3],
        "4": by_number[4],
        "5+": by_number[5],
    }

    # Outcomes
    kinds = Counter(OUTCOMES[e.outcome].kind for e in in_period)
    assert r.outcomes.advances == kinds[Kind.ADVANCE]
    assert r.outcomes.continuations == kinds[Kind.CONTINUATION]
    assert r.outcomes.attempts == kinds[Kind.NO_CONNECT]
    types = Counter(e.outcome for e in in_period)
    for kind, counts in r.outcomes.by_type.items():
        for t, n in counts.items():
            assert n == types[t], (kind, t)
    assert sum(x["conversations"] for x in r.outcomes.reasons) == r.outcomes.conversations

    # Explain lists exactly what each figure counts
    assert len(explain(store, "new-dms", period).rows) == r.habit.new_dms
    assert len(explain(store, "base", period).rows) == r.base.size
    assert len(explain(store, "overdue", period).rows) == r.cycle.overdue
    assert len(explain(store, "within-cycle", period).rows) == r.cycle.within
    assert len(explain(store, "four-a-year", period).rows) == r.cycle.full_year
    assert len(explain(store, "second-call-rate", period).rows) == len(eligible)
    assert len(explain(store, "advances", period).rows) == r.outcomes.advances
    assert len(explain(store, "advances-5th-plus", period).rows) == by_number[5]
    assert len(explain(store, "connect-rate", period).rows) == len(in_period)
    assert len(explain(store, "streak", period).rows) == sum(
        per_day[d] for d in stats.streaks(per_day, today=TODAY, quota=2, calendar=GB).current
    )


ADVANCES = {t for t, o in OUTCOMES.items() if o.kind is Kind.ADVANCE}


# --- hand-computed cases -----------------------------------------------------------------


@pytest.mark.parametrize("seed", [3, 8])
def test_the_month_before_is_the_headline_of_its_full_report(store, seed):
    """`stats --month` shows last month's headline figures from a lighter computation:
    it must give what the whole report for that month gives."""
    build(store, history(seed))
    engine = make_engine(store.url)
    with session(engine) as s:
        for month in ("2026-10", "2026-02", "2025-12"):
            period = stats.month_period(month, today=TODAY)
            full = stats.report(
                s, period=period, quota=2, cycles=CYCLE_90, calendar=GB, today=TODAY
            )
            light = stats.headline(s, period=period, quota=2, cycles=CYCLE_90, calendar=GB)
            assert light == full.headline(), month
            assert full.headline()["conversations"] > 0 or month == "2025-12"
    engine.dispose()


def test_an_empty_store_gives_zeros_and_no_rates(store):
    r = compute(store, stats.period(today=TODAY, start=None, end=None))
    assert (r.habit.new_dms, r.habit.streak, r.habit.best_streak) == (0, 0, 0)
    assert r.habit.working_days == 21 and r.habit.per_working_day == 0.0
    assert r.base.size == 0 and r.base.projected == 0
    assert r.cycle.within_share is None and r.cycle.overdue_days_max is None
    assert r.persistence.second_call_rate is None and r.persistence.fifth_plus_share is None
    assert r.outcomes.advance_rate is None and r.outcomes.connect_rate is None


def test_a_single_dm(store):
    build(store, [Event(0, date(2026, 11, 20), "cv-review")])
    period = stats.Period(date(2026, 11, 1), TODAY)
    r = compute(store, period, quota=1)
    assert r.habit.new_dms == 1 and r.base.size == 1
    # Today (Monday) isn't on quota yet: the streak counts from Friday, which was.
    assert r.habit.streak == 1 and r.habit.best_streak == 1
    assert r.habit.best_streak_ended == date(2026, 11, 20)
    assert r.cycle.active == 1 and r.cycle.within == 1 and r.cycle.overdue == 0
    assert r.persistence.advances_by_number["1"] == 1 and r.persistence.fifth_plus_share == 0
    assert r.outcomes.advance_rate == 1.0 and r.outcomes.connect_rate == 1.0
    assert r.outcomes.reasons == [
        {"reason": "new", "label": "new DM", "conversations": 1, "advances": 1}
    ]
    assert compute(store, period, quota=2).habit.streak == 0


def test_a_dm_with_only_attempts_is_not_in_the_base(store):
    build(store, [Event(0, date(2026, 11, d), "no-answer") for d in (16, 17, 18)])
    r = compute(store, stats.Period(date(2026, 11, 1), TODAY))
    assert r.base.size == 0 and r.habit.new_dms == 0 and r.cycle.active == 0
    assert r.outcomes.attempts == 3 and r.outcomes.conversations == 0
    assert r.outcomes.connect_rate == 0.0 and r.outcomes.attempts_per_conversation is None
    assert explain(store, "base", stats.Period(date(2026, 11, 1), TODAY)).rows == []


def test_a_leap_year(store):
    # Two new DMs a day from Tue 27 Feb to Fri 1 Mar 2024, through Thu 29 Feb.
    days = [date(2024, 2, 27), date(2024, 2, 28), date(2024, 2, 29), date(2024, 3, 1)]
    build(store, [Event(i * 2 + j, d, "callback") for i, d in enumerate(days) for j in (0, 1)])
    end = date(2024, 3, 1)
    r = compute(store, stats.Period(date(2024, 2, 1), end), today=end)
    assert r.habit.streak == 4 and r.habit.new_dms == 8
    assert {w["week"]: w["new"] for w in r.base.weekly}[date(2024, 2, 26)] == 8
    # 2024: 262 weekdays less 8 bank holidays in England, all on weekdays: 254 working days.
    assert r.base.year_target == 2 * 254
    # To 1 March: 23 weekdays in January, 21 in February, Fri 1 March: 45, less New
    # Year's Day: 44 working days.
    assert r.base.expected_to_date == 2 * 44
    # A year on (2025-03-01 is 366 days after 2024-02-29): the 365-day window has none.
    later = compute(store, stats.Period(date(2025, 2, 1), date(2025, 3, 1)), today=date(2025, 3, 3))
    assert later.cycle.full_year == 8 and later.cycle.four_a_year == 0


def test_a_bank_holiday_neither_counts_nor_breaks_a_streak(store):
    # Thu 24 Dec 2026, then Christmas (Fri 25) and Boxing Day observed (Mon 28), Tue 29.
    days = [date(2026, 12, 23), date(2026, 12, 24), date(2026, 12, 29)]
    events = [Event(i * 2 + j, d, "callback") for i, d in enumerate(days) for j in (0, 1)]
    build(store, events)
    end = date(2026, 12, 29)
    r = compute(store, stats.Period(date(2026, 12, 21), end), today=end)
    assert r.habit.streak == 3
    assert r.habit.working_days == 5  # Mon 21 to Thu 24, Tue 29
    plain = compute(store, stats.Period(date(2026, 12, 21), end), today=end, calendar=PLAIN)
    assert plain.habit.streak == 1  # without the holidays, Fri 25 and Mon 28 break it


@pytest.mark.parametrize("days", [3, 70, 150])
def test_todays_progress_reads_a_bounded_window_yet_counts_a_long_streak_whole(store, days):
    """`today` reads eight weeks of first conversations, and further back only while
    the streak reaches the edge: a 150-working-day streak is counted whole, and a
    first conversation before a broken day is not."""
    on = TODAY
    streak = list(GB.working_days(on - timedelta(days=400), on + timedelta(days=1)))[-days:]
    before = streak[0] - timedelta(days=1)
    while not GB.is_working(before):
        before -= timedelta(days=1)
    gap = before  # a working day with one first conversation: below the quota of 2
    events = [Event(i * 2 + j, d, "callback") for i, d in enumerate(streak) for j in (0, 1)]
    events.append(Event(10_000, gap, "callback"))
    build(store, events)
    engine = make_engine(store.url)
    with session(engine) as s:
        p = progress.progress(s, on=on, quota=2, cycles=CYCLE_90, calendar=GB)
    engine.dispose()
    assert p.streak == days
    assert p.today == 2
    assert p.week == 2  # Monday only
    naive = stats.streaks({d: 2 for d in streak} | {gap: 1}, today=on, quota=2, calendar=GB).current
    assert len(naive) == p.streak


@pytest.mark.no_store
def test_streaks_are_a_pure_function_of_the_days():
    mon = date(2026, 11, 2)
    counts = {mon + timedelta(days=i): n for i, n in enumerate([2, 2, 0, 2, 2, 0, 0, 2, 3, 2])}
    found = stats.streaks(counts, today=mon + timedelta(days=9), quota=2, calendar=PLAIN)
    # Mon-Tue on quota, Wed not, Thu-Fri on, the weekend skipped, Mon-Wed on: 5 in a row.
    assert len(found.current) == 5 and len(found.best) == 5
    assert stats.streaks(counts, today=mon, quota=0, calendar=PLAIN).current == ()


def test_erased_people_are_a_footnote_not_a_figure(store):
    build(store, [Event(0, date(2026, 11, 20), "callback")])
    store.query(
        "INSERT INTO erasure (erased_on, reason, calls, conversations)"
        " VALUES ('2026-11-01', 'request', 3, 2), ('2026-11-02', 'request', 1, 1)"
    )
    r = compute(store, stats.Period(date(2026, 11, 1), TODAY))
    assert r.base.erased_on_request == 2 and r.base.size == 1


def test_hooks_and_reasons_behind_advances(store, ok):
    ok("dm", "add", "Jane Smith", "--company", "Acme")
    ok("job", "add", "Senior DBA", "--company", "Acme")
    ok("log", "jane", "--continuation", "callback", "--on", "2026-11-16")
    ok("log", "jane", "--advance", "cv-review", "--hook", "job:1", "--on", "2026-11-18")
    o = compute(store, stats.Period(date(2026, 11, 1), TODAY)).outcomes
    assert o.hooks == [{"hook": "job:1", "title": "Senior DBA", "conversations": 1, "advances": 1}]
    assert o.advances_with_hook == 1
    assert {r["label"]: (r["conversations"], r["advances"]) for r in o.reasons} == {
        "new DM": (1, 0),
        "callback agreed": (1, 1),
    }


# --- the command -------------------------------------------------------------------------


def test_stats_fits_80_columns_and_json_has_the_same_numbers(store, ok):
    build(store, history(3))
    text = ok("stats").stdout
    assert "New-DM habit" in text and "Persistence" in text
    assert max(len(line) for line in text.splitlines()) <= 80
    data = ok("stats", "--json").json
    assert data["from"] == "2026-10-25" and data["to"] == "2026-11-23"
    assert set(data) >= {"habit", "base", "cycle", "persistence", "outcomes"}
    r = compute(store, stats.Period(date(2026, 10, 25), TODAY))
    assert data["cycle"]["overdue"] == r.cycle.overdue
    assert data["habit"]["streak"] == r.habit.streak
    assert data["persistence"]["second_call_rate"] == r.persistence.second_call_rate


def test_explain_lists_the_dms_and_an_unknown_figure_is_one_line(store, ok, cli):
    build(store, history(5))
    data = ok("stats", "--explain", "overdue", "--json").json
    assert data["figure"] == "overdue"
    assert len(data["rows"]) == ok("stats", "--json").json["cycle"]["overdue"]
    assert "overdue" in ok("stats", "--explain", "overdue").stdout
    bad = cli("stats", "--explain", "happiness")
    assert bad.exit_code == 2 and bad.stdout == ""
    assert bad.stderr.count("\n") == 1 and "second-call-rate" in bad.stderr


def test_every_figure_in_the_table_explains_itself_in_the_documented_shape(store, ok):
    build(store, history(5, dms=60, start=date(2025, 1, 1)))
    ok("dm", "add", "Jane Smith", "--company", "Acme")
    ok("job", "add", "Senior DBA", "--company", "Acme")
    ok("log", "jane", "-n", "no-answer", "--on", "2026-11-16", "--purpose", "book-meeting")
    ok("log", "jane", "--advance", "cv-review", "--hook", "job:1", "--on", "2026-11-18")
    guide = (Path(__file__).parents[2] / "docs" / "guide.md").read_text(encoding="utf-8")
    for name, figure in stats.FIGURES.items():
        assert f"`{name}`" in guide, name  # the guide's table of figures names it
        data = ok("stats", "--explain", name, "--json").json
        assert list(data) == ["figure", "description", "from", "to", "rows"], name
        assert (data["figure"], data["description"]) == (name, figure.description)
        assert (data["from"], data["to"]) == ("2026-10-25", "2026-11-23")
        assert data["rows"] or name in ("streak", "best-streak"), name
        for row in data["rows"]:
            assert list(row) == ["id", "name", "company", "date", "detail"], name
            assert isinstance(row["id"], int) and isinstance(row["name"], str), name
            assert isinstance(row["company"], str | None), name
            assert date.fromisoformat(row["date"]) <= TODAY, name
            assert isinstance(row["detail"], str) and row["detail"], name


def test_svg_is_a_parseable_image(store, ok, tmp_path):
    build(store, history(4))
    path = tmp_path / "stats.svg"
    ok("stats", "--svg", str(path))
    root = ET.fromstring(path.read_text(encoding="utf-8"))
    assert root.tag.endswith("svg")
    assert "Persistence" in path.read_text(encoding="utf-8")


def test_a_month_for_a_one_to_one(store, ok):
    build(store, history(6))
    data = ok("stats", "--month", "2026-10", "--json").json
    assert (data["from"], data["to"], data["month"]) == ("2026-10-01", "2026-10-31", "2026-10")
    assert data["previous"]["month"] == "2026-09"
    text = ok("stats", "--month", "2026-10").stdout
    assert text.startswith("One-to-one: October 2026") and "last month" in text
    current = ok("stats", "--month", "2026-11", "--json").json
    assert current["to"] == "2026-11-23"


@pytest.mark.parametrize(
    "args",
    [
        ["--month", "2026-13"],
        ["--month", "0001-01"],
        ["--month", "1900-01"],
        ["--month", "2027-01"],
        ["--month", "2026-11", "--from", "2026-11-01"],
        ["--from", "2026-11-20", "--to", "2026-11-10"],
        ["--to", "2026-12-01"],
        ["--from", "someday"],
        ["--svg", "x.svg", "--json"],
    ],
)
def test_bad_input_is_one_error_line_and_exit_2(cli, args):
    r = cli("stats", *args)
    assert r.exit_code == 2, r.stderr
    assert r.stderr.startswith("Error: ") and r.stderr.count("\n") == 1


@pytest.mark.no_store
def test_drawing_helpers():
    from callplan.cli.stats import bar, sparkline

    assert sparkline([0, 1, 4, 8]) == "·▁▄█"
    assert bar(1, 100, 10) == "█" and bar(0, 5) == "" and bar(5, 5, 10) == "█" * 10


@pytest.mark.no_store
def test_dates_and_defaults():
    p = stats.period(today=TODAY, start=None, end=None)
    assert (p.start, p.end, p.days) == (date(2026, 10, 25), TODAY, 30)
    feb = stats.month_period("2024-02", today=TODAY)
    assert (feb.start, feb.end) == (date(2024, 2, 1), date(2024, 2, 29))


def test_by_day_query_groups_in_sql(store):
    build(store, [Event(i, date(2026, 11, 20), "callback") for i in range(3)])
    engine = make_engine(store.url)
    with session(engine) as s:
        assert stats.first_conversations_by_day(s, end=TODAY) == {date(2026, 11, 20): 3}
    engine.dispose()


@pytest.mark.no_store
@settings(max_examples=200)
@given(
    counts=st.lists(st.integers(0, 3), min_size=1, max_size=40),
    holidays=st.sets(st.integers(0, 39), max_size=6),
    quota=st.integers(1, 3),
)
def test_the_current_streak_is_a_walk_back_over_working_days(counts, holidays, quota):
    start = date(2024, 2, 19)  # a Monday; the range crosses 29 February
    days = [start + timedelta(days=i) for i in range(len(counts))]
    calendar = WorkCalendar(frozenset(range(5)), {days[i] for i in holidays if i < len(days)})
    by_day = dict(zip(days, counts, strict=True))
    today = days[-1]
    found = stats.streaks(by_day, today=today, quota=quota, calendar=calendar)
    # The naive walk: back from today (or the working day before, if today is short).
    run = []
    d = today
    if not calendar.is_working(d) or by_day[d] < quota:
        d = calendar.previous_working(d, inclusive=False)
    while d >= start and by_day.get(d, 0) >= quota:
        run.append(d)
        d = calendar.previous_working(d, inclusive=False)
    assert list(found.current) == run[::-1]
    assert len(found.best) >= len(found.current)
    assert all(by_day[d] >= quota and calendar.is_working(d) for d in found.best)


def test_a_long_period_still_fits_80_columns(store, ok):
    build(store, history(8))
    text = ok("stats", "--from", "2025-06-01").stdout
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "last 30 weeks" in text
