"""Opening a workspace: a folder with one SQLite database and attachments stored by SHA-256."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from inspector_app.store.errors import WorkspaceError, storage_errors
from inspector_app.store.migration_set import applied_names
from inspector_app.store.schema import MIGRATIONS

if TYPE_CHECKING:
    from sqlite_utils import Database

DATABASE_NAME = "workspace.db"
ATTACHMENTS_DIR = "attachments"
PENDING_MIGRATION = "0002_attachment_pending"


BUSY_WAIT_SECONDS = 5.0
"""How long a connection waits for another program to let go of the database before the
workspace is reported as in use (`WorkspaceBusyError`)."""


def connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    """Open the workspace database: the one connection factory of the app.

    WAL with synchronous=FULL, because with NORMAL a power loss can drop the last commit;
    foreign keys on; a busy timeout so a second reader waits instead of failing.

    With `read_only`, the file must exist and nothing is ever written to it. In a writable
    folder the connection is a read-write one with `query_only` on (a `mode=ro` connection would
    leave -wal and -shm files behind). Elsewhere it is `mode=ro`, which cannot open a WAL
    database whose -shm file is absent (a folder nobody may write, a read-only mount): then the
    file is opened `immutable`, which is safe only with no pending -wal content.

    Raises:
        WorkspaceError: a read-only open of a database with -wal content it cannot read.
        sqlite3.Error: as sqlite3 raises it (callers explain it through `storage_errors`).
    """
    if not read_only:
        conn = sqlite3.connect(str(path), timeout=BUSY_WAIT_SECONDS)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        return conn
    uri = path.absolute().as_uri()
    if os.access(path.parent, os.W_OK) and os.access(path, os.W_OK):
        conn = _probe(f"{uri}?mode=rw")
        conn.execute("PRAGMA query_only=ON")
        return conn
    try:
        return _probe(f"{uri}?mode=ro")
    except sqlite3.OperationalError:
        wal = path.with_name(f"{path.name}-wal")
        if wal.exists() and wal.stat().st_size > 0:
            raise WorkspaceError(
                f"工作区 {path.parent} 所在位置不可写，且有尚未合并的日志 {wal.name}，"
                "只读打开会看不到最近保存的内容，因此没有打开。工作区未被修改。"
                "请在可写的位置打开一次该工作区（会合并日志），然后重试。"
            ) from None
        return _probe(f"{uri}?mode=ro&immutable=1")


def _probe(uri: str) -> sqlite3.Connection:
    """Open `uri` and read from it once (SQLite opens lazily), closing it on failure."""
    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_WAIT_SECONDS)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute("PRAGMA foreign_keys=ON")
    except BaseException:
        conn.close()
        raise
    return conn


@dataclass
class Workspace:
    """An open workspace; close it when done."""

    folder: Path
    db: Database
    read_only: bool = False

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


def _pending(applied: list[str]) -> list[str]:
    """Return the names of this version's migrations not among `applied`, in order."""
    done = set(applied)
    return [m.name for m in MIGRATIONS._migrations if m.name not in done]


def _refuse_newer(applied: list[str]) -> None:
    """Refuse a database that lists migrations this version does not know."""
    known = {m.name for m in MIGRATIONS._migrations}
    unknown = [name for name in applied if name not in known]
    if unknown:
        raise WorkspaceError(
            f"此工作区由更新版本的程序写入（{', '.join(unknown)}），本版本不能打开，以免损坏数据。"
            "工作区未被修改。请升级程序后再打开。"
        )


def _backup_before_migrating(path: Path, db: Database, now: datetime) -> Path | None:
    """Copy the database file aside before pending migrations touch it; return the copy."""
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


def _first_failure(folder: Path) -> OSError | None:
    """Return the error of the first component of `folder`, from the top, that cannot be
    reached (named in `filename`), or None when the whole path can be reached."""
    for part in reversed([folder, *folder.parents]):
        try:
            os.stat(part)
        except OSError as error:
            error.filename = str(part)
            return error
    return None


