"""Reading the contact files recruiters have: LinkedIn, Google and Outlook CSV, vCard, and
any CSV with a header. Pure functions of the file's text: no store, no clock.

Each contact keeps the line it started on, so problems are reported where the user can
find them.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import re
import shlex
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from callplan.core.names import name_key
from callplan.core.wording import unneutralise
from callplan.errors import FileError, UsageError

FORMATS = ("linkedin", "google", "outlook", "vcard", "csv")
FIELDS = (
    "name",
    "first_name",
    "last_name",
    "company",
    "title",
    "phone",
    "email",
    "linkedin",
    "tags",
    "note",
)
LIMITS = {"name": 200, "company": 200, "title": 200, "phone": 60, "email": 254}
LIMITS |= {"linkedin": 500, "note": 10_000}

# Known columns, by format: the header as the exporter writes it -> our field. The
# first column with a value wins for a field (e.g. "Mobile Phone" after "Business Phone").
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
        "File As": "name",
        "First Name": "first_name",
        "Last Name": "last_name",
        "Given Name": "first_name",
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
    },
    "outlook": {
        "First Name": "first_name",
        "Last Name": "last_name",
        "Company": "company",
        "Job Title": "title",
        "E-mail Address": "email",
        "E-mail 2 Address": "email",
        "E-mail 3 Address": "email",
        "Business Phone": "phone",
        "Business Phone 2": "phone",
        "Company Main Phone": "phone",
        "Mobile Phone": "phone",
        "Primary Phone": "phone",
        "Home Phone": "phone",
        "Notes": "note",
        # Outlook in German writes its own names for the same columns.
        "Vorname": "first_name",
        "Nachname": "last_name",
        "Firma": "company",
        "Position": "title",
        "E-Mail-Adresse": "email",
        "E-Mail 2: Adresse": "email",
        "E-Mail 3: Adresse": "email",
        "Telefon geschäftlich": "phone",
        "Telefon geschäftlich 2": "phone",
        "Telefon Firma": "phone",
        "Mobiltelefon": "phone",
        "Telefon privat": "phone",
        "Notizen": "note",
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
    "tags": "tags",
    "note": "note",
    "notes": "note",
}
NO_NAME = "no name"  # a row's problem when it gives no name (a hidden LinkedIn member)
MULTI = " ::: "  # Google Contacts' separator of several values in one cell
LINKEDIN_HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"


@dataclass
class Contact:
    """One person read from a file, its text cleaned; ``problem`` says why it's invalid."""

    line: int
    name: str | None = None
    company: str | None = None
    title: str | None = None
    phone: str | None = None
    email: str | None = None
    linkedin: str | None = None
    note: str | None = None
    tags: list[str] = field(default_factory=list)
    problem: str | None = None


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


def decode(data: bytes) -> Decoded:
    """A contact file's text. UTF-16 with its byte-order mark (Excel's "Unicode text");
    UTF-8, with or without one; a UTF-8 file with a few bytes of Windows-1252 (a name
    pasted from another program) read as both, each where it is, with those lines
    reported; else Windows-1252 for the whole file, which every byte string decodes.
    A byte Windows-1252 leaves undefined becomes U+FFFD, never a control byte."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Decoded(data.decode("utf-16", errors="replace"), "UTF-16")
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


DELIMITERS = (",", ";", "\t", "|")


def sniff_delimiter(text: str) -> str:
    """The separator of a CSV file, from its header line: the candidate it holds most of
    outside quotes (a European Excel writes ';'; "Unicode text" a tab); ',' if none."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    outside = "".join(part for i, part in enumerate(header.split('"')) if i % 2 == 0)
    counts = {d: outside.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])  # ties: the earlier, so ','
    return best if counts[best] else ","


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


