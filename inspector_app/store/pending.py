"""Attachment files written before their records commit, and removing what a crash left of them.

An attachment's file is written (durably) before the transaction that records it commits, and an
import writes all its files before its one big transaction commits. A crash (SIGKILL, power loss)
in between would leave a file without a record, or a half-written temporary file beside it. So a
writer first commits the hashes it is about to write to `attachment_pending`, in a short
transaction of its own; the transaction that records an attachment deletes its pending row. When
a workspace opens, a pending hash without an `attachment` row is a crash's leftover: its file and
temporary files go, then the pending rows.

A writer holds a shared lock on the small SQLite file `attachments.lock` from before it reserves
until its records have committed (or its files are removed). The clean-up takes that lock
exclusively, without waiting, so it never removes the files of a writer that is still at work in
another process; when it cannot take the lock it leaves the leftovers to the next open.
"""

from __future__ import annotations

import contextlib
import re
import secrets
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

from sqlite_utils import Database

from inspector_app.store.files import write_bytes_atomically

WRITER_LOCK = "attachments.lock"
SHA256 = re.compile(r"^[0-9a-f]{64}$")


def shard_path(attachments: Path, sha256: str) -> Path:
    """Return where the content with this (already checked) hash lives: attachments/ab/abcdef…."""
    return attachments / sha256[:2] / sha256


def _temporary_files(attachments: Path, sha256: str) -> list[Path]:
    """Return the temporary files (`.<hash>.<random>`) a write of this hash may have left."""
    folder = attachments / sha256[:2]
    return sorted(folder.glob(f".{sha256}.*")) if folder.is_dir() else []


def _remove_content(attachments: Path, sha256: str, *, keep_file: bool) -> None:
    """Remove a hash's temporary files, its file unless `keep_file`, and an empty shard folder."""
    for tmp in _temporary_files(attachments, sha256):
        tmp.unlink(missing_ok=True)
    path = shard_path(attachments, sha256)
    if not keep_file:
        path.unlink(missing_ok=True)
    with contextlib.suppress(OSError):  # the shard folder, when nothing else is in it
        path.parent.rmdir()


def _recorded(db: Database, hashes: Iterable[str]) -> set[str]:
    wanted = sorted(set(hashes))
    if not wanted:
        return set()
    marks = ",".join("?" for _ in wanted)
    rows = db.execute(f"SELECT sha256 FROM attachment WHERE sha256 IN ({marks})", wanted)
    return {row[0] for row in rows}


def _writer_lock(folder: Path) -> sqlite3.Connection:
    """Return a connection holding a shared lock on `attachments.lock` (waits for a clean-up)."""
    conn = sqlite3.connect(str(folder / WRITER_LOCK), timeout=30.0, isolation_level=None)
    try:
        conn.execute("BEGIN")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except BaseException:
        conn.close()
        raise
    return conn


class Reservation:
    """Hashes this writer may store; each must be settled in the transaction that records it."""

    def __init__(self, db: Database, attachments: Path, writer: str, hashes: set[str]) -> None:
        self.db = db
        self.attachments = attachments
        self.writer = writer
        self.hashes = hashes
        self.written: set[str] = set()

    def write(self, sha256: str, data: bytes) -> bool:
        """Write the file of a reserved hash durably unless it is there; return whether it wrote.

        Raises:
            ValueError: the hash was not reserved (a bug in the caller).
        """
        if sha256 not in self.hashes:
            raise ValueError(f"attachment {sha256} was not reserved before writing")
        path = shard_path(self.attachments, sha256)
        if path.exists():
            return False
        self.written.add(sha256)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes_atomically(path, data)
        return True

    def settle(self, db: Database, hashes: Iterable[str] | None = None) -> None:
        """Delete this writer's pending rows (all, or of `hashes`).

        Call it inside the transaction that records the attachments, so that the rows go exactly
        when the records commit.
        """
        chosen = sorted(self.hashes if hashes is None else set(hashes) & self.hashes)
        db.conn.executemany(
            "DELETE FROM attachment_pending WHERE sha256 = ? AND writer = ?",
            [(h, self.writer) for h in chosen],
        )


