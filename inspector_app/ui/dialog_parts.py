"""Small parts the document dialogs share (sign-off, amendment, export): the button row with
Close, the warning box that refuses to open a dialog, the red error line, and how a failed or
cancelled background job is shown.

Each helper has one job; the dialogs keep their own object names and texts.
"""

from __future__ import annotations

from collections.abc import Callable

from inspector_app.app import Services
from inspector_app.labels import DOCUMENTS_TITLE, TASK_CANCELLED
from inspector_app.ui.documents import one_line
from inspector_app.ui.i18n import tr_label
from inspector_app.ui.page_parts import ERROR_STYLE, wrapping_label
from inspector_app.ui.progress import ProgressPanel
from inspector_app.ui.qt import QDialog, QDialogButtonBox, QLabel, QMessageBox, QPushButton, QWidget
from inspector_app.ui.tasks import Cancelled, Runner


def close_buttons(dialog: QDialog, action: QPushButton | None = None) -> QDialogButtonBox:
    """Return the dialog's button row: Close (rejects the dialog) and, if given, `action`."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    if action is not None:
        buttons.addButton(action, QDialogButtonBox.ButtonRole.ActionRole)
    buttons.rejected.connect(dialog.reject)
    return buttons


def refusal_box(parent: QWidget | None, object_name: str, text: str) -> QMessageBox:
    """Open (without blocking) a warning box named `object_name` that says `text`; return it."""
    box = QMessageBox(parent)
    box.setObjectName(object_name)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(tr_label(DOCUMENTS_TITLE))
    box.setText(text)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.open()
    return box


def error_line() -> QLabel:
    """Return the dialog's red, wrapping error line (named "error", empty until needed)."""
    label = wrapping_label("error")
    label.setStyleSheet(ERROR_STYLE)
    return label


def show_job_failure(progress: ProgressPanel, error_label: QLabel, error: Exception | None) -> bool:
    """Show how a background job ended when it did not succeed: "cancelled" in the progress
    panel, or the error on one line in `error_label`. Return whether it failed."""
    if isinstance(error, Cancelled):
        progress.finish(tr_label(TASK_CANCELLED))
        return True
    if error is not None:
        progress.finish()
        error_label.setText(one_line(error))
        return True
    return False


class CaseJobDialog(QDialog):
    """A dialog over a window that runs one background job for a case (sign-off, amendment);
    when the rules refuse to open it, a warning box named `refused_name` says why instead.

    Args:
        services: the composition root's services (the acting reviewer is the leader).
        case_id: the case.
        runner: gives the background runner.
        object_name: the dialog's object name.
        parent: the window it opens over.
    """

    refused_name = ""
    """The object name of the warning box that refuses to open the dialog."""

    def __init__(
        self,
        services: Services,
        case_id: str,
        runner: Callable[[], Runner],
        object_name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.services = services
        self.case_id = case_id
        self.runner = runner
        self.refusal: QMessageBox | None = None

    def _refuse(self, text: str) -> None:
        self.refusal = refusal_box(self.parentWidget(), self.refused_name, text)
