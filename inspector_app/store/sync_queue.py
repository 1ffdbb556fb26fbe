"""The workspace's side of sync: the outbox read in order and drained after the server's
acknowledgement, the pages brought down with the pull cursor, and the sealed device token.

The device token is a secret (ARCHITECTURE.md, "Secrets"): it is kept only sealed with AES-GCM
under the enrolled reviewer's key-encryption key (`store.profile_keys`: the same key as their
signing identity), bound by the associated data to the server, the device and the reviewer.
Nothing here logs a token or puts it into an exception.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

if TYPE_CHECKING:
    from inspector_app.store.sync_apply import Applied

from inspector_app.store.errors import WorkspaceError, storage_errors
from inspector_app.store.profile_keys import (
    Profile,
    WrongPassphrase,
    load_profile,
    new_profile,
    profile_key,
    remembered_key,
    store_profile,
)
from inspector_app.store.secrets import (
    DerivedKey,
    KdfParams,
    KeyCache,
    PassphraseError,
    PassphraseSource,
    derive_key,
    seal,
    unseal,
)
from inspector_app.store.settings import device_id
from inspector_app.store.sql import fetch_all, fetch_one
from inspector_app.store.sync_state import LAST_SYNC_KEY, SERVER_KEY

TOKEN_KEY = "sync.token"
TOKEN_REVIEWER_KEY = "sync.token_reviewer"
"""The reviewer whose profile key seals the device token."""
KDF_KEY = "sync.token_kdf"
"""Only in a workspace enrolled before the token moved under the profile key: the salt and
cost of the token's own passphrase (removed once the token is sealed anew)."""
CURSOR_KEY = "sync.cursor"
CONFLICTS_CURSOR_KEY = "sync.conflicts_cursor"
REVIEWER_KEY = "sync.reviewer"

NOT_ENROLLED = "这个工作区还没有登记到中心：请先运行 inspector enroll。"
TOKEN_NOT_KEPT = "同步令牌未保存：登记码已用掉，请向中心索取新的登记码后重新登记。工作区未改动。"
TOKEN_UNREADABLE = (
    "同步令牌无法解开：工作区中保存的密文已被改动，或属于另一台设备、另一个中心或另一位审查员。"
    "未做任何更改；请重新登记（inspector enroll）。"
)
LEGACY_KEPT_NO_REVIEWER = (
    "同步令牌仍由登记时的口令保护：本机名册中还没有登记的审查员。同步之后再试，即可改用审查员口令。"
)
LEGACY_KEPT_SHORT = (
    "同步令牌仍由登记时的口令保护：该口令太短，不能用作审查员口令。请重新登记（inspector enroll）。"
)


class NotEnrolledError(PassphraseError):
    """The workspace has not been enrolled with an office."""


class EnrollmentError(WorkspaceError):
    """An enrollment that cannot be kept; the message says what to do (never the token)."""


