"""Opening a workspace in two halves: `open_database` checks it with one read of the applied
migrations; `finish_opening` migrates only what is pending (after a backup)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from inspector_app.store import workspace as workspace_module
from inspector_app.store.errors import WorkspaceError
from inspector_app.store.migration_set import MigrationSet, applied_names
from inspector_app.store.schema import MIGRATIONS
from inspector_app.store.workspace import (
    DATABASE_NAME,
    connect,
    finish_opening,
    open_database,
    open_workspace,
)
from tests.conftest import DemoWorkspaces

NOW = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)


@pytest.fixture
def demo_folder(demo_workspaces: DemoWorkspaces, tmp_path: Path) -> Path:
    return demo_workspaces.copy(tmp_path / "ws", NOW)


def test_applied_names_are_what_sqlite_utils_reads(demo_folder: Path) -> None:
    conn = connect(demo_folder / DATABASE_NAME)
    try:
        db = Database(conn, execute_plugins=False)
        expected = [m.name for m in MIGRATIONS.migrations().applied(db)]
        assert applied_names(conn, "inspector") == expected == MIGRATIONS.names()
        assert applied_names(conn, "another set") == []
    finally:
        conn.close()
    empty = sqlite3.connect(demo_folder.parent / "empty.db")
    assert applied_names(empty, "inspector") == []
    empty.close()


def test_the_migration_set_registers_as_sqlite_utils_does() -> None:
    migrations = MigrationSet("test")

    @migrations(name="0001_first")
    def first(db: Database) -> None:
        db.execute("CREATE TABLE t (id INTEGER)")

    @migrations()
    def second(db: Database) -> None:
        db.execute("INSERT INTO t VALUES (1)")

    assert migrations.names() == ["0001_first", "second"]
    with pytest.raises(ValueError, match="already registered"):
        migrations(name="second")(first)
    real = migrations.migrations()
    assert isinstance(real, Migrations)
    assert [m.name for m in real._migrations] == ["0001_first", "second"]
    db = Database(memory=True)
    migrations.apply(db, stop_before="second")
    assert [m.name for m in migrations.applied(db)] == ["0001_first"]
    assert [m.name for m in migrations.pending(db)] == ["second"]
    migrations.apply(db)
    assert db.execute("SELECT count(*) FROM t").fetchone()[0] == 1


def test_an_up_to_date_workspace_opens_without_the_migration_machinery(demo_folder: Path) -> None:
    """The schema check is two small reads; sqlite-utils' `Migrations` (which introspects its
    table at every `apply`) does not run when nothing is pending."""
    file = open_database(demo_folder)
    assert file.current
    statements: list[str] = []
    file.conn.set_trace_callback(statements.append)
    with finish_opening(file) as workspace:
        assert workspace.db.execute("SELECT count(*) FROM review_case").fetchone()[0] == 9
    migration_statements = [s for s in statements if "_sqlite_migrations" in s]
    # whether the table is there, and the names applied: nothing written, nothing introspected
    assert len(migration_statements) == 2, migration_statements
    assert all(s.startswith("SELECT") for s in migration_statements)
    assert not any("PRAGMA table_info" in s or "PRAGMA index_list" in s for s in statements)
    assert not list(demo_folder.glob(f"{DATABASE_NAME}.bak-*"))  # nothing migrated, no backup


def test_a_workspace_with_a_pending_migration_is_not_current_and_is_migrated(
    demo_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    upgraded = MigrationSet("inspector")
    for migration in MIGRATIONS._migrations:
        upgraded(name=migration.name)(migration.fn)

    @upgraded(name="9000_test_upgrade")
    def add_table(db: Database) -> None:
        db.execute("CREATE TABLE upgrade_marker (id INTEGER PRIMARY KEY)")

    monkeypatch.setattr(workspace_module, "MIGRATIONS", upgraded)
    file = open_database(demo_folder)
    assert not file.current
    with finish_opening(file) as workspace:
        assert workspace.db["upgrade_marker"].exists()
    assert len(list(demo_folder.glob(f"{DATABASE_NAME}.bak-*"))) == 1
    file = open_database(demo_folder)
    assert file.current
    file.close()


def test_a_new_workspace_is_not_current_until_migrated(tmp_path: Path) -> None:
    file = open_database(tmp_path / "new")
    assert not file.current and file.applied == []
    with finish_opening(file):
        pass
    assert not list((tmp_path / "new").glob(f"{DATABASE_NAME}.bak-*"))  # nothing to back up
    file = open_database(tmp_path / "new")
    assert file.current
    file.close()


def test_a_workspace_of_a_newer_version_is_refused_by_the_first_half(demo_folder: Path) -> None:
    with open_workspace(demo_folder) as workspace:
        workspace.db["_sqlite_migrations"].insert(
            {"migration_set": "inspector", "name": "9999_from_the_future", "applied_at": "x"}
        )
    with pytest.raises(WorkspaceError, match="更新版本"):
        open_database(demo_folder)
    with pytest.raises(WorkspaceError, match="更新版本"):
        open_database(demo_folder, read_only=True)
