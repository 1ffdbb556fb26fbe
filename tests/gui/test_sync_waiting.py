"""The sync panel says when pulled records wait in the inbox (one breaks a rule of its case),
with each one's reason in the tooltip, in Chinese and in English."""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from pytestqt.qtbot import QtBot

from inspector_app.app import Services
from inspector_app.core.model import ChecklistResult
from inspector_app.store import records, sync_queue
from inspector_app.store.codec import to_plain
from inspector_app.store.sql import fetch_one
from inspector_app.ui.sync_panel import SyncPanel
from tests.gui.test_sync_panel import PASSPHRASE, Asker, _panel, enrolled

__all__ = ["enrolled"]  # fixtures

SHOTS = os.environ.get("INSPECTOR_SCREENSHOTS")


def _sync_with_a_result_out_of_order(qtbot: QtBot, services: Services) -> tuple[SyncPanel, str]:
    """Sync once, then find in the inbox a pulled result dated before the review began (as a
    laptop with a wrong clock would send it), and sync again. Return the panel and the id."""
    panel = _panel(qtbot, services, Asker(PASSPHRASE))
    with qtbot.waitSignal(panel.synced, timeout=60_000):
        panel.start_sync()
    db = services.workspace.db
    row = fetch_one(
        db,
        "SELECT r.id FROM checklist_result r JOIN review_case c ON c.id = r.case_id "
        "WHERE c.locked = 0 AND c.review_started_at IS NOT NULL ORDER BY r.id LIMIT 1",
        [],
    )
    assert row is not None
    result = records.load(db, ChecklistResult, row["id"])
    held = records.stored_version(db, ChecklistResult, row["id"])
    assert result is not None and held is not None
    early = replace(result, assessed_at=datetime(2020, 1, 1, tzinfo=UTC))
    with db.atomic():
        db.execute(
            "INSERT INTO sync_inbox (server_seq, record_table, record_id, case_id, version_id, "
            "base_version_id, device_id, payload, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                10**9,
                "checklist_result",
                result.id,
                result.case_id,
                str(uuid.uuid4()),
                held.version_id,
                "device-wrong-clock",
                json.dumps({"record": to_plain(early), "locked": False}),
                datetime.now(UTC).isoformat(),
            ],
        )
    with qtbot.waitSignal(panel.synced, timeout=60_000):
        panel.start_sync()
    assert sync_queue.inbox_count(db) == 1  # kept, not applied
    kept = records.load(db, ChecklistResult, result.id)
    assert kept is not None and kept.assessed_at == result.assessed_at
    panel.resize(1366, panel.sizeHint().height())
    return panel, result.id


def test_the_panel_says_records_wait_and_why(qtbot: QtBot, enrolled: Services) -> None:
    panel, record_id = _sync_with_a_result_out_of_order(qtbot, enrolled)
    assert panel.message.text().endswith("；1 项收到的记录暂未应用（原因见提示）")
    tip = panel.message.toolTip()
    assert record_id in tip and "规则 result_within_review" in tip
    assert panel.message.sizeHint().width() <= panel.message.width()  # one line, not clipped
    if SHOTS:
        panel.grab().save(str(Path(SHOTS) / "sync-panel-waiting-zh.png"))


def test_the_panel_says_records_wait_in_english(
    qtbot: QtBot, english: None, enrolled: Services
) -> None:
    panel, record_id = _sync_with_a_result_out_of_order(qtbot, enrolled)
    assert panel.message.text().endswith(
        "; 1 received records not applied yet (see the tooltip for why)"
    )
    assert record_id in panel.message.toolTip()
    if SHOTS:
        panel.grab().save(str(Path(SHOTS) / "sync-panel-waiting-en.png"))


# --- sync-left: a case counted in another time zone waits, saying so (begin) -----------------


def test_the_panel_says_a_case_of_another_time_zone_waits(qtbot: QtBot, enrolled: Services) -> None:
    """A case the office sends counted in another zone than this workspace's waits, and the
    panel's tooltip names both zones."""
    from inspector_app.core.model import Case
    from inspector_app.store.records import CASE_TIME_ZONE

    panel = _panel(qtbot, enrolled, Asker(PASSPHRASE))
    with qtbot.waitSignal(panel.synced, timeout=60_000):
        panel.start_sync()
    db = enrolled.workspace.db
    row = fetch_one(db, "SELECT id FROM review_case ORDER BY id LIMIT 1", [])
    assert row is not None
    case = records.load(db, Case, row["id"])
    assert case is not None
    other = replace(case, id=str(uuid.uuid4()), application_no="XK99-2026-0999")
    payload = {"record": to_plain(other), "locked": False, CASE_TIME_ZONE: "Europe/Berlin"}
    with db.atomic():
        db.execute(
            "INSERT INTO sync_inbox (server_seq, record_table, record_id, case_id, version_id, "
            "base_version_id, device_id, payload, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                10**9,
                "review_case",
                other.id,
                other.id,
                str(uuid.uuid4()),
                None,
                "laptop-in-berlin",
                json.dumps(payload, ensure_ascii=False),
                datetime.now(UTC).isoformat(),
            ],
        )
    with qtbot.waitSignal(panel.synced, timeout=60_000):
        panel.start_sync()
    assert sync_queue.inbox_count(db) == 1  # kept, not applied
    assert fetch_one(db, "SELECT id FROM review_case WHERE id = ?", [other.id]) is None
    assert panel.message.text().endswith("；1 项收到的记录暂未应用（原因见提示）")
    tip = panel.message.toolTip()
    assert "Europe/Berlin" in tip and enrolled.settings.time_zone in tip
    assert "settings set time_zone Europe/Berlin" in tip


# --- sync-left (end) ---------------------------------------------------------------------------
