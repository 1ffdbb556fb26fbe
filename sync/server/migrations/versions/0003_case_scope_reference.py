"""Case scoping (which reviewers see which case) and the qualified inspection agencies.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create `case_scope`, `case_assignment` (`sync.server.assignments`) and
    `qualified_agency` (`sync.server.reference`)."""
    op.create_table(
        "case_scope",
        sa.Column("case_id", sa.String(64), primary_key=True),
        sa.Column("application_no", sa.Text, nullable=False),
        sa.Column("enterprise_id", sa.String(64)),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
    )
    op.create_table(
        "case_assignment",
        sa.Column("case_id", sa.String(64), sa.ForeignKey("case_scope.case_id"), primary_key=True),
        sa.Column("reviewer_id", sa.String(64), sa.ForeignKey("reviewer.id"), primary_key=True),
        sa.Column("assigned_at", sa.String(40), nullable=False),
    )
    op.create_table(
        "qualified_agency",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("products", sa.Text, nullable=False),
        sa.Column("valid_until", sa.String(10)),
        sa.Column("withdrawn", sa.Integer, nullable=False),
        sa.Column("imported_at", sa.String(40), nullable=False),
    )


def downgrade() -> None:
    """Not supported: the central office restores a backup instead."""
    raise NotImplementedError("downgrade: restore a backup of the database")
