"""Reading a callplan-JSON archive: checked record by record, then written in one go."""

from __future__ import annotations

import dataclasses
import functools
import json
import re
import reprlib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from callplan.core import delivery, loops
from callplan.core.names import RECRUITER_MAX, name_key, recruiter_name
from callplan.core.outcomes import EXTRA_REASONS, OUTCOMES, REASON_NEW, Kind, types_of
from callplan.errors import FileError
from callplan.store import privacy, queries
from callplan.store.archive.export import FORMAT, IMPORTER, SECTIONS, VERSION, Field, Section
from callplan.store.db import after_explicit_ids
from callplan.store.models import DecisionMaker, DMTag, OpenLoop, Recruiter, utcnow
from callplan.store.queries.calls import tally

# Each reference: (section, field, the section it points at).
REFERENCES = (
    ("decision_makers", "referred_by_id", "decision_makers"),
    ("calls", "dm_id", "decision_makers"),
    ("notes", "dm_id", "decision_makers"),
    ("notes", "call_id", "calls"),
    ("call_hooks", "call_id", "calls"),
    ("call_hooks", "job_id", "jobs"),
    ("call_hooks", "candidate_id", "candidates"),
    ("call_hooks", "event_id", "events"),
    ("open_loops", "dm_id", "decision_makers"),
    ("open_loops", "opened_by_call_id", "calls"),
    ("open_loops", "closed_by_call_id", "calls"),
    ("jobs", "client_dm_id", "decision_makers"),
    ("jobs", "from_call_id", "calls"),
    ("candidates", "referred_by_dm_id", "decision_makers"),
    ("candidates", "prospect_dm_id", "decision_makers"),
    ("candidate_calls", "candidate_id", "candidates"),
    ("candidate_calls", "job_id", "jobs"),
    ("submissions", "candidate_id", "candidates"),
    ("submissions", "job_id", "jobs"),
    ("delivery_calls", "submission_id", "submissions"),
)

# The fields that name a recruiter: (section, field).
WHOSE = (
    ("decision_makers", "owner"),
    ("calls", "recruiter"),
    ("notes", "recruiter"),
    ("candidates", "owner"),
    ("candidate_calls", "recruiter"),
    ("submissions", "recruiter"),
    ("day_goals", "recruiter"),
    ("sweep_runs", "recruiter"),
)


@dataclass
class Archive:
    """A file's records, checked and ready to insert, by section key."""

    rows: dict[str, list[dict[str, Any]]]
    tags: list[dict[str, Any]]  # dm_tag rows
    suppression_keys: list[bytes] = dataclasses.field(default_factory=list)
    recruiters: list[dict[str, Any]] = dataclasses.field(default_factory=list)  # new recruiter rows

    def counts(self) -> dict[str, int]:
        """The records by section; open loops are left out: derived from the calls."""
        return {key: len(rows) for key, rows in self.rows.items() if key != "open_loops"}


def read(path: Path, *, today: date) -> Archive:
    """Read and check a callplan JSON file; every problem is a one-line FileError.
    ``today``: no call or note in it may be dated later."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise FileError(f"Can't read {path}: {exc.strerror or exc}.") from None
    except UnicodeDecodeError:
        raise FileError(f"{path} is not a callplan JSON export (it isn't UTF-8 text).") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileError(
            f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})."
        ) from None
    except RecursionError:
        raise FileError(f"{path} is not a callplan JSON export (nested too deeply).") from None
    return parse(data, str(path), today=today)


def parse(data: Any, source: str, *, today: date) -> Archive:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        found = data.get("format") if isinstance(data, dict) else None
        said = f" (its format is {shown(found)})" if found is not None else ""
        raise FileError(f"{source} is not a callplan JSON export{said}.")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise FileError(f"{source}: 'version' should be a whole number, not {shown(version)}.")
    if version > VERSION:
        raise FileError(
            f"{source} was written by a newer callplan (format version {version}; this "
            f"version reads up to {VERSION}). Upgrade callplan to import it."
        )
    rows: dict[str, list[dict[str, Any]]] = {}
    tags: list[dict[str, Any]] = []
    for section in SECTIONS:
        records = data.get(section.key, None if section.required else [])
        if not isinstance(records, list):
            raise FileError(f"{source}: {section.key!r} is missing or not a list.")
        rows[section.key] = []
        for i, record in enumerate(records):
            where = f"{source}: {section.key}[{i}]"
            row = _row(section, record, where)
            if section.table is DecisionMaker:
                tags.extend({"dm_id": row["id"], "tag": t} for t in sorted(set(row.pop("tags"))))
                row["name_key"] = name_key(row["name"])
            elif "tags" in row:
                row["tags"] = ",".join(row["tags"])
            rows[section.key].append(row)
    _check_ids(rows, source)
    _check_history(rows, source, today=today)
    keys = _suppression_keys(data, source)
    if rows["suppressions"] and not keys:
        raise FileError(
            f"{source} has suppression entries but no 'suppression_keys' to match them with."
        )
    return Archive(rows, tags, keys)


def _suppression_keys(data: dict[str, Any], source: str) -> list[bytes]:
    """The file's suppression keys (added after version 1: a file without them has none)."""
    keys = data.get("suppression_keys", [])
    if not isinstance(keys, list):
        raise FileError(f"{source}: 'suppression_keys' should be a list, not {shown(keys)}.")
    found = []
    for i, key in enumerate(keys):
        if not isinstance(key, str) or not HEX64.fullmatch(key):
            raise FileError(
                f"{source}: suppression_keys[{i}] is {shown(key)}; it should be 64 hex digits."
            )
        found.append(bytes.fromhex(key))
    return found


