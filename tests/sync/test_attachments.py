"""Attachments by content hash, on both backends: an upload resumes where the server's bytes
end, a mismatching content is refused and not kept, hostile uploads are refused, and a sync
uploads the demo workspace's attachments (tied to their cases) before the mutations that name
them, once."""

from __future__ import annotations

import hashlib
import os
from collections.abc import AsyncIterator

import httpx
import pytest

from inspector_app.store import sync_queue
from inspector_app.store.sql import fetch_all
from inspector_app.store.workspace import Workspace
from sync.client.engine import run_sync
from sync.protocol import ATTACHMENT_PATH, MAX_ATTACHMENT_BYTES
from sync.server.attachments import AttachmentFiles
from sync.server.storage import Storage
from tests.sync.conftest import NOW, PASSPHRASE, token_for
from tests.sync.test_client import enrolled

CONTENT = os.urandom(300_000)
SHA = hashlib.sha256(CONTENT).hexdigest()


def put(
    http: httpx.Client, headers: dict[str, str], body: bytes, offset: int, **params: object
) -> httpx.Response:
    query = {"offset": offset, "size": len(CONTENT), **params}
    sha = str(query.pop("sha", SHA))
    return http.put(ATTACHMENT_PATH + sha, params=query, content=body, headers=headers)


def test_an_upload_resumes_where_the_server_bytes_end(http: httpx.Client, storage: Storage) -> None:
    headers = token_for(http, storage)
    assert http.get(ATTACHMENT_PATH + SHA, headers=headers).json() == {
        "sha256": SHA,
        "received": 0,
        "complete": False,
    }
    first = put(http, headers, CONTENT[:100_000], 0, case_id="case-1")
    assert first.status_code == 200 and first.json()["received"] == 100_000
    wrong = put(http, headers, CONTENT[50_000:], 50_000, case_id="case-1")
    assert wrong.status_code == 409 and "100000" in wrong.json()["detail"]
    rest = put(http, headers, CONTENT[100_000:], 100_000, case_id="case-1")
    assert rest.json() == {"sha256": SHA, "received": len(CONTENT), "complete": True}
    files = AttachmentFiles(storage)
    assert files.path(SHA).read_bytes() == CONTENT
    assert files.path(SHA) == storage.data / "attachments" / SHA[:2] / SHA
    assert files.cases(SHA) == {"case-1"}
    again = put(http, headers, b"", len(CONTENT), case_id="case-2")
    assert again.json()["complete"] and files.cases(SHA) == {"case-1", "case-2"}
    assert storage.counts()["attachment"] == 1


def test_content_that_does_not_match_its_hash_is_refused_and_not_kept(
    http: httpx.Client, storage: Storage
) -> None:
    headers = token_for(http, storage)
    forged = bytearray(CONTENT)
    forged[-1] ^= 0xFF
    refused = put(http, headers, bytes(forged), 0)
    assert refused.status_code == 422
    assert "does not match" in refused.json()["detail"]
    assert http.get(ATTACHMENT_PATH + SHA, headers=headers).json()["received"] == 0
    assert not AttachmentFiles(storage).path(SHA).exists()
    assert storage.counts()["attachment"] == 0
    assert put(http, headers, CONTENT, 0).json()["complete"]


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"sha": "../../etc/passwd"}, 404),
        ({"sha": "A" * 64}, 400),
        ({"size": MAX_ATTACHMENT_BYTES + 1}, 413),
        ({"size": 10}, 400),
    ],
)
def test_hostile_uploads_are_refused(
    http: httpx.Client, storage: Storage, params: dict[str, object], status: int
) -> None:
    headers = token_for(http, storage)
    response = put(http, headers, CONTENT[:1000], 0, **params)
    assert response.status_code == status, response.text
    assert storage.counts()["attachment"] == 0
    assert not list((storage.data / "attachments").glob("??/*"))


def test_an_upload_needs_a_token(http: httpx.Client) -> None:
    response = http.put(ATTACHMENT_PATH + SHA, params={"offset": 0, "size": 3}, content=b"abc")
    assert response.status_code in (400, 401)


def test_sync_uploads_attachments_first_tied_to_their_cases_and_only_once(
    workspace: Workspace, http: httpx.Client, storage: Storage
) -> None:
    local = {
        r["sha256"]: r["size"] for r in fetch_all(workspace.db, "SELECT * FROM attachment", [])
    }
    assert len(local) >= 5
    enrolled(workspace, http, storage)
    report = run_sync(workspace.db, http, passphrase=PASSPHRASE, now=NOW)
    assert report.attachments == len(local)
    assert report.attachment_bytes == sum(local.values())
    assert sync_queue.outbox_count(workspace.db) == 0
    files = AttachmentFiles(storage)
    for sha, size in local.items():
        held = files.path(sha).read_bytes()
        assert len(held) == size and hashlib.sha256(held).hexdigest() == sha
    linked = {sha for sha in local if files.cases(sha)}
    assert linked  # photos and signed PDFs are tied to the cases that use them
    again = run_sync(workspace.db, http, passphrase=PASSPHRASE, now=NOW)
    assert again.attachments == 0 and again.attachment_bytes == 0


def test_a_missing_local_file_stops_the_sync_and_keeps_the_outbox(
    workspace: Workspace, http: httpx.Client, storage: Storage
) -> None:
    from sync.client.engine import SyncError

    sha = fetch_all(workspace.db, "SELECT sha256 FROM attachment LIMIT 1", [])[0]["sha256"]
    (workspace.attachments / sha[:2] / sha).unlink()
    naming = "SELECT mutation_id FROM outbox WHERE record_id = ? OR payload LIKE ?"
    waiting = fetch_all(workspace.db, naming, [sha, f"%{sha}%"])
    assert waiting
    enrolled(workspace, http, storage)
    with pytest.raises(SyncError, match="不在工作区中"):
        run_sync(workspace.db, http, passphrase=PASSPHRASE, now=NOW)
    # Nothing that names the missing file went up; it all waits in the outbox.
    assert fetch_all(workspace.db, naming, [sha, f"%{sha}%"]) == waiting
    assert sync_queue.outbox_count(workspace.db) >= len(waiting)
    assert not AttachmentFiles(storage).path(sha).exists()


def test_a_stalled_upload_keeps_what_arrived_and_frees_the_hash(
    storage: Storage, monkeypatch: pytest.MonkeyPatch
) -> None:
    import anyio

    from sync.server import attachments as server_attachments
    from sync.server.attachments import UploadRefused
    from sync.server.storage import DeviceIdentity

    monkeypatch.setattr(server_attachments, "CHUNK_TIMEOUT", 0.2)
    files = AttachmentFiles(storage)
    who = DeviceIdentity("d-1", "r-1")

    async def half_open() -> AsyncIterator[bytes]:
        yield CONTENT[:1000]
        await anyio.sleep(3600)  # the laptop vanished without closing the connection

    async def stalled() -> None:
        await files.receive(who, SHA, offset=0, size=len(CONTENT), case_id=None, body=half_open())

    with pytest.raises(UploadRefused, match="no data") as refused:
        anyio.run(stalled)
    assert refused.value.status == 408
    assert files.status(SHA).received == 1000

    async def rest() -> AsyncIterator[bytes]:
        yield CONTENT[1000:]

    async def resume() -> None:
        done = await files.receive(
            who, SHA, offset=1000, size=len(CONTENT), case_id=None, body=rest()
        )
        assert done.complete

    anyio.run(resume)
    assert files.path(SHA).read_bytes() == CONTENT
