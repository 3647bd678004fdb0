"""Passwords kept out of everything callplan prints.

A store's URL can hold a password in several places: ``user:PASSWORD@host`` (where an
'@' left unencoded in the password makes the rest of it look like the host), an option
such as ``?password=...`` or ``?sslpassword=...``, and the same options in libpq's
``key=value`` form. ``redact`` puts ``***`` in place of each, in a URL as given (one that
doesn't parse too) or in any message quoting one; and in place of the ``secrets`` it is
given (``secrets_in`` a URL) wherever they appear, so a driver's error can't show them
either. It hides more than the password when in doubt, never less.

Light on purpose (no SQLAlchemy): the command line's error handling uses it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import unquote

HIDDEN = "***"

# scheme://user:PASSWORD@host: the password runs to the last '@' (in a whole URL; in
# other text, the last before white space).
_SCHEME_USER = r"\b[A-Za-z][A-Za-z0-9+.-]*://[^\s:/?#]*:"
_USERINFO = re.compile(rf"(?P<head>{_SCHEME_USER})(?P<secret>\S*)@")
_URL_USERINFO = re.compile(rf"(?P<head>{_SCHEME_USER})(?P<secret>[^\n]*)@")
# An option whose name says it is secret: password, sslpassword, PGPASSWORD, a token...
_KEY = r"(?i:\b[A-Za-z0-9_]*(?:pass|secret|token)[A-Za-z0-9_]*)"
# Its value: quoted as libpq quotes it, or up to the next option (&key=), white space or
# a quote; in a whole URL, to the next option or the end (a space in it is still the
# value). Where a message quotes a URL, ``secrets`` hides the rest of an odd password.
_QUOTED = r"'(?:[^'\\]|\\.)*'?"
_NOT_NEXT = r"(?!&[A-Za-z_][A-Za-z0-9_]*=)"
_OPTION = re.compile(rf"(?P<head>{_KEY}\s*=\s*)(?:{_QUOTED}|(?:{_NOT_NEXT}[^\s'\"])*)")
_URL_OPTION = re.compile(rf"(?P<head>{_KEY}\s*=\s*)(?:{_QUOTED}|(?:{_NOT_NEXT}[^\n])*)")
# Secrets shorter than this are not looked for in free text (a password "a" would blot out
# every 'a'); the structural rules above still hide them where a URL or option shows them.
SHORTEST = 4


def redact(text: str, secrets: Iterable[str] = (), *, url: bool = False) -> str:
    """``text`` with every password in it replaced by ***; ``url``: the text is one URL
    (or what was given as one), so an option's value runs to the next option."""
    found = text
    for secret in sorted(set(secrets), key=len, reverse=True):
        if len(secret) >= SHORTEST:
            found = found.replace(secret, HIDDEN)
    found = (_URL_USERINFO if url else _USERINFO).sub(rf"\g<head>{HIDDEN}@", found)
    return (_URL_OPTION if url else _OPTION).sub(rf"\g<head>{HIDDEN}", found)


def secrets_in(url: str | None) -> list[str]:
    """The passwords a URL (or a libpq key=value string) holds, as written and decoded."""
    if not url:
        return []
    found: list[str] = []
    userinfo = _URL_USERINFO.search(url)
    if userinfo:
        found.append(userinfo["secret"])
    for option in _URL_OPTION.finditer(url):
        value = option.group(0)[len(option["head"]) :]
        found.append(value.strip("'"))
    return [form for secret in found for form in {secret, unquote(secret)} if form]
