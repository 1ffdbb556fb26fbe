"""Sizing widgets to what they show, so that no label is cut at any scale or language."""

from __future__ import annotations

from inspector_app.ui.qt import QListWidget


def fit_list_width(view: QListWidget) -> int:
    """Make `view` at least as wide as its widest item and return that width.

    The frame is added, and room for a vertical scroll bar, should a short window need one
    (or it would take the room of the text and bring a horizontal one). Call it again after
    the items' texts change (a step's state, another language). Qt measures the widest item
    (`sizeHintForColumn`) in the view's font, at any scale.
    """
    width = (
        view.sizeHintForColumn(0)
        + 2 * view.frameWidth()
        + view.verticalScrollBar().sizeHint().width()
    )
    view.setMinimumWidth(width)
    return width
