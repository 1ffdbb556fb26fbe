"""The case list (审查任务列表): a table model over the workspace's cases, and the proxy that
searches, filters and sorts it."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from inspector_app.core.case_record import CaseStatus
from inspector_app.labels import (
    CASE_LIST_HEADERS,
    CONCLUDED_LATE_MARK,
    DAMAGED_RECORD,
    OVERDUE_MARK,
    STATUS_LABELS,
    WITHDRAWN_MARK,
)
from inspector_app.made_when_asked import MadeWhenAsked
from inspector_app.store.case_rows import CaseRow, CaseRows
from inspector_app.store.errors import DamagedRecordError
from inspector_app.ui import qt
from inspector_app.ui.i18n import tr_label
from inspector_app.ui.qt import (
    QAbstractTableModel,
    QColor,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    QStandardItemModel,
    QTableView,
)

if TYPE_CHECKING:
    from inspector_app.ui.qt import Qt

# `qt.Qt` is looked up when used, not at import: the case list is painted without the `Qt`
# namespace (see `_DISPLAY`); and not by an import statement in a method, which PySide6's
# import hook would see at every call.

OVERDUE_COLOUR = "#b00020"
"""A case whose on-site review is overdue (its deadline also carries 【已超期】)."""
CONCLUDED_LATE_COLOUR = "#9a4d00"
"""A case concluded after its deadline (its deadline also carries 【逾期作出结论】)."""
WITHDRAWN_COLOUR = "#6b6b6b"
"""A case the office withdrew from this reviewer (its status also carries （已撤回））."""

APPLICATION_NO, ENTERPRISE, PRODUCT_UNIT, STATUS, DEADLINE = range(5)
"""The columns, in the order of `labels.CASE_LIST_HEADERS`."""
_LISTED = {APPLICATION_NO: "application_no", ENTERPRISE: "enterprise", PRODUCT_UNIT: "product_unit"}
"""The columns that show a listed column as it is read (`CaseRows.texts`)."""

# The roles `data()` answers, as the numbers Qt passes (`Qt.ItemDataRole`'s values, which a
# test checks): PySide6 builds the whole `Qt` namespace, some 100 enums and 15 ms, the first
# time any of it is used, and the case list is painted without it (see `header_labels`).
_DISPLAY = 0  # Qt.ItemDataRole.DisplayRole
_TOOLTIP = 3  # Qt.ItemDataRole.ToolTipRole
_FOREGROUND = 9  # Qt.ItemDataRole.ForegroundRole
_CASE_ID = 256  # Qt.ItemDataRole.UserRole

CASE_ID_ROLE = _CASE_ID
"""The role under which every cell gives its case's id."""

_STATUS_ORDER = {status: number for number, status in enumerate(CaseStatus)}

Index = QModelIndex | QPersistentModelIndex


class ShownRow:
    """One row of the list as shown: its cells, its marks, and what search, filters and
    sorting compare (the cells worked out once, when the rows are set; what the search looks
    in and the sort keys at the first search or sort, then kept, so that typing in the search
    box stays quick)."""

    __slots__ = (
        "_haystack",
        "_row",
        "_sort_keys",
        "case_id",
        "cells",
        "concluded_late",
        "overdue",
        "problem",
        "reviewer_ids",
        "status",
        "withdrawn",
    )

    def __init__(self, row: CaseRow, cells: tuple[str, ...]) -> None:
        self._row: CaseRow | None = row
        self.cells = cells
        self.overdue = row.overdue
        self.concluded_late = row.concluded_late
        self.case_id = row.case.id
        self.status: CaseStatus | None = row.case.status
        self.reviewer_ids = row.reviewer_ids
        self.withdrawn = row.withdrawn  # the office's withdrawal, as the domain words it
        self.problem: str | None = None  # why a damaged record's row shows only what it can
        self._haystack: str | None = None
        self._sort_keys: tuple[str, ...] | None = None

    @classmethod
    def damaged(cls, case_id: str, cells: tuple[str, ...], problem: str) -> ShownRow:
        """Return the row of a case whose record cannot be read: the cells read as listed, in
        no status, on nobody's team, sorted by its texts; its tooltip says what is damaged."""
        row = cls.__new__(cls)
        row._row = None
        row.cells = cells
        row.overdue = row.concluded_late = False
        row.case_id = case_id
        row.status = None
        row.reviewer_ids = frozenset()
        row.withdrawn = None
        row.problem = problem
        row._haystack = "\n".join(cells[:STATUS]).casefold()
        row._sort_keys = (*(cell.casefold() for cell in cells[:STATUS]), "99", "")
        return row

    @property
    def urgent(self) -> bool:
        """Overdue, or concluded late: listed first when "urgent first" is on."""
        return self.overdue or self.concluded_late

    @property
    def haystack(self) -> str:
        """What the search looks in, case-folded."""
        if self._haystack is None:
            assert self._row is not None  # a damaged row's is set when made
            row, case = self._row, self._row.case
            self._haystack = "\n".join(
                (case.application_no, row.enterprise, case.product, case.product_unit)
            ).casefold()
        return self._haystack

    @property
    def sort_keys(self) -> tuple[str, ...]:
        """What sorting compares, one per column."""
        if self._sort_keys is None:
            assert self._row is not None  # a damaged row's are set when made
            row, case = self._row, self._row.case
            self._sort_keys = (
                case.application_no.casefold(),
                row.enterprise.casefold(),
                case.product_unit.casefold(),
                f"{_STATUS_ORDER[case.status]:02d}",  # in the order of the lifecycle
                row.onsite_deadline.isoformat(),
            )
        return self._sort_keys


def shown_row(row: CaseRow, words: dict[str, str] | None = None) -> ShownRow:
    """Return how a case reads in the list; the domain has decided its deadline marks.

    `words` keeps the translated labels of one reading of the list (each label is translated
    once for all its rows, not once a row)."""
    words = {} if words is None else words

    def word(label: str) -> str:
        if label not in words:
            words[label] = tr_label(label)
        return words[label]

    case = row.case
    deadline = row.onsite_deadline.isoformat()
    if row.overdue:
        deadline = f"{deadline}{word(OVERDUE_MARK)}"
    elif row.concluded_late:
        deadline = f"{deadline}{word(CONCLUDED_LATE_MARK)}"
    cells = (
        case.application_no,
        row.enterprise,
        case.product_unit,
        word(STATUS_LABELS[case.status]) + (word(WITHDRAWN_MARK) if row.withdrawn else ""),
        deadline,
    )
    return ShownRow(row, cells)


class ShownRows(MadeWhenAsked[ShownRow]):
    """The list's rows as shown, each worked out from its case's row when first asked for
    (Qt asks for the rows it paints; a search, a filter or a sort for all of them)."""

    __slots__ = ("case_rows",)

    def __init__(self, rows: CaseRows) -> None:
        words: dict[str, str] = {}  # each label translated once for all the rows

        def work_out(index: int) -> ShownRow:
            try:
                return shown_row(rows[index], words)
            except DamagedRecordError as error:  # shown, not raised into Qt's painting
                listed = (rows.texts(column)[index] for column in _LISTED.values())
                cells = (*listed, tr_label(DAMAGED_RECORD), "")
                return ShownRow.damaged(rows.texts("id")[index], cells, str(error))

        super().__init__(len(rows), work_out)
        self.case_rows = rows


class CaseListModel(QAbstractTableModel):
    """Rows are cases, each worked out when first shown (`ShownRows`)."""

    def __init__(self, rows: CaseRows) -> None:
        super().__init__()
        self.rows = ShownRows(rows)
        self._headers = tuple(tr_label(text) for text in CASE_LIST_HEADERS)
        self._colours: dict[str, QColor] = {}  # made when a marked row is first shown

    def _colour(self, name: str) -> QColor:
        # A colour, not a brush: Qt paints a colour as a brush of it, and PySide6 builds the
        # `Qt` namespace to choose among QBrush's constructors (see `_DISPLAY`).
        colour = self._colours.get(name)
        if colour is None:
            colour = self._colours[name] = QColor(name)
        return colour

    def set_rows(self, rows: CaseRows) -> None:
        """Show these rows instead (after a change: an import, a step)."""
        self.beginResetModel()
        self.rows = ShownRows(rows)
        self.endResetModel()

    def source_row_of(self, case_id: str) -> int | None:
        """Return the row of the case with this id, or None."""
        try:
            return self.rows.case_rows.texts("id").index(case_id)
        except ValueError:
            return None

    def sizing_texts(self, column: int) -> list[str]:
        """Return the texts a column may show, to size it by, without working out every row:
        the application numbers, enterprises and product units as listed; the labels of the
        statuses listed (with the withdrawal's mark when a case is withdrawn); a deadline
        with each of its marks."""
        rows = self.rows.case_rows
        if column in _LISTED:
            return rows.texts(_LISTED[column])
        if column == STATUS:
            mark = tr_label(WITHDRAWN_MARK) if rows.any_withdrawn else ""
            listed = set(rows.texts("status"))  # a damaged one is shown as such (`ShownRows`)
            shown = [STATUS_LABELS[status] for status in CaseStatus if status.value in listed]
            return [tr_label(label) + mark for label in (*shown, DAMAGED_RECORD)]
        day = date.max.isoformat()  # as wide as any date, without working a row out
        return [day, *(day + tr_label(mark) for mark in (OVERDUE_MARK, CONCLUDED_LATE_MARK))]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(CASE_LIST_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if role == _DISPLAY and orientation == qt.Qt.Orientation.Horizontal:
            return self._headers[section]
        return None

    def header_labels(self) -> QStandardItemModel:
        """Return a model holding only the column headers, for the table's header to show.

        A header asks its model for its texts through `headerData`, and PySide6 gives this
        Python model's `headerData` the orientation as a `Qt.Orientation`: building the `Qt`
        namespace for it (15 ms) is most of what the app's first paint costs beyond a bare
        window's. Qt's own model answers in C++. The list's model still gives the headers
        (`headerData`), as screen readers and the other views ask it."""
        labels = QStandardItemModel(0, len(self._headers))
        labels.setHorizontalHeaderLabels(list(self._headers))
        return labels

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == _DISPLAY:
            return row.cells[index.column()]
        if role == _FOREGROUND:
            if row.problem:
                return self._colour(OVERDUE_COLOUR)
            if row.withdrawn:
                return self._colour(WITHDRAWN_COLOUR)
            if row.overdue:
                return self._colour(OVERDUE_COLOUR)
            if row.concluded_late:
                return self._colour(CONCLUDED_LATE_COLOUR)
            return None
        if role == _CASE_ID:
            return row.case_id
        if role == _TOOLTIP and (row.problem or row.withdrawn):
            return row.problem or row.withdrawn
        return None


class CaseFilter(QSortFilterProxyModel):
    """Searches, filters and sorts the case list without reading the store again.

    - search: every word typed must appear (ignoring case) in the application number, the
      enterprise, the product or the product unit;
    - status: one status, or None for all;
    - mine: a reviewer id, listing only the cases whose team includes that reviewer;
    - urgent first: overdue and late-concluded cases before the others, whatever the column
      sorted by and its direction; with no column chosen, the store's order (newest acceptance
      first) within each group.
    """

    def __init__(self, source: CaseListModel, *, given_rows: bool = True) -> None:
        super().__init__()
        self._source = source
        self.header_labels: QStandardItemModel | None = None
        """What the table's column header shows, when `show_cases` set it."""
        if given_rows:
            self.setSourceModel(source)
        self._terms: tuple[str, ...] = ()
        self._status: CaseStatus | None = None
        self._mine: str | None = None
        self._urgent_first = False
        self._column = -1  # the column the person sorted by; -1: the store's order

    @property
    def source(self) -> CaseListModel:
        """The model of every case."""
        return self._source

    def set_search(self, text: str) -> None:
        """Show only the cases that contain every word of `text` (ignoring case)."""
        terms = tuple(text.casefold().split())
        if terms != self._terms:
            self._change_filter(lambda: setattr(self, "_terms", terms))

    def set_status(self, status: CaseStatus | None) -> None:
        """Show only the cases with this status (None: all)."""
        if status != self._status:
            self._change_filter(lambda: setattr(self, "_status", status))

    def set_mine(self, reviewer_id: str | None) -> None:
        """Show only the cases whose team includes this reviewer (None: everyone's)."""
        if reviewer_id != self._mine:
            self._change_filter(lambda: setattr(self, "_mine", reviewer_id))

    def set_urgent_first(self, on: bool) -> None:
        """List overdue and late-concluded cases first, or not."""
        if on != self._urgent_first:
            self._urgent_first = on
            column = self._column
            self._column = -2  # not a column: `sort` sees a change
            self.sort(column, self.sortOrder())

    @property
    def urgent_first(self) -> bool:
        """Whether urgent cases are listed first."""
        return self._urgent_first

    def _change_filter(self, change: Any) -> None:
        self.beginFilterChange()
        change()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def sort(self, column: int, order: Qt.SortOrder | None = None) -> None:
        ascending = qt.Qt.SortOrder.AscendingOrder
        order = ascending if order is None else order
        changed = column != self._column
        self._column = column
        if column < 0 and self._urgent_first:
            # Qt only sorts by a column; `lessThan` keeps the store's order within a group.
            column, order = 0, ascending
        if changed and (column, order) == (self.sortColumn(), self.sortOrder()):
            self.invalidate()  # Qt skips a sort it thinks it has done; `lessThan` has changed
        else:
            super().sort(column, order)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if self._status is None and self._mine is None and not self._terms:
            return True  # without working the row out (see `ShownRows`)
        row = self._source.rows[source_row]
        if self._status is not None and row.status != self._status:
            return False
        if self._mine is not None and self._mine not in row.reviewer_ids:
            return False
        return all(term in row.haystack for term in self._terms)

    def lessThan(self, source_left: Index, source_right: Index) -> bool:
        rows = self._source.rows
        left, right = source_left.row(), source_right.row()
        a, b = rows[left], rows[right]
        if self._urgent_first and a.urgent != b.urgent:
            # Qt lists the greater first when descending: the urgent one must come first.
            return a.urgent == (self.sortOrder() == qt.Qt.SortOrder.AscendingOrder)
        if self._column >= 0:
            key_a, key_b = a.sort_keys[self._column], b.sort_keys[self._column]
            if key_a != key_b:
                return key_a < key_b
        return left < right


def show_cases(table: QTableView, model: CaseListModel) -> CaseFilter:
    """Show the cases of `model` in `table` through a new `CaseFilter` (search, filters,
    sorting); return the filter.

    In an order that lets the case list be painted without the `Qt` namespace (see
    `_DISPLAY`): a header asks its model's `headerData` for the sections it is given, and
    PySide6 passes the orientation as a `Qt.Orientation`. So the table takes the filter while
    it is still empty; its column header shows Qt's own model of the header texts
    (`CaseListModel.header_labels`); its row header (row numbers, which the list does not
    show) is hidden; and only then does the filter take the rows.
    """
    proxy = CaseFilter(model, given_rows=False)
    table.setModel(proxy)
    table.verticalHeader().setVisible(False)
    proxy.header_labels = model.header_labels()  # kept: a header does not own its model
    table.horizontalHeader().setModel(proxy.header_labels)
    proxy.setSourceModel(model)
    return proxy
