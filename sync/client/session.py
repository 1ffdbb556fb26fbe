"""One sync of this workspace with the office it is enrolled with, and whether that office
can be reached: what `inspector sync` and the app's sync button share.

The device token is opened with the enrolled reviewer's key-encryption key. Both `inspector
sync` and the app pass their session's keys (`store.secrets.SessionKeys`: memory, then the OS
keyring): a remembered key opens the token without asking; otherwise the passphrase is asked
once (scrypt, slow on purpose) and the key remembered, in memory for the session and in the OS
keyring when it has a backend.
"""

from __future__ import annotations

import socket
from datetime import datetime
from urllib.parse import urlsplit

from sqlite_utils import Database

from inspector_app.store import sync_queue
from inspector_app.store.secrets import KeyCache, PassphraseSource
from sync.client.engine import SyncError, SyncReport

REACH_TIMEOUT = 2.0
"""Seconds a reachability probe waits for the office's port."""


class NotEnrolled(SyncError):
    """The workspace has not been enrolled with an office yet."""

    def __init__(self) -> None:
        super().__init__("这个工作区还没有登记到中心：请先运行 inspector enroll。")


class PassphraseNeeded(SyncError):
    """Nothing remembers the enrolled reviewer's key, and this sync may not ask (the app asks
    on its own thread, then syncs again with the answer; a sync that started by itself stays
    quiet)."""

    def __init__(self) -> None:
        super().__init__("需要输入审查员口令才能打开同步令牌。未做任何更改。")


def passphrase_needed() -> str:
    """A passphrase source for a sync that may not ask: raises `PassphraseNeeded`."""
    raise PassphraseNeeded()


def sync_workspace(
    db: Database,
    *,
    passphrase: str | None = None,
    ask: PassphraseSource | None = None,
    cache: KeyCache | None = None,
    now: datetime,
    timeout: float = 60.0,
) -> SyncReport:
    """Sync the workspace with the office it is enrolled with (push, then pull), opening the
    device token with the enrolled reviewer's key: remembered in `cache` (the session's keys:
    memory, then the OS keyring), else from `ask()` or `passphrase`, asked only then and the
    key remembered in `cache` when it is right.

    Raises:
        NotEnrolled: No office yet.
        PassphraseError: The passphrase does not open the device token.
        PassphraseNeeded: Nothing remembered the key and `ask` may not ask.
        SyncError: The office refused, or could not be reached; the queue is as it was (the
            engine turns every transport failure into one).
    """
    import httpx

    from sync.client.engine import run_sync

    server_url = sync_queue.enrolled_server(db)
    if server_url is None:
        raise NotEnrolled()
    with httpx.Client(base_url=server_url, timeout=timeout) as http:
        return run_sync(db, http, passphrase=passphrase, ask=ask, cache=cache, now=now)


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
