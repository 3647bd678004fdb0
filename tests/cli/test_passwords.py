"""A store's password is never printed (issue 13; docs/team.md): in whatever form a
PostgreSQL URL holds it, by whatever message shows the store — `db status`, a connection
that fails, a URL that doesn't parse, every command given it with --db or CALLPLAN_DB.

Most of these need no server: 127.0.0.1 port 1 refuses every connection at once. With a
PostgreSQL server (CALLPLAN_TEST_PG), the store's own URL is given the same passwords, so
the messages of a store that works are checked too; and a role with a password shows the
message of a login the server refuses, where the server asks for passwords.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from callplan.core.redaction import redact, secrets_in
from callplan.store.db import shown_url
from tests.conftest import Run, Store

SECRET = "Hunter2Tr0ub4dor"  # its halves are looked for too
PIECES = ("Hunter2", "Tr0ub4dor")
REFUSED = "127.0.0.1:1"

# Every form a URL holds a password in (SECRET, or SECRET in pieces), with HOST standing
# for where the server is.
FORMS = {
    "userinfo": f"postgresql://bob:{SECRET}@HOST/callplan",
    "userinfo, encoded": f"postgresql+psycopg://bob:{quote(SECRET + '@/:%', safe='')}@HOST/db",
    "userinfo, unencoded @": "postgresql://bob:Hunter2@Tr0ub4dor@HOST/callplan",
    "userinfo, unencoded / and ?": "postgresql://bob:Hunter2/?Tr0ub4dor@HOST/callplan",
    "userinfo, no user": f"postgresql://:{SECRET}@HOST/callplan",
    "query password": f"postgresql://bob@HOST/callplan?password={SECRET}",
    "query PASSWORD": f"postgresql://bob@HOST/callplan?sslmode=disable&PASSWORD={SECRET}",
    "query sslpassword": f"postgresql://bob@HOST/callplan?sslpassword={SECRET}&sslmode=disable",
    "query password with &": "postgresql://bob@HOST/callplan?password=Hunter2&Tr0ub4dor",
    "both": f"postgresql://bob:{SECRET}@HOST/callplan?password={SECRET}",
}
MALFORMED = {
    "port not a number": f"postgresql://bob:{SECRET}@127.0.0.1:port/callplan",
    "port not a number, / in password": "postgresql://bob:Hunter2/Tr0ub4dor@127.0.0.1:x/db",
    "unclosed IPv6": f"postgresql://bob:{SECRET}@[::1/callplan",
    "unencoded space": "postgresql://bob:Hunter2 Tr0ub4dor@127.0.0.1:x/db",
    "unknown driver": f"nosuchdb://bob:{SECRET}@127.0.0.1/callplan",
    "query, bad port": f"postgresql://bob@127.0.0.1:x/db?password={SECRET}",
    "libpq key=value": f"host=127.0.0.1 port=1 user=bob password={SECRET}",
    "libpq quoted": "host=127.0.0.1 password='Hunter2 Tr0ub4dor' dbname=callplan",
    "libpq, a socket": "host=/var/run/postgresql dbname=callplan password=Hunter2Tr0ub4dor",
}


def leaks(text: str) -> list[str]:
    return [piece for piece in PIECES if piece in text]


def at(form: str, host: str = REFUSED) -> str:
    return form.replace("HOST", host)


# Every command, with what it needs to run (it reads the store its own way); the config
# commands never open the store.
COMMANDS: dict[tuple[str, ...], tuple[str, ...]] = {
    ("backup",): (),
    ("brief",): ("Jane",),
    ("call", "delete"): ("1", "--yes"),
    ("call", "edit"): ("1", "-s", "x"),
    ("call", "list"): ("Jane",),
    ("candidate", "add"): ("Dana Dev",),
    ("candidate", "list"): (),
    ("candidate", "placed"): ("1",),
    ("candidate", "show"): ("1",),
    ("candidate", "edit"): ("1", "--headline", "x"),
    ("candidate", "prospect"): ("1",),
    ("submit",): ("Dana", "1"),
    ("interview",): ("Dana", "1", "--at", "thu"),
    ("offer",): ("Dana", "1"),
    ("placed",): ("Dana", "1"),
    ("withdrawn",): ("Dana", "1"),
    ("candidate", "export"): ("1",),
    ("candidate", "forget"): ("1", "--yes"),
    ("config", "path"): (),
    ("config", "set"): ("cycle_days", "60"),
    ("config", "show"): (),
    ("config", "unset"): ("cycle_days",),
    ("db", "check"): (),
    ("db", "status"): (),
    ("db", "upgrade"): (),
    ("dm", "add"): ("Jane Smith",),
    ("event", "add"): ("our briefing", "--on", "2026-12-10"),
    ("event", "close"): ("1",),
    ("event", "list"): (),
    ("dm", "archive"): ("Jane",),
    ("dm", "assign"): ("Jane", "--to", "Kim"),
    ("dm", "dnc"): ("Jane",),
    ("dm", "edit"): ("Jane", "--title", "CTO"),
    ("dm", "export"): ("Jane",),
    ("dm", "forget"): ("Jane", "--yes"),
    ("dm", "list"): (),
    ("dm", "restore"): ("Jane",),
    ("dm", "show"): ("Jane",),
    ("export",): ("-f", "json"),
    ("forecast",): (),
    ("go",): (),
    ("goal",): ("3 advances",),
    ("hooks",): ("Jane",),
    ("import",): ("contacts.csv",),
    ("job", "add"): ("Dev",),
    ("job", "close"): ("1",),
    ("job", "edit"): ("1", "--title", "Developer"),
    ("job", "list"): (),
    ("log",): ("Jane", "-c", "callback"),
    ("loop", "close"): ("Jane",),
    ("loop", "list"): (),
    ("loop", "open"): ("Jane",),
    ("loop", "reopen"): ("Jane",),
    ("note",): ("Jane", "Hiring"),
    ("prune",): ("--older-than", "2y"),
    ("restore",): ("x.sqlite3", "--yes"),
    ("stats",): (),
    ("sweep",): (),
    ("today",): (),
    ("undo",): ("--yes",),
    ("team", "add"): ("Kim",),
    ("team", "init"): (),
    ("team", "list"): (),
    ("team", "log"): (),
    ("team", "remove"): ("Kim", "--to", "Sam", "--yes"),
}
NO_STORE = {("config", "path"), ("config", "set"), ("config", "show"), ("config", "unset")}


@pytest.mark.no_store
def test_every_command_is_tried() -> None:
    import typer

    from callplan.cli import app

    def leaves(command: object, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
        subs = getattr(command, "commands", None)
        if not subs:
            yield path
            return
        for name, sub in sorted(subs.items()):
            yield from leaves(sub, (*path, name))

    assert set(leaves(typer.main.get_command(app))) == set(COMMANDS)


def one_error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), stderr
    return lines[0]


@pytest.mark.slow  # a real connection refused per form
@pytest.mark.parametrize("form", list(FORMS), ids=list(FORMS))
def test_no_message_shows_the_password_of_a_server_that_refuses(
    cli: Run, form: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "contacts.csv").write_text("name\nEve\n")
    url = at(FORMS[form])
    for path, rest in COMMANDS.items():
        command = (*path, *rest)
        ways = (
            ("--db", "--db=", "CALLPLAN_DB")
            if path in (("today",), ("db", "status"))
            else ("--db",)
        )
        for how in ways:
            if how == "--db":
                r = cli("--db", url, *command, input="q\n")
            elif how == "--db=":
                r = cli(f"--db={url}", *command)
            else:
                r = cli(*command, env={"CALLPLAN_DB": url})
            assert not leaks(r.stdout + r.stderr), (form, command, how, r.stdout, r.stderr)
            if path in NO_STORE:
                assert r.exit_code == 0, (command, r.stderr)
                continue
            assert r.exit_code == 5, (form, command, r.stderr)
            line = one_error_line(r.stderr)
            assert "***" in line or "'@' in its password" in line, line


@pytest.mark.parametrize("form", list(MALFORMED), ids=list(MALFORMED))
def test_a_url_that_does_not_parse_is_shown_without_its_password(
    cli: Run, form: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    for path in (("db", "status"), ("db", "check"), ("today",), ("dm", "list"), ("backup",)):
        r = cli("--db", MALFORMED[form], *path, *COMMANDS[path])
        assert r.exit_code == 5, (form, path, r.stdout, r.stderr)
        line = one_error_line(r.stderr)
        assert not leaks(r.stdout + line), (form, path, line)
    assert list(cwd.iterdir()) == []  # no SQLite file named after the string


def test_an_unencoded_at_sign_is_explained(cli: Run) -> None:
    r = cli("--db", at(FORMS["userinfo, unencoded @"]), "today")
    assert r.exit_code == 5
    assert "an '@' in its password must be written %40" in r.stderr, r.stderr


def test_a_libpq_connection_string_is_refused_not_made_a_file(cli: Run) -> None:
    r = cli("--db", MALFORMED["libpq key=value"], "db", "status")
    assert r.exit_code == 5 and "looks like a libpq connection string" in r.stderr, r.stderr
    assert "password=***" in r.stderr


def test_a_plain_file_name_with_an_equals_sign_is_still_a_file(
    ok: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    ok("--db", "a=b.sqlite3", "dm", "add", "Jane")
    assert (tmp_path / "a=b.sqlite3").is_file()


def test_an_unexpected_error_quoting_the_url_hides_the_password(
    cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even a bug's one line (exit 70) can't show it, however the URL was quoted."""
    url = at(FORMS["both"])

    def fail(*_: object, **__: object) -> None:
        raise RuntimeError(f"could not use {url} (password {SECRET!r}; url {url!r})")

    monkeypatch.setattr("callplan.store.db.make_engine", fail)
    for args in (("--db", url, "dm", "list"), (f"--db={url}", "today")):
        r = cli(*args)
        assert r.exit_code == 70
        assert not leaks(one_error_line(r.stderr)), r.stderr
    r = cli("dm", "list", env={"CALLPLAN_DB": url.replace(":1/", ":1/x y/")})
    assert r.exit_code == 70 and not leaks(r.stderr), r.stderr


