"""How the workspace stands with its office, read cheaply (no cryptography imported): the
office it is enrolled with, how many changes wait in the outbox, and when it last synced.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from inspector_app.store.errors import storage_errors
from inspector_app.store.sql import fetch_one

SERVER_KEY = "sync.server_url"
LAST_SYNC_KEY = "sync.last_sync_at"


@dataclass(frozen=True)
class SyncState:
    """How this workspace stands with its office, as the app's sync panel shows it."""

    server_url: str | None
    pending: int
    last_sync_at: str | None
    held: int = 0
    """Queued changes held back: their case was withdrawn from this reviewer."""
    registry_held: int = 0
    """Queued changes of the reviewer registry (made before enrollment): held, never sent, as
    the office keeps the registry (`sync_queue.held_registry`)."""

    @property
    def enrolled(self) -> bool:
        """True once the workspace was enrolled with an office."""
        return self.server_url is not None


def sync_state(db: Database) -> SyncState:
    """Return the office this workspace syncs with, its queue length (without the changes
    held back, counted apart) and its last sync."""
    with storage_errors():
        server = fetch_one(db, "SELECT value FROM meta WHERE key = ?", [SERVER_KEY])
        last = fetch_one(db, "SELECT value FROM meta WHERE key = ?", [LAST_SYNC_KEY])
        pending = fetch_one(db, "SELECT count(*) AS n FROM outbox")
        held = (
            fetch_one(
                db,
                "SELECT count(*) AS n FROM outbox "
                "WHERE case_id IN (SELECT case_id FROM case_withdrawal) "
                "AND record_table <> 'reviewer'",
            )
            if "case_withdrawal" in db.table_names()
            else None
        )
        registry = fetch_one(db, "SELECT count(*) AS n FROM outbox WHERE record_table = 'reviewer'")
    held_n = 0 if held is None else int(held["n"])
    registry_n = 0 if registry is None else int(registry["n"])
    return SyncState(
        server_url=None if server is None else str(server["value"]),
        pending=(0 if pending is None else int(pending["n"])) - held_n - registry_n,
        last_sync_at=None if last is None else str(last["value"]),
        held=held_n,
        registry_held=registry_n,
    )