def _row(section: Section, record: Any, where: str) -> dict[str, Any]:
    if not isinstance(record, dict):
        raise FileError(f"{where} is not an object.")
    row = {}
    limits = _limits(section)
    for field in section.fields:
        if field.name not in record and not field.required:
            row[field.name] = field.missing
            continue
        if field.name not in record:
            raise FileError(f"{where} has no {field.name!r}.")
        value = row[field.name] = _value(field, record[field.name], f"{where}.{field.name}")
        if field.type in ("str", "tags") and value is not None:
            _check_text(value, f"{where}.{field.name}", (section.key, field.name) in MULTILINE)
        limit = limits.get(field.name)
        if limit is not None and value is not None and len(value) > limit:
            raise FileError(
                f"{where}.{field.name} is {len(value)} characters long; at most {limit} fit."
            )
    hooks = ("job_id", "candidate_id", "event_id")
    if section.key == "call_hooks" and sum(row[k] is not None for k in hooks) != 1:
        raise FileError(f"{where} needs exactly one of 'job_id', 'candidate_id' and 'event_id'.")
    if section.key == "delivery_calls" and (row["party"], row["purpose"]) not in delivery.PURPOSES:
        raise FileError(
            f"{where}.purpose is {shown(row['purpose'])}; no call to the {row['party']} has "
            "that purpose."
        )
    return row


@functools.cache
def _limits(section: Section) -> dict[str, int]:
    """The longest text each of a section's text fields takes (its column's length)."""
    columns = section.table.__table__.c
    found = {f.name: getattr(columns[f.name].type, "length", None) for f in section.fields
             if f.type == "str"}  # fmt: skip
    return {name: length for name, length in found.items() if length is not None}


_WANTED = {
    "int": "a whole number",
    "str": "text",
    "bool": "true or false",
    "date": "a date (YYYY-MM-DD)",
    "time": "a time of day (HH:MM)",
    "timestamp": "a timestamp with its UTC offset",
    "tags": "a list of text",
    "recruiter": f"a recruiter's name (1 to {RECRUITER_MAX} characters on one line)",
    "digest": "64 hex digits",
}
HEX64 = re.compile(r"[0-9a-f]{64}")


def _value(field: Field, value: Any, where: str) -> Any:
    if value is None:
        if field.nullable:
            return None
        raise FileError(f"{where} is null; it should be {_WANTED[field.type]}.")
    converted = _convert(field.type, value)
    if converted is None:
        raise FileError(f"{where} is {shown(value)}; it should be {_WANTED[field.type]}.")
    if field.choices and converted not in field.choices:
        raise FileError(
            f"{where} is {shown(value)}; it should be one of {', '.join(field.choices)}."
        )
    return converted


# The text fields that may run over several lines (as `log --summary` and `note` take
# them); every other text is one line, as the command line and a contacts import keep it.
MULTILINE = {("calls", "summary"), ("notes", "text"), ("candidate_calls", "summary")}
TAG_MAX = 60  # characters in a tag, as `dm add --tag` takes them
_SHOWN = reprlib.Repr()
_SHOWN.maxlevel, _SHOWN.maxstring, _SHOWN.maxother = 2, 60, 60


