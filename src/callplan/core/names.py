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


RECRUITER_MAX = 60  # characters in a recruiter's name


def recruiter_name(text: str) -> str | None:
    """A recruiter's name as typed, made safe to store: one line, trimmed; None when it
    holds control characters, is empty or too long (the caller says which setting)."""
    name = " ".join(str(text).split())
    if not name or len(name) > RECRUITER_MAX or not name_key(name):
        return None
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs") for c in name):
        return None
    return name


def login_name() -> str:
    """The login name, for the recruiter when nothing else says who: never fails."""
    import getpass

    try:
        name = recruiter_name(getpass.getuser())
    except (KeyError, OSError, ImportError):  # no USER/LOGNAME, no passwd entry
        name = None
    return name or "me"
