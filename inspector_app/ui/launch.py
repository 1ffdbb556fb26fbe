"""Starting the desktop app on a workspace."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from inspector_app.store.casework import list_cases
from inspector_app.store.errors import WorkspaceError
from inspector_app.store.workspace import open_workspace
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.qt import QApplication


def launch(workspace_path: Path, user: str) -> int:
    """Open the workspace and run the app until its window closes; return the exit code."""
    app = QApplication.instance() or QApplication(sys.argv)
    try:
        workspace = open_workspace(workspace_path)
    except WorkspaceError as error:
        print(f"错误：{error}", file=sys.stderr)
        return 1
    with workspace:
        entries = list_cases(workspace.db)
        window = MainWindow(entries, datetime.now(UTC).date(), str(workspace.folder), user)
        window.show()
        # End-to-end tests wait for this line instead of sleeping.
        print(
            f"inspector: 已打开工作区 {workspace.folder}，共 {len(entries)} 件",
            file=sys.stderr,
            flush=True,
        )
        return int(app.exec())
