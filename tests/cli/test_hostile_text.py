"""Hostile text (issue 13): a callplan JSON import refuses what the command line and a
contacts import refuse; whatever a store holds, nothing callplan prints can drive the
terminal; bytes that aren't UTF-8 and absurdly nested JSON are one error line, not a bug;
CSV cells a spreadsheet would run are neutralised in every form."""

from __future__ import annotations

import copy
import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from callplan.cli.options import clean_text
from callplan.cli.output import write_csv
from callplan.core.wording import neutralise, printable
from callplan.errors import UsageError
from tests.conftest import Run, Store

# --- a callplan JSON import is as strict as the command line ---------------------------


def dm(id_: int, name: str, **over: object) -> dict[str, Any]:
    return {
        "id": id_, "name": name, "company": None, "title": None, "phone": None,
        "email": None, "linkedin": None, "tags": [], "status": "active",
        "needs_number": False, "referred_by_id": None,
        "created_at": "2026-11-01T09:00:00+00:00", "next_call_on": "2026-11-25",
        "due_reason": "callback", "last_conversation_on": "2026-11-20",
        "conversation_count": 2, "attempts_in_row": 1, "last_outcome": "callback",
        "lawful_basis": "legitimate-interest", "ctps": False, "owner": "Sam", **over,
    }  # fmt: skip


def call(id_: int, on: str, kind: str, outcome: str, number: int | None, **over: object) -> dict:
    return {
        "id": id_, "dm_id": 1, "called_on": on, "logged_at": f"{on}T10:00:00+00:00",
        "kind": kind, "outcome": outcome, "summary": "Spoke about roles",
        "next_call_on": None, "conversation_number": number, "recruiter": "Sam",
        "reason": "new", **over,
    }  # fmt: skip


def document() -> dict[str, Any]:
    """A consistent file: one DM, two conversations then a dial, a note (the tests'
    today is 2026-11-23)."""
    return {
        "format": "callplan-json",
        "version": 1,
        "schema": "0006",
        "suppression_keys": [],
        "decision_makers": [dm(1, "Jane Smith", company="Acme", tags=["python"])],
        "calls": [
            call(1, "2026-11-10", "advance", "cv-review", 1),
            call(2, "2026-11-20", "continuation", "callback", 2, reason="cv-review"),
            call(3, "2026-11-21", "no-connect", "voicemail", None, reason="callback"),
        ],
        "notes": [
            {
                "id": 1,
                "dm_id": 1,
                "call_id": 1,
                "noted_on": "2026-11-10",
                "text": "Line one\n\tindented",
                "competitor": "Hays",
                "competitor_likes": None,
                "sold": None,
                "liked": None,
                "not_fussed": None,
                "process": None,
                "toughest_role": None,
                "plans": None,
                "interest": "warm",
                "created_at": "2026-11-10T10:00:00+00:00",
                "recruiter": "Sam",
            }
        ],
        "jobs": [],
        "candidates": [],
        "call_hooks": [],
        "erasures": [],
        "suppressions": [],
    }


