"""The seals (封条) of a sampling record being written: a number and a photo per seal.

A seal is added by its number and removed with its row; its photo comes from a file dialog or
is dropped on the row. The photo is checked and stored by hash (`store.photos.store_photo`) as
a background job of the runner, never on the UI thread: a camera's photo is megabytes to hash
and decode. A broken or non-image file is refused with the store's message and nothing is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path

from inspector_app.core.errors import RuleViolation
from inspector_app.core.model import Actor
from inspector_app.labels import (
    ADD_SEAL,
    PHOTO_DIALOG_TITLE,
    PHOTO_FILTER,
    REMOVE_SEAL,
    SAMPLE_SEAL_LINE,
    SEAL_DROP_ONE,
    SEAL_NO_PHOTO,
    SEAL_NONE,
    SEAL_NUMBER,
    SEAL_PHOTO_BUTTON,
    SEAL_PHOTO_READING,
)
from inspector_app.store.errors import WorkspaceError
from inspector_app.store.photos import StoredPhoto, photo_thumbnail, store_photo
from inspector_app.ui.i18n import tr_label
from inspector_app.ui.page_parts import ERROR_STYLE, wrapping_label
from inspector_app.ui.qt import (
    QDragEnterEvent,
    QDropEvent,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMimeData,
    QPixmap,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from inspector_app.ui.tasks import Cancelled, JobContext, Runner

THUMBNAIL_PIXELS = 72


def choose_seal_photo(parent: QWidget) -> Path | None:
    """Ask for the photo of a seal; return its path, or None when the person cancelled.

    Module-level so that tests replace it (a native file dialog cannot be driven).
    """
    name, _filter = QFileDialog.getOpenFileName(
        parent, tr_label(PHOTO_DIALOG_TITLE), "", tr_label(PHOTO_FILTER)
    )
    return Path(name) if name else None


def dropped_file(mime: QMimeData) -> Path | None:
    """Return the file dropped, when exactly one local file is dropped."""
    urls = mime.urls() if mime.hasUrls() else []
    if len(urls) != 1 or not urls[0].isLocalFile():
        return None
    return Path(urls[0].toLocalFile())


@dataclass(frozen=True)
class PhotoWho:
    """Who adds photos, and the clock they are stamped with (read on the UI thread)."""

    actor: Callable[[], Actor]
    clock: Callable[[], datetime]


def _store_job(path: Path, actor: Actor, now: datetime, context: JobContext) -> StoredPhoto:
    return store_photo(context.workspace, path, actor=actor, now=now)


def _thumbnail_job(sha256: str, context: JobContext) -> bytes:
    return photo_thumbnail(context.workspace, sha256)


class SealRow(QFrame):
    """One seal: its thumbnail, its number and (when editable) its photo and remove buttons.

    Emits `photo_dropped(path)` when a file is dropped on it, `remove_requested()` from its
    remove button and `choose_requested()` from its photo button.
    """

    photo_dropped = Signal(object)
    remove_requested = Signal()
    choose_requested = Signal()
    refused = Signal(str)

    def __init__(self, seal_no: str, *, editable: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sealRow")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.photo: str | None = None
        self.reading = False
        self.removed = False

        self.thumbnail = QLabel(tr_label(SEAL_NO_PHOTO))
        self.thumbnail.setObjectName("sealThumbnail")
        self.thumbnail.setFixedSize(THUMBNAIL_PIXELS, THUMBNAIL_PIXELS)
        self.thumbnail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.thumbnail.setWordWrap(True)
        self.thumbnail.setStyleSheet("border: 1px dashed #999; color: #777;")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.thumbnail)
        if editable:
            self.number: QLineEdit | None = QLineEdit(seal_no)
            self.number.setObjectName("sealNumber")
            self.number.setAccessibleName(tr_label(SEAL_NUMBER))
            layout.addWidget(self.number, 1)
            # The buttons forward their clicks as this row's own signals.
            self.photo_button = QPushButton(tr_label(SEAL_PHOTO_BUTTON))
            self.photo_button.setObjectName("sealPhoto")
            self.photo_button.clicked.connect(self.choose_requested)
            self.remove_button = QPushButton(tr_label(REMOVE_SEAL))
            self.remove_button.setObjectName("removeSeal")
            self.remove_button.clicked.connect(self.remove_requested)
            layout.addWidget(self.photo_button)
            layout.addWidget(self.remove_button)
            self.setAcceptDrops(True)
        else:
            self.number = None
            shown = QLabel(tr_label(SAMPLE_SEAL_LINE).format(seal_no=seal_no))
            shown.setObjectName("sealNumberShown")
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(shown, 1)
        self._seal_no = seal_no

    @property
    def seal_no(self) -> str:
        """The seal's number as typed (or recorded)."""
        return self.number.text() if self.number is not None else self._seal_no

    def set_reading(self) -> None:
        """Show that the photo is being read in the background."""
        self.reading = True
        self.thumbnail.setPixmap(QPixmap())
        self.thumbnail.setText(tr_label(SEAL_PHOTO_READING))

    def set_thumbnail(self, png: bytes | None) -> None:
        """Show a thumbnail (PNG bytes), or the empty frame when there is none."""
        self.reading = False
        pixmap = QPixmap()
        if png is not None and pixmap.loadFromData(png):
            self.thumbnail.setText("")
            self.thumbnail.setPixmap(
                pixmap.scaled(
                    THUMBNAIL_PIXELS - 4,
                    THUMBNAIL_PIXELS - 4,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        else:
            self.thumbnail.setPixmap(QPixmap())
            self.thumbnail.setText(tr_label(SEAL_NO_PHOTO))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()  # judged on the drop, and said
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        path = dropped_file(event.mimeData())
        if path is None:
            event.ignore()
            self.refused.emit(tr_label(SEAL_DROP_ONE))
            return
        event.acceptProposedAction()
        self.photo_dropped.emit(path)


class SealList(QWidget):
    """The seals of the record being written, each with its photo.

    Args:
        make_runner: Returns the background runner (made on first use).
        who: Who adds the photos and their clock.
        editable: Whether seals can be added, changed and removed (False: shown only).

    Emits `busy_changed(bool)` when photos start or stop being read, so that the record is
    not saved while a photo is still on its way.
    """

    busy_changed = Signal(bool)

    def __init__(
        self,
        make_runner: Callable[[], Runner],
        who: PhotoWho | None,
        *,
        editable: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("sealList")
        self._make_runner = make_runner
        self._who = who
        self.editable = editable
        self.rows: list[SealRow] = []
        self._busy = False
        # A photo may come back after the window closed: its outcome is then dropped.
        alive = self._alive = [True]
        self.destroyed.connect(lambda *_: alive.__setitem__(0, False))

        self.empty = QLabel(tr_label(SEAL_NONE))
        self.empty.setObjectName("sealsEmpty")
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: #777;")
        self.rows_layout = QVBoxLayout()
        self.rows_layout.setSpacing(4)
        self.problem = wrapping_label("sealProblem")
        self.problem.setStyleSheet(ERROR_STYLE)
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problem.setVisible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.rows_layout)
        layout.addWidget(self.empty)
        if editable:
            self.new_number = QLineEdit()
            self.new_number.setObjectName("newSealNumber")
            self.new_number.setPlaceholderText(tr_label(SEAL_NUMBER))
            self.new_number.setAccessibleName(tr_label(SEAL_NUMBER))
            self.add_button = QPushButton(tr_label(ADD_SEAL))
            self.add_button.setObjectName("addSeal")
            self.add_button.setEnabled(False)
            self.new_number.textChanged.connect(
                lambda text: self.add_button.setEnabled(bool(text.strip()))
            )
            self.new_number.returnPressed.connect(self.add_typed)
            self.add_button.clicked.connect(self.add_typed)
            add_row = QHBoxLayout()
            add_row.addWidget(self.new_number, 1)
            add_row.addWidget(self.add_button)
            layout.addLayout(add_row)
        layout.addWidget(self.problem)
        layout.addStretch(1)

    # The rows ----------------------------------------------------------------------------------

    def add_typed(self) -> SealRow | None:
        """Add a seal with the number typed (nothing when none is typed); return its row."""
        number = self.new_number.text().strip()
        if not number:
            return None
        self.new_number.clear()
        return self.add_seal(number)

    def add_seal(self, seal_no: str, photo: str | None = None) -> SealRow:
        """Add a seal row; a recorded photo's thumbnail is read in the background."""
        row = SealRow(seal_no, editable=self.editable)
        row.photo_dropped.connect(partial(self.set_photo, row))
        row.choose_requested.connect(partial(self.choose_photo, row))
        row.remove_requested.connect(partial(self.remove_seal, row))
        row.refused.connect(self.show_problem)
        self.rows.append(row)
        self.rows_layout.addWidget(row)
        row.show()  # at once, not on the next turn of the event loop (a layout's default)
        self.empty.setVisible(False)
        if photo is not None:
            row.photo = photo
            row.set_reading()
            self._submit(row, partial(_thumbnail_job, photo), self._thumbnail_done)
        return row

    def remove_seal(self, row: SealRow) -> None:
        """Remove a seal from the form (a photo on its way is then dropped when it arrives)."""
        row.removed = True
        self.rows.remove(row)
        self.rows_layout.removeWidget(row)
        row.deleteLater()
        self.empty.setVisible(not self.rows)
        self._update_busy()

    def clear(self) -> None:
        """Remove every seal."""
        for row in list(self.rows):
            self.remove_seal(row)

    def seals(self) -> list[tuple[str, str | None]]:
        """Return each seal's number and photo hash, in order."""
        return [(row.seal_no, row.photo) for row in self.rows]

    @property
    def busy(self) -> bool:
        """True while a photo is being read."""
        return self._busy

    # Photos ------------------------------------------------------------------------------------

    def choose_photo(
        self, row: SealRow, chooser: Callable[[QWidget], Path | None] | None = None
    ) -> None:
        """Ask for the photo of a seal, then store it."""
        path = (chooser or choose_seal_photo)(self)
        if path is not None:
            self.set_photo(row, path)

    def set_photo(self, row: SealRow, path: Path) -> None:
        """Check and store the photo at `path` in the background, for the seal of `row`."""
        if self._who is None or not self.editable:
            return
        try:
            actor = self._who.actor()
        except RuleViolation as refusal:  # nobody signed in any more
            self.show_problem("\n".join(p.message for p in refusal.problems))
            return
        self.problem.setVisible(False)
        row.set_reading()
        job = partial(_store_job, path, actor, self._who.clock())
        self._submit(row, job, self._stored)

    def _submit(
        self,
        row: SealRow,
        job: Callable[[JobContext], object],
        done: Callable[[SealRow, object, Exception | None], None],
    ) -> None:
        self._update_busy()
        self._make_runner().submit(job, partial(done, row))

    def _stored(self, row: SealRow, result: object, error: Exception | None) -> None:
        if not self._alive[0]:
            return
        if row.removed:
            self._update_busy()
            return
        if isinstance(result, StoredPhoto):
            row.photo = result.attachment.sha256
            row.set_thumbnail(result.thumbnail)
        else:
            # The seal keeps the photo it had, if any; the refused file left nothing behind.
            row.set_thumbnail(None)
            if row.photo is not None:
                self._submit(row, partial(_thumbnail_job, row.photo), self._thumbnail_done)
            self.show_problem(_message(error))
        self._update_busy()

    def _thumbnail_done(self, row: SealRow, result: object, error: Exception | None) -> None:
        if not self._alive[0]:
            return
        if not row.removed:
            row.set_thumbnail(result if isinstance(result, bytes) else None)
            if error is not None:
                self.show_problem(_message(error))
        self._update_busy()

    def show_problem(self, text: str) -> None:
        """Say what went wrong with a photo, under the seals (nothing for no text)."""
        if not text:
            return
        self.problem.setText(text)
        self.problem.setVisible(True)

    def _update_busy(self) -> None:
        busy = any(row.reading for row in self.rows)
        if busy != self._busy:
            self._busy = busy
            self.busy_changed.emit(busy)


def _message(error: Exception | None) -> str:
    if isinstance(error, WorkspaceError):
        return str(error)
    if error is None or isinstance(error, Cancelled):
        return ""  # nothing went wrong, or the window is closing
    raise error  # a bug: it surfaces
