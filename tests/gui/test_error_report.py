"""An unexpected error never disappears silently: a report dialog with a copy button, and its
traceback in the log file; a domain refusal or a known storage problem gets no report."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import shiboken6
from pytestqt.qtbot import QtBot

from inspector_app.app import Services
from inspector_app.core.errors import Problem, RuleViolation
from inspector_app.store.errors import WorkspaceError
from inspector_app.ui.error_dialog import ErrorDialog
from inspector_app.ui.error_report import LOG_FILE_NAME, ErrorReporter, log_error, log_folder
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.qt import QApplication, QGuiApplication, QMessageBox, QPushButton, Qt

pytestmark = pytest.mark.qt_no_exception_capture  # the reporter is the hook under test


@pytest.fixture
def reporter(tmp_path: Path) -> Iterator[ErrorReporter]:
    """The app's error reporter as `sys.excepthook`, logging into a temporary folder."""
    reporter = ErrorReporter(tmp_path / "logs")
    reporter.install()
    yield reporter
    reporter.uninstall()
    if reporter.dialog is not None:
        reporter.dialog.close()
        reporter.dialog.deleteLater()


def button_raising(qtbot: QtBot, error: BaseException) -> QPushButton:
    """A shown button whose slot raises `error` when clicked."""
    button = QPushButton("boom")
    qtbot.addWidget(button)

    def slot() -> None:
        raise error

    button.clicked.connect(slot)
    button.show()
    return button


def test_an_error_in_a_slot_shows_a_report_to_copy_and_logs_the_traceback(
    qtbot: QtBot, reporter: ErrorReporter
) -> None:
    button = button_raising(qtbot, ZeroDivisionError("division by zero in a slot"))
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.isVisible())
    dialog = reporter.dialog  # (another test may leave a modal box open: not this one)
    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, ErrorDialog)]
    assert dialog in dialogs and dialog.isVisible()
    report = dialog.report.toPlainText()
    assert "Traceback" in report and "ZeroDivisionError: division by zero in a slot" in report
    assert "in slot" in report  # the frame that raised
    assert str(reporter.log_file) in dialog.intro.text()
    logged = (reporter.folder / LOG_FILE_NAME).read_text("utf-8")
    assert "Traceback" in logged and "ZeroDivisionError: division by zero in a slot" in logged
    copy = dialog.findChild(QPushButton, "copyReport")
    assert copy is not None and copy.text() == "复制(&C)"
    qtbot.mouseClick(copy, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == report
    assert dialog.copied.text() == "已复制到剪贴板。"


def test_a_second_error_is_added_to_the_same_report(qtbot: QtBot, reporter: ErrorReporter) -> None:
    qtbot.mouseClick(button_raising(qtbot, KeyError("first")), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(button_raising(qtbot, ValueError("second")), Qt.MouseButton.LeftButton)
    assert reporter.dialog is not None
    report = reporter.dialog.report.toPlainText()
    assert "KeyError: 'first'" in report and "ValueError: second" in report
    logged = reporter.log_file.read_text("utf-8")
    assert "KeyError: 'first'" in logged and "ValueError: second" in logged


def test_a_refusal_goes_to_the_status_bar_without_a_report(
    qtbot: QtBot,
    reporter: ErrorReporter,
    make_window: Callable[[Services], MainWindow],
    demo_services: Services,
) -> None:
    window = make_window(demo_services)
    with qtbot.waitActive(window):
        window.activateWindow()
    refusal = RuleViolation(Problem("acting_user", "此操作需要登录的审查员。"))
    reporter.excepthook(RuleViolation, refusal, None)
    assert reporter.dialog is None
    assert "此操作需要登录的审查员。" in window.statusBar().currentMessage()


def test_a_storage_problem_is_said_plainly_without_a_report(
    qtbot: QtBot, reporter: ErrorReporter
) -> None:
    qtbot.mouseClick(
        button_raising(qtbot, WorkspaceError("磁盘已满，未写入任何内容。")),
        Qt.MouseButton.LeftButton,
    )
    assert reporter.dialog is None
    boxes = [w for w in QApplication.topLevelWidgets() if w.objectName() == "storageProblem"]
    assert len(boxes) == 1 and isinstance(boxes[0], QMessageBox) and boxes[0].isVisible()
    assert boxes[0].text() == "磁盘已满，未写入任何内容。"
    boxes[0].close()
    boxes[0].deleteLater()


def test_the_report_in_english(qtbot: QtBot, english: None, reporter: ErrorReporter) -> None:
    qtbot.mouseClick(button_raising(qtbot, RuntimeError("bug")), Qt.MouseButton.LeftButton)
    assert reporter.dialog is not None
    assert reporter.dialog.windowTitle() == "Unexpected error"
    assert reporter.dialog.copy_button.text() == "&Copy"
    assert "The report was written to" in reporter.dialog.intro.text()


def test_an_unwritable_log_still_shows_the_report(qtbot: QtBot, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    reporter = ErrorReporter(blocker / "logs")  # a file on the way: no log folder possible
    reporter.install()
    try:
        qtbot.mouseClick(button_raising(qtbot, RuntimeError("bug")), Qt.MouseButton.LeftButton)
    finally:
        reporter.uninstall()
    assert reporter.dialog is not None
    assert "RuntimeError: bug" in reporter.dialog.report.toPlainText()
    assert "未能写入日志文件" in reporter.dialog.intro.text()
    reporter.dialog.close()


def test_the_log_folder_is_the_users_unless_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INSPECTOR_LOG_DIR", raising=False)
    assert "inspector" in str(log_folder())
    monkeypatch.setenv("INSPECTOR_LOG_DIR", "/somewhere/logs")
    assert log_folder() == Path("/somewhere/logs")


def test_a_caught_bug_is_logged_with_its_traceback(reporter: ErrorReporter) -> None:
    try:
        {}["missing"]
    except KeyError as error:
        log_error("import of %s failed", "case.json", error=error)
    logged = reporter.log_file.read_text("utf-8")
    assert "import of case.json failed" in logged
    assert "Traceback" in logged and "KeyError: 'missing'" in logged
    assert reporter.dialog is None  # said to the person in one line by the window, not here


def test_qt_critical_messages_go_to_the_log(reporter: ErrorReporter) -> None:
    from PySide6.QtCore import qCritical, qInstallMessageHandler

    from inspector_app.ui.error_report import install_qt_message_handler

    previous = install_qt_message_handler(reporter)
    try:
        qCritical("a critical message from Qt")
    finally:
        qInstallMessageHandler(previous)  # pytest-qt's own, which checks the other tests
    assert "QtCriticalMsg: a critical message from Qt" in reporter.log_file.read_text("utf-8")


def test_an_error_after_the_reports_window_closed_gets_a_new_report(
    qtbot: QtBot, reporter: ErrorReporter
) -> None:
    from inspector_app.ui.qt import QMainWindow

    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitActive(window):
        window.activateWindow()
    reporter.excepthook(RuntimeError, RuntimeError("first"), None)
    first = reporter.dialog
    assert first is not None and first.parent() is window
    window.close()
    window.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(first))
    reporter.excepthook(RuntimeError, RuntimeError("second"), None)
    assert reporter.dialog is not None and reporter.dialog is not first
    assert reporter.dialog.isVisible()
    assert "RuntimeError: second" in reporter.dialog.report.toPlainText()
