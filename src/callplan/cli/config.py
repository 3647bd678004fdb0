"""`callplan config`: show and change settings."""

from __future__ import annotations

import typer

from callplan import output
from callplan.cli import options
from callplan.cli.context import runtime
from callplan.output import Column

app = typer.Typer(help="Show and change settings (a TOML file; environment variables win).")
app.callback(invoke_without_command=True)(options.show_help_without_command)


@app.command("show")
def show(ctx: typer.Context, json_: bool = options.JSON) -> None:
    """Every setting, its value, and where the value came from."""
    from callplan.config import KEYS

    rt = runtime(ctx)
    settings = rt.settings
    rows = [
        {
            "key": key.name,
            "value": "" if settings.values[key.name] is None else settings.values[key.name],
            "source": settings.sources.get(key.name, "default"),
            "env": key.env,
            "help": key.help,
        }
        for key in KEYS.values()
    ]
    output.emit(
        output.choose(json_=json_),
        data={"file": str(settings.path), "settings": rows},
        rows=rows,
        columns=[
            Column("key", "Key", no_wrap=True),
            Column("value", "Value", no_wrap=True),
            Column("source", "From", style="dim"),
            Column("help", "Meaning", ratio=1),
        ],
        title=f"Settings (file: {settings.path})",
    )


@app.command("set")
def set_(
    ctx: typer.Context,
    key: str = typer.Argument(..., help="A key from 'callplan config show'."),
    value: str = typer.Argument(..., help="The new value."),
) -> None:
    """Set a key in the config file, e.g. `callplan config set country GB-ENG`."""
    from callplan.config import KEYS, config_path, write_setting

    rt = runtime(ctx)
    path = config_path(rt.environ)
    if key == "country":
        from callplan.workdays import holidays_for

        holidays_for(KEYS[key].parse(value))  # refuse a country the holidays package lacks
    stored = write_setting(path, key, value)
    typer.echo(f"{key} = {stored if stored is not None else '(none)'}  (in {path})")
    env = KEYS[key].env
    if env in rt.environ:
        output.warn(f"{env} is set in your environment and overrides this.")


@app.command("unset")
def unset(ctx: typer.Context, key: str = typer.Argument(..., help="The key to reset.")) -> None:
    """Remove a key from the config file, so its default applies again."""
    from callplan.config import KEYS, config_path, write_setting

    rt = runtime(ctx)
    path = config_path(rt.environ)
    write_setting(path, key, None)
    typer.echo(f"{key} is back to its default ({KEYS[key].default}).")


@app.command("path")
def path(ctx: typer.Context) -> None:
    """Print where the config file is."""
    from callplan.config import config_path

    typer.echo(str(config_path(runtime(ctx).environ)))
