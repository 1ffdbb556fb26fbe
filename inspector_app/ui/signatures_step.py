"""The signatures page (签字) of one case: for each document that needs handwritten signatures,
who has signed (name, unit, time) and who has not; a signer chosen by member id (two members
may share a name: the unit tells them apart) or the enterprise's representative by name; the
signature drawn on the pad and saved as one step of the signed-in reviewer's `Casework`.

The leader's cryptographic sign-off (签发) is another page's work: `add_sign_off_widget` puts
its control in the place kept for it at the bottom of this page.
"""

from __future__ import annotations

import hashlib

from inspector_app.app import Services
from inspector_app.core.hand_signature import SignatureLine, SignedDocument
from inspector_app.core.lifecycle import case_open_problems
from inspector_app.core.model import CaseStatus, HandSignature, SignerKind, new_id
from inspector_app.labels import (
    CLEAR_SIGNATURE,
    PICK_DOCUMENT,
    PICK_SIGNER,
    REPRESENTATIVE_NAME,
    SAVE_SIGNATURE,
    SIGN_OFF_SLOT_NAME,
    SIGNATURE_HEADERS,
    SIGNATURE_MISSING,
    SIGNATURE_SAVED,
    SIGNATURE_SIGNED,
    SIGNATURES_NEED_SIGN_IN,
    SIGNATURES_NOTHING_YET,
    SIGNATURES_TABLE_NAME,
    SIGNATURES_TITLE,
    SIGNED_DOCUMENT_LABELS,
    SIGNER_MEMBER_CHOICE,
    SIGNER_REPRESENTATIVE,
    SIGNER_REPRESENTATIVE_NAMED,
)
from inspector_app.ui.case_page import CasePage
from inspector_app.ui.i18n import tr_label
from inspector_app.ui.page_parts import (
    ERROR_STYLE,
    OK_STYLE,
    action_button,
    heading_label,
    labelled_form,
    refusal_lines,
    row_table,
    run_step,
    signed_in_reviewer,
    wrapping_label,
)
from inspector_app.ui.qt import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QShowEvent,
    QSizePolicy,
    Qt,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from inspector_app.ui.signature_pad import SignaturePad

TIME_FORMAT = "%Y-%m-%d %H:%M"
ROLE = Qt.ItemDataRole.UserRole

Signer = tuple[str, str]
"""Who signs: ("member", member id) or ("representative", the name fixed by a record, or ""
for a name to type). The picker holds it as one string (`_key`): Qt turns tuples into lists."""


def _key(signer: Signer) -> str:
    return f"{signer[0]}|{signer[1]}"


def _signer(key: object) -> Signer | None:
    if not isinstance(key, str) or "|" not in key:
        return None
    kind, value = key.split("|", 1)
    return kind, value


