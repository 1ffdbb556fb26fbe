"""Writing records: each save stores a new version, its audit event and its outbox mutation
in the one transaction the caller holds (`db.atomic()`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlite_utils import Database

from inspector_app.core.audit_chain import GENESIS_HASH, canonical_json, event_hash
from inspector_app.core.case_integrity import same_case_problems
from inspector_app.core.errors import refuse_if
from inspector_app.core.model import Actor, new_id
from inspector_app.store.codec import TABLE_OF, from_row, to_plain, to_row
from inspector_app.store.errors import SignedRecordError
from inspector_app.store.sql import fetch_all, fetch_one

T = TypeVar("T")

VERSION_FIELDS = (
    "version_id",
    "base_version_id",
    "device_id",
    "updated_at",
    "updated_by",
    "locked",
)


@dataclass(frozen=True)
class RecordVersion:
    """Which version a record is, the version it replaced, and the device that made it."""

    version_id: str
    base_version_id: str | None
    device_id: str


@dataclass(frozen=True)
class Saved:
    """What a save changed: which record, its new version and the version it replaced."""

    table: str
    record_id: str
    version_id: str
    base_version_id: str | None


def _case_id_of(table: str, row: dict[str, Any]) -> str | None:
    if table == "review_case":
        return str(row["id"])
    case_id = row.get("case_id")
    return str(case_id) if case_id is not None else None


def _strip_version(row: dict[str, Any] | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {k: v for k, v in row.items() if k not in VERSION_FIELDS}


CASE_TIME_ZONE = "time_zone"
"""The key of a case record's sync payload naming the time zone its days are counted in (the
workspace's that sent it, or the case file's the office assigned): a laptop counting days in
another zone holds the case back (`core.calendar.synced_case_time_zone_problems`)."""


def _workspace_zone(db: Database) -> str:
    """Return the workspace's calendar time zone (its setting)."""
    from inspector_app.store.settings import load_settings

    return load_settings(db).time_zone


def save(
    db: Database,
    record: Any,
    *,
    actor: Actor,
    now: datetime,
    device: str,
    lock: bool = False,
    version: RecordVersion | None = None,
    queue: bool = True,
    resolves: tuple[str, ...] = (),
) -> Saved:
    """Store a new version of `record` (insert or update), audited and queued for sync.

    Args:
        db: the workspace database, inside `db.atomic()`.
        record: a domain record (a dataclass from `inspector_app.core.model`).
        actor: the acting reviewer (id, and name for reading).
        now: when the change is written (the clock's time, not the act's).
        device: this workspace's device id, which made the new version.
        lock: sign the record: from now on neither the store nor SQLite lets it change.
        version: the version to store instead of a new one: a version made elsewhere and
            carried here by a case file, keeping its id, its base and its device.
        queue: queue the version for the central office; False for a version that came from
            it (sync's pull), which is audited as `…+pulled` and never sent back up.
        resolves: the versions a leader's resolution of a sync conflict was made from; the
            central office marks the conflicts of those versions resolved.

    Raises:
        SignedRecordError: the stored version is signed.
        RuleViolation: the record belongs to another case (`case_isolation`).
    """
    table = TABLE_OF[type(record)]
    row = to_row(record)
    old = _stored_row(db, table, row["id"])
    if old is not None and old["locked"]:
        raise SignedRecordError(f"该记录已签名，不能修改（{table} {row['id']}）。")
    if old is not None and table != "review_case":
        refuse_if(same_case_problems(row["id"], old.get("case_id"), row.get("case_id")))
    if version is None:
        version = RecordVersion(new_id(), old["version_id"] if old else None, device)
    version_id, base_version_id = version.version_id, version.base_version_id
    row.update(
        version_id=version_id,
        base_version_id=base_version_id,
        device_id=version.device_id,
        updated_at=now.isoformat(),
        updated_by=actor.id,
        locked=int(lock),
    )
    if old is None:
        db.execute(
            f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
            list(row.values()),
        )
    else:
        db.execute(
            f"UPDATE {table} SET {', '.join(f'{k} = ?' for k in row)} WHERE id = ?",
            [*row.values(), row["id"]],
        )
    new_plain = to_plain(record)
    case_id = _case_id_of(table, row)
    append_event(
        db,
        actor=actor,
        now=now,
        action=("create" if old is None else "update")
        + ("+sign" if lock else "")
        + ("" if queue else "+pulled"),
        table=table,
        record_id=row["id"],
        case_id=case_id,
        version_id=version_id,
        old=_strip_version(old),
        new=new_plain,
    )
    payload: dict[str, Any] = {
        "record": new_plain,
        "locked": lock,
        "device_id": version.device_id,
    }
    if resolves:
        payload["resolves"] = list(resolves)
    if table == "review_case" and queue:  # the zone the case's days are counted in travels
        payload[CASE_TIME_ZONE] = _workspace_zone(db)
    if queue:
        enqueue(
            db,
            table=table,
            record_id=row["id"],
            case_id=case_id,
            version_id=version_id,
            base_version_id=base_version_id,
            payload=payload,
            now=now,
        )
    return Saved(table, row["id"], version_id, base_version_id)


