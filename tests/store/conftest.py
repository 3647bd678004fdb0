"""Every test here runs on a store of its own (SQLite, and PostgreSQL when asked), but
for the few marked no_store."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _on_a_store(request: pytest.FixtureRequest, backend: str) -> Path:
    """The fixed environment with the test's own store (tests/conftest.py: env), or
    without a store for a test marked no_store (storeless_env)."""
    if request.node.get_closest_marker("no_store") is not None:
        return request.getfixturevalue("storeless_env")
    return request.getfixturevalue("env")
