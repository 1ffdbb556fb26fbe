"""The central office's endpoints beyond push and pull: the conflicts a device may see, the
office's public key, and the marking of conflicts a leader resolved."""

# No `from __future__ import annotations`: FastAPI reads the endpoints' annotations.

import json
from collections.abc import Callable, Sequence
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Query
from sqlalchemy import select, update

from sync.protocol import (
    ConflictsResponse,
    Mutation,
    MutationResult,
    Refusal,
    ServerConflict,
    ServerKey,
)
from sync.server.assignments import conflict_visible_to
from sync.server.publish import now_text
from sync.server.storage import (
    DeviceIdentity,
    Storage,
    change,
    conflict,
    device,
    record_head,
)

REFUSALS: dict[int | str, dict[str, Any]] = {
    code: {"model": Refusal} for code in (400, 401, 404, 413, 426)
}


def conflicts_for(storage: Storage, who: DeviceIdentity | None, *, open_only: bool) -> list[Any]:
    """Return the kept conflicts `who` may see (every one when `who` is None), each with the
    server's head version of the record, oldest first."""
    # One query, the record's head on the server joined in (not one query per conflict).
    head = change.alias("head_change")
    query = (
        select(conflict, head.c.payload.label("head_payload"))
        .select_from(conflict)
        .outerjoin(
            record_head,
            (record_head.c.record_table == conflict.c.record_table)
            & (record_head.c.record_id == conflict.c.record_id),
        )
        .outerjoin(head, head.c.seq == record_head.c.change_seq)
        .order_by(conflict.c.id)
    )
    if who is not None:
        query = query.where(conflict_visible_to(who))
    if open_only:
        query = query.where(conflict.c.resolved_at.is_(None))
    with storage.reading() as conn:
        rows = conn.execute(query).all()
    found = [
        ServerConflict(
            id=row.id,
            mutation_id=row.mutation_id,
            device_id=row.device_id,
            record_table=row.record_table,
            record_id=row.record_id,
            case_id=row.case_id,
            version_id=row.version_id,
            base_version_id=row.base_version_id,
            head_version_id=row.head_version_id,
            reason=row.reason,
            payload=json.loads(row.payload),
            head_payload=json.loads(row.head_payload) if row.head_payload is not None else None,
            found_at=row.found_at,
            resolved_at=row.resolved_at,
        )
        for row in rows
    ]
    return found


def mark_resolved(
    storage: Storage, mutations: Sequence[Mutation], results: Sequence[MutationResult]
) -> None:
    """Mark resolved the conflicts that an applied mutation says it resolves (its payload's
    `resolves`: the version ids it was made from)."""
    with storage.transaction() as conn:
        for m, r in zip(mutations, results, strict=True):
            resolves = m.payload.get("resolves")
            if r.status != "applied" or not isinstance(resolves, list):
                continue
            versions = [v for v in resolves if isinstance(v, str)][:16]
            conn.execute(
                update(conflict)
                .where(
                    conflict.c.record_table == m.record_table,
                    conflict.c.record_id == m.record_id,
                    conflict.c.version_id.in_(versions),
                    conflict.c.resolved_at.is_(None),
                )
                .values(resolved_at=now_text())
            )


def touch_device(storage: Storage, who: DeviceIdentity) -> None:
    """Note that the device synced now (a pull counts, not only a push): `status` shows it."""
    with storage.transaction() as conn:
        conn.execute(
            update(device).where(device.c.id == who.device_id).values(last_seen_at=now_text())
        )


def add_office_routes(
    app: FastAPI, storage: Storage, authenticated: Callable[..., DeviceIdentity]
) -> None:
    """Add `/v1/conflicts` and `/v1/server-key` to `app`."""

    @app.get("/v1/conflicts", response_model=ConflictsResponse, responses=REFUSALS)
    def conflicts(
        who: Annotated[DeviceIdentity, Depends(authenticated)],
        include_resolved: Annotated[bool, Query()] = False,
    ) -> ConflictsResponse:
        """Return the conflicts of this reviewer's cases and of this device, with both
        versions."""
        return ConflictsResponse(
            conflicts=conflicts_for(storage, who, open_only=not include_resolved)
        )

    @app.get("/v1/server-key", response_model=ServerKey, responses=REFUSALS)
    def server_key(_who: Annotated[DeviceIdentity, Depends(authenticated)]) -> ServerKey:
        """Return the office's X25519 public key (it also comes down with the changes)."""
        with storage.reading() as conn:
            row = conn.execute(
                select(change.c.payload)
                .join(record_head, record_head.c.change_seq == change.c.seq)
                .where(record_head.c.record_table == "server_key")
            ).first()
        if row is None:
            raise HTTPException(404, "the office has no key yet: start it with inspector-server")
        return ServerKey.model_validate(json.loads(row.payload))
