"""The laptop's side: enrollment keeps the token sealed, a sync drains the demo outbox, a lost
response is replayed without duplicates, a refused client keeps its outbox, and two laptops
exchange changes by pull pages."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from inspector_app.store import sync_queue
from inspector_app.store.secrets import PassphraseError
from inspector_app.store.sql import fetch_all
from inspector_app.store.workspace import Workspace
from sync.client.engine import SyncRefused, enroll, run_sync
from sync.server.app import create_app
from sync.server.storage import Storage
from tests.sync.asgi import SyncASGITransport, asgi_client
from tests.sync.conftest import (
    CHEAP_KDF,
    NOW,
    PASSPHRASE,
    copy_workspace,
    laptop_changes,
    new_code,
)


def enrolled(workspace: Workspace, http: httpx.Client, storage: Storage) -> None:
    enroll(
        workspace.db,
        http,
        server_url="http://testserver",
        code=new_code(storage),
        passphrase=PASSPHRASE,
        kdf_n=CHEAP_KDF,
    )


def test_token_is_sealed_and_needs_the_passphrase(
    workspace: Workspace, http: httpx.Client, storage: Storage
) -> None:
    enrolled(workspace, http, storage)
    meta = {r["key"]: r["value"] for r in fetch_all(workspace.db, "SELECT * FROM meta", [])}
    token = sync_queue.open_device_token(workspace.db, ask=lambda: PASSPHRASE, now=NOW).token
    assert storage.authenticate(token) is not None
    assert all(token not in value for value in meta.values())
    with pytest.raises(PassphraseError, match="口令不对"):
        sync_queue.open_device_token(workspace.db, ask=lambda: "wrong-words", now=NOW)


def test_sync_drains_the_demo_outbox_and_a_second_sync_has_nothing_to_do(
    workspace: Workspace, http: httpx.Client, storage: Storage
) -> None:
    queued = sync_queue.outbox_count(workspace.db)
    assert queued > 100
    enrolled(workspace, http, storage)
    report = run_sync(workspace.db, http, passphrase=PASSPHRASE, now=NOW)
    assert report.pushed == queued
    assert sync_queue.outbox_count(workspace.db) == 0
    assert report.conflicts == []
    assert laptop_changes(storage) == report.applied
    assert report.applied + report.duplicates == queued
    again = run_sync(workspace.db, http, passphrase=PASSPHRASE, now=NOW)
    assert (again.pushed, again.pulled) == (0, 0)


class LoseFirstPushResponse(httpx.BaseTransport):
    """The server commits the push, then the connection drops before the answer arrives."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.lost = False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if request.url.path == "/v1/push" and not self.lost:
            self.lost = True
            raise httpx.ReadError("connection reset", request=request)
        return response


def test_a_lost_response_is_replayed_without_duplicates(
    workspace: Workspace, storage: Storage
) -> None:
    app = create_app(storage)
    flaky = LoseFirstPushResponse(SyncASGITransport(app))
    with httpx.Client(transport=flaky, base_url="http://testserver") as http:
        enrolled(workspace, http, storage)
        queued = sync_queue.outbox_count(workspace.db)
        with pytest.raises(Exception, match="仍在队列中"):
            run_sync(workspace.db, http, passphrase=PASSPHRASE, now=NOW)
        assert sync_queue.outbox_count(workspace.db) == queued  # nothing acknowledged
        first_batch = storage.counts()["mutation"]
        assert first_batch > 0  # but the server did commit the first batch
        report = run_sync(workspace.db, http, passphrase=PASSPHRASE, now=NOW)
    assert sync_queue.outbox_count(workspace.db) == 0
    assert report.pushed == queued
    assert storage.counts()["mutation"] == queued  # one row per mutation id, no duplicates
    assert laptop_changes(storage) + report.duplicates <= queued


def test_a_client_outside_the_protocol_range_is_refused_and_keeps_its_outbox(
    workspace: Workspace, http: httpx.Client, storage: Storage
) -> None:
    enrolled(workspace, http, storage)
    before = fetch_all(workspace.db, "SELECT * FROM outbox ORDER BY seq", [])
    with pytest.raises(SyncRefused, match="protocol version 7 is not supported"):
        run_sync(workspace.db, http, passphrase=PASSPHRASE, now=NOW, protocol_version=7)
    assert fetch_all(workspace.db, "SELECT * FROM outbox ORDER BY seq", []) == before
    assert storage.counts()["mutation"] == 0


def test_an_unreachable_server_loses_nothing(workspace: Workspace, storage: Storage) -> None:
    with asgi_client(create_app(storage)) as http:
        enrolled(workspace, http, storage)
    queued = sync_queue.outbox_count(workspace.db)
    # a port nobody listens on: connection refused at once
    with (
        httpx.Client(base_url="http://127.0.0.1:9", timeout=5) as down,
        pytest.raises(Exception, match="无法连接中心服务器"),
    ):
        run_sync(workspace.db, down, passphrase=PASSPHRASE, now=NOW)
    assert sync_queue.outbox_count(workspace.db) == queued


def test_another_laptop_pulls_the_changes_in_pages(
    workspace: Workspace, http: httpx.Client, storage: Storage, tmp_path: Path
) -> None:
    enrolled(workspace, http, storage)
    run_sync(workspace.db, http, passphrase=PASSPHRASE, now=NOW)
    with copy_workspace(workspace.folder, tmp_path / "other") as other:
        # the copy is another laptop of the same reviewer: its own device id, an empty outbox
        other.db.execute("UPDATE meta SET value = 'laptop-2' WHERE key = 'device_id'")
        other.db.execute("DELETE FROM outbox")
        enroll(
            other.db,
            http,
            server_url="http://testserver",
            code=second_code_for_same_reviewer(storage, workspace),
            passphrase=PASSPHRASE,
            kdf_n=CHEAP_KDF,
        )
        report = run_sync(other.db, http, passphrase=PASSPHRASE, now=NOW, page_size=50)
        # everything came down in pages; it holds every version already (a copy): echoes
        assert report.pulled > laptop_changes(storage) / 2
        assert (report.echoes, report.applied_down, report.conflicts_down) == (
            report.pulled,
            0,
            0,
        )
        assert sync_queue.inbox_count(other.db) == 0  # applied, nothing waiting
        assert sync_queue.outbox_count(other.db) == 0  # nothing that came down goes back up
        assert sync_queue.cursor(other.db) == report.cursor > 0
        again = run_sync(other.db, http, passphrase=PASSPHRASE, now=NOW)
        assert (again.pushed, again.pulled) == (0, 0)


def second_code_for_same_reviewer(storage: Storage, workspace: Workspace) -> str:
    """Return a new enrollment code for the reviewer `workspace` enrolled as."""
    import json
    import secrets

    from sqlalchemy import insert

    from sync.server.storage import enrollment_code, token_hash

    reviewer = json.loads(
        fetch_all(workspace.db, "SELECT value FROM meta WHERE key = 'sync.reviewer'", [])[0][
            "value"
        ]
    )
    code = secrets.token_urlsafe(12)
    with storage.engine.begin() as conn:
        conn.execute(
            insert(enrollment_code).values(
                code_hash=token_hash(code), reviewer_id=reviewer["id"], created_at="now"
            )
        )
    return code
