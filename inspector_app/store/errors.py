"""Storage errors a person can act on (disk full, read-only, locked, corrupt, too new)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager


class WorkspaceError(Exception):
    """A known storage problem; the message says what happened, what was kept, what to do."""


class SignedRecordError(WorkspaceError):
    """An attempt to change a record that has been signed (它已签名，不可修改)."""


class WorkspaceBusyError(WorkspaceError):
    """Another program holds the workspace's database (locked or busy) past the wait."""


class DamagedRecordError(WorkspaceError, ValueError):
    """A stored value that cannot be read as what it should be (a record changed outside the
    app, a damaged file): which record, which field, which value. A ValueError too, as the
    conversion's own error was: a caller judging a record from elsewhere (a sync payload)
    refuses it as it did."""


KEPT = "之前保存的数据均完好，本次操作未写入任何内容。"


def damaged_record(
    record: str, field: str | None = None, value: object = None
) -> DamagedRecordError:
    """Return the error saying that `field` of `record` (how the record is named, e.g. 案件
    XK06-2026-0099) holds `value`, which cannot be read (None: a value of the record)."""
    shown = repr(value) if len(repr(value)) <= 80 else f"{repr(value)[:77]}..."
    what = "有值" if field is None else f"字段 {field} 的值 {shown} "
    return DamagedRecordError(
        f"工作区中{record} 的记录已损坏：{what}无法读取。其他记录不受影响。"
        "请运行 inspector audit verify 检查，并从备份（workspace.db.bak-*）恢复。"
    )


def explain_sqlite_error(error: sqlite3.Error) -> WorkspaceError | None:
    """Return the WorkspaceError a known SQLite failure stands for, or None for a bug."""
    text = str(error).lower()
    if "signed record is immutable" in text:
        return SignedRecordError(f"该记录已签名，不能修改或删除；如需更正，请另立更正记录。{KEPT}")
    if "disk is full" in text or "database or disk is full" in text:
        return WorkspaceError(f"磁盘已满，无法保存。{KEPT}请腾出磁盘空间后重试。")
    if "readonly" in text or "read-only" in text:
        return WorkspaceError(f"工作区是只读的，无法保存。{KEPT}请选择可写的工作区文件夹。")
    if "unable to open database" in text:
        return WorkspaceError("无法打开工作区数据库文件：请检查文件夹是否存在且可写。")
    if "locked" in text or "busy" in text:
        return WorkspaceBusyError(f"工作区正被另一个程序使用。{KEPT}请关闭另一个程序后重试。")
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return WorkspaceError(
            "工作区数据库文件已损坏，无法打开。请从备份（workspace.db.bak-*）恢复，或联系技术支持。"
        )
    return None


@contextmanager
def storage_errors() -> Iterator[None]:
    """Turn known SQLite and file-system failures into WorkspaceError; let bugs surface."""
    try:
        yield
    except sqlite3.Error as error:
        known = explain_sqlite_error(error)
        if known is None:
            raise
        raise known from error
    except PermissionError as error:
        raise WorkspaceError(
            f"没有写入权限：{error.filename}。{KEPT}请选择可写的工作区文件夹。"
        ) from error
    except OSError as error:
        if error.errno == 28:  # ENOSPC
            raise WorkspaceError(f"磁盘已满，无法保存。{KEPT}请腾出磁盘空间后重试。") from error
        if error.errno == 30:  # EROFS
            raise WorkspaceError(f"工作区所在磁盘是只读的。{KEPT}") from error
        raise
