"""Merge: a callplan JSON export added to a store that already holds records.

An import into an empty store copies the file, ids and all (``importer.write``). Into a
store that holds anything (``import --merge``: a second recruiter's personal store moving
into the team store), every record gets a new id, its references follow it, and what
the store already has is not added twice:

- A DM who is already in the store (the same email, phone number, or name at the same
  company, as a contacts import matches) takes the file's calls, notes and tags. Its
  empty contact fields are filled from the file; its conversations are numbered again
  in date order; its due date follows whichever history has the latest call. Its owner
  stays (the file's owner if it had none), and do-not-call from either side stays.
- A call or note already there (the same DM, day, outcome or text, and the same moment
  it was logged or written) is left out, so merging the same file twice adds nothing.
- A job (the same title at the same company) or candidate (the same name) already there
  is used instead of a new one: it gains the file's client, contact details and links
  where it has none. A candidate's calls already there (the same day, outcome and moment
  logged) are left out, and so is a submission of a candidate to a job the store already
  has (with the calls it planned: the store's stands). A matched candidate's
  conversations are counted over both histories, and their next call follows whichever
  has the latest call.
- Erasure counts are added; suppression entries are added with the keys they were made
  under, so an erased person stays out of both stores' contacts.

``plan`` only reads, for ``--dry-run`` and the report; ``apply`` writes in the caller's
transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from callplan.core import contacts
from callplan.core.kinds import Status
from callplan.core.names import name_key
from callplan.core.outcomes import Kind
from callplan.store import contact_import, privacy, queries
from callplan.store.archive.load import Archive, derive_loops
from callplan.store.models import (
    Call,
    CallHook,
    Candidate,
    CandidateCall,
    DayGoal,
    DecisionMaker,
    DeliveryCall,
    DMTag,
    Erasure,
    Event,
    Job,
    Note,
    Recruiter,
    Submission,
    Suppression,
    SweepRun,
)
from callplan.store.queries.loops import day_of


@dataclass
class Merge:
    """What merging a file does: which of its records the store already has."""

    dms: dict[int, int] = field(default_factory=dict)  # file DM id -> the stored DM it is
    matched: list[str] = field(default_factory=list)  # "Jane Smith is #3 Jane Smith (...)"
    # Matched DMs owned here by someone other than their owner in the file: they stay.
    kept_owners: list[str] = field(default_factory=list)
    # DMs here whom the file's store erased at their request: (7, "#7 Lou Reed (Globex)").
    erased_there: list[tuple[int, str]] = field(default_factory=list)
    calls: dict[int, int] = field(default_factory=dict)  # file call id -> the stored call
    notes: set[int] = field(default_factory=set)  # file note ids already stored
    jobs: dict[int, int] = field(default_factory=dict)  # file job id -> the stored job
    candidates: dict[int, int] = field(default_factory=dict)
    events: dict[int, int] = field(default_factory=dict)  # file event id -> the stored event
    candidate_calls: dict[int, int] = field(default_factory=dict)  # file id -> stored call
    submissions: dict[int, int] = field(default_factory=dict)  # file id -> stored submission
    suppressions: set[int] = field(default_factory=set)  # file entries already stored
    erasures: set[int] = field(default_factory=set)  # file erasure counts already stored
    goals: set[int] = field(default_factory=set)  # file goals for a day that has one here
    sweeps: set[int] = field(default_factory=set)  # file sweeps already recorded here

    def counts(self, store: Archive) -> dict[str, tuple[int, int]]:
        """(new, already in the store) for each section."""
        rows = store.rows
        hooks_kept = sum(1 for h in rows["call_hooks"] if h["call_id"] not in self.calls)
        return {
            "decision_makers": (len(rows["decision_makers"]) - len(self.dms), len(self.dms)),
            "calls": (len(rows["calls"]) - len(self.calls), len(self.calls)),
            "notes": (len(rows["notes"]) - len(self.notes), len(self.notes)),
            "jobs": (len(rows["jobs"]) - len(self.jobs), len(self.jobs)),
            "candidates": (len(rows["candidates"]) - len(self.candidates), len(self.candidates)),
            "events": (len(rows["events"]) - len(self.events), len(self.events)),
            "call_hooks": (hooks_kept, len(rows["call_hooks"]) - hooks_kept),
            "candidate_calls": _new_and_old(rows["candidate_calls"], self.candidate_calls),
            "submissions": _new_and_old(rows["submissions"], self.submissions),
            "delivery_calls": _new_and_old(
                rows["delivery_calls"], self.submissions, key="submission_id"
            ),
            "erasures": (len(rows["erasures"]) - len(self.erasures), len(self.erasures)),
            "day_goals": _new_and_old(rows["day_goals"], self.goals),
            "sweep_runs": _new_and_old(rows["sweep_runs"], self.sweeps),
            "suppressions": (
                len(rows["suppressions"]) - len(self.suppressions),
                len(self.suppressions),
            ),
        }


def _new_and_old(
    records: list[dict[str, Any]], here: Iterable[int], *, key: str = "id"
) -> tuple[int, int]:
    """(new, already in the store) of a file's records, by which of ``key`` are here."""
    held = set(here)
    old = sum(1 for r in records if r[key] in held)
    return len(records) - old, old


