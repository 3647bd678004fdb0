"""`callplan db status|upgrade|check`, `callplan backup` and `callplan restore`."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from callplan.cli import options, output
from callplan.cli.context import Runtime, runtime
from callplan.core import wording
from callplan.errors import FileError, StoreError

if TYPE_CHECKING:
    from callplan.store.health import Finding

app = typer.Typer(help="Look after the store: its schema version, upgrades and health.")
app.callback(invoke_without_command=True)(options.show_help_without_command)


# What to use instead of backup and restore on a database server (docs/team.md).
SERVER_TOOLS = {
    "backup": "back it up with the server's own tools: pg_dump -Fc (see docs/team.md)",
    "restore": "restore a backup with the server's own tools: pg_restore (see docs/team.md)",
}


def _store_file(rt: Runtime, what: str) -> Path:
    """The store's file: backup and restore copy SQLite files only."""
    from callplan.store.db import shown_url, store_path

    path = store_path(rt.store_engine)
    if path is None:
        raise StoreError(
            f"The store {shown_url(rt.store_engine.url)} is on a database server, not in a "
            f"file: {SERVER_TOOLS[what]}."
        )
    return path


def _now() -> datetime:
    return datetime.now().astimezone()


@app.command("status")
def status(ctx: typer.Context, json_: bool = options.JSON) -> None:
    """Where the store is, its schema version, and whether it needs an upgrade."""
    from callplan.services import shapes
    from callplan.store.db import current_revision, shown_url, store_path
    from callplan.store.schema import HEAD, REVISIONS

    rt = runtime(ctx)
    path = store_path(rt.store_engine)
    exists = path is None or (path.is_file() and path.stat().st_size > 0)
    revision = current_revision(rt.store_engine) if exists else None
    if revision is None:
        state, advice = "new", "callplan creates it with the first command that uses it"
    elif revision == HEAD:
        state, advice = "up to date", ""
    elif revision in REVISIONS:
        state, advice = "older", "the next command upgrades it after a backup"
    else:
        state, advice = "newer", "upgrade callplan to use it"
    counts: dict[str, int] = {}
    size = path.stat().st_size if path is not None and exists else None
    if path is not None and revision is not None:
        from callplan.store.backup import inspect

        counts = inspect(path).counts
    elif path is None and revision is not None:
        counts, size = _server_status(rt)
    where = str(path) if path else shown_url(rt.store_engine.url)
    if json_:
        output.print_json(
            shapes.store_status_json(
                store=where,
                schema=revision,
                schema_needed=HEAD,
                state=state,
                size=size,
                counts=counts,
            )
        )
        return
    lines = [("Store", where), ("Schema", f"{revision or '—'} ({state}; this callplan: {HEAD})")]
    if advice:
        lines.append(("", advice))
    if size is not None:
        lines.append(("Size", f"{size / 1024:,.0f} KB"))
    if counts:
        lines.append(("Holds", ", ".join(wording.count(n, k) for k, n in counts.items())))
    out = output.console()
    for label, value in lines:
        out.print(f"{label:<7} {value}", markup=False, highlight=False)


def _server_status(rt: Runtime) -> tuple[dict[str, int], int]:
    """What a store on a database server holds, and the size of its database."""
    import sqlalchemy as sa

    from callplan.store.db import explain
    from callplan.store.health import server_counts

    try:
        with rt.store_engine.connect() as conn:
            size = conn.execute(sa.select(sa.func.pg_database_size(sa.func.current_database())))
            return server_counts(conn), int(size.scalar_one())
    except sa.exc.DBAPIError as exc:
        raise explain(exc, rt.store_engine) from None


@app.command("upgrade")
def upgrade(ctx: typer.Context) -> None:
    """Upgrade an older store to this callplan's schema, after a backup."""
    from callplan.store.db import current_revision, ensure_schema
    from callplan.store.schema import HEAD

    rt = runtime(ctx)
    before = current_revision(rt.store_engine)
    if before == HEAD:
        output.message(f"The store is up to date (schema {HEAD}).")
        return
    # It says what it did, and where the backup is.
    ensure_schema(rt.store_engine, user=lambda: rt.user)
    if before is None:
        output.message(f"Created a new store (schema {HEAD}).")


