"""Alembic migrations of the central office's database (SQLite or PostgreSQL).

They run programmatically when the server opens its storage (`sync.server.migrate.upgrade`)
and by `inspector-server db upgrade`. Revisions live in `versions/`, one file each.

How to add the next revision (no autogenerate needed, and none is trusted blindly):

1. Change the tables in `sync/server/storage.py` (or add a table on its `metadata`).
2. Copy `versions/0001_initial.py` to `versions/0002_<what>.py`; set `revision = "0002"` and
   `down_revision = "0001"`; write `upgrade()` with `op.create_table` / `op.add_column` /
   `op.create_index` (in `op.batch_alter_table(...)` when SQLite must rebuild a table).
3. `tests/sync/test_migrations.py` compares the migrated schema with `metadata` on SQLite and
   PostgreSQL: it fails until the revision matches the tables.
"""
