"""The case window's 文书 menu: build a document of the case to a PDF (in the background, with
progress and cancel), the sign-off ceremony, and an amendment of a signed-off case.

The menu only offers; the dialogs ask the store and the domain, and show their refusals.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path

from inspector_app.app import Services
from inspector_app.core.errors import RuleViolation
from inspector_app.labels import (
    AMEND_ACTION,
    BUILD_DOCUMENT_ACTION,
    BUILDING_DOCUMENT,
    DOCUMENT_FAILED,
    DOCUMENT_KIND_LABELS,
    DOCUMENT_WRITTEN,
    DOCUMENTS_MENU,
    DOCUMENTS_NEED_SIGN_IN,
    DOCUMENTS_TITLE,
    PDF_FILTER,
    SAVE_DOCUMENT_TITLE,
    SIGN_OFF_ACTION,
    TASK_CANCELLED,
)
from inspector_app.reports.kinds import PRINTABLE, TITLES, DocumentKind
from inspector_app.store.casework import Change
from inspector_app.store.errors import WorkspaceError
from inspector_app.store.files import write_bytes_atomically
from inspector_app.ui.i18n import tr_label
from inspector_app.ui.progress import ProgressDialog
from inspector_app.ui.qt import QAction, QFileDialog, QMainWindow, QMenu, QMessageBox, QWidget
from inspector_app.ui.tasks import Cancelled, JobContext, Runner, cancel_check


def choose_pdf_path(parent: QWidget, suggested: str) -> Path | None:
    """Ask where to save a PDF; return the path, or None when the person cancelled.

    Module-level so that tests replace it (a native file dialog cannot be driven).
    """
    name, _filter = QFileDialog.getSaveFileName(
        parent, tr_label(SAVE_DOCUMENT_TITLE), suggested, tr_label(PDF_FILTER)
    )
    if not name:
        return None
    path = Path(name)
    return path if path.suffix.lower() == ".pdf" else path.with_suffix(".pdf")


def is_refusal(error: Exception) -> bool:
    """Return whether a job's error is one a person meets (a rule, the disk, a cancel)."""
    return isinstance(error, RuleViolation | WorkspaceError | OSError | Cancelled)


def one_line(error: Exception) -> str:
    """Return the error as one line in the domain's words (a bug by its kind, and logged)."""
    if isinstance(error, OSError):
        text = f"{error.filename or ''} {error.strerror or error}".strip()
    elif is_refusal(error):
        text = str(error)
    else:
        traceback.print_exception(error, file=sys.stderr)
        text = f"{type(error).__name__}: {error}"
    return " ".join(text.split())


def build_job(
    case_id: str,
    kind: DocumentKind,
    path: Path,
    now: datetime,
    stop: Callable[[], bool] = lambda: False,
) -> Callable[[JobContext], Path]:
    """Return the job that builds one document of a case and writes it to `path` (atomically:
    a cancelled or refused build writes nothing). `stop` is a second cancel flag (the
    progress window's)."""

    def job(context: JobContext) -> Path:
        from inspector_app.reports.documents import build_document  # reportlab: when printing

        title = TITLES[kind]
        cancel_check(context, stop)
        context.progress(0, 2, tr_label(BUILDING_DOCUMENT).format(title=title))
        pdf = build_document(context.workspace, case_id, kind, now=now)
        cancel_check(context, stop)
        context.progress(1, 2, tr_label(BUILDING_DOCUMENT).format(title=title))
        write_bytes_atomically(path, pdf)
        context.progress(2, 2, title)
        return path

    return job


