"""The on-site checklist (实地核查) of one case: its sections and items as a tree, one item at a
time in a detail pane, each result saved at once through the case steps.

Keyboard: in the tree, 1–4 choose the item's allowed results in order, 0 or Delete takes the
result back to "no result", N or Space goes to the next unanswered item, Ctrl+G to an item by
its code; Ctrl+Z and Ctrl+Shift+Z undo and redo the page's edits (each undo is a new version,
never a change of history). Photos are attached from a file dialog or dropped on an item or on
the detail pane; they are checked and stored off the UI thread. The leader concludes (结论)
from here once every item has a result.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from inspector_app.app import Services
from inspector_app.core import checklist
from inspector_app.core.errors import RuleViolation
from inspector_app.core.forms.model import (
    REQUIRE_NOTE,
    REQUIRE_PHOTO,
    FormItem,
)
from inspector_app.core.forms.verdicts import Verdict, verdict
from inspector_app.core.model import CaseFile, ChecklistResult, TeamMember, new_id
from inspector_app.core.team import acting_member
from inspector_app.labels import (
    ADD_PHOTO,
    ALL_ANSWERED,
    ASSESSED_BY,
    CHECKLIST_HEADERS,
    CHECKLIST_TREE_NAME,
    CLAUSE_JOIN,
    CLAUSE_LABEL,
    CONCLUDE_BUTTON,
    CONCLUDE_CANNOT,
    CONCLUDED,
    EDIT_NOTE,
    EDIT_PHOTO,
    EDIT_RESULT,
    EDIT_WITHDRAW,
    FILTER_ALL,
    FILTER_FINDINGS,
    FILTER_MINE,
    FILTER_NAME,
    FILTER_UNANSWERED,
    FLUSH_FAILED,
    GOTO_PLACEHOLDER,
    GOTO_UNKNOWN,
    GUIDANCE_LABEL,
    ITEM_HEADING,
    LIST_JOIN,
    NEXT_UNANSWERED,
    NO_RESULT,
    NOTE_LABEL,
    NOTE_NAME,
    PHOTO_COUNT,
    PHOTO_DIALOG_TITLE,
    PHOTO_FILTER,
    PHOTO_NOT_IMAGE,
    PHOTO_NOT_SAVED,
    PHOTO_STORING,
    PHOTO_UNREADABLE,
    PROGRESS,
    READ_ONLY_NOT_SIGNED_IN,
    READ_ONLY_REASON,
    REDO_BUTTON,
    REDO_TIP,
    REDONE,
    REQUIREMENT_LABEL,
    REQUIRES_LINE,
    REQUIRES_NOTE,
    REQUIRES_PHOTO,
    RESULT_BUTTON,
    RESULT_LABELS,
    SAVED,
    SAVING,
    UNDO_BUTTON,
    UNDO_REFUSED,
    UNDO_TIP,
    UNDONE,
    VERDICT_LINE,
    VETO_MARK,
    WITHDRAW_BUTTON,
    WITHDRAWN,
)
from inspector_app.store.casework import Casework, Change
from inspector_app.store.durability import commit_without_sync, wal_path
from inspector_app.store.errors import WorkspaceError
from inspector_app.ui.checklist_model import (
    ChecklistFilter,
    ChecklistModel,
)
from inspector_app.ui.checklist_undo import EditHistory, EditName, ItemEdit, ItemState
from inspector_app.ui.conclusion_dialog import ConclusionDialog, outcome_label
from inspector_app.ui.i18n import tr_label
from inspector_app.ui.page_parts import action_button, wrapping_label, zero_timer
from inspector_app.ui.photo_job import PhotoRejected, store_photos_job
from inspector_app.ui.photo_strip import PhotoStrip, accept_file_drag, dropped_files
from inspector_app.ui.qt import (
    QAction,
    QComboBox,
    QDialog,
    QEvent,
    QFileDialog,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QLineEdit,
    QModelIndex,
    QObject,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    Qt,
    QTreeView,
    QVBoxLayout,
    QWidget,
    Signal,
    is_alive,
)
from inspector_app.ui.status_line import StatusLine
from inspector_app.ui.tasks import ImmediateRunner, Runner
from inspector_app.ui.wal_flusher import Flusher, ImmediateFlusher, WalFlusher

RESULT_KEYS = (Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3, Qt.Key.Key_4)
"""The number keys that choose an item's allowed results, in the form's order."""

NEXT_KEYS = (Qt.Key.Key_N, Qt.Key.Key_Space)
"""The keys that go to the next unanswered item."""

WITHDRAW_KEYS = (Qt.Key.Key_0, Qt.Key.Key_Delete)
"""The keys that take the item's result back to "no result"."""

GOTO_SHORTCUT = "Ctrl+G"
UNDO_SHORTCUT = "Ctrl+Z"
REDO_SHORTCUT = "Ctrl+Shift+Z"


