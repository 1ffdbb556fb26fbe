"""Unexpected errors (bugs): written to a log file and shown with a report to copy.

`ErrorReporter.install()` makes it the interpreter's `sys.excepthook`, which PySide6 calls for an
exception raised in a slot or an event handler. Nothing disappears silently:

- a bug: its traceback goes to the log file (rotating, in the user's log folder), to stderr, and
  into a dialog with a 复制 (copy) button;
- a domain refusal (`RuleViolation`) that a widget let through: its message in the status bar of
  the window (refusals are shown where they happen, never as an error report);
- a known storage problem (`WorkspaceError`: disk full, read-only, locked …): its message, which
  says what to do, in a message box; no report.

`install_qt_message_handler` also writes Qt's critical and fatal messages to the log (a fatal
one ends the process right after, so it is written and flushed first).
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from inspector_app.core.errors import RuleViolation
from inspector_app.labels import (
    ERROR_INTRO,
    ERROR_INTRO_NO_LOG,
    STORAGE_ERROR_TITLE,
)
from inspector_app.store.errors import WorkspaceError
from inspector_app.ui.i18n import tr_label
from inspector_app.ui.qt import QApplication, QMainWindow

if TYPE_CHECKING:  # the dialogs are imported when an error is shown, not at every start
    import logging

    from inspector_app.ui.error_dialog import ErrorDialog
    from inspector_app.ui.qt import QMessageBox

LOG_DIR_ENV = "INSPECTOR_LOG_DIR"
"""Names the log folder instead of the user's (for tests and for support)."""
LOG_FILE_NAME = "inspector.log"
LOG_MAX_BYTES = 1_000_000
LOG_BACKUPS = 3
LOGGER_NAME = "inspector"

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


def log_folder() -> Path:
    """Return the folder of the log file: $INSPECTOR_LOG_DIR, else the user's log folder
    (e.g. ~/.local/state/inspector/log on Linux, %LOCALAPPDATA%\\inspector\\Logs on Windows)."""
    named = os.environ.get(LOG_DIR_ENV)
    if named:
        return Path(named)
    import platformdirs

    return Path(platformdirs.user_log_dir("inspector", appauthor=False))