@contextlib.contextmanager
def reserve(db: Database, folder: Path, hashes: Iterable[str]) -> Iterator[Reservation]:
    """Commit pending rows for `hashes` (own transaction), then let the caller write and record.

    On leaving, each file this writer wrote whose record did not commit is removed (with its
    temporary files and an empty shard folder), and this writer's pending rows are deleted: a
    refused or failed import leaves nothing behind. A crash leaves the pending rows, which the
    next open cleans up.

    Raises:
        RuntimeError: the connection is inside a transaction (the rows could not commit first).
    """
    if db.conn.in_transaction:
        raise RuntimeError("reserve attachments before the transaction that records them")
    attachments = folder / "attachments"
    wanted = set(hashes)
    lock = _writer_lock(folder)
    try:
        reservation = Reservation(db, attachments, secrets.token_hex(8), wanted)
        if wanted:
            with db.atomic():
                db.conn.executemany(
                    "INSERT OR IGNORE INTO attachment_pending (sha256, writer) VALUES (?, ?)",
                    [(h, reservation.writer) for h in sorted(wanted)],
                )
        try:
            yield reservation
        finally:
            _release(db, reservation)
    finally:
        lock.close()


def _release(db: Database, reservation: Reservation) -> None:
    """Remove the files this writer wrote that were not recorded; delete its pending rows."""
    if not reservation.hashes or db.conn.in_transaction:
        return  # inside a transaction nothing is known yet: the next open cleans up
    # Best effort: an error here must not hide the one that ended the write, and whatever is
    # left stays pending for the next open.
    with contextlib.suppress(sqlite3.Error, OSError):
        recorded = _recorded(db, reservation.written)
        for sha256 in sorted(reservation.written - recorded):
            _remove_content(reservation.attachments, sha256, keep_file=False)
        with db.atomic():
            reservation.settle(db)


def clean_up_leftovers(db: Database, folder: Path, *, sweep: bool = False) -> int:
    """Remove what crashed writers left (files of pending hashes without a record, temporary
    files); return how many pending hashes were looked at.

    A pending hash whose files cannot be removed now (permissions) stays pending for the next
    open.

    Cheap when nothing is pending: one query. With `sweep` (once, when the pending table is new)
    the whole attachments folder is searched for temporary files and unrecorded files that an
    older version may have left. Skipped when another writer is at work (it holds the lock).
    """
    if not sweep and db.execute("SELECT 1 FROM attachment_pending LIMIT 1").fetchone() is None:
        return 0
    lock = sqlite3.connect(str(folder / WRITER_LOCK), timeout=0, isolation_level=None)
    try:
        try:
            lock.execute("BEGIN EXCLUSIVE")
        except sqlite3.OperationalError:
            return 0  # a writer is at work: its files are not leftovers (yet)
        attachments = folder / "attachments"
        pending = sorted({row[0] for row in db.execute("SELECT sha256 FROM attachment_pending")})
        recorded = _recorded(db, pending)
        stuck = []  # a file that cannot be removed now must not stop the workspace from opening
        for sha256 in pending:
            try:
                if SHA256.match(sha256):  # never a path built from anything else
                    _remove_content(attachments, sha256, keep_file=sha256 in recorded)
            except OSError:
                stuck.append(sha256)
        if sweep:
            with contextlib.suppress(OSError):
                _sweep(db, attachments)
        with db.atomic():
            db.conn.executemany(
                "DELETE FROM attachment_pending WHERE sha256 = ?",
                [(h,) for h in pending if h not in stuck],
            )
        lock.execute("ROLLBACK")
    finally:
        lock.close()
    return len(pending)


def _sweep(db: Database, attachments: Path) -> None:
    """Remove every temporary file and every unrecorded file under `attachments`."""
    if not attachments.is_dir():
        return
    for shard in sorted(p for p in attachments.iterdir() if p.is_dir()):
        files = [p for p in shard.iterdir() if p.is_file()]
        recorded = _recorded(db, (p.name for p in files if not p.name.startswith(".")))
        for path in files:
            if path.name.startswith(".") or path.name not in recorded:
                path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            shard.rmdir()
