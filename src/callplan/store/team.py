"""A team store on PostgreSQL where the server decides who may change what.

Each recruiter logs in as a PostgreSQL role of their own, mapped to their name in the
``recruiter`` table (``recruiter.role``). Two group roles carry the grants:
``callplan_recruiter`` (every recruiter) and ``callplan_lead`` (team leads, who are
recruiters too). ``init`` creates them, grants what the commands need and nothing more,
and turns on row-level security with the policies below; the rules row-level security
can't express (a colleague's DM: only its place in the cycle may change) are the
triggers of migrations 0018 and 0019, which also write the team log (``team_event``).

What each may do:

- everyone reads every DM, call and note (the shared file: how double calls are avoided);
- a recruiter logs calls and writes notes as themselves, and changes or deletes only
  their own (and what a call records beside it: its hooks, referrals, the DM as it was);
  changes the details (and tags) of DMs they own and of prospects nobody owns, and of
  their own candidates; plans (claims) prospects for themselves;
- reassigning a colleague's DM or candidate, changing their details or status, erasing
  anyone (``dm forget``, ``candidate forget``, ``prune``) need the lead role;
- nobody but the owner writes the store's settings (the key of erased people's hashes);
- the database owner (who runs ``team init`` and upgrades) is bound by none of it.

The rules' functions run with a search path of their own (migration 0019), so nothing
a recruiter's session creates (a temporary table called ``recruiter``) changes who they
are; a connection the store doesn't know as a recruiter is refused, not spared.

Nothing here runs on SQLite: a personal store has one recruiter and no roles.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from callplan.core.names import name_key
from callplan.errors import NotAllowed, UsageError
from callplan.store import privacy
from callplan.store.models import DecisionMaker, Recruiter, TeamEvent

RECRUITERS = "callplan_recruiter"
LEADS = "callplan_lead"

# Tables no recruiter writes directly: who the recruiters are (team add), the schema's
# revision, the team log (only the server's callplan_log writes it, as the database's
# owner), the store's own settings (the key of the erased people's hashes: made by team
# init and team add) and an erasure's records (a lead's: LEAD_ONLY).
READ_ONLY = ("recruiter", "alembic_version", "team_event", "store_meta")
LEAD_ONLY = ("suppression", "erasure")

# Row-level security: (table, policy, command, USING, WITH CHECK). Every table listed
# is readable by everyone; a command a table has no policy for is refused on it.
ME = "callplan_me()"
LEAD = "callplan_is_lead()"
MINE = f"recruiter = {ME}"
# The row's DM is nobody's, or the recruiter's own.
MY_DM = (
    "EXISTS (SELECT 1 FROM decision_maker d WHERE d.id = dm_id"
    " AND (d.owner IS NULL OR d.owner = callplan_me()))"
)
# The row's call is the recruiter's own (or a lead's to change).
MY_CALL = (
    "EXISTS (SELECT 1 FROM call c WHERE c.id = call_id AND c.recruiter = callplan_me())"
    " OR callplan_is_lead()"
)
POLICIES: tuple[tuple[str, str, str, str | None, str | None], ...] = (
    # A DM: anyone adds one to the pool or as their own; its details are the trigger's
    # (callplan_dm_rules); erasing one needs a lead. Its tags are its details.
    ("decision_maker", "add", "INSERT", None, f"owner IS NULL OR owner = {ME} OR {LEAD}"),
    ("decision_maker", "change", "UPDATE", "true", "true"),
    ("decision_maker", "erase", "DELETE", LEAD, None),
    ("dm_tag", "tag", "ALL", f"{MY_DM} OR {LEAD}", f"{MY_DM} OR {LEAD}"),
    # A candidate, the same (callplan_candidate_rules, migration 0019).
    ("candidate", "add", "INSERT", None, f"owner IS NULL OR owner = {ME} OR {LEAD}"),
    ("candidate", "change", "UPDATE", "true", "true"),
    ("candidate", "erase", "DELETE", LEAD, None),
    # A call: logged as yourself; changed as callplan_call_rules allows (a call logged
    # before a colleague's renumbers theirs); deleted if yours. What it records beside
    # (the DM as it found it, the hooks used, the DMs it added) is its recruiter's.
    ("call", "log", "INSERT", None, f"{MINE} OR {LEAD}"),
    ("call", "change", "UPDATE", "true", "true"),
    ("call", "delete", "DELETE", f"{MINE} OR {LEAD}", None),
    # (A call taken back passes the DM as it found them on to the call after it, which
    # may be a colleague's: anyone may change that row, not add or delete one.)
    ("call_before", "add", "INSERT", None, MY_CALL),
    ("call_before", "pass", "UPDATE", "true", "true"),
    ("call_before", "delete", "DELETE", MY_CALL, None),
    ("call_hook", "own", "ALL", MY_CALL, MY_CALL),
    ("call_referral", "own", "ALL", MY_CALL, MY_CALL),
    ("candidate_call", "log", "INSERT", None, f"{MINE} OR {LEAD}"),
    ("candidate_call", "change", "UPDATE", f"{MINE} OR {LEAD}", f"{MINE} OR {LEAD}"),
    ("candidate_call", "delete", "DELETE", f"{MINE} OR {LEAD}", None),
    # A note: written as yourself, or as nobody's (a contacts file's notes, imported).
    ("note", "write", "INSERT", None, f"{MINE} OR recruiter IS NULL OR {LEAD}"),
    ("note", "change", "UPDATE", f"{MINE} OR {LEAD}", f"{MINE} OR {LEAD}"),
    ("note", "delete", "DELETE", f"{MINE} OR {LEAD}", None),
    # Today's claims: made for yourself, of a prospect nobody else owns; an earlier day's
    # is replaced by whoever plans; released by who made it, a lead, or in a hand-over of
    # a DM that is the releaser's (or nobody's) to hand over.
    ("claim", "claim", "INSERT", None, f"{MINE} AND {MY_DM}"),
    ("claim", "replace", "UPDATE", "true", f"{MINE} AND {MY_DM}"),
    ("claim", "release", "DELETE", f"{MINE} OR {LEAD} OR {MY_DM}", None),
    # Your own goals and sweeps (a lead's erasure scrubs a person's name from anyone's).
    ("day_goal", "own", "ALL", f"{MINE} OR {LEAD}", f"{MINE} OR {LEAD}"),
    ("sweep_run", "own", "ALL", f"{MINE} OR {LEAD}", f"{MINE} OR {LEAD}"),
    # An erasure's records, and lifting one (`dm add --force`): a lead's of this store
    # (the lead role is the server's: a lead elsewhere holds its grants here too).
    ("suppression", "erase", "INSERT", None, LEAD),
    ("suppression", "lift", "DELETE", LEAD, None),
    ("erasure", "erase", "INSERT", None, LEAD),
    # The team log: read by all; written only by the server's functions (migration
    # 0019's callplan_log, as the database's owner), so no policy lets anyone write it.
    ("team_event", "read", "SELECT", "true", None),
)
SECURED = tuple(dict.fromkeys(table for table, *_ in POLICIES))

ROLE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


@dataclass(frozen=True)
class Identity:
    """Who a connection to a team store is."""

    role: str  # the PostgreSQL role it logged in as
    recruiter: str | None  # the recruiter that role is, if any
    team: bool  # some recruiter of the store has a role: the store's rules are on
    member: bool  # the role is a member of callplan_recruiter
    admin: bool  # a superuser, or a member of the role that owns the database


def is_team_store(s: Session) -> bool:
    return s.get_bind().dialect.name == "postgresql"


def identity(s: Session) -> Identity:
    """Who this connection is, in one query (PostgreSQL only)."""
    row = (
        s.connection()
        .execute(
            sa.text(
                "SELECT current_user::text,"
                " (SELECT name FROM recruiter WHERE role = current_user::text),"
                " EXISTS (SELECT 1 FROM recruiter WHERE role IS NOT NULL),"
                " EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :group)"
                "   AND pg_has_role(current_user, :group, 'MEMBER'),"
                " (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)"
                "   OR pg_has_role(current_user, (SELECT datdba FROM pg_database"
                "      WHERE datname = current_database()), 'MEMBER')"
            ),
            {"group": RECRUITERS},
        )
        .one()
    )
    return Identity(str(row[0]), row[1], bool(row[2]), bool(row[3]), bool(row[4]))


def is_admin(s: Session) -> bool:
    """Whether this connection's role is a superuser or the database's owner (asks
    nothing of callplan's tables: an older schema is fine)."""
    return _administers(
        s, s.connection().execute(sa.text("SELECT current_user::text")).scalar_one()
    )


def is_lead(s: Session) -> bool:
    return bool(s.connection().execute(sa.text("SELECT callplan_is_lead()")).scalar())


def bound(s: Session) -> str | None:
    """The recruiter a team store's rules bind on this connection: None on SQLite, for
    the database's owner and for a lead."""
    if not is_team_store(s):
        return None
    me = identity(s).recruiter
    return None if me is None or is_lead(s) else me


def check_own(s: Session, *, whose: str | None, what: str, action: str) -> None:
    """On a team store, refuse a recruiter who is not a lead ``action`` on ``what``,
    which is ``whose`` (a colleague's call, say): the server would refuse it too, but
    quietly (row-level security skips rows it hides) or in other words."""
    me = bound(s)
    if me is not None and whose != me:
        raise NotAllowed(
            f"{what} is {whose or 'nobody'}'s: only {whose or 'its recruiter'} or a team lead "
            f"may {action} it. Nothing was written."
        )


def check_details(s: Session, *, owner: str | None, name: str, candidate: bool = False) -> None:
    """On a team store, refuse a recruiter who is not a lead a change to a colleague's DM
    (or ``candidate``) ``name`` that the server would let through or skip rather than
    refuse (untagging; moving their next call by hand, placing a candidate), in the
    words of its rule (callplan_dm_rules, callplan_candidate_rules)."""
    me = None if owner is None else bound(s)
    if me is not None and owner != me:
        whose = f"{owner} looks after {name}" if candidate else f"{owner} owns {name}"
        raise NotAllowed(
            f"{whose}: only {owner} or a team lead may change their details. Nothing was written."
        )


def check_lead(s: Session, *, action: str, command: str) -> None:
    """On a team store, refuse ``action`` to a recruiter who is not a lead."""
    if bound(s) is not None:
        raise NotAllowed(
            f"{action} on this team store needs a team lead: ask one to run {command}. "
            "Nothing was written."
        )


# --- set-up ---------------------------------------------------------------------------


def _sql() -> Any:
    """psycopg's SQL composition (identifiers and literals quoted by the driver): the
    PostgreSQL driver is an extra, so it is imported only on a team store."""
    from psycopg import sql

    return sql


def init_statements(s: Session) -> list[Any]:
    """The SQL of `team init` (psycopg ``Composed`` statements): the group roles (if
    missing), their grants, and row-level security with its policies on this database.
    Safe to run again (after an upgrade that added tables, say): same result."""
    sql = _sql()
    conn = s.connection()
    database = conn.execute(sa.text("SELECT current_database()")).scalar_one()
    schema = sql.Identifier(conn.execute(sa.text("SELECT current_schema()")).scalar_one())
    tables = list(
        conn.execute(
            sa.text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        ).scalars()
    )
    writable = [t for t in tables if t not in READ_ONLY + LEAD_ONLY]
    db = sql.Identifier(database)
    logins = list(  # the store's recruiters' logins the server has
        conn.execute(
            sa.text(
                "SELECT r.role FROM recruiter r JOIN pg_roles p ON p.rolname = r.role"
                " ORDER BY r.role"
            )
        ).scalars()
    )
    names = {"recruiters": sql.Identifier(RECRUITERS), "leads": sql.Identifier(LEADS)}

    def each(text: str, **more: Any) -> Any:
        return sql.SQL(text).format(**names, **more)

    out = [
        _create_group(RECRUITERS),
        _create_group(LEADS),
        each("GRANT {recruiters} TO {leads}"),
        # What an earlier `team init` granted goes first: a table may have become
        # read-only since (store_meta did in 0019), and temporary tables are no job of
        # callplan's.
        each(
            "REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {recruiters}, {leads}",
            schema=schema,
        ),
        # The group roles are the server's, the same in every database: only the logins
        # of this store's recruiters (and its owner) may connect to it.
        each(
            "REVOKE CONNECT, TEMPORARY ON DATABASE {db} FROM PUBLIC, {recruiters}, {leads}", db=db
        ),
        *[
            each("GRANT CONNECT ON DATABASE {db} TO {role}", db=db, role=sql.Identifier(role))
            for role in logins
        ],
        each("GRANT USAGE ON SCHEMA {schema} TO {recruiters}", schema=schema),
        each("GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {recruiters}", schema=schema),
        each(
            "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {recruiters}",
            schema=schema,
        ),
        each(
            "GRANT INSERT, UPDATE, DELETE ON {tables} TO {recruiters}",
            tables=sql.SQL(", ").join(map(sql.Identifier, writable)),
        ),
        each("GRANT INSERT ON erasure TO {leads}"),
        each("GRANT INSERT, DELETE ON suppression TO {leads}"),
        each("GRANT EXECUTE ON FUNCTION callplan_me(), callplan_is_lead() TO {recruiters}"),
    ]
    policies = [
        *((t, "read", "SELECT", "true", None) for t in SECURED if t != "team_event"),
        *POLICIES,
    ]
    for table in SECURED:
        out.append(each("ALTER TABLE {t} ENABLE ROW LEVEL SECURITY", t=sql.Identifier(table)))
    for table, name, command, using, check in policies:
        where = {"p": sql.Identifier(f"callplan_{name}"), "t": sql.Identifier(table)}
        out.append(each("DROP POLICY IF EXISTS {p} ON {t}", **where))
        statement = each("CREATE POLICY {p} ON {t} FOR {c}", c=sql.SQL(command), **where)
        if using is not None:  # the expressions are this module's own text, not input
            statement += sql.SQL(" USING ({})").format(sql.SQL(using))
        if check is not None:
            statement += sql.SQL(" WITH CHECK ({})").format(sql.SQL(check))
        out.append(statement)
    return out


def _create_group(role: str) -> Any:
    # Roles belong to the whole server: another callplan database may have made it.
    sql = _sql()
    return sql.SQL(
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = {name}) THEN "
        "CREATE ROLE {role} NOLOGIN; END IF; "
        "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
    ).format(name=sql.Literal(role), role=sql.Identifier(role))


