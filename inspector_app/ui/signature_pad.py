"""The signature pad (签名板): a handwritten signature drawn with a mouse, a pen (tablet events,
the pen's pressure widening the line) or a finger (touch events), cleared with a button or the
Delete key, and exported as a PNG cropped to the drawing.

The pad only draws: whether a drawing is a signature (not blank) is the domain's rule
(`core.hand_signature.signature_image_problems`), applied to the PNG when it is saved.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from inspector_app.labels import SIGNATURE_PAD_HINT, SIGNATURE_PAD_NAME
from inspector_app.ui.i18n import tr_label
from inspector_app.ui.qt import (
    QBuffer,
    QByteArray,
    QColor,
    QEvent,
    QImage,
    QIODevice,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPointF,
    QRectF,
    QSizePolicy,
    Qt,
    QTabletEvent,
    QTouchEvent,
    QWidget,
    Signal,
)

INK = QColor(20, 30, 110)
BASE_WIDTH = 2.6
"""The line's width for a mouse or a finger; a pen's pressure scales it (0.5× to 1.5×)."""
MAX_EXPORT = (900, 300)
"""The largest exported image, in pixels: a signature printed a few centimetres wide."""
EXPORT_MARGIN = 6.0
BLANK_SIZE = 32
"""The side of the image a blank pad exports (the domain refuses it as blank)."""


@dataclass(frozen=True)
class Dab:
    """One point of a stroke, with the line's width there."""

    x: float
    y: float
    width: float


