"""The central office's endpoints beyond push and pull: the conflicts a device may see, the
office's public key, and the marking of conflicts a leader resolved."""

# No `from __future__ import annotations`: FastAPI reads the endpoints' annotations.

import json
from collections.abc import Callable, Sequence
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Query
from sqlalchemy import func, select, update

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
    renumber_conflict,
)

REFUSALS: dict[int | str, dict[str, Any]] = {
    code: {"model": Refusal} for code in (400, 401, 404, 413, 426)
}


def conflicts_cursor(storage: Storage) -> int:
    """Return the last place taken in the conflicts' sequence (0: none yet)."""
    with storage.reading() as conn:
        return int(conn.execute(select(func.max(conflict.c.event_seq))).scalar() or 0)


def conflicts_for(
    storage: Storage, who: DeviceIdentity | None, *, open_only: bool, after: int = 0
) -> tuple[list[Any], int]:
    """Return the kept conflicts `who` may see (every one when `who` is None) whose place in
    the conflicts' sequence is after `after`, each with the server's head version of the
    record, in that order; and the cursor to ask after next time.

    The cursor is read first and the rows up to it: a conflict event that commits meanwhile
    takes a later place (writers are serialized) and comes at the next call."""
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
        .order_by(conflict.c.event_seq)
    )
    if who is not None:
        query = query.where(conflict_visible_to(who))
    if open_only:
        query = query.where(conflict.c.resolved_at.is_(None))
    with storage.reading() as conn:
        cursor = int(conn.execute(select(func.max(conflict.c.event_seq))).scalar() or 0)
        query = query.where(conflict.c.event_seq > after, conflict.c.event_seq <= cursor)
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
    return found, max(cursor, after)


def mark_resolved(
    storage: Storage, mutations: Sequence[Mutation], results: Sequence[MutationResult]
) -> None:
    """Mark resolved the conflicts that an applied mutation says it resolves (its payload's
    `resolves`: the version ids it was made from), each at a new place of the conflicts'
    sequence, so the other laptops learn it at their next sync."""
    wanted = [
        (m, [v for v in m.payload["resolves"] if isinstance(v, str)][:16])
        for m, r in zip(mutations, results, strict=True)
        if r.status == "applied" and isinstance(m.payload.get("resolves"), list)
    ]
    if not wanted:
        return
    with storage.transaction() as conn:
        for m, versions in wanted:
            settled = conn.execute(
                select(conflict.c.id)
                .where(
                    conflict.c.record_table == m.record_table,
                    conflict.c.record_id == m.record_id,
                    conflict.c.version_id.in_(versions),
                    conflict.c.resolved_at.is_(None),
                )
                .order_by(conflict.c.id)
            ).scalars()
            for conflict_id in list(settled):
                renumber_conflict(conn, conflict_id, resolved_at=now_text())


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
        after: Annotated[int, Query(ge=0, le=2**62)] = 0,
    ) -> ConflictsResponse:
        """Return the conflicts of this reviewer's cases and of this device, with both
        versions: from the start (`after=0`) the open ones; after a conflicts cursor, every
        one kept, resolved or newly visible since. `cursor` is where the next call starts."""
        found, cursor = conflicts_for(
            storage, who, open_only=after == 0 and not include_resolved, after=after
        )
        return ConflictsResponse(conflicts=found, cursor=cursor)

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
