"""A contact file's bytes as text: the encodings Excel, Outlook and the phones write,
an Excel workbook's first sheet, and LinkedIn's data-export zip."""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass

from callplan.errors import FileError


@dataclass(frozen=True)
class Decoded:
    """A file's text, and how it was read: ``encoding`` to report when it wasn't plain
    UTF-8, ``lines`` the lines of a UTF-8 file that held bytes of another encoding."""

    text: str
    encoding: str = "UTF-8"
    lines: tuple[int, ...] = ()


# A UTF-8 sequence of two to four bytes: a file with any is UTF-8 in the main.
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def _bytes_as_cp1252(exc: UnicodeError) -> tuple[str, int]:
    """A decoding error handler: the bytes that aren't UTF-8, read as Windows-1252."""
    assert isinstance(exc, UnicodeDecodeError)
    return exc.object[exc.start : exc.end].decode("cp1252", errors="replace"), exc.end


codecs.register_error("callplan-cp1252", _bytes_as_cp1252)


# Bytes no text file holds: NUL, and the control characters other than tab, line
# breaks, form feed, ESC and the DOS end-of-file mark (Ctrl-Z) some old exporters add.
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x19\x1c-\x1f]")


def _binary(data: bytes) -> bool:
    """Whether ``data`` (not UTF-16) is binary: a NUL byte, or control bytes in more than
    one in a hundred of its first 64 KB. A stray control byte in a cell is a bad row
    (reported by line), not a binary file."""
    head = data[:65536]
    return b"\x00" in head or len(_CONTROL.findall(head)) > max(1, len(head) // 100)


def decode(data: bytes) -> Decoded:
    """A contact file's text. UTF-16 with its byte-order mark (Excel's "Unicode text");
    UTF-8, with or without one; a UTF-8 file with a few bytes of Windows-1252 (a name
    pasted from another program) read as both, each where it is, with those lines
    reported; else Windows-1252 for the whole file, which every byte string decodes.
    A byte Windows-1252 leaves undefined becomes U+FFFD, never a control byte."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Decoded(data.decode("utf-16", errors="replace"), "UTF-16")
    if _binary(data):
        raise FileError(
            "This is not a contact file callplan can read: it holds binary data (import "
            "takes CSV, vCard, an Excel .xlsx or LinkedIn's .zip)."
        )
    try:
        return Decoded(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        pass
    if _UTF8_SEQUENCE.search(data):
        lines = []
        for number, line in enumerate(data.split(b"\n"), 1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                lines.append(number)
        text = data.decode("utf-8-sig", errors="callplan-cp1252")
        return Decoded(text, "UTF-8 with some Windows-1252", tuple(lines))
    return Decoded(data.decode("cp1252", errors="replace"), "Windows-1252")


ZIP_MAGIC = b"PK\x03\x04"


def open_file(data: bytes) -> Decoded:
    """A contact file's text, whatever it came as: an Excel workbook (.xlsx: its first
    sheet, as CSV), LinkedIn's data export (.zip: the Connections.csv in it), or text
    (``decode``). Anything else is refused in one line, its bytes never shown."""
    if not data.startswith(ZIP_MAGIC):
        return decode(data)
    import zipfile

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
        if "xl/workbook.xml" in names:
            return Decoded(_sheet_as_csv(data), "an Excel workbook")
        found = [n for n in names if n.rsplit("/", 1)[-1].lower() == "connections.csv"]
        if not found:
            raise FileError(
                "This is a zip file without a Connections.csv (LinkedIn's data export has "
                "one): unzip it and import the contact file in it."
            )
        return decode(archive.read(found[0]))
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileError(f"This zip file can't be read: {type(exc).__name__}.") from None


def _sheet_as_csv(data: bytes) -> str:
    """The first sheet of a workbook as CSV text: numbers as written (a phone stored as a
    number keeps its digits), dates as YYYY-MM-DD."""
    import datetime as dt

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")

    def cell(value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        if isinstance(value, dt.datetime | dt.date):
            return value.date().isoformat() if isinstance(value, dt.datetime) else value.isoformat()
        return str(value)

    sheet = book.worksheets[0]
    for row in sheet.iter_rows(values_only=True):
        writer.writerow([cell(v) for v in row])
    book.close()
    return out.getvalue()
