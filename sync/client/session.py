"""One sync of this workspace with the office it is enrolled with, and whether that office
can be reached: what `inspector sync` and the app's sync button share.

`inspector sync` (one process per run) supplies the passphrase and the token is unsealed by
scrypt. The app keeps a `SessionToken` for its run: the passphrase and the token it opened, in
memory only, so that scrypt runs at the first sync of the session and not at every one.
"""

from __future__ import annotations

import socket
import threading
from datetime import datetime
from urllib.parse import urlsplit

from sqlite_utils import Database

from inspector_app.store import sync_queue
from inspector_app.store.settings import device_id
from sync.client.engine import SyncError, SyncReport

REACH_TIMEOUT = 2.0
"""Seconds a reachability probe waits for the office's port."""


class NotEnrolled(SyncError):
    """The workspace has not been enrolled with an office yet."""

    def __init__(self) -> None:
        super().__init__("这个工作区还没有登记到中心：请先运行 inspector enroll。")


class SessionToken:
    """The passphrase given in this run of the app and the device token it opened.

    The token is unsealed (scrypt, slow on purpose) at the first sync of the session, then kept
    in memory only: never written, logged or shown (the repr hides both). It is opened again
    only when the workspace holds another sealed token (enrolled again). A wrong passphrase
    raises `PassphraseError`; the caller then drops this object, and with it the passphrase.
    Safe to use from the background runner's thread.
    """

    def __init__(self, passphrase: str) -> None:
        self._passphrase = passphrase
        self._opened: sync_queue.OpenedToken | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"SessionToken(opened={self._opened is not None})"

    def opened(self, db: Database) -> sync_queue.OpenedToken:
        """Return the device token, unsealing it only when not yet opened for this workspace.

        Raises:
            PassphraseError: not enrolled, or the passphrase does not open the token.
        """
        with self._lock:
            if self._opened is None or not self._opened.is_current(db):
                self._opened = None
                self._opened = sync_queue.unseal_token(
                    db, device=device_id(db), passphrase=self._passphrase
                )
            return self._opened


def sync_workspace(
    db: Database,
    *,
    passphrase: str | None = None,
    session: SessionToken | None = None,
    now: datetime,
    timeout: float = 60.0,
) -> SyncReport:
    """Sync the workspace with the office it is enrolled with (push, then pull), opening the
    device token with `passphrase`, or taking it from the app's `session`.

    Raises:
        NotEnrolled: No office yet.
        PassphraseError: The passphrase does not open the device token.
        SyncError: The office refused, or could not be reached; the queue is as it was (the
            engine turns every transport failure into one).
    """
    import httpx

    from sync.client.engine import run_sync

    server_url = sync_queue.enrolled_server(db)
    if server_url is None:
        raise NotEnrolled()
    token = session.opened(db) if session is not None else None
    with httpx.Client(base_url=server_url, timeout=timeout) as http:
        return run_sync(db, http, passphrase=passphrase, token=token, now=now)


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
