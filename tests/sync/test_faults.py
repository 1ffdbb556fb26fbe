"""Sync through a faulty network: a TCP proxy between the client and a real uvicorn server on
loopback resets connections at random points, swallows responses after the server committed,
and cuts a 50 MB attachment every few MB. The person simply syncs again until it succeeds (a
bounded number of times); each test ends with the server holding exactly the client's
records, no duplicates, and the outbox drained. Both backends."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from inspector_app.core.model import Actor, ChecklistResult
from inspector_app.store import records, sync_queue
from inspector_app.store.attachment_fetch import INCOMING_DIR, missing_attachments
from inspector_app.store.attachments import add_attachment, attachment_path
from inspector_app.store.settings import device_id
from inspector_app.store.sql import fetch_all
from inspector_app.store.workspace import Workspace
from sync.client.engine import SyncError, enroll, run_sync
from sync.server.assignments import assign_by_id
from sync.server.attachments import AttachmentFiles
from sync.server.publish import CENTRAL_OFFICE
from sync.server.storage import Storage, change, record_head
from tests.sync.conftest import CHEAP_KDF, NOW, PASSPHRASE, new_code
from tests.sync.live import Faults, FaultyProxy, running_server
from tests.sync.test_apply import IN_REVIEW, case_id_of, enroll_as

MB = 1024 * 1024


@pytest.fixture
def server_port(storage: Storage) -> Iterator[tuple[str, int]]:
    """The real server; yields its URL and port."""
    with running_server(storage) as url:
        yield url, int(url.rsplit(":", 1)[1])


def latest_versions(workspace: Workspace) -> dict[tuple[str, str], str | None]:
    """The client's newest version of each record it queued (not the registry's: the office
    keeps it, the laptop holds its own registry changes)."""
    rows = fetch_all(
        workspace.db,
        "SELECT record_table, record_id, version_id FROM outbox "
        "WHERE record_table <> 'reviewer' ORDER BY seq",
        [],
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


# --- attachments down (issue 9): a download cut every few MB, a corrupted one ---------------


def _photo_on_a_result(workspace: Workspace, data: bytes, case_id: str) -> str:
    """Laptop A attaches `data` as a photo to the first checklist result of `case_id`."""
    actor = Actor("reviewer-wang", "王建华")
    made = add_attachment(
        workspace, data, media_type="image/jpeg", original_name="封条.jpg", actor=actor, now=NOW
    )
    result = records.load_for_case(workspace.db, ChecklistResult, case_id)[0]
    with workspace.db.atomic():
        records.save(
            workspace.db,
            replace(result, evidence=(*result.evidence, made.sha256)),
            actor=actor,
            now=NOW,
            device=device_id(workspace.db),
        )
    return made.sha256


def _team_with_a_big_photo(
    workspace: Workspace, laptop_b: Workspace, storage: Storage, url: str, size: int
) -> tuple[str, bytes]:
    """A takes a photo of `size` random bytes on the open demo case and syncs; B's reviewer is
    assigned the case. Return the photo's hash and content."""
    with httpx.Client(base_url=url, timeout=60) as http:
        enroll_as(workspace, http, storage, "王建华")
        case_id = case_id_of(workspace, IN_REVIEW)
        big = os.urandom(size)
        sha = _photo_on_a_result(workspace, big, case_id)
        run_sync(workspace.db, http, passphrase=PASSPHRASE, now=NOW)
        assign_by_id(storage, case_id, enroll_as(laptop_b, http, storage, "李明"))
    return sha, big


def test_a_50_mb_download_cut_every_few_mb_resumes_without_fetching_again(
    workspace: Workspace, laptop_b: Workspace, storage: Storage, server_port: tuple[str, int]
) -> None:
    url, port = server_port
    sha, big = _team_with_a_big_photo(workspace, laptop_b, storage, url, 50 * MB)
    with httpx.Client(base_url=url, timeout=60) as http:  # what B pulls besides the photo
        run_sync(laptop_b.db, http, passphrase=PASSPHRASE, now=NOW)
    laptop_b.db.execute("DELETE FROM attachment")  # B fetches every file again, the big one
    for path in (laptop_b.folder / "attachments").rglob("*"):
        if path.is_file():
            path.unlink()
    small = (
        sum(
            len(attachment_path(workspace, h).read_bytes())
            for h in missing_attachments(laptop_b.db)
        )
        - 50 * MB
    )
    reports: list[dict[str, Any]] = []
    with FaultyProxy(port, Faults(cut_download_every=7 * MB)) as proxy:
        for _ in range(10):
            with httpx.Client(base_url=proxy.url, timeout=60) as http:
                try:
                    reports.append(
                        run_sync(laptop_b.db, http, passphrase=PASSPHRASE, now=NOW).as_json()
                    )
                except SyncError:
                    continue
            if not missing_attachments(laptop_b.db):
                break
    assert missing_attachments(laptop_b.db) == []
    assert proxy.cuts >= 7  # cut at least every 7 MB of the 50
    assert attachment_path(laptop_b, sha).read_bytes() == big
    # Resumed, not fetched again: what came through the proxy is the file once, the small
    # attachments and the protocol's own messages (well under a MB here), not 7 MB more.
    assert proxy.bytes_down < 50 * MB + small + MB
    assert sum(r["attachment_bytes_down"] for r in reports) == 50 * MB + small
    assert sum(r["attachments_down_resumed"] for r in reports) >= 1
    assert not list((laptop_b.folder / INCOMING_DIR).glob("*.part"))


def test_a_download_corrupted_on_the_way_is_refused_then_fetched_again(
    workspace: Workspace, laptop_b: Workspace, storage: Storage, server_port: tuple[str, int]
) -> None:
    url, port = server_port
    sha, photo = _team_with_a_big_photo(workspace, laptop_b, storage, url, 3 * MB)
    with (
        FaultyProxy(port, Faults(corrupt_content_at=2 * MB)) as proxy,
        httpx.Client(base_url=proxy.url, timeout=60) as http,
    ):
        report = run_sync(laptop_b.db, http, passphrase=PASSPHRASE, now=NOW)
    assert proxy.corrupted == 1
    assert len(report.attachments_refused) == 1 and sha[:12] in report.attachments_refused[0]
    assert not attachment_path(laptop_b, sha).exists()
    assert fetch_all(laptop_b.db, "SELECT 1 AS x FROM attachment WHERE sha256 = ?", [sha]) == []
    assert not list((laptop_b.folder / INCOMING_DIR).glob("*.part"))
    assert missing_attachments(laptop_b.db) == [sha]
    with httpx.Client(base_url=url, timeout=60) as http:
        again = run_sync(laptop_b.db, http, passphrase=PASSPHRASE, now=NOW)
    assert again.attachments_down == 1 and again.attachments_refused == []
    assert attachment_path(laptop_b, sha).read_bytes() == photo
