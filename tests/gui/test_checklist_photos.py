"""Photos on the checklist page: thumbnails, the large view, files dropped on an item or on the
detail pane, broken files refused with nothing stored, and a long text wrapped, not clipped."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

from pytestqt.qtbot import QtBot

from inspector_app.app import Services
from inspector_app.demo import demo_png
from inspector_app.ui.checklist import ChecklistPage
from inspector_app.ui.photo_strip import PhotoView
from inspector_app.ui.qt import (
    QApplication,
    QDragEnterEvent,
    QDropEvent,
    QMimeData,
    QPoint,
    Qt,
    QUrl,
    QWidget,
)
from tests.gui.conftest import WANG
from tests.gui.test_checklist import CEMENT_CASE
from tests.gui.test_checklist_undo import opened, stored

SHOTS = os.environ.get("INSPECTOR_SCREENSHOTS")


def photo_file(folder: Path, name: str) -> Path:
    path = folder / name
    path.write_bytes(demo_png(name))
    return path


def attachments(services: Services) -> int:
    return int(services.workspace.db.execute("SELECT count(*) FROM attachment").fetchone()[0])


def drop(target: QWidget, files: list[Path], at: QPoint | None = None) -> bool:
    """Drag files over `target` and drop them there; return whether the drop was accepted."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f)) for f in files])
    point = at or target.rect().center()
    action = Qt.DropAction.CopyAction
    buttons, modifiers = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    with warnings.catch_warnings():  # PySide6 marks this constructor deprecated
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(point, action, mime, buttons, modifiers)
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted()
    event = QDropEvent(point.toPointF(), action, mime, buttons, modifiers)
    QApplication.sendEvent(target, event)
    return event.isAccepted()