def _run(s: Session, statements: Sequence[Any]) -> None:
    conn = s.connection()
    for statement in statements:
        conn.exec_driver_sql(render(s, statement))


def render(s: Session, statement: Any) -> str:
    """A composed statement as the text the server is sent."""
    raw = s.connection().connection.driver_connection
    return str(statement.as_string(raw))


def initialised(s: Session) -> bool:
    """Whether `team init` has run on this database (its policies are in place)."""
    return bool(
        s.connection()
        .execute(
            sa.text(
                "SELECT EXISTS (SELECT 1 FROM pg_policies WHERE schemaname = current_schema()"
                " AND policyname = 'callplan_read')"
            )
        )
        .scalar()
    )


def init(s: Session) -> None:
    """Run `team init` in the caller's transaction (as the database owner)."""
    must_be_admin(s, "set up the team")
    _run(s, init_statements(s))
    # The key of erased people's hashes, made now: the recruiters may not write it.
    privacy.store_key(s, create=True)


def must_be_admin(s: Session, what: str) -> Identity:
    who = identity(s)
    if not who.admin:
        raise NotAllowed(
            f"Only the database's owner can {what} (you are logged in as {who.role!r}). "
            "Nothing was written."
        )
    return who


def login_for(name: str) -> str:
    """The role a recruiter's login gets by default: their name in lower case ASCII,
    words joined by underscores ('Priya Shah' -> 'priya_shah')."""
    key = re.sub(r"[^a-z0-9]+", "_", name_key(name)).strip("_")
    if not key:
        raise UsageError(f"{name!r} gives no login name: choose one with --login.")
    return key if not key[0].isdigit() else f"r_{key}"[:63]


