"""Attachments sent down to the laptops: `GET /v1/attachments/{sha256}/content`.

A device may fetch an attachment only when it is tied to a case assigned to its reviewer (the
server ties an attachment to each case whose records named it when it was uploaded); for any
other hash, held or not, the answer is the same 404, so another team's attachment cannot be
fetched, nor its existence learnt, by its hash. The body is streamed from the file in blocks,
never held in memory; `Range: bytes=N-` (or `bytes=N-M`) resumes a download after a broken
connection with 206 and the rest. The attachment's media type and original name (from its
`attachment` record, as the laptop that took it sent it) come in `Content-Type` and
`Content-Disposition`, its SHA-256 in `ETag`.
"""

# No `from __future__ import annotations`: FastAPI reads the endpoint's annotations.

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, FastAPI, Header, HTTPException
from fastapi.responses import JSONResponse, StreamingResponse
from sqlalchemy import exists, select

from sync.protocol import ATTACHMENT_PATH, Refusal
from sync.server.assignments import assigned_cases
from sync.server.attachments import AttachmentFiles, UploadRefused, check_hash
from sync.server.storage import DeviceIdentity, attachment, attachment_case, change, record_head

BLOCK = 1024 * 1024
RANGE = re.compile(r"^bytes=(\d{1,19})-(\d{0,19})$")
"""The one form of Range served: a single range of bytes (a start, maybe an end)."""
TOKEN = r"[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,63}"
MEDIA_TYPE = re.compile(rf"^{TOKEN}/{TOKEN}$")
"""A media type sent as it was recorded (anything else goes as application/octet-stream)."""
NOT_HERE = (
    "attachment not available to this device: not on the server yet (the laptop that took it "
    "has not uploaded it), or not of a case assigned to this reviewer"
)


class DownloadRefused(Exception):
    """A download that cannot be served; `status` is the HTTP status, the message says why."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.headers = headers or {}


@dataclass(frozen=True)
class Served:
    """What a download answers: the file, the byte range and the headers."""

    path: Path
    start: int
    end: int
    """One past the last byte sent."""
    size: int
    partial: bool
    headers: dict[str, str]


def byte_range(header: str | None, size: int) -> tuple[int, int, bool]:
    """Return the bytes [start, end) that `Range: header` asks of a file of `size` bytes, and
    whether it asked a range at all.

    Raises:
        DownloadRefused: 400 for a Range of another form (several ranges, a suffix, another
            unit), 416 for a start at or past the end of the file.
    """
    if header is None:
        return 0, size, False
    found = RANGE.match(header.strip())
    if found is None:
        raise DownloadRefused(
            400, "Range must be a single 'bytes=START-' or 'bytes=START-END' (decimal)"
        )
    start = int(found.group(1))
    end = int(found.group(2)) + 1 if found.group(2) else size
    if found.group(2) and end <= start:
        raise DownloadRefused(400, "the Range ends before it starts")
    if start >= size and not (start == 0 and size == 0):
        raise DownloadRefused(
            416,
            f"the Range starts at {start}, past the attachment's {size} bytes",
            {"Content-Range": f"bytes */{size}"},
        )
    return start, min(end, size), True


class AttachmentDownloads:
    """Serve the attachments of `files` to the devices whose reviewer's cases they belong to."""

    def __init__(self, files: AttachmentFiles) -> None:
        self.files = files
        self.storage = files.storage

    def readable_by(self, who: DeviceIdentity, sha256: str) -> bool:
        """Return whether `who` may fetch `sha256`: received whole, and tied to a case assigned
        to its reviewer."""
        tied = (
            select(attachment_case.c.sha256)
            .join(attachment, attachment.c.sha256 == attachment_case.c.sha256)
            .where(
                attachment_case.c.sha256 == sha256,
                attachment_case.c.case_id.in_(assigned_cases(who.reviewer_id)),
            )
        )
        with self.storage.reading() as conn:
            return bool(conn.execute(select(exists(tied))).scalar())

    def described(self, sha256: str) -> tuple[str, str]:
        """Return the attachment's media type and original name, from its `attachment` record
        (a neutral type and the hash's start when no laptop sent the record)."""
        with self.storage.reading() as conn:
            row = conn.execute(
                select(change.c.payload)
                .join(record_head, record_head.c.change_seq == change.c.seq)
                .where(
                    record_head.c.record_table == "attachment", record_head.c.record_id == sha256
                )
            ).first()
        record: Any = json.loads(row.payload).get("record") if row is not None else None
        record = record if isinstance(record, dict) else {}
        media_type = record.get("media_type")
        name = record.get("original_name")
        if not isinstance(media_type, str) or not MEDIA_TYPE.match(media_type):
            media_type = "application/octet-stream"
        if not isinstance(name, str) or not name.strip() or len(name) > 255:
            name = sha256[:12]
        return media_type, name

    def open(self, who: DeviceIdentity, sha256: str, range_header: str | None) -> Served:
        """Open the attachment for `who` and decide what to send.

        Raises:
            DownloadRefused: 400 for a name that is not a SHA-256 or a bad Range, 404 for an
                attachment `who` may not fetch (or that is not here yet), 416 for a Range past
                its end.
        """
        try:
            check_hash(sha256)
        except UploadRefused as refused:
            raise DownloadRefused(refused.status, str(refused)) from None
        if not self.readable_by(who, sha256):
            raise DownloadRefused(404, NOT_HERE)
        path = self.files.path(sha256)
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            raise DownloadRefused(404, NOT_HERE) from None
        start, end, partial = byte_range(range_header, size)
        media_type, name = self.described(sha256)
        headers = {
            "Accept-Ranges": "bytes",
            "Content-Length": str(end - start),
            "Content-Type": media_type,
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name, safe='')}",
            "ETag": f'"{sha256}"',
            "Cache-Control": "private, no-store",
        }
        if partial:
            headers["Content-Range"] = f"bytes {start}-{max(end - 1, start)}/{size}"
        return Served(path, start, end, size, partial, headers)


