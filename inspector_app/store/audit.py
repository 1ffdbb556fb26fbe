"""Reading and verifying the workspace's audit trail."""

from __future__ import annotations

from sqlite_utils import Database

from inspector_app.core.audit_chain import ChainProblem, verify_chain
from inspector_app.store.errors import storage_errors


def verify_audit_trail(db: Database, case_id: str | None = None) -> list[ChainProblem]:
    """Return every problem in the stored audit chain (for one case, when given)."""
    with storage_errors():
        events = list(db.query("SELECT * FROM audit_event ORDER BY seq"))
        head = list(db.query("SELECT value FROM meta WHERE key = 'audit_head'"))
    return verify_chain(events, head[0]["value"] if head else None, case_id)


def audit_event_count(db: Database, case_id: str | None = None) -> int:
    """Return how many audit events there are (for one case, when given)."""
    if case_id is None:
        return int(db.execute("SELECT count(*) FROM audit_event").fetchone()[0])
    return int(
        db.execute("SELECT count(*) FROM audit_event WHERE case_id = ?", [case_id]).fetchone()[0]
    )
