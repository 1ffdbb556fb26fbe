"""One sync of this workspace with the office it is enrolled with, and whether that office
can be reached: what `inspector sync` and the app's sync button share.

Nothing here keeps a passphrase or a token: the caller supplies the passphrase for each run.
"""

from __future__ import annotations

import socket
from datetime import datetime
from urllib.parse import urlsplit

from sqlite_utils import Database

from inspector_app.store import sync_queue
from sync.client.engine import SyncError, SyncReport

REACH_TIMEOUT = 2.0
"""Seconds a reachability probe waits for the office's port."""


class NotEnrolled(SyncError):
    """The workspace has not been enrolled with an office yet."""

    def __init__(self) -> None:
        super().__init__("这个工作区还没有登记到中心：请先运行 inspector enroll。")


def sync_workspace(
    db: Database, *, passphrase: str, now: datetime, timeout: float = 60.0
) -> SyncReport:
    """Sync the workspace with the office it is enrolled with (push, then pull).

    Raises:
        NotEnrolled: No office yet.
        SyncError: The office refused, or could not be reached; the queue is as it was (the
            engine turns every transport failure into one).
    """
    import httpx

    from sync.client.engine import run_sync

    server_url = sync_queue.enrolled_server(db)
    if server_url is None:
        raise NotEnrolled()
    with httpx.Client(base_url=server_url, timeout=timeout) as http:
        return run_sync(db, http, passphrase=passphrase, now=now)


def reachable(server_url: str, timeout: float = REACH_TIMEOUT) -> bool:
    """Return whether the office's host accepts a connection on its port (no request sent)."""
    parts = urlsplit(server_url)
    if parts.hostname is None:
        return False
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((parts.hostname, port), timeout=timeout):
            return True
    except OSError:
        return False
