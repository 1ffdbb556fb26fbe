"""Storage faults a person can meet, each with what they see and proof nothing partial was kept.

Full disk, a read-only workspace, a database from a newer version, a corrupt file, a workspace
path that is a file, and the backup taken before migrating an existing workspace.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from inspector_app.casefile.reader import parse_case_file
from inspector_app.casefile.replay import import_case
from inspector_app.casefile.writer import case_json
from inspector_app.cli import cli
from inspector_app.core.model import Actor
from inspector_app.demo import demo_id
from inspector_app.store import workspace as workspace_module
from inspector_app.store.audit import verify_audit_trail
from inspector_app.store.casework import load_case_file
from inspector_app.store.errors import WorkspaceError
from inspector_app.store.schema import MIGRATIONS
from inspector_app.store.workspace import DATABASE_NAME, open_workspace
from tests.conftest import DemoWorkspaces

CLERK = Actor("00000000-0000-4000-8000-000000000002", "张三")
NOW = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)
NOBODY = 65534


def counts(db: Database) -> tuple[int, int, int]:
    """Return (cases, audit events, outbox rows): what a partial write would change."""
    return tuple(  # type: ignore[return-value]
        db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("review_case", "audit_event", "outbox")
    )


def attachment_files(folder: Path) -> list[str]:
    """Return every file under the workspace's attachments folder (an empty shard folder
    left behind by a refused import holds no data, so folders are not listed)."""
    return sorted(
        str(p.relative_to(folder)) for p in (folder / "attachments").rglob("*") if p.is_file()
    )


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def demo_case_files(
    demo_workspaces: DemoWorkspaces, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, bytes]:
    """Return case files of demo cases d (passed) and f (sampled) from a demo workspace."""
    folder = tmp_path_factory.mktemp("demo") / "workspace"
    demo_workspaces.copy(folder, NOW)
    with open_workspace(folder) as workspace:
        return {
            key: case_json(load_case_file(workspace.db, demo_id(key, "case")), workspace).encode(
                "utf-8"
            )
            for key in ("d", "f")
        }


def assert_opens_and_verifies(folder: Path) -> None:
    with open_workspace(folder) as workspace:
        assert workspace.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert verify_audit_trail(workspace.db) == []


# (a) full disk ------------------------------------------------------------------------------


def test_full_disk_during_import_keeps_everything_as_it_was(
    tmp_path: Path, demo_case_files: dict[str, bytes]
) -> None:
    folder = tmp_path / "workspace"
    with open_workspace(folder) as workspace:
        import_case(
            workspace, parse_case_file(demo_case_files["f"]), importer=CLERK, clock=lambda: NOW
        )
        db = workspace.db
        before = counts(db)
        files_before = attachment_files(folder)
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {pages + 1}")
        with pytest.raises(WorkspaceError) as caught:
            import_case(
                workspace, parse_case_file(demo_case_files["d"]), importer=CLERK, clock=lambda: NOW
            )
        message = str(caught.value)
        assert "磁盘已满" in message
        assert "之前保存的数据均完好" in message  # what was kept
        assert "未写入任何内容" in message
        assert counts(db) == before
        assert attachment_files(folder) == files_before
    assert_opens_and_verifies(folder)
    with open_workspace(folder) as workspace:
        assert counts(workspace.db) == before
        # with room again, the same import goes through
        import_case(
            workspace, parse_case_file(demo_case_files["d"]), importer=CLERK, clock=lambda: NOW
        )
        assert counts(workspace.db)[0] == before[0] + 1


# (b) read-only workspace --------------------------------------------------------------------


def _run_cli_as(user: int | None, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "inspector_app.cli", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        user=user,
        env={**os.environ, "HOME": "/tmp"},
        timeout=120,
        check=False,
    )


def _assert_one_clear_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("错误：")
    return lines[0]


def _nobody_can_run_python() -> str | None:
    """Return why user nobody cannot run this interpreter and project, or None when it can."""
    try:
        probe = subprocess.run(
            [sys.executable, "-c", "import inspector_app.cli"],
            capture_output=True,
            user=NOBODY,
            timeout=60,
            check=False,
        )
    except PermissionError as error:
        return (
            f"user nobody cannot execute the venv's interpreter "
            f"{os.path.realpath(sys.executable)} (a parent folder is not readable by others): "
            f"{error}"
        )
    if probe.returncode != 0:
        return f"user nobody cannot import the project: {probe.stderr.decode(errors='replace')}"
    return None


@pytest.fixture
def demo_folder(demo_workspaces: DemoWorkspaces, tmp_path: Path) -> Path:
    folder = tmp_path / "workspace"
    demo_workspaces.copy(folder, NOW)
    return folder


@pytest.fixture
def read_only_mount(demo_folder: Path, tmp_path: Path) -> Iterator[Path]:
    """Yield the demo workspace seen through a read-only bind mount (skip when not allowed)."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("a read-only bind mount needs root and mount(8)")
    target = tmp_path / "read-only"
    target.mkdir()
    made = subprocess.run(["mount", "--bind", str(demo_folder), str(target)], check=False)
    if made.returncode != 0:
        pytest.skip("mount --bind is not permitted here (no CAP_SYS_ADMIN)")
    try:
        ro = subprocess.run(["mount", "-o", "remount,bind,ro", str(target)], check=False)
        if ro.returncode != 0:
            pytest.skip("remounting read-only is not permitted here")
        yield target
    finally:
        subprocess.run(["umount", str(target)], check=True)