def shown(value: Any) -> str:
    """A value from the file for a message: short, on one line, control characters
    escaped (it never reaches the terminal raw); null, true, false and dates as in JSON."""
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, date):
        return value.isoformat()
    return _SHOWN.repr(value)


def _check_text(value: str | list[str], where: str, multiline: bool) -> None:
    """Text as a command would take it: no control characters (a line break or tab only
    in a multi-line note or summary), nothing that isn't Unicode text."""
    texts = value if isinstance(value, list) else [value]
    for i, text in enumerate(texts):
        at = f"{where}[{i}]" if isinstance(value, list) else where
        for c in text:
            category = unicodedata.category(c)
            if category == "Cs":
                raise FileError(f"{at} holds U+{ord(c):04X}, which isn't a character.")
            if category == "Cc" and not (multiline and c in "\n\t"):
                raise FileError(
                    f"{at} holds the control character U+{ord(c):04X}; callplan takes "
                    "printable text only."
                )
        if isinstance(value, list) and len(text) > TAG_MAX:
            raise FileError(f"{at} is {len(text)} characters long; a tag is at most {TAG_MAX}.")


REASONS = {*OUTCOMES, *EXTRA_REASONS}  # what a DM's due date can be for


def _check_history(rows: dict[str, list[dict[str, Any]]], source: str, *, today: date) -> None:
    """Calls and notes as `log` and `note` would have made them: dated today or before,
    of a known outcome type of their kind; and each DM's conversation count, last
    conversation, last outcome and dials since, and each call's conversation number, as
    its calls say (in date order, then id, as `log` counts them)."""
    for i, c in enumerate(rows["calls"]):
        where = f"{source}: calls[{i}]"
        outcome = OUTCOMES.get(c["outcome"])
        if outcome is None or outcome.kind != c["kind"]:
            types = ", ".join(types_of(Kind(c["kind"])))
            raise FileError(
                f"{where}.outcome is {shown(c['outcome'])}; a {c['kind']} call's outcome "
                f"is one of {types}."
            )
        if c["called_on"] > today:
            raise FileError(f"{where}.called_on is {c['called_on']}, after today ({today}).")
        if c["reason"] is not None and c["reason"] not in {*REASONS, REASON_NEW}:
            raise FileError(f"{where}.reason is {shown(c['reason'])}; callplan has no such reason.")
    for i, n in enumerate(rows["notes"]):
        if n["noted_on"] > today:
            raise FileError(
                f"{source}: notes[{i}].noted_on is {n['noted_on']}, after today ({today})."
            )
    _check_delivery(rows, source, today=today)
    history: dict[int, list[tuple[int, dict[str, Any]]]] = {}
    for i, c in enumerate(rows["calls"]):
        history.setdefault(c["dm_id"], []).append((i, c))
    for i, dm in enumerate(rows["decision_makers"]):
        where = f"{source}: decision_makers[{i}]"
        if dm["due_reason"] is not None and dm["due_reason"] not in REASONS:
            raise FileError(
                f"{where}.due_reason is {shown(dm['due_reason'])}; callplan has no such reason."
            )
        calls = sorted(history.get(dm["id"], []), key=lambda ic: (ic[1]["called_on"], ic[1]["id"]))
        counted = tally([c["kind"] for _, c in calls])
        for (j, c), number in zip(calls, counted.numbers, strict=True):
            if c["conversation_number"] != number:
                raise FileError(
                    f"{source}: calls[{j}].conversation_number is {c['conversation_number']}, "
                    f"but it is conversation {number} with decision maker {dm['id']}."
                    if number is not None
                    else f"{source}: calls[{j}].conversation_number is "
                    f"{c['conversation_number']}, but a {c['kind']} call isn't a conversation."
                )
        last = calls[counted.last][1] if counted.last is not None else None
        expected = {
            "conversation_count": counted.conversations,
            "last_conversation_on": last["called_on"] if last else None,
            "last_outcome": last["outcome"] if last else None,
            "attempts_in_row": counted.attempts,
        }
        for name, value in expected.items():
            if dm[name] != value:
                raise FileError(
                    f"{where}.{name} is {shown(dm[name])}, but its calls say {shown(value)}."
                )


