"""Conflicts of kind "rule" (a pushed record that breaks a rule of its case) and the index the
rules need to read a case's records.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add `conflict.kind` ("version": a stale base or a signed record, every conflict kept
    before; "rule": the record breaks a rule of its case) and the index `change_case` on
    `change (case_id, seq)` (a case's records, read at each push to check its rules)."""
    found = sa.inspect(op.get_bind())
    columns = {c["name"] for c in found.get_columns("conflict")}
    if "kind" not in columns:
        op.add_column(
            "conflict",
            sa.Column("kind", sa.String(16), nullable=False, server_default="version"),
        )
    if "change_case" not in {i["name"] for i in found.get_indexes("change")}:
        op.create_index("change_case", "change", ["case_id", "seq"])


def downgrade() -> None:
    """Not supported: the central office restores a backup instead."""
    raise NotImplementedError("downgrade: restore a backup of the database")
