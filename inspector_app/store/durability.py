"""Committing now and making durable a moment later (持久化): how the app saves a keyed result
without waiting for the disk on the UI thread.

The workspace runs WAL with synchronous=FULL: each commit waits for an fsync of the WAL file,
a wait that a busy disk or a busy machine stretches to tens of milliseconds. A step run inside
`commit_without_sync` commits the same transaction with synchronous=NORMAL: it is applied and
visible at once, and survives the program being killed (the data is in the operating system),
but not yet a power cut. `sync_wal` then makes every commit so far durable with one fsync of
the WAL file, on another thread; only after it returns may the app say "saved".

Inside `commit_without_sync` the connection does not checkpoint either (a checkpoint copies the
log into the database and syncs both: the slowest thing a commit can do): the flusher calls
`checkpoint_if_large` after its sync, on its own connection and thread.

Why this is enough: a commit lives in the WAL file until a checkpoint copies it into the
database file, and SQLite (synchronous=NORMAL or FULL) syncs the WAL before copying and the
database after. So once `sync_wal` has synced the WAL file, or found none because the last
connection closed (which checkpoints), every commit made before the call is on disk.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from inspector_app.store.errors import storage_errors

CHECKPOINT_BYTES = 4 * 1024 * 1024
"""A WAL file larger than this is checkpointed by the flusher (SQLite's own default is
1,000 pages, 4 MB with its 4 kB pages)."""


@contextmanager
def commit_without_sync(db: Database) -> Iterator[None]:
    """Run the steps inside with synchronous=NORMAL and no automatic checkpoint on `db`'s
    connection; FULL and the checkpoints again after.

    Call `sync_wal` (any thread) before saying that what they wrote is saved, and
    `checkpoint_if_large` now and then.

    Raises:
        RuntimeError: a transaction is open (SQLite cannot change the setting inside one).
    """
    conn = db.conn
    if conn.in_transaction:
        raise RuntimeError("commit_without_sync inside an open transaction")
    pages = conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA wal_autocheckpoint=0")
    try:
        yield
    finally:
        if not conn.in_transaction:
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute(f"PRAGMA wal_autocheckpoint={int(pages)}")


def wal_path(db: Database) -> Path:
    """Return the WAL file of `db`'s main database."""
    row = db.conn.execute("PRAGMA database_list").fetchone()
    return Path(f"{row[2]}-wal")


def sync_wal(wal: Path) -> None:
    """Make every commit made so far in the database whose WAL file is `wal` durable: fsync
    the WAL file (opened anew, so that a WAL file replaced meanwhile is the one synced).

    Safe on any thread. No WAL file means it was checkpointed and removed: nothing to sync.

    Raises:
        WorkspaceError: the file could not be synced (the disk failed, was removed, is full).
    """
    with storage_errors():
        try:
            fd = os.open(wal, os.O_RDWR | getattr(os, "O_BINARY", 0))
        except FileNotFoundError:
            return
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def checkpoint_if_large(wal: Path, limit: int = CHECKPOINT_BYTES) -> bool:
    """Copy the log into the database (a passive checkpoint, on a connection of its own, so
    safe on any thread) when the WAL file `wal` is larger than `limit` bytes; return whether
    it did. A checkpoint another connection holds up is left for the next call: it is
    housekeeping, never needed for durability (the log is synced).
    """
    try:
        if wal.stat().st_size <= limit:
            return False
    except FileNotFoundError:
        return False
    database = wal.with_name(wal.name.removesuffix("-wal"))
    try:
        conn = sqlite3.connect(database, timeout=0)
        try:
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    return True