def _blocks(served: Served) -> Iterator[bytes]:
    """Yield the served range of the file in blocks. The file is opened only once the body
    is being sent (a client gone before that leaves no open file) and closed at the end or
    when the client goes away (the generator is closed)."""
    with open(served.path, "rb") as f:
        f.seek(served.start)
        left = served.end - served.start
        while left > 0:
            block = f.read(min(BLOCK, left))
            if not block:
                return
            left -= len(block)
            yield block


BINARY = {"schema": {"type": "string", "format": "binary"}}
CONTENT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The whole attachment (raw bytes; its media type as recorded).",
        "content": {"application/octet-stream": BINARY},
        "headers": {
            "ETag": {"description": "The SHA-256, quoted", "schema": {"type": "string"}},
            "Content-Disposition": {
                "description": "The original file name (RFC 5987 filename*)",
                "schema": {"type": "string"},
            },
        },
    },
    206: {
        "description": "The bytes asked by `Range` (to resume a broken download).",
        "content": {"application/octet-stream": BINARY},
        "headers": {"Content-Range": {"schema": {"type": "string"}}},
    },
    **{code: {"model": Refusal} for code in (400, 401, 404, 416, 426)},
}


def add_download_route(
    app: FastAPI, files: AttachmentFiles, authenticated: Callable[..., DeviceIdentity]
) -> None:
    """Add `GET /v1/attachments/{sha256}/content` to `app`."""
    downloads = AttachmentDownloads(files)

    @app.get(
        ATTACHMENT_PATH + "{sha256}/content",
        response_class=StreamingResponse,
        responses=CONTENT_RESPONSES,
        summary="Download an attachment of this reviewer's cases (resumable with Range)",
    )
    def attachment_content(
        sha256: str,
        who: Annotated[DeviceIdentity, Depends(authenticated)],
        range_: Annotated[
            str | None,
            Header(
                alias="Range",
                description="`bytes=START-` (or `bytes=START-END`) to resume a download",
                max_length=64,
            ),
        ] = None,
    ) -> StreamingResponse:
        """Send the attachment `sha256` (streamed), if it is tied to a case assigned to this
        device's reviewer; 404 otherwise, whether the server holds it or not. The laptop
        checks the SHA-256 of what it received before keeping it."""
        try:
            served = downloads.open(who, sha256, range_)
        except DownloadRefused as refused:
            if refused.headers:
                return JSONResponse(  # type: ignore[return-value]
                    status_code=refused.status,
                    content={"detail": str(refused)},
                    headers=refused.headers,
                )
            raise HTTPException(refused.status, str(refused)) from None
        return StreamingResponse(
            _blocks(served),
            status_code=206 if served.partial else 200,
            headers=served.headers,
            media_type=served.headers["Content-Type"],
        )
