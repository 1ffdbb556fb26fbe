"""The case list: search, status filter, "mine", sorting by the headers and "urgent first",
each checked against what the table shows."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from inspector_app.app import Services
from inspector_app.core.model import CaseStatus
from inspector_app.ui import case_list
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.qt import QPoint, Qt
from tests.gui.conftest import WANG, WANG2

MakeWindow = Callable[[Services], MainWindow]
URGENT = {"XK06-2026-0099", "XK16-2026-0301"}  # overdue; concluded late
STORE_ORDER = [
    "XK06-2026-0101",
    "XK06-2026-0102",
    "XK08-2026-0201",
    "XK08-2026-0202",
    "XK06-2026-0103",
    "XK08-2026-0203",
    "XK06-2026-0104",
    "XK06-2026-0099",
    "XK16-2026-0301",
]
CEMENT = ["XK08-2026-0201", "XK08-2026-0202", "XK08-2026-0203"]


def shown(window: MainWindow, column: int = 0) -> list[str]:
    """The texts of one column as the table shows them, top to bottom."""
    model = window.table.model()
    return [model.index(row, column).data() for row in range(model.rowCount())]


def click_header(qtbot: QtBot, window: MainWindow, column: int) -> None:
    header = window.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2)
    )


def test_at_first_the_list_is_in_the_stores_order(
    make_window: MakeWindow, demo_services: Services
) -> None:
    window = make_window(demo_services)
    assert shown(window) == STORE_ORDER  # newest acceptance first


def test_search_as_you_type_ignores_case_and_looks_in_number_enterprise_and_product(
    qtbot: QtBot, make_window: MakeWindow, demo_services: Services
) -> None:
    window = make_window(demo_services)
    window.search.setText("水泥")  # Chinese through the widget's API (keyClicks cannot type it)
    assert shown(window) == CEMENT
    assert "显示 3 件，共 9 件" in window.summary.text()
    window.search.clear()
    qtbot.keyClicks(window.search, "xk06-2026-010")  # typed, in lower case
    assert shown(window) == [n for n in STORE_ORDER if n.startswith("XK06-2026-010")]
    window.search.setText("建筑用钢筋")  # the product (the unit reads 热轧带肋钢筋)
    assert shown(window) == ["XK16-2026-0301"]
    window.search.setText("宝胜 0104")  # every word must match
    assert shown(window) == ["XK06-2026-0104"]
    window.search.setText("宝胜 0105")
    assert shown(window) == []
    window.search.clear()
    assert shown(window) == STORE_ORDER
    assert "共 9 件审查任务" in window.summary.text()


def test_status_filter_lists_one_status(make_window: MakeWindow, demo_services: Services) -> None:
    window = make_window(demo_services)
    combo = window.status_filter
    assert combo.itemText(0) == "全部状态"
    assert combo.count() == 1 + len(CaseStatus)
    combo.setCurrentIndex(combo.findText("已签发"))
    assert shown(window) == ["XK06-2026-0104", "XK16-2026-0301"]
    assert set(shown(window, 3)) == {"已签发"}
    window.search.setText("钢")  # filters combine
    assert shown(window) == ["XK16-2026-0301"]
    combo.setCurrentIndex(0)
    assert shown(window) == ["XK16-2026-0301"]
    window.search.clear()
    assert shown(window) == STORE_ORDER


def test_mine_lists_the_cases_whose_team_includes_the_signed_in_reviewer(
    qtbot: QtBot, make_window: MakeWindow, demo_services: Services
) -> None:
    window = make_window(demo_services)
    assert not window.mine.isEnabled()
    assert "登录" in window.mine.toolTip()
    demo_services.sign_in(WANG2)  # the 王建华 of 中国水泥协会: the cement team only
    window._reviewer_changed()
    assert window.mine.isEnabled()
    qtbot.mouseClick(window.mine, Qt.MouseButton.LeftButton)
    assert window.mine.isChecked()
    assert shown(window) == CEMENT
    # the other 王建华 is on every team that has one
    demo_services.sign_in(WANG)
    window._reviewer_changed()
    rows = demo_services.queries.case_rows(alerts=False)
    assert shown(window) == [row.case.application_no for row in rows if row.is_mine(WANG)]
    assert len(shown(window)) == 7  # all but the two cases without a team
    window.mine.setChecked(False)
    assert shown(window) == STORE_ORDER


def test_sorting_by_clicking_headers(
    qtbot: QtBot, make_window: MakeWindow, demo_services: Services
) -> None:
    window = make_window(demo_services)
    click_header(qtbot, window, 0)
    assert shown(window) == sorted(STORE_ORDER)
    click_header(qtbot, window, 0)
    assert shown(window) == sorted(STORE_ORDER, reverse=True)
    click_header(qtbot, window, 0)  # a third click: back to the store's order
    assert shown(window) == STORE_ORDER
    click_header(qtbot, window, 4)  # the deadline, earliest first
    deadlines = [text[:10] for text in shown(window, 4)]
    assert deadlines == sorted(deadlines)
    assert shown(window)[:2] == ["XK16-2026-0301", "XK06-2026-0099"]
    click_header(qtbot, window, 3)  # the status, in the order of the lifecycle
    statuses = shown(window, 3)
    assert statuses[0] == "已受理" and statuses[-1] == "已签发"


def test_urgent_first_lists_overdue_and_late_cases_first_in_any_order(
    qtbot: QtBot, make_window: MakeWindow, demo_services: Services
) -> None:
    window = make_window(demo_services)
    qtbot.mouseClick(window.urgent_first, Qt.MouseButton.LeftButton)
    assert window.proxy.urgent_first
    rows = shown(window)
    assert set(rows[:2]) == URGENT
    assert rows[2:] == [n for n in STORE_ORDER if n not in URGENT]  # the rest as stored
    click_header(qtbot, window, 0)
    assert shown(window) == sorted(URGENT) + sorted(set(STORE_ORDER) - URGENT)
    click_header(qtbot, window, 0)  # descending: still first
    assert shown(window) == sorted(URGENT, reverse=True) + sorted(
        set(STORE_ORDER) - URGENT, reverse=True
    )
    window.urgent_first.setChecked(False)
    assert shown(window) == sorted(STORE_ORDER, reverse=True)


def test_the_proxy_passes_qt_model_tester_while_filtered_and_sorted(
    make_window: MakeWindow,
    demo_services: Services,
    qtmodeltester,  # type: ignore[no-untyped-def]
) -> None:
    window = make_window(demo_services)
    qtmodeltester.check(window.proxy)
    window.urgent_first.setChecked(True)
    window.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    window.search.setText("电缆")
    qtmodeltester.check(window.proxy)
    window.refresh()
    qtmodeltester.check(window.proxy)


def test_refresh_rereads_the_rows_and_keeps_filters_and_selection(
    make_window: MakeWindow, demo_services: Services
) -> None:
    window = make_window(demo_services)
    window.search.setText("水泥")
    assert window.select_case(window.model.rows[3].case_id)  # XK08-2026-0202
    demo_services.workspace.db.execute(
        "UPDATE enterprise SET name = name || '（新名）' WHERE name LIKE '华新水泥%'"
    )
    window.refresh()
    assert shown(window, 1)[1] == "华新水泥（黄石）有限公司（新名）"
    assert window.selected_case_id() == window.model.rows[3].case_id
    assert shown(window) == CEMENT


def test_the_roles_the_list_answers_are_qt_roles() -> None:
    """The model names its roles by number so that painting it needs no `Qt` namespace."""
    roles = Qt.ItemDataRole
    assert (
        roles.DisplayRole,
        roles.ToolTipRole,
        roles.ForegroundRole,
    ) == (case_list._DISPLAY, case_list._TOOLTIP, case_list._FOREGROUND)
    assert roles.UserRole == case_list.CASE_ID_ROLE


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_column_is_wide_enough_for_its_texts(
    request: pytest.FixtureRequest, make_window: MakeWindow, demo_services: Services, language: str
) -> None:
    """Columns are sized from the texts as listed, without working out every row, yet no
    cell is cut short: each is as wide as its widest cell (the last one stretches), in
    Chinese and in English (longer words)."""
    if language == "en":
        request.getfixturevalue("english")
    window = make_window(demo_services)
    table, header = window.table, window.table.horizontalHeader()
    model = table.model()
    for column in range(model.columnCount() - 1):
        widest = max(table.sizeHintForIndex(model.index(r, column)).width() for r in range(9))
        assert header.sectionSize(column) > widest, column  # and its grid line
