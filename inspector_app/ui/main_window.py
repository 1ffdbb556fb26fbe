"""The main window: the workspace's cases, searched, filtered and sorted; signing in; importing
case files (by a file dialog or by dropping one on the window)."""

from __future__ import annotations

import heapq
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from inspector_app.core.case_record import CaseStatus
from inspector_app.core.errors import RuleViolation
from inspector_app.labels import (
    ALL_STATUSES,
    APP_TITLE,
    CASE_COUNT,
    CASE_COUNT_SHOWN,
    CASE_FILE_FILTER,
    CASE_TABLE_NAME,
    CONFLICTS_ACTION,
    DROP_ONLY_CASE_FILES,
    EXPORT_ACTION,
    FILE_MENU,
    FIND_ACTION,
    IMPORT_ACTION,
    IMPORT_BUSY,
    IMPORT_DIALOG_TITLE,
    IMPORT_NEEDS_SIGN_IN,
    IMPORT_TIP,
    IMPORTED,
    IMPORTING,
    MINE_NEEDS_SIGN_IN,
    MINE_ONLY,
    NEW_CASE_ACTION,
    NEW_CASE_CREATED,
    NEW_CASE_NEEDS_SIGN_IN,
    NEW_CASE_TIP,
    NO_REVIEWER,
    QUIT_ACTION,
    REFRESH_ACTION,
    REVIEWER_NAME_UNIT,
    REVIEWER_PREFIX,
    SEARCH_NAME,
    SEARCH_PLACEHOLDER,
    SETTINGS_ACTION,
    SETTINGS_SAVED,
    SIGN_IN_ACTION,
    STATUS_FILTER_NAME,
    STATUS_LABELS,
    SUMMARY_LINE,
    TOOLBAR_NAME,
    URGENT_FIRST,
    URGENT_FIRST_TIP,
)
from inspector_app.store.errors import WorkspaceError
from inspector_app.ui.case_list import CASE_ID_ROLE, CaseListModel, show_cases
from inspector_app.ui.i18n import tr_label
from inspector_app.ui.preferences import UserPreferences
from inspector_app.ui.qt import (
    QAction,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:  # imported when first used: starting the app does not wait for them
    from inspector_app.app import Services
    from inspector_app.core.model import Reviewer
    from inspector_app.store.case_rows import CaseRows
    from inspector_app.store.casework import Change
    from inspector_app.ui.case_import import ImportedCase
    from inspector_app.ui.case_window import CaseWindow
    from inspector_app.ui.conflicts_dialog import ConflictsDialog
    from inspector_app.ui.export_dialog import ExportDialog
    from inspector_app.ui.intake import IntakeDialog
    from inspector_app.ui.language_switch import LanguageSwitch
    from inspector_app.ui.qt import (
        QDragEnterEvent,
        QDropEvent,
        QMessageBox,
        QMimeData,
        QModelIndex,
    )
    from inspector_app.ui.settings_dialog import SettingsDialog
    from inspector_app.ui.sign_in import SignInDialog
    from inspector_app.ui.sync_panel import SyncPanel
    from inspector_app.ui.tasks import Runner

WIDEST_SAMPLE = 20
"""How many of a column's widest-looking texts (by their UTF-8 length) are weighed to size it."""

IMPORT_SHORTCUT = "Ctrl+I"
"""The keyboard shortcut of "import a case file"."""

SETTINGS_SHORTCUT = "Ctrl+,"
"""The keyboard shortcut of the settings screen (as in most desktop apps)."""

CASE_FILE_SUFFIX = ".json"


def fit_columns(table: QTableView, model: CaseListModel) -> None:
    """Size each column to its header and its widest texts, as Qt's ResizeToContents would.

    ResizeToContents asks the model for every cell (and again at each layout), which takes
    most of a second with 1,000 cases; here only the texts that look widest (by their UTF-8
    length: CJK wider than Latin) are weighed in the table's font, and the widest of them is
    given a cell's margins, as the first row's cell has them; the person can still drag a
    column wider. The rows are not worked out for it (`CaseListModel.sizing_texts`). `table`
    shows `model` through a proxy or not.
    """
    view_model = table.model()
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    grid = 1 if table.showGrid() else 0
    advance = table.fontMetrics().horizontalAdvance
    for column in range(model.columnCount()):
        texts = model.sizing_texts(column)
        lengths = list(map(len, map(str.encode, texts)))  # counted in C
        sample = heapq.nlargest(WIDEST_SAMPLE, range(len(texts)), key=lengths.__getitem__)
        widest = max((advance(texts[row]) for row in sample), default=0)
        first = view_model.index(0, column)
        if first.isValid():  # the style's margins around a cell's text, and 1 for rounding
            widest += table.sizeHintForIndex(first).width() - advance(str(first.data() or "")) + 1
        header.resizeSection(column, max(header.sectionSizeHint(column), widest) + grid)


def choose_case_file(parent: QWidget) -> Path | None:
    """Ask for a case file to import; return its path, or None when the person cancelled.

    Module-level so that tests replace it (a native file dialog cannot be driven).
    """
    from inspector_app.ui.qt import QFileDialog

    name, _filter = QFileDialog.getOpenFileName(
        parent, tr_label(IMPORT_DIALOG_TITLE), "", tr_label(CASE_FILE_FILTER)
    )
    return Path(name) if name else None


def dropped_case_file(mime: QMimeData) -> Path | None:
    """Return the case file dropped, when exactly one local `.json` file is dropped."""
    urls = mime.urls() if mime.hasUrls() else []
    if len(urls) != 1 or not urls[0].isLocalFile():
        return None
    path = Path(urls[0].toLocalFile())
    return path if path.suffix.lower() == CASE_FILE_SUFFIX else None


class MainWindow(QMainWindow):
    """Shows the cases of one workspace; the signed-in reviewer imports case files.

    Args:
        services: The composition root's services (workspace, clock, queries, who is signed
            in). The window reads the case list through `services.queries`. None to paint the
            case list first (`rows`, `workspace_label`) and `attach` the services right after:
            until then the window shows, filters and sorts the list, and everything else
            (opening a case, signing in, the menu's actions, the sync panel) waits, disabled.
        make_runner: Makes the background runner on first use (so that starting the app does
            not wait for the worker's connection): a `TaskRunner` in the app, an
            `ImmediateRunner` in tests.
        workspace_label: How the title names the workspace (default: its folder).
        preferences: The person's preferences, which the settings screen changes (default:
            the user's own, `UserPreferences.for_user()`, read when the screen opens).
        rows: Without `services`: the case list (`store.case_rows.case_rows`, what
            `services.queries.case_list()` returns).
    """

    services: Services
    sync_panel: SyncPanel

    def __init__(
        self,
        services: Services | None,
        make_runner: Callable[[], Runner],
        *,
        workspace_label: str | None = None,
        preferences: UserPreferences | None = None,
        rows: CaseRows | None = None,
    ) -> None:
        super().__init__()
        self.preferences = preferences
        self.settings_dialog: SettingsDialog | None = None
        self._make_runner = make_runner
        self._runner: Runner | None = None
        self._importing = False
        self.message_box: QMessageBox | None = None
        self.sign_in_dialog: SignInDialog | None = None
        self.intake_dialog: IntakeDialog | None = None
        self.export_dialog: ExportDialog | None = None
        self.conflicts_dialog: ConflictsDialog | None = None
        self.case_windows: dict[str, CaseWindow] = {}
        self.ready = False
        """Whether the services are attached (then the whole window works)."""
        if services is not None:
            workspace_label = workspace_label or str(services.workspace.folder)
            rows = services.queries.case_list()
        if rows is None or workspace_label is None:
            raise ValueError("a window without services is given its rows and its label")
        self.workspace_label = workspace_label  # a rebuilt window names it alike
        self.setWindowTitle(f"{tr_label(APP_TITLE)} — {workspace_label}")
        self.setAcceptDrops(True)

        self.model = CaseListModel(rows)
        self.table = QTableView()
        self.table.setObjectName("caseTable")
        self.table.setAccessibleName(tr_label(CASE_TABLE_NAME))
        self.proxy = show_cases(self.table, self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        # Every row is one line: Qt need not measure rows to lay them out.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        fit_columns(self.table, self.model)
        header.setStretchLastSection(True)

        self.summary = QLabel()
        self.summary.setObjectName("summary")

        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText(tr_label(SEARCH_PLACEHOLDER))
        self.search.setAccessibleName(tr_label(SEARCH_NAME))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._search_changed)

        self.status_filter = QComboBox()
        self.status_filter.setObjectName("statusFilter")
        self.status_filter.setAccessibleName(tr_label(STATUS_FILTER_NAME))
        self.status_filter.addItem(tr_label(ALL_STATUSES), None)
        for status in CaseStatus:
            self.status_filter.addItem(tr_label(STATUS_LABELS[status]), status.value)
        self.status_filter.currentIndexChanged.connect(self._status_changed)

        self.mine = QCheckBox(tr_label(MINE_ONLY))
        self.mine.setObjectName("mine")
        self.mine.toggled.connect(self._mine_changed)

        self.urgent_first = QCheckBox(tr_label(URGENT_FIRST))
        self.urgent_first.setObjectName("urgentFirst")
        self.urgent_first.setToolTip(tr_label(URGENT_FIRST_TIP))
        self.urgent_first.toggled.connect(self.proxy.set_urgent_first)

        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        filters.addWidget(self.status_filter)
        filters.addWidget(self.mine)
        filters.addWidget(self.urgent_first)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self.summary)
        layout.addLayout(filters)
        layout.addWidget(self.table)
        self.setCentralWidget(body)
        for first, second in (
            (self.search, self.status_filter),
            (self.status_filter, self.mine),
            (self.mine, self.urgent_first),
            (self.urgent_first, self.table),
        ):
            QWidget.setTabOrder(first, second)

        self._build_actions()
        self.statusBar()  # there at the first paint; the sync panel comes into it
        self.resize(980, 520)
        if services is None:
            for action in self._actions_needing_services():
                action.setEnabled(False)
            self._reviewer_changed()
        else:
            self.attach(services)

    def _actions_needing_services(self) -> tuple[QAction, ...]:
        return (
            self.new_case_action,
            self.import_action,
            self.export_action,
            self.sign_in_action,
            self.refresh_action,
            self.conflicts_action,
            self.settings_action,
        )

    def attach(self, services: Services) -> None:
        """Give the window its services (once): the sync panel is built, and opening a case
        and the actions are enabled, as far as who is signed in allows. A window built with
        its services has them attached by its constructor."""
        if self.ready:
            raise RuntimeError("the window's services are attached already")
        from inspector_app.ui.sync_panel import SyncPanel

        self._set_qt_flags()
        self.services = services
        self.ready = True
        self.table.activated.connect(self._case_activated)  # double-click or Enter
        for action in self._actions_needing_services():
            action.setEnabled(True)
        self.sync_panel = SyncPanel(services, lambda: self.runner)
        self.sync_panel.synced.connect(lambda _report: self.refresh())
        self.sync_panel.conflicts_requested.connect(self.open_conflicts)
        self.statusBar().addPermanentWidget(self.sync_panel)
        self._reviewer_changed()

    def _set_qt_flags(self) -> None:
        """Set what is told in the `Qt` namespace's words: PySide6 builds the whole namespace
        (15 ms) the first time any of it is used, and the case list is painted without it
        (nothing here changes how the window looks; see `CaseListModel.header_labels`)."""
        from inspector_app.ui.qt import QKeySequence, Qt

        # No column is sorted at first (the store's order, newest acceptance first); a third
        # click on a header goes back to it.
        header = self.table.horizontalHeader()
        header.setSortIndicatorClearable(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        # A key sequence too: PySide6 builds the namespace to choose QKeySequence's constructor.
        keys = QKeySequence.StandardKey
        for action, shortcut in (
            (self.import_action, QKeySequence(IMPORT_SHORTCUT)),
            (self.refresh_action, QKeySequence(keys.Refresh)),
            (self.settings_action, QKeySequence(SETTINGS_SHORTCUT)),
            (self.quit_action, QKeySequence(keys.Quit)),
            (self.find_action, QKeySequence(keys.Find)),
        ):
            action.setShortcut(shortcut)

    # Actions ---------------------------------------------------------------------------------

    def _build_actions(self) -> None:
        self.import_action = QAction(tr_label(IMPORT_ACTION), self)
        self.import_action.setObjectName("importAction")
        self.import_action.triggered.connect(self.import_case_file)
        self.new_case_action = QAction(tr_label(NEW_CASE_ACTION), self)
        self.new_case_action.setObjectName("newCaseAction")
        self.new_case_action.triggered.connect(self.ask_new_case)
        self.sign_in_action = QAction(tr_label(SIGN_IN_ACTION), self)
        self.sign_in_action.setObjectName("signInAction")
        self.sign_in_action.triggered.connect(self.ask_sign_in)
        self.refresh_action = QAction(tr_label(REFRESH_ACTION), self)
        self.refresh_action.setObjectName("refreshAction")
        self.refresh_action.triggered.connect(self.refresh)
        self.settings_action = QAction(tr_label(SETTINGS_ACTION), self)
        self.settings_action.setObjectName("settingsAction")
        self.settings_action.triggered.connect(self.open_settings)
        self.quit_action = quit_action = QAction(tr_label(QUIT_ACTION), self)
        quit_action.triggered.connect(self.close)
        self.export_action = QAction(tr_label(EXPORT_ACTION), self)
        self.export_action.setObjectName("exportAction")
        self.export_action.triggered.connect(self.ask_export)
        self.conflicts_action = QAction(tr_label(CONFLICTS_ACTION), self)
        self.conflicts_action.setObjectName("conflictsAction")
        self.conflicts_action.triggered.connect(self.open_conflicts)
        self.find_action = QAction(tr_label(FIND_ACTION), self)
        self.find_action.triggered.connect(self._find)
        self.addAction(self.find_action)

        menu = self.menuBar().addMenu(tr_label(FILE_MENU))
        menu.setToolTipsVisible(True)  # a disabled action says why
        for action in (
            self.new_case_action,
            self.import_action,
            self.export_action,
            self.sign_in_action,
            self.refresh_action,
        ):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.conflicts_action)
        menu.addSeparator()
        menu.addAction(self.settings_action)
        menu.addSeparator()
        menu.addAction(quit_action)

        toolbar = QToolBar(tr_label(TOOLBAR_NAME), self)
        toolbar.setObjectName("toolbar")
        toolbar.setAccessibleName(tr_label(TOOLBAR_NAME))
        toolbar.setMovable(False)
        self.toolbar = toolbar
        toolbar.addAction(self.new_case_action)
        toolbar.addAction(self.import_action)
        toolbar.addAction(self.sign_in_action)
        self.addToolBar(toolbar)

    def open_settings(self) -> None:
        """Open the settings screen (window-modal); once saved, the list is read again (the
        time zone changes how deadlines are counted) and the status bar says so."""
        from inspector_app.ui.qt import Qt
        from inspector_app.ui.settings_dialog import SettingsDialog

        if self.preferences is None:
            self.preferences = UserPreferences.for_user()
        from inspector_app.ui.language_switch import switch_blockers

        dialog = SettingsDialog(self.services, self.preferences, self, blockers=switch_blockers)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.accepted.connect(self._settings_saved)
        self.settings_dialog = dialog
        dialog.open()

    def _settings_saved(self) -> None:
        self.refresh()
        self.statusBar().showMessage(tr_label(SETTINGS_SAVED))
        if self.settings_dialog is not None and self.settings_dialog.switch_to is not None:
            self.switch_language(self.settings_dialog.switch_to)

    # Live language switch (ui/language_switch.py) ---------------------------------------------

    def switch_language(self, language: str) -> LanguageSwitch:
        """Show the app in `language` ("zh" or "en") at once: the windows are rebuilt in it
        where they were, once no background work is under way; return the switch (its
        `finished` signal gives the main window shown afterwards)."""
        from inspector_app.ui.language_switch import LanguageSwitch

        waiting = getattr(self, "language_switch", None)
        if isinstance(waiting, LanguageSwitch) and waiting.pending:
            waiting.language = language  # the latest choice wins
            return waiting
        self.language_switch = LanguageSwitch(self, language)
        self.language_switch.start()
        return self.language_switch

    # End of the live language switch block ----------------------------------------------------

    def _find(self) -> None:
        from inspector_app.ui.qt import Qt

        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # The list --------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the case list again (after a change), keeping the selected case selected."""
        selected = self.selected_case_id()
        self.model.set_rows(self.services.queries.case_list())
        self.sync_panel.refresh()
        if self.conflicts_dialog is not None and self.conflicts_dialog.isVisible():
            self.conflicts_dialog.refresh()  # a sync may have brought or settled some
        if selected is not None:
            self.select_case(selected)
        self._update_summary()

    def selected_case_id(self) -> str | None:
        """Return the id of the selected case, or None."""
        rows = self.table.selectionModel().selectedRows()
        return str(self.proxy.mapToSource(rows[0]).data(CASE_ID_ROLE)) if rows else None

    def select_case(self, case_id: str) -> bool:
        """Select and show the case with this id; return False when the list does not show it."""
        source_row = self.model.source_row_of(case_id)
        if source_row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(source_row, 0))
        if not index.isValid():
            return False
        self.table.selectRow(index.row())
        self.table.scrollTo(index)
        return True

    def _search_changed(self, text: str) -> None:
        self.proxy.set_search(text)
        self._update_summary()

    def _status_changed(self, _index: int) -> None:
        value = self.status_filter.currentData()
        self.proxy.set_status(CaseStatus(value) if value else None)
        self._update_summary()

    def _mine_changed(self, _checked: bool) -> None:
        reviewer = self._reviewer()
        self.proxy.set_mine(reviewer.id if reviewer and self.mine.isChecked() else None)
        self._update_summary()

    def _update_summary(self) -> None:
        reviewer = self._reviewer()
        if reviewer is None:
            who = tr_label(NO_REVIEWER)
        else:
            who = tr_label(REVIEWER_NAME_UNIT).format(name=reviewer.name, unit=reviewer.unit)
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        if shown == total:
            count = tr_label(CASE_COUNT).format(count=total)
        else:
            count = tr_label(CASE_COUNT_SHOWN).format(shown=shown, count=total)
        reviewer_text = f"{tr_label(REVIEWER_PREFIX)}{who}"
        self.summary.setText(tr_label(SUMMARY_LINE).format(reviewer=reviewer_text, count=count))

    # Opening a case ---------------------------------------------------------------------------

    def _case_activated(self, index: QModelIndex) -> None:
        case_id = self.proxy.mapToSource(index).siblingAtColumn(0).data(CASE_ID_ROLE)
        if case_id is not None:
            try:
                self.open_case(str(case_id))
            except WorkspaceError as error:  # a damaged record: what and where, not a bug
                self.show_problem(str(error))

    def open_case(self, case_id: str) -> CaseWindow:
        """Open (or bring forward) the window of one case; return it."""
        from inspector_app.ui.qt import Qt

        window = self.case_windows.get(case_id)
        if window is None:
            from inspector_app.ui.case_window import CaseWindow

            # A child window: separate on screen, closed with the main window.
            window = CaseWindow(self.services, case_id, self, runner=lambda: self.runner)
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            window.changed.connect(self._case_changed)
            window.destroyed.connect(partial(self._case_window_gone, case_id))
            self.case_windows[case_id] = window
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    def _case_window_gone(self, case_id: str, *_args: object) -> None:
        self.case_windows.pop(case_id, None)

    def _case_changed(self, change: Change) -> None:
        if change.only_checklist_results():  # the list shows no checklist result
            self.sync_panel.refresh_soon()  # but the queue grew (read after the edit's paint)
        else:
            self.refresh()

    # Signing in ------------------------------------------------------------------------------

    def _reviewer(self) -> Reviewer | None:
        if not self.ready:
            return None
        try:
            return self.services.signed_in()
        except RuleViolation:  # a --user that names nobody is refused before the window opens
            return None

    def ask_sign_in(self) -> SignInDialog:
        """Open the sign-in dialog over the window (without blocking); return it.

        Signing in makes the chosen reviewer (by id) the acting reviewer; "continue
        read-only" signs out; Escape changes nothing.
        """
        from inspector_app.ui.qt import Qt
        from inspector_app.ui.sign_in import SignInDialog

        current = self._reviewer()
        if self.sign_in_dialog is not None:
            self.sign_in_dialog.deleteLater()  # the one asked before, done with
        dialog = SignInDialog(
            self.services.queries.reviewers(), current.id if current else None, self
        )
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        # A bound method of the window, not a closure over the dialog: a connection that
        # holds the dialog's wrapper can outlive it.
        dialog.finished.connect(self._sign_in_finished)
        self.sign_in_dialog = dialog
        dialog.open()
        return dialog

    def _sign_in_finished(self, _result: int) -> None:
        dialog = self.sign_in_dialog
        if dialog is None:
            return
        if dialog.chosen_id is not None:
            try:
                self.services.sign_in(dialog.chosen_id)
            except RuleViolation as error:
                self.show_problem(str(error))
        elif dialog.chose_read_only:
            self.services.sign_out()
        self._reviewer_changed()

    def _reviewer_changed(self) -> None:
        """Show who is signed in; what needs someone is enabled only then, saying why not."""
        signed_in = self._reviewer() is not None
        self.mine.setEnabled(signed_in)
        self.mine.setToolTip("" if signed_in else tr_label(MINE_NEEDS_SIGN_IN))
        self._mine_changed(self.mine.isChecked())
        self._update_import_action()
        self._update_summary()
        why = tr_label(NEW_CASE_TIP if signed_in else NEW_CASE_NEEDS_SIGN_IN)
        self.new_case_action.setEnabled(signed_in)
        self.new_case_action.setToolTip(why)
        self.new_case_action.setStatusTip(why)

    # A new case by hand ----------------------------------------------------------------------

    def ask_new_case(self) -> IntakeDialog | None:
        """Open the new-case dialog over the window (without blocking); return it.

        Once a case is stored the list is read again and the new case selected.
        """
        from inspector_app.ui.qt import Qt

        if self._reviewer() is None:
            self.show_problem(tr_label(NEW_CASE_NEEDS_SIGN_IN))
            return None
        from inspector_app.ui.intake import IntakeDialog

        if self.intake_dialog is not None:
            self.intake_dialog.deleteLater()
        dialog = IntakeDialog(self.services, self)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.accepted.connect(self._new_case_done)
        self.intake_dialog = dialog
        dialog.open()
        return dialog

    def _new_case_done(self) -> None:
        dialog = self.intake_dialog
        if dialog is None or dialog.change is None:
            return
        self.refresh()
        self.select_case(dialog.change.case_id)
        enterprise = dialog.name.text().strip()
        application_no = dialog.application_no.text().strip()
        self.statusBar().showMessage(
            tr_label(NEW_CASE_CREATED).format(application_no=application_no, enterprise=enterprise)
        )

    # The clerk's export ------------------------------------------------------------------------

    def ask_export(self) -> ExportDialog:
        """Open the export dialog over the window (without blocking); return it."""
        from inspector_app.ui.export_dialog import ExportDialog
        from inspector_app.ui.qt import Qt

        if self.export_dialog is not None:
            self.export_dialog.deleteLater()
        dialog = ExportDialog(self.services, lambda: self.runner, self)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.export_dialog = dialog
        dialog.open()
        return dialog

    # Sync conflicts (issue 9) ------------------------------------------------------------------

    def open_conflicts(self) -> ConflictsDialog:
        """Open the conflicts view over the window (without blocking; one, brought to the
        front when open); a settlement refreshes the list and the sync panel."""
        from inspector_app.ui.conflicts_dialog import ConflictsDialog

        dialog = self.conflicts_dialog
        if dialog is None:
            dialog = ConflictsDialog(self.services, self)
            dialog.resolved.connect(self._conflict_resolved)
            self.conflicts_dialog = dialog
        else:
            dialog.refresh()  # who is signed in, and what a sync brought, may have changed
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def _conflict_resolved(self, _saved: object) -> None:
        self.refresh()  # the queue grew, the count fell

    # Importing -------------------------------------------------------------------------------

    def _update_import_action(self) -> None:
        if self._importing:
            enabled, why = False, tr_label(IMPORT_BUSY)
        elif self._reviewer() is None:
            enabled, why = False, tr_label(IMPORT_NEEDS_SIGN_IN)
        else:
            enabled, why = True, tr_label(IMPORT_TIP)
        self.import_action.setEnabled(enabled)
        self.import_action.setToolTip(why)
        self.import_action.setStatusTip(why)

    @property
    def runner(self) -> Runner:
        """The background runner, made on first use."""
        if self._runner is None:
            self._runner = self._make_runner()
        return self._runner

    def stop_background(self) -> None:
        """Stop the background runner (when the app closes), if it was ever made."""
        if self._runner is not None:
            self._runner.stop()

    def import_case_file(self) -> None:
        """Ask for a case file and import it."""
        if not self.import_action.isEnabled():
            return
        path = choose_case_file(self)
        if path is not None:
            self.import_path(path)

    def import_path(self, path: Path) -> None:
        """Import the case file at `path` in the background, as the signed-in reviewer.

        The list is refreshed and the new case selected once it is in; a refused file is said
        in one line (a message box and the status bar), and the workspace is unchanged.
        """
        reviewer = self._reviewer()
        if reviewer is None:
            self.show_problem(tr_label(IMPORT_NEEDS_SIGN_IN))
            return
        if self._importing:
            self.show_problem(tr_label(IMPORT_BUSY))
            return
        self._importing = True
        self._update_import_action()
        self.statusBar().showMessage(tr_label(IMPORTING).format(name=path.name))
        from inspector_app.ui.case_import import import_job

        job = import_job(path, reviewer.actor, self.services.clock)
        self.runner.submit(job, partial(self._import_done, path))

    def _import_done(
        self, path: Path, result: ImportedCase | None, error: Exception | None
    ) -> None:
        from inspector_app.ui.case_import import is_refusal, refusal_message
        from inspector_app.ui.error_report import log_error

        self._importing = False
        self._update_import_action()
        if error is not None or result is None:
            assert error is not None
            if not is_refusal(error):
                # A bug: its traceback goes to the log (or the terminal), never to the person.
                log_error("import of %s failed", path, error=error)
            self.show_problem(refusal_message(path, error))
            return
        self.refresh()
        self.select_case(result.case_id)
        self.statusBar().showMessage(
            tr_label(IMPORTED).format(application_no=result.application_no, name=path.name)
        )

    def show_problem(self, text: str) -> None:
        """Say what went wrong in one line: in the status bar, and in a message box over the
        window that does not block (one box, reused: a later problem replaces the text)."""
        from inspector_app.ui.qt import Qt

        self.statusBar().showMessage(text)
        from inspector_app.ui.qt import QMessageBox

        box = self.message_box
        if box is None:
            box = QMessageBox(self)
            box.setObjectName("problemBox")
            box.setIcon(QMessageBox.Icon.Warning)
            box.setWindowTitle(tr_label(IMPORT_DIALOG_TITLE))
            box.setStandardButtons(QMessageBox.StandardButton.Ok)
            box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            box.setWindowModality(Qt.WindowModality.WindowModal)
            self.message_box = box
        box.setText(text)
        box.open()

    # Dropping a case file --------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()  # what was dropped is judged on the drop, and said
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        path = dropped_case_file(event.mimeData())
        if path is None:
            event.ignore()
            self.show_problem(tr_label(DROP_ONLY_CASE_FILES))
            return
        event.acceptProposedAction()
        self.import_path(path)
