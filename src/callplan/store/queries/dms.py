"""Decision makers: finding, adding, listing, tagging."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select
from sqlmodel.sql.expression import SelectOfScalar

from callplan.core import wording
from callplan.core.kinds import LawfulBasis, Status
from callplan.core.names import name_key
from callplan.core.notes import FIELD_NAMES
from callplan.errors import AmbiguousDM, DMNotFound, UsageError
from callplan.store.models import (
    Call,
    DecisionMaker,
    DMTag,
    Note,
)
from callplan.store.queries.common import ID_RANGE, unindexed
from callplan.store.queries.diary import due_condition
from callplan.store.queries.hooks import MAX_CANDIDATES
from callplan.store.queries.prospects import needs_a_number

# --- decision makers ---------------------------------------------------------------


def describe(dm: DecisionMaker) -> str:
    where = f", {dm.company}" if dm.company else ""
    status = "" if dm.status == Status.ACTIVE else f", {dm.status}"
    return f"#{dm.id} {dm.name}{where}{status}"


def find_dm(s: Session, *, ref: str) -> DecisionMaker:
    """A DM by id, or by name: exact, then unique prefix, then unique substring.

    A prefix needs two letters and a substring three, so a stray 'a' never picks someone.
    """
    text = ref.strip().lstrip("#")
    if not text:
        raise UsageError("Name a decision maker (a name or an id).")
    if text.isascii() and text.isdigit():  # not '²', which is a digit but no number
        dm = s.get(DecisionMaker, int(text)) if int(text) in ID_RANGE else None
        if dm is None:
            raise DMNotFound(f"No decision maker has id {text}.")
        return dm
    key = name_key(text)
    _, found = matching(s, key=key)
    if len(found) == 1:
        return found[0]
    if found:
        raise AmbiguousDM(ref, [describe(dm) for dm in found])
    if len(key) < 3:
        raise DMNotFound(f"No decision maker matches {ref!r}: type more of the name, or the id.")
    near = _near_names(s, key)
    if near:
        raise DMNotFound(f"No decision maker matches {ref!r}. Did you mean {_either(near)}?")
    raise DMNotFound(f"No decision maker matches {ref!r}. See 'callplan dm list'.")


def matching(s: Session, *, key: str) -> tuple[int, list[DecisionMaker]]:
    """The DMs whose name key (core.names.name_key) is ``key``, else starts with it (two
    letters or more), else holds it (three or more), with how well they matched (0, 1,
    2, as queries.candidates ranks candidates); the first of those that finds anyone.
    ``(3, [])`` when none does."""
    like = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    tries = [col(DecisionMaker.name_key) == key]
    if len(key) >= 2:
        tries.append(
            sa.and_(
                col(DecisionMaker.name_key) >= key, col(DecisionMaker.name_key) < key + "\uffff"
            )
        )
    if len(key) >= 3:
        tries.append(col(DecisionMaker.name_key).like(f"%{like}%", escape="\\"))
    for rank, condition in enumerate(tries):
        found = s.exec(
            select(DecisionMaker)
            .where(condition)
            .order_by(col(DecisionMaker.name_key), col(DecisionMaker.id))
            .limit(MAX_CANDIDATES + 1)
        ).all()
        if found:
            return rank, list(found)
    return 3, []


# What a note says in words, searched by ``search``: its text and every named field but
# interest (hot, warm, cold).
NOTE_TEXTS = ("text", *(f for f in FIELD_NAMES if f != "interest"))


def search(s: Session, *, text: str, limit: int = 20) -> list[tuple[DecisionMaker, str]]:
    """The DMs ``text`` finds, each with where it was found: by name ("name", as
    ``matching`` ranks them), then in the company ("company"), then in a note, its text
    or a field ("note"), then in a call's summary ("call"), any case; at most ``limit``,
    each DM once. Two letters are needed for the company and three for the rest, each
    read only when what came before found fewer than ``limit``."""
    key = name_key(text)
    found: dict[int, tuple[DecisionMaker, str]] = {}
    if key:
        _, by_name = matching(s, key=key)
        found.update((dm.id, (dm, "name")) for dm in by_name[:limit] if dm.id is not None)
    low = " ".join(text.split()).lower()
    like = "%" + low.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    # Any case: SQLite's LIKE ignores case already (as its lower() does, for ASCII), and
    # lower() on every row read would double the cost of a scan; PostgreSQL's ILIKE.
    sqlite = s.get_bind().dialect.name == "sqlite"

    def has(column: Any) -> sa.ColumnElement[bool]:
        c = col(column)
        return c.like(like, escape="\\") if sqlite else c.ilike(like, escape="\\")

    wanted: list[tuple[str, int, sa.ColumnElement[bool]]] = [
        ("company", 2, has(DecisionMaker.company)),
        (
            "note",
            3,
            col(DecisionMaker.id).in_(
                select(Note.dm_id).where(sa.or_(*(has(getattr(Note, f)) for f in NOTE_TEXTS)))
            ),
        ),
        ("call", 3, col(DecisionMaker.id).in_(select(Call.dm_id).where(has(Call.summary)))),
    ]
    for where, shortest, condition in wanted:
        if len(low) < shortest or len(found) >= limit:
            continue
        q = select(DecisionMaker).where(condition)
        if found:
            q = q.where(col(DecisionMaker.id).not_in(list(found)))
        # The table read in its order and the few found sorted after: walking the name
        # index instead to stop at ``limit`` reads every row out of order when few match.
        order = (unindexed(DecisionMaker.name_key), col(DecisionMaker.id))
        rows = s.exec(q.order_by(*order).limit(limit))
        found.update((dm.id, (dm, where)) for dm in rows if dm.id is not None)
    return list(found.values())[:limit]


def _near_names(s: Session, key: str, most: int = 3) -> list[str]:
    """The DMs whose name, or one word of it, is spelled nearly like ``key`` (a typo):
    read only when nothing matched, one column of the table."""
    rows = s.exec(select(DecisionMaker.id, DecisionMaker.name, DecisionMaker.name_key)).all()
    words: dict[str, set[int]] = {}
    for id_, _, name_key_ in rows:
        assert id_ is not None
        for word in {name_key_, *name_key_.split()}:
            words.setdefault(word, set()).add(id_)
    close = difflib.get_close_matches(key, list(words), n=most, cutoff=0.8)
    ids = sorted({i for word in close for i in words[word]})[:most]
    names = {id_: name for id_, name, _ in rows if id_ is not None}
    return [f"{names[i]} (#{i})" for i in ids]


def _either(names: list[str]) -> str:
    return wording.listed(names, last="or")


def add_dm(
    s: Session,
    *,
    name: str,
    company: str | None = None,
    title: str | None = None,
    phone: str | None = None,
    email: str | None = None,
    linkedin: str | None = None,
    tags: Sequence[str] = (),
    referred_by: DecisionMaker | None = None,
    lawful_basis: str | None = None,
    ctps: bool = False,
    owner: str | None = None,
) -> DecisionMaker:
    dm = DecisionMaker(
        owner=owner,
        name=name,
        name_key=name_key(name),
        company=company,
        title=title,
        phone=phone,
        email=email,
        linkedin=linkedin,
        referred_by_id=referred_by.id if referred_by else None,
        lawful_basis=lawful_basis or LawfulBasis.LEGITIMATE_INTEREST,
        ctps=ctps,
    )
    s.add(dm)
    s.flush()
    assert dm.id is not None
    set_tags(s, dm_id=dm.id, add=tags)
    return dm


def same_person(s: Session, *, name: str, company: str | None) -> DecisionMaker | None:
    """An existing DM with the same name (ignoring case and accents) at the same company."""
    query = select(DecisionMaker).where(col(DecisionMaker.name_key) == name_key(name))
    for dm in s.exec(query.limit(MAX_CANDIDATES)):
        if name_key(dm.company or "") == name_key(company or ""):
            return dm
    return None


def set_tags(
    s: Session, *, dm_id: int, add: Iterable[str] = (), remove: Iterable[str] = ()
) -> None:
    gone = {t.strip().lower() for t in remove if t.strip()}
    wanted = {t.strip().lower() for t in add if t.strip()}
    if not gone and not wanted:
        return
    if gone:
        s.exec(sa.delete(DMTag).where(col(DMTag.dm_id) == dm_id, col(DMTag.tag).in_(gone)))
    have = set(s.exec(select(DMTag.tag).where(DMTag.dm_id == dm_id)).all())
    for tag in sorted(wanted - have):
        s.add(DMTag(dm_id=dm_id, tag=tag))
    s.flush()


def tags_of(s: Session, *, dm_ids: Sequence[int]) -> dict[int, list[str]]:
    tags: dict[int, list[str]] = {i: [] for i in dm_ids}
    if dm_ids:
        rows = s.exec(
            select(DMTag.dm_id, DMTag.tag)
            .where(col(DMTag.dm_id).in_(dm_ids))
            .order_by(col(DMTag.tag))
        )
        for dm_id, tag in rows:
            tags[dm_id].append(tag)
    return tags


def names_of(s: Session, *, dm_ids: Iterable[int | None]) -> dict[int, str]:
    ids = {i for i in dm_ids if i is not None}
    if not ids:
        return {}
    rows = s.exec(
        select(DecisionMaker.id, DecisionMaker.name).where(col(DecisionMaker.id).in_(ids))
    )
    return {i: n for i, n in rows if i is not None}


LIST_STATUSES = (
    "active", "prospect", "need-number", "contact", "due", "archived", "dnc", "all"
)  # fmt: skip


def list_dms(
    s: Session,
    *,
    status: str = "active",
    company: str | None = None,
    tag: str | None = None,
    search: str | None = None,
    on: date,
    limit: int | None = None,
    owner: str | None = None,
) -> list[DecisionMaker]:
    """DMs filtered in SQL. Status: active (not archived or do-not-call), prospect (never
    spoken to), need-number (a prospect with no number to ring), contact (spoken to), due
    (diarised for ``on`` or earlier), archived, dnc, all.
    ``owner``: that recruiter's DMs only.
    """
    q = dms_query(status=status, company=company, tag=tag, search=search, on=on, owner=owner)
    if limit is not None:
        q = q.limit(limit)
    return list(s.exec(q).all())


def dms_query(
    *,
    status: str = "active",
    company: str | None = None,
    tag: str | None = None,
    search: str | None = None,
    on: date,
    owner: str | None = None,
) -> SelectOfScalar[DecisionMaker]:
    """The query behind ``list_dms``, ordered by name, for callers that stream its rows."""
    q = select(DecisionMaker)
    dm = DecisionMaker
    if owner is not None:
        q = q.where(dm.owner == owner)
    if status in ("active", "prospect", "need-number", "contact", "due"):
        q = q.where(dm.status == Status.ACTIVE)
    if status == "prospect":
        q = q.where(dm.conversation_count == 0)
    elif status == "need-number":
        q = q.where(dm.conversation_count == 0, needs_a_number())
    elif status == "contact":
        q = q.where(dm.conversation_count > 0)
    elif status == "due":
        q = q.where(due_condition(on=on))
    elif status == "archived":
        q = q.where(dm.status == Status.ARCHIVED)
    elif status == "dnc":
        q = q.where(dm.status == Status.DNC)
    elif status not in ("active", "all"):
        raise UsageError(f"Unknown status {status!r}: use one of {', '.join(LIST_STATUSES)}.")
    if company:
        q = q.where(func.lower(dm.company).contains(company.strip().lower(), autoescape=True))
    if tag:
        tagged = select(DMTag.dm_id).where(DMTag.tag == tag.strip().lower())
        q = q.where(col(dm.id).in_(tagged))
    if search:
        key = name_key(search)
        text = search.strip().lower()
        q = q.where(
            sa.or_(
                col(dm.name_key).contains(key, autoescape=True),
                func.lower(dm.company).contains(text, autoescape=True),
                func.lower(dm.title).contains(text, autoescape=True),
                func.lower(dm.email).contains(text, autoescape=True),
                col(dm.phone).contains(search.strip(), autoescape=True),
            )
        )
    return q.order_by(col(dm.name_key), col(dm.id))


def count_dms(s: Session) -> int:
    return int(s.exec(select(func.count()).select_from(DecisionMaker)).one())


def count_unowned_contacts(s: Session) -> int:
    """Active DMs spoken to who have no owner (from an old import or a hand-over): no
    recruiter's plan or sweep places them (the ix_dm_owner_status index)."""
    dm = DecisionMaker
    q = (
        select(func.count())
        .select_from(dm)
        .where(
            col(dm.owner).is_(None),
            dm.status == Status.ACTIVE,
            col(dm.conversation_count) > 0,
        )
    )
    return int(s.exec(q).one())


def referred_by(s: Session, *, dm_id: int) -> list[DecisionMaker]:
    """The DMs this one referred, oldest first."""
    q = (
        select(DecisionMaker)
        .where(DecisionMaker.referred_by_id == dm_id)
        .order_by(col(DecisionMaker.id))
    )
    return list(s.exec(q).all())


def count_in_tier(s: Session, *, tier: str) -> int:
    """The DMs given the cadence tier ``tier`` (the ix_dm_tier index)."""
    q = select(func.count()).select_from(DecisionMaker).where(col(DecisionMaker.tier) == tier)
    return int(s.exec(q).one())