def check_role(role: str) -> str:
    if not ROLE.match(role) or role.startswith("pg_") or role in (RECRUITERS, LEADS):
        raise UsageError(
            f"{role!r} can't be a login: use lower-case letters, digits and underscores "
            "(up to 63, not starting with a digit or pg_)."
        )
    return role


@dataclass(frozen=True)
class Added:
    name: str
    role: str
    lead: bool
    password: str | None  # None: the role was there already (its password unchanged)
    statements: list[str]  # the SQL, as an administrator would run it


def role_exists(s: Session, role: str) -> bool:
    q = sa.text("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :r)")
    return bool(s.connection().execute(q, {"r": role}).scalar())


def add(s: Session, *, name: str, role: str, lead: bool, create: bool) -> Added:
    """Make ``name`` a recruiter of the team, logging in as ``role``: the role is created
    (with a new password) unless it is there already, and made a member of the
    recruiters (and leads); the store maps it to the name (a recruiter already working
    the store keeps their book). ``create`` False: the role's SQL is returned for an
    administrator to run, and only the mapping is written."""
    must_be_admin(s, "add recruiters")
    if not initialised(s):
        raise UsageError("The team isn't set up on this store yet: run callplan team init first.")
    check_role(role)
    key = name_key(name)
    known = s.get(Recruiter, key)
    taken = s.exec(select(Recruiter).where(col(Recruiter.role) == role)).first()
    if taken is not None and taken.key != key:
        raise UsageError(f"The login {role!r} is {taken.name}'s already. Nothing was written.")
    if known is not None and known.role not in (None, role):
        raise UsageError(f"{known.name} logs in as {known.role!r} already. Nothing was written.")
    if _administers(s, role):
        raise UsageError(
            f"{role!r} is the database's owner or a superuser, whom no rule binds: a "
            "recruiter needs a login of their own. Nothing was written."
        )
    sql = _sql()
    database = s.connection().execute(sa.text("SELECT current_database()")).scalar_one()
    password = None
    statements: list[Any] = []
    who = {
        "role": sql.Identifier(role),
        "r": sql.Identifier(RECRUITERS),
        "l": sql.Identifier(LEADS),
    }
    if not role_exists(s, role):
        password = secrets.token_urlsafe(18)
        statements.append(
            sql.SQL("CREATE ROLE {role} LOGIN PASSWORD {p}").format(p=sql.Literal(password), **who)
        )
    statements.append(sql.SQL("GRANT {r} TO {role}").format(**who))
    if lead:  # (never revoked: the role is the server's, it may lead another store)
        statements.append(sql.SQL("GRANT {l} TO {role}").format(**who))
    statements.append(
        sql.SQL("GRANT CONNECT ON DATABASE {db} TO {role}").format(
            db=sql.Identifier(database), **who
        )
    )
    if create:
        _run(s, statements)
    privacy.store_key(s, create=True)  # if `team init --sql` ran: the recruiters can't
    if known is None:
        known = Recruiter(key=key, name=name, role=role)
    known.role, known.lead = role, lead
    s.add(known)
    s.flush()
    return Added(known.name, role, lead, password, [render(s, x) for x in statements])