def stored_version(db: Database, cls: type, record_id: str) -> RecordVersion | None:
    """Return the version of the stored record, or None when there is none."""
    row = fetch_one(
        db,
        f"SELECT version_id, base_version_id, device_id FROM {TABLE_OF[cls]} WHERE id = ?",
        [record_id],
    )
    if row is None:
        return None
    return RecordVersion(row["version_id"], row["base_version_id"], row["device_id"] or "")


def case_versions(db: Database, case_id: str) -> dict[str, RecordVersion]:
    """Return the stored version of every record of a case (and of its enterprise), by id."""
    versions = {}
    for table in TABLE_OF.values():
        if table == "reviewer":
            continue
        if table == "enterprise":
            where, key = "id = (SELECT enterprise_id FROM review_case WHERE id = ?)", case_id
        elif table == "review_case":
            where, key = "id = ?", case_id
        else:
            where, key = "case_id = ?", case_id
        for row in fetch_all(
            db,
            f"SELECT id, version_id, base_version_id, device_id FROM {table} WHERE {where}",
            [key],
        ):
            versions[row["id"]] = RecordVersion(
                row["version_id"], row["base_version_id"], row["device_id"] or ""
            )
    return versions


def open_case_children(db: Database, case_id: str) -> list[Any]:
    """Return every record of a case that is not signed yet (the case and enterprise aside),
    in table order: what a sign-off locks, each as a new version."""
    found: list[Any] = []
    for cls, table in TABLE_OF.items():
        if table in ("enterprise", "review_case", "reviewer"):
            continue
        rows = fetch_all(
            db, f"SELECT * FROM {table} WHERE case_id = ? AND locked = 0 ORDER BY id", [case_id]
        )
        found.extend(from_row(cls, row) for row in rows)
    return found


def _stored_row(db: Database, table: str, record_id: str) -> dict[str, Any] | None:
    return fetch_one(db, f"SELECT * FROM {table} WHERE id = ?", [record_id])


def load(db: Database, cls: type[T], record_id: str) -> T | None:
    """Return the current version of a record, or None."""
    row = _stored_row(db, TABLE_OF[cls], record_id)
    return from_row(cls, row) if row else None


def load_for_case(db: Database, cls: type[T], case_id: str, order_by: str = "id") -> list[T]:
    """Return every record of class `cls` that belongs to a case."""
    rows = fetch_all(
        db, f"SELECT * FROM {TABLE_OF[cls]} WHERE case_id = ? ORDER BY {order_by}", [case_id]
    )
    return [from_row(cls, row) for row in rows]


def append_event(
    db: Database,
    *,
    actor: Actor,
    now: datetime,
    action: str,
    table: str,
    record_id: str,
    case_id: str | None,
    version_id: str | None,
    old: dict[str, Any] | None,
    new: dict[str, Any] | None,
) -> int:
    """Append one event to the audit chain (in the caller's transaction); return its seq."""
    head = db.conn.execute("SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1").fetchone()
    seq = head[0] + 1 if head else 1
    prev_hash = head[1] if head else GENESIS_HASH
    case_seq = None
    if case_id is not None:
        last = db.conn.execute(
            "SELECT max(case_seq) FROM audit_event WHERE case_id = ?", [case_id]
        ).fetchone()
        case_seq = (last[0] or 0) + 1
    event = {
        "event_id": new_id(),
        "case_id": case_id,
        "case_seq": case_seq,
        "at": now.isoformat(),
        "actor": actor.name,
        "actor_id": actor.id,
        "action": action,
        "record_table": table,
        "record_id": record_id,
        "version_id": version_id,
        "old": canonical_json(old) if old is not None else None,
        "new": canonical_json(new) if new is not None else None,
    }
    digest = event_hash(prev_hash, event)
    db.execute(
        "INSERT INTO audit_event (seq, prev_hash, hash, "
        + ", ".join(event)
        + ") VALUES (?, ?, ?, "
        + ", ".join("?" for _ in event)
        + ")",
        [seq, prev_hash, digest, *event.values()],
    )
    db.execute(
        "INSERT INTO meta (key, value) VALUES ('audit_head', ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [digest],
    )
    return seq


def enqueue(
    db: Database,
    *,
    table: str,
    record_id: str,
    case_id: str | None,
    version_id: str | None,
    base_version_id: str | None,
    payload: dict[str, Any],
    now: datetime,
) -> str:
    """Queue a mutation for the central office (in the caller's transaction); return its id."""
    mutation_id = new_id()
    db.execute(
        "INSERT INTO outbox (mutation_id, record_table, record_id, case_id, version_id, "
        "base_version_id, payload, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            mutation_id,
            table,
            record_id,
            case_id,
            version_id,
            base_version_id,
            json.dumps(payload, ensure_ascii=False, sort_keys=True),
            now.isoformat(),
        ],
    )
    return mutation_id
