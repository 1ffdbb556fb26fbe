"""The main window: for now, the workspace's cases in a table."""

from __future__ import annotations

import heapq

from inspector_app.labels import APP_TITLE, CASE_COUNT, REVIEWER_PREFIX
from inspector_app.store.queries import CaseRow
from inspector_app.ui.case_list import CaseListModel
from inspector_app.ui.i18n import tr_label
from inspector_app.ui.qt import (
    QHeaderView,
    QLabel,
    QMainWindow,
    QTableView,
    QVBoxLayout,
    QWidget,
)

WIDEST_SAMPLE = 20
"""How many of a column's widest-looking texts are measured to size it."""


def fit_columns(table: QTableView, model: CaseListModel) -> None:
    """Size each column to its header and its widest texts, as Qt's ResizeToContents would.

    ResizeToContents asks the model for every cell (and again at each layout), which takes
    most of a second with 1,000 cases; here only the texts that look widest are measured, and
    the person can still drag a column wider.
    """
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    grid = 1 if table.showGrid() else 0
    for column in range(model.columnCount()):
        widest = heapq.nlargest(
            WIDEST_SAMPLE,
            range(len(model.rows)),
            # UTF-8 length: a rough width, CJK (3 bytes) wider than Latin (1), counted in C.
            key=lambda row: len(model.rows[row].cells[column].encode()),
        )
        cells = (table.sizeHintForIndex(model.index(row, column)).width() for row in widest)
        header.resizeSection(column, max(header.sectionSizeHint(column), *cells, 0) + grid)


class MainWindow(QMainWindow):
    """Shows the cases of one workspace, for one acting reviewer."""

    def __init__(
        self,
        rows: list[CaseRow],
        workspace_label: str,
        user: str,
    ) -> None:
        super().__init__()
        self.setWindowTitle(f"{tr_label(APP_TITLE)} — {workspace_label}")
        self.model = CaseListModel(rows)
        self.table = QTableView()
        self.table.setObjectName("caseTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        # Every row is one line: Qt need not measure rows to lay them out.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        fit_columns(self.table, self.model)
        self.table.horizontalHeader().setStretchLastSection(True)
        count = tr_label(CASE_COUNT).format(count=len(rows))
        self.summary = QLabel(f"{tr_label(REVIEWER_PREFIX)}{user}　{count}")
        self.summary.setObjectName("summary")
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        self.setCentralWidget(body)
        self.resize(980, 520)