def _check_delivery(rows: dict[str, list[dict[str, Any]]], source: str, *, today: date) -> None:
    """Calls to candidates as `log candidate:ID` makes them (dated today or before, an
    outcome of their kind), and one submission at most of a candidate to a job."""
    for i, c in enumerate(rows["candidate_calls"]):
        where = f"{source}: candidate_calls[{i}]"
        if delivery.CANDIDATE_OUTCOMES[c["outcome"]].kind != c["kind"]:
            types = ", ".join(
                t for t, o in delivery.CANDIDATE_OUTCOMES.items() if o.kind == c["kind"]
            )
            raise FileError(
                f"{where}.outcome is {shown(c['outcome'])}; a {c['kind']} call's outcome "
                f"is one of {types}."
            )
        if c["called_on"] > today:
            raise FileError(f"{where}.called_on is {c['called_on']}, after today ({today}).")
    seen: dict[tuple[int, int], int] = {}
    for i, sub in enumerate(rows["submissions"]):
        pair = (sub["candidate_id"], sub["job_id"])
        if pair in seen:
            raise FileError(
                f"{source}: submissions[{i}] puts candidate {pair[0]} forward for job "
                f"{pair[1]} again (submissions[{seen[pair]}] did): one submission each."
            )
        seen[pair] = i


def _convert(type_: str, value: Any) -> Any:
    """The value as the column wants it, or None when it has the wrong type."""
    if type_ == "int":
        return value if isinstance(value, int) and not isinstance(value, bool) else None
    if type_ == "str":
        return value if isinstance(value, str) else None
    if type_ == "digest":
        return value if isinstance(value, str) and HEX64.fullmatch(value) else None
    if type_ == "recruiter":
        return recruiter_name(value) if isinstance(value, str) else None
    if type_ == "bool":
        return value if isinstance(value, bool) else None
    if type_ == "tags":
        ok = isinstance(value, list) and all(isinstance(t, str) and t for t in value)
        return value if ok else None
    if not isinstance(value, str):
        return None
    try:
        if type_ == "date":
            return date.fromisoformat(value)
        if type_ == "time":
            at = time.fromisoformat(value)
            return at if at.tzinfo is None else None
        ts = datetime.fromisoformat(value)
    except ValueError:
        return None
    return ts if ts.tzinfo is not None else None


def _check_ids(rows: dict[str, list[dict[str, Any]]], source: str) -> None:
    ids: dict[str, set[int]] = {}
    for key, records in rows.items():
        seen: set[int] = set()
        for i, row in enumerate(records):
            if row["id"] in seen:
                raise FileError(f"{source}: {key}[{i}] repeats id {row['id']}.")
            seen.add(row["id"])
        ids[key] = seen
    for key, field, target in REFERENCES:
        for i, row in enumerate(rows[key]):
            ref = row[field]
            if ref is not None and ref not in ids[target]:
                raise FileError(
                    f"{source}: {key}[{i}].{field} is {ref}, but {target} has no such id."
                )


def held(s: Session) -> str | None:
    """None for a store that holds nothing a file could copy into with its ids; else what
    it holds ('decision makers')."""
    for section in SECTIONS:
        if s.exec(select(section.table.id).limit(1)).first() is not None:
            return section.key.replace("_", " ")
    return None


@dataclass(frozen=True)
class Given:
    """What a file from before recruiters gave the importing recruiter."""

    to: str
    dms: int  # DMs spoken to
    calls: int
    notes: int


def resolve_recruiters(s: Session, store: Archive, *, user: str) -> Given | None:
    """Name the recruiters of a file's records as the store spells them, and the rows of
    those the store doesn't know yet (``store.recruiters``).

    A record from before recruiters (no ``owner`` or ``recruiter`` field) is given to
    ``user``, the recruiter importing it, by the rule of the 0006 upgrade: every DM
    spoken to, every call and every note; a prospect stays in the pool. Names are
    matched like recruiters' names ('kim' is 'Kim'): one spelling each, the store's if
    it knows them, else the first in the file. Returns what ``user`` was given, if
    anything."""
    spelled: dict[str, str] = {}  # name key -> the name as stored
    store.recruiters = []

    def spelling(name: str) -> str:
        key = name_key(name)
        if key not in spelled:
            known = s.get(Recruiter, key)
            spelled[key] = known.name if known is not None else name
            if known is None:
                store.recruiters.append({"key": key, "name": name, "added_at": utcnow()})
        return spelled[key]

    given = {key: 0 for key, _ in WHOSE}
    for key, name in WHOSE:
        for row in store.rows[key]:
            if row[name] is IMPORTER:
                spoken_to = key != "decision_makers" or row["conversation_count"] > 0
                row[name] = user if spoken_to else None
                given[key] += spoken_to
            if row[name] is not None:
                row[name] = spelling(row[name])
    if not any(given.values()):
        return None
    return Given(spelling(user), given["decision_makers"], given["calls"], given["notes"])