ESC = "\x1b"
# (where, value, what the one error line says)
HOSTILE: list[tuple[tuple[str, int, str], object, str]] = [
    (("decision_makers", 0, "name"), f"{ESC}[2J{ESC}[31mJane", "decision_makers[0].name holds"),
    (
        ("decision_makers", 0, "company"),
        f"{ESC}]8;;https://evil.test{ESC}\\Acme{ESC}]8;;{ESC}\\",  # an OSC 8 link
        "decision_makers[0].company holds the control character U+001B",
    ),
    (("decision_makers", 0, "title"), f"{ESC}]0;pwned\x07", "decision_makers[0].title holds"),
    (("decision_makers", 0, "email"), "jane\x00@acme.test", "U+0000"),
    (("decision_makers", 0, "phone"), "\x9b31m020 7946 0000", "U+009B"),  # C1 CSI
    (("decision_makers", 0, "name"), "Jane\nSmith", "decision_makers[0].name holds"),
    (("decision_makers", 0, "name"), "Jane\ud800", "decision_makers[0].name holds U+D800"),
    (("decision_makers", 0, "tags"), ["ok", f"py{ESC}[5m"], "decision_makers[0].tags[1] holds"),
    (("decision_makers", 0, "tags"), ["x" * 61], "decision_makers[0].tags[0] is 61 characters"),
    (("calls", 0, "summary"), f"Wants CVs{ESC}[8m hidden", "calls[0].summary holds"),
    (("calls", 0, "summary"), "carriage\rreturn", "calls[0].summary holds"),
    (("notes", 0, "text"), "nul\x00here", "notes[0].text holds the control character U+0000"),
    (("notes", 0, "competitor"), "Hays\tReed", "notes[0].competitor holds"),
    (("jobs", 0, "title"), f"Dev{ESC}[0m", "jobs[0].title holds"),
    (("candidates", 0, "headline"), "\x07bell", "candidates[0].headline holds"),
    # dates and outcomes a `log` would refuse
    (("calls", 2, "called_on"), "2026-11-24", "calls[2].called_on is 2026-11-24, after today"),
    (("notes", 0, "noted_on"), "2027-01-01", "notes[0].noted_on is 2027-01-01, after today"),
    (("calls", 1, "outcome"), "made-up", "calls[1].outcome is 'made-up'"),
    (("calls", 1, "outcome"), "voicemail", "a continuation call's outcome is one of"),
    (("calls", 1, "reason"), f"{ESC}[1m", "calls[1].reason holds"),
    (("calls", 1, "reason"), "whim", "calls[1].reason is 'whim'"),
    (("decision_makers", 0, "due_reason"), "whim", "decision_makers[0].due_reason is 'whim'"),
    # a diary that contradicts the calls (`db check` would fail right after)
    (("decision_makers", 0, "conversation_count"), 7, "conversation_count is 7, but its calls"),
    (("decision_makers", 0, "last_outcome"), "cv-review", "last_outcome is 'cv-review', but"),
    (("decision_makers", 0, "last_conversation_on"), "2026-11-10", "last_conversation_on is"),
    (("decision_makers", 0, "attempts_in_row"), 0, "attempts_in_row is 0, but its calls say 1"),
    (("calls", 0, "conversation_number"), 2, "calls[0].conversation_number is 2, but it is"),
    (("calls", 2, "conversation_number"), 3, "a no-connect call isn't a conversation"),
]


def hostile(where: tuple[str, int, str], value: object) -> dict[str, Any]:
    doc = copy.deepcopy(document())
    doc["jobs"] = [
        {"id": 1, "title": "Dev", "company": None, "fee": None, "tags": [], "status": "open",
         "created_at": "2026-11-01T09:00:00+00:00", "closed_on": None}
    ]  # fmt: skip
    doc["candidates"] = [
        {"id": 1, "name": "Dana", "headline": None, "tags": [], "available_on": None,
         "status": "open", "created_at": "2026-11-01T09:00:00+00:00", "closed_on": None}
    ]  # fmt: skip
    section, row, field = where
    doc[section][row][field] = value
    return doc


def write(path: Path, doc: object) -> Path:
    # ensure_ascii: lone surrogates travel as \ud800 escapes, as a hostile file would hold them
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_the_consistent_file_imports_and_checks_clean(ok: Run, tmp_path: Path) -> None:
    ok("import", str(write(tmp_path / "good.json", document())))
    assert "All checks passed." in ok("db", "check").stderr
    shown: Any = ok("dm", "show", "--json", "1").json
    assert [n["text"] for n in shown["notes"]] == ["Line one\n\tindented"]  # multi-line stays


@pytest.mark.parametrize("merge", [False, True], ids=["into-empty", "merge"])
@pytest.mark.parametrize(("where", "value", "said"), HOSTILE, ids=[str(h[0]) for h in HOSTILE])
def test_a_json_import_refuses_hostile_text_dates_and_history(
    cli: Run,
    ok: Run,
    store: Store,
    tmp_path: Path,
    where: tuple[str, int, str],
    value: object,
    said: str,
    merge: bool,
) -> None:
    if merge:
        ok("dm", "add", "Bob Byte", "--company", "Initech")
    before = store.snapshot()
    path = write(tmp_path / "hostile.json", hostile(where, value))
    for args in (["--dry-run"], []):
        r = cli("import", *(["--merge"] if merge else []), *args, str(path))
        assert r.exit_code == 7, r.stderr
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), r.stderr
        assert said in lines[0], (said, lines[0])
        assert ESC not in r.stderr and "\x00" not in r.stderr and "\x9b" not in r.stderr
        assert r.stdout == ""
    assert store.snapshot() == before


