"""Build a realistic callplan store with a fixed seed, fast: `python benchmarks/generate.py
STORE --dms 100000`.

The store is created by callplan's own migrations and filled with bulk inserts of rows
shaped by its models: DMs with tags, about ten calls each on average (conversations
numbered in order, attempts between them), a note per contact, jobs, candidates and
hooks used on calls. Each DM's scheduling state (conversation count, last conversation,
next call and why) agrees with its calls, as `callplan db check` verifies.

The mix, as shares of all DMs: prospects never spoken to, do-not-call and archived
DMs, contacts out of cycle (no next call, last spoken to more than a cycle ago: what the
sweep spreads), contacts due today or overdue, and contacts diarised ahead.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

TODAY = date(2026, 11, 23)  # a Monday; the runner sets CALLPLAN_TODAY to it
RECRUITER = "Sam"  # owns every contact and made every call; the runner sets CALLPLAN_USER
CYCLE = 90
MIX = {  # share of all DMs
    "prospect": 0.20,
    "dnc": 0.03,
    "archived": 0.04,
    "out_of_cycle": 0.25,
    "due": 0.03,
    "ahead": 0.45,
}
FIRST = [
    "Ada",
    "Ben",
    "Cleo",
    "Dan",
    "Eve",
    "Fay",
    "Gus",
    "Hana",
    "Ivan",
    "Jo",
    "Kai",
    "Lena",
    "Max",
    "Nia",
    "Omar",
    "Pia",
    "Raj",
    "Sara",
    "Tom",
    "Uma",
]
LAST = [
    "Smith",
    "Jones",
    "Patel",
    "Khan",
    "Brown",
    "Evans",
    "Wilson",
    "Taylor",
    "Davies",
    "Hughes",
    "Walker",
    "Wright",
    "Hall",
]
TAGS = [
    "java",
    "python",
    "sql",
    "data",
    "cloud",
    "devops",
    "security",
    "sap",
    "salesforce",
    "frontend",
    "mobile",
    "qa",
    "finance",
    "fintech",
    "insurance",
    "retail",
    "logistics",
    "energy",
    "health",
    "public-sector",
]
CHUNK = 20_000


def _chunks(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]


def build(path: Path, dms: int, *, seed: int = 7, today: date = TODAY) -> dict[str, int]:
    """Create ``path`` (which must not exist) holding ``dms`` decision makers."""
    import sqlalchemy as sa

    from callplan.core.kinds import Status
    from callplan.core.names import name_key
    from callplan.core.outcomes import OUTCOMES, REASON_CYCLE, REASON_SWEEP, Kind
    from callplan.store.db import ensure_schema, make_engine
    from callplan.store.models import Call, CallHook, Candidate, DecisionMaker, DMTag, Job, Note

    if path.exists():
        raise SystemExit(f"{path} exists: generate into a new file.")
    rng = random.Random(seed)
    engine = make_engine(f"sqlite:///{path}")
    ensure_schema(engine)
    advances = [o.type for o in OUTCOMES.values() if o.kind is Kind.ADVANCE]
    continuations = [o.type for o in OUTCOMES.values() if o.kind is Kind.CONTINUATION]
    misses = [o.type for o in OUTCOMES.values() if o.kind is Kind.NO_CONNECT]
    added = datetime(2023, 1, 2, 9, tzinfo=UTC)
    kinds = list(MIX)
    weights = list(MIX.values())
    people, tags, calls, notes = [], [], [], []
    call_id = 0
    advance_calls: list[tuple[int, int]] = []  # (call id, dm id)
    for dm_id in range(1, dms + 1):
        kind = rng.choices(kinds, weights)[0]
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {dm_id}"
        company = f"Company {rng.randrange(max(dms // 8, 1))}"
        row: dict[str, Any] = {
            "id": dm_id,
            "name": name,
            "name_key": name_key(name),
            "company": company,
            "title": rng.choice(["CTO", "Head of Engineering", "IT Director", "CFO"]),
            "phone": f"+4420{dm_id:08d}",
            "email": f"dm{dm_id}@company{dm_id % 5000}.example",
            "linkedin": None,
            "status": Status.ACTIVE,
            "needs_number": False,
            "referred_by_id": None,
            "created_at": added + timedelta(minutes=dm_id),
            "next_call_on": None,
            "due_reason": None,
            "last_conversation_on": None,
            "conversation_count": 0,
            "attempts_in_row": 0,
            "last_outcome": None,
            "lawful_basis": "legitimate-interest",
            "ctps": rng.random() < 0.1,
            "owner": None,
        }
        tags.extend(
            {"dm_id": dm_id, "tag": t} for t in rng.sample(TAGS, rng.choice((0, 1, 1, 2, 3)))
        )
        people.append(row)
        if kind == "prospect":
            continue
        if kind == "dnc":
            row["status"] = Status.DNC
        elif kind == "archived":
            row["status"] = Status.ARCHIVED
        # The last conversation: long ago for those out of cycle, recent for the others.
        if kind == "out_of_cycle":
            last = today - timedelta(days=rng.randint(CYCLE + 1, CYCLE + 200))
        else:
            last = today - timedelta(days=rng.randint(1, CYCLE - 1))
        conversations = rng.choice((1, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12))
        days = [last]
        for _ in range(conversations - 1):
            days.insert(0, days[0] - timedelta(days=rng.randint(40, 80)))
        for number, day in enumerate(days, start=1):
            for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):  # attempts before getting through
                call_id += 1
                miss = day - timedelta(days=rng.randint(1, 9))
                calls.append(_call(call_id, dm_id, miss, "no-connect", rng.choice(misses), None))
            call_id += 1
            advance = rng.random() < 0.2
            outcome = rng.choice(advances if advance else continuations)
            kind_of = "advance" if advance else "continuation"
            calls.append(_call(call_id, dm_id, day, kind_of, outcome, number))
            if advance:
                advance_calls.append((call_id, dm_id))
            row["last_outcome"] = outcome
        row["last_conversation_on"] = last
        row["conversation_count"] = conversations
        row["owner"] = RECRUITER
        notes.append(
            {
                "dm_id": dm_id,
                "call_id": call_id,
                "noted_on": last,
                "text": "Prefers calls before 10.",
                "competitor": rng.choice(["Hays", "Reed", "Harvey Nash", None]),
                "toughest_role": rng.choice(["data engineers", "SAP consultants", None]),
                "plans": rng.choice(["Growing the team in Q1", None]),
                "interest": rng.choice(["hot", "warm", "cold"]),
                "created_at": datetime.combine(last, datetime.min.time(), tzinfo=UTC),
            }
        )
        if kind == "due":
            row["next_call_on"] = today - timedelta(days=rng.randint(0, 10))
            row["due_reason"] = rng.choice([row["last_outcome"], REASON_CYCLE])
        elif kind in ("ahead", "archived", "dnc"):
            row["next_call_on"] = min(
                today + timedelta(days=rng.randint(1, 80)), last + timedelta(days=CYCLE)
            )
            row["due_reason"] = rng.choice([row["last_outcome"], REASON_SWEEP])
        if row["status"] != Status.ACTIVE:
            row["next_call_on"] = row["due_reason"] = None
    jobs = [
        {
            "id": i,
            "title": f"{rng.choice(['Data', 'Java', 'SAP', 'Cloud'])} Engineer {i}",
            "company": f"Company {rng.randrange(max(dms // 8, 1))}",
            "fee": None,
            "tags": ",".join(rng.sample(TAGS, 2)),
            "status": "open" if i <= 40 else "closed",
            "created_at": added,
            "closed_on": None,
        }
        for i in range(1, 61)
    ]
    candidates = [
        {
            "id": i,
            "name": f"Candidate {i}",
            "headline": "Senior engineer, available now",
            "tags": ",".join(rng.sample(TAGS, 2)),
            "available_on": None,
            "status": "open" if i <= 25 else "closed",
            "created_at": added,
            "closed_on": None,
        }
        for i in range(1, 41)
    ]
    hooks = [
        {"call_id": c, "job_id": rng.randint(1, 60), "candidate_id": None}
        if rng.random() < 0.5
        else {"call_id": c, "job_id": None, "candidate_id": rng.randint(1, 40)}
        for c, _ in advance_calls
        if rng.random() < 0.3
    ]
    with engine.begin() as conn:
        for model, rows in (
            (DecisionMaker, people),
            (DMTag, tags),
            (Call, calls),
            (Note, notes),
            (Job, jobs),
            (Candidate, candidates),
            (CallHook, hooks),
        ):
            table = model.__table__  # type: ignore[attr-defined]
            for chunk in _chunks(rows):
                conn.execute(sa.insert(table), chunk)
    engine.dispose()
    return {"DMs": len(people), "calls": len(calls), "notes": len(notes), "hooks": len(hooks)}


def _call(
    id_: int, dm_id: int, on: date, kind: str, outcome: str, number: int | None
) -> dict[str, Any]:
    return {
        "id": id_,
        "dm_id": dm_id,
        "called_on": on,
        "logged_at": datetime.combine(on, datetime.min.time(), tzinfo=UTC),
        "kind": kind,
        "outcome": outcome,
        "summary": "Spoke about the team's plans" if number else None,
        "next_call_on": None,
        "conversation_number": number,
        "recruiter": RECRUITER,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", type=Path, help="a new file to create")
    parser.add_argument("--dms", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    counts = build(args.store, args.dms, seed=args.seed)
    took = time.perf_counter() - started
    print(", ".join(f"{n:,} {k}" for k, n in counts.items()) + f" in {took:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
