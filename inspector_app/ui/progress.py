"""A background job's progress over a window: its text, a bar and a cancel button.

The cancel button sets a flag that the job reads through `cancelled()` (it also cancels the
job's handle once there is one); the job decides where it may stop without leaving half a
write. With `ImmediateRunner` the job runs inside `submit`, so the flag, not the handle, is
what a test's progress callback can set.
"""

from __future__ import annotations

import threading

from inspector_app.labels import CANCEL_BUTTON
from inspector_app.ui.page_parts import action_button, wrapping_label
from inspector_app.ui.qt import (
    QDialog,
    QProgressBar,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from inspector_app.ui.tasks import TaskHandle


class ProgressPanel(QWidget):
    """A progress text, a bar (busy until a total is known) and a cancel button."""

    progressed = Signal(int, int, str)
    """Emitted with each `(done, total, text)` shown."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._flag = threading.Event()
        self.handle: TaskHandle | None = None
        self.text = wrapping_label("progressText")
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Room for a path and a SHA-256 (no break inside them) without clipping.
        self.text.setMinimumHeight(self.text.fontMetrics().lineSpacing() * 3)
        self.bar = QProgressBar()
        self.bar.setObjectName("progressBar")
        self.bar.setRange(0, 0)
        self.cancel_button = action_button(CANCEL_BUTTON, "cancelButton", self.cancel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignRight)

    def start(self, text: str) -> None:
        """Show a new job starting: busy bar, the text, cancel enabled."""
        self._flag.clear()
        self.handle = None
        self.bar.setRange(0, 0)
        self.text.setText(text)
        self.cancel_button.setEnabled(True)
        self.show()

    def report(self, done: int, total: int, text: str) -> None:
        """Show `done` of `total` and the text (a job's progress callback)."""
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(done)
        if text:
            self.text.setText(text)
        self.progressed.emit(done, total, text)

    def cancelled(self) -> bool:
        """Return True once cancel was clicked (callable from the worker thread)."""
        return self._flag.is_set()

    def cancel(self) -> None:
        """Ask the running job to stop."""
        self._flag.set()
        self.cancel_button.setEnabled(False)
        if self.handle is not None:
            self.handle.cancel()

    def finish(self, text: str = "") -> None:
        """The job is over: a full bar, the final text, nothing to cancel."""
        self.bar.setRange(0, 1)
        self.bar.setValue(1)
        self.cancel_button.setEnabled(False)
        if text:
            self.text.setText(text)


class ProgressDialog(QDialog):
    """A small window with a `ProgressPanel`, over the window that started the job."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("progressDialog")
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.panel = ProgressPanel(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel)
        self.resize(460, 130)
