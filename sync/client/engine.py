"""Enrollment and one sync run: push the outbox in order (each batch's attachments uploaded
first, see `sync.client.attachments`), then pull pages after the cursor (each applied to the
workspace with the cursor in one transaction), then keep the conflicts the server reports for
this reviewer's cases that moved after the workspace's conflicts cursor (kept with the new
conflicts cursor in one transaction).

The outbox row of a mutation is deleted only after the server acknowledged it (applied, already
there, or kept as a conflict); each pulled page and the new cursor are stored in one local
transaction. A refusal by the server (protocol version, authentication) leaves the outbox as
it was; a case the server refuses (not assigned to this reviewer) is held back, its changes
kept queued in order, and the rest is pushed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

import httpx
from pydantic import ValidationError
from sqlite_utils import Database

from inspector_app.store import sync_queue, withdrawals
from inspector_app.store.errors import WorkspaceError
from inspector_app.store.profile_keys import (
    Profile,
    WrongPassphrase,
    load_profile,
    new_profile,
    profile_key,
)
from inspector_app.store.reviewers import get_reviewer
from inspector_app.store.secrets import (
    DEFAULT_SCRYPT_N,
    DerivedKey,
    KeyCache,
    PassphraseError,
    PassphraseSource,
    check_passphrase_strength,
)
from inspector_app.store.settings import device_id
from sync.client.attachments import UploadCounts, UploadFailed, upload_batch
from sync.client.downloads import DownloadCounts, DownloadFailed, download_missing
from sync.protocol import (
    DEFAULT_PAGE,
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    ConflictsResponse,
    EnrollRequest,
    EnrollResponse,
    Mutation,
    PullResponse,
    PushRequest,
    PushResponse,
    Refusal,
    Reviewer,
)

PUSH_BATCH = 100
T = TypeVar("T", EnrollResponse, PushResponse, PullResponse, ConflictsResponse)


class SyncError(WorkspaceError):
    """Sync could not finish; the message says what was kept (never a token)."""


class SyncRefused(SyncError):
    """The server refused this client (protocol version, authentication): nothing was sent."""


@dataclass
class SyncReport:
    """What one sync run did."""

    pushed: int = 0
    applied: int = 0
    duplicates: int = 0
    conflicts: list[dict[str, str]] = field(default_factory=list)
    pulled: int = 0
    cursor: int = 0
    pending: int = 0
    attachments: int = 0
    attachment_bytes: int = 0
    attachments_resumed: int = 0
    applied_down: int = 0
    echoes: int = 0
    conflicts_down: int = 0
    waiting: list[str] = field(default_factory=list)
    server_conflicts: int = 0
    held: list[str] = field(default_factory=list)
    conflicts_cursor: int = 0
    withdrawn: list[dict[str, Any]] = field(default_factory=list)
    """The cases withdrawn from this reviewer, each with its queued changes held back."""
    newly_withdrawn: list[str] = field(default_factory=list)
    reassigned: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    registry_held: list[dict[str, Any]] = field(default_factory=list)
    """Queued changes of the reviewer registry (made before enrollment): held, never sent."""
    attachments_down: int = 0
    attachment_bytes_down: int = 0
    attachments_down_resumed: int = 0
    attachments_not_yet: int = 0
    attachments_refused: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """Return the report as plain JSON values."""
        return {
            "pushed": self.pushed,
            "applied": self.applied,
            "duplicates": self.duplicates,
            "conflicts": self.conflicts,
            "pulled": self.pulled,
            "cursor": self.cursor,
            "pending": self.pending,
            "attachments": self.attachments,
            "attachment_bytes": self.attachment_bytes,
            "attachments_resumed": self.attachments_resumed,
            "applied_down": self.applied_down,
            "echoes": self.echoes,
            "conflicts_down": self.conflicts_down,
            "waiting": self.waiting,
            "server_conflicts": self.server_conflicts,
            "held": self.held,
            "conflicts_cursor": self.conflicts_cursor,
            "withdrawn": self.withdrawn,
            "newly_withdrawn": self.newly_withdrawn,
            "reassigned": self.reassigned,
            "held_back": sum(int(w["held"]) for w in self.withdrawn),
            "notes": self.notes,
            "registry_held": self.registry_held,
            "attachments_down": self.attachments_down,
            "attachment_bytes_down": self.attachment_bytes_down,
            "attachments_down_resumed": self.attachments_down_resumed,
            "attachments_not_yet": self.attachments_not_yet,
            "attachments_refused": self.attachments_refused,
        }


def _headers(version: int, token: str | None = None) -> dict[str, str]:
    headers = {PROTOCOL_HEADER: str(version)}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return headers


def _detail(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    if isinstance(body, dict) and isinstance(body.get("detail"), str):
        return str(body["detail"])
    return str(body)[:200]


def _unreachable(error: Exception) -> SyncError:
    return SyncError(
        f"无法连接中心服务器（{type(error).__name__}）。本地数据未丢失，待上传的更改仍在队列中，"
        "稍后再同步即可。"
    )


def _send(
    http: httpx.Client, method: str, url: str, *, allow: tuple[int, ...] = (), **kwargs: Any
) -> httpx.Response:
    try:
        response = http.request(method, url, **kwargs)
    except httpx.HTTPError as error:
        raise _unreachable(error) from None
    return _checked(response, allow)


def _checked(response: httpx.Response, allow: tuple[int, ...] = ()) -> httpx.Response:
    if response.status_code in (401, 426):
        raise SyncRefused(f"中心服务器拒绝了请求：{_detail(response)}。待上传的更改仍在队列中。")
    if response.status_code >= 400 and response.status_code not in allow:
        raise SyncError(
            f"中心服务器返回错误 {response.status_code}：{_detail(response)}。"
            "待上传的更改仍在队列中。"
        )
    return response


EnrollAsk = Callable[[Reviewer, bool], str]
"""Asks the enrolled reviewer's passphrase: `ask(reviewer, new)`, `new` when this laptop has no
passphrase for them yet (a new one is set, asked twice at a terminal)."""


def enroll(
    db: Database,
    http: httpx.Client,
    *,
    server_url: str,
    code: str,
    passphrase: str | None = None,
    ask: EnrollAsk | None = None,
    cache: KeyCache | None = None,
    attempts: int = 1,
    refused: Callable[[str], None] | None = None,
    now: datetime | None = None,
    protocol_version: int = PROTOCOL_VERSION,
    kdf_n: int = DEFAULT_SCRYPT_N,
) -> EnrollResponse:
    """Trade `code` for this device's token and keep it sealed under the enrolled reviewer's
    key-encryption key (the key of their signing identity).

    The reviewer comes from the office's registry and is kept in this laptop's registry. If
    they already have a passphrase here, that passphrase is needed (a key remembered in `cache`
    is used without asking); otherwise the passphrase given sets up their profile. The key is
    remembered in `cache` afterwards.

    Args:
        db: the workspace database.
        http: a client of the office.
        server_url: the office's URL, kept in the workspace.
        code: the one-time enrollment code.
        passphrase: the passphrase (scripts and tests), checked before the code is used.
        ask: asks the passphrase once the reviewer is known (instead of `passphrase`).
        cache: the session's keys, or None.
        attempts: how often the passphrase may be asked (a person at a prompt: 3).
        refused: told why a passphrase was refused, before it is asked again.
        now: when (default: now).
        protocol_version: the protocol spoken (tests speak others).
        kdf_n: the scrypt cost of a new profile (tests use a cheap one).

    Raises:
        PassphraseError: the passphrase is too short or not the reviewer's (after `attempts`:
            the code is used up, nothing is kept; a new code is needed).
        SyncError: the office refused or could not be reached; nothing was kept.
    """
    if passphrase is not None:
        check_passphrase_strength(passphrase)  # before the one-time code is used up
        given = passphrase
        ask = lambda _who, _new: given  # noqa: E731
    if ask is None:
        raise TypeError("enroll needs the passphrase or a way to ask it")
    device = device_id(db)
    request = EnrollRequest(code=code, device_id=device, device_name="inspector")
    response = _send(
        http,
        "POST",
        "/v1/enroll",
        json=request.model_dump(),
        headers=_headers(protocol_version),
    )
    made = _parse(EnrollResponse, response)
    person = made.reviewer
    change = made.registry_change.model_dump() if made.registry_change is not None else None
    if change is None and get_reviewer(db, person.id) is None:
        raise sync_queue.EnrollmentError(sync_queue.missing_registry_record(person.name))
    key, profile = _enrollment_key(db, person, ask, cache, attempts, refused, kdf_n)
    sync_queue.save_enrollment(
        db,
        server_url=server_url,
        device=device,
        token=made.token,
        reviewer=person.model_dump(),
        key=key,
        profile=profile,
        registry_change=change,
        now=now or datetime.now(UTC),
    )
    if cache is not None:
        cache.remember(profile.cache_entry, key)
    return made


def _enrollment_key(
    db: Database,
    person: Reviewer,
    ask: EnrollAsk,
    cache: KeyCache | None,
    attempts: int,
    refused: Callable[[str], None] | None,
    kdf_n: int,
) -> tuple[DerivedKey, Profile]:
    """Return the enrolled reviewer's key and profile: their profile here (the key remembered,
    or their passphrase asked), or a new one from a new passphrase (nothing written yet)."""
    existing = load_profile(db, person.id)
    tries = max(1, attempts)
    for attempt in range(1, tries + 1):
        try:
            if existing is not None:
                key = profile_key(
                    db, person.id, lambda: ask(person, False), cache, name=person.name
                )
                return key, existing
            profile, key = new_profile(person.id, ask(person, True), kdf_n=kdf_n)
            return key, profile
        except PassphraseError as error:
            if attempt == tries:
                reason = (
                    f"{person.name} 的口令不正确，已拒绝。"
                    if isinstance(error, WrongPassphrase)
                    else "口令太短，不能用作审查员口令。"
                )
                raise PassphraseError(f"{reason}{sync_queue.TOKEN_NOT_KEPT}") from None
            if refused is not None:
                refused(str(error))
    raise AssertionError("unreachable")  # pragma: no cover


def _parse(model: type[T], response: httpx.Response) -> T:
    try:
        return model.model_validate_json(response.content)
    except ValidationError:
        raise SyncError("中心服务器的回复无法识别；待上传的更改仍在队列中。") from None


def _hold(
    response: httpx.Response,
    batch: list[sync_queue.OutboxRow],
    held_cases: set[str],
    held_mutations: set[str],
    report: SyncReport,
) -> None:
    """Hold back what the server refused (a case not assigned to this reviewer): that case's
    rows stay queued, in order, and the rest is pushed."""
    try:
        refusal = Refusal.model_validate_json(response.content)
    except ValidationError:
        refusal = None
    refused = next(
        (r for r in batch if refusal is not None and r.mutation_id == refusal.mutation_id), None
    )
    if refusal is None or refused is None:
        raise SyncError(f"中心服务器拒绝了上传：{_detail(response)}。待上传的更改仍在队列中。")
    if refused.case_id:
        held_cases.add(refused.case_id)
    else:
        held_mutations.add(refused.mutation_id)
    report.held.append(refusal.detail)


def _device_token(
    db: Database,
    *,
    passphrase: str | None,
    token: sync_queue.OpenedToken | None,
    ask: PassphraseSource | None,
    cache: KeyCache | None,
    now: datetime,
) -> sync_queue.OpenedToken:
    """Return the device token: `token` while the workspace still holds it, else opened with
    the enrolled reviewer's key (remembered in `cache`, or from `ask` / `passphrase`)."""
    if token is not None:
        if token.is_current(db):
            return token
        if passphrase is None and ask is None:
            raise PassphraseError(
                "这个工作区已重新登记，此前打开的同步令牌不再有效：请重新输入口令。未做任何更改。"
            )
    if ask is None:
        if passphrase is None:
            raise TypeError("run_sync needs the passphrase, a way to ask it or an opened token")
        given = passphrase
        ask = lambda: given  # noqa: E731
    return sync_queue.open_device_token(db, ask=ask, cache=cache, now=now)


