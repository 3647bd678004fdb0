"""One output path: data to stdout as a table, JSON or CSV; messages to stderr.

Rich draws tables on a terminal and plain text when piped (no colour codes); NO_COLOR is
respected. JSON is the stable interface for scripts: its shapes are in docs/json.md.
"""

from __future__ import annotations

import contextlib
import csv
import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    style: str | None = None
    min_width: int | None = None
    max_width: int | None = None
    ratio: int | None = None
    no_wrap: bool = False
    justify: str = "left"


def choose(*, json_: bool = False, csv_: bool = False) -> Format:
    from callplan.errors import UsageError

    if json_ and csv_:
        raise UsageError("Choose one of --json and --csv.")
    return Format.JSON if json_ else Format.CSV if csv_ else Format.TABLE


def console(*, stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def message(text: str, *, style: str | None = None) -> None:
    """A message for the person at the keyboard (stderr, so pipes carry only data)."""
    console(stderr=True).print(text, style=style, markup=False, highlight=False, soft_wrap=True)


def warn(text: str) -> None:
    message(text, style="yellow")


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, default=_jsonable, ensure_ascii=False, indent=2) + "\n")


def print_csv(rows: Sequence[Mapping[str, Any]], keys: Sequence[str]) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(keys)
    for row in rows:
        writer.writerow(["" if row.get(k) is None else _cell(row[k]) for k in keys])


def _cell(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def print_table(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[Column],
    *,
    title: str | None = None,
    caption: str | None = None,
    expand: bool = False,
) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    out = console()
    table = Table(
        title=Text(title) if title else None,  # Text: never read data as Rich markup
        caption=Text(caption) if caption else None,
        box=box.SIMPLE_HEAD,
        title_justify="left",
        caption_justify="left",
        expand=expand,
        pad_edge=False,
        show_edge=False,
    )
    for c in columns:
        table.add_column(
            c.header,
            style=c.style,
            min_width=c.min_width,
            max_width=c.max_width,
            ratio=c.ratio,
            no_wrap=c.no_wrap,
            overflow="ellipsis" if c.no_wrap else "fold",
            justify=c.justify,  # type: ignore[arg-type]
        )
    for row in rows:
        cells = []
        for c in columns:
            value = row.get(c.key)
            cells.append(value if isinstance(value, Text) else Text(_display(value)))
        table.add_row(*cells)
    out.print(table)


def _display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def emit(
    fmt: Format,
    *,
    data: Any,
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[Column],
    title: str | None = None,
    caption: str | None = None,
    csv_keys: Sequence[str] | None = None,
) -> None:
    """Print ``data`` as JSON, or ``rows`` as CSV or a table."""
    if fmt is Format.JSON:
        print_json(data)
    elif fmt is Format.CSV:
        print_csv(rows, csv_keys or [c.key for c in columns])
    else:
        print_table(rows, columns, title=title, caption=caption)


def day(d: date | None, today: date | None = None) -> str:
    """'today', 'tomorrow', 'yesterday', or 'Mon 23 Nov' (with the year when not this year)."""
    if d is None:
        return "—"
    if today is not None:
        delta = (d - today).days
        if delta == 0:
            return "today"
        if delta == 1:
            return "tomorrow"
        if delta == -1:
            return "yesterday"
    text = f"{d:%a} {d.day} {d:%b}"
    if today is None or d.year != today.year:
        text += f" {d.year}"
    return text


def local_time(ts: datetime | None) -> str:
    """A UTC timestamp shown in the local time zone."""
    if ts is None:
        return ""
    local = ts.astimezone()
    return f"{local.day} {local:%b %Y %H:%M}"


def write_file(path: Path, data: bytes, *, what: str = "file") -> None:
    """Write ``data`` to ``path`` atomically: a temporary file in the same folder, then a
    rename over ``path``. On failure ``path`` is left as it was and no temporary file
    stays behind. The file is readable by its owner only (it holds contacts' details)."""
    import os
    import tempfile

    from callplan.errors import ExportError

    path = path.expanduser()
    if path.is_dir():
        raise ExportError(f"Can't write the {what} {path}: it is a folder.")
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ExportError(f"Can't write the {what} {path}: {reason}.") from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
