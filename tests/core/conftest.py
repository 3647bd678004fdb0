"""The rules, pure: no store is made for these tests, and they run once, not per backend."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_store(storeless_env):
    """The fixed environment without a store (tests/conftest.py: storeless_env)."""
    return storeless_env
