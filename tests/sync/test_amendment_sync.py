"""An amendment (更正说明) made after a sign-off reaches the office as a new record of the signed
case, with its signed PDF: a signed case takes no other change there."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
from sqlalchemy import select

from inspector_app.core.model import Actor
from inspector_app.demo import demo_id, demo_passphrase
from inspector_app.reports.amendment import amend_case
from inspector_app.store import sync_queue
from inspector_app.store.casework import Casework
from inspector_app.store.workspace import Workspace
from sync.client.engine import run_sync
from sync.server.attachments import AttachmentFiles
from sync.server.storage import Storage, record_head
from tests.sync.conftest import PASSPHRASE
from tests.sync.test_apply import enroll_as

LATER = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
SIGNED = demo_id("g", "case")  # signed off by the demo
WANG = Actor(demo_id("reviewer", "wang"), "王建华")


def test_an_amendment_after_the_sign_off_reaches_the_office(
    workspace: Workspace, http: httpx.Client, storage: Storage
) -> None:
    enroll_as(workspace, http, storage, "王建华")
    run_sync(workspace.db, http, passphrase=PASSPHRASE, now=LATER)
    report = workspace.db.execute(
        "SELECT DISTINCT document_sha256 FROM signature WHERE case_id = ?", [SIGNED]
    ).fetchone()[0]
    made = amend_case(
        workspace,
        Casework(workspace.db, WANG, lambda: LATER),
        SIGNED,
        corrects=report,
        reason="第 3.2 项核查说明笔误",
        text="第 3.2 项的说明应为“原材料进货检验记录齐全”。",
        ask=demo_passphrase,
    )
    amendment = made.signed.amendment
    synced = run_sync(workspace.db, http, passphrase=PASSPHRASE, now=LATER)
    assert synced.conflicts == [] and sync_queue.outbox_count(workspace.db) == 0
    with storage.reading() as conn:
        head = conn.execute(
            select(record_head).where(
                record_head.c.record_table == "amendment",
                record_head.c.record_id == amendment.id,
            )
        ).one()
    assert head.version_id is not None and head.locked == 1
    assert list(storage.conflicts()) == []
    held = AttachmentFiles(storage).status(amendment.document_sha256)
    assert held.complete
