"""Attachments (photos of seals, evidence scans) stored once, by the SHA-256 of their content."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from inspector_app.core.model import Actor, Attachment
from inspector_app.store import records
from inspector_app.store.codec import to_plain
from inspector_app.store.errors import WorkspaceError, storage_errors
from inspector_app.store.files import write_bytes_atomically
from inspector_app.store.workspace import Workspace

MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024
SHA256 = re.compile(r"^[0-9a-f]{64}$")


def attachment_path(workspace: Workspace, sha256: str) -> Path:
    """Return where the content with this hash lives (attachments/ab/abcdef…)."""
    if not SHA256.match(sha256):
        raise WorkspaceError(f"附件标识 {sha256!r} 不是有效的 SHA-256。")
    return workspace.attachments / sha256[:2] / sha256


def add_attachment(
    workspace: Workspace,
    data: bytes,
    *,
    media_type: str,
    original_name: str,
    actor: Actor,
    now: datetime,
) -> Attachment:
    """Store a file's content once (durably: written, flushed, renamed) and record it."""
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise WorkspaceError(
            f"附件 {original_name} 超过 {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB，未保存。"
        )
    digest = hashlib.sha256(data).hexdigest()
    target = attachment_path(workspace, digest)
    attachment = Attachment(digest, len(data), media_type, original_name, now)
    with storage_errors():
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            write_bytes_atomically(target, data)
        db = workspace.db
        with db.atomic():
            if not known_hashes(db, (digest,)):
                row = to_plain(attachment)
                db.execute(
                    "INSERT INTO attachment (sha256, size, media_type, original_name, added_at) "
                    "VALUES (:sha256, :size, :media_type, :original_name, :added_at)",
                    row,
                )
                records.append_event(
                    db,
                    actor=actor,
                    now=now,
                    action="create",
                    table="attachment",
                    record_id=digest,
                    case_id=None,
                    version_id=None,
                    old=None,
                    new=row,
                )
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
    return attachment


def known_hashes(db: Database, hashes: Iterable[str]) -> set[str]:
    """Return which of the given hashes the workspace holds."""
    wanted = list(hashes)
    if not wanted:
        return set()
    marks = ",".join("?" for _ in wanted)
    rows = db.query(f"SELECT sha256 FROM attachment WHERE sha256 IN ({marks})", wanted)
    return {r["sha256"] for r in rows}
