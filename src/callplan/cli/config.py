"""`callplan config`: show and change settings."""

from __future__ import annotations

import typer

from callplan.cli import options, output
from callplan.cli.context import runtime
from callplan.cli.output import Column
from callplan.core.config import KEYS, config_path, write_setting
from callplan.core.workdays import check_country

app = typer.Typer(help="Show and change settings (a TOML file; environment variables win).")
app.callback(invoke_without_command=True)(options.show_help_without_command)


@app.command("show")
def show(ctx: typer.Context, json_: bool = options.JSON) -> None:
    """Every setting, its value, and where the value came from."""
    from rich.text import Text

    from callplan.services import shapes

    rt = runtime(ctx)
    settings = rt.settings
    rows = shapes.setting_rows(settings, KEYS.values())
    output.emit(
        output.choose(json_=json_),
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
    stored = write_setting(path, key, value)
    typer.echo(f"{key} = {stored if stored is not None else '(none)'}  (in {path})")
    env = KEYS[key].env
    if env in rt.environ:
        output.warn(f"{env} is set in your environment and overrides this.")


@app.command("unset")
def unset(ctx: typer.Context, key: str = typer.Argument(..., help="The key to reset.")) -> None:
    """Remove a key from the config file, so its default applies again."""

    rt = runtime(ctx)
    path = config_path(rt.environ)
    write_setting(path, key, None)
    if key not in KEYS:
        typer.echo(f"Removed the unknown setting {key} from {path}.")
        return
    settings = rt.settings  # read after the change
    value = settings.values[key]
    typer.echo(
        f"{key} is back to {'(none)' if value is None else value} "
        f"(from {settings.sources.get(key, 'default')})."
    )


@app.command("path")
def path(ctx: typer.Context) -> None:
    """Print where the config file is."""

    typer.echo(str(config_path(runtime(ctx).environ)))
