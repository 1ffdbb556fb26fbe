"""Starting the desktop app on a workspace."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from inspector_app.app import default_workspace
from inspector_app.store.workspace import open_workspace
from inspector_app.ui.error_report import ErrorReporter, install_qt_message_handler, log_folder
from inspector_app.ui.i18n import install_translator
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.preferences import UserPreferences
from inspector_app.ui.qt import QApplication, QEvent, QObject, QTimer, QWidget
from inspector_app.ui.tasks import TaskRunner
from inspector_app.ui.window_services import open_for_window

INTERRUPTED_EXIT = 130
QUIT_AFTER_START_ENV = "INSPECTOR_QUIT_AFTER_START"
"""For benchmarks only: set to 1, the app quits once its case list has first been painted
(and asks nobody to sign in)."""
NO_SIGN_IN_ENV = "INSPECTOR_NO_SIGN_IN"
"""Set to 1, the app started without --user opens read-only without asking who signs in."""
WAKE_MS = 200
"""How often the interpreter gets a turn while Qt's event loop runs, to notice Ctrl-C."""


def _quit_on_sigint(app: QApplication) -> tuple[QTimer, list[bool]]:
    """Make Ctrl-C close the windows and end the event loop; return the timer and a flag.

    Qt's event loop runs in C++ and Python only runs its signal handlers between bytecodes, so
    a timer wakes the interpreter now and then. Every edit is already saved by then (each one
    is its own transaction), so closing is all there is to do.
    """
    interrupted: list[bool] = []

    def on_sigint(_signum: int, _frame: object) -> None:
        interrupted.append(True)
        app.closeAllWindows()
        # Queued, so that it also ends an event loop that has not started yet.
        QTimer.singleShot(0, app.quit)

    signal.signal(signal.SIGINT, on_sigint)
    timer = QTimer()
    timer.timeout.connect(lambda: None)
    timer.start(WAKE_MS)
    return timer, interrupted


class _QuitAfterFirstPaint(QObject):
    """Quits the app once the watched widget has been painted (for the start-up benchmark).

    A zero-delay timer right after `show()` would quit before anything is laid out or painted,
    so the benchmark would not time what a person waits for.
    """

    def __init__(self, app: QApplication, widget: QWidget) -> None:
        super().__init__(widget)
        self._app = app
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._app.quit)
        return False


def asks_sign_in(user: str | None) -> bool:
    """Return whether the app asks who signs in once its window is shown.

    It asks when no reviewer was named (`--user`, `$INSPECTOR_USER`), unless
    INSPECTOR_NO_SIGN_IN=1 (read-only without asking) or INSPECTOR_QUIT_AFTER_START=1 (the
    start-up benchmark) is set.
    """
    return not user and not any(
        os.environ.get(name) == "1" for name in (NO_SIGN_IN_ENV, QUIT_AFTER_START_ENV)
    )


def app_workspace(named: Path | None, preferences: UserPreferences) -> Path:
    """Return the workspace folder the app opens: the one named (`--workspace`,
    $INSPECTOR_WORKSPACE), else the one chosen in the settings, else the default one."""
    return named or preferences.workspace or default_workspace()


def launch(workspace_path: Path | None, user: str | None, lang: str | None = None) -> int:
    """Open the workspace and run the app until its window closes; return the exit code.

    `workspace_path` is the folder named on the command line, or None (then `app_workspace`
    decides). `user` names the acting reviewer (an id or a unique name); without one the
    window opens and the sign-in dialog is shown over it (see `asks_sign_in`), and until
    someone signs in the app only shows. The ready line is printed once the window is shown,
    before anyone signs in. `lang` ("zh" or "en") chooses the UI's language; None takes the
    one chosen in the settings, else the system's.
    """
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)  # the app is a widgets application
    preferences = UserPreferences.for_user()
    install_translator(app, lang, preference=preferences.language)
    reporter = ErrorReporter(log_folder())
    reporter.install()
    install_qt_message_handler(reporter)
    folder = app_workspace(workspace_path, preferences)
    if workspace_path is None and folder == preferences.workspace and not folder.is_dir():
        # Not created anew: it may be on a drive that is not plugged in.
        print(
            f"错误：设置中选择的工作区 {folder} 不存在（可能在未接入的移动硬盘或网络盘上）。"
            "没有创建任何文件。请接入该磁盘后重试，或用 --workspace 指定另一个工作区。",
            file=sys.stderr,
        )
        return 1
    try:
        return _run(app, folder, user, preferences)
    finally:
        reporter.uninstall()


def _run(
    app: QApplication, workspace_path: Path, user: str | None, preferences: UserPreferences
) -> int:
    services = open_for_window(workspace_path, user, write=True)
    if services is None:
        return 1
    with services:
        folder = services.workspace.folder
        # The worker opens its own connection (a sqlite3 connection belongs to its thread).
        window = MainWindow(
            services,
            lambda: TaskRunner(lambda: open_workspace(folder, install_forms=False)),
            preferences=preferences,
        )
        timer, interrupted = _quit_on_sigint(app)  # before the ready line: Ctrl-C from then on
        if os.environ.get(QUIT_AFTER_START_ENV) == "1":
            _QuitAfterFirstPaint(app, window.table.viewport())
        window.show()
        # End-to-end tests wait for this line instead of sleeping.
        print(
            f"inspector: 已打开工作区 {folder}，共 {window.model.rowCount()} 件",
            file=sys.stderr,
            flush=True,
        )
        if asks_sign_in(user):
            QTimer.singleShot(0, window.ask_sign_in)
        try:
            code = int(app.exec())
        finally:
            timer.stop()
            window.stop_background()
        return INTERRUPTED_EXIT if interrupted else code
