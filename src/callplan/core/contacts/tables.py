"""CSV contact files: LinkedIn's Connections.csv, Google's and Outlook's exports (Outlook
in English and German), and any CSV with a header; each format known by a scored match of
its whole header, each row read as a ``Contact`` with the line it started on."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence

from callplan.core.contacts.model import FIELDS, Contact, FileDates, make_contact
from callplan.core.wording import printable, unneutralise
from callplan.errors import FileError, UsageError

# Known columns, by format: the header as the exporter writes it -> our field. The
# first column here with a value wins for a field, whatever the file's order: a direct
# line before a switchboard, work before home ("Mobile Phone" after "Business Phone";
# Outlook.com writes "Home Phone" first). The rest are kept in the note.
COLUMNS: dict[str, dict[str, str]] = {
    "linkedin": {
        "First Name": "first_name",
        "Last Name": "last_name",
        "URL": "linkedin",
        "Email Address": "email",
        "Company": "company",
        "Position": "title",
    },
    "google": {
        "Name": "name",
        # The name as the contact is shown and sorted, when set: a Chinese, Japanese or
        # Korean name in its own order (李娜), which First Name + Last Name would reverse.
        "File As": "file_as",
        "First Name": "first_name",
        "Middle Name": "middle_name",
        "Last Name": "last_name",
        "Given Name": "first_name",
        "Additional Name": "middle_name",
        "Family Name": "last_name",
        "Organization Name": "company",
        "Organization 1 - Name": "company",
        "Organization Title": "title",
        "Organization 1 - Title": "title",
        "E-mail 1 - Value": "email",
        "E-mail 2 - Value": "email",
        "E-mail 3 - Value": "email",
        "Phone 1 - Value": "phone",
        "Phone 2 - Value": "phone",
        "Phone 3 - Value": "phone",
        "Notes": "note",
        # A LinkedIn profile is kept as a website (read only when it is linkedin.com's).
        "Website 1 - Value": "website",
        "Website 2 - Value": "website",
        "Website 3 - Value": "website",
    },
    "outlook": {
        "First Name": "first_name",
        "Middle Name": "middle_name",
        "Last Name": "last_name",
        "Company": "company",
        "Job Title": "title",
        "E-mail Address": "email",
        "E-mail 2 Address": "email",
        "E-mail 3 Address": "email",
        "Business Phone": "phone",
        "Business Phone 2": "phone",
        "Mobile Phone": "phone",
        "Primary Phone": "phone",
        "Company Main Phone": "phone",
        "Home Phone": "phone",
        "Home Phone 2": "phone",
        "Notes": "note",
        "Web Page": "website",
        "Personal Web Page": "website",
        # Outlook in German writes its own names for the same columns.
        "Vorname": "first_name",
        "Weitere Vornamen": "middle_name",
        "Nachname": "last_name",
        "Firma": "company",
        "Position": "title",
        "E-Mail-Adresse": "email",
        "E-Mail 2: Adresse": "email",
        "E-Mail 3: Adresse": "email",
        "Telefon geschäftlich": "phone",
        "Telefon geschäftlich 2": "phone",
        "Mobiltelefon": "phone",
        "Haupttelefon": "phone",
        "Telefon Firma": "phone",
        "Telefon (privat)": "phone",
        "Telefon (privat 2)": "phone",
        "Telefon privat": "phone",
        "Notizen": "note",
        "Webseite": "website",
        "Persönliche Webseite": "website",
    },
}
# Any other CSV: headers that obviously mean a field (compared by _header_key).
GENERIC = {
    "name": "name",
    "full name": "name",
    "first name": "first_name",
    "last name": "last_name",
    "surname": "last_name",
    "company": "company",
    "organisation": "company",
    "organization": "company",
    "title": "title",
    "job title": "title",
    "position": "title",
    "phone": "phone",
    "phone number": "phone",
    "telephone": "phone",
    "mobile": "phone",
    "mobile phone": "phone",
    "mobile phone number": "phone",
    "email": "email",
    "e-mail": "email",
    "email address": "email",
    "e-mail address": "email",
    "company name": "company",
    "linkedin url": "linkedin",
    "linkedin": "linkedin",
    "website": "website",
    "middle name": "middle_name",
    "tags": "tags",
    "note": "note",
    "notes": "note",
    # History (a CRM's export, a recruiter's own sheet, callplan's own CSV export). An
    # owner column is read only when --map names it: a CRM's users aren't recruiters
    # here. A "Status" column is read (callplan's export has one: do-not-call must come
    # back as do-not-call); one with other words is a bad row, --map 'Status=ignore'.
    "last spoke on": "last_spoke_on",
    "last spoken to": "last_spoke_on",
    "last contacted": "last_spoke_on",
    "last contacted on": "last_spoke_on",
    "last contact date": "last_spoke_on",
    "last conversation": "last_spoke_on",
    "next call on": "next_call_on",
    "next call": "next_call_on",
    "next call date": "next_call_on",
    "do not call": "do_not_call",
    "due on": "next_call_on",
    "status": "status",
}
IGNORE = "ignore"  # --map 'COLUMN=ignore': a column the import leaves out
MULTI = " ::: "  # Google Contacts' separator of several values in one cell
LINKEDIN_HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"


DELIMITERS = (",", ";", "\t", "|")


def sniff_delimiter(text: str) -> str:
    """The separator of a CSV file, from its header line: the candidate it holds most of
    outside quotes (a European Excel writes ';'; "Unicode text" a tab); ',' if none."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    outside = "".join(part for i, part in enumerate(header.split('"')) if i % 2 == 0)
    counts = {d: outside.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])  # ties: the earlier, so ','
    return best if counts[best] else ","