def read(
    text: str,
    fmt: str,
    mapping: Mapping[str, str] | None = None,
    *,
    delimiter: str | None = None,
) -> list[Contact]:
    """The contacts in ``text``, read as ``fmt`` (one of FORMATS); a CSV's separator is
    ``delimiter``, or sniffed from its header."""
    if fmt == "vcard":
        return read_vcard(text)
    try:
        return _read_csv(text, fmt, mapping, delimiter)
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
    text: str, fmt: str, mapping: Mapping[str, str] | None, delimiter: str | None
) -> list[Contact]:
    start, body, sep = _csv_body(text, fmt, delimiter)
    reader = csv.reader(io.StringIO(body), delimiter=sep)
    header = next(reader, None)
    if header is None:
        raise FileError("The file is empty.")
    columns = _columns(header, fmt, mapping or {})
    if not any(f in columns.values() for f in ("name", "first_name", "last_name")):
        raise UsageError(
            "No column gives the name; map one, e.g. --map 'Full Name=name' "
            f"(the columns are: {', '.join(h.strip() for h in header)})."
        )
    contacts = []
    row_start = start + 2
    for row in reader:
        line, row_start = row_start, start + reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        values: dict[str, list[str]] = {}
        for i, cell in enumerate(row):
            if i in columns and cell.strip():  # callplan's own export quotes formula-like cells
                # Google Contacts joins the values of one field in a cell with " ::: "
                values.setdefault(columns[i], []).extend(unneutralise(cell).split(MULTI))
        contacts.append(_contact(line, values))
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
        if wanted not in FIELDS:
            raise UsageError(f"--map {item!r}: the field should be one of {', '.join(FIELDS)}.")
        mapping[column.strip()] = wanted
    return mapping


def _contact(line: int, values: Mapping[str, list[str]]) -> Contact:
    """A contact from the raw values of one row or card (several values per field allowed)."""
    contact = Contact(line=line)
    problems: list[str] = []

    def clean(key: str, text: str | None) -> str | None:
        if text is None:
            return None
        multiline = key == "note"
        if multiline:  # Outlook and Excel break lines in a cell with \r\n
            cleaned = text.replace("\r\n", "\n").replace("\r", "\n").strip()
        else:
            cleaned = " ".join(text.split())
        if key == "email" and cleaned.startswith("/o="):
            return None  # an Exchange (X.500) address, not an email: the next one is read
        if any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in cleaned):
            problems.append(f"the {key} contains control characters")
            return None
        if len(cleaned) > LIMITS.get(key, 200):
            problems.append(f"the {key} is too long ({len(cleaned)} characters)")
            return None
        return cleaned or None

    def first(key: str) -> str | None:
        for value in values.get(key, []):
            cleaned = clean(key, value)
            if cleaned:
                return cleaned
        return None

    name = first("name")
    if not name:
        parts = [first("first_name"), first("last_name")]
        name = " ".join(p for p in parts if p) or None
        if name:
            name = clean("name", name)
    contact.name = name
    contact.company = first("company")
    contact.title = first("title")
    contact.phone = first("phone")
    contact.email = first("email")
    contact.linkedin = first("linkedin")
    contact.note = first("note")
    others = [
        f"Other {key}: {value}"
        for key in ("phone", "email")
        for value in dict.fromkeys(filter(None, (clean(key, v) for v in values.get(key, []))))
        if value != getattr(contact, key)
    ]
    if others:  # the first of each is the DM's; the rest kept in the note, never dropped
        contact.note = "\n".join([*([contact.note] if contact.note else []), *others])
    for value in values.get("tags", []):
        contact.tags.extend(t.strip().lower() for t in value.replace(";", ",").split(","))
    contact.tags = [t for t in contact.tags if t and len(t) <= 60]
    email = contact.email
    if email and ("@" not in email or " " in email or email.strip("@") != email):
        problems.append(f"{email!r} doesn't look like an email address")
    if not contact.name:
        problems.insert(0, NO_NAME)
    contact.problem = "; ".join(problems) or None
    return contact


# --- vCard 2.1, 3.0 (RFC 2426) and 4.0 (RFC 6350), its lines read by vobject ---------------


