"""Hostile text (issue 13): a callplan JSON import refuses what the command line and a
contacts import refuse; whatever a store holds, nothing callplan prints can drive the
terminal; bytes that aren't UTF-8 and absurdly nested JSON are one error line, not a bug;
CSV cells a spreadsheet would run are neutralised in every form."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from callplan.cli.options import clean_text
from callplan.errors import UsageError
from callplan.output import neutralise, write_csv
from tests.conftest import Run, Store

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


@pytest.mark.parametrize("cell", FORMULAS, ids=[repr(f) for f in FORMULAS])
def test_every_formula_form_is_neutralised(cell: str) -> None:
    assert neutralise(cell) == "'" + cell
    stream = io.StringIO()
    write_csv(stream, [{"name": cell}], ["name"])
    (row,) = csv.DictReader(io.StringIO(stream.getvalue()))
    assert row["name"].startswith("'"), row


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
