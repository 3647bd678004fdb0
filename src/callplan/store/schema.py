"""The schema revisions callplan knows, newest last."""

from __future__ import annotations

# The Alembic revisions, oldest first; the last is what this version of callplan needs.
# A test checks this list against the migrations folder.
REVISIONS = (
    "0001",
    "0002",
    "0003",
    "0004",
    "0005",
    "0006",
    "0007",
    "0008",
    "0009",
    "0010",
    "0011",
    "0012",
    "0013",
    "0014",
    "0015",
    "0016",
    "0017",
    "0018",
    "0019",
)
HEAD = REVISIONS[-1]
