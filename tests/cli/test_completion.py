"""Shell completion: DM names, tags and outcome types from the store, without SQLAlchemy."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from callplan.cli.complete import bash_word, open_quote

NAMES = ("Nadia Hussain", "Nadine Smith", "Siobhán O'Brien", "Zoë Kowalczyk")


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
        assert dm_names(ctx, "ja") == ["Jane Smith"]  # case ignored: the name as it is
        assert dm_names(ctx, "zo") == ["Zoë O'Brien"]  # accents ignored
        assert dm_names(ctx, "o'b") == ["Zoë O'Brien"]  # a surname
        assert tags(ctx, "s") == ["sharepoint", "sql"]
    assert outcome_types(Kind.CONTINUATION)("h") == ["hr-fob-off"]


def test_names_match_any_word_names_that_start_with_it_first(ok, store):
    for name in ("Sam Smith", "Smita Patel", "Anna Smithson", "Jo 50%_Off", "Łukasz Nowak"):
        ok("dm", "add", name)
    import typer

    from callplan.cli import app
    from callplan.cli.complete import dm_names

    command = typer.main.get_command(app)
    with command.make_context("callplan", ["--db", store.db, "today"]) as ctx:
        assert dm_names(ctx, "smi") == ["Smita Patel", "Anna Smithson", "Sam Smith"]
        assert dm_names(ctx, "SMITH") == ["Anna Smithson", "Sam Smith"]
        assert dm_names(ctx, "mith") == []  # the start of a word, not any part of it
        assert dm_names(ctx, "sam sm") == ["Sam Smith"]
        assert dm_names(ctx, "lukasz") == dm_names(ctx, "now") == ["Łukasz Nowak"]
        # LIKE's wildcards typed are letters like any other
        assert dm_names(ctx, "_") == dm_names(ctx, "%") == []
        assert dm_names(ctx, "50%_") == ["Jo 50%_Off"]
        assert len(dm_names(ctx, "")) == 5


def test_completion_through_the_shell_protocol_stays_light(ok, store):
    ok("dm", "add", "Jane Smith")
    suggestions, heavy = complete("callplan log ja", store.db)
    assert suggestions == ["Jane\\ Smith"], suggestions  # quoted for bash
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


# --- quoted for the shell that asked ------------------------------------------------------


@pytest.mark.no_store
def test_a_word_typed_tells_which_quote_it_leaves_open():
    for word, quote in (
        ("nad", ""),
        ('"nad', '"'),
        ("'nad", "'"),
        ("'o'b", ""),
        ("o\\'b", ""),
        ("\"o'b", '"'),
        ("'it'\\''s", "'"),
        ('"say \\"hi', '"'),
    ):
        assert open_quote(word) == quote, word
    assert bash_word("Siobhán O'Brien", "sio") == "Siobhán\\ O\\'Brien"
    assert bash_word("Siobhán O'Brien", "'sio") == "Siobhán O'\\''Brien"
    assert bash_word('A "B" $C `d` \\e', '"a') == 'A \\"B\\" \\$C \\`d\\` \\\\e'


def _exe() -> Path:
    exe = Path(sys.executable).with_name("callplan")
    if not exe.exists():
        pytest.skip("the callplan console script is not installed")
    return exe


def _shell_env(store) -> dict[str, str]:
    return {
        **os.environ,
        "PATH": f"{_exe().parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "CALLPLAN_DB": str(store.db),
        "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1",  # --show-completion SHELL
    }


def _script(shell: str, store, tmp_path: Path) -> Path:
    """The completion script for ``shell`` as ``callplan --show-completion`` writes it."""
    r = subprocess.run(
        [_exe(), "--show-completion", shell], capture_output=True, text=True, env=_shell_env(store)
    )
    assert r.returncode == 0, r.stderr
    path = tmp_path / f"completion.{shell}"
    path.write_text(r.stdout)
    return path


def _run_shell(argv: list[str], store) -> list[str]:
    r = subprocess.run(argv, capture_output=True, env=_shell_env(store), timeout=60)
    assert r.returncode == 0, r.stderr.decode()
    return [x for x in r.stdout.decode().split("\0") if x]


DRIVE_BASH = """
source "$1"; shift
COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMPREPLY=()
_callplan_completion callplan
printf '%s\\0' "${COMPREPLY[@]}"
"""


@pytest.mark.slow
@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("nadia", "Nadia Hussain"),
        ("kowal", "Zoë Kowalczyk"),  # a surname
        ("zoe", "Zoë Kowalczyk"),  # typed without its accent
        ("sio", "Siobhán O'Brien"),
        ("o\\'b", "Siobhán O'Brien"),  # the apostrophe typed escaped
        ("\"o'b", "Siobhán O'Brien"),  # after an opening double quote
        ("'sio", "Siobhán O'Brien"),  # after an opening single quote
        ('"nadia', "Nadia Hussain"),
    ],
)
def test_bash_puts_one_word_that_is_the_name(ok, store, tmp_path, typed, name):
    """Through the function Typer's bash script installs, as bash calls it on Tab; the
    reply then goes on the line as readline puts it (checked by hand in a terminal): in
    place of the word, or after the quote the user opened, which readline then closes.
    What bash reads from that line is one argument, the name."""
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    for each in NAMES:
        ok("dm", "add", each)
    script = _script("bash", store, tmp_path)
    words = ["callplan", "brief", typed]
    replies = _run_shell(["bash", "--norc", "-c", DRIVE_BASH, "bash", str(script), *words], store)
    assert len(replies) == 1, replies
    quote = open_quote(typed)
    line = typed[: typed.index(quote) + 1] + replies[0] + quote if quote else replies[0]
    read = _run_shell(["bash", "--norc", "-c", f"printf '%s\\0' {line}"], store)
    assert read == [name], (line, read)


@pytest.mark.slow
def test_bash_offers_every_name_a_word_starts(ok, store, tmp_path):
    for each in NAMES:
        ok("dm", "add", each)
    script = _script("bash", store, tmp_path)
    args = ["bash", "--norc", "-c", DRIVE_BASH, "bash", str(script), "callplan", "brief", "nad"]
    assert _run_shell(args, store) == ["Nadia\\ Hussain", "Nadine\\ Smith"]


DRIVE_ZSH = """
compdef() { }
source "$1"; shift
compadd() { print -rN -- "$@" }
_arguments() {  # reads its list of values as zsh's own _arguments does: eval'd once more
    local action=${1#'*: :'}
    eval "local -a ws=( ${action[3,-3]} )"
    print -rN -- _arguments $ws
}
words=("$@"); CURRENT=$#
_callplan_completion
"""


@pytest.mark.slow
def test_zsh_gets_the_names_whole_and_adds_them_quoted(ok, store, tmp_path):
    """Through the function Typer's zsh script installs, with zsh's completion builtins
    replaced by ones that print what they are given: zsh itself quotes a name it adds
    (after an opening quote too: checked by hand in a terminal), so it must get each name
    whole, apostrophe and accents included, and take it though it doesn't start with the
    word typed (-U)."""
    if shutil.which("zsh") is None:
        pytest.skip("zsh is not installed (apt-get install zsh)")
    for each in NAMES:
        ok("dm", "add", each)
    script = str(_script("zsh", store, tmp_path))

    def zsh(*words: str) -> list[str]:
        return _run_shell(["zsh", "-f", "-c", DRIVE_ZSH, "zsh", script, *words], store)

    assert zsh("callplan", "brief", "kowal") == ["-U", "--", "Zoë Kowalczyk"]
    assert zsh("callplan", "brief", "\"o'b") == ["-U", "--", "Siobhán O'Brien"]
    assert zsh("callplan", "brief", "NAD") == ["-U", "--", "Nadia Hussain", "Nadine Smith"]
    # Commands and options keep their help, apostrophes and all.
    assert "--yes:Don't ask for a confirmation." in zsh("callplan", "dm", "forget", "1", "--")


@pytest.mark.slow
def test_fish_offers_the_names_for_the_word_typed(ok, store, tmp_path):
    """fish's own completion of a command line (complete -C) through the script Typer's
    fish completion installs: fish keeps a suggestion only if it matches the word typed,
    and quotes it itself when it puts it on the line."""
    if shutil.which("fish") is None:
        pytest.skip("fish is not installed (apt-get install fish)")
    for each in NAMES:
        ok("dm", "add", each)
    script = _script("fish", store, tmp_path)

    def fish(line: str) -> list[str]:
        code = f"source {script}; complete -C {line}"
        r = subprocess.run(
            ["fish", "--no-config", "-c", code], capture_output=True, env=_shell_env(store)
        )
        assert r.returncode == 0, r.stderr.decode()
        return r.stdout.decode().splitlines()

    assert fish("'callplan brief kowal'") == ["Zoë Kowalczyk"]
    assert fish("'callplan brief \"o\\'b'") == ["Siobhán O'Brien"]
    # fish wouldn't match 'zoe' to 'Zoë': the letters typed, then the rest of the name
    assert fish("'callplan brief zoe'") == ["zoe Kowalczyk"]
