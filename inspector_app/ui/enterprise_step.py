"""The enterprise and application page (企业与申请) of one case, as the intake recorded it.

The enterprise (name, unified social credit code, address, contact, phone), the application
(number, product, product unit, checklist form and version, acceptance day, planned review day,
the qualified inspection agencies) and the on-site deadline the acceptance day sets. Everything
comes from one typed query (`Queries.case_intake`).
"""

from __future__ import annotations

from inspector_app.app import Services
from inspector_app.core.case_steps import CaseStep
from inspector_app.labels import (
    APPLICATION_GROUP,
    ENTERPRISE_GROUP,
    INTAKE_ACCEPTED,
    INTAKE_ADDRESS,
    INTAKE_AGENCIES,
    INTAKE_APPLICATION_NO,
    INTAKE_CONTACT,
    INTAKE_CREDIT_CODE,
    INTAKE_DEADLINE,
    INTAKE_FORM,
    INTAKE_FORM_VALUE,
    INTAKE_NAME,
    INTAKE_NO_AGENCIES,
    INTAKE_PAGE_TITLE,
    INTAKE_PHONE,
    INTAKE_PRODUCT,
    INTAKE_PRODUCT_UNIT,
    INTAKE_READ_ONLY,
    INTAKE_REVIEW_DATE,
)
from inspector_app.store.queries import CaseIntake
from inspector_app.ui.case_page import CasePage
from inspector_app.ui.i18n import tr_label
from inspector_app.ui.page_parts import heading_label
from inspector_app.ui.qt import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    Qt,
    QVBoxLayout,
    QWidget,
)


def _value() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class EnterpriseStep(CasePage):
    """The enterprise and application of one case, as recorded at intake (read-only).

    `values` holds the shown value of each field, by its label (for tests and screen readers).
    """

    def __init__(self, services: Services, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(services, case_id, "enterpriseStep", parent)

        self.heading = heading_label("intakeHeading")
        note = QLabel(tr_label(INTAKE_READ_ONLY))
        note.setStyleSheet("color: #555;")

        self.values: dict[str, QLabel] = {}
        enterprise = self._group(
            ENTERPRISE_GROUP,
            (INTAKE_NAME, INTAKE_CREDIT_CODE, INTAKE_ADDRESS, INTAKE_CONTACT, INTAKE_PHONE),
        )
        application = self._group(
            APPLICATION_GROUP,
            (
                INTAKE_APPLICATION_NO,
                INTAKE_PRODUCT,
                INTAKE_PRODUCT_UNIT,
                INTAKE_FORM,
                INTAKE_ACCEPTED,
                INTAKE_REVIEW_DATE,
                INTAKE_DEADLINE,
                INTAKE_AGENCIES,
            ),
        )
        groups = QHBoxLayout()
        groups.addWidget(enterprise, 1)
        groups.addWidget(application, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(note)
        layout.addLayout(groups)
        layout.addStretch(1)
        self.refresh()

    def _group(self, title: str, fields: tuple[str, ...]) -> QGroupBox:
        box = QGroupBox(tr_label(title))
        form = QFormLayout(box)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for name in fields:
            value = _value()
            value.setObjectName(f"intake_{len(self.values)}")
            value.setAccessibleName(tr_label(name))
            self.values[name] = value
            form.addRow(tr_label(name), value)
        box.setAlignment(Qt.AlignmentFlag.AlignTop)
        return box

    def show_step(self, step: CaseStep) -> None:
        """Show the page as the case stands now (the intake step is always done)."""
        self.refresh()

    def refresh(self) -> None:
        """Read the case's intake again and show it."""
        intake: CaseIntake = self.services.queries.case_intake(self.case_id)
        case, enterprise = intake.case, intake.enterprise
        self.heading.setText(
            tr_label(INTAKE_PAGE_TITLE).format(
                application_no=case.application_no, enterprise=enterprise.name
            )
        )
        agencies = "\n".join(case.qualified_agencies) or tr_label(INTAKE_NO_AGENCIES)
        shown = {
            INTAKE_NAME: enterprise.name,
            INTAKE_CREDIT_CODE: enterprise.credit_code,
            INTAKE_ADDRESS: enterprise.address,
            INTAKE_CONTACT: enterprise.contact_person,
            INTAKE_PHONE: enterprise.phone,
            INTAKE_APPLICATION_NO: case.application_no,
            INTAKE_PRODUCT: case.product,
            INTAKE_PRODUCT_UNIT: case.product_unit,
            INTAKE_FORM: tr_label(INTAKE_FORM_VALUE).format(
                title=intake.form_title, form_id=case.form_id, version=case.form_version
            ),
            INTAKE_ACCEPTED: case.accepted_on.isoformat(),
            INTAKE_REVIEW_DATE: case.review_date.isoformat(),
            INTAKE_DEADLINE: intake.onsite_deadline.isoformat(),
            INTAKE_AGENCIES: agencies,
        }
        for name, text in shown.items():
            self.values[name].setText(text)
