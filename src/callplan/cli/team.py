"""`callplan team`: a team store on PostgreSQL where each recruiter logs in as a role of
their own and the server decides who may change what (store.team, docs/team.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from callplan.cli import options, output
from callplan.cli.context import runtime
from callplan.core import wording
from callplan.errors import RecruiterNotFound, UsageError

if TYPE_CHECKING:
    from sqlmodel import Session

    from callplan.cli.context import Runtime

app = typer.Typer(
    help=(
        "A team store on PostgreSQL: each recruiter a database login, the server deciding "
        "who may change what (docs/team.md)."
    ),
    no_args_is_help=False,
    invoke_without_command=True,
)
app.callback()(options.show_help_without_command)

SQL = typer.Option(
    False, "--sql", help="Print the SQL for an administrator to run instead of running it."
)


def _team(rt: Runtime) -> None:
    if rt.store_engine.dialect.name != "postgresql":
        raise UsageError(
            "Team roles are for a store on PostgreSQL shared by a team; a personal SQLite "
            "store has one recruiter and needs none (docs/team.md)."
        )


@app.command("init")
def init(ctx: typer.Context, sql: bool = SQL) -> None:
    """Set the team up on this store (once, as the database's owner): the roles
    callplan_recruiter and callplan_lead, their grants and row-level security. Every
    recruiter's book is kept. Run again after an upgrade; it changes nothing else."""
    from callplan.store import team
    from callplan.store.db import store_name

    rt = runtime(ctx)
    _team(rt)
    if sql:
        with rt.reading() as s:
            statements = [team.render(s, x) for x in team.init_statements(s)]
        output.echo(team.statements_text(statements).rstrip("\n"))
        return
    with rt.writing() as s:
        team.init(s)
        members = team.members(s)
    without = [m.name for m in members if m.role is None]
    output.echo(
        f"The team is set up on {store_name(rt.store_engine)}: the roles {team.RECRUITERS} "
        f"and {team.LEADS}, row-level security on {len(team.SECURED)} tables."
    )
    if without:
        output.echo(
            f"No login yet for {', '.join(without)}: their books are kept; give each one with "
            "callplan team add NAME."
        )
    else:
        output.echo("Give each recruiter a login with callplan team add NAME (--lead for a lead).")


@app.command("add")
def add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The recruiter's name, as the team sees it."),
    lead: bool = typer.Option(
        False, "--lead", help="A team lead: may reassign, edit and erase anyone's DMs."
    ),
    login: str | None = typer.Option(
        None,
        "--login",
        metavar="ROLE",
        help="Their database login (default: the name in lower case, e.g. priya_shah).",
    ),
    sql: bool = SQL,
) -> None:
    """Give a recruiter a database login of their own (a new role with a new password,
    or one the server has already), as a recruiter or a lead. Someone already working
    the store keeps their book. Run again to make someone a lead (or not)."""
    from callplan.store import team

    rt = runtime(ctx)
    _team(rt)
    who = options.recruiter(name, "NAME")
    role = team.check_role(login if login is not None else team.login_for(who))
    with rt.writing() as s:
        added = team.add(s, name=who, role=role, lead=lead, create=not sql)
    what = "a team lead" if lead else "a recruiter"
    if sql:
        output.echo(team.statements_text(added.statements).rstrip("\n"))
        output.message(
            f"{added.name} is mapped to the login {added.role!r} ({what}): they can work "
            "once an administrator has run the SQL above."
        )
        return
    output.echo(f"{added.name} logs in as {added.role!r}, {what}.")
    if added.password is not None:
        output.echo(f"Password (shown this once): {added.password}")
        url = rt.store_engine.url.set(username=added.role, password=None)
        output.echo(f"Their store: {url.render_as_string()} (the password in ~/.pgpass)")
    else:
        output.echo(f"The role {added.role!r} was on the server already: its password stays.")


@app.command("list")
def list_(ctx: typer.Context, json_: bool = options.JSON) -> None:
    """The store's recruiters: their login, whether they lead and may log in, their DMs."""
    from callplan import services
    from callplan.store import team

    rt = runtime(ctx)
    _team(rt)
    with rt.reading() as s:
        rows = [services.shapes.team_member_json(m) for m in team.members(s)]
    if json_:
        output.print_json({"recruiters": rows})
        return
    if not rows:
        output.echo("No recruiters yet.")
        return
    output.print_table(
        [
            {
                **r,
                "role": r["role"] or "(no login)",
                "lead": "lead" if r["lead"] else "",
                "can_login": "" if r["can_login"] or r["role"] is None else "disabled",
            }
            for r in rows
        ],
        [
            output.Column("name", "Recruiter", ratio=2),
            output.Column("role", "Login", no_wrap=True),
            output.Column("lead", "Lead", no_wrap=True),
            output.Column("can_login", "", no_wrap=True),
            output.Column("dms", "DMs", justify="right", no_wrap=True),
        ],
    )


