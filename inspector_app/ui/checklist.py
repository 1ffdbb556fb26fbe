"""The on-site checklist (实地核查) of one case: its sections and items as a tree, one item at a
time in a detail pane, each result saved at once through the case steps.

Keyboard: in the tree, 1–4 choose the item's allowed results in order, N or Space goes to the
next unanswered item, Ctrl+G to an item by its code.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from pathlib import Path

from inspector_app.app import Services
from inspector_app.core import checklist
from inspector_app.core.errors import RuleViolation
from inspector_app.core.forms.model import (
    REQUIRE_NOTE,
    REQUIRE_PHOTO,
    RESULT_MINOR,
    RESULT_NONCONFORM,
    ChecklistForm,
    FormItem,
)
from inspector_app.core.forms.verdicts import verdict
from inspector_app.core.model import CaseFile, ChecklistResult, TeamMember, new_id
from inspector_app.core.team import acting_member
from inspector_app.labels import (
    ADD_PHOTO,
    ALL_ANSWERED,
    ASSESSED_BY,
    CHECKLIST_HEADERS,
    CHECKLIST_TREE_NAME,
    CLAUSE_LABEL,
    FILTER_ALL,
    FILTER_FINDINGS,
    FILTER_MINE,
    FILTER_NAME,
    FILTER_UNANSWERED,
    GOTO_PLACEHOLDER,
    GOTO_UNKNOWN,
    GUIDANCE_LABEL,
    ITEM_HEADING,
    NEXT_UNANSWERED,
    NO_RESULT,
    NOTE_LABEL,
    NOTE_NAME,
    PHOTO_COUNT,
    PHOTO_DIALOG_TITLE,
    PHOTO_FILTER,
    PROGRESS,
    READ_ONLY_NOT_SIGNED_IN,
    READ_ONLY_REASON,
    REQUIREMENT_LABEL,
    REQUIRES_LINE,
    REQUIRES_NOTE,
    REQUIRES_PHOTO,
    RESULT_BUTTON,
    RESULT_LABELS,
    SAVED,
    VERDICT_LINE,
    VETO_MARK,
)
from inspector_app.store.attachments import add_attachment
from inspector_app.store.casework import Change
from inspector_app.store.errors import WorkspaceError
from inspector_app.ui.i18n import tr_label
from inspector_app.ui.qt import (
    QAbstractItemModel,
    QAction,
    QBrush,
    QColor,
    QComboBox,
    QEvent,
    QFileDialog,
    QFont,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QLineEdit,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPlainTextEdit,
    QPushButton,
    QSortFilterProxyModel,
    QSplitter,
    Qt,
    QTreeView,
    QVBoxLayout,
    QWidget,
    Signal,
)

ITEM_CODE_ROLE = Qt.ItemDataRole.UserRole
"""The role under which an item's row gives its code (a section's row gives None)."""

RESULT_KEYS = (Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3, Qt.Key.Key_4)
"""The number keys that choose an item's allowed results, in the form's order."""

NEXT_KEYS = (Qt.Key.Key_N, Qt.Key.Key_Space)
"""The keys that go to the next unanswered item."""

GOTO_SHORTCUT = "Ctrl+G"

RESULT_COLORS = {RESULT_NONCONFORM: QColor(176, 0, 32), RESULT_MINOR: QColor(160, 90, 0)}

AnyIndex = QModelIndex | QPersistentModelIndex


def choose_photo(parent: QWidget) -> Path | None:
    """Ask for a photo to attach; return its path, or None when the person cancelled.

    Module-level so that tests replace it (a native file dialog cannot be driven).
    """
    name, _filter = QFileDialog.getOpenFileName(
        parent, tr_label(PHOTO_DIALOG_TITLE), "", tr_label(PHOTO_FILTER)
    )
    return Path(name) if name else None


class ChecklistModel(QAbstractItemModel):
    """The form's sections, each with its items, and each item's result (two columns).

    A section's index has the internal id 0; an item's has its section's row + 1.
    """

    def __init__(self, form: ChecklistForm, results: dict[str, ChecklistResult]) -> None:
        super().__init__()
        self.form = form
        self.results = dict(results)

    # Tree structure ---------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self.form.sections)
        if parent.column() != 0 or parent.internalId() != 0:
            return 0
        return len(self.form.sections[parent.row()].items)

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
        return self.form.sections[index.internalId() - 1].items[index.row()]

    def index_of(self, code: str) -> QModelIndex:
        """Return the index (column 0) of the item with this code, or an invalid index."""
        for s_row, section in enumerate(self.form.sections):
            for row, item in enumerate(section.items):
                if item.code == code:
                    return self.createIndex(row, 0, s_row + 1)
        return QModelIndex()

    # Data -------------------------------------------------------------------------------------

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        item = self.item_at(index)
        if item is None:
            section = self.form.sections[index.row()]
            if role == Qt.ItemDataRole.DisplayRole and index.column() == 0:
                return f"{section.code} {section.title}"
            if role == Qt.ItemDataRole.DisplayRole:
                done = sum(1 for i in section.items if i.code in self.results)
                return f"{done}/{len(section.items)}"
            return None
        result = self.results.get(item.code)
        if role == ITEM_CODE_ROLE:
            return item.code
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 0:
                veto = tr_label(VETO_MARK) if item.veto else ""
                return f"{item.code} {veto}{item.requirement}"
            return (
                tr_label(RESULT_LABELS.get(result.result, result.result))
                if result
                else (tr_label(NO_RESULT))
            )
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 0:
            return item.requirement
        if role == Qt.ItemDataRole.ForegroundRole and result is not None:
            color = RESULT_COLORS.get(result.result)
            return QBrush(color) if color is not None else None
        if role == Qt.ItemDataRole.FontRole and item.veto and index.column() == 0:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def set_result(self, result: ChecklistResult) -> None:
        """Show a result as stored (after a step saved it)."""
        self.results[result.item_code] = result
        index = self.index_of(result.item_code)
        if index.isValid():
            self.dataChanged.emit(index, index.siblingAtColumn(1))
            section = index.parent()
            self.dataChanged.emit(section.siblingAtColumn(1), section.siblingAtColumn(1))


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
        result = model.results.get(item.code)
        if self.mode == self.UNANSWERED:
            return result is None
        if self.mode == self.FINDINGS:
            return result is not None and result.result in (RESULT_NONCONFORM, RESULT_MINOR)
        return result is not None and result.assessor_id == self.member_id


class ChecklistPage(QWidget):
    """The checklist of one case: choose an item in the tree, record its result and note.

    Every edit is saved at once through `services.steps().record_result`; the domain's
    refusal is shown beside the result buttons. Read-only (with the reason) when nobody is
    signed in or the domain would refuse the signed-in reviewer's results.

    Args:
        services: The composition root's services.
        case_id: The case whose checklist this is.
    """

    changed = Signal(object)
    """Emitted with each `Change` a saved edit made."""

    def __init__(self, services: Services, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.case_id = case_id
        self.state: CaseFile = services.queries.case_file(case_id)
        self.form = services.queries.case_form(self.state.case)
        self.member: TeamMember | None = None
        self.read_only_reason = ""
        self.pending_evidence: dict[str, tuple[str, ...]] = {}
        self.current_code: str | None = None

        self.model = ChecklistModel(self.form, {r.item_code: r for r in self.state.results})
        self.proxy = ChecklistFilter(self.model)
        self._build()
        self.update_access()
        self._update_summary()
        self.next_unanswered()

    # Building ---------------------------------------------------------------------------------

    def _build(self) -> None:
        self.verdict_label = QLabel()
        self.verdict_label.setObjectName("verdict")
        self.verdict_label.setWordWrap(True)
        self.verdict_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress_label = QLabel()
        self.progress_label.setObjectName("progress")
        self.read_only_label = QLabel()
        self.read_only_label.setObjectName("readOnlyReason")
        self.read_only_label.setWordWrap(True)
        self.read_only_label.setStyleSheet("color: #a05a00;")

        self.filter = QComboBox()
        self.filter.setObjectName("filter")
        self.filter.setAccessibleName(tr_label(FILTER_NAME))
        for label in (FILTER_ALL, FILTER_UNANSWERED, FILTER_FINDINGS, FILTER_MINE):
            self.filter.addItem(tr_label(label))
        self.filter.currentIndexChanged.connect(self._filter_changed)

        self.goto = QLineEdit()
        self.goto.setObjectName("gotoCode")
        self.goto.setPlaceholderText(tr_label(GOTO_PLACEHOLDER))
        self.goto.setAccessibleName(tr_label(GOTO_PLACEHOLDER))
        self.goto.returnPressed.connect(self._goto_entered)
        self.goto_action = QAction(self)
        self.goto_action.setShortcut(QKeySequence(GOTO_SHORTCUT))
        self.goto_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.goto_action.triggered.connect(self._focus_goto)
        self.addAction(self.goto_action)

        self.next_button = QPushButton(tr_label(NEXT_UNANSWERED))
        self.next_button.setObjectName("nextUnanswered")
        self.next_button.clicked.connect(self.next_unanswered)

        tools = QHBoxLayout()
        tools.addWidget(self.filter)
        tools.addWidget(self.goto, 1)
        tools.addWidget(self.next_button)

        self.tree = QTreeView()
        self.tree.setObjectName("checklistTree")
        self.tree.setAccessibleName(tr_label(CHECKLIST_TREE_NAME))
        self.tree.setModel(self.proxy)
        self.tree.setUniformRowHeights(True)
        self.tree.setAllColumnsShowFocus(True)
        self.tree.expandAll()
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, self.tree.header().ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, self.tree.header().ResizeMode.ResizeToContents)
        self.tree.installEventFilter(self)
        self.tree.selectionModel().currentChanged.connect(self._current_changed)

        self.heading = QLabel()
        self.heading.setObjectName("itemHeading")
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.heading.setFont(font)
        self.requirement = self._text_label("requirement")
        self.guidance = self._text_label("guidance")
        self.clause = self._text_label("clause")

        self.result_row = QHBoxLayout()
        self.result_buttons: list[QPushButton] = []
        for _ in range(len(RESULT_KEYS)):
            button = QPushButton()
            button.setCheckable(True)
            button.setAutoExclusive(False)
            button.installEventFilter(self)
            button.clicked.connect(self._result_clicked)
            self.result_buttons.append(button)
            self.result_row.addWidget(button)
        self.result_row.addStretch(1)
        self.requires_label = self._text_label("requires")
        self.refusal = self._text_label("refusal")
        self.refusal.setStyleSheet("color: #b00020;")
        self.saved_label = self._text_label("saved")

        self.note = QPlainTextEdit()
        self.note.setObjectName("note")
        self.note.setAccessibleName(tr_label(NOTE_NAME))
        self.note.setTabChangesFocus(True)
        self.note.installEventFilter(self)

        self.photo_button = QPushButton(tr_label(ADD_PHOTO))
        self.photo_button.setObjectName("addPhoto")
        self.photo_button.clicked.connect(self.add_photo)
        self.photo_count = QLabel()
        self.photo_count.setObjectName("photoCount")
        photos = QHBoxLayout()
        photos.addWidget(self.photo_button)
        photos.addWidget(self.photo_count)
        photos.addStretch(1)
        self.assessor_label = self._text_label("assessor")

        detail = QWidget()
        pane = QVBoxLayout(detail)
        pane.addWidget(self.heading)
        for caption, text in (
            (REQUIREMENT_LABEL, self.requirement),
            (GUIDANCE_LABEL, self.guidance),
            (CLAUSE_LABEL, self.clause),
        ):
            title = QLabel(tr_label(caption))
            title.setStyleSheet("color: #555;")
            title.setBuddy(text)
            pane.addWidget(title)
            pane.addWidget(text)
        pane.addLayout(self.result_row)
        pane.addWidget(self.requires_label)
        pane.addWidget(self.refusal)
        note_title = QLabel(tr_label(NOTE_LABEL))
        note_title.setBuddy(self.note)
        pane.addWidget(note_title)
        pane.addWidget(self.note, 1)
        pane.addLayout(photos)
        pane.addWidget(self.assessor_label)
        pane.addWidget(self.saved_label)

        splitter = QSplitter()
        splitter.addWidget(self.tree)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        top = QHBoxLayout()
        top.addWidget(self.verdict_label, 1)
        top.addWidget(self.progress_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.read_only_label)
        layout.addLayout(tools)
        layout.addWidget(splitter, 1)
        for first, second in (
            (self.filter, self.goto),
            (self.goto, self.next_button),
            (self.next_button, self.tree),
            (self.tree, self.result_buttons[0]),
        ):
            QWidget.setTabOrder(first, second)

    def _text_label(self, name: str) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    # Who may edit -----------------------------------------------------------------------------

    def update_access(self) -> None:
        """Enable editing for the signed-in reviewer's member of the team, or say why not."""
        try:
            reviewer = self.services.signed_in()
        except RuleViolation:
            reviewer = None
        self.member = None
        if reviewer is None:
            self.read_only_reason = tr_label(READ_ONLY_NOT_SIGNED_IN)
        else:
            self.member = acting_member(self.state.members, reviewer.actor)
            problems = checklist.recorder_problems(
                self.state.case.status,
                self.member,
                reviewer.name,
                self.state.filings,
                self.state.members,
                self.state.declarations,
            )
            reason = "；".join(p.message for p in problems)
            self.read_only_reason = (
                tr_label(READ_ONLY_REASON).format(reason=reason) if reason else ""
            )
        self.read_only_label.setText(self.read_only_reason)
        self.read_only_label.setVisible(bool(self.read_only_reason))
        editable = not self.read_only_reason
        for button in self.result_buttons:
            button.setEnabled(editable)
            button.setToolTip("" if editable else self.read_only_reason)
        self.note.setReadOnly(not editable)
        self.note.setToolTip("" if editable else self.read_only_reason)
        self.photo_button.setEnabled(editable)
        self.photo_button.setToolTip("" if editable else self.read_only_reason)
        self._filter_changed(self.filter.currentIndex())

    @property
    def editable(self) -> bool:
        """Whether the signed-in reviewer may record results here now."""
        return not self.read_only_reason and self.member is not None

    # Showing ----------------------------------------------------------------------------------

    def current_item(self) -> FormItem | None:
        """Return the item shown in the detail pane, or None."""
        return self.form.item(self.current_code) if self.current_code else None

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._save_note()
        item = self.model.item_at(self.proxy.mapToSource(current))
        self.current_code = item.code if item else None
        self._show_item()

    def _show_item(self) -> None:
        item = self.current_item()
        self.refusal.clear()
        self.saved_label.clear()
        if item is None:
            self.heading.setText("")
            for label in (self.requirement, self.guidance, self.clause, self.requires_label):
                label.clear()
            for button in self.result_buttons:
                button.hide()
            self.note.setPlainText("")
            self.photo_count.clear()
            self.assessor_label.clear()
            return
        veto = tr_label(VETO_MARK) if item.veto else ""
        self.heading.setText(f"{tr_label(ITEM_HEADING).format(code=item.code)} {veto}")
        self.requirement.setText(item.requirement)
        self.guidance.setText(item.guidance)
        self.clause.setText(item.clause)
        result = self.model.results.get(item.code)
        for number, button in enumerate(self.result_buttons):
            if number < len(item.allowed_results):
                value = item.allowed_results[number]
                shown = tr_label(RESULT_LABELS.get(value, value))
                button.setText(tr_label(RESULT_BUTTON).format(key=number + 1, result=shown))
                button.setChecked(result is not None and result.result == value)
                button.show()
            else:
                button.hide()
        needs = []
        for value in item.allowed_results:
            what = [
                tr_label(REQUIRES_NOTE if kind == REQUIRE_NOTE else REQUIRES_PHOTO)
                for kind in item.requires.get(value, ())
                if kind in (REQUIRE_NOTE, REQUIRE_PHOTO)
            ]
            if what:
                shown = tr_label(RESULT_LABELS.get(value, value))
                needs.append(tr_label(REQUIRES_LINE).format(result=shown, what="、".join(what)))
        self.requires_label.setText("；".join(needs))
        self.note.setPlainText(result.note if result else "")
        self._show_evidence()
        if result is None:
            self.assessor_label.clear()
        else:
            assessor = next((m for m in self.state.members if m.id == result.assessor_id), None)
            name, unit = (assessor.name, assessor.unit) if assessor else (result.assessor_id, "")
            at = result.assessed_at.astimezone(self.services.settings.calendar.zone)
            self.assessor_label.setText(
                tr_label(ASSESSED_BY).format(name=name, unit=unit, at=at.strftime("%Y-%m-%d %H:%M"))
            )

    def _evidence(self, code: str) -> tuple[str, ...]:
        result = self.model.results.get(code)
        stored = result.evidence if result else ()
        return stored + tuple(h for h in self.pending_evidence.get(code, ()) if h not in stored)

    def _show_evidence(self) -> None:
        count = len(self._evidence(self.current_code)) if self.current_code else 0
        self.photo_count.setText(tr_label(PHOTO_COUNT).format(count=count))

    def _update_summary(self) -> None:
        results = {code: r.result for code, r in self.model.results.items()}
        outcome = verdict(self.form, results)
        self.verdict_label.setText(tr_label(VERDICT_LINE).format(verdict=outcome.explain()))
        self.progress_label.setText(
            tr_label(PROGRESS).format(recorded=len(results), total=len(self.form.items()))
        )

    # Moving -----------------------------------------------------------------------------------

    def select_code(self, code: str) -> bool:
        """Show the item with this code (clearing a filter that hides it); False if none."""
        source = self.model.index_of(code)
        if not source.isValid():
            return False
        index = self.proxy.mapFromSource(source)
        if not index.isValid():
            self.filter.setCurrentIndex(ChecklistFilter.ALL)
            index = self.proxy.mapFromSource(source)
        self.tree.setCurrentIndex(index)
        self.tree.scrollTo(index)
        return True

    def next_unanswered(self) -> bool:
        """Go to the next item without a result after the one shown (wrapping round)."""
        items = [item.code for item in self.form.items()]
        start = items.index(self.current_code) + 1 if self.current_code in items else 0
        for code in items[start:] + items[:start]:
            if code not in self.model.results:
                self.select_code(code)
                self.tree.setFocus()
                return True
        self.saved_label.setText(tr_label(ALL_ANSWERED))
        return False

    def _focus_goto(self) -> None:
        self.goto.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.goto.selectAll()

    def _goto_entered(self) -> None:
        code = self.goto.text().strip()
        if self.select_code(code):
            self.goto.clear()
            self.tree.setFocus()
        else:
            self.refusal.setText(tr_label(GOTO_UNKNOWN).format(code=code))

    def _filter_changed(self, mode: int) -> None:
        self.proxy.set_mode(mode, self.member.id if self.member else None)
        self.tree.expandAll()
        if self.current_code is not None:
            index = self.proxy.mapFromSource(self.model.index_of(self.current_code))
            if index.isValid():
                self.tree.setCurrentIndex(index)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.note and event.type() == QEvent.Type.FocusOut:
            self._save_note()
        elif (
            watched is self.tree or watched in self.result_buttons
        ) and event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            modifiers = event.modifiers()  # type: ignore[attr-defined]
            if modifiers & ~Qt.KeyboardModifier.KeypadModifier:
                return False
            if key in RESULT_KEYS:
                self.choose_result_number(RESULT_KEYS.index(key))
                return True
            if key in NEXT_KEYS:
                self.next_unanswered()
                return True
        return super().eventFilter(watched, event)

    # Editing ----------------------------------------------------------------------------------

    def _result_clicked(self) -> None:
        button = self.sender()
        if isinstance(button, QPushButton) and button in self.result_buttons:
            self.choose_result_number(self.result_buttons.index(button))

    def choose_result_number(self, number: int) -> bool:
        """Record the item's `number`-th allowed result (0-based); False when refused."""
        item = self.current_item()
        if item is None or not 0 <= number < len(item.allowed_results):
            return False
        return self.record(item.code, item.allowed_results[number], self.note.toPlainText())

    def record(self, code: str, result: str, note: str) -> bool:
        """Record a result with its note (and the item's photos); show the domain's refusal.

        Returns:
            Whether the result was saved.
        """
        item = self.form.item(code)
        if item is None or not self.editable:
            return False
        assert self.member is not None
        stored = self.model.results.get(code)
        record = ChecklistResult(
            stored.id if stored else new_id(),
            self.case_id,
            code,
            result,
            note,
            self.member.id,
            self.services.clock(),
            self._evidence(code),
        )
        try:
            change = self.services.steps().record_result(record)
        except (RuleViolation, WorkspaceError) as error:
            messages = (
                [p.message for p in error.problems]
                if isinstance(error, RuleViolation)
                else [str(error)]
            )
            self._refused(code, "\n".join(messages))
            return False
        self.apply(change)
        self.pending_evidence.pop(code, None)
        if code == self.current_code:
            self.saved_label.setText(
                tr_label(SAVED).format(
                    code=code, result=tr_label(RESULT_LABELS.get(result, result))
                )
            )
        return True

    def _refused(self, code: str, message: str) -> None:
        if code != self.current_code:
            self.select_code(code)
        stored = self.model.results.get(code)
        for number, button in enumerate(self.result_buttons):
            item = self.current_item()
            value = (
                item.allowed_results[number] if item and number < len(item.allowed_results) else ""
            )
            button.setChecked(stored is not None and stored.result == value)
        self.saved_label.clear()
        self.refusal.setText(message)

    def apply(self, change: Change) -> None:
        """Refresh from what a step changed: the results it wrote, the verdict, the progress."""
        for saved in change.of("checklist_result"):
            result = self.services.queries.checklist_result(saved.record_id)
            if result is not None:
                self.model.set_result(result)
        self._update_summary()
        if self.current_code is not None:
            note_focus = self.note.hasFocus()
            text = self.note.toPlainText()
            self._show_item()
            if note_focus:
                self.note.setPlainText(text)
        self.changed.emit(change)

    def _save_note(self) -> None:
        """Save the note of the item shown when it differs from the stored one."""
        code = self.current_code
        if code is None or not self.editable:
            return
        stored = self.model.results.get(code)
        note = self.note.toPlainText()
        if stored is not None and note != stored.note:
            self.record(code, stored.result, note)

    def add_photo(self, chooser: Callable[[QWidget], Path | None] | None = None) -> bool:
        """Attach a photo to the item shown (stored by hash); save it at once when the item
        has a result, else keep it for the result to come. Return whether one was added."""
        item = self.current_item()
        if item is None or not self.editable:
            return False
        path = (chooser or choose_photo)(self)
        if path is None:
            return False
        assert self.member is not None
        try:
            data = path.read_bytes()
            attachment = add_attachment(
                self.services.workspace,
                data,
                media_type=mimetypes.guess_type(path.name)[0] or "application/octet-stream",
                original_name=path.name,
                actor=self.services.acting_reviewer().actor,
                now=self.services.clock(),
            )
        except (OSError, WorkspaceError) as error:
            self.refusal.setText(str(error))
            return False
        evidence = self.pending_evidence.get(item.code, ())
        if attachment.sha256 not in evidence:
            self.pending_evidence[item.code] = (*evidence, attachment.sha256)
        stored = self.model.results.get(item.code)
        if stored is not None:
            self.record(item.code, stored.result, self.note.toPlainText())
        self._show_evidence()
        return True
