"""Attachments that come down from the central office: which ones the workspace's records name
without holding them, where a download in progress waits, and keeping one once its SHA-256 is
checked.

A record pulled from the office (a checklist result's photos, a seal's photo, a signature's
signed PDF, a handwritten-signature image, an amendment's PDF) names its attachments by hash;
their files travel apart (`sync.client.downloads`). Until one arrives the workspace holds the
record without the file, and the screens say so. A download in progress is the file
`sync-incoming/<sha256>.part` beside the workspace's database: its length is how much arrived,
so a broken download goes on from there at the next try. It is outside `attachments/`, whose
unrecorded files the clean-up at open removes.
"""

from __future__ import annotations

import os
import re
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from inspector_app.store.attachments import record_attachment
from inspector_app.store.errors import storage_errors
from inspector_app.store.pending import reserve, shard_path
from inspector_app.store.sync_apply import CENTRAL_OFFICE
from inspector_app.store.workspace import ATTACHMENTS_DIR

INCOMING_DIR = "sync-incoming"
SHA256 = re.compile(r"^[0-9a-f]{64}$")

REFERENCES = """
    SELECT e.value AS sha256, r.case_id FROM checklist_result r, json_each(r.evidence) e
        WHERE r.evidence != '[]' AND json_valid(r.evidence)
    UNION SELECT photo, case_id FROM seal WHERE photo IS NOT NULL
    UNION SELECT document_sha256, case_id FROM signature
    UNION SELECT image, case_id FROM hand_signature
    UNION SELECT document_sha256, case_id FROM amendment
"""
"""Every attachment hash the workspace's records name (the same fields a case file carries),
with the case whose record names it."""

WANTED = f"""
    SELECT named.sha256 FROM ({REFERENCES}) AS named
        WHERE named.case_id NOT IN (SELECT case_id FROM case_withdrawal)
"""
"""The hashes named by a record of a case not withdrawn from this reviewer: the office sends
no attachment of a withdrawn case (404), so asking for one at every sync is pointless; when
the office assigns the case again its row in `case_withdrawal` goes and they are asked again."""


def workspace_folder(db: Database) -> Path:
    """Return the folder of the workspace whose database is `db`."""
    name = db.execute("PRAGMA database_list").fetchall()[0][2]
    return Path(name).parent


def referenced_hashes(db: Database) -> set[str]:
    """Return the attachment hashes the workspace's records name (an empty or malformed
    value, e.g. a signature made without a document, is no attachment)."""
    named = {row[0] for row in db.execute(REFERENCES).fetchall()}
    return {h for h in named if isinstance(h, str) and SHA256.match(h)}


def wanted_hashes(db: Database) -> set[str]:
    """Return the attachment hashes named by the records of the cases this reviewer still
    holds: those only a withdrawn case's records name are left out (`WANTED`)."""
    named = {row[0] for row in db.execute(WANTED).fetchall()}
    return {h for h in named if isinstance(h, str) and SHA256.match(h)}


def missing_attachments(db: Database) -> list[str]:
    """Return the hashes a sync is to fetch, sorted: those the records of the cases still
    assigned here name whose file the workspace does not hold (a withdrawn case's are left
    until the office assigns it again)."""
    attachments = workspace_folder(db) / ATTACHMENTS_DIR
    return sorted(h for h in wanted_hashes(db) if not shard_path(attachments, h).is_file())


def incoming_path(db: Database, sha256: str) -> Path:
    """Return where the download of `sha256` (an already checked hash) is kept until whole."""
    return workspace_folder(db) / INCOMING_DIR / f"{sha256}.part"


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def keep_downloaded(
    db: Database,
    partial: Path,
    *,
    sha256: str,
    media_type: str,
    original_name: str,
    now: datetime,
) -> bool:
    """Keep the downloaded file `partial`, whose SHA-256 the caller checked, as the attachment
    `sha256`: moved (not copied) into `attachments/`, and recorded with its media type and name,
    audited as pulled from the office and never queued back up. Return whether a new
    `attachment` row was written (False when the workspace knew the attachment and only its
    file was missing).

    The hash is reserved first (`store.pending`), so a crash between the move and the commit
    leaves no file without its record.
    """
    folder = workspace_folder(db)
    target = shard_path(folder / ATTACHMENTS_DIR, sha256)
    with storage_errors(), reserve(db, folder, [sha256]) as reservation:
        if not target.exists():
            reservation.written.add(sha256)  # removed again if the record does not commit
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(partial, "rb") as written:  # on disk before its record commits
            os.fsync(written.fileno())
        os.replace(partial, target)
        _fsync_dir(target.parent)
        with db.atomic():
            known = db.execute("SELECT 1 FROM attachment WHERE sha256 = ?", [sha256]).fetchone()
            if known is None:
                row = {
                    "sha256": sha256,
                    "size": target.stat().st_size,
                    "media_type": media_type,
                    "original_name": original_name,
                    "added_at": now.isoformat(),
                }
                record_attachment(db, row, CENTRAL_OFFICE, now, "create+pulled")
            reservation.settle(db, (sha256,))
    return known is None
