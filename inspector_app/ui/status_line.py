"""A one-line text whose changes only repaint it: never a new layout of the page around it.

A QLabel's new text asks its layout to lay everything out again (`updateGeometry`), and in the
checklist's detail pane, full of wrapping texts, that costs more than the edit itself at every
key. The lines that change with each edit — the verdict, the progress, "saved", who assessed
the item — are these instead: as high as one line of their font, as wide as the layout gives
them, a text too long for the width elided with "…" (the whole text is then the tooltip).
"""

from __future__ import annotations

from inspector_app.ui.qt import QColor, QPainter, QPaintEvent, QSize, QSizePolicy, Qt, QWidget


class StatusLine(QWidget):
    """One line of text, elided to the width; `setText` only repaints.

    Args:
        object_name: The widget's object name.
        color: The text's colour (a CSS colour such as "#555"); by default the palette's.
        widest: A text as wide as any it will show: the line then keeps that width (beside
            other widgets in a row); without it, it takes the width its layout gives it.
    """

    def __init__(
        self, object_name: str, color: str | None = None, *, widest: str | None = None
    ) -> None:
        super().__init__()
        self.setObjectName(object_name)
        self._text = ""
        self._color = QColor(color) if color is not None else None
        self._widest = widest
        horizontal = QSizePolicy.Policy.Fixed if widest else QSizePolicy.Policy.Ignored
        self.setSizePolicy(horizontal, QSizePolicy.Policy.Fixed)

    def text(self) -> str:
        """The whole text (shown elided when it is longer than the width)."""
        return self._text

    def setText(self, text: str) -> None:  # the QLabel name, for its callers
        """Show `text` (a repaint, never a new layout)."""
        if text == self._text:
            return
        self._text = text
        self.setAccessibleName(text)
        self._update_tooltip()
        self.update()

    def clear(self) -> None:
        """Show nothing."""
        self.setText("")

    def sizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        wide = metrics.horizontalAdvance(self._widest or "M" * 20) + 4
        return QSize(wide, metrics.height() + 2)

    def minimumSizeHint(self) -> QSize:
        return QSize(0, self.fontMetrics().height() + 2)

    def resizeEvent(self, event: object) -> None:
        self._update_tooltip()

    def _update_tooltip(self) -> None:
        elided = self.fontMetrics().horizontalAdvance(self._text) > self.width()
        self.setToolTip(self._text if elided else "")

    def paintEvent(self, _event: QPaintEvent) -> None:
        if not self._text:
            return
        painter = QPainter(self)
        if self._color is not None:
            painter.setPen(self._color)
        rect = self.contentsRect()
        shown = self.fontMetrics().elidedText(self._text, Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, shown)
        painter.end()