def _administers(s: Session, role: str) -> bool:
    """Whether ``role`` is a superuser or the database's owner (or one of its members)."""
    q = sa.text(
        "SELECT rolsuper OR pg_has_role(rolname, (SELECT datdba FROM pg_database"
        " WHERE datname = current_database()), 'MEMBER') FROM pg_roles WHERE rolname = :r"
    )
    return bool(s.connection().execute(q, {"r": role}).scalar())


@dataclass(frozen=True)
class Member:
    name: str
    role: str | None
    lead: bool
    can_login: bool
    dms: int


def members(s: Session) -> list[Member]:
    """Every recruiter of the store, with their role, whether they lead and may log in,
    and how many DMs they own."""
    owned = (
        select(func.count())
        .select_from(DecisionMaker)
        .where(col(DecisionMaker.owner) == col(Recruiter.name))
        .scalar_subquery()
    )
    rows = s.exec(
        select(Recruiter.name, Recruiter.role, Recruiter.lead, owned).order_by(col(Recruiter.key))
    ).all()
    # Whether each login may log in, and holds the lead role (an administrator may have
    # revoked it): one query for all. A lead of this store is marked so here too.
    server = {
        str(name): (bool(login), bool(holds))
        for name, login, holds in s.connection().execute(
            sa.text(
                "SELECT rolname, rolcanlogin, CASE WHEN EXISTS (SELECT 1 FROM pg_roles"
                " WHERE rolname = :lead) THEN pg_has_role(oid, :lead, 'MEMBER') ELSE false"
                " END FROM pg_roles WHERE rolname = ANY(:names)"
            ),
            {"lead": LEADS, "names": [r[1] for r in rows if r[1]]},
        )
    }
    return [
        Member(name, role, lead and holds, login, int(dms))
        for name, role, lead, dms in rows
        for login, holds in [server.get(role or "", (False, False))]
    ]


