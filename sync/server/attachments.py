"""Attachments received by content hash, resumably, in the server's folder `DIR/attachments`.

A file being received is `partial/<sha256>.part`: its length is what arrived, so a client
whose connection broke asks how much there is and sends the rest. Bodies are streamed to disk
chunk by chunk (a 50 MB photo never sits in memory). When the declared size has arrived the
whole file is hashed again; on a match it is flushed and renamed to `ab/<sha256>` and recorded
(`attachment`, with the case it came for in `attachment_case`); on a mismatch the partial file
is removed and the upload refused, so a corrupt file is never kept. One upload of a hash at a
time (an advisory file lock, across server processes too).

Holding a hash is no proof of holding the content: an attachment the server holds whole is
tied to a case (and so sent down to that case's team) only for a device that uploaded it, or
whose reviewer already has a case it is tied to, or that sends the whole content again, checked
(`_prove`). To any other device its status reads as nothing received, so a device that learnt
another team's hash can neither tie it to its own case nor tell that the server holds it.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import secrets
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

import anyio
import anyio.to_thread
from sqlalchemy import exists, insert, or_, select

from sync.protocol import MAX_ATTACHMENT_BYTES, AttachmentStatus
from sync.server.assignments import assigned_cases
from sync.server.storage import DeviceIdentity, Storage, attachment, attachment_case

SHA256 = re.compile(r"^[0-9a-f]{64}$")
HASH_BLOCK = 1024 * 1024
CHUNK_TIMEOUT = 60.0
"""Seconds an upload may wait for its next chunk: a half-open connection does not hold the
hash's upload lock (and so every retry of it) for ever."""


class UploadRefused(Exception):
    """An upload that cannot be taken; `status` is the HTTP status, the message says why."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def file_sha256(path: Path) -> str:
    """Return the SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(HASH_BLOCK):
            digest.update(block)
    return digest.hexdigest()