def test_a_hostile_value_in_a_message_is_short_and_escaped(cli: Run, tmp_path: Path) -> None:
    doc = hostile(("decision_makers", 0, "status"), "\u202eevil" + "x" * 100_000)  # RTL
    r = cli("import", str(write(tmp_path / "long.json", doc)))
    assert r.exit_code == 7 and "\\u202eevil" in r.stderr and "\u202e" not in r.stderr
    assert len(r.stderr) < 500
    nested: list[Any] = []
    for _ in range(500):
        nested = [nested]
    doc = hostile(("decision_makers", 0, "name"), nested)
    r = cli("import", str(write(tmp_path / "nested.json", doc)))
    assert r.exit_code == 7 and len(r.stderr) < 500, r.stderr


# --- nothing from the store reaches the terminal raw -----------------------------------

RAW = (ESC, "\x00", "\x01", "\x9b", "\x07", "\x08", "\r")


def test_control_characters_already_in_a_store_are_never_printed(
    ok: Run, store: Store, tmp_path: Path
) -> None:
    """A store from before the import was strict may hold anything: every view of it
    shows a replacement character instead of a control character."""
    ok("dm", "add", "Jane Smith", "--company", "Acme", "--phone", "020 7946 0000")
    ok("log", "jane", "-a", "cv-review", "-s", "Wants CVs", "--competitor", "Hays",
       "--on", "2026-11-20")  # fmt: skip
    ok("job", "add", "Dev", "--company", "Acme")
    ok("candidate", "add", "Dana Dev")
    osc = f"{ESC}]0;pwned\x07{ESC}[2J{ESC}[31m"
    store.query("UPDATE decision_maker SET name = ?, company = ?", f"Jane{osc}", osc)
    nul = "\x00" if store.backend == "sqlite" else "\x01"  # PostgreSQL text can't hold NUL
    store.query("UPDATE call SET summary = ?", f"Wants\x9b31m CVs{nul}\r{ESC}[8m")
    store.query("UPDATE note SET competitor = ?, text = ?", f"Hays{osc}", f"\x08\x08{osc}")
    store.query("UPDATE job SET title = ?", f"Dev{osc}")
    store.query("UPDATE candidate SET name = ?", f"Dana{osc}")
    views = [
        ("dm", "list"),
        ("dm", "list", "--search", "jane"),
        ("dm", "show", "1"),
        ("brief", "1"),
        ("today",),
        ("today", "--all"),
        ("hooks", "1"),
        ("job", "list"),
        ("candidate", "list"),
        ("note", "1", "Another note"),
        ("log", "1", "-c", "callback"),
        ("dm", "edit", "1", "--title", "Head of IT"),
        ("dm", "archive", "1"),
        ("dm", "restore", "1"),
        ("stats",),
        ("forecast",),
        ("sweep",),
        ("dm", "list", "--status", "all"),
    ]
    for args in views:
        r = ok(*args)
        for raw in RAW:
            assert raw not in r.stdout + r.stderr, (args, raw, r.stdout, r.stderr)
    assert "Jane\ufffd]0;pwned" in ok("dm", "list").stdout
    for args in [("dm", "list", "--csv"), ("export", "-f", "csv")]:
        r = ok(*args)  # CSV reaches terminals too: the same replacement character
        for raw in RAW[:-1]:  # a \r is written as a line break inside a quoted cell
            assert raw not in r.stdout, (args, raw, r.stdout)
        assert "\ufffd" in r.stdout, args
    for args in [("dm", "list", "--json"), ("dm", "show", "1", "--json"), ("brief", "1", "--json")]:
        r = ok(*args)  # JSON: the text as stored, every control character escaped
        for raw in RAW:
            assert raw not in r.stdout, (args, raw, r.stdout)
    shown = json.dumps(ok("dm", "show", "1", "--json").json, ensure_ascii=False)
    assert "Wants\x9b31m CVs" in shown  # read back, the JSON holds the text as stored


