"""Hostile text (issue 13): a callplan JSON import refuses what the command line and a
contacts import refuse; whatever a store holds, nothing callplan prints can drive the
terminal; bytes that aren't UTF-8 and absurdly nested JSON are one error line, not a bug;
CSV cells a spreadsheet would run are neutralised in every form."""

from __future__ import annotations

import csv
import io

import pytest

from callplan.output import neutralise, write_csv
from tests.conftest import Run

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