def prepare(s: Session, store: Archive, *, region: str | None) -> Merge:
    """Match the file's records with the store's; reads only. Run after
    ``importer.resolve_recruiters`` (owners are compared as the store spells them)."""

    result = Merge()
    dms = store.rows["decision_makers"]
    people = [
        contacts.Contact(
            line=row["id"],
            name=row["name"],
            company=row["company"],
            title=row["title"],
            phone=row["phone"],
            email=row["email"],
            linkedin=row["linkedin"],
        )
        for row in dms
    ]
    matcher = contacts.matcher_for(people, contact_import.existing_people(s), region=region)
    for row, person in zip(dms, people, strict=True):
        match = matcher.same(person)
        if match is None or match[0].id is None:
            continue
        stored, how = match
        assert stored.id is not None
        result.dms[row["id"]] = stored.id
        result.matched.append(
            f"{row['name']} (#{row['id']} in the file) is {contacts.describe(stored)} (same {how})"
        )
    owners = _owners(s, set(result.dms.values()))
    for row in dms:
        here = owners.get(result.dms.get(row["id"], 0))
        if here is not None and row["owner"] is not None and here != row["owner"]:
            result.kept_owners.append(f"{row['name']} stays {here}'s (in the file: {row['owner']})")
    _match_calls_and_notes(s, store, result)
    _match_hooks(s, store, result)
    _match_delivery(s, store, result)
    known = privacy.suppressed(s, digests=[r["digest"] for r in store.rows["suppressions"]])
    result.suppressions = {r["id"] for r in store.rows["suppressions"] if r["digest"] in known}
    result.erasures = _erasures_here(s, store.rows["erasures"])
    result.goals, result.sweeps = _goals_and_sweeps_here(s, store)
    result.erased_there = _erased_there(s, store, result, region=region)
    return result


def _erased_there(
    s: Session, store: Archive, result: Merge, *, region: str | None
) -> list[tuple[int, str]]:
    """The DMs here who match a suppression entry the file brings: someone erased at
    their request in the other store, whom this store still holds. Only when the file
    brings new entries (then every DM is read, its identifiers hashed under the file's
    keys)."""

    new = {r["digest"] for r in store.rows["suppressions"] if r["id"] not in result.suppressions}
    if not new:
        return []
    found = []
    for person in contact_import.existing_people(s):
        ids = privacy.identifiers(
            name=person.name,
            company=person.company,
            email=person.email,
            phone=person.phone,
            region=region,
        )
        if new.intersection(privacy.digests_under(store.suppression_keys, ids)):
            assert person.id is not None
            found.append((person.id, contacts.describe(person)))
    return found


ERASURE = ("erased_on", "reason", "calls", "conversations")


