"""The conflicts view (同步冲突): the workspace's sync conflicts, each with its record, its case
and the reason, both versions side by side field by field with the differing fields
highlighted, and for the case's leader the ways to settle it that the domain allows (keep the
version in force or take the other one; for a rule conflict only the office's version, with why
beside it: the refused version is corrected in the case instead). Nothing is discarded until the
leader chooses; the choice becomes a new version, queued for the central office like any change.

Reads go through `Queries.conflicts()`; the settlement is `store.conflicts.resolve_conflict`,
which asks the domain who may settle (`core.conflicts`): a refusal is shown in its own words.
"""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import datetime
from typing import Any

from inspector_app.app import Services
from inspector_app.core.errors import RuleViolation
from inspector_app.core.model import CaseStatus, Role, Stage, UnitType
from inspector_app.labels import (
    CLOSE_ACTION,
    CONFLICT_CURRENT,
    CONFLICT_DIFFERS,
    CONFLICT_FIELD,
    CONFLICT_FIELD_LABELS,
    CONFLICT_FIELDS_NAME,
    CONFLICT_HEADING,
    CONFLICT_KEEP_CURRENT,
    CONFLICT_LEADERS,
    CONFLICT_LINE,
    CONFLICT_LINE_RESOLVED,
    CONFLICT_NEEDS_SIGN_IN,
    CONFLICT_NO_CASE,
    CONFLICT_NO_VERSION,
    CONFLICT_ORIGIN_LABELS,
    CONFLICT_ORIGIN_SHORT,
    CONFLICT_OTHER,
    CONFLICT_REASON,
    CONFLICT_RECORD_LABELS,
    CONFLICT_REFUSED,
    CONFLICT_RESOLVED_AT,
    CONFLICT_RULE_CORRECT_ONLY,
    CONFLICT_RULE_OFFICE_OR_CORRECT,
    CONFLICT_SETTLED,
    CONFLICT_TAKE_OFFICE,
    CONFLICT_TAKE_OTHER,
    CONFLICTS_LIST_NAME,
    CONFLICTS_NONE,
    CONFLICTS_SHOW_RESOLVED,
    CONFLICTS_TITLE,
    FEEDBACK_NO,
    FEEDBACK_YES,
    ROLE_LABELS,
    STAGE_LABELS,
    STATUS_LABELS,
    UNIT_TYPE_LABELS,
)
from inspector_app.store.conflicts import CLASS_OF
from inspector_app.store.errors import WorkspaceError
from inspector_app.store.queries import CaseConflict
from inspector_app.store.records import Saved
from inspector_app.ui.i18n import tr_label
from inspector_app.ui.page_parts import ERROR_STYLE, action_button, wrapping_label
from inspector_app.ui.qt import (
    QAbstractTableModel,
    QBrush,
    QCheckBox,
    QColor,
    QDialog,
    QFont,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QModelIndex,
    QPersistentModelIndex,
    QPushButton,
    QSplitter,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
    Signal,
)
from inspector_app.ui.sizing import fit_list_width

DIFFERS_BACKGROUND = "#ffe8a3"
"""The background of a field whose two versions differ (with bold text and a ≠ mark, so that
the difference does not rest on colour alone)."""

DIFFERS_MARK = "≠ "
TIME_FORMAT = "%Y-%m-%d %H:%M"
DONE_STYLE = "color: #006e32;"
EMPTY = "—"

_ENUM_LABELS: dict[str, tuple[type, dict[Any, str]]] = {
    "status": (CaseStatus, STATUS_LABELS),
    "role": (Role, ROLE_LABELS),
    "stage": (Stage, STAGE_LABELS),
    "unit_type": (UnitType, UNIT_TYPE_LABELS),
}


def without_mnemonic(text: str) -> str:
    """Return a translated label without its keyboard mnemonic ("产品名称(&N)", "&Name")."""
    return re.sub(r"\(&\w\)", "", text).replace("&", "")


def field_label(name: str) -> str:
    """Return the readable name of a record field (its raw name when labels has none)."""
    label = CONFLICT_FIELD_LABELS.get(name)
    return without_mnemonic(tr_label(label)) if label else name


