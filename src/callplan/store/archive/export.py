"""Export: one CSV row per decision maker, or the whole store as callplan JSON.

Both stream: DMs are read in batches in SQL order and written as they come, and the
JSON document is written table by table, row by row. Everything is read in one
transaction, so an export is one consistent picture of the store.

The callplan JSON format (documented in docs/export.md) is also what
``callplan import --format callplan-json`` reads back: see ``callplan.store.archive.load``.
Who owns each DM and who made each call and wrote each note travel with them; the
recruiters are rebuilt from those names on import. The day's claims on prospects are
left out: they lapse at the end of the day anyway.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TextIO

from sqlmodel import Session, col, select

from callplan.core import delivery
from callplan.core.kinds import LawfulBasis
from callplan.core.notes import FIELD_NAMES
from callplan.core.wording import jsonable
from callplan.store import queries
from callplan.store.models import (
    Call,
    CallHook,
    Candidate,
    CandidateCall,
    DayGoal,
    DecisionMaker,
    DeliveryCall,
    Erasure,
    Event,
    Job,
    Note,
    OpenLoop,
    Submission,
    Suppression,
    SweepRun,
)
from callplan.store.privacy import store_keys
from callplan.store.queries.common import BATCH
from callplan.store.schema import HEAD

FORMAT = "callplan-json"
VERSION = 1  # bumped when a reader of version 1 could no longer read the file

# --- callplan JSON: the whole store --------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One field of a record in the JSON format, and the column it comes from."""

    name: str
    # int, str, bool, date, time (of day, HH:MM), timestamp, tags (a list of strings),
    # recruiter, digest (hex)
    type: str
    nullable: bool = True
    choices: tuple[str, ...] = ()
    # Fields added after version 1 came out: a file without them gets this value.
    missing: Any = None
    required: bool = True


@dataclass(frozen=True)
class Section:
    """A list in the JSON document: one table's rows."""

    key: str
    table: Any  # the SQLModel class
    fields: tuple[Field, ...]
    # Sections added after version 1 came out: a file without them has none.
    required: bool = True


def _f(name: str, type_: str, nullable: bool = True, choices: tuple[str, ...] = ()) -> Field:
    return Field(name, type_, nullable, choices)


def _added(name: str, type_: str, missing: Any, choices: tuple[str, ...] = ()) -> Field:
    """A field newer than the format: optional when reading, always written."""
    return Field(name, type_, False, choices, missing=missing, required=False)


class _Importer:
    def __repr__(self) -> str:
        return "IMPORTER"


# A record of a file from before recruiters (schema 0006) belongs to the recruiter who
# imports it, as the 0006 upgrade gives a store's history to whoever upgrades it: see
# importer.resolve_recruiters.
IMPORTER: Any = _Importer()


def _whose(name: str) -> Field:
    """A recruiter field (added with 0006): optional when reading, null for nobody."""
    return Field(name, "recruiter", True, missing=IMPORTER, required=False)


def _since_0016(name: str, type_: str) -> Field:
    """A field of a jobs' or candidates' record added with 0016 (delivery): optional when
    reading, null when missing, as the upgrade left the rows before it."""
    return Field(name, type_, True, missing=None, required=False)


KINDS = ("advance", "continuation", "no-connect")