def test_an_error_or_a_question_naming_someone_is_printable(
    ok: Run, cli: Run, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok("dm", "add", "Jane Smith", "--company", "Acme")
    ok("dm", "add", "Jane Smythe", "--company", "Initech")
    store.query("UPDATE decision_maker SET company = ?", f"Acme{ESC}]0;pwned\x07{ESC}[2J")
    r = cli("log", "jane", "-c", "callback")
    assert r.exit_code == 4 and "Acme\ufffd]0;pwned" in r.stderr, r.stderr
    assert ESC not in r.stderr and "\x07" not in r.stderr
    monkeypatch.setattr("callplan.cli.options.interactive", lambda: True)
    r = cli("dm", "forget", "1", input="n\n")
    assert r.exit_code == 1 and "Erase #1 Jane Smith, Acme\ufffd]0;pwned" in r.stderr, r.stderr
    assert ESC not in r.stderr + r.stdout


def test_completion_offers_names_printable(ok: Run, store: Store) -> None:
    """The shell lists the suggestions on the terminal."""
    import typer

    from callplan.cli import app
    from callplan.cli.complete import dm_names, tags

    ok("dm", "add", "Jane Smith", "--tag", "python")
    store.query("UPDATE decision_maker SET name = ?", f"Jane{ESC}]0;pwned\x07")
    store.query("UPDATE dm_tag SET tag = ?", f"py{ESC}[2J")
    command = typer.main.get_command(app)
    with command.make_context("callplan", ["--db", store.db, "today"]) as ctx:
        assert dm_names(ctx, "Ja") == ["Jane\ufffd]0;pwned\ufffd"]
        assert tags(ctx, "p") == ["py\ufffd[2J"]


@pytest.mark.no_store
def test_printable_keeps_text_and_replaces_controls() -> None:
    assert printable("Zoë 山田 🙂 \u202eevil\n\tnext") == "Zoë 山田 🙂 \u202eevil\n\tnext"
    replaced = "a\ufffd[31mb\ufffdc\ufffdd\ufffde\ufffdf\ufffd"
    assert printable(f"a{ESC}[31mb\x00c\x9bd\x7fe\rf\ud800") == replaced


# --- bytes that aren't UTF-8, nesting no parser takes ----------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("dm", "add", "Zo\udce9 X"),
        ("dm", "add", "Zoe", "--company", "Caf\udce9"),
        ("log", "--summary", "r\udcc3sum\udce9", "-c", "callback", "Ada"),
        ("dm", "list", "--search", "\udcff"),
        ("--db", "/tmp/st\udce9re.sqlite3", "dm", "list"),
        ("--as", "K\udce9m", "today"),
        ("note", "Ada", "caf\udce9"),
        ("import", "\udce9.csv"),
        ("\udce9",),
    ],
)
def test_an_argument_that_is_not_utf8_is_a_usage_error(
    cli: Run, ok: Run, store: Store, args: tuple[str, ...]
) -> None:
    ok("dm", "add", "Ada Lovelace")
    before = store.snapshot()
    r = cli(*args)
    assert r.exit_code == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "UTF-8" in lines[0], lines
    assert store.snapshot() == before


@pytest.mark.parametrize(
    "args",
    [
        ("backup", "--", "nul\x00"),
        ("export", "--out", "nul\x00.csv"),
        ("restore", "nul\x00"),
        ("import", "nul\x00.csv"),
        ("dm", "export", "1", "--out", "nul\x00.json"),
    ],
)
def test_a_file_path_holding_a_nul_is_a_usage_error(
    cli: Run, ok: Run, store: Store, args: tuple[str, ...]
) -> None:
    """Typer 0.26 checks a path argument with os.stat, which refuses a NUL with a
    ValueError: one line all the same, nothing written. (No shell can pass a NUL: only a
    program calling main.)"""
    ok("dm", "add", "Ada Lovelace")
    before = store.snapshot()
    r = cli(*args, input="n\n")
    assert r.exit_code == 2, r.stderr
    assert r.stderr == "Error: An argument holds a NUL character, which no file name can.\n"
    assert store.snapshot() == before


