"""A case whose stored record cannot be read (changed outside the app, a damaged file): the
list still opens and shows every other case; the damaged one says what is damaged, and
opening it says so too, instead of a crash or a traceback."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from pytestqt.qtbot import QtBot

from inspector_app.app import Services, open_services
from inspector_app.cli import cli
from inspector_app.store.workspace import DATABASE_NAME
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.qt import Qt
from tests.gui.conftest import NOW

DAMAGED = "XK06-2026-0101"
MakeWindow = Callable[[Services], MainWindow]


def _damaged(demo_template: Path, folder: Path, column: str, value: str) -> Path:
    """The demo workspace with one case's `column` made `value`, as a hand edit of the
    database file would."""
    folder.mkdir()
    (folder / DATABASE_NAME).write_bytes((demo_template / DATABASE_NAME).read_bytes())
    conn = sqlite3.connect(folder / DATABASE_NAME)
    with conn:
        conn.execute(
            f"UPDATE review_case SET {column} = ? WHERE application_no = ?", [value, DAMAGED]
        )
    conn.close()
    return folder


@pytest.fixture
def damaged_folder(demo_template: Path, tmp_path: Path) -> Path:
    """The demo workspace with one case's acceptance date made no date."""
    return _damaged(demo_template, tmp_path / "ws", "accepted_on", "2026-13-45")


def test_the_list_shows_a_damaged_case_as_damaged_and_the_others_as_they_are(
    qtbot: QtBot, make_window: MakeWindow, damaged_folder: Path
) -> None:
    with open_services(damaged_folder, user=None, write=False, clock=lambda: NOW) as services:
        window = make_window(services)
        model = window.table.model()
        rows = {
            model.index(r, 0).data(): [model.index(r, c) for c in range(5)]
            for r in range(model.rowCount())
        }
        assert len(rows) == 9
        status = rows[DAMAGED][3]
        assert status.data() == "记录已损坏"
        assert "accepted_on" in status.data(Qt.ItemDataRole.ToolTipRole)
        assert "'2026-13-45'" in status.data(Qt.ItemDataRole.ToolTipRole)
        assert rows["XK06-2026-0099"][4].data().endswith("（已超期）")  # the others as before
        window.search.setText("0101")
        assert model.rowCount() == 1  # found by its number all the same

        window.table.activated.emit(rows[DAMAGED][0])  # a double-click: said, not raised
        assert window.case_windows == {}
        assert window.message_box is not None
        assert f"案件 {DAMAGED} 的记录已损坏" in window.message_box.text()


def test_the_command_line_names_the_damaged_case_and_field(damaged_folder: Path) -> None:
    result = CliRunner().invoke(cli, ["--workspace", str(damaged_folder), "case", "list"])
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"案件 {DAMAGED} 的记录已损坏：字段 accepted_on 的值 '2026-13-45'" in result.output


def test_a_status_the_app_does_not_know_is_shown_as_damaged(
    make_window: MakeWindow, demo_template: Path, tmp_path: Path
) -> None:
    folder = _damaged(demo_template, tmp_path / "ws", "status", "no-such-status")
    with open_services(folder, user=None, write=False, clock=lambda: NOW) as services:
        model = make_window(services).table.model()
        shown = {model.index(r, 0).data(): model.index(r, 3) for r in range(model.rowCount())}
        assert shown[DAMAGED].data() == "记录已损坏"
        assert "字段 status 的值 'no-such-status'" in shown[DAMAGED].data(
            Qt.ItemDataRole.ToolTipRole
        )
