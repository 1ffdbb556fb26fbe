"""Signing in: the person picks who they are from the registry, by id; namesakes are told apart
by unit and certificate number; "continue read-only" goes on without anyone."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from inspector_app.app import Services
from inspector_app.ui import launch
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.qt import Qt
from inspector_app.ui.sign_in import SignInDialog
from tests.gui.conftest import LI, WANG, WANG2

MakeWindow = Callable[[Services], MainWindow]


def _rows(dialog: SignInDialog) -> list[tuple[str, str, str]]:
    table = dialog.table
    return [
        tuple(table.item(row, column).text() for column in range(3))  # type: ignore[misc]
        for row in range(table.rowCount())
    ]


def _click_row_of_unit(qtbot: QtBot, dialog: SignInDialog, unit: str) -> None:
    row = next(r for r, (_n, u, _c) in enumerate(_rows(dialog)) if u == unit)
    rect = dialog.table.visualItemRect(dialog.table.item(row, 0))
    qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_the_dialog_tells_the_two_namesakes_apart(
    make_window: MakeWindow, demo_services: Services
) -> None:
    window = make_window(demo_services)
    dialog = window.ask_sign_in()
    rows = _rows(dialog)
    assert len(rows) == 5
    wangs = [row for row in rows if row[0] == "王建华"]
    assert {unit for _n, unit, _c in wangs} == {"江苏省产品质量监督检验研究院", "中国水泥协会"}
    assert len({certificate for _n, _u, certificate in wangs}) == 2
    assert dialog.table.accessibleName()
    assert dialog.selected_id() is None and not dialog.sign_in_button.isEnabled()
    assert dialog.isVisible() and dialog.windowModality() == Qt.WindowModality.WindowModal


def test_sign_in_by_id_picks_the_right_namesake(
    qtbot: QtBot, make_window: MakeWindow, demo_services: Services
) -> None:
    window = make_window(demo_services)
    assert not window.import_action.isEnabled()
    dialog = window.ask_sign_in()
    _click_row_of_unit(qtbot, dialog, "中国水泥协会")
    assert dialog.selected_id() == WANG2
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    assert demo_services.acting_reviewer().id == WANG2
    assert "王建华（中国水泥协会）" in window.summary.text()
    assert window.import_action.isEnabled() and window.mine.isEnabled()
    # switching: the dialog opens on the one signed in; the other 王建华 by the keyboard
    dialog = window.ask_sign_in()
    assert dialog.selected_id() == WANG2
    _click_row_of_unit(qtbot, dialog, "江苏省产品质量监督检验研究院")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    assert demo_services.acting_reviewer().id == WANG
    assert "王建华（江苏省产品质量监督检验研究院）" in window.summary.text()


def test_the_keyboard_picks_a_reviewer(
    qtbot: QtBot, make_window: MakeWindow, demo_services: Services
) -> None:
    window = make_window(demo_services)
    dialog = window.ask_sign_in()
    with qtbot.waitActive(dialog):
        dialog.activateWindow()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)  # nothing chosen yet: nothing happens
    assert dialog.isVisible() and demo_services.signed_in() is None
    for _ in range(3):
        qtbot.keyClick(dialog.table, Qt.Key.Key_Down)
    assert dialog.table.currentRow() > 0
    highlighted = _rows(dialog)[dialog.table.currentRow()]
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    reviewer = demo_services.acting_reviewer()
    assert (reviewer.name, reviewer.unit, reviewer.certificate_no) == highlighted


def test_continue_read_only_signs_nobody_in(
    qtbot: QtBot, make_window: MakeWindow, demo_services: Services
) -> None:
    demo_services.sign_in(LI)
    window = make_window(demo_services)
    assert "李春梅" in window.summary.text()
    dialog = window.ask_sign_in()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Down)
    with qtbot.waitSignal(dialog.rejected):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # Escape changes nothing
    assert demo_services.signed_in() is not None
    dialog = window.ask_sign_in()
    with qtbot.waitSignal(dialog.rejected):
        qtbot.mouseClick(dialog.read_only_button, Qt.MouseButton.LeftButton)
    assert demo_services.signed_in() is None
    assert "未指定（只读）" in window.summary.text()
    assert not window.import_action.isEnabled()
    assert "请先登录" in window.import_action.toolTip()
    assert not window.mine.isEnabled()


def test_an_empty_registry_offers_only_read_only(
    make_window: MakeWindow, demo_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(demo_services.queries, "reviewers", lambda: [])
    window = make_window(demo_services)
    dialog = window.ask_sign_in()
    assert dialog.table.rowCount() == 0
    assert not dialog.sign_in_button.isEnabled()
    dialog.accept()  # nothing selected: nothing happens
    assert dialog.isVisible()


def test_the_sign_in_dialog_speaks_english(
    make_window: MakeWindow, demo_services: Services, english: None
) -> None:
    window = make_window(demo_services)
    dialog = window.ask_sign_in()
    headers = [dialog.table.horizontalHeaderItem(c).text() for c in range(3)]
    assert headers == ["Name", "Unit", "Certificate no."]
    assert dialog.sign_in_button.text() == "Sign &in"
    assert dialog.read_only_button.text() == "Continue &read-only"
    assert dialog.windowTitle().isascii()
    dialog.select_reviewer(WANG2)
    dialog.accept()
    assert "王建华 (中国水泥协会)" in window.summary.text()


@pytest.mark.parametrize(
    ("user", "environment", "asks"),
    [
        (None, {}, True),
        ("王建华", {}, False),  # named on the command line
        (None, {"INSPECTOR_NO_SIGN_IN": "1"}, False),
        (None, {"INSPECTOR_QUIT_AFTER_START": "1"}, False),  # the start-up benchmark
        (None, {"INSPECTOR_NO_SIGN_IN": "0"}, True),
    ],
)
def test_when_the_app_asks_who_signs_in(
    user: str | None, environment: dict[str, str], asks: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("INSPECTOR_NO_SIGN_IN", "INSPECTOR_QUIT_AFTER_START"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert launch.asks_sign_in(user) is asks