class AttachmentFiles:
    """The attachments of one server (files under `storage.attachments_dir`, rows in its
    database)."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self.root = storage.attachments_dir
        self.partial_dir = self.root / "partial"
        self.partial_dir.mkdir(parents=True, exist_ok=True)

    def path(self, sha256: str) -> Path:
        """Return where a complete attachment lives."""
        return self.root / sha256[:2] / sha256

    def _partial(self, sha256: str) -> Path:
        return self.partial_dir / f"{sha256}.part"

    def _complete(self, sha256: str) -> bool:
        with self.storage.reading() as conn:
            found = conn.execute(
                select(attachment.c.sha256).where(attachment.c.sha256 == sha256)
            ).first()
        return found is not None and self.path(sha256).exists()

    def status(self, sha256: str) -> AttachmentStatus:
        """Return how many bytes of `sha256` the server holds."""
        check_hash(sha256)
        if self._complete(sha256):
            size = self.path(sha256).stat().st_size
            return AttachmentStatus(sha256=sha256, received=size, complete=True)
        partial = self._partial(sha256)
        received = partial.stat().st_size if partial.exists() else 0
        return AttachmentStatus(sha256=sha256, received=received, complete=False)

    def known_to(self, who: DeviceIdentity, sha256: str) -> bool:
        """Return whether `who` has shown it holds the attachment's content: its device
        uploaded it, or it is tied to a case assigned to its reviewer."""
        mine = assigned_cases(who.reviewer_id)
        query = select(
            exists(
                select(attachment.c.sha256).where(
                    attachment.c.sha256 == sha256,
                    or_(
                        attachment.c.device_id == who.device_id,
                        exists(
                            select(attachment_case.c.sha256).where(
                                attachment_case.c.sha256 == sha256,
                                attachment_case.c.case_id.in_(mine),
                            )
                        ),
                    ),
                )
            )
        )
        with self.storage.reading() as conn:
            return bool(conn.execute(query).scalar())

    def status_for(self, who: DeviceIdentity, sha256: str) -> AttachmentStatus:
        """Return the status `who` may see: what the server holds, but nothing received for a
        whole attachment `who` has not shown it holds (it then sends the content, `_prove`)."""
        found = self.status(sha256)
        if found.complete and not self.known_to(who, sha256):
            return AttachmentStatus(sha256=sha256, received=0, complete=False)
        return found

    @contextmanager
    def _upload_lock(self, sha256: str) -> Iterator[None]:
        with open(self.partial_dir / f"{sha256}.lock", "a") as lock:
            try:
                fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise UploadRefused(
                    409, f"attachment {sha256} is being uploaded by another request; retry"
                ) from None
            try:
                yield
            finally:
                fcntl.flock(lock.fileno(), fcntl.LOCK_UN)

    async def receive(
        self,
        who: DeviceIdentity,
        sha256: str,
        *,
        offset: int,
        size: int,
        case_id: str | None,
        body: AsyncIterator[bytes],
    ) -> AttachmentStatus:
        """Append `body` at `offset` to the attachment of `size` bytes; when it is whole,
        check its hash and keep it. Bytes that arrived before a broken connection stay.

        Raises:
            UploadRefused: a bad hash, size or offset, a body past the size, a hash mismatch.
        """
        check_hash(sha256)
        if not 0 <= size <= MAX_ATTACHMENT_BYTES:
            raise UploadRefused(
                413, f"attachment size {size} is outside 0..{MAX_ATTACHMENT_BYTES} bytes"
            )
        if self._complete(sha256):
            if self.path(sha256).stat().st_size != size:
                raise UploadRefused(400, f"attachment {sha256} has another size on the server")
            if not self.known_to(who, sha256):
                await self._prove(sha256, offset=offset, size=size, body=body)
            self._link_case(sha256, case_id)
            return AttachmentStatus(sha256=sha256, received=size, complete=True)
        with self._upload_lock(sha256):
            partial = self._partial(sha256)
            held = partial.stat().st_size if partial.exists() else 0
            if offset != held:
                raise UploadRefused(
                    409, f"offset {offset} does not follow what the server holds ({held} bytes)"
                )
            if held > size:
                partial.unlink()
                raise UploadRefused(409, "the server held more than the declared size; restart")
            with open(partial, "ab") as out:
                await _append(out, body, room=size - held)
                out.flush()
                os.fsync(out.fileno())
            if partial.stat().st_size == size:
                # Hashing 50 MB takes a moment: off the event loop.
                await anyio.to_thread.run_sync(self._finish, who, sha256, size, case_id)
        return self.status(sha256)

    async def _prove(
        self, sha256: str, *, offset: int, size: int, body: AsyncIterator[bytes]
    ) -> None:
        """Take the whole content of an attachment the server holds from a device that has not
        shown it holds it, into a file of its own, and check its hash; nothing is kept.

        Raises:
            UploadRefused: not the whole content from offset 0 (409), or another content (422).
        """
        if offset != 0:
            raise UploadRefused(409, "offset 0 expected: send the whole attachment")
        proof = self.partial_dir / f"{sha256}.{secrets.token_hex(8)}.proof"
        try:
            with open(proof, "wb") as out:
                await _append(out, body, room=size)
            received = proof.stat().st_size
            if received != size:
                raise UploadRefused(409, "offset 0 expected: send the whole attachment")
            found = await anyio.to_thread.run_sync(file_sha256, proof)
        finally:
            proof.unlink(missing_ok=True)
        if found != sha256:
            raise UploadRefused(
                422, f"the received content does not match SHA-256 {sha256}; nothing was kept"
            )

    def _finish(self, who: DeviceIdentity, sha256: str, size: int, case_id: str | None) -> None:
        partial = self._partial(sha256)
        if file_sha256(partial) != sha256:
            partial.unlink()
            raise UploadRefused(
                422,
                f"the received content does not match SHA-256 {sha256}; it was discarded: "
                "upload it again from the start",
            )
        target = self.path(sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(partial, target)
        _fsync_dir(target.parent)
        now = datetime.now(UTC).isoformat()
        with self.storage.transaction() as conn:
            known = conn.execute(
                select(attachment.c.sha256).where(attachment.c.sha256 == sha256)
            ).first()
            if known is None:
                conn.execute(
                    insert(attachment).values(
                        sha256=sha256, size=size, device_id=who.device_id, received_at=now
                    )
                )
        self._link_case(sha256, case_id)

    def _link_case(self, sha256: str, case_id: str | None) -> None:
        if not case_id:
            return
        with self.storage.transaction() as conn:
            linked = conn.execute(
                select(attachment_case).where(
                    attachment_case.c.sha256 == sha256, attachment_case.c.case_id == case_id
                )
            ).first()
            if linked is None:
                conn.execute(insert(attachment_case).values(sha256=sha256, case_id=case_id))

    def cases(self, sha256: str) -> set[str]:
        """Return the cases an attachment was uploaded for."""
        with self.storage.reading() as conn:
            rows = conn.execute(
                select(attachment_case.c.case_id).where(attachment_case.c.sha256 == sha256)
            )
            return {r.case_id for r in rows}


async def _append(out: IO[bytes], body: AsyncIterator[bytes], *, room: int) -> None:
    """Write the body's chunks as they come; refuse a body longer than `room` (what was
    written before the excess stays, as any cut upload's)."""
    written = 0
    chunks = aiter(body)
    while True:
        try:
            with anyio.fail_after(CHUNK_TIMEOUT):
                chunk = await anext(chunks)
        except StopAsyncIteration:
            return
        except TimeoutError:
            raise UploadRefused(
                408, f"no data for {CHUNK_TIMEOUT:.0f} s; what arrived is kept, resume from there"
            ) from None
        if not chunk:
            continue
        if written + len(chunk) > room:
            out.write(chunk[: room - written])
            raise UploadRefused(400, "the body goes past the attachment's declared size")
        out.write(chunk)
        written += len(chunk)


def check_hash(sha256: str) -> None:
    """Refuse a name that is not a lowercase hex SHA-256."""
    if not SHA256.match(sha256):
        raise UploadRefused(400, f"{sha256[:80]!r} is not a SHA-256 (64 lowercase hex digits)")
