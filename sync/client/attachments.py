"""Uploading attachments before the mutations that use them: by content hash, resumably.

For each outbox batch the client finds the attachments it names (an `attachment` record, or a
SHA-256 of a known attachment anywhere in a record's payload, with that record's case), skips
those the server is known to hold (`sync_attachment_sent`), and uploads the rest: it asks the
server how many bytes it holds and sends only the rest, streamed from the file; after a broken
connection it asks again and goes on from there.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from pydantic import ValidationError
from sqlite_utils import Database

from inspector_app.store import sync_queue
from inspector_app.store.attachments import known_hashes
from inspector_app.store.sync_queue import OutboxRow
from inspector_app.store.workspace import ATTACHMENTS_DIR
from sync.protocol import ATTACHMENT_PATH, AttachmentStatus

SHA256 = re.compile(r"^[0-9a-f]{64}$")
BLOCK = 1024 * 1024
MAX_STALLS = 5
"""Consecutive failed attempts without a byte of progress before the upload gives up."""


class UploadFailed(Exception):
    """An attachment could not be uploaded; the message says why (in Chinese)."""


@dataclass
class UploadCounts:
    """What the uploads of one sync did."""

    files: int = 0
    bytes: int = 0
    resumed: int = 0


def _hashes_in(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        if SHA256.match(value):
            yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _hashes_in(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _hashes_in(item)


def needed(db: Database, batch: Sequence[OutboxRow]) -> list[tuple[str, str | None]]:
    """Return the (sha256, case_id) pairs the batch names that the server is not known to
    hold, in the order of first use."""
    pairs: list[tuple[str, str | None]] = []
    for row in batch:
        if row.record_table == "attachment":
            pairs.append((row.record_id, None))
        else:
            pairs.extend((h, row.case_id) for h in _hashes_in(row.payload))
    known = known_hashes(db, {h for h, _ in pairs})
    pairs = [p for p in dict.fromkeys(pairs) if p[0] in known]
    sent = sync_queue.attachments_sent(db, pairs)
    return [(h, c) for h, c in pairs if f"{h}|{c or ''}" not in sent]


def attachments_folder(db: Database) -> Path:
    """Return the workspace's attachment folder (beside its database file)."""
    name = db.execute("PRAGMA database_list").fetchall()[0][2]
    return Path(name).parent / ATTACHMENTS_DIR


def _status(http: httpx.Client, headers: dict[str, str], sha256: str) -> AttachmentStatus:
    response = http.get(ATTACHMENT_PATH + sha256, headers=headers)
    if response.status_code != 200:
        raise httpx.HTTPStatusError("status", request=response.request, response=response)
    try:
        return AttachmentStatus.model_validate_json(response.content)
    except ValidationError:
        raise UploadFailed("中心服务器的回复无法识别。") from None


def _blocks(path: Path, offset: int) -> Iterator[bytes]:
    with open(path, "rb") as f:
        f.seek(offset)
        while block := f.read(BLOCK):
            yield block


def upload(
    http: httpx.Client,
    headers: dict[str, str],
    path: Path,
    sha256: str,
    case_id: str | None,
    counts: UploadCounts,
) -> None:
    """Upload the file `path` named `sha256` until the server holds it whole.

    Raises:
        UploadFailed: the file is missing, the server refused it, or no progress was made
            MAX_STALLS times in a row.
        httpx.HTTPStatusError: a refusal the caller reports (401, 426, 5xx).
    """
    if not path.is_file():
        raise UploadFailed(f"附件文件 {sha256[:12]}… 不在工作区中，无法上传。")
    size = path.stat().st_size
    stalls = 0
    mismatches = 0
    last = -1
    while True:
        try:
            status = _status(http, headers, sha256)
            if status.complete and not case_id:
                return
            if status.received > last >= 0:
                stalls = 0
            if 0 < status.received < size and last < 0:
                counts.resumed += 1
            last = status.received
            offset = size if status.complete else status.received
            params: dict[str, str | int] = {"offset": offset, "size": size}
            if case_id:
                params["case_id"] = case_id
            response = http.put(
                ATTACHMENT_PATH + sha256,
                params=params,
                content=b"" if offset >= size else _blocks(path, offset),
                headers={**headers, "Content-Type": "application/octet-stream"},
            )
        except httpx.TransportError:
            stalls += 1
            if stalls >= MAX_STALLS and last < 0:
                raise  # never reached the server: the caller says so
            if stalls >= MAX_STALLS:
                raise UploadFailed(
                    f"附件 {sha256[:12]}… 上传多次中断，已收到的部分保留在服务器上，"
                    "下次同步从断点继续。"
                ) from None
            continue
        if response.status_code == 200:
            done = AttachmentStatus.model_validate_json(response.content)
            if done.complete:
                if not status.complete:  # else only tied to another case
                    counts.files += 1
                    counts.bytes += size - offset
                return
            continue
        if response.status_code == 409:  # offset moved, or another upload of it runs
            stalls += 1
            if stalls >= MAX_STALLS:
                raise UploadFailed(f"附件 {sha256[:12]}… 正在被另一次同步上传，请稍后再试。")
            time.sleep(0.2 * stalls)
            continue
        if response.status_code == 422 and mismatches == 0:
            mismatches += 1  # a corrupt partial file on the server was discarded: once more
            continue
        raise httpx.HTTPStatusError("upload", request=response.request, response=response)


def upload_batch(
    db: Database,
    http: httpx.Client,
    headers: dict[str, str],
    batch: Sequence[OutboxRow],
    now: datetime,
    counts: UploadCounts,
) -> None:
    """Upload every attachment the batch needs, remembering each the server then holds."""
    folder = attachments_folder(db)
    for sha256, case_id in needed(db, batch):
        upload(http, headers, folder / sha256[:2] / sha256, sha256, case_id, counts)
        sync_queue.mark_attachment_sent(db, sha256, case_id, now)
