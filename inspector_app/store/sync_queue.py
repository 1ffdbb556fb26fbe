"""The workspace's side of sync: the outbox read in order and drained after the server's
acknowledgement, the pages brought down with the pull cursor, and the sealed device token.

The device token is a secret (ARCHITECTURE.md, "Secrets"): it is kept only sealed with AES-GCM
under a key derived by scrypt from a passphrase; the salt and cost are kept beside it. Nothing
here logs a token or puts it into an exception.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

if TYPE_CHECKING:
    from inspector_app.store.sync_apply import Applied

from inspector_app.store.errors import storage_errors
from inspector_app.store.secrets import (
    DEFAULT_SCRYPT_N,
    KdfParams,
    PassphraseError,
    check_passphrase_strength,
    derive_key,
    seal,
    unseal,
)
from inspector_app.store.settings import device_id
from inspector_app.store.sql import fetch_all, fetch_one
from inspector_app.store.sync_state import LAST_SYNC_KEY, SERVER_KEY

TOKEN_KEY = "sync.token"
KDF_KEY = "sync.token_kdf"
CURSOR_KEY = "sync.cursor"
CONFLICTS_CURSOR_KEY = "sync.conflicts_cursor"
REVIEWER_KEY = "sync.reviewer"


@dataclass(frozen=True)
class OutboxRow:
    """One queued mutation, as `records.enqueue` wrote it."""

    seq: int
    mutation_id: str
    record_table: str
    record_id: str
    case_id: str | None
    version_id: str | None
    base_version_id: str | None
    payload: dict[str, Any]
    created_at: str


def outbox_batch(
    db: Database,
    limit: int,
    *,
    held_cases: Collection[str] = (),
    held_mutations: Collection[str] = (),
) -> list[OutboxRow]:
    """Return the oldest `limit` outbox rows, in the order they were queued, leaving out the
    rows of `held_cases` and the mutations `held_mutations` (the server refused them), and
    those of the cases withdrawn from this reviewer (held until the office assigns them
    again)."""
    where, args = [], []
    if "case_withdrawal" in db.table_names():
        where.append("(case_id IS NULL OR case_id NOT IN (SELECT case_id FROM case_withdrawal))")
    if held_cases:
        marks = ", ".join("?" for _ in held_cases)
        where.append(f"(case_id IS NULL OR case_id NOT IN ({marks}))")
        args += list(held_cases)
    if held_mutations:
        where.append(f"mutation_id NOT IN ({', '.join('?' for _ in held_mutations)})")
        args += list(held_mutations)
    condition = f"WHERE {' AND '.join(where)}" if where else ""
    rows = fetch_all(db, f"SELECT * FROM outbox {condition} ORDER BY seq LIMIT ?", [*args, limit])
    return [OutboxRow(**{**r, "payload": json.loads(r["payload"])}) for r in rows]


def outbox_count(db: Database) -> int:
    """Return how many mutations wait for the central office (not those held back: the
    changes of a case withdrawn from this reviewer, `held_count`)."""
    return _count(db, "SELECT count(*) AS n FROM outbox") - held_count(db)


def held_count(db: Database) -> int:
    """Return how many queued mutations are held back: their case was withdrawn from this
    reviewer (they go up once the office assigns it again)."""
    if "case_withdrawal" not in db.table_names():
        return 0
    return _count(
        db,
        "SELECT count(*) AS n FROM outbox WHERE case_id IN (SELECT case_id FROM case_withdrawal)",
    )


def _count(db: Database, sql: str) -> int:
    row = fetch_one(db, sql, [])
    return int(row["n"]) if row else 0


def drain(db: Database, mutation_ids: Iterable[str]) -> None:
    """Delete the outbox rows the server acknowledged (one transaction)."""
    with storage_errors(), db.atomic():
        for mutation_id in mutation_ids:
            db.execute("DELETE FROM outbox WHERE mutation_id = ?", [mutation_id])


def _meta(db: Database, key: str) -> str | None:
    row = fetch_one(db, "SELECT value FROM meta WHERE key = ?", [key])
    return None if row is None else str(row["value"])


def _set_meta(db: Database, key: str, value: str) -> None:
    db.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, value],
    )


def cursor(db: Database) -> int:
    """Return the server's sequence number that the next pull starts after."""
    value = _meta(db, CURSOR_KEY)
    return int(value) if value else 0


def conflicts_cursor(db: Database) -> int:
    """Return the place in the office's conflicts' sequence this workspace has seen up to."""
    value = _meta(db, CONFLICTS_CURSOR_KEY)
    return int(value) if value else 0


def store_conflicts_page(db: Database, reported: Sequence[dict[str, Any]], new_cursor: int) -> int:
    """Keep the conflicts the office reported and the new conflicts cursor, in one
    transaction (all or nothing); return how many conflicts are new here."""
    from inspector_app.store.conflicts import store_server_conflicts

    with storage_errors(), db.atomic():
        new = store_server_conflicts(db, reported)
        _set_meta(db, CONFLICTS_CURSOR_KEY, str(new_cursor))
    return new


