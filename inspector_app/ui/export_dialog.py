"""The clerk's export in the app (File → 导出…): the folder, optionally only cases with news
since a day and of one status; the export runs in the background with a progress bar and a
cancel button (it stops between two files; a new run picks up where it stopped), and ends by
naming the manifest. Same core as `inspector export` (`reports.export.export_cases`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from inspector_app.app import Services
from inspector_app.core.model import CaseStatus
from inspector_app.labels import (
    ALL_STATUSES,
    BROWSE,
    EXPORT_CANCELLED,
    EXPORT_DONE,
    EXPORT_FAILED,
    EXPORT_FOLDER,
    EXPORT_NEEDS_FOLDER,
    EXPORT_SINCE,
    EXPORT_START,
    EXPORT_STATUS,
    EXPORT_TITLE,
    EXPORTING,
    STATUS_LABELS,
)
from inspector_app.ui.dialog_parts import close_buttons
from inspector_app.ui.documents import one_line
from inspector_app.ui.i18n import tr_label
from inspector_app.ui.page_parts import action_button, wrapping_label
from inspector_app.ui.progress import ProgressPanel
from inspector_app.ui.qt import (
    QCheckBox,
    QComboBox,
    QDate,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from inspector_app.ui.tasks import Cancelled, JobContext, Runner

MANIFEST = "manifest.json"


def choose_folder(parent: QWidget) -> Path | None:
    """Ask for the folder to export to; return it, or None when the person cancelled.

    Module-level so that tests replace it (a native file dialog cannot be driven).
    """
    name = QFileDialog.getExistingDirectory(parent, tr_label(EXPORT_FOLDER))
    return Path(name) if name else None


def export_job(
    out_dir: Path,
    now: datetime,
    since: date | None,
    status: CaseStatus | None,
    stop: Callable[[], bool],
) -> Callable[[JobContext], object]:
    """Return the job that exports the selected cases to `out_dir` (reads the workspace only)."""

    def job(context: JobContext) -> object:
        from inspector_app.reports.export import export_cases  # reportlab: only when exporting

        def report(done: int, total: int, name: str) -> None:
            context.progress(
                done, total, tr_label(EXPORTING).format(done=done, total=total, name=name)
            )

        return export_cases(
            context.workspace,
            out_dir,
            now=now,
            since=since,
            status=status,
            progress=report,
            cancelled=lambda: stop() or context.cancelled(),
        )

    return job


class ExportDialog(QDialog):
    """The clerk's export of the workspace's documents to a folder.

    Args:
        services: the composition root's services.
        runner: gives the background runner.
        parent: the window it opens over.
    """

    exported = Signal(object)
    """Emitted with the `ExportSummary` once an export is complete."""

    def __init__(
        self, services: Services, runner: Callable[[], Runner], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle(tr_label(EXPORT_TITLE))
        self.services = services
        self.runner = runner
        self.summary: object | None = None

        self.folder = QLineEdit()
        self.folder.setObjectName("folder")
        browse = action_button(BROWSE, "browse", self.browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        self.since_on = QCheckBox(tr_label(EXPORT_SINCE))
        self.since_on.setObjectName("sinceOn")
        self.since = QDateEdit()
        self.since.setObjectName("since")
        self.since.setCalendarPopup(True)
        self.since.setDisplayFormat("yyyy-MM-dd")
        today = services.settings.calendar.day_of(services.clock())
        self.since.setDate(QDate(today.year, today.month, today.day).addDays(-7))
        self.since.setEnabled(False)
        self.since_on.toggled.connect(self.since.setEnabled)
        since_row = QHBoxLayout()
        since_row.addWidget(self.since_on)
        since_row.addWidget(self.since)
        since_row.addStretch(1)
        self.status = QComboBox()
        self.status.setObjectName("status")
        self.status.addItem(tr_label(ALL_STATUSES), None)
        for status in CaseStatus:
            self.status.addItem(tr_label(STATUS_LABELS[status]), status.value)
        form = QFormLayout()
        form.addRow(tr_label(EXPORT_FOLDER), folder_row)
        form.addRow(since_row)
        form.addRow(tr_label(EXPORT_STATUS), self.status)
        self.message = wrapping_label("message")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setMinimumHeight(self.message.fontMetrics().lineSpacing() * 3)
        self.progress = ProgressPanel(self)
        self.progress.hide()
        self.start_button = QPushButton(tr_label(EXPORT_START))
        self.start_button.setObjectName("startExport")
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.start_export)
        buttons = close_buttons(self, self.start_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.resize(620, 300)

    def browse(self) -> None:
        """Choose the folder with the system's dialog."""
        folder = choose_folder(self)
        if folder is not None:
            self.folder.setText(str(folder))

    def start_export(self) -> None:
        """Export in the background with the choices made; the result is said at the end."""
        text = self.folder.text().strip()
        if not text:
            self._say(tr_label(EXPORT_NEEDS_FOLDER), error=True)
            return
        out_dir = Path(text).expanduser()
        day = self.since.date()
        since = date(day.year(), day.month(), day.day()) if self.since_on.isChecked() else None
        value = self.status.currentData()
        status = CaseStatus(value) if value else None
        self._say("")
        self.start_button.setEnabled(False)
        self.progress.start(tr_label(EXPORT_START).replace("(&E)", ""))
        job = export_job(out_dir, self.services.clock(), since, status, self.progress.cancelled)
        handle = self.runner().submit(job, self._done, self.progress.report)
        if not handle.done:
            self.progress.handle = handle

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #b00020;" if error else "")

    def _done(self, summary: object, error: Exception | None) -> None:
        from inspector_app.reports.export import ExportCancelled, ExportSummary

        self.start_button.setEnabled(True)
        self.progress.finish()
        if isinstance(error, ExportCancelled | Cancelled):
            self._say(tr_label(EXPORT_CANCELLED))
            return
        if error is not None:
            self._say(tr_label(EXPORT_FAILED).format(message=one_line(error)), error=True)
            return
        assert isinstance(summary, ExportSummary)
        self.summary = summary
        self._say(
            tr_label(EXPORT_DONE).format(
                cases=summary.cases,
                files=len(summary.files),
                written=summary.written,
                manifest=f"\n{summary.out_dir / MANIFEST}",  # a long path on a line of its own
            )
        )
        self.exported.emit(summary)
