"""The values a DM's status, lawful basis and a hook's status take."""

from __future__ import annotations


class Status:
    ACTIVE = "active"
    ARCHIVED = "archived"
    DNC = "dnc"  # do not call: never planned again


class LawfulBasis:
    """The UK GDPR basis for holding a DM's details and calling them (docs/data.md)."""

    LEGITIMATE_INTEREST = "legitimate-interest"
    CONSENT = "consent"
    CONTRACT = "contract"
    ALL = (LEGITIMATE_INTEREST, CONSENT, CONTRACT)


class HookStatus:
    OPEN = "open"  # a job being recruited for, a candidate being marketed
    CLOSED = "closed"  # a job closed, a candidate placed
