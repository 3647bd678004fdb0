"""Every command's --help reads as words: no Python type names or placeholders in it."""

from __future__ import annotations

import re

import pytest

from tests.conftest import Run

# What Typer writes where it has no word for a value: a type's name (<str>, <bool>,
# <list[str]>, <path>) or a required argument in braces ({DM}).
LEAKS = re.compile(r"<[a-z][\w\[\], ]*>|\{[^}]*\}")


def command_paths() -> list[tuple[str, ...]]:
    """Every command and subcommand, as the words that run it."""
    import typer

    from callplan.cli import app

    found: list[tuple[str, ...]] = [()]

    def walk(command: object, path: tuple[str, ...]) -> None:
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            found.append((*path, name))
            walk(sub, (*path, name))

    walk(typer.main.get_command(app), ())
    return found


@pytest.mark.no_store
def test_the_leak_pattern_finds_what_typer_writes() -> None:
    for leak in ("<str>", "<bool>", "<int>", "<list[str]>", "{DM}", "{key}"):
        assert LEAKS.search(f"│ --x   {leak}  The thing. │"), leak
    for word in ("TEXT", "DATE", "'NAME[, TITLE]'", "job:ID|candidate:ID", "[PATH]"):
        assert not LEAKS.search(f"│ --x   {word}  The thing. │"), word


@pytest.mark.no_store
def test_every_commands_help_has_words_where_values_go(cli: Run) -> None:
    paths = command_paths()
    assert ("dm", "add") in paths and ("config", "set") in paths and ("log",) in paths
    leaks = []
    for path in paths:
        r = cli(*path, "--help")
        assert r.exit_code == 0, (path, r.stderr)
        leaks += [
            f"callplan {' '.join(path)}: {line.strip()}"
            for line in r.stdout.splitlines()
            if LEAKS.search(line)
        ]
    assert not leaks, "\n".join(leaks)


@pytest.mark.no_store
def test_a_commands_help_flows_at_the_width_not_at_the_docstrings_line_ends(cli: Run) -> None:
    """A description wraps where the terminal ends, not where the source's line did
    ('open loops, hooks,' then a short line)."""
    listing = cli("--help").stdout
    assert "open loops, hooks, and an opening line" in listing
    log = " ".join(cli("log", "--help").stdout.split())
    assert "go with a conversation and update the DM's current picture" in log


@pytest.mark.no_store
def test_lists_in_a_help_keep_their_lines() -> None:
    import click

    from callplan.cli import flow_help

    command = click.Command("x", help="One\ntwo.\n\n- a\n- b\n\nThree\nfour.")
    flow_help(command)
    assert command.help == "One two.\n\n- a\n- b\n\nThree four."
