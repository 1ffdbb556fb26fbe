"""Sync through a faulty network: a TCP proxy between the client and a real uvicorn server on
loopback resets connections at random points, swallows responses after the server committed,
and cuts a 50 MB attachment every few MB. The person simply syncs again until it succeeds (a
bounded number of times); each test ends with the server holding exactly the client's
records, no duplicates, and the outbox drained. Both backends."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from inspector_app.core.model import Actor
from inspector_app.store import sync_queue
from inspector_app.store.attachments import add_attachment
from inspector_app.store.sql import fetch_all
from inspector_app.store.workspace import Workspace
from sync.client.engine import SyncError, enroll, run_sync
from sync.server.attachments import AttachmentFiles
from sync.server.publish import CENTRAL_OFFICE
from sync.server.storage import Storage, change, record_head
from tests.sync.conftest import CHEAP_KDF, NOW, PASSPHRASE, new_code
from tests.sync.live import Faults, FaultyProxy, running_server

MB = 1024 * 1024


@pytest.fixture
def server_port(storage: Storage) -> Iterator[tuple[str, int]]:
    """The real server; yields its URL and port."""
    with running_server(storage) as url:
        yield url, int(url.rsplit(":", 1)[1])


def latest_versions(workspace: Workspace) -> dict[tuple[str, str], str | None]:
    """The client's newest version of each record it queued."""
    rows = fetch_all(
        workspace.db, "SELECT record_table, record_id, version_id FROM outbox ORDER BY seq", []
    )
    return {(r["record_table"], r["record_id"]): r["version_id"] for r in rows}


def sync_until_done(workspace: Workspace, url: str, attempts: int = 200) -> int:
    """Sync again after each failure, as a person would; return how many failed."""
    failures = 0
    for _ in range(attempts):
        with httpx.Client(base_url=url, timeout=30) as http:
            try:
                run_sync(workspace.db, http, passphrase=PASSPHRASE, now=NOW)
            except SyncError:
                failures += 1
                continue
        if sync_queue.outbox_count(workspace.db) == 0:
            return failures
    raise AssertionError(f"the outbox did not drain in {attempts} syncs")


def assert_server_holds_exactly(
    storage: Storage, expected: dict[tuple[str, str], str | None], queued: int
) -> None:
    laptops = change.c.device_id != CENTRAL_OFFICE  # not the office's own registry
    with storage.reading() as conn:
        heads = {
            (r.record_table, r.record_id): r.version_id
            for r in conn.execute(
                select(record_head)
                .join(change, change.c.seq == record_head.c.change_seq)
                .where(laptops)
            )
        }
        mutations = [
            r.mutation_id for r in conn.execute(select(change.c.mutation_id).where(laptops))
        ]
    assert heads == expected
    assert len(mutations) == len(set(mutations)) == queued  # each once, none lost
    assert list(storage.conflicts()) == []


def enrolled(workspace: Workspace, storage: Storage, url: str) -> None:
    with httpx.Client(base_url=url, timeout=30) as http:
        enroll(
            workspace.db,
            http,
            server_url=url,
            code=new_code(storage),
            passphrase=PASSPHRASE,
            kdf_n=CHEAP_KDF,
        )


def test_connections_reset_at_random_points(
    workspace: Workspace, storage: Storage, server_port: tuple[str, int]
) -> None:
    url, port = server_port
    enrolled(workspace, storage, url)
    expected, queued = latest_versions(workspace), sync_queue.outbox_count(workspace.db)
    with FaultyProxy(port, Faults(reset_chance=0.6, reset_within=40_000)) as proxy:
        failures = sync_until_done(workspace, proxy.url)
    assert proxy.resets > 0 and failures > 0  # the faults did happen
    assert_server_holds_exactly(storage, expected, queued)
    assert_attachments_match(workspace, storage)


def test_responses_lost_after_the_server_committed(
    workspace: Workspace, storage: Storage, server_port: tuple[str, int]
) -> None:
    url, port = server_port
    enrolled(workspace, storage, url)
    expected, queued = latest_versions(workspace), sync_queue.outbox_count(workspace.db)
    with FaultyProxy(port, Faults(lose_push_responses=3)) as proxy:
        failures = sync_until_done(workspace, proxy.url)
    assert proxy.lost_responses == 3 and failures == 3
    assert_server_holds_exactly(storage, expected, queued)
    with storage.reading() as conn:
        replays = conn.execute(select(change).where(change.c.device_id != CENTRAL_OFFICE)).all()
    assert len(replays) == queued  # the replays were answered from the stored results


def assert_attachments_match(workspace: Workspace, storage: Storage) -> None:
    files = AttachmentFiles(storage)
    for row in fetch_all(workspace.db, "SELECT sha256, size FROM attachment", []):
        held = files.path(row["sha256"])
        assert held.stat().st_size == row["size"]
        assert _sha256_of(held.read_bytes()) == row["sha256"]


def _sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_a_50_mb_attachment_cut_every_few_mb_resumes(
    workspace: Workspace, storage: Storage, server_port: tuple[str, int]
) -> None:
    url, port = server_port
    big = os.urandom(50 * MB)
    actor = Actor("reviewer-wang", "王建华")
    made = add_attachment(
        workspace, big, media_type="image/jpeg", original_name="seal.jpg", actor=actor, now=NOW
    )
    del big
    enrolled(workspace, storage, url)
    expected, queued = latest_versions(workspace), sync_queue.outbox_count(workspace.db)
    reports: list[dict[str, Any]] = []
    errors: list[str] = []
    with FaultyProxy(port, Faults(cut_upload_every=7 * MB)) as proxy:
        for _ in range(20):
            with httpx.Client(base_url=proxy.url, timeout=60) as http:
                try:
                    reports.append(
                        run_sync(workspace.db, http, passphrase=PASSPHRASE, now=NOW).as_json()
                    )
                except SyncError as error:
                    errors.append(str(error))
                    continue
            if sync_queue.outbox_count(workspace.db) == 0:
                break
    assert sync_queue.outbox_count(workspace.db) == 0, errors
    assert proxy.cuts >= 7  # cut at least every 7 MB of the 50
    assert_server_holds_exactly(storage, expected, queued)
    held = AttachmentFiles(storage).path(made.sha256)
    assert held.stat().st_size == 50 * MB
    assert hashlib.sha256(held.read_bytes()).hexdigest() == made.sha256
    uploaded = sum(r["attachment_bytes"] for r in reports)
    # Resumed, not resent: the bytes sent in the successful uploads are the file once, plus
    # the small demo attachments; what each cut carried was kept by the server.
    small = sum(
        r["size"]
        for r in fetch_all(workspace.db, "SELECT size FROM attachment WHERE size < ?", [MB])
    )
    assert uploaded <= 50 * MB + small
    assert not list((storage.data / "attachments" / "partial").glob("*.part"))