@app.command("remove")
def remove(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The recruiter leaving the team."),
    to: str = typer.Option(
        ..., "--to", metavar="NAME", help="Who takes over their DMs and candidates."
    ),
    yes: bool = options.YES,
) -> None:
    """Someone leaves the team: their DMs go to another recruiter and their login is
    disabled, in one transaction; so do the candidates they look after and their
    submissions still in play. Their calls and notes stay theirs, for the record."""
    from callplan.store import queries, team

    rt = runtime(ctx)
    _team(rt)
    leaving = options.recruiter(name, "NAME")
    taking = options.recruiter(to, "--to")
    with rt.reading() as s:
        old = _known(s, leaving)
        new = _known(s, taking)
        if old == new:
            raise UsageError(f"{old} can't hand their DMs to themselves: name someone else.")
        book = _book(
            queries.recruiters.count_owned(s, owner=old), *queries.recruiters.desk_of(s, owner=old)
        )
    options.confirm(
        f"Hand {book} of {old} to {new} and disable {old}'s login?",
        yes=yes,
        what="Removing a recruiter",
    )
    with rt.writing() as s:
        team.must_be_admin(s, "remove recruiters")
        moved = queries.recruiters.assign(s, from_=old, to=new)
        desk = queries.recruiters.hand_over_desk(s, from_=old, to=new)
        role = team.role_of(s, name=old)
        if role is not None:
            team.disable(s, role=role)
    login = f"; the login {role!r} is disabled" if role else ""
    output.echo(f"Handed {_book(moved, *desk)} from {old} to {new}{login}.")


def _book(dms: int, candidates: int, submissions: int) -> str:
    """'3 DMs', or '3 DMs, 2 candidates and 1 submission in play'."""
    parts = [wording.count(dms, "DM")]
    if candidates:
        parts.append(wording.count(candidates, "candidate"))
    if submissions:
        parts.append(wording.count(submissions, "submission") + " in play")
    return wording.listed(parts)


def _known(s: Session, name: str) -> str:
    from callplan.store import queries

    known = queries.recruiters.known_recruiter(s, name=name)
    if known is None:
        raise RecruiterNotFound(f"Nobody called {name!r} works this store.")
    return known


@app.command("log")
def log(
    ctx: typer.Context,
    limit: int = typer.Option(50, "--limit", min=1, help="How many entries, newest first."),
    json_: bool = options.JSON,
) -> None:
    """Who reassigned a DM, marked one do-not-call (or lifted it) or erased one (or a
    candidate), and when, newest first. The server writes it: nobody's command can leave
    an entry out."""
    from callplan import services
    from callplan.store import team

    rt = runtime(ctx)
    _team(rt)
    with rt.reading() as s:
        rows = [services.shapes.team_event_json(e) for e in team.events(s, limit=limit)]
    if json_:
        output.print_json({"events": rows})
        return
    if not rows:
        output.echo("Nothing in the team log yet.")
        return
    output.print_table(
        [
            {
                "at": f"{r['at'].astimezone():%Y-%m-%d %H:%M}",
                "who": r["recruiter"] or f"{r['role']} (no recruiter)",
                "action": ACTIONS.get(r["action"], r["action"]),
                # A DM by id and name; an erased candidate by id only ("candidate #12").
                "dm": f"#{r['dm_id']} {r['dm'] or '(erased)'}" if r["dm_id"] else r["detail"] or "",
                "detail": r["detail"] or "" if r["dm_id"] else "",
            }
            for r in rows
        ],
        [
            output.Column("at", "When", no_wrap=True),
            output.Column("who", "Who", ratio=1),
            output.Column("action", "What", no_wrap=True),
            output.Column("dm", "Whom", ratio=2),
            output.Column("detail", "", ratio=1),
        ],
    )


ACTIONS = {
    "reassign": "reassigned",
    "dnc": "do-not-call",
    "dnc-lifted": "do-not-call lifted",
    "erase": "erased",
}
