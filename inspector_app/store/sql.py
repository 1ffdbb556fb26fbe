"""Plain reads on the workspace connection.

sqlite-utils' `db.query` wraps every statement in a savepoint; on the hot path of a save
(a handful of reads per checklist result) that doubles the work, so reads there go through
the connection directly. They take the workspace's `Database` or its plain connection (what
the app reads before its first paint, without sqlite-utils).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database


def connection_of(db: Database | sqlite3.Connection) -> sqlite3.Connection:
    """Return the plain connection of a workspace's `Database`, or the connection given."""
    return db if isinstance(db, sqlite3.Connection) else db.conn


def fetch_all(
    db: Database | sqlite3.Connection, sql: str, params: Sequence[Any] = ()
) -> list[dict[str, Any]]:
    """Return every row of a query as a dict keyed by column name."""
    cursor = connection_of(db).execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def fetch_one(
    db: Database | sqlite3.Connection, sql: str, params: Sequence[Any] = ()
) -> dict[str, Any] | None:
    """Return the first row of a query as a dict, or None."""
    cursor = connection_of(db).execute(sql, params)
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip([d[0] for d in cursor.description], row, strict=True))