def test_read_only_filesystem_says_so_in_one_line(read_only_mount: Path) -> None:
    """A writing command is refused in one line; a reading one works (read-only open)."""
    before = sha256_of(read_only_mount / DATABASE_NAME)
    result = _run_cli_as(None, "--workspace", str(read_only_mount), "--user", "王建华", "demo")
    line = _assert_one_clear_line(result)
    assert "只读" in line or "权限" in line
    result = _run_cli_as(None, "--workspace", str(read_only_mount), "case", "list")
    assert result.returncode == 0 and "XK06-2026-0104" in result.stdout, result.stderr
    assert sha256_of(read_only_mount / DATABASE_NAME) == before


def test_read_only_folder_for_an_unprivileged_user(demo_folder: Path) -> None:
    """As root chmod stops nothing, so the CLI runs as user nobody on a root-owned folder."""
    if os.geteuid() == 0:
        reason = _nobody_can_run_python()
        if reason is not None:
            pytest.skip(f"cannot run the CLI as nobody: {reason}")
        user: int | None = NOBODY
        # nobody must reach the workspace: a world-traversable parent owned by root
        parent = Path(tempfile.mkdtemp(prefix="inspector-ro-"))
        parent.chmod(0o755)
        folder = parent / "workspace"
        shutil.copytree(demo_folder, folder)
    else:
        user = None
        parent = None
        folder = demo_folder
    try:
        for path in [folder, *folder.rglob("*")]:
            path.chmod(0o555 if path.is_dir() else 0o444)
        before = sha256_of(folder / DATABASE_NAME)
        result = _run_cli_as(user, "--workspace", str(folder), "--user", "王建华", "demo")
        line = _assert_one_clear_line(result)
        assert "只读" in line or "权限" in line
        assert sha256_of(folder / DATABASE_NAME) == before
    finally:
        for path in [folder, *folder.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        if parent is not None:
            shutil.rmtree(parent)


# (c) written by a newer version -------------------------------------------------------------


def test_newer_version_is_refused_and_the_file_left_untouched(demo_folder: Path) -> None:
    with open_workspace(demo_folder) as workspace:
        workspace.db["_sqlite_migrations"].insert(
            {
                "migration_set": "inspector",
                "name": "9999_from_the_future",
                "applied_at": "2027-01-01 00:00:00.000000+00:00",
            }
        )
    path = demo_folder / DATABASE_NAME
    before = path.read_bytes()
    with pytest.raises(WorkspaceError) as caught:
        open_workspace(demo_folder)
    assert "更新版本" in str(caught.value)
    assert "9999_from_the_future" in str(caught.value)
    assert path.read_bytes() == before
    assert not list(demo_folder.glob(f"{DATABASE_NAME}.bak-*"))

    result = CliRunner().invoke(cli, ["--workspace", str(demo_folder), "case", "list"])
    assert result.exit_code == 1
    assert "更新版本" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert path.read_bytes() == before


# (d) corrupt file ---------------------------------------------------------------------------


def test_corrupt_database_is_reported_not_crashed_on(tmp_path: Path) -> None:
    folder = tmp_path / "workspace"
    folder.mkdir()
    path = folder / DATABASE_NAME
    # deterministic noise, not a SQLite header
    garbage = bytes((i * 7919 + 13) % 256 for i in range(64 * 1024))
    path.write_bytes(garbage)
    with pytest.raises(WorkspaceError) as caught:
        open_workspace(folder)
    assert "损坏" in str(caught.value)
    assert path.read_bytes() == garbage

    result = _run_cli_as(None, "--workspace", str(folder), "case", "list")
    line = _assert_one_clear_line(result)
    assert "损坏" in line
    assert path.read_bytes() == garbage


def test_corrupt_pages_inside_a_valid_header_are_reported(demo_folder: Path) -> None:
    path = demo_folder / DATABASE_NAME
    data = bytearray(path.read_bytes())
    page = 4096
    for i in range(page * 2, len(data)):  # keep the header page, scramble the rest
        data[i] = (i * 131 + 7) % 256
    path.write_bytes(bytes(data))
    result = _run_cli_as(None, "--workspace", str(demo_folder), "case", "list")
    line = _assert_one_clear_line(result)
    assert "损坏" in line


# (e) the workspace path is a file -----------------------------------------------------------


def test_workspace_path_that_is_a_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("不是工作区", encoding="utf-8")
    with pytest.raises(WorkspaceError) as caught:
        open_workspace(path)
    assert "是一个文件，不是文件夹" in str(caught.value)
    assert path.read_text(encoding="utf-8") == "不是工作区"

    result = CliRunner().invoke(cli, ["--workspace", str(path), "case", "list"])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "是一个文件" in result.stderr
    assert path.read_text(encoding="utf-8") == "不是工作区"


# (f) backup before migrating ----------------------------------------------------------------


def test_backup_is_taken_before_pending_migrations_run(
    demo_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A copy of the workspace's migrations plus one new one stands in for an upgrade."""
    path = demo_folder / DATABASE_NAME
    before = path.read_bytes()  # closed: the WAL is checkpointed into the file
    upgraded = Migrations("inspector")
    for migration in MIGRATIONS._migrations:
        upgraded(name=migration.name)(migration.fn)

    @upgraded(name="9000_test_upgrade")
    def add_table(db: Database) -> None:
        db.execute("CREATE TABLE upgrade_marker (id INTEGER PRIMARY KEY)")

    monkeypatch.setattr(workspace_module, "MIGRATIONS", upgraded)
    with open_workspace(demo_folder) as workspace:
        assert workspace.db["upgrade_marker"].exists()
        cases = workspace.db.execute("SELECT count(*) FROM review_case").fetchone()[0]
    backups = list(demo_folder.glob(f"{DATABASE_NAME}.bak-*"))
    assert len(backups) == 1
    assert backups[0].read_bytes() == before
    with Database(backups[0]) as old:
        assert not old["upgrade_marker"].exists()
        assert old.execute("SELECT count(*) FROM review_case").fetchone()[0] == cases
    # opening again migrates nothing, so no second backup
    with open_workspace(demo_folder):
        pass
    assert len(list(demo_folder.glob(f"{DATABASE_NAME}.bak-*"))) == 1


def test_no_backup_for_a_new_or_current_workspace(demo_folder: Path) -> None:
    with open_workspace(demo_folder):
        pass
    assert not list(demo_folder.glob(f"{DATABASE_NAME}.bak-*"))
