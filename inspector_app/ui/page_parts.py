"""Small parts the step pages and dialogs share: the bold heading, the red "blocked" and
"problems" labels, the message next to a form, showing a refusal, and running one store step
so that a refusal (`RuleViolation`, `WorkspaceError`) becomes a shown message, not a crash.

Each helper has one job; the pages keep their own object names and texts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from inspector_app.app import Services
from inspector_app.core.errors import RuleViolation
from inspector_app.core.model import Reviewer
from inspector_app.labels import NOT_SAVED, PAGE_BLOCKED
from inspector_app.store.errors import WorkspaceError
from inspector_app.ui.i18n import tr_label
from inspector_app.ui.qt import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QPushButton,
    Qt,
    QTableWidget,
    QTimer,
    QWidget,
)

ERROR_STYLE = "color: #b00020;"
OK_STYLE = "color: #1b7f3b;"

T = TypeVar("T")


def bold(label: QLabel) -> QLabel:
    """Make a label's font bold; return the label."""
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


def action_button(text: str, object_name: str, on_click: Callable[[], object]) -> QPushButton:
    """Return a button showing the label `text` (translated), named `object_name`, that calls
    `on_click` when clicked."""
    button = QPushButton(tr_label(text))
    button.setObjectName(object_name)
    button.clicked.connect(on_click)
    return button


def heading_label(object_name: str) -> QLabel:
    """Return a page's bold heading, named `object_name` (its text is set on refresh)."""
    label = bold(QLabel())
    label.setObjectName(object_name)
    return label


def wrapping_label(object_name: str) -> QLabel:
    """Return an empty label named `object_name` that wraps its text to its width."""
    label = QLabel()
    label.setObjectName(object_name)
    label.setWordWrap(True)
    return label


def blocked_label(object_name: str) -> QLabel:
    """Return the hidden red label that says why a page's step is blocked."""
    label = wrapping_label(object_name)
    label.setStyleSheet(ERROR_STYLE)
    label.setVisible(False)
    return label


def show_blocked(label: QLabel, reason: str) -> None:
    """Show "blocked: <reason>" in `label`, or hide it when there is no reason."""
    label.setText(tr_label(PAGE_BLOCKED).format(reason=reason))
    label.setVisible(bool(reason))


def message_label(object_name: str) -> QLabel:
    """Return the hidden, selectable label next to a form for what a step said."""
    label = wrapping_label(object_name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setVisible(False)
    return label


def problem_label(object_name: str = "problems") -> QLabel:
    """Return the hidden, selectable red label that lists why nothing was saved."""
    label = message_label(object_name)
    label.setStyleSheet(ERROR_STYLE)
    return label


def show_message(label: QLabel, lines: Iterable[str], *, error: bool = False) -> None:
    """Show `lines` in `label`, red for an error and green otherwise."""
    label.setText("\n".join(lines))
    label.setStyleSheet(ERROR_STYLE if error else OK_STYLE)
    label.setVisible(True)


def show_refused(label: QLabel, messages: Iterable[str]) -> None:
    """Show "not saved" and the refusal's messages in red in `label`."""
    show_message(label, refusal_lines(messages), error=True)


def refusal_lines(messages: Iterable[str]) -> list[str]:
    """Return "not saved" followed by the refusal's messages, one a line."""
    return [tr_label(NOT_SAVED), *messages]


def show_refusal(label: QLabel, messages: Iterable[str]) -> None:
    """Show "not saved" and the refusal's messages in `label` (its own style stays)."""
    label.setText("\n".join(refusal_lines(messages)))
    label.setVisible(True)


def run_step(step: Callable[[], T], refused: Callable[[list[str]], None]) -> T | None:
    """Run one store step; on a refusal pass its messages to `refused` and return None.

    A `RuleViolation` gives the domain's messages, a `WorkspaceError` its own text; the step
    wrote nothing then. Steps return a `Change`, never None, so None means refused.
    """
    try:
        return step()
    except RuleViolation as refusal:
        refused([problem.message for problem in refusal.problems])
    except WorkspaceError as error:
        refused([str(error)])
    return None


def zero_timer(parent: QWidget, slot: Callable[[], object], msec: int = 0) -> QTimer:
    """Return a single-shot timer of `msec` (0: as soon as possible), a child of `parent`,
    that calls `slot`: started (when not already), it runs `slot` once on a later pass of the
    event loop, after the events already queued — the key that caused it and its paint — so
    that work deferred by it is a stretch of its own. (`QTimer.singleShot(0, …)` is a queued
    call instead, which Qt runs in the same pass.)"""
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(msec)
    timer.timeout.connect(slot)
    return timer


def signed_in_reviewer(services: Services) -> Reviewer | None:
    """Return the signed-in reviewer, or None when nobody is (or the sign-in no longer holds)."""
    try:
        return services.signed_in()
    except RuleViolation:
        return None


def labelled_form(rows: Iterable[tuple[str, QWidget]]) -> QFormLayout:
    """Return a form with a row for each (label, field): the label is the field's buddy (its
    mnemonic focuses the field) and, without the "&", the field's accessible name."""
    form = QFormLayout()
    for label, field in rows:
        name = QLabel(tr_label(label))
        name.setBuddy(field)
        field.setAccessibleName(tr_label(label).replace("&", ""))
        form.addRow(name, field)
    return form


def form_group(title: str, form: QFormLayout) -> QGroupBox:
    """Return a page's form in a group box titled `title`, no wider than a reading width."""
    box = QGroupBox(tr_label(title))
    box.setLayout(form)
    box.setMaximumWidth(900)
    return box


def row_table(
    object_name: str, accessible_name: str, headers: Sequence[str], rows: int = 0
) -> QTableWidget:
    """Return a read-only table that selects whole rows, named `object_name`, with the given
    column header labels and no row numbers; Tab leaves it (to the form below)."""
    table = QTableWidget(rows, len(headers))
    table.setObjectName(object_name)
    table.setAccessibleName(tr_label(accessible_name))
    table.setHorizontalHeaderLabels([tr_label(h) for h in headers])
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setTabKeyNavigation(False)
    table.verticalHeader().setVisible(False)
    return table


def fit_columns_to_contents(table: QTableWidget) -> None:
    """Size the table's columns to their contents, the last one taking the rest."""
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