def _erasures_here(s: Session, records: list[dict[str, Any]]) -> set[int]:
    """The file's erasure counts the store already has. They are anonymous, so an equal
    count is taken for the same one, as many times as the store holds it: merging a file
    twice doesn't count its erasures twice."""
    if not records:
        return set()
    table = Erasure.__table__  # type: ignore[attr-defined]
    columns = [table.c[name] for name in ERASURE]
    q = sa.select(*columns, sa.func.count()).group_by(*columns)
    here = {tuple(row[:-1]): int(row[-1]) for row in s.connection().execute(q)}
    found = set()
    for r in records:
        key = tuple(r[name] for name in ERASURE)
        if here.get(key, 0) > 0:
            here[key] -= 1
            found.add(r["id"])
    return found


def _goals_and_sweeps_here(s: Session, store: Archive) -> tuple[set[int], set[int]]:
    """The file's day goals for a recruiter and day that has one here (the store's is
    kept: one a day), and its sweeps this store has recorded (same recruiter, day and
    count)."""
    conn = s.connection()
    goal, sweep = DayGoal.__table__, SweepRun.__table__  # type: ignore[attr-defined]
    goals = {(r, day_of(d)) for r, d in conn.execute(sa.select(goal.c.recruiter, goal.c.day))}
    sweeps = {
        (r, day_of(d), int(n))
        for r, d, n in conn.execute(sa.select(sweep.c.recruiter, sweep.c.swept_on, sweep.c.placed))
    }
    rows = store.rows
    return (
        {g["id"] for g in rows["day_goals"] if (g["recruiter"], g["day"]) in goals},
        {
            r["id"]
            for r in rows["sweep_runs"]
            if (r["recruiter"], r["swept_on"], r["placed"]) in sweeps
        },
    )


def _owners(s: Session, ids: Iterable[int]) -> dict[int, str | None]:
    found: dict[int, str | None] = {}
    for chunk in queries.common.in_chunks(sorted(ids)):
        q = select(DecisionMaker.id, DecisionMaker.owner).where(col(DecisionMaker.id).in_(chunk))
        found.update({int(i): owner for i, owner in s.exec(q) if i is not None})
    return found


def _match_calls_and_notes(s: Session, store: Archive, result: Merge) -> None:
    """The file's calls and notes of matched DMs that the store already holds."""
    conn = s.connection()
    call, note = Call.__table__, Note.__table__  # type: ignore[attr-defined]
    calls: dict[tuple[Any, ...], int] = {}
    notes: set[tuple[Any, ...]] = set()
    for chunk in queries.common.in_chunks(sorted(set(result.dms.values()))):
        q = sa.select(call.c.dm_id, call.c.called_on, call.c.logged_at, call.c.kind,
                      call.c.outcome, call.c.id).where(call.c.dm_id.in_(chunk))  # fmt: skip
        calls.update({tuple(row[:-1]): row[-1] for row in conn.execute(q)})
        q = sa.select(note.c.dm_id, note.c.noted_on, note.c.created_at, note.c.text)
        notes.update(tuple(row) for row in conn.execute(q.where(note.c.dm_id.in_(chunk))))
    for c in store.rows["calls"]:
        dm = result.dms.get(c["dm_id"])
        if dm is None:
            continue
        key = (dm, c["called_on"], c["logged_at"], c["kind"], c["outcome"])
        if (same := calls.get(key)) is not None:
            result.calls[c["id"]] = same
    for n in store.rows["notes"]:
        dm = result.dms.get(n["dm_id"])
        if dm is not None and (dm, n["noted_on"], n["created_at"], n["text"]) in notes:
            result.notes.add(n["id"])


def _match_hooks(s: Session, store: Archive, result: Merge) -> None:
    """Jobs (title at company), candidates (name) and events (title on a day) the store
    already has."""
    jobs = {
        (name_key(j.title), name_key(j.company or "")): j.id
        for j in s.exec(select(Job).order_by(col(Job.id).desc()))
    }
    for row in store.rows["jobs"]:
        found = jobs.get((name_key(row["title"]), name_key(row["company"] or "")))
        if found is not None:
            result.jobs[row["id"]] = found
    candidates = {
        name_key(c.name): c.id for c in s.exec(select(Candidate).order_by(col(Candidate.id).desc()))
    }
    for row in store.rows["candidates"]:
        found = candidates.get(name_key(row["name"]))
        if found is not None:
            result.candidates[row["id"]] = found
    events = {
        (name_key(e.title), e.held_on): e.id
        for e in s.exec(select(Event).order_by(col(Event.id).desc()))
    }
    for row in store.rows["events"]:
        found = events.get((name_key(row["title"]), row["held_on"]))
        if found is not None:
            result.events[row["id"]] = found


