"""The checklist's sections and items as an item model (two columns: item, result), and the
filter that shows all of them, the unanswered, the findings or mine.

A view asks for many roles of every visible cell at each paint: the model answers from tables
made once, so that a 300-item checklist opens and refreshes quickly.
"""

from __future__ import annotations

from inspector_app.core import checklist
from inspector_app.core.forms.model import (
    RESULT_MINOR,
    RESULT_NONCONFORM,
    ChecklistForm,
    FormItem,
)
from inspector_app.core.model import ChecklistResult
from inspector_app.labels import CHECKLIST_HEADERS, NO_RESULT, RESULT_LABELS, SAVING_TIP, VETO_MARK
from inspector_app.ui.i18n import tr_label
from inspector_app.ui.qt import (
    QAbstractItemModel,
    QBrush,
    QColor,
    QFont,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

ITEM_CODE_ROLE = Qt.ItemDataRole.UserRole
"""The role under which an item's row gives its code (a section's row gives None)."""

RESULT_COLORS = {RESULT_NONCONFORM: QColor(176, 0, 32), RESULT_MINOR: QColor(160, 90, 0)}
SAVING_COLOR = QColor(128, 128, 128)
"""An item's result while the disk has not yet confirmed it: grey and italic."""

AnyIndex = QModelIndex | QPersistentModelIndex

SHOWN_ROLES = frozenset(
    int(role.value)
    for role in (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.FontRole,
        ITEM_CODE_ROLE,
    )
)
"""The roles the checklist model answers; any other is None at once."""


class ChecklistModel(QAbstractItemModel):
    """The form's sections, each with its items, and each item's result (two columns).

    A section's index has the internal id 0; an item's has its section's row + 1.
    """

    def __init__(self, form: ChecklistForm, results: dict[str, ChecklistResult]) -> None:
        super().__init__()
        self.form = form
        self.results = dict(results)
        # A view asks for many roles of every visible cell at each paint: answer from tables
        # made once, so that a 300-item checklist opens and refreshes quickly.
        self._sections = form.sections
        self._items = [section.items for section in form.sections]
        self._where = {
            item.code: (s_row, row)
            for s_row, items in enumerate(self._items)
            for row, item in enumerate(items)
        }
        veto = tr_label(VETO_MARK)
        self._titles = [
            [f"{i.code} {veto if i.veto else ''}{i.requirement}" for i in items]
            for items in self._items
        ]
        self._section_titles = [f"{s.code} {s.title}" for s in form.sections]
        self._no_result = tr_label(NO_RESULT)
        self._result_text: dict[str, str] = {}
        self._brushes = {value: QBrush(color) for value, color in RESULT_COLORS.items()}
        self._bold = QFont()
        self._bold.setBold(True)
        self.saving: set[str] = set()
        """Items whose last edit is written but not yet confirmed on disk."""
        self._saving_brush = QBrush(SAVING_COLOR)
        self._italic = QFont()
        self._italic.setItalic(True)

    # Tree structure ---------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if row < 0 or not 0 <= column < 2:
            return QModelIndex()
        if not parent.isValid():
            if row < len(self._items):
                return self.createIndex(row, column, 0)
            return QModelIndex()
        s_row = parent.row()
        if parent.internalId() != 0 or parent.column() != 0 or row >= len(self._items[s_row]):
            return QModelIndex()
        return self.createIndex(row, column, s_row + 1)

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._items)
        if parent.column() != 0 or parent.internalId() != 0:
            return 0
        return len(self._items[parent.row()])

    def columnCount(self, _parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return len(CHECKLIST_HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < 2:
            return tr_label(CHECKLIST_HEADERS[section])
        return None

    def item_at(self, index: AnyIndex) -> FormItem | None:
        """Return the form item of an index, or None for a section (or an invalid index)."""
        if not index.isValid() or index.internalId() == 0:
            return None
        return self._items[index.internalId() - 1][index.row()]

    def index_of(self, code: str) -> QModelIndex:
        """Return the index (column 0) of the item with this code, or an invalid index."""
        where = self._where.get(code)
        if where is None:
            return QModelIndex()
        return self.createIndex(where[1], 0, where[0] + 1)

    def result_text(self, value: str) -> str:
        """Return how a result is shown (translated once per result)."""
        text = self._result_text.get(value)
        if text is None:
            text = self._result_text[value] = tr_label(RESULT_LABELS.get(value, value))
        return text

    # Data -------------------------------------------------------------------------------------

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role not in SHOWN_ROLES or not index.isValid():
            return None
        parent_id = index.internalId()
        if parent_id == 0:  # a section
            if role != Qt.ItemDataRole.DisplayRole:
                return None
            if index.column() == 0:
                return self._section_titles[index.row()]
            items = self._items[index.row()]
            done = sum(1 for i in items if self.answered(i.code))
            return f"{done}/{len(items)}"
        item = self._items[parent_id - 1][index.row()]
        column = index.column()
        if role == ITEM_CODE_ROLE:
            return item.code
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return self._titles[parent_id - 1][index.row()]
            result = self.answered(item.code)
            return self.result_text(result.result) if result else self._no_result
        saving = column == 1 and item.code in self.saving
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 0:
                return item.requirement
            return tr_label(SAVING_TIP) if saving else None
        if role == Qt.ItemDataRole.ForegroundRole:
            if saving:
                return self._saving_brush
            result = self.answered(item.code)
            return self._brushes.get(result.result) if result is not None else None
        if role == Qt.ItemDataRole.FontRole:
            if saving:
                return self._italic
            return self._bold if item.veto and column == 0 else None
        return None

    def answered(self, code: str) -> ChecklistResult | None:
        """Return the item's result when it says something (a taken-back one does not)."""
        result = self.results.get(code)
        return result if result is not None and result.result != checklist.NO_RESULT else None

    def answered_count(self) -> int:
        """Return how many items have a result that says something."""
        return sum(1 for r in self.results.values() if r.result != checklist.NO_RESULT)

    def set_result(self, result: ChecklistResult) -> None:
        """Show a result as stored (after a step saved it)."""
        self.results[result.item_code] = result
        index = self.index_of(result.item_code)
        if index.isValid():
            self.dataChanged.emit(index, index.siblingAtColumn(1))
            section = index.parent()
            self.dataChanged.emit(section.siblingAtColumn(1), section.siblingAtColumn(1))

    def set_saving(self, code: str, saving: bool) -> None:
        """Show an item's result as being saved (grey, italic) or as saved."""
        if saving == (code in self.saving):
            return
        if saving:
            self.saving.add(code)
        else:
            self.saving.discard(code)
        index = self.index_of(code)
        if index.isValid():
            self.dataChanged.emit(index.siblingAtColumn(1), index.siblingAtColumn(1))


class ChecklistFilter(QSortFilterProxyModel):
    """Shows every item, or only the unanswered ones, the findings (不符合 / 基本符合), or the
    ones recorded by one member; a section is shown while one of its items is."""

    ALL, UNANSWERED, FINDINGS, MINE = range(4)

    def __init__(self, model: ChecklistModel) -> None:
        super().__init__()
        self.setSourceModel(model)
        self.setRecursiveFilteringEnabled(True)
        self.mode = self.ALL
        self.member_id: str | None = None

    def set_mode(self, mode: int, member_id: str | None = None) -> None:
        """Choose what is shown (`member_id` names "me" for MINE)."""
        self.beginFilterChange()
        self.mode, self.member_id = mode, member_id
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        if self.mode == self.ALL:
            return True
        model = self.sourceModel()
        assert isinstance(model, ChecklistModel)
        item = model.item_at(model.index(source_row, 0, source_parent))
        if item is None:
            return False  # a section is shown through its items (recursive filtering)
        result = model.answered(item.code)
        if self.mode == self.UNANSWERED:
            return result is None
        if self.mode == self.FINDINGS:
            return result is not None and result.result in (RESULT_NONCONFORM, RESULT_MINOR)
        return result is not None and result.assessor_id == self.member_id
