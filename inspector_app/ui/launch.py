"""Starting the desktop app on a workspace."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

from inspector_app.app import system_clock
from inspector_app.core.errors import RuleViolation
from inspector_app.store.casework import list_cases
from inspector_app.store.errors import WorkspaceError
from inspector_app.store.reviewers import resolve_reviewer
from inspector_app.store.settings import load_settings
from inspector_app.store.workspace import open_workspace
from inspector_app.ui.i18n import install_translator
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.qt import QApplication, QTimer

INTERRUPTED_EXIT = 130
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


def launch(workspace_path: Path, user: str | None, lang: str | None = None) -> int:
    """Open the workspace and run the app until its window closes; return the exit code.

    `user` names the acting reviewer (an id or a unique name); without one the app only shows.
    `lang` ("zh" or "en") chooses the UI's language; None follows the system's.
    """
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)  # the app is a widgets application
    install_translator(app, lang)
    try:
        workspace = open_workspace(workspace_path)
        reviewer = resolve_reviewer(workspace.db, user) if user else None
    except (WorkspaceError, RuleViolation) as error:
        print(f"错误：{error}", file=sys.stderr)
        return 1
    with workspace:
        entries = list_cases(workspace.db)
        calendar = load_settings(workspace.db).calendar
        today = calendar.day_of(system_clock())
        who = f"{reviewer.name}（{reviewer.unit}）" if reviewer else "未指定（只读）"
        window = MainWindow(entries, today, calendar, str(workspace.folder), who)
        timer, interrupted = _quit_on_sigint(app)  # before the ready line: Ctrl-C from then on
        window.show()
        # End-to-end tests wait for this line instead of sleeping.
        print(
            f"inspector: 已打开工作区 {workspace.folder}，共 {len(entries)} 件",
            file=sys.stderr,
            flush=True,
        )
        code = int(app.exec())
        timer.stop()
        return INTERRUPTED_EXIT if interrupted else code
