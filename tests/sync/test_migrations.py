"""The server's schema comes from its Alembic revisions, on SQLite and PostgreSQL: the migrated
database matches the tables the code declares, a database made before migrations is adopted
with its data, and `inspector-server db upgrade` names the revision."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from click.testing import CliRunner
from sqlalchemy import insert, inspect, select

from sync.server import migrate
from sync.server.cli import cli as server_cli
from sync.server.storage import Storage, make_engine, metadata, reviewer


def test_migrated_schema_matches_the_declared_tables(storage: Storage) -> None:
    with storage.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
    assert differences == []
    assert migrate.current(storage.engine) == migrate.head()


def test_opening_again_changes_nothing(storage: Storage, database_url: str | None) -> None:
    again = Storage.open(storage.data, database_url)
    try:
        assert migrate.current(again.engine) == migrate.head()
    finally:
        again.close()


def test_a_database_made_before_migrations_is_adopted_with_its_data(tmp_path: Path) -> None:
    engine = make_engine(tmp_path, None)
    later = {
        "attachment",
        "attachment_case",
        "case_scope",
        "case_assignment",
        "qualified_agency",
        "assignment_log",
    }
    first = [t for t in metadata.sorted_tables if t.name not in later]  # revision 0001's
    metadata.create_all(engine, tables=first)
    with engine.begin() as conn:
        conn.execute(
            insert(reviewer).values(
                id="r-1",
                name="王建华",
                unit="质检院",
                unit_type="inspection_agency",
                role="leader",
                created_at="2026-11-26T08:00:00+00:00",
            )
        )
    engine.dispose()
    storage = Storage.open(tmp_path)
    try:
        assert migrate.current(storage.engine) == migrate.head()
        assert "attachment" in inspect(storage.engine).get_table_names()
        with storage.reading() as conn:
            assert conn.execute(select(reviewer.c.name)).scalar_one() == "王建华"
    finally:
        storage.close()


def test_db_upgrade_command_names_the_revision(tmp_path: Path, database_url: str | None) -> None:
    options = ["--data", str(tmp_path / "server")]
    if database_url is not None:
        options += ["--database-url", database_url]
    result = CliRunner().invoke(server_cli, [*options, "db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert f"revision {migrate.head()}" in result.output


def test_a_bad_database_url_is_a_clear_error(tmp_path: Path) -> None:
    base = ["--data", str(tmp_path)]
    wrong = CliRunner().invoke(
        server_cli, [*base, "--database-url", "mysql://x/y", "db", "upgrade"]
    )
    assert wrong.exit_code == 2
    assert "postgresql://" in wrong.output and "Traceback" not in wrong.output
    unreachable = CliRunner().invoke(
        server_cli,
        [*base, "--database-url", "postgresql://nobody@127.0.0.1:1/none", "db", "upgrade"],
    )
    assert unreachable.exit_code == 1
    assert "cannot open the database" in unreachable.output
    assert unreachable.exception is None or isinstance(unreachable.exception, SystemExit)
