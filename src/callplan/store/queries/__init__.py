"""The store's queries by subject: keyword-only functions taking an explicit session.

Read them as ``queries.calls.record_call(s, ...)``: the subject says where a query lives.
The figures of `stats` (``queries.stats``) and today's progress line
(``queries.progress``) are imported by name where they are used, so a plain `today`
never loads the statistics.
"""

from callplan.store.queries import (
    calls,
    candidates,
    common,
    delivery,
    diary,
    dms,
    hooks,
    jobs,
    loops,
    people,
    prospects,
    recruiters,
)

__all__ = [
    "calls",
    "candidates",
    "common",
    "delivery",
    "diary",
    "dms",
    "hooks",
    "jobs",
    "loops",
    "people",
    "prospects",
    "recruiters",
]