def read_vcard(text: str) -> list[Contact]:
    """The cards in ``text``: vCard 2.1 (Android's export, with quoted-printable values in
    their CHARSET and ``=`` soft line breaks), 3.0 and 4.0, folded lines, many cards.

    vobject reads the lines: it unfolds them, joins quoted-printable soft breaks and
    decodes those values in their CHARSET. The values are read here, not by vobject's
    card behaviour, which keeps a text value only up to its first unescaped comma
    (vCard 2.1 escapes none: "Head of Sales, EMEA"). vobject is imported here, not at
    start-up: only importing a vCard needs it."""
    from vobject.base import VObjectError, getLogicalLines, textLineToContentLine

    contacts: list[Contact] = []
    card: dict[str, list[str]] | None = None
    start = 1
    number = 0
    try:
        for line, number in getLogicalLines(io.StringIO(text), allowQP=True):
            prop = textLineToContentLine(line, number)
            name, value = prop.name.upper(), prop.value
            if not isinstance(value, str):
                continue
            if name == "BEGIN" and value.strip().upper() == "VCARD":
                card, start = {}, max(number, 1)
            elif name == "END" and value.strip().upper() == "VCARD" and card is not None:
                contacts.append(_contact(start, card))
                card = None
            elif card is not None:
                _vcard_property(card, name, value)
    except (VObjectError, LookupError, UnicodeError, ValueError) as exc:
        # Never the line itself: it may be anything, binary bytes included.
        line_no = getattr(exc, "lineNumber", None) or number
        where = f" (line {line_no})" if isinstance(line_no, int) and line_no > 0 else ""
        raise FileError(f"This is not a vCard file the import can read{where}.") from None
    return contacts


def _vcard_property(card: dict[str, list[str]], name: str, raw: str) -> None:
    """One property of a card as our field; the first value of a field is the one kept
    (FN before N, the first TEL and EMAIL)."""

    def add(key: str, value: str) -> None:
        card.setdefault(key, []).append(value)

    if name == "FN":
        add("name", _unescape(raw))
    elif name == "N":
        family, given, *_ = [*_split(raw, ";"), "", ""]
        add("last_name", family)
        add("first_name", given)
    elif name == "ORG":
        add("company", _split(raw, ";")[0])
    elif name == "CATEGORIES":
        add("tags", ",".join(_split(raw, ",")))
    elif name == "URL":
        url = _unescape(raw)  # Google Contacts writes https\://
        if "linkedin." in url.lower():
            add("linkedin", url)
    elif name == "TEL":
        number = _unescape(raw)
        add("phone", number[4:] if number.lower().startswith("tel:") else number)
    elif name == "EMAIL":
        address = _unescape(raw)
        add("email", address[7:] if address.lower().startswith("mailto:") else address)
    elif name in ("TITLE", "NOTE"):
        add(name.lower(), _unescape(raw))


