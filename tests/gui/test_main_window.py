"""The main window shows the workspace's cases as the domain describes them."""

from __future__ import annotations

from collections.abc import Callable

from pytestqt.qtbot import QtBot

from inspector_app.app import Services
from inspector_app.core.model import STATUS_LABELS, CaseStatus
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.qt import QApplication, QKeySequence, Qt

MakeWindow = Callable[[Services], MainWindow]


def _column(window: MainWindow, column: int) -> dict[str, str]:
    model = window.table.model()
    return {
        model.index(r, 0).data(): model.index(r, column).data() for r in range(model.rowCount())
    }


def test_case_list_shows_every_demo_case_with_status(
    make_window: MakeWindow, demo_services: Services
) -> None:
    window = make_window(demo_services)
    rows = _column(window, 3)
    assert rows["XK06-2026-0101"] == STATUS_LABELS[CaseStatus.ACCEPTED]
    assert rows["XK06-2026-0104"] == STATUS_LABELS[CaseStatus.SIGNED_OFF]
    assert rows["XK08-2026-0201"] == STATUS_LABELS[CaseStatus.ON_SITE_REVIEW]
    assert "共 9 件" in window.summary.text()
    assert "未指定（只读）" in window.summary.text()


def test_overdue_and_late_cases_are_marked_and_coloured(
    make_window: MakeWindow, demo_services: Services
) -> None:
    window = make_window(demo_services)
    model = window.table.model()
    deadlines = _column(window, 4)
    assert deadlines["XK06-2026-0099"].endswith("（已超期）")
    assert not deadlines["XK06-2026-0101"].endswith("（已超期）")
    # a signed-off case concluded after its deadline keeps the mark
    assert deadlines["XK16-2026-0301"].endswith("（逾期作出结论）")
    colours = {
        model.index(r, 0).data(): model.index(r, 4).data(Qt.ItemDataRole.ForegroundRole)
        for r in range(model.rowCount())
    }
    assert colours["XK06-2026-0101"] is None
    overdue, late = colours["XK06-2026-0099"], colours["XK16-2026-0301"]
    assert overdue is not None and late is not None
    assert overdue != late


def test_case_list_model_passes_qt_model_tester(
    make_window: MakeWindow,
    demo_services: Services,
    qtmodeltester,  # type: ignore[no-untyped-def]
) -> None:
    window = make_window(demo_services)
    qtmodeltester.check(window.model)


def test_the_window_speaks_english_when_asked(
    make_window: MakeWindow, demo_services: Services, english: None
) -> None:
    window = make_window(demo_services)
    model = window.table.model()
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(5)]
    assert "申请编号" not in headers and all(h and h.isascii() for h in headers)
    statuses = _column(window, 3)
    assert statuses["XK06-2026-0104"] == "Signed off"
    assert _column(window, 4)["XK06-2026-0099"].isascii()  # the overdue mark is English too
    assert window.windowTitle().split(" — ")[0].isascii()
    summary = window.summary.text()
    assert summary == "Reviewer: none (read-only) · Review cases: 9"
    filters = [window.status_filter.itemText(i) for i in range(window.status_filter.count())]
    assert filters[0] == "All statuses" and "Signed off" in filters
    assert all(text.isascii() for text in filters)
    assert window.mine.text() == "&Mine only" and window.urgent_first.text() == "&Urgent first"
    assert window.import_action.text() == "&Import case file…"
    assert window.search.placeholderText().isascii()


def test_every_control_has_a_name_and_a_keyboard_way(
    qtbot: QtBot, make_window: MakeWindow, demo_services: Services
) -> None:
    window = make_window(demo_services)
    for widget in (window.table, window.search, window.status_filter):
        assert widget.accessibleName()
    assert "&" in window.mine.text() and "&" in window.urgent_first.text()  # Alt+M, Alt+U
    assert window.import_action.shortcut() == QKeySequence("Ctrl+I")
    assert not window.refresh_action.shortcut().isEmpty()
    # Ctrl+F goes to the search box; Tab goes on through the filters to the table
    with qtbot.waitActive(window):
        window.activateWindow()
    window.table.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.search
    order = [window.search]
    for _ in range(4):
        widget = order[-1].nextInFocusChain()
        while not widget.isEnabled() or widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
            widget = widget.nextInFocusChain()
        order.append(widget)
    # "mine" is disabled while nobody is signed in, so Tab passes it by
    assert order[1:4] == [window.status_filter, window.urgent_first, window.table]