def detect(text: str, delimiter: str | None = None) -> str:
    """The format of a contact file, from its content."""
    head = text.lstrip()
    if head[:11].upper() == "BEGIN:VCARD":
        return "vcard"
    if _linkedin_start(text) is not None:
        return "linkedin"
    try:
        reader = csv.reader(io.StringIO(text), delimiter=delimiter or sniff_delimiter(text))
        first = next(reader, [])
    except csv.Error:  # not CSV either: reading it as CSV says why
        first = []
    return best_format(first)


def best_format(header: Sequence[str]) -> str:
    """The format whose columns explain most of the header: Google's or Outlook's own
    names, or the plain names any CSV has ("csv", which a tie goes to).
    Never one column alone: a HubSpot export has "Job Title" as Outlook does, but its
    "Email" and "Phone Number" are plain names, which Outlook's table would drop."""
    scores = {fmt: len(_columns(header, fmt, {})) for fmt in ("google", "outlook", "csv")}
    best = max(("google", "outlook", "csv"), key=lambda fmt: scores[fmt])
    return best if scores[best] > scores["csv"] or best == "csv" else "csv"


def columns_used(
    text: str, fmt: str, mapping: Mapping[str, str] | None = None, delimiter: str | None = None
) -> tuple[list[str], list[str]]:
    """The header's columns a CSV import reads, and those it ignores (none of a vCard)."""
    if fmt == "vcard":
        return [], []
    _, body, sep = _csv_body(text, fmt, delimiter)
    header = next(csv.reader(io.StringIO(body), delimiter=sep), [])
    columns = _columns(header, fmt, mapping or {})
    named = [(i, h.strip()) for i, h in enumerate(header) if h.strip()]
    return [h for i, h in named if i in columns], [h for i, h in named if i not in columns]


def read_csv(
    text: str,
    fmt: str,
    mapping: Mapping[str, str] | None = None,
    *,
    delimiter: str | None = None,
    dates: FileDates | None = None,
) -> list[Contact]:
    """The contacts in a CSV ``text``, read as ``fmt``; its separator is
    ``delimiter``, or sniffed from its header; its history's dates read with ``dates``."""
    try:
        return _read_csv(text, fmt, mapping, delimiter, dates)
    except csv.Error as exc:  # a stray carriage return, a field past the csv module's limit
        raise FileError(f"This is not a CSV file the import can read: {exc}.") from None


