"""`callplan config`: show and change settings."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from callplan.cli import options, output
from callplan.cli.context import Runtime, runtime
from callplan.cli.output import Column
from callplan.core import wording
from callplan.core.config import KEYS, TIER_PREFIX, config_path, key_for, write_setting
from callplan.core.names import name_key
from callplan.core.workdays import check_country

if TYPE_CHECKING:
    from callplan.store.queries.recruiters import Renamed

app = typer.Typer(help="Show and change settings (a TOML file; environment variables win).")
app.callback(invoke_without_command=True)(options.show_help_without_command)


@app.command("show")
def show(ctx: typer.Context, json_: bool = options.JSON) -> None:
    """Every setting, its value, and where the value came from."""
    from rich.text import Text

    from callplan.services import shapes

    rt = runtime(ctx)
    settings = rt.settings
    rows = shapes.setting_rows(settings, settings.keys())
    fmt = output.choose(json_=json_)
    output.emit(
        fmt,
        data=shapes.config_json(settings, rows),
        rows=[
            {
                "setting": Text(r["key"], style="bold").append(f"\n{r['help']}", style="dim"),
                "value": "(none)" if r["value"] is None else r["value"],
                "source": r["source"],
            }
            for r in rows
        ],
        columns=[
            Column("setting", "Setting", ratio=1),
            Column("value", "Value", no_wrap=True),
            Column("source", "From", style="dim", no_wrap=True),
        ],
        title=f"Settings (file: {settings.path})",
        csv_keys=["key", "value", "source", "env"],
    )
    if fmt is output.Format.TABLE:
        rt.hint_country()


@app.command("set")
def set_(
    ctx: typer.Context,
    key: str = typer.Argument(..., help="A key from 'callplan config show'."),
    value: str = typer.Argument(..., help="The new value."),
) -> None:
    """Set a key in the config file, e.g. `callplan config set country GB-ENG`."""

    rt = runtime(ctx)
    path = config_path(rt.environ)
    if key == "country":
        check_country(KEYS[key].parse(value))  # refuse a country the holidays package lacks
    if key == "user" and KEYS[key].env not in rt.environ:
        return _set_user(rt, path, value)
    stored = write_setting(path, key, value)
    typer.echo(f"{key} = {stored if stored is not None else '(none)'}  (in {path})")
    known = key_for(key)
    env = known.env if known is not None else ""
    if env in rt.environ:
        output.warn(f"{env} is set in your environment and overrides this.")


def _set_user(rt: Runtime, path: Path, value: str) -> None:
    """The user setting, and on a store where the old name is the only recruiter, that
    recruiter renamed (their calls, notes, DMs and claims): one person, one name. With
    more recruiters nobody is renamed. The file is written inside the store's
    transaction, so either both change or neither does."""
    from callplan.store import queries

    old, new = rt.settings.user, KEYS["user"].parse(value)
    if not _store_exists(rt):  # setting a name creates no store
        stored = write_setting(path, "user", value)
        output.echo(f"user = {stored}  (in {path})")
        return
    renamed: Renamed | None = None
    with rt.writing() as s:
        everyone = queries.recruiters.recruiters(s)
        was = next((n for n in everyone if name_key(n) == name_key(old)), None)
        moving = was is not None and name_key(new) != name_key(old)
        if moving and len(everyone) == 1:
            renamed = queries.recruiters.rename(s, old=old, new=new)
        owned = queries.recruiters.count_owned(s, owner=was) if moving and was else 0
        stored = write_setting(path, "user", value)
    output.echo(f"user = {stored}  (in {path})")
    if renamed is not None:
        output.echo(_renamed(renamed))
    elif moving and was:
        line = f"Nobody renamed: {len(everyone)} recruiters work this store."
        if owned:
            line += (
                f" {was}'s DMs stay {was}'s: hand them over with "
                f"'callplan dm assign --from {was} --to {new}'."
            )
        output.echo(line)


def _renamed(r: Renamed) -> str:
    """'Renamed root to sam in the store: 1 call, 1 DM and 1 note are sam's now.'"""
    counts = [(r.calls, "call"), (r.dms, "DM"), (r.notes, "note")]
    parts = [wording.count(n, word) for n, word in counts if n]
    if not parts:
        return f"Renamed {r.old} to {r.new} in the store."
    listed = wording.listed(parts)
    verb = "is" if len(parts) == 1 and sum(n for n, _ in counts) == 1 else "are"
    return f"Renamed {r.old} to {r.new} in the store: {listed} {verb} {r.new}'s now."


def _store_exists(rt: Runtime) -> bool:
    """Whether the store has been made (a file with something in it, or a schema on the
    database server), without making it."""
    from callplan.store.db import current_revision, store_path

    where = store_path(rt.store_engine)
    if where is not None and not (where.is_file() and where.stat().st_size > 0):
        return False
    return current_revision(rt.store_engine) is not None


@app.command("unset")
def unset(ctx: typer.Context, key: str = typer.Argument(..., help="The key to reset.")) -> None:
    """Remove a key from the config file, so its default applies again."""

    rt = runtime(ctx)
    path = config_path(rt.environ)
    if key.startswith(TIER_PREFIX) and key_for(key) is not None:
        return _unset_tier(rt, path, key)
    write_setting(path, key, None)
    if key not in KEYS:
        typer.echo(f"Removed the unknown setting {key} from {path}.")
        return
    settings = rt.settings  # read after the change
    value = settings.values[key]
    source = settings.sources.get(key, "default")
    typer.echo(
        f"{key} is back to {'(none)' if value is None else value}"
        + ("." if source == "none" else f" (from {source}).")
    )
    rt.hint_country()


def _unset_tier(rt: Runtime, path: Path, key: str) -> None:
    """Remove a cadence tier. Its DMs keep the tier's name and go back to cycle_days
    until it is set again: said with how many they are, so no tier is lost unseen."""
    from callplan.store import queries

    tier = key.removeprefix(TIER_PREFIX)
    write_setting(path, key, None)
    users = 0
    if _store_exists(rt):
        with rt.reading() as s:
            users = queries.dms.count_in_tier(s, tier=tier)
    typer.echo(f"Removed {key} from {path}.")
    if users:
        output.warn(
            f"{wording.count(users, 'DM')} in the {tier} tier now keep the "
            f"{rt.settings.cycle_days}-day cycle: set it again with 'callplan config set "
            f"{key} DAYS', or move them with 'callplan dm edit DM --tier default'."
        )


@app.command("path")
def path(ctx: typer.Context) -> None:
    """Print where the config file is."""

    typer.echo(str(config_path(runtime(ctx).environ)))