def _download(
    db: Database, http: httpx.Client, headers: dict[str, str], now: datetime, report: SyncReport
) -> None:
    """Fetch the attachments the records name that the workspace does not hold (after the
    pull, so that those of the records that just came down are among them)."""
    downloads = DownloadCounts()
    try:
        download_missing(db, http, headers, now, downloads)
    except DownloadFailed as error:
        raise SyncError(f"{error} 更改已同步完毕。") from None
    except httpx.HTTPStatusError as error:
        _checked(error.response)
        raise
    except httpx.HTTPError as error:
        raise _unreachable(error) from None
    finally:
        report.attachments_down = downloads.files
        report.attachment_bytes_down = downloads.bytes
        report.attachments_down_resumed = downloads.resumed
        report.attachments_not_yet = downloads.not_yet
        report.attachments_refused = downloads.refused


def run_sync(
    db: Database,
    http: httpx.Client,
    *,
    passphrase: str | None = None,
    token: sync_queue.OpenedToken | None = None,
    ask: PassphraseSource | None = None,
    cache: KeyCache | None = None,
    now: datetime,
    protocol_version: int = PROTOCOL_VERSION,
    page_size: int = DEFAULT_PAGE,
) -> SyncReport:
    """Push the whole outbox in order, then pull every page after the cursor, then (only
    when the office's conflicts moved past this workspace's conflicts cursor) the conflicts.

    The outbox rows of a case withdrawn from this reviewer are held back, not sent; a pull
    that gives such a case back pushes them at once.

    The device token is opened with the enrolled reviewer's key-encryption key: remembered in
    `cache` (the session's memory, the OS keyring), else derived from `ask()` or `passphrase`
    (asked only then); or it is `token`, already opened.

    Raises:
        PassphraseError: a wrong passphrase, or an opened token the workspace no longer holds
            (enrolled again since): nothing was sent.
    """
    opened = _device_token(db, passphrase=passphrase, token=token, ask=ask, cache=cache, now=now)
    headers = _headers(protocol_version, opened.token)
    report = SyncReport()
    if opened.note:
        report.notes.append(opened.note)
    uploads = UploadCounts()
    _push(db, http, headers, now, report, uploads)
    conflicts_at = 0
    while True:
        response = _send(
            http,
            "GET",
            "/v1/changes",
            params={"after": sync_queue.cursor(db), "limit": page_size},
            headers=headers,
        )
        page = _parse(PullResponse, response)
        applied = sync_queue.store_page(
            db, [c.model_dump() for c in page.changes], page.cursor, now, last_page=not page.more
        )
        report.pulled += len(page.changes)
        report.applied_down += applied.applied
        report.echoes += applied.echoes
        report.conflicts_down += applied.conflicts
        report.waiting = applied.waiting
        report.newly_withdrawn += applied.withdrawn
        report.reassigned += applied.lifted
        if not page.more:
            conflicts_at = page.conflicts_cursor
            break
    if report.reassigned:
        # A case given back: its held changes go up now (conflicts by base version as usual).
        _push(db, http, headers, now, report, uploads)
    # Only what moved in the office's conflicts since this workspace's conflicts cursor; a
    # sync with nothing to do asks nothing about conflicts.
    if conflicts_at > sync_queue.conflicts_cursor(db):
        response = _send(
            http,
            "GET",
            "/v1/conflicts",
            params={"after": sync_queue.conflicts_cursor(db)},
            headers=headers,
        )
        reported = _parse(ConflictsResponse, response)
        report.server_conflicts = sync_queue.store_conflicts_page(
            db, [c.model_dump() for c in reported.conflicts], reported.cursor
        )
    _download(db, http, headers, now, report)
    report.conflicts_cursor = sync_queue.conflicts_cursor(db)
    report.cursor = sync_queue.cursor(db)
    report.pending = sync_queue.outbox_count(db)
    report.withdrawn = [h.as_json() for h in withdrawals.held_cases(db)]
    report.registry_held = sync_queue.held_registry(db)
    return report


