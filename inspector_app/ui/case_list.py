"""The case list (审查任务列表): a table model over the workspace's cases."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from inspector_app.labels import (
    CASE_LIST_HEADERS,
    CONCLUDED_LATE_MARK,
    OVERDUE_MARK,
    STATUS_LABELS,
)
from inspector_app.store.queries import CaseRow
from inspector_app.ui.i18n import tr_label
from inspector_app.ui.qt import (
    QAbstractTableModel,
    QBrush,
    QColor,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

OVERDUE_COLOUR = QColor("#b00020")

# Looked up once: Qt asks `data()` for every cell and role each time it lays out or paints.
_DISPLAY = Qt.ItemDataRole.DisplayRole
_FOREGROUND = Qt.ItemDataRole.ForegroundRole
_CASE_ID = Qt.ItemDataRole.UserRole

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class ShownRow:
    """One row of the list as shown: its cells, whether it is overdue, and its case's id."""

    cells: tuple[str, ...]
    overdue: bool
    case_id: str


def shown_row(row: CaseRow) -> ShownRow:
    """Return how a case reads in the list; the domain has decided its deadline marks."""
    case = row.case
    deadline = row.onsite_deadline.isoformat()
    if row.overdue:
        deadline = f"{deadline}{tr_label(OVERDUE_MARK)}"
    elif row.concluded_late:
        deadline = f"{deadline}{tr_label(CONCLUDED_LATE_MARK)}"
    cells = (
        case.application_no,
        row.enterprise,
        case.product_unit,
        tr_label(STATUS_LABELS[case.status]),
        deadline,
    )
    return ShownRow(cells, row.overdue, case.id)


class CaseListModel(QAbstractTableModel):
    """Rows are cases, each worked out once when the model is built (`shown_row`)."""

    def __init__(self, rows: list[CaseRow]) -> None:
        super().__init__()
        self.rows = [shown_row(row) for row in rows]
        self._headers = tuple(tr_label(text) for text in CASE_LIST_HEADERS)
        self._overdue_brush = QBrush(OVERDUE_COLOUR)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(CASE_LIST_HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == _DISPLAY and orientation == Qt.Orientation.Horizontal:
            return self._headers[section]
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