def write(s: Session, store: Archive) -> None:
    """Insert everything, one executemany per table, in the caller's transaction; run
    ``resolve_recruiters`` first."""

    conn = s.connection()
    sqlite = conn.dialect.name == "sqlite"
    # A DM may name a referrer that comes later in the file. SQLite checks references at
    # commit; elsewhere (foreign keys checked at once) the links are set once all are in.
    if sqlite:
        conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    referrers = [
        {"dm_id": r["id"], "referrer": r["referred_by_id"]}
        for r in store.rows["decision_makers"]
        if r.get("referred_by_id") is not None and not sqlite
    ]
    if store.recruiters:
        conn.execute(sa.insert(Recruiter.__table__), store.recruiters)  # type: ignore[attr-defined]
    for section in SECTIONS:
        records = store.rows[section.key]
        if section.table is OpenLoop:
            continue  # derived from the calls below
        if records and section.table is DecisionMaker and referrers:
            records = [{**r, "referred_by_id": None} for r in records]
        if records:
            conn.execute(sa.insert(section.table.__table__), records)
        if section.table is DecisionMaker and store.tags:
            conn.execute(sa.insert(DMTag.__table__), store.tags)  # type: ignore[attr-defined]
    if referrers:
        table = DecisionMaker.__table__  # type: ignore[attr-defined]
        conn.execute(
            sa.update(table)
            .where(table.c.id == sa.bindparam("dm_id"))
            .values(referred_by_id=sa.bindparam("referrer")),
            referrers,
        )
    # The ids came from the file: new rows must be numbered after them.
    after_explicit_ids(conn, [section.table.__table__ for section in SECTIONS])
    privacy.add_keys(s, store.suppression_keys)
    same = {c["id"]: c["id"] for c in store.rows["calls"]}
    derive_loops(
        s, store, calls=same, dms={r["id"]: r["id"] for r in store.rows["decision_makers"]}
    )


def derive_loops(
    s: Session, store: Archive, *, calls: Mapping[int, int], dms: Mapping[int, int]
) -> None:
    """The open loops of the file's DMs, derived from their calls as held now (core.loops);
    a loop the file says was closed by hand stays closed, and an introduction it says was
    promised is promised here. ``calls`` and ``dms``: file id -> id here."""
    rows = store.rows
    held = [r for r in rows["open_loops"] if r["opened_by_call_id"] in calls]
    by_hand = {
        calls[r["opened_by_call_id"]]: r["closed_on"]
        for r in held
        if r["kind"] not in loops.BY_HAND and r["closed_by_hand"] and r["closed_on"] is not None
    }
    # Every DM the file brings calls for: a callback merged in is a chase of a loop the
    # store had open, even when the file's calls open none.
    opened = {dms[c["dm_id"]] for c in rows["calls"]}
    promised = [r for r in held if r["kind"] in loops.BY_HAND]
    if promised:
        openers = [calls[r["opened_by_call_id"]] for r in promised]
        q = select(OpenLoop).where(col(OpenLoop.opened_by_call_id).in_(openers))
        here = {(row.opened_by_call_id, row.kind) for row in s.exec(q)}
        for r in promised:
            call_id = calls[r["opened_by_call_id"]]
            if (call_id, r["kind"]) in here:
                continue  # merged into a store that holds the promise already
            # Closed by hand, or by the call that added the people named (kept as that
            # call's mark: the file carries no call_referral rows).
            by_call = calls.get(r["closed_by_call_id"]) if not r["closed_by_hand"] else None
            s.add(
                OpenLoop(
                    dm_id=dms[r["dm_id"]], kind=r["kind"], opened_on=r["opened_on"],
                    opened_by_call_id=call_id, closed_on=r["closed_on"],
                    closed_by_hand=bool(r["closed_by_hand"]), closed_by_call_id=by_call,
                )
            )  # fmt: skip
            opened.add(dms[r["dm_id"]])
    queries.loops.rederive(s, dm_ids=sorted(opened), closed_by_hand=by_hand)


