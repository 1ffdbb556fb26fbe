"""Importing a case file from the window: by the action (a stubbed file dialog) or by a drop,
run as a job through the ImmediateRunner; checked against what the store and the list hold."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from inspector_app.app import Services
from inspector_app.store.sql import fetch_all
from inspector_app.ui import main_window
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.qt import QDropEvent, QMessageBox, QMimeData, QPoint, Qt, QUrl
from tests.gui.conftest import CLERK, EXPORTED_CASE

MakeWindow = Callable[[Services], MainWindow]


def _choose(monkeypatch: pytest.MonkeyPatch, path: Path | None) -> list[object]:
    """Make the file dialog answer `path`; return the list of parents it was asked with."""
    asked: list[object] = []

    def choose(parent: object) -> Path | None:
        asked.append(parent)
        return path

    monkeypatch.setattr(main_window, "choose_case_file", choose)
    return asked


def _store(services: Services) -> tuple[list[str], int]:
    """The application numbers of the store's cases, and how many audit events it holds."""
    db = services.workspace.db
    cases = [
        row["application_no"] for row in fetch_all(db, "SELECT application_no FROM review_case")
    ]
    events = fetch_all(db, "SELECT count(*) AS n FROM audit_event")[0]["n"]
    return cases, int(events)


def _shown(window: MainWindow) -> list[str]:
    model = window.table.model()
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def _problem(window: MainWindow) -> str:
    box = window.message_box
    assert box is not None and box.isVisible()
    text = box.text()
    box.close()
    return text


