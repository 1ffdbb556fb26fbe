"""Attachments (photos of seals, evidence scans) stored once, by the SHA-256 of their content."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from inspector_app.core.model import Actor, Attachment
from inspector_app.store import records
from inspector_app.store.codec import to_plain
from inspector_app.store.errors import WorkspaceError, storage_errors
from inspector_app.store.files import write_bytes_atomically
from inspector_app.store.pending import Reservation, reserve
from inspector_app.store.workspace import Workspace

MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024
SHA256 = re.compile(r"^[0-9a-f]{64}$")


def attachment_path(workspace: Workspace, sha256: str) -> Path:
    """Return where the content with this hash lives (attachments/ab/abcdef…)."""
    if not SHA256.match(sha256):
        raise WorkspaceError(f"附件标识 {sha256!r} 不是有效的 SHA-256。")
    return workspace.attachments / sha256[:2] / sha256


@contextmanager
def reserve_attachments(workspace: Workspace, hashes: Iterable[str]) -> Iterator[Reservation]:
    """Reserve attachment hashes before writing their files; yield the reservation.

    The pending rows commit at once, in their own short transaction (so call it outside any
    transaction); pass the reservation to `add_attachment` inside the transaction that records
    the attachments, which deletes each pending row as it records its attachment. On leaving,
    files written for records that did not commit are removed. After a crash the next
    `open_workspace` removes them instead.

    Raises:
        WorkspaceError: a hash is not a SHA-256, or a known storage failure.
    """
    wanted = list(hashes)
    for digest in wanted:
        attachment_path(workspace, digest)  # refuses a hash that is not a SHA-256
    with storage_errors(), reserve(workspace.db, workspace.folder, wanted) as reservation:
        yield reservation


def add_attachment(
    workspace: Workspace,
    data: bytes,
    *,
    media_type: str,
    original_name: str,
    actor: Actor,
    now: datetime,
    reservation: Reservation | None = None,
) -> Attachment:
    """Store a file's content once (durably: written, flushed, renamed) and record it.

    Outside a transaction the write is reserved first (`reserve_attachments`), so a crash
    leaves no file without its record. A caller that holds a transaction open reserves the
    hashes itself before it began and passes `reservation`; without one, a crash before the
    caller commits can leave the file behind.
    """
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise WorkspaceError(
            f"附件 {original_name} 超过 {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB，未保存。"
        )
    digest = hashlib.sha256(data).hexdigest()
    target = attachment_path(workspace, digest)
    attachment = Attachment(digest, len(data), media_type, original_name, now)
    if reservation is None and not workspace.db.conn.in_transaction and not target.exists():
        with reserve_attachments(workspace, [digest]) as own:
            _store(workspace, data, attachment, actor, own)
    else:
        _store(workspace, data, attachment, actor, reservation)
    return attachment


def record_attachment(
    db: Database, row: dict[str, object], actor: Actor, now: datetime, action: str
) -> None:
    """Insert an attachment's row (its `Attachment` fields, plain) and audit it as `action`
    by `actor` (inside the caller's transaction)."""
    db.execute(
        "INSERT INTO attachment (sha256, size, media_type, original_name, added_at) "
        "VALUES (:sha256, :size, :media_type, :original_name, :added_at)",
        row,
    )
    records.append_event(
        db,
        actor=actor,
        now=now,
        action=action,
        table="attachment",
        record_id=str(row["sha256"]),
        case_id=None,
        version_id=None,
        old=None,
        new=row,
    )


def _store(
    workspace: Workspace,
    data: bytes,
    attachment: Attachment,
    actor: Actor,
    reservation: Reservation | None,
) -> None:
    """Write the file unless it is there, then record it (and settle its reservation)."""
    digest = attachment.sha256
    now = attachment.added_at
    with storage_errors():
        if reservation is not None:
            reservation.write(digest, data)
        else:
            target = attachment_path(workspace, digest)
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                write_bytes_atomically(target, data)
        db = workspace.db
        with db.atomic():
            if not known_hashes(db, (digest,)):
                row = to_plain(attachment)
                record_attachment(db, row, actor, now, "create")
                records.enqueue(
                    db,
                    table="attachment",
                    record_id=digest,
                    case_id=None,
                    version_id=None,
                    base_version_id=None,
                    payload={"record": row},
                    now=now,
                )
            if reservation is not None:
                reservation.settle(db, (digest,))


def known_hashes(db: Database, hashes: Iterable[str]) -> set[str]:
    """Return which of the given hashes the workspace holds."""
    wanted = list(hashes)
    if not wanted:
        return set()
    marks = ",".join("?" for _ in wanted)
    rows = db.query(f"SELECT sha256 FROM attachment WHERE sha256 IN ({marks})", wanted)
    return {r["sha256"] for r in rows}
