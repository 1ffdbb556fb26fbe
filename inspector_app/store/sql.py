"""Plain reads on the workspace connection.

sqlite-utils' `db.query` wraps every statement in a savepoint; on the hot path of a save
(a handful of reads per checklist result) that doubles the work, so reads there go through
the connection directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlite_utils import Database


def fetch_all(db: Database, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    """Return every row of a query as a dict keyed by column name."""
    cursor = db.conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def fetch_one(db: Database, sql: str, params: Sequence[Any] = ()) -> dict[str, Any] | None:
    """Return the first row of a query as a dict, or None."""
    cursor = db.conn.execute(sql, params)
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip([d[0] for d in cursor.description], row, strict=True))
