"""Alembic environment: runs against the engine callplan hands over (batch mode on SQLite)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection
from sqlmodel import SQLModel

import callplan.store.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from callplan.store.db import check_links, make_engine, migrating

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    """Every step in one transaction (SQLite's DDL is transactional too), so a failed or
    killed upgrade leaves the store as it was. A connection handed over is already in
    that transaction (db._upgrade_file, holding the store's write lock); it commits."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = config.attributes.get("engine")
    if engine is None:
        url = config.get_main_option("sqlalchemy.url")
        if not url:
            raise RuntimeError("No engine or sqlalchemy.url given to the migrations.")
        engine = make_engine(url)
    with migrating(engine) as connection:
        if connection.dialect.name == "sqlite":
            connection.execution_options(callplan_begin="IMMEDIATE")  # the write lock first
        _run(connection)


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        transactional_ddl=True,  # alembic's SQLite default commits each step on its own
        transaction_per_migration=False,
    )
    with context.begin_transaction():
        context.run_migrations()
        check_links(connection)


if context.is_offline_mode():
    raise RuntimeError("callplan's migrations run online only.")
run_migrations_online()
