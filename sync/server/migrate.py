"""Bring the server's database to the newest schema with Alembic, programmatically.

The revisions are shipped inside the package (`sync/server/migrations/versions`, see its
`__init__.py` for how to add one). A database made before migrations existed (its tables
created directly, no `alembic_version`) is stamped at 0001 first.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

MIGRATIONS = Path(__file__).parent / "migrations"


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head() -> str:
    """Return the newest revision this code ships."""
    found = ScriptDirectory.from_config(_config()).get_current_head()
    assert found is not None
    return found


def current(engine: Engine) -> str | None:
    """Return the revision the database is at (None: not migrated yet)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Apply every revision the database lacks, in one transaction (PostgreSQL: DDL too)."""
    config = _config()
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        config.attributes["connection"] = conn
        if "change" in tables and "alembic_version" not in tables:
            command.stamp(config, "0001")
        command.upgrade(config, "head")
        conn.commit()
