"""The case list (审查任务列表): a table model over the workspace's cases."""

from __future__ import annotations

from dataclasses import dataclass
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

# Looked up once: Qt asks `data()` for every cell and role each time it lays out or paints.
_DISPLAY = Qt.ItemDataRole.DisplayRole
_FOREGROUND = Qt.ItemDataRole.ForegroundRole
_CASE_ID = Qt.ItemDataRole.UserRole

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class CaseRow:
    """One row of the list as shown: its cells, whether it is overdue, and its case's id."""

    cells: tuple[str, ...]
    overdue: bool
    case_id: str


def case_row(entry: CaseListEntry, today: date, calendar: RegulationCalendar) -> CaseRow:
    """Return how a case reads in the list; the domain decides its status label, its deadline
    and whether it is overdue or was concluded late."""
    case = entry.case
    overdue = case_is_overdue(case, today)
    deadline = onsite_deadline(case.accepted_on).isoformat()
    if overdue:
        deadline = f"{deadline}（已超期）"
    elif concluded_late(case, calendar):
        deadline = f"{deadline}（逾期作出结论）"
    cells = (
        case.application_no,
        entry.enterprise,
        case.product_unit,
        STATUS_LABELS[case.status],
        deadline,
    )
    return CaseRow(cells, overdue, case.id)


class CaseListModel(QAbstractTableModel):
    """Rows are cases, each worked out once when the model is built (`case_row`)."""

    def __init__(
        self, entries: list[CaseListEntry], today: date, calendar: RegulationCalendar
    ) -> None:
        super().__init__()
        self.rows = [case_row(entry, today, calendar) for entry in entries]
        self._overdue_brush = QBrush(OVERDUE_COLOUR)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == _DISPLAY and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == _DISPLAY:
            return row.cells[index.column()]
        if role == _FOREGROUND and row.overdue:
            return self._overdue_brush
        if role == _CASE_ID:
            return row.case_id
        return None
