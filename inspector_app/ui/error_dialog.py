"""The dialog that shows the report of an unexpected error, with a button that copies it
(see `ui/error_report.py`)."""

from __future__ import annotations

from inspector_app.labels import COPY_REPORT, ERROR_REPORT_NAME, ERROR_TITLE, REPORT_COPIED
from inspector_app.ui.i18n import tr_label
from inspector_app.ui.page_parts import wrapping_label
from inspector_app.ui.qt import (
    QDialog,
    QDialogButtonBox,
    QGuiApplication,
    QLabel,
    QPlainTextEdit,
    Qt,
    QVBoxLayout,
    QWidget,
)


class ErrorDialog(QDialog):
    """Shows the report of an unexpected error, with a button that copies it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorDialog")
        self.setWindowTitle(tr_label(ERROR_TITLE))
        self.intro = wrapping_label("errorIntro")
        self.intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.report = QPlainTextEdit()
        self.report.setObjectName("errorReport")
        self.report.setAccessibleName(tr_label(ERROR_REPORT_NAME))
        self.report.setReadOnly(True)
        self.report.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.copied = QLabel()
        self.copied.setObjectName("reportCopied")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = buttons.addButton(
            tr_label(COPY_REPORT), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.copy_button.setObjectName("copyReport")
        self.copy_button.clicked.connect(self.copy)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.report, 1)
        layout.addWidget(self.copied)
        layout.addWidget(buttons)
        self.resize(760, 440)

    def add_report(self, report: str, intro: str) -> None:
        """Show one more report (a later error is added under the earlier ones)."""
        self.intro.setText(intro)
        text = self.report.toPlainText()
        self.report.setPlainText(f"{text}\n\n{report}" if text else report)
        self.copied.clear()

    def copy(self) -> None:
        """Copy the report to the clipboard."""
        QGuiApplication.clipboard().setText(self.report.toPlainText())
        self.copied.setText(tr_label(REPORT_COPIED))