def record_label(table: str) -> str:
    """Return the readable kind of a record table (its raw name when labels has none)."""
    label = CONFLICT_RECORD_LABELS.get(table)
    return tr_label(label) if label else table


def value_text(name: str, value: Any) -> str:
    """Return one field value as a person reads it: yes/no, the label of a status, role,
    stage or unit type, a list joined, nothing as a dash, anything else as stored."""
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, bool):
        return tr_label(FEEDBACK_YES if value else FEEDBACK_NO)
    if name in _ENUM_LABELS and isinstance(value, str):
        kind, labels = _ENUM_LABELS[name]
        try:
            return tr_label(labels[kind(value)])
        except (ValueError, KeyError):
            return value
    if isinstance(value, list):
        return "、".join(value_text("", v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def field_order(table: str, *versions: dict[str, Any] | None) -> list[str]:
    """Return the fields of both versions: the record class's order, then any others by name."""
    known = [f.name for f in dataclasses.fields(CLASS_OF[table])] if table in CLASS_OF else []
    present = {k for v in versions if v for k in v}
    return [n for n in known if n in present] + sorted(present - set(known))


class ConflictFieldsModel(QAbstractTableModel):
    """Both versions of one record, one row per field: the field, the version in force, the
    version kept apart; a field whose values differ is highlighted."""

    COLUMNS = (CONFLICT_FIELD, CONFLICT_CURRENT, CONFLICT_OTHER)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, str, str, bool]] = []

    def set_conflict(self, conflict: CaseConflict | None) -> None:
        """Show the two versions of `conflict` (nothing for None)."""
        self.beginResetModel()
        self._rows = []
        if conflict is not None:
            c = conflict.conflict
            for name in field_order(c.record_table, c.current, c.other):
                current = self._side(c.current, name)
                other = self._side(c.other, name)
                differs = (c.current or {}).get(name) != (c.other or {}).get(name)
                self._rows.append((name, current, other, differs))
        self.endResetModel()

    @staticmethod
    def _side(version: dict[str, Any] | None, name: str) -> str:
        if version is None:
            return tr_label(CONFLICT_NO_VERSION)
        return value_text(name, version.get(name))

    def differing(self) -> list[str]:
        """Return the raw names of the fields whose two versions differ, in row order."""
        return [name for name, _c, _o, differs in self._rows if differs]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self.COLUMNS)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        name, current, other, differs = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return (DIFFERS_MARK if differs else "") + field_label(name)
            return current if column == 1 else other
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 0:
                return f"{name}: {tr_label(CONFLICT_DIFFERS)}" if differs else name
            return current if column == 1 else other
        if role == Qt.ItemDataRole.BackgroundRole and differs:
            return QBrush(QColor(DIFFERS_BACKGROUND))
        if role == Qt.ItemDataRole.ForegroundRole and differs:
            return QBrush(QColor("#000000"))  # readable on the highlight in a dark theme too
        if role == Qt.ItemDataRole.FontRole and differs:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.COLUMNS)
        ):
            return tr_label(self.COLUMNS[section])
        return None


