"""Undo and redo on the checklist page, and taking a result back to "no result": each driven by
the keyboard, with what the store holds after each step (never an edit of history)."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from inspector_app.app import Services
from inspector_app.core.checklist import NO_RESULT
from inspector_app.core.forms.model import RESULT_CONFORM, RESULT_MINOR
from inspector_app.core.model import ChecklistResult
from inspector_app.demo import demo_png
from inspector_app.store.casework import load_case_file
from inspector_app.ui.case_window import CaseWindow
from inspector_app.ui.checklist import ChecklistPage
from inspector_app.ui.qt import Qt
from tests.gui.conftest import WANG
from tests.gui.test_checklist import CEMENT_CASE, case_window, page_of

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def stored(services: Services, code: str) -> ChecklistResult | None:
    state = load_case_file(services.workspace.db, CEMENT_CASE)
    return next((r for r in state.results if r.item_code == code), None)


def versions(services: Services, record_id: str) -> int:
    """How many versions of a record the audit trail holds (history is only appended to)."""
    row = services.workspace.db.execute(
        "SELECT count(*) FROM audit_event WHERE record_id = ?", [record_id]
    ).fetchone()
    return int(row[0])


def opened(
    qtbot: QtBot, services: Services, reviewer: str = WANG
) -> tuple[CaseWindow, ChecklistPage]:
    """Open the cement case's window, signed in as `reviewer`, the focus in the tree."""
    services.sign_in(reviewer)
    window = case_window(qtbot, services)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page = page_of(window)
    assert page.editable, page.read_only_reason
    page.tree.setFocus()
    qtbot.waitUntil(page.tree.hasFocus)
    return window, page


def test_record_undo_redo_by_keys_writes_new_versions(
    qtbot: QtBot, demo_services: Services
) -> None:
    _window, page = opened(qtbot, demo_services)
    code = page.current_code
    assert code is not None and stored(demo_services, code) is None
    assert not page.undo_button.isEnabled()
    qtbot.keyClick(page.tree, Qt.Key.Key_1)
    first = stored(demo_services, code)
    assert first is not None and first.result == RESULT_CONFORM
    qtbot.waitUntil(lambda: not page.views_pending)  # the pane and verdict follow the edit
    assert page.undo_button.isEnabled() and code in page.undo_button.toolTip()
    assert "已核查 13 / 18 项" in page.progress_label.text()

    qtbot.keyClick(page.tree, Qt.Key.Key_Z, CTRL)
    undone = stored(demo_services, code)
    assert undone is not None and undone.result == NO_RESULT and undone.id == first.id
    assert versions(demo_services, first.id) == 2
    qtbot.waitUntil(lambda: not page.views_pending)  # the pane and verdict follow the edit
    assert "已核查 12 / 18 项" in page.progress_label.text()
    assert page.model.index_of(code).siblingAtColumn(1).data() == "未核查"
    assert page.saved_label.text().startswith("已撤销：")
    assert page.redo_button.isEnabled()

    qtbot.keyClick(page.tree, Qt.Key.Key_Z, CTRL_SHIFT)
    redone = stored(demo_services, code)
    assert redone is not None and redone.result == RESULT_CONFORM
    assert versions(demo_services, first.id) == 3
    qtbot.waitUntil(lambda: not page.views_pending)  # the pane and verdict follow the edit
    assert "已核查 13 / 18 项" in page.progress_label.text()
    assert not page.redo_button.isEnabled()


def test_undo_of_a_changed_result_restores_the_one_before(
    qtbot: QtBot, demo_services: Services
) -> None:
    _window, page = opened(qtbot, demo_services)
    code = page.current_code
    assert code is not None
    qtbot.keyClick(page.tree, Qt.Key.Key_1)
    page.note.setPlainText("化验室记录缺少签名。")
    qtbot.keyClick(page.tree, Qt.Key.Key_2)  # 基本符合, with its note
    minor = stored(demo_services, code)
    assert minor is not None and minor.result == RESULT_MINOR
    page.undo()
    back = stored(demo_services, code)
    assert back is not None and back.result == RESULT_CONFORM and back.note == ""
    qtbot.waitUntil(lambda: not page.views_pending)  # the pane and verdict follow the edit
    assert page.result_buttons[0].isChecked() and not page.result_buttons[1].isChecked()


