"""The main window's sync panel against a real office on a loopback socket: the queue, the last
sync, the button, a wrong passphrase, reachability and the sync that starts by itself."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pytestqt.qtbot import QtBot

from inspector_app.app import Services
from inspector_app.store import profile_keys, sync_queue
from inspector_app.store.secrets import (
    DerivedKey,
    KdfParams,
    KeyCache,
    OsKeyring,
    SessionKeys,
)
from inspector_app.ui.qt import QApplication, Qt, QWidget
from inspector_app.ui.sync_panel import SyncPanel
from inspector_app.ui.tasks import ImmediateRunner
from sync.client.engine import enroll
from sync.protocol import Reviewer
from sync.server.storage import Storage, new_reviewer_id
from tests.sync.live import running_server
from tests.unit.signing_helpers import MemoryKeyring, memory_keyring

__all__ = ["memory_keyring"]  # fixtures

PASSPHRASE = "sync-panel-passphrase"
SHOTS = os.environ.get("INSPECTOR_SCREENSHOTS")


@pytest.fixture
def enrolled(tmp_path: Path, demo_services: Services) -> Iterator[Services]:
    """The demo workspace enrolled with an office on a loopback socket (SQLite storage)."""
    storage = Storage.in_folder(tmp_path / "server")
    code = storage.add_reviewer(
        Reviewer(
            id=new_reviewer_id(),
            name="王建华",
            unit="江苏省产品质量监督检验研究院",
            unit_type="inspection_agency",
            role="leader",
            certificate_no="XKSC-2026-0101",
            certificate_expiry="2030-12-31",
        )
    )
    with running_server(storage) as url:
        with httpx.Client(base_url=url, timeout=30) as http:
            enroll(
                demo_services.workspace.db,
                http,
                server_url=url,
                code=code,
                passphrase=PASSPHRASE,
                kdf_n=2**10,
            )
        yield demo_services
    storage.close()


class Asker:
    """Answers the passphrase prompt, counting how often it was asked."""

    def __init__(self, *answers: str | None) -> None:
        self.answers = list(answers)
        self.asked = 0

    def __call__(self, _parent: QWidget) -> str | None:
        self.asked += 1
        return self.answers.pop(0) if self.answers else None


def _panel(qtbot: QtBot, services: Services, ask: Asker, keys: KeyCache | None = None) -> SyncPanel:
    """A sync panel; its session's keys in memory only unless `keys` are given."""
    runner = ImmediateRunner(services.workspace)
    panel = SyncPanel(
        services,
        lambda: runner,
        ask=ask,
        keys=keys if keys is not None else SessionKeys(),
        probe_interval_ms=0,
        first_probe_ms=0,
    )
    qtbot.addWidget(panel)
    panel.show()
    return panel


def test_a_workspace_not_enrolled_says_so_and_cannot_sync(
    qtbot: QtBot, demo_services: Services
) -> None:
    panel = _panel(qtbot, demo_services, Asker())
    queued = sync_queue.outbox_count(demo_services.workspace.db)
    assert panel.indicator.text() == "未登记到中心"
    assert panel.pending.text() == f"待上传 {queued} 项"
    assert panel.last.text() == "尚未同步"
    assert not panel.button.isEnabled()


def test_the_sync_button_empties_the_queue(qtbot: QtBot, enrolled: Services) -> None:
    ask = Asker(PASSPHRASE)
    panel = _panel(qtbot, enrolled, ask)
    assert panel.button.isEnabled()
    with qtbot.waitSignal(panel.synced, timeout=60_000) as done:
        qtbot.mouseClick(panel.button, Qt.MouseButton.LeftButton)
    assert done.args[0].pending == 0
    assert sync_queue.outbox_count(enrolled.workspace.db) == 0
    # the demo's reviewers, added by hand before enrollment: held (the registry is the office's)
    assert panel.pending.text().startswith("待上传 0 项，暂存 ")
    assert panel.pending.text().endswith(" 项（审查员名录由中心维护）")
    assert panel.last.text().startswith("上次同步：2026-")
    assert panel.message.text().startswith("同步完成：上传 ")
    assert panel.indicator.text() == "● 中心在线"
    panel.start_sync()  # the passphrase is kept for this run: not asked again
    assert ask.asked == 1