def role_of(s: Session, *, name: str) -> str | None:
    known = s.get(Recruiter, name_key(name))
    return known.role if known is not None else None


def disable(s: Session, *, role: str) -> None:
    """Stop a role logging in (its grants stay, for the record of what it did)."""
    sql = _sql()
    _run(s, [sql.SQL("ALTER ROLE {} NOLOGIN").format(sql.Identifier(role))])


@dataclass(frozen=True)
class Logged:
    at: datetime
    actor: str | None
    role: str
    action: str
    dm_id: int | None
    dm: str | None  # the DM's name now (None: erased, or an id no longer there)
    detail: str | None


def events(s: Session, *, limit: int | None = None, since: datetime | None = None) -> list[Logged]:
    """The team log, newest first."""
    q = (
        select(TeamEvent, DecisionMaker.name)
        .outerjoin(DecisionMaker, col(DecisionMaker.id) == col(TeamEvent.dm_id))
        .order_by(col(TeamEvent.at).desc(), col(TeamEvent.id).desc())
    )
    if since is not None:
        q = q.where(col(TeamEvent.at) >= since)
    if limit is not None:
        q = q.limit(limit)
    return [
        Logged(e.at, e.actor, e.role, e.action, e.dm_id, name, e.detail)
        for e, name in s.exec(q).all()
    ]


def statements_text(statements: Sequence[str]) -> str:
    return "".join(f"{statement};\n" for statement in statements)