class SignaturePad(QWidget):
    """A surface to sign on.

    Emits `changed()` when a stroke ends or the pad is cleared.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signaturePad")
        self.setAccessibleName(tr_label(SIGNATURE_PAD_NAME))
        self.setAccessibleDescription(tr_label(SIGNATURE_PAD_HINT))
        self.setToolTip(tr_label(SIGNATURE_PAD_HINT))
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setMinimumSize(360, 140)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._strokes: list[list[Dab]] = []
        self._drawing: list[Dab] | None = None

    # What is drawn ---------------------------------------------------------------------------

    def strokes(self) -> list[list[Dab]]:
        """Return the strokes drawn so far (copies)."""
        return [list(stroke) for stroke in self._strokes]

    def is_blank(self) -> bool:
        """Whether nothing has been drawn."""
        return not self._strokes

    def set_strokes(self, strokes: list[list[Dab]]) -> None:
        """Show these strokes instead (a rebuilt window keeps what was drawn on the old one)."""
        self._strokes = [list(stroke) for stroke in strokes]
        self._drawing = None
        self.update()
        self.changed.emit()

    def clear(self) -> None:
        """Wipe the pad."""
        self._strokes = []
        self._drawing = None
        self.update()
        self.changed.emit()

    # Input -----------------------------------------------------------------------------------

    def _begin(self, point: QPointF, width: float) -> None:
        self._drawing = [Dab(point.x(), point.y(), width)]
        self._strokes.append(self._drawing)
        self.update()

    def _extend(self, point: QPointF, width: float) -> None:
        if self._drawing is None:
            return
        last = self._drawing[-1]
        if (last.x, last.y) != (point.x(), point.y()):
            self._drawing.append(Dab(point.x(), point.y(), width))
            self.update()

    def _end(self) -> None:
        if self._drawing is not None:
            self._drawing = None
            self.changed.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._begin(event.position(), BASE_WIDTH)
            event.accept()
        else:
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self._extend(event.position(), BASE_WIDTH)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._extend(event.position(), BASE_WIDTH)
            self._end()

    def tabletEvent(self, event: QTabletEvent) -> None:
        # Accepted, so that Qt does not also send the pen as a mouse.
        width = BASE_WIDTH * (0.5 + max(0.0, min(1.0, event.pressure())))
        kind = event.type()
        if kind == QEvent.Type.TabletPress:
            self._begin(event.position(), width)
        elif kind == QEvent.Type.TabletMove:
            self._extend(event.position(), width)
        elif kind == QEvent.Type.TabletRelease:
            self._end()
        event.accept()

    def event(self, event: QEvent) -> bool:
        kind = event.type()
        touch = (QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd)
        if kind in touch and isinstance(event, QTouchEvent):
            points = event.points()
            if points:  # one finger draws; a second one is ignored
                at = points[0].position()
                if kind == QEvent.Type.TouchBegin:
                    self._begin(at, BASE_WIDTH)
                else:
                    self._extend(at, BASE_WIDTH)
            if kind == QEvent.Type.TouchEnd:
                self._end()
            event.accept()
            return True
        if kind == QEvent.Type.TouchCancel:
            self._end()
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and not self.is_blank():
            self.clear()
            event.accept()
            return
        super().keyPressEvent(event)

    # Drawing ---------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("white"))
        painter.setPen(QPen(QColor(200, 200, 200), 1, Qt.PenStyle.DashLine))
        baseline = self.height() * 0.75
        painter.drawLine(QPointF(16, baseline), QPointF(self.width() - 16, baseline))
        if self.is_blank():
            painter.setPen(QColor(150, 150, 150))
            painter.drawText(
                QRectF(self.rect()).adjusted(16, 8, -16, -8),
                int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
                tr_label(SIGNATURE_PAD_HINT),
            )
        if self.hasFocus():
            painter.setPen(QPen(self.palette().highlight().color(), 2))
            painter.drawRect(QRectF(self.rect()).adjusted(1, 1, -1, -1))
        self._paint_strokes(painter, 1.0)
        painter.end()

    def _paint_strokes(self, painter: QPainter, scale: float) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for stroke in self._strokes:
            for before, after in itertools.pairwise(stroke):
                painter.setPen(self._pen((before.width + after.width) / 2 * scale))
                painter.drawLine(QPointF(before.x, before.y), QPointF(after.x, after.y))
            if len(stroke) == 1:  # a tap leaves a dot
                painter.setPen(self._pen(stroke[0].width * scale))
                painter.drawPoint(QPointF(stroke[0].x, stroke[0].y))

    @staticmethod
    def _pen(width: float) -> QPen:
        return QPen(
            INK, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin
        )

    def bounds(self) -> QRectF:
        """The rectangle the strokes cover (with their widths), in the pad's coordinates."""
        dabs = [dab for stroke in self._strokes for dab in stroke]
        if not dabs:
            return QRectF()
        reach = max(dab.width for dab in dabs) / 2 + EXPORT_MARGIN
        left = min(d.x for d in dabs) - reach
        top = min(d.y for d in dabs) - reach
        right = max(d.x for d in dabs) + reach
        bottom = max(d.y for d in dabs) + reach
        return QRectF(left, top, right - left, bottom - top)

    def to_image(self, *, transparent: bool = True) -> QImage:
        """Return the drawing as an image cropped to its strokes (at most `MAX_EXPORT`), on a
        transparent or a white ground; a blank pad gives a small empty image."""
        area = self.bounds()
        if area.isEmpty():
            image = QImage(BLANK_SIZE, BLANK_SIZE, QImage.Format.Format_ARGB32)
            image.fill(QColor(0, 0, 0, 0) if transparent else QColor("white"))
            return image
        scale = min(1.0, MAX_EXPORT[0] / area.width(), MAX_EXPORT[1] / area.height())
        width = max(1, round(area.width() * scale))
        height = max(1, round(area.height() * scale))
        image = QImage(width, height, QImage.Format.Format_ARGB32)
        image.fill(QColor(0, 0, 0, 0) if transparent else QColor("white"))
        painter = QPainter(image)
        painter.scale(scale, scale)
        painter.translate(-area.left(), -area.top())
        self._paint_strokes(painter, 1.0)
        painter.end()
        return image

    def to_png(self, *, transparent: bool = True) -> bytes:
        """Return the drawing as PNG bytes (see `to_image`)."""
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        self.to_image(transparent=transparent).save(buffer, "PNG")  # type: ignore[call-overload]  # the stub says bytes; PySide takes str
        buffer.close()
        return bytes(data.data())