@app.command("check")
def check(ctx: typer.Context, json_: bool = options.JSON) -> None:
    """Check the store: a sound file, intact links, the schema and who can read it."""
    import sqlite3
    from contextlib import closing

    from callplan.store.db import store_path
    from callplan.store.health import check as run_checks
    from callplan.store.sqlite import connect_file

    rt = runtime(ctx)
    path = store_path(rt.store_engine)
    if path is None:
        _check_server(rt, json_=json_)
        return
    if not path.is_file():
        raise StoreError(f"There is no store at {path} yet.")
    try:
        with closing(connect_file(path, read_only=True)) as conn:
            findings = run_checks(path, rt.url, conn)
    except sqlite3.DatabaseError as exc:
        raise StoreError(
            f"{path} can't be read as a store ({exc}). 'callplan restore FILE' goes back "
            "to a backup."
        ) from None
    _report(findings, json_=json_, store=path)
    if not all(f.ok for f in findings):
        raise typer.Exit(StoreError.exit_code)


def _check_server(rt: Runtime, *, json_: bool) -> None:
    """`db check` of a store on a database server: what can be checked from a client."""
    import sqlalchemy as sa

    from callplan.store.db import current_revision, explain, shown_url
    from callplan.store.health import check_server

    if current_revision(rt.store_engine) is None:
        raise StoreError(f"There is no callplan store in {shown_url(rt.store_engine.url)} yet.")
    try:
        with rt.store_engine.connect() as conn:
            findings = check_server(conn)
    except sa.exc.DBAPIError as exc:
        raise explain(exc, rt.store_engine) from None
    _report(findings, json_=json_, store=shown_url(rt.store_engine.url))
    if not all(f.ok for f in findings):
        raise typer.Exit(StoreError.exit_code)


def _report(findings: list[Finding], *, json_: bool, store: Path | str) -> None:
    if json_:
        from callplan.services import shapes

        output.print_json(shapes.check_json(findings, store=str(store)))
        return
    out = output.console()
    for f in findings:
        mark = "ok" if f.ok else "FAIL"
        out.print(f"{mark:<4}  {f.check:<9} {f.detail}", markup=False, soft_wrap=True)
        for row in f.rows:
            out.print(f"      {row}", markup=False, highlight=False, soft_wrap=True)
    bad = sum(not f.ok for f in findings)
    output.message("All checks passed." if not bad else f"{bad} check{'s' * (bad != 1)} failed.")


def backup(
    ctx: typer.Context,
    path: Path | None = typer.Argument(
        None,
        metavar="[PATH]",
        help="A new file, a folder for it, or '-' for stdout (default: the backups folder "
        "beside the store). An existing file is replaced only with --force.",
        show_default=False,
    ),
    force: bool = typer.Option(
        False, "--force", help="Replace PATH if it is an existing file (never the store)."
    ),
) -> None:
    """Copy the store to a backup file, safely even while callplan is in use."""
    from callplan.store.backup import backup as make_backup

    rt = runtime(ctx)
    store = _store_file(rt, "backup")
    where = rt.target(path, what="backup", force=force, folder_ok=True) if path else None
    made = make_backup(store, where, _now())
    output.message(f"Backed up {made.describe()} to {made.path} ({made.size / 1024:,.0f} KB).")


def restore(
    ctx: typer.Context,
    path: Path = typer.Argument(..., metavar="PATH", help="A backup made by 'callplan backup'."),
    yes: bool = options.YES,
) -> None:
    """Replace the store with a backup; the store it replaces is kept in the backups folder."""
    from callplan.store.backup import inspect
    from callplan.store.backup import restore as do_restore
    from callplan.store.schema import HEAD, REVISIONS

    rt = runtime(ctx)
    store = _store_file(rt, "restore")
    source = inspect(path.expanduser())
    current = None
    if store.is_file() and store.stat().st_size:
        try:
            current = inspect(store).describe()
        except FileError:  # a damaged store is what restore is for: say so, don't stop
            current = "a damaged store"
    question = (
        f"Replace the store at {store}"
        + (f" ({current})" if current else "")
        + f" with {source.path} ({source.describe()})?"
    )
    options.confirm(question, yes=yes, what="Restoring replaces the store: it")
    kept = do_restore(store, source.path, REVISIONS, _now())
    rt.store_engine.dispose()
    output.message(
        f"Restored {source.describe()} from {source.path}."
        + (f" The store it replaced is kept as {kept}." if kept else "")
    )
    if source.revision != HEAD:
        output.message(
            f"The backup has schema {source.revision}; the next command upgrades it to {HEAD}."
        )
