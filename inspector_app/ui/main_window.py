"""The main window: for now, the workspace's cases in a table."""

from __future__ import annotations

from datetime import date

from inspector_app.core.calendar import RegulationCalendar
from inspector_app.store.casework import CaseListEntry
from inspector_app.ui.case_list import CaseListModel
from inspector_app.ui.qt import (
    QHeaderView,
    QLabel,
    QMainWindow,
    QTableView,
    QVBoxLayout,
    QWidget,
)

TITLE = "生产许可证实地核查"


class MainWindow(QMainWindow):
    """Shows the cases of one workspace, for one acting reviewer."""

    def __init__(
        self,
        entries: list[CaseListEntry],
        today: date,
        calendar: RegulationCalendar,
        workspace_label: str,
        user: str,
    ) -> None:
        super().__init__()
        self.setWindowTitle(f"{TITLE} — {workspace_label}")
        self.model = CaseListModel(entries, today, calendar)
        self.table = QTableView()
        self.table.setObjectName("caseTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.summary = QLabel(f"审查员：{user}　共 {len(entries)} 件审查任务")
        self.summary.setObjectName("summary")
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        self.setCentralWidget(body)
        self.resize(980, 520)