def _path_error(folder: Path, error: OSError) -> WorkspaceError:
    """Return the message for a workspace path the system refused, naming the path."""
    code = error.errno
    where = f"工作区路径 {folder}"
    culprit = Path(error.filename) if error.filename else folder
    part = "" if culprit == folder else f"（{culprit}）"
    nothing = "未创建或修改任何文件。"
    if code == errno.ENOTDIR:
        blocker = next((p for p in reversed([folder, *folder.parents]) if p.is_file()), None)
        reason = (
            f"其中的 {blocker} 是一个文件，不是文件夹" if blocker else "路径中有一部分不是文件夹"
        )
        return WorkspaceError(f"{where} 无法使用：{reason}。{nothing}请指定一个文件夹。")
    if code == errno.ENAMETOOLONG:
        return WorkspaceError(
            f"{where} 过长（文件名或路径超出了系统的长度上限）。{nothing}请选择一个较短的路径。"
        )
    if code == errno.ELOOP:
        return WorkspaceError(
            f"{where} 中的符号链接{part}构成了循环，无法到达。{nothing}"
            "请检查路径中的符号链接，或指定另一个文件夹。"
        )
    if code in (errno.EACCES, errno.EPERM):
        return WorkspaceError(
            f"没有权限访问或创建{where}{part}。{nothing}请检查文件夹权限，或选择另一个文件夹。"
        )
    if code == errno.ENOENT:
        if culprit.is_symlink():
            missing = f"{culprit} 指向的 {os.readlink(culprit)} 不存在"
        else:
            missing = f"{culprit} 不存在"
        return WorkspaceError(
            f"{where} 无法到达（{missing}，可能是未接入的移动硬盘或网络盘）。{nothing}"
            "请接入该磁盘或检查路径后重试。"
        )
    if code == errno.EROFS:
        return WorkspaceError(
            f"{where} 所在的磁盘是只读的，无法在这里创建工作区。{nothing}请选择可写的文件夹。"
        )
    if code == errno.ENOSPC:
        return WorkspaceError(f"{where}：磁盘已满，无法创建工作区。请腾出磁盘空间后重试。")
    return WorkspaceError(
        f"无法访问{where}{part}：{error.strerror or error}。{nothing}"
        "请检查该磁盘或网络盘是否可用，或选择另一个文件夹。"
    )


def _no_workspace(folder: Path, why: str) -> WorkspaceError:
    return WorkspaceError(
        f"{folder} 没有工作区（{why}）。没有创建任何文件。"
        "请检查 --workspace 路径是否写对；要新建一个演示工作区，请运行 `inspector demo`。"
    )


def _locate(folder: Path, *, read_only: bool) -> Path:
    """Return the database path of the workspace in `folder`, creating the folder unless
    `read_only`; raise WorkspaceError naming the path for anything the system refuses."""
    try:
        failure = _first_failure(folder)
        if failure is not None:
            # A missing folder is created (or, read-only, there is no workspace); a symlink
            # to a missing place (an unplugged drive) or any other failure is explained.
            missing = failure.errno == errno.ENOENT and not Path(failure.filename).is_symlink()
            if not missing:
                raise _path_error(folder, failure)
            if read_only:
                raise _no_workspace(folder, "该文件夹不存在")
        if folder.exists() and not folder.is_dir():
            raise WorkspaceError(f"工作区路径 {folder} 是一个文件，不是文件夹。请指定一个文件夹。")
        path = folder / DATABASE_NAME
        if read_only:
            if not path.is_file():
                raise _no_workspace(folder, f"文件夹中没有 {DATABASE_NAME}")
        else:
            folder.mkdir(parents=True, exist_ok=True)
            _refuse_read_only(folder, path)
    except OSError as error:
        raise _path_error(folder, _first_failure(folder) or error) from None
    return path


def _refuse_unmigrated(applied: list[str], folder: Path) -> None:
    """Refuse, read-only, a database that is empty or needs a migration (cannot read it)."""
    if not applied:
        raise _no_workspace(folder, f"{DATABASE_NAME} 中没有任何数据")
    pending = _pending(applied)
    if pending:
        raise WorkspaceError(
            f"工作区 {folder} 由旧版本程序写入，需要先升级（{', '.join(pending)}）才能读取；"
            "只读命令不会修改工作区，因此没有读取。工作区未被修改。"
            "请先用写入命令（例如 `inspector demo`）或桌面程序打开一次，它会先备份再升级。"
        )


