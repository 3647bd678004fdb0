"""vCard files: 2.1 (Android's export), 3.0 (RFC 2426) and 4.0 (RFC 6350), their lines read
by vobject."""

from __future__ import annotations

import io

from callplan.core.contacts.model import Contact, make_contact
from callplan.errors import FileError


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
                contacts.append(make_contact(start, card))
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