def test_undo_of_a_note(qtbot: QtBot, demo_services: Services) -> None:
    _window, page = opened(qtbot, demo_services)
    code = "1.2"  # recorded by the demo: 符合, no note
    page.select_code(code)
    before = stored(demo_services, code)
    assert before is not None and before.note == ""
    page.note.setFocus()
    page.note.setPlainText("已查看近三个月的出厂检验记录。")
    page.tree.setFocus()  # leaving the note saves it
    saved = stored(demo_services, code)
    assert saved is not None and saved.note == "已查看近三个月的出厂检验记录。"
    qtbot.keyClick(page.tree, Qt.Key.Key_Z, CTRL)
    undone = stored(demo_services, code)
    assert undone is not None and undone.note == "" and undone.result == before.result
    qtbot.waitUntil(lambda: not page.views_pending)  # the pane and verdict follow the edit
    assert page.note.toPlainText() == ""
    page.redo()
    redone = stored(demo_services, code)
    assert redone is not None and redone.note == "已查看近三个月的出厂检验记录。"


def test_undo_of_a_photo(qtbot: QtBot, demo_services: Services, tmp_path: Path) -> None:
    _window, page = opened(qtbot, demo_services)
    code = "1.2"
    page.select_code(code)
    photo = tmp_path / "lab.png"
    photo.write_bytes(demo_png("lab"))
    assert page.add_photo(lambda _parent: photo)
    added = stored(demo_services, code)
    assert added is not None and len(added.evidence) == 1
    qtbot.waitUntil(lambda: not page.views_pending)  # the pane and verdict follow the edit
    assert page.photo_strip.count() == 1
    page.undo()
    undone = stored(demo_services, code)
    assert undone is not None and undone.evidence == () and undone.result == added.result
    qtbot.waitUntil(lambda: not page.views_pending)  # the pane and verdict follow the edit
    assert page.photo_strip.count() == 0 and page.photo_count.text() == "照片 0 张"
    page.redo()
    redone = stored(demo_services, code)
    assert redone is not None and redone.evidence == added.evidence


def test_taking_a_result_back_and_undoing_that(qtbot: QtBot, demo_services: Services) -> None:
    _window, page = opened(qtbot, demo_services)
    code = "1.5"  # 基本符合 with a note, by the demo
    page.select_code(code)
    before = stored(demo_services, code)
    assert before is not None and before.result == RESULT_MINOR
    verdict_before = page.verdict_label.text()
    qtbot.keyClick(page.tree, Qt.Key.Key_0)
    taken = stored(demo_services, code)
    assert taken is not None and taken.result == NO_RESULT and taken.note == before.note
    qtbot.waitUntil(lambda: not page.views_pending)  # the pane and verdict follow the edit
    assert "已撤回第 1.5 项的评定" in page.saved_label.text()
    assert "尚有 7 项未核查" in page.verdict_label.text()
    assert not any(b.isChecked() for b in page.result_buttons)
    qtbot.keyClick(page.tree, Qt.Key.Key_Delete)  # nothing left to take back: the domain says so
    assert "尚无核查结果，无需撤回" in page.refusal.text()
    page.undo()
    back = stored(demo_services, code)
    assert back is not None and back.result == RESULT_MINOR and back.note == before.note
    qtbot.waitUntil(lambda: not page.views_pending)  # the pane and verdict follow the edit
    assert page.verdict_label.text() == verdict_before


def test_an_undo_the_domain_refuses_is_dropped_with_the_reason(
    qtbot: QtBot, demo_services: Services
) -> None:
    from inspector_app.core.model import Role, new_id
    from inspector_app.core.team import member_from_reviewer
    from inspector_app.demo import demo_id
    from inspector_app.store.reviewers import get_reviewer

    _window, page = opened(qtbot, demo_services)
    code = page.current_code
    assert code is not None
    qtbot.keyClick(page.tree, Qt.Key.Key_1)
    # Meanwhile the team changes (another window): its filing is void, results are refused.
    sun = get_reviewer(demo_services.workspace.db, demo_id("reviewer", "sun"))
    assert sun is not None
    demo_services.steps().save_member(member_from_reviewer(sun, CEMENT_CASE, new_id(), Role.MEMBER))
    page.undo()
    kept = stored(demo_services, code)
    assert kept is not None and kept.result == RESULT_CONFORM  # nothing written
    assert "无法撤销或重做" in page.refusal.text() and "核查" in page.refusal.text()
    assert not page.undo_stack.canUndo()  # the refused edit left the stack
