"""Reading the contact files recruiters have: LinkedIn, Google and Outlook CSV, Excel
workbooks, vCard, and any CSV with a header; and matching what they hold against the
store. Pure functions of the file's text: no store, no clock.

- ``decoding``: a file's bytes as text (encodings, .xlsx, LinkedIn's .zip);
- ``tables``: CSV files, their format told by their header;
- ``vcard``: vCard 2.1, 3.0 and 4.0;
- ``model``: the ``Contact`` a row or card becomes, its fields cleaned;
- ``match``: who each contact is, and what an import adds, fills in and reports.

Each contact keeps the line it started on, so problems are reported where the user can
find them.
"""

from __future__ import annotations

from collections.abc import Mapping

from callplan.core.contacts.decoding import Decoded, decode, open_file
from callplan.core.contacts.match import (
    FUZZY_RATIO,
    UPDATABLE,
    Matcher,
    Person,
    Triage,
    describe,
    linkedin_key,
    matcher_for,
    triage,
)
from callplan.core.contacts.model import (
    FIELDS,
    FORMATS,
    HISTORY,
    LIMITS,
    NO_NAME,
    Contact,
    FileDates,
)
from callplan.core.contacts.tables import (
    DELIMITERS,
    columns_used,
    detect,
    parse_map,
    read_csv,
    sniff_delimiter,
)
from callplan.core.contacts.vcard import read_vcard

__all__ = [
    "DELIMITERS",
    "FIELDS",
    "FORMATS",
    "FUZZY_RATIO",
    "HISTORY",
    "LIMITS",
    "NO_NAME",
    "UPDATABLE",
    "Contact",
    "Decoded",
    "FileDates",
    "Matcher",
    "Person",
    "Triage",
    "columns_used",
    "decode",
    "describe",
    "detect",
    "linkedin_key",
    "matcher_for",
    "open_file",
    "parse_map",
    "read",
    "sniff_delimiter",
    "triage",
]


def read(
    text: str,
    fmt: str,
    mapping: Mapping[str, str] | None = None,
    *,
    delimiter: str | None = None,
    dates: FileDates | None = None,
) -> list[Contact]:
    """The contacts in ``text``, read as ``fmt`` (one of FORMATS); a CSV's separator is
    ``delimiter``, or sniffed from its header; the dates of its history (a CSV's
    last_spoke_on and next_call_on columns) read with ``dates``."""
    if fmt == "vcard":
        return read_vcard(text)
    return read_csv(text, fmt, mapping, delimiter=delimiter, dates=dates)
