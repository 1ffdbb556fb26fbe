"""The main window shows the workspace's cases as the domain describes them."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from pytestqt.qtbot import QtBot

from inspector_app.app import open_services
from inspector_app.core.model import STATUS_LABELS, CaseStatus
from inspector_app.demo import fill_demo
from inspector_app.store.workspace import open_workspace
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.qt import Qt

NOW = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)


def _window(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    with open_workspace(tmp_path / "ws") as workspace:
        fill_demo(workspace, NOW)
    with open_services(tmp_path / "ws", user=None, write=False, clock=lambda: NOW) as services:
        rows = services.queries.case_rows(alerts=False)
    window = MainWindow(rows, "演示工作区", "王建华")
    qtbot.addWidget(window)
    window.show()
    return window


def test_case_list_shows_every_demo_case_with_status(qtbot: QtBot, tmp_path: Path) -> None:
    window = _window(qtbot, tmp_path)
    model = window.table.model()
    rows = {model.index(r, 0).data(): model.index(r, 3).data() for r in range(model.rowCount())}
    assert rows["XK06-2026-0101"] == STATUS_LABELS[CaseStatus.ACCEPTED]
    assert rows["XK06-2026-0104"] == STATUS_LABELS[CaseStatus.SIGNED_OFF]
    assert rows["XK08-2026-0201"] == STATUS_LABELS[CaseStatus.ON_SITE_REVIEW]
    assert "共 9 件" in window.summary.text()


def test_overdue_case_is_marked_in_the_deadline_column(qtbot: QtBot, tmp_path: Path) -> None:
    window = _window(qtbot, tmp_path)
    model = window.table.model()
    deadlines = {model.index(r, 0).data(): model.index(r, 4).data() for r in range(9)}
    assert deadlines["XK06-2026-0099"].endswith("（已超期）")
    assert not deadlines["XK06-2026-0101"].endswith("（已超期）")
    # a signed-off case concluded after its deadline keeps the mark
    assert deadlines["XK16-2026-0301"].endswith("（逾期作出结论）")
    overdue_row = next(r for r in range(9) if model.index(r, 0).data() == "XK06-2026-0099")
    assert model.index(overdue_row, 4).data(Qt.ItemDataRole.ForegroundRole) is not None


def test_case_list_model_passes_qt_model_tester(
    qtbot: QtBot, qtmodeltester, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, tmp_path)
    qtmodeltester.check(window.model)


def test_the_window_speaks_english_when_asked(qtbot: QtBot, qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from inspector_app.ui.i18n import install_translator, remove_translators

    install_translator(qapp, "en")
    try:
        window = _window(qtbot, tmp_path)
        model = window.table.model()
        headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(5)]
        assert "申请编号" not in headers and all(h and h.isascii() for h in headers)
        statuses = {model.index(r, 0).data(): model.index(r, 3).data() for r in range(9)}
        assert statuses["XK06-2026-0104"] == "Signed off"
        deadlines = {model.index(r, 0).data(): model.index(r, 4).data() for r in range(9)}
        assert deadlines["XK06-2026-0099"].isascii()  # the overdue mark is English too
        assert window.windowTitle().split(" — ")[0].isascii()
        assert "9" in window.summary.text() and "审查员" not in window.summary.text()
    finally:
        remove_translators(qapp)
