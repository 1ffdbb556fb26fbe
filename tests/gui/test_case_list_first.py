"""The app paints its case list first and attaches the rest right after (ui/launch.py): the
window built from the plain read shows what the full window shows, waits (disabled) for its
services, and once they are attached works as a window built with them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from pytestqt.qtbot import QtBot

from inspector_app.app import Services
from inspector_app.cli import cli
from inspector_app.store import workspace
from inspector_app.store.case_rows import case_rows
from inspector_app.store.schema import MIGRATIONS
from inspector_app.store.workspace import DATABASE_NAME, connect
from inspector_app.ui import launch, window_services
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.preferences import UserPreferences
from inspector_app.ui.qt import QApplication, Qt
from inspector_app.ui.tasks import ImmediateRunner
from tests.e2e.test_app_start import run_start_probe
from tests.gui.conftest import NOW
from tests.gui.test_case_list import click_header

SERVICE_ACTIONS = (
    "new_case_action",
    "import_action",
    "export_action",
    "sign_in_action",
    "refresh_action",
    "conflicts_action",
    "settings_action",
)


def _cells(window: MainWindow) -> list[list[str]]:
    model = window.table.model()
    return [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def _states(window: MainWindow) -> dict[str, bool]:
    return {name: getattr(window, name).isEnabled() for name in SERVICE_ACTIONS}


def test_the_window_painted_first_becomes_the_full_window(
    qtbot: QtBot, demo_services: Services
) -> None:
    conn = demo_services.workspace.db.conn
    rows = case_rows(conn, demo_services.settings.calendar, NOW.date())
    first = MainWindow(
        None,
        lambda: ImmediateRunner(demo_services.workspace),
        workspace_label="演示工作区",
        rows=rows,
    )
    qtbot.addWidget(first)
    full = MainWindow(
        demo_services,
        lambda: ImmediateRunner(demo_services.workspace),
        workspace_label="演示工作区",
    )
    qtbot.addWidget(full)
    assert _cells(first) == _cells(full)
    assert first.windowTitle() == full.windowTitle()
    assert not first.ready and full.ready
    assert not any(_states(first).values())  # nothing needing the services can start yet
    first.table.activated.emit(first.table.model().index(0, 0))  # a double-click does nothing
    assert first.case_windows == {}

    header = first.table.horizontalHeader()
    assert [header.model().headerData(c, Qt.Orientation.Horizontal) for c in range(5)] == [
        full.table.model().headerData(c, Qt.Orientation.Horizontal) for c in range(5)
    ]
    assert not first.table.verticalHeader().isVisible()

    first.attach(demo_services)
    assert first.ready
    assert _states(first) == _states(full)
    assert first.table.isSortingEnabled() and header.sortIndicatorSection() == -1
    assert first.import_action.shortcut().toString() == "Ctrl+I"
    click_header(qtbot, first, 0)  # a click on 申请编号 sorts by it
    numbers = [row[0] for row in _cells(first)]
    assert numbers == sorted(numbers)
    assert first.summary.text() == full.summary.text()
    assert first.sync_panel.parent() is not None
    first.table.activated.emit(first.table.model().index(0, 0))
    assert len(first.case_windows) == 1  # the double-click opens the case now
    try:
        first.attach(demo_services)
    except RuntimeError:
        pass
    else:
        raise AssertionError("services attached twice")


def test_a_workspace_to_migrate_or_a_named_reviewer_is_opened_whole_first(
    tmp_path: Path, demo_template: Path
) -> None:
    """Nothing is painted from a workspace that a migration must change first (it is backed
    up and migrated before the window shows), nor before a named reviewer is checked."""
    preferences = UserPreferences.at(tmp_path / "prefs.ini")
    assert launch._case_list_first(tmp_path / "new", None, preferences) is None
    folder = tmp_path / "ws"
    CliRunner().invoke(cli, ["--workspace", str(folder), "demo"])
    assert launch._case_list_first(folder, "王建华", preferences) is None
    first = launch._case_list_first(folder, None, preferences)
    assert first is not None
    window, file = first
    window.deleteLater()
    file.close()
    conn = connect(folder / DATABASE_NAME)
    with conn:
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = ?", [MIGRATIONS.names()[-1]])
    conn.close()
    assert launch._case_list_first(folder, None, preferences) is None


PAINT_PROBE = """
import sys
import inspector_app.ui.launch as launch

show_and_paint = launch.show_and_paint

def probe(window):
    painted = show_and_paint(window)
    heavy = ("sqlite_utils", "click", "platformdirs", "inspector_app.app",
             "inspector_app.store.casework", "inspector_app.store.queries",
             "inspector_app.ui.sync_panel")
    built = [m for m in heavy if m in sys.modules]
    if "Qt" in vars(sys.modules["PySide6.QtCore"]):  # PySide6 builds it at its first use
        built.append("the Qt namespace")
    print("at paint:", " ".join(built), flush=True)
    return painted

launch.show_and_paint = probe
from inspector_app.entry import main
main(["--workspace", sys.argv[1]])
"""


def test_the_case_list_is_painted_before_sqlite_utils_click_and_the_qt_namespace(
    tmp_path: Path,
) -> None:
    workspace = tmp_path / "ws"
    result = run_start_probe(PAINT_PROBE, workspace)
    assert result.returncode == 0, result.stderr
    assert "at paint:" in result.stdout
    assert result.stdout.split("at paint:")[1].strip() == ""
    assert f"已打开工作区 {workspace}，共 9 件" in result.stderr  # then the whole app is ready
    assert "inspector: start-up painted" in result.stderr


def test_a_workspace_another_program_holds_is_reported_after_one_wait(
    qapp: QApplication,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The app waits once for another program to let go of the workspace, then says so; it
    does not wait as long again for the whole opening to say the same."""
    folder = tmp_path / "ws"
    assert CliRunner().invoke(cli, ["--workspace", str(folder), "demo"]).exit_code == 0
    holder = sqlite3.connect(folder / DATABASE_NAME, isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("UPDATE meta SET value = value")
    monkeypatch.setattr(workspace, "BUSY_WAIT_SECONDS", 0.05)
    whole_openings: list[object] = []
    monkeypatch.setattr(
        window_services, "open_for_window", lambda *args, **kw: whole_openings.append(args)
    )
    try:
        code = launch._run(qapp, folder, None, UserPreferences.at(tmp_path / "prefs.ini"))
    finally:
        holder.close()
    assert code == 1
    assert whole_openings == []
    assert "错误：工作区正被另一个程序使用" in capsys.readouterr().err
    first = launch._case_list_first(folder, None, UserPreferences.at(tmp_path / "p"))
    assert first is not None  # once the other program has let go, it opens
    first[0].deleteLater()
    first[1].close()