# --- the redaction itself --------------------------------------------------------------


@pytest.mark.no_store
@pytest.mark.parametrize("form", [*FORMS.values(), *MALFORMED.values()])
def test_shown_url_hides_every_form(form: str) -> None:
    url = at(form, "db.example.com")
    assert not leaks(shown_url(url)), shown_url(url)
    assert not leaks(redact(f"Can't use {url!r}: it failed.", secrets_in(url)))
    try:
        parsed = sa.make_url(url)
    except (sa.exc.ArgumentError, ValueError):
        return
    assert not leaks(shown_url(parsed)), shown_url(parsed)


@pytest.mark.no_store
def test_shown_url_keeps_the_rest() -> None:
    assert shown_url("postgresql://bob:pw@db.example.com:5433/callplan?sslmode=require") == (
        "postgresql://bob:***@db.example.com:5433/callplan?sslmode=require"
    )
    assert shown_url("postgresql://bob@h/db?sslpassword=x&sslmode=require&password=y") == (
        "postgresql://bob@h/db?sslpassword=***&sslmode=require&password=***"
    )
    assert shown_url("postgresql://bob@h/db?host=/var/run/postgresql") == (
        "postgresql://bob@h/db?host=/var/run/postgresql"
    )
    assert shown_url("sqlite:////home/bob:x/store.sqlite3") == "sqlite:////home/bob:x/store.sqlite3"
    assert redact("password authentication failed for user 'bob'") == (
        "password authentication failed for user 'bob'"
    )


