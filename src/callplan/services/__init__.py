"""The use cases: each takes a session and a desk, applies the core's rules through the
store's queries, and returns what the command renders. The caller owns the transaction.

Read them as ``services.calls.log_call(s, desk, ...)``.
"""

from callplan.services import (
    briefs,
    calls,
    forecast,
    hooks,
    imports,
    people,
    shapes,
    sweep,
    today,
)

__all__ = ["briefs", "calls", "forecast", "hooks", "imports", "people", "shapes", "sweep", "today"]
