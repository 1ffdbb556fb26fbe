"""Recording a result as the app does it (issue 7, "one frame"): the key commits the result at
once, the item shows "saving" until the disk confirmed it on the flusher's thread, then
"saved"; the pane and the verdict follow on a later pass of the event loop. Checked against
what the store holds after the key: exactly the result, nothing for a refusal or a storage
error (the item back as it was), undo and redo exact, in Chinese and in English."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from inspector_app.app import Services
from inspector_app.core.checklist import NO_RESULT
from inspector_app.core.forms.model import RESULT_CONFORM, RESULT_MINOR
from inspector_app.core.team import acting_member
from inspector_app.ui import wal_flusher
from inspector_app.ui.case_window import CaseWindow
from inspector_app.ui.checklist import ChecklistPage
from inspector_app.ui.qt import Qt
from inspector_app.ui.tasks import ImmediateRunner
from tests.gui.conftest import WANG
from tests.gui.test_checklist import CEMENT_CASE, page_of
from tests.gui.test_checklist_undo import CTRL, CTRL_SHIFT, stored, versions

RESULT_COLUMN = 1
NOTE = "化验室记录缺少签名。"


def app_window(qtbot: QtBot, services: Services) -> tuple[CaseWindow, ChecklistPage]:
    """The cement case's window as the app opens it (with a background runner, so the disk's
    confirmation comes from the flusher's thread), signed in as the leader, focus in the tree."""
    services.sign_in(WANG)
    window = CaseWindow(services, CEMENT_CASE, runner=lambda: ImmediateRunner(services.workspace))
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page = page_of(window)
    assert page.editable, page.read_only_reason
    page.tree.setFocus()
    qtbot.waitUntil(page.tree.hasFocus)
    return window, page


def settled(qtbot: QtBot, page: ChecklistPage) -> None:
    """Wait until the disk confirmed every edit and the pane and verdict followed."""
    qtbot.waitUntil(lambda: not page.saving and not page.views_pending)


def outbox_rows(services: Services) -> int:
    return int(services.workspace.db.execute("SELECT count(*) FROM outbox").fetchone()[0])


def result_cell(page: ChecklistPage, code: str, role: Qt.ItemDataRole) -> object:
    return page.model.index_of(code).siblingAtColumn(RESULT_COLUMN).data(role)


def test_a_keyed_result_is_saving_until_the_disk_confirms_it_then_saved(
    qtbot: QtBot, demo_services: Services
) -> None:
    _window, page = app_window(qtbot, demo_services)
    code = page.current_code
    assert code is not None and stored(demo_services, code) is None
    with qtbot.waitSignal(page.confirmed, timeout=5000) as confirmed:
        qtbot.keyClick(page.tree, Qt.Key.Key_1)
        # committed at once (what the store holds), but not yet said to be saved
        assert page.is_saving(code)
        tip = result_cell(page, code, Qt.ItemDataRole.ToolTipRole)
        assert tip == "正在保存：尚未确认已写到磁盘"
    result = stored(demo_services, code)
    assert result is not None
    [(confirmed_code, version)] = confirmed.args[0]
    assert confirmed_code == code
    settled(qtbot, page)
    assert not page.is_saving(code)
    assert result_cell(page, code, Qt.ItemDataRole.ToolTipRole) is None
    assert page.saved_label.text() == f"已保存第 {code} 项：符合"
    # exactly the result: 符合, no note, no photo, by the signed-in leader's member, one version
    member = acting_member(page.state.members, demo_services.acting_reviewer().actor)
    assert member is not None
    assert (result.result, result.note, result.evidence, result.assessor_id) == (
        RESULT_CONFORM,
        "",
        (),
        member.id,
    )
    assert versions(demo_services, result.id) == 1
    row = demo_services.workspace.db.execute(
        "SELECT version_id FROM checklist_result WHERE id = ?", [result.id]
    ).fetchone()
    assert row[0] == version
    assert page.result_buttons[0].isChecked()
    assert "已核查 13 / 18 项" in page.progress_label.text()
    # the store's own setting is back: the next step of any page waits for the disk again
    assert demo_services.workspace.db.execute("PRAGMA synchronous").fetchone()[0] == 2


