"""An item's photos as thumbnails, a larger view of one, and photo files dropped from outside.

Thumbnails are decoded at their small size (JPEG scales while decoding) and kept by hash, so
showing an item again costs nothing.
"""

from __future__ import annotations

from pathlib import Path

from inspector_app.labels import (
    PHOTO_FILE_MISSING,
    PHOTO_NOT_SYNCED,
    PHOTO_NOT_SYNCED_SHORT,
    PHOTO_STRIP_NAME,
    PHOTO_STRIP_TIP,
    PHOTO_VIEW_NAME,
    PHOTO_VIEW_TITLE,
)
from inspector_app.store.attachments import attachment_path
from inspector_app.store.workspace import Workspace
from inspector_app.ui.i18n import tr_label
from inspector_app.ui.qt import (
    QAbstractItemView,
    QColor,
    QDialog,
    QDialogButtonBox,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QImageReader,
    QKeyEvent,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMimeData,
    QPainter,
    QPen,
    QPixmap,
    QSize,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)

THUMB = QSize(96, 72)
"""The size a thumbnail fits in."""

VIEW = QSize(1000, 600)
"""The size the large view fits in (the dialog fits a 1366×768 screen)."""

HASH_ROLE = Qt.ItemDataRole.UserRole
"""The role under which a thumbnail gives its photo's hash."""


def dropped_files(mime: QMimeData) -> list[Path]:
    """Return the local files named by a drop (anything else is left out)."""
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


def accept_file_drag(event: QDragMoveEvent | QDragEnterEvent) -> None:
    """Accept a drag that carries files (what they are is judged on the drop, and said)."""
    if event.mimeData().hasUrls():
        event.acceptProposedAction()
    else:
        event.ignore()


