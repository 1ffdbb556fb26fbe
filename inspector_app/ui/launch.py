"""Starting the desktop app on a workspace."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from inspector_app.app import open_services, system_clock
from inspector_app.core.errors import RuleViolation
from inspector_app.labels import NO_REVIEWER
from inspector_app.store.errors import WorkspaceError
from inspector_app.ui.i18n import install_translator, tr_label
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.qt import QApplication, QEvent, QObject, QTimer, QWidget

INTERRUPTED_EXIT = 130
QUIT_AFTER_START_ENV = "INSPECTOR_QUIT_AFTER_START"
"""For benchmarks only: set to 1, the app quits once its case list has first been painted."""
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


def launch(workspace_path: Path, user: str | None, lang: str | None = None) -> int:
    """Open the workspace and run the app until its window closes; return the exit code.

    `user` names the acting reviewer (an id or a unique name); without one the app only shows.
    `lang` ("zh" or "en") chooses the UI's language; None follows the system's.
    """
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)  # the app is a widgets application
    install_translator(app, lang)
    try:
        services = open_services(workspace_path, user=user, write=True, clock=system_clock)
    except WorkspaceError as error:
        print(f"错误：{error}", file=sys.stderr)
        return 1
    with services:
        try:
            reviewer = services.acting_reviewer() if user else None
        except RuleViolation as error:
            print(f"错误：{error}", file=sys.stderr)
            return 1
        rows = services.queries.case_rows(alerts=False)
        who = f"{reviewer.name}（{reviewer.unit}）" if reviewer else tr_label(NO_REVIEWER)
        window = MainWindow(rows, str(services.workspace.folder), who)
        timer, interrupted = _quit_on_sigint(app)  # before the ready line: Ctrl-C from then on
        if os.environ.get(QUIT_AFTER_START_ENV) == "1":
            _QuitAfterFirstPaint(app, window.table.viewport())
        window.show()
        # End-to-end tests wait for this line instead of sleeping.
        print(
            f"inspector: 已打开工作区 {services.workspace.folder}，共 {len(rows)} 件",
            file=sys.stderr,
            flush=True,
        )
        code = int(app.exec())
        timer.stop()
        return INTERRUPTED_EXIT if interrupted else code
