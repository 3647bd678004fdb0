"""The autouse fixture of the layers whose tests run on a store (tests/store,
tests/services, tests/cli): each folder's conftest.py imports it, so it is written once
and tests/core never asks for a backend (its tests run once, on no store)."""

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
