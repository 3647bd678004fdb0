"""`callplan go` in a pseudo-terminal, as a recruiter drives it: one-key prompts read raw
keys, Ctrl-C is a real interrupt from the terminal, and 80x24 is the screen.

A session: a call whose next date is typed wrong (asked again, nothing lost), a second
call interrupted with Ctrl-C half way (asked whether to save, saved), then `undo` at the
terminal takes that call back.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess

import pytest

from tests.conftest import console_script

pexpect = pytest.importorskip("pexpect")

TODAY = "2026-12-01"  # a Tuesday
# The note fields go asks for after a conversation, in order (none is known yet).
ASKED = ("Agency they use", "How they recruit", "Toughest role to fill", "Hiring plans", "Interest")


@pytest.fixture
def env(tmp_path, blank_store) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("CALLPLAN_")}
    base.update(
        CALLPLAN_DB=blank_store.db,
        CALLPLAN_CONFIG=str(tmp_path / "config.toml"),
        CALLPLAN_CACHE=str(tmp_path / "cache"),
        CALLPLAN_COUNTRY="GB-ENG",
        CALLPLAN_TODAY=TODAY,
        CALLPLAN_USER="Sam",
        TERM="xterm",
        NO_COLOR="1",
        LANG="C.UTF-8",
    )
    base.pop("COLUMNS", None)  # the terminal's own size
    base.pop("LINES", None)
    return base


def _interruptible() -> None:
    """Ctrl-C raises SIGINT, as in a terminal's foreground job, even when the tests run in
    a background job (which a shell starts with SIGINT ignored, and children inherit)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def spawn(env: dict[str, str], *args: str):
    """callplan in an 80x24 pseudo-terminal."""
    return pexpect.spawn(
        console_script(),
        list(args),
        env=env,
        encoding="utf-8",
        dimensions=(24, 80),
        timeout=20,
        preexec_fn=_interruptible,
    )


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    r = subprocess.run(
        [console_script(), *args], capture_output=True, text=True, env=env, timeout=60
    )
    assert r.returncode == 0, (args, r.stdout, r.stderr)
    return r


def calls_of(env: dict[str, str], name: str) -> list[dict]:
    return json.loads(run(env, "call", "list", name, "--json").stdout)["calls"]


@pytest.mark.slow
def test_a_go_session_with_a_bad_date_a_ctrl_c_and_an_undo(env):
    run(env, "dm", "add", "Jane Smith", "--company", "Acme", "--phone", "0113 496 0001")
    run(env, "dm", "add", "Bob Jones", "--company", "Beta", "--phone", "0113 496 0002")
    go = spawn(env, "go", "--plain")
    # Jane: a continuation, a summary, the note fields skipped, a next date that doesn't
    # exist: asked again, and nothing typed before it is lost.
    go.expect(r"\[q\]uit\?")
    go.send("c")  # one key, no Enter
    go.expect(r"number or name\)")
    go.sendline("callback")
    go.expect(r"Summary \(Enter to skip\): ")
    go.sendline("Budget signed off in January")
    go.expect(r"To say next time, as you'd say it \(Enter to skip\): ")
    go.sendline("")
    for label in ASKED:
        go.expect(rf"{label} \([^)]*Enter to skip\): ")
        go.sendline("")
    go.expect(r"Referral")
    go.sendline("")
    go.expect(r"Next call")
    go.sendline("31/02")
    go.expect(r"Type another date")
    go.expect(r"Next call")
    go.sendline("fri")
    go.expect(r"Purpose of the next call \(e\.g\. book-meeting; Enter for none\): ")
    go.sendline("book a meeting")
    go.expect(
        r"Logged callback with Jane Smith\. Next call Fri 4 Dec \(purpose: book a meeting\)\."
    )
    # Bob: an advance, a summary, then Ctrl-C: asked whether to save it; Enter saves.
    go.expect(r"\[q\]uit\?")
    go.send("a")
    go.expect(r"number or name\)")
    go.sendline("cv-review")
    go.expect(r"Summary \(Enter to skip\): ")
    go.sendline("Sent two CVs")
    go.expect(r"To say next time, as you'd say it \(Enter to skip\): ")
    go.sendline("you were going to look at the CVs by Friday")
    go.expect(r"Agency they use \(Enter to skip\): ")
    go.sendintr()
    go.expect(r"Save the cv-review with Bob Jones with what you typed\? \[Y/n\]")
    go.sendline("")
    go.expect(r"Logged cv-review with Bob Jones\.")
    go.expect(r"Session over: 2 calls logged; that's everyone for today\.")
    go.expect(pexpect.EOF)
    go.close()
    assert go.exitstatus == 130  # Ctrl-C, as everywhere
    jane = calls_of(env, "jane")
    assert [(c["outcome"], c["summary"], c["next_call_on"]) for c in jane] == [
        ("callback", "Budget signed off in January", "2026-12-04")
    ]
    bob = calls_of(env, "bob")
    assert [(c["outcome"], c["summary"], c["say"]) for c in bob] == [
        ("cv-review", "Sent two CVs", "you were going to look at the CVs by Friday")
    ]

    # Undo at the terminal: it shows the call, asks, and takes back Bob's call only.
    undo = spawn(env, "undo")
    undo.expect(r"Call #2 advance \(cv-review\) with Bob Jones, Beta, today")
    undo.expect(r"Take it back\? \[y/N\]")
    undo.sendline("y")
    undo.expect(r"Bob Jones: 0 conversations, a new DM again\.")
    undo.expect(pexpect.EOF)
    undo.close()
    assert undo.exitstatus == 0
    assert calls_of(env, "bob") == []
    assert len(calls_of(env, "jane")) == 1


