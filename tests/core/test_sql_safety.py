"""No SQL is built by string formatting anywhere in callplan: values go in as bound
parameters, identifiers come from the models."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import callplan

SRC = Path(callplan.__file__).parent
SQL = re.compile(
    r"\b(SELECT|INSERT|UPDATE|DELETE|PRAGMA|BEGIN|CREATE|DROP|ALTER|WHERE|LIMIT|VALUES)\b"
)
CALLS = re.compile(r"\b(text|execute|executemany|executescript|exec_driver_sql)\(\s*f[\"']")


def _constant_text(node: ast.AST) -> str:
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return ""


def formatted_sql(path: Path) -> list[tuple[int, str]]:
    """(line, text) of each f-string, %-format or .format() whose text reads as SQL."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        target: ast.AST | None = None
        if isinstance(node, ast.JoinedStr):
            target = node
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
            target = node.left
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "format"
        ):
            target = node.func.value
        text = _constant_text(target) if target is not None else ""
        if text and SQL.search(text):
            found.append((node.lineno, text))
    return found


def test_no_sql_is_built_by_string_formatting():
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        for line, text in formatted_sql(path):
            offenders.append(f"{path.relative_to(SRC)}:{line}: {text!r}")
        for m in CALLS.finditer(source):
            line = source.count("\n", 0, m.start()) + 1
            offenders.append(f"{path.relative_to(SRC)}:{line}: {m.group(0)}")
    assert offenders == []


def test_the_scan_finds_what_it_looks_for(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        "def f(conn, name, n):\n"
        "    conn.execute(f\"SELECT * FROM t WHERE name = '{name}'\")\n"
        "    conn.execute('DELETE FROM t WHERE id = %s' % n)\n"
        "    conn.execute('UPDATE t SET a = {}'.format(n))\n"
        "    conn.execute('SELECT 1 ' f'LIMIT {n}')\n"
        "    conn.execute('SELECT ? FROM t', (name,))\n"
        "    print(f'Selected {n}')\n"
    )
    assert [line for line, _ in formatted_sql(bad)] == [2, 3, 4, 5]
