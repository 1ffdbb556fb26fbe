"""Changes the central office itself adds to the change log: the records of an assigned case
file, the reviewer registry, the qualified agencies, checklist forms and its public key.

They travel down exactly like a laptop's changes (a row of `change`, the record's head moved),
under the device id `CENTRAL_OFFICE`, so one cursor brings everything down in commit order.
Every function here writes in the caller's transaction.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from sync.server.storage import append_change, change, record_head

CENTRAL_OFFICE = "central-office"
"""The device id of the versions the central office makes."""


def now_text() -> str:
    """Return the current time as ISO text (UTC)."""
    return datetime.now(UTC).isoformat()


def head_of(conn: Connection, record_table: str, record_id: str) -> Any:
    """Return the record's head row (version_id, locked, change_seq), or None."""
    return conn.execute(
        select(record_head).where(
            record_head.c.record_table == record_table, record_head.c.record_id == record_id
        )
    ).first()


def append(
    conn: Connection,
    *,
    record_table: str,
    record_id: str,
    case_id: str | None,
    version_id: str,
    base_version_id: str | None,
    device_id: str,
    payload: dict[str, Any],
    move_head: bool = True,
    mutation_id: str | None = None,
) -> int:
    """Append one change to the log and (unless `move_head` is false: a copy of the head
    published again) make it the record's head; return its sequence number."""
    seq = append_change(
        conn,
        mutation_id=mutation_id or f"office:{uuid.uuid4()}",
        record_table=record_table,
        record_id=record_id,
        case_id=case_id,
        version_id=version_id,
        base_version_id=base_version_id,
        device_id=device_id,
        payload=json.dumps(payload, ensure_ascii=False, sort_keys=True),
        committed_at=now_text(),
    )
    if not move_head:
        return seq
    values = {
        "version_id": version_id,
        "locked": 1 if payload.get("locked") in (1, True) else 0,
        "change_seq": seq,
    }
    if head_of(conn, record_table, record_id) is None:
        conn.execute(
            insert(record_head).values(record_table=record_table, record_id=record_id, **values)
        )
    else:
        conn.execute(
            update(record_head)
            .where(
                record_head.c.record_table == record_table,
                record_head.c.record_id == record_id,
            )
            .values(**values)
        )
    return seq


def publish(
    conn: Connection,
    *,
    record_table: str,
    record_id: str,
    payload: dict[str, Any],
    case_id: str | None = None,
) -> int | None:
    """Publish a new central-office version of a record unless its head already carries the
    same payload; return the change's sequence number, or None when nothing changed."""
    head = head_of(conn, record_table, record_id)
    if head is not None:
        current = conn.execute(select(change.c.payload).where(change.c.seq == head.change_seq))
        row = current.first()
        if row is not None and json.loads(row.payload) == payload:
            return None
    return append(
        conn,
        record_table=record_table,
        record_id=record_id,
        case_id=case_id,
        version_id=str(uuid.uuid4()),
        base_version_id=head.version_id if head is not None else None,
        device_id=CENTRAL_OFFICE,
        payload=payload,
    )