def _match_delivery(s: Session, store: Archive, result: Merge) -> None:
    """The file's calls to matched candidates and submissions of matched candidates to
    matched jobs that the store already holds."""
    conn = s.connection()
    talk, sub = CandidateCall.__table__, Submission.__table__  # type: ignore[attr-defined]
    calls: dict[tuple[Any, ...], int] = {}
    subs: dict[tuple[int, int], int] = {}
    for chunk in queries.common.in_chunks(sorted(set(result.candidates.values()))):
        q = sa.select(talk.c.candidate_id, talk.c.called_on, talk.c.logged_at, talk.c.kind,
                      talk.c.outcome, talk.c.id).where(talk.c.candidate_id.in_(chunk))  # fmt: skip
        calls.update({tuple(row[:-1]): row[-1] for row in conn.execute(q)})
        q = sa.select(sub.c.candidate_id, sub.c.job_id, sub.c.id).where(
            sub.c.candidate_id.in_(chunk)
        )
        subs.update({(row[0], row[1]): row[2] for row in conn.execute(q)})
    for c in store.rows["candidate_calls"]:
        candidate = result.candidates.get(c["candidate_id"])
        key = (candidate, c["called_on"], c["logged_at"], c["kind"], c["outcome"])
        if candidate is not None and (same := calls.get(key)) is not None:
            result.candidate_calls[c["id"]] = same
    for r in store.rows["submissions"]:
        pair = (result.candidates.get(r["candidate_id"]), result.jobs.get(r["job_id"]))
        if (same := subs.get(pair)) is not None:  # type: ignore[arg-type]
            result.submissions[r["id"]] = same


def apply(s: Session, store: Archive, merge: Merge) -> None:
    """Write the merge in the caller's transaction (after ``importer.resolve_recruiters``)."""
    conn = s.connection()
    rows = store.rows
    if store.recruiters:
        conn.execute(sa.insert(Recruiter.__table__), store.recruiters)  # type: ignore[attr-defined]
    new_dms = [r for r in rows["decision_makers"] if r["id"] not in merge.dms]
    added = _insert(conn, DecisionMaker, [{**r, "referred_by_id": None} for r in new_dms])
    dm_ids = {**merge.dms, **added}
    _referrals(s, rows["decision_makers"], dm_ids, added)
    _tags(s, store, dm_ids)
    rows["jobs"] = [_dm_links(r, dm_ids, JOB_LINKS) for r in rows["jobs"]]
    rows["candidates"] = [_dm_links(r, dm_ids, CANDIDATE_LINKS) for r in rows["candidates"]]
    # A job's call is linked once the calls are in (below).
    new_jobs = [{**r, "from_call_id": None} for r in rows["jobs"] if r["id"] not in merge.jobs]
    jobs = {**merge.jobs, **_insert(conn, Job, new_jobs)}
    candidates = {
        **merge.candidates,
        **_insert(
            conn, Candidate, [r for r in rows["candidates"] if r["id"] not in merge.candidates]
        ),
    }
    _fill_matched(s, Job, rows["jobs"], merge.jobs, JOB_LINKS)
    _fill_matched(s, Candidate, rows["candidates"], merge.candidates, CANDIDATE_FILLED)
    events = {
        **merge.events,
        **_insert(conn, Event, [r for r in rows["events"] if r["id"] not in merge.events]),
    }
    new_calls = [
        {**c, "dm_id": dm_ids[c["dm_id"]]} for c in rows["calls"] if c["id"] not in merge.calls
    ]
    file_dm = {c["id"]: c["dm_id"] for c in rows["calls"]}
    inserted_calls = _insert(conn, Call, new_calls)
    call_ids = {**merge.calls, **inserted_calls}
    job = Job.__table__  # type: ignore[attr-defined]
    for r in rows["jobs"]:  # the call each job came on, where the job has none here
        if r["from_call_id"] is not None:
            conn.execute(
                sa.update(job)
                .where(job.c.id == jobs[r["id"]], job.c.from_call_id.is_(None))
                .values(from_call_id=call_ids[r["from_call_id"]])
            )
    _insert(
        conn,
        Note,
        [
            {
                **n,
                "dm_id": dm_ids[n["dm_id"]],
                "call_id": call_ids[n["call_id"]] if n["call_id"] is not None else None,
            }
            for n in rows["notes"]
            if n["id"] not in merge.notes
        ],
    )
    _insert(
        conn,
        CallHook,
        [
            {
                **h,
                "call_id": call_ids[h["call_id"]],
                "job_id": jobs[h["job_id"]] if h["job_id"] is not None else None,
                "candidate_id": (
                    candidates[h["candidate_id"]] if h["candidate_id"] is not None else None
                ),
                "event_id": events[h["event_id"]] if h["event_id"] is not None else None,
            }
            for h in rows["call_hooks"]
            if h["call_id"] not in merge.calls
        ],
    )
    _delivery(s, store, merge, jobs=jobs, candidates=candidates)
    _insert(conn, Erasure, [r for r in rows["erasures"] if r["id"] not in merge.erasures])
    _insert(conn, DayGoal, [r for r in rows["day_goals"] if r["id"] not in merge.goals])
    _insert(conn, SweepRun, [r for r in rows["sweep_runs"] if r["id"] not in merge.sweeps])
    privacy.add_keys(s, store.suppression_keys)
    entries = [r for r in rows["suppressions"] if r["id"] not in merge.suppressions]
    _insert(conn, Suppression, entries)
    whose_call = {new: file_dm[old] for old, new in inserted_calls.items()}
    _bring_into_step(s, rows["decision_makers"], merge, whose_call)
    derive_loops(s, store, calls=call_ids, dms=dm_ids)


