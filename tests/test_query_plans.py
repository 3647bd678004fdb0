"""The plan's and the sweep's queries use indexes: no full scan of DMs or calls."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from callplan import diary, repo
from callplan.config import Settings
from callplan.db import make_engine, session
from callplan.outcomes import OUTCOMES
from callplan.workdays import WorkCalendar

ON = date(2026, 11, 23)


def test_hot_queries_search_indexes(env):
    engine = make_engine(f"sqlite:///{env}")
    settings, calendar = Settings.defaults(), WorkCalendar(frozenset(range(5)))
    with session(engine, write=True) as s:  # a small store with a realistic mix
        for i in range(300):
            dm = repo.add_dm(
                s, name=f"Person {i}", company=f"Firm {i % 40}", tags=["sql"] if i % 5 else []
            )
            if i % 3:
                diary.log_call(
                    s,
                    dm=dm,
                    outcome=OUTCOMES["rejection"],
                    called_on=ON - timedelta(days=i % 150),
                    summary="s",
                    requested_next=None,
                    settings=settings,
                    calendar=calendar,
                )
        repo.add_job(s, title="DBA", company="Firm 1", fee=None, tags=["SQL"])
        repo.add_candidate(s, name="Ada", headline=None, tags=["sql"], available_on=None)
    with engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")

    selects: list[tuple[str, object]] = []

    def grab(conn, cursor, statement, params, context, executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            selects.append((statement, params))

    sa.event.listen(engine, "before_cursor_execute", grab)
    with session(engine, write=True) as s:
        dm = repo.find_dm(s, ref="person 7")
        diary.log_call(
            s,
            dm=dm,
            outcome=OUTCOMES["cv-review"],
            called_on=ON,
            summary="x",
            requested_next=None,
            settings=settings,
            calendar=calendar,
        )
        diary.plan_day(s, on=ON, settings=settings, calendar=calendar, limit=25)
        diary.sweep(s, on=ON, settings=settings, calendar=calendar, write=True)
    sa.event.remove(engine, "before_cursor_execute", grab)

    assert len(selects) >= 8
    with engine.connect() as conn:
        for statement, params in selects:
            plan = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params).fetchall()
            details = [row[-1] for row in plan]
            # A full scan, or a DM index used only for 'status = active' (nearly all rows).
            scans = [
                d
                for d in details
                if (d.startswith("SCAN") and "CONSTANT" not in d)
                or (d.startswith("SEARCH decision_maker") and d.endswith("(status=?)"))
            ]
            assert not scans, (" ".join(statement.split())[:200], details)
    engine.dispose()