# --- on a server that works, and one that refuses the password --------------------------


@pytest.fixture
def pg(store: Store) -> Store:
    if store.backend != "pg":
        pytest.skip("needs a PostgreSQL server (CALLPLAN_TEST_PG)")
    return store


def with_password(url: str, form: str) -> str:
    """The test store's URL, holding a password as ``form`` does (a server that trusts
    its clients ignores it)."""
    parsed = sa.make_url(url)
    query = "&".join(f"{k}={quote(str(v), safe='/')}" for k, v in parsed.query.items())
    if form == "userinfo":
        parsed = parsed.set(password=SECRET)
    elif form == "query":
        query += f"&password={SECRET}"
    elif form == "sslpassword":
        query += f"&sslpassword={SECRET}"
    base = parsed.set(query={}).render_as_string(hide_password=False)
    return f"{base}?{query}" if query else base


@pytest.mark.parametrize("form", ["userinfo", "query", "sslpassword"])
def test_a_working_server_store_is_shown_without_its_password(
    ok: Run, cli: Run, pg: Store, form: str
) -> None:
    url = with_password(pg.url, form)
    ok("--db", url, "dm", "add", "Jane Smith")
    for command in (("db", "status"), ("db", "status", "--json"), ("db", "check")):
        r = ok("--db", url, *command)
        assert not leaks(r.stdout + r.stderr), (command, r.stdout, r.stderr)
    status = json.loads(ok("--db", url, "db", "status", "--json").stdout)
    assert "***" in status["store"]
    for command in (("backup",), ("restore", "x.sqlite3", "--yes")):  # files only: refused
        r = cli("--db", url, *command)
        assert r.exit_code == 5 and "***" in r.stderr and not leaks(r.stderr), r.stderr


ROLE = "callplan_secretive"


@pytest.fixture
def role(pg: Store) -> Iterator[str]:
    """A role that logs in with SECRET; skipped where the server doesn't ask for it."""
    import psycopg
    from psycopg import sql

    assert pg.server is not None
    admin = pg.server.admin()
    admin.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(ROLE)))
    admin.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(sql.Identifier(ROLE), SECRET))
    url = sa.make_url(pg.url).set(username=ROLE, password="wrong-" + SECRET)
    try:
        params = url.translate_connect_args(username="user", database="dbname")
        psycopg.connect(**params, **url.query).close()
    except psycopg.OperationalError:
        yield ROLE
    else:
        pytest.skip("the server trusts every login (no password asked)")
    finally:
        admin.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(ROLE)))


@pytest.mark.parametrize("form", ["userinfo", "query"])
def test_a_refused_password_is_not_shown(cli: Run, pg: Store, role: str, form: str) -> None:
    parsed = sa.make_url(pg.url).set(username=role)
    wrong = "Hunter2-wrong-Tr0ub4dor"
    if form == "userinfo":
        url = parsed.set(password=wrong).render_as_string(hide_password=False)
    else:
        url = parsed.update_query_dict({"password": wrong}).render_as_string(hide_password=False)
    for command in (("db", "status"), ("today",), ("db", "check")):
        r = cli("--db", url, *command)
        assert r.exit_code == 5, r.stderr
        line = one_error_line(r.stderr)
        assert f"refused user '{role}'" in line, line
        assert not leaks(line), line


def test_the_console_script_hides_it_too(tmp_path: Path) -> None:
    """The installed command, as a user runs it."""
    exe = Path(sys.executable).with_name("callplan")
    r = subprocess.run(
        [str(exe), "--db", at(FORMS["query password"]), "db", "status"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert r.returncode == 5 and not leaks(r.stdout + r.stderr), r.stderr
