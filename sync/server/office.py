"""Opening the central office's data folder, and its status report."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from sync.server.assignments import case_assignment, case_scope, withdrawals_in_force
from sync.server.keys import ensure_key_pair
from sync.server.reference import publish_public_key, qualified_agency
from sync.server.storage import Storage, change, conflict, device, mutation, reviewer


def open_office(data: Path, database_url: str | None = None) -> Storage:
    """Open the storage (`database_url`, else the SQLite file in `data`); at the first start
    make the office's key pair in `data`, and publish its public key."""
    storage = Storage.open(data, database_url)
    try:
        publish_public_key(storage, ensure_key_pair(data))
        publish_registry(storage)
    except BaseException:
        storage.close()
        raise
    return storage


def publish_registry(storage: Storage) -> None:
    """Publish every registry reviewer whose published version is missing or out of date
    (a registry kept before the registry went down to the laptops)."""
    from sync.protocol import Reviewer
    from sync.server.reference import publish_reviewer

    with storage.transaction() as conn:
        for row in conn.execute(select(reviewer)).all():
            fields = {k: v for k, v in row._mapping.items() if k != "created_at"}
            publish_reviewer(conn, Reviewer(**fields))


@dataclass(frozen=True)
class DeviceStatus:
    """One enrolled device as `status` shows it."""

    device_id: str
    name: str
    reviewer: str
    enrolled_at: str
    last_sync_at: str | None
    mutations: int


@dataclass(frozen=True)
class OfficeStatus:
    """What `inspector-server status` prints."""

    devices: list[DeviceStatus]
    pending_conflicts: list[dict[str, Any]]
    reviewers: int
    cases: int
    assignments: int
    agencies: int
    changes: int
    withdrawals: list[dict[str, Any]]


def office_status(storage: Storage) -> OfficeStatus:
    """Return the devices with their last sync, the unresolved conflicts, the counts and the
    withdrawals in force (who withdrew which case from whom, and when)."""
    with storage.reading() as conn:
        sent = (
            select(mutation.c.device_id, func.count().label("n"))
            .group_by(mutation.c.device_id)
            .subquery()
        )
        rows = conn.execute(
            select(device, reviewer.c.name.label("reviewer_name"), sent.c.n)
            .join(reviewer, reviewer.c.id == device.c.reviewer_id)
            .outerjoin(sent, sent.c.device_id == device.c.id)
            .order_by(device.c.enrolled_at)
        ).all()
        devices = [
            DeviceStatus(
                r.id,
                r.name,
                f"{r.reviewer_name} ({r.reviewer_id})",
                r.enrolled_at,
                r.last_seen_at,
                int(r.n or 0),
            )
            for r in rows
        ]
        pending = [
            dict(r._mapping)
            for r in conn.execute(
                select(conflict).where(conflict.c.resolved_at.is_(None)).order_by(conflict.c.id)
            )
        ]

        def count(table: Any, *where: Any) -> int:
            return int(
                conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one()
            )

        return OfficeStatus(
            devices=devices,
            pending_conflicts=pending,
            reviewers=count(reviewer),
            cases=count(case_scope),
            assignments=count(case_assignment),
            agencies=count(qualified_agency, qualified_agency.c.withdrawn == 0),
            changes=count(change),
            withdrawals=withdrawals_in_force(conn),
        )
