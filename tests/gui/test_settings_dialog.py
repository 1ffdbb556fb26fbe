"""The settings screen: language and workspace folder kept per user, the calendar's time zone
kept in the workspace (audited); refused values said beside their field, nothing kept."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from inspector_app.app import Services
from inspector_app.store.settings import load_settings
from inspector_app.store.workspace import DATABASE_NAME
from inspector_app.ui import settings_dialog
from inspector_app.ui.launch import app_workspace
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.preferences import UserPreferences, workspace_folder_problem
from inspector_app.ui.qt import QDialogButtonBox, QPushButton, Qt
from inspector_app.ui.settings_dialog import SettingsDialog
from tests.gui.conftest import WANG


@pytest.fixture
def preferences(tmp_path: Path) -> UserPreferences:
    """The person's preferences, in a file of the test's own."""
    return UserPreferences.at(tmp_path / "config" / "inspector.ini")


def open_settings(qtbot: QtBot, window: MainWindow) -> SettingsDialog:
    """Open the settings screen by its shortcut, as a person does."""
    with qtbot.waitActive(window):
        window.activateWindow()
    qtbot.keyClick(window.table, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    dialog = window.settings_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def click_ok(qtbot: QtBot, dialog: SettingsDialog) -> None:
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    qtbot.mouseClick(box.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def audit_of_settings(services: Services) -> list[dict[str, str]]:
    rows = services.workspace.db.execute(
        "SELECT actor_id, new FROM audit_event WHERE record_table = 'setting' ORDER BY seq"
    ).fetchall()
    return [{"actor": actor, **json.loads(new)} for actor, new in rows]


def test_the_settings_open_from_the_file_menu_and_by_ctrl_comma(
    qtbot: QtBot,
    make_window: Callable[[Services], MainWindow],
    demo_services: Services,
    preferences: UserPreferences,
) -> None:
    window = make_window(demo_services)
    window.preferences = preferences
    assert window.settings_action in window.menuBar().actions()[0].menu().actions()
    assert window.settings_action.shortcut().toString() == "Ctrl+,"
    dialog = open_settings(qtbot, window)
    assert dialog.windowTitle() == "设置"
    assert dialog.time_zone.currentText() == "Asia/Shanghai"
    assert dialog.language.currentText() == "跟随系统"


def test_language_and_workspace_are_kept_for_the_next_start(
    qtbot: QtBot,
    make_window: Callable[[Services], MainWindow],
    demo_services: Services,
    preferences: UserPreferences,
    tmp_path: Path,
) -> None:
    window = make_window(demo_services)
    window.preferences = preferences
    dialog = open_settings(qtbot, window)
    # The language shown (Chinese): kept without rebuilding the windows (test_language_switch.py
    # switches them).
    dialog.language.setCurrentIndex(dialog.language.findData("zh"))
    other = tmp_path / "new-workspace"
    other.mkdir()  # empty: the next start makes a workspace in it
    dialog.workspace.setText(str(other))
    with qtbot.waitSignal(dialog.accepted):
        click_ok(qtbot, dialog)
    assert dialog.switch_to is None
    again = UserPreferences.at(preferences.file)  # as the next start reads them
    assert again.language == "zh"
    assert again.workspace == other
    assert app_workspace(None, again) == other
    assert app_workspace(tmp_path / "named", again) == tmp_path / "named"  # --workspace wins
    assert window.statusBar().currentMessage() == "设置已保存。"


def test_the_folder_dialog_fills_in_the_chosen_workspace(
    qtbot: QtBot,
    demo_services: Services,
    preferences: UserPreferences,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = demo_services.workspace.folder
    monkeypatch.setattr(settings_dialog, "choose_folder", lambda _parent, _start: folder)
    dialog = SettingsDialog(demo_services, preferences)
    qtbot.addWidget(dialog)
    dialog.show()
    choose = dialog.findChild(QPushButton, "chooseFolder")
    qtbot.mouseClick(choose, Qt.MouseButton.LeftButton)
    assert dialog.workspace.text() == str(folder)
    with qtbot.waitSignal(dialog.accepted):
        click_ok(qtbot, dialog)
    assert preferences.workspace == folder  # a real workspace is accepted


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (lambda p: p / "missing", "不是一个已有的文件夹"),
        (lambda p: (p / "file.txt").write_text("x") and p / "file.txt", "不是一个已有的文件夹"),
        (lambda p: (p / "notes.txt").write_text("x") and p, "不是工作区"),
        (
            lambda p: (p / DATABASE_NAME).write_bytes(b"not sqlite at all") and p,
            "不是工作区数据库",
        ),
    ],
    ids=["missing", "a-file", "other-files", "not-sqlite"],
)
def test_a_folder_that_cannot_be_the_workspace_is_refused_and_nothing_is_kept(
    qtbot: QtBot,
    demo_services: Services,
    preferences: UserPreferences,
    tmp_path: Path,
    make: Callable[[Path], Path],
    said: str,
) -> None:
    place = tmp_path / "chosen"
    place.mkdir()
    folder = make(place)
    preferences.set_language("zh")
    dialog = SettingsDialog(demo_services, preferences)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    dialog.workspace.setText(str(folder))
    click_ok(qtbot, dialog)
    assert dialog.isVisible()  # stays open, saying why beside the field
    assert said in dialog.workspace_problem.text()
    assert str(folder) in dialog.workspace_problem.text()
    assert preferences.workspace is None and preferences.language == "zh"  # nothing kept


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_a_folder_that_cannot_be_written_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        problem = workspace_folder_problem(folder)
    finally:
        folder.chmod(0o700)
    assert problem is not None and "不可写" in problem


def test_the_time_zone_is_stored_in_the_workspace_with_an_audit_event(
    qtbot: QtBot, demo_services: Services, preferences: UserPreferences
) -> None:
    demo_services.sign_in(WANG)
    before = demo_services.settings.calendar
    dialog = SettingsDialog(demo_services, preferences)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.time_zone.isEnabled()
    dialog.time_zone.setCurrentText("Europe/Berlin")
    with qtbot.waitSignal(dialog.accepted):
        click_ok(qtbot, dialog)
    assert load_settings(demo_services.workspace.db).time_zone == "Europe/Berlin"
    assert demo_services.settings.time_zone == "Europe/Berlin"  # in force at once
    assert demo_services.settings.calendar != before
    events = audit_of_settings(demo_services)
    assert events[-1]["time_zone"] == "Europe/Berlin"
    assert events[-1]["actor"] == WANG


def test_an_unknown_time_zone_is_refused_beside_the_field(
    qtbot: QtBot, demo_services: Services, preferences: UserPreferences
) -> None:
    demo_services.sign_in(WANG)
    audited = len(audit_of_settings(demo_services))
    dialog = SettingsDialog(demo_services, preferences)
    qtbot.addWidget(dialog)
    dialog.show()
    for hostile in ("Mars/Olympus_Mons", "../../etc/passwd", ""):
        dialog.time_zone.setCurrentText(hostile)
        click_ok(qtbot, dialog)
        assert dialog.isVisible()
        assert "未知的时区" in dialog.time_zone_problem.text(), hostile
    assert load_settings(demo_services.workspace.db).time_zone == "Asia/Shanghai"
    assert len(audit_of_settings(demo_services)) == audited


def test_the_time_zone_needs_a_signed_in_reviewer(
    qtbot: QtBot, demo_services: Services, preferences: UserPreferences
) -> None:
    dialog = SettingsDialog(demo_services, preferences)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.time_zone.isEnabled()
    assert "登录" in dialog.time_zone_problem.text()
    with qtbot.waitSignal(dialog.accepted):
        click_ok(qtbot, dialog)  # the rest is kept all the same
    assert load_settings(demo_services.workspace.db).time_zone == "Asia/Shanghai"


def test_the_settings_in_english(
    qtbot: QtBot, english: None, demo_services: Services, preferences: UserPreferences
) -> None:
    dialog = SettingsDialog(demo_services, preferences)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.windowTitle() == "Settings"
    assert dialog.language.itemText(0) == "Same as the system"
    assert "Changing the time zone needs a signed-in reviewer" in dialog.time_zone_problem.text()
    dialog.workspace.setText(str(demo_services.workspace.folder / "nowhere"))
    click_ok(qtbot, dialog)
    assert "is not an existing folder" in dialog.workspace_problem.text()


def test_the_workspace_database_is_checked_as_sqlite(tmp_path: Path) -> None:
    sqlite3.connect(tmp_path / DATABASE_NAME).execute("CREATE TABLE t (x)").connection.commit()
    assert workspace_folder_problem(tmp_path) is None
    empty = tmp_path / "empty"
    empty.mkdir()
    assert workspace_folder_problem(empty) is None