@dataclass(frozen=True)
class LeftOut:
    """The people of a file left out: erased from this store at their request."""

    dms: int = 0
    candidates: int = 0

    def __bool__(self) -> bool:
        return bool(self.dms or self.candidates)


# The free text of a file's records where a person may be named: (section, fields).
TEXTS = (
    ("decision_makers", ("title", "due_purpose")),
    ("notes", privacy.NOTE_TEXTS),
    ("calls", privacy.CALL_TEXTS),
    ("jobs", ("title",)),
    ("candidates", ("headline",)),
    ("candidate_calls", ("summary",)),
    ("events", ("title", "venue")),
    ("day_goals", ("text",)),
)
TAG_LISTS = ("jobs", "candidates", "events")


def drop_suppressed_records(s: Session, store: Archive, *, region: str | None) -> LeftOut:
    """Leave out the DMs and candidates of a callplan export who were erased from this
    store at their request (a suppression entry matches), with everything of theirs (a
    DM's calls, notes, tags and hooks; a candidate's calls, submissions and the hooks
    that named them), the links to them, and their names in the others' text."""

    rows = store.rows
    dms = rows["decision_makers"]
    hits = privacy.suppressed_rows(s, dms, region=region)
    people = rows["candidates"]
    found_candidates = privacy.suppressed_rows(s, people, region=region, candidates=True)
    if not hits and not found_candidates:
        return LeftOut()
    gone = {dms[i]["id"] for i in hits}
    out = {people[i]["id"] for i in found_candidates}
    found = privacy.unambiguous(
        [privacy.Person(dms[i]["name"], dms[i]["email"], dms[i]["phone"]) for i in hits]
        + [privacy.Person(people[i]["name"], people[i]["email"], people[i]["phone"])
           for i in found_candidates],
        region=region,
    )  # fmt: skip
    rows["decision_makers"] = [r for r in dms if r["id"] not in gone]
    calls_gone = {c["id"] for c in rows["calls"] if c["dm_id"] in gone}
    rows["calls"] = [c for c in rows["calls"] if c["dm_id"] not in gone]
    rows["notes"] = [n for n in rows["notes"] if n["dm_id"] not in gone]
    rows["call_hooks"] = [
        h for h in rows["call_hooks"]
        if h["call_id"] not in calls_gone and h["candidate_id"] not in out
    ]  # fmt: skip
    rows["open_loops"] = [r for r in rows["open_loops"] if r["dm_id"] not in gone]
    store.tags = [t for t in store.tags if t["dm_id"] not in gone]
    rows["candidates"] = [r for r in people if r["id"] not in out]
    rows["candidate_calls"] = [c for c in rows["candidate_calls"] if c["candidate_id"] not in out]
    subs_gone = {r["id"] for r in rows["submissions"] if r["candidate_id"] in out}
    rows["submissions"] = [r for r in rows["submissions"] if r["id"] not in subs_gone]
    rows["delivery_calls"] = [
        r for r in rows["delivery_calls"] if r["submission_id"] not in subs_gone
    ]
    for key, field in (
        ("decision_makers", "referred_by_id"),
        ("jobs", "client_dm_id"),
        ("candidates", "referred_by_dm_id"),
        ("candidates", "prospect_dm_id"),
    ):
        for r in rows[key]:
            if r[field] in gone:
                r[field] = None
    for n in rows["notes"]:
        if n["call_id"] in calls_gone:
            n["call_id"] = None
    for j in rows["jobs"]:
        if j["from_call_id"] in calls_gone:
            j["from_call_id"] = None
    for key, fields in TEXTS:
        for r in rows[key]:
            for field in fields:
                if r.get(field):
                    r[field] = found.scrub(r[field])
            if key in TAG_LISTS and r["tags"]:
                r["tags"] = ",".join(t for t in r["tags"].split(",") if not found.spans(t))
    store.tags = [t for t in store.tags if not found.spans(t["tag"])]
    return LeftOut(len(gone), len(out))