@pytest.mark.parametrize(
    "var", ["CALLPLAN_DB", "CALLPLAN_TODAY", "CALLPLAN_USER", "CALLPLAN_CONFIG", "CALLPLAN_COUNTRY"]
)
def test_a_setting_in_the_environment_that_is_not_utf8_is_a_usage_error(
    cli: Run, var: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(var, os.fsdecode(b"bad\xe9value"))
    r = cli("dm", "list")
    assert r.exit_code == 2, r.stderr
    assert r.stderr.startswith(f"Error: {var}='bad\\xe9value' isn't UTF-8 text."), r.stderr


def test_bytes_that_are_not_utf8_on_a_real_command_line(env: Path, tmp_path: Path) -> None:
    """The installed command, given raw bytes as the shell would pass them."""
    exe = Path(sys.executable).with_name("callplan")
    for argv, environ in (
        ([b"dm", b"add", b"Zo\xe9 X"], {}),
        ([b"dm", b"list"], {"CALLPLAN_TODAY": b"2026-11-\xff"}),
    ):
        full_env = {**os.environb, **{k.encode(): v for k, v in environ.items()}}
        r = subprocess.run([bytes(exe), *argv], env=full_env, capture_output=True, timeout=60)
        assert r.returncode == 2, r.stderr
        assert r.stderr.startswith(b"Error: ") and r.stderr.count(b"\n") == 1, r.stderr


@pytest.mark.no_store
def test_clean_text_refuses_lone_surrogates() -> None:
    with pytest.raises(UsageError, match="isn't UTF-8 text"):
        clean_text("Zo\udce9", "name")


@pytest.mark.parametrize(
    "content",
    ["[" * 100_000 + "]" * 100_000, '{"format": "callplan-json", "x": ' + "[" * 100_000],
    ids=["arrays", "in-a-document"],
)
def test_json_nested_beyond_any_use_is_a_bad_file(
    cli: Run, store: Store, tmp_path: Path, content: str
) -> None:
    before = store.snapshot()
    path = tmp_path / "deep.json"
    path.write_text(content)
    for args in (("import", str(path)), ("import", "--format", "callplan-json", str(path))):
        r = cli(*args)
        assert r.exit_code == 7, r.stderr
        assert r.stderr.strip().count("\n") == 0 and r.stderr.startswith("Error: "), r.stderr
    assert store.snapshot() == before


def test_a_config_file_nested_beyond_any_use_is_a_bad_setting(cli: Run, tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("cycle_days = " + "[" * 100_000 + "]" * 100_000)
    r = cli("today")
    assert r.exit_code == 6 and "nested too deeply" in r.stderr, r.stderr
    assert r.stderr.count("\n") == 1


# --- CSV cells a spreadsheet would run --------------------------------------------------

FORMULAS = [
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
    " =1+1",
    "   +cmd|' /C calc'!A0",
    "\n=1+1",
    " \n @SUM(A1)",
    "\u3000=1+1",  # an ideographic space
    "\xa0=1+1",  # a no-break space
    '＝HYPERLINK("http://evil.test")',  # full-width equals
    "＋1＋1",
    "－1",
    "＠SUM(A1)",
    " ＝1",
]


@pytest.mark.no_store
@pytest.mark.parametrize("cell", FORMULAS, ids=[repr(f) for f in FORMULAS])
def test_every_formula_form_is_neutralised(cell: str) -> None:
    assert neutralise(cell) == "'" + cell
    stream = io.StringIO()
    write_csv(stream, [{"name": cell}], ["name"])
    (row,) = csv.DictReader(io.StringIO(stream.getvalue()))
    assert row["name"].startswith("'"), row


@pytest.mark.no_store
def test_text_that_is_not_a_formula_is_left_alone() -> None:
    for cell in ("Jane = boss", "Acme", " Acme", "", "a-b", "Zoë＝", "1+1"):
        assert neutralise(cell) == cell


def test_full_width_formulas_typed_at_the_command_line_are_neutralised_in_csv(ok: Run) -> None:
    ok("dm", "add", "＝HYPERLINK(\"http://evil.test\",\"x\")", "--company", "＠SUM(A1)",
       "--title", "－2+3")  # fmt: skip
    for args in (("export", "-f", "csv"), ("dm", "list", "--csv")):
        (row,) = csv.DictReader(io.StringIO(ok(*args).stdout))
        assert row["name"] == '\'＝HYPERLINK("http://evil.test","x")', row
        assert row["company"] == "'＠SUM(A1)"
    (row,) = csv.DictReader(io.StringIO(ok("export", "-f", "csv").stdout))
    assert row["title"] == "'－2+3"