JOB_LINKS = ("client_dm_id",)
CANDIDATE_LINKS = ("referred_by_dm_id", "prospect_dm_id")
# What a matched candidate takes from the file where it has nothing.
CANDIDATE_FILLED = ("phone", "email", "headline", "available_on", "owner", *CANDIDATE_LINKS)


def _dm_links(row: dict[str, Any], dm_ids: dict[int, int], names: Iterable[str]) -> dict[str, Any]:
    """A job's or candidate's record with its links to DMs as the DMs' ids here."""
    return {**row, **{n: dm_ids[row[n]] for n in names if row[n] is not None}}


def _fill_matched(
    s: Session, table: Any, records: list[dict[str, Any]], matched: dict[int, int], names: Any
) -> None:
    """The jobs or candidates the store already had: each empty field of ``names``
    filled from the file."""
    t = table.__table__
    conn = s.connection()
    for r in records:
        here = matched.get(r["id"])
        if here is None:
            continue
        for name in names:
            if r[name] is not None:
                conn.execute(
                    sa.update(t).where(t.c.id == here, t.c[name].is_(None)).values({name: r[name]})
                )


def _delivery(
    s: Session, store: Archive, merge: Merge, *, jobs: dict[int, int], candidates: dict[int, int]
) -> None:
    """The file's calls to candidates, submissions and the calls those planned, between
    the ids here; then each matched candidate's diary over both histories."""
    conn = s.connection()
    rows = store.rows
    inserted = _insert(
        conn,
        CandidateCall,
        [
            {
                **c,
                "candidate_id": candidates[c["candidate_id"]],
                "job_id": jobs[c["job_id"]] if c["job_id"] is not None else None,
            }
            for c in rows["candidate_calls"]
            if c["id"] not in merge.candidate_calls
        ],
    )
    subs = _insert(
        conn,
        Submission,
        [
            {**r, "candidate_id": candidates[r["candidate_id"]], "job_id": jobs[r["job_id"]]}
            for r in rows["submissions"]
            if r["id"] not in merge.submissions
        ],
    )
    _insert(
        conn,
        DeliveryCall,
        [{**r, "submission_id": subs[r["submission_id"]]} for r in rows["delivery_calls"]
         if r["submission_id"] in subs],
    )  # fmt: skip
    whose = {c["id"]: c for c in rows["candidates"]}
    came_with = {c["id"]: whose[c["candidate_id"]] for c in rows["candidate_calls"]}
    file_of = {new: came_with[old] for old, new in inserted.items()}
    _candidate_diaries(s, sorted(set(merge.candidates.values())), file_of)