def test_undo_and_redo_of_keyed_results_are_exact(qtbot: QtBot, demo_services: Services) -> None:
    _window, page = app_window(qtbot, demo_services)
    code = page.current_code
    assert code is not None
    qtbot.keyClick(page.tree, Qt.Key.Key_1)
    page.note.setPlainText(NOTE)
    qtbot.keyClick(page.tree, Qt.Key.Key_2)  # at once: 基本符合 with the note
    minor = stored(demo_services, code)
    assert minor is not None and (minor.result, minor.note) == (RESULT_MINOR, NOTE)
    qtbot.keyClick(page.tree, Qt.Key.Key_Z, CTRL)
    back = stored(demo_services, code)
    assert back is not None and (back.result, back.note) == (RESULT_CONFORM, "")
    qtbot.keyClick(page.tree, Qt.Key.Key_Z, CTRL)
    empty = stored(demo_services, code)
    assert empty is not None and empty.result == NO_RESULT
    qtbot.keyClick(page.tree, Qt.Key.Key_Z, CTRL_SHIFT)
    qtbot.keyClick(page.tree, Qt.Key.Key_Z, CTRL_SHIFT)
    again = stored(demo_services, code)
    assert again is not None and (again.result, again.note) == (RESULT_MINOR, NOTE)
    assert versions(demo_services, again.id) == 6  # every edit, undo and redo a version
    settled(qtbot, page)
    assert page.note.toPlainText() == NOTE
    assert page.result_buttons[1].isChecked() and not page.result_buttons[0].isChecked()
    assert page.saved_label.text().startswith("已重做：")


def test_a_refused_result_shows_the_domains_message_and_stores_nothing(
    qtbot: QtBot, demo_services: Services
) -> None:
    _window, page = app_window(qtbot, demo_services)
    item = next(
        i
        for i in page.form.items()
        if i.code not in page.model.results and i.requires.get(RESULT_MINOR) == ("note",)
    )
    assert page.select_code(item.code)
    outbox = outbox_rows(demo_services)
    qtbot.keyClick(page.tree, Qt.Key(Qt.Key.Key_1 + item.allowed_results.index(RESULT_MINOR)))
    assert f"第 {item.code} 项判为「基本符合」时须填写说明" in page.refusal.text()
    assert stored(demo_services, item.code) is None
    assert outbox_rows(demo_services) == outbox
    assert not page.is_saving(item.code)
    assert result_cell(page, item.code, Qt.ItemDataRole.DisplayRole) == "未核查"
    assert not any(b.isChecked() for b in page.result_buttons)


def test_a_storage_error_shows_the_error_and_the_item_returns_to_what_it_was(
    qtbot: QtBot, demo_services: Services
) -> None:
    _window, page = app_window(qtbot, demo_services)
    code = "1.5"  # 基本符合 with a note, by the demo
    page.select_code(code)
    page.tree.setFocus()
    before = stored(demo_services, code)
    assert before is not None and before.result == RESULT_MINOR
    db = demo_services.workspace.db
    db.execute("PRAGMA query_only = ON")  # the workspace cannot be written (as on a read-only disk)
    try:
        qtbot.keyClick(page.tree, Qt.Key.Key_1)
    finally:
        db.execute("PRAGMA query_only = OFF")
    assert "工作区是只读的，无法保存" in page.refusal.text()
    assert stored(demo_services, code) == before
    assert versions(demo_services, before.id) == 1
    assert not page.is_saving(code)
    assert result_cell(page, code, Qt.ItemDataRole.DisplayRole) == "基本符合"
    assert page.result_buttons[1].isChecked() and not page.result_buttons[0].isChecked()
    assert not page.undo_button.isEnabled()  # nothing was done, nothing to undo
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2
    qtbot.keyClick(page.tree, Qt.Key.Key_1)  # writable again: recorded as usual
    settled(qtbot, page)
    after = stored(demo_services, code)
    assert after is not None and after.result == RESULT_CONFORM


def test_a_disk_that_does_not_confirm_is_said_next_to_the_item(
    qtbot: QtBot, demo_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing_sync(_wal: Path) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(wal_flusher, "sync_wal", failing_sync)
    _window, page = app_window(qtbot, demo_services)
    code = page.current_code
    qtbot.keyClick(page.tree, Qt.Key.Key_1)
    settled(qtbot, page)
    assert f"第 {code} 项已写入，但磁盘未确认" in page.refusal.text()
    assert "Input/output error" in page.refusal.text()
    assert "已保存" not in page.saved_label.text()


def test_saving_and_saved_in_english(
    qtbot: QtBot, english: None, demo_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    _window, page = app_window(qtbot, demo_services)
    code = page.current_code
    qtbot.keyClick(page.tree, Qt.Key.Key_1)
    assert result_cell(page, str(code), Qt.ItemDataRole.ToolTipRole) == (
        "Saving: not yet confirmed on disk"
    )
    settled(qtbot, page)
    assert page.saved_label.text() == f"Saved item {code}: Conforms"
    assert "13 of 18 items recorded" in page.progress_label.text()
    db = demo_services.workspace.db
    db.execute("PRAGMA query_only = ON")
    try:
        qtbot.keyClick(page.tree, Qt.Key.Key_2)
    finally:
        db.execute("PRAGMA query_only = OFF")
    assert page.refusal.text()  # the store's message (Chinese: the domain's words)

    def failing_sync(_wal: Path) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(wal_flusher, "sync_wal", failing_sync)
    qtbot.keyClick(page.tree, Qt.Key.Key_0)
    settled(qtbot, page)
    assert f"Item {code} was written but the disk did not confirm it" in page.refusal.text()