@pytest.mark.slow
def test_ctrl_c_at_the_one_key_prompt_ends_on_its_own_line_with_130(env):
    run(env, "dm", "add", "Jane Smith", "--company", "Acme", "--phone", "0113 496 0001")
    go = spawn(env, "go", "--plain")
    go.expect(r"\[q\]uit\? ")
    go.sendintr()
    go.expect(r"\r\nSession over: 0 calls logged; 1 still to call today\.")
    go.expect(pexpect.EOF)
    go.close()
    assert go.exitstatus == 130


@pytest.mark.slow
def test_ctrl_c_at_a_question_elsewhere_is_130_too(env):
    run(env, "dm", "add", "Jane Smith", "--company", "Acme", "--phone", "0113 496 0001")
    run(env, "log", "jane", "-c", "callback")
    undo = spawn(env, "undo")
    undo.expect(r"Take it back\? \[y/N\]: ")
    undo.sendintr()
    undo.expect(r"\r\nAborted\.")
    undo.expect(pexpect.EOF)
    undo.close()
    assert undo.exitstatus == 130
    assert len(calls_of(env, "jane")) == 1  # nothing taken back


@pytest.mark.slow
def test_the_cockpit_logs_a_call_by_keys_in_a_real_terminal(env):
    """The installed `callplan go` on a terminal opens the full-screen cockpit: one call
    logged by keys (a, 3 for cv-review, a summary, Ctrl+S), then q."""
    run(env, "dm", "add", "Jane Smith", "--company", "Acme", "--phone", "0113 496 0001")
    go = spawn(env, "go")
    go.expect("copy number")  # the keys at the foot: the first screen is drawn
    go.expect("Jane Smith")  # then the day, planned meanwhile
    go.send("a")
    go.expect("cv-review")  # the advance types, one key each
    go.send("3")
    go.expect("Ctrl\\+S saves")
    go.send("Wants a Java CV")
    go.send("\x13")  # Ctrl+S
    go.expect("Logged cv-review with Jane Smith")
    go.send("q")
    go.expect(r"Session over: 1 call logged; that's everyone for today\.")
    go.expect(pexpect.EOF)
    go.close()
    assert go.exitstatus == 0
    (call,) = calls_of(env, "jane")
    assert (call["outcome"], call["summary"]) == ("cv-review", "Wants a Java CV")


@pytest.mark.slow
@pytest.mark.sqlite_only("a damaged file is a SQLite store's failure")
def test_a_day_that_cannot_be_planned_ends_the_cockpit_with_one_line(env, tmp_path):
    """The screen is drawn first and the day planned behind it: a store that can't be
    read ends the cockpit, the terminal is given back, and the reason is one line, as
    `today` says it (exit 5, nothing written)."""
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database, whatever its name says\n" * 20)
    go = spawn({**env, "CALLPLAN_DB": str(junk)}, "go")
    go.expect("copy number")  # the first screen
    go.expect(r"is damaged \(file is not a database\)")
    go.expect(pexpect.EOF)
    go.close()
    assert go.exitstatus == 5
    said = go.before.replace("\r", "")
    assert "Traceback" not in said and "Session over" not in said
    assert junk.read_bytes() == b"not a database, whatever its name says\n" * 20