def _candidate_diaries(s: Session, ids: list[int], file_of: dict[int, dict[str, Any]]) -> None:
    """Each matched candidate's conversations counted over both histories, and their
    next call from whichever has the latest call (``file_of``: each call inserted, to
    the file's candidate it came with)."""
    conn = s.connection()
    talk, cand = CandidateCall.__table__, Candidate.__table__  # type: ignore[attr-defined]
    for chunk in queries.common.in_chunks(ids):
        q = (
            sa.select(talk.c.id, talk.c.candidate_id, talk.c.called_on, talk.c.kind)
            .where(talk.c.candidate_id.in_(chunk))
            .order_by(talk.c.candidate_id, talk.c.called_on, talk.c.logged_at, talk.c.id)
        )
        history: dict[int, list[Any]] = {}
        for c in conn.execute(q):
            history.setdefault(c.candidate_id, []).append(c)
        for candidate_id, calls in history.items():
            spoken = [c.called_on for c in calls if c.kind != Kind.NO_CONNECT]
            values: dict[str, Any] = {
                "conversation_count": len(spoken),
                "last_conversation_on": max(spoken, default=None),
            }
            latest = file_of.get(calls[-1].id)
            if latest is not None:  # the file's history is the later one
                values.update(
                    {n: latest[n] for n in ("next_call_on", "next_call_at", "due_reason")}
                )
            conn.execute(sa.update(cand).where(cand.c.id == candidate_id).values(values))


def _insert(conn: sa.Connection, table: Any, records: list[dict[str, Any]]) -> dict[int, int]:
    """Insert the file's records under new ids; returns file id -> new id."""
    if not records:
        return {}
    t = table.__table__
    columns = set(t.c.keys()) - {"id"}
    values = [{k: v for k, v in r.items() if k in columns} for r in records]
    new = conn.execute(sa.insert(t).returning(t.c.id, sort_by_parameter_order=True), values)
    return {r["id"]: int(i) for r, i in zip(records, new.scalars().all(), strict=True)}


def _referrals(
    s: Session, dms: list[dict[str, Any]], ids: dict[int, int], added: dict[int, int]
) -> None:
    """The file's referral links, between the DMs' ids here: a matched DM keeps its own
    referrer, and gains the file's if it had none."""
    links = [
        {"dm": ids[row["id"]], "referrer": ids[row["referred_by_id"]], "new": row["id"] in added}
        for row in dms
        if row["referred_by_id"] is not None and ids[row["id"]] != ids[row["referred_by_id"]]
    ]
    table = DecisionMaker.__table__  # type: ignore[attr-defined]
    set_link = sa.update(table).values(referred_by_id=sa.bindparam("referrer"))
    conn = s.connection()
    for new, where in ((True, None), (False, table.c.referred_by_id.is_(None))):
        chosen = [{"dm": link["dm"], "referrer": link["referrer"]} for link in links
                  if link["new"] is new]  # fmt: skip
        if chosen:
            q = set_link.where(table.c.id == sa.bindparam("dm"))
            conn.execute(q if where is None else q.where(where), chosen)


def _tags(s: Session, store: Archive, ids: dict[int, int]) -> None:
    wanted: dict[int, set[str]] = {}
    for t in store.tags:
        wanted.setdefault(ids[t["dm_id"]], set()).add(t["tag"])
    have = queries.dms.tags_of(s, dm_ids=sorted(wanted))
    new = [
        {"dm_id": dm_id, "tag": tag}
        for dm_id, tags in sorted(wanted.items())
        for tag in sorted(tags - set(have.get(dm_id, [])))
    ]
    if new:
        s.connection().execute(sa.insert(DMTag.__table__), new)  # type: ignore[attr-defined]


