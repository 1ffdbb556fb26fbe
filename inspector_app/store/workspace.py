"""Opening a workspace: a folder with one SQLite database and attachments stored by SHA-256."""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from inspector_app.store.errors import WorkspaceError, storage_errors
from inspector_app.store.form_library import install_shipped_forms
from inspector_app.store.pending import clean_up_leftovers
from inspector_app.store.schema import MIGRATIONS

DATABASE_NAME = "workspace.db"
ATTACHMENTS_DIR = "attachments"
PENDING_MIGRATION = "0002_attachment_pending"


def connect(path: Path) -> sqlite3.Connection:
    """Open the workspace database: the one connection factory of the app.

    WAL with synchronous=FULL, because with NORMAL a power loss can drop the last commit;
    foreign keys on; a busy timeout so a second reader waits instead of failing.
    """
    conn = sqlite3.connect(str(path), timeout=5.0)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


@dataclass
class Workspace:
    """An open workspace; close it when done."""

    folder: Path
    db: Database

    @property
    def attachments(self) -> Path:
        """The folder holding attachments by hash."""
        return self.folder / ATTACHMENTS_DIR

    def close(self) -> None:
        """Close the database connection."""
        self.db.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _refuse_newer(db: Database) -> None:
    """Refuse a database that lists migrations this version does not know."""
    known = {m.name for m in MIGRATIONS._migrations}
    unknown = [m.name for m in MIGRATIONS.applied(db) if m.name not in known]
    if unknown:
        raise WorkspaceError(
            f"此工作区由更新版本的程序写入（{', '.join(unknown)}），本版本不能打开，以免损坏数据。"
            "工作区未被修改。请升级程序后再打开。"
        )


def _backup_before_migrating(path: Path, db: Database, now: datetime) -> Path | None:
    """Copy the database file aside before pending migrations touch it; return the copy."""
    if not MIGRATIONS.applied(db) or not MIGRATIONS.pending(db):
        return None
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    backup = path.with_name(f"{path.name}.bak-{now:%Y%m%dT%H%M%S}")
    shutil.copy2(path, backup)
    return backup


def _refuse_read_only(folder: Path, path: Path) -> None:
    """Refuse a folder or database file that cannot be written (SQLite needs both for WAL)."""
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise WorkspaceError(
            f"工作区 {folder} 是只读的（没有写入权限），无法打开。工作区未被修改。"
            "请选择可写的文件夹，或复制工作区到可写的位置。"
        )


def open_workspace(folder: Path, *, install_forms: bool = True) -> Workspace:
    """Open (creating if needed) the workspace in `folder`, migrating it to this version.

    Whatever a crash left (attachment files without their record, temporary files) is removed.

    Raises:
        WorkspaceError: the folder cannot be written, the file is corrupt or locked, or it was
            written by a newer version of the app.
    """
    folder = Path(folder)
    with storage_errors():
        if folder.exists() and not folder.is_dir():
            raise WorkspaceError(f"工作区路径 {folder} 是一个文件，不是文件夹。请指定一个文件夹。")
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / DATABASE_NAME
        _refuse_read_only(folder, path)
        conn = connect(path)
        db = Database(conn)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            _refuse_newer(db)
            _backup_before_migrating(path, db, datetime.now(UTC))
            # A workspace older than the pending table may hold what a crash left: sweep once.
            sweep = any(m.name == PENDING_MIGRATION for m in MIGRATIONS.pending(db))
            MIGRATIONS.apply(db)
            (folder / ATTACHMENTS_DIR).mkdir(exist_ok=True)
            clean_up_leftovers(db, folder, sweep=sweep)
            workspace = Workspace(folder=folder, db=db)
            if install_forms:
                install_shipped_forms(db)
        except BaseException:
            db.close()
            raise
    return workspace
