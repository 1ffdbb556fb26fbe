"""A new case by hand (受理登记): the enterprise, the application, its product unit and dates.

The unified social credit code is checked as it is typed, with the domain's own rule and
message; OK stays disabled while the code is wrong. OK asks the signed-in reviewer's steps to
create the case; a refusal (a rule of the regulation, or the store) is shown in the dialog, the
dialog stays open and nothing is written.
"""

from __future__ import annotations

from datetime import date

from inspector_app.app import Services
from inspector_app.core.credit_code import credit_code_problems
from inspector_app.core.model import Case, Enterprise, new_id
from inspector_app.labels import (
    ACCEPTED_ON_FIELD,
    ADDRESS_FIELD,
    AGENCIES_FIELD,
    AGENCIES_HINT,
    APPLICATION_GROUP,
    APPLICATION_NO_FIELD,
    CONTACT_FIELD,
    CREDIT_CODE_FIELD,
    CREDIT_CODE_OK,
    ENTERPRISE_GROUP,
    ENTERPRISE_NAME_FIELD,
    NEW_CASE_TITLE,
    NO_FORMS,
    PHONE_FIELD,
    PRODUCT_FIELD,
    PRODUCT_UNIT_CHOICE,
    PRODUCT_UNIT_FIELD,
    REVIEW_DATE_FIELD,
)
from inspector_app.store.casework import Change
from inspector_app.ui.i18n import tr_label
from inspector_app.ui.page_parts import (
    ERROR_STYLE,
    OK_STYLE,
    problem_label,
    run_step,
    show_refusal,
    wrapping_label,
)
from inspector_app.ui.qt import (
    QComboBox,
    QDate,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)


def to_qdate(day: date) -> QDate:
    """Return a day as a QDate."""
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> date:
    """Return a QDate as a day."""
    return date(day.year(), day.month(), day.day())