@dataclass
class WorkspaceFile:
    """A workspace's database opened on a plain connection and checked, before the rest of
    the opening (`finish_opening`): not written by a newer version, and (`read_only`) neither
    empty nor in need of a migration.

    When `current` (nothing to migrate), it can be read as this version reads it at once:
    the app reads its case list so, and paints it before sqlite-utils is even imported.
    """

    folder: Path
    path: Path
    conn: sqlite3.Connection
    read_only: bool
    applied: list[str]

    @property
    def current(self) -> bool:
        """Whether every migration of this version has been applied (none is pending)."""
        return bool(self.applied) and not _pending(self.applied)

    def close(self) -> None:
        """Close the connection (when the opening is not finished)."""
        self.conn.close()


def open_database(folder: Path, *, read_only: bool = False) -> WorkspaceFile:
    """Open and check the database of the workspace in `folder` (the first half of
    `open_workspace`, which says what it does and raises): the folder and the database file
    are created when missing (unless `read_only`), nothing is migrated yet."""
    folder = Path(folder)
    with storage_errors():
        path = _locate(folder, read_only=read_only)
        conn = connect(path, read_only=read_only)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            applied = applied_names(conn, MIGRATIONS.name)
            _refuse_newer(applied)
            if read_only:
                _refuse_unmigrated(applied, folder)
        except BaseException:
            conn.close()
            raise
    return WorkspaceFile(folder, path, conn, read_only, applied)


def finish_opening(file: WorkspaceFile, *, install_forms: bool = True) -> Workspace:
    """Finish opening a workspace checked by `open_database` (the second half of
    `open_workspace`): back up and migrate when a migration is pending, sweep what a crash
    left, install the shipped forms (with `install_forms`); return the open workspace, which
    takes over the connection (closed here on failure)."""
    from sqlite_utils import Database  # some 40 ms: not before the app's first paint

    folder = file.folder
    with storage_errors():
        # No sqlite-utils plugins: none may hook the audited connection, and looking for them
        # (every installed package's entry points) costs each start some 15 ms.
        db = Database(file.conn, execute_plugins=False)
        try:
            if file.read_only:
                return Workspace(folder=folder, db=db, read_only=True)
            # Read again: another program may have migrated it since `open_database`.
            applied = applied_names(file.conn, MIGRATIONS.name)
            _refuse_newer(applied)
            pending = _pending(applied)
            if pending:  # else nothing to do, and sqlite-utils need not introspect its table
                if applied:
                    _backup_before_migrating(file.path, db, datetime.now(UTC))
                MIGRATIONS.apply(db)
            (folder / ATTACHMENTS_DIR).mkdir(exist_ok=True)
            from inspector_app.store.pending import clean_up_leftovers

            # A workspace older than the pending table may hold what a crash left: sweep once.
            clean_up_leftovers(db, folder, sweep=PENDING_MIGRATION in pending)
            workspace = Workspace(folder=folder, db=db)
            if install_forms:
                from inspector_app.store.form_library import install_shipped_forms

                install_shipped_forms(db)
        except BaseException:
            db.close()
            raise
    return workspace


def open_workspace(
    folder: Path, *, install_forms: bool = True, read_only: bool = False
) -> Workspace:
    """Open the workspace in `folder`.

    Args:
        folder: The workspace folder.
        install_forms: Install the shipped checklist forms (not with `read_only`).
        read_only: Open an existing workspace without writing anything: nothing is created,
            migrated or installed, and it works on a read-only folder or mount. Without it,
            the folder and database are created if needed and migrated to this version.

    Whatever a crash left (attachment files without their record, temporary files) is removed.

    Raises:
        WorkspaceError: the path cannot be used (a file on the way, too long, a symlink loop,
            unreachable, no permission), no workspace is there (`read_only`), the folder cannot
            be written, the file is corrupt or locked, it was written by a newer version, or
            (`read_only`) it needs a migration first.
    """
    return finish_opening(open_database(folder, read_only=read_only), install_forms=install_forms)
