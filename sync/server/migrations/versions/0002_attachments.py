"""Attachments received by content hash, and the cases that use them.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create `attachment` (complete files only) and `attachment_case`."""
    op.create_table(
        "attachment",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("device_id", sa.String(64), nullable=False),
        sa.Column("received_at", sa.String(40), nullable=False),
    )
    op.create_table(
        "attachment_case",
        sa.Column("sha256", sa.String(64), sa.ForeignKey("attachment.sha256"), primary_key=True),
        sa.Column("case_id", sa.String(64), primary_key=True),
    )


def downgrade() -> None:
    """Not supported: the central office restores a backup instead."""
    raise NotImplementedError("downgrade: restore a backup of the database")