def _push(
    db: Database,
    http: httpx.Client,
    headers: dict[str, str],
    now: datetime,
    report: SyncReport,
    uploads: UploadCounts,
) -> None:
    """Push the outbox in order, in batches (each batch's attachments first), leaving out
    what the server refuses (that case held back for this run) and the cases withdrawn from
    this reviewer."""
    held_cases: set[str] = set()
    held_mutations: set[str] = set()
    while batch := sync_queue.outbox_batch(
        db, PUSH_BATCH, held_cases=held_cases, held_mutations=held_mutations
    ):
        try:
            upload_batch(db, http, headers, batch, now, uploads)
        except UploadFailed as error:
            raise SyncError(f"{error} 待上传的更改仍在队列中。") from None
        except httpx.HTTPStatusError as error:
            _checked(error.response)
            raise
        except httpx.HTTPError as error:
            raise _unreachable(error) from None
        report.attachments = uploads.files
        report.attachment_bytes = uploads.bytes
        report.attachments_resumed = uploads.resumed
        request = PushRequest(
            mutations=[
                Mutation(
                    mutation_id=row.mutation_id,
                    record_table=row.record_table,
                    record_id=row.record_id,
                    case_id=row.case_id,
                    version_id=row.version_id,
                    base_version_id=row.base_version_id,
                    payload=row.payload,
                    created_at=row.created_at,
                )
                for row in batch
            ]
        )
        response = _send(
            http,
            "POST",
            "/v1/push",
            content=request.model_dump_json(),
            headers={**headers, "Content-Type": "application/json"},
            allow=(403,),
        )
        if response.status_code == 403:
            _hold(response, batch, held_cases, held_mutations, report)
            continue
        results = _parse(PushResponse, response).results
        sent = [row.mutation_id for row in batch]
        if [r.mutation_id for r in results] != sent:
            raise SyncError("中心服务器的回复与上传的更改不符；待上传的更改仍在队列中。")
        sync_queue.drain(db, sent)
        report.pushed += len(results)
        for r in results:
            if r.status == "applied":
                report.applied += 1
            elif r.status == "duplicate":
                report.duplicates += 1
            else:
                report.conflicts.append({"mutation_id": r.mutation_id, "detail": r.detail})
