"""Committing without waiting for the disk, then syncing the WAL file (store/durability.py)."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from inspector_app.store.durability import (
    checkpoint_if_large,
    commit_without_sync,
    sync_wal,
    wal_path,
)
from inspector_app.store.errors import WorkspaceError
from inspector_app.store.workspace import DATABASE_NAME, open_workspace

FULL, NORMAL = 2, 1


def synchronous(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA synchronous").fetchone()[0])


def test_commit_without_sync_commits_with_normal_and_puts_full_back(tmp_path: Path) -> None:
    with open_workspace(tmp_path / "ws", install_forms=False) as workspace:
        db = workspace.db
        assert synchronous(db.conn) == FULL
        autocheckpoint = db.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
        with commit_without_sync(db):
            assert synchronous(db.conn) == NORMAL
            assert db.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
            with db.atomic():
                db.execute("CREATE TABLE t (x INTEGER)")
                db.execute("INSERT INTO t VALUES (1)")
        assert synchronous(db.conn) == FULL
        assert db.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == autocheckpoint
        # committed and visible to another connection at once (before any sync)
        other = sqlite3.connect(tmp_path / "ws" / DATABASE_NAME)
        try:
            assert other.execute("SELECT x FROM t").fetchall() == [(1,)]
        finally:
            other.close()


def test_commit_without_sync_puts_full_back_after_a_refused_step(tmp_path: Path) -> None:
    with open_workspace(tmp_path / "ws", install_forms=False) as workspace:
        db = workspace.db
        with pytest.raises(ValueError), commit_without_sync(db), db.atomic():
            db.execute("CREATE TABLE t (x INTEGER)")
            raise ValueError("refused")
        assert synchronous(db.conn) == FULL
        assert not db["t"].exists()  # rolled back


def test_commit_without_sync_inside_a_transaction_is_a_bug(tmp_path: Path) -> None:
    with open_workspace(tmp_path / "ws", install_forms=False) as workspace:
        db = workspace.db
        db.conn.execute("BEGIN")
        try:
            with pytest.raises(RuntimeError), commit_without_sync(db):
                pass
        finally:
            db.conn.rollback()
        assert synchronous(db.conn) == FULL


def test_sync_wal_syncs_the_workspace_log_from_another_thread(tmp_path: Path) -> None:
    with open_workspace(tmp_path / "ws", install_forms=False) as workspace:
        wal = wal_path(workspace.db)
        assert wal == (tmp_path / "ws" / f"{DATABASE_NAME}-wal").resolve()
        with commit_without_sync(workspace.db), workspace.db.atomic():
            workspace.db.execute("CREATE TABLE t (x INTEGER)")
        assert wal.stat().st_size > 0  # the commit is in the log, waiting for its sync
        errors: list[BaseException] = []

        def run() -> None:
            try:
                sync_wal(wal)
            except BaseException as error:
                errors.append(error)

        thread = threading.Thread(target=run)
        thread.start()
        thread.join()
        assert errors == []


def test_sync_wal_without_a_log_has_nothing_to_do(tmp_path: Path) -> None:
    sync_wal(tmp_path / "gone.db-wal")  # checkpointed and removed: already in the database


def test_sync_wal_of_a_log_that_cannot_be_opened_says_so(tmp_path: Path) -> None:
    folder = tmp_path / "not-a-file"
    folder.mkdir()
    with pytest.raises((WorkspaceError, OSError)):
        sync_wal(folder)


def test_a_large_log_is_checkpointed_by_another_connection(tmp_path: Path) -> None:
    with open_workspace(tmp_path / "ws", install_forms=False) as workspace:
        db = workspace.db
        wal = wal_path(db)
        with commit_without_sync(db), db.atomic():
            db.execute("CREATE TABLE t (x BLOB)")
            db.execute("INSERT INTO t VALUES (zeroblob(200000))")
        size = wal.stat().st_size
        assert not checkpoint_if_large(wal, limit=size)  # not larger than the limit
        database = tmp_path / "ws" / DATABASE_NAME

        def in_database_file() -> bool:
            """Whether the table is in the database file itself (the log not read)."""
            uri = f"{database.resolve().as_uri()}?mode=ro&immutable=1"
            conn = sqlite3.connect(uri, uri=True)
            try:
                found = conn.execute("SELECT name FROM sqlite_master WHERE name = 't'")
                return found.fetchone() is not None
            finally:
                conn.close()

        assert not in_database_file()  # only in the log so far
        assert checkpoint_if_large(wal, limit=size // 2)
        assert in_database_file()
    assert not checkpoint_if_large(tmp_path / "gone.db-wal", limit=0)