def load_scaled(path: Path, bound: QSize) -> QPixmap | None:
    """Return the image at `path` scaled to fit `bound` (never enlarged), or None if unreadable."""
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)  # a camera's rotation flag
    size = reader.size()
    if size.isValid() and (size.width() > bound.width() or size.height() > bound.height()):
        reader.setScaledSize(size.scaled(bound, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    if image.isNull():
        return None
    return QPixmap.fromImage(image)


def not_synced_placeholder(size: QSize) -> QPixmap:
    """Return the thumbnail shown for a photo whose file has not come down yet: a dashed
    frame with "待同步" (translated) in it, so that it reads as waiting, not as broken."""
    pixmap = QPixmap(size)
    pixmap.fill(QColor("#eef1f5"))
    painter = QPainter(pixmap)
    try:
        pen = QPen(QColor("#7a8699"))
        pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawRect(pixmap.rect().adjusted(0, 0, -1, -1))
        painter.setPen(QColor("#3d4757"))
        painter.drawText(
            pixmap.rect().adjusted(4, 4, -4, -4),
            int(Qt.AlignmentFlag.AlignCenter) | int(Qt.TextFlag.TextWordWrap),
            tr_label(PHOTO_NOT_SYNCED_SHORT),
        )
    finally:
        painter.end()
    return pixmap


def synced(workspace: Workspace, sha256: str) -> bool:
    """Return whether the photo's file is in the workspace (else it has not come down from
    the office yet: another laptop of the team took it)."""
    return attachment_path(workspace, sha256).is_file()


class PhotoStrip(QListWidget):
    """The thumbnails of one item's photos; Enter or a double-click opens the large view.

    Files dropped on it are announced by `files_dropped` (the page decides what to do).

    Args:
        workspace: Where the photos' files are.
    """

    files_dropped = Signal(list)
    """Emitted with the local paths of files dropped on the strip."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.code = ""
        self._cache: dict[str, QPixmap | None] = {}
        self.setObjectName("photoStrip")
        self.setAccessibleName(tr_label(PHOTO_STRIP_NAME))
        self.setToolTip(tr_label(PHOTO_STRIP_TIP))
        self.setViewMode(QListWidget.ViewMode.IconMode)
        self.setFlow(QListWidget.Flow.LeftToRight)
        self.setWrapping(False)
        self.setIconSize(THUMB)
        self.setMovement(QListWidget.Movement.Static)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setFixedHeight(THUMB.height() + 2 * self.frameWidth() + 24)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.itemDoubleClicked.connect(self._activated)

    def thumbnail(self, sha256: str) -> QPixmap | None:
        """Return the thumbnail of a stored photo (None when its file is missing or broken)."""
        if sha256 not in self._cache:
            self._cache[sha256] = load_scaled(attachment_path(self.workspace, sha256), THUMB)
        return self._cache[sha256]

    def show_photos(self, code: str, hashes: tuple[str, ...]) -> None:
        """Show the photos of item `code`, in the order attached."""
        self.code = code
        self.clear()
        for number, digest in enumerate(hashes, start=1):
            item = QListWidgetItem(str(number))
            item.setData(HASH_ROLE, digest)
            pixmap = self.thumbnail(digest)
            if pixmap is not None:
                item.setIcon(pixmap)
            elif not synced(self.workspace, digest):
                self._cache.pop(digest, None)  # shown once it came down, without a reopen
                item.setIcon(not_synced_placeholder(THUMB))
                item.setToolTip(tr_label(PHOTO_NOT_SYNCED).format(sha=digest[:12]))
            else:
                item.setToolTip(tr_label(PHOTO_FILE_MISSING).format(sha=digest[:12]))
            self.addItem(item)

    def hashes(self) -> tuple[str, ...]:
        """Return the hashes shown, in order."""
        return tuple(str(self.item(row).data(HASH_ROLE)) for row in range(self.count()))

    def open_view(self, row: int) -> PhotoView:
        """Open the large view of the photo in `row` (non-modal) and return it."""
        view = PhotoView(self.workspace, self.code, self.hashes(), row, self)
        view.open()
        return view

    def _activated(self, item: QListWidgetItem) -> None:
        self.open_view(self.row(item))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentRow() >= 0:
            self.open_view(self.currentRow())
            return
        super().keyPressEvent(event)

    # Drops --------------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        accept_file_drag(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        accept_file_drag(event)

    def dropEvent(self, event: QDropEvent) -> None:
        files = dropped_files(event.mimeData())
        if not files:
            event.ignore()
            return
        event.acceptProposedAction()
        self.files_dropped.emit(files)


class PhotoView(QDialog):
    """One photo, large; Left and Right go to the item's other photos.

    Args:
        workspace: Where the photos' files are.
        code: The item's code (for the title).
        hashes: The item's photos.
        row: The one shown first.
    """

    def __init__(
        self,
        workspace: Workspace,
        code: str,
        hashes: tuple[str, ...],
        row: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.code = code
        self.photo_hashes = hashes
        self.row = row
        self.setObjectName("photoView")
        self.image = QLabel()
        self.image.setObjectName("photoImage")
        self.image.setAccessibleName(tr_label(PHOTO_VIEW_NAME))
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setMinimumSize(QSize(320, 240))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.image, 1)
        layout.addWidget(buttons)
        self.show_row(row)

    def show_row(self, row: int) -> None:
        """Show the photo in `row` of the item's photos."""
        self.row = row % len(self.photo_hashes)
        digest = self.photo_hashes[self.row]
        self.setWindowTitle(
            tr_label(PHOTO_VIEW_TITLE).format(
                code=self.code, number=self.row + 1, total=len(self.photo_hashes)
            )
        )
        pixmap = load_scaled(attachment_path(self.workspace, digest), VIEW)
        if pixmap is None:
            missing = PHOTO_FILE_MISSING if synced(self.workspace, digest) else PHOTO_NOT_SYNCED
            self.image.setPixmap(QPixmap())
            self.image.setWordWrap(True)
            self.image.setText(tr_label(missing).format(sha=digest[:12]))
        else:
            self.image.setPixmap(pixmap)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_Space):
            self.show_row(self.row + 1)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Up):
            self.show_row(self.row - 1)
        else:
            super().keyPressEvent(event)
