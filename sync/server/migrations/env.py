"""Alembic's environment: runs on the connection that `sync.server.migrate` hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, text

from sync.server.storage import MIGRATION_LOCK, metadata

connection: Connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    if connection.dialect.name == "postgresql":
        # Two servers starting together: the second waits, then finds the schema at head.
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
    context.run_migrations()