def test_thumbnails_and_the_large_view_by_enter_and_double_click(
    qtbot: QtBot, demo_services: Services, tmp_path: Path
) -> None:
    _window, page = opened(qtbot, demo_services)
    page.select_code("1.2")
    for name in ("kiln.png", "lab.png"):
        path = photo_file(tmp_path, name)
        assert page.add_photo(lambda _parent, p=path: p)  # type: ignore[misc]
    result = stored(demo_services, "1.2")
    assert result is not None and len(result.evidence) == 2
    qtbot.waitUntil(lambda: not page.views_pending)  # the pane and verdict follow the edit
    strip = page.photo_strip
    assert strip.count() == 2 and strip.hashes() == result.evidence
    assert not strip.item(0).icon().isNull()
    assert page.photo_count.text() == "照片 2 张"

    strip.setFocus()
    strip.setCurrentRow(1)
    qtbot.keyClick(strip, Qt.Key.Key_Return)
    view = strip.findChild(PhotoView)
    assert view is not None and view.isVisible()
    assert view.windowTitle() == "第 1.2 项的照片 2/2"
    assert not view.image.pixmap().isNull()
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert view.windowTitle() == "第 1.2 项的照片 1/2"
    view.close()

    rect = strip.visualItemRect(strip.item(0))
    qtbot.mouseClick(strip.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(strip.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    views = [v for v in strip.findChildren(PhotoView) if v.isVisible()]
    assert len(views) == 1 and views[0].windowTitle() == "第 1.2 项的照片 1/2"


def test_a_photo_dropped_on_an_item_of_the_tree_is_attached_to_that_item(
    qtbot: QtBot, demo_services: Services, tmp_path: Path
) -> None:
    _window, page = opened(qtbot, demo_services)
    page.select_code("1.1")
    index = page.view_index(page.model.index_of("2.2"))
    point = page.tree.visualRect(index).center()
    assert drop(page.tree.viewport(), [photo_file(tmp_path, "silo.png")], point)
    assert page.current_code == "2.2"
    result = stored(demo_services, "2.2")
    assert result is not None and len(result.evidence) == 1
    assert stored(demo_services, "1.1").evidence == ()  # type: ignore[union-attr]


def test_a_photo_dropped_on_the_detail_pane_of_an_unanswered_item_is_kept(
    qtbot: QtBot, demo_services: Services, tmp_path: Path
) -> None:
    _window, page = opened(qtbot, demo_services)
    code = page.current_code
    assert code is not None and stored(demo_services, code) is None
    assert drop(page.detail, [photo_file(tmp_path, "crusher.png")])
    kept = stored(demo_services, code)
    assert kept is not None and kept.result == "" and len(kept.evidence) == 1
    assert page.model.answered(code) is None  # a photo is no result
    qtbot.keyClick(page.tree, Qt.Key.Key_1)
    recorded = stored(demo_services, code)
    assert recorded is not None and recorded.result == "符合"
    assert recorded.evidence == kept.evidence


def test_a_broken_file_dropped_stores_nothing_and_says_why(
    qtbot: QtBot, demo_services: Services, tmp_path: Path
) -> None:
    _window, page = opened(qtbot, demo_services)
    page.select_code("1.2")
    before, result_before = attachments(demo_services), stored(demo_services, "1.2")
    broken = tmp_path / "photo.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    text = tmp_path / "notes.txt"
    text.write_text("现场记录", encoding="utf-8")
    good = photo_file(tmp_path, "good.png")
    assert drop(page.detail, [good, broken])
    assert "“photo.jpg”不是可读取的图片" in page.refusal.text()
    assert "未添加任何照片" in page.refusal.text()
    assert drop(page.photo_strip.viewport(), [text])  # the thumbnails take drops too
    assert "“notes.txt”不是可读取的图片" in page.refusal.text()
    assert page.add_photo(lambda _parent: tmp_path / "gone.png")
    assert "无法读取“gone.png”" in page.refusal.text()
    assert attachments(demo_services) == before
    assert stored(demo_services, "1.2") == result_before
    assert not page.undo_stack.canUndo()


def test_photos_cannot_be_added_read_only(
    qtbot: QtBot, demo_services: Services, tmp_path: Path
) -> None:
    from tests.gui.test_checklist import case_window, page_of

    window = case_window(qtbot, demo_services)  # nobody signed in
    page = page_of(window)
    before = attachments(demo_services)
    assert not page.photo_button.isEnabled()
    assert not page.attach_photos([photo_file(tmp_path, "x.png")], "1.2")
    assert "需要登录的审查员" in page.refusal.text()
    assert attachments(demo_services) == before


def long_text_fits(qtbot: QtBot, page: ChecklistPage) -> None:
    """Give the item shown a very long requirement and guidance; both show whole."""
    long = "检查原材料进厂检验记录、生产过程质量控制记录和出厂检验记录是否齐全、真实。" * 12
    page.requirement.setText(long)
    page.guidance.setText(long)
    for label in (page.requirement, page.guidance):
        qtbot.waitUntil(lambda label=label: label.height() >= label.heightForWidth(label.width()))
        assert label.width() <= page.detail_scroll.viewport().width()
    bar = page.detail_scroll.verticalScrollBar()
    assert bar.maximum() > 0  # the pane scrolls instead of squeezing the texts


def test_a_long_requirement_wraps_and_the_detail_pane_scrolls(
    qtbot: QtBot, demo_services: Services
) -> None:
    demo_services.sign_in(WANG)
    _window, page = opened(qtbot, demo_services)
    long_text_fits(qtbot, page)
    if SHOTS:
        _window.grab().save(str(Path(SHOTS) / "checklist-long-zh.png"))


def test_a_long_requirement_in_english(
    qtbot: QtBot, english: None, demo_services: Services
) -> None:
    window, page = opened(qtbot, demo_services)
    assert page.undo_button.text() == "Undo" and page.conclude_button.text() == "&Conclude…"
    assert page.withdraw_button.text() == "0 No result"
    long_text_fits(qtbot, page)
    if SHOTS:
        window.grab().save(str(Path(SHOTS) / "checklist-long-en.png"))


def test_photos_are_stored_on_the_worker_thread_in_the_app(
    qtbot: QtBot, demo_services: Services, tmp_path: Path
) -> None:
    """With the app's TaskRunner (its own connection), the photo is checked and stored off the
    UI thread; the page learns of it on the UI thread and saves the item with it."""
    from inspector_app.store.workspace import open_workspace
    from inspector_app.ui.case_window import CaseWindow
    from inspector_app.ui.tasks import TaskRunner

    folder = demo_services.workspace.folder
    runner = TaskRunner(lambda: open_workspace(folder, install_forms=False))
    demo_services.sign_in(WANG)
    window = CaseWindow(demo_services, CEMENT_CASE, runner=lambda: runner)
    qtbot.addWidget(window)
    window.show()
    try:
        page = window.checklist
        assert page is not None and page.select_code("1.2")
        assert page.attach_photos([photo_file(tmp_path, "kiln.png")], "1.2")
        assert page.saved_label.text() == "正在保存 1 张照片…"  # the job's outcome comes later
        qtbot.waitUntil(lambda: page.photo_jobs == 0, timeout=30_000)
        result = stored(demo_services, "1.2")
        assert result is not None and len(result.evidence) == 1
        assert page.photo_strip.count() == 1 and page.refusal.text() == ""
    finally:
        runner.stop()


def test_a_photo_that_is_a_decompression_bomb_is_rejected(tmp_path: Path) -> None:
    """A small file that claims a gigantic picture is no photo: refused before anything is
    stored (as the sampling step's seal photos are), whether Pillow refuses it outright or
    only warns."""
    import pytest

    from inspector_app.ui.photo_job import PhotoRejected, read_photo
    from tests.unit.test_casefile_bad_input import bomb_png

    for side in (14_000, 10_000):
        path = tmp_path / f"bomb-{side}.png"
        path.write_bytes(bomb_png(side))
        with pytest.raises(PhotoRejected) as rejected:
            read_photo(path)
        assert rejected.value.name == path.name
