"""The conflicts' own sequence (a laptop's conflicts cursor) and the log of case assignments
(who assigned or withdrew which reviewer, and when).

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

SEQ = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Add `conflict.event_seq` (the kept conflicts numbered in their order, by id) with its
    unique index, and create `assignment_log` (`sync.server.assignments`)."""
    # A database whose tables were created before migrations existed may have them already.
    found = sa.inspect(op.get_bind())
    columns = {c["name"] for c in found.get_columns("conflict")}
    indexes = {i["name"] for i in found.get_indexes("conflict")}
    if "event_seq" not in columns:
        op.add_column("conflict", sa.Column("event_seq", sa.BigInteger, nullable=True))
    op.execute("UPDATE conflict SET event_seq = id WHERE event_seq IS NULL")
    with op.batch_alter_table("conflict") as batch:
        batch.alter_column("event_seq", existing_type=sa.BigInteger, nullable=False)
    if "conflict_event_seq" not in indexes:
        op.create_index("conflict_event_seq", "conflict", ["event_seq"], unique=True)
    op.create_table(
        "assignment_log",
        sa.Column("seq", SEQ, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.String(64), nullable=False),
        sa.Column("reviewer_id", sa.String(64), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("actor", sa.Text, nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("notice_seq", sa.BigInteger),
    )
    op.create_index("assignment_log_case", "assignment_log", ["case_id", "reviewer_id"])


def downgrade() -> None:
    """Not supported: the central office restores a backup instead."""
    raise NotImplementedError("downgrade: restore a backup of the database")
