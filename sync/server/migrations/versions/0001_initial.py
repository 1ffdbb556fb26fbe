"""The first schema: registry, enrollment, devices, mutations, record heads, change log,
conflicts.

Revision ID: 0001
Revises: (none)
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# The change log's sequence: a 64-bit integer on PostgreSQL (BIGSERIAL), SQLite's rowid there.
SEQ = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Create the tables of the first release."""
    op.create_table(
        "reviewer",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("unit", sa.Text, nullable=False),
        sa.Column("unit_type", sa.Text, nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("certificate_no", sa.Text),
        sa.Column("certificate_expiry", sa.String(10)),
        sa.Column("created_at", sa.String(40), nullable=False),
    )
    op.create_table(
        "enrollment_code",
        sa.Column("code_hash", sa.String(64), primary_key=True),
        sa.Column("reviewer_id", sa.String(64), sa.ForeignKey("reviewer.id"), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("used_at", sa.String(40)),
    )
    op.create_table(
        "device",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("reviewer_id", sa.String(64), sa.ForeignKey("reviewer.id"), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("enrolled_at", sa.String(40), nullable=False),
        sa.Column("last_seen_at", sa.String(40)),
    )
    op.create_table(
        "mutation",
        sa.Column("mutation_id", sa.String(64), primary_key=True),
        sa.Column("device_id", sa.String(64), sa.ForeignKey("device.id"), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("result", sa.Text, nullable=False),
        sa.Column("received_at", sa.String(40), nullable=False),
    )
    op.create_table(
        "record_head",
        sa.Column("record_table", sa.String(64), primary_key=True),
        sa.Column("record_id", sa.String(64), primary_key=True),
        sa.Column("version_id", sa.String(64)),
        sa.Column("locked", sa.Integer, nullable=False),
        sa.Column("change_seq", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "change",
        sa.Column("seq", SEQ, primary_key=True, autoincrement=True),
        sa.Column("mutation_id", sa.String(64), nullable=False, unique=True),
        sa.Column("record_table", sa.String(64), nullable=False),
        sa.Column("record_id", sa.String(64), nullable=False),
        sa.Column("case_id", sa.String(64)),
        sa.Column("version_id", sa.String(64)),
        sa.Column("base_version_id", sa.String(64)),
        sa.Column("device_id", sa.String(64), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("committed_at", sa.String(40), nullable=False),
    )
    op.create_table(
        "conflict",
        sa.Column("id", SEQ, primary_key=True, autoincrement=True),
        sa.Column("mutation_id", sa.String(64), nullable=False, unique=True),
        sa.Column("device_id", sa.String(64), nullable=False),
        sa.Column("record_table", sa.String(64), nullable=False),
        sa.Column("record_id", sa.String(64), nullable=False),
        sa.Column("case_id", sa.String(64)),
        sa.Column("version_id", sa.String(64)),
        sa.Column("base_version_id", sa.String(64)),
        sa.Column("head_version_id", sa.String(64)),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("found_at", sa.String(40), nullable=False),
        sa.Column("resolved_at", sa.String(40)),
    )


def downgrade() -> None:
    """Not supported: the central office restores a backup instead."""
    raise NotImplementedError("downgrade: restore a backup of the database")
