"""The errors a user can cause, each with its own exit code.

They travel as exceptions and are printed once, as one line on stderr, by the CLI's
entry point (``callplan.cli.main``).
"""

from __future__ import annotations


class CallplanError(Exception):
    """Something the user can fix; printed as one line, never as a traceback."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(CallplanError):
    """Bad input on the command line: a date, an outcome type, an empty name."""

    exit_code = 2


class DMNotFound(CallplanError):
    exit_code = 3


class RecruiterNotFound(CallplanError):
    """Nobody of that name works the store (dm assign --from)."""

    exit_code = 3


class HookNotFound(CallplanError):
    """No job or candidate with that id."""

    exit_code = 3


class CallNotFound(CallplanError):
    """No call with that id (call edit, call delete)."""

    exit_code = 3


class AmbiguousDM(CallplanError):
    exit_code = 4

    def __init__(self, ref: str, candidates: list[str]) -> None:
        shown = "; ".join(candidates[:8])
        more = f"; and {len(candidates) - 8} more" if len(candidates) > 8 else ""
        super().__init__(
            f"{ref!r} matches {len(candidates)} decision makers: {shown}{more}. "
            "Use the id or more of the name."
        )
        self.candidates = candidates


class StoreError(CallplanError):
    """The store can't be used: newer schema, unreadable file, bad URL."""

    exit_code = 5


class NotAllowed(CallplanError):
    """On a team store, something this recruiter's role may not do: a colleague's DM or
    call, an erasure without the lead role, a name that is someone else's."""

    exit_code = 8


class ConfigError(CallplanError):
    exit_code = 6


class FileError(CallplanError):
    """A file to export to or import from can't be used: unwritable, unreadable, not a
    callplan export, from a newer callplan, holding invalid rows to import; or a store
    that isn't empty to import a callplan export into."""

    exit_code = 7
