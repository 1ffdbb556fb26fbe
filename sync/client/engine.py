"""Enrollment and one sync run: push the outbox in order (each batch's attachments uploaded
first, see `sync.client.attachments`), then pull pages after the cursor (each applied to the
workspace with the cursor in one transaction), then keep the conflicts the server reports for
this reviewer's cases.

The outbox row of a mutation is deleted only after the server acknowledged it (applied, already
there, or kept as a conflict); each pulled page and the new cursor are stored in one local
transaction. A refusal by the server (protocol version, authentication) leaves the outbox as
it was; a case the server refuses (not assigned to this reviewer) is held back, its changes
kept queued in order, and the rest is pushed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

import httpx
from pydantic import ValidationError
from sqlite_utils import Database

from inspector_app.store import sync_queue
from inspector_app.store.conflicts import store_server_conflicts
from inspector_app.store.errors import WorkspaceError
from inspector_app.store.secrets import (
    DEFAULT_SCRYPT_N,
    PassphraseError,
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


def enroll(
    db: Database,
    http: httpx.Client,
    *,
    server_url: str,
    code: str,
    passphrase: str,
    protocol_version: int = PROTOCOL_VERSION,
    kdf_n: int = DEFAULT_SCRYPT_N,
) -> EnrollResponse:
    """Trade `code` for this device's token and keep it sealed under `passphrase`."""
    check_passphrase_strength(passphrase)
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
    sync_queue.save_enrollment(
        db,
        server_url=server_url,
        device=device,
        token=made.token,
        reviewer=made.reviewer.model_dump(),
        passphrase=passphrase,
        kdf_n=kdf_n,
    )
    return made


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
    db: Database, passphrase: str | None, token: sync_queue.OpenedToken | None
) -> str:
    """Return the device token: the one opened in this session while the workspace still holds
    it, else unsealed with the passphrase."""
    if token is not None:
        if token.is_current(db):
            return token.token
        if passphrase is None:
            raise PassphraseError(
                "这个工作区已重新登记，此前打开的同步令牌不再有效：请重新输入口令。未做任何更改。"
            )
    if passphrase is None:
        raise TypeError("run_sync needs the passphrase or an opened token")
    return sync_queue.open_token(db, device=device_id(db), passphrase=passphrase)


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
    now: datetime,
    protocol_version: int = PROTOCOL_VERSION,
    page_size: int = DEFAULT_PAGE,
) -> SyncReport:
    """Push the whole outbox in order, then pull every page after the cursor.

    The device token is unsealed with `passphrase` (scrypt: what `inspector sync` does, one
    process per run), or is `token`, already opened in this session (the app's sync panel).

    Raises:
        PassphraseError: a wrong passphrase, or an opened token the workspace no longer holds
            (enrolled again since): nothing was sent.
    """
    headers = _headers(protocol_version, _device_token(db, passphrase, token))
    report = SyncReport()
    uploads = UploadCounts()
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
        if not page.more:
            break
    response = _send(http, "GET", "/v1/conflicts", headers=headers)
    reported = _parse(ConflictsResponse, response).conflicts
    report.server_conflicts = store_server_conflicts(db, [c.model_dump() for c in reported])
    _download(db, http, headers, now, report)
    report.cursor = sync_queue.cursor(db)
    report.pending = sync_queue.outbox_count(db)
    return report
