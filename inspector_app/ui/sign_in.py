"""Signing in (登录): the person picks who they are from the workspace's reviewer registry.

Two reviewers may share a name (the demo has two 王建华), so each row shows the name, the unit
and the certificate number, and the choice is the reviewer's id. "Continue read-only" goes on
without anyone: the app then only shows.
"""

from __future__ import annotations

from inspector_app.core.model import Reviewer
from inspector_app.labels import (
    READ_ONLY_BUTTON,
    REVIEWER_HEADERS,
    REVIEWER_LIST_NAME,
    SIGN_IN_BUTTON,
    SIGN_IN_EMPTY,
    SIGN_IN_PROMPT,
    SIGN_IN_TITLE,
)
from inspector_app.ui.i18n import tr_label
from inspector_app.ui.page_parts import row_table
from inspector_app.ui.qt import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    Qt,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

_ID = Qt.ItemDataRole.UserRole


class SignInDialog(QDialog):
    """Lists the reviewers; `chosen_id` is the id picked, or None.

    Enter or a double click signs in as the selected reviewer. "Continue read-only" sets
    `chose_read_only` (whoever was signed in is signed out); Escape closes the dialog and
    changes nothing.
    """

    def __init__(
        self,
        reviewers: list[Reviewer],
        current_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("signInDialog")
        self.setWindowTitle(tr_label(SIGN_IN_TITLE))
        self.chosen_id: str | None = None
        self.chose_read_only = False
        prompt = QLabel(tr_label(SIGN_IN_PROMPT if reviewers else SIGN_IN_EMPTY))
        prompt.setWordWrap(True)
        # Tab goes on to the buttons.
        self.table = row_table(
            "reviewerTable", REVIEWER_LIST_NAME, REVIEWER_HEADERS, rows=len(reviewers)
        )
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        prompt.setBuddy(self.table)
        for row, reviewer in enumerate(reviewers):
            for column, text in enumerate((reviewer.name, reviewer.unit, reviewer.certificate_no)):
                item = QTableWidgetItem(text)
                item.setData(_ID, reviewer.id)
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.itemDoubleClicked.connect(lambda _item: self.accept())
        self.table.itemSelectionChanged.connect(self._selection_changed)

        self.buttons = QDialogButtonBox()
        self.sign_in_button = self.buttons.addButton(
            tr_label(SIGN_IN_BUTTON), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.sign_in_button.setObjectName("signInButton")
        self.read_only_button = self.buttons.addButton(
            tr_label(READ_ONLY_BUTTON), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.read_only_button.setObjectName("readOnlyButton")
        # The box says which button before it says rejected: the flag is set before reject().
        self.buttons.clicked.connect(self._clicked)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.sign_in_button.setDefault(True)

        layout = QVBoxLayout(self)
        layout.addWidget(prompt)
        layout.addWidget(self.table)
        layout.addWidget(self.buttons)
        self.resize(640, 360)
        # Nobody is chosen for the person (a hasty Enter must not sign in a namesake), except
        # the reviewer already signed in, when switching.
        if current_id:
            self.select_reviewer(current_id)
        self._selection_changed()
        self.table.setFocus()

    def selected_id(self) -> str | None:
        """Return the id of the selected reviewer, or None."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        value = rows[0].data(_ID)
        return str(value) if value else None

    def select_reviewer(self, reviewer_id: str) -> bool:
        """Select the row of the reviewer with this id; return whether there is one."""
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.data(_ID) == reviewer_id:
                self.table.selectRow(row)
                self.table.scrollToItem(item)
                return True
        return False

    def accept(self) -> None:
        """Sign in as the selected reviewer (nothing happens while none is selected)."""
        chosen = self.selected_id()
        if chosen is None:
            return
        self.chosen_id = chosen
        super().accept()

    def _clicked(self, button: object) -> None:
        if button is self.read_only_button:
            self.chose_read_only = True

    def _selection_changed(self) -> None:
        self.sign_in_button.setEnabled(self.selected_id() is not None)