def _csv_body(text: str, fmt: str, delimiter: str | None) -> tuple[int, str, str]:
    """Where a CSV's header is (the line: LinkedIn's follows its notes), the text from
    there on, and its separator (LinkedIn's is ','; else ``delimiter``, or sniffed)."""
    start = 0
    if fmt == "linkedin":
        found = _linkedin_start(text)
        if found is None:
            raise FileError(f"This is not a LinkedIn Connections.csv (no {LINKEDIN_HEADER!r}).")
        start = found
    body = "".join(text.splitlines(keepends=True)[start:])
    return start, body, "," if fmt == "linkedin" else delimiter or sniff_delimiter(body)


def _read_csv(
    text: str,
    fmt: str,
    mapping: Mapping[str, str] | None,
    delimiter: str | None,
    dates: FileDates | None,
) -> list[Contact]:
    start, body, sep = _csv_body(text, fmt, delimiter)
    reader = csv.reader(io.StringIO(body), delimiter=sep)
    header = next(reader, None)
    if header is None:
        raise FileError("The file is empty.")
    columns = _columns(header, fmt, mapping or {})
    if not any(f in columns.values() for f in ("name", "file_as", "first_name", "last_name")):
        shown = ", ".join(printable(h.strip())[:60] for h in header[:40])
        raise UsageError(
            "No column gives the name; map one, e.g. --map 'Full Name=name' "
            f"(the columns are: {shown}{', …' if len(header) > 40 else ''})."
        )
    # The columns in the order their values are taken: --map's first, then the format's
    # own (COLUMNS), then the file's.
    known = list(COLUMNS.get(fmt, {}))
    given = {_header_key(c) for c in (mapping or {})}

    def rank(i: int) -> tuple[int, int]:
        name = header[i].strip()
        if _header_key(name) in given:
            return (0, i)
        return (1, known.index(name)) if name in known else (2, i)

    order = sorted(columns, key=rank)
    contacts = []
    row_start = start + 2
    for row in reader:
        line, row_start = row_start, start + reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        values: dict[str, list[str]] = {}
        for i in order:
            cell = row[i] if i < len(row) else ""
            if cell.strip():  # callplan's own export quotes formula-like cells
                # Google Contacts joins the values of one field in a cell with " ::: "
                values.setdefault(columns[i], []).extend(unneutralise(cell).split(MULTI))
        contacts.append(make_contact(line, values, dates))
    return contacts


def _linkedin_start(text: str) -> int | None:
    """The index of the header line of a LinkedIn export (after its notes), if it is one."""
    for i, line in enumerate(text.splitlines()[:20]):
        if line.strip().lstrip("\ufeff").startswith("First Name,Last Name,URL,"):
            return i
    return None


def _header_key(text: str) -> str:
    return " ".join(text.strip().lower().replace("_", " ").split())


def _columns(header: Sequence[str], fmt: str, mapping: Mapping[str, str]) -> dict[int, str]:
    """Column index -> field, from the format's known columns and the user's --map."""
    known = COLUMNS.get(fmt, {})
    by_header = {_header_key(h): i for i, h in enumerate(header)}
    columns: dict[int, str] = {}
    for i, h in enumerate(header):
        wanted = known.get(h.strip()) if fmt in COLUMNS else GENERIC.get(_header_key(h))
        if wanted:
            columns[i] = wanted
    for column, wanted in mapping.items():
        index = by_header.get(_header_key(column))
        if index is None:
            raise UsageError(
                f"--map names a column {column!r} the file doesn't have "
                f"(it has: {', '.join(h.strip() for h in header)})."
            )
        if wanted == IGNORE:
            columns.pop(index, None)
        else:
            columns[index] = wanted
    return columns


def parse_map(items: Iterable[str]) -> dict[str, str]:
    """``--map "Column Header=field"`` options as {header: field}."""
    mapping = {}
    for item in items:
        column, sep, wanted = item.rpartition("=")
        wanted = wanted.strip().lower().replace("-", "_")
        if not sep or not column.strip():
            raise UsageError(f"--map {item!r}: write it as 'Column Header=field'.")
        if wanted not in (*FIELDS, IGNORE):
            raise UsageError(
                f"--map {item!r}: the field should be one of {', '.join(FIELDS)}, "
                f"or {IGNORE} to leave the column out."
            )
        mapping[column.strip()] = wanted
    return mapping
