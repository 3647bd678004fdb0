"""Every test here runs on a store of its own (SQLite, and PostgreSQL when asked)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _on_a_store(env):
    """The fixed environment with the test's own store (tests/conftest.py: env)."""
    return env