def test_import_by_the_action_stores_the_case_and_lists_it(
    qtbot: QtBot,
    make_window: MakeWindow,
    empty_services: Services,
    case_file: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked = _choose(monkeypatch, case_file)
    empty_services.sign_in(CLERK.id)
    window = make_window(empty_services)
    assert _shown(window) == [] and window.import_action.isEnabled()
    window.import_action.trigger()
    assert asked == [window]
    assert _store(empty_services)[0] == [EXPORTED_CASE]
    assert _shown(window) == [EXPORTED_CASE]
    assert window.selected_case_id() == empty_services.queries.case_id(EXPORTED_CASE)
    assert f"已导入案件 {EXPORTED_CASE}" in window.statusBar().currentMessage()
    assert "共 1 件" in window.summary.text()
    assert window.message_box is None  # no problem was shown


def test_the_keyboard_shortcut_imports_too(
    qtbot: QtBot,
    make_window: MakeWindow,
    empty_services: Services,
    case_file: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _choose(monkeypatch, case_file)
    empty_services.sign_in(CLERK.id)
    window = make_window(empty_services)
    with qtbot.waitActive(window):
        window.activateWindow()
    qtbot.keyClick(window.table, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert _shown(window) == [EXPORTED_CASE]


def test_a_cancelled_file_dialog_changes_nothing(
    make_window: MakeWindow, empty_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    _choose(monkeypatch, None)
    empty_services.sign_in(CLERK.id)
    window = make_window(empty_services)
    before = _store(empty_services)
    window.import_action.trigger()
    assert _store(empty_services) == before and window.message_box is None


def test_importing_needs_a_signed_in_reviewer(
    make_window: MakeWindow,
    empty_services: Services,
    case_file: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked = _choose(monkeypatch, case_file)
    window = make_window(empty_services)
    assert not window.import_action.isEnabled()
    assert "需要登录的审查员" in window.import_action.toolTip()
    window.import_action.trigger()  # a disabled action does nothing
    window.import_case_file()
    assert asked == []
    window.import_path(case_file)  # a drop while read-only is refused, saying why
    assert "请先登录" in _problem(window)
    assert _store(empty_services)[0] == []


def test_a_bad_file_shows_the_domains_message_and_changes_nothing(
    make_window: MakeWindow,
    empty_services: Services,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bad = tmp_path / "坏文件.json"
    bad.write_text('{"format": "inspector-case/2", "case": ', encoding="utf-8")
    _choose(monkeypatch, bad)
    empty_services.sign_in(CLERK.id)
    window = make_window(empty_services)
    before = _store(empty_services)
    window.import_action.trigger()
    text = _problem(window)
    assert text.startswith("未导入 坏文件.json，工作区未作任何更改：")
    assert "\n" not in text and "Traceback" not in text
    assert window.statusBar().currentMessage() == text
    assert _store(empty_services) == before
    assert window.import_action.isEnabled()  # ready for the next file


def test_a_file_the_rules_refuse_names_the_rule_and_changes_nothing(
    make_window: MakeWindow,
    empty_services: Services,
    case_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    empty_services.sign_in(CLERK.id)
    window = make_window(empty_services)
    window.import_path(case_file)
    before = _store(empty_services)
    window.import_path(case_file)  # the same case again
    text = _problem(window)
    assert "$.case.id" in text and "已在工作区中" in text and "\n" not in text
    assert _store(empty_services) == before
    # a first-format file is refused with the domain's words
    old = tmp_path / "old.json"
    document = json.loads(case_file.read_text(encoding="utf-8"))
    document["format"] = "inspector-case/1"
    old.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    window.import_path(old)
    assert "old.json" in _problem(window)
    assert _store(empty_services) == before
    # a file that is not there
    window.import_path(tmp_path / "gone.json")
    assert "无法读取文件" in _problem(window)


def test_dropping_a_case_file_on_the_window_imports_it(
    make_window: MakeWindow, empty_services: Services, case_file: Path, tmp_path: Path
) -> None:
    empty_services.sign_in(CLERK.id)
    window = make_window(empty_services)

    def drop(*paths: Path) -> QDropEvent:
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
        event = QDropEvent(
            QPoint(10, 10),
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
        window.dropEvent(event)
        return event

    other = tmp_path / "notes.txt"
    other.write_text("x")
    drop(other)
    assert "只能把一个案件文件" in _problem(window)
    drop(case_file, case_file)
    assert "只能把一个案件文件" in _problem(window)
    assert _store(empty_services)[0] == []
    assert drop(case_file).isAccepted()
    assert _shown(window) == [EXPORTED_CASE]
    assert window.acceptDrops()


def test_an_unexpected_error_is_one_line_without_a_traceback(
    make_window: MakeWindow,
    empty_services: Services,
    case_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import inspector_app.casefile.replay as replay

    def broken(*args: object, **kwargs: object) -> str:
        raise KeyError("boom")

    monkeypatch.setattr(replay, "import_case", broken)
    empty_services.sign_in(CLERK.id)
    window = make_window(empty_services)
    window.import_path(case_file)
    text = _problem(window)
    assert "KeyError" in text and "\n" not in text and "Traceback" not in text
    assert "Traceback" in capsys.readouterr().err  # for the developer, on the terminal
    assert _store(empty_services)[0] == []


def test_import_messages_in_english(
    make_window: MakeWindow,
    empty_services: Services,
    case_file: Path,
    tmp_path: Path,
    english: None,
) -> None:
    window = make_window(empty_services)
    assert window.import_action.toolTip().startswith("Importing needs a signed-in reviewer")
    empty_services.sign_in(CLERK.id)
    window._reviewer_changed()
    window.import_path(case_file)
    assert window.statusBar().currentMessage().startswith(f"Imported case {EXPORTED_CASE}")
    bad = tmp_path / "bad.json"
    bad.write_text("[", encoding="utf-8")
    window.import_path(bad)
    # the frame is English; the domain's reason stays Chinese for now (README, "Languages")
    assert _problem(window).startswith("bad.json was not imported; the workspace is unchanged: ")


def test_the_message_box_is_a_warning(
    make_window: MakeWindow, empty_services: Services, tmp_path: Path
) -> None:
    empty_services.sign_in(CLERK.id)
    window = make_window(empty_services)
    window.import_path(tmp_path / "gone.json")
    box = window.message_box
    assert isinstance(box, QMessageBox) and box.icon() == QMessageBox.Icon.Warning
    box.close()


def test_the_import_runs_on_the_worker_thread_in_the_app(
    qtbot: QtBot, empty_services: Services, case_file: Path
) -> None:
    """With the app's TaskRunner (its own connection), the window learns of the import on the
    UI thread and reads the new case through its own connection."""
    from inspector_app.store.workspace import open_workspace
    from inspector_app.ui.tasks import TaskRunner

    folder = empty_services.workspace.folder
    empty_services.sign_in(CLERK.id)
    window = MainWindow(
        empty_services, lambda: TaskRunner(lambda: open_workspace(folder, install_forms=False))
    )
    qtbot.addWidget(window)
    window.show()
    try:
        window.import_path(case_file)
        assert not window.import_action.isEnabled()  # one import at a time
        assert "正在导入" in window.statusBar().currentMessage()
        qtbot.waitUntil(lambda: _shown(window) == [EXPORTED_CASE], timeout=30_000)
        assert window.import_action.isEnabled()
    finally:
        window.stop_background()