class IntakeDialog(QDialog):
    """Records one accepted application as a new case, done by the signed-in reviewer.

    After it is accepted, `change` is what the step wrote (the new case's id is
    `change.case_id`).
    """

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("intakeDialog")
        self.setWindowTitle(tr_label(NEW_CASE_TITLE))
        self.services = services
        self.change: Change | None = None

        def line(name: str) -> QLineEdit:
            edit = QLineEdit()
            edit.setObjectName(name)
            return edit

        self.name = line("enterpriseName")
        self.credit_code = line("creditCode")
        # Room for a code pasted with spaces around it: they are taken out as it is typed.
        self.credit_code.setMaxLength(32)
        digits = self.credit_code.fontMetrics().horizontalAdvance("W" * 18)
        self.credit_code.setMinimumWidth(digits + 16)  # all 18 characters in view
        self.credit_code_message = wrapping_label("creditCodeMessage")
        self.credit_code.textChanged.connect(self._credit_code_changed)
        self.address = line("address")
        self.contact_person = line("contactPerson")
        self.phone = line("phone")

        self.application_no = line("applicationNo")
        self.product = line("product")
        self.product_unit = QComboBox()
        self.product_unit.setObjectName("productUnit")
        for form in services.queries.forms():
            for unit in form.product_units:
                text = tr_label(PRODUCT_UNIT_CHOICE).format(
                    unit=unit, title=form.title, version=form.version
                )
                self.product_unit.addItem(text, (form.form_id, form.version, unit))
        today = to_qdate(services.queries.today())
        self.accepted_on = QDateEdit(today)
        self.accepted_on.setObjectName("acceptedOn")
        self.review_date = QDateEdit(today)
        self.review_date.setObjectName("reviewDate")
        for edit in (self.accepted_on, self.review_date):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.agencies = QPlainTextEdit()
        self.agencies.setObjectName("agencies")
        self.agencies.setPlaceholderText(tr_label(AGENCIES_HINT))
        self.agencies.setTabChangesFocus(True)
        self.agencies.setFixedHeight(80)

        enterprise_form = QFormLayout()
        enterprise_form.addRow(tr_label(ENTERPRISE_NAME_FIELD), self.name)
        code_row = QHBoxLayout()
        code_row.addWidget(self.credit_code)
        code_row.addWidget(self.credit_code_message, 1)
        enterprise_form.addRow(tr_label(CREDIT_CODE_FIELD), code_row)
        enterprise_form.addRow(tr_label(ADDRESS_FIELD), self.address)
        enterprise_form.addRow(tr_label(CONTACT_FIELD), self.contact_person)
        enterprise_form.addRow(tr_label(PHONE_FIELD), self.phone)
        enterprise_box = QGroupBox(tr_label(ENTERPRISE_GROUP))
        enterprise_box.setLayout(enterprise_form)

        application_form = QFormLayout()
        application_form.addRow(tr_label(APPLICATION_NO_FIELD), self.application_no)
        application_form.addRow(tr_label(PRODUCT_FIELD), self.product)
        application_form.addRow(tr_label(PRODUCT_UNIT_FIELD), self.product_unit)
        application_form.addRow(tr_label(ACCEPTED_ON_FIELD), self.accepted_on)
        application_form.addRow(tr_label(REVIEW_DATE_FIELD), self.review_date)
        application_form.addRow(tr_label(AGENCIES_FIELD), self.agencies)
        application_box = QGroupBox(tr_label(APPLICATION_GROUP))
        application_box.setLayout(application_form)
        # The labels' mnemonics (&E, &C, …) move the focus to their field.
        for form_layout in (enterprise_form, application_form):
            for row in range(form_layout.rowCount()):
                item = form_layout.itemAt(row, QFormLayout.ItemRole.LabelRole)
                label = item.widget() if item is not None else None
                field = form_layout.itemAt(row, QFormLayout.ItemRole.FieldRole)
                if isinstance(label, QLabel) and field is not None:
                    buddy = field.widget() or self.credit_code
                    label.setBuddy(buddy)

        self.problems = problem_label()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setObjectName("okButton")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(enterprise_box)
        layout.addWidget(application_box)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)
        self.resize(640, 0)
        if self.product_unit.count() == 0:
            self.problems.setText(tr_label(NO_FORMS))
            self.problems.setVisible(True)
        self._credit_code_changed(self.credit_code.text())

    def _credit_code_changed(self, text: str) -> None:
        """Check the code as it is typed: the domain's message beside the field; OK waits.

        The code's letters are capitals and it holds no spaces: letters typed in lower case
        are shown as capitals and spaces (a code pasted from a web page) are taken out.
        """
        code = "".join(text.split()).upper()
        if code != text:
            position = self.credit_code.cursorPosition()
            self.credit_code.setText(code)  # checked by the textChanged this sends
            self.credit_code.setCursorPosition(min(position, len(code)))
            return
        problems = credit_code_problems(text) if text else []
        if not text:
            self.credit_code_message.setText("")
        elif problems:
            self.credit_code_message.setStyleSheet(ERROR_STYLE)
            self.credit_code_message.setText(problems[0].message)
        else:
            self.credit_code_message.setStyleSheet(OK_STYLE)
            self.credit_code_message.setText(tr_label(CREDIT_CODE_OK))
        self.ok_button.setEnabled(bool(text) and not problems and self.product_unit.count() > 0)

    def records(self) -> tuple[Enterprise, Case]:
        """Return the enterprise and the case as the fields stand (fresh ids)."""
        enterprise = Enterprise(
            id=new_id(),
            name=self.name.text().strip(),
            credit_code=self.credit_code.text().strip(),
            address=self.address.text().strip(),
            contact_person=self.contact_person.text().strip(),
            phone=self.phone.text().strip(),
        )
        form_id, version, unit = self.product_unit.currentData()
        agencies = tuple(
            text.strip() for text in self.agencies.toPlainText().splitlines() if text.strip()
        )
        case = Case(
            id=new_id(),
            application_no=self.application_no.text().strip(),
            enterprise_id=enterprise.id,
            product=self.product.text().strip() or unit,
            product_unit=unit,
            form_id=form_id,
            form_version=version,
            accepted_on=from_qdate(self.accepted_on.date()),
            review_date=from_qdate(self.review_date.date()),
            qualified_agencies=agencies,
        )
        return enterprise, case

    def submit(self) -> None:
        """Create the case; on a refusal show why and stay open (nothing was written)."""
        if not self.ok_button.isEnabled():
            return
        enterprise, case = self.records()
        self.change = run_step(
            lambda: self.services.steps().create_case(enterprise, case), self.show_problems
        )
        if self.change is None:
            return
        self.accept()

    def show_problems(self, messages: list[str]) -> None:
        """Show why nothing was saved (the domain's messages, one a line)."""
        show_refusal(self.problems, messages)
