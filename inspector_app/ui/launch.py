"""Starting the desktop app on a workspace.

The case list is what a person waits for, so it is painted first: when the workspace needs
no migration and no reviewer is named, its rows are read on a plain connection
(`store.case_rows`), the window is shown and painted, and only then is the rest opened (the
shipped forms, what a crash left, sqlite-utils, the queries and the steps, the sync panel) and
attached to the window (`MainWindow.attach`). Until the window is ready no input of the person
is handled: the first paint is waited for in a local event loop that leaves user input queued
(`ExcludeUserInputEvents`), and the rest is done before the app's event loop starts. A
workspace to migrate (backed up first) or a named reviewer to check is opened whole before the
window shows, as before.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from inspector_app.clock import system_clock

# Imported here, before PySide6 (`ui.*`): PySide6 hooks every import made after it and reads
# the imported module's source (to see whether it uses PySide6), some 5 ms of every start.
from inspector_app.store.case_rows import case_rows
from inspector_app.store.errors import WorkspaceBusyError, WorkspaceError
from inspector_app.store.settings import load_settings
from inspector_app.store.workspace import WorkspaceFile, open_database
from inspector_app.ui.error_report import ErrorReporter, install_qt_message_handler
from inspector_app.ui.i18n import install_translator
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.preferences import UserPreferences
from inspector_app.ui.qt import QApplication, QEvent, QEventLoop, QObject, QTimer, QWidget

if TYPE_CHECKING:
    from inspector_app.app import Services
    from inspector_app.ui.tasks import TaskRunner

INTERRUPTED_EXIT = 130
QUIT_AFTER_START_ENV = "INSPECTOR_QUIT_AFTER_START"
"""For benchmarks only: set to 1, the app quits once its case list has first been painted
and the window is ready (and asks nobody to sign in); it prints on stderr when each was
(`START_TIMES`: seconds since the epoch, and the process's CPU seconds by then)."""
START_TIMES = (
    "inspector: start-up painted {painted:.6f} ready {ready:.6f} "
    "cpu painted {painted_cpu:.6f} ready {ready_cpu:.6f}"
)
FIRST_PAINT_WAIT_MS = 1000
"""The longest the app waits for its first paint before it opens the rest anyway (a window
that a platform does not expose is never painted)."""
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


class _FirstPaint(QObject):
    """Calls `then` (queued: once the paint is done) when the watched widget is first painted.

    A zero-delay timer right after `show()` would run before anything is laid out or painted,
    so the benchmark would not time what a person waits for.
    """

    def __init__(self, widget: QWidget, then: Callable[[], object]) -> None:
        super().__init__(widget)
        self._then = then
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._then)
        return False


def show_and_paint(window: MainWindow) -> tuple[float, float] | None:
    """Show the window and return once its case list is painted (the time, from `time.time()`,
    and the process's CPU time, from `time.process_time()`), or after `FIRST_PAINT_WAIT_MS`
    (None). Events are handled meanwhile, but no user input: a click or key press waits for
    the app's event loop."""
    painted: list[tuple[float, float]] = []
    loop = QEventLoop()

    def done() -> None:
        painted.append((time.time(), time.process_time()))
        loop.quit()

    _FirstPaint(window.table.viewport(), done)
    QTimer.singleShot(FIRST_PAINT_WAIT_MS, loop.quit)
    window.show()
    loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    return painted[0] if painted else None


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
    if named or preferences.workspace:
        return named or preferences.workspace  # type: ignore[return-value]  # one is set
    from inspector_app.app import default_workspace

    return default_workspace()


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
    reporter = ErrorReporter()
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


def _make_runner(folder: Path) -> Callable[[], TaskRunner]:
    # The worker opens its own connection (a sqlite3 connection belongs to its thread).
    def make() -> TaskRunner:
        from inspector_app.store.workspace import open_workspace
        from inspector_app.ui.tasks import TaskRunner

        return TaskRunner(lambda: open_workspace(folder, install_forms=False))

    return make


def _case_list_first(
    folder: Path, user: str | None, preferences: UserPreferences
) -> tuple[MainWindow, WorkspaceFile] | None:
    """Return the window over the case list read on the plain connection, and the checked
    database whose opening is still to be finished; None when the workspace must be opened
    whole first (a reviewer named, a migration pending, a new or unreadable workspace: the
    whole opening says what is wrong).

    Raises:
        WorkspaceBusyError: another program holds the workspace past the wait (the whole
            opening would only wait as long again before saying so).
    """
    if user:
        return None
    try:
        file = open_database(folder)
    except WorkspaceBusyError:
        raise
    except WorkspaceError:
        return None
    try:
        if not file.current:
            file.close()
            return None
        calendar = load_settings(file.conn).calendar
        rows = case_rows(file.conn, calendar, calendar.day_of(system_clock()))
    except WorkspaceError as error:
        file.close()
        if isinstance(error, WorkspaceBusyError):
            raise
        return None
    window = MainWindow(
        None,
        _make_runner(file.folder),
        workspace_label=str(file.folder),
        preferences=preferences,
        rows=rows,
    )
    return window, file


def _run(
    app: QApplication, workspace_path: Path, user: str | None, preferences: UserPreferences
) -> int:
    timer: QTimer | None = None
    window: MainWindow | None = None
    services: Services | None = None
    try:
        try:
            first = _case_list_first(workspace_path, user, preferences)
        except WorkspaceBusyError as error:
            print(f"错误：{error}", file=sys.stderr)
            return 1
        if first is None:
            from inspector_app.ui.window_services import open_for_window

            services = open_for_window(workspace_path, user, write=True)
            if services is None:
                return 1
            window = MainWindow(
                services, _make_runner(services.workspace.folder), preferences=preferences
            )
            timer, interrupted = _quit_on_sigint(app)  # Ctrl-C closes the window from now on
            painted = show_and_paint(window)
        else:
            window, file = first
            timer, interrupted = _quit_on_sigint(app)  # Ctrl-C closes the window from now on
            painted = show_and_paint(window)
            from inspector_app.ui.window_services import open_for_window  # after the paint

            services = open_for_window(file, user, write=True)
            if services is None:
                window.close()
                return 1
            window.attach(services)
        ready = (time.time(), time.process_time())
        # End-to-end tests wait for this line instead of sleeping.
        print(
            f"inspector: 已打开工作区 {services.workspace.folder}，共 {window.model.rowCount()} 件",
            file=sys.stderr,
            flush=True,
        )
        if interrupted:
            return INTERRUPTED_EXIT
        if os.environ.get(QUIT_AFTER_START_ENV) == "1":
            painted = painted or ready
            print(
                START_TIMES.format(
                    painted=painted[0], ready=ready[0], painted_cpu=painted[1], ready_cpu=ready[1]
                ),
                file=sys.stderr,
                flush=True,
            )
            QTimer.singleShot(0, app.quit)
        elif asks_sign_in(user):
            QTimer.singleShot(0, window.ask_sign_in)
        code = int(app.exec())
        return INTERRUPTED_EXIT if interrupted else code
    finally:
        if timer is not None:
            timer.stop()
        if window is not None:
            window.stop_background()
        if services is not None:
            services.close()
