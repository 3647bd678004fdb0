"""The store: the only layer that imports SQLAlchemy, SQLModel and Alembic at module level."""
