"""Every test here runs on a store of its own (SQLite, and PostgreSQL when asked), but
for the few marked no_store."""

from tests._on_a_store import _on_a_store  # noqa: F401  (the folder's autouse fixture)
