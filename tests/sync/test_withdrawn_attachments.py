"""A withdrawn case's missing attachments, on both backends: while the office has withdrawn the
case from laptop B's reviewer a sync asks the office for none of them (it would refuse each one
with a 404, at every sync); once the office assigns the case again the next sync fetches them."""

from __future__ import annotations

import httpx
from sqlalchemy import delete

from inspector_app.store.attachment_fetch import missing_attachments, referenced_hashes
from inspector_app.store.attachments import attachment_path
from inspector_app.store.casework import load_case_file
from inspector_app.store.workspace import Workspace
from sync.client.attachments import UploadCounts, upload
from sync.client.engine import SyncReport, run_sync
from sync.server.assignments import assign_by_id, unassign_case
from sync.server.attachments import AttachmentFiles
from sync.server.storage import Storage, attachment, attachment_case
from tests.sync.asgi import SyncASGITransport
from tests.sync.conftest import NOW, PASSPHRASE
from tests.sync.test_attachments_down import b_headers, case_hashes, team_of_two


class CountingTransport(httpx.BaseTransport):
    """The in-process transport, counting the attachment downloads asked, by hash."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.asked: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/content"):
            self.asked.append(request.url.path.split("/")[-2])
        return self.inner.handle_request(request)


def counted_sync(laptop: Workspace, http: httpx.Client) -> tuple[SyncReport, list[str]]:
    """Sync `laptop` through a counting transport; return the report and the hashes asked."""
    transport = http._transport
    assert isinstance(transport, SyncASGITransport)
    counting = CountingTransport(transport)
    with httpx.Client(transport=counting, base_url="http://testserver") as watched:
        report = run_sync(laptop.db, watched, passphrase=PASSPHRASE, now=NOW)
    return report, counting.asked


def test_a_withdrawn_case_s_attachments_are_not_asked_until_it_is_assigned_again(
    workspace: Workspace, laptop_b: Workspace, http: httpx.Client, storage: Storage
) -> None:
    case_id = team_of_two(workspace, laptop_b, http, storage)
    wanted = case_hashes(workspace, case_id)
    pdf = load_case_file(workspace.db, case_id).signatures[0].document_sha256
    # As if A's records had reached the office before A uploaded the signed PDF: B gets the
    # case and its photos, the PDF not yet.
    AttachmentFiles(storage).path(pdf).unlink()
    with storage.transaction() as conn:
        conn.execute(delete(attachment_case).where(attachment_case.c.sha256 == pdf))
        conn.execute(delete(attachment).where(attachment.c.sha256 == pdf))
    first, asked = counted_sync(laptop_b, http)
    assert first.attachments_not_yet == 1 and sorted(asked) == sorted(wanted)
    assert missing_attachments(laptop_b.db) == [pdf]

    reviewer_b = first_reviewer(storage, case_id)
    unassign_case(storage, case_id, [reviewer_b], actor="省局张三")
    told, asked = counted_sync(laptop_b, http)
    assert told.newly_withdrawn == [case_id]
    assert asked == []  # the office is not asked for the withdrawn case's PDF
    assert told.attachments_not_yet == 0
    assert missing_attachments(laptop_b.db) == []
    assert pdf in referenced_hashes(laptop_b.db)  # the record still names it
    again, asked = counted_sync(laptop_b, http)
    assert asked == [] and again.attachments_not_yet == 0  # nor at any later sync

    # A uploads it meanwhile; the office assigns the case to B again: the next sync fetches it.
    upload(
        http, b_headers(workspace), attachment_path(workspace, pdf), pdf, case_id, UploadCounts()
    )
    assign_by_id(storage, case_id, reviewer_b)
    back, asked = counted_sync(laptop_b, http)
    assert asked == [pdf]
    assert back.attachments_down == 1 and back.attachments_not_yet == 0
    assert (
        attachment_path(laptop_b, pdf).read_bytes() == attachment_path(workspace, pdf).read_bytes()
    )
    assert missing_attachments(laptop_b.db) == []


def withdraw_here(workspace: Workspace, case_id: str) -> None:
    """Record on the laptop that the office withdrew `case_id` (as a pulled notice does)."""
    with workspace.db.atomic():
        workspace.db.execute(
            "INSERT INTO case_withdrawal (case_id, reviewer_id, withdrawn_at, noticed_at) "
            "VALUES (?, 'r', ?, ?)",
            [case_id, NOW.isoformat(), NOW.isoformat()],
        )


def test_an_attachment_a_withdrawn_and_a_kept_case_both_name_is_still_fetched(
    workspace: Workspace,
) -> None:
    """The same photo named by a withdrawn case and by a case still held is still wanted."""
    db = workspace.db
    signed = db.execute("SELECT case_id, document_sha256 FROM signature LIMIT 1").fetchone()
    holder, shared = str(signed[0]), str(signed[1])
    other = db.execute(
        "SELECT r.id, r.case_id FROM checklist_result r JOIN review_case c ON c.id = r.case_id "
        "WHERE c.locked = 0 AND r.locked = 0 AND r.case_id != ? LIMIT 1",
        [holder],
    ).fetchone()
    with db.atomic():  # the other case's result names the same file
        db.execute(
            "UPDATE checklist_result SET evidence = ? WHERE id = ?", [f'["{shared}"]', other[0]]
        )
    attachment_path(workspace, shared).unlink()
    assert shared in missing_attachments(db)
    withdraw_here(workspace, holder)
    assert shared in missing_attachments(db)  # the case still held names it
    withdraw_here(workspace, str(other[1]))
    assert shared not in missing_attachments(db)


def first_reviewer(storage: Storage, case_id: str) -> str:
    """The id of the one reviewer 李明 (B) to whom the case is assigned."""
    from sqlalchemy import select

    from sync.server.storage import reviewer

    with storage.reading() as conn:
        return str(
            conn.execute(select(reviewer.c.id).where(reviewer.c.name == "李明")).scalar_one()
        )