class TokenUnreadable(WorkspaceError):
    """The sealed device token does not open with the right key: altered, or copied from
    another device, server or reviewer."""


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
    again), and the registry's (`held_registry`: the office keeps it, never sent)."""
    where, args = ["record_table <> ?"], [REGISTRY_TABLE]
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
    reviewer (they go up once the office assigns it again), or they change the registry
    (never sent: `held_registry`)."""
    registry = _count(
        db, f"SELECT count(*) AS n FROM outbox WHERE record_table = '{REGISTRY_TABLE}'"
    )
    if "case_withdrawal" not in db.table_names():
        return registry
    return registry + _count(
        db,
        "SELECT count(*) AS n FROM outbox WHERE case_id IN (SELECT case_id FROM case_withdrawal) "
        f"AND record_table <> '{REGISTRY_TABLE}'",
    )


REGISTRY_TABLE = "reviewer"
"""The reviewer registry's record table: the central office's alone (审查员名录由中心维护)."""

REGISTRY_HELD_REASON = "held: registry kept by the central office"
"""How a queued registry change reads in `inspector sync --json`."""


def held_registry(db: Database) -> list[dict[str, Any]]:
    """Return the queued changes of the reviewer registry, oldest first: reviewers added on
    this laptop before it was enrolled. The office keeps the registry (its server refuses
    any laptop's change of it), so they stay here, held and never sent, without holding back
    anything else; each with its reviewer's id and name and the reason."""
    rows = fetch_all(
        db,
        "SELECT o.mutation_id, o.record_id, r.name FROM outbox o "
        "LEFT JOIN reviewer r ON r.id = o.record_id WHERE o.record_table = ? ORDER BY o.seq",
        [REGISTRY_TABLE],
    )
    return [
        {
            "mutation_id": r["mutation_id"],
            "reviewer_id": r["record_id"],
            "name": r["name"],
            "reason": REGISTRY_HELD_REASON,
        }
        for r in rows
    ]


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


def _token_context(server_url: str, device: str, reviewer_id: str) -> bytes:
    return f"inspector/sync-token/v2|{server_url}|{device}|{reviewer_id}".encode()


def _legacy_token_context(server_url: str, device: str) -> bytes:
    """The associated data of a token sealed before it moved under the profile's key."""
    return f"inspector/sync-token/v1|{server_url}|{device}".encode()


def save_enrollment(
    db: Database,
    *,
    server_url: str,
    device: str,
    token: str,
    reviewer: dict[str, Any],
    key: DerivedKey,
    profile: Profile,
    registry_change: dict[str, Any] | None,
    now: datetime,
) -> None:
    """Keep an enrollment, in one transaction: the enrolled reviewer in the registry (the
    office's version, `registry_change`, when this laptop does not have them yet), their
    profile (`profile`, when new), the server's address, the device token sealed under the
    profile's key `key` (bound to the server, the device and the reviewer), and a cursor that
    starts again.

    Raises:
        EnrollmentError: the reviewer is not in the registry and the office sent no record of
            them, or that record cannot be kept; or `key` is not the profile's.
    """
    from inspector_app.store.reviewers import get_reviewer
    from inspector_app.store.sync_apply import NotApplicable, apply_change

    reviewer_id = str(reviewer["id"])
    with storage_errors(), db.atomic():
        if get_reviewer(db, reviewer_id) is None:
            if registry_change is None:
                raise EnrollmentError(missing_registry_record(str(reviewer.get("name", ""))))
            try:
                apply_change(db, registry_change, now)
            except NotApplicable as error:
                raise EnrollmentError(
                    f"中心发来的审查员名册记录无法保存（{error}）。{TOKEN_NOT_KEPT}"
                ) from None
        stored = load_profile(db, reviewer_id)
        if stored is None:
            store_profile(db, profile, now=now)
        elif not stored.opens(key):  # pragma: no cover - the caller derived it from `stored`
            raise EnrollmentError(f"审查员口令在登记期间被改动。{TOKEN_NOT_KEPT}")
        sealed = seal(key, token.encode(), context=_token_context(server_url, device, reviewer_id))
        _set_meta(db, SERVER_KEY, server_url)
        _set_meta(db, TOKEN_KEY, base64.b64encode(sealed).decode())
        _set_meta(db, TOKEN_REVIEWER_KEY, reviewer_id)
        db.execute("DELETE FROM meta WHERE key = ?", [KDF_KEY])
        _set_meta(db, REVIEWER_KEY, json.dumps(reviewer, ensure_ascii=False, sort_keys=True))
        _set_meta(db, CURSOR_KEY, "0")
        _set_meta(db, CONFLICTS_CURSOR_KEY, "0")


def missing_registry_record(name: str) -> str:
    """Return why an enrollment stops when the office sent no registry record of `name`."""
    return f"中心没有发来 {name} 的审查员名册记录，无法在本机建立审查员档案。{TOKEN_NOT_KEPT}"


def enrolled_server(db: Database) -> str | None:
    """Return the server this workspace enrolled with, or None."""
    return _meta(db, SERVER_KEY)


def token_reviewer(db: Database) -> str | None:
    """Return the id of the reviewer whose passphrase protects the device token, or None
    (not enrolled, or enrolled before the token moved under the reviewer's key)."""
    return _meta(db, TOKEN_REVIEWER_KEY) if _meta(db, KDF_KEY) is None else None


@dataclass(frozen=True)
class OpenedToken:
    """The device token once unsealed, with the sealed form it was opened from.

    It is kept in memory only (never written, logged or shown: its repr hides the token). It
    stands only while the workspace still holds that same sealed token for that server and
    device (`is_current`): after a new enrollment it is opened again. `note` says what became
    of a token sealed the old way (its own passphrase and salt), if it was one.
    """

    token: str = field(repr=False)
    server_url: str
    device: str
    sealed: str = field(repr=False)
    reviewer_id: str | None = None
    note: str | None = None

    def is_current(self, db: Database) -> bool:
        """Return whether the workspace still holds the sealed token this was opened from."""
        return (
            _meta(db, SERVER_KEY) == self.server_url
            and _meta(db, TOKEN_KEY) == self.sealed
            and device_id(db) == self.device
        )


def _reviewer_name(db: Database, reviewer_id: str) -> str:
    from inspector_app.store.reviewers import get_reviewer

    person = get_reviewer(db, reviewer_id)
    return person.name if person is not None else reviewer_id


def open_device_token(
    db: Database, *, ask: PassphraseSource, cache: KeyCache | None = None, now: datetime
) -> OpenedToken:
    """Return the device token, opened with the enrolled reviewer's key-encryption key: the
    one remembered in `cache` (the session's memory, the OS keyring) when it still opens the
    profile, else derived from `ask()` (called at most once) and then remembered there.

    A token sealed the old way (under a passphrase of its own) is opened with `ask()` and moved
    under the reviewer profile's key when it can be (`OpenedToken.note` says what was done).

    Raises:
        NotEnrolledError: the workspace is not enrolled.
        PassphraseError: a wrong passphrase (nothing is remembered or changed).
        TokenUnreadable: the sealed token does not open with the right key: altered, or copied
            from another device, server or reviewer.
    """
    with storage_errors():
        server_url, sealed_text = _meta(db, SERVER_KEY), _meta(db, TOKEN_KEY)
        device = device_id(db)
        legacy = _meta(db, KDF_KEY)
        reviewer_id = _meta(db, TOKEN_REVIEWER_KEY)
    if server_url is None or sealed_text is None:
        raise NotEnrolledError(NOT_ENROLLED)
    if legacy is not None:
        return _open_legacy(db, server_url, device, sealed_text, legacy, ask, cache, now)
    if reviewer_id is None:
        raise TokenUnreadable(TOKEN_UNREADABLE)
    name = _reviewer_name(db, reviewer_id)
    try:
        key = profile_key(db, reviewer_id, ask, cache, name=name)
    except WrongPassphrase:
        raise WrongPassphrase(
            f"口令不对：{name} 的审查员口令没有打开同步令牌。未做任何更改，请重试。"
        ) from None
    token = unseal(
        key,
        base64.b64decode(sealed_text),
        context=_token_context(server_url, device, reviewer_id),
    )
    if token is None:
        raise TokenUnreadable(TOKEN_UNREADABLE)
    return OpenedToken(token.decode(), server_url, device, sealed_text, reviewer_id)


def _open_legacy(
    db: Database,
    server_url: str,
    device: str,
    sealed_text: str,
    kdf_text: str,
    ask: PassphraseSource,
    cache: KeyCache | None,
    now: datetime,
) -> OpenedToken:
    """Open a token sealed under a passphrase of its own, then move it under the enrolled
    reviewer's profile key when that passphrase is the profile's (or the profile is new)."""
    kdf = json.loads(kdf_text)
    params = KdfParams(salt=base64.b64decode(kdf["salt"]), n=kdf["n"], r=kdf["r"], p=kdf["p"])
    passphrase = ask()
    opened = unseal(
        derive_key(passphrase, params),
        base64.b64decode(sealed_text),
        context=_legacy_token_context(server_url, device),
    )
    if opened is None:
        raise WrongPassphrase("口令不对：同步令牌没有打开。未做任何更改，请重试。")
    token = opened.decode()
    kept = OpenedToken(token, server_url, device, sealed_text)
    from inspector_app.store.reviewers import get_reviewer

    described = json.loads(_meta(db, REVIEWER_KEY) or "{}")
    reviewer_id = described.get("id") if isinstance(described, dict) else None
    person = get_reviewer(db, reviewer_id) if isinstance(reviewer_id, str) else None
    if reviewer_id is None or person is None:
        return replace(kept, note=LEGACY_KEPT_NO_REVIEWER)
    name = person.name
    profile = load_profile(db, reviewer_id)
    key: DerivedKey | None
    if profile is None:
        try:
            profile, key = new_profile(reviewer_id, passphrase, kdf_n=params.n)
        except PassphraseError:
            return replace(kept, note=LEGACY_KEPT_SHORT)
        fresh = True
    else:
        key = remembered_key(profile, cache)
        if key is None:
            key = derive_key(passphrase, profile.params)
            if not profile.opens(key):
                return replace(kept, note=legacy_kept_other_passphrase(name))
        fresh = False
    sealed = base64.b64encode(
        seal(key, opened, context=_token_context(server_url, device, reviewer_id))
    ).decode()
    with storage_errors(), db.atomic():
        if fresh:
            store_profile(db, profile, now=now)
        _set_meta(db, TOKEN_KEY, sealed)
        _set_meta(db, TOKEN_REVIEWER_KEY, reviewer_id)
        db.execute("DELETE FROM meta WHERE key = ?", [KDF_KEY])
    if cache is not None:
        cache.remember(profile.cache_entry, key)
    note = f"同步令牌已改由 {name} 的审查员口令保护（与签名身份共用），今后不再单独使用登记口令。"
    return OpenedToken(token, server_url, device, sealed, reviewer_id, note)


def legacy_kept_other_passphrase(name: str) -> str:
    """Return the note of a token left under its own passphrase: the profile's is another."""
    return (
        f"同步令牌仍由登记时的口令保护：它与 {name} 的审查员口令不同。"
        "要改用审查员口令，请用审查员口令重新登记（inspector enroll）。"
    )


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
