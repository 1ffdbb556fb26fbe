"""The workspace's ordered migrations, known without importing sqlite-utils.

Whether a workspace is up to date is two small reads (`applied_names`) against the names this
version knows; opening the app on an up-to-date workspace then needs neither sqlite-utils'
`Migrations` (which introspects its table at every `apply`) nor sqlite-utils itself before
the case list is painted. Pending migrations are applied by sqlite-utils' `Migrations`, built
from this set when needed: the same names, functions and order, the same `_sqlite_migrations`
table.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

MIGRATIONS_TABLE = "_sqlite_migrations"
"""The table in which sqlite-utils records each migration applied."""

F = TypeVar("F", bound=Callable[..., None])


@dataclass(frozen=True)
class Migration:
    """One migration: its released name, the function that makes it, and whether it runs in a
    transaction (as sqlite-utils' `Migrations` registers it)."""

    name: str
    fn: Callable[[Database], None]
    transactional: bool = True


class MigrationSet:
    """An ordered set of migrations, declared as sqlite-utils' `Migrations` declares them
    (`@MIGRATIONS(name=...)`), and applied through it."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._migrations: list[Migration] = []

    def __call__(self, *, name: str | None = None, transactional: bool = True) -> Callable[[F], F]:
        """Register the decorated function as the next migration, under `name` (default: the
        function's name); a name registered twice is refused, as sqlite-utils refuses it."""

        def register(fn: F) -> F:
            migration_name = name or fn.__name__
            if any(m.name == migration_name for m in self._migrations):
                raise ValueError(
                    f"Migration '{migration_name}' is already registered in set '{self.name}'"
                )
            self._migrations.append(Migration(migration_name, fn, transactional))
            return fn

        return register

    def names(self) -> list[str]:
        """Return the names of the migrations, in order."""
        return [m.name for m in self._migrations]

    def migrations(self) -> Migrations:
        """Return sqlite-utils' `Migrations` holding this set (imports sqlite-utils)."""
        from sqlite_utils.migrations import Migrations

        real = Migrations(self.name)
        for migration in self._migrations:
            real(name=migration.name, transactional=migration.transactional)(migration.fn)
        return real

    def applied(self, db: Database) -> list[Migrations._AppliedMigration]:
        """Return the migrations applied to `db`, in the order they were applied."""
        return self.migrations().applied(db)

    def pending(self, db: Database) -> list[Migrations._Migration]:
        """Return the migrations not applied to `db` yet, in order."""
        return self.migrations().pending(db)

    def apply(self, db: Database, *, stop_before: str | Iterable[str] | None = None) -> None:
        """Apply the pending migrations to `db` (each in its transaction), as sqlite-utils'
        `Migrations.apply` does; stop before `stop_before` when given."""
        self.migrations().apply(db, stop_before=stop_before)


def applied_names(conn: sqlite3.Connection, migration_set: str) -> list[str]:
    """Return the names of the migrations of `migration_set` recorded in the database, in the
    order they were applied (none when the table is not there: an empty database).

    What sqlite-utils' `Migrations.applied` reads, on a plain connection.
    """
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [MIGRATIONS_TABLE]
    ).fetchone()
    if exists is None:
        return []
    rows = conn.execute(
        f"SELECT name FROM [{MIGRATIONS_TABLE}] WHERE migration_set = ? ORDER BY rowid",
        [migration_set],
    ).fetchall()
    return [str(name) for (name,) in rows]
