"""The central office's public key (中心公钥), kept in the workspace's `meta` table.

It comes down with sync from the central office (or, in the demo workspace, from the demo
centre) and is what the enterprise's feedback forms are sealed to. Changing it is audited.
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime

from sqlite_utils import Database

from inspector_app.core.model import Actor
from inspector_app.store.errors import WorkspaceError, storage_errors
from inspector_app.store.records import append_event
from inspector_app.store.sql import fetch_one
from sync.sealing import KEY_SIZE, key_id

CENTRE_KEY = "sync.centre_public_key"


class NoCentreKey(WorkspaceError):
    """The workspace has no centre key yet: the feedback form cannot be sealed."""

    def __init__(self) -> None:
        super().__init__(
            "本工作区尚无中心公钥，无法密封反馈表：请先与中心同步一次（inspector sync）。"
        )


def decode_centre_key(text: str) -> bytes:
    """Return the raw key of its base64 text, refusing anything that is not a 32-byte key."""
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as error:
        raise WorkspaceError("中心公钥不是有效的 base64 文本。") from error
    if len(raw) != KEY_SIZE:
        raise WorkspaceError(f"中心公钥应为 {KEY_SIZE} 字节，收到 {len(raw)} 字节。")
    return raw


def centre_key(db: Database) -> bytes:
    """Return the raw centre public key of this workspace.

    Raises:
        NoCentreKey: None was received yet.
    """
    with storage_errors():
        row = fetch_one(db, "SELECT value FROM meta WHERE key = ?", [CENTRE_KEY])
    if row is None:
        raise NoCentreKey()
    return decode_centre_key(row["value"])


def save_centre_key(db: Database, text: str, *, actor: Actor, now: datetime) -> str:
    """Keep the centre's public key (base64) and audit the change, in a transaction of its own;
    return its fingerprint."""
    with storage_errors(), db.atomic():
        return keep_centre_key(db, text, actor=actor, now=now)


def keep_centre_key(db: Database, text: str, *, actor: Actor, now: datetime) -> str:
    """Keep the centre's public key (base64) in the caller's transaction (a pulled page) and
    audit a change of it; return its fingerprint.

    Raises:
        WorkspaceError: The text is not a 32-byte key in base64.
    """
    raw = decode_centre_key(text)
    old = fetch_one(db, "SELECT value FROM meta WHERE key = ?", [CENTRE_KEY])
    if old is not None and old["value"] == text:
        return key_id(raw)
    db.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [CENTRE_KEY, text],
    )
    append_event(
        db,
        actor=actor,
        now=now,
        action="update",
        table="centre_key",
        record_id=CENTRE_KEY,
        case_id=None,
        version_id=None,
        old=None if old is None else {"key_id": key_id(decode_centre_key(old["value"]))},
        new={"key_id": key_id(raw)},
    )
    return key_id(raw)