SECTIONS: tuple[Section, ...] = (
    Section(
        "decision_makers",
        DecisionMaker,
        (
            _f("id", "int", False),
            _f("name", "str", False),
            _f("company", "str"),
            _f("title", "str"),
            _f("phone", "str"),
            _f("email", "str"),
            _f("linkedin", "str"),
            _f("tags", "tags", False),
            _f("status", "str", False, ("active", "archived", "dnc")),
            _f("needs_number", "bool", False),
            _f("referred_by_id", "int"),
            _f("created_at", "timestamp", False),
            _f("next_call_on", "date"),
            _f("due_reason", "str"),
            _f("last_conversation_on", "date"),
            _f("conversation_count", "int", False),
            _f("attempts_in_row", "int", False),
            _f("last_outcome", "str"),
            _added("lawful_basis", "str", LawfulBasis.LEGITIMATE_INTEREST, LawfulBasis.ALL),
            _added("ctps", "bool", False),
            _whose("owner"),
            # The purpose chosen for the next call (added with 0011): a file without it
            # gives null.
            Field("due_purpose", "str", True, missing=None, required=False),
            # The DM's own cadence (added with 0015): a file without it gives cycle_days.
            Field("tier", "str", True, missing=None, required=False),
            Field("cycle_days", "int", True, missing=None, required=False),
            # The time of day agreed for the next call (added with 0013): "15:00".
            Field("next_call_at", "time", True, missing=None, required=False),
        ),
    ),
    Section(
        "calls",
        Call,
        (
            _f("id", "int", False),
            _f("dm_id", "int", False),
            _f("called_on", "date", False),
            _f("logged_at", "timestamp", False),
            _f("kind", "str", False, KINDS),
            _f("outcome", "str", False),
            _f("summary", "str"),
            _f("next_call_on", "date"),
            _f("conversation_number", "int"),
            _whose("recruiter"),
            # Why the call was made (added with 0004): a file without it gives null, as
            # the upgrade gave the calls logged before.
            Field("reason", "str", True, missing=None, required=False),
            # Words to say on the next call (added with 0010): a file without it gives null.
            Field("say", "str", True, missing=None, required=False),
            # What the call was for and the purpose it gave the next (added with 0011).
            Field("purpose", "str", True, missing=None, required=False),
            Field("next_purpose", "str", True, missing=None, required=False),
            # The time of day it agreed for the next call (added with 0013).
            Field("next_call_at", "time", True, missing=None, required=False),
        ),
    ),
    Section(
        "notes",
        Note,
        (
            _f("id", "int", False),
            _f("dm_id", "int", False),
            _f("call_id", "int"),
            _f("noted_on", "date", False),
            _f("text", "str"),
            *(_f(name, "str") for name in FIELD_NAMES),
            _f("created_at", "timestamp", False),
            _whose("recruiter"),
        ),
    ),
    Section(
        "jobs",
        Job,
        (
            _f("id", "int", False),
            _f("title", "str", False),
            _f("company", "str"),
            _f("fee", "str"),
            _f("tags", "tags", False),
            _f("status", "str", False, ("open", "closed")),
            _f("created_at", "timestamp", False),
            _f("closed_on", "date"),
            # The client DM who gave the job, and the call it came on (added with 0016).
            _since_0016("client_dm_id", "int"),
            _since_0016("from_call_id", "int"),
        ),
    ),
    Section(
        "candidates",
        Candidate,
        (
            _f("id", "int", False),
            _f("name", "str", False),
            _f("headline", "str"),
            _f("tags", "tags", False),
            _f("available_on", "date"),
            _f("status", "str", False, ("open", "closed")),
            _f("created_at", "timestamp", False),
            _f("closed_on", "date"),
            # A person to call (added with 0016): a file without these gives a candidate
            # looking, never called and undiarised, as the upgrade did.
            _since_0016("phone", "str"),
            _since_0016("email", "str"),
            _added("job_search", "str", delivery.LOOKING, delivery.JOB_SEARCH),
            _since_0016("cycle_days", "int"),
            _since_0016("next_call_on", "date"),
            _since_0016("next_call_at", "time"),
            _since_0016("due_reason", "str"),
            _since_0016("last_conversation_on", "date"),
            _added("conversation_count", "int", 0),
            _since_0016("owner", "recruiter"),
            _since_0016("referred_by_dm_id", "int"),
            _since_0016("prospect_dm_id", "int"),
        ),
    ),
    # Events to invite clients to (added with 0012): a file without them has none.
    Section(
        "events",
        Event,
        (
            _f("id", "int", False),
            _f("title", "str", False),
            _f("held_on", "date", False),
            _f("venue", "str"),
            _f("tags", "tags", False),
            _f("status", "str", False, ("open", "closed")),
            _f("created_at", "timestamp", False),
            _f("closed_on", "date"),
        ),
        required=False,
    ),
    Section(
        "call_hooks",
        CallHook,
        (
            _f("id", "int", False),
            _f("call_id", "int", False),
            _f("job_id", "int"),
            _f("candidate_id", "int"),
            Field("event_id", "int", True, missing=None, required=False),
        ),
    ),
    # Open loops (added with 0014): derived from the calls on import, so only a close by
    # hand is read back from a file; the rest is there for whoever reads it.
    Section(
        "open_loops",
        OpenLoop,
        (
            _f("id", "int", False),
            _f("dm_id", "int", False),
            _f("kind", "str", False),
            _f("opened_on", "date", False),
            _f("opened_by_call_id", "int"),
            _f("chases", "int", False),
            _f("closed_on", "date"),
            _f("closed_by_call_id", "int"),
            _f("closed_by_hand", "bool", False),
            _f("recruiter", "str"),
        ),
        required=False,
    ),
    # Delivery (added with 0016): the calls to candidates, the submissions of candidates
    # to jobs and the calls their stages plan. A file without them has none.
    Section(
        "candidate_calls",
        CandidateCall,
        (
            _f("id", "int", False),
            _f("candidate_id", "int", False),
            _f("called_on", "date", False),
            _f("logged_at", "timestamp", False),
            _f("kind", "str", False, KINDS),
            _f("outcome", "str", False, tuple(delivery.CANDIDATE_OUTCOMES)),
            _f("summary", "str"),
            _f("job_id", "int"),
            _f("next_call_on", "date"),
            _f("recruiter", "recruiter"),
        ),
        required=False,
    ),
    Section(
        "submissions",
        Submission,
        (
            _f("id", "int", False),
            _f("candidate_id", "int", False),
            _f("job_id", "int", False),
            _f("stage", "str", False, delivery.STAGES),
            _f("stage_on", "date", False),
            _f("submitted_on", "date", False),
            _f("interview_on", "date"),
            _f("interview_at", "time"),
            _f("interviews", "int", False),
            _f("no_show", "bool", False),
            _f("offered_on", "date"),
            _f("placed_on", "date"),
            _f("starts_on", "date"),
            _f("fee", "str"),
            _f("withdrawn_on", "date"),
            _f("recruiter", "recruiter"),
            _f("created_at", "timestamp", False),
        ),
        required=False,
    ),
    Section(
        "delivery_calls",
        DeliveryCall,
        (
            _f("id", "int", False),
            _f("submission_id", "int", False),
            _f("party", "str", False, delivery.PARTIES),
            _f("purpose", "str", False, tuple(dict.fromkeys(p for _, p in delivery.PURPOSES))),
            _f("planned_on", "date", False),
            _f("due_on", "date", False),
            _f("due_at", "time"),
            _f("chases", "int", False),
            _f("closed_on", "date"),
            _f("closed_by", "str", True, (delivery.CALL, delivery.STAGE, delivery.MADE)),
        ),
        required=False,
    ),
    # The days' goals (added with 0009) and the sweeps that ran (0008): `stats` counts the
    # goals met, and `today` reads the last sweep. A file without them has none.
    Section(
        "day_goals",
        DayGoal,
        (
            _f("id", "int", False),
            _f("day", "date", False),
            _whose("recruiter"),
            _f("text", "str", False),
            _f("target", "int"),
            _f("outcome", "str"),
            _f("set_at", "timestamp", False),
        ),
        required=False,
    ),
    Section(
        "sweep_runs",
        SweepRun,
        (
            _f("id", "int", False),
            _f("swept_on", "date", False),
            _whose("recruiter"),
            _f("placed", "int", False),
            _f("ran_at", "timestamp", False),
        ),
        required=False,
    ),
    # Anonymous counts of the people erased, for statistics (privacy.erase).
    Section(
        "erasures",
        Erasure,
        (
            _f("id", "int", False),
            _f("erased_on", "date", False),
            _f("reason", "str", False, ("request", "retention")),
            _f("calls", "int", False),
            _f("conversations", "int", False),
        ),
        required=False,
    ),
    # The suppression list: keyed hashes of the people erased at their request, which
    # stop an import or `dm add` from bringing them back. They are only of use with the
    # keys they were made under, the document's "suppression_keys".
    Section(
        "suppressions",
        Suppression,
        (
            _f("id", "int", False),
            _f("digest", "digest", False),
            _f("created_on", "date", False),
        ),
        required=False,
    ),
)


