"""One output path: data to stdout as a table, JSON or CSV; messages to stderr.

Rich draws tables on a terminal and plain text when piped (no colour codes); NO_COLOR is
respected. JSON is the stable interface for scripts: its shapes are in docs/json.md.
"""

from __future__ import annotations

import csv
import functools
import os
import shlex
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TextIO

from callplan.core.wording import UNPRINTABLE, json_text, neutralise, printable
from callplan.errors import UsageError

if TYPE_CHECKING:
    from rich.console import Console, RenderableType


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
    # On a terminal, a value too long for the column is cut with "…" rather than wrapped
    # onto more lines, so each row stays one line (piped, it wraps as before).
    cut: bool = False


def choose(*, json_: bool = False, csv_: bool = False) -> Format:
    if json_ and csv_:
        raise UsageError("Choose one of --json and --csv.")
    return Format.JSON if json_ else Format.CSV if csv_ else Format.TABLE


def console(*, stderr: bool = False, **options: Any) -> Console:
    """A Rich console that prints what it is given as text only: a control character in
    a name or note (an import of an old store's file, say) can't reach the terminal.

    emoji=False: a name or note with ":fire:" in it is shown as typed, not as an emoji
    (and Rich never loads its emoji table)."""
    settings: dict[str, Any] = {"highlight": False, "soft_wrap": False, "emoji": False}
    return _text_only_console()(stderr=stderr, **{**settings, **options})


@functools.cache
def _text_only_console() -> type[Console]:
    from rich.console import Console
    from rich.segment import Segment

    class TextOnlyConsole(Console):
        def render(self, renderable: Any, options: Any = None) -> Iterator[Segment]:
            # Every printed thing, tables and their cells too, ends as segments here;
            # Rich's own colour and cursor codes are not in their text.
            for segment in super().render(renderable, options):
                if segment.control is None and UNPRINTABLE.search(segment.text):
                    yield Segment(printable(segment.text), segment.style)
                else:
                    yield segment

    return TextOnlyConsole


def message(text: str, *, style: str | None = None) -> None:
    """A message for the person at the keyboard (stderr, so pipes carry only data): on a
    terminal, wrapped at its width between words; elsewhere (a log file), lines as they
    are."""
    out = console(stderr=True)
    out.print(text, style=style, markup=False, highlight=False, soft_wrap=not out.is_terminal)


def echo(text: str) -> None:
    """A line for stdout that may hold text from the store (a name, say): printable only;
    on a terminal, wrapped at its width between words, as ``message`` is."""
    if sys.stdout.isatty():
        console().print(text, markup=False, highlight=False)
        return
    sys.stdout.write(printable(text) + "\n")
    sys.stdout.flush()


def warn(text: str) -> None:
    message(text, style="yellow")


# --- a pager for what is longer than the screen -------------------------------------------


def pager_command(environ: Mapping[str, str]) -> list[str] | None:
    """The pager to show long output in, picked as git picks its own: CALLPLAN_PAGER, then
    PAGER, else less; set but empty, or "cat", means none."""
    for var in ("CALLPLAN_PAGER", "PAGER"):
        if var in environ:
            command = environ[var].strip()
            break
    else:
        command = "less"
    if not command or command == "cat":
        return None
    try:
        return shlex.split(command)
    except ValueError:  # an unclosed quote: not a command that can be run
        return None


def print_paged(renderables: Sequence[RenderableType]) -> None:
    """Print on stdout; on a terminal, through the pager when it is longer than the
    screen (as git does: less with LESS=FRX unless LESS is set, so colours pass and what
    is shown stays on the screen when less ends). Piped, printed as it is."""
    out = console()
    if not out.is_terminal:
        for renderable in renderables:
            out.print(renderable)
        return
    with out.capture() as captured:
        for renderable in renderables:
            out.print(renderable)
    text = captured.get()
    command = pager_command(os.environ)
    if command is None or text.count("\n") < out.size.height or not _page(command, text):
        sys.stdout.write(text)
        sys.stdout.flush()


def _page(command: list[str], text: str) -> bool:
    """Show ``text`` in the pager; False when the pager can't be started."""
    import subprocess

    env = {**os.environ}
    env.setdefault("LESS", "FRX")
    env.setdefault("LV", "-c")
    sys.stdout.flush()
    try:
        pager = subprocess.Popen(command, stdin=subprocess.PIPE, env=env)
    except OSError:
        warn(f"Can't start the pager {command[0]!r}: set PAGER (or CALLPLAN_PAGER).")
        return False
    data = text.encode(sys.stdout.encoding or "utf-8", "replace")
    try:
        pager.communicate(data)
    except KeyboardInterrupt:  # ^C in less: less goes on; wait for it
        pager.wait()
    return True


def print_json(data: Any) -> None:
    sys.stdout.write(json_text(data) + "\n")


def print_csv(rows: Iterable[Mapping[str, Any]], keys: Sequence[str]) -> None:
    write_csv(sys.stdout, rows, keys)


def write_csv(stream: TextIO, rows: Iterable[Mapping[str, Any]], keys: Sequence[str]) -> int:
    """A header and one line per row; ``rows`` may be a generator (written as it comes).
    Returns the number of rows."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(keys)
    n = 0
    for row in rows:
        writer.writerow(["" if row.get(k) is None else _cell(row[k]) for k in keys])
        n += 1
    return n


def _cell(value: Any) -> str:
    if isinstance(value, date | datetime):
        return value.isoformat()
    text = ";".join(str(v) for v in value) if isinstance(value, list | tuple) else str(value)
    # Line breaks as \n: the csv module quotes a cell holding \n, but not a lone \r when
    # the line ends in \n, which would split the row. Other control characters are shown
    # as U+FFFD, as on every other output: CSV is printed on terminals too.
    return printable(neutralise(text).replace("\r\n", "\n").replace("\r", "\n"))


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
        title=Text(printable(title)) if title else None,  # Text: never read data as markup
        caption=Text(printable(caption)) if caption else None,
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
    # The column still gives up width as a wrapping one does; its cells don't wrap.
    cut = {c.key for c in columns if c.cut and out.is_terminal}
    for row in rows:
        cells = []
        for c in columns:
            value = row.get(c.key)
            cell = value if isinstance(value, Text) else Text(_display(value))
            if c.key in cut:
                cell.no_wrap, cell.overflow = True, "ellipsis"
            cells.append(cell)
        table.add_row(*cells)
    out.print(table)


def _display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return printable(", ".join(str(v) for v in value))
    return printable(str(value))


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
