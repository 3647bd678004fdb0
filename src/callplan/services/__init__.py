"""The use cases: each takes a session and a desk, applies the core's rules through the
store's queries, and returns what the command renders. The caller owns the transaction.

Read them as ``services.calls.log_call(s, desk, ...)``. A module is imported when first
used (PEP 562), so ``services.shapes``, which needs only the core, can be used by a
command that never opens the store without loading SQLAlchemy.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from callplan.services import (
        briefs,
        calls,
        candidates,
        corrections,
        delivery,
        forecast,
        hooks,
        imports,
        jobs,
        loops,
        people,
        shapes,
        sweep,
        today,
    )

__all__ = [
    "briefs",
    "calls",
    "candidates",
    "corrections",
    "delivery",
    "forecast",
    "hooks",
    "imports",
    "jobs",
    "loops",
    "people",
    "shapes",
    "sweep",
    "today",
]


def __getattr__(name: str) -> ModuleType:
    if name in __all__:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
