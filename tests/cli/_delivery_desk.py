"""A desk with delivery under way, built through the models and services (the candidate
commands are another change's): two client DMs, their jobs, candidates with their
details, calls to them, and a submission at every stage with the calls each planned.
Today is Mon 23 Nov 2026."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from sqlmodel import select

from callplan import services
from callplan.core import delivery
from callplan.core.config import Settings
from callplan.core.desk import Desk
from callplan.core.workdays import WorkCalendar
from callplan.store.db import make_engine, session
from callplan.store.models import Candidate, CandidateCall, DecisionMaker, Job

TODAY = date(2026, 11, 23)
CALENDAR = WorkCalendar(frozenset(range(5)), {})

# Each candidate: name, phone, email, and the DM who referred them (by name).
PEOPLE = (
    ("Ola Berg", "07700 900101", "ola@example.org", None),
    ("Sam Reid", "07700 900102", None, "Raj Patel"),
    ("Tia Moss", None, "tia.moss@example.net", None),
    ("Ben Cole", "07700 900104", "ben@example.com", "Raj Patel"),
    ("Nia Hale", None, None, None),
)


def desk(recruiter: str = "Sam") -> Desk:
    return Desk(Settings.defaults(), CALENDAR, today=TODAY, recruiter=recruiter)


def build(ok, url: str, *, recruiter: str = "Sam", prefix: tuple[str, ...] = ()) -> None:
    """The desk, in the store at ``url`` (``prefix``: --db and --as for ``ok``)."""
    run = lambda *a: ok(*prefix, *a)  # noqa: E731
    run("dm", "add", "Megan Price", "--company", "Leeds Digital", "--phone", "0113 496 0101")
    run("dm", "add", "Raj Patel", "--company", "Kestrel Energy", "--email", "raj@kestrel.test")
    run("log", "megan", "-a", "live-requirement", "--on", "2026-11-16", "-s", "Wants .NET devs")
    run("log", "raj", "-c", "callback", "--on", "2026-11-17")
    run("job", "add", "Senior .NET Developer", "--company", "Leeds Digital", "--tag", "dotnet")
    run("job", "add", "Data Engineer", "--company", "Kestrel Energy", "--tag", "data")
    for name, *_ in PEOPLE:
        run(
            "candidate",
            "add",
            name,
            "--headline",
            f"{name.split()[0]}: engineer",
            "--tag",
            "dotnet",
        )
    engine = make_engine(url)
    try:
        with session(engine, write=True) as s:
            dms = {dm.name: dm for dm in s.exec(select(DecisionMaker))}
            jobs = {j.title: j for j in s.exec(select(Job))}
            jobs["Senior .NET Developer"].client_dm_id = dms["Megan Price"].id
            jobs["Data Engineer"].client_dm_id = dms["Raj Patel"].id
            people = {c.name: c for c in s.exec(select(Candidate))}
            for name, phone, email, referrer in PEOPLE:
                c = people[name]
                c.phone, c.email, c.owner = phone, email, recruiter
                c.referred_by_dm_id = dms[referrer].id if referrer else None
                s.add(c)
            ola, sam, tia, ben, nia = (people[p[0]] for p in PEOPLE)
            ola.cycle_days, ola.next_call_on, ola.next_call_at = 21, date(2026, 11, 27), time(9, 30)
            ola.due_reason, ola.last_conversation_on, ola.conversation_count = (
                "update-given",
                date(2026, 11, 20),
                1,
            )
            nia.job_search = delivery.NOT_LOOKING
            s.add_all([ola, nia])
            s.add_all(
                [
                    CandidateCall(
                        candidate_id=ola.id, called_on=date(2026, 11, 19), kind="no-connect",
                        outcome="voicemail", recruiter=recruiter,
                        logged_at=datetime(2026, 11, 19, 9, 0, tzinfo=UTC),
                    ),
                    CandidateCall(
                        candidate_id=ola.id, called_on=date(2026, 11, 20), kind="continuation",
                        outcome="update-given", summary="Wants hybrid,\nnot London",
                        job_id=jobs["Senior .NET Developer"].id, next_call_on=date(2026, 11, 27),
                        recruiter=recruiter, logged_at=datetime(2026, 11, 20, 9, 0, tzinfo=UTC),
                    ),
                ]
            )  # fmt: skip
            s.flush()
            d = desk(recruiter)
            dotnet, data = jobs["Senior .NET Developer"], jobs["Data Engineer"]
            move = services.delivery.move
            services.delivery.submit(s, d, candidate=ola, job=dotnet, on=date(2026, 11, 18))
            services.delivery.submit(s, d, candidate=sam, job=dotnet, on=date(2026, 11, 16))
            move(s, d, candidate=sam, job=dotnet, to="interview", on=date(2026, 11, 26),
                 at=time(10, 0))  # fmt: skip
            services.delivery.submit(s, d, candidate=tia, job=data, on=date(2026, 11, 10))
            move(s, d, candidate=tia, job=data, to="offered", on=date(2026, 11, 20))
            services.delivery.submit(s, d, candidate=ben, job=data, on=date(2026, 11, 2))
            move(s, d, candidate=ben, job=data, to="interview", on=date(2026, 11, 9))
            move(s, d, candidate=ben, job=data, to="placed", on=date(2026, 11, 19),
                 starts_on=date(2026, 12, 1), fee="£12,000")  # fmt: skip
            services.delivery.submit(s, d, candidate=ola, job=data, on=date(2026, 11, 12))
            move(s, d, candidate=ola, job=data, to="withdrawn", on=date(2026, 11, 13))
    finally:
        engine.dispose()


# The tables delivery added to and their links (what an export must carry).
TABLES = ("decision_maker", "call", "job", "candidate", "candidate_call", "submission",
          "delivery_call")  # fmt: skip


def rows(store, table: str) -> list[tuple[object, ...]]:
    return store.query(f"SELECT * FROM {table} ORDER BY id")
