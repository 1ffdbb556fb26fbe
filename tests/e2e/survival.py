"""What a workspace must show after a writer was killed: checks shared by the crash tests."""

from __future__ import annotations

from sqlite_utils import Database

from inspector_app.store.audit import verify_audit_trail


def assert_intact(db: Database, round_no: int) -> None:
    """Assert that the workspace passes SQLite's integrity check and the audit-chain check."""
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok", round_no
    assert verify_audit_trail(db) == [], f"round {round_no}: audit chain broken"


def checklist_versions(db: Database, table: str, case_id: str) -> set[str]:
    """Return the version ids of the case's checklist results that `table` ("audit_event" or
    "outbox") names."""
    assert table in ("audit_event", "outbox")
    return {
        row["version_id"]
        for row in db.query(
            f"SELECT version_id FROM {table} "  # one of two fixed names
            "WHERE case_id = ? AND record_table = 'checklist_result'",
            [case_id],
        )
    }