def test_a_wrong_passphrase_is_refused_forgotten_and_nothing_is_lost(
    qtbot: QtBot, enrolled: Services
) -> None:
    queued = sync_queue.outbox_count(enrolled.workspace.db)
    ask = Asker("not-the-passphrase", PASSPHRASE)
    panel = _panel(qtbot, enrolled, ask)
    qtbot.mouseClick(panel.button, Qt.MouseButton.LeftButton)
    assert panel.message.text().startswith("同步未完成：口令不对")
    assert sync_queue.outbox_count(enrolled.workspace.db) == queued
    assert panel.button.isEnabled()
    qtbot.mouseClick(panel.button, Qt.MouseButton.LeftButton)  # asked again, now right
    assert ask.asked == 2
    assert sync_queue.outbox_count(enrolled.workspace.db) == 0


def test_cancelling_the_prompt_syncs_nothing(qtbot: QtBot, enrolled: Services) -> None:
    queued = sync_queue.outbox_count(enrolled.workspace.db)
    ask = Asker(None)
    panel = _panel(qtbot, enrolled, ask)
    panel.start_sync()
    assert ask.asked == 1
    assert not panel.running and panel.button.isEnabled()
    assert sync_queue.outbox_count(enrolled.workspace.db) == queued


def test_the_office_coming_online_starts_a_sync_by_itself(
    qtbot: QtBot,
    enrolled: Services,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ask = Asker(PASSPHRASE)
    panel = _panel(qtbot, enrolled, ask)
    panel.online = False
    # The office was unreachable: nothing happens, whatever the queue.
    monkeypatch.setattr("sync.client.session.reachable", lambda _url, timeout=2.0: False)
    panel.probe()
    assert panel.indicator.text() == "○ 离线"
    assert sync_queue.outbox_count(enrolled.workspace.db) > 0
    # With no key remembered, coming online only shows it: a sync by itself never asks.
    monkeypatch.setattr("sync.client.session.reachable", lambda _url, timeout=2.0: True)
    panel.probe()
    assert panel.indicator.text() == "● 中心在线"
    assert sync_queue.outbox_count(enrolled.workspace.db) > 0
    assert ask.asked == 0 and panel.button.isEnabled() and not panel.running
    # Once the key is remembered (the passphrase given in this run), the next return syncs.
    sync_queue.open_device_token(
        enrolled.workspace.db, ask=lambda: PASSPHRASE, cache=panel.keys, now=enrolled.clock()
    )
    panel.online = False
    panel.probe()
    assert sync_queue.outbox_count(enrolled.workspace.db) == 0
    assert ask.asked == 0


def test_a_key_remembered_by_the_os_keyring_syncs_without_asking(
    qtbot: QtBot, enrolled: Services, memory_keyring: MemoryKeyring
) -> None:
    first = Asker(PASSPHRASE)
    earlier = _panel(qtbot, enrolled, first, SessionKeys(OsKeyring()))
    with qtbot.waitSignal(earlier.synced, timeout=60_000):
        qtbot.mouseClick(earlier.button, Qt.MouseButton.LeftButton)
    assert first.asked == 1 and len(memory_keyring.entries) == 1
    # a later run of the app: a new session, the keyring remembers the key
    never = Asker()
    panel = _panel(qtbot, enrolled, never, SessionKeys(OsKeyring()))
    with qtbot.waitSignal(panel.synced, timeout=60_000):
        qtbot.mouseClick(panel.button, Qt.MouseButton.LeftButton)
    assert never.asked == 0
    assert panel.message.text().startswith("同步完成：")


def test_a_stale_key_in_the_keyring_is_forgotten_and_the_passphrase_asked_once(
    qtbot: QtBot, enrolled: Services, memory_keyring: MemoryKeyring
) -> None:
    import base64

    sync_queue.open_device_token(
        enrolled.workspace.db,
        ask=lambda: PASSPHRASE,
        cache=SessionKeys(OsKeyring()),
        now=enrolled.clock(),
    )
    (entry,) = memory_keyring.entries
    memory_keyring.entries[entry] = base64.b64encode(bytes(32)).decode()  # an older passphrase
    ask = Asker(PASSPHRASE)
    panel = _panel(qtbot, enrolled, ask, SessionKeys(OsKeyring()))
    for _ in range(2):
        with qtbot.waitSignal(panel.synced, timeout=60_000):
            qtbot.mouseClick(panel.button, Qt.MouseButton.LeftButton)
    assert ask.asked == 1
    assert memory_keyring.entries[entry] != base64.b64encode(bytes(32)).decode()


def test_the_probe_reaches_the_real_office(qtbot: QtBot, enrolled: Services) -> None:
    panel = _panel(qtbot, enrolled, Asker())
    panel.probe()
    assert panel.online is True


def test_the_sync_panel_in_english(
    qtbot: QtBot, english: None, qapp: QApplication, demo_services: Services
) -> None:
    panel = _panel(qtbot, demo_services, Asker())
    assert panel.indicator.text() == "Not enrolled with the office"
    assert panel.button.text() == "S&ync"
    assert panel.last.text() == "Never synced"


def test_the_second_sync_of_a_run_does_not_unseal_the_token_again(
    qtbot: QtBot, enrolled: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real = profile_keys.derive_key

    def counting(passphrase: str, params: KdfParams) -> DerivedKey:
        calls.append(params.n)
        return real(passphrase, params)

    monkeypatch.setattr(profile_keys, "derive_key", counting)
    ask = Asker("not-the-passphrase", PASSPHRASE)
    panel = _panel(qtbot, enrolled, ask)
    qtbot.mouseClick(panel.button, Qt.MouseButton.LeftButton)  # wrong: refused, forgotten
    assert panel.message.text().startswith("同步未完成：口令不对")
    assert len(calls) == 1
    for _ in range(2):
        with qtbot.waitSignal(panel.synced, timeout=60_000):
            qtbot.mouseClick(panel.button, Qt.MouseButton.LeftButton)
    assert ask.asked == 2
    assert len(calls) == 2  # the right passphrase derived the key once, for both syncs
    assert sync_queue.outbox_count(enrolled.workspace.db) == 0
    assert panel.message.text() == "同步完成：上传 0 项，下载 0 项，冲突 0 项"


# --- attachments down (issue 9) -------------------------------------------------------------


def _sync_with_a_photo_to_fetch(qtbot: QtBot, services: Services) -> SyncPanel:
    """Sync once (the office gets the demo's attachments), lose one photo's file as a laptop
    that did not take it, sync again: the photo comes down. Return the panel."""
    from inspector_app.store.attachment_fetch import referenced_hashes
    from inspector_app.store.attachments import attachment_path

    panel = _panel(qtbot, services, Asker(PASSPHRASE))
    with qtbot.waitSignal(panel.synced, timeout=60_000):
        panel.start_sync()
    workspace = services.workspace
    photo = sorted(referenced_hashes(workspace.db))[0]
    content = attachment_path(workspace, photo).read_bytes()
    attachment_path(workspace, photo).unlink()
    with qtbot.waitSignal(panel.synced, timeout=60_000) as done:
        panel.start_sync()
    assert done.args[0].attachments_down == 1
    assert attachment_path(workspace, photo).read_bytes() == content
    panel.resize(1366, panel.sizeHint().height())
    assert panel.message.sizeHint().width() <= panel.message.width()  # one line, not clipped
    return panel


def test_the_panel_says_how_many_attachments_came_down(qtbot: QtBot, enrolled: Services) -> None:
    panel = _sync_with_a_photo_to_fetch(qtbot, enrolled)
    assert panel.message.text().endswith("；收到附件 1 个")
    assert panel.message.toolTip() == (
        "收到附件 1 个；尚未传到中心、下次同步再取 0 个；内容校验不符未保存 0 个"
    )
    if SHOTS:
        panel.grab().save(str(Path(SHOTS) / "sync-panel-attachments-zh.png"))


def test_the_panel_says_how_many_attachments_came_down_in_english(
    qtbot: QtBot, english: None, enrolled: Services
) -> None:
    panel = _sync_with_a_photo_to_fetch(qtbot, enrolled)
    assert panel.message.text().endswith("; 1 attachment(s) received")
    assert panel.message.toolTip().startswith("Attachments received: 1;")
    if SHOTS:
        panel.grab().save(str(Path(SHOTS) / "sync-panel-attachments-en.png"))