class DocumentsMenu:
    """The 文书 menu of one case window and what its actions start.

    Args:
        window: the case window that gets the menu.
        services: the composition root's services.
        case_id: the case.
        runner: gives the background runner (the main window's, made on first use); None:
            a runner of the menu's own, over the same workspace, stopped with the window.
        on_change: called with each `Change` a sign-off or an amendment made.
    """

    def __init__(
        self,
        window: QMainWindow,
        services: Services,
        case_id: str,
        runner: Callable[[], Runner] | None = None,
        on_change: Callable[[Change], None] | None = None,
    ) -> None:
        self.window = window
        self.services = services
        self.case_id = case_id
        self._given_runner = runner
        self._own_runner: Runner | None = None
        self.on_change = on_change
        self.progress: ProgressDialog | None = None
        self.message: QMessageBox | None = None
        self.dialog: QWidget | None = None
        self.menu = window.menuBar().addMenu(tr_label(DOCUMENTS_MENU))
        self.menu.setObjectName("documentsMenu")
        self.menu.setToolTipsVisible(True)
        self.build_menu = QMenu(tr_label(BUILD_DOCUMENT_ACTION), window)
        self.build_menu.setObjectName("buildDocumentMenu")
        self.build_actions: dict[DocumentKind, QAction] = {}
        for kind in PRINTABLE:
            action = self.build_menu.addAction(tr_label(DOCUMENT_KIND_LABELS[kind.value]))
            action.setObjectName(f"build_{kind.value}")
            action.triggered.connect(partial(self.build, kind))
            self.build_actions[kind] = action
        self.menu.addMenu(self.build_menu)
        self.sign_off_action = QAction(tr_label(SIGN_OFF_ACTION), window)
        self.sign_off_action.setObjectName("signOffAction")
        self.sign_off_action.triggered.connect(self.sign_off)
        self.amend_action = QAction(tr_label(AMEND_ACTION), window)
        self.amend_action.setObjectName("amendAction")
        self.amend_action.triggered.connect(self.amend)
        self.menu.addAction(self.sign_off_action)
        self.menu.addAction(self.amend_action)
        self.menu.aboutToShow.connect(self.update_actions)
        self.update_actions()

    def runner(self) -> Runner:
        """The background runner: the one given, else the menu's own (made on first use)."""
        if self._given_runner is not None:
            return self._given_runner()
        if self._own_runner is None:
            from inspector_app.store.workspace import open_workspace
            from inspector_app.ui.tasks import TaskRunner

            folder = self.services.workspace.folder
            self._own_runner = TaskRunner(lambda: open_workspace(folder, install_forms=False))
            self.window.destroyed.connect(self._own_runner.stop)
        return self._own_runner

    def _changed(self, change: Change) -> None:
        if self.on_change is not None:
            self.on_change(change)

    def update_actions(self) -> None:
        """Enable sign-off and amendment only for a signed-in reviewer (the rules decide the
        rest, and say why when they refuse)."""
        try:
            signed_in = self.services.signed_in() is not None
        except RuleViolation:
            signed_in = False
        for action in (self.sign_off_action, self.amend_action):
            action.setEnabled(signed_in)
            action.setToolTip("" if signed_in else tr_label(DOCUMENTS_NEED_SIGN_IN))

    # Building a document ---------------------------------------------------------------------

    def build(self, kind: DocumentKind) -> None:
        """Ask where to save one document of the case, then build it in the background."""
        overview = self.services.queries.case_overview(self.case_id)
        suggested = f"{overview['application_no']}_{TITLES[kind].replace(' / ', '及')}.pdf"
        path = choose_pdf_path(self.window, suggested)
        if path is None:
            return
        progress = ProgressDialog(tr_label(BUILD_DOCUMENT_ACTION).rstrip("…"), self.window)
        self.progress = progress
        progress.panel.start(tr_label(BUILDING_DOCUMENT).format(title=TITLES[kind]))
        progress.open()
        job = build_job(self.case_id, kind, path, self.services.clock(), progress.panel.cancelled)
        handle = self.runner().submit(
            job, partial(self._built, kind, progress), progress.panel.report
        )
        if not handle.done:
            progress.panel.handle = handle

    def _built(
        self,
        kind: DocumentKind,
        progress: ProgressDialog,
        path: Path | None,
        error: Exception | None,
    ) -> None:
        progress.panel.finish()
        progress.accept()
        if isinstance(error, Cancelled):
            self.tell(tr_label(TASK_CANCELLED))
        elif error is not None or path is None:
            assert error is not None
            self.tell(tr_label(DOCUMENT_FAILED).format(message=one_line(error)), warning=True)
        else:
            self.tell(tr_label(DOCUMENT_WRITTEN).format(title=TITLES[kind], path=path))

    # The sign-off and the amendment ----------------------------------------------------------

    def sign_off(self) -> None:
        """Open the sign-off ceremony of the case."""
        from inspector_app.ui.signoff_dialog import SignOffDialog

        dialog = SignOffDialog(self.services, self.case_id, self.runner, self.window)
        dialog.signed_off.connect(self._changed)
        self.dialog = dialog
        dialog.start()

    def amend(self) -> None:
        """Open the amendment dialog of the case."""
        from inspector_app.ui.amendment_dialog import AmendmentDialog

        dialog = AmendmentDialog(self.services, self.case_id, self.runner, self.window)
        dialog.amended.connect(self._changed)
        self.dialog = dialog
        dialog.start()

    def tell(self, text: str, *, warning: bool = False) -> None:
        """Say how a job ended, in a message box over the window that does not block."""
        box = self.message
        if box is None:
            box = QMessageBox(self.window)
            box.setObjectName("documentsMessage")
            box.setWindowTitle(tr_label(DOCUMENTS_TITLE))
            box.setStandardButtons(QMessageBox.StandardButton.Ok)
            self.message = box
        box.setIcon(QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Information)
        box.setText(text)
        box.open()
