"""Matching names the way people type them: case- and accent-insensitive."""

from __future__ import annotations

import unicodedata


def name_key(text: str) -> str:
    """'  Zoë  O'BRIEN ' -> "zoe o'brien": the form names are looked up by."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())