def store_page(
    db: Database,
    changes: Sequence[dict[str, Any]],
    new_cursor: int,
    now: datetime,
    *,
    last_page: bool = True,
) -> Applied:
    """Store a pulled page, apply the inbox to the workspace (`sync_apply`) and store the new
    cursor, in one transaction (all or nothing); return what was applied."""
    from inspector_app.store.sync_apply import apply_inbox

    with storage_errors(), db.atomic():
        for c in changes:
            db.execute(
                "INSERT OR IGNORE INTO sync_inbox (server_seq, record_table, record_id, case_id, "
                "version_id, base_version_id, device_id, payload, received_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    c["seq"],
                    c["record_table"],
                    c["record_id"],
                    c["case_id"],
                    c["version_id"],
                    c["base_version_id"],
                    c["device_id"],
                    json.dumps(c["payload"], ensure_ascii=False, sort_keys=True),
                    now.isoformat(),
                ],
            )
        applied = apply_inbox(db, now, last_page=last_page)
        _set_meta(db, CURSOR_KEY, str(new_cursor))
        _set_meta(db, LAST_SYNC_KEY, now.isoformat())
    return applied


def inbox_count(db: Database) -> int:
    """Return how many changes sync has brought down."""
    row = fetch_one(db, "SELECT count(*) AS n FROM sync_inbox", [])
    return int(row["n"]) if row else 0


def _token_context(server_url: str, device: str) -> bytes:
    return f"inspector/sync-token/v1|{server_url}|{device}".encode()


def save_enrollment(
    db: Database,
    *,
    server_url: str,
    device: str,
    token: str,
    reviewer: dict[str, Any],
    passphrase: str,
    kdf_n: int = DEFAULT_SCRYPT_N,
) -> None:
    """Keep the server's address, the enrolled reviewer and the device token sealed under a
    key derived from `passphrase` (a new salt each enrollment); the cursor starts again.

    Raises:
        PassphraseError: the passphrase is too short.
    """
    check_passphrase_strength(passphrase)
    params = KdfParams.fresh(n=kdf_n)
    sealed = seal(
        derive_key(passphrase, params),
        token.encode(),
        context=_token_context(server_url, device),
    )
    kdf = {
        "salt": base64.b64encode(params.salt).decode(),
        "n": params.n,
        "r": params.r,
        "p": params.p,
    }
    with storage_errors(), db.atomic():
        _set_meta(db, SERVER_KEY, server_url)
        _set_meta(db, KDF_KEY, json.dumps(kdf))
        _set_meta(db, TOKEN_KEY, base64.b64encode(sealed).decode())
        _set_meta(db, REVIEWER_KEY, json.dumps(reviewer, ensure_ascii=False, sort_keys=True))
        _set_meta(db, CURSOR_KEY, "0")
        _set_meta(db, CONFLICTS_CURSOR_KEY, "0")


def enrolled_server(db: Database) -> str | None:
    """Return the server this workspace enrolled with, or None."""
    return _meta(db, SERVER_KEY)


@dataclass(frozen=True)
class OpenedToken:
    """The device token once unsealed, with the sealed form it was opened from.

    It is kept in memory only, for one session of the app (never written, logged or shown: its
    repr hides the token), so that the slow scrypt runs once per session rather than at every
    sync. It stands only while the workspace still holds that same sealed token for that server
    and device (`is_current`): after a new enrollment the passphrase is needed again.
    """

    token: str = field(repr=False)
    server_url: str
    device: str
    sealed: str = field(repr=False)

    def is_current(self, db: Database) -> bool:
        """Return whether the workspace still holds the sealed token this was opened from."""
        return (
            _meta(db, SERVER_KEY) == self.server_url
            and _meta(db, TOKEN_KEY) == self.sealed
            and device_id(db) == self.device
        )


def unseal_token(db: Database, *, device: str, passphrase: str) -> OpenedToken:
    """Return the device token unsealed with `passphrase` (scrypt at the stored cost), with
    what it was sealed as.

    Raises:
        PassphraseError: not enrolled, or a wrong passphrase.
    """
    server_url, kdf_text, sealed_text = (
        _meta(db, SERVER_KEY),
        _meta(db, KDF_KEY),
        _meta(db, TOKEN_KEY),
    )
    if server_url is None or kdf_text is None or sealed_text is None:
        raise PassphraseError("这个工作区还没有登记到中心：请先运行 inspector enroll。")
    kdf = json.loads(kdf_text)
    params = KdfParams(salt=base64.b64decode(kdf["salt"]), n=kdf["n"], r=kdf["r"], p=kdf["p"])
    token = unseal(
        derive_key(passphrase, params),
        base64.b64decode(sealed_text),
        context=_token_context(server_url, device),
    )
    if token is None:
        raise PassphraseError("口令不对：同步令牌没有打开。未做任何更改，请重试。")
    return OpenedToken(token.decode(), server_url, device, sealed_text)


def open_token(db: Database, *, device: str, passphrase: str) -> str:
    """Return the device token, unsealed with `passphrase`.

    Raises:
        PassphraseError: not enrolled, or a wrong passphrase.
    """
    return unseal_token(db, device=device, passphrase=passphrase).token


def attachments_sent(db: Database, wanted: Iterable[tuple[str, str | None]]) -> set[str]:
    """Return the `sha256|case_id` keys among `wanted` that the server already holds."""
    sent: set[str] = set()
    for sha256, case_id in wanted:
        row = fetch_one(
            db,
            "SELECT 1 AS found FROM sync_attachment_sent WHERE sha256 = ? AND case_id = ?",
            [sha256, case_id or ""],
        )
        if row is not None:
            sent.add(f"{sha256}|{case_id or ''}")
    return sent


def mark_attachment_sent(db: Database, sha256: str, case_id: str | None, now: datetime) -> None:
    """Remember that the server holds `sha256` (for `case_id`)."""
    with storage_errors(), db.atomic():
        db.execute(
            "INSERT OR IGNORE INTO sync_attachment_sent (sha256, case_id, sent_at) "
            "VALUES (?, ?, ?)",
            [sha256, case_id or "", now.isoformat()],
        )