class SignaturesStep(CasePage):
    """Who signed which document, and the pad to sign on.

    Emits `changed(Change)` after each signature saved.
    """

    def __init__(self, services: Services, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(services, case_id, "signaturesStep", parent)
        self.lines: list[SignatureLine] = []
        self.status = CaseStatus.ACCEPTED

        self.heading = heading_label("signaturesHeading")

        self.table = row_table("signatureTable", SIGNATURES_TABLE_NAME, SIGNATURE_HEADERS)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._line_chosen)

        self.document = QComboBox()
        self.document.setObjectName("documentPicker")
        self.document.currentIndexChanged.connect(self._fill_signers)
        self.signer = QComboBox()
        self.signer.setObjectName("signerPicker")
        self.signer.currentIndexChanged.connect(self._signer_chosen)
        self.representative = QLineEdit()
        self.representative.setObjectName("representativeName")
        self.representative.setMaxLength(100)
        form = labelled_form(
            (
                (PICK_DOCUMENT, self.document),
                (PICK_SIGNER, self.signer),
                (REPRESENTATIVE_NAME, self.representative),
            )
        )

        self.pad = SignaturePad()
        self.pad.changed.connect(self._update_buttons)
        self.clear_button = action_button(CLEAR_SIGNATURE, "clearSignature", self.pad.clear)
        self.save_button = action_button(SAVE_SIGNATURE, "saveSignature", self.save)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.save_button)

        self.message = wrapping_label("signatureMessage")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # A refusal's reasons wrap over several lines: the label takes the height they need.
        self.message.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

        # The leader's cryptographic sign-off (签发) goes here: see `add_sign_off_widget`.
        self.sign_off_slot = QWidget()
        self.sign_off_slot.setObjectName("signOffSlot")
        self.sign_off_slot.setAccessibleName(tr_label(SIGN_OFF_SLOT_NAME))
        self.sign_off_layout = QHBoxLayout(self.sign_off_slot)
        self.sign_off_layout.setContentsMargins(0, 0, 0, 0)
        self.sign_off_layout.addStretch(1)  # the sign-off at the right, under the pad's buttons
        self.sign_off_slot.setVisible(False)

        right = QVBoxLayout()
        right.addLayout(form)
        right.addWidget(self.pad, 1)
        right.addLayout(buttons)
        right.addWidget(self.message)
        body = QHBoxLayout()
        body.addWidget(self.table, 2)  # the units seldom wrap; the pad keeps 360 px or more
        body.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(body, 1)
        layout.addWidget(self.sign_off_slot)
        self.refresh()

    # The place kept for the sign-off --------------------------------------------------------

    def add_sign_off_widget(self, widget: QWidget) -> None:
        """Put the leader's sign-off control (built elsewhere) at the bottom of this page."""
        self.sign_off_layout.addWidget(widget)
        self.sign_off_slot.setVisible(True)

    # Reading --------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        # Another step (a conclusion, a sampling, a team change) may have changed who signs
        # what since this page was last shown.
        self.refresh()
        super().showEvent(event)

    def _signed_in(self) -> bool:
        return signed_in_reviewer(self.services) is not None

    def refresh(self) -> None:
        """Read the case's signature lines again and show them."""
        state = self.services.queries.case_file(self.case_id)
        self.status = state.case.status
        self.enterprise = state.enterprise.name
        self.lines = self.services.queries.signature_sheet(self.case_id)
        self.heading.setText(
            tr_label(SIGNATURES_TITLE).format(
                application_no=state.case.application_no, enterprise=state.enterprise.name
            )
        )
        calendar = self.services.settings.calendar
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.lines))
        for row, line in enumerate(self.lines):
            if line.signature is not None:
                when = calendar.local(line.signature.signed_at).strftime(TIME_FORMAT)
                state_text = tr_label(SIGNATURE_SIGNED).format(signed_at=when)
            else:
                state_text = tr_label(SIGNATURE_MISSING)
            cells = (
                tr_label(SIGNED_DOCUMENT_LABELS[line.document.value]),
                self._signer_text(line),
                line.member.unit if line.member else state.enterprise.name,
                state_text,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(ROLE, row)
                if column == 3:
                    item.setForeground(
                        Qt.GlobalColor.darkGreen if line.signed else Qt.GlobalColor.red
                    )
                self.table.setItem(row, column, item)
        self.table.blockSignals(False)
        self.table.resizeRowsToContents()

        chosen = self.document.currentData()
        self.document.blockSignals(True)
        self.document.clear()
        for document in SignedDocument:
            if any(line.document == document for line in self.lines):
                self.document.addItem(
                    tr_label(SIGNED_DOCUMENT_LABELS[document.value]), document.value
                )
        index = self.document.findData(chosen)
        self.document.setCurrentIndex(max(index, 0))
        self.document.blockSignals(False)
        self._fill_signers()
        if not self.lines:
            self._say(tr_label(SIGNATURES_NOTHING_YET), "")
        elif self.status == CaseStatus.SIGNED_OFF:
            self._say(case_open_problems(self.status)[0].message, "")

    @staticmethod
    def _signer_text(line: SignatureLine) -> str:
        if line.member is not None:
            return line.member.name
        if line.representative:
            return tr_label(SIGNER_REPRESENTATIVE_NAMED).format(name=line.representative)
        return tr_label(SIGNER_REPRESENTATIVE)

    def _fill_signers(self) -> None:
        """Offer the chosen document's signers: its members by id, and its representative."""
        document = self.document.currentData()
        chosen = self.signer.currentData()  # a key, found again among the new choices
        self.signer.blockSignals(True)
        self.signer.clear()
        offered: list[Signer] = []
        for line in self.lines:
            if line.document.value != document:
                continue
            if line.member is not None:
                signer: Signer = (SignerKind.MEMBER.value, line.member.id)
                text = tr_label(SIGNER_MEMBER_CHOICE).format(
                    name=line.member.name, unit=line.member.unit
                )
            else:
                signer = (SignerKind.REPRESENTATIVE.value, line.representative)
                text = self._signer_text(line)
            if signer not in offered:
                offered.append(signer)
                self.signer.addItem(text, _key(signer))
        anyone = (SignerKind.REPRESENTATIVE.value, "")
        if anyone not in offered and any(kind == anyone[0] for kind, _ in offered):
            # a representative who signed already can be joined by another, named here
            self.signer.addItem(tr_label(SIGNER_REPRESENTATIVE), _key(anyone))
        index = self.signer.findData(chosen)
        self.signer.setCurrentIndex(max(index, 0))
        self.signer.blockSignals(False)
        self._signer_chosen()

    def _signer_chosen(self) -> None:
        signer = _signer(self.signer.currentData())
        named = signer[1] if signer and signer[0] == SignerKind.REPRESENTATIVE.value else None
        self.representative.setEnabled(named is not None and self._may_sign())
        self.representative.setText(named or "")
        self._update_buttons()

    def _line_chosen(self) -> None:
        """A row of the table picks its document and its signer."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        line = self.lines[rows[0].row()]
        self.document.setCurrentIndex(self.document.findData(line.document.value))
        if line.member is not None:
            signer: Signer = (SignerKind.MEMBER.value, line.member.id)
        else:
            signer = (SignerKind.REPRESENTATIVE.value, line.representative)
        index = self.signer.findData(_key(signer))
        if index < 0 and signer[0] == SignerKind.REPRESENTATIVE.value:
            index = self.signer.findData(_key((SignerKind.REPRESENTATIVE.value, "")))
        if index >= 0:
            self.signer.setCurrentIndex(index)
        if signer[1] and signer[0] == SignerKind.REPRESENTATIVE.value:
            self.representative.setText(signer[1])

    def _may_sign(self) -> bool:
        return self.status != CaseStatus.SIGNED_OFF and bool(self.lines)

    def _update_buttons(self) -> None:
        signed_in = self._signed_in()
        may = self._may_sign()
        for widget in (self.document, self.signer, self.pad, self.clear_button):
            widget.setEnabled(may)
        self.save_button.setEnabled(may and signed_in and self.signer.count() > 0)
        self.save_button.setToolTip("" if signed_in else tr_label(SIGNATURES_NEED_SIGN_IN))
        self.clear_button.setEnabled(may and not self.pad.is_blank())

    def _say(self, text: str, style: str) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(style)

    # Writing --------------------------------------------------------------------------------

    def choose(self, document: SignedDocument, signer: Signer) -> bool:
        """Pick a document and a signer (as a row of the table does); return whether both are
        offered."""
        index = self.document.findData(document.value)
        if index < 0:
            return False
        self.document.setCurrentIndex(index)
        index = self.signer.findData(_key(signer))
        if index < 0:
            return False
        self.signer.setCurrentIndex(index)
        return True

    def save(self) -> bool:
        """Save the pad's drawing as the chosen signer's signature on the chosen document;
        return whether it was stored. A refusal shows the domain's reasons; nothing is kept."""
        document, signer = self.document.currentData(), _signer(self.signer.currentData())
        if document is None or signer is None:
            return False
        kind = SignerKind(signer[0])
        png = self.pad.to_png()
        name = self.representative.text().strip()
        signature = HandSignature(
            id=new_id(),
            case_id=self.case_id,
            document=document,
            signer_kind=kind,
            member_id=signer[1] if kind == SignerKind.MEMBER else None,
            representative=name if kind == SignerKind.REPRESENTATIVE else None,
            image=hashlib.sha256(png).hexdigest(),
            signed_at=self.services.clock(),
        )
        change = run_step(
            lambda: self.services.steps().record_hand_signature(
                self.services.workspace, signature, png
            ),
            lambda messages: self._say("\n".join(refusal_lines(messages)), ERROR_STYLE),
        )
        if change is None:
            return False
        who = self.signer.currentText() if kind == SignerKind.MEMBER else name
        self.pad.clear()
        self.refresh()
        self._say(
            tr_label(SIGNATURE_SAVED).format(
                signer=who, document=tr_label(SIGNED_DOCUMENT_LABELS[document])
            ),
            OK_STYLE,
        )
        self.changed.emit(change)
        return True
