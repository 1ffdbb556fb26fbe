"""The case list (审查任务列表): a table model over the workspace's cases."""

from __future__ import annotations

from datetime import date
from typing import Any

from inspector_app.core.calendar import RegulationCalendar
from inspector_app.core.deadlines import case_is_overdue, concluded_late, onsite_deadline
from inspector_app.core.model import STATUS_LABELS
from inspector_app.store.casework import CaseListEntry
from inspector_app.ui.qt import (
    QAbstractTableModel,
    QBrush,
    QColor,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

HEADERS = ("申请编号", "企业名称", "产品单元", "状态", "核查期限")
OVERDUE_COLOUR = QColor("#b00020")

Index = QModelIndex | QPersistentModelIndex


class CaseListModel(QAbstractTableModel):
    """Rows are cases; the domain decides status labels, deadlines and whether one is overdue."""

    def __init__(
        self, entries: list[CaseListEntry], today: date, calendar: RegulationCalendar
    ) -> None:
        super().__init__()
        self._entries = entries
        self._today = today
        self._calendar = calendar

    def _deadline_text(self, entry: CaseListEntry) -> str:
        deadline = onsite_deadline(entry.case.accepted_on).isoformat()
        if case_is_overdue(entry.case, self._today):
            return f"{deadline}（已超期）"
        if concluded_late(entry.case, self._calendar):
            return f"{deadline}（逾期作出结论）"
        return deadline

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        overdue = case_is_overdue(entry.case, self._today)
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                entry.case.application_no,
                entry.enterprise,
                entry.case.product_unit,
                STATUS_LABELS[entry.case.status],
                self._deadline_text(entry),
            )[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and overdue:
            return QBrush(OVERDUE_COLOUR)
        if role == Qt.ItemDataRole.UserRole:
            return entry.case.id
        return None