def choose_photo(parent: QWidget) -> Path | None:
    """Ask for a photo to attach; return its path, or None when the person cancelled.

    Module-level so that tests replace it (a native file dialog cannot be driven).
    """
    name, _filter = QFileDialog.getOpenFileName(
        parent, tr_label(PHOTO_DIALOG_TITLE), "", tr_label(PHOTO_FILTER)
    )
    return Path(name) if name else None


def ask_conclusion(dialog: ConclusionDialog) -> bool:
    """Show the confirmation of the conclusion; return whether the leader confirmed it."""
    return dialog.exec() == QDialog.DialogCode.Accepted


class ChecklistPage(QWidget):
    """The checklist of one case: choose an item in the tree, record its result, note, photos.

    Every edit is saved at once through the case steps (`record_result`, `withdraw_result`);
    the domain's refusal is shown beside the result buttons. Each saved edit can be undone and
    redone (a new version each time). Read-only (with the reason) when nobody is signed in or
    the domain would refuse the signed-in reviewer's results.

    An edit costs the UI thread short stretches, each well under a frame: the step commits
    without waiting for the disk (`commit_without_sync`) and the item's row shows it; the
    detail pane, the message below it, the verdict, the progress and the conclusion's state
    follow on a later pass of the event loop (one refresh for any number of edits meanwhile);
    the disk's confirmation comes from the flusher. Until then the item's result is grey and
    italic and the page says "saving"; it says "saved" only once the edit would survive a
    power cut.

    Args:
        services: The composition root's services.
        case_id: The case whose checklist this is.
        runner: Makes (or returns) the background runner that stores photos; by default
            one that runs them at once (tests).
        state: The case as just read (saves reading it again), if the caller has it.
        background_flush: Confirm edits on disk on a thread of the page's own (the app); by
            default at once, on the UI thread (tests; the same durability, a longer stretch).
    """

    changed = Signal(object)
    """Emitted with each `Change` a saved edit made."""

    confirmed = Signal(object)
    """Emitted with the (item code, version id) of edits once the disk confirmed them: from
    then on they survive a power cut (the page says "saved")."""

    def __init__(
        self,
        services: Services,
        case_id: str,
        parent: QWidget | None = None,
        *,
        runner: Callable[[], Runner] | None = None,
        state: CaseFile | None = None,
        background_flush: bool = False,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.case_id = case_id
        self._runner = runner or (lambda: ImmediateRunner(services.workspace))
        self.state: CaseFile = state or services.queries.case_file(case_id)
        self.form = services.queries.case_form(self.state.case)
        self.member: TeamMember | None = None
        self.reviewer_name = ""
        self.read_only_reason = ""
        self.conclude_reason = ""
        self.current_code: str | None = None
        self.photo_jobs = 0
        self._replaying = False  # an undo or redo is writing: no new edit is pushed meanwhile
        self._background_flush = background_flush
        self._flusher: Flusher | None = None
        self._unconfirmed: dict[str, int] = {}  # item -> its edits the disk has not confirmed
        self._said_when_saved = ""  # what saved_label says once the disk confirmed every edit
        # A zero timer, not a queued call: Qt runs queued calls in the same pass as the key and
        # its paint, a timer on a later pass (input and paint get their turn in between).
        self._views_timer = zero_timer(self, self._refresh_views)
        self._summary_timer = zero_timer(self, self._deferred_summary)
        self._detail_due = False  # the item shown was written: its pane follows on the timer
        self._note_at_edit = ""  # what the note said then
        self.conclusion_dialog: ConclusionDialog | None = None

        self.model = ChecklistModel(self.form, {r.item_code: r for r in self.state.results})
        self.proxy = ChecklistFilter(self.model)
        self.undo_stack = EditHistory(self)
        self.undo_stack.serve(self._write_again, self._undo_refused)
        self.outcome = self.current_verdict()
        self._build()
        self.update_access()
        self._update_summary()
        self.next_unanswered()
        # The form, the model and the widgets live as long as the page: out of the collector's
        # full passes while it is open (they took 25 ms, in the middle of some key's stretch);
        # back in them once it is gone, so that nothing frozen outlives its use.
        gc.freeze()
        self.destroyed.connect(lambda *_args: gc.unfreeze())

    # Building ---------------------------------------------------------------------------------

    def _build(self) -> None:
        # The lines that change at every edit repaint only (status_line.py): no new layout.
        self.verdict_label = StatusLine("verdict")
        total = len(self.form.items())
        self.progress_label = StatusLine(
            "progress", widest=tr_label(PROGRESS).format(recorded=total, total=total)
        )
        self.conclude_button = QPushButton(tr_label(CONCLUDE_BUTTON))
        self.conclude_button.setObjectName("conclude")
        self.conclude_button.clicked.connect(lambda: self.conclude())
        self.conclude_label = StatusLine("concludeReason", "#555")
        self.read_only_label = wrapping_label("readOnlyReason")
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
        self.goto_action = self._shortcut(GOTO_SHORTCUT, self._focus_goto)
        self.undo_action = self._shortcut(UNDO_SHORTCUT, self.undo)
        self.redo_action = self._shortcut(REDO_SHORTCUT, self.redo)

        self.next_button = action_button(NEXT_UNANSWERED, "nextUnanswered", self.next_unanswered)
        self.undo_button = action_button(UNDO_BUTTON, "undo", self.undo)
        self.redo_button = action_button(REDO_BUTTON, "redo", self.redo)
        self.undo_stack.indexChanged.connect(self._update_undo_buttons)
        self.undo_stack.cleanChanged.connect(self._update_undo_buttons)

        tools = QHBoxLayout()
        tools.addWidget(self.filter)
        tools.addWidget(self.goto, 1)
        tools.addWidget(self.next_button)
        tools.addWidget(self.undo_button)
        tools.addWidget(self.redo_button)

        self.tree = QTreeView()
        self.tree.setObjectName("checklistTree")
        self.tree.setAccessibleName(tr_label(CHECKLIST_TREE_NAME))
        self.tree.setUniformRowHeights(True)
        self.tree.setAllColumnsShowFocus(True)
        self._show_model(self.model)
        self.tree.installEventFilter(self)
        self.tree.viewport().setAcceptDrops(True)
        self.tree.viewport().installEventFilter(self)

        self.heading = wrapping_label("itemHeading")
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
        self.withdraw_button = QPushButton(tr_label(WITHDRAW_BUTTON))
        self.withdraw_button.setObjectName("withdraw")
        self.withdraw_button.clicked.connect(lambda: self.withdraw())
        self.result_row.addStretch(1)
        self.withdraw_row = QHBoxLayout()
        self.withdraw_row.addWidget(self.withdraw_button)
        self.withdraw_row.addStretch(1)
        self.requires_label = self._text_label("requires")
        self.refusal = self._text_label("refusal")
        self.refusal.setStyleSheet("color: #b00020;")
        self.saved_label = StatusLine("saved")

        self.note = QPlainTextEdit()
        self.note.setObjectName("note")
        self.note.setAccessibleName(tr_label(NOTE_NAME))
        self.note.setTabChangesFocus(True)
        self.note.setAcceptDrops(False)  # a dropped photo goes to the pane, not into the text
        self.note.setMinimumHeight(90)
        self.note.installEventFilter(self)

        self.photo_button = QPushButton(tr_label(ADD_PHOTO))
        self.photo_button.setObjectName("addPhoto")
        self.photo_button.clicked.connect(lambda: self.add_photo())
        self.photo_count = QLabel()
        self.photo_count.setObjectName("photoCount")
        photos = QHBoxLayout()
        photos.addWidget(self.photo_button)
        photos.addWidget(self.photo_count)
        photos.addStretch(1)
        self.photo_strip = PhotoStrip(self.services.workspace)
        self.photo_strip.files_dropped.connect(self._files_dropped)
        self.assessor_label = StatusLine("assessor")

        self.detail = QWidget()
        self.detail.setObjectName("detail")
        self.detail.setAcceptDrops(True)
        self.detail.installEventFilter(self)
        pane = QVBoxLayout(self.detail)
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
        pane.addLayout(self.withdraw_row)
        pane.addWidget(self.requires_label)
        pane.addWidget(self.refusal)
        note_title = QLabel(tr_label(NOTE_LABEL))
        note_title.setBuddy(self.note)
        pane.addWidget(note_title)
        pane.addWidget(self.note, 1)
        pane.addLayout(photos)
        pane.addWidget(self.photo_strip)
        pane.addWidget(self.assessor_label)
        pane.addWidget(self.saved_label)

        # A long requirement or guidance wraps and the pane scrolls: nothing is clipped.
        self.detail_scroll = QScrollArea()
        self.detail_scroll.setObjectName("detailScroll")
        self.detail_scroll.setWidgetResizable(True)
        self.detail_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.detail_scroll.setWidget(self.detail)

        splitter = QSplitter()
        splitter.addWidget(self.tree)
        splitter.addWidget(self.detail_scroll)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        top = QHBoxLayout()
        top.addWidget(self.verdict_label, 1)
        top.addWidget(self.progress_label)
        top.addWidget(self.conclude_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.conclude_label)
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
        self._update_undo_buttons()

    def _show_model(self, model: ChecklistModel | ChecklistFilter) -> None:
        """Show every item straight from the model, or through the filter while one is chosen
        (a proxy over 300 items costs the opening and each refresh more than it should)."""
        old = self.tree.selectionModel()
        self.tree.setModel(model)
        if old is not None:  # the tree made a new one for the model
            old.blockSignals(True)
            old.deleteLater()
        self.tree.expandAll()
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, header.ResizeMode.Stretch)
        # The result column fits the longest result label: measured once, not over every row
        # at each change (which a 300-item checklist would feel at every key).
        metrics = self.tree.fontMetrics()
        texts = [self.model.result_text(v) for v in RESULT_LABELS] + [
            tr_label(NO_RESULT),
            tr_label(CHECKLIST_HEADERS[1]),
        ]
        header.setSectionResizeMode(1, header.ResizeMode.Fixed)
        header.resizeSection(1, max(metrics.horizontalAdvance(t) for t in texts) + 24)
        self.tree.selectionModel().currentChanged.connect(self._current_changed)

    def _to_source(self, index: QModelIndex) -> QModelIndex:
        """Return the model's index of an index of the tree."""
        return self.proxy.mapToSource(index) if self.tree.model() is self.proxy else index

    def view_index(self, source: QModelIndex) -> QModelIndex:
        """Return the tree's index of an index of the model (invalid when filtered out)."""
        return self.proxy.mapFromSource(source) if self.tree.model() is self.proxy else source

    def _text_label(self, name: str) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def _shortcut(self, keys: str, slot: Callable[[], object]) -> QAction:
        action = QAction(self)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    # Who may edit -----------------------------------------------------------------------------

    def update_access(self) -> None:
        """Enable editing for the signed-in reviewer's member of the team, or say why not."""
        try:
            reviewer = self.services.signed_in()
        except RuleViolation:
            reviewer = None
        self.member = None
        self.reviewer_name = reviewer.name if reviewer else ""
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
        for widget in (*self.result_buttons, self.withdraw_button, self.photo_button):
            widget.setEnabled(editable)
            widget.setToolTip("" if editable else self.read_only_reason)
        self.note.setReadOnly(not editable)
        self.note.setToolTip("" if editable else self.read_only_reason)
        member_id = self.member.id if self.member else None
        if self.proxy.mode == ChecklistFilter.MINE and self.proxy.member_id != member_id:
            self._filter_changed(self.filter.currentIndex())  # "mine" is someone else now
        self._update_conclusion()

    @property
    def editable(self) -> bool:
        """Whether the signed-in reviewer may record results here now."""
        return not self.read_only_reason and self.member is not None

    # Showing ----------------------------------------------------------------------------------

    def current_item(self) -> FormItem | None:
        """Return the item shown in the detail pane, or None."""
        return self.form.item(self.current_code) if self.current_code else None

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._settle_views()
        self._save_note()
        item = self.model.item_at(self._to_source(current))
        self.current_code = item.code if item else None
        self._show_item()

    def _show_item(self) -> None:
        self.refusal.clear()
        if self.photo_jobs == 0:
            self.saved_label.clear()
        self._show_item_content()

    def _show_item_content(self) -> None:
        """Show the current item in the detail pane (the messages below it stay)."""
        item = self.current_item()
        if item is None:
            self.heading.setText("")
            for label in (self.requirement, self.guidance, self.clause, self.requires_label):
                label.clear()
            for button in self.result_buttons:
                button.hide()
            self.note.setPlainText("")
            self.photo_count.clear()
            self.photo_strip.show_photos("", ())
            self.photo_strip.hide()
            self.assessor_label.clear()
            return
        veto = tr_label(VETO_MARK) if item.veto else ""
        self.heading.setText(f"{tr_label(ITEM_HEADING).format(code=item.code)} {veto}")
        self.requirement.setText(item.requirement)
        self.guidance.setText(item.guidance)
        self.clause.setText(item.clause)
        stored = self.model.results.get(item.code)
        result = self.model.answered(item.code)
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
                listed = tr_label(LIST_JOIN).join(what)
                needs.append(tr_label(REQUIRES_LINE).format(result=shown, what=listed))
        self.requires_label.setText(tr_label(CLAUSE_JOIN).join(needs))
        self._fit_detail_width()
        note = stored.note if stored else ""
        if note != self.note.toPlainText():  # a new document relays the pane out
            self.note.setPlainText(note)
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

    def _fit_detail_width(self) -> None:
        """Keep the detail pane at least as wide as its widest row (the result buttons, whose
        width depends on the language): it scrolls down, never sideways."""
        shown = [b for b in self.result_buttons if not b.isHidden()]
        margins = self.detail.layout().contentsMargins()  # type: ignore[union-attr]
        needed = (
            sum(b.sizeHint().width() for b in shown)
            + max(self.result_row.spacing(), 0) * len(shown)
            + margins.left()
            + margins.right()
            + self.detail_scroll.verticalScrollBar().sizeHint().width()
            + 2 * self.detail_scroll.frameWidth()
        )
        if needed > self.detail_scroll.minimumWidth():
            self.detail_scroll.setMinimumWidth(needed)

    def _evidence(self, code: str) -> tuple[str, ...]:
        stored = self.model.results.get(code)
        return stored.evidence if stored else ()

    def _show_evidence(self) -> None:
        code = self.current_code
        evidence = self._evidence(code) if code else ()
        self.photo_count.setText(tr_label(PHOTO_COUNT).format(count=len(evidence)))
        if code is not None and (
            code != self.photo_strip.code or evidence != self.photo_strip.hashes()
        ):
            self.photo_strip.show_photos(code, evidence)
        self.photo_strip.setVisible(bool(evidence))

    def current_verdict(self) -> Verdict:
        """Return the verdict the results lead to now."""
        results = {code: r.result for code, r in self.model.results.items()}
        return verdict(self.form, results)

    def _refresh_views_soon(self) -> None:
        """Update the detail pane, the message below it, the verdict, progress and conclusion
        on a later pass of the event loop: the key's own pass only stores the edit and
        repaints its row. Edits made meanwhile share the one update."""
        if not self._views_timer.isActive():
            self._views_timer.start()

    @property
    def views_pending(self) -> bool:
        """Whether an edit's refresh of the pane, verdict and progress is still to come."""
        return self._views_timer.isActive() or self._summary_timer.isActive()

    def _settle_views(self) -> None:
        """Do a pending refresh now: what reads the pane (the note, the buttons) or moves
        away from the item must see it as stored, not as it was before the edit."""
        if self._views_timer.isActive():
            self._refresh_views()
        if self._summary_timer.isActive():
            self._deferred_summary()

    def _refresh_views(self) -> None:
        self._views_timer.stop()
        if self._detail_due:
            self._detail_due = False
            text = self.note.toPlainText()
            # A note being typed, or typed since the edit, stays as it is.
            keep = self.note.hasFocus() or text != self._note_at_edit
            self._show_item_content()
            if keep:
                self.note.setPlainText(text)
        if self._said_when_saved:
            if self._unconfirmed:
                self.saved_label.setText(tr_label(SAVING))
            else:
                self.saved_label.setText(self._said_when_saved)
                self._said_when_saved = ""
        self._summary_timer.start()  # a pass of its own, after this one's paint

    def _deferred_summary(self) -> None:
        self._summary_timer.stop()
        self._update_summary()

    def _update_summary(self) -> None:
        self.outcome = outcome = self.current_verdict()
        self.verdict_label.setText(tr_label(VERDICT_LINE).format(verdict=outcome.explain()))
        self.progress_label.setText(
            tr_label(PROGRESS).format(
                recorded=self.model.answered_count(), total=len(self.form.items())
            )
        )
        self._update_conclusion(outcome)

    # Moving -----------------------------------------------------------------------------------

    def select_code(self, code: str) -> bool:
        """Show the item with this code (clearing a filter that hides it); False if none."""
        source = self.model.index_of(code)
        if not source.isValid():
            return False
        index = self.view_index(source)
        if not index.isValid():
            self.filter.setCurrentIndex(ChecklistFilter.ALL)
            index = self.view_index(source)
        self.tree.setCurrentIndex(index)
        self.tree.scrollTo(index)
        return True

    def next_unanswered(self) -> bool:
        """Go to the next item without a result after the one shown (wrapping round)."""
        items = [item.code for item in self.form.items()]
        start = items.index(self.current_code) + 1 if self.current_code in items else 0
        for code in items[start:] + items[:start]:
            if self.model.answered(code) is None:
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
        shown = self.model if mode == ChecklistFilter.ALL else self.proxy
        if self.tree.model() is not shown:
            self._show_model(shown)
        else:
            self.tree.expandAll()
        if self.current_code is not None:
            index = self.view_index(self.model.index_of(self.current_code))
            if index.isValid():
                self.tree.setCurrentIndex(index)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.KeyPress, QEvent.Type.FocusOut):
            self._settle_views()  # a key that follows an edit at once sees it in the pane
        if watched is self.note and kind == QEvent.Type.FocusOut:
            self._save_note()
        elif watched in (self.detail, self.tree.viewport()) and kind in (
            QEvent.Type.DragEnter,
            QEvent.Type.DragMove,
        ):
            accept_file_drag(event)  # type: ignore[arg-type]
            return True
        elif watched in (self.detail, self.tree.viewport()) and kind == QEvent.Type.Drop:
            self._dropped(watched, event)
            return True
        elif (
            watched is self.tree or watched in self.result_buttons
        ) and kind == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            modifiers = event.modifiers()  # type: ignore[attr-defined]
            if modifiers & ~Qt.KeyboardModifier.KeypadModifier:
                return False
            if key in RESULT_KEYS:
                self.choose_result_number(RESULT_KEYS.index(key))
                return True
            if key in WITHDRAW_KEYS:
                self.withdraw()
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
        self._settle_views()
        return self.record(item.code, item.allowed_results[number], self.note.toPlainText())

    def record(self, code: str, result: str, note: str) -> bool:
        """Record a result with its note (and the item's photos); show the domain's refusal.

        Returns:
            Whether the result was saved.
        """
        if self.form.item(code) is None or not self.editable:
            return False
        after = ItemState(result, note, self._evidence(code))
        shown = tr_label(RESULT_LABELS.get(result, result))
        if not self.edit(code, after, EditName(EDIT_RESULT, code, result)):
            return False
        if code == self.current_code:
            self._say_saved(tr_label(SAVED).format(code=code, result=shown))
        return True

    def withdraw(self, code: str | None = None) -> bool:
        """Take the item's result back to "no result" (撤回评定); False when refused."""
        code = code or self.current_code
        if code is None or not self.editable:
            return False
        stored = ItemState.of(self.model.results.get(code))
        after = replace(stored, result=checklist.NO_RESULT)
        if not self.edit(code, after, EditName(EDIT_WITHDRAW, code), withdraw=True):
            return False
        if code == self.current_code:
            self._say_saved(tr_label(WITHDRAWN).format(code=code))
        return True

    def edit(self, code: str, after: ItemState, name: EditName, *, withdraw: bool = False) -> bool:
        """Save what item `code` says now, as one undoable edit named `name`.

        Returns:
            Whether it was saved (nothing to save counts as saved); a refusal is shown.
        """
        before = ItemState.of(self.model.results.get(code))
        if after == before and not withdraw:
            return True
        if withdraw:
            reason = self._run(
                lambda steps: steps.withdraw_result(self.case_id, code), confirm_later=True
            )
        else:
            reason = self.write_state(code, after)
        if reason is not None:
            self._refused(code, reason)
            return False
        saved = ItemState.of(self.model.results.get(code))
        if not self._replaying:
            self.undo_stack.push(ItemEdit(code, before, saved, name, self.undo_stack))
        return True

    def write_state(self, code: str, state: ItemState) -> str | None:
        """Write a new version of item `code`'s result saying `state`, by the signed-in member.

        Returns:
            None when saved, else why not (the domain's words).
        """
        if not self.editable or self.member is None:
            return self.read_only_reason or tr_label(READ_ONLY_NOT_SIGNED_IN)
        stored = self.model.results.get(code)
        record = ChecklistResult(
            stored.id if stored else new_id(),
            self.case_id,
            code,
            state.result,
            state.note,
            self.member.id,
            self.services.clock(),
            state.evidence,
        )
        return self._run(lambda steps: steps.record_result(record), confirm_later=True)

    def _run(
        self, step: Callable[[Casework], Change], *, confirm_later: bool = False
    ) -> str | None:
        """Run one step; show what it changed, or return why it was refused.

        With `confirm_later`, the step commits without waiting for the disk and the items it
        wrote show as being saved until the flusher confirms them.
        """
        steps = self.services.steps()
        try:
            if confirm_later:
                with commit_without_sync(self.services.workspace.db):
                    change = step(steps)
            else:
                change = step(steps)
        except (RuleViolation, WorkspaceError) as error:
            if isinstance(error, RuleViolation):
                return "\n".join(p.message for p in error.problems)
            return str(error)
        codes = self.apply(change, confirm_later=confirm_later)
        if confirm_later:
            versions = {s.record_id: s.version_id for s in change.of("checklist_result")}
            self._confirm_on_disk([(code, versions[self.model.results[code].id]) for code in codes])
        return None

    # Saved on disk ----------------------------------------------------------------------------

    def is_saving(self, code: str) -> bool:
        """Whether an edit of item `code` is written but not yet confirmed on disk."""
        return code in self._unconfirmed

    @property
    def saving(self) -> bool:
        """Whether any edit of the page is not yet confirmed on disk."""
        return bool(self._unconfirmed)

    def _confirm_on_disk(self, written: list[tuple[str, str]]) -> None:
        """Mark the items just written (code, version id) as being saved; ask the flusher to
        confirm them."""
        if not written:
            return
        for code, _version in written:
            self._unconfirmed[code] = self._unconfirmed.get(code, 0) + 1
            self.model.set_saving(code, True)
        if self._flusher is None:
            wal = wal_path(self.services.workspace.db)
            if self._background_flush:
                flusher = WalFlusher(wal)
                self.destroyed.connect(lambda *_args: flusher.stop())
                self._flusher = flusher
            else:
                self._flusher = ImmediateFlusher(wal)
        self._flusher.request(lambda error: self._confirmed(written, error))

    def _confirmed(self, written: list[tuple[str, str]], error: Exception | None) -> None:
        if not is_alive(self):  # the window closed meanwhile: nothing left to show it in
            return
        codes = [code for code, _version in written]
        for code in codes:
            left = self._unconfirmed.get(code, 0) - 1
            if left > 0:
                self._unconfirmed[code] = left
                continue
            self._unconfirmed.pop(code, None)
            self.model.set_saving(code, False)
        if error is not None:
            self._said_when_saved = ""
            self.saved_label.clear()
            self.refusal.setText(
                "\n".join(tr_label(FLUSH_FAILED).format(code=c, error=error) for c in codes)
            )
            return
        if not self._unconfirmed and self._said_when_saved and not self._views_timer.isActive():
            self.saved_label.setText(self._said_when_saved)
            self._said_when_saved = ""
        self.confirmed.emit(written)

    def _say_saved(self, text: str) -> None:
        """Say `text` (an edit's acknowledgement) below the item once the disk has confirmed
        every edit, "saving…" until then (from the views' next refresh)."""
        self._said_when_saved = text
        self._refresh_views_soon()

    def _refused(self, code: str, message: str) -> None:
        if code != self.current_code:
            self.select_code(code)
        stored = self.model.answered(code)
        item = self.current_item()
        for number, button in enumerate(self.result_buttons):
            value = (
                item.allowed_results[number] if item and number < len(item.allowed_results) else ""
            )
            button.setChecked(stored is not None and stored.result == value)
        self.saved_label.clear()
        self.refusal.setText(message)

    def apply(self, change: Change, *, confirm_later: bool = False) -> list[str]:
        """Refresh from what a step changed: the results it wrote, the verdict, the progress;
        return the codes of the items it wrote.

        Only the items the change names are read again; a change of the case's status (the
        conclusion) reads the case again, since who may edit follows from it. The verdict and
        progress of results alone follow on the next turn of the event loop.
        """
        codes = []
        for saved in change.of("checklist_result"):
            result = self.services.queries.checklist_result(saved.record_id)
            if result is not None:
                if confirm_later:  # grey from the first paint that shows it
                    self.model.saving.add(result.item_code)
                self.model.set_result(result)
                codes.append(result.item_code)
        if change.status_after != self.state.case.status:
            self.state = self.services.queries.case_file(self.case_id)
            self.update_access()
            self._update_summary()
            if self.current_code is not None:
                self._show_item()
        else:
            self.refusal.clear()
            if self.current_code in codes and not self._detail_due:
                self._detail_due = True
                self._note_at_edit = self.note.toPlainText()
            self._refresh_views_soon()
        self.changed.emit(change)
        return codes

    def save_pending(self) -> None:
        """Save the note being typed now, as leaving the field would (before the window is
        rebuilt in another language)."""
        self._save_note()

    def _save_note(self) -> None:
        """Save the note of the item shown when it differs from the stored one (an item
        without a result keeps its note in a version that says "no result")."""
        code = self.current_code
        if code is None or not self.editable or self._replaying:
            return
        self._settle_views()
        state = ItemState.of(self.model.results.get(code))
        note = self.note.toPlainText()
        if note != state.note:
            self.edit(code, replace(state, note=note), EditName(EDIT_NOTE, code))

    # Undo and redo ----------------------------------------------------------------------------

    def undo(self) -> None:
        """Undo the page's last saved edit (a pending note is saved first, then undone)."""
        self._save_note()
        self._replay(self.undo_stack.undoText(), self.undo_stack.undo, UNDONE)

    def redo(self) -> None:
        """Redo the edit last undone (a pending note is saved first: a new edit, after which
        there is nothing to redo — typed text is never lost)."""
        self._save_note()
        self._replay(self.undo_stack.redoText(), self.undo_stack.redo, REDONE)

    def take_history(self, old: ChecklistPage) -> None:
        """Carry on the undo history of `old`, the same case's page that this one replaces
        (rebuilt in another language): Ctrl+Z here undoes the edits made there, named in the
        language shown now. `old` is left with an empty history."""
        history = old.undo_stack
        history.indexChanged.disconnect(old._update_undo_buttons)
        history.cleanChanged.disconnect(old._update_undo_buttons)
        old.undo_stack = EditHistory(old)  # not served: `old` is about to close
        own = self.undo_stack
        own.indexChanged.disconnect(self._update_undo_buttons)
        own.cleanChanged.disconnect(self._update_undo_buttons)
        own.deleteLater()
        history.setParent(self)
        history.serve(self._write_again, self._undo_refused)
        history.retranslate()
        self.undo_stack = history
        history.indexChanged.connect(self._update_undo_buttons)
        history.cleanChanged.connect(self._update_undo_buttons)
        self._update_undo_buttons()

    def _replay(self, text: str, step: Callable[[], None], done: str) -> None:
        if not text or not self.editable:
            return
        self.refusal.clear()
        self._replaying = True
        self._replay_refused = False
        try:
            step()
        finally:
            self._replaying = False
        if not self._replay_refused:
            self._say_saved(tr_label(done).format(what=text))

    def _write_again(self, code: str, state: ItemState) -> str | None:
        if code != self.current_code:
            self.select_code(code)
        return self.write_state(code, state)

    def _undo_refused(self, text: str, reason: str) -> None:
        self._replay_refused = True
        self.saved_label.clear()
        self.refusal.setText(tr_label(UNDO_REFUSED).format(what=text, reason=reason))

    def _update_undo_buttons(self) -> None:
        for button, action, can, text, tip in (
            (
                self.undo_button,
                self.undo_action,
                self.undo_stack.canUndo(),
                self.undo_stack.undoText(),
                UNDO_TIP,
            ),
            (
                self.redo_button,
                self.redo_action,
                self.undo_stack.canRedo(),
                self.undo_stack.redoText(),
                REDO_TIP,
            ),
        ):
            button.setEnabled(can)
            action.setEnabled(can)
            button.setToolTip(tr_label(tip).format(what=text) if can else "")

    # Photos -----------------------------------------------------------------------------------

    def add_photo(self, chooser: Callable[[QWidget], Path | None] | None = None) -> bool:
        """Ask for a photo file and attach it to the item shown; False when none was taken."""
        item = self.current_item()
        if item is None or not self.editable:
            return False
        path = (chooser or choose_photo)(self)
        if path is None:
            return False
        return self.attach_photos([path], item.code)

    def _files_dropped(self, paths: list[Path]) -> None:
        if self.current_code is not None:
            self.attach_photos(paths, self.current_code)

    def _dropped(self, watched: QObject, event: QEvent) -> None:
        files = dropped_files(event.mimeData())  # type: ignore[attr-defined]
        code = self.current_code
        if watched is self.tree.viewport():
            position = event.position().toPoint()  # type: ignore[attr-defined]
            item = self.model.item_at(self._to_source(self.tree.indexAt(position)))
            code = item.code if item else None
            if code is not None:
                self.select_code(code)
        if not files or code is None:
            event.ignore()
            return
        event.acceptProposedAction()  # type: ignore[attr-defined]
        self.attach_photos(files, code)

    def attach_photos(self, paths: list[Path], code: str) -> bool:
        """Check and store photo files off the UI thread, then attach them to item `code` as
        one undoable edit. A file that is not a photo stores nothing and says so.

        Returns:
            Whether the photos were handed to the background runner.
        """
        if not self.editable or self.form.item(code) is None or not paths:
            if self.read_only_reason:
                self.refusal.setText(self.read_only_reason)
            return False
        actor = self.services.acting_reviewer().actor
        job = store_photos_job(paths, actor, self.services.clock())
        self.photo_jobs += 1
        self.refusal.clear()
        self.saved_label.setText(tr_label(PHOTO_STORING).format(count=len(paths)))
        self._runner().submit(job, lambda hashes, error: self._photos_stored(code, hashes, error))
        return True

    def _photos_stored(
        self, code: str, hashes: tuple[str, ...] | None, error: Exception | None
    ) -> None:
        if not is_alive(self):  # the window closed while the photos were stored
            return
        self.photo_jobs -= 1
        self.saved_label.clear()
        if error is not None or hashes is None:
            if isinstance(error, PhotoRejected):
                label = PHOTO_UNREADABLE if error.error else PHOTO_NOT_IMAGE
                message = tr_label(label).format(name=error.name, error=error.error)
            else:
                message = tr_label(PHOTO_NOT_SAVED).format(error=error)
            self._refused(code, message)
            return
        state = ItemState.of(self.model.results.get(code))
        if code == self.current_code and not self.note.isReadOnly():
            state = replace(state, note=self.note.toPlainText())
        evidence = state.evidence + tuple(
            h for h in dict.fromkeys(hashes) if h not in state.evidence
        )
        self.edit(code, replace(state, evidence=evidence), EditName(EDIT_PHOTO, code))

    # The conclusion ---------------------------------------------------------------------------

    def _update_conclusion(self, outcome: Verdict | None = None) -> None:
        """Enable the conclusion for the leader of a complete checklist, or say why not."""
        if self.reviewer_name == "":
            reason = tr_label(READ_ONLY_NOT_SIGNED_IN)
        else:
            problems = checklist.concluder_problems(
                self.state.case.status,
                self.member,
                self.reviewer_name,
                self.state.filings,
                self.state.members,
                self.state.declarations,
                outcome or self.outcome,
            )
            reason = "；".join(p.message for p in problems)
        self.conclude_reason = reason
        text = tr_label(CONCLUDE_CANNOT).format(reason=reason) if reason else ""
        self.conclude_button.setEnabled(not reason)
        self.conclude_button.setToolTip(text)
        # Once nobody may record, the read-only reason already says why. The line keeps its
        # place when empty: the last result's conclusion then repaints one line, not the page.
        self.conclude_label.setText("" if self.read_only_reason else text)

    def conclude(self, confirm: Callable[[ConclusionDialog], bool] | None = None) -> bool:
        """Conclude the review (作出核查结论) after the leader confirmed the verdict shown with
        its reasons; return whether it was concluded."""
        self._save_note()
        outcome = self.current_verdict()
        self._update_conclusion(outcome)
        if self.conclude_reason:
            self.refusal.setText(self.conclude_reason)
            return False
        self.conclusion_dialog = ConclusionDialog(outcome, self)
        try:
            if not (confirm or ask_conclusion)(self.conclusion_dialog):
                return False
        finally:
            self.conclusion_dialog.deleteLater()
            self.conclusion_dialog = None
        reason = self._run(lambda steps: steps.conclude(self.case_id))
        if reason is not None:
            self.refusal.setText(reason)
            return False
        self.undo_stack.clear()  # results cannot change any more
        self.saved_label.setText(tr_label(CONCLUDED).format(outcome=outcome_label(outcome)))
        return True
