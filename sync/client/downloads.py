"""Fetching the attachments the workspace's records name but it does not hold: by content
hash, resumably, checked before they are kept.

After the pull, each hash a record names (a photo another laptop of the team took, a signed
PDF) whose file is not here is asked of the office (`GET /v1/attachments/{sha256}/content`).
The body is streamed to `sync-incoming/<sha256>.part` block by block (never held in memory),
hashed as it arrives; after a broken connection the download asks `Range: bytes=N-` for the
rest, N being what the partial file holds, within this sync or the next. When the whole file
is there its SHA-256 must be its name: then it is moved into the workspace's attachments and
recorded; otherwise it is deleted, nothing is kept, and it is reported and fetched again at
the next sync. An attachment the office does not have yet (the laptop that took it has not
uploaded it), or may not send (404), is not an error: it is asked again at the next sync.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote

import httpx
from sqlite_utils import Database

from inspector_app.store.attachment_fetch import (
    incoming_path,
    keep_downloaded,
    missing_attachments,
)
from sync.protocol import ATTACHMENT_PATH, MAX_ATTACHMENT_BYTES

BLOCK = 1024 * 1024
MAX_STALLS = 5
"""Consecutive broken attempts without a byte of progress before the download gives up."""


class DownloadFailed(Exception):
    """The office could not be reached again during a download; what arrived is kept."""


@dataclass
class DownloadCounts:
    """What the downloads of one sync did."""

    files: int = 0
    bytes: int = 0
    resumed: int = 0
    not_yet: int = 0
    refused: list[str] = field(default_factory=list)


def content_path(sha256: str) -> str:
    """Return the path of an attachment's content on the office's server."""
    return f"{ATTACHMENT_PATH}{sha256}/content"


def _name_of(response: httpx.Response, sha256: str) -> str:
    disposition = response.headers.get("content-disposition", "")
    _, found, quoted = disposition.partition("filename*=UTF-8''")
    name = unquote(quoted.split(";")[0]) if found else ""
    name = "".join(ch for ch in name if ch.isprintable() and ch not in "/\\").strip()
    return name[:255] or sha256[:12]


def _media_type_of(response: httpx.Response) -> str:
    value = response.headers.get("content-type", "").split(";")[0].strip()
    return value[:127] or "application/octet-stream"


def _hash_of(path: Path) -> tuple[hashlib._Hash, int]:
    digest = hashlib.sha256()
    held = 0
    if path.exists():
        with open(path, "rb") as f:
            while block := f.read(BLOCK):
                digest.update(block)
                held += len(block)
    return digest, held


def _start_of(response: httpx.Response) -> int | None:
    """Return where a 206 answer's bytes start (None when its Content-Range is unreadable)."""
    value = response.headers.get("content-range", "")
    unit, _, rest = value.partition(" ")
    start = rest.split("-", 1)[0]
    return int(start) if unit == "bytes" and start.isdigit() else None


def fetch(
    db: Database,
    http: httpx.Client,
    headers: dict[str, str],
    sha256: str,
    now: datetime,
    counts: DownloadCounts,
) -> None:
    """Fetch the attachment `sha256` from the office and keep it if its hash is right.

    Raises:
        DownloadFailed: the connection broke MAX_STALLS times in a row without progress (what
            arrived is kept for the next sync).
        httpx.HTTPStatusError: a refusal the caller reports (401, 426, 5xx).
    """
    partial = incoming_path(db, sha256)
    partial.parent.mkdir(parents=True, exist_ok=True)
    digest, held = _hash_of(partial)
    if held > MAX_ATTACHMENT_BYTES:  # never a valid attachment: start again
        partial.unlink()
        digest, held = _hash_of(partial)
    resumed = False
    stalls = 0
    fetched = 0
    while True:
        asked = {**headers, "Range": f"bytes={held}-"} if held else headers
        resumed = resumed or held > 0
        before = held
        try:
            with http.stream("GET", content_path(sha256), headers=asked) as response:
                if response.status_code == 404:
                    counts.not_yet += 1
                    counts.bytes += fetched
                    return
                if response.status_code == 416:  # more than the file here: a stale partial
                    partial.unlink(missing_ok=True)
                    digest, held = _hash_of(partial)
                    stalls += 1
                    if stalls >= MAX_STALLS:
                        raise DownloadFailed(f"附件 {sha256[:12]}… 无法从中心下载。")
                    continue
                if response.status_code not in (200, 206):
                    response.read()
                    raise httpx.HTTPStatusError(
                        "download", request=response.request, response=response
                    )
                if response.status_code == 206 and _start_of(response) != held:
                    # Not the range asked: start again from nothing, without a Range.
                    partial.unlink(missing_ok=True)
                    digest, held = _hash_of(partial)
                    stalls += 1
                    if stalls >= MAX_STALLS:
                        raise DownloadFailed(f"附件 {sha256[:12]}… 无法从中心下载。")
                    continue
                if response.status_code == 200:  # the whole file: the partial one starts afresh
                    partial.unlink(missing_ok=True)
                    digest, held = hashlib.sha256(), 0
                    before = 0
                media_type = _media_type_of(response)
                name = _name_of(response, sha256)
                with open(partial, "ab") as out:
                    try:
                        # As it comes (no chunk size): a cut loses nothing held in a buffer.
                        for block in response.iter_bytes():
                            if held + len(block) > MAX_ATTACHMENT_BYTES:
                                break
                            out.write(block)
                            digest.update(block)
                            held += len(block)
                    finally:
                        out.flush()  # what arrived stays for the next try
        except httpx.TransportError:
            fetched += held - before
            stalls = 0 if held > before else stalls + 1
            if stalls >= MAX_STALLS:
                counts.bytes += fetched
                raise DownloadFailed(
                    f"附件 {sha256[:12]}… 下载多次中断，已收到的部分保留在本机，"
                    "下次同步从断点继续。"
                ) from None
            continue
        fetched += held - before
        counts.bytes += fetched
        if digest.hexdigest() != sha256:
            partial.unlink(missing_ok=True)
            counts.refused.append(
                f"附件 {sha256[:12]}… 下载的内容与其 SHA-256 不符，未保存；下次同步重新下载。"
            )
            return
        keep_downloaded(
            db, partial, sha256=sha256, media_type=media_type, original_name=name, now=now
        )
        counts.files += 1
        counts.resumed += int(resumed)
        return


def download_missing(
    db: Database,
    http: httpx.Client,
    headers: dict[str, str],
    now: datetime,
    counts: DownloadCounts,
) -> None:
    """Fetch every attachment the workspace's records name that it does not hold.

    Raises:
        DownloadFailed: the network (see `fetch`), or the laptop's own disk (full, read-only):
            what arrived is kept for the next sync.
    """
    for sha256 in missing_attachments(db):
        try:
            fetch(db, http, headers, sha256, now, counts)
        except OSError as error:
            raise DownloadFailed(
                f"无法在本机保存附件 {sha256[:12]}…：{error.strerror or error}。"
                "已收到的部分保留，下次同步从断点继续。"
            ) from None