class ConflictsDialog(QDialog):
    """The list of conflicts, the one selected side by side, and the leader's two choices.

    Args:
        services: The composition root's services (reads, the acting reviewer, the clock).
        parent: The main window.
    """

    resolved = Signal(object)
    """Emitted with the `Saved` new version once a conflict is settled (views refresh)."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflictsDialog")
        self.setWindowTitle(tr_label(CONFLICTS_TITLE))
        self.services = services
        self.conflicts: list[CaseConflict] = []

        self.list = QListWidget()
        self.list.setObjectName("conflictList")
        self.list.setAccessibleName(tr_label(CONFLICTS_LIST_NAME))
        self.list.currentRowChanged.connect(self._show_current)

        self.heading = QLabel()
        self.heading.setObjectName("conflictHeading")
        bold = self.heading.font()
        bold.setBold(True)
        bold.setPointSizeF(bold.pointSizeF() * 1.15)
        self.heading.setFont(bold)
        self.heading.setWordWrap(True)
        self.origin = wrapping_label("conflictOrigin")
        self.reason = wrapping_label("conflictReason")
        self.reason.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reason.setStyleSheet("color: #555;")
        self.leaders = wrapping_label("conflictLeaders")

        self.fields = ConflictFieldsModel(self)
        self.table = QTableView()
        self.table.setObjectName("conflictFields")
        self.table.setAccessibleName(tr_label(CONFLICT_FIELDS_NAME))
        self.table.setModel(self.fields)
        self.table.setWordWrap(True)
        self.table.setSelectionMode(QTableView.SelectionMode.NoSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)

        self.keep_current = QPushButton(tr_label(CONFLICT_KEEP_CURRENT))
        self.keep_current.setObjectName("keepCurrent")
        self.keep_current.clicked.connect(lambda: self.settle("current"))
        self.take_other = QPushButton(tr_label(CONFLICT_TAKE_OTHER))
        self.take_other.setObjectName("takeOther")
        self.take_other.clicked.connect(lambda: self.settle("other"))
        self.rule_note = wrapping_label("conflictRuleNote")  # why a rule conflict offers less
        self.rule_note.setStyleSheet("color: #a05a00;")
        self.rule_note.setVisible(False)
        self.message = wrapping_label("conflictMessage")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        choices = QHBoxLayout()
        choices.addWidget(self.keep_current)
        choices.addWidget(self.take_other)
        choices.addStretch(1)

        details = QWidget()
        right = QVBoxLayout(details)
        right.setContentsMargins(0, 0, 0, 0)
        for widget in (self.heading, self.origin, self.reason, self.leaders):
            right.addWidget(widget)
        right.addWidget(self.table, 1)
        right.addWidget(self.rule_note)
        right.addLayout(choices)
        right.addWidget(self.message)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.list)
        splitter.addWidget(details)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 800])
        splitter.setChildrenCollapsible(False)

        self.show_resolved = QCheckBox(tr_label(CONFLICTS_SHOW_RESOLVED))
        self.show_resolved.setObjectName("showResolved")
        self.show_resolved.toggled.connect(lambda _checked: self.refresh())
        close = action_button(CLOSE_ACTION, "closeConflicts", self.accept)
        foot = QHBoxLayout()
        foot.addWidget(self.show_resolved)
        foot.addStretch(1)
        foot.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(foot)
        self.resize(1100, 620)
        self.refresh()

    # Showing ---------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the conflicts again, keeping the one shown selected while it is listed."""
        shown = self.current()
        keep = shown.conflict.id if shown is not None else None
        try:
            self.conflicts = self.services.queries.conflicts(
                include_resolved=self.show_resolved.isChecked()
            )
        except WorkspaceError as error:
            self.conflicts = []
            self._say(str(error), ERROR_STYLE)
        self.list.blockSignals(True)
        self.list.clear()
        for item in self.conflicts:
            c = item.conflict
            line = CONFLICT_LINE_RESOLVED if c.resolved_at else CONFLICT_LINE
            origin = CONFLICT_ORIGIN_SHORT.get(c.origin)
            entry = QListWidgetItem(
                tr_label(line).format(
                    id=c.id,
                    case=self._case_text(item),
                    record=record_label(c.record_table),
                    origin=tr_label(origin) if origin else c.origin,
                )
            )
            entry.setToolTip(c.reason)
            self.list.addItem(entry)
        self.list.blockSignals(False)
        fit_list_width(self.list)  # no line cut, in either language
        ids = [item.conflict.id for item in self.conflicts]
        row = ids.index(keep) if keep in ids else (0 if ids else -1)
        self.list.setCurrentRow(row)
        self._show_current(row)

    def current(self) -> CaseConflict | None:
        """Return the conflict shown, or None."""
        row = self.list.currentRow()
        return self.conflicts[row] if 0 <= row < len(self.conflicts) else None

    def _case_text(self, item: CaseConflict) -> str:
        if item.conflict.case_id is None:
            return tr_label(CONFLICT_NO_CASE)
        return item.application_no or item.conflict.case_id

    def _show_current(self, _row: int) -> None:
        item = self.current()
        self.fields.set_conflict(item)
        if item is None:
            self.heading.setText(tr_label(CONFLICTS_NONE))
            for label in (self.origin, self.reason, self.leaders):
                label.setText("")
            self._update_choices()
            return
        c = item.conflict
        self.heading.setText(
            tr_label(CONFLICT_HEADING).format(
                id=c.id, record=record_label(c.record_table), case=self._case_text(item)
            )
        )
        origin = CONFLICT_ORIGIN_LABELS.get(c.origin)
        self.origin.setText(tr_label(origin) if origin else c.origin)
        self.reason.setText(
            tr_label(CONFLICT_REASON).format(reason=c.reason, found_at=self._local(c.found_at))
        )
        self.leaders.setText(
            tr_label(CONFLICT_LEADERS).format(leaders="、".join(item.leaders))
            if item.leaders
            else ""
        )
        self.leaders.setVisible(bool(item.leaders))
        self.table.resizeRowsToContents()
        self._update_choices()

    def _update_choices(self) -> None:
        """The choices that make sense for the conflict (the domain's, `SyncConflict.choices`:
        for a rule conflict only the office's version, when it holds one, with the reason
        beside) are offered for an open conflict to whoever is signed in (the domain decides
        whether that is the case's leader, when one is chosen)."""
        item = self.current()
        signed_in = self._signed_in()
        open_ = item is not None and item.conflict.resolved_at is None
        why = "" if signed_in else tr_label(CONFLICT_NEEDS_SIGN_IN)
        choices = item.conflict.choices if item is not None else ("current", "other")
        rule = item is not None and open_ and item.conflict.kind == "rule"
        self.keep_current.setText(tr_label(CONFLICT_TAKE_OFFICE if rule else CONFLICT_KEEP_CURRENT))
        for button, choice in ((self.keep_current, "current"), (self.take_other, "other")):
            button.setVisible(choice in choices or not open_)
            button.setEnabled(open_ and signed_in and choice in choices)
            button.setToolTip(why)
        self.rule_note.setVisible(rule)
        self.rule_note.setText(
            tr_label(CONFLICT_RULE_OFFICE_OR_CORRECT if choices else CONFLICT_RULE_CORRECT_ONLY)
            if rule
            else ""
        )
        if item is not None and item.conflict.resolved_at is not None:
            self._say(
                tr_label(CONFLICT_RESOLVED_AT).format(
                    at=self._local(item.conflict.resolved_at),
                    version=item.conflict.resolution_version_id or EMPTY,
                ),
                DONE_STYLE,
            )
        elif open_ and not signed_in:
            self._say(why, "color: #a05a00;")

    def _signed_in(self) -> bool:
        try:
            return self.services.signed_in() is not None
        except RuleViolation:
            return False

    def _say(self, text: str, style: str = "") -> None:
        self.message.setText(text)
        self.message.setStyleSheet(style)

    def _local(self, iso: str) -> str:
        try:
            at = datetime.fromisoformat(iso)
        except ValueError:
            return iso
        if at.tzinfo is None:
            return iso
        return self.services.settings.calendar.local(at).strftime(TIME_FORMAT)

    # Settling --------------------------------------------------------------------------------

    def settle(self, keep: str) -> Saved | None:
        """Settle the conflict shown as the acting reviewer, keeping `current` or `other`;
        return the new version, or None when the domain or the store refused (said in the
        dialog, nothing changed)."""
        item = self.current()
        if item is None:
            return None
        from inspector_app.store.conflicts import resolve_conflict
        from inspector_app.store.settings import device_id

        db = self.services.workspace.db
        try:
            saved = resolve_conflict(
                db,
                item.conflict.id,
                keep,
                actor=self.services.acting_reviewer().actor,
                now=self.services.clock(),
                device=device_id(db),
            )
        except (RuleViolation, WorkspaceError) as error:
            self._say(tr_label(CONFLICT_REFUSED).format(message=str(error)), ERROR_STYLE)
            return None
        self.refresh()
        self._say(
            tr_label(CONFLICT_SETTLED).format(
                id=item.conflict.id, record=record_label(item.conflict.record_table)
            ),
            DONE_STYLE,
        )
        self.resolved.emit(saved)
        return saved