def _bring_into_step(
    s: Session, dms: list[dict[str, Any]], merge: Merge, whose_call: dict[int, int]
) -> None:
    """Each matched DM: its empty fields filled, its conversations counted and numbered
    over both histories, and its due date from whichever history has the latest call.
    Calls are in the order ``log`` counts them, by date and then id: on a day both
    histories have calls, the file's (inserted now) come after the store's.
    ``whose_call``: each call inserted, to the file DM it came with."""
    rows = {row["id"]: row for row in dms}
    by_stored: dict[int, list[dict[str, Any]]] = {}
    for file_id, stored_id in merge.dms.items():
        by_stored.setdefault(stored_id, []).append(rows[file_id])
    conn = s.connection()
    call, dm_t = Call.__table__, DecisionMaker.__table__  # type: ignore[attr-defined]
    numbers: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for chunk in queries.common.in_chunks(sorted(by_stored)):
        history: dict[int, list[Any]] = {}
        q = (
            sa.select(call.c.id, call.c.dm_id, call.c.called_on, call.c.kind, call.c.outcome,
                      call.c.conversation_number)
            .where(call.c.dm_id.in_(chunk))
            .order_by(call.c.dm_id, call.c.called_on, call.c.id)
        )  # fmt: skip
        for c in conn.execute(q):
            history.setdefault(c.dm_id, []).append(c)
        q = sa.select(dm_t.c.id, *(dm_t.c[name] for name in STATE)).where(dm_t.c.id.in_(chunk))
        for current in conn.execute(q):
            calls = history.get(current.id, [])
            counted = queries.calls.tally([c.kind for c in calls])
            numbers += [
                {"call": c.id, "number": n}
                for c, n in zip(calls, counted.numbers, strict=True)
                if n is not None and n != c.conversation_number
            ]
            last = calls[counted.last] if counted.last is not None else None
            dm = {name: getattr(current, name) for name in STATE}
            dm.update(
                conversation_count=counted.conversations,
                last_conversation_on=last.called_on if last else None,
                attempts_in_row=counted.attempts,
                last_outcome=last.outcome if last else None,
            )
            if calls and calls[-1].id in whose_call:  # the file's history is the later one
                latest = rows[whose_call[calls[-1].id]]
                for name in (
                    "next_call_on",
                    "next_call_at",
                    "due_reason",
                    "due_purpose",
                    "needs_number",
                ):
                    dm[name] = latest[name]
                if dm["status"] != Status.DNC:
                    dm["status"] = latest["status"]
            for row in by_stored[current.id]:
                _fill(dm, row)
            if dm["status"] == Status.DNC:
                dm["next_call_on"] = dm["due_reason"] = dm["due_purpose"] = None
                dm["next_call_at"] = None
            updates.append({"dm": current.id, **{f"v_{k}": v for k, v in dm.items()}})
    if numbers:
        conn.execute(
            sa.update(call)
            .where(call.c.id == sa.bindparam("call"))
            .values(conversation_number=sa.bindparam("number")),
            numbers,
        )
    if updates:
        names = [key[2:] for key in updates[0] if key.startswith("v_")]
        conn.execute(
            sa.update(dm_t)
            .where(dm_t.c.id == sa.bindparam("dm"))
            .values({name: sa.bindparam(f"v_{name}") for name in names}),
            updates,
        )


FILLED = ("company", "title", "phone", "email", "linkedin")
# What a matched DM's row says that a merge may change.
STATE = (
    *FILLED,
    "status",
    "owner",
    "ctps",
    "next_call_on",
    "next_call_at",
    "due_reason",
    "due_purpose",
    "needs_number",
)


def _fill(dm: dict[str, Any], row: dict[str, Any]) -> None:
    """A matched DM's state, with what one of the file's DMs adds to it."""
    for name in FILLED:
        if not dm[name] and row[name]:
            dm[name] = row[name]
    if dm["owner"] is None and row["owner"] is not None:
        dm["owner"] = row["owner"]
    if row["status"] == Status.DNC:  # a request not to be called is kept, whoever heard it
        dm["status"] = Status.DNC
    dm["ctps"] = dm["ctps"] or row["ctps"]