def header(s: Session) -> dict[str, Any]:
    """The document's fields before its sections, the store's suppression keys (hex)
    among them."""

    keys = [key.hex() for key in store_keys(s)]
    return {"format": FORMAT, "version": VERSION, "schema": HEAD, "suppression_keys": keys}


def records(s: Session, section: Section) -> Iterator[dict[str, Any]]:
    """A section's records in id order, read in batches."""
    table = section.table
    query = select(table).order_by(col(table.id)).execution_options(yield_per=BATCH)
    for batch in s.exec(query).partitions():
        dm_tags = (
            queries.dms.tags_of(s, dm_ids=[row.id for row in batch])
            if table is DecisionMaker
            else None
        )
        for row in batch:
            record: dict[str, Any] = {}
            for field in section.fields:
                if field.type != "tags":
                    record[field.name] = getattr(row, field.name)
                elif dm_tags is not None:
                    record[field.name] = dm_tags[row.id]
                else:
                    record[field.name] = _split(row.tags)
            yield record


def _split(tags: str) -> list[str]:
    return [t for t in tags.split(",") if t]


def write_json(s: Session, stream: TextIO) -> dict[str, int]:
    """The whole store as one JSON object, written as it is read; returns the counts.

    The text is what ``json.dumps(document, indent=2)`` would give, without holding the
    document in memory.
    """
    counts: dict[str, int] = {}
    stream.write("{\n")
    for key, value in header(s).items():
        stream.write(f"  {_dumps(key)}: {_dumps(value)},\n")
    for i, section in enumerate(SECTIONS):
        stream.write(f"  {_dumps(section.key)}: [")
        n = 0
        for record in records(s, section):
            text = _dumps(record, indent=2).replace("\n", "\n    ")
            stream.write(("," if n else "") + "\n    " + text)
            n += 1
        stream.write("\n  ]" if n else "]")
        stream.write(",\n" if i < len(SECTIONS) - 1 else "\n")
        counts[section.key] = n
    stream.write("}\n")
    return counts


def _dumps(value: Any, indent: int | None = None) -> str:
    return json.dumps(value, default=jsonable, ensure_ascii=False, indent=indent)


def section_counts(counts: Mapping[str, int]) -> str:
    """'3 decision makers, 5 calls, ...' for a message."""
    words = {
        "decision_makers": ("decision maker", "decision makers"),
        "calls": ("call", "calls"),
        "notes": ("note", "notes"),
        "jobs": ("job", "jobs"),
        "candidates": ("candidate", "candidates"),
        "events": ("event", "events"),
        "call_hooks": ("call hook", "call hooks"),
        "open_loops": ("loop", "loops"),
        "candidate_calls": ("candidate call", "candidate calls"),
        "submissions": ("submission", "submissions"),
        "delivery_calls": ("planned delivery call", "planned delivery calls"),
        "erasures": ("erasure", "erasures"),
        "suppressions": ("suppression entry", "suppression entries"),
    }
    quiet = {section.key for section in SECTIONS if not section.required}
    parts = []
    for key, n in counts.items():
        if key in quiet and not n:  # "0 erasures" would say nothing to most people
            continue
        one, many = words.get(key, (key, key))
        parts.append(f"{n} {one if n == 1 else many}")
    return ", ".join(parts)
