"""Matching names the way people type them: case- and accent-insensitive."""

from __future__ import annotations

import unicodedata

# Latin letters that Unicode doesn't decompose into a base letter plus an accent.
_FOLD = str.maketrans(
    {
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "æ": "ae",
        "œ": "oe",
        "ı": "i",
        "ħ": "h",
        "ŧ": "t",
        "ŋ": "n",
    }
)


def name_key(text: str) -> str:
    """'  Zoë  O'BRIEN ' -> "zoe o'brien", 'Łukasz' -> 'lukasz': how names are looked up."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(stripped.translate(_FOLD).split())