def error_log(folder: Path) -> logging.Logger:
    """Return the app's logger writing to `folder`/inspector.log (rotating: 1 MB, 3 old files).

    The folder and file are made at the first record, so a start without errors writes nothing.
    """
    import logging
    from logging.handlers import RotatingFileHandler  # at the first record, not at every start

    class FolderMakingHandler(RotatingFileHandler):
        """A rotating file handler that makes its folder when it first opens the file."""

        def _open(self):  # type: ignore[no-untyped-def]  # typeshed's signature varies
            Path(self.baseFilename).parent.mkdir(parents=True, exist_ok=True)
            return super()._open()

    logger = logging.getLogger(LOGGER_NAME)
    path = folder / LOG_FILE_NAME
    for handler in list(logger.handlers):
        if isinstance(handler, RotatingFileHandler):
            if Path(handler.baseFilename) == path.absolute():
                return logger
            logger.removeHandler(handler)
            handler.close()
    handler = FolderMakingHandler(
        path, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8", delay=True
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return logger


def error_report(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> str:
    """Return the report of an unexpected error: versions, time and the traceback."""
    import platform

    from inspector_app.ui.qt import qVersion
    from inspector_app.version import app_version

    lines = [
        f"inspector {app_version()}; Python {platform.python_version()}; Qt {qVersion()}; "
        f"{platform.platform()}",
        f"{datetime.now(UTC).isoformat(timespec='seconds')}",
        "",
        *traceback.format_exception(exc_type, exc, tb),
    ]
    return "\n".join(line.rstrip("\n") for line in lines)


class ErrorReporter:
    """Handles exceptions nobody caught (`sys.excepthook`) while the app runs.

    Args:
        folder: The log folder (a temporary one in tests); None for `log_folder()`, looked up
            when first needed (platformdirs is not imported before the app's first paint).
    """

    def __init__(self, folder: Path | None = None) -> None:
        self._folder = folder
        self.dialog: ErrorDialog | None = None
        self.storage_box: QMessageBox | None = None
        self._previous: ExceptHook | None = None

    @property
    def folder(self) -> Path:
        """The log folder."""
        if self._folder is None:
            self._folder = log_folder()
        return self._folder

    @property
    def log(self) -> logging.Logger:
        """The log (its file handler is made when first used: a start without errors neither
        imports the logging machinery nor writes a file)."""
        return error_log(self.folder)

    @property
    def log_file(self) -> Path:
        """The current log file."""
        return self.folder / LOG_FILE_NAME

    def install(self) -> None:
        """Become `sys.excepthook` (`uninstall` gives the previous hook back)."""
        global _installed
        self._previous = sys.excepthook
        sys.excepthook = self.excepthook
        _installed = self

    def uninstall(self) -> None:
        """Give `sys.excepthook` back to the hook it replaced."""
        global _installed
        if self._previous is not None and sys.excepthook == self.excepthook:
            sys.excepthook = self._previous
        self._previous = None
        if _installed is self:
            _installed = None

    def excepthook(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        """Log and show an exception that nobody caught (see the module's docstring)."""
        if issubclass(exc_type, KeyboardInterrupt | SystemExit):
            (self._previous or sys.__excepthook__)(exc_type, exc, tb)
            return
        if isinstance(exc, RuleViolation):
            self.log.info("refusal not shown by its widget: %s", exc)
            self._show_refusal(str(exc))
            return
        if isinstance(exc, WorkspaceError):
            self.log.warning("storage problem: %s", exc, exc_info=(exc_type, exc, tb))
            self._show_storage_problem(str(exc))
            return
        report = error_report(exc_type, exc, tb)
        print(report, file=sys.stderr, flush=True)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:  # the report is still shown, saying why it is not kept
            intro = tr_label(ERROR_INTRO_NO_LOG).format(
                log=self.log_file, reason=error.strerror or error
            )
        else:
            self.log.error("unexpected error\n%s", report)
            self._flush()
            intro = tr_label(ERROR_INTRO).format(log=self.log_file)
        self.show_report(report, intro)

    def show_report(self, report: str, intro: str) -> None:
        """Show the report in the error dialog (made once, over the active window), under
        `intro` (where it is logged)."""
        if QApplication.instance() is None:
            return  # no window to show it in: stderr and the log have it
        if self.dialog is None or not _alive(self.dialog):  # its window may have closed
            from inspector_app.ui.error_dialog import ErrorDialog

            self.dialog = ErrorDialog(QApplication.activeWindow())
        self.dialog.add_report(report, intro)
        self.dialog.show()
        self.dialog.raise_()

    def _flush(self) -> None:
        for handler in self.log.handlers:
            handler.flush()

    def _show_refusal(self, message: str) -> None:
        window = QApplication.activeWindow() if QApplication.instance() else None
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(message)
        else:
            print(f"inspector: {message}", file=sys.stderr, flush=True)

    def _show_storage_problem(self, message: str) -> None:
        if QApplication.instance() is None:
            print(f"错误：{message}", file=sys.stderr, flush=True)
            return
        from inspector_app.ui.qt import QMessageBox

        box = self.storage_box
        if box is None or not _alive(box):
            box = QMessageBox(QApplication.activeWindow())
            box.setObjectName("storageProblem")
            box.setIcon(QMessageBox.Icon.Warning)
            box.setWindowTitle(tr_label(STORAGE_ERROR_TITLE))
            self.storage_box = box  # kept: a later problem replaces the text
        box.setText(message)
        box.open()


def _alive(widget: object) -> bool:
    """Return whether Qt has not deleted the widget (with the window it belonged to)."""
    import shiboken6

    return bool(shiboken6.isValid(widget))


_installed: ErrorReporter | None = None
"""The reporter in force (`ErrorReporter.install`), whose log `log_error` writes to."""


def log_error(message: str, *args: Any, error: BaseException) -> None:
    """Write a bug that was caught and said to the person in one line (a failed background
    job) to the log of the reporter in force with its traceback, else to stderr."""
    if _installed is not None:
        _installed.log.error(message, *args, exc_info=error)
    else:
        traceback.print_exception(error, file=sys.stderr)


def install_qt_message_handler(reporter: ErrorReporter) -> object:
    """Write Qt's critical and fatal messages to the log as well as stderr (Qt aborts right
    after a fatal one, so the record is flushed first); return the handler it replaced."""
    from inspector_app.ui.qt import QtMsgType, qInstallMessageHandler

    def handler(mode: QtMsgType, _context: object, message: str) -> None:
        print(message, file=sys.stderr, flush=True)
        if mode in (QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
            log = reporter.log
            log.error("Qt %s: %s", mode.name, message)
            for each in log.handlers:
                each.flush()

    return qInstallMessageHandler(handler)
