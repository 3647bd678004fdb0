"""Shell completion: DM names, tags and outcome types from the store, without SQLAlchemy."""

from __future__ import annotations

import os
import subprocess
import sys


def complete(words: str, env_store) -> tuple[list[str], list[str]]:
    """Run the real completion (bash protocol) in a fresh interpreter; return the
    suggestions and the heavy modules it imported."""
    code = (
        "import sys\n"
        "from callplan.cli import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = [m for m in ('sqlalchemy', 'sqlmodel', 'alembic') if m in sys.modules]\n"
        "print('HEAVY:' + ','.join(heavy))\n"
    )
    env = {
        **os.environ,
        "_CALLPLAN_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
        "CALLPLAN_DB": str(env_store),
    }
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    lines = r.stdout.splitlines()
    heavy = next(x for x in lines if x.startswith("HEAVY:")).removeprefix("HEAVY:")
    suggestions = [x.split(",", 1)[-1] for x in lines if not x.startswith("HEAVY:")]
    return suggestions, [h for h in heavy.split(",") if h]


def test_dm_names_tags_and_outcome_types_complete_from_the_store(ok, store):
    ok("dm", "add", "Jane Smith", "--tag", "sharepoint")
    ok("dm", "add", "Janet Smithers", "--tag", "sql")
    ok("dm", "add", "Zoë O'Brien")
    ok("dm", "archive", "janet")
    import typer

    from callplan.cli import app
    from callplan.cli.complete import dm_names, outcome_types, tags
    from callplan.core.outcomes import Kind

    # Through the functions Typer calls, with the root context carrying --db.
    command = typer.main.get_command(app)
    with command.make_context("callplan", ["--db", store.db, "today"]) as ctx:
        assert dm_names(ctx, "Ja") == ["Jane Smith"]  # archived DMs aren't offered
        assert dm_names(ctx, "ja") == ["jane Smith"]  # what was typed, then the rest
        assert dm_names(ctx, "zo") == ["zoë O'Brien"]  # accents ignored
        assert tags(ctx, "s") == ["sharepoint", "sql"]
    assert outcome_types(Kind.CONTINUATION)("h") == ["hr-fob-off"]


def test_completion_through_the_shell_protocol_stays_light(ok, store):
    ok("dm", "add", "Jane Smith")
    suggestions, heavy = complete("callplan log ja", store.db)
    assert any("jane Smith" in s for s in suggestions), suggestions
    assert heavy == []


def test_completion_without_a_store_offers_nothing(tmp_path):
    suggestions, heavy = complete("callplan log ja", tmp_path / "missing.sqlite3")
    assert not any("Jane" in s for s in suggestions)
    assert not (tmp_path / "missing.sqlite3").exists()
    assert heavy == []


def test_completion_from_a_server_out_of_reach_offers_only_the_fixed_words():
    """A PostgreSQL URL whose server doesn't answer (or psycopg not installed): no names,
    no error, no wait longer than the connect timeout; outcome types still complete."""
    url = "postgresql+psycopg://nobody:secret@127.0.0.1:1/none"
    suggestions, heavy = complete("callplan log ja", url)
    assert not any(suggestions) and heavy == []
    suggestions, _ = complete("callplan log jane -c h", url)
    assert "hr-fob-off" in suggestions
