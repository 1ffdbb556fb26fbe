"""Attachments coming down to the other laptops of a team, on both backends: laptop B gets the
photos and the signed PDF of a case that laptop A recorded, byte for byte, and a case file
exported on B carries them; an attachment the office does not hold yet is no error and comes at
a later sync; another team's laptop can fetch none of it, not even by its hash; hostile names
and ranges get a 4xx; a response whose bytes are wrong is refused and nothing is kept."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import httpx
import pytest
from sqlalchemy import delete

from inspector_app.casefile.reader import parse_case_file
from inspector_app.casefile.writer import case_json
from inspector_app.store import sync_queue
from inspector_app.store.attachment_fetch import (
    INCOMING_DIR,
    missing_attachments,
    referenced_hashes,
)
from inspector_app.store.attachments import attachment_path
from inspector_app.store.casework import load_case_file
from inspector_app.store.errors import WorkspaceError
from inspector_app.store.sql import fetch_all, fetch_one
from inspector_app.store.workspace import Workspace, open_workspace
from sync.client.attachments import UploadCounts, upload
from sync.client.downloads import content_path
from sync.client.engine import SyncError, SyncReport, run_sync
from sync.protocol import ATTACHMENT_PATH
from sync.server.assignments import assign_case
from sync.server.attachments import AttachmentFiles
from sync.server.storage import Storage, attachment, attachment_case
from tests.sync.asgi import SyncASGITransport
from tests.sync.conftest import HEADERS, NOW, PASSPHRASE, token_for
from tests.sync.test_apply import enroll_as, sync


def case_hashes(workspace: Workspace, case_id: str) -> set[str]:
    """The attachment hashes the records of one case name."""
    state = load_case_file(workspace.db, case_id)
    return (
        {h for r in state.results for h in r.evidence}
        | {s.photo for s in state.seals if s.photo}
        | {s.document_sha256 for s in state.signatures}
        | {h.image for h in state.hand_signatures}
        | {a.document_sha256 for a in state.amendments}
    )


def attachment_rows(workspace: Workspace) -> dict[str, tuple[int, str, str]]:
    rows = fetch_all(workspace.db, "SELECT * FROM attachment", [])
    return {r["sha256"]: (r["size"], r["media_type"], r["original_name"]) for r in rows}


def signed_case_with_photos(workspace: Workspace) -> str:
    """A demo case with photos on its checklist and a signed PDF."""
    row = fetch_one(
        workspace.db,
        "SELECT c.id FROM review_case c WHERE EXISTS (SELECT 1 FROM signature s "
        "WHERE s.case_id = c.id) AND EXISTS (SELECT 1 FROM checklist_result r "
        "WHERE r.case_id = c.id AND r.evidence != '[]') ORDER BY c.application_no LIMIT 1",
        [],
    )
    assert row is not None
    return str(row["id"])


def team_of_two(
    workspace: Workspace, laptop_b: Workspace, http: httpx.Client, storage: Storage
) -> str:
    """Laptop A (the demo) syncs its cases up; the office assigns B's reviewer the signed case
    by its case file (whose reviewers, added by hand on A, the office's registry only gets so:
    a laptop's registry changes are never sent); return the case id."""
    enroll_as(workspace, http, storage, "王建华")
    sync(workspace, http)
    case_id = signed_case_with_photos(workspace)
    exported = case_json(load_case_file(workspace.db, case_id), workspace)
    parsed = parse_case_file(exported.encode())
    assign_case(storage, parsed, [enroll_as(laptop_b, http, storage, "李明")])
    return case_id


def test_the_other_laptop_gets_the_photos_and_the_signed_pdf_byte_identical(
    workspace: Workspace, laptop_b: Workspace, http: httpx.Client, storage: Storage
) -> None:
    case_id = team_of_two(workspace, laptop_b, http, storage)
    wanted = case_hashes(workspace, case_id)
    pdfs = {s.document_sha256 for s in load_case_file(workspace.db, case_id).signatures}
    photos = {h for r in load_case_file(workspace.db, case_id).results for h in r.evidence}
    assert pdfs and photos  # the case has both

    report = sync(laptop_b, http)

    assert isinstance(report, SyncReport)
    assert report.attachments_down == len(wanted)
    assert report.as_json()["attachments_down"] == len(wanted)
    assert report.attachments_not_yet == 0 and report.attachments_refused == []
    for digest in wanted:
        here = attachment_path(laptop_b, digest).read_bytes()
        assert here == attachment_path(workspace, digest).read_bytes()
        assert attachment_rows(laptop_b)[digest] == attachment_rows(workspace)[digest]
    assert {attachment_rows(laptop_b)[d][1] for d in pdfs} == {"application/pdf"}
    assert missing_attachments(laptop_b.db) == []
    assert sync_queue.outbox_count(laptop_b.db) == 0  # nothing that came down goes back up
    # A case file exported on B carries them.
    carried = json.loads(case_json(load_case_file(laptop_b.db, case_id), laptop_b))
    assert {a["sha256"] for a in carried["attachments"]} == wanted
    again = sync(laptop_b, http)
    assert isinstance(again, SyncReport) and again.attachments_down == 0
    audit = fetch_all(
        laptop_b.db, "SELECT action FROM audit_event WHERE record_table = 'attachment'", []
    )
    assert [a["action"] for a in audit] == ["create+pulled"] * len(wanted)


def test_an_attachment_not_on_the_server_yet_comes_at_a_later_sync(
    workspace: Workspace, laptop_b: Workspace, http: httpx.Client, storage: Storage
) -> None:
    case_id = team_of_two(workspace, laptop_b, http, storage)
    pdf = load_case_file(workspace.db, case_id).signatures[0].document_sha256
    # As if A's records had reached the office before A uploaded the signed PDF.
    files = AttachmentFiles(storage)
    files.path(pdf).unlink()
    with storage.transaction() as conn:
        conn.execute(delete(attachment_case).where(attachment_case.c.sha256 == pdf))
        conn.execute(delete(attachment).where(attachment.c.sha256 == pdf))

    report = sync(laptop_b, http)

    assert isinstance(report, SyncReport)
    assert report.attachments_not_yet == 1  # not an error
    assert missing_attachments(laptop_b.db) == [pdf]
    assert not attachment_path(laptop_b, pdf).exists()
    assert fetch_one(laptop_b.db, "SELECT 1 AS x FROM attachment WHERE sha256 = ?", [pdf]) is None
    with pytest.raises(WorkspaceError, match="尚未从中心同步到本机"):  # a clear refusal
        case_json(load_case_file(laptop_b.db, case_id), laptop_b)
    # A uploads it at its next sync; B's next sync gets it.
    upload(
        http,
        b_headers(workspace),
        attachment_path(workspace, pdf),
        pdf,
        case_id,
        UploadCounts(),
    )
    later = sync(laptop_b, http)
    assert isinstance(later, SyncReport)
    assert later.attachments_down == 1 and later.attachments_not_yet == 0
    here = attachment_path(laptop_b, pdf).read_bytes()
    assert here == attachment_path(workspace, pdf).read_bytes()


def test_another_team_cannot_fetch_an_attachment_by_its_hash(
    workspace: Workspace, laptop_b: Workspace, http: httpx.Client, storage: Storage, tmp_path: Path
) -> None:
    case_id = team_of_two(workspace, laptop_b, http, storage)
    digest = sorted(case_hashes(workspace, case_id))[0]
    with open_workspace(tmp_path / "other-team") as other:
        enroll_as(other, http, storage, "孙立")  # a reviewer with no case of A's
        token = device_token(other)
        headers = {**HEADERS, "Authorization": f"Bearer {token}"}
        refused = http.get(content_path(digest), headers=headers)
        unknown = http.get(content_path("0" * 64), headers=headers)
        assert refused.status_code == unknown.status_code == 404
        assert refused.json() == unknown.json()  # nothing tells a held hash from an unknown one
        assert digest.encode() not in refused.content or "not available" in refused.text
        ranged = http.get(content_path(digest), headers={**headers, "Range": "bytes=0-"})
        assert ranged.status_code == 404
        report = run_sync(other.db, http, passphrase=PASSPHRASE, now=NOW)
        assert report.attachments_down == 0
        assert fetch_all(other.db, "SELECT * FROM attachment", []) == []
        assert not any((other.folder / "attachments").rglob("*"))
    # Without a token: 401.
    assert http.get(content_path(digest), headers=HEADERS).status_code == 401


def device_token(workspace: Workspace) -> str:
    """The workspace's device token, opened with the sync tests' passphrase."""
    return sync_queue.open_device_token(workspace.db, ask=lambda: PASSPHRASE, now=NOW).token


def b_headers(laptop_b: Workspace) -> dict[str, str]:
    token = device_token(laptop_b)
    return {**HEADERS, "Authorization": f"Bearer {token}"}


def test_a_range_resumes_where_the_laptop_s_bytes_end(
    workspace: Workspace, laptop_b: Workspace, http: httpx.Client, storage: Storage
) -> None:
    case_id = team_of_two(workspace, laptop_b, http, storage)
    pdf = load_case_file(workspace.db, case_id).signatures[0].document_sha256
    data = attachment_path(workspace, pdf).read_bytes()
    headers = b_headers(laptop_b)
    whole = http.get(content_path(pdf), headers=headers)
    assert whole.status_code == 200 and whole.content == data
    assert whole.headers["content-type"] == "application/pdf"
    assert whole.headers["etag"] == f'"{pdf}"'
    rest = http.get(content_path(pdf), headers={**headers, "Range": "bytes=1000-"})
    assert rest.status_code == 206 and rest.content == data[1000:]
    assert rest.headers["content-range"] == f"bytes 1000-{len(data) - 1}/{len(data)}"
    some = http.get(content_path(pdf), headers={**headers, "Range": "bytes=10-19"})
    assert some.status_code == 206 and some.content == data[10:20]


HOSTILE = [
    ("A" * 64, None, 400),  # not lowercase hex
    ("g" * 64, None, 400),
    ("abc", None, 400),
    ("%2e%2e", None, 400),
    ("..%2F..%2Fserver.db", None, 404),  # a slash in the name matches no endpoint
    ("../../server.db", None, 404),  # the path is normalized: no such endpoint
    (None, "bytes=999999999999-", 416),
    (None, "bytes=" + "9" * 40 + "-", 400),
    (None, "bytes=0-1,5-9", 400),
    (None, "bytes=-500", 400),
    (None, "items=0-", 400),
    (None, "bytes=9-2", 400),
    (None, "x" * 5000, 422),
]


def test_hostile_names_and_ranges_get_a_4xx(
    workspace: Workspace, laptop_b: Workspace, http: httpx.Client, storage: Storage
) -> None:
    case_id = team_of_two(workspace, laptop_b, http, storage)
    pdf = load_case_file(workspace.db, case_id).signatures[0].document_sha256
    for name, range_header, status in HOSTILE:
        headers = b_headers(laptop_b)
        if range_header is not None:
            headers["Range"] = range_header
        response = http.get(content_path(name if name is not None else pdf), headers=headers)
        assert response.status_code == status, (name, range_header, response.text)
        assert response.json()["detail"]


class CorruptingTransport(httpx.BaseTransport):
    """The in-process transport, flipping one byte of every attachment download's body."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.corrupted = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if not request.url.path.endswith("/content") or response.status_code >= 300:
            return response
        body = bytearray(response.read())
        body[len(body) // 2] ^= 0x01
        self.corrupted += 1
        return httpx.Response(response.status_code, headers=response.headers, content=bytes(body))


def test_a_corrupted_download_is_refused_and_nothing_is_kept(
    workspace: Workspace, laptop_b: Workspace, http: httpx.Client, storage: Storage
) -> None:
    case_id = team_of_two(workspace, laptop_b, http, storage)
    wanted = case_hashes(workspace, case_id)
    transport = http._transport
    assert isinstance(transport, SyncASGITransport)
    corrupting = CorruptingTransport(transport)
    with httpx.Client(transport=corrupting, base_url="http://testserver") as faulty:
        report = run_sync(laptop_b.db, faulty, passphrase=PASSPHRASE, now=NOW)
    assert corrupting.corrupted == len(wanted)
    assert report.attachments_down == 0
    assert len(report.attachments_refused) == len(wanted)
    assert "SHA-256" in report.attachments_refused[0]
    assert fetch_all(laptop_b.db, "SELECT * FROM attachment", []) == []
    assert not any((laptop_b.folder / "attachments").rglob("*.*")) and not any(
        p.is_file() for p in (laptop_b.folder / "attachments").rglob("*")
    )
    assert not any((laptop_b.folder / INCOMING_DIR).glob("*"))
    # The next sync, on a sound network, fetches them again.
    again = sync(laptop_b, http)
    assert isinstance(again, SyncReport) and again.attachments_down == len(wanted)
    for digest in wanted:
        data = attachment_path(laptop_b, digest).read_bytes()
        assert hashlib.sha256(data).hexdigest() == digest


def test_the_references_query_names_every_attachment_a_case_file_carries(
    workspace: Workspace,
) -> None:
    named = referenced_hashes(workspace.db)
    every_case = fetch_all(workspace.db, "SELECT id FROM review_case", [])
    carried = set().union(*(case_hashes(workspace, c["id"]) for c in every_case))
    assert named == carried and named
    assert missing_attachments(workspace.db) == []
    os.remove(attachment_path(workspace, sorted(named)[0]))
    assert missing_attachments(workspace.db) == [sorted(named)[0]]


def test_the_openapi_document_describes_the_download(http: httpx.Client) -> None:
    document = http.get("/openapi.json").json()
    operation = document["paths"]["/v1/attachments/{sha256}/content"]["get"]
    assert {"200", "206", "404", "416"} <= set(operation["responses"])
    binary = operation["responses"]["206"]["content"]["application/octet-stream"]["schema"]
    assert binary == {"type": "string", "format": "binary"}
    headers = {p["name"] for p in operation["parameters"] if p["in"] == "header"}
    assert "Range" in headers
    assert "assigned" in operation["description"]


def test_knowing_a_hash_does_not_tie_it_to_another_team_s_case(
    workspace: Workspace, laptop_b: Workspace, http: httpx.Client, storage: Storage
) -> None:
    case_id = team_of_two(workspace, laptop_b, http, storage)
    pdf = load_case_file(workspace.db, case_id).signatures[0].document_sha256
    data = attachment_path(workspace, pdf).read_bytes()
    other = token_for(http, storage, device="other-team", cases=("their-case",), name="孙立")
    status = http.get(ATTACHMENT_PATH + pdf, headers=other).json()
    assert status == {"sha256": pdf, "received": 0, "complete": False}  # nothing revealed

    def claim(body: bytes, offset: int) -> httpx.Response:
        return http.put(
            ATTACHMENT_PATH + pdf,
            params={"offset": offset, "size": len(data), "case_id": "their-case"},
            content=body,
            headers=other,
        )

    assert claim(b"", len(data)).status_code == 409  # the hash alone is no proof
    forged = bytearray(data)
    forged[0] ^= 0xFF
    assert claim(bytes(forged), 0).status_code == 422
    assert claim(data[: len(data) // 2], 0).status_code == 409
    assert AttachmentFiles(storage).cases(pdf) == {case_id}
    assert http.get(content_path(pdf), headers=other).status_code == 404
    assert AttachmentFiles(storage).path(pdf).read_bytes() == data  # the office's file intact
    assert not list((storage.data / "attachments" / "partial").glob("*.proof"))
    # A device that holds the content (the same photo in two teams' cases) ties it by sending it.
    assert claim(data, 0).json()["complete"]
    assert AttachmentFiles(storage).cases(pdf) == {case_id, "their-case"}
    assert http.get(content_path(pdf), headers=other).content == data


class RecordingTransport(httpx.BaseTransport):
    """The in-process transport, noting the Range of every attachment download."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.ranges: dict[str, str | None] = {}

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/content"):
            self.ranges[request.url.path.split("/")[-2]] = request.headers.get("range")
        return self.inner.handle_request(request)


def test_a_download_left_partial_by_an_earlier_sync_goes_on_from_there(
    workspace: Workspace, laptop_b: Workspace, http: httpx.Client, storage: Storage
) -> None:
    case_id = team_of_two(workspace, laptop_b, http, storage)
    wanted = case_hashes(workspace, case_id)
    pdf = load_case_file(workspace.db, case_id).signatures[0].document_sha256
    data = attachment_path(workspace, pdf).read_bytes()
    half = len(data) // 2
    partial = laptop_b.folder / INCOMING_DIR / f"{pdf}.part"  # as a broken sync left it
    partial.parent.mkdir()
    partial.write_bytes(data[:half])
    transport = http._transport
    assert isinstance(transport, SyncASGITransport)
    recording = RecordingTransport(transport)
    with httpx.Client(transport=recording, base_url="http://testserver") as watched:
        report = run_sync(laptop_b.db, watched, passphrase=PASSPHRASE, now=NOW)
    assert recording.ranges[pdf] == f"bytes={half}-"
    assert report.attachments_down == len(wanted) and report.attachments_down_resumed == 1
    total = sum(len(attachment_path(workspace, h).read_bytes()) for h in wanted)
    assert report.attachment_bytes_down == total - half  # the first half not fetched again
    assert attachment_path(laptop_b, pdf).read_bytes() == data
    assert not partial.exists()


def test_a_laptop_that_cannot_write_the_download_says_so_and_keeps_the_records(
    workspace: Workspace, laptop_b: Workspace, http: httpx.Client, storage: Storage
) -> None:
    case_id = team_of_two(workspace, laptop_b, http, storage)
    (laptop_b.folder / INCOMING_DIR).write_text("not a folder")  # as a disk that refuses
    with pytest.raises(SyncError, match=r"无法在本机保存附件.*更改已同步完毕"):
        run_sync(laptop_b.db, http, passphrase=PASSPHRASE, now=NOW)
    assert load_case_file(laptop_b.db, case_id).results  # the records came and stay
    assert fetch_all(laptop_b.db, "SELECT * FROM attachment", []) == []
    (laptop_b.folder / INCOMING_DIR).unlink()
    report = run_sync(laptop_b.db, http, passphrase=PASSPHRASE, now=NOW)
    assert report.attachments_down == len(case_hashes(workspace, case_id))