def _unescape(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        c = value[i]
        if c == "\\" and i + 1 < len(value):
            nxt = value[i + 1]
            out.append("\n" if nxt in "nN" else nxt)
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _split(value: str, sep: str) -> list[str]:
    """Split on ``sep`` where it isn't escaped, then unescape each part."""
    parts, current, i = [], "", 0
    while i < len(value):
        if value[i] == "\\" and i + 1 < len(value):
            current += value[i : i + 2]
            i += 2
            continue
        if value[i] == sep:
            parts.append(current)
            current = ""
        else:
            current += value[i]
        i += 1
    parts.append(current)
    return [_unescape(p) for p in parts]


# --- Phones ------------------------------------------------------------------------------


def region_of(country: str | None) -> str | None:
    """The phone region of a country setting: 'GB-ENG' -> 'GB'."""
    return country.split("-")[0].upper() if country else None


def e164(number: str, region: str | None) -> str | None:
    """The number in E.164 (+442079460000), with its extension in the RFC 3966 way
    (+12125550100;ext=7); None when it can't be placed.

    A number written with its country code ('+1 …', or the international prefix of
    ``region``: '001 …' or '00 33 …' in GB) keeps it; one without is read as a number of
    ``region`` (the desk's country), and must be a valid one there: '(212) 555-0100' in
    GB is a New York number typed without its +1, not a UK number, so it is None rather
    than a wrong '+44…'. A number phonenumbers doesn't know as valid (the ranges kept
    for drama, '07700 900123') is still placed when it has the right length and says
    which country it is: by its country code, or by the trunk prefix ('0' in GB) it
    was written with."""
    import phonenumbers

    try:
        parsed = phonenumbers.parse(number, region, keep_raw_input=True)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        if not phonenumbers.is_possible_number(parsed):
            return None
        if parsed.country_code_source == phonenumbers.CountryCodeSource.FROM_DEFAULT_COUNTRY:
            metadata = phonenumbers.PhoneMetadata.metadata_for_region(region or "")
            trunk = metadata.national_prefix if metadata is not None else None
            if not trunk or not phonenumbers.normalize_digits_only(number).startswith(trunk):
                return None
    plain = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return f"{plain};ext={parsed.extension}" if parsed.extension else plain


# A number typed with letters ("0800 FLOWERS") is shown as typed: phonenumbers would
# turn the letters into digits. "ext" and "x" before an extension are not such letters.
_EXTENSION = ("ext.", "ext", "x")


@functools.lru_cache(maxsize=4096)
def phone_display(number: str, region: str | None) -> str:
    """A number as callplan shows it: in the national format of ``region`` (the desk's
    country) when it is one of that country's numbers, in the international format when
    it is another country's, and as typed when it isn't a valid number (or has letters).

    '+44 (0)113 496 0001' -> '0113 496 0001' in GB; '+1 212 555 0123' -> '+1 212-555-0123';
    an extension the same way in every country: '+12125550100;ext=7' -> '+1 212-555-0100
    ext. 7' in GB.
    """
    import phonenumbers

    text = number.strip()
    plain = text.lower()
    for word in _EXTENSION:
        plain = plain.replace(word, " ")
    if not text or any(c.isalpha() for c in plain):
        return number
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return number
    if not phonenumbers.is_valid_number(parsed):  # formatted, "555 0123" would be "5550123"
        return number
    home = region is not None and parsed.country_code == phonenumbers.country_code_for_region(
        region
    )
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if home
        else (phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    )
    extension, parsed.extension = parsed.extension, None
    shown = phonenumbers.format_number(parsed, style)
    return f"{shown} ext. {extension}" if extension else shown


# --- Matching against the store and the file ---------------------------------------------

UPDATABLE = ("company", "title", "phone", "email", "linkedin")
FUZZY_RATIO = 0.85


@dataclass
class Person:
    """A DM already in the store (``id`` set) or one the file adds (``id`` None)."""

    name: str
    company: str | None = None
    title: str | None = None
    phone: str | None = None
    email: str | None = None
    linkedin: str | None = None
    id: int | None = None
    line: int | None = None  # the row that adds it
    key: str | None = None  # name_key(name), when the store already holds it
    note: str | None = None
    tags: set[str] = field(default_factory=set)
    filled: set[str] = field(default_factory=set)  # empty fields the file fills in


@dataclass(frozen=True)
class Match:
    """A row of the file that is someone already known: a DM in the store, or a person an
    earlier row adds; with what the row brings to them."""

    line: str  # "line 7: Jane Smith is #3 Jane Smith (Acme) (same email)"
    person: Person
    filled: frozenset[str]  # the empty fields this row fills in
    tags: frozenset[str]  # the tags this row gives them (some may be theirs already)


@dataclass
class Triage:
    """What an import does: the people to add, the DMs to update, and what to report."""

    added: list[Person] = field(default_factory=list)
    updated: dict[int, Person] = field(default_factory=dict)  # by DM id: those that change
    merged: list[str] = field(default_factory=list)  # rows that change someone: "line 7: ..."
    unchanged: int = 0  # rows that are a DM in the store and change nothing of theirs
    skipped: list[str] = field(default_factory=list)  # invalid rows
    nameless: list[str] = field(default_factory=list)  # those whose only fault is no name
    flagged: list[str] = field(default_factory=list)  # possible duplicates, not merged
    moved: list[str] = field(default_factory=list)  # DMs the file has at another company
    unparsed_phones: list[str] = field(default_factory=list)
    rows: int = 0


@functools.lru_cache(maxsize=65_536)  # many DMs share a company
def _company_key(company: str | None) -> str:

    return name_key(company or "")


# A number written with only these characters has no extension and no letters, so the
# E.164 form phonenumbers makes of it ends with the same digits as the text: a number
# whose last six digits no number in the file ends with can't be one of the file's.
_PLAIN_PHONE = frozenset("0123456789 +-()./")
_PUNCTUATION = str.maketrans("", "", " +-()./")
TAIL = 6


def _tail(number: str) -> str:
    return "".join(c for c in number if c.isdigit())[-TAIL:]


def _may_match(phone: str, tails: set[str]) -> bool:
    """Whether a stored number could be one of the file's (whose tails are ``tails``),
    without parsing it: anything but a plain number is parsed to be sure."""
    if not _PLAIN_PHONE.issuperset(phone):
        return True
    return phone.translate(_PUNCTUATION)[-TAIL:] in tails


@functools.lru_cache(maxsize=65_536)
def _letters(key: str) -> Counter[str]:
    return Counter(key)


class Matcher:
    """Email, phone and name-at-company indexes, built once; every lookup is a dict hit
    (the fuzzy check only compares names at the same company)."""

    def __init__(self, region: str | None) -> None:
        self.region = region
        self.by_email: dict[str, Person] = {}
        self.by_phone: dict[str, Person] = {}
        self.by_profile: dict[str, Person] = {}
        self.by_name: dict[tuple[str, str], Person] = {}
        self.at_company: dict[str, list[tuple[str, Person]]] = {}
        self.numbers: dict[str, str | None] = {}  # text -> E.164, each parsed once
        self.aliases: dict[int, set[str]] = {}  # by id(person): names rows gave them

    def number(self, phone: str) -> str | None:
        if phone not in self.numbers:
            self.numbers[phone] = e164(phone, self.region)
        return self.numbers[phone]

    def add(self, person: Person, *, phone: bool = True) -> None:
        """Index ``person``; with ``phone`` False, not by their phone (it can't match)."""

        if person.email:
            self.by_email.setdefault(person.email.lower(), person)
        if person.phone and phone:
            number = self.number(person.phone) or person.phone
            self.by_phone.setdefault(number, person)
        if profile := linkedin_key(person.linkedin):
            self.by_profile.setdefault(profile, person)
        key, company = person.key or name_key(person.name), _company_key(person.company)
        self.by_name.setdefault((key, company), person)
        if company:
            self.at_company.setdefault(company, []).append((key, person))

    def same(self, contact: Contact) -> tuple[Person, str] | None:
        """The person ``contact`` is: the same email, LinkedIn profile, or name at the
        same company; or the same name with the same number. A number alone never says
        so: colleagues share a switchboard (see ``shares_number``)."""
        assert contact.name is not None
        if contact.email and (found := self.by_email.get(contact.email.lower())):
            return found, "email"
        if (profile := linkedin_key(contact.linkedin)) and (found := self.by_profile.get(profile)):
            return found, "LinkedIn profile"
        key = name_key(contact.name)
        if found := self.by_name.get((key, _company_key(contact.company))):
            return found, "name and company"
        found = self.by_phone.get(contact.phone) if contact.phone else None
        if found is not None and key in self.names_of(found):
            return found, "name and number"
        return None

    def names_of(self, person: Person) -> set[str]:
        return {person.key or name_key(person.name), *self.aliases.get(id(person), ())}

    def alias(self, person: Person, contact: Contact) -> None:
        """``contact`` was found to be ``person`` (by email, say) under another name: a
        later row with that name at their company, or with their number, is them too."""
        assert contact.name is not None
        key = name_key(contact.name)
        self.aliases.setdefault(id(person), set()).add(key)
        company = _company_key(contact.company or person.company)
        self.by_name.setdefault((key, company), person)

    def shares_number(self, contact: Contact) -> Person | None:
        """Someone else with ``contact``'s number (a switchboard, a shared line)."""
        return self.by_phone.get(contact.phone) if contact.phone else None

    def similar(self, contact: Contact) -> Person | None:
        from difflib import SequenceMatcher

        assert contact.name is not None
        key = name_key(contact.name)
        letters = _letters(key)
        for other_key, person in self.at_company.get(_company_key(contact.company), []):
            # difflib's two quick bounds of the ratio, from the lengths and from the
            # letters in common (counted once per name): most pairs stop there, before
            # the full comparison.
            total = len(key) + len(other_key)
            if total and 2.0 * min(len(key), len(other_key)) / total < FUZZY_RATIO:
                continue
            common = sum((letters & _letters(other_key)).values())
            if total and 2.0 * common / total < FUZZY_RATIO:
                continue
            if SequenceMatcher(None, key, other_key).ratio() >= FUZZY_RATIO:
                return person
        return None


def linkedin_key(url: str | None) -> str | None:
    """A LinkedIn profile as a key: 'https://uk.linkedin.com/in/Jane-Smith/?trk=x' and
    'linkedin.com/in/jane-smith' are one profile. None for no URL or not a profile's."""
    if not url:
        return None
    text = url.strip().lower().split("?", 1)[0].split("#", 1)[0].rstrip("/")
    if "linkedin.com/" not in text:
        return None
    path = text.split("linkedin.com/", 1)[1]
    return "linkedin.com/" + path if path.startswith(("in/", "pub/")) else None


def _moved(person: Person, contact: Contact) -> str | None:
    """A stored DM the file shows at another company (a LinkedIn connection who changed
    jobs): what to run to record it. Import never overwrites a company or title."""
    if person.id is None or not person.company or not contact.company:
        return None
    if _company_key(person.company) == _company_key(contact.company):
        return None
    new_title = contact.title if contact.title and contact.title != person.title else None
    edit = f"callplan dm edit {person.id} --company {shlex.quote(contact.company)}"
    if new_title:
        edit += f" --title {shlex.quote(new_title)}"
    at = contact.company + (f" as {new_title}" if new_title else "")
    return f"line {contact.line}: {describe(person)} is at {at} now: to record it, {edit}"


def describe(person: Person) -> str:
    who = f"#{person.id} {person.name}" if person.id else f"{person.name} (line {person.line})"
    return who + (f" ({person.company})" if person.company else "")


def triage(
    contacts: Iterable[Contact],
    existing: Iterable[Person],
    *,
    region: str | None,
    tags: Sequence[str] = (),
    stored_tags: Callable[[list[int]], Mapping[int, Iterable[str]]] = lambda ids: {},
) -> Triage:
    """What importing ``contacts`` into a store holding ``existing`` does; touches nothing.

    ``stored_tags`` gives the tags the store holds for some of ``existing`` (by id): asked
    once, for those the file gives tags to, so a row that only repeats them is unchanged.

    Invalid contacts are listed in ``Triage.skipped``: the caller refuses the whole import
    unless the user asked to skip them."""
    result = Triage()
    rows = list(contacts)
    matcher = matcher_for(rows, existing, region=region, unparsed=result.unparsed_phones)
    wanted_tags = {t.strip().lower() for t in tags if t.strip()}
    matches: list[Match] = []
    for contact in rows:
        result.rows += 1
        if contact.problem:
            result.skipped.append(f"line {contact.line}: {contact.problem}")
            if contact.problem == NO_NAME:
                result.nameless.append(result.skipped[-1])
            continue
        assert contact.name is not None
        match = matcher.same(contact)
        if match is not None:
            person, how = match
            if moved := _moved(person, contact):
                result.moved.append(moved)
            filled = set()
            for name in UPDATABLE:
                value = getattr(contact, name)
                if value and not getattr(person, name):
                    setattr(person, name, value)
                    filled.add(name)
                    matcher.add(person)
            person.filled |= filled
            matcher.alias(person, contact)
            given = wanted_tags | set(contact.tags)
            person.tags |= given
            line = f"line {contact.line}: {contact.name} is {describe(person)} (same {how})"
            matches.append(Match(line, person, frozenset(filled), frozenset(given)))
            continue
        similar = matcher.similar(contact)
        person = Person(
            name=contact.name,
            line=contact.line,
            note=contact.note,
            tags=wanted_tags | set(contact.tags),
            **{name: getattr(contact, name) for name in UPDATABLE},
        )
        if similar is not None:
            result.flagged.append(
                f"line {contact.line}: {contact.name} looks like {describe(similar)}; "
                "added as someone new"
            )
        elif (other := matcher.shares_number(contact)) is not None:
            result.flagged.append(
                f"line {contact.line}: {contact.name} shares a number with {describe(other)}; "
                "added as someone new"
            )
        matcher.add(person)
        result.added.append(person)
    tagged = sorted({m.person.id for m in matches if m.person.id is not None and m.tags})
    settle(result, matches, stored_tags(tagged) if tagged else {})
    return result


def settle(
    result: Triage, matches: Sequence[Match], stored_tags: Mapping[int, Iterable[str]]
) -> None:
    """Sort the rows that matched someone into those that change them (listed in
    ``result.merged``; their DMs in ``result.updated``) and those that don't (counted in
    ``result.unchanged``): a row changes a stored DM when it fills an empty field or gives
    a tag the DM hasn't got (``stored_tags``) and no earlier row gave. A row that is a
    person an earlier row adds is always listed: it is merged into them, not added."""

    have: dict[int, set[str]] = {}
    for match in matches:
        dm_id = match.person.id
        if dm_id is None:
            result.merged.append(match.line)
            continue
        tags = have.setdefault(dm_id, set(stored_tags.get(dm_id, ())))
        if match.filled or not match.tags <= tags:
            adds = [name for name in UPDATABLE if name in match.filled]
            adds += [f"tag {tag}" for tag in sorted(match.tags - tags)]
            result.merged.append(f"{match.line}, adding {', '.join(adds)}")
            result.updated.setdefault(dm_id, match.person)
        else:
            result.unchanged += 1
        tags |= match.tags


def matcher_for(
    rows: Sequence[Contact],
    existing: Iterable[Person],
    *,
    region: str | None,
    unparsed: list[str] | None = None,
) -> Matcher:
    """A matcher of the stored DMs (``existing``) that could be one of ``rows``.

    The rows' phone numbers are put in E.164 on the way (those that can't be read are
    listed in ``unparsed``, and kept as typed)."""

    matcher = Matcher(region)
    for contact in rows:  # the file's numbers first: only stored ones like them are parsed
        if contact.phone and not contact.problem and contact.name is not None:
            number = matcher.number(contact.phone)
            if number is None:
                if unparsed is not None:
                    unparsed.append(
                        f"line {contact.line}: {contact.name}: {contact.phone!r} (kept as typed)"
                    )
            else:
                matcher.numbers[number] = number  # E.164 of E.164 is itself
                contact.phone = number
    valid = [c for c in rows if not c.problem and c.name is not None]
    tails = {_tail(c.phone) for c in valid if c.phone}
    emails = {c.email.lower() for c in valid if c.email}
    companies = {_company_key(c.company) for c in valid} - {""}
    profiles = {linkedin_key(c.linkedin) for c in valid} - {None}
    names = {name_key(c.name or "") for c in valid}
    for person in existing:
        # Only a stored DM that shares something with the file can match one of its
        # contacts: an email, a number like one of its numbers, a company (a name there,
        # or a similar name), or a name. The rest of a big store is never indexed.
        phone = bool(person.phone) and _may_match(person.phone or "", tails)
        if (
            phone
            or (person.email and person.email.lower() in emails)
            or linkedin_key(person.linkedin) in profiles
            or _company_key(person.company) in companies
            or (person.key or name_key(person.name)) in names
        ):
            matcher.add(person, phone=phone)
    return matcher
